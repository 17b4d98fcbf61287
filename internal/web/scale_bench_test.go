package web_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"marquee/internal/catalog"
	"marquee/internal/sqlite"
	"marquee/internal/web"
	"marquee/migrations"
	"marquee/static"
)

// scaleFilms is the size of the generated catalogue the scale benchmarks
// read: MARQUEE_BENCH_FILMS, 20,000 by default (about three people, ten
// reader reviews and fifty ratings per film come with them).
func scaleFilms(b *testing.B) int {
	if v := os.Getenv("MARQUEE_BENCH_FILMS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 100 {
			b.Fatalf("MARQUEE_BENCH_FILMS=%q: want a number of films, at least 100", v)
		}
		return n
	}
	return 20_000
}

var (
	scaleOnce sync.Once
	scalePath string
	scaleErr  error
)

// mustScaleSite opens a site over a generated catalogue. The catalogue is
// deterministic, so it is generated once into the temporary directory and
// reused by later runs of the same size.
func mustScaleSite(b *testing.B) http.Handler {
	b.Helper()
	n := scaleFilms(b)
	scaleOnce.Do(func() {
		scalePath = filepath.Join(os.TempDir(), fmt.Sprintf("marquee-bench-%d-seed1.db", n))
		if _, err := os.Stat(scalePath); err == nil {
			return
		}
		ctx := context.Background()
		tmp := scalePath + ".partial"
		os.Remove(tmp)
		db, err := sqlite.Open(ctx, tmp)
		if err != nil {
			scaleErr = err
			return
		}
		defer db.Close()
		if _, err := db.Migrate(ctx, migrations.FS); err != nil {
			scaleErr = err
			return
		}
		start := time.Now()
		loader, err := db.NewBulkLoader(ctx, testNow)
		if err != nil {
			scaleErr = err
			return
		}
		if err := catalog.Generate(ctx, catalog.GenerateOptions{Films: n, Seed: 1}.Complete(), loader); err != nil {
			loader.Abort()
			scaleErr = err
			return
		}
		if scaleErr = loader.Close(); scaleErr != nil {
			return
		}
		fmt.Fprintf(os.Stderr, "generated %d films for the scale benchmarks in %s\n", n, time.Since(start).Round(time.Second))
		if scaleErr = db.Close(); scaleErr != nil {
			return
		}
		scaleErr = os.Rename(tmp, scalePath)
	})
	if scaleErr != nil {
		b.Fatalf("generate the scale catalogue: %v", scaleErr)
	}
	ctx := context.Background()
	db, err := sqlite.Open(ctx, scalePath)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx, migrations.FS); err != nil {
		b.Fatal(err)
	}
	srv, err := web.New(ctx, web.Config{DB: db, Logger: slog.New(slog.DiscardHandler), Static: static.FS, Now: func() time.Time { return testNow }})
	if err != nil {
		b.Fatal(err)
	}
	return srv.Handler()
}

// get serves one request and returns the body, failing on any status but 200.
func get(b *testing.B, h http.Handler, path string) string {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	if rec.Code != http.StatusOK {
		b.Fatalf("GET %s = %d", path, rec.Code)
	}
	return rec.Body.String()
}

// deepPage follows Next links from path the given number of times and
// returns the address of the page reached.
func deepPage(b *testing.B, h http.Handler, path string, pages int) string {
	for i := 0; i < pages; i++ {
		doc, err := goquery.NewDocumentFromReader(strings.NewReader(get(b, h, path)))
		if err != nil {
			b.Fatal(err)
		}
		next, ok := doc.Find(`.pagination a[rel=next]`).Attr("href")
		if !ok {
			b.Fatalf("no page after %d pages of %s", i+1, path)
		}
		path = next
	}
	return path
}

// BenchmarkScale serves the pages of a large catalogue. The film index's
// deep pages (reached by following Next 200 times, about 4,800 films in,
// or halfway through a smaller catalogue)
// should cost what its first page costs: keyset pagination reads from the
// cursor, never skipping rows.
func BenchmarkScale(b *testing.B) {
	h := mustScaleSite(b)
	depth := min(200, scaleFilms(b)/24/2)
	deepTitle := deepPage(b, h, "/films", depth)
	deepRating := deepPage(b, h, "/films?sort=rating", depth)
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(get(b, h, "/films?sort=reviews")))
	if err != nil {
		b.Fatal(err)
	}
	busiest, _ := doc.Find(".film-row h3 a").First().Attr("href")
	for _, page := range []struct{ name, path string }{
		{"FilmIndexFirst", "/films"},
		{"FilmIndexDeep", deepTitle},
		{"FilmIndexByRatingFirst", "/films?sort=rating"},
		{"FilmIndexByRatingDeep", deepRating},
		{"FilmIndexFiltered", "/films?decade=1990s&sort=rating"},
		{"Home", "/"},
		{"FilmMostReviewed", busiest},
		{"ReaderReviewsMostHelpful", busiest + "/reviews?sort=helpful"},
		{"Search", "/search?q=love"},
		{"Suggest", "/search/suggest?q=ma"},
	} {
		b.Run(page.name, func(b *testing.B) {
			req := httptest.NewRequest(http.MethodGet, page.path, nil)
			b.ReportAllocs()
			for b.Loop() {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("GET %s = %d", page.path, rec.Code)
				}
			}
		})
	}
}
