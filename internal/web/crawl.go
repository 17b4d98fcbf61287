package web

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"marquee/internal/film"
	"marquee/internal/paths"
	"marquee/templates"
)

// This file answers crawlers and feed readers: robots.txt, the sitemap
// (split into an index and numbered parts when it is large) and the Atom
// feeds of reviews. Every URL in them is absolute, built from package
// paths against the site's configured address. The sitemap and the feeds
// carry a strong ETag and a Last-Modified taken from the data they show,
// and answer conditional requests with 304 themselves, whatever caches
// stand in front of them.

const (
	// sitemapURLLimit is the most URLs one sitemap file may list
	// (sitemaps.org); past it, /sitemap.xml becomes an index of parts.
	sitemapURLLimit = 50_000
	// sitemapPartLimit is the most parts an index may list (sitemaps.org).
	sitemapPartLimit = 50_000
	// feedEntries is how many reviews of each kind a feed holds.
	feedEntries = 50
	// feedSummaryRunes bounds a feed entry's excerpt.
	feedSummaryRunes = 600
	// tagDate is the date in the tag: URIs (RFC 4151) that name feeds and
	// entries. It is fixed for good: changing it would change every id,
	// and feed readers would show every entry again as new.
	tagDate = "2026"
)

// The media types of what this file serves.
const (
	atomContentType    = "application/atom+xml; charset=utf-8"
	sitemapContentType = "application/xml; charset=utf-8"
	robotsContentType  = "text/plain; charset=utf-8"
)

// sitemapBuilds lets one sitemap file be built at a time in this process:
// a large part reads tens of thousands of rows, and a crawler asking for
// many at once must not take every database connection the pages need.
var sitemapBuilds = make(chan struct{}, 1)

// robotsPathParam matches a route pattern's parameter ("{slug}"), which
// robots.txt writes as the wildcard "*".
var robotsPathParam = regexp.MustCompile(`\{[^}]*\}`)

// robotsDisallowed are the addresses crawlers are asked to leave alone:
// the editors' desk, and the forms and actions readers use (ratings and
// helpful votes are posted; the review form and its thanks are pages a
// search result has no use for; suggestions are the search box's JSON).
// A reader review is posted to the address of the film's review list,
// which stays open to crawlers, who do not post.
var robotsDisallowed = []string{
	paths.AdminPattern,
	paths.FilmRatingPattern,
	paths.FilmReviewFormPattern,
	paths.FilmReviewSubmittedPattern,
	paths.ReaderReviewHelpfulPattern,
	paths.SearchSuggestPattern,
}

// serveRobots writes robots.txt: the public site is open, the desk and
// the form and action endpoints are not, and the sitemap is named by its
// absolute URL.
func (s *Server) serveRobots(w http.ResponseWriter, r *http.Request) error {
	var b strings.Builder
	b.WriteString("User-agent: *\n")
	for _, p := range robotsDisallowed {
		fmt.Fprintf(&b, "Disallow: %s\n", robotsPathParam.ReplaceAllString(p, "*"))
	}
	b.WriteString("Allow: /\n\n")
	fmt.Fprintf(&b, "Sitemap: %s\n", s.absURL(paths.Sitemap()))
	w.Header().Set("Cache-Control", "public, max-age=3600")
	serveConditional(w, r, robotsContentType, []byte(b.String()), time.Time{})
	return nil
}

// sitemapURL is one <url> of a sitemap, or one <sitemap> of an index.
type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

// sitemapURLSet is a sitemap file.
type sitemapURLSet struct {
	XMLName xml.Name     `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []sitemapURL `xml:"url"`
}

// sitemapIndex is a sitemap index file: the addresses of the parts.
type sitemapIndex struct {
	XMLName  xml.Name     `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 sitemapindex"`
	Sitemaps []sitemapURL `xml:"sitemap"`
}

// serveSitemap answers /sitemap.xml: every public page when there are at
// most limit, and otherwise an index of the parts, each holding limit
// URLs but the last. The index gives no <lastmod> per part (knowing it
// means reading every part); its Last-Modified is the newest change the
// whole sitemap holds.
func (s *Server) serveSitemap(limit int) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		release, err := acquire(r.Context(), sitemapBuilds)
		if err != nil {
			return err
		}
		defer release()
		// The size first: an index needs nothing more.
		page, err := s.db.SitemapEntries(r.Context(), s.now(), 0, 0)
		if err != nil {
			return err
		}
		if page.Total <= limit {
			if page, err = s.db.SitemapEntries(r.Context(), s.now(), 0, limit); err != nil {
				return err
			}
			return s.serveSitemapURLs(w, r, page.Entries)
		}
		var index sitemapIndex
		for n := 1; n <= min(sitemapParts(page.Total, limit), sitemapPartLimit); n++ {
			index.Sitemaps = append(index.Sitemaps, sitemapURL{Loc: s.absURL(paths.SitemapPart(n))})
		}
		body, err := marshalXML(index)
		if err != nil {
			return err
		}
		serveConditional(w, r, sitemapContentType, body, page.Newest)
		return nil
	}
}

// serveSitemapPart answers /sitemaps/{number}.xml, one part of a sitemap
// index. There are parts only while the sitemap has more than limit URLs.
func (s *Server) serveSitemapPart(limit int) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		raw := r.PathValue("number")
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 || n > sitemapPartLimit || strconv.Itoa(n) != raw {
			return film.ErrNotFound
		}
		release, err := acquire(r.Context(), sitemapBuilds)
		if err != nil {
			return err
		}
		defer release()
		page, err := s.db.SitemapEntries(r.Context(), s.now(), (n-1)*limit, limit)
		if err != nil {
			return err
		}
		if page.Total <= limit || n > sitemapParts(page.Total, limit) {
			return film.ErrNotFound
		}
		return s.serveSitemapURLs(w, r, page.Entries)
	}
}

// sitemapParts is how many parts an index of total URLs has.
func sitemapParts(total, limit int) int { return (total + limit - 1) / limit }

// serveSitemapURLs writes a sitemap of entries, last modified at the
// newest of their change times.
func (s *Server) serveSitemapURLs(w http.ResponseWriter, r *http.Request, entries []film.SitemapEntry) error {
	set := sitemapURLSet{URLs: make([]sitemapURL, 0, len(entries))}
	var newest time.Time
	for _, e := range entries {
		path, err := sitemapPath(e)
		if err != nil {
			return err
		}
		u := sitemapURL{Loc: s.absURL(path)}
		if !e.LastMod.IsZero() {
			u.LastMod = atomTime(e.LastMod)
			newest = latest(newest, e.LastMod)
		}
		set.URLs = append(set.URLs, u)
	}
	body, err := marshalXML(set)
	if err != nil {
		return err
	}
	serveConditional(w, r, sitemapContentType, body, newest)
	return nil
}

// sitemapPath is the address of a sitemap entry's page.
func sitemapPath(e film.SitemapEntry) (string, error) {
	switch e.Kind {
	case film.SitemapHome:
		return paths.Home(), nil
	case film.SitemapFilmIndex:
		return paths.Films(nil), nil
	case film.SitemapFilm:
		return paths.Film(e.Slug), nil
	case film.SitemapFilmReviews:
		return paths.FilmReviews(e.Slug), nil
	case film.SitemapPerson:
		return paths.Person(e.Slug), nil
	case film.SitemapCompany:
		return paths.Company(e.Slug), nil
	case film.SitemapYear:
		return paths.Year(e.Year), nil
	case film.SitemapCriticReview:
		return paths.CriticReview(e.Slug), nil
	}
	return "", fmt.Errorf("sitemap entry of unknown kind %q", e.Kind)
}

// The Atom format (RFC 4287), as much of it as the feeds use.
type (
	atomFeed struct {
		XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
		ID      string      `xml:"id"`
		Title   string      `xml:"title"`
		Updated string      `xml:"updated"`
		Links   []atomLink  `xml:"link"`
		Author  atomPerson  `xml:"author"`
		Entries []atomEntry `xml:"entry"`
	}
	atomEntry struct {
		ID        string     `xml:"id"`
		Title     string     `xml:"title"`
		Updated   string     `xml:"updated"`
		Published string     `xml:"published,omitempty"`
		Link      atomLink   `xml:"link"`
		Author    atomPerson `xml:"author"`
		Summary   atomText   `xml:"summary"`
		// updated is Updated as a time, to order the entries by.
		updated time.Time
	}
	atomLink struct {
		Rel  string `xml:"rel,attr"`
		Type string `xml:"type,attr"`
		Href string `xml:"href,attr"`
	}
	atomPerson struct {
		Name string `xml:"name"`
		URI  string `xml:"uri,omitempty"`
	}
	atomText struct {
		Type string `xml:"type,attr"`
		Text string `xml:",chardata"`
	}
)

// serveFeed answers /feed.xml: the newest published critic reviews.
func (s *Server) serveFeed(w http.ResponseWriter, r *http.Request) error {
	reviews, err := s.db.ReviewFeed(r.Context(), s.now(), feedEntries)
	if err != nil {
		return err
	}
	feed := s.newFeed(s.tagURI("feed"), "Marquee: the latest critic reviews", paths.Feed(), paths.Home())
	for _, rf := range reviews {
		feed.Entries = append(feed.Entries, s.criticReviewEntry(rf.Review, filmTitleYear(rf.Film)+": "+rf.Review.Headline))
	}
	return s.serveAtom(w, r, feed, time.Time{})
}

// serveFilmFeed answers /films/{slug}/feed.xml: a film's public critic
// reviews and approved reader reviews, newest first.
func (s *Server) serveFilmFeed(w http.ResponseWriter, r *http.Request) error {
	slug, err := slugParam(r)
	if err != nil {
		return err
	}
	f, err := s.db.FilmFeed(r.Context(), slug, s.now(), feedEntries)
	if err != nil {
		return s.followMovedSlug(w, r, film.RedirectFilm, paths.FilmFeed, slug, err)
	}
	feed := s.newFeed(s.tagURI("film-"+strconv.FormatInt(f.Film.ID, 10)+"-feed"),
		filmTitleYear(f.Film)+": reviews on Marquee", paths.FilmFeed(f.Film.Slug), paths.Film(f.Film.Slug))
	for _, cr := range f.CriticReviews {
		feed.Entries = append(feed.Entries, s.criticReviewEntry(cr, cr.Headline))
	}
	for _, rr := range f.ReaderReviews {
		feed.Entries = append(feed.Entries, s.readerReviewEntry(rr))
	}
	return s.serveAtom(w, r, feed, f.UpdatedAt)
}

// newFeed starts a feed with its id, title, and links to itself and to
// the page it follows.
func (s *Server) newFeed(id, title, self, page string) atomFeed {
	return atomFeed{
		ID: id, Title: title,
		Links: []atomLink{
			{Rel: "self", Type: "application/atom+xml", Href: s.absURL(self)},
			{Rel: "alternate", Type: "text/html", Href: s.absURL(page)},
		},
		Author: atomPerson{Name: "Marquee", URI: s.absURL(paths.Home())},
	}
}

// criticReviewEntry is a public critic review as a feed entry, dated by
// its publication and its last update.
func (s *Server) criticReviewEntry(r film.CriticReview, title string) atomEntry {
	author := atomPerson{Name: r.Author}
	if r.AuthorSlug != "" {
		author.URI = s.absURL(paths.Person(r.AuthorSlug))
	}
	updated := latest(r.PublishedAt, r.UpdatedAt)
	return atomEntry{
		ID: s.tagURI("critic-review-" + strconv.FormatInt(r.ID, 10)), Title: title,
		Updated: atomTime(updated), Published: atomTime(r.PublishedAt), updated: updated,
		Link:    atomLink{Rel: "alternate", Type: "text/html", Href: s.absURL(paths.CriticReview(r.Slug))},
		Author:  author,
		Summary: atomText{Type: "text", Text: s.reviewSummary(r.Body, r.PullQuote, r.Spoilers)},
	}
}

// readerReviewEntry is an approved reader review as a feed entry, dated
// by its writing and its approval. It links to the film's list of reader
// reviews, at the review's own anchor (the id the list gives each one).
func (s *Server) readerReviewEntry(rr film.FeedReaderReview) atomEntry {
	r := rr.Review
	updated := latest(r.CreatedAt, rr.ApprovedAt)
	anchor := "#reader-review-" + strconv.FormatInt(r.ID, 10)
	return atomEntry{
		ID: s.tagURI("reader-review-" + strconv.FormatInt(r.ID, 10)), Title: r.Title,
		Updated: atomTime(updated), Published: atomTime(r.CreatedAt), updated: updated,
		Link:    atomLink{Rel: "alternate", Type: "text/html", Href: s.absURL(paths.FilmReviews(r.FilmSlug)) + anchor},
		Author:  atomPerson{Name: r.DisplayName},
		Summary: atomText{Type: "text", Text: s.reviewSummary(r.Body, "", r.Spoilers)},
	}
}

// spoilerSummary stands in a feed for a review flagged as a spoiler
// throughout that has no pull quote to show instead.
const spoilerSummary = "This review discusses the plot throughout; read it on Marquee, where it is folded until you open it."

// reviewSummary is a review's text in a feed: reviewText, or for a review
// that is a spoiler throughout and has no pull quote, a note.
func (s *Server) reviewSummary(body, pullQuote string, spoilers bool) string {
	if text := s.reviewText(body, pullQuote, spoilers, feedSummaryRunes); text != "" {
		return text
	}
	return spoilerSummary
}

// reviewText is what may be quoted of a review outside its page (a feed,
// structured data): its body as plain text with every spoiler passage
// left out, cut to maxRunes; for a review that spoils the plot throughout,
// only its pull quote, or nothing.
func (s *Server) reviewText(body, pullQuote string, spoilers bool, maxRunes int) string {
	if spoilers {
		return pullQuote
	}
	return s.markdown.Excerpt(body, maxRunes)
}

// serveAtom writes a feed, its entries newest first, dated by its newest
// entry, or by empty when it has none.
func (s *Server) serveAtom(w http.ResponseWriter, r *http.Request, feed atomFeed, empty time.Time) error {
	slices.SortStableFunc(feed.Entries, func(a, b atomEntry) int { return b.updated.Compare(a.updated) })
	updated := empty
	if len(feed.Entries) > 0 {
		updated = feed.Entries[0].updated
	}
	if updated.IsZero() {
		// A feed must say when it changed; with nothing in it, say the
		// earliest time there is rather than the time of the request.
		feed.Updated = atomTime(time.Unix(0, 0))
	} else {
		feed.Updated = atomTime(updated)
	}
	body, err := marshalXML(feed)
	if err != nil {
		return err
	}
	serveConditional(w, r, atomContentType, body, updated)
	return nil
}

// tagURI is the tag: URI (RFC 4151) of one of the site's feeds or entries,
// minted under the site's host name: unlike a page's address, it stays
// the same when a slug changes.
func (s *Server) tagURI(specific string) string {
	return "tag:" + s.base.Hostname() + "," + tagDate + ":" + specific
}

// atomTime writes a time as Atom and sitemaps want it: RFC 3339 in UTC.
func atomTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// latest is the later of two times.
func latest(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// marshalXML writes v as an XML document, indented for people reading
// it, with its declaration.
func marshalXML(v any) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", " ")
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("write XML: %w", err)
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}

// serveConditional writes body with a strong ETag (a hash of the bytes)
// and, when modified is not zero, a Last-Modified of it, answering
// If-None-Match and If-Modified-Since with 304 (If-None-Match wins when
// both are sent), HEAD without the body, and a Range with part of it.
func serveConditional(w http.ResponseWriter, r *http.Request, contentType string, body []byte, modified time.Time) {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("ETag", strongETag(body))
	if h.Get("Cache-Control") == "" {
		h.Set("Cache-Control", sharedCacheControl)
	}
	// http.ServeContent does the conditional requests (RFC 9110 §13), and
	// writes Last-Modified from modified, which it ignores when zero.
	http.ServeContent(w, r, "", modified, bytes.NewReader(body))
}

// acquire takes a place in sem, waiting for one as long as ctx lasts, and
// returns the function that gives it back.
func acquire(ctx context.Context, sem chan struct{}) (func(), error) {
	select {
	case sem <- struct{}{}:
		return func() { <-sem }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// withFilmFeed adds a film's own feed to a page's head, after the site's.
func (s *Server) withFilmFeed(m templates.Meta, slug, title string) templates.Meta {
	m.Feeds = append(m.Feeds, templates.FeedLink{Title: "Reviews of " + title, URL: s.absURL(paths.FilmFeed(slug))})
	return m
}
