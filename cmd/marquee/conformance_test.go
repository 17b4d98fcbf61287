package main

// Conformance tests: the pages that the real program serves are valid HTML
// (Nu HTML Checker), pass axe-core's WCAG 2.2 AA rules in Chromium at a
// phone and a desktop width, can be used from the keyboard, and work with
// JavaScript off. make test installs the tools (see .ci/install-test-tools),
// and the environment can name others (see internal/browsertest): a test
// whose tool is missing is skipped, or fails when CI is set.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"marquee/internal/browsertest"
)

// conformancePage is a page that the conformance tests check.
type conformancePage struct {
	name   string // name is a short label, also used as a file name.
	path   string // path is the URL path on the server.
	status int    // status is the HTTP status the page must answer with.
}

// conformancePages are the pages every conformance test checks: one of each
// kind the site has, and the page for a URL that does not exist.
var conformancePages = []conformancePage{
	{"home", "/", http.StatusOK},
	{"film", "/films/paris-2008", http.StatusOK},
	{"person-actor", "/people/juliette-binoche", http.StatusOK},
	{"person-director", "/people/cedric-klapisch", http.StatusOK},
	{"critic-review", "/reviews/paris-2008-review", http.StatusOK},
	{"reader-reviews", "/films/paris-2008/reviews", http.StatusOK},
	{"review-form", "/films/paris-2008/reviews/new", http.StatusOK},
	{"film-index", "/films", http.StatusOK},
	{"film-index-filtered", "/films?genre=Drama&sort=year", http.StatusOK},
	{"year", "/years/2008", http.StatusOK},
	{"company", "/companies/studiocanal", http.StatusOK},
	{"search", "/search?q=cedric", http.StatusOK},
	{"search-no-results", "/search?q=zzzzqqq", http.StatusOK},
	{"sign-in", "/admin/signin", http.StatusOK},
	{"bad-request", "/films?sort=nonsense", http.StatusBadRequest},
	{"not-found", "/no-such-page", http.StatusNotFound},
}

// vnuMessage is one message of the Nu HTML Checker's JSON output.
type vnuMessage struct {
	Type        string `json:"type"`
	SubType     string `json:"subType"`
	URL         string `json:"url"`
	Message     string `json:"message"`
	Extract     string `json:"extract"`
	FirstLine   int    `json:"firstLine"`
	LastLine    int    `json:"lastLine"`
	FirstColumn int    `json:"firstColumn"`
	LastColumn  int    `json:"lastColumn"`
}

// String formats the message with its position and the offending markup.
func (m vnuMessage) String() string {
	first := m.FirstLine
	if first == 0 {
		first = m.LastLine
	}
	return fmt.Sprintf("%s at line %d column %d to line %d column %d: %s\n    markup: %s",
		m.Type, first, m.FirstColumn, m.LastLine, m.LastColumn, m.Message,
		strings.ReplaceAll(m.Extract, "\n", "↩"))
}

// TestPagesAreValidHTML checks every conformance page with the Nu HTML
// Checker (java -jar on browsertest.VNUJarPath). The checker refuses
// localhost URLs, so the pages are saved to files and checked in one run:
// one Java start for all pages instead of one (about 4 s) per page.
func TestPagesAreValidHTML(t *testing.T) {
	java, err := exec.LookPath("java")
	if err != nil {
		browsertest.SkipUnlessCI(t, "java is not installed: %v", err)
	}
	jar := browsertest.VNUJarPath()
	if jar == "" {
		browsertest.SkipUnlessCI(t, "the Nu HTML Checker is not available: set MARQUEE_VNU_JAR to vnu.jar, or HOME so that make test can install it")
	}
	if _, err := os.Stat(jar); err != nil {
		browsertest.SkipUnlessCI(t, "the Nu HTML Checker is not available (make test installs it; MARQUEE_VNU_JAR names another copy): %v", err)
	}

	s := mustStartServer(t)
	dir := t.TempDir()
	args := []string{"-jar", jar, "--errors-only", "--stdout", "--format", "json"}
	for _, p := range conformancePages {
		status, body := mustGet(t, s, p.path)
		if status != p.status {
			t.Errorf("GET %s = %d, want %d", p.path, status, p.status)
		}
		file := filepath.Join(dir, p.name+".html")
		if err := os.WriteFile(file, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		args = append(args, file)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, java, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run() // The checker exits 1 when it reports errors.
	var report struct {
		Messages []vnuMessage `json:"messages"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &report); err != nil {
		t.Fatalf("the Nu HTML Checker gave no JSON report (exit: %v): %v\nstdout:\n%s\nstderr:\n%s", runErr, err, stdout.String(), stderr.String())
	}
	if runErr != nil && len(report.Messages) == 0 {
		t.Fatalf("the Nu HTML Checker failed without messages: %v\nstderr:\n%s", runErr, stderr.String())
	}

	byFile := make(map[string][]vnuMessage)
	for _, m := range report.Messages {
		name := path.Base(m.URL)
		byFile[name] = append(byFile[name], m)
	}
	for _, p := range conformancePages {
		t.Run(p.name, func(t *testing.T) {
			msgs := byFile[p.name+".html"]
			delete(byFile, p.name+".html")
			for _, m := range msgs {
				t.Errorf("%s is not valid HTML: %s", p.path, m)
			}
		})
	}
	for name, msgs := range byFile { // Messages about no page, such as I/O errors.
		for _, m := range msgs {
			t.Errorf("Nu HTML Checker, %s: %s", name, m)
		}
	}
}

// viewport is a window size the axe test checks pages at.
type viewport struct {
	name          string
	width, height int64
	phone         bool // phone emulates a mobile device with touch.
}

// TestPagesPassAxe runs axe-core's WCAG 2.0-2.2 A and AA rules on every
// conformance page, at a phone width and at a desktop width, and checks that
// no page scrolls sideways on the phone.
func TestPagesPassAxe(t *testing.T) {
	browsertest.RequireAxe(t)
	s := mustStartServer(t)
	// Start the browser after the server, so that it closes first (cleanups
	// run in reverse order): Chromium opens spare connections that carry no
	// request, and the server's shutdown waits up to 5 s for those to close.
	ctx := browsertest.New(t)

	for _, vp := range []viewport{
		{name: "phone", width: 390, height: 844, phone: true},
		{name: "wide", width: 1366, height: 900},
	} {
		opts := []chromedp.EmulateViewportOption{chromedp.EmulateLandscape}
		if vp.phone {
			opts = []chromedp.EmulateViewportOption{chromedp.EmulatePortrait, chromedp.EmulateMobile, chromedp.EmulateTouch}
		}
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(vp.width, vp.height, opts...)); err != nil {
			t.Fatalf("emulate a %dx%d viewport: %v", vp.width, vp.height, err)
		}
		for _, p := range conformancePages {
			t.Run(vp.name+"/"+p.name, func(t *testing.T) {
				for _, v := range browsertest.Axe(t, ctx, s.URL+p.path) {
					t.Errorf("%s at %dx%d: %s", p.path, vp.width, vp.height, v)
				}
				if vp.phone {
					checkNoHorizontalScroll(t, ctx, p.path, vp.width)
				}
			})
		}
	}
}

// widthReport is what the page says about its width on a phone.
type widthReport struct {
	ScrollWidth int      `json:"scrollWidth"` // ScrollWidth is the document element's scrollWidth.
	ClientWidth int      `json:"clientWidth"` // ClientWidth is the width of the layout viewport.
	InnerWidth  int      `json:"innerWidth"`  // InnerWidth is window.innerWidth.
	Overflowing []string `json:"overflowing"` // Overflowing names elements past the right edge.
}

// widthScript measures the page and names the elements that stick out past
// the right edge of the layout viewport, widest first.
const widthScript = `(() => {
	const de = document.documentElement;
	const edge = de.clientWidth;
	const over = [];
	for (const el of document.body.querySelectorAll('*')) {
		const r = el.getBoundingClientRect();
		if (r.width > 0 && r.right > edge + 0.5) {
			const tag = el.outerHTML.slice(0, el.outerHTML.indexOf('>') + 1);
			over.push([r.right, tag + ' (right edge at ' + Math.round(r.right) + 'px)']);
		}
	}
	over.sort((a, b) => b[0] - a[0]);
	return {scrollWidth: de.scrollWidth, clientWidth: edge, innerWidth: window.innerWidth,
		overflowing: over.slice(0, 8).map(o => o[1])};
})()`

// checkNoHorizontalScroll fails the test when the page loaded in ctx is
// wider than a phone's screen of the given width, so that a reader would
// have to scroll sideways; it names the elements that stick out.
func checkNoHorizontalScroll(t *testing.T, ctx context.Context, page string, width int64) {
	t.Helper()
	w, err := chromedp.Run(ctx, chromedp.Evaluate[widthReport](widthScript))
	if err != nil {
		t.Fatalf("measure %s: %v", page, err)
	}
	if int64(w.ClientWidth) != width {
		t.Errorf("%s: the layout viewport is %dpx wide on a %dpx phone; the page needs <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">", page, w.ClientWidth, width)
	}
	if w.ScrollWidth > w.InnerWidth || w.ScrollWidth > w.ClientWidth {
		t.Errorf("%s scrolls sideways on a %dpx phone: the document is %dpx wide (scrollWidth) in a %dpx layout viewport (window.innerWidth %d); elements past the right edge:\n    %s",
			page, width, w.ScrollWidth, w.ClientWidth, w.InnerWidth, strings.Join(w.Overflowing, "\n    "))
	}
}

// focusReport describes the focused element and how it shows on screen.
type focusReport struct {
	Tag            string  `json:"tag"`
	ID             string  `json:"id"`
	Text           string  `json:"text"`
	Href           string  `json:"href"`
	HTML           string  `json:"html"`
	X              float64 `json:"x"`
	Y              float64 `json:"y"`
	Width          float64 `json:"width"`
	Height         float64 `json:"height"`
	ViewportWidth  float64 `json:"viewportWidth"`
	ViewportHeight float64 `json:"viewportHeight"`
	OnTop          bool    `json:"onTop"` // OnTop: the element is what a click at its centre would hit.
	Visibility     string  `json:"visibility"`
	Opacity        string  `json:"opacity"`
	Hash           string  `json:"hash"` // Hash is location.hash.
}

// focusScript reports on document.activeElement as a focusReport.
const focusScript = `(() => {
	const el = document.activeElement;
	if (!el || el === document.body || el === document.documentElement) {
		return {tag: el ? el.tagName : '', hash: location.hash};
	}
	const r = el.getBoundingClientRect();
	const cs = getComputedStyle(el);
	const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
	return {
		tag: el.tagName, id: el.id, text: el.textContent.trim().replace(/\s+/g, ' ').slice(0, 80),
		href: el.getAttribute('href') || '', html: el.outerHTML.slice(0, el.outerHTML.indexOf('>') + 1),
		x: r.left, y: r.top, width: r.width, height: r.height,
		viewportWidth: window.innerWidth, viewportHeight: window.innerHeight,
		onTop: !!hit && (hit === el || el.contains(hit)),
		visibility: cs.visibility, opacity: cs.opacity, hash: location.hash,
	};
})()`

// skipLinkShown is true once the focused element is the skip link and is
// visible inside the viewport (it may slide in with a transition).
const skipLinkShown = `(() => {
	const el = document.activeElement;
	if (!el || el.tagName !== 'A' || el.textContent.trim() !== 'Skip to content') return false;
	const r = el.getBoundingClientRect();
	const cs = getComputedStyle(el);
	const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
	return r.width > 1 && r.height > 1 && r.left >= 0 && r.top >= 0 &&
		r.right <= window.innerWidth && r.bottom <= window.innerHeight &&
		cs.visibility === 'visible' && cs.opacity !== '0' && !!hit && (hit === el || el.contains(hit));
})()`

// mainFocused is true once the skip link has taken the reader to #main.
const mainFocused = `location.hash === '#main' && document.activeElement === document.getElementById('main')`

// TestSkipLinkAndKeyboardFocus checks that the first Tab on a page reaches a
// visible "Skip to content" link, and that Enter on it moves the focus to
// the main content.
func TestSkipLinkAndKeyboardFocus(t *testing.T) {
	s := mustStartServer(t)
	ctx := browsertest.New(t) // After the server, as in TestPagesPassAxe.
	const page = "/films/paris-2008"
	if err := chromedp.Do(ctx,
		chromedp.EmulateViewport(1366, 900),
		chromedp.Navigate(s.URL+page),
		chromedp.KeyEvent(kb.Tab),
	); err != nil {
		t.Fatalf("load %s and press Tab: %v", page, err)
	}
	focused := func() focusReport {
		t.Helper()
		f, err := chromedp.Run(ctx, chromedp.Evaluate[focusReport](focusScript))
		if err != nil {
			t.Fatalf("read the focused element: %v", err)
		}
		return f
	}
	wait := func(predicate string) bool {
		_, err := chromedp.Run(ctx, chromedp.Poll[bool](predicate,
			chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(3*time.Second)))
		return err == nil
	}

	if !wait(skipLinkShown) {
		f := focused()
		t.Fatalf("after one Tab on %s, want the focus on a visible \"Skip to content\" link inside the viewport; focused: %s %q %s, box %.0fx%.0f at (%.0f,%.0f) in a %.0fx%.0f viewport, on top: %v, visibility %s, opacity %s",
			page, f.Tag, f.Text, f.HTML, f.Width, f.Height, f.X, f.Y, f.ViewportWidth, f.ViewportHeight, f.OnTop, f.Visibility, f.Opacity)
	}
	if f := focused(); f.Href != "#main" {
		t.Errorf("the skip link points to %q, want #main", f.Href)
	}

	if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatalf("press Enter on the skip link: %v", err)
	}
	if !wait(mainFocused) {
		f := focused()
		t.Fatalf("after Enter on the skip link, want location #main and the focus on <main id=\"main\">; location hash %q, focused: %s id=%q %s",
			f.Hash, f.Tag, f.ID, f.HTML)
	}
}

// TestFilmPageNeedsNoJavaScript checks that the film page carries no inline
// script (only the site's one external module, which merely enhances, and
// its structured data: JSON-LD data blocks, which browsers never run), and
// that, in a browser with JavaScript off, its key content is there and
// rendered: the title, the 15 soundtrack tracks and the cast table.
func TestFilmPageNeedsNoJavaScript(t *testing.T) {
	const page = "/films/paris-2008"
	s := mustStartServer(t)
	status, body := mustGet(t, s, page)
	if status != http.StatusOK {
		t.Fatalf("GET %s = %d, want 200", page, status)
	}
	served, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	served.Find("script").Each(func(_ int, sc *goquery.Selection) {
		src, hasSrc := sc.Attr("src")
		typ, _ := sc.Attr("type")
		if typ == "application/ld+json" && !hasSrc && json.Valid([]byte(sc.Text())) {
			return // Data, not script.
		}
		if !hasSrc || typ != "module" || !strings.HasPrefix(src, "/static/marquee.") || strings.TrimSpace(sc.Text()) != "" {
			html, _ := goquery.OuterHtml(sc)
			t.Errorf("%s serves a script other than the site's external module: %s", page, html)
		}
	})

	ctx := browsertest.New(t)
	if err := chromedp.Do(ctx,
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
			return err
		}),
		chromedp.Navigate(s.URL+page),
	); err != nil {
		t.Fatalf("load %s with JavaScript off: %v", page, err)
	}

	// Read the document as the browser built it, through the DOM domain
	// (no JavaScript runs in the page for it). The backend node id stays
	// valid when chromedp's own document requests renumber the frontend
	// ids, which made this read fail now and then; a retry covers a read
	// that still races a renumbering.
	var rendered string
	var readErr error
	for attempt := 0; attempt < 3; attempt++ {
		rendered, readErr = chromedp.Run(ctx, func(ctx context.Context, tg *chromedp.Target) (string, error) {
			doc, err := cdp.Call(ctx, tg, dom.GetDocument, dom.GetDocumentParams{})
			if err != nil {
				return "", err
			}
			res, err := cdp.Call(ctx, tg, dom.GetOuterHTML, dom.GetOuterHTMLParams{BackendNodeID: doc.Root.BackendNodeID})
			return res.OuterHTML, err
		})
		if readErr == nil {
			break
		}
	}
	if readErr != nil {
		t.Fatalf("read the rendered document: %v", readErr)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(rendered))
	if err != nil {
		t.Fatal(err)
	}
	if h1 := doc.Find("h1").First().Text(); !strings.Contains(h1, "Paris") {
		t.Errorf("h1 = %q, want it to contain \"Paris\"", strings.TrimSpace(h1))
	}
	if n := doc.Find("#soundtrack ol > li").Length(); n != 15 {
		t.Errorf("the soundtrack lists %d tracks, want 15", n)
	}
	binoche := doc.Find("#cast .cast-grid li").FilterFunction(func(_ int, row *goquery.Selection) bool {
		return strings.Contains(row.Text(), "Juliette Binoche")
	})
	if binoche.Length() == 0 {
		t.Errorf("the cast grid (#cast .cast-grid) has no cell for Juliette Binoche")
	}

	// The content must also be laid out, not hidden until a script shows it:
	// DOM.getBoxModel fails for an element that is not rendered.
	for _, sel := range []string{"h1", "#soundtrack ol", "#cast .cast-grid", "#action-rate", "#action-review"} {
		if err := checkRendered(ctx, sel); err != nil {
			t.Errorf("with JavaScript off, %s is not shown: %v", sel, err)
		}
	}
}

// checkRendered returns an error unless the first element that matches the
// CSS selector sel has a non-empty box on the page in ctx.
func checkRendered(ctx context.Context, sel string) error {
	return chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		doc, err := cdp.Call(ctx, tg, dom.GetDocument, dom.GetDocumentParams{})
		if err != nil {
			return err
		}
		q, err := cdp.Call(ctx, tg, dom.QuerySelector, dom.QuerySelectorParams{NodeID: doc.Root.NodeID, Selector: sel})
		if err != nil {
			return err
		}
		if q.NodeID == 0 {
			return fmt.Errorf("no element matches")
		}
		box, err := cdp.Call(ctx, tg, dom.GetBoxModel, dom.GetBoxModelParams{NodeID: q.NodeID})
		if err != nil {
			return err
		}
		if box.Model == nil || box.Model.Width == 0 || box.Model.Height == 0 {
			return fmt.Errorf("its box is empty")
		}
		return nil
	}))
}
