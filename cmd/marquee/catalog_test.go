package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"marquee/internal/catalog"
	"marquee/internal/film"
	"marquee/seeds"
)

// noEnv is an environment with nothing set.
func noEnv(string) string { return "" }

// runCommand runs the program with args and returns its output and error.
func runCommand(tb testing.TB, args ...string) (stdout, stderr string, err error) {
	tb.Helper()
	var out, errOut bytes.Buffer
	err = run(context.Background(), args, noEnv, strings.NewReader(""), &out, &errOut)
	return out.String(), errOut.String(), err
}

// mustRun runs the program and fails the test if it fails.
func mustRun(tb testing.TB, args ...string) string {
	tb.Helper()
	stdout, stderr, err := runCommand(tb, args...)
	if err != nil {
		tb.Fatalf("marquee %s: %v\n%s", strings.Join(args, " "), err, stderr)
	}
	return stdout
}

// mustWriteCatalogue writes c as a catalogue file in a temporary directory.
func mustWriteCatalogue(tb testing.TB, c film.Catalog) string {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "catalogue.json")
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	if err := catalog.Encode(f, catalog.Document{Version: catalog.Version, Catalog: c}); err != nil {
		tb.Fatal(err)
	}
	return path
}

func reader(name string) string {
	sum := sha256.Sum256([]byte(name))
	return film.ReaderKey(sum[:])
}

// seedsPlus is the seed catalogue with a second film, reviews in several
// states, ratings and helpful votes: everything the pages show.
func seedsPlus(tb testing.TB) film.Catalog {
	tb.Helper()
	doc, err := catalog.DecodeFS(seeds.FS)
	if err != nil {
		tb.Fatal(err)
	}
	c := doc.Catalog
	at := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	c.People = append(c.People, film.Person{Slug: "anne-dupre", Name: "Anne Duprè", AlsoKnownAs: []string{"Anne Dupre"}})
	c.Films = append(c.Films, film.Film{Slug: "le-chat-2001", Title: "Le Chat", OriginalTitle: "Le Chat", TitleLanguage: "fr",
		Year: 2001, RuntimeMinutes: 92, Genres: []string{"Comedy"}, Synopsis: "A cat moves in.",
		Credits: []film.Credit{{PersonSlug: "anne-dupre", Role: film.RoleDirector},
			{PersonSlug: "juliette-binoche", Role: film.RoleCast, Character: "Madame", Billing: 1}}})
	c.CriticReviews = append(c.CriticReviews,
		film.CriticReview{Slug: "le-chat-review", FilmSlug: "le-chat-2001", Headline: "Purrfect", Author: "Anne Duprè",
			AuthorSlug: "anne-dupre", Rating: &film.Rating{Value: 4, Scale: 5}, Body: "A *delight*.", Status: film.ReviewPublished, PublishedAt: at},
		film.CriticReview{Slug: "paris-draft", FilmSlug: "paris-2008", Headline: "Draft", Author: "Guest", Body: "Not yet.", Status: film.ReviewDraft})
	reviews := []film.ReaderReview{
		{FilmSlug: "paris-2008", DisplayName: "Élodie", Title: "Binoche carries it", Rating: 8, Body: "Warm and *funny*.",
			Status: film.ModerationApproved, CreatedAt: at},
		{FilmSlug: "le-chat-2001", DisplayName: "Sam", Title: "A small delight", Rating: 7, Body: "Cats!",
			Status: film.ModerationApproved, CreatedAt: at.Add(time.Hour)},
		{FilmSlug: "paris-2008", DisplayName: "Tom", Title: "Too long", Rating: 4, Body: "The ending ||drags||.", Spoilers: true,
			Status: film.ModerationApproved, CreatedAt: at.Add(2 * time.Hour)},
		{FilmSlug: "paris-2008", DisplayName: "P", Title: "Pending", Rating: 5, Body: "Hmm.", Status: film.ModerationPending,
			CreatedAt: at.Add(3 * time.Hour)},
	}
	c.ReaderReviews = append(c.ReaderReviews, reviews...)
	for i, v := range []int{9, 7, 10, 3, 8, 6} {
		c.Ratings = append(c.Ratings, film.ReaderRating{FilmSlug: "paris-2008", Reader: reader(string(rune('a' + i))), Value: v,
			CreatedAt: at, UpdatedAt: at.Add(time.Duration(i) * time.Minute)})
	}
	c.Ratings = append(c.Ratings, film.ReaderRating{FilmSlug: "le-chat-2001", Reader: reader("a"), Value: 6, CreatedAt: at, UpdatedAt: at})
	for i, r := range []film.ReaderReview{reviews[0], reviews[0], reviews[2]} {
		c.HelpfulVotes = append(c.HelpfulVotes, film.HelpfulVote{Review: r.Key(), Reader: reader(string(rune('b' + i))), CreatedAt: at.Add(5 * time.Hour)})
	}
	return c
}

func TestImportCommandReportsAndIsIdempotent(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "marquee.db")
	mustRun(t, "seed", "-db", dbPath)
	file := mustWriteCatalogue(t, seedsPlus(t))

	first := mustRun(t, "import", "-db", dbPath, file)
	for _, want := range []string{
		"people: 1 added, 0 updated, 22 unchanged\n",
		"films: 1 added, 0 updated, 1 unchanged\n",
		"critic reviews: 2 added, 0 updated, 1 unchanged\n",
		"reader reviews: 4 added, 0 updated, 1 unchanged\n",
		"ratings: 7 added, 0 updated, 0 unchanged\n",
		"helpful votes: 3 added, 0 updated, 0 unchanged\n",
	} {
		if !strings.Contains(first, want) {
			t.Errorf("first import report lacks %q:\n%s", want, first)
		}
	}
	before := mustRun(t, "dump", "-db", dbPath, "-")
	// FILE may come before the flags too.
	second := mustRun(t, "import", file, "-db", dbPath)
	if strings.Contains(second, " 1 added") || strings.Contains(second, " 1 updated") || !strings.Contains(second, "films: 0 added, 0 updated, 2 unchanged") {
		t.Errorf("second import changed something:\n%s", second)
	}
	if after := mustRun(t, "dump", "-db", dbPath, "-"); after != before {
		t.Error("second import changed the dump")
	}

	// A changed film is updated, in place.
	c := seedsPlus(t)
	c.Films[0].Title = "Paris (restored)"
	third := mustRun(t, "import", "-db", dbPath, mustWriteCatalogue(t, c))
	if !strings.Contains(third, "films: 0 added, 1 updated, 1 unchanged") {
		t.Errorf("import of a changed film:\n%s", third)
	}
}

func TestImportCommandRefusesAnInvalidCatalogue(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "marquee.db")
	mustRun(t, "seed", "-db", dbPath)
	before := mustRun(t, "dump", "-db", dbPath, "-")

	c := seedsPlus(t)
	c.Films[1].Year = 1500                       // films[1].year
	c.Ratings[2].Value = 11                      // ratings[2].value
	c.Films[0].Credits[0].PersonSlug = "no-body" // films[0].credits[0].person
	file := mustWriteCatalogue(t, c)
	_, stderr, err := runCommand(t, "import", "-db", dbPath, file)
	if err == nil || exitCode(err) != 1 {
		t.Fatalf("import of an invalid catalogue: error %v (exit %d), want exit 1", err, exitCode(err))
	}
	if !strings.Contains(err.Error(), "3 invalid fields; nothing was imported") {
		t.Errorf("error = %q, want it to count the problems and say nothing was imported", err)
	}
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	want := []string{
		file + ": films[0].credits[0].person: names no person in the document: no-body",
		file + ": films[1].year: must be between 1870 and 2200",
		file + ": ratings[2].value: must be a whole number from 1 to 10",
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems printed:\n%s\nwant one per line in document order:\n%s", stderr, strings.Join(want, "\n"))
	}
	if after := mustRun(t, "dump", "-db", dbPath, "-"); after != before {
		t.Error("a refused import changed the database")
	}
}

func TestCatalogueCommandErrors(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "marquee.db")
	write := func(name, text string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	syntax := write("syntax.json", "{\n  \"version\": 1,\n  \"films\": [}\n")
	unknown := write("unknown.json", "{\n  \"version\": 1,\n  \"people\": [],\n  \"films\": [{\"slug\": \"a\", \"titel\": \"A\"}]\n}\n")
	tests := []struct {
		name     string
		args     []string
		exit     int
		wantText string
	}{
		{"import without a file", []string{"import", "-db", dbPath}, 2, "missing FILE"},
		{"import with two files", []string{"import", "-db", dbPath, "a.json", "b.json"}, 2, "unexpected arguments: b.json"},
		{"import help", []string{"import", "-h"}, 0, "Usage: marquee import [flags] FILE"},
		{"dump without a file", []string{"dump", "-db", dbPath}, 2, "missing FILE"},
		{"gen without films", []string{"gen", "-db", dbPath}, 2, "-films must be a positive number"},
		{"gen with negative ratings", []string{"gen", "-films", "3", "-ratings", "-1", "-db", dbPath}, 2, "must not be negative"},
		{"gen with a stray argument", []string{"gen", "-films", "3", "extra"}, 2, "unexpected arguments"},
		{"import of a missing file", []string{"import", "-db", dbPath, filepath.Join(dir, "nope.json")}, 1, "nope.json: no such file"},
		{"import of broken JSON", []string{"import", "-db", dbPath, syntax}, 1, "line 3, column 13: invalid character '}'"},
		{"import with an unknown field", []string{"import", "-db", dbPath, unknown}, 1, `line 4, column 27: unknown field "titel"`},
		{"dump of a missing database", []string{"dump", "-db", filepath.Join(dir, "none.db"), "-"}, 1, "no database to dump"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, stderr, err := runCommand(t, tt.args...)
			code := 0
			if err != nil {
				code = exitCode(err)
			}
			if code != tt.exit {
				t.Errorf("exit status %d (error %v), want %d", code, err, tt.exit)
			}
			out := stdout + stderr
			if err != nil {
				out += err.Error()
			}
			if !strings.Contains(out, tt.wantText) {
				t.Errorf("output lacks %q:\n%s", tt.wantText, out)
			}
		})
	}
	if _, err := os.Stat(dbPath); !os.IsNotExist(err) {
		t.Errorf("a failed command created the database (stat: %v)", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "none.db")); !os.IsNotExist(err) {
		t.Errorf("dump of a missing database created it (stat: %v)", err)
	}
}

func TestGenCommand(t *testing.T) {
	dir := t.TempDir()
	gen := func(name string, args ...string) string {
		dbPath := filepath.Join(dir, name)
		out := mustRun(t, append([]string{"gen", "-db", dbPath}, args...)...)
		if !strings.Contains(out, "generated 40 films, 120 people, 20 critic reviews, 400 reader reviews") {
			t.Errorf("gen printed %q, want the counts", out)
		}
		return mustRun(t, "dump", "-db", dbPath, "-")
	}
	a := gen("a.db", "-films", "40", "-seed", "5")
	b := gen("b.db", "-seed", "5", "-films", "40")
	if a != b {
		t.Error("two databases generated from seed 5 dump differently")
	}
	if c := gen("c.db", "-films", "40", "-seed", "6"); c == a {
		t.Error("seeds 5 and 6 generated the same catalogue")
	}
	if _, _, err := runCommand(t, "gen", "-db", filepath.Join(dir, "a.db"), "-films", "40"); err == nil ||
		!strings.Contains(err.Error(), "load into a new database") {
		t.Errorf("gen into a database that has films: %v, want a refusal", err)
	}

	// -out writes the catalogue instead; imported, it is the same data.
	out := filepath.Join(dir, "gen.json")
	if printed := mustRun(t, "gen", "-films", "40", "-seed", "5", "-out", out); !strings.Contains(printed, "into "+out) {
		t.Errorf("gen -out printed %q", printed)
	}
	imported := filepath.Join(dir, "imported.db")
	report := mustRun(t, "import", "-db", imported, out)
	if !strings.Contains(report, "films: 40 added") || !strings.Contains(report, "reader reviews: 400 added") {
		t.Errorf("import of the generated file:\n%s", report)
	}
	if mustRun(t, "dump", "-db", imported, "-") != a {
		t.Error("the generated file, imported, dumps differently from the generated database")
	}
}

// formToken matches the review form's token, signed with a key each
// database makes for itself.
var formToken = regexp.MustCompile(`name="form_token" value="[^"]*"`)

// TestDumpRoundTripServesTheSameSite dumps a site with reviews in every
// state, ratings and votes, loads the dump into an empty database and
// serves both: the pages must be the same.
func TestDumpRoundTripServesTheSameSite(t *testing.T) {
	dir := t.TempDir()
	original := filepath.Join(dir, "original.db")
	mustRun(t, "seed", "-db", original)
	mustRun(t, "import", "-db", original, mustWriteCatalogue(t, seedsPlus(t)))
	dump := filepath.Join(dir, "dump.json")
	if out := mustRun(t, "dump", "-db", original, dump); !strings.Contains(out, "dumped 2 films, 23 people") {
		t.Errorf("dump printed %q", out)
	}
	copied := filepath.Join(dir, "copy.db")
	mustRun(t, "import", "-db", copied, dump)

	// Two servers of one site, at one public address.
	a := mustStartServer(t, "-db", original, "-base-url", "https://marquee.example")
	b := mustStartServer(t, "-db", copied, "-base-url", "https://marquee.example")
	for _, path := range []string{"/", "/films/paris-2008", "/people/juliette-binoche", "/films/paris-2008/reviews",
		"/films/le-chat-2001", "/people/anne-dupre"} {
		statusA, pageA := mustGet(t, a, path)
		statusB, pageB := mustGet(t, b, path)
		pageA = formToken.ReplaceAllString(pageA, `name="form_token" value="TOKEN"`)
		pageB = formToken.ReplaceAllString(pageB, `name="form_token" value="TOKEN"`)
		if statusA != 200 || statusB != 200 {
			t.Errorf("GET %s = %d and %d, want 200", path, statusA, statusB)
		}
		if pageA != pageB {
			t.Errorf("GET %s differs after the round trip:\n%s", path, firstLineDiff(pageA, pageB))
		}
	}
	// The pages show what was dumped: the votes and the approved reviews.
	if _, page := mustGet(t, b, "/films/paris-2008/reviews"); !strings.Contains(page, "Binoche carries it") || strings.Contains(page, "Pending") {
		t.Error("the copied site's review list lacks the approved review or shows the pending one")
	}
}

// firstLineDiff shows the first line at which two pages differ.
func firstLineDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) && i < len(bl); i++ {
		if al[i] != bl[i] {
			return "line " + strconv.Itoa(i+1) + ":\n- " + al[i] + "\n+ " + bl[i]
		}
	}
	return "(one page is a prefix of the other)"
}
