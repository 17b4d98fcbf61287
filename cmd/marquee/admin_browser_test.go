package main

// Browser test of the moderation flow: an editor signs in, approves a
// pending reader review in the queue, and it appears on the film page. It
// runs the real program, the real "marquee user add" command and a real
// Chromium, which internal/browsertest starts, or skips the test (fails it
// in CI) when Chromium is missing.

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"marquee/internal/browsertest"
	"marquee/internal/film"
	"marquee/internal/sqlite"
)

// mustAddPendingReview stores a reader review awaiting moderation in the
// running server's database, as a reader's submission would.
func mustAddPendingReview(tb testing.TB, dbPath string) int64 {
	tb.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, dbPath)
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	id, err := db.CreateReaderReview(ctx, film.ReaderReview{
		FilmSlug: "paris-2008", DisplayName: "Camille", Title: "Paris as a place people live", Rating: 9,
		Body:   "The market scenes are the heart of it: funny, warm, and never a postcard.",
		Status: film.ModerationPending, CreatedAt: time.Now(),
	}, 0)
	if err != nil {
		tb.Fatal(err)
	}
	return id
}

func TestEditorApprovesReviewInBrowser(t *testing.T) {
	s := mustStartServer(t)
	const password = "a long and unguessable phrase"
	if out, errOut, err := runUserCommand(t, s.DBPath, password+"\n", "add", "-email", "ed@example.com", "-name", "Ed Itor", "-role", "editor"); err != nil {
		t.Fatalf("user add: %v\n%s%s", err, out, errOut)
	}
	id := mustAddPendingReview(t, s.DBPath)
	anchor := "#reader-review-" + strconv.FormatInt(id, 10)

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
	h1Is := func(text string) string {
		return `document.querySelector('h1')?.textContent.trim() === ` + strconv.Quote(text)
	}

	// The queue asks for a sign-in first, then comes back to the queue.
	do("open the moderation queue", chromedp.EmulateViewport(1366, 900), chromedp.Navigate(s.URL+"/admin/moderation"))
	waitFor("the sign-in page is shown", h1Is("Sign in"))
	if loc := location(t, ctx); !strings.HasSuffix(loc, "/admin/signin?next=%2Fadmin%2Fmoderation") {
		t.Errorf("signed out, the queue led to %s, want the sign-in page with next", loc)
	}
	do("sign in",
		chromedp.SendKeys(chromedp.CSS("#signin-email"), "ed@example.com"),
		chromedp.SendKeys(chromedp.CSS("#signin-password"), password),
		chromedp.Click(chromedp.CSS(".signin-form button[type=submit]")),
	)
	waitFor("the moderation queue is shown", h1Is("Moderation"))
	waitFor("the pending review is in the queue", `!!document.querySelector(`+strconv.Quote(anchor)+`)`)
	account, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('.desk-account p').textContent`))
	if err != nil || strings.Join(strings.Fields(account), " ") != "Ed Itor Editor" {
		t.Errorf("the header shows %q (err %v), want the editor's name and role", account, err)
	}

	// Select the review, choose Approve and apply.
	do("select the review", chromedp.Click(chromedp.CSS(`label[for="select-`+strconv.FormatInt(id, 10)+`"]`)))
	if checked, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById('select-`+strconv.FormatInt(id, 10)+`').checked`)); err != nil || !checked {
		t.Fatalf("clicking the label did not check the box (err %v)", err)
	}
	do("choose approve", chromedp.SetValue(chromedp.CSS("#bulk-action"), "approve"))
	do("apply", chromedp.Click(chromedp.CSS("#moderation-bulk button[type=submit]")))
	waitFor("the queue says the review was approved",
		`document.querySelector('.flash')?.textContent.includes('approved and are now public')`)
	waitFor("the review has left the pending queue", `!document.querySelector(`+strconv.Quote(anchor)+`)`)

	// The film page now shows it, as readers see it.
	do("open the film page", chromedp.Navigate(s.URL+"/films/paris-2008"))
	// The film page lists reader reviews as excerpts, each linking to the
	// review whole on the film's reviews page.
	waitFor("the approved review is on the film page",
		`[...document.querySelectorAll('.review-excerpt h3 a')].some(a => a.textContent.trim() === 'Paris as a place people live' && a.hash === `+strconv.Quote(anchor)+`)`)

	// Sign out: the desk asks for a sign-in again.
	do("go back to the desk", chromedp.Navigate(s.URL+"/admin"))
	waitFor("the dashboard is shown", h1Is("Editors’ desk"))
	do("sign out", chromedp.Click(chromedp.CSS(`form[action="/admin/signout"] button`)))
	waitFor("the sign-in page says so", `document.querySelector('.flash')?.textContent.trim() === 'You have signed out.'`)
	do("open the desk again", chromedp.Navigate(s.URL+"/admin/moderation"))
	waitFor("the desk asks for a sign-in", h1Is("Sign in"))
}
