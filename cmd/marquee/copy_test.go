package main

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

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
