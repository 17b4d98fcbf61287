package web_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// benchmarkPage measures serving one page through the whole router, from
// the database to the rendered bytes, as a reader's request would.
func benchmarkPage(b *testing.B, s *site, path string) {
	b.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
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
