package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"marquee/internal/film"
	"marquee/internal/web"
)

// testBase is the public address the structured data tests give the site.
const testBase = "https://films.example"

// mustSiteAt builds the seeded site with testBase as its address.
func mustSiteAt(tb testing.TB) *site {
	tb.Helper()
	base, err := web.ParseBaseURL(testBase)
	if err != nil {
		tb.Fatal(err)
	}
	return mustSiteWith(tb, web.Config{BaseURL: base})
}

func attr(doc *goquery.Document, sel, name string) string {
	v, _ := doc.Find(sel).First().Attr(name)
	return v
}

func TestCanonicalURLs(t *testing.T) {
	s := mustSiteAt(t)
	canonical := func(t *testing.T, path string) string {
		t.Helper()
		doc, _ := s.mustPage(t, path, http.StatusOK)
		return attr(doc, `link[rel=canonical]`, "href")
	}
	for _, tc := range []struct{ path, want string }{
		{"/", "/"},
		{"/films/paris-2008", "/films/paris-2008"},
		{"/people/cedric-klapisch", "/people/cedric-klapisch"},
		{"/reviews/paris-2008-review", "/reviews/paris-2008-review"},
		{"/companies/studiocanal", "/companies/studiocanal"},
		// The same films in another order, or the same filters written in
		// another order, are one page.
		{"/films?sort=year", "/films"},
		{"/films?genre=Drama&sort=rating", "/films?genre=Drama"},
		{"/films?language=French&genre=Drama", "/films?genre=Drama&language=French"},
		{"/films?genre=Drama&language=French", "/films?genre=Drama&language=French"},
		// A year alone is the year's own page; a year needs no decade.
		{"/films?year=2008", "/years/2008"},
		{"/films?decade=2000s&year=2008", "/years/2008"},
		{"/films?decade=2000s", "/films?decade=2000s"},
		{"/years/2008?genre=Drama&sort=year", "/years/2008?genre=Drama"},
		// Reader reviews: the order alone changes nothing on one page, the
		// spoiler filter changes the set, page 1 is the list.
		{"/films/paris-2008/reviews?sort=helpful", "/films/paris-2008/reviews"},
		{"/films/paris-2008/reviews?spoilers=hide&sort=lowest", "/films/paris-2008/reviews?spoilers=hide"},
		{"/films/paris-2008/reviews?page=1", "/films/paris-2008/reviews"},
	} {
		if got := canonical(t, tc.path); got != testBase+tc.want {
			t.Errorf("canonical of %s = %q, want %q", tc.path, got, testBase+tc.want)
		}
	}

	t.Run("every page of a long list is its own", func(t *testing.T) {
		s.mustAddFilms(t, 30)
		doc, _ := s.mustPage(t, "/films?sort=rating", http.StatusOK)
		first := attr(doc, `link[rel=canonical]`, "href")
		if first != testBase+"/films?sort=rating" {
			t.Errorf("first page by rating = %q: over several pages the order decides what a page holds", first)
		}
		next, _ := doc.Find(`.pagination a[rel=next]`).Attr("href")
		second := canonical(t, next)
		if second == first || second != testBase+next {
			t.Errorf("second page %s canonicalises to %q", next, second)
		}
		u, _ := url.Parse(next)
		if u.Query().Get("after") == "" {
			t.Fatalf("next link %q has no cursor", next)
		}
		if got := canonical(t, "/films?after="+url.QueryEscape(u.Query().Get("after"))+"&sort=rating"); got != second {
			t.Errorf("the second page with its parameters reordered = %q, want %q", got, second)
		}
	})

	t.Run("every page of many reader reviews is its own", func(t *testing.T) {
		var c film.Catalog
		for i := range 25 {
			c.ReaderReviews = append(c.ReaderReviews, film.ReaderReview{FilmSlug: "paris-2008", DisplayName: fmt.Sprintf("Reader %d", i),
				Title: fmt.Sprintf("Review %d", i), Rating: i%10 + 1, Body: "Worth seeing.", Status: film.ModerationApproved,
				CreatedAt: testNow.Add(-time.Duration(i) * time.Hour)})
		}
		if _, err := s.db.Import(t.Context(), c); err != nil {
			t.Fatal(err)
		}
		for path, want := range map[string]string{
			"/films/paris-2008/reviews?page=2":              "/films/paris-2008/reviews?page=2",
			"/films/paris-2008/reviews?page=2&sort=helpful": "/films/paris-2008/reviews?page=2&sort=helpful",
			"/films/paris-2008/reviews?sort=newest":         "/films/paris-2008/reviews",
		} {
			if got := canonical(t, path); got != testBase+want {
				t.Errorf("canonical of %s = %q, want %q", path, got, testBase+want)
			}
		}
	})
}

func TestEmptyListsAreNotIndexed(t *testing.T) {
	s := mustSite(t)
	s.mustAddFilms(t, 3) // One of them a thriller; none of them in French.
	doc, _ := s.mustPage(t, "/films?genre=Thriller&language=French", http.StatusOK)
	if text(doc, ".results .empty") == "" || attr(doc, `meta[name=robots]`, "content") != "noindex" {
		t.Error("an empty combination of filters is offered for indexing")
	}
	for _, path := range []string{"/search?q=paris", "/films/paris-2008/reviews/new"} {
		doc, _ := s.mustPage(t, path, http.StatusOK)
		if attr(doc, `meta[name=robots]`, "content") != "noindex" {
			t.Errorf("%s is offered for indexing", path)
		}
	}
	// A page kept out of the index names no canonical page to index instead.
	for _, path := range []string{"/films/paris-2008/reviews/new", "/films?genre=Thriller&language=French"} {
		doc, _ := s.mustPage(t, path, http.StatusOK)
		if n := doc.Find(`link[rel=canonical], meta[property^="og:"]`).Length(); n != 0 {
			t.Errorf("%s is not to be indexed but has %d canonical or og: tags", path, n)
		}
	}
	for _, path := range []string{"/", "/films", "/years/2008", "/films/paris-2008", "/people/juliette-binoche", "/reviews/paris-2008-review", "/films/paris-2008/reviews"} {
		doc, _ := s.mustPage(t, path, http.StatusOK)
		if doc.Find(`meta[name=robots]`).Length() != 0 {
			t.Errorf("%s asks not to be indexed", path)
		}
	}
}

func TestTrailingSlashRedirects(t *testing.T) {
	s := mustSite(t)
	for _, tc := range []struct{ method, path, location string }{
		{http.MethodGet, "/films/", "/films"},
		{http.MethodGet, "/films/?genre=Drama&sort=year", "/films?genre=Drama&sort=year"},
		{http.MethodGet, "/films/paris-2008/", "/films/paris-2008"},
		{http.MethodGet, "/films/paris-2008/reviews//", "/films/paris-2008/reviews"},
		{http.MethodHead, "/people/juliette-binoche/", "/people/juliette-binoche"},
		{http.MethodGet, "/admin/", "/admin"},
	} {
		resp := s.do(t, tc.method, tc.path, nil)
		if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != tc.location {
			t.Errorf("%s %s = %d to %q, want 301 to %q", tc.method, tc.path, resp.StatusCode, resp.Header.Get("Location"), tc.location)
		}
	}
	if resp := s.do(t, http.MethodGet, "/", nil); resp.StatusCode != http.StatusOK {
		t.Errorf("GET / = %d", resp.StatusCode)
	}
	// A slash-ended path must not become one that leaves the site.
	for _, path := range []string{"//evil.example/", "/\\evil.example/"} {
		resp := s.do(t, http.MethodGet, path, nil)
		if loc := resp.Header.Get("Location"); strings.HasPrefix(loc, "//") || strings.HasPrefix(loc, "/\\") {
			t.Errorf("GET %s redirects to %q", path, loc)
		}
	}
	// A form post is not redirected, which would turn it into a GET.
	if resp := s.do(t, http.MethodPost, "/films/paris-2008/rating/", nil); resp.StatusCode == http.StatusMovedPermanently {
		t.Error("POST with a trailing slash was redirected")
	}
}

func TestReaderReviewsFollowAMovedFilm(t *testing.T) {
	s := mustSite(t)
	b, _ := s.deskBrowser(t, "ed", film.RoleEditor)
	form := formValues(b.page(t, "/admin/films/paris-2008/edit", http.StatusOK), "#catalog-form")
	form.Set("slug", "paris-klapisch-2008")
	if resp, body := b.do(t, http.MethodPost, "/admin/films/paris-2008/edit", form, nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("rename = %d\n%s", resp.StatusCode, body)
	}
	resp := s.do(t, http.MethodGet, "/films/paris-2008/reviews?sort=helpful", nil)
	if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != "/films/paris-klapisch-2008/reviews?sort=helpful" {
		t.Errorf("reader reviews at the old address = %d to %q, want 301 to the new, query kept", resp.StatusCode, resp.Header.Get("Location"))
	}
}

func TestParseBaseURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://marquee.example":       "https://marquee.example",
		"https://marquee.example/":      "https://marquee.example",
		"http://localhost:8080":         "http://localhost:8080",
		"https://Marquee.Example:8443/": "https://marquee.example:8443",
		"http://[::1]:8080":             "http://[::1]:8080",
	} {
		u, err := web.ParseBaseURL(in)
		if err != nil || u.String() != want {
			t.Errorf("ParseBaseURL(%q) = %v, %v; want %q", in, u, err, want)
		}
	}
	for _, in := range []string{"", "marquee.example", "ftp://marquee.example", "https://", "https://marquee.example/films",
		"https://marquee.example?x=1", "https://marquee.example#top", "https://user:pw@marquee.example", "//marquee.example"} {
		if u, err := web.ParseBaseURL(in); err == nil {
			t.Errorf("ParseBaseURL(%q) = %v, want an error", in, u)
		}
	}
}
