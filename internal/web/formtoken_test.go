package web_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
)

// TestReviewFormTokenExpires checks that a review form's token is good for
// a day of the site's clock: a form sent back later is refused, and the
// reader gets it back with their text and a fresh token that is accepted.
func TestReviewFormTokenExpires(t *testing.T) {
	s := mustSite(t)
	rd := s.newBrowser("198.51.100.1")

	// Within the day, a form is taken.
	form := rd.reviewForm(t)
	s.clock.Advance(24*time.Hour - time.Minute)
	if resp, body := rd.submitReview(t, form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("a form sent back within a day = %d, want 303\n%s", resp.StatusCode, body)
	}
	if got := s.readerReviewStatuses(t); got["pending"] != 1 || got["spam"] != 0 {
		t.Fatalf("stored = %v, want one pending review", got)
	}

	// Past the day, it is refused, with the reader's text kept.
	form = rd.reviewForm(t)
	form.Set("title", "Written over a long weekend")
	s.clock.Advance(24*time.Hour + time.Minute)
	resp, body := rd.submitReview(t, form)
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("a form sent back after a day = %d, want 422\n%s", resp.StatusCode, body)
	}
	if got := s.readerReviewStatuses(t); got["pending"] != 1 || got["spam"] != 0 {
		t.Errorf("stored = %v: the expired form's review was kept", got)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if got := text(doc, ".notice"); !strings.Contains(got, "more than a day ago") || !strings.Contains(got, "send it again") {
		t.Errorf("notice = %q, want it to say the form is too old and to send it again", got)
	}
	if got, _ := doc.Find("#review-title").Attr("value"); got != "Written over a long weekend" {
		t.Errorf("the title field holds %q, want the reader's title kept", got)
	}
	if got := doc.Find("#review-body").Text(); got != form.Get("body") {
		t.Errorf("the body field holds %q, want the reader's text kept", got)
	}
	fresh, _ := doc.Find(`form.review-form input[name=form_token]`).Attr("value")
	if fresh == "" || fresh == form.Get("form_token") {
		t.Fatalf("the form came back with token %q, want a fresh one", fresh)
	}

	// Sent again with the fresh token, it is taken.
	form.Set("form_token", fresh)
	s.clock.Advance(time.Minute)
	if resp, body := rd.submitReview(t, form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("the form sent again = %d, want 303\n%s", resp.StatusCode, body)
	}
	if got := s.readerReviewStatuses(t); got["pending"] != 2 || got["spam"] != 0 {
		t.Errorf("stored = %v, want two pending reviews", got)
	}
}

// TestExpiredTokenWithHoneypotIsSpam checks that an old token does not
// excuse a bot: with the honeypot filled, the answer is still the silent
// "awaiting approval" and the review is stored as spam.
func TestExpiredTokenWithHoneypotIsSpam(t *testing.T) {
	s := mustSite(t)
	rd := s.newBrowser("198.51.100.1")
	form := rd.reviewForm(t)
	form.Set("website", "http://spam.example")
	s.clock.Advance(48 * time.Hour)
	resp, _ := rd.submitReview(t, form)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/films/paris-2008/reviews/submitted" {
		t.Fatalf("bot with an old token got %d to %q, want the same 303 as a person", resp.StatusCode, resp.Header.Get("Location"))
	}
	if got := s.readerReviewStatuses(t); got["spam"] != 1 || got["pending"] != 0 {
		t.Errorf("stored = %v, want one spam review", got)
	}
}
