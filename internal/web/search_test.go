package web_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"github.com/google/go-cmp/cmp"

	"marquee/internal/film"
)

// searchPath is the address of a search for q.
func searchPath(q string, extra ...string) string {
	return "/search?q=" + url.QueryEscape(q) + strings.Join(extra, "")
}

// hits lists each result as "Kind | title | link".
func hits(doc *goquery.Document) []string {
	var out []string
	doc.Find("ol.search-results > li").Each(func(_ int, li *goquery.Selection) {
		a := li.Find("h2 a")
		href, _ := a.Attr("href")
		out = append(out, strings.TrimSpace(li.Find(".search-kind").Text())+" | "+strings.Join(strings.Fields(a.Text()), " ")+" | "+href)
	})
	return out
}

func TestSearchFindsAPersonWithoutAccents(t *testing.T) {
	s := mustSite(t)
	doc, _ := s.mustPage(t, searchPath("cedric"), http.StatusOK)
	if got := text(doc, "h1"); got != "Search" {
		t.Errorf("h1 = %q", got)
	}
	got := hits(doc)
	if len(got) == 0 || got[0] != "Person | Cédric Klapisch | /people/cedric-klapisch" {
		t.Fatalf("hits = %q, want Cédric Klapisch first, as a person", got)
	}
	first := doc.Find("ol.search-results > li").First()
	if m := first.Find("h2 mark").Text(); m != "Cédric" {
		t.Errorf("marked in the title: %q, want Cédric", m)
	}
	if ctx := strings.Join(strings.Fields(first.Find(".search-context").Text()), " "); ctx != "Director, Paris (2008)" {
		t.Errorf("context = %q", ctx)
	}
	// The query stays in the search boxes.
	doc.Find(`input[name=q]`).Each(func(_ int, in *goquery.Selection) {
		if v, _ := in.Attr("value"); v != "cedric" {
			t.Errorf("search box %s holds %q, want cedric", in.AttrOr("id", ""), v)
		}
	})
	if got := text(doc, ".search-summary"); !strings.Contains(got, "for cedric") {
		t.Errorf("summary = %q", got)
	}
}

func TestSearchListsEachKindWithItsLink(t *testing.T) {
	s := mustSite(t)
	tests := []struct{ q, want string }{
		{"paris", "Film | Paris | /films/paris-2008"},
		{"elise", "Character | Élise | /films/paris-2008#cast"},
		{"sacre coeur", "Filming location | Basilique du Sacré-Coeur | /films/paris-2008#details"},
		{"love letter", "Critic review | A love letter to Paris that leans on better films | /reviews/paris-2008-review"},
		{"satie truffaut", "Reader review | Maybe the Finest movie about Paris since Paris vu Par | /films/paris-2008/reviews#reader-review-1"},
		{"loic", "Person | Loïk Dury | /people/loik-dury"},
	}
	for _, tt := range tests {
		doc, _ := s.mustPage(t, searchPath(tt.q), http.StatusOK)
		if got := hits(doc); len(got) == 0 || got[0] != tt.want {
			t.Errorf("search %q: hits = %q, want first %q", tt.q, got, tt.want)
		}
	}
	doc, _ := s.mustPage(t, searchPath("paris"), http.StatusOK)
	got := hits(doc)
	if len(got) < 3 || !strings.Contains(got[len(got)-1], "review | ") {
		t.Errorf("hits for paris = %q, want the film first and reviews last", got)
	}
	if lang, _ := doc.Find("ol.search-results > li h2 [lang]").First().Attr("lang"); lang != "fr" {
		t.Errorf("film title lang = %q, want fr", lang)
	}
	// Snippets quote the review around the match.
	doc, _ = s.mustPage(t, searchPath("truffaut"), http.StatusOK)
	if got := text(doc, ".search-snippet"); !strings.Contains(got, "Satie piece Truffaut used") || !strings.HasPrefix(got, "…") {
		t.Errorf("snippet = %q", got)
	}
	if m := text(doc, ".search-snippet mark"); m != "Truffaut" {
		t.Errorf("marked in the snippet: %q", m)
	}
}

func TestSearchMarksMatchesSafely(t *testing.T) {
	s := mustSite(t)
	_, body := s.mustPage(t, searchPath("paris klapisch"), http.StatusOK)
	if !strings.Contains(body, "<mark>") {
		t.Error("no <mark> in the results")
	}
	for _, r := range body {
		if (r >= 0xE000 && r <= 0xF8FF) || (unicode.IsControl(r) && r != '\n' && r != '\t' && r != '\r') {
			t.Fatalf("results page holds marker or control character %U", r)
		}
	}
	// Text from the query is shown as text.
	doc, body := s.mustPage(t, searchPath(`<script>alert(1)</script> "><mark>x`), http.StatusOK)
	if strings.Contains(body, "<script>alert") || strings.Contains(body, `"><mark>x`) {
		t.Error("the query was written into the page unescaped")
	}
	if got := text(doc, ".search-none q"); got != `<script>alert(1)</script> "><mark>x` {
		t.Errorf("query echoed as %q", got)
	}
}

func TestSearchAnswersAnyQuery(t *testing.T) {
	s := mustSite(t)
	queries := []string{
		`"`, `paris"`, `"paris`, `NEAR(`, `NEAR(paris klapisch, 2)`, `*`, `-`, `^`, `AND OR NOT`, `title:x`, `(((`,
		`{name}: paris`, `paris*`, `'; DROP TABLE films; --`, "\xff\xfe", "pa\xffris", "🎬", "🎬 paris", "?!.,;:", "\uE000x\uE001",
		"%", "a\x00b", strings.Repeat("a", 10000), strings.Repeat("paris ", 2000), strings.Repeat(`"`, 3000),
	}
	for _, q := range queries {
		doc, _ := s.mustPage(t, searchPath(q), http.StatusOK)
		if doc.Find("h1").Text() != "Search" {
			t.Errorf("search %.30q: no search page", q)
		}
	}
	// A long query is trimmed to the limit, not refused.
	doc, _ := s.mustPage(t, searchPath(strings.Repeat("é", 10000)), http.StatusOK)
	v, _ := doc.Find("#search-q").Attr("value")
	if n := utf8.RuneCountInString(v); n != film.MaxSearchRunes {
		t.Errorf("a 10,000-character query is kept as %d characters, want %d", n, film.MaxSearchRunes)
	}
	if got := text(doc, ".search-none"); !strings.Contains(got, "No results for") || !strings.Contains(got, "Check the spelling") {
		t.Errorf("no-results text = %q", got)
	}
	// Only punctuation: nothing to search for, and the page says so.
	doc, _ = s.mustPage(t, searchPath("?!*"), http.StatusOK)
	if got := text(doc, ".search-none"); !strings.Contains(got, "at least one word") {
		t.Errorf("punctuation-only text = %q", got)
	}
	if len(s.logs.String()) > 0 && strings.Contains(s.logs.String(), "level=ERROR") {
		t.Errorf("errors logged:\n%s", s.logs)
	}
}

func TestSearchWithoutAQueryInvitesOne(t *testing.T) {
	s := mustSite(t)
	for _, path := range []string{"/search", "/search?q=", "/search?q=+%09+"} {
		doc, _ := s.mustPage(t, path, http.StatusOK)
		if doc.Find("ol.search-results, .search-none").Length() != 0 || doc.Find(".search-hint").Length() != 1 {
			t.Errorf("%s: want the invitation to search and no results", path)
		}
	}
}

func TestSearchPages(t *testing.T) {
	s := mustSite(t)
	ctx := context.Background()
	for i := range 25 {
		_, err := s.db.CreateReaderReview(ctx, film.ReaderReview{
			FilmSlug: "paris-2008", DisplayName: "Reader", Title: "Zeppelin thoughts", Rating: 7,
			Body: "A zeppelin of a film.", Status: film.ModerationApproved, CreatedAt: testNow.AddDate(0, 0, -i-2),
		}, 0)
		if err != nil {
			t.Fatal(err)
		}
	}
	doc, _ := s.mustPage(t, searchPath("zeppelin"), http.StatusOK)
	first := doc
	if n := len(hits(doc)); n != 20 {
		t.Errorf("page 1 has %d hits, want 20", n)
	}
	if got := text(doc, ".search-summary"); !strings.HasPrefix(got, "25 results") {
		t.Errorf("summary = %q", got)
	}
	next, _ := doc.Find(`.pagination a[rel=next]`).Attr("href")
	if next != "/search?q=zeppelin&page=2" {
		t.Errorf("next page link = %q", next)
	}
	doc, _ = s.mustPage(t, next, http.StatusOK)
	got := hits(doc)
	if len(got) != 5 {
		t.Errorf("page 2 has %d hits, want 5", len(got))
	}
	if start, _ := doc.Find("ol.search-results").Attr("start"); start != "21" {
		t.Errorf("page 2 list starts at %q", start)
	}
	// The oldest reviews are on the second page of the film's list, and
	// their links say so.
	onPage2 := 0
	for _, p := range [][]string{hits(first), got} {
		for _, h := range p {
			if strings.Contains(h, "/films/paris-2008/reviews?page=2#reader-review-") {
				onPage2++
			}
		}
	}
	if onPage2 != 6 {
		t.Errorf("%d hits link to the second page of the film's reviews, want 6 (of its 26)", onPage2)
	}
	// Past the last page: still a search page, with a way back.
	doc, _ = s.mustPage(t, searchPath("zeppelin", "&page=9"), http.StatusOK)
	if doc.Find(`.search-none a[href="/search?q=zeppelin"]`).Length() != 1 {
		t.Error("a page past the end has no link back to the first")
	}
	for _, page := range []string{"0", "-1", "abc", "1.5", "", "51", "99999999999999999999999"} {
		if page == "" {
			continue
		}
		resp := s.do(t, http.MethodGet, searchPath("zeppelin", "&page="+url.QueryEscape(page)), nil)
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("page=%s: status %d, want 400", page, resp.StatusCode)
		}
	}
}

func TestSearchNeverQuotesSpoilers(t *testing.T) {
	s := mustSite(t)
	ctx := context.Background()
	reviews := []film.ReaderReview{
		{Title: "Loved the rooftops", Body: "Loved it. ||Pierre's zanzibar transplant succeeds.|| Great rooftops.", Spoilers: false},
		{Title: "Rooftops and a twist", Body: "::: spoiler\nThe rooftops hide the quagga affair.\n:::\n\nStill worth it.", Spoilers: false},
		{Title: "Rooftops spoiled", Body: "Rooftops everywhere, and Élise weds the okapi farmer.", Spoilers: true},
	}
	for i, r := range reviews {
		r.FilmSlug, r.DisplayName, r.Rating, r.Status, r.CreatedAt = "paris-2008", "Reader", 6, film.ModerationApproved, testNow.AddDate(0, 0, -i-2)
		if _, err := s.db.CreateReaderReview(ctx, r, 0); err != nil {
			t.Fatal(err)
		}
	}
	doc, _ := s.mustPage(t, searchPath("rooftops"), http.StatusOK)
	if n := len(hits(doc)); n != 3 {
		t.Errorf("rooftops finds %d reviews, want 3", n)
	}
	page := text(doc, "main")
	for _, spoiler := range []string{"zanzibar", "succeeds", "quagga", "affair", "weds", "okapi"} {
		if strings.Contains(page, spoiler) {
			t.Errorf("results page quotes the spoiler word %q:\n%s", spoiler, page)
		}
	}
	if got := text(doc, ".search-spoilers"); !strings.Contains(got, "Contains spoilers") {
		t.Errorf("the flagged review is not marked as such: %q", got)
	}
	for _, q := range []string{"zanzibar", "quagga", "okapi"} {
		doc, _ := s.mustPage(t, searchPath(q), http.StatusOK)
		if got := hits(doc); len(got) != 0 {
			t.Errorf("spoiler word %q finds %q", q, got)
		}
	}
}

func TestSearchSuggestions(t *testing.T) {
	s := mustSite(t)
	get := func(q string) ([]map[string]string, *http.Response) {
		t.Helper()
		resp := s.do(t, http.MethodGet, "/search/suggest?q="+url.QueryEscape(q), nil)
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("suggest %q: status %d\n%s", q, resp.StatusCode, body)
		}
		var out []map[string]string
		if err := json.Unmarshal(body, &out); err != nil {
			t.Fatalf("suggest %q: %v\n%s", q, err, body)
		}
		if out == nil {
			t.Errorf("suggest %q: %s, want a JSON array", q, body)
		}
		return out, resp
	}
	got, resp := get("kla")
	want := []map[string]string{{"kind": "person", "label": "Cédric Klapisch", "url": "/people/cedric-klapisch"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("suggest kla (-want +got):\n%s", diff)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("Content-Type = %q", ct)
	}
	if cc := resp.Header.Get("Cache-Control"); cc != "public, max-age=60" {
		t.Errorf("Cache-Control = %q", cc)
	}
	got, _ = get("Par")
	if len(got) == 0 || got[0]["label"] != "Paris (2008)" || got[0]["url"] != "/films/paris-2008" || got[0]["kind"] != "film" {
		t.Errorf("suggest Par = %v, want Paris (2008) first", got)
	}
	for _, q := range []string{"", `"`, "NEAR(", strings.Repeat("a", 10000), "\xff", "elise"} {
		if got, _ := get(q); len(got) != 0 {
			t.Errorf("suggest %.20q = %v, want []", q, got)
		}
	}
}

// TestSnippetMarking checks the marking results rely on (it lives in
// internal/film, which has no I/O and no test file of this area's own).
func TestSnippetMarking(t *testing.T) {
	terms := film.ParseSearch(`klap "sacre coeur" cœur`)
	marked := func(segs []film.TextSegment) string {
		var b strings.Builder
		for _, s := range segs {
			if s.Match {
				b.WriteString("[" + s.Text + "]")
			} else {
				b.WriteString(s.Text)
			}
		}
		return b.String()
	}
	tests := []struct{ text, want string }{
		{"Cédric Klapisch", "Cédric [Klapisch]"},
		{"Basilique du Sacré-Coeur", "Basilique du [Sacré]-[Coeur]"},
		{"Cœur fidèle; KLAP!", "[Cœur] fidèle; [KLAP]!"},
		{"Unklap sacrement", "Unklap sacrement"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := marked(film.Highlight(tt.text, terms)); got != tt.want {
			t.Errorf("Highlight(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
	long := strings.Repeat("word ", 100) + "Klapisch directs. " + strings.Repeat("more ", 100)
	got := marked(film.SearchSnippet(long, terms, 80))
	if !strings.HasPrefix(got, "…") || !strings.HasSuffix(got, "…") || !strings.Contains(got, "[Klapisch] directs.") ||
		utf8.RuneCountInString(got)-2 > 80 {
		t.Errorf("SearchSnippet = %q", got)
	}
	if got := marked(film.SearchSnippet(strings.Repeat("nothing ", 50), terms, 40)); !strings.HasPrefix(got, "nothing") || !strings.HasSuffix(got, "…") {
		t.Errorf("SearchSnippet without a match = %q", got)
	}
}

func TestSearchFindsSoundtrackTracks(t *testing.T) {
	s := mustSite(t)
	for _, tt := range []struct{ q, title, marked string }{
		{"gnossienne", "Gnossienne N°1 — Erik Satie", "Gnossienne"},
		{"wax tailor", "Seize the Day — Wax Tailor (featuring Charlotte Savary)", "Wax Tailor"},
	} {
		doc, _ := s.mustPage(t, searchPath(tt.q), http.StatusOK)
		got := hits(doc)
		want := "Soundtrack | " + tt.title + " | /films/paris-2008#soundtrack"
		if !contains(got, want) {
			t.Errorf("search %q: hits = %q, want %q", tt.q, got, want)
			continue
		}
		li := doc.Find("ol.search-results > li.search-soundtrack").First()
		if m := strings.Join(texts(doc, "ol.search-results > li.search-soundtrack h2 mark"), " "); m != tt.marked {
			t.Errorf("search %q: marked %q, want %q", tt.q, m, tt.marked)
		}
		if ctx := strings.Join(strings.Fields(li.Find(".search-context").Text()), " "); ctx != "On the soundtrack of Paris (2008)" {
			t.Errorf("search %q: context = %q", tt.q, ctx)
		}
	}
}
