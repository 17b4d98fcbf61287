package main

// Browser test of the review editor's film field: with JavaScript, films
// from the whole catalogue are suggested as the editor types; the Find
// button names the film the text matched.

import (
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"

	"marquee/internal/browsertest"
)

func TestReviewEditorSuggestsFilmsInBrowser(t *testing.T) {
	s := mustStartServer(t)
	const password = "a long and unguessable phrase"
	if out, errOut, err := runUserCommand(t, s.DBPath, password+"\n", "add", "-email", "ed@example.com", "-name", "Ed Itor", "-role", "editor"); err != nil {
		t.Fatalf("user add: %v\n%s%s", err, out, errOut)
	}
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
	do("open the review editor", chromedp.EmulateViewport(1280, 900), chromedp.Navigate(s.URL+"/admin/reviews/new"))
	waitFor("the sign-in page is shown", `document.querySelector('h1')?.textContent.trim() === 'Sign in'`)
	do("sign in",
		chromedp.SendKeys(chromedp.CSS("#signin-email"), "ed@example.com"),
		chromedp.SendKeys(chromedp.CSS("#signin-password"), password),
		chromedp.Click(chromedp.CSS(".signin-form button[type=submit]")),
	)
	waitFor("the review editor is shown", `document.querySelector('h1')?.textContent.trim() === 'New review'`)

	do("type part of a title", chromedp.SendKeys(chromedp.CSS("#f-film"), "pari"))
	waitFor("the film is suggested", `[...document.querySelectorAll('#film-suggestions option')].some(o => o.value === 'paris-2008' && o.label.startsWith('Paris (2008)'))`)

	// Find names the film the text means, saving nothing.
	do("find", chromedp.Click(chromedp.CSS(`button[name=action][value=find]`)))
	waitFor("the film is named", `document.getElementById('film-chosen')?.textContent.trim() === `+strconv.Quote("Film: Paris (2008), directed by Cédric Klapisch"))
	waitFor("the field holds its slug", `document.getElementById('f-film').value === 'paris-2008'`)
}
