package web_test

import (
	"context"
	"encoding/xml"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"marquee/internal/catalog"
	"marquee/internal/catalog/generator"
	"marquee/internal/film"
	"marquee/internal/paths"
	"marquee/internal/sqlite"
	"marquee/internal/web"
	"marquee/migrations"
	"marquee/seeds"
	"marquee/static"
)

// crawlBase is the public address the crawling tests give the site.
const crawlBase = "https://marquee.example"

// mustCrawlSite builds the seeded site at crawlBase.
func mustCrawlSite(tb testing.TB) *site {
	tb.Helper()
	base, err := web.ParseBaseURL(crawlBase)
	if err != nil {
		tb.Fatal(err)
	}
	return mustSiteWith(tb, web.Config{BaseURL: base})
}

// mustGet GETs path with the header, checks the status and the media
// type, and returns the response and its body.
func (s *site) mustGet(tb testing.TB, path string, header http.Header, wantStatus int, wantType string) (*http.Response, []byte) {
	tb.Helper()
	resp := s.do(tb, http.MethodGet, path, header)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatal(err)
	}
	if resp.StatusCode != wantStatus {
		tb.Fatalf("GET %s = %d, want %d\n%s", path, resp.StatusCode, wantStatus, body)
	}
	if got := resp.Header.Get("Content-Type"); wantType != "" && got != wantType {
		tb.Errorf("GET %s: Content-Type %q, want %q", path, got, wantType)
	}
	return resp, body
}

// The documents the tests parse, as encoding/xml reads them.
type (
	testURLSet struct {
		XMLName xml.Name
		URLs    []testSitemapURL `xml:"url"`
	}
	testSitemapIndex struct {
		XMLName  xml.Name
		Sitemaps []testSitemapURL `xml:"sitemap"`
	}
	testSitemapURL struct {
		Loc     string `xml:"loc"`
		LastMod string `xml:"lastmod"`
	}
	testFeed struct {
		XMLName xml.Name
		ID      string       `xml:"id"`
		Title   string       `xml:"title"`
		Updated string       `xml:"updated"`
		Links   []testLink   `xml:"link"`
		Entries []testEntry  `xml:"entry"`
		Authors []testPerson `xml:"author"`
	}
	testEntry struct {
		XMLName   xml.Name
		ID        string       `xml:"id"`
		Title     string       `xml:"title"`
		Updated   string       `xml:"updated"`
		Published string       `xml:"published"`
		Links     []testLink   `xml:"link"`
		Authors   []testPerson `xml:"author"`
		Summary   string       `xml:"summary"`
		Content   string       `xml:"content"`
	}
	testLink struct {
		Rel  string `xml:"rel,attr"`
		Type string `xml:"type,attr"`
		Href string `xml:"href,attr"`
	}
	testPerson struct {
		Name string `xml:"name"`
	}
)

const (
	sitemapNS = "http://www.sitemaps.org/schemas/sitemap/0.9"
	atomNS    = "http://www.w3.org/2005/Atom"
	atomType  = "application/atom+xml; charset=utf-8"
	xmlType   = "application/xml; charset=utf-8"
)

// mustURLSet GETs a sitemap and parses it, checking that it is one.
func (s *site) mustURLSet(tb testing.TB, path string) (testURLSet, *http.Response) {
	tb.Helper()
	resp, body := s.mustGet(tb, path, nil, http.StatusOK, xmlType)
	var set testURLSet
	if err := xml.Unmarshal(body, &set); err != nil {
		tb.Fatalf("GET %s: %v\n%s", path, err, body)
	}
	if set.XMLName != (xml.Name{Space: sitemapNS, Local: "urlset"}) {
		tb.Fatalf("GET %s: root element %v, want a sitemap urlset", path, set.XMLName)
	}
	return set, resp
}

// mustFeed GETs an Atom feed and parses it, checking the elements RFC
// 4287 requires of a feed and of each entry.
func (s *site) mustFeed(tb testing.TB, path string) (testFeed, *http.Response, string) {
	tb.Helper()
	resp, body := s.mustGet(tb, path, nil, http.StatusOK, atomType)
	var feed testFeed
	if err := xml.Unmarshal(body, &feed); err != nil {
		tb.Fatalf("GET %s: %v\n%s", path, err, body)
	}
	if feed.XMLName != (xml.Name{Space: atomNS, Local: "feed"}) {
		tb.Fatalf("GET %s: root element %v, want an Atom feed", path, feed.XMLName)
	}
	if feed.ID == "" || feed.Title == "" || mustRFC3339(tb, feed.Updated).IsZero() {
		tb.Errorf("GET %s: feed id %q, title %q, updated %q", path, feed.ID, feed.Title, feed.Updated)
	}
	if self := linkHref(feed.Links, "self"); self != crawlBase+path {
		tb.Errorf("GET %s: the feed's self link is %q", path, self)
	}
	ids := map[string]bool{}
	for _, e := range feed.Entries {
		if e.XMLName.Space != atomNS || e.ID == "" || e.Title == "" || e.Updated == "" || len(e.Authors) == 0 || e.Authors[0].Name == "" {
			tb.Errorf("GET %s: entry lacks what Atom requires: %+v", path, e)
		}
		if ids[e.ID] {
			tb.Errorf("GET %s: two entries have the id %s", path, e.ID)
		}
		ids[e.ID] = true
		if !strings.HasPrefix(e.ID, "tag:marquee.example,") {
			tb.Errorf("GET %s: entry id %q is not a tag: URI of the site", path, e.ID)
		}
		if href := linkHref(e.Links, "alternate"); !strings.HasPrefix(href, crawlBase+"/") {
			tb.Errorf("GET %s: entry %q links to %q, not a page of the site", path, e.Title, href)
		}
		if e.Summary == "" && e.Content == "" {
			tb.Errorf("GET %s: entry %q has neither summary nor content", path, e.Title)
		}
	}
	return feed, resp, string(body)
}

func linkHref(links []testLink, rel string) string {
	for _, l := range links {
		if l.Rel == rel {
			return l.Href
		}
	}
	return ""
}

func mustRFC3339(tb testing.TB, s string) time.Time {
	tb.Helper()
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		tb.Errorf("time %q is not RFC 3339: %v", s, err)
	}
	return t
}

// robotsRule is one Allow or Disallow line of robots.txt.
type robotsRule struct {
	allow   bool
	pattern *regexp.Regexp
	length  int
}

// robotsAllows says whether rules let a crawler fetch path, as RFC 9309
// decides: the longest matching rule wins, and Allow wins a tie.
func robotsAllows(rules []robotsRule, path string) bool {
	allowed, longest := true, -1
	for _, r := range rules {
		if r.pattern.MatchString(path) && (r.length > longest || (r.length == longest && r.allow)) {
			allowed, longest = r.allow, r.length
		}
	}
	return allowed
}

func TestRobotsTxt(t *testing.T) {
	s := mustCrawlSite(t)
	_, body := s.mustGet(t, paths.Robots(), nil, http.StatusOK, "text/plain; charset=utf-8")
	var (
		rules    []robotsRule
		sitemaps []string
		agents   []string
	)
	for _, line := range strings.Split(string(body), "\n") {
		field, value, _ := strings.Cut(line, ":")
		value = strings.TrimSpace(value)
		switch strings.ToLower(field) {
		case "user-agent":
			agents = append(agents, value)
		case "allow", "disallow":
			// RFC 9309: * matches any run of characters, and a rule
			// matches a path that starts with it.
			re := regexp.MustCompile("^" + strings.ReplaceAll(regexp.QuoteMeta(value), `\*`, ".*"))
			rules = append(rules, robotsRule{allow: strings.EqualFold(field, "allow"), pattern: re, length: len(value)})
		case "sitemap":
			sitemaps = append(sitemaps, value)
		case "":
		default:
			t.Errorf("robots.txt: unknown line %q", line)
		}
	}
	if !slices.Equal(agents, []string{"*"}) {
		t.Errorf("robots.txt speaks to %q, want every crawler", agents)
	}
	if !slices.Equal(sitemaps, []string{crawlBase + paths.Sitemap()}) {
		t.Errorf("robots.txt names the sitemaps %q, want %s", sitemaps, crawlBase+paths.Sitemap())
	}
	for _, path := range []string{
		paths.AdminDashboard(), paths.AdminSignIn(), paths.AdminReviews(nil), paths.AdminFilmEdit("paris-2008"),
		paths.FilmRating("paris-2008"), paths.FilmReviewForm("paris-2008"), paths.FilmReviewSubmitted("paris-2008"),
		paths.ReaderReviewHelpful(1), paths.SearchSuggest("par"),
	} {
		if robotsAllows(rules, path) {
			t.Errorf("robots.txt lets crawlers fetch %s", path)
		}
	}
	for _, path := range []string{
		paths.Home(), paths.Films(nil), paths.Films(url.Values{"sort": {"year"}}), paths.Film("paris-2008"),
		paths.FilmReviews("paris-2008"), paths.Person("cedric-klapisch"), paths.Company("ifc-films"), paths.Year(2008),
		paths.CriticReview("paris-2008-review"), paths.Search("paris", 1), paths.Sitemap(), paths.SitemapPart(2),
		paths.Feed(), paths.FilmFeed("paris-2008"),
		// A film whose slug looks like a desk address is still a film.
		paths.Film("admin"), paths.FilmReviews("rating"),
	} {
		if !robotsAllows(rules, path) {
			t.Errorf("robots.txt keeps crawlers from %s", path)
		}
	}
}

// sitemapPath checks that loc is an absolute URL of the site and returns
// its path.
func sitemapPath(tb testing.TB, loc string) string {
	tb.Helper()
	path, ok := strings.CutPrefix(loc, crawlBase)
	if !ok || !strings.HasPrefix(path, "/") {
		tb.Errorf("sitemap URL %q is not an absolute URL of %s", loc, crawlBase)
	}
	return path
}

func TestSitemapListsEveryPublicPage(t *testing.T) {
	s := mustCrawlSite(t)
	ctx := context.Background()
	doc, err := catalog.DecodeFS(seeds.FS)
	if err != nil {
		t.Fatal(err)
	}
	paris, version, err := s.db.FindFilmForEdit(ctx, "paris-2008")
	if err != nil {
		t.Fatal(err)
	}
	filmUpdated, err := time.Parse(time.RFC3339, version)
	if err != nil {
		t.Fatal(err)
	}

	// Everything below happens after the seeds were loaded (by the
	// clock), at times the test sets: a critic review published, a
	// draft and a review scheduled for later.
	published := time.Now().UTC().Truncate(time.Second).Add(time.Hour)
	s.clock.Advance(published.Add(time.Hour).Sub(s.clock.Now()))
	ed := s.mustAccount(t, "ed@example.com", film.RoleEditor)
	for _, r := range []film.CriticReview{
		{Slug: "second-look", Status: film.ReviewPublished, PublishedAt: published},
		{Slug: "not-yet", Status: film.ReviewScheduled, PublishedAt: published.Add(24 * time.Hour)},
		{Slug: "draft", Status: film.ReviewDraft},
	} {
		r.FilmSlug, r.Headline, r.Author, r.Body = "paris-2008", "A second look", "Ed", "Still worth the trip."
		if _, err := s.db.CreateCriticReview(ctx, r, ed, published.Add(-time.Hour)); err != nil {
			t.Fatal(err)
		}
	}

	set, resp := s.mustURLSet(t, paths.Sitemap())
	lastmods := map[string]time.Time{}
	var newest time.Time
	for _, u := range set.URLs {
		path := sitemapPath(t, u.Loc)
		if _, dup := lastmods[path]; dup {
			t.Errorf("the sitemap lists %s twice", path)
		}
		lastmods[path] = mustRFC3339(t, u.LastMod)
		if lastmods[path].After(newest) {
			newest = lastmods[path]
		}
		if strings.HasPrefix(path, paths.AdminPattern) {
			t.Errorf("the sitemap lists the desk's %s", path)
		}
		// Every page it lists is there.
		if r := s.do(t, http.MethodGet, path, nil); r.StatusCode != http.StatusOK {
			t.Errorf("the sitemap lists %s, which answers %d", path, r.StatusCode)
		}
	}
	want := []string{paths.Home(), paths.Films(nil), paths.Film("paris-2008"), paths.FilmReviews("paris-2008"),
		paths.Year(2008), paths.CriticReview("paris-2008-review"), paths.CriticReview("second-look")}
	for _, p := range doc.Catalog.People {
		want = append(want, paths.Person(p.Slug))
	}
	for _, c := range paris.Companies {
		if !slices.Contains(want, paths.Company(c.Slug)) {
			want = append(want, paths.Company(c.Slug))
		}
	}
	got := slices.Sorted(func(yield func(string) bool) {
		for p := range lastmods {
			if !yield(p) {
				return
			}
		}
	})
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("the sitemap lists\n%q\nwant every public page\n%q", got, want)
	}

	// Each page's lastmod is when what it shows last changed: the new
	// review changed its film and the people credited on it; the film's
	// record dates its year and companies, and the seeded reader review
	// (whose writing predates the film's loading) its reviews.
	for path, want := range map[string]time.Time{
		paths.CriticReview("second-look"):       published,
		paths.Film("paris-2008"):                published,
		paths.Person("cedric-klapisch"):         published,
		paths.Home():                            published,
		paths.Films(nil):                        published,
		paths.Year(2008):                        filmUpdated,
		paths.Company(paris.Companies[0].Slug):  filmUpdated,
		paths.FilmReviews("paris-2008"):         filmUpdated,
		paths.CriticReview("paris-2008-review"): filmUpdated,
	} {
		if !lastmods[path].Equal(want) {
			t.Errorf("%s: lastmod %v, want %v", path, lastmods[path], want)
		}
	}
	if lm, err := http.ParseTime(resp.Header.Get("Last-Modified")); err != nil || !lm.Equal(newest) {
		t.Errorf("Last-Modified %q, want the newest lastmod %v", resp.Header.Get("Last-Modified"), newest)
	}

	// The scheduled review is listed from its time.
	s.clock.Advance(24 * time.Hour)
	set, _ = s.mustURLSet(t, paths.Sitemap())
	if !slices.ContainsFunc(set.URLs, func(u testSitemapURL) bool { return u.Loc == crawlBase+paths.CriticReview("not-yet") }) {
		t.Error("a scheduled review is not in the sitemap at its time")
	}
	// Past the limit there are parts; below it, none.
	s.mustGet(t, paths.SitemapPart(1), nil, http.StatusNotFound, "")
}

func TestFeeds(t *testing.T) {
	s := mustCrawlSite(t)
	ctx := context.Background()
	ed := s.mustAccount(t, "ed@example.com", film.RoleEditor)
	now := s.clock.Now()
	for _, r := range []film.CriticReview{
		{Slug: "twist", Headline: "Mind the twist", PublishedAt: now.Add(-time.Hour), Status: film.ReviewPublished,
			Body: "A city of strangers. ||Pierre dies at the end.|| Go anyway.\n\n::: spoiler\nÉlise falls for Jean.\n:::\n\nSee it."},
		{Slug: "all-spoilers", Headline: "The whole story", PublishedAt: now.Add(-2 * time.Hour), Status: film.ReviewPublished,
			Spoilers: true, PullQuote: "Paris holds everyone.", Body: "Everything happens: the baker sells the shop."},
		{Slug: "all-spoilers-unquoted", Headline: "Every turn", PublishedAt: now.Add(-3 * time.Hour), Status: film.ReviewPublished,
			Spoilers: true, Body: "Roland ends up on television."},
		{Slug: "tomorrow", Headline: "Tomorrow's review", PublishedAt: now.Add(time.Hour), Status: film.ReviewScheduled, Body: "Soon."},
		{Slug: "draft", Headline: "A draft", Status: film.ReviewDraft, Body: "Not yet."},
	} {
		r.FilmSlug, r.Author, r.AuthorSlug = "paris-2008", "Cédric Klapisch", "cedric-klapisch"
		if _, err := s.db.CreateCriticReview(ctx, r, ed, now.Add(-4*time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	reader, err := s.db.CreateReaderReview(ctx, film.ReaderReview{FilmSlug: "paris-2008", DisplayName: "Maud", Title: "Lingers",
		Rating: 8, Body: "It lingers. ||The heart gives out.||", Status: film.ModerationPending, CreatedAt: now.Add(-time.Hour)}, 0)
	if err != nil {
		t.Fatal(err)
	}
	approved := now.Add(-30 * time.Minute)
	if _, err := s.db.ModerateReaderReviews(ctx, []int64{reader}, film.ModerationApproved, ed.ID, approved); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.CreateReaderReview(ctx, film.ReaderReview{FilmSlug: "paris-2008", DisplayName: "Spam", Title: "Buy",
		Rating: 1, Body: "Pending forever.", Status: film.ModerationPending, CreatedAt: now}, 0); err != nil {
		t.Fatal(err)
	}

	site, _, siteBody := s.mustFeed(t, paths.Feed())
	filmFeed, filmResp, filmBody := s.mustFeed(t, paths.FilmFeed("paris-2008"))
	titles := func(f testFeed) []string {
		var out []string
		for _, e := range f.Entries {
			out = append(out, e.Title)
		}
		return out
	}
	wantSite := []string{"Paris (2008): Mind the twist", "Paris (2008): The whole story", "Paris (2008): Every turn", "Paris (2008): A love letter to Paris that leans on better films"}
	if got := titles(site); !slices.Equal(got, wantSite) {
		t.Errorf("site feed entries %q, want %q", got, wantSite)
	}
	wantFilm := []string{"Lingers", "Mind the twist", "The whole story", "Every turn",
		"A love letter to Paris that leans on better films", "Maybe the Finest movie about Paris since Paris vu Par"}
	if got := titles(filmFeed); !slices.Equal(got, wantFilm) {
		t.Errorf("film feed entries %q, want %q", got, wantFilm)
	}
	for name, body := range map[string]string{"site feed": siteBody, "film feed": filmBody} {
		for _, secret := range []string{"Pierre dies", "Élise falls", "the baker sells", "Roland ends up", "heart gives out", "Tomorrow", "A draft", "Pending forever"} {
			if strings.Contains(body, secret) {
				t.Errorf("the %s gives away %q", name, secret)
			}
		}
	}
	summaries := map[string]string{}
	for _, e := range filmFeed.Entries {
		summaries[e.Title] = e.Summary
	}
	if want := "A city of strangers. Go anyway. See it."; summaries["Mind the twist"] != want {
		t.Errorf("summary of a review with spoilers = %q, want %q", summaries["Mind the twist"], want)
	}
	if summaries["The whole story"] != "Paris holds everyone." || !strings.Contains(summaries["Every turn"], "discusses the plot") {
		t.Errorf("summaries of spoilers throughout = %q and %q, want the pull quote and a note", summaries["The whole story"], summaries["Every turn"])
	}

	// Entries are dated by their own times, the feed by its newest entry,
	// and Last-Modified says the same.
	first := filmFeed.Entries[0]
	if got := mustRFC3339(t, first.Updated); !got.Equal(approved) {
		t.Errorf("the reader review's entry is updated %v, want its approval %v", got, approved)
	}
	if got := mustRFC3339(t, site.Entries[0].Updated); !got.Equal(now.Add(-time.Hour)) {
		t.Errorf("the newest critic review's entry is updated %v, want its publication %v", got, now.Add(-time.Hour))
	}
	if got := mustRFC3339(t, filmFeed.Updated); !got.Equal(approved) {
		t.Errorf("film feed updated %v, want its newest entry's %v", got, approved)
	}
	if lm, err := http.ParseTime(filmResp.Header.Get("Last-Modified")); err != nil || !lm.Equal(approved) {
		t.Errorf("film feed Last-Modified %q, want %v", filmResp.Header.Get("Last-Modified"), approved)
	}
	if got := first.Authors[0].Name; got != "Maud" {
		t.Errorf("the reader review's author is %q", got)
	}
	// A reader review's entry links to the review on the film's list.
	link, err := url.Parse(linkHref(first.Links, "alternate"))
	if err != nil || link.Path != paths.FilmReviews("paris-2008") || link.Fragment == "" {
		t.Fatalf("reader review entry links to %v", link)
	}
	doc, _ := s.mustPage(t, link.Path, http.StatusOK)
	if doc.Find("#"+link.Fragment).Length() != 1 {
		t.Errorf("the reader reviews page has no #%s", link.Fragment)
	}
	if href := linkHref(site.Entries[0].Links, "alternate"); href != crawlBase+paths.CriticReview("twist") {
		t.Errorf("critic review entry links to %q", href)
	}

	// The scheduled review arrives at its time, in both feeds; the draft
	// never does.
	s.clock.Advance(time.Hour)
	site, _, siteBody = s.mustFeed(t, paths.Feed())
	filmFeed, _, filmBody = s.mustFeed(t, paths.FilmFeed("paris-2008"))
	if site.Entries[0].Title != "Paris (2008): Tomorrow's review" || filmFeed.Entries[0].Title != "Tomorrow's review" {
		t.Errorf("at its time, the scheduled review does not lead the feeds: %q, %q", titles(site), titles(filmFeed))
	}
	if strings.Contains(siteBody+filmBody, "A draft") {
		t.Error("a draft is in a feed")
	}

	s.mustGet(t, paths.FilmFeed("no-such-film"), nil, http.StatusNotFound, "")
}

func TestFilmFeedFollowsTheFilm(t *testing.T) {
	s := mustCrawlSite(t)
	ctx := context.Background()
	f, version, err := s.db.FindFilmForEdit(ctx, "paris-2008")
	if err != nil {
		t.Fatal(err)
	}
	feed, _, _ := s.mustFeed(t, paths.FilmFeed("paris-2008"))
	f.Slug = "paris-2008-film"
	if err := s.db.UpdateFilm(ctx, "paris-2008", version, f, s.mustAccount(t, "ed@example.com", film.RoleEditor), s.clock.Now()); err != nil {
		t.Fatal(err)
	}
	resp, _ := s.mustGet(t, paths.FilmFeed("paris-2008"), nil, http.StatusMovedPermanently, "")
	if loc := resp.Header.Get("Location"); loc != paths.FilmFeed("paris-2008-film") {
		t.Errorf("the old feed moves to %q", loc)
	}
	moved, _, _ := s.mustFeed(t, paths.FilmFeed("paris-2008-film"))
	if moved.ID != feed.ID || moved.Entries[0].ID != feed.Entries[0].ID {
		t.Errorf("a new slug changed the feed's ids: %s → %s, %s → %s", feed.ID, moved.ID, feed.Entries[0].ID, moved.Entries[0].ID)
	}
}

func TestCrawlResponsesAnswerConditionalRequests(t *testing.T) {
	s := mustCrawlSite(t)
	for _, path := range []string{paths.Sitemap(), paths.Feed(), paths.FilmFeed("paris-2008")} {
		resp, body := s.mustGet(t, path, nil, http.StatusOK, "")
		etag, modified := resp.Header.Get("ETag"), resp.Header.Get("Last-Modified")
		if !strings.HasPrefix(etag, `"`) || modified == "" {
			t.Errorf("%s: ETag %q (want a strong one), Last-Modified %q", path, etag, modified)
			continue
		}
		lm, err := http.ParseTime(modified)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name   string
			header http.Header
			want   int
		}{
			{"its ETag", http.Header{"If-None-Match": {etag}}, http.StatusNotModified},
			{"its ETag among others", http.Header{"If-None-Match": {`"other", ` + etag}}, http.StatusNotModified},
			{"another ETag", http.Header{"If-None-Match": {`"other"`}}, http.StatusOK},
			{"its time", http.Header{"If-Modified-Since": {modified}}, http.StatusNotModified},
			{"a later time", http.Header{"If-Modified-Since": {lm.Add(time.Hour).Format(http.TimeFormat)}}, http.StatusNotModified},
			{"an earlier time", http.Header{"If-Modified-Since": {lm.Add(-time.Second).Format(http.TimeFormat)}}, http.StatusOK},
			// If-None-Match decides when both are sent (RFC 9110 §13.2.2).
			{"another ETag with its time", http.Header{"If-None-Match": {`"other"`}, "If-Modified-Since": {modified}}, http.StatusOK},
		} {
			got, gotBody := s.mustGet(t, path, c.header, c.want, "")
			if c.want == http.StatusNotModified && (len(gotBody) != 0 || got.Header.Get("ETag") != etag) {
				t.Errorf("%s with %s: 304 with %d bytes and ETag %q", path, c.name, len(gotBody), got.Header.Get("ETag"))
			}
			if c.want == http.StatusOK && string(gotBody) != string(body) {
				t.Errorf("%s with %s: a different body", path, c.name)
			}
		}
		head := s.do(t, http.MethodHead, path, nil)
		if b, _ := io.ReadAll(head.Body); head.StatusCode != http.StatusOK || len(b) != 0 || head.Header.Get("ETag") != etag {
			t.Errorf("HEAD %s = %d with %d bytes, ETag %q", path, head.StatusCode, len(b), head.Header.Get("ETag"))
		}
	}

	// A change makes the old validators stale.
	resp, _ := s.mustGet(t, paths.Feed(), nil, http.StatusOK, "")
	etag, modified := resp.Header.Get("ETag"), resp.Header.Get("Last-Modified")
	s.clock.Advance(time.Hour)
	ed := s.mustAccount(t, "ed@example.com", film.RoleEditor)
	if _, err := s.db.CreateCriticReview(context.Background(), film.CriticReview{Slug: "news", FilmSlug: "paris-2008", Headline: "News",
		Author: "Ed", Body: "New.", Status: film.ReviewPublished, PublishedAt: s.clock.Now()}, ed, s.clock.Now()); err != nil {
		t.Fatal(err)
	}
	s.mustGet(t, paths.Feed(), http.Header{"If-None-Match": {etag}}, http.StatusOK, atomType)
	s.mustGet(t, paths.Feed(), http.Header{"If-Modified-Since": {modified}}, http.StatusOK, atomType)
}

// TestSitemapIndexAtFiftyThousand generates a catalogue with more public
// pages than one sitemap may list and follows the index: the first part
// holds exactly 50,000 URLs, the second the rest, and together they list
// every page once.
func TestSitemapIndexAtFiftyThousand(t *testing.T) {
	if testing.Short() {
		t.Skip("generates a catalogue of 50,000 people")
	}
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "marquee.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx, migrations.FS); err != nil {
		t.Fatal(err)
	}
	loader, err := db.NewBulkLoader(ctx, testNow)
	if err != nil {
		t.Fatal(err)
	}
	// Every person has a page, and people are quick to generate where
	// films, with their whole record, are not: so a catalogue of many
	// people and fewer films. A few reader reviews give some films a
	// reader reviews page; ratings and votes, which no sitemap lists, are
	// kept to a token.
	opts := generator.Options{Films: 3_000, People: 47_000, Seed: 1, ReaderReviews: 1_000, Ratings: 1, HelpfulVotes: 1}
	if err := generator.Generate(ctx, opts.Complete(), loader); err != nil {
		loader.Abort()
		t.Fatal(err)
	}
	if err := loader.Close(); err != nil {
		t.Fatal(err)
	}
	page, err := db.SitemapEntries(ctx, testNow, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if page.Total <= 50_000 || page.Total > 100_000 {
		t.Fatalf("the generated site has %d public pages; the test wants between 50,001 and 100,000", page.Total)
	}
	t.Logf("%d public pages", page.Total)
	base, err := web.ParseBaseURL(crawlBase)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := web.New(ctx, web.Config{DB: db, BaseURL: base, Now: func() time.Time { return testNow }, Static: static.FS})
	if err != nil {
		t.Fatal(err)
	}
	s := &site{handler: srv.Handler(), db: db}

	_, body := s.mustGet(t, paths.Sitemap(), nil, http.StatusOK, xmlType)
	var index testSitemapIndex
	if err := xml.Unmarshal(body, &index); err != nil {
		t.Fatal(err)
	}
	if index.XMLName != (xml.Name{Space: sitemapNS, Local: "sitemapindex"}) {
		t.Fatalf("sitemap of %d pages: root element %v, want a sitemap index", page.Total, index.XMLName)
	}
	var locs []string
	for _, u := range index.Sitemaps {
		if u.Loc != crawlBase+paths.SitemapPart(len(locs)/50_000+1) {
			t.Fatalf("index names %s, want its parts in order", u.Loc)
		}
		set, _ := s.mustURLSet(t, sitemapPath(t, u.Loc))
		if len(set.URLs) > 50_000 || len(set.URLs) == 0 {
			t.Errorf("%s lists %d URLs", u.Loc, len(set.URLs))
		}
		for _, v := range set.URLs {
			locs = append(locs, v.Loc)
		}
	}
	if len(index.Sitemaps) != 2 || len(locs) != page.Total {
		t.Errorf("index of %d parts listing %d URLs; want 2 parts and all %d", len(index.Sitemaps), len(locs), page.Total)
	}
	if slices.Sort(locs); len(slices.Compact(locs)) != page.Total {
		t.Error("the parts list a page twice")
	}
	s.mustGet(t, paths.SitemapPart(3), nil, http.StatusNotFound, "")
}
