package web_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/google/go-cmp/cmp"
)

// histogramCounts reads the film page's histogram, 10 points down to 1.
func histogramCounts(doc *goquery.Document) []string {
	var counts []string
	doc.Find("#rating-summary .histogram tbody tr td.num").Each(func(_ int, td *goquery.Selection) {
		counts = append(counts, td.Text())
	})
	return counts
}

// TestReviewCarriesTheReadersRating follows a reader who rates a film, then
// writes a review of it: the review form starts from their rating, the
// review's rating replaces it, and the histogram counts the reader once.
func TestReviewCarriesTheReadersRating(t *testing.T) {
	s := mustSite(t)
	rd := s.newBrowser("198.51.100.1")
	if resp := rd.rate(t, "6"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("rating = %d", resp.StatusCode)
	}
	doc := rd.page(t, "/films/paris-2008/reviews/new", http.StatusOK)
	if got, _ := doc.Find("#review-rating option[selected]").Attr("value"); got != "6" {
		t.Errorf("review form starts from %q, want the reader's rating 6", got)
	}
	if got := text(doc, "#review-rating-hint"); !strings.Contains(got, "replaces any rating you gave") {
		t.Errorf("the rating field does not say it replaces the reader's rating: %q", got)
	}
	// A new reader's form starts empty.
	if got, ok := s.newBrowser("198.51.100.2").page(t, "/films/paris-2008/reviews/new", http.StatusOK).
		Find("#review-rating option[selected]").Attr("value"); ok && got != "" {
		t.Errorf("a new reader's form starts from %q, want no rating", got)
	}

	form := rd.reviewForm(t)
	form.Set("rating", "8")
	s.clock.Advance(time.Minute)
	if resp, _ := rd.submitReview(t, form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("review = %d, want 303", resp.StatusCode)
	}
	// The seeded review's 9 and this reader's 8, each once.
	doc = rd.page(t, "/films/paris-2008", http.StatusOK)
	if diff := cmp.Diff(strings.Split("0 1 1 0 0 0 0 0 0 0", " "), histogramCounts(doc)); diff != "" {
		t.Errorf("histogram after rating 6 then reviewing with 8 (-want +got):\n%s", diff)
	}
	if got := text(doc, "#rating-summary .count"); got != "from 2 ratings" {
		t.Errorf("count = %q, want from 2 ratings", got)
	}
	if got, _ := doc.Find("form.rate input[checked]").Attr("value"); got != "8" {
		t.Errorf("the rating form shows %q, want the review's 8", got)
	}
	if got, _ := doc.Find("#review-rating option[selected]").Attr("value"); got != "8" {
		t.Errorf("the film page's review form starts from %q, want 8", got)
	}
	// An anonymous visitor sees the same count, at once.
	anon, _ := s.mustPage(t, "/films/paris-2008", http.StatusOK)
	if got := text(anon, "#rating-summary .count"); got != "from 2 ratings" {
		t.Errorf("anonymous count = %q, want from 2 ratings", got)
	}
}

// TestRemoveRating takes a rating back with the plain form button: the
// page shows the change on the very next request, for the reader and for
// everyone, through the page cache.
func TestRemoveRating(t *testing.T) {
	s := mustCachedSite(t)
	rd := s.newBrowser("198.51.100.1")
	if resp := rd.rate(t, "4"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("rating = %d", resp.StatusCode)
	}
	if _, body := fetch(t, s.handler, "/films/paris-2008", nil); !bytes.Contains(body, []byte("from 2 ratings")) {
		t.Fatal("the anonymous page does not count the new rating")
	}
	doc := rd.page(t, "/films/paris-2008", http.StatusOK)
	remove := doc.Find("form.unrate")
	action, _ := remove.Attr("action")
	if remove.Length() != 1 || action != "/films/paris-2008/rating" || strings.TrimSpace(remove.Find("button").Text()) != "Remove my rating" {
		t.Fatalf("remove form = %d forms to %q saying %q", remove.Length(), action, remove.Find("button").Text())
	}
	fields := url.Values{}
	remove.Find("input[type=hidden]").Each(func(_ int, in *goquery.Selection) {
		name, _ := in.Attr("name")
		value, _ := in.Attr("value")
		fields.Set(name, value)
	})

	// A post from another site is refused, and changes nothing.
	if resp, _ := rd.do(t, http.MethodPost, action, fields, http.Header{"Sec-Fetch-Site": {"cross-site"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site removal = %d, want 403", resp.StatusCode)
	}
	resp, _ := rd.do(t, http.MethodPost, action, fields, nil)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/films/paris-2008#ratings" {
		t.Fatalf("removal = %d to %q, want 303 back to the ratings", resp.StatusCode, resp.Header.Get("Location"))
	}
	doc = rd.page(t, "/films/paris-2008", http.StatusOK)
	if got := text(doc, "#rating-summary .count"); got != "from 1 rating" {
		t.Errorf("after removal the reader sees %q, want from 1 rating", got)
	}
	if doc.Find("form.rate input[checked]").Length() != 0 || doc.Find("form.unrate").Length() != 0 {
		t.Error("after removal the page still shows the reader's rating or the remove button")
	}
	// The anonymous page, cached before, changes on the very next request.
	_, body := fetch(t, s.handler, "/films/paris-2008", nil)
	if !bytes.Contains(body, []byte("from 1 rating")) || bytes.Contains(body, []byte("from 2 ratings")) {
		t.Error("the cached anonymous page still counts the removed rating")
	}
	if _, fresh := fetch(t, s.fresh(t), "/films/paris-2008", nil); !bytes.Equal(body, fresh) {
		t.Error("the cached page differs from a fresh render")
	}

	// Removing with no reader cookie, or again, changes nothing.
	for _, who := range []*browser{s.newBrowser("198.51.100.9"), rd} {
		if resp, _ := who.do(t, http.MethodPost, action, fields, nil); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("removing nothing = %d, want 303", resp.StatusCode)
		}
	}
	if got := text(rd.page(t, "/films/paris-2008", http.StatusOK), "#rating-summary .count"); got != "from 1 rating" {
		t.Errorf("after removing nothing: %q", got)
	}
	// A script gets the new aggregate.
	rd.rate(t, "2")
	resp, raw := rd.do(t, http.MethodPost, action, fields, http.Header{"Accept": {"application/json"}})
	var got struct {
		Count int `json:"count"`
		Yours int `json:"yours"`
	}
	if err := json.Unmarshal([]byte(raw), &got); err != nil || resp.StatusCode != http.StatusOK || got.Count != 1 || got.Yours != 0 {
		t.Errorf("JSON removal = %d %+v (%v)", resp.StatusCode, got, err)
	}
}

// TestRatingsShowOneScale checks that ratings read the same everywhere: half
// stars drawn for the eye and the number for screen readers, in the
// histogram, the review list, the film index and the home page.
func TestRatingsShowOneScale(t *testing.T) {
	s := mustSite(t)
	rd := s.newBrowser("198.51.100.1")
	rd.rate(t, "7")
	film := rd.page(t, "/films/paris-2008", http.StatusOK)
	if got := texts(film, "#rating-summary .histogram th .points .stars"); len(got) != 10 || got[0] != "★★★★★" || got[1] != "★★★★½" || got[9] != "½" {
		t.Errorf("histogram stars = %q", got)
	}
	if got := texts(film, "#rating-summary .histogram th .points .visually-hidden"); len(got) != 10 || got[1] != "9 out of 10" {
		t.Errorf("histogram labels = %q", got)
	}
	if film.Find(".points .stars:not([aria-hidden=true])").Length() != 0 {
		t.Error("star glyphs are read out to screen readers")
	}
	// Two ratings (9 and 7): the average says how sure it is.
	if got := text(film, "#rating-summary .certainty"); !strings.HasPrefix(got, "95% interval ") {
		t.Errorf("certainty = %q", got)
	}
	reviews, _ := s.mustPage(t, "/films/paris-2008/reviews", http.StatusOK)
	if got := text(reviews, "article.reader-review .rating"); got != "★★★★½ 9 out of 10" {
		t.Errorf("review rating = %q", got)
	}
	if got := text(reviews, ".list-header p"); !strings.Contains(got, "readers’ average ★★★★ 8/10 8 out of 10 from 2 ratings (95% interval") {
		t.Errorf("review list header = %q", got)
	}
	index, _ := s.mustPage(t, "/films", http.StatusOK)
	if got := text(index, ".film-row .stats"); !strings.HasPrefix(got, "★★★★ 8/10 8 out of 10 from 2 ratings") {
		t.Errorf("film index rating = %q", got)
	}
	home, _ := s.mustPage(t, "/", http.StatusOK)
	if got := text(home, "section[aria-labelledby=trending] .stats .points .visually-hidden"); got != "8 out of 10" {
		t.Errorf("home page rating = %q", got)
	}
}
