package web

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"marquee/internal/film"
)

// TestFreshReads checks the read-your-writes seam: a post sets the short
// cookie and reads the primary; a later GET carrying the cookie (on any
// server) is marked for primary reads; a GET without it is not.
func TestFreshReads(t *testing.T) {
	s := &Server{}
	var marked bool
	h := s.freshReads(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		marked = film.PrimaryReads(r.Context())
	}))

	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/films/x", nil))
	if marked || len(rec.Result().Cookies()) != 0 {
		t.Errorf("a plain GET: marked %v, cookies %v", marked, rec.Result().Cookies())
	}

	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/films/x/rating", nil))
	var fresh *http.Cookie
	for _, c := range rec.Result().Cookies() {
		if c.Name == freshReadsCookie {
			fresh = c
		}
	}
	if !marked || fresh == nil || fresh.MaxAge != freshReadsFor || !fresh.HttpOnly {
		t.Fatalf("a POST: marked %v, cookie %+v", marked, fresh)
	}

	// A refused post wrote nothing: no cookie.
	refuse := s.freshReads(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusUnprocessableEntity)
	}))
	rec = httptest.NewRecorder()
	refuse.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/admin/signin", nil))
	if len(rec.Result().Cookies()) != 0 {
		t.Errorf("a refused post set %v", rec.Result().Cookies())
	}

	req := httptest.NewRequest(http.MethodGet, "/films/x", nil)
	req.AddCookie(&http.Cookie{Name: freshReadsCookie, Value: "1"})
	h.ServeHTTP(httptest.NewRecorder(), req)
	if !marked {
		t.Error("a GET carrying the cookie was not marked for primary reads")
	}
}
