package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"marquee/internal/film"
	"marquee/internal/picture"
	"marquee/internal/sqlite"
)

// mustAddPoster gives a film of the SQLite site at path a poster, a real
// JPEG in two widths.
func mustAddPoster(tb testing.TB, path, slug string) {
	tb.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	// A photograph-like picture, sent as an upload is: checked and
	// rendered by package picture.
	img := image.NewRGBA(image.Rect(0, 0, 800, 1200))
	for i := range img.Pix {
		img.Pix[i] = byte(i*7 + i/3200)
	}
	img.Set(0, 0, color.RGBA{R: 200, A: 255})
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, nil); err != nil {
		tb.Fatal(err)
	}
	renditions, err := picture.Prepare(buf.Bytes(), film.ImagePoster)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := db.AddImage(ctx, film.FilmImages(slug), film.NewImage{Role: film.ImagePoster,
		ImageText: film.ImageText{Alt: "The poster", Credit: "© The studio"}, Renditions: renditions},
		film.User{ID: 0, Name: "Test"}, time.Now()); err != nil {
		tb.Fatalf("add a poster: %v", err)
	}
}

// TestCopyRoundTrip copies a SQLite site holding every kind of record the
// copy carries (people, films, a poster, critic reviews in several states,
// reader reviews approved and pending, ratings, helpful votes, desk
// accounts, one disabled) into PostgreSQL and back into a new SQLite file:
// the counts printed agree, the final dump is the original's byte for
// byte, the accounts sign in as before, and the public pages are
// identical. A copy into a database that holds a site is refused and
// changes nothing.
func TestCopyRoundTrip(t *testing.T) {
	dir := t.TempDir()
	original := filepath.Join(dir, "original.db")
	mustRun(t, "seed", "-db", original)
	mustRun(t, "import", "-db", original, mustWriteCatalogue(t, seedsPlus(t)))
	mustAddPoster(t, original, "paris-2008")
	for _, who := range []string{"ed@example.com", "old@example.com"} {
		if out, errOut, err := runUserCommand(t, original, deskPassword+"\n", "add", "-email", who, "-name", "Someone", "-role", "editor"); err != nil {
			t.Fatalf("user add: %v\n%s%s", err, out, errOut)
		}
	}
	if _, errOut, err := runUserCommand(t, original, "", "disable", "-email", "old@example.com"); err != nil {
		t.Fatalf("user disable: %v\n%s", err, errOut)
	}

	middle := pg.NewDatabase(t)
	out := mustRun(t, "copy", "-from", original, "-to", middle)
	if !strings.Contains(out, "copied 2 films, 23 people") || !strings.Contains(out, "1 picture") || !strings.Contains(out, "2 accounts") {
		t.Errorf("copy into PostgreSQL printed %q", out)
	}
	final := filepath.Join(dir, "final.db")
	counted, _, _ := strings.Cut(out, " in ")
	if back := mustRun(t, "copy", "-from", middle, "-to", final); !strings.HasPrefix(back, counted+" in ") {
		t.Errorf("copy back printed %q, the first copy %q", back, out)
	}

	first, last := filepath.Join(dir, "first.json"), filepath.Join(dir, "last.json")
	mustRun(t, "dump", "-db", original, first)
	mustRun(t, "dump", "-db", final, last)
	a, err := os.ReadFile(first)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(last)
	if err != nil {
		t.Fatal(err)
	}
	if len(a) < 1000 || !bytes.Equal(a, b) {
		t.Errorf("the dump after SQLite → PostgreSQL → SQLite differs from the original's (%d and %d bytes)", len(a), len(b))
	}
	ctx := context.Background()
	db, err := sqlite.Open(ctx, final)
	if err != nil {
		t.Fatal(err)
	}
	users, err := db.FindUsers(ctx)
	db.Close()
	if err != nil || len(users) != 2 {
		t.Fatalf("accounts after the round trip: %v, %v", users, err)
	}
	for _, u := range users {
		if u.Disabled != (u.Email == "old@example.com") {
			t.Errorf("%s disabled = %v after the round trip", u.Email, u.Disabled)
		}
	}

	// The same pages, served from the original and the final file.
	srvA := mustStartServer(t, "-db", original, "-base-url", "https://marquee.example")
	srvB := mustStartServer(t, "-db", final, "-base-url", "https://marquee.example")
	for _, path := range []string{"/", "/films/paris-2008", "/people/juliette-binoche", "/films/paris-2008/reviews", "/films/le-chat-2001"} {
		statusA, pageA := mustGet(t, srvA, path)
		statusB, pageB := mustGet(t, srvB, path)
		pageA = formToken.ReplaceAllString(pageA, `name="form_token" value="TOKEN"`)
		pageB = formToken.ReplaceAllString(pageB, `name="form_token" value="TOKEN"`)
		if statusA != 200 || statusB != 200 {
			t.Errorf("GET %s = %d and %d, want 200", path, statusA, statusB)
		}
		if pageA != pageB {
			t.Errorf("GET %s differs after the round trip:\n%s", path, firstLineDiff(pageA, pageB))
		}
	}
	// The editor signs in on the copy with the password of the original.
	deskClient(t, srvB)

	// A target holding a site is refused, and left as it was.
	_, errOut, err := runCommand(t, "copy", "-from", original, "-to", middle)
	if err == nil || !strings.Contains(err.Error()+errOut, "not empty") {
		t.Errorf("copy into a database holding a site = %v, %q; want a refusal", err, errOut)
	}
	again := filepath.Join(dir, "again.json")
	mustRun(t, "dump", "-db", middle, again)
	if c, _ := os.ReadFile(again); !bytes.Equal(c, b) {
		t.Error("the refused copy changed the target")
	}
	if _, errOut, err := runCommand(t, "copy", "-from", original); err == nil || !strings.Contains(errOut, "-from and -to") {
		t.Errorf("copy without -to = %v, %q; want a usage error", err, errOut)
	}
}

// TestCopyCarriesHistory copies a SQLite site with a history (a critic
// review written, published, restored and renamed on the desk; ratings
// held back as a burst; an editor signed in; a reader review form served)
// SQLite → PostgreSQL → SQLite, and finds it all on the final copy through
// the real router: the counts printed agree kind by kind, the final
// history is the original's record for record, the editor is still
// signed in, the review's history page lists its revisions, the audit
// page names the review by its new id, the burst is on /admin/bursts and
// releases into the film's ratings, the old slug redirects, and a form
// the original served is taken by the copy (the same signing key).
func TestCopyCarriesHistory(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	original := filepath.Join(dir, "original.db")
	mustRun(t, "seed", "-db", original)
	if out, errOut, err := runUserCommand(t, original, deskPassword+"\n", "add", "-email", "ed@example.com", "-name", "Ed Itor", "-role", "editor"); err != nil {
		t.Fatalf("user add: %v\n%s%s", err, out, errOut)
	}

	// The desk's work, through the store as its forms do it.
	db, err := sqlite.Open(ctx, original)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now().UTC().Add(-time.Hour).Truncate(time.Second)
	ed, err := db.FindUserByEmail(ctx, "ed@example.com")
	if err != nil {
		t.Fatal(err)
	}
	draft := film.CriticReview{Slug: "a-quiet-city", FilmSlug: "paris-2008", Headline: "A quiet city", Author: "Ed Itor",
		Body: "First words.", Status: film.ReviewDraft}
	id, err := db.CreateCriticReview(ctx, draft, ed, start)
	if err != nil {
		t.Fatal(err)
	}
	published := draft
	published.Body, published.Status, published.PublishedAt = "Second words.", film.ReviewPublished, start.Add(time.Minute)
	if _, err := db.UpdateCriticReview(ctx, id, 1, published, ed, start.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := db.RestoreRevision(ctx, id, 1, 2, ed, start.Add(2*time.Minute)); err != nil {
		t.Fatal(err)
	}
	stored, err := db.FindEditedReview(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	renamed := stored.Review
	renamed.Slug = "a-quiet-city-revisited"
	if _, err := db.UpdateCriticReview(ctx, id, 3, renamed, ed, start.Add(3*time.Minute)); err != nil {
		t.Fatal(err)
	}
	paris, err := db.FindFilm(ctx, "paris-2008")
	if err != nil {
		t.Fatal(err)
	}
	var burst int64
	for i, v := range []int{10, 10, 1} {
		hash := sha256.Sum256([]byte(fmt.Sprintf("a fresh cookie %d", i)))
		reader, err := db.Reader(ctx, hash[:], start)
		if err != nil {
			t.Fatal(err)
		}
		if burst, err = db.HoldRating(ctx, burst, paris.ID, reader, v, start.Add(time.Duration(i)*time.Second)); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()

	// The editor signs in, and a reader loads the review form and is asked
	// to check it, on the original site.
	srvA := mustStartServer(t, "-db", original)
	desk := deskClient(t, srvA)
	jar, _ := cookiejar.New(nil)
	reader := &http.Client{Jar: jar}
	form := url.Values{"display_name": {"Maud"}, "title": {"Carried across"}, "rating": {"8"},
		"body": {"Written on one database, sent to another."}}
	resp, err := reader.Get(srvA.URL + "/films/paris-2008/reviews/new")
	page := body(t, resp, err, http.StatusOK)
	form.Set("form_token", formTokenField.FindStringSubmatch(page)[1])
	resp, err = reader.PostForm(srvA.URL+"/films/paris-2008/reviews", form)
	page = body(t, resp, err, http.StatusOK)
	if !strings.Contains(page, "Nearly there") {
		t.Fatalf("the original did not ask to check the review:\n%s", page)
	}
	form.Set("form_token", formTokenField.FindStringSubmatch(page)[1])
	_, before := mustGet(t, srvA, "/films/paris-2008")
	if err := srvA.Stop(t); err != nil {
		t.Fatal(err)
	}

	// SQLite → PostgreSQL → SQLite: every kind counted alike on both sides.
	middle := pg.NewDatabase(t)
	final := filepath.Join(dir, "final.db")
	for _, c := range []struct{ from, to string }{{original, middle}, {middle, final}} {
		out := mustRun(t, "copy", "-from", c.from, "-to", c.to)
		for kind, n := range map[string]int{"revisions": 4, "slug redirects": 1, "held bursts": 1, "held ratings": 3, "sessions": 1, "secrets": 1} {
			if !regexp.MustCompile(`(?m)^\s+` + kind + `\s+` + strconv.Itoa(n) + `\s+` + strconv.Itoa(n) + `$`).MatchString(out) {
				t.Errorf("copy %s → %s printed no %d %s on both sides:\n%s", databaseName(c.from), databaseName(c.to), n, kind, out)
			}
		}
		if !regexp.MustCompile(`(?m)^\s+audit lines\s+(\d+)\s+(\d+)$`).MatchString(out) || strings.Contains(out, "differs") {
			t.Errorf("copy %s → %s printed:\n%s", databaseName(c.from), databaseName(c.to), out)
		}
	}
	histories := make([]film.SiteHistory, 2)
	for i, path := range []string{original, final} {
		db, err := sqlite.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		histories[i], err = db.DumpHistory(ctx)
		db.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	if diff := cmp.Diff(histories[0], histories[1]); diff != "" {
		t.Errorf("the final history differs from the original's (-original +final):\n%s", diff)
	}

	srvB := mustStartServer(t, "-db", final)
	get := func(path string) string {
		t.Helper()
		resp, err := desk.Get(srvB.URL + path)
		page := body(t, resp, err, http.StatusOK)
		if resp.Request.URL.Path != strings.Split(path, "?")[0] {
			t.Fatalf("GET %s on the copy ended at %s: the editor is not signed in", path, resp.Request.URL)
		}
		return page
	}
	// Still signed in, with the session made on the original.
	get("/admin")

	// The review's history, under the id it has on the copy.
	db, err = sqlite.Open(ctx, final)
	if err != nil {
		t.Fatal(err)
	}
	edited, err := db.FindEditedReviews(ctx, film.EditedReviewFilter{Limit: 50})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	var copied int64
	for _, r := range edited.Reviews {
		if r.Review.Slug == "a-quiet-city-revisited" {
			copied = r.Review.ID
		}
	}
	if copied == 0 {
		t.Fatal("the review is not on the copy")
	}
	history := get(fmt.Sprintf("/admin/reviews/%d/history", copied))
	for _, want := range []string{`id="revision-1"`, `id="revision-2"`, `id="revision-3"`, `id="revision-4"`, "(revision 1)"} {
		if !strings.Contains(history, want) {
			t.Errorf("the review's history on the copy lacks %s", want)
		}
	}
	// The audit log names the review by its id on the copy (its four
	// saves); the editor's account and sign-in are there too.
	if audit := get(fmt.Sprintf("/admin/audit?type=critic_review&id=%d", copied)); !strings.Contains(audit, `<p class="desk-total">4 entries</p>`) {
		t.Errorf("the audit page of the review on the copy does not list its four saves")
	}
	if audit := get("/admin/audit?type=user"); !strings.Contains(audit, "<code>user.signin</code>") || !strings.Contains(audit, "<code>user.add</code>") {
		t.Errorf("the audit page on the copy does not show the editor's account and sign-in")
	}

	// The held burst, listed and released on the copy.
	bursts := get("/admin/bursts")
	m := regexp.MustCompile(`id="burst-(\d+)"`).FindStringSubmatch(bursts)
	if m == nil || !strings.Contains(bursts, "3 ratings, average 7.0/10") {
		t.Fatalf("the held burst is not on the copy's /admin/bursts:\n%s", bursts)
	}
	_, onCopy := mustGet(t, srvB, "/films/paris-2008")
	if ratingCount(t, onCopy) != ratingCount(t, before) {
		t.Errorf("the copy's Paris counts %d ratings, the original's %d: held ratings counted", ratingCount(t, onCopy), ratingCount(t, before))
	}
	resp, err = desk.PostForm(srvB.URL+"/admin/bursts/"+m[1]+"/release", nil)
	body(t, resp, err, http.StatusOK)
	if _, released := mustGet(t, srvB, "/films/paris-2008"); ratingCount(t, released) != ratingCount(t, before)+3 {
		t.Errorf("after the release the copy's Paris counts %d ratings, want %d", ratingCount(t, released), ratingCount(t, before)+3)
	}

	// The old address of the renamed review answers with a redirect.
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err = noFollow.Get(srvB.URL + "/reviews/a-quiet-city")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != "/reviews/a-quiet-city-revisited" {
		t.Errorf("the old slug on the copy = %d to %q, want 301 to /reviews/a-quiet-city-revisited", resp.StatusCode, resp.Header.Get("Location"))
	}

	// The form the original served is taken by the copy, which signs with
	// the same key: the review waits for moderation (a forged token would
	// have made it spam).
	resp, err = reader.PostForm(srvB.URL+"/films/paris-2008/reviews", form)
	body(t, resp, err, http.StatusOK)
	if queue := get("/admin/moderation"); !strings.Contains(queue, "Carried across") {
		t.Error("the review sent with the original's form is not in the copy's moderation queue")
	}
}
