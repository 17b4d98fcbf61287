package main

import (
	"context"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/jackc/pgx/v5"

	"marquee/internal/film"
)

// TestTwoServersWithReplica runs the topology of several app servers: a
// PostgreSQL primary with a streaming replica, and two "marquee serve"
// processes on them, each sending page reads to the replica. A reader
// rates a film and another writes a review on the first server; an editor
// signs in on the second and approves the review. The writers' very next
// pages, on the other server, show what they did (their reads go to the
// primary for a few seconds after a write, and bypass the page cache); an
// anonymous reader, whose pages are cached, sees both on each server once
// the other server's announcement has arrived (polled with a deadline: the
// delay is logged, not asserted). Both servers read the replica.
func TestTwoServersWithReplica(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a replica and two servers")
	}
	ctx := context.Background()
	replica, err := pg.Cluster(t).StartReplica(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { replica.Stop() })
	primaryURL := pg.NewDatabase(t)
	u, err := url.Parse(primaryURL)
	if err != nil {
		t.Fatal(err)
	}
	replicaURL := replica.URL(strings.TrimPrefix(u.Path, "/"))
	waitUntil(t, "the replica has the database", func() bool {
		conn, err := pgx.Connect(ctx, replicaURL)
		if err == nil {
			conn.Close(ctx)
		}
		return err == nil
	})
	if out, errOut, err := runUserCommand(t, primaryURL, deskPassword+"\n", "add", "-email", "ed@example.com", "-name", "Ed Itor", "-role", "editor"); err != nil {
		t.Fatalf("user add: %v\n%s%s", err, out, errOut)
	}
	one := startServeOn(t, primaryURL, "-db-replica", replicaURL)
	two := startServeOn(t, primaryURL, "-db-replica", replicaURL)
	const film1 = "/films/paris-2008"
	_, page := mustGet(t, two, film1) // cached on two from now on
	before := ratingCount(t, page)

	// Amy rates on one; her browser sends the same cookies to two (one
	// site behind a load balancer).
	amy := newWebReader(t, one.URL, 1)
	if status, err := amy.rate("paris-2008", 9); err != nil || status != http.StatusSeeOther {
		t.Fatalf("rating on one = %d, %v; want 303", status, err)
	}
	amyOnTwo := &webReader{base: two.URL, addr: amy.addr, client: amy.client}
	if _, body, err := amyOnTwo.do(http.MethodGet, film1, nil); err != nil || ratingCount(t, body) != before+1 {
		t.Errorf("Amy's next page, from two, counts %d ratings (%v), want %d", ratingCount(t, body), err, before+1)
	}
	start := time.Now()
	waitUntil(t, "an anonymous page on two counts the rating", func() bool {
		_, body := mustGet(t, two, film1)
		return ratingCount(t, body) == before+1
	})
	t.Logf("two's anonymous film page showed the rating %v after Amy's next page", time.Since(start))

	bob := newWebReader(t, one.URL, 2)
	const title = "Paris from two servers"
	if status, err := bob.review("paris-2008", "Bob", title, 7); err != nil || status != http.StatusSeeOther {
		t.Fatalf("review on one = %d, %v; want 303", status, err)
	}
	store := mustOpenPostgres(t, primaryURL)
	queue, err := store.ModerationPage(ctx, film.ModerationFilter{Status: film.ModerationPending, Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	var id int64
	for _, item := range queue.Items {
		if item.Review.Title == title {
			id = item.Review.ID
		}
	}
	if id == 0 {
		t.Fatal("Bob's review is not in the queue")
	}

	// The editor signs in on two and approves it there.
	jar, _ := cookiejar.New(nil)
	ed := &http.Client{Jar: jar}
	resp, err := ed.PostForm(two.URL+"/admin/signin", url.Values{"email": {"ed@example.com"}, "password": {deskPassword}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if !strings.HasSuffix(resp.Request.URL.Path, "/admin") {
		t.Fatalf("sign in on two ended at %s", resp.Request.URL)
	}
	resp, err = ed.PostForm(two.URL+"/admin/moderation", oneClick(id))
	if out := body(t, resp, err, http.StatusOK); !strings.Contains(out, "Approved") {
		t.Fatal("two does not say the review was approved")
	}
	// The editor's jar holds two's cookies; one reads them too (same
	// host, another port, as behind one address).
	edOnOne := func(path string) string {
		req, _ := http.NewRequest(http.MethodGet, one.URL+path, nil)
		for _, c := range jar.Cookies(&url.URL{Scheme: "http", Host: strings.TrimPrefix(two.URL, "http://")}) {
			req.AddCookie(c)
		}
		resp, err := http.DefaultClient.Do(req)
		return body(t, resp, err, http.StatusOK)
	}
	if !reviewListed(t, edOnOne(film1+"/reviews"), title) {
		t.Error("the editor's next reviews page, from one, lacks the review just approved on two")
	}
	for _, s := range []*server{one, two} {
		waitUntil(t, "an anonymous reviews page on "+s.URL+" lists the approved review", func() bool {
			_, body := mustGet(t, s, film1+"/reviews")
			return reviewListed(t, body, title)
		})
		waitUntil(t, "an anonymous film page on "+s.URL+" counts both ratings", func() bool {
			_, body := mustGet(t, s, film1)
			return ratingCount(t, body) == before+2
		})
	}

	// Both servers have read pages from the replica.
	conn, err := pgx.Connect(ctx, replicaURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var readers int
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'marquee-replica-reads'").Scan(&readers); err != nil {
		t.Fatal(err)
	}
	if readers < 2 {
		t.Errorf("%d connections of the servers on the replica, want one or more from each", readers)
	}
	for _, s := range []*server{one, two} {
		if logs := s.Logs.String(); strings.Contains(logs, "level=ERROR") {
			t.Errorf("%s logged errors:\n%s", s.URL, logs)
		}
	}
}

// reviewListed reports whether a reviews page lists a review titled title.
func reviewListed(tb testing.TB, page, title string) bool {
	tb.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(page))
	if err != nil {
		tb.Fatal(err)
	}
	found := false
	doc.Find("article.reader-review").Each(func(_ int, a *goquery.Selection) {
		found = found || strings.Contains(a.Text(), title)
	})
	return found
}

// waitUntil polls cond until it holds, failing the test after a generous
// deadline: what it waits for is asynchronous (replay, a notification), and
// how long it took is not asserted.
func waitUntil(tb testing.TB, what string, cond func() bool) {
	tb.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			tb.Fatalf("gave up waiting: %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
