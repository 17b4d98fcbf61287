// Package browsertest runs headless Chromium for tests, through chromedp,
// and checks pages in it with axe-core.
//
// The tools are where make test installs them (see .ci/install-test-tools)
// unless the environment names others: MARQUEE_CHROMIUM names the browser
// (default /usr/bin/chromium), MARQUEE_AXE_JS names axe.min.js and
// MARQUEE_VNU_JAR names the Nu HTML Checker's vnu.jar (both default to the
// npm packages in ToolsDir). When a tool is missing, a test is skipped on a
// developer's machine and fails in CI (when the CI environment variable is
// set), so that CI can never pass by skipping the browser checks.
package browsertest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// DefaultChromium is the browser that New starts when MARQUEE_CHROMIUM is
// unset: the binary of Debian's chromium package.
const DefaultChromium = "/usr/bin/chromium"

// Timeout is how long one test may use its browser. New cancels the
// browser's context when it runs out, so a hung page fails the test instead
// of hanging it.
const Timeout = 60 * time.Second

// SkipUnlessCI skips the test with the formatted reason, or fails it with
// the same reason when the CI environment variable is set: in CI every
// tool must be installed, and a skipped check would hide that it is not.
func SkipUnlessCI(tb testing.TB, format string, args ...any) {
	tb.Helper()
	msg := fmt.Sprintf(format, args...)
	if os.Getenv("CI") != "" {
		tb.Fatalf("%s (CI is set, so this check must run)", msg)
	}
	tb.Skip(msg)
}

// ChromiumPath returns the browser binary that New starts: the value of
// MARQUEE_CHROMIUM, or DefaultChromium when that is unset or empty.
func ChromiumPath() string {
	if p := os.Getenv("MARQUEE_CHROMIUM"); p != "" {
		return p
	}
	return DefaultChromium
}

// ToolsDir returns the directory that make test installs the npm tools into
// (with .ci/install-test-tools): marquee-test-tools in $XDG_CACHE_HOME, or
// in $HOME/.cache when that is unset, outside the repository. It returns ""
// when neither variable is set.
func ToolsDir() string {
	cache := os.Getenv("XDG_CACHE_HOME")
	if cache == "" {
		home := os.Getenv("HOME")
		if home == "" {
			return ""
		}
		cache = filepath.Join(home, ".cache")
	}
	return filepath.Join(cache, "marquee-test-tools")
}

// toolPath returns the value of the environment variable env, or else the
// file rel inside ToolsDir's node_modules ("" when there is no ToolsDir).
func toolPath(env, rel string) string {
	if p := os.Getenv(env); p != "" {
		return p
	}
	dir := ToolsDir()
	if dir == "" {
		return ""
	}
	return filepath.Join(dir, "node_modules", filepath.FromSlash(rel))
}

// AxePath returns the axe-core script that Axe injects: the value of
// MARQUEE_AXE_JS, or else axe-core's axe.min.js in ToolsDir.
func AxePath() string {
	return toolPath("MARQUEE_AXE_JS", "axe-core/axe.min.js")
}

// VNUJarPath returns the Nu HTML Checker's jar: the value of
// MARQUEE_VNU_JAR, or else vnu-jar's vnu.jar in ToolsDir.
func VNUJarPath() string {
	return toolPath("MARQUEE_VNU_JAR", "vnu-jar/build/dist/vnu.jar")
}

// New starts a headless Chromium with a fresh profile in a temporary
// directory and returns the context of one tab in it, for chromedp actions.
// The context ends after Timeout; the tab and the browser are closed when
// the test ends. When the browser binary is missing New skips the test, or
// fails it in CI (see SkipUnlessCI).
func New(tb testing.TB) context.Context {
	tb.Helper()
	path := ChromiumPath()
	if _, err := exec.LookPath(path); err != nil {
		SkipUnlessCI(tb, "Chromium is not available at %s (set MARQUEE_CHROMIUM to its path): %v", path, err)
	}

	// Only these flags: without the background-networking ones Chromium
	// keeps trying to reach the internet, which CI machines cannot.
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(tb.TempDir()),
	}
	timeoutCtx, cancelTimeout := context.WithTimeout(context.Background(), Timeout)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(timeoutCtx, opts...)
	ctx, cancelTab := chromedp.NewContext(allocCtx)
	// Cleanups run last-in first-out, and the temporary profile directory
	// was registered above, so the browser has exited before it is removed.
	tb.Cleanup(func() {
		cancelTab()
		cancelAlloc() // Also waits for the browser process to exit.
		cancelTimeout()
	})

	// Start the browser now, so that a broken installation fails here with
	// Chromium's own output rather than in the first action of the test.
	if err := chromedp.Do(ctx); err != nil {
		tb.Fatalf("start Chromium (%s): %v", path, err)
	}
	return ctx
}

// Violation is one axe-core rule that a page breaks, with every element
// that breaks it.
type Violation struct {
	ID      string          `json:"id"`      // ID is the axe rule, such as "color-contrast".
	Impact  string          `json:"impact"`  // Impact is "minor", "moderate", "serious" or "critical".
	Help    string          `json:"help"`    // Help is the rule's one-line summary.
	HelpURL string          `json:"helpUrl"` // HelpURL explains the rule at Deque University.
	Nodes   []ViolationNode `json:"nodes"`   // Nodes are the offending elements.
}

// ViolationNode is one element that breaks an axe-core rule.
type ViolationNode struct {
	// Target holds the CSS selectors that find the element; there is more
	// than one only for elements inside frames or shadow roots.
	Target []string `json:"target"`
	// HTML is the start of the element's markup.
	HTML string `json:"html"`
	// FailureSummary says what to fix, as axe-core words it.
	FailureSummary string `json:"failureSummary"`
}

// String formats the violation over several lines, one per element, for a
// test failure message.
func (v Violation) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s): %s [%s]", v.ID, v.Impact, v.Help, v.HelpURL)
	for _, n := range v.Nodes {
		fmt.Fprintf(&b, "\n    at %s: %s", strings.Join(n.Target, " >>> "), n.HTML)
		if n.FailureSummary != "" {
			fmt.Fprintf(&b, "\n      %s", strings.ReplaceAll(n.FailureSummary, "\n", "\n      "))
		}
	}
	return b.String()
}

// AxeTags are the axe-core rule tags that Axe runs: WCAG 2.0, 2.1 and 2.2
// at levels A and AA.
var AxeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"}

// axeRun runs axe on the whole document with the rules of AxeTags and
// resolves to the violations, with each node's target flattened to strings
// (axe gives a nested array for elements in frames and shadow roots).
const axeRun = `axe.run(document, {runOnly: {type: 'tag', values: %s}, resultTypes: ['violations']})
	.then(r => r.violations.map(v => ({
		id: v.id, impact: v.impact || '', help: v.help, helpUrl: v.helpUrl,
		nodes: v.nodes.map(n => ({
			target: n.target.map(t => Array.isArray(t) ? t.join(' ') : String(t)),
			html: n.html,
			failureSummary: n.failureSummary || '',
		})),
	})))`

// Axe loads url in the tab of ctx (a context from New), injects axe-core
// from the file named by AxePath, runs the rules of AxeTags on the
// document and returns the violations; none means the page passed. Any
// viewport emulation already set on the tab stays in force. When the axe
// script is missing Axe skips the test, or fails it in CI.
func Axe(tb testing.TB, ctx context.Context, url string) []Violation {
	tb.Helper()
	src := axeSource(tb)
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		tb.Fatalf("load %s: %v", url, err)
	}
	// End with a plain value, so that the browser does not have to send back
	// whatever the script's last statement happens to return.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](src+"\n;true")); err != nil {
		tb.Fatalf("inject axe-core into %s: %v", url, err)
	}
	tags := `['` + strings.Join(AxeTags, `', '`) + `']`
	violations, err := chromedp.Run(ctx, chromedp.Evaluate[[]Violation](fmt.Sprintf(axeRun, tags), chromedp.EvalAwaitPromise))
	if err != nil {
		tb.Fatalf("run axe-core on %s: %v", url, err)
	}
	return violations
}

// RequireAxe skips the test, or fails it in CI, unless the axe-core script
// named by AxePath can be read. Call it before starting subtests that
// each run Axe, so that a missing script is reported once.
func RequireAxe(tb testing.TB) {
	tb.Helper()
	axeSource(tb)
}

// axeSource returns the text of axe.min.js from AxePath.
func axeSource(tb testing.TB) string {
	tb.Helper()
	path := AxePath()
	if path == "" {
		SkipUnlessCI(tb, "axe-core is not available: set MARQUEE_AXE_JS to axe.min.js, or HOME so that make test can install it")
	}
	src, err := os.ReadFile(path)
	if err != nil {
		SkipUnlessCI(tb, "axe-core is not available (make test installs it; MARQUEE_AXE_JS names another copy): %v", err)
	}
	return string(src)
}

// Poll waits until the JavaScript predicate expr holds in the page in ctx,
// for at most timeout. Right after a navigation, chromedp can still name
// the previous document's script context, which Chromium then reports as
// unknown or destroyed; Poll tries again after such an error rather than
// failing the wait, and returns any other error at once.
func Poll(ctx context.Context, expr string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		_, err := chromedp.Run(ctx, chromedp.Poll[bool](expr,
			chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(max(time.Until(deadline), time.Millisecond))))
		if err == nil || !contextGone(err) || ctx.Err() != nil || time.Now().After(deadline) {
			return err
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// contextGone reports whether err says the page's script context went
// away under a call, as it does when a document replaces another.
func contextGone(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "Cannot find context with specified id") ||
		strings.Contains(msg, "Execution context was destroyed") ||
		strings.Contains(msg, "Inspected target navigated or closed")
}
