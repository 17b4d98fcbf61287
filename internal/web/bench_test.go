package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"marquee/internal/web"
)

// benchmarkPage measures serving one page through the whole router, from
// the database to the rendered bytes, as a reader's request would: with a
// context that ends when the client leaves, as net/http gives each
// request.
func benchmarkPage(b *testing.B, s *site, path string) {
	b.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req := httptest.NewRequest(http.MethodGet, path, nil).WithContext(ctx)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		rec := httptest.NewRecorder()
		s.handler.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("GET %s = %d", path, rec.Code)
		}
		b.SetBytes(int64(rec.Body.Len()))
	}
}

func BenchmarkFilmPage(b *testing.B) {
	benchmarkPage(b, mustSite(b), "/films/paris-2008")
}

func BenchmarkHomePage(b *testing.B) {
	benchmarkPage(b, mustSite(b), "/")
}

func BenchmarkPersonPage(b *testing.B) {
	benchmarkPage(b, mustSite(b), "/people/juliette-binoche")
}

func BenchmarkReaderReviewsPage(b *testing.B) {
	benchmarkPage(b, mustSite(b), "/films/paris-2008/reviews")
}

// BenchmarkFilmPageCached serves the film page from the page cache, as
// every request after the first does until the data changes: plain, and
// compressed as a browser asks for it.
func BenchmarkFilmPageCached(b *testing.B) {
	s := mustSiteWith(b, web.Config{PageCacheBytes: 16 << 20})
	for _, enc := range []string{"plain", "gzip"} {
		b.Run(enc, func(b *testing.B) {
			req := httptest.NewRequest(http.MethodGet, "/films/paris-2008", nil)
			if enc == "gzip" {
				req.Header.Set("Accept-Encoding", "gzip")
			}
			b.ReportAllocs()
			for b.Loop() {
				rec := httptest.NewRecorder()
				s.handler.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("GET = %d", rec.Code)
				}
				b.SetBytes(int64(rec.Body.Len()))
			}
		})
	}
}
