package web_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"marquee/internal/film"
	"marquee/internal/web"
)

// ratingProof reads the proof step of a first rating (see rateFilm) out of
// the response to a rating post, and returns the form to send again with
// the proof, as the script (JSON) or a person's click (the page's form)
// would; nil when the response is not that step.
func ratingProof(method, target string, form url.Values, resp *http.Response, body []byte) url.Values {
	if method != http.MethodPost || !strings.HasSuffix(target, "/rating") || resp.StatusCode != http.StatusOK ||
		form == nil || form.Get("confirm") != "" {
		return nil
	}
	var proof string
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		var step struct {
			Confirm string `json:"confirm"`
		}
		if json.Unmarshal(body, &step) != nil {
			return nil
		}
		proof = step.Confirm
	} else if doc, err := goquery.NewDocumentFromReader(strings.NewReader(string(body))); err == nil {
		proof, _ = doc.Find(`form.rate-confirm input[name="confirm"]`).Attr("value")
	}
	if proof == "" {
		return nil
	}
	again := url.Values{}
	for k, v := range form {
		again[k] = v
	}
	again.Set("confirm", proof)
	return again
}

// postFollowingProof posts form to target with client and, when the answer
// is a first rating's proof step, posts it again with the proof and the
// reader cookie the step set, as the page's script does. It returns the
// last answer with its body read.
func postFollowingProof(client *http.Client, target string, form url.Values, header http.Header) (*http.Response, []byte, error) {
	var cookies []*http.Cookie
	for {
		req, err := http.NewRequest(http.MethodPost, target, strings.NewReader(form.Encode()))
		if err != nil {
			return nil, nil, err
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for k, v := range header {
			req.Header[k] = v
		}
		for _, c := range cookies {
			req.AddCookie(c)
		}
		resp, err := client.Do(req)
		if err != nil {
			return nil, nil, err
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return nil, nil, err
		}
		again := ratingProof(http.MethodPost, req.URL.Path, form, resp, body)
		if again == nil {
			return resp, body, nil
		}
		form, cookies = again, resp.Cookies()
	}
}

// The tests below attack the rating and helpful-vote forms as issue 12's
// red team did (cookieless posts from one address) and check the defence:
// the proof step, the per-address budgets, the held bursts and the desk.

// stuffer is the one address the attacks come from.
const stuffer = "203.0.113.66"

// ratingsOf returns the film's published rating aggregate and its held
// bursts.
func (s *site) ratingsOf(tb testing.TB, slug string) (film.RatingStats, []film.HeldBurst) {
	tb.Helper()
	f, err := s.db.FindFilmSummary(tb.Context(), slug)
	if err != nil {
		tb.Fatal(err)
	}
	stats, err := s.db.RatingStats(tb.Context(), f.ID)
	if err != nil {
		tb.Fatal(err)
	}
	bursts, err := s.db.HeldBursts(tb.Context())
	if err != nil {
		tb.Fatal(err)
	}
	return stats, bursts
}

// anonymousCount is the rating count an anonymous visitor's film page
// shows ("from 4 ratings").
func anonymousCount(tb testing.TB, h http.Handler) string {
	tb.Helper()
	_, body := fetch(tb, h, "/films/paris-2008", nil)
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	return text(doc, "#rating-summary .count")
}

// stuffRatings sends n ratings of Paris from n new browsers on one
// address, each answering the proof step as the script does, and counts
// the final answers by status.
func (s *site) stuffRatings(tb testing.TB, addr string, n int, value string) map[int]int {
	tb.Helper()
	statuses := map[int]int{}
	for range n {
		resp, _ := s.newBrowser(addr).do(tb, http.MethodPost, "/films/paris-2008/rating", url.Values{"rating": {value}}, nil)
		statuses[resp.StatusCode]++
	}
	return statuses
}

func TestStuffingCookielessRatingsAreConfirmedBudgetedAndHeld(t *testing.T) {
	s := mustCachedSite(t)
	if stats, _ := s.ratingsOf(t, "paris-2008"); stats.Count != 1 {
		t.Fatalf("seeded ratings = %d, want 1", stats.Count)
	}

	// 30 cookieless posts that do not answer the proof step store nothing:
	// each gets the confirm page and a cookie, and the count stays.
	for i := range 30 {
		rd := s.newBrowser(stuffer)
		rd.followConfirm = false
		resp, body := rd.do(t, http.MethodPost, "/films/paris-2008/rating", url.Values{"rating": {"10"}}, nil)
		if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Cache-Control"), "no-store") || rd.cookies["marquee_reader"] == nil {
			t.Fatalf("cookieless rating %d = %d, Cache-Control %q, cookie %v; want the proof step", i+1, resp.StatusCode, resp.Header.Get("Cache-Control"), rd.cookies["marquee_reader"])
		}
		doc, _ := goquery.NewDocumentFromReader(strings.NewReader(body))
		if text(doc, "main h1") != "Confirm your rating" || doc.Find(`form.rate-confirm input[name="rating"][value="10"]`).Length() != 1 {
			t.Fatalf("proof step page: heading %q, form %d", text(doc, "main h1"), doc.Find("form.rate-confirm").Length())
		}
	}
	if stats, bursts := s.ratingsOf(t, "paris-2008"); stats.Count != 1 || len(bursts) != 0 {
		t.Fatalf("after 30 unconfirmed posts: %d ratings, %d bursts; want 1 and none", stats.Count, len(bursts))
	}

	// The attack, with the proof step answered: 30 new browsers on
	// one address. The first three fresh cookies count; the next two
	// (the rest of the film's budget of 5 new ratings an hour from one
	// address) are stored but held; the other 25 are refused.
	statuses := s.stuffRatings(t, stuffer, 30, "10")
	if statuses[http.StatusSeeOther] != 5 || statuses[http.StatusTooManyRequests] != 25 {
		t.Errorf("answers = %v, want 5 × 303 and 25 × 429", statuses)
	}
	stats, bursts := s.ratingsOf(t, "paris-2008")
	if stats.Count != 4 || stats.Total != 9+30 {
		t.Errorf("published = %+v, want the seeded 9 and three 10s", stats)
	}
	if len(bursts) != 1 || bursts[0].Count != 2 || bursts[0].FilmSlug != "paris-2008" || bursts[0].Kind != film.BurstRatings {
		t.Errorf("held bursts = %+v, want one of Paris's 2", bursts)
	}
	if got := anonymousCount(t, s.handler); got != "from 4 ratings" {
		t.Errorf("the film page says %q, want from 4 ratings", got)
	}
	// A minute later (the per-client limit of 30 posts a minute has
	// passed) the film's budget still refuses, and the home page's
	// threshold is still out of reach.
	s.clock.Advance(time.Minute)
	resp, body := s.newBrowser(stuffer).do(t, http.MethodPost, "/films/paris-2008/rating", url.Values{"rating": {"10"}}, nil)
	checkTooManyRequests(t, resp, body, time.Hour, "This film has had many new ratings from your network in the last hour.")
	s.stuffRatings(t, stuffer, 30, "10")
	if stats, _ := s.ratingsOf(t, "paris-2008"); stats.Count >= film.MinRatingsForTopRated {
		t.Errorf("one address reached %d ratings in a minute", stats.Count)
	}
	home := func() *goquery.Selection {
		_, body := fetch(t, s.handler, "/", nil)
		doc, _ := goquery.NewDocumentFromReader(bytes.NewReader(body))
		return doc.Find(`section[aria-labelledby="top-rated"] a[href="/films/paris-2008"]`)
	}
	if home().Length() != 0 {
		t.Error("the stuffed film is on the home page's highest rated list")
	}

	// Another address has budgets of its own.
	if st := s.stuffRatings(t, "198.51.100.77", 1, "3"); st[http.StatusSeeOther] != 1 {
		t.Errorf("a reader on another address = %v, want 303", st)
	}
}

func TestRealReaderConfirmsOnceThenRatesInOneRequest(t *testing.T) {
	s := mustSite(t)
	rd := s.newBrowser("198.51.100.5")
	rd.followConfirm = false

	// Without the script: the proof page, then one click on its button.
	resp, body := rd.do(t, http.MethodPost, "/films/paris-2008/rating", url.Values{"rating": {"7"}}, nil)
	doc, _ := goquery.NewDocumentFromReader(strings.NewReader(body))
	form := doc.Find("form.rate-confirm")
	action, _ := form.Attr("action")
	proof, _ := form.Find(`input[name="confirm"]`).Attr("value")
	if resp.StatusCode != http.StatusOK || action != "/films/paris-2008/rating" || proof == "" || form.Find(`button[type="submit"]`).Length() != 1 {
		t.Fatalf("first rating = %d, confirm form action %q, proof %q", resp.StatusCode, action, proof)
	}
	if stats, _ := s.ratingsOf(t, "paris-2008"); stats.Count != 1 {
		t.Fatalf("the proof step stored a rating: %d", stats.Count)
	}
	resp, _ = rd.do(t, http.MethodPost, action, url.Values{"rating": {"7"}, "confirm": {proof}}, nil)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/films/paris-2008#ratings" {
		t.Fatalf("confirmed rating = %d to %q, want 303 to the ratings", resp.StatusCode, resp.Header.Get("Location"))
	}
	// From now on, one request per rating, changes unbudgeted.
	for i, v := range []string{"8", "9", "6", "5", "4", "3", "2", "1", "10", "8"} {
		if resp := rd.rate(t, v); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("change %d = %d, want 303 at once", i+1, resp.StatusCode)
		}
	}
	if average, _, yours := rd.summary(t); average != "8.5/10 from 2 ratings" || yours != "8" {
		t.Errorf("after the changes: %q, yours %q", average, yours)
	}
	if resp, _ := rd.do(t, http.MethodPost, "/films/the-spanish-apartment-2002/rating", url.Values{"rating": {"9"}}, nil); resp.StatusCode != http.StatusSeeOther && resp.StatusCode != http.StatusNotFound {
		t.Errorf("a known reader's first rating of another film = %d, want 303 at once", resp.StatusCode)
	}

	// The script's way: JSON asks for the proof, the same form with it
	// saves the rating.
	js := s.newBrowser("198.51.100.6")
	js.followConfirm = false
	accept := http.Header{"Accept": {"application/json"}}
	resp, body = js.do(t, http.MethodPost, "/films/paris-2008/rating", url.Values{"rating": {"4"}}, accept)
	var step struct{ Confirm string }
	if err := json.Unmarshal([]byte(body), &step); err != nil || resp.StatusCode != http.StatusOK || step.Confirm == "" {
		t.Fatalf("JSON proof step = %d %s", resp.StatusCode, body)
	}
	resp, body = js.do(t, http.MethodPost, "/films/paris-2008/rating", url.Values{"rating": {"4"}, "confirm": {step.Confirm}}, accept)
	var saved struct{ Count, Yours int }
	if err := json.Unmarshal([]byte(body), &saved); err != nil || saved.Count != 3 || saved.Yours != 4 {
		t.Fatalf("JSON rating with the proof = %d %s", resp.StatusCode, body)
	}

	// A proof made for another cookie, or too old, proves nothing.
	thief := s.newBrowser("198.51.100.7")
	thief.followConfirm = false
	resp, _ = thief.do(t, http.MethodPost, "/films/paris-2008/rating", url.Values{"rating": {"1"}, "confirm": {proof}}, nil)
	if resp.StatusCode != http.StatusOK {
		t.Errorf("another cookie's proof = %d, want the proof step again", resp.StatusCode)
	}
	late := s.newBrowser("198.51.100.8")
	late.followConfirm = false
	_, body = late.do(t, http.MethodPost, "/films/paris-2008/rating", url.Values{"rating": {"1"}}, nil)
	doc, _ = goquery.NewDocumentFromReader(strings.NewReader(body))
	old, _ := doc.Find(`input[name="confirm"]`).Attr("value")
	s.clock.Advance(11 * time.Minute)
	if resp, _ := late.do(t, http.MethodPost, "/films/paris-2008/rating", url.Values{"rating": {"1"}, "confirm": {old}}, nil); resp.StatusCode != http.StatusOK {
		t.Errorf("an 11-minute-old proof = %d, want the proof step again", resp.StatusCode)
	}
	if stats, _ := s.ratingsOf(t, "paris-2008"); stats.Count != 3 {
		t.Errorf("ratings = %d, want 3: the refused proofs stored nothing", stats.Count)
	}
}

func TestFilmPageStaysSharedThroughTheProofStep(t *testing.T) {
	s := mustCachedSite(t)
	_, first := fetch(t, s.handler, "/films/paris-2008", nil)
	if bytes.Contains(first, []byte(`name="confirm"`)) {
		t.Error("the shared film page carries a proof token")
	}
	hits := s.metric(t, "marquee_page_cache_hits_total")
	// Readers meeting the proof step change nothing anyone else sees.
	for i := range 3 {
		rd := s.newBrowser("198.51.100." + strconv.Itoa(20+i))
		rd.followConfirm = false
		if resp, _ := rd.do(t, http.MethodPost, "/films/paris-2008/rating", url.Values{"rating": {"6"}}, nil); resp.StatusCode != http.StatusOK {
			t.Fatalf("proof step = %d", resp.StatusCode)
		}
		_, again := fetch(t, s.handler, "/films/paris-2008", nil)
		if !bytes.Equal(first, again) {
			t.Fatalf("anonymous reader %d got other bytes", i+1)
		}
	}
	if got := s.metric(t, "marquee_page_cache_hits_total") - hits; got != 3 {
		t.Errorf("cache hits = %d, want 3: every anonymous reader served the one stored page", got)
	}
}

func TestEditorReleasesAndDiscardsHeldRatings(t *testing.T) {
	s := mustCachedSite(t)
	if st := s.stuffRatings(t, stuffer, 5, "10"); st[http.StatusSeeOther] != 5 {
		t.Fatalf("answers = %v", st)
	}
	_, bursts := s.ratingsOf(t, "paris-2008")
	if len(bursts) != 1 {
		t.Fatalf("bursts = %+v", bursts)
	}
	id := bursts[0].ID
	ed, editor := s.mustEditor(t)
	doc := ed.page(t, "/admin/bursts", http.StatusOK)
	row := doc.Find("#burst-" + strconv.FormatInt(id, 10))
	if got := strings.Join(strings.Fields(row.Find("th").Text()), " "); got != "Ratings of Paris (2008)" {
		t.Errorf("burst row names %q", got)
	}
	if got := strings.TrimSpace(row.Find("td.held").Text()); got != "2 ratings, average 10.0/10" {
		t.Errorf("burst row holds %q", got)
	}
	release, _ := row.Find(`form[action$="/release"]`).Attr("action")
	if release != "/admin/bursts/"+strconv.FormatInt(id, 10)+"/release" {
		t.Fatalf("release form posts to %q", release)
	}

	// A cross-site post is refused like every desk form.
	if resp, _ := ed.do(t, http.MethodPost, release, url.Values{}, http.Header{"Sec-Fetch-Site": {"cross-site"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site release = %d, want 403", resp.StatusCode)
	}
	// A reader cannot release.
	if resp, _ := s.newBrowser("198.51.100.9").do(t, http.MethodPost, release, url.Values{}, nil); resp.StatusCode == http.StatusSeeOther &&
		!strings.Contains(resp.Header.Get("Location"), "signin") {
		t.Errorf("an anonymous release was accepted")
	}

	if got := anonymousCount(t, s.handler); got != "from 4 ratings" {
		t.Fatalf("before release the page says %q", got)
	}
	resp, _ := ed.do(t, http.MethodPost, release, url.Values{}, nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("release = %d", resp.StatusCode)
	}
	// Counted at once: the very next request shows them.
	if got := anonymousCount(t, s.handler); got != "from 6 ratings" {
		t.Errorf("after release the page says %q, want from 6 ratings", got)
	}
	doc = ed.page(t, resp.Header.Get("Location"), http.StatusOK)
	if got := text(doc, ".flash"); got != "Released 2 held ratings or votes: they count now." {
		t.Errorf("flash = %q", got)
	}
	if doc.Find("table.bursts").Length() != 0 || text(doc, "main p.empty") != "Nothing is held." {
		t.Error("the released burst is still listed")
	}
	entries, _, err := s.db.AuditLog(t.Context(), film.AuditFilter{RecordType: "held_burst", RecordID: id})
	if err != nil || len(entries) != 1 || entries[0].Action != "held_burst.release" || entries[0].UserID != editor.ID {
		t.Errorf("audit = %+v, %v", entries, err)
	}

	// A second burst, from another address, discarded: never counted.
	if st := s.stuffRatings(t, "203.0.113.67", 5, "1"); st[http.StatusSeeOther] != 5 {
		t.Fatalf("answers = %v", st)
	}
	_, bursts = s.ratingsOf(t, "paris-2008")
	if len(bursts) != 1 {
		t.Fatalf("bursts = %+v", bursts)
	}
	before := anonymousCount(t, s.handler)
	discard := "/admin/bursts/" + strconv.FormatInt(bursts[0].ID, 10) + "/discard"
	if resp, _ := ed.do(t, http.MethodPost, discard, url.Values{}, nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("discard = %d", resp.StatusCode)
	}
	if got := anonymousCount(t, s.handler); got != before || before != "from 9 ratings" {
		t.Errorf("discard changed the count from %q to %q (want from 9 ratings both)", before, got)
	}
	if stats, bursts := s.ratingsOf(t, "paris-2008"); stats.Count != 9 || len(bursts) != 0 {
		t.Errorf("after discard: %d ratings, bursts %+v", stats.Count, bursts)
	}
	if resp, _ := ed.do(t, http.MethodPost, discard, url.Values{}, nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("discarding again = %d, want 404", resp.StatusCode)
	}
}

func TestStuffingHelpfulVotes(t *testing.T) {
	s := mustCachedSite(t)
	doc := s.newBrowser("198.51.100.30").page(t, "/films/paris-2008/reviews", http.StatusOK)
	vote, _ := doc.Find(".helpful form").First().Attr("action")
	countText := func() string {
		_, body := fetch(t, s.handler, "/films/paris-2008/reviews", nil)
		doc, _ := goquery.NewDocumentFromReader(bytes.NewReader(body))
		return strings.TrimSpace(doc.Find(".helpful p").First().Text())
	}
	if vote == "" || countText() != helpfulText(0) {
		t.Fatalf("vote form %q, count %q", vote, countText())
	}
	statuses := map[int]int{}
	for range 30 {
		resp, _ := s.newBrowser(stuffer).do(t, http.MethodPost, vote, url.Values{}, nil)
		statuses[resp.StatusCode]++
	}
	if statuses[http.StatusSeeOther] != 5 || statuses[http.StatusTooManyRequests] != 25 {
		t.Errorf("answers = %v, want 5 × 303 and 25 × 429", statuses)
	}
	if got := countText(); got != helpfulText(3) {
		t.Errorf("published helpful = %q, want %q", got, helpfulText(3))
	}
	_, bursts := s.ratingsOf(t, "paris-2008")
	if len(bursts) != 1 || bursts[0].Kind != film.BurstVotes || bursts[0].Count != 2 {
		t.Fatalf("bursts = %+v", bursts)
	}
	resp, body := s.newBrowser(stuffer).do(t, http.MethodPost, vote, url.Values{}, nil)
	checkTooManyRequests(t, resp, body, time.Hour, "This review has had many helpful votes from your network in the last hour.")

	ed, _ := s.mustEditor(t)
	doc = ed.page(t, "/admin/bursts", http.StatusOK)
	if got := strings.TrimSpace(doc.Find("table.bursts td.held").Text()); got != "2 votes" {
		t.Errorf("burst row holds %q", got)
	}
	if resp, _ := ed.do(t, http.MethodPost, "/admin/bursts/"+strconv.FormatInt(bursts[0].ID, 10)+"/release", url.Values{}, nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("release = %d", resp.StatusCode)
	}
	if got := countText(); got != helpfulText(5) {
		t.Errorf("after release helpful = %q, want %q", got, helpfulText(5))
	}
}

// helpfulText is how the review list words a helpful count.
func helpfulText(n int) string {
	switch n {
	case 0:
		return "Was this review helpful?"
	case 1:
		return "1 reader found this helpful."
	}
	return strconv.Itoa(n) + " readers found this helpful."
}

func TestStuffingBudgetsCountTheClientsAddress(t *testing.T) {
	// Behind a trusted proxy, each client's own address has its budget;
	// the proxy's address is not shared by all.
	s := mustSiteWith(t, web.Config{TrustProxy: true})
	for i := range 6 {
		rd := s.newBrowser("10.0.0.1") // the proxy
		resp, _ := rd.do(t, http.MethodPost, "/films/paris-2008/rating", url.Values{"rating": {"8"}},
			http.Header{"X-Forwarded-For": {"198.51.100." + strconv.Itoa(40+i)}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("client %d behind the proxy = %d, want 303", i+1, resp.StatusCode)
		}
	}
	if stats, bursts := s.ratingsOf(t, "paris-2008"); stats.Count != 7 || len(bursts) != 0 {
		t.Errorf("six clients behind a proxy: %d ratings, %d bursts; want 7 and none", stats.Count, len(bursts))
	}

	// Not trusted, the header is the client's to forge and is ignored.
	s = mustSite(t)
	forged := map[int]int{}
	for i := range 7 {
		resp, _ := s.newBrowser(stuffer).do(t, http.MethodPost, "/films/paris-2008/rating", url.Values{"rating": {"8"}},
			http.Header{"X-Forwarded-For": {"198.51.100." + strconv.Itoa(40+i)}})
		forged[resp.StatusCode]++
	}
	if forged[http.StatusSeeOther] != 5 || forged[http.StatusTooManyRequests] != 2 {
		t.Errorf("forged X-Forwarded-For: answers %v, want the one address's budget of 5", forged)
	}

	// An IPv6 subscriber's /64 is one address: stepping through it buys
	// no fresh budget.
	s = mustSite(t)
	v6 := map[int]int{}
	for i := range 7 {
		resp, _ := s.newBrowser("[2001:db8:1:2::"+strconv.Itoa(i+1)+"]").do(t, http.MethodPost, "/films/paris-2008/rating", url.Values{"rating": {"8"}}, nil)
		v6[resp.StatusCode]++
	}
	if v6[http.StatusSeeOther] != 5 || v6[http.StatusTooManyRequests] != 2 {
		t.Errorf("seven addresses of one /64: answers %v, want one budget of 5", v6)
	}
	if stats, bursts := s.ratingsOf(t, "paris-2008"); stats.Count != 4 || len(bursts) != 1 || bursts[0].Count != 2 {
		t.Errorf("one /64: %d published, bursts %+v; want 4 and one burst of 2", stats.Count, bursts)
	}
}

func TestCookiesBornInABurstStaySuspect(t *testing.T) {
	s := mustSite(t)
	doc := s.newBrowser("198.51.100.30").page(t, "/films/paris-2008/reviews", http.StatusOK)
	vote, _ := doc.Find(".helpful form").First().Attr("action")
	// Five new cookies on one address vote: the last two are born in a
	// burst. Kept, they rate the film a day later than nothing: held.
	var voters []*browser
	for range 5 {
		rd := s.newBrowser(stuffer)
		if resp, _ := rd.do(t, http.MethodPost, vote, url.Values{}, nil); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("vote = %d", resp.StatusCode)
		}
		voters = append(voters, rd)
	}
	s.clock.Advance(time.Hour)
	for i, rd := range voters {
		rd.followConfirm = false
		if resp, _ := rd.do(t, http.MethodPost, "/films/paris-2008/rating", url.Values{"rating": {"10"}}, nil); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("voter %d's rating = %d, want 303 at once (a known reader)", i+1, resp.StatusCode)
		}
	}
	stats, bursts := s.ratingsOf(t, "paris-2008")
	var heldRatings int
	for _, b := range bursts {
		if b.Kind == film.BurstRatings {
			heldRatings += b.Count
		}
	}
	if stats.Count != 1+3 || heldRatings != 2 {
		t.Errorf("ratings by the voters: %d published, %d held; want 4 (3 and the seeded one) and 2", stats.Count, heldRatings)
	}

	// Removing with a cookie the site does not know makes no reader: the
	// first rating still asks for the proof.
	rd := s.newBrowser("198.51.100.31")
	rd.followConfirm = false
	if resp, _ := rd.do(t, http.MethodPost, "/films/paris-2008/rating", url.Values{"action": {"remove"}}, nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("remove = %d", resp.StatusCode)
	}
	rd.cookies["marquee_reader"] = &http.Cookie{Name: "marquee_reader", Value: strings.Repeat("A", 43)}
	if resp, _ := rd.do(t, http.MethodPost, "/films/paris-2008/rating", url.Values{"action": {"remove"}}, nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("remove with an invented cookie = %d", resp.StatusCode)
	}
	if resp, _ := rd.do(t, http.MethodPost, "/films/paris-2008/rating", url.Values{"rating": {"10"}}, nil); resp.StatusCode != http.StatusOK {
		t.Errorf("rating after removing with an invented cookie = %d, want the proof step", resp.StatusCode)
	}
}

func TestReviewsKeepTheRatingBudgetsAndHolds(t *testing.T) {
	s := mustSite(t)
	review := func(value string) (*http.Response, string) {
		rd := s.newBrowser(stuffer)
		form := rd.reviewForm(t)
		form.Set("rating", value)
		s.clock.Advance(5 * time.Second) // longer than a person takes to write
		return rd.submitReview(t, form)
	}
	// Three fresh cookies rate at once; the fourth writes a review in the
	// same minutes: its review waits for moderation, its rating is held.
	s.stuffRatings(t, stuffer, 3, "10")
	if resp, body := review("10"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("review = %d\n%.300s", resp.StatusCode, body)
	}
	stats, bursts := s.ratingsOf(t, "paris-2008")
	if stats.Count != 4 || len(bursts) != 1 || bursts[0].Count != 1 {
		t.Errorf("after a review from a fourth fresh cookie: %d published, bursts %+v; want 4 and one held", stats.Count, bursts)
	}
	// The film's budget of 5 new ratings an hour from the address counts
	// reviews too: the next review is refused with its text kept.
	s.clock.Advance(11 * time.Minute) // past the review and fresh-cookie windows
	if resp, _ := review("10"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("fifth new rating (a review) = %d, want 303", resp.StatusCode)
	}
	resp, body := review("10")
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("sixth new rating (a review) = %d, Retry-After %q; want 429", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	doc, _ := goquery.NewDocumentFromReader(strings.NewReader(body))
	if got := doc.Find("form.review-form textarea[name=body]").Text(); !strings.Contains(got, "market") ||
		!strings.Contains(doc.Text(), "This film has had many new ratings from your network") {
		t.Errorf("the refused review's form: text kept %v, reason given %v", strings.Contains(got, "market"),
			strings.Contains(doc.Text(), "This film has had many new ratings from your network"))
	}
	if stats, _ := s.ratingsOf(t, "paris-2008"); stats.Count != 5 {
		t.Errorf("published = %d, want 5", stats.Count)
	}
}
