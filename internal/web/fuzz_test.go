package web_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"marquee/internal/film"
	"marquee/internal/web"
)

// fuzzSite is a site whose reader limits never get in a fuzzer's way, so
// every input reaches the form decoding it is meant to test.
func fuzzSite(f *testing.F) *site {
	return mustSiteWith(f, web.Config{Limits: web.Limits{
		Reviews: 1 << 30, ReviewWindow: time.Minute,
		Ratings: 1 << 30, RatingWindow: time.Minute,
		Votes: 1 << 30, VoteWindow: time.Minute,
		MinFillTime: time.Nanosecond, MaxLinks: 2,
	}})
}

// postRaw posts body, as it is, as a form to path through the whole router.
func postRaw(t *testing.T, s *site, path, body string) (*http.Response, string) {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
	req.RemoteAddr = "198.51.100.7:5000"
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	s.handler.ServeHTTP(rec, req)
	return rec.Result(), rec.Body.String()
}

// checkFuzzAnswer fails t when a form post was answered with a server
// error, or echoed a NUL or a bidirectional override into the page.
func checkFuzzAnswer(t *testing.T, what string, resp *http.Response, body string) {
	t.Helper()
	if resp.StatusCode >= 500 {
		t.Fatalf("%s = %d, a server error\n%.400s", what, resp.StatusCode, body)
	}
	if strings.ContainsAny(body, "\x00\u202e\u2066") {
		t.Fatalf("%s echoed a control character into the page", what)
	}
}

// FuzzReviewForm posts arbitrary bodies to the reader review form through
// the whole router: the form decoding, cleaning and validation must turn
// any input into a page (stored, asked to confirm, or refused with a
// message), never a server error, and never echo a control character.
func FuzzReviewForm(f *testing.F) {
	s := fuzzSite(f)
	f.Add("display_name=Camille&title=A+city&rating=8&body=Fine.&website=")
	f.Add("display_name=Cam%00ille&title=%E2%80%AEA&rating=10&body=%3E%3E%3E%3E&spoilers=yes")
	f.Add("display_name=&title=&rating=eleven&body=")
	f.Add("rating=8&rating=9&body=%FF%FE&title=x&display_name=y")
	f.Add("form_token=forged.token&display_name=a&title=b&rating=1&body=c")
	f.Add("%zz=1&&&=")
	f.Fuzz(func(t *testing.T, form string) {
		resp, body := postRaw(t, s, "/films/paris-2008/reviews", form)
		checkFuzzAnswer(t, "POST review "+form, resp, body)
	})
}

// FuzzRatingForm posts arbitrary bodies to the rating form: any value
// other than a whole number from 1 to 10 is refused with a message; none
// is a server error.
func FuzzRatingForm(f *testing.F) {
	s := fuzzSite(f)
	for _, seed := range []string{"rating=8", "rating=0", "rating=11", "rating=-1", "rating=7.5", "rating=%00",
		"rating=99999999999999999999", "action=remove", "rating=", "rating=1&rating=10", "%"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, form string) {
		resp, body := postRaw(t, s, "/films/paris-2008/rating", form)
		checkFuzzAnswer(t, "POST rating "+form, resp, body)
		values, err := url.ParseQuery(form)
		values = cleanedAsTheServerDoes(values)
		if resp.StatusCode == http.StatusSeeOther && err == nil && values.Get("action") != "remove" {
			if v, err := strconv.Atoi(values.Get("rating")); err != nil || v < 1 || v > 10 {
				t.Fatalf("rating %q was accepted", values.Get("rating"))
			}
		}
	})
}

// cleanedAsTheServerDoes is the form as a handler reads it: a field whose
// name holds a control character is dropped, and control characters are
// cut out of values.
func cleanedAsTheServerDoes(values url.Values) url.Values {
	out := url.Values{}
	for k, list := range values {
		if film.CleanText(k) != k {
			continue
		}
		for _, v := range list {
			out.Add(k, film.CleanText(v))
		}
	}
	return out
}

// FuzzSearchQuery sends arbitrary queries to search and its suggestions:
// every query gives results or a friendly page, never a server error, and
// the page never echoes a control character.
func FuzzSearchQuery(f *testing.F) {
	s := fuzzSite(f)
	for _, seed := range []string{"paris", "klap", `"sacre coeur"`, `"unbalanced`, "title:x OR y*", "NEAR(a b)", "\x00", "\u202eabc",
		strings.Repeat("a ", 300), `""""`, "é\u0301", "%"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, q string) {
		for _, path := range []string{"/search?q=", "/search/suggest?q="} {
			resp, body := s.newBrowser("198.51.100.9").do(t, http.MethodGet, path+url.QueryEscape(q), nil, nil)
			checkFuzzAnswer(t, "GET "+path+q, resp, body)
		}
	})
}
