package web

import (
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"

	"marquee/internal/catalog"
	"marquee/internal/paths"
	"marquee/internal/sqlite"
	"marquee/migrations"
	"marquee/seeds"
	"marquee/static"
)

// TestSitemapSplitsAtTheLimit serves the seeded site's sitemap with
// small limits on the URLs one file may hold (the site's own limit is
// sitemaps.org's 50,000, which TestSitemapIndexAtFiftyThousand reaches):
// up to the limit it is one sitemap; past it an index of parts, each full
// but the last, that together list what the one sitemap would, in order.
func TestSitemapSplitsAtTheLimit(t *testing.T) {
	ctx := t.Context()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "marquee.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx, migrations.FS); err != nil {
		t.Fatal(err)
	}
	doc, err := catalog.DecodeFS(seeds.FS)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Import(ctx, doc.Catalog); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	s, err := New(ctx, Config{DB: db, Static: static.FS, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	// The site's routes for the sitemap, with the limit the case gives.
	router := func(limit int) http.Handler {
		r := chi.NewRouter()
		r.Get(paths.SitemapPattern, s.handle(s.serveSitemap(limit)))
		r.Get(paths.SitemapPartPattern, s.handle(s.serveSitemapPart(limit)))
		return r
	}
	type set struct {
		XMLName xml.Name
		URLs    []sitemapURL `xml:"url"`
	}
	type index struct {
		XMLName  xml.Name
		Sitemaps []sitemapURL `xml:"sitemap"`
	}
	get := func(h http.Handler, path string, want int, v any) *http.Response {
		t.Helper()
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		if rec.Code != want {
			t.Fatalf("GET %s = %d, want %d", path, rec.Code, want)
		}
		if v != nil {
			if err := xml.Unmarshal(rec.Body.Bytes(), v); err != nil {
				t.Fatalf("GET %s: %v\n%s", path, err, rec.Body)
			}
		}
		return rec.Result()
	}
	const ns = "http://www.sitemaps.org/schemas/sitemap/0.9"

	var whole set
	get(router(sitemapURLLimit), paths.Sitemap(), http.StatusOK, &whole)
	total := len(whole.URLs)
	if total < 10 {
		t.Fatalf("the seeded sitemap lists %d URLs", total)
	}
	for _, limit := range []int{1, 4, total - 1, total, total + 1} {
		h := router(limit)
		if limit >= total {
			var one set
			get(h, paths.Sitemap(), http.StatusOK, &one)
			if one.XMLName != (xml.Name{Space: ns, Local: "urlset"}) || !slices.Equal(one.URLs, whole.URLs) {
				t.Errorf("limit %d of %d URLs: %v with %d URLs, want the whole sitemap", limit, total, one.XMLName, len(one.URLs))
			}
			get(h, paths.SitemapPart(1), http.StatusNotFound, nil)
			continue
		}
		var idx index
		get(h, paths.Sitemap(), http.StatusOK, &idx)
		parts := (total + limit - 1) / limit
		if idx.XMLName != (xml.Name{Space: ns, Local: "sitemapindex"}) || len(idx.Sitemaps) != parts {
			t.Fatalf("limit %d of %d URLs: %v of %d sitemaps, want an index of %d", limit, total, idx.XMLName, len(idx.Sitemaps), parts)
		}
		var walked []sitemapURL
		for n, part := range idx.Sitemaps {
			path, ok := strings.CutPrefix(part.Loc, DefaultBaseURL)
			if !ok || path != paths.SitemapPart(n+1) {
				t.Fatalf("limit %d: part %d is at %s", limit, n+1, part.Loc)
			}
			var p set
			resp := get(h, path, http.StatusOK, &p)
			if want := min(limit, total-n*limit); len(p.URLs) != want || p.XMLName.Space != ns {
				t.Errorf("limit %d: %s lists %d URLs, want %d", limit, path, len(p.URLs), want)
			}
			var newest string
			for _, u := range p.URLs {
				newest = max(newest, u.LastMod)
			}
			if lm, _ := time.Parse(time.RFC3339, newest); resp.Header.Get("Last-Modified") != lm.Format(http.TimeFormat) {
				t.Errorf("limit %d: %s was last modified %q, want its newest lastmod %s", limit, path, resp.Header.Get("Last-Modified"), newest)
			}
			walked = append(walked, p.URLs...)
		}
		if !slices.Equal(walked, whole.URLs) {
			t.Errorf("limit %d: the parts list\n%v\nwant\n%v", limit, walked, whole.URLs)
		}
		for _, path := range []string{paths.SitemapPart(parts + 1), paths.SitemapPart(0), "/sitemaps/01.xml", "/sitemaps/-1.xml", "/sitemaps/x.xml"} {
			get(h, path, http.StatusNotFound, nil)
		}
	}
}
