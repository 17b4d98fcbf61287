package main

// Browser test of the review editor: an editor signs in, writes a review in
// Markdown, sees the live preview follow the text, previews it with the
// button, saves a draft, publishes it and finds it on the film page; then a
// contributor is offered no way to publish, and a forged publish is
// refused. It runs the real program, the real "marquee user add" command
// and a real Chromium, which internal/browsertest starts, or skips the test
// (fails it in CI) when Chromium is missing.

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"marquee/internal/browsertest"
	"marquee/internal/film"
	"marquee/internal/sqlite"
)

func TestEditorWritesAndPublishesReviewInBrowser(t *testing.T) {
	s := mustStartServer(t)
	const password = "a long and unguessable phrase"
	for _, u := range []struct{ email, name, role string }{
		{"ed@example.com", "Ed Itor", "editor"},
		{"carol@example.com", "Carol Tributor", "contributor"},
	} {
		if out, errOut, err := runUserCommand(t, s.DBPath, password+"\n", "add", "-email", u.email, "-name", u.name, "-role", u.role); err != nil {
			t.Fatalf("user add %s: %v\n%s%s", u.email, err, out, errOut)
		}
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
	h1Is := func(text string) string {
		return `document.querySelector('h1')?.textContent.trim() === ` + strconv.Quote(text)
	}
	signIn := func(email string) {
		t.Helper()
		waitFor("the sign-in page is shown", h1Is("Sign in"))
		do("sign in as "+email,
			chromedp.SendKeys(chromedp.CSS("#signin-email"), email),
			chromedp.SendKeys(chromedp.CSS("#signin-password"), password),
			chromedp.Click(chromedp.CSS(".signin-form button[type=submit]")),
		)
	}
	const headline = "Paris, seen from a balcony"

	// The editor asks for a sign-in first, then comes back to the editor.
	do("open the review editor", chromedp.EmulateViewport(1366, 900), chromedp.Navigate(s.URL+"/admin/reviews/new"))
	signIn("ed@example.com")
	waitFor("the review editor is shown", h1Is("New review"))
	waitFor("the script has taken over the preview", `document.getElementById('review-editor').classList.contains('js-live-preview')`)

	do("write the review",
		chromedp.SendKeys(chromedp.CSS("#f-headline"), headline),
		chromedp.SendKeys(chromedp.CSS("#f-film"), "paris-2008"),
		chromedp.SendKeys(chromedp.CSS("#f-rating_value"), "4"),
		chromedp.SetValue(chromedp.CSS("#f-rating_scale"), "5"),
		chromedp.SendKeys(chromedp.CSS("#f-body"), "A *light* film with **heavy** moments.\n\n## The cast\n\nBinoche carries it."),
	)
	// While typing, the preview follows: the Markdown rendered as the
	// public page renders it.
	waitFor("the live preview shows the rendered Markdown",
		`document.querySelector('#review-preview-content .review-body em')?.textContent === 'light' &&
		 !!document.querySelector('#review-preview-content .review-body strong') &&
		 document.querySelector('#review-preview-content h3')?.textContent === `+strconv.Quote(headline))

	// The Preview button works too: the page comes back with the preview
	// and everything typed, and nothing is saved.
	// The page before is marked, so that waiting cannot mistake it (its
	// live preview shows the same) for the page that comes back.
	do("press Preview",
		chromedp.Evaluate[chromedp.Void](`document.body.dataset.before = 'preview'`),
		chromedp.Click(chromedp.CSS(`button[value="preview"]`)),
	)
	waitFor("the previewed page keeps the text",
		`!document.body.dataset.before && document.getElementById('f-headline')?.value === `+strconv.Quote(headline)+` &&
		 document.getElementById('f-body').value.includes('**heavy**') &&
		 document.getElementById('f-rating_scale').value === '5' &&
		 document.querySelector('#review-preview-content .review-body :is(h3, h4, h5)')?.textContent.includes('The cast')`)
	if path, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.pathname`)); err != nil || path != "/admin/reviews" {
		t.Errorf("after Preview the page is %s (err %v), want the editor's own address", path, err)
	}

	// Save a draft with Enter in the headline, as people do: it saves (the
	// film picker's Find button must not take Enter), and the draft is not
	// public yet.
	do("save a draft with Enter", chromedp.SendKeys(chromedp.CSS("#f-headline"), kb.Enter))
	waitFor("the review was created", `document.querySelector('.flash')?.textContent.trim() === 'The review was created.'`)
	waitFor("the editor shows the saved draft", h1Is("Edit review"))
	editPath, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.pathname`))
	if err != nil {
		t.Fatal(err)
	}
	if draft, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById('f-status-draft').checked`)); err != nil || !draft {
		t.Errorf("the saved review is not a draft (err %v)", err)
	}
	if status, _ := mustGet(t, s, "/reviews/paris-seen-from-a-balcony"); status != 404 {
		t.Errorf("the draft's public address = %d, want 404", status)
	}

	// Publish it.
	do("choose Published", chromedp.Click(chromedp.CSS("#f-status-published")))
	do("save", chromedp.Click(chromedp.CSS(`.form-actions button[value="save"]`)))
	waitFor("the review was published", `document.querySelector('.flash')?.textContent.trim() === 'The review was published.'`)
	waitFor("the editor links to the public page", `!!document.querySelector('.editor-links a[href="/reviews/paris-seen-from-a-balcony"]')`)

	// The film page shows it, as readers see it.
	do("open the film page", chromedp.Navigate(s.URL+"/films/paris-2008"))
	waitFor("the review is on the film page",
		`[...document.querySelectorAll('#critic-reviews .critic-review h3')].some(h => h.textContent.trim() === `+strconv.Quote(headline)+`) &&
		 document.querySelector('#review-paris-seen-from-a-balcony .read-more a')?.getAttribute('href') === '/reviews/paris-seen-from-a-balcony'`)

	// The history holds both saves, by the editor.
	do("open the history", chromedp.Navigate(s.URL+editPath+"/history"))
	waitFor("the history lists two revisions by the editor",
		`document.querySelectorAll('table.revisions tbody tr').length === 2 &&
		 [...document.querySelectorAll('.revision-author')].every(td => td.textContent.trim() === 'Ed Itor')`)

	// A contributor is offered no way to publish.
	do("go to the desk", chromedp.Navigate(s.URL+"/admin"))
	do("sign out", chromedp.Click(chromedp.CSS(`form[action="/admin/signout"] button`)))
	waitFor("signed out", `document.querySelector('.flash')?.textContent.trim() === 'You have signed out.'`)
	do("open the review editor as a contributor", chromedp.Navigate(s.URL+"/admin/reviews/new"))
	signIn("carol@example.com")
	waitFor("the review editor is shown", h1Is("New review"))
	offered, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('input[name="status"]')].map(i => i.value)`))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(offered, ",") != "draft,in_review" {
		t.Errorf("a contributor is offered the statuses %q, want draft and in review only", offered)
	}

	// A publish forged from the contributor's page is refused.
	status, err := chromedp.Run(ctx, chromedp.Evaluate[int](`(async () => {
		const f = new FormData(document.getElementById('review-editor'));
		f.set('headline', 'Forged review'); f.set('film', 'paris-2008'); f.set('body', 'Published without an editor.');
		f.set('status', 'published'); f.set('action', 'save');
		const res = await fetch('/admin/reviews', {method: 'POST', body: new URLSearchParams(f), redirect: 'manual'});
		return res.status;
	})()`, chromedp.EvalAwaitPromise))
	if err != nil || status != 403 {
		t.Errorf("forged publish = %d (err %v), want 403", status, err)
	}
	db, err := sqlite.Open(context.Background(), s.DBPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	page, err := db.FindEditedReviews(context.Background(), film.EditedReviewFilter{Author: "Carol"})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range page.Reviews {
		t.Errorf("the forged review was saved: %q (%s)", r.Review.Headline, r.Review.Status)
	}
	do("open the forged review's address", chromedp.Navigate(s.URL+"/reviews/forged-review"))
	waitFor("it does not exist", h1Is("Page not found"))
}
