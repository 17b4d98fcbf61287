package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/google/go-cmp/cmp"

	"marquee/internal/film"
)

// ld is one JSON-LD node as decoded.
type ld = map[string]any

// structuredData decodes every JSON-LD block of a page, in order.
func structuredData(tb testing.TB, doc *goquery.Document) []ld {
	tb.Helper()
	var out []ld
	doc.Find(`script[type="application/ld+json"]`).Each(func(_ int, s *goquery.Selection) {
		var v ld
		if err := json.Unmarshal([]byte(s.Text()), &v); err != nil {
			tb.Fatalf("JSON-LD does not parse: %v\n%s", err, s.Text())
		}
		if v["@context"] != "https://schema.org" {
			tb.Errorf("JSON-LD @context = %v, want https://schema.org", v["@context"])
		}
		out = append(out, v)
	})
	return out
}

// nodesOfType returns the nodes of a type among a page's JSON-LD blocks
// and their @graph members.
func nodesOfType(docs []ld, typ string) []ld {
	var out []ld
	for _, d := range docs {
		nodes := []ld{d}
		if g, ok := d["@graph"].([]any); ok {
			nodes = nil
			for _, n := range g {
				nodes = append(nodes, n.(ld))
			}
		}
		for _, n := range nodes {
			if n["@type"] == typ {
				out = append(out, n)
			}
		}
	}
	return out
}

// mustOne returns the one node of a type, failing otherwise.
func mustOne(tb testing.TB, docs []ld, typ string) ld {
	tb.Helper()
	nodes := nodesOfType(docs, typ)
	if len(nodes) != 1 {
		tb.Fatalf("%d %s nodes in the structured data, want 1", len(nodes), typ)
	}
	return nodes[0]
}

// list returns a property as a list of nodes, whether it holds one or many.
func list(v any) []ld {
	switch v := v.(type) {
	case []any:
		out := make([]ld, len(v))
		for i, n := range v {
			out[i] = n.(ld)
		}
		return out
	case ld:
		return []ld{v}
	}
	return nil
}

// field returns one string property of each node.
func field(nodes []ld, key string) []string {
	var out []string
	for _, n := range nodes {
		s, _ := n[key].(string)
		out = append(out, s)
	}
	return out
}

// hrefs returns the href of each element matching sel, made absolute
// against testBase.
func hrefs(doc *goquery.Document, sel string) []string {
	var out []string
	doc.Find(sel).Each(func(_ int, s *goquery.Selection) {
		h, _ := s.Attr("href")
		out = append(out, testBase+h)
	})
	return out
}

// numbers returns every number anywhere in the structured data.
func numbers(v any) []float64 {
	switch v := v.(type) {
	case float64:
		return []float64{v}
	case []any:
		var out []float64
		for _, x := range v {
			out = append(out, numbers(x)...)
		}
		return out
	case ld:
		var out []float64
		for _, x := range v {
			out = append(out, numbers(x)...)
		}
		return out
	}
	return nil
}

// rawStructuredData is the text of every JSON-LD block of a page.
func rawStructuredData(doc *goquery.Document) string {
	var b strings.Builder
	doc.Find(`script[type="application/ld+json"]`).Each(func(_ int, s *goquery.Selection) { b.WriteString(s.Text()) })
	return b.String()
}

func TestFilmStructuredDataMatchesThePage(t *testing.T) {
	s := mustSiteAt(t)
	doc, _ := s.mustPage(t, "/films/paris-2008", http.StatusOK)
	docs := structuredData(t, doc)
	m := mustOne(t, docs, "Movie")

	if got := text(doc, "h1"); got != m["name"].(string)+" (2008)" {
		t.Errorf("Movie name %q does not match the h1 %q", m["name"], got)
	}
	if m["url"] != testBase+"/films/paris-2008" || m["url"] != attr(doc, `link[rel=canonical]`, "href") {
		t.Errorf("Movie url = %v, canonical %q", m["url"], attr(doc, `link[rel=canonical]`, "href"))
	}
	if img, _ := m["image"].(string); !strings.HasPrefix(img, testBase+"/cards/films/paris-2008/") || img != attr(doc, `meta[property="og:image"]`, "content") {
		t.Errorf("Movie image = %q, og:image %q", img, attr(doc, `meta[property="og:image"]`, "content"))
	}
	if _, ok := m["alternateName"]; ok {
		t.Errorf("alternateName %v given though the original title is the title", m["alternateName"])
	}
	if m["description"] != text(doc, ".film-header .synopsis") {
		t.Errorf("description = %q", m["description"])
	}
	if first := attr(doc, "#details dl.record time", "datetime"); m["dateCreated"] != first || m["datePublished"] != first {
		t.Errorf("dateCreated %v, datePublished %v, want the first release %q", m["dateCreated"], m["datePublished"], first)
	}
	if m["duration"] != "PT130M" || !strings.Contains(text(doc, ".facts"), "130 min") {
		t.Errorf("duration = %v", m["duration"])
	}
	if m["inLanguage"] != attr(doc, "h1 [lang]", "lang") {
		t.Errorf("inLanguage = %v, the title's lang %q", m["inLanguage"], attr(doc, "h1 [lang]", "lang"))
	}
	var genres []string
	for _, g := range m["genre"].([]any) {
		genres = append(genres, g.(string))
	}
	if diff := cmp.Diff(texts(doc, ".facts a[href^='/films?genre']"), genres); diff != "" {
		t.Errorf("genre (-page +data):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"France"}, field(list(m["countryOfOrigin"]), "name")); diff != "" || list(m["countryOfOrigin"])[0]["@type"] != "Country" {
		t.Errorf("countryOfOrigin = %v", m["countryOfOrigin"])
	}

	// link is where each person's link is when it holds more than the
	// name (the cast grid's portraits).
	people := []struct{ key, sel, link string }{
		{"director", ".principal-credits div:nth-child(1) dd a", ""},
		{"author", ".principal-credits div:nth-child(2) dd a", ""},
		{"actor", "ul.cast-grid .name", "ul.cast-grid li > a"},
		{"producer", "dl.crew > div:has(dt:contains('Producer')) a", ""},
		{"musicBy", "dl.crew > div:has(dt:contains('Music')) a", ""},
	}
	for _, p := range people {
		nodes := list(m[p.key])
		if len(nodes) == 0 {
			t.Errorf("no %s", p.key)
		}
		if diff := cmp.Diff(texts(doc, p.sel), field(nodes, "name")); diff != "" {
			t.Errorf("%s names (-page +data):\n%s", p.key, diff)
		}
		link := p.sel
		if p.link != "" {
			link = p.link
		}
		if diff := cmp.Diff(hrefs(doc, link), field(nodes, "url")); diff != "" {
			t.Errorf("%s urls (-page +data):\n%s", p.key, diff)
		}
		for _, n := range nodes {
			if n["@type"] != "Person" {
				t.Errorf("%s %v is not a Person", p.key, n)
			}
		}
	}
	if got := field(list(m["director"]), "name"); !cmp.Equal(got, []string{"Cédric Klapisch"}) {
		t.Errorf("director = %v", got)
	}
	studios := texts(doc, "dl.record > div:has(dt:contains('Production compan')) li a")
	if diff := cmp.Diff(studios, field(list(m["productionCompany"]), "name")); diff != "" || len(studios) == 0 {
		t.Errorf("productionCompany (-page +data):\n%s", diff)
	}

	t.Run("the critic review", func(t *testing.T) {
		reviews := list(m["review"])
		if len(reviews) != 1 {
			t.Fatalf("%d reviews, want the 1 published", len(reviews))
		}
		r := reviews[0]
		if r["name"] != text(doc, "#critic-reviews .critic-review h3") {
			t.Errorf("review name %v, page %q", r["name"], text(doc, "#critic-reviews .critic-review h3"))
		}
		if r["url"] != testBase+"/reviews/paris-2008-review" {
			t.Errorf("review url = %v", r["url"])
		}
		rating := r["reviewRating"].(ld)
		label := attr(doc, "#critic-reviews .critic-review .stars", "aria-label")
		if want := fmt.Sprintf("%v out of %v stars", rating["ratingValue"], rating["bestRating"]); label != want || rating["worstRating"] != 0.0 {
			t.Errorf("reviewRating %v, the page says %q", rating, label)
		}
		if r["datePublished"] != attr(doc, "#critic-reviews .byline time", "datetime") {
			t.Errorf("datePublished = %v", r["datePublished"])
		}
		// "By Marquee staff, Marquee": the site's staff, published by the site.
		for _, key := range []string{"author", "publisher"} {
			if a := r[key].(ld); a["@type"] != "Organization" || a["name"] != "Marquee" {
				t.Errorf("%s = %v", key, a)
			}
		}
		if body, _ := r["reviewBody"].(string); !strings.HasPrefix(body, "French cinema has been fixated on its capital") {
			t.Errorf("reviewBody = %q", body)
		}
	})

	t.Run("no rating from elsewhere", func(t *testing.T) {
		// The page cites 66%, 68/100 and 6.8/10 from 5,339 votes...
		scores := text(doc, "ul.scores")
		for _, cited := range []string{"66%", "68/100", "6.8/10", "5,339"} {
			if !strings.Contains(scores, cited) {
				t.Fatalf("the page no longer cites %s: %q", cited, scores)
			}
		}
		// ...and none of them, nor their sample sizes, is data.
		for _, n := range numbers(ld{"docs": toAny(docs)}) {
			switch n {
			case 66, 68, 6.8, 5339, 71, 21, 6.5:
				t.Errorf("the structured data holds %v, a score published elsewhere", n)
			}
		}
		raw := rawStructuredData(doc)
		for _, source := range []string{"Rotten Tomatoes", "Metacritic", "Fan site"} {
			if strings.Contains(raw, source) {
				t.Errorf("the structured data names %s", source)
			}
		}
		// The one rating given here is the seeded reader review's 9.
		want := ld{"@type": "AggregateRating", "ratingValue": 9.0, "bestRating": 10.0, "worstRating": 1.0, "ratingCount": 1.0}
		if diff := cmp.Diff(want, m["aggregateRating"]); diff != "" {
			t.Errorf("aggregateRating is not the readers' own (-want +got):\n%s", diff)
		}
	})
}

func toAny(docs []ld) []any {
	out := make([]any, len(docs))
	for i, d := range docs {
		out[i] = d
	}
	return out
}

func TestAggregateRatingComesFromRatingsGivenHere(t *testing.T) {
	s := mustSiteAt(t)
	for i, v := range []string{"8", "7", "10"} {
		if resp := s.newBrowser(fmt.Sprintf("192.0.2.%d", i+1)).rate(t, v); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("rating = %d", resp.StatusCode)
		}
	}
	doc, _ := s.mustPage(t, "/films/paris-2008", http.StatusOK)
	agg, ok := mustOne(t, structuredData(t, doc), "Movie")["aggregateRating"].(ld)
	if !ok {
		t.Fatal("no aggregateRating after three ratings")
	}
	// With the seeded reader review's 9: 8, 7, 10 and 9.
	want := ld{"@type": "AggregateRating", "ratingValue": 8.5, "bestRating": 10.0, "worstRating": 1.0, "ratingCount": 4.0}
	if diff := cmp.Diff(want, agg); diff != "" {
		t.Errorf("aggregateRating (-want +got):\n%s", diff)
	}
	if strip := text(doc, ".film-header .readers-score"); !strings.Contains(strip, "8.5/10") || !strings.Contains(strip, "4 ratings") {
		t.Errorf("the page shows %q, not the aggregate's 8.5 from 4", strip)
	}
}

func TestCriticReviewStructuredData(t *testing.T) {
	s := mustSiteAt(t)
	doc, _ := s.mustPage(t, "/reviews/paris-2008-review", http.StatusOK)
	docs := structuredData(t, doc)
	r := mustOne(t, docs, "Review")
	if r["name"] != text(doc, "h1") {
		t.Errorf("Review name %v, h1 %q", r["name"], text(doc, "h1"))
	}
	if r["url"] != attr(doc, `link[rel=canonical]`, "href") || r["url"] != testBase+"/reviews/paris-2008-review" {
		t.Errorf("url = %v", r["url"])
	}
	item := r["itemReviewed"].(ld)
	if item["@type"] != "Movie" || item["name"] != text(doc, ".kicker a [lang]") || item["url"] != hrefs(doc, ".kicker a")[0] {
		t.Errorf("itemReviewed = %v", item)
	}
	if item["dateCreated"] != "2008" {
		t.Errorf("itemReviewed dateCreated = %v", item["dateCreated"])
	}
	if img, _ := item["image"].(string); !strings.HasPrefix(img, testBase+"/cards/") {
		t.Errorf("itemReviewed image = %v", item["image"])
	}
	if got := field(list(item["director"]), "name"); !strings.HasSuffix(text(doc, ".kicker"), "directed by "+strings.Join(got, ", ")) || len(got) != 1 {
		t.Errorf("directors %v, kicker %q", got, text(doc, ".kicker"))
	}
	rating := r["reviewRating"].(ld)
	if label := attr(doc, ".critic-review .stars", "aria-label"); label != fmt.Sprintf("%v out of %v stars", rating["ratingValue"], rating["bestRating"]) {
		t.Errorf("reviewRating %v, page %q", rating, label)
	}
	if r["datePublished"] != attr(doc, ".byline time", "datetime") {
		t.Errorf("datePublished = %v", r["datePublished"])
	}
	if r["author"].(ld)["name"] != "Marquee" || r["publisher"].(ld)["name"] != "Marquee" {
		t.Errorf("author %v, publisher %v", r["author"], r["publisher"])
	}
	if got := attr(doc, `meta[property="og:type"]`, "content"); got != "article" {
		t.Errorf("og:type = %q", got)
	}
	if got := attr(doc, `meta[property="article:published_time"]`, "content"); !strings.HasPrefix(got, r["datePublished"].(string)) {
		t.Errorf("article:published_time = %q", got)
	}
	if img := attr(doc, `meta[property="og:image"]`, "content"); !strings.HasPrefix(img, testBase+"/cards/reviews/paris-2008-review/") {
		t.Errorf("og:image = %q", img)
	}
	checkBreadcrumbs(t, doc, docs, []string{"Films", "Paris (2008)", text(doc, "h1")},
		[]string{"/films", "/films/paris-2008", "/reviews/paris-2008-review"})
}

// checkBreadcrumbs checks a page's visible trail and its BreadcrumbList
// against each other and against the names and paths wanted.
func checkBreadcrumbs(t *testing.T, doc *goquery.Document, docs []ld, names, paths []string) {
	t.Helper()
	nav := doc.Find(`nav[aria-label="Breadcrumb"]`)
	if nav.Length() != 1 {
		t.Fatalf("%d breadcrumb navs", nav.Length())
	}
	if diff := cmp.Diff(names, texts(doc, `nav[aria-label="Breadcrumb"] ol > li`)); diff != "" {
		t.Errorf("visible breadcrumbs (-want +got):\n%s", diff)
	}
	var abs []string
	for _, p := range paths {
		abs = append(abs, testBase+p)
	}
	if diff := cmp.Diff(abs, hrefs(doc, `nav[aria-label="Breadcrumb"] ol > li a`)); diff != "" {
		t.Errorf("breadcrumb links (-want +got):\n%s", diff)
	}
	current := nav.Find(`[aria-current="page"]`)
	if current.Length() != 1 || !current.Parent().Is("li:last-child") {
		t.Errorf("aria-current=page is not on the last step alone")
	}
	items := list(mustOne(t, docs, "BreadcrumbList")["itemListElement"])
	if diff := cmp.Diff(names, field(items, "name")); diff != "" {
		t.Errorf("BreadcrumbList names (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(abs, field(items, "item")); diff != "" {
		t.Errorf("BreadcrumbList items (-want +got):\n%s", diff)
	}
	for i, it := range items {
		if it["position"] != float64(i+1) || it["@type"] != "ListItem" {
			t.Errorf("breadcrumb %d = %v", i, it)
		}
	}
}

func TestBreadcrumbsOnNestedPages(t *testing.T) {
	s := mustSiteAt(t)
	for _, tc := range []struct {
		path         string
		names, paths []string
	}{
		{"/films/paris-2008", []string{"Films", "Paris (2008)"}, []string{"/films", "/films/paris-2008"}},
		{"/films/paris-2008/reviews?sort=helpful", []string{"Films", "Paris (2008)", "Reader reviews"},
			[]string{"/films", "/films/paris-2008", "/films/paris-2008/reviews"}},
		{"/years/2008", []string{"Films", "2008"}, []string{"/films", "/years/2008"}},
		{"/films?year=2008", []string{"Films", "2008"}, []string{"/films", "/years/2008"}},
		{"/years/2008?genre=Drama", []string{"Films", "2008", "Drama films of 2008"}, []string{"/films", "/years/2008", "/years/2008?genre=Drama"}},
		{"/films?genre=Drama&sort=year", []string{"Films", "Drama films"}, []string{"/films", "/films?genre=Drama"}},
		{"/companies/studiocanal", []string{"Films", "StudioCanal"}, []string{"/films", "/companies/studiocanal"}},
	} {
		t.Run(tc.path, func(t *testing.T) {
			doc, _ := s.mustPage(t, tc.path, http.StatusOK)
			checkBreadcrumbs(t, doc, structuredData(t, doc), tc.names, tc.paths)
		})
	}
	// The film's title in the trail is marked as French.
	doc, _ := s.mustPage(t, "/films/paris-2008/reviews", http.StatusOK)
	if lang := attr(doc, `nav[aria-label="Breadcrumb"] li:nth-child(2) [lang]`, "lang"); lang != "fr" {
		t.Errorf("the title in the trail has lang %q, want fr", lang)
	}
	// Pages at the top of the site have no trail.
	for _, path := range []string{"/", "/films", "/people/cedric-klapisch"} {
		doc, _ := s.mustPage(t, path, http.StatusOK)
		if doc.Find(`nav[aria-label="Breadcrumb"]`).Length() != 0 || len(nodesOfType(structuredData(t, doc), "BreadcrumbList")) != 0 {
			t.Errorf("%s has a breadcrumb trail", path)
		}
	}
}

func TestPersonStructuredData(t *testing.T) {
	s := mustSiteAt(t)
	doc, _ := s.mustPage(t, "/people/cedric-klapisch", http.StatusOK)
	docs := structuredData(t, doc)
	p := mustOne(t, docs, "Person")
	if p["name"] != text(doc, "h1") || p["url"] != attr(doc, `link[rel=canonical]`, "href") || p["url"] != testBase+"/people/cedric-klapisch" {
		t.Errorf("Person = %v", p)
	}
	desc := attr(doc, `meta[name=description]`, "content")
	if !strings.HasPrefix(desc, "Cédric Klapisch: director and writer of Paris (2008).") || p["description"] != desc {
		t.Errorf("description = %q", desc)
	}
	movies := nodesOfType(docs, "Movie")
	var filmLinks []string
	for _, h := range hrefs(doc, ".filmography a") {
		if !contains(filmLinks, h) {
			filmLinks = append(filmLinks, h)
		}
	}
	if diff := cmp.Diff(filmLinks, field(movies, "url")); diff != "" {
		t.Errorf("films (-page +data):\n%s", diff)
	}
	ref := []ld{{"@id": p["@id"]}}
	if m := movies[0]; m["name"] != "Paris" || !cmp.Equal(list(m["director"]), ref) || !cmp.Equal(list(m["author"]), ref) || m["actor"] != nil {
		t.Errorf("Paris in the credits = %v, want him as its director and writer", m)
	}
	if got := attr(doc, `meta[property="og:type"]`, "content"); got != "profile" {
		t.Errorf("og:type = %q", got)
	}

	doc, _ = s.mustPage(t, "/people/juliette-binoche", http.StatusOK)
	docs = structuredData(t, doc)
	p = mustOne(t, docs, "Person")
	if m := mustOne(t, docs, "Movie"); !cmp.Equal(list(m["actor"]), []ld{{"@id": p["@id"]}}) || m["director"] != nil {
		t.Errorf("Binoche's film = %v, want her in its cast", m)
	}
	if desc := attr(doc, `meta[name=description]`, "content"); !strings.HasPrefix(desc, "Juliette Binoche: actor in Paris (2008).") {
		t.Errorf("description = %q", desc)
	}

	doc, _ = s.mustPage(t, "/people/loik-dury", http.StatusOK)
	p = mustOne(t, structuredData(t, doc), "Person")
	if aka := p["alternateName"]; !cmp.Equal(aka, []any{"Loïc Dury"}) || !strings.HasSuffix(text(doc, ".aka"), "Loïc Dury") {
		t.Errorf("alternateName = %v, page %q", aka, text(doc, ".aka"))
	}
}

func TestFilmListsAreItemLists(t *testing.T) {
	s := mustSiteAt(t)
	s.mustAddFilms(t, 30)

	checkList := func(t *testing.T, docs []ld, name string, want []string) {
		t.Helper()
		for _, l := range nodesOfType(docs, "ItemList") {
			if l["name"] != name {
				continue
			}
			items := list(l["itemListElement"])
			if diff := cmp.Diff(want, field(items, "url")); diff != "" {
				t.Errorf("%s (-page +data):\n%s", name, diff)
			}
			for i, it := range items {
				if it["position"] != float64(i+1) || it["@type"] != "ListItem" {
					t.Errorf("%s item %d = %v", name, i, it)
				}
			}
			return
		}
		t.Errorf("no ItemList named %q", name)
	}

	doc, _ := s.mustPage(t, "/", http.StatusOK)
	docs := structuredData(t, doc)
	if site := mustOne(t, docs, "WebSite"); site["name"] != "Marquee" || site["url"] != testBase+"/" {
		t.Errorf("WebSite = %v", site)
	}
	checkList(t, docs, "Recently reviewed", hrefs(doc, "section:has(#recently-reviewed) ol h3 a"))
	checkList(t, docs, "Readers are rating now", hrefs(doc, "section:has(#trending) ol h3 a"))
	// No film has the ratings to be among the highest rated: no list.
	if text(doc, "section:has(#top-rated) .empty") == "" {
		t.Fatal("a film is among the highest rated")
	}
	for _, l := range nodesOfType(docs, "ItemList") {
		if l["name"] == "Highest rated" {
			t.Errorf("an ItemList of the highest rated, which the page does not list: %v", l)
		}
	}

	doc, _ = s.mustPage(t, "/films?sort=rating", http.StatusOK)
	links := hrefs(doc, ".results .film-row h3 a")
	if len(links) != 24 {
		t.Fatalf("%d films on the first page", len(links))
	}
	checkList(t, structuredData(t, doc), "Films", links)

	next, _ := doc.Find(`.pagination a[rel=next]`).Attr("href")
	doc, _ = s.mustPage(t, next, http.StatusOK)
	checkList(t, structuredData(t, doc), "Films", hrefs(doc, ".results .film-row h3 a"))

	doc, _ = s.mustPage(t, "/companies/studiocanal", http.StatusOK)
	var films []string // The page lists a film once per role.
	for _, h := range hrefs(doc, ".filmography a") {
		if !contains(films, h) {
			films = append(films, h)
		}
	}
	checkList(t, structuredData(t, doc), "Films of StudioCanal", films)
}

func TestShareTags(t *testing.T) {
	s := mustSiteAt(t)
	for _, tc := range []struct{ path, ogType, card, image string }{
		{"/films/paris-2008", "video.movie", "summary_large_image", "/cards/films/paris-2008/"},
		{"/reviews/paris-2008-review", "article", "summary_large_image", "/cards/reviews/paris-2008-review/"},
		{"/people/cedric-klapisch", "profile", "summary_large_image", "/cards/people/cedric-klapisch/"},
		{"/", "website", "summary", ""},
		{"/films", "website", "summary", ""},
	} {
		t.Run(tc.path, func(t *testing.T) {
			doc, _ := s.mustPage(t, tc.path, http.StatusOK)
			og := func(p string) string { return attr(doc, `meta[property="og:`+p+`"]`, "content") }
			if og("type") != tc.ogType || og("site_name") != "Marquee" || og("url") != attr(doc, `link[rel=canonical]`, "href") {
				t.Errorf("og:type %q, og:site_name %q, og:url %q", og("type"), og("site_name"), og("url"))
			}
			if title := doc.Find("title").Text(); og("title") == "" || !strings.HasPrefix(title, og("title")) {
				t.Errorf("og:title %q, title %q", og("title"), title)
			}
			if og("description") != attr(doc, `meta[name=description]`, "content") || og("description") == "" {
				t.Errorf("og:description %q", og("description"))
			}
			if got := attr(doc, `meta[name="twitter:card"]`, "content"); got != tc.card {
				t.Errorf("twitter:card = %q, want %q", got, tc.card)
			}
			if tc.image == "" {
				if og("image") != "" {
					t.Errorf("og:image %q on a page without a card", og("image"))
				}
				return
			}
			if !strings.HasPrefix(og("image"), testBase+tc.image) || !regexp.MustCompile(`/[0-9a-f]+\.png$`).MatchString(og("image")) {
				t.Errorf("og:image = %q", og("image"))
			}
			if og("image:width") != "1200" || og("image:height") != "630" || og("image:alt") == "" {
				t.Errorf("og:image size %sx%s, alt %q", og("image:width"), og("image:height"), og("image:alt"))
			}
			if attr(doc, `meta[name="twitter:image"]`, "content") != og("image") {
				t.Error("twitter:image differs from og:image")
			}
			// It names the very card the site draws, not an older one.
			resp := s.do(t, http.MethodGet, strings.TrimPrefix(og("image"), testBase), nil)
			if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "image/png" {
				t.Errorf("GET og:image = %d %q, want the PNG", resp.StatusCode, resp.Header.Get("Content-Type"))
			}
		})
	}
}

func TestDescriptionsComeFromTheContent(t *testing.T) {
	s := mustSiteAt(t)
	for path, want := range map[string]string{
		"/films/paris-2008":                     "A cabaret dancer with a failing heart",
		"/people/cedric-klapisch":               "Cédric Klapisch: director and writer of Paris (2008).",
		"/companies/studiocanal":                "StudioCanal: production company and distributor of Paris (2008).",
		"/years/2008":                           "Films of 2008 on Marquee: Paris (2008), with reader ratings and reviews.",
		"/films/paris-2008/reviews":             "1 reader review of Paris (2008), rated 9/10 on average from 1 rating on Marquee.",
		"/":                                     "Film reviews, reader ratings and the full record of 1 film on Marquee. Latest review: “A love letter to Paris that leans on better films”, on Paris (2008).",
		"/reviews/paris-2008-review":            "Juliette Binoche and a detour to Cameroon outshine the story at the film's centre.",
		"/films?genre=Drama&sort=rating":        "Drama films on Marquee: Paris (2008), with reader ratings and reviews.",
		"/people/juliette-binoche":              "Juliette Binoche: actor in Paris (2008).",
		"/films/paris-2008/reviews?sort=lowest": "1 reader review of Paris (2008), rated 9/10 on average from 1 rating on Marquee.",
	} {
		doc, _ := s.mustPage(t, path, http.StatusOK)
		if got := attr(doc, `meta[name=description]`, "content"); !strings.HasPrefix(got, want) {
			t.Errorf("description of %s = %q, want it to start %q", path, got, want)
		}
	}
}

func TestStructuredDataKeepsSpoilersOut(t *testing.T) {
	s := mustSiteAt(t)
	s.mustAddCriticReviews(t,
		film.CriticReview{Slug: "whole-plot", Headline: "Everything happens", Body: "Pierre gets the SECRETHEART in the end.",
			Spoilers: true, PullQuote: "A big heart in a small flat.", Rating: &film.Rating{Value: 7, Scale: 10}},
		film.CriticReview{Slug: "whole-plot-no-quote", Headline: "All of it", Body: "Roland and the SECRETLETTER.",
			Spoilers: true, Rating: &film.Rating{Value: 60, Scale: 100}},
		film.CriticReview{Slug: "inline-spoiler", Headline: "Mostly safe", Rating: &film.Rating{Value: 4, Scale: 4},
			Body: "The market scenes shine. ||Roland ends up with HIDDENTWIST.|| The score is lovely."},
		film.CriticReview{Slug: "unrated", Headline: "No stars", Body: "A walk through Paris."},
	)
	for _, path := range []string{"/films/paris-2008", "/reviews/whole-plot", "/reviews/whole-plot-no-quote", "/reviews/inline-spoiler"} {
		doc, _ := s.mustPage(t, path, http.StatusOK)
		raw := rawStructuredData(doc)
		for _, secret := range []string{"SECRETHEART", "SECRETLETTER", "HIDDENTWIST"} {
			if strings.Contains(raw, secret) {
				t.Errorf("%s: the structured data gives away %s", path, secret)
			}
		}
	}
	doc, _ := s.mustPage(t, "/films/paris-2008", http.StatusOK)
	byName := map[string]ld{}
	for _, r := range list(mustOne(t, structuredData(t, doc), "Movie")["review"]) {
		byName[r["name"].(string)] = r
	}
	if len(byName) != 4 || byName["No stars"] != nil {
		t.Errorf("reviews in the data: %v, want the four rated ones", byName)
	}
	if got := byName["Everything happens"]["reviewBody"]; got != "A big heart in a small flat." {
		t.Errorf("a spoiler review's body = %v, want its pull quote", got)
	}
	if got, ok := byName["All of it"]["reviewBody"]; ok {
		t.Errorf("a spoiler review without a pull quote has body %v", got)
	}
	if got := byName["Mostly safe"]["reviewBody"]; got != "The market scenes shine. The score is lovely." {
		t.Errorf("reviewBody = %q", got)
	}
	for name, scale := range map[string]float64{"Everything happens": 10, "All of it": 100, "Mostly safe": 4} {
		if r := byName[name]["reviewRating"].(ld); r["bestRating"] != scale || r["worstRating"] != 0.0 {
			t.Errorf("%s rated %v, want its own 0–%v scale", name, r, scale)
		}
	}
	doc, _ = s.mustPage(t, "/reviews/unrated", http.StatusOK)
	if n := len(nodesOfType(structuredData(t, doc), "Review")); n != 0 {
		t.Errorf("an unrated review's page has %d Review nodes", n)
	}
}

func TestStructuredDataCannotEndItsScript(t *testing.T) {
	s := mustSiteAt(t)
	headline := `Bad </script><script>alert(1)</script> & <!-- idea`
	s.mustAddCriticReviews(t, film.CriticReview{Slug: "escape", Headline: headline, Body: "Fine.", Rating: &film.Rating{Value: 3, Scale: 5}})
	doc, body := s.mustPage(t, "/reviews/escape", http.StatusOK)
	if n := strings.Count(body, "</script>"); n != doc.Find("script").Length() {
		t.Errorf("%d </script> tags for %d script elements: text ended a script", n, doc.Find("script").Length())
	}
	if strings.Contains(rawStructuredData(doc), "<") {
		t.Error("the structured data holds a raw <")
	}
	if r := mustOne(t, structuredData(t, doc), "Review"); r["name"] != headline {
		t.Errorf("name = %q, want the headline as written", r["name"])
	}
}
