package web_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"marquee/internal/film"
	"marquee/internal/sqlite"
	"marquee/internal/web"
	"marquee/static"
)

// cachedSite is the site with its page cache on. What the cache serves
// must always equal what a new server on the same database, with no cache
// of any kind yet, renders afresh.
type cachedSite struct {
	*site
}

func mustCachedSite(tb testing.TB) *cachedSite {
	tb.Helper()
	return &cachedSite{site: mustSiteWith(tb, web.Config{PageCacheBytes: 16 << 20})}
}

// fresh is a new server on the site's database: nothing it shows was
// kept from an earlier request.
func (s *cachedSite) fresh(tb testing.TB) http.Handler {
	tb.Helper()
	srv, err := web.New(context.Background(), web.Config{DB: s.db, Static: static.FS, Now: s.clock.Now})
	if err != nil {
		tb.Fatal(err)
	}
	return srv.Handler()
}

// fetch fetches path anonymously from h.
func fetch(tb testing.TB, h http.Handler, path string, header http.Header) (*http.Response, []byte) {
	tb.Helper()
	req, err := http.NewRequest(http.MethodGet, path, nil)
	if err != nil {
		tb.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	rec := &responseRecorder{header: http.Header{}}
	h.ServeHTTP(rec, req)
	return &http.Response{StatusCode: rec.status, Header: rec.header}, rec.body.Bytes()
}

// responseRecorder is the least a handler needs to write into.
type responseRecorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *responseRecorder) Header() http.Header { return r.header }
func (r *responseRecorder) WriteHeader(s int) {
	if r.status == 0 {
		r.status = s
	}
}
func (r *responseRecorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(b)
}

// metric reads one counter from /metrics.
func (s *cachedSite) metric(tb testing.TB, name string) int {
	tb.Helper()
	_, body := fetch(tb, s.handler, "/metrics", nil)
	for _, line := range strings.Split(string(body), "\n") {
		if v, ok := strings.CutPrefix(line, name+" "); ok {
			n, err := strconv.Atoi(v)
			if err != nil {
				tb.Fatal(err)
			}
			return n
		}
	}
	tb.Fatalf("no %s in /metrics:\n%s", name, body)
	return 0
}

// watchedPages are the pages a change to Paris or its people can show on.
var watchedPages = []string{
	"/", "/films/paris-2008", "/films", "/films?sort=rating", "/years/2008", "/people/cedric-klapisch",
	"/people/juliette-binoche", "/films/paris-2008/reviews", "/reviews/paris-2008-review", "/search?q=paris",
	// A filtered list in two orders: the second reuses the first's counts.
	"/films?genre=Drama", "/films?genre=Drama&sort=rating",
}

// mustMatchFresh warms nothing: it asks the cached site for each page and
// checks that it is byte for byte what a server without a cache renders
// now, so a stale page fails it.
func (s *cachedSite) mustMatchFresh(tb testing.TB, when string) {
	tb.Helper()
	newServer := s.fresh(tb)
	for _, path := range watchedPages {
		resp, cached := fetch(tb, s.handler, path, nil)
		_, fresh := fetch(tb, newServer, path, nil)
		if resp.StatusCode != http.StatusOK {
			tb.Fatalf("%s: GET %s = %d", when, path, resp.StatusCode)
		}
		if !bytes.Equal(cached, fresh) {
			tb.Errorf("%s: the cached %s differs from a fresh render:\n%s", when, path, htmlDiff(string(fresh), string(cached)))
		}
	}
}

// warm asks for every watched page twice, so each is cached and served
// from the cache at least once.
func (s *cachedSite) warm(tb testing.TB) {
	tb.Helper()
	before := s.metric(tb, "marquee_page_cache_hits_total")
	for range 2 {
		for _, path := range watchedPages {
			fetch(tb, s.handler, path, nil)
		}
	}
	if hits := s.metric(tb, "marquee_page_cache_hits_total") - before; hits < len(watchedPages) {
		tb.Fatalf("warming gave %d cache hits, want at least %d", hits, len(watchedPages))
	}
}

func TestPageCacheServesTheSameBytes(t *testing.T) {
	s := mustCachedSite(t)
	resp1, first := fetch(t, s.handler, "/films/paris-2008", nil)
	resp2, second := fetch(t, s.handler, "/films/paris-2008", nil)
	if !bytes.Equal(first, second) || len(first) == 0 {
		t.Fatal("the second answer differs from the first")
	}
	if s.metric(t, "marquee_page_cache_hits_total") != 1 || s.metric(t, "marquee_page_cache_misses_total") != 1 {
		t.Errorf("hits %d, misses %d; want 1 and 1", s.metric(t, "marquee_page_cache_hits_total"), s.metric(t, "marquee_page_cache_misses_total"))
	}
	for _, h := range []string{"ETag", "Last-Modified", "Content-Security-Policy", "X-Content-Type-Options", "Cache-Control"} {
		if resp2.Header.Get(h) == "" || resp2.Header.Get(h) != resp1.Header.Get(h) {
			t.Errorf("%s: miss %q, hit %q", h, resp1.Header.Get(h), resp2.Header.Get(h))
		}
	}
	if cc := resp2.Header.Get("Cache-Control"); !strings.Contains(cc, "public") || !strings.Contains(cc, "s-maxage") {
		t.Errorf("Cache-Control = %q, want a page shared caches may keep briefly", cc)
	}
	if _, fresh := fetch(t, s.fresh(t), "/films/paris-2008", nil); !bytes.Equal(first, fresh) {
		t.Error("the cached page differs from the uncached server's")
	}
}

func TestPageCacheCompressesOnceAndNegotiates(t *testing.T) {
	s := mustCachedSite(t)
	_, plain := fetch(t, s.handler, "/films/paris-2008", nil)
	for range 2 {
		resp, body := fetch(t, s.handler, "/films/paris-2008", http.Header{"Accept-Encoding": {"br, gzip;q=0.8"}})
		if resp.Header.Get("Content-Encoding") != "gzip" || !strings.Contains(strings.Join(resp.Header.Values("Vary"), ","), "Accept-Encoding") {
			t.Fatalf("Content-Encoding %q, Vary %q", resp.Header.Get("Content-Encoding"), resp.Header.Values("Vary"))
		}
		if n, _ := strconv.Atoi(resp.Header.Get("Content-Length")); n != len(body) || n >= len(plain)/2 {
			t.Errorf("compressed length %s for %d bytes (plain %d)", resp.Header.Get("Content-Length"), len(body), len(plain))
		}
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		unzipped, err := io.ReadAll(zr)
		if err != nil || !bytes.Equal(unzipped, plain) {
			t.Fatalf("gzip body does not decompress to the page (%v)", err)
		}
	}
	resp, body := fetch(t, s.handler, "/films/paris-2008", http.Header{"Accept-Encoding": {"gzip;q=0"}})
	if resp.Header.Get("Content-Encoding") != "" || !bytes.Equal(body, plain) {
		t.Error("a client refusing gzip got it")
	}
}

func TestPageCacheAnswersConditionalRequests(t *testing.T) {
	s := mustCachedSite(t)
	resp, _ := fetch(t, s.handler, "/films/paris-2008", nil)
	etag, modified := resp.Header.Get("ETag"), resp.Header.Get("Last-Modified")
	if etag == "" || modified == "" {
		t.Fatalf("ETag %q, Last-Modified %q", etag, modified)
	}
	for _, h := range []http.Header{{"If-None-Match": {etag}}, {"If-Modified-Since": {modified}}, {"If-None-Match": {`"x", ` + etag}}} {
		resp, body := fetch(t, s.handler, "/films/paris-2008", h)
		if resp.StatusCode != http.StatusNotModified || len(body) != 0 || resp.Header.Get("ETag") != etag {
			t.Errorf("%v: %d with %d bytes, want 304 and nothing", h, resp.StatusCode, len(body))
		}
	}
	resp, _ = fetch(t, s.handler, "/films/paris-2008", http.Header{"If-None-Match": {`"other"`}, "If-Modified-Since": {modified}})
	if resp.StatusCode != http.StatusOK {
		t.Errorf("a different ETag with a matching date = %d, want 200 (If-None-Match decides)", resp.StatusCode)
	}
	// The same bytes rendered again keep the time they first appeared.
	s.clock.Advance(time.Hour)
	if _, err := s.db.Reader(context.Background(), []byte("a reader who has not rated yet.."), s.clock.Now()); err != nil {
		t.Fatal(err)
	}
	resp, _ = fetch(t, s.handler, "/films/paris-2008", nil)
	if resp.Header.Get("Last-Modified") != modified {
		t.Errorf("Last-Modified moved from %s to %s though the page did not change", modified, resp.Header.Get("Last-Modified"))
	}
}

func TestPageCacheNeverServesReadersWithACookie(t *testing.T) {
	s := mustCachedSite(t)
	s.warm(t)
	reader := s.newBrowser("203.0.113.7")
	resp, _ := reader.do(t, http.MethodPost, "/films/paris-2008/rating", url.Values{"rating": {"8"}}, nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("rating = %d", resp.StatusCode)
	}
	resp, body := reader.do(t, http.MethodGet, "/films/paris-2008", nil, nil)
	if !strings.Contains(resp.Header.Get("Cache-Control"), "private") || !strings.Contains(body, `value="8" id="rating-8" checked`) {
		t.Errorf("the reader's own page: Cache-Control %q, their rating shown: %v", resp.Header.Get("Cache-Control"), strings.Contains(body, `value="8" id="rating-8" checked`))
	}
	// The private page was not stored for others.
	_, anonymous := fetch(t, s.handler, "/films/paris-2008", nil)
	if strings.Contains(string(anonymous), `id="rating-8" checked`) {
		t.Error("another reader's rating was served to an anonymous visitor")
	}
}

// TestPageCacheIsNeverStale makes every kind of write the site has and
// checks after each that every page that could show it is what a fresh
// render gives.
func TestPageCacheIsNeverStale(t *testing.T) {
	s := mustCachedSite(t)
	ctx := context.Background()
	ed, editor := s.mustEditor(t)

	steps := []struct {
		name string
		do   func(t *testing.T)
	}{
		{"a rating", func(t *testing.T) {
			b := s.newBrowser("203.0.113.8")
			if resp, body := b.do(t, http.MethodPost, "/films/paris-2008/rating", url.Values{"rating": {"4"}}, nil); resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("rating = %d\n%s", resp.StatusCode, body)
			}
		}},
		{"a reader review approved", func(t *testing.T) {
			b := s.newBrowser("203.0.113.9")
			doc := b.page(t, "/films/paris-2008/reviews/new", http.StatusOK)
			form := formValues(doc, "form.review-form")
			form.Set("display_name", "Odile")
			form.Set("title", "Paris in every season")
			form.Set("rating", "7")
			form.Set("body", "Small lives, one city, and a hill of stairs.")
			s.clock.Advance(time.Minute)
			if resp, body := b.do(t, http.MethodPost, "/films/paris-2008/reviews", form, nil); resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("review = %d\n%s", resp.StatusCode, body)
			}
			page, err := s.db.ModerationPage(ctx, film.ModerationFilter{Status: film.ModerationPending, Limit: 10})
			if err != nil || len(page.Items) != 1 {
				t.Fatalf("pending: %+v, %v", page.Items, err)
			}
			id := strconv.FormatInt(page.Items[0].Review.ID, 10)
			if resp, _ := ed.do(t, http.MethodPost, "/admin/moderation", url.Values{"id": {id}, "action": {"approve"}}, nil); resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("approve = %d", resp.StatusCode)
			}
		}},
		{"a helpful vote", func(t *testing.T) {
			page, err := s.db.ReaderReviewsPage(ctx, "paris-2008", film.ReaderReviewFilter{Sort: film.SortNewest, Limit: 1})
			if err != nil {
				t.Fatal(err)
			}
			b := s.newBrowser("203.0.113.10")
			target := "/reader-reviews/" + strconv.FormatInt(page.Reviews.Reviews[0].ID, 10) + "/helpful"
			if resp, _ := b.do(t, http.MethodPost, target, url.Values{}, nil); resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("vote = %d", resp.StatusCode)
			}
		}},
		{"an editor's save of the film", func(t *testing.T) {
			doc := ed.page(t, "/admin/films/paris-2008/edit", http.StatusOK)
			form := formValues(doc, "#catalog-form")
			form.Set("synopsis", "A dancer waits for a diagnosis and watches the city go by.")
			form.Set("genres", "Drama\nComedy")
			form.Set("action", "save")
			if resp, body := ed.do(t, http.MethodPost, "/admin/films/paris-2008/edit", form, nil); resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("save = %d\n%s", resp.StatusCode, body)
			}
		}},
		{"an editor's new film", func(t *testing.T) {
			doc := ed.page(t, "/admin/films/new", http.StatusOK)
			form := formValues(doc, "#catalog-form")
			form.Set("title", "Paris, Again")
			form.Set("year", "2008")
			form.Set("genres", "Drama")
			form.Set("action", "save")
			if resp, body := ed.do(t, http.MethodPost, "/admin/films", form, nil); resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("create = %d\n%s", resp.StatusCode, body)
			}
		}},
		{"an editor's save of a person", func(t *testing.T) {
			doc := ed.page(t, "/admin/people/juliette-binoche/edit", http.StatusOK)
			form := formValues(doc, "#catalog-form")
			form.Set("also_known_as", "J. Binoche")
			form.Set("action", "save")
			if resp, body := ed.do(t, http.MethodPost, "/admin/people/juliette-binoche/edit", form, nil); resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("save = %d\n%s", resp.StatusCode, body)
			}
		}},
		{"a critic review published", func(t *testing.T) {
			if _, err := s.db.CreateCriticReview(ctx, film.CriticReview{Slug: "paris-again", FilmSlug: "paris-2008", Headline: "Paris, again",
				Author: "Ed", Body: "Worth the climb.", Status: film.ReviewPublished, PublishedAt: s.clock.Now()}, editor, s.clock.Now()); err != nil {
				t.Fatal(err)
			}
		}},
		{"a scheduled review going live with no write", func(t *testing.T) {
			due := s.clock.Now().Add(3 * time.Hour)
			if _, err := s.db.CreateCriticReview(ctx, film.CriticReview{Slug: "paris-later", FilmSlug: "paris-2008", Headline: "Paris, later",
				Author: "Ed", Body: "Still worth it.", Status: film.ReviewScheduled, PublishedAt: due}, editor, s.clock.Now()); err != nil {
				t.Fatal(err)
			}
			s.mustMatchFresh(t, "before the scheduled time")
			s.warm(t)
			s.clock.Advance(3 * time.Hour)
		}},
		{"an import by another process", func(t *testing.T) {
			other, err := sqlite.Open(ctx, s.path)
			if err != nil {
				t.Fatal(err)
			}
			defer other.Close()
			watch, stop := context.WithCancel(ctx)
			defer stop()
			if err := s.db.WatchOtherWriters(watch, 5*time.Millisecond); err != nil {
				t.Fatal(err)
			}
			before := s.db.DataVersion()
			f, err := other.FindFilm(ctx, "paris-2008")
			if err != nil {
				t.Fatal(err)
			}
			f.Synopsis = "Changed by an import while the site runs."
			if _, err := other.ImportWith(ctx, film.Catalog{Films: []film.Film{f}}, film.ImportOptions{UpdateExisting: true}); err != nil {
				t.Fatal(err)
			}
			deadline := time.Now().Add(5 * time.Second)
			for s.db.DataVersion() == before && time.Now().Before(deadline) {
				time.Sleep(5 * time.Millisecond)
			}
			if s.db.DataVersion() == before {
				t.Fatal("the server did not notice the other process's write")
			}
		}},
	}
	for _, step := range steps {
		s.warm(t)
		step.do(t)
		s.mustMatchFresh(t, "after "+step.name)
	}
}

// TestPageCacheKeepsConditionsForWhatItDoesNotStore: a response the cache
// passes on (here a feed, which the cache does not keep) still answers the
// client's If-None-Match and If-Modified-Since with 304.
func TestPageCacheKeepsConditionsForWhatItDoesNotStore(t *testing.T) {
	s := mustCachedSite(t)
	resp, body := fetch(t, s.handler, "/feed.xml", nil)
	etag, modified := resp.Header.Get("ETag"), resp.Header.Get("Last-Modified")
	if resp.StatusCode != http.StatusOK || etag == "" || modified == "" || len(body) == 0 {
		t.Fatalf("feed = %d, ETag %q, Last-Modified %q", resp.StatusCode, etag, modified)
	}
	for _, h := range []http.Header{{"If-None-Match": {etag}}, {"If-Modified-Since": {modified}}} {
		resp, body := fetch(t, s.handler, "/feed.xml", h)
		if resp.StatusCode != http.StatusNotModified || len(body) != 0 {
			t.Errorf("%v: %d with %d bytes, want 304", h, resp.StatusCode, len(body))
		}
	}
	if resp, _ := fetch(t, s.handler, "/feed.xml", http.Header{"If-None-Match": {`"stale"`}}); resp.StatusCode != http.StatusOK {
		t.Errorf("a stale ETag = %d, want 200", resp.StatusCode)
	}
}
