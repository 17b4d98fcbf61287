package main

// Browser tests of the reader features: rating a film with the star input
// (through the script, and as a plain form with JavaScript off) and sending
// a review for moderation. They run the real program and a real Chromium,
// which internal/browsertest starts, or skips the test (fails it in CI) when
// Chromium is missing.

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"marquee/internal/browsertest"
)

// ratingSummary is what #rating-summary shows, as read in the page.
type ratingSummary struct {
	NoRatings bool              `json:"noRatings"` // NoRatings: it says "No ratings yet".
	Average   string            `json:"average"`   // Average is the big number, such as "8".
	Count     string            `json:"count"`     // Count is the line under it: "from 1 rating".
	Histogram map[string]string `json:"histogram"` // Histogram maps points ("1"–"10") to the count shown.
	Text      string            `json:"text"`      // Text is all of the summary's text, for messages.
}

// String formats the summary for a failure message.
func (r ratingSummary) String() string {
	return fmt.Sprintf("average %q, count %q, histogram %v (text: %q)", r.Average, r.Count, r.Histogram, r.Text)
}

// readSummaryScript reads #rating-summary into a ratingSummary. Each
// histogram row names its points for screen readers: "8 out of 10".
const readSummaryScript = `(() => {
	const s = document.getElementById('rating-summary');
	if (!s) return {histogram: {}, text: '(no #rating-summary)'};
	const histogram = {};
	for (const tr of s.querySelectorAll('.histogram tbody tr')) {
		const m = tr.querySelector('th').textContent.match(/(\d+) out of 10/);
		if (m) histogram[m[1]] = tr.querySelector('td.num').textContent.trim();
	}
	const text = el => el ? el.textContent.replace(/\s+/g, ' ').trim() : '';
	return {
		noRatings: text(s.querySelector('.average')) === 'No ratings yet',
		average: text(s.querySelector('.average .value')),
		count: text(s.querySelector('.average .count')),
		histogram, text: text(s),
	};
})()`

// summaryShows is a predicate on the page: #rating-summary shows the average
// avg from two ratings, the seeded reader review's 9 and one at points, and
// the histogram counts each once.
func summaryShows(avg string, points int) string {
	return fmt.Sprintf(`(() => {
		const r = %s, want = {'9': 1};
		want[%q] = (want[%q] || 0) + 1;
		return r.average === %q && r.count === 'from 2 ratings' &&
			Object.entries(r.histogram).every(([p, n]) => n === String(want[p] || 0));
	})()`, readSummaryScript, fmt.Sprint(points), fmt.Sprint(points), avg)
}

// movedClock is the real clock, put forward by hand: the site's time runs
// as usual, and a test can skip ahead rather than wait.
type movedClock struct {
	mu    sync.Mutex
	ahead time.Duration
}

func (c *movedClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.ahead)
}

func (c *movedClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.ahead += d
}

func TestReaderRatesAndReviewsInBrowser(t *testing.T) {
	clock := &movedClock{}
	s := mustStartServerWith(t, deps{now: clock.Now})
	// Start the browser after the server, so that it closes first (cleanups
	// run in reverse order), as in the conformance tests.
	ctx := browsertest.New(t)
	filmURL := s.URL + "/films/paris-2008"

	do := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	summary := func() ratingSummary {
		t.Helper()
		r, err := chromedp.Run(ctx, chromedp.Evaluate[ratingSummary](readSummaryScript))
		if err != nil {
			t.Fatalf("read #rating-summary: %v", err)
		}
		return r
	}
	// waitFor polls a predicate in the page until it holds, trying again
	// when a navigation cuts a poll short; on timeout it fails the test with
	// the summary as the page shows it.
	waitFor := func(what, predicate string) {
		t.Helper()
		waitInPage(t, ctx, what, predicate)
	}
	// The script marks the rating form once it has taken it over; clicking
	// before that would test the page without it.
	const scriptReady = `!!document.querySelector('form.rate.js-instant')`

	do("load the film page",
		chromedp.EmulateViewport(1366, 900),
		chromedp.Navigate(filmURL),
		chromedp.WaitVisible(chromedp.CSS("#rating-summary")),
	)
	waitFor("the script has enhanced the rating form", scriptReady)

	// A new database: the seeded reader review's 9 is the one rating.
	r := summary()
	if r.NoRatings || r.Average != "9" || r.Count != "from 1 rating" {
		t.Errorf("#rating-summary does not show the seeded review's 9 from 1 rating: %s", r)
	}
	if len(r.Histogram) != 10 {
		t.Errorf("the histogram has %d rows, want 10: %s", len(r.Histogram), r)
	}
	for points, n := range r.Histogram {
		if want := map[bool]string{true: "1", false: "0"}[points == "9"]; n != want {
			t.Errorf("the histogram counts %s ratings of %s points on a new database, want %s", n, points, want)
		}
	}

	// Rate 8 points (four stars) with a real click on the star's half. The
	// script sends it and swaps the summary in: the page must not reload.
	// A reload would drop the marker set here and change the address (the
	// plain form redirects to the film page at #ratings).
	before := location(t, ctx)
	do("mark the page", chromedp.Evaluate[chromedp.Void](`window.marqueeTestMarker = 'same page'; undefined`))
	do("click four stars", chromedp.Click(chromedp.CSS(`label[for="rating-8"]`)))
	waitFor("the summary shows an average of 8.5 from 2 ratings", summaryShows("8.5", 8))
	if after := location(t, ctx); after != before {
		t.Errorf("rating with the script changed the address from %s to %s, want no navigation", before, after)
	}
	if marker, err := chromedp.Run(ctx, chromedp.Evaluate[string](`String(window.marqueeTestMarker)`)); err != nil || marker != "same page" {
		t.Errorf("the page was reloaded by rating (marker = %q, err %v), want the summary replaced in place", marker, err)
	}
	if hidden, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`getComputedStyle(document.querySelector('form.rate button[type=submit]')).display === 'none'`)); err != nil || !hidden {
		t.Errorf("with the script, the Rate button is still shown (hidden = %v, err %v)", hidden, err)
	}

	// After a reload the reader's cookie still identifies them: the page
	// shows their rating in the form, and the one rating in the summary.
	do("reload the film page", chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("#rating-summary")))
	waitFor("the script has enhanced the rating form again", scriptReady)
	if r := summary(); r.Count != "from 2 ratings" || r.Average != "8.5" {
		t.Errorf("after a reload, #rating-summary shows %s, want an average of 8.5 from 2 ratings", r)
	}
	if checked, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById('rating-8').checked`)); err != nil || !checked {
		t.Errorf("after a reload, #rating-8 is not checked (err %v): the page does not know the reader's rating", err)
	}

	// Rating again replaces the reader's rating rather than adding one.
	do("click three stars", chromedp.Click(chromedp.CSS(`label[for="rating-6"]`)))
	waitFor("the summary shows an average of 7.5 from 2 ratings", summaryShows("7.5", 6))

	// Write a review in the film page's form. That page is the same for
	// every reader (so it carries no form token), and the server asks the
	// reader to confirm a review sent from it: the confirmation shows the
	// text again, and sending it puts the review in the queue.
	do("open the review form",
		chromedp.Click(chromedp.CSS("details.write-review > summary")),
		chromedp.WaitVisible(chromedp.CSS("#review-display_name")),
	)
	do("fill in the review form",
		chromedp.SendKeys(chromedp.CSS("#review-display_name"), "Camille"),
		chromedp.SendKeys(chromedp.CSS("#review-title"), "Paris as a place people live"),
		chromedp.SetValue(chromedp.CSS("#review-rating"), "9"),
		chromedp.SendKeys(chromedp.CSS("#review-body"), "The market scenes are the heart of it: funny, warm, and never a postcard."),
	)
	if v, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS("#review-rating"))); err != nil || v != "9" {
		t.Fatalf("the rating select holds %q (err %v), want 9", v, err)
	}
	do("send the review", chromedp.Click(chromedp.CSS(".review-form button[type=submit]")))
	waitFor("the confirmation shows the review again",
		`document.querySelector('#review-title')?.value === 'Paris as a place people live' && document.body.textContent.includes('please check your review below')`)
	do("confirm the review", chromedp.Click(chromedp.CSS(".review-form button[type=submit]")))
	waitFor("the thank-you page is shown",
		`document.querySelector('h1')?.textContent.trim() === 'Thank you for your review'`)
	body, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('main').textContent.replace(/\s+/g, ' ')`))
	if err != nil {
		t.Fatalf("read the thank-you page: %v", err)
	}
	if !strings.Contains(body, "awaiting approval") {
		t.Errorf("the page after sending a review does not say it is awaiting approval: %q", body)
	}
	if logs := s.Logs.String(); strings.Contains(logs, "treated as spam") {
		t.Errorf("the server took the test's review for spam:\n%s", logs)
	}
}

func TestRatingWorksWithoutJavaScript(t *testing.T) {
	s := mustStartServer(t)
	ctx := browsertest.New(t) // After the server: see TestReaderRatesAndReviewsInBrowser.
	filmPath := "/films/paris-2008"

	if err := chromedp.Do(ctx,
		chromedp.EmulateViewport(390, 844),
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
			return err
		}),
		chromedp.Navigate(s.URL+filmPath),
	); err != nil {
		t.Fatalf("load %s with JavaScript off: %v", filmPath, err)
	}
	doc := renderedDocument(t, ctx)
	if doc.Find("form.rate.js-instant").Length() != 0 {
		t.Fatalf("the rating form was enhanced although JavaScript is off")
	}
	if got := strings.Join(strings.Fields(doc.Find("#rating-summary .count").Text()), " "); got != "from 1 rating" {
		t.Fatalf("#rating-summary says %q on a new database, want the seeded review's one rating", got)
	}

	// Choose 3½ stars by clicking the label, then send the form with its
	// button: the server redirects back to the film page (POST, redirect,
	// GET), which now counts the rating.
	// With scripts off, chromedp's query actions (which run a little script
	// in the page) cannot work, so these steps use the DOM domain only.
	clickWithoutScript(t, ctx, `label[for="rating-7"]`)
	clickWithoutScript(t, ctx, `form.rate button[type="submit"]`)
	// A first rating from this browser is confirmed with one more click
	// (the defence against rating stuffing; the script does it unseen).
	waitForWithoutScript(t, ctx, "form.rate-confirm")
	clickWithoutScript(t, ctx, `form.rate-confirm button[type="submit"]`)
	// The page after the post offers to remove the rating; the one before
	// did not.
	waitForWithoutScript(t, ctx, "form.unrate")

	u, err := url.Parse(location(t, ctx))
	if err != nil {
		t.Fatal(err)
	}
	if u.Path != filmPath {
		t.Errorf("after rating, the browser is at %s, want the film page %s", u, filmPath)
	}
	doc = renderedDocument(t, ctx)
	if got := strings.Join(strings.Fields(doc.Find("#rating-summary .count").Text()), " "); got != "from 2 ratings" {
		t.Errorf("after rating, #rating-summary says %q, want \"from 2 ratings\"", got)
	}
	if got := strings.TrimSpace(doc.Find("#rating-summary .average .value").Text()); got != "8" {
		t.Errorf("after rating, the average is %q, want 8 (the seeded 9 and this 7)", got)
	}
	if doc.Find("#rating-7[checked]").Length() != 1 {
		t.Errorf("after rating, #rating-7 is not checked in the page: the reader's cookie was not used")
	}
}

// location returns the address of the page in ctx, from the browser's
// history, so it works with JavaScript off as well.
func location(t *testing.T, ctx context.Context) string {
	t.Helper()
	u, err := chromedp.Run(ctx, func(ctx context.Context, tg *chromedp.Target) (string, error) {
		h, err := cdp.Call(ctx, tg, page.GetNavigationHistory, cdp.Empty{})
		if err != nil {
			return "", err
		}
		if h.CurrentIndex < 0 || int(h.CurrentIndex) >= len(h.Entries) {
			return "", fmt.Errorf("no current history entry")
		}
		return h.Entries[h.CurrentIndex].URL, nil
	})
	if err != nil {
		t.Fatalf("read the page's address: %v", err)
	}
	return u
}

// findWithoutScript returns the backend node of the first element that
// matches the CSS selector sel in the page in ctx, or 0 when none does,
// through the DOM domain. Front-end node ids are only valid until the next
// DOM.getDocument, which chromedp also sends as pages load, so a call that
// loses that race is retried, and the stable backend id is returned.
func findWithoutScript(ctx context.Context, sel string) (cdp.BackendNodeID, error) {
	var lastErr error
	for range 20 {
		id, err := chromedp.Run(ctx, func(ctx context.Context, tg *chromedp.Target) (cdp.BackendNodeID, error) {
			d, err := cdp.Call(ctx, tg, dom.GetDocument, dom.GetDocumentParams{})
			if err != nil {
				return 0, err
			}
			q, err := cdp.Call(ctx, tg, dom.QuerySelector, dom.QuerySelectorParams{NodeID: d.Root.NodeID, Selector: sel})
			if err != nil || q.NodeID == 0 {
				return 0, err
			}
			n, err := cdp.Call(ctx, tg, dom.DescribeNode, dom.DescribeNodeParams{NodeID: q.NodeID})
			if err != nil {
				return 0, err
			}
			return n.Node.BackendNodeID, nil
		})
		if err == nil || ctx.Err() != nil {
			return id, err
		}
		lastErr = err
		time.Sleep(50 * time.Millisecond)
	}
	return 0, lastErr
}

// waitForWithoutScript waits until an element matches sel in the page in
// ctx, which may be loading a new document meanwhile.
func waitForWithoutScript(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		id, err := findWithoutScript(ctx, sel)
		if err == nil && id != 0 {
			return
		}
		if ctx.Err() != nil || time.Now().After(deadline) {
			t.Fatalf("no element matches %s at %s (last error: %v)", sel, location(t, ctx), err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// clickWithoutScript clicks with the mouse in the middle of the first
// element that matches sel, after scrolling it into view: a real click, as
// chromedp.Click sends, found without running a script in the page.
func clickWithoutScript(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	id, err := findWithoutScript(ctx, sel)
	if err != nil || id == 0 {
		t.Fatalf("find %s to click it: node %d, error %v", sel, id, err)
	}
	center, err := chromedp.Run(ctx, func(ctx context.Context, tg *chromedp.Target) ([2]float64, error) {
		if _, err := cdp.Call(ctx, tg, dom.ScrollIntoViewIfNeeded, dom.ScrollIntoViewIfNeededParams{BackendNodeID: id}); err != nil {
			return [2]float64{}, err
		}
		res, err := cdp.Call(ctx, tg, dom.GetContentQuads, dom.GetContentQuadsParams{BackendNodeID: id})
		if err != nil {
			return [2]float64{}, err
		}
		if len(res.Quads) == 0 || len(res.Quads[0]) != 8 {
			return [2]float64{}, fmt.Errorf("%s has no box on the page", sel)
		}
		q := res.Quads[0]
		return [2]float64{(q[0] + q[2] + q[4] + q[6]) / 4, (q[1] + q[3] + q[5] + q[7]) / 4}, nil
	})
	if err != nil {
		t.Fatalf("locate %s: %v", sel, err)
	}
	if err := chromedp.Do(ctx, chromedp.MouseClickXY(center[0], center[1])); err != nil {
		t.Fatalf("click %s: %v", sel, err)
	}
}

// renderedDocument reads the document in ctx as the browser built it,
// through the DOM domain (no script runs in the page for it).
func renderedDocument(t *testing.T, ctx context.Context) *goquery.Document {
	t.Helper()
	html, err := chromedp.Run(ctx, func(ctx context.Context, tg *chromedp.Target) (string, error) {
		d, err := cdp.Call(ctx, tg, dom.GetDocument, dom.GetDocumentParams{})
		if err != nil {
			return "", err
		}
		// The backend id: a front-end one may be gone by now (see findWithoutScript).
		res, err := cdp.Call(ctx, tg, dom.GetOuterHTML, dom.GetOuterHTMLParams{BackendNodeID: d.Root.BackendNodeID})
		return res.OuterHTML, err
	})
	if err != nil {
		t.Fatalf("read the rendered document: %v", err)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(html))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}
