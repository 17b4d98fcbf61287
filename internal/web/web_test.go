package web_test

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"marquee/internal/catalog"
	"marquee/internal/diff"
	"marquee/internal/sqlite"
	"marquee/internal/web"
	"marquee/migrations"
	"marquee/seeds"
	"marquee/static"
)

// literalComponentCall matches a templ component call that was printed as
// text instead of called (templ reads "@Name(" after other text literally).
var literalComponentCall = regexp.MustCompile(`@[A-Z][A-Za-z]*\(`)

// formTokenValue matches the review form's token in a page.
var formTokenValue = regexp.MustCompile(`name="form_token" value="[^"]*"`)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// testNow is the clock the test site runs at: the day after the seeded
// reviews were published.
var testNow = time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)

// site is the whole router over a real, seeded SQLite file.
type site struct {
	handler http.Handler
	db      *sqlite.DB
	path    string
	logs    *syncBuffer
	clock   *clock
}

// clock is the site's time, which tests move forward by hand.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// syncBuffer is a log buffer safe for concurrent handlers.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// mustSite builds the site on a new database file loaded with the seeds.
func mustSite(tb testing.TB) *site {
	return mustSiteWith(tb, web.Config{})
}

// mustSiteWith builds the site with cfg's options (its DB, logger, static
// files and clock are filled in).
func mustSiteWith(tb testing.TB, cfg web.Config) *site {
	tb.Helper()
	ctx := context.Background()
	path := filepath.Join(tb.TempDir(), "marquee.db")
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx, migrations.FS); err != nil {
		tb.Fatal(err)
	}
	doc, err := catalog.DecodeFS(seeds.FS)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := db.Import(ctx, doc.Catalog); err != nil {
		tb.Fatal(err)
	}
	logs := &syncBuffer{}
	c := &clock{now: testNow}
	cfg.DB = db
	cfg.Logger = slog.New(slog.NewTextHandler(logs, nil))
	cfg.Static = static.FS
	cfg.Now = c.Now
	srv, err := web.New(ctx, cfg)
	if err != nil {
		tb.Fatal(err)
	}
	return &site{handler: srv.Handler(), db: db, path: path, logs: logs, clock: c}
}

// do sends a request through the whole router.
func (s *site) do(tb testing.TB, method, path string, header http.Header) *http.Response {
	tb.Helper()
	req := httptest.NewRequest(method, path, nil)
	for k, v := range header {
		req.Header[k] = v
	}
	rec := httptest.NewRecorder()
	s.handler.ServeHTTP(rec, req)
	return rec.Result()
}

// mustPage GETs path, checks the status, and parses the HTML.
func (s *site) mustPage(tb testing.TB, path string, wantStatus int) (*goquery.Document, string) {
	tb.Helper()
	resp := s.do(tb, http.MethodGet, path, nil)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatal(err)
	}
	if resp.StatusCode != wantStatus {
		tb.Fatalf("GET %s = %d, want %d\n%s", path, resp.StatusCode, wantStatus, body)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
		tb.Errorf("GET %s Content-Type = %q", path, ct)
	}
	if call := literalComponentCall.Find(body); call != nil {
		tb.Errorf("GET %s shows a templ component call as text: %s", path, call)
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	return doc, string(body)
}

// texts returns the normalised text of each element matching sel.
func texts(doc *goquery.Document, sel string) []string {
	var out []string
	doc.Find(sel).Each(func(_ int, s *goquery.Selection) {
		out = append(out, strings.Join(strings.Fields(s.Text()), " "))
	})
	return out
}

// text returns the normalised text of everything matching sel.
func text(doc *goquery.Document, sel string) string {
	return strings.Join(strings.Fields(doc.Find(sel).Text()), " ")
}

// hashedAssetURL matches the address of a static file named by its content
// hash, such as /static/style.7d1953e1c4eb.css.
var hashedAssetURL = regexp.MustCompile(`(/static/[A-Za-z0-9_-]+)\.[0-9a-f]{12}(\.[A-Za-z0-9]+)`)

// normaliseGolden replaces what changes without the page changing: the
// review form's token, signed with a key made per database, and the
// content hashes in static files' addresses, which change with every edit
// of the stylesheet or script. Everything else on the page is fixed by the
// seeds and the clock.
func normaliseGolden(page string) string {
	page = formTokenValue.ReplaceAllString(page, `name="form_token" value="TOKEN"`)
	return hashedAssetURL.ReplaceAllString(page, "$1.HASH$2")
}

// TestGoldenPages holds whole pages to files kept in testdata, byte for
// byte but for what changes from run to run (normaliseGolden): a change to
// a page's markup, even a space between two elements, shows here first.
func TestGoldenPages(t *testing.T) {
	s := mustSite(t)
	for _, c := range []struct{ path, file string }{
		{"/films/paris-2008", "film-paris-2008.html"},
		{"/films/paris-2008/reviews?sort=highest", "reader-reviews-paris-2008.html"},
	} {
		_, body := s.mustPage(t, c.path, http.StatusOK)
		body = normaliseGolden(body)
		golden := filepath.Join("testdata", c.file)
		if *update {
			if err := os.WriteFile(golden, []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		stored, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test ./internal/web -update to create it)", err)
		}
		if want := normaliseGolden(string(stored)); body != want {
			t.Errorf("%s differs from %s (- stored, + rendered):\n%s\nIf the change is intended, run go test ./internal/web -run TestGoldenPages -update and review the diff.",
				c.path, golden, htmlDiff(want, body))
		}
	}
}

// htmlDiff shows how two pages differ, line by line with a tag to a line
// (pages are rendered with few line breaks), printing changed lines with
// two lines around them and at most maxDiffLines changed lines.
func htmlDiff(want, got string) string {
	const around, maxDiffLines = 2, 40
	byTag := func(s string) string { return strings.ReplaceAll(s, "><", ">\n<") }
	lines := diff.Lines(byTag(want), byTag(got))
	var b strings.Builder
	changed, last := 0, -1 // last is the index of the last line printed
	for i, l := range lines {
		if l.Op == diff.Equal {
			continue
		}
		if changed == maxDiffLines {
			b.WriteString("… more changes left out\n")
			break
		}
		changed++
		from := max(i-around, last+1)
		if last >= 0 && from > last+1 {
			b.WriteString("…\n")
		}
		for j := from; j <= i; j++ {
			writeDiffLine(&b, lines[j])
		}
		last = i
		// Trailing context, unless the next change will print it.
		for j := i + 1; j < len(lines) && j <= i+around && lines[j].Op == diff.Equal; j++ {
			writeDiffLine(&b, lines[j])
			last = j
		}
	}
	if changed == 0 {
		// Only line breaks between tags differ, which splitting at tags hides.
		n := 0
		for n < len(want) && n < len(got) && want[n] == got[n] {
			n++
		}
		fmt.Fprintf(&b, "the pages first differ at byte %d: stored %q, rendered %q\n",
			n, want[n:min(len(want), n+60)], got[n:min(len(got), n+60)])
	}
	return b.String()
}

func writeDiffLine(b *strings.Builder, l diff.Line) {
	switch l.Op {
	case diff.Delete:
		fmt.Fprintf(b, "-%4d      %s\n", l.OldNumber, l.Text)
	case diff.Insert:
		fmt.Fprintf(b, "+     %4d %s\n", l.NewNumber, l.Text)
	default:
		fmt.Fprintf(b, " %4d %4d %s\n", l.OldNumber, l.NewNumber, l.Text)
	}
}

// rows returns each table row matching sel as its cells' texts joined by
// " | ", so tests can compare rows whatever the whitespace between cells.
func rows(doc *goquery.Document, sel string) []string {
	var out []string
	doc.Find(sel).Each(func(_ int, row *goquery.Selection) {
		var cells []string
		row.Children().Each(func(_ int, cell *goquery.Selection) {
			cells = append(cells, strings.Join(strings.Fields(cell.Text()), " "))
		})
		out = append(out, strings.Join(cells, " | "))
	})
	return out
}
