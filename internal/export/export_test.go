package export_test

import (
	"bytes"
	"context"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"marquee/internal/catalog"
	"marquee/internal/export"
	"marquee/internal/sqlite"
	"marquee/internal/web"
	"marquee/migrations"
	"marquee/seeds"
	"marquee/static"
)

var testNow = time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)

// mustSeededDB is a new SQLite database, migrated and seeded, closed when
// the test ends.
func mustSeededDB(t *testing.T) *sqlite.DB {
	t.Helper()
	ctx := context.Background()
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
	return db
}

// mustSiteHandler is the seeded site in its exported form.
func mustSiteHandler(t *testing.T, cfg web.ExportConfig) (http.Handler, *url.URL) {
	t.Helper()
	ctx := context.Background()
	db := mustSeededDB(t)
	base, err := web.ParseBaseURL("https://films.example")
	if err != nil {
		t.Fatal(err)
	}
	srv, err := web.New(ctx, web.Config{DB: db, Static: static.FS, Now: func() time.Time { return testNow }, BaseURL: base, Export: &cfg})
	if err != nil {
		t.Fatal(err)
	}
	return srv.Handler(), base
}

// fileServer serves an export as the documented nginx rule does:
// try_files $uri $uri/index.html /_query$uri/$args.html =404.
func fileServer(dir string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var candidates []string
		if r.URL.RawQuery == "" {
			candidates = []string{r.URL.Path, path.Join(r.URL.Path, "index.html")}
		} else {
			candidates = []string{path.Join("/_query", r.URL.Path, r.URL.RawQuery+".html")}
		}
		for _, c := range candidates {
			file := filepath.Join(dir, filepath.FromSlash(strings.TrimPrefix(c, "/")))
			if info, err := os.Stat(file); err == nil && !info.IsDir() {
				http.ServeFile(w, r, file)
				return
			}
		}
		http.NotFound(w, r)
	})
}

// servedPath is the address an exported file answers, the inverse of
// export.FilePath.
func servedPath(rel string) string {
	if q, ok := strings.CutPrefix(rel, "_query/"); ok {
		dir, file := path.Split(q)
		return "/" + strings.TrimSuffix(dir, "/") + "?" + strings.TrimSuffix(file, ".html")
	}
	if rel == "index.html" {
		return "/"
	}
	if d, ok := strings.CutSuffix(rel, "/index.html"); ok {
		return "/" + d
	}
	return "/" + rel
}

func TestExportIsTheServedSiteAndEveryLinkResolves(t *testing.T) {
	h, base := mustSiteHandler(t, web.ExportConfig{})
	out := filepath.Join(t.TempDir(), "site")
	var progress bytes.Buffer
	st, err := export.Export(context.Background(), h, export.Options{Out: out, Base: base, Progress: &progress,
		Later: func(p string) bool { return strings.HasPrefix(p, "/cards/") }})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(progress.String(), "pages/s") {
		t.Errorf("no summary line: %q", progress.String())
	}
	files := map[string]string{} // served path → file
	err = filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(out, p)
		files[servedPath(filepath.ToSlash(rel))] = p
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != st.Pages+st.Later || st.Later == 0 {
		t.Errorf("%d files on disk, the export says %d and then %d", len(files), st.Pages, st.Later)
	}
	// The site's kinds of page are all there.
	for _, want := range []string{"/", "/films", "/films/paris-2008", "/films/paris-2008/reviews", "/people/cedric-klapisch",
		"/reviews/paris-2008-review", "/years/2008", "/companies/ifc-films", "/robots.txt", "/sitemap.xml", "/feed.xml",
		"/films/paris-2008/feed.xml", "/films?sort=rating"} {
		if files[want] == "" {
			t.Errorf("the export has no %s", want)
		}
	}
	var cards, assets int
	for p := range files {
		switch {
		case strings.HasPrefix(p, "/cards/"):
			cards++
		case strings.HasPrefix(p, "/static/"):
			assets++
		}
	}
	if cards == 0 || assets == 0 {
		t.Errorf("%d share cards and %d assets exported, want some of each", cards, assets)
	}

	// Each file is byte for byte what the server sends for its address.
	for p, file := range files {
		got, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, p, nil))
		if rec.Code != http.StatusOK || !bytes.Equal(rec.Body.Bytes(), got) {
			t.Errorf("%s: the exported file differs from the served page (status %d)", p, rec.Code)
		}
	}

	// Served by a plain file server, every link and asset of every page
	// resolves.
	fsrv := httptest.NewServer(fileServer(out))
	defer fsrv.Close()
	checked := map[string]bool{}
	for p, file := range files {
		if !strings.HasSuffix(file, ".html") {
			continue
		}
		raw, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := goquery.NewDocumentFromReader(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		if doc.Find(`form[method="post"]`).Length() > 0 {
			t.Errorf("%s offers a form that needs a server", p)
		}
		doc.Find("a[href], link[href], img[src], script[src], meta[property='og:image']").Each(func(_ int, s *goquery.Selection) {
			link := s.AttrOr("href", s.AttrOr("src", s.AttrOr("content", "")))
			u, err := url.Parse(link)
			if err != nil {
				t.Errorf("%s: bad link %q", p, link)
				return
			}
			if u.Host != "" && u.Host != base.Host {
				return // Elsewhere on the web.
			}
			u.Scheme, u.Host, u.Fragment = "", "", ""
			target := u.String()
			if target == "" || checked[target] {
				return
			}
			checked[target] = true
			resp, err := http.Get(fsrv.URL + target)
			if err != nil {
				t.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Errorf("%s links to %s, which the exported site answers %d", p, target, resp.StatusCode)
			}
		})
	}
	if len(checked) < 20 {
		t.Errorf("only %d links checked", len(checked))
	}
	t.Logf("%d files, %d links checked, %.0f pages/s", len(files), len(checked), st.PagesPerSecond())
}

func TestExportSendsFormsToTheLiveSite(t *testing.T) {
	live, err := web.ParseBaseURL("https://live.example")
	if err != nil {
		t.Fatal(err)
	}
	h, _ := mustSiteHandler(t, web.ExportConfig{LiveURL: live})
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/films/paris-2008", nil))
	doc, err := goquery.NewDocumentFromReader(rec.Body)
	if err != nil {
		t.Fatal(err)
	}
	for sel, want := range map[string]string{
		"form.rate":        "https://live.example/films/paris-2008/rating",
		"form.review-form": "https://live.example/films/paris-2008/reviews",
		"form.site-search": "https://live.example/search",
	} {
		if got := doc.Find(sel).AttrOr("action", ""); got != want {
			t.Errorf("%s posts to %q, want %q", sel, got, want)
		}
	}
}

func TestExportRefusesAFullDirectory(t *testing.T) {
	h, base := mustSiteHandler(t, web.ExportConfig{})
	out := t.TempDir()
	if err := os.WriteFile(filepath.Join(out, "old.html"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := export.Export(context.Background(), h, export.Options{Out: out, Base: base}); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("export into a full directory: %v", err)
	}
}

func TestFilePath(t *testing.T) {
	for target, want := range map[string]string{
		"/":                              "index.html",
		"/films/paris-2008":              "films/paris-2008/index.html",
		"/static/style.0123456789ab.css": "static/style.0123456789ab.css",
		"/films?sort=rating":             "_query/films/sort=rating.html",
		"/films/paris-2008/feed.xml":     "films/paris-2008/feed.xml",
	} {
		if got := export.FilePath(target); got != want {
			t.Errorf("FilePath(%q) = %q, want %q", target, got, want)
		}
		if back := servedPath(want); back != target {
			t.Errorf("servedPath(%q) = %q, want %q", want, back, target)
		}
	}
}
