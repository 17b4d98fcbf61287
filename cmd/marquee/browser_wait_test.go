package main

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"marquee/internal/browsertest"
)

// waitInPage waits up to 15 seconds until the JavaScript predicate holds in
// the page in ctx, through navigations (browsertest.Poll). On timeout it
// fails the test with what it waited for, where the browser is and what
// the page's main element says, which is usually the reason.
func waitInPage(t *testing.T, ctx context.Context, what, predicate string) {
	t.Helper()
	if err := browsertest.Poll(ctx, predicate, 15*time.Second); err != nil {
		main, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('main')?.textContent.replace(/\s+/g, ' ') ?? ''`))
		t.Fatalf("waiting until %s: %v\nlocation: %s\nmain: %s", what, err, location(t, ctx), main)
	}
}
