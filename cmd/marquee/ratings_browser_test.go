package main

// A browser test of one rating per reader: a reader rates a film, then
// writes a review of it with a rating, and the film's histogram counts them
// once; then they take their rating back with the plain button.

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"marquee/internal/browsertest"
)

func TestReviewCountsOnceWithTheReadersRatingInBrowser(t *testing.T) {
	clock := &movedClock{}
	s := mustStartServerWith(t, deps{now: clock.Now})
	ctx := browsertest.New(t) // After the server: see TestReaderRatesAndReviewsInBrowser.
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
	waitFor := func(what, predicate string) {
		t.Helper()
		waitInPage(t, ctx, what, predicate)
	}

	// The reader rates 6 points (three stars) with the star input.
	do("load the film page",
		chromedp.EmulateViewport(390, 844),
		chromedp.Navigate(filmURL),
		chromedp.WaitVisible(chromedp.CSS("#rating-summary")),
	)
	waitFor("the script has enhanced the rating form", `!!document.querySelector('form.rate.js-instant')`)
	do("click three stars", chromedp.Click(chromedp.CSS(`label[for="rating-6"]`)))
	waitFor("the summary counts the seeded 9 and this 6", summaryShows("7.5", 6))

	// The review form starts from the rating the reader gave.
	do("open the review form",
		chromedp.Navigate(filmURL+"/reviews/new"),
		chromedp.WaitVisible(chromedp.CSS("#review-rating")),
	)
	if v, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS("#review-rating"))); err != nil || v != "6" {
		t.Fatalf("the review form's rating starts at %q (err %v), want the reader's 6", v, err)
	}
	// They write a review and give it 8 points.
	do("fill in the review",
		chromedp.SendKeys(chromedp.CSS("#review-display_name"), "Camille"),
		chromedp.SendKeys(chromedp.CSS("#review-title"), "Better the second time"),
		chromedp.SetValue(chromedp.CSS("#review-rating"), "8"),
		chromedp.SendKeys(chromedp.CSS("#review-body"), "Seen again: the market scenes carry it, and Binoche is wonderful."),
	)
	clock.Advance(time.Minute) // A person takes longer than the form's minimum time.
	do("send the review", chromedp.Click(chromedp.CSS(".review-form button[type=submit]")))
	waitFor("the thank-you page is shown", `document.querySelector('h1')?.textContent.trim() === 'Thank you for your review'`)

	// The film counts the reader once, with the review's rating.
	do("back to the film page", chromedp.Navigate(filmURL), chromedp.WaitVisible(chromedp.CSS("#rating-summary")))
	r := summary()
	want := map[string]string{"1": "0", "2": "0", "3": "0", "4": "0", "5": "0", "6": "0", "7": "0", "8": "1", "9": "1", "10": "0"}
	if r.Average != "8.5" || r.Count != "from 2 ratings" {
		t.Errorf("after rating 6 and reviewing with 8, #rating-summary shows %s, want 8.5 from 2 ratings", r)
	}
	for points, n := range want {
		if r.Histogram[points] != n {
			t.Errorf("the histogram counts %q ratings of %s points, want %s: %s", r.Histogram[points], points, n, r)
		}
	}
	if checked, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById('rating-8').checked`)); err != nil || !checked {
		t.Errorf("the rating form does not show the review's 8 as the reader's rating (err %v)", err)
	}

	// The reader takes their rating back with the plain button.
	do("remove the rating",
		chromedp.Click(chromedp.CSS("form.unrate button")),
		chromedp.WaitVisible(chromedp.CSS("#rating-summary")),
	)
	waitFor("the summary is back to the seeded rating alone",
		`(() => { const r = `+readSummaryScript+`; return r.average === '9' && r.count === 'from 1 rating' && !document.querySelector('form.unrate'); })()`)
}

// TestRatedReaderPagePassesAxe checks the film page as a reader who has
// rated sees it (their rating, the remove button, the readers' verdict
// with its interval) on a 375 px phone, in the light and the dark colour
// scheme: axe finds nothing, and nothing scrolls sideways.
func TestRatedReaderPagePassesAxe(t *testing.T) {
	browsertest.RequireAxe(t)
	s := mustStartServer(t)
	ctx := browsertest.New(t) // After the server: see TestPagesPassAxe.
	filmURL := s.URL + "/films/paris-2008"
	// The script sends the rating as soon as a star is chosen; the remove
	// button comes with the next page.
	if err := chromedp.Do(ctx,
		chromedp.EmulateViewport(375, 812, chromedp.EmulatePortrait, chromedp.EmulateMobile, chromedp.EmulateTouch),
		chromedp.Navigate(filmURL),
		chromedp.WaitVisible(chromedp.CSS("form.rate.js-instant")),
		chromedp.Click(chromedp.CSS(`label[for="rating-7"]`)),
	); err != nil {
		t.Fatalf("rate the film: %v", err)
	}
	if err := browsertest.Poll(ctx, `(() => { const r = `+readSummaryScript+`; return r.count === 'from 2 ratings'; })()`,
		10*time.Second); err != nil {
		t.Fatalf("the rating was not counted: %v", err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(filmURL), chromedp.WaitVisible(chromedp.CSS("form.unrate"))); err != nil {
		t.Fatalf("reload as the reader: %v", err)
	}
	t.Run("valid HTML", func(t *testing.T) {
		html, err := chromedp.Run(ctx, chromedp.Evaluate[string](`'<!DOCTYPE html>' + document.documentElement.outerHTML`))
		if err != nil {
			t.Fatalf("read the page: %v", err)
		}
		for _, m := range checkHTML(t, html) {
			t.Errorf("the rated reader's film page is not valid HTML: %s", m)
		}
	})
	for _, scheme := range []string{"light", "dark"} {
		t.Run(scheme, func(t *testing.T) {
			if err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
				_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
					Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
				})
				return err
			})); err != nil {
				t.Fatalf("emulate the %s colour scheme: %v", scheme, err)
			}
			for _, v := range browsertest.Axe(t, ctx, filmURL) {
				t.Errorf("%s, %s, as a reader who rated: %s", filmURL, scheme, v)
			}
			if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('form.unrate button, .reader-score-yours').length`)); err != nil || n != 2 {
				t.Errorf("the page does not show the reader's rating and the remove button (%d found, err %v)", n, err)
			}
			checkNoHorizontalScroll(t, ctx, "/films/paris-2008", 375)
		})
	}
}

// checkHTML runs the Nu HTML Checker on a page and returns its errors; it
// skips the test (fails it in CI) when the checker is not installed.
func checkHTML(t *testing.T, html string) []vnuMessage {
	t.Helper()
	java, err := exec.LookPath("java")
	if err != nil {
		browsertest.SkipUnlessCI(t, "java is not installed: %v", err)
	}
	jar := browsertest.VNUJarPath()
	if _, err := os.Stat(jar); jar == "" || err != nil {
		browsertest.SkipUnlessCI(t, "the Nu HTML Checker is not available (make test installs it)")
	}
	file := filepath.Join(t.TempDir(), "page.html")
	if err := os.WriteFile(file, []byte(html), 0o600); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(t.Context(), java, "-jar", jar, "--errors-only", "--stdout", "--format", "json", file)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run() // The checker exits 1 when it reports errors.
	var report struct {
		Messages []vnuMessage `json:"messages"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &report); err != nil {
		t.Fatalf("the Nu HTML Checker gave no JSON report (exit: %v): %v\n%s", runErr, err, stderr.String())
	}
	return report.Messages
}
