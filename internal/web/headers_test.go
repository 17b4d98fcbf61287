package web_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"marquee/internal/film"
	"marquee/internal/web"
)

// TestStrictTransportSecurityOnlyOverTLS: HSTS is sent on answers to
// requests that came over TLS, directly or through a trusted proxy that
// says so, cached page or not, and never over plain HTTP.
func TestStrictTransportSecurityOnlyOverTLS(t *testing.T) {
	const forwardedHTTPS = "X-Forwarded-Proto"
	for _, tc := range []struct {
		name    string
		trust   bool
		target  string
		header  http.Header
		wantSet bool
	}{
		{"plain HTTP", false, "/", nil, false},
		{"direct TLS", false, "https://marquee.example/", nil, true},
		{"trusted proxy reporting https", true, "/", http.Header{forwardedHTTPS: {"https"}}, true},
		{"trusted proxy reporting http", true, "/", http.Header{forwardedHTTPS: {"http"}}, false},
		{"untrusted header claiming https", false, "/", http.Header{forwardedHTTPS: {"https"}}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := mustSiteWith(t, web.Config{TrustProxy: tc.trust, PageCacheBytes: 1 << 20})
			for range 2 { // The second answer comes from the page cache.
				resp, _ := s.newBrowser("198.51.100.1").do(t, http.MethodGet, tc.target, nil, tc.header)
				got := resp.Header.Get("Strict-Transport-Security")
				if tc.wantSet && !strings.HasPrefix(got, "max-age=") {
					t.Errorf("Strict-Transport-Security = %q, want max-age", got)
				}
				if !tc.wantSet && got != "" {
					t.Errorf("Strict-Transport-Security = %q over plain HTTP", got)
				}
			}
		})
	}
}

// TestPermissionsPolicy: every answer, cached or not, an error page or a
// feed, turns off the browser features the site never uses.
func TestPermissionsPolicy(t *testing.T) {
	s := mustSiteWith(t, web.Config{PageCacheBytes: 1 << 20})
	for _, path := range []string{"/", "/", "/films/paris-2008", "/no-such-page", "/feed.xml", "/healthz"} {
		resp, _ := s.newBrowser("198.51.100.1").do(t, http.MethodGet, path, nil, nil)
		pp := resp.Header.Get("Permissions-Policy")
		for _, feature := range []string{"camera=()", "microphone=()", "geolocation=()", "payment=()"} {
			if !strings.Contains(pp, feature) {
				t.Errorf("GET %s: Permissions-Policy %q lacks %s", path, pp, feature)
			}
		}
	}
}

// TestDeskReviewURLsDoNotRevealWhichReviewsExist: to a contributor who may
// not open another's review, it and a review that does not exist answer
// alike (404, the same page).
func TestDeskReviewURLsDoNotRevealWhichReviewsExist(t *testing.T) {
	s := mustSite(t)
	editor, _ := s.deskBrowser(t, "ed", film.RoleEditor)
	id := mustSaveReview(t, editor, "/admin/reviews", reviewForm(film.ReviewDraft, nil))
	carol, _ := s.deskBrowser(t, "carol", film.RoleContributor)
	for _, suffix := range []string{"", "/history"} {
		existing, existingBody := carol.do(t, http.MethodGet, "/admin/reviews/"+strconv.FormatInt(id, 10)+suffix, nil, nil)
		missing, missingBody := carol.do(t, http.MethodGet, "/admin/reviews/"+strconv.FormatInt(id+1000, 10)+suffix, nil, nil)
		if existing.StatusCode != http.StatusNotFound || missing.StatusCode != http.StatusNotFound {
			t.Errorf("%s: another's review = %d, a missing one = %d; want 404 for both", suffix, existing.StatusCode, missing.StatusCode)
		}
		if existingBody != missingBody {
			t.Errorf("%s: the two answers differ", suffix)
		}
	}
}
