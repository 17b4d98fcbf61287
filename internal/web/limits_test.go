package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/google/go-cmp/cmp"

	"marquee/internal/web"
)

// mustSiteWithLimits builds the site with the default limits but for what
// change sets.
func mustSiteWithLimits(tb testing.TB, change func(*web.Limits)) *site {
	tb.Helper()
	limits := web.DefaultLimits
	change(&limits)
	return mustSiteWith(tb, web.Config{Limits: limits})
}

// checkTooManyRequests checks that a response is the site's 429 page,
// with a Retry-After within window and the given message.
func checkTooManyRequests(tb testing.TB, resp *http.Response, body string, window time.Duration, message string) {
	tb.Helper()
	if resp.StatusCode != http.StatusTooManyRequests {
		tb.Fatalf("status = %d, want 429\n%s", resp.StatusCode, body)
	}
	if ra, err := strconv.Atoi(resp.Header.Get("Retry-After")); err != nil || ra < 1 || ra > int(window.Seconds()) {
		tb.Errorf("Retry-After = %q, want whole seconds from 1 to %d", resp.Header.Get("Retry-After"), int(window.Seconds()))
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
		tb.Errorf("Content-Type = %q, want the HTML error page", ct)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	if got := text(doc, "main h1"); got != "Too many requests" {
		tb.Errorf("error page heading = %q, want \"Too many requests\"", got)
	}
	if got := text(doc, "main p"); !strings.Contains(got, message) {
		tb.Errorf("error page says %q, want %q", got, message)
	}
}

func TestRatingLimitAnswers429(t *testing.T) {
	s := mustSiteWithLimits(t, func(l *web.Limits) { l.Ratings, l.RatingWindow = 3, time.Minute })
	rd := s.newBrowser("198.51.100.1")
	for i, value := range []string{"4", "5", "6"} {
		if resp := rd.rate(t, value); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("rating %d = %d, want 303", i+1, resp.StatusCode)
		}
		s.clock.Advance(time.Second)
	}
	resp, body := rd.do(t, http.MethodPost, "/films/paris-2008/rating", url.Values{"rating": {"10"}}, nil)
	checkTooManyRequests(t, resp, body, time.Minute, "You have rated many films in a short time.")
	if average, _, yours := rd.summary(t); average != "7.5/10 from 2 ratings" || yours != "6" {
		t.Errorf("after the refused rating: %q, yours %q; want the last accepted rating, 6, kept", average, yours)
	}

	// Another client has its own count.
	other := s.newBrowser("198.51.100.2")
	if resp := other.rate(t, "2"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("another client's rating = %d, want 303", resp.StatusCode)
	}
	// Once the window has passed, the first client may rate again.
	s.clock.Advance(time.Minute)
	if resp := rd.rate(t, "10"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("rating after the window = %d, want 303", resp.StatusCode)
	}
	// With the seeded review's 9: 9, 2 and 10.
	if average, _, yours := rd.summary(t); average != "7/10 from 3 ratings" || yours != "10" {
		t.Errorf("after the window: %q, yours %q; want 10 and 3 stored (7/10 from 3 ratings)", average, yours)
	}
}

func TestHelpfulVoteLimitAnswers429(t *testing.T) {
	s := mustSiteWithLimits(t, func(l *web.Limits) { l.Votes, l.VoteWindow = 2, 10*time.Minute })
	s.mustAddReaderReviews(t, []int{7, 8})
	rd := s.newBrowser("198.51.100.1")
	doc := rd.page(t, "/films/paris-2008/reviews", http.StatusOK)
	var actions []string
	doc.Find(".helpful form").Each(func(_ int, f *goquery.Selection) {
		actions = append(actions, f.AttrOr("action", ""))
	})
	if len(actions) != 3 {
		t.Fatalf("the reviews page has %d helpful buttons, want 3 (one seeded review, two added)", len(actions))
	}
	for _, action := range actions[:2] {
		if resp, body := rd.do(t, http.MethodPost, action, url.Values{}, nil); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("vote %s = %d, want 303\n%s", action, resp.StatusCode, body)
		}
		s.clock.Advance(time.Second)
	}
	resp, body := rd.do(t, http.MethodPost, actions[2], url.Values{}, nil)
	checkTooManyRequests(t, resp, body, 10*time.Minute, "You have voted many times in a short time.")

	// The two votes are counted and the refused one is not.
	counts := func() []string {
		t.Helper()
		return texts(rd.page(t, "/films/paris-2008/reviews", http.StatusOK), ".helpful p")
	}
	want := []string{"1 reader found this helpful.", "1 reader found this helpful.", "Was this review helpful?"}
	if diff := cmp.Diff(want, counts()); diff != "" {
		t.Errorf("helpful counts (-want +got):\n%s", diff)
	}

	s.clock.Advance(10 * time.Minute)
	if resp, body := rd.do(t, http.MethodPost, actions[2], url.Values{}, nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("vote after the window = %d, want 303\n%s", resp.StatusCode, body)
	}
	want[2] = "1 reader found this helpful."
	if diff := cmp.Diff(want, counts()); diff != "" {
		t.Errorf("helpful counts after the window (-want +got):\n%s", diff)
	}
}
