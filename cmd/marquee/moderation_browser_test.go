package main

// Browser test of one-click moderation: an editor signs in, approves a
// pending reader review with its own Approve button (pressed from the
// keyboard; the script does it in place), is told the outcome once, and
// finds the review on the film's reviews page. Without the script the
// same forms post the ordinary way (internal/web's moderation tests). It runs the real program, the real "marquee user add"
// command and a real Chromium, which internal/browsertest starts, or skips
// the test (fails it in CI) when Chromium is missing.

import (
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"marquee/internal/browsertest"
)

func TestEditorApprovesReviewWithOneClick(t *testing.T) {
	s := mustStartServer(t)
	const password = "a long and unguessable phrase"
	if out, errOut, err := runUserCommand(t, s.DBPath, password+"\n", "add", "-email", "ed@example.com", "-name", "Ed Itor", "-role", "editor"); err != nil {
		t.Fatalf("user add: %v\n%s%s", err, out, errOut)
	}
	id := mustAddPendingReview(t, s.DBPath)
	anchor := "#reader-review-" + strconv.FormatInt(id, 10)
	approve := `.moderation-item:has(` + anchor + `) form.moderation-one button[value=approve]`

	ctx := browsertest.New(t)
	do := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("%s: %v (at %s)", what, err, location(t, ctx))
		}
	}
	waitFor := func(what, predicate string) {
		t.Helper()
		waitInPage(t, ctx, what, predicate)
	}
	const outcome = "Approved: review by Camille of Paris."
	outcomeShown := `document.querySelector('#moderation-outcome p')?.textContent.trim() === ` + strconv.Quote(outcome)

	do("open the moderation queue", chromedp.EmulateViewport(375, 800), chromedp.Navigate(s.URL+"/admin/moderation"))
	waitFor("the sign-in page is shown", `document.querySelector('h1')?.textContent.trim() === 'Sign in'`)
	do("sign in",
		chromedp.SendKeys(chromedp.CSS("#signin-email"), "ed@example.com"),
		chromedp.SendKeys(chromedp.CSS("#signin-password"), password),
		chromedp.Click(chromedp.CSS(".signin-form button[type=submit]")),
	)
	waitFor("the pending review is in the queue", `!!document.querySelector(`+strconv.Quote(anchor)+`)`)

	// The button names the review it acts on.
	label, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector(`+strconv.Quote(approve)+`)?.getAttribute('aria-label') ?? ''`))
	if err != nil || label != "Approve review by Camille of Paris" {
		t.Errorf("the Approve button is named %q (err %v)", label, err)
	}
	// One press, from the keyboard.
	do("focus the Approve button", chromedp.Focus(chromedp.CSS(approve)))
	focused, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.activeElement === document.querySelector(`+strconv.Quote(approve)+`)`))
	if err != nil || !focused {
		t.Fatalf("the Approve button cannot take the focus (err %v)", err)
	}
	// A mark on the document, which a new page would not carry.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.dataset.sameDocument = 'yes'; true`)); err != nil {
		t.Fatal(err)
	}
	do("press Enter", chromedp.KeyEvent(kb.Enter))
	waitFor("the queue says what was approved", outcomeShown)
	// With the script, in place: the same document, the focus on the
	// outcome, which is also read out.
	inPlace, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.dataset.sameDocument === 'yes' &&
		document.activeElement === document.querySelector('#moderation-outcome p')`))
	waitFor("the outcome is read out", `[...document.querySelectorAll('body > [role=status]')].some(e => e.textContent.trim() === `+strconv.Quote(outcome)+`)`)
	if err != nil || !inPlace {
		state, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`String(document.documentElement.dataset.sameDocument) + ' ' + (document.activeElement?.outerHTML ?? '').slice(0, 80)`))
		t.Errorf("the approval did not happen in place with the focus on the outcome (err %v): %s", err, state)
	}
	waitFor("the review has left the pending queue", `!document.querySelector(`+strconv.Quote(anchor)+`)`)
	if loc := location(t, ctx); !strings.HasSuffix(loc, "/admin/moderation") {
		t.Errorf("after approving, the editor is at %s, want the queue where they were", loc)
	}

	// Once: a reload says nothing more.
	do("reload the queue", chromedp.Reload())
	waitFor("the queue is shown again", `document.querySelector('h1')?.textContent.trim() === 'Moderation'`)
	if shown, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!!document.querySelector('#moderation-outcome')`)); err != nil || shown {
		t.Errorf("the outcome is shown again after a reload (err %v)", err)
	}

	// The film's reviews page shows it.
	do("open the film's reviews", chromedp.Navigate(s.URL+"/films/paris-2008/reviews"))
	waitFor("the approved review is on the film's reviews page",
		`document.querySelector(`+strconv.Quote(anchor+" h2, "+anchor+" h3")+`)?.textContent.trim() === 'Paris as a place people live'`)
}
