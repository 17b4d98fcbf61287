package main

// Conformance of the desk pages this part of the desk adds to: the
// moderation queue with its one-click buttons and an outcome with Undo,
// and the review editor with its film search (candidates to choose from)
// and time zone. Served HTML goes through the Nu HTML Checker; the pages,
// as a signed-in editor's browser shows them, through axe-core at a phone
// and a desktop width, with no sideways scrolling on the phone.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"marquee/internal/browsertest"
	"marquee/internal/film"
	"marquee/internal/sqlite"
)

const deskPassword = "a long and unguessable phrase"

// mustDeskSite starts the program with an editor account, a pending
// reader review and a second film called Paris, so the editor's film
// search has two to choose from.
func mustDeskSite(tb testing.TB) (*server, int64) {
	tb.Helper()
	s := mustStartServer(tb)
	if out, errOut, err := runUserCommand(tb, s.DBPath, deskPassword+"\n", "add", "-email", "ed@example.com", "-name", "Ed Itor", "-role", "editor"); err != nil {
		tb.Fatalf("user add: %v\n%s%s", err, out, errOut)
	}
	id := mustAddPendingReview(tb, s.DBPath)
	ctx := context.Background()
	db, err := sqlite.Open(ctx, s.DBPath)
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	if _, err := db.CreateFilm(ctx, film.Film{Slug: "paris-1960", Title: "Paris", Year: 1960}, film.User{}, time.Now()); err != nil {
		tb.Fatal(err)
	}
	return s, id
}

// deskClient is an HTTP client signed in as the editor.
func deskClient(tb testing.TB, s *server) *http.Client {
	tb.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	resp, err := c.PostForm(s.URL+"/admin/signin", url.Values{"email": {"ed@example.com"}, "password": {deskPassword}})
	if err != nil {
		tb.Fatal(err)
	}
	resp.Body.Close()
	if !strings.HasSuffix(resp.Request.URL.Path, "/admin") {
		tb.Fatalf("sign in ended at %s", resp.Request.URL)
	}
	return c
}

// body reads a response's body, checking its status.
func body(tb testing.TB, resp *http.Response, err error, want int) string {
	tb.Helper()
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		tb.Fatalf("%s %s = %d, want %d\n%s", resp.Request.Method, resp.Request.URL, resp.StatusCode, want, b)
	}
	return string(b)
}

// oneClick is the form a review's Approve button posts.
func oneClick(id int64) url.Values {
	return url.Values{"id": {strconv.FormatInt(id, 10)}, "action": {"approve"}, "one": {"1"}, "from": {"pending"},
		"who": {"Camille"}, "of": {"Paris"}, "status": {"pending"}, "film": {""}, "page": {"1"}}
}

// ambiguousReview is a review form whose film matches two films.
var ambiguousReview = url.Values{"action": {"save"}, "headline": {"Which Paris?"}, "film": {"Paris"}, "author": {"Ed Itor"},
	"status": {"draft"}, "body": {"A review."}}

func TestDeskPagesAreValidHTML(t *testing.T) {
	java, err := exec.LookPath("java")
	if err != nil {
		browsertest.SkipUnlessCI(t, "java is not installed: %v", err)
	}
	jar := browsertest.VNUJarPath()
	if _, err := os.Stat(jar); jar == "" || err != nil {
		browsertest.SkipUnlessCI(t, "the Nu HTML Checker is not available (make test installs it): %v", err)
	}
	s, id := mustDeskSite(t)
	c := deskClient(t, s)
	get := func(p string) string {
		t.Helper()
		resp, err := c.Get(s.URL + p)
		return body(t, resp, err, http.StatusOK)
	}
	post := func(p string, form url.Values, want int) string {
		t.Helper()
		resp, err := c.PostForm(s.URL+p, form)
		return body(t, resp, err, want)
	}
	pages := map[string]string{"queue": get("/admin/moderation"), "editor": get("/admin/reviews/new")}
	// The queue after a one-click approval: the outcome and its Undo.
	pages["queue-outcome"] = post("/admin/moderation", oneClick(id), http.StatusOK)
	if !strings.Contains(pages["queue-outcome"], "Approved: review by Camille of Paris.") {
		t.Fatal("the queue does not show the outcome")
	}
	// The editor with two films to choose from.
	pages["editor-candidates"] = post("/admin/reviews", ambiguousReview, http.StatusUnprocessableEntity)
	pages["audit"] = get("/admin/audit")

	dir := t.TempDir()
	args := []string{"-jar", jar, "--errors-only", "--stdout", "--format", "json"}
	for name, html := range pages {
		file := filepath.Join(dir, name+".html")
		if err := os.WriteFile(file, []byte(html), 0o600); err != nil {
			t.Fatal(err)
		}
		args = append(args, file)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, java, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	var report struct {
		Messages []vnuMessage `json:"messages"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &report); err != nil {
		t.Fatalf("the Nu HTML Checker gave no JSON report (exit: %v): %v\n%s", runErr, err, stderr.String())
	}
	for _, m := range report.Messages {
		t.Errorf("%s is not valid HTML: %s", path.Base(m.URL), m)
	}
}

// deskAxeRun runs axe on the document as it stands, without loading it
// again (the pages checked are the answers to posted forms).
const deskAxeRun = `axe.run(document, {runOnly: {type: 'tag', values: %s}, resultTypes: ['violations']})
	.then(r => r.violations.map(v => ({
		id: v.id, impact: v.impact || '', help: v.help, helpUrl: v.helpUrl,
		nodes: v.nodes.map(n => ({target: n.target.map(t => String(t)), html: n.html, failureSummary: n.failureSummary || ''})),
	})))`

func TestDeskPagesPassAxe(t *testing.T) {
	browsertest.RequireAxe(t)
	src, err := os.ReadFile(browsertest.AxePath())
	if err != nil {
		t.Fatal(err)
	}
	s, id := mustDeskSite(t)
	ctx := browsertest.New(t)
	do := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	waitFor := func(what, predicate string) {
		t.Helper()
		waitInPage(t, ctx, what, predicate)
	}
	check := func(t *testing.T, page string, width int64) {
		t.Helper()
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](string(src)+"\n;true")); err != nil {
			t.Fatalf("inject axe-core: %v", err)
		}
		tags := `['` + strings.Join(browsertest.AxeTags, `', '`) + `']`
		violations, err := chromedp.Run(ctx, chromedp.Evaluate[[]browsertest.Violation](fmt.Sprintf(deskAxeRun, tags), chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatalf("run axe-core: %v", err)
		}
		for _, v := range violations {
			t.Errorf("%s at %dpx: %s", page, width, v)
		}
		if width < 400 {
			checkNoHorizontalScroll(t, ctx, page, width)
		}
	}

	do("open the desk", chromedp.EmulateViewport(375, 800, chromedp.EmulatePortrait, chromedp.EmulateMobile, chromedp.EmulateTouch),
		chromedp.Navigate(s.URL+"/admin/signin"))
	do("sign in",
		chromedp.SendKeys(chromedp.CSS("#signin-email"), "ed@example.com"),
		chromedp.SendKeys(chromedp.CSS("#signin-password"), deskPassword),
		chromedp.Click(chromedp.CSS(".signin-form button[type=submit]")),
	)
	waitFor("the dashboard is shown", `document.querySelector('h1')?.textContent.trim() === 'Editors’ desk'`)
	for i, width := range []int64{375, 1280} {
		if width > 400 {
			do("widen the window", chromedp.EmulateViewport(width, 900, chromedp.EmulateLandscape))
		}
		t.Run(fmt.Sprint("queue/", width), func(t *testing.T) {
			do("open the queue", chromedp.Navigate(s.URL+"/admin/moderation"))
			if i == 0 {
				waitFor("the review is queued", `!!document.querySelector('form.moderation-one button[value=approve]')`)
				check(t, "the queue", width)
				do("approve it", chromedp.Click(chromedp.CSS(`form.moderation-one button[value=approve]`)))
			} else {
				// Undo the approval, to see the outcome again.
				mustPost(t, ctx, s.URL+"/admin/moderation", oneClickUndoable(id))
			}
			waitFor("the outcome is shown", `!!document.querySelector('#moderation-outcome button')`)
			check(t, "the queue with an outcome", width)
		})
		t.Run(fmt.Sprint("editor/", width), func(t *testing.T) {
			do("open the editor", chromedp.Navigate(s.URL+"/admin/reviews/new"))
			waitFor("the editor is shown", `!!document.getElementById('f-film')`)
			check(t, "the review editor", width)
			do("ask for Paris",
				chromedp.SendKeys(chromedp.CSS("#f-headline"), "Which Paris?"),
				chromedp.SendKeys(chromedp.CSS("#f-film"), "Paris"),
				chromedp.Click(chromedp.CSS(`button[name=action][value=find]`)),
			)
			waitFor("the candidates are offered", `document.querySelectorAll('input[name=film_pick]').length === 2`)
			check(t, "the review editor with candidates", width)
		})
	}
}

// oneClickUndoable moves the review back to pending and then approves it
// again, each as its own button would.
func oneClickUndoable(id int64) []url.Values {
	back := oneClick(id)
	back.Set("action", "pending")
	back.Set("from", "approved")
	return []url.Values{back, oneClick(id)}
}

// mustPost submits forms from the page in the browser, one after the
// other, as the page's own forms would, ending on the last one's answer.
func mustPost(t *testing.T, ctx context.Context, action string, forms []url.Values) {
	t.Helper()
	for _, f := range forms {
		js := `(() => { const f = document.createElement('form'); f.method = 'post'; f.action = ` + strconv.Quote(action) + `;
			for (const [k, v] of new URLSearchParams(` + strconv.Quote(f.Encode()) + `)) {
				const i = document.createElement('input'); i.type = 'hidden'; i.name = k; i.value = v; f.append(i);
			}
			document.body.append(f); f.submit(); return true; })()`
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js)); err != nil {
			t.Fatalf("post %v: %v", f, err)
		}
		deadline := time.Now().Add(15 * time.Second)
		for {
			_, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.readyState === 'complete' && !document.querySelector('body > form:last-child input[name=one]')`,
				chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(3*time.Second)))
			if err == nil {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("wait for the answer to %v: %v", f, err)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
}
