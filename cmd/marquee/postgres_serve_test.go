package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"marquee/internal/film"
	"marquee/internal/pgtest"
	"marquee/internal/postgres"
	"marquee/migrations"
)

// pg is the package's throwaway PostgreSQL cluster, started by the first
// test that asks for a database (SQLite-only runs never start it). Every
// database NewDatabase gives is a copy of a template the production
// migrations made, empty of films; NewBlankDatabase gives one without
// them, for the migrate command.
var pg = pgtest.Harness{Prepare: func(ctx context.Context, url string) error {
	db, err := postgres.Open(ctx, url)
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = db.Migrate(ctx, migrations.Postgres)
	return err
}}

func TestMain(m *testing.M) { os.Exit(pg.Main(m)) }

// startServeOn runs "marquee serve" on a free port against the database
// -db value db, with -trust-proxy so that each test client can come from
// an address of its own, waits until it serves, and stops it when the
// test ends.
func startServeOn(tb testing.TB, db string, extraArgs ...string) *server {
	tb.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stdoutR, stdoutW := io.Pipe()
	logs := &syncBuffer{}
	s := &server{DBPath: db, Logs: logs, stop: cancel, done: make(chan struct{})}
	args := append([]string{"serve", "-addr", "127.0.0.1:0", "-trust-proxy", "-db", db}, extraArgs...)
	go func() {
		s.err = runWith(ctx, deps{now: time.Now}, args, func(string) string { return "" }, nil, stdoutW, logs)
		stdoutW.Close()
		close(s.done)
	}()
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdoutR)
		for sc.Scan() {
			if _, after, ok := strings.Cut(sc.Text(), "serving at "); ok {
				urls <- strings.TrimSuffix(after, "/")
			}
		}
		close(urls)
	}()
	select {
	case u, ok := <-urls:
		if !ok {
			<-s.done
			tb.Fatalf("server exited before serving: %v\nlogs:\n%s", s.err, logs)
		}
		s.URL = u
	case <-time.After(60 * time.Second):
		cancel()
		tb.Fatalf("server did not start within 60s\nlogs:\n%s", logs)
	}
	tb.Cleanup(func() {
		cancel()
		select {
		case <-s.done:
		case <-time.After(20 * time.Second):
		}
	})
	return s
}

// webReader is one reader's browser: a cookie jar of its own and an
// address of its own (sent as X-Forwarded-For to a server started with
// -trust-proxy), so that the stuffing defence sees one person per reader.
type webReader struct {
	base   string
	addr   string
	client *http.Client
}

func newWebReader(tb testing.TB, base string, n int) *webReader {
	tb.Helper()
	jar := &cookieJar{}
	return &webReader{base: base, addr: fmt.Sprintf("2001:db8:%x:%x::1", n>>16, n&0xffff),
		client: &http.Client{Timeout: 60 * time.Second, Jar: jar,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// cookieJar keeps every cookie the site sets, whatever its path, for one
// host: enough for one reader of one test server.
type cookieJar struct {
	mu      sync.Mutex
	cookies map[string]*http.Cookie
}

func (j *cookieJar) SetCookies(_ *url.URL, cookies []*http.Cookie) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.cookies == nil {
		j.cookies = map[string]*http.Cookie{}
	}
	for _, c := range cookies {
		if c.MaxAge < 0 {
			delete(j.cookies, c.Name)
			continue
		}
		j.cookies[c.Name] = &http.Cookie{Name: c.Name, Value: c.Value}
	}
}

func (j *cookieJar) Cookies(*url.URL) []*http.Cookie {
	j.mu.Lock()
	defer j.mu.Unlock()
	var out []*http.Cookie
	for _, c := range j.cookies {
		out = append(out, c)
	}
	return out
}

// do sends a request as the reader and returns the status and body.
func (rd *webReader) do(method, path string, form url.Values) (int, string, error) {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, rd.base+path, body)
	if err != nil {
		return 0, "", err
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", rd.base)
	}
	req.Header.Set("X-Forwarded-For", rd.addr)
	resp, err := rd.client.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), err
}

// rate rates the film as the reader, confirming a first rating with the
// proof the site asks of a new reader, and returns the final status.
func (rd *webReader) rate(slug string, value int) (int, error) {
	form := url.Values{"rating": {strconv.Itoa(value)}}
	status, body, err := rd.do(http.MethodPost, "/films/"+slug+"/rating", form)
	if err != nil {
		return 0, err
	}
	if m := ratingProofField.FindStringSubmatch(body); status == http.StatusOK && m != nil {
		form.Set("confirm", m[1])
		status, _, err = rd.do(http.MethodPost, "/films/"+slug+"/rating", form)
	}
	return status, err
}

// formTokenField finds the reader review form's token.
var formTokenField = regexp.MustCompile(`name="form_token" value="([^"]+)"`)

// review sends a reader review of the film as a person does: it loads the
// form, sends it, and sends it once more from the page that asks to check
// it (the form was sent sooner than a person writes); it returns the final
// status.
func (rd *webReader) review(slug, name, title string, rating int) (int, error) {
	status, body, err := rd.do(http.MethodGet, "/films/"+slug+"/reviews/new", nil)
	if err != nil {
		return 0, err
	}
	form := url.Values{"display_name": {name}, "title": {title}, "rating": {strconv.Itoa(rating)},
		"body": {"Seen on a PostgreSQL site, and worth a second look."}}
	for range 2 {
		m := formTokenField.FindStringSubmatch(body)
		if status != http.StatusOK || m == nil {
			return status, nil
		}
		form.Set("form_token", m[1])
		if status, body, err = rd.do(http.MethodPost, "/films/"+slug+"/reviews", form); err != nil {
			return 0, err
		}
	}
	return status, nil
}

// ratingCount reads the number of ratings a film page's summary shows, from
// its histogram.
func ratingCount(tb testing.TB, body string) int {
	tb.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	total := 0
	doc.Find("#rating-summary .histogram tbody tr td.num").Each(func(_ int, td *goquery.Selection) {
		n, err := strconv.Atoi(strings.ReplaceAll(strings.TrimSpace(td.Text()), ",", ""))
		if err != nil {
			tb.Fatalf("histogram cell %q: %v", td.Text(), err)
		}
		total += n
	})
	return total
}

// mustOpenPostgres opens the database at url for the test's own checks.
func mustOpenPostgres(tb testing.TB, url string) *postgres.DB {
	tb.Helper()
	db, err := postgres.Open(context.Background(), url)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// TestServeOnPostgres serves a site from a PostgreSQL database: serve
// seeds the empty database, answers the seeded film page over real HTTP,
// and a rating and a reader review posted over real HTTP are on the next
// page (the page cache on).
func TestServeOnPostgres(t *testing.T) {
	db := pg.NewDatabase(t)
	s := startServeOn(t, db)
	status, body := mustGet(t, s, "/films/paris-2008")
	if status != http.StatusOK {
		t.Fatalf("GET /films/paris-2008 = %d, want 200", status)
	}
	for _, want := range []string{"Juliette Binoche", "Gnossienne N°1", "Radio-Canada Audience Award"} {
		if !strings.Contains(body, want) {
			t.Errorf("film page lacks %q", want)
		}
	}
	before := ratingCount(t, body)
	if status, _ := mustGet(t, s, "/search?q=binoche"); status != http.StatusOK {
		t.Errorf("GET /search = %d, want 200", status)
	}
	if status, _ := mustGet(t, s, "/healthz"); status != http.StatusOK {
		t.Errorf("GET /healthz = %d, want 200", status)
	}

	amy := newWebReader(t, s.URL, 1)
	if status, err := amy.rate("paris-2008", 9); err != nil || status != http.StatusSeeOther {
		t.Fatalf("rating = %d, %v; want 303", status, err)
	}
	if _, body := mustGet(t, s, "/films/paris-2008"); ratingCount(t, body) != before+1 {
		t.Errorf("the next page counts %d ratings, want %d", ratingCount(t, body), before+1)
	}

	bob := newWebReader(t, s.URL, 2)
	if status, err := bob.review("paris-2008", "Bob", "Paris from a database server", 7); err != nil || status != http.StatusSeeOther {
		t.Fatalf("review = %d, %v; want 303", status, err)
	}
	// The review's rating is Bob's rating, counted at once; the review
	// itself waits for a moderator.
	if _, body := mustGet(t, s, "/films/paris-2008"); ratingCount(t, body) != before+2 {
		t.Errorf("after the review the page counts %d ratings, want %d", ratingCount(t, body), before+2)
	}
	ctx := context.Background()
	store := mustOpenPostgres(t, db)
	page, err := store.ModerationPage(ctx, film.ModerationFilter{Status: film.ModerationPending, Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, item := range page.Items {
		if item.Review.Title == "Paris from a database server" {
			ids = append(ids, item.Review.ID)
		}
	}
	if len(ids) != 1 {
		t.Fatalf("%d pending reviews titled as Bob's, want 1", len(ids))
	}
	if _, err := store.ModerateReaderReviews(ctx, ids, film.ModerationApproved, 0, time.Now()); err != nil {
		t.Fatal(err)
	}
	status, body = mustGet(t, s, "/films/paris-2008/reviews")
	if status != http.StatusOK {
		t.Fatalf("GET /films/paris-2008/reviews = %d", status)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	found := false
	doc.Find("article.reader-review").Each(func(_ int, a *goquery.Selection) {
		found = found || strings.Contains(a.Text(), "Paris from a database server")
	})
	if !found {
		t.Errorf("the approved review is not on the next reviews page")
	}
	if err := s.Stop(t); err != nil {
		t.Fatalf("run returned %v after the stop signal, want nil", err)
	}
	logs := s.Logs.String()
	for _, want := range []string{"seeded", "films_added=1", "stopped"} {
		if !strings.Contains(logs, want) {
			t.Errorf("logs lack %q:\n%s", want, logs)
		}
	}
	if strings.Contains(logs, "level=ERROR") {
		t.Errorf("the server logged errors:\n%s", logs)
	}
}

// TestCommandsOnPostgres runs the commands that work on both backends
// against PostgreSQL databases: migrate (once), seed (twice, adding
// nothing the second time), dump and import (a dump imported into a new
// database dumps the same), user add and list, gen, export; and checks
// that the SQLite-only commands say what to use instead.
func TestCommandsOnPostgres(t *testing.T) {
	blank := pg.NewBlankDatabase(t)
	_, logs := mustRunLogged(t, "migrate", "-db", blank)
	for _, want := range []string{"0001_initial.sql", "0002_held_ratings.sql"} {
		if !strings.Contains(logs, want) {
			t.Errorf("migrate did not report %s:\n%s", want, logs)
		}
	}
	if _, logs := mustRunLogged(t, "migrate", "-db", blank); strings.Contains(logs, "applied migration") {
		t.Errorf("a second migrate applied a migration again:\n%s", logs)
	}
	for i, want := range []string{"films_added=1", "films_added=0"} {
		if _, logs := mustRunLogged(t, "seed", "-db", blank); !strings.Contains(logs, want) {
			t.Errorf("seed run %d: logs lack %q:\n%s", i+1, want, logs)
		}
	}

	dir := t.TempDir()
	first, second := filepath.Join(dir, "first.json"), filepath.Join(dir, "second.json")
	if out := mustRun(t, "dump", "-db", blank, first); !strings.Contains(out, "dumped") {
		t.Errorf("dump printed %q", out)
	}
	copyDB := pg.NewDatabase(t)
	mustRun(t, "import", "-db", copyDB, first)
	mustRun(t, "dump", "-db", copyDB, second)
	a, err := os.ReadFile(first)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(second)
	if err != nil {
		t.Fatal(err)
	}
	if len(a) < 1000 || string(a) != string(b) {
		t.Errorf("the dump of the imported copy differs from the dump it was imported from (%d and %d bytes)", len(a), len(b))
	}

	out, errOut, err := runUserCommand(t, blank, "a long and unguessable phrase\n", "add", "-email", "ada@example.com", "-name", "Ada Lovelace", "-role", "admin")
	if err != nil || !strings.Contains(out, "Added admin Ada Lovelace <ada@example.com>") {
		t.Errorf("user add = %v, printed %q\n%s", err, out, errOut)
	}
	if out, _, err := runUserCommand(t, blank, "", "list"); err != nil || !strings.Contains(out, "ada@example.com") {
		t.Errorf("user list = %v, printed %q", err, out)
	}
	u, err := mustOpenPostgres(t, blank).FindUserByEmail(context.Background(), "ada@example.com")
	if err != nil || u.Role != film.RoleAdmin {
		t.Errorf("the account in PostgreSQL: %+v, %v", u, err)
	}

	generated := pg.NewDatabase(t)
	if out := mustRun(t, "gen", "-db", generated, "-films", "20"); !strings.Contains(out, "generated") {
		t.Errorf("gen printed %q", out)
	}
	if empty, err := mustOpenPostgres(t, generated).IsEmpty(context.Background()); err != nil || empty {
		t.Errorf("after gen the database is empty = %v, %v", empty, err)
	}
	if _, _, err := runCommand(t, "gen", "-db", generated, "-films", "20"); err == nil {
		t.Error("gen into a database that holds films: no error")
	}

	site := filepath.Join(dir, "site")
	if out := mustRun(t, "export", "-db", blank, "-out", site); !strings.Contains(out, "exporting") || strings.Contains(out, "password") {
		t.Errorf("export printed %q", out)
	}
	if page, err := os.ReadFile(filepath.Join(site, "films", "paris-2008", "index.html")); err != nil ||
		!strings.Contains(string(page), "Juliette Binoche") {
		t.Errorf("the exported film page: %v", err)
	}

	for _, args := range [][]string{
		{"backup", "-db", blank, "-out", filepath.Join(dir, "backup.db")},
		{"restore", "-db", blank, "-from", filepath.Join(dir, "backup.db")},
		{"serve", "-addr", "127.0.0.1:0", "-db", blank, "-backup-dir", filepath.Join(dir, "backups")},
	} {
		_, errOut, err := runCommand(t, args...)
		said := errOut
		if err != nil {
			said += err.Error()
		}
		if err == nil || !strings.Contains(said, "pg_dump") {
			t.Errorf("marquee %s = %v, said %q; want a refusal naming pg_dump", args[0], err, said)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 3 {
		t.Errorf("the refused commands wrote into %s: %d entries, want the two dumps and the site", dir, len(entries))
	}
}

// mustRunLogged runs the program, fails the test if it fails, and returns
// its standard output and its logs.
func mustRunLogged(tb testing.TB, args ...string) (string, string) {
	tb.Helper()
	stdout, stderr, err := runCommand(tb, args...)
	if err != nil {
		tb.Fatalf("marquee %s: %v\n%s", strings.Join(args, " "), err, stderr)
	}
	return stdout, stderr
}

// TestConcurrentRatingsAndReviewsOnPostgres has 200 readers, each with a
// cookie and an address of its own, rate a film and review another at
// once over real HTTP through serve on PostgreSQL. Every one must be
// answered as saved (PostgreSQL's serialization failures are retried, not
// turned into errors), every rating and review must be in the database,
// the kept counts must equal a recount, and the next page must show them.
func TestConcurrentRatingsAndReviewsOnPostgres(t *testing.T) {
	db := pg.NewDatabase(t)
	s := startServeOn(t, db)
	ctx := context.Background()
	store := mustOpenPostgres(t, db)
	paris, err := store.FindFilmSummary(ctx, "paris-2008")
	if err != nil {
		t.Fatal(err)
	}
	_, body := mustGet(t, s, "/films/paris-2008")
	before := ratingCount(t, body)
	const readers = 200
	var wg sync.WaitGroup
	errs := make(chan error, readers)
	tokens := make([][]byte, readers)
	for n := range readers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rd := newWebReader(t, s.URL, 1000+n)
			if status, err := rd.rate("paris-2008", n%10+1); err != nil || status != http.StatusSeeOther {
				errs <- fmt.Errorf("reader %d: rating = %d, %v", n, status, err)
				return
			}
			if status, err := rd.review("paris-2008", fmt.Sprintf("Reader %d", n), fmt.Sprintf("Crowd view %d", n), (n*3)%10+1); err != nil || status != http.StatusSeeOther {
				errs <- fmt.Errorf("reader %d: review = %d, %v", n, status, err)
				return
			}
			for _, c := range rd.client.Jar.Cookies(nil) {
				if c.Name == "marquee_reader" {
					sum := sha256.Sum256([]byte(c.Value))
					tokens[n] = sum[:]
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if t.Failed() {
		t.Fatalf("logs:\n%s", lastLines(s.Logs.String(), 40))
	}
	kept, err := store.RatingStats(ctx, paris.ID)
	if err != nil {
		t.Fatal(err)
	}
	recount, err := store.RecountRatingStats(ctx, paris.ID)
	if err != nil {
		t.Fatal(err)
	}
	if kept != recount {
		t.Errorf("kept ratings %+v differ from a recount %+v", kept, recount)
	}
	if kept.Count != before+readers {
		t.Errorf("%d ratings counted, want %d", kept.Count, before+readers)
	}
	// Each reader's rating is the one their review gave.
	for n, token := range tokens {
		if token == nil {
			t.Errorf("reader %d has no reader cookie", n)
			continue
		}
		id, err := store.FindReader(ctx, token)
		if err != nil {
			t.Errorf("reader %d: %v", n, err)
			continue
		}
		if got, err := store.ReaderRating(ctx, paris.ID, id); err != nil || got != (n*3)%10+1 {
			t.Errorf("reader %d's rating = %d, %v; want %d", n, got, err, (n*3)%10+1)
		}
	}
	page, err := store.ModerationPage(ctx, film.ModerationFilter{Status: film.ModerationPending, Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if page.Total != readers {
		t.Errorf("%d reviews wait for moderation, want %d", page.Total, readers)
	}
	if _, body := mustGet(t, s, "/films/paris-2008"); ratingCount(t, body) != before+readers {
		t.Errorf("the next page counts %d ratings, want %d", ratingCount(t, body), before+readers)
	}
	logs := s.Logs.String()
	for _, bad := range []string{"level=ERROR", "40001", "could not serialize", "deadlock"} {
		if strings.Contains(logs, bad) {
			t.Errorf("the server logged %q:\n%s", bad, lastLines(logs, 40))
		}
	}
}

// lastLines is the last n lines of s.
func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
