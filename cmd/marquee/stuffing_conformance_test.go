package main

// Conformance of the pages the defence against rating stuffing adds: the
// "confirm your rating" step a new reader meets without the script, and
// the desk's list of held bursts. Served HTML goes through the Nu HTML
// Checker; the pages as a browser shows them, through axe-core at a phone
// and a desktop width, with no sideways scrolling on the phone.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"marquee/internal/browsertest"
)

// mustHoldBurst sends ratings of Paris from n new readers on the test's
// one address, each confirming its first rating, so that those past the
// fresh-cookie allowance (3) are held in one burst. It returns the first
// reader's confirm page.
func mustHoldBurst(tb testing.TB, s *server, n int) string {
	tb.Helper()
	var confirmPage string
	noRedirect := func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	for i := range n {
		client := &http.Client{CheckRedirect: noRedirect, Timeout: 10 * time.Second}
		form := url.Values{"rating": {"10"}}
		resp, err := client.PostForm(s.URL+"/films/paris-2008/rating", form)
		if err != nil {
			tb.Fatal(err)
		}
		page, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		m := ratingProofField.FindStringSubmatch(string(page))
		if resp.StatusCode != http.StatusOK || m == nil {
			tb.Fatalf("rating %d = %d without a proof step", i+1, resp.StatusCode)
		}
		if i == 0 {
			confirmPage = string(page)
		}
		form.Set("confirm", m[1])
		req, _ := http.NewRequest(http.MethodPost, s.URL+"/films/paris-2008/rating", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for _, c := range resp.Cookies() {
			req.AddCookie(c)
		}
		again, err := client.Do(req)
		if err != nil {
			tb.Fatal(err)
		}
		again.Body.Close()
		if again.StatusCode != http.StatusSeeOther {
			tb.Fatalf("confirmed rating %d = %d", i+1, again.StatusCode)
		}
	}
	return confirmPage
}

func TestStuffingPagesAreValidHTML(t *testing.T) {
	java, err := exec.LookPath("java")
	if err != nil {
		browsertest.SkipUnlessCI(t, "java is not installed: %v", err)
	}
	jar := browsertest.VNUJarPath()
	if _, err := os.Stat(jar); jar == "" || err != nil {
		browsertest.SkipUnlessCI(t, "the Nu HTML Checker is not available (make test installs it): %v", err)
	}
	s, _ := mustDeskSite(t)
	pages := map[string]string{"rating-confirm": mustHoldBurst(t, s, 5)}
	c := deskClient(t, s)
	resp, err := c.Get(s.URL + "/admin/bursts")
	pages["bursts"] = body(t, resp, err, http.StatusOK)
	if !strings.Contains(pages["bursts"], "Ratings of") {
		t.Fatal("the desk lists no held burst")
	}

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

func TestStuffingPagesPassAxe(t *testing.T) {
	browsertest.RequireAxe(t)
	src, err := os.ReadFile(browsertest.AxePath())
	if err != nil {
		t.Fatal(err)
	}
	s, _ := mustDeskSite(t)
	mustHoldBurst(t, s, 5)
	ctx := browsertest.New(t)
	do := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
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
	waitFor := func(what, predicate string) {
		t.Helper()
		waitInPage(t, ctx, what, predicate)
	}

	do("open the film", chromedp.EmulateViewport(375, 800, chromedp.EmulatePortrait, chromedp.EmulateMobile, chromedp.EmulateTouch),
		chromedp.Navigate(s.URL+"/films/paris-2008"))
	// The plain form post, as without the script: the confirm step.
	mustPost(t, ctx, s.URL+"/films/paris-2008/rating", []url.Values{{"rating": {"7"}}})
	waitFor("the confirm step is shown", `!!document.querySelector('form.rate-confirm')`)
	t.Run("confirm/375", func(t *testing.T) { check(t, "the rating's confirm step", 375) })
	do("widen the window", chromedp.EmulateViewport(1280, 900, chromedp.EmulateLandscape))
	t.Run("confirm/1280", func(t *testing.T) { check(t, "the rating's confirm step", 1280) })

	do("sign in", chromedp.EmulateViewport(375, 800, chromedp.EmulatePortrait, chromedp.EmulateMobile, chromedp.EmulateTouch),
		chromedp.Navigate(s.URL+"/admin/signin"),
		chromedp.SendKeys(chromedp.CSS("#signin-email"), "ed@example.com"),
		chromedp.SendKeys(chromedp.CSS("#signin-password"), deskPassword),
		chromedp.Click(chromedp.CSS(".signin-form button[type=submit]")),
	)
	waitFor("the dashboard is shown", `document.querySelector('h1')?.textContent.trim() === 'Editors’ desk'`)
	do("open the held bursts", chromedp.Navigate(s.URL+"/admin/bursts"))
	waitFor("a burst is listed", `!!document.querySelector('table.bursts form button')`)
	t.Run("bursts/375", func(t *testing.T) { check(t, "the held bursts", 375) })
	do("widen the window", chromedp.EmulateViewport(1280, 900, chromedp.EmulateLandscape))
	t.Run("bursts/1280", func(t *testing.T) { check(t, "the held bursts", 1280) })
}
