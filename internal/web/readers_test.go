package web_test

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/google/go-cmp/cmp"

	"marquee/internal/film"
	"marquee/internal/web"
)

func (rd *browser) rate(tb testing.TB, value string) *http.Response {
	tb.Helper()
	resp, _ := rd.do(tb, http.MethodPost, "/films/paris-2008/rating", url.Values{"rating": {value}}, nil)
	return resp
}

// summary reads the rating summary of the film page as this reader sees it:
// the average with its count ("8/10 from 2 ratings") or "No ratings yet".
func (rd *browser) summary(tb testing.TB) (average string, histogram []string, yours string) {
	tb.Helper()
	doc := rd.page(tb, "/films/paris-2008", http.StatusOK)
	average = text(doc, "#rating-summary .no-ratings")
	if average == "" {
		average = text(doc, "#rating-summary .average-value") + " " + text(doc, "#rating-summary .count")
	}
	doc.Find("#rating-summary .histogram tbody tr td.num").Each(func(_ int, td *goquery.Selection) {
		histogram = append(histogram, td.Text())
	})
	yours, _ = doc.Find("form.rate input[checked]").Attr("value")
	return average, histogram, yours
}

func TestRatingsOnePerReaderAndAggregated(t *testing.T) {
	s := mustSite(t)
	ana, ben := s.newBrowser("198.51.100.1"), s.newBrowser("198.51.100.2")

	// The seeded reader review's 9 is the one rating to begin with.
	average, histogram, yours := ana.summary(t)
	if average != "9/10 from 1 rating" || yours != "" {
		t.Fatalf("before any rating: %q, yours %q", average, yours)
	}
	if diff := cmp.Diff(strings.Split("0 1 0 0 0 0 0 0 0 0", " "), histogram); diff != "" {
		t.Errorf("histogram of the seeded rating (-want +got):\n%s", diff)
	}

	resp := ana.rate(t, "8")
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/films/paris-2008#ratings" {
		t.Fatalf("rating = %d to %q, want 303 back to the film's ratings", resp.StatusCode, resp.Header.Get("Location"))
	}
	c := ana.cookies["marquee_reader"]
	if c == nil || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.MaxAge < 365*24*3600 {
		t.Fatalf("reader cookie = %+v, want a long-lived HttpOnly SameSite=Lax cookie", c)
	}
	// Ana changes her mind: her rating is replaced, not added.
	ana.rate(t, "6")
	ben.rate(t, "10")

	average, histogram, yours = ana.summary(t)
	if average != "8.3/10 from 3 ratings" {
		t.Errorf("average = %q, want 8.3/10 from 3 ratings", average)
	}
	// The histogram lists 10 points down to 1.
	if diff := cmp.Diff(strings.Split("1 1 0 0 1 0 0 0 0 0", " "), histogram); diff != "" {
		t.Errorf("histogram (-want +got):\n%s", diff)
	}
	if yours != "6" {
		t.Errorf("Ana's form shows %q checked, want her rating 6", yours)
	}
	if _, _, yours = s.newBrowser("198.51.100.3").summary(t); yours != "" {
		t.Errorf("a new reader's form shows %q checked, want none", yours)
	}

	f, err := s.db.FindFilmSummary(t.Context(), "paris-2008")
	if err != nil {
		t.Fatal(err)
	}
	kept, err := s.db.RatingStats(t.Context(), f.ID)
	if err != nil {
		t.Fatal(err)
	}
	recount, err := s.db.RecountRatingStats(t.Context(), f.ID)
	if err != nil {
		t.Fatal(err)
	}
	if kept != recount || kept.Count != 3 {
		t.Errorf("kept aggregate %+v, recount %+v", kept, recount)
	}
}

func TestRatingAsJSONForScripts(t *testing.T) {
	s := mustSite(t)
	rd := s.newBrowser("198.51.100.1")
	resp, body := rd.do(t, http.MethodPost, "/films/paris-2008/rating", url.Values{"rating": {"7"}},
		http.Header{"Accept": {"application/json"}})
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("JSON rating = %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	var got struct {
		Count       int     `json:"count"`
		Average     float64 `json:"average"`
		Histogram   []int   `json:"histogram"`
		Yours       int     `json:"yours"`
		SummaryHTML string  `json:"summary_html"`
	}
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatal(err)
	}
	if got.Count != 2 || got.Average != 8 || got.Yours != 7 || got.Histogram[6] != 1 || got.Histogram[8] != 1 {
		t.Errorf("JSON = %+v", got)
	}
	if !strings.Contains(got.SummaryHTML, `id="rating-summary"`) || !strings.Contains(got.SummaryHTML, "from 2 ratings") {
		t.Errorf("summary_html = %q", got.SummaryHTML)
	}
}

func TestRatingBadInput(t *testing.T) {
	s := mustSite(t)
	rd := s.newBrowser("198.51.100.1")
	for _, value := range []string{"0", "11", "abc", "", "7.5"} {
		resp := rd.rate(t, value)
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("rating %q = %d, want 422", value, resp.StatusCode)
		}
	}
	if resp, _ := rd.do(t, http.MethodPost, "/films/no-such-film/rating", url.Values{"rating": {"5"}}, nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("rating an unknown film = %d, want 404", resp.StatusCode)
	}
	if resp, _ := rd.do(t, http.MethodGet, "/films/paris-2008/rating", nil, nil); resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != "POST" {
		t.Errorf("GET rating = %d Allow %q, want 405 with Allow: POST", resp.StatusCode, resp.Header.Get("Allow"))
	}
	if average, _, _ := rd.summary(t); average != "9/10 from 1 rating" {
		t.Errorf("bad ratings were stored: %q, want only the seeded review's 9", average)
	}
}

func TestCrossSitePostIsRefused(t *testing.T) {
	s := mustSite(t)
	rd := s.newBrowser("198.51.100.1")
	resp, body := rd.do(t, http.MethodPost, "/films/paris-2008/rating", url.Values{"rating": {"5"}},
		http.Header{"Sec-Fetch-Site": {"cross-site"}})
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "another site") {
		t.Fatalf("cross-site POST = %d, want 403 with an explanation", resp.StatusCode)
	}
	resp, _ = rd.do(t, http.MethodPost, "/films/paris-2008/rating", url.Values{"rating": {"5"}},
		http.Header{"Origin": {"https://evil.example"}})
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("POST with a foreign Origin = %d, want 403", resp.StatusCode)
	}
	if average, _, _ := rd.summary(t); average != "9/10 from 1 rating" {
		t.Errorf("a refused rating was stored: %q, want only the seeded review's 9", average)
	}
}

// reviewForm loads the review form as rd and returns its fields filled with
// a valid review.
func (rd *browser) reviewForm(tb testing.TB) url.Values {
	tb.Helper()
	doc := rd.page(tb, "/films/paris-2008/reviews/new", http.StatusOK)
	token, ok := doc.Find(`form.review-form input[name=form_token]`).Attr("value")
	if !ok || token == "" {
		tb.Fatal("review form has no token")
	}
	return url.Values{
		"form_token":   {token},
		"display_name": {"Camille"},
		"title":        {"A city seen from a balcony"},
		"rating":       {"8"},
		"body":         {"Binoche carries it, and the *market* scenes are a joy."},
		"website":      {""},
	}
}

func (rd *browser) submitReview(tb testing.TB, form url.Values) (*http.Response, string) {
	tb.Helper()
	return rd.do(tb, http.MethodPost, "/films/paris-2008/reviews", form, nil)
}

// readerReviewStatuses counts the stored reader reviews by status.
func (s *site) readerReviewStatuses(tb testing.TB) map[string]int {
	tb.Helper()
	conn, err := sql.Open("sqlite3", "file:"+s.path+"?mode=ro")
	if err != nil {
		tb.Fatal(err)
	}
	defer conn.Close()
	rows, err := conn.Query("SELECT status, count(*) FROM reader_reviews GROUP BY status")
	if err != nil {
		tb.Fatal(err)
	}
	defer rows.Close()
	counts := map[string]int{}
	for rows.Next() {
		var status string
		var n int
		if err := rows.Scan(&status, &n); err != nil {
			tb.Fatal(err)
		}
		counts[status] = n
	}
	return counts
}

func TestReaderReviewGoesToModeration(t *testing.T) {
	s := mustSite(t)
	rd := s.newBrowser("198.51.100.1")
	form := rd.reviewForm(t)
	s.clock.Advance(time.Minute) // A person takes a while to write.
	resp, _ := rd.submitReview(t, form)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/films/paris-2008/reviews/submitted" {
		t.Fatalf("submit = %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	doc := rd.page(t, "/films/paris-2008/reviews/submitted", http.StatusOK)
	if got := text(doc, "h1"); got != "Thank you for your review" {
		t.Errorf("h1 = %q", got)
	}
	if got := text(doc, ".notice"); !strings.Contains(got, "awaiting approval") {
		t.Errorf("notice = %q, want it to say the review awaits approval", got)
	}
	if got := s.readerReviewStatuses(t); got["pending"] != 1 || got["approved"] != 1 {
		t.Errorf("stored reviews = %v, want the new one pending beside the seeded approved one", got)
	}
	// Pending reviews are not public.
	film := rd.page(t, "/films/paris-2008", http.StatusOK)
	if strings.Contains(film.Text(), "A city seen from a balcony") {
		t.Error("a pending review appears on the film page")
	}
}

func TestReaderReviewBadInputKeepsTheText(t *testing.T) {
	big := strings.Repeat("Tout est beau. ", 70_000) // about 1 MB
	tests := []struct {
		name       string
		change     func(url.Values)
		wantStatus int
		wantField  string // the field whose message must show
		wantKept   string // typed text that must come back in the form
	}{
		{"empty body", func(v url.Values) { v.Set("body", "   ") }, 422, "body", "Camille"},
		{"rating 11", func(v url.Values) { v.Set("rating", "11") }, 422, "rating", "A city seen from a balcony"},
		{"no rating", func(v url.Values) { v.Del("rating") }, 422, "rating", "Camille"},
		{"1 MB body", func(v url.Values) { v.Set("body", big) }, 422, "body", big[:5000]},
		{"invalid UTF-8", func(v url.Values) { v.Set("title", "Bad \xff\xfe bytes") }, 422, "title", "Bad \uFFFD bytes"},
		{"too many links", func(v url.Values) {
			v.Set("body", "See https://a.example and https://b.example and https://c.example")
		}, 422, "body", "https://c.example"},
		{"empty name", func(v url.Values) { v.Set("display_name", "") }, 422, "display_name", "A city seen from a balcony"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustSite(t)
			rd := s.newBrowser("198.51.100.1")
			form := rd.reviewForm(t)
			tt.change(form)
			s.clock.Advance(time.Minute)
			resp, body := rd.submitReview(t, form)
			if resp.StatusCode != tt.wantStatus {
				t.Fatalf("status = %d, want %d", resp.StatusCode, tt.wantStatus)
			}
			doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			if msg := text(doc, "#review-"+tt.wantField+"-error"); msg == "" {
				t.Errorf("no message beside %s", tt.wantField)
			}
			if inv, _ := doc.Find("#review-" + tt.wantField).Attr("aria-invalid"); inv != "true" {
				t.Errorf("%s is not marked aria-invalid", tt.wantField)
			}
			if doc.Find(".error-summary a").Length() == 0 {
				t.Error("no error summary")
			}
			kept := doc.Find("#review-display_name").AttrOr("value", "") + doc.Find("#review-title").AttrOr("value", "") +
				doc.Find("#review-body").Text()
			if !strings.Contains(kept, tt.wantKept) {
				t.Errorf("the form did not keep %.60q", tt.wantKept)
			}
			if got := s.readerReviewStatuses(t); got["pending"]+got["spam"] != 0 {
				t.Errorf("invalid review stored: %v", got)
			}
		})
	}
}

func TestReaderReviewTooLargeIs413(t *testing.T) {
	s := mustSite(t)
	rd := s.newBrowser("198.51.100.1")
	form := rd.reviewForm(t)
	form.Set("body", strings.Repeat("x", 3<<20))
	s.clock.Advance(time.Minute)
	resp, body := rd.submitReview(t, form)
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("status = %d, want 413", resp.StatusCode)
	}
	if !strings.Contains(body, "too large") || !strings.Contains(body, `class="review-form"`) {
		t.Error("413 page does not explain or does not offer the form again")
	}
	if got := s.readerReviewStatuses(t); got["pending"] != 0 {
		t.Errorf("stored: %v", got)
	}
}

func TestBotsGetTheSameAnswerAndAreStoredAsSpam(t *testing.T) {
	tests := []struct {
		name    string
		prepare func(*site, url.Values)
	}{
		{"honeypot filled", func(s *site, v url.Values) { v.Set("website", "http://spam.example"); s.clock.Advance(time.Minute) }},
		{"forged token", func(s *site, v url.Values) {
			v.Set("form_token", strconv.FormatInt(testNow.Add(-time.Hour).Unix(), 10)+".AAAA")
			s.clock.Advance(time.Minute)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustSite(t)
			rd := s.newBrowser("198.51.100.1")
			form := rd.reviewForm(t)
			tt.prepare(s, form)
			resp, _ := rd.submitReview(t, form)
			if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/films/paris-2008/reviews/submitted" {
				t.Fatalf("bot got %d to %q, want the same 303 as a person", resp.StatusCode, resp.Header.Get("Location"))
			}
			if got := s.readerReviewStatuses(t); got["spam"] != 1 || got["pending"] != 0 {
				t.Errorf("stored = %v, want one spam and no pending review", got)
			}
		})
	}
}

// TestQuickOrTokenlessReviewsAreConfirmedNotBinned: a review sent from the
// film page's form (which carries no token, so the page can be cached) or
// faster than a person writes is neither stored nor binned: the reader is
// asked once to check it and send it, their text kept, and sending it then
// (however quickly) puts it in the queue.
func TestQuickOrTokenlessReviewsAreConfirmedNotBinned(t *testing.T) {
	tests := []struct {
		name    string
		prepare func(*site, url.Values)
	}{
		{"sent too fast", func(s *site, v url.Values) { s.clock.Advance(time.Second) }},
		{"no form token", func(s *site, v url.Values) { v.Del("form_token"); s.clock.Advance(time.Minute) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustSite(t)
			rd := s.newBrowser("198.51.100.1")
			form := rd.reviewForm(t)
			tt.prepare(s, form)
			resp, body := rd.submitReview(t, form)
			if resp.StatusCode != http.StatusOK || !strings.Contains(body, "please check your review below, then send it") {
				t.Fatalf("first send = %d, want the confirmation step\n%s", resp.StatusCode, body)
			}
			if got := s.readerReviewStatuses(t); len(got) != 1 || got["approved"] != 1 {
				t.Errorf("stored after the first send = %v, want only the seeded review", got)
			}
			confirm := formValues(parse(t, body), "form.review-form")
			if confirm.Get("title") != form.Get("title") || confirm.Get("body") != form.Get("body") || confirm.Get("form_token") == "" {
				t.Fatalf("the confirmation form lost the text or has no token: %v", confirm)
			}
			resp, _ = rd.submitReview(t, confirm) // At once: the text was written before.
			if resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("confirmed send = %d, want 303", resp.StatusCode)
			}
			if got := s.readerReviewStatuses(t); got["pending"] != 1 || got["spam"] != 0 {
				t.Errorf("stored = %v, want the review pending moderation", got)
			}
		})
	}
}

func TestReviewRateLimit(t *testing.T) {
	s := mustSite(t)
	rd := s.newBrowser("198.51.100.7")
	for i := 1; i <= 3; i++ {
		form := rd.reviewForm(t)
		s.clock.Advance(30 * time.Second)
		form.Set("title", fmt.Sprintf("Review number %d", i))
		if resp, _ := rd.submitReview(t, form); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("review %d = %d, want 303", i, resp.StatusCode)
		}
	}
	form := rd.reviewForm(t)
	s.clock.Advance(30 * time.Second)
	form.Set("title", "The fourth in two minutes")
	resp, body := rd.submitReview(t, form)
	if resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("fourth review = %d, want 429", resp.StatusCode)
	}
	if ra, err := strconv.Atoi(resp.Header.Get("Retry-After")); err != nil || ra <= 0 || ra > 600 {
		t.Errorf("Retry-After = %q", resp.Header.Get("Retry-After"))
	}
	if !strings.Contains(body, "The fourth in two minutes") {
		t.Error("429 page did not keep the reader's text")
	}
	// Another client is not affected, and the first may post again later.
	other := s.newBrowser("198.51.100.8")
	form = other.reviewForm(t)
	s.clock.Advance(30 * time.Second)
	if resp, _ := other.submitReview(t, form); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("another client = %d, want 303", resp.StatusCode)
	}
	s.clock.Advance(10 * time.Minute)
	form = rd.reviewForm(t)
	s.clock.Advance(30 * time.Second)
	if resp, _ := rd.submitReview(t, form); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("after the window = %d, want 303", resp.StatusCode)
	}
	if got := s.readerReviewStatuses(t); got["pending"] != 5 {
		t.Errorf("pending = %d, want 5", got["pending"])
	}
}

func TestHelpfulVotesOnePerReader(t *testing.T) {
	s := mustSite(t)
	ana, ben := s.newBrowser("198.51.100.1"), s.newBrowser("198.51.100.2")
	doc := ana.page(t, "/films/paris-2008/reviews", http.StatusOK)
	action, ok := doc.Find(".helpful form").Attr("action")
	if !ok {
		t.Fatal("no helpful button")
	}
	ret := "/films/paris-2008/reviews?sort=helpful"
	for i := 0; i < 2; i++ {
		resp, _ := ana.do(t, http.MethodPost, action, url.Values{"return": {ret}}, nil)
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), ret+"#reader-review-") {
			t.Fatalf("vote = %d to %q", resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	// An off-site return address is never followed.
	resp, _ := ben.do(t, http.MethodPost, action, url.Values{"return": {"//evil.example/x"}}, nil)
	if loc := resp.Header.Get("Location"); !strings.HasPrefix(loc, "/films/paris-2008/reviews#") {
		t.Errorf("redirect after vote = %q, want the film's reviews", loc)
	}
	doc = ana.page(t, "/films/paris-2008/reviews", http.StatusOK)
	if got := text(doc, ".helpful p"); got != "2 readers found this helpful." {
		t.Errorf("helpful text = %q, want 2 readers (Ana's second vote must not count)", got)
	}
	if resp, _ := ana.do(t, http.MethodPost, "/reader-reviews/999999/helpful", url.Values{}, nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("vote on a missing review = %d, want 404", resp.StatusCode)
	}
}

// mustAddReaderReviews stores approved reader reviews, one per rating given,
// a minute apart, every third one flagged as a spoiler.
func (s *site) mustAddReaderReviews(tb testing.TB, ratings []int) {
	tb.Helper()
	var c film.Catalog
	for i, r := range ratings {
		c.ReaderReviews = append(c.ReaderReviews, film.ReaderReview{
			FilmSlug: "paris-2008", DisplayName: "Reader " + strconv.Itoa(i), Title: fmt.Sprintf("Review %02d", i),
			Rating: r, Body: "Body " + strconv.Itoa(i), Spoilers: i%3 == 2, Status: film.ModerationApproved,
			CreatedAt: testNow.Add(-time.Duration(len(ratings)-i) * time.Minute),
		})
	}
	if _, err := s.db.Import(tb.Context(), c); err != nil {
		tb.Fatal(err)
	}
}

func TestReaderReviewListSortsFiltersAndPages(t *testing.T) {
	s := mustSite(t)
	ratings := make([]int, 44)
	for i := range ratings {
		ratings[i] = i%10 + 1
	}
	s.mustAddReaderReviews(t, ratings) // plus the seeded one: 45 approved reviews
	rd := s.newBrowser("198.51.100.1")

	doc := rd.page(t, "/films/paris-2008/reviews", http.StatusOK)
	if got := doc.Find("article.reader-review").Length(); got != 20 {
		t.Fatalf("page 1 has %d reviews, want 20", got)
	}
	if got := text(doc, "article.reader-review h2"); !strings.HasPrefix(got, "Review 43") {
		t.Errorf("newest first: page starts %.20q", got)
	}
	if got := text(doc, ".list-header p"); !strings.HasPrefix(got, "45 reviews") {
		t.Errorf("header = %q", got)
	}
	if href, _ := doc.Find(`.pagination a[rel=next]`).Attr("href"); href != "/films/paris-2008/reviews?page=2" {
		t.Errorf("next link = %q", href)
	}
	last := rd.page(t, "/films/paris-2008/reviews?page=3", http.StatusOK)
	if got := last.Find("article.reader-review").Length(); got != 5 {
		t.Errorf("page 3 has %d reviews, want 5", got)
	}

	high := rd.page(t, "/films/paris-2008/reviews?sort=highest", http.StatusOK)
	var firstRatings []string
	high.Find("article.reader-review .rating .visually-hidden").Slice(0, 6).Each(func(_ int, sel *goquery.Selection) {
		firstRatings = append(firstRatings, sel.Text())
	})
	if diff := cmp.Diff([]string{"10 out of 10", "10 out of 10", "10 out of 10", "10 out of 10", "9 out of 10", "9 out of 10"}, firstRatings); diff != "" {
		t.Errorf("highest first (-want +got):\n%s", diff)
	}
	low := rd.page(t, "/films/paris-2008/reviews?sort=lowest", http.StatusOK)
	if got := low.Find("article.reader-review .rating .visually-hidden").First().Text(); got != "1 out of 10" {
		t.Errorf("lowest first starts with %q", got)
	}

	hidden := rd.page(t, "/films/paris-2008/reviews?spoilers=hide", http.StatusOK)
	if got := text(hidden, ".list-header p"); !strings.HasPrefix(got, "31 reviews") {
		t.Errorf("with spoilers hidden: %q, want 31 (45 less 14 spoiler reviews)", got)
	}
	if hidden.Find("details.spoiler").Length() != 0 {
		t.Error("spoiler reviews shown despite the filter")
	}
	if shown := rd.page(t, "/films/paris-2008/reviews", http.StatusOK); shown.Find("article.reader-review details.spoiler").Length() == 0 {
		t.Error("spoiler reviews are not folded behind a warning")
	}

	for path, want := range map[string]int{
		"/films/paris-2008/reviews?page=4":      http.StatusNotFound,
		"/films/paris-2008/reviews?page=0":      http.StatusBadRequest,
		"/films/paris-2008/reviews?page=abc":    http.StatusBadRequest,
		"/films/paris-2008/reviews?sort=random": http.StatusBadRequest,
		"/films/paris-2008/reviews?spoilers=x":  http.StatusBadRequest,
		"/films/nothing/reviews":                http.StatusNotFound,
	} {
		if resp, body := rd.do(t, http.MethodGet, path, nil, nil); resp.StatusCode != want {
			t.Errorf("GET %s = %d, want %d", path, resp.StatusCode, want)
		} else if want == http.StatusBadRequest && !strings.Contains(body, "<h1>Bad request</h1>") {
			t.Errorf("GET %s: 400 page lacks its heading", path)
		}
	}
}

func TestFilmPageShowsMostHelpfulReaderReviews(t *testing.T) {
	s := mustSite(t)
	s.mustAddReaderReviews(t, []int{3, 4, 5, 6, 7, 8})
	doc := s.newBrowser("198.51.100.1").page(t, "/films/paris-2008", http.StatusOK)
	if got := doc.Find("#reader-reviews article.reader-review").Length(); got != 5 {
		t.Errorf("film page shows %d reader reviews, want 5", got)
	}
	if got := text(doc, "#reader-reviews .more a"); got != "All 7 reader reviews" {
		t.Errorf("link to all reviews = %q", got)
	}
	if doc.Find("#write-review form.review-form").Length() != 1 {
		t.Error("film page has no review form")
	}
}

// TestConcurrentRatingsAndReviews sends 200 ratings and review submissions
// at once over real HTTP, from 200 clients, and checks that every one was
// stored, the aggregate equals a recount, and no request failed.
func TestConcurrentRatingsAndReviews(t *testing.T) {
	s := mustSiteWith(t, web.Config{TrustProxy: true})
	srv := httptest.NewServer(s.handler)
	defer srv.Close()

	const clients = 200
	tokens := make([]string, clients)
	for i := range tokens {
		rd := s.newBrowser("203.0.113.1")
		tokens[i] = rd.reviewForm(t).Get("form_token")
	}
	s.clock.Advance(time.Minute)

	var wg sync.WaitGroup
	statuses := make(chan string, clients)
	for i := 0; i < clients; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			form := url.Values{"rating": {strconv.Itoa(i%10 + 1)}}
			path := "/films/paris-2008/rating"
			if i%2 == 1 {
				path = "/films/paris-2008/reviews"
				form = url.Values{"form_token": {tokens[i]}, "display_name": {"Reader " + strconv.Itoa(i)},
					"title": {"Concurrent " + strconv.Itoa(i)}, "rating": {"7"}, "body": {"Written at the same time as many others."}}
			}
			client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			// Each rater is a new reader: it answers the proof step first.
			resp, body, err := postFollowingProof(client, srv.URL+path, form,
				http.Header{"X-Forwarded-For": {fmt.Sprintf("10.0.%d.%d", i/250, i%250)}})
			if err != nil {
				statuses <- err.Error()
				return
			}
			if resp.StatusCode != http.StatusSeeOther {
				statuses <- fmt.Sprintf("%s → %d %s", path, resp.StatusCode, bytes.TrimSpace(body[:min(len(body), 200)]))
			}
		}(i)
	}
	wg.Wait()
	close(statuses)
	for st := range statuses {
		t.Errorf("request failed: %s", st)
	}
	if strings.Contains(s.logs.String(), "locked") {
		t.Errorf("the log mentions a lock error:\n%s", s.logs)
	}
	f, err := s.db.FindFilmSummary(t.Context(), "paris-2008")
	if err != nil {
		t.Fatal(err)
	}
	kept, _ := s.db.RatingStats(t.Context(), f.ID)
	recount, _ := s.db.RecountRatingStats(t.Context(), f.ID)
	// Every client is a reader of its own, and a review carries its
	// reader's rating: each counts once, besides the seeded review's.
	if kept.Count != clients+1 || kept != recount {
		t.Errorf("ratings: kept %+v, recount %+v, want %d ratings", kept, recount, clients+1)
	}
	if got := s.readerReviewStatuses(t); got["pending"] != clients/2 {
		t.Errorf("pending reviews = %d, want %d (statuses %v)", got["pending"], clients/2, got)
	}
}
