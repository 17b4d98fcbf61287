package sqlite_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"marquee/internal/catalog"
	"marquee/internal/catalog/generator"
	"marquee/internal/film"
	"marquee/internal/sqlite"
)

func mustDump(tb testing.TB, db *sqlite.DB) film.Catalog {
	tb.Helper()
	var c film.Catalog
	if err := db.Dump(context.Background(), &c); err != nil {
		tb.Fatalf("Dump: %v", err)
	}
	return c
}

func TestDumpImportRoundTrip(t *testing.T) {
	ctx := context.Background()
	db, path := mustOpen(t)
	mustSeed(t, db)
	if _, err := db.ImportWith(ctx, extras(), update); err != nil {
		t.Fatal(err)
	}
	dumped := mustDump(t, db)
	if err := (catalog.Document{Version: catalog.Version, Catalog: dumped}).Validate(); err != nil {
		t.Fatalf("dump is not a valid catalogue: %v", err)
	}
	want := seedsAndExtras(t).Counts()
	if got := dumped.Counts(); got != want {
		t.Errorf("dump holds %+v, want %+v", got, want)
	}
	if !slices.IsSortedFunc(dumped.People, func(a, b film.Person) int { return strings.Compare(a.Slug, b.Slug) }) ||
		!slices.IsSortedFunc(dumped.Films, func(a, b film.Film) int { return strings.Compare(a.Slug, b.Slug) }) {
		t.Error("dump does not list people and films by slug")
	}
	var draft, aliases bool
	for _, r := range dumped.CriticReviews {
		draft = draft || r.Status == film.ReviewDraft
	}
	for _, p := range dumped.People {
		aliases = aliases || len(p.AlsoKnownAs) > 0
	}
	if !draft || !aliases {
		t.Errorf("dump lacks drafts (%v) or aliases (%v)", draft, aliases)
	}

	// Into an empty database and out again: the same catalogue.
	db2, path2 := mustOpen(t)
	report, err := db2.ImportWith(ctx, dumped, update)
	if err != nil {
		t.Fatalf("import of the dump: %v", err)
	}
	if report.Added != want {
		t.Errorf("import of the dump added %+v, want %+v", report.Added, want)
	}
	if diff := cmp.Diff(dumped, mustDump(t, db2)); diff != "" {
		t.Errorf("dump of the imported dump differs (-first +second):\n%s", diff)
	}
	for _, slug := range []string{"paris-2008", "le-chat-2001"} {
		a, b := mustStats(t, db, slug), mustStats(t, db2, slug)
		if a != b {
			t.Errorf("rating stats of %s: %+v before the round trip, %+v after", slug, a, b)
		}
	}
	kept1, _ := helpfulCounts(t, path)
	kept2, _ := helpfulCounts(t, path2)
	if diff := cmp.Diff(kept1, kept2); diff != "" {
		t.Errorf("helpful counts differ after the round trip (-before +after):\n%s", diff)
	}

	// The dump is in the form the store keeps, so loading it back into
	// the database it came from changes nothing.
	before := mustSnapshot(t, path)
	if again := mustImportWith(t, db, dumped, update); again.Unchanged != want {
		t.Errorf("import of a dump into its own database = %+v, want all unchanged", again)
	}
	if after := mustSnapshot(t, path); after != before {
		t.Errorf("import of a dump into its own database changed it:\n%s", firstDifference(before, after))
	}
}

func mustStats(tb testing.TB, db *sqlite.DB, slug string) film.RatingStats {
	tb.Helper()
	f, err := db.FindFilm(context.Background(), slug)
	if err != nil {
		tb.Fatal(err)
	}
	s, err := db.RatingStats(context.Background(), f.ID)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// genNow is when the bulk-loading tests load, so two loads are alike to
// the byte.
var genNow = time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)

func mustBulkLoad(tb testing.TB, opts generator.Options) (*sqlite.DB, string) {
	tb.Helper()
	db, path := mustOpen(tb)
	l, err := db.NewBulkLoader(context.Background(), genNow)
	if err != nil {
		tb.Fatal(err)
	}
	if err := generator.Generate(context.Background(), opts, l); err != nil {
		tb.Fatalf("Generate into the database: %v", err)
	}
	if err := l.Close(); err != nil {
		tb.Fatalf("close the bulk load: %v", err)
	}
	return db, path
}

// withoutMigrations drops from a snapshot the table recording when each
// migration ran, the one thing two new databases never share.
func withoutMigrations(snapshot string) string {
	before, rest, ok := strings.Cut(snapshot, "== schema_migrations")
	if !ok {
		return snapshot
	}
	if _, after, ok := strings.Cut(rest, "\n== "); ok {
		return before + "== " + after
	}
	return before
}

func TestGenerateIntoDatabaseIsDeterministic(t *testing.T) {
	opts := generator.Options{Films: 80, Seed: 9}
	_, a := mustBulkLoad(t, opts)
	_, b := mustBulkLoad(t, opts)
	snapA, snapB := withoutMigrations(mustSnapshot(t, a)), withoutMigrations(mustSnapshot(t, b))
	if snapA != snapB {
		t.Errorf("two loads of seed 9 differ:\n%s", firstDifference(snapA, snapB))
	}
	opts.Seed = 10
	if _, c := mustBulkLoad(t, opts); withoutMigrations(mustSnapshot(t, c)) == snapA {
		t.Error("seeds 9 and 10 loaded the same database")
	}
}

// TestBulkLoadWritesWhatImportWrites loads one generated catalogue through
// the bulk loader and through an import: the two databases must dump the
// same, and the dump must be a valid catalogue.
func TestBulkLoadWritesWhatImportWrites(t *testing.T) {
	ctx := context.Background()
	opts := generator.Options{Films: 200, Seed: 3}
	bulk, bulkPath := mustBulkLoad(t, opts)

	var generated film.Catalog
	if err := generator.Generate(ctx, opts, &generated); err != nil {
		t.Fatal(err)
	}
	imported, importedPath := mustOpen(t)
	mustImportWith(t, imported, generated, update)

	dump := mustDump(t, bulk)
	if err := (catalog.Document{Version: catalog.Version, Catalog: dump}).Validate(); err != nil {
		t.Fatalf("dump of a generated catalogue is invalid: %v", err)
	}
	if got, want := dump.Counts(), generated.Counts(); got != want {
		t.Errorf("bulk load dumped %+v, want what was generated: %+v", got, want)
	}
	if diff := cmp.Diff(mustDump(t, imported), dump); diff != "" {
		t.Errorf("bulk load and import differ (-import +bulk):\n%s", diff)
	}
	// The aggregates the triggers keep come out the same as a recount.
	for _, f := range dump.Films[:20] {
		kept, recount := mustStats(t, bulk, f.Slug), mustRecount(t, bulk, f.Slug)
		if kept != recount {
			t.Errorf("film %s: kept rating stats %+v, recount %+v", f.Slug, kept, recount)
		}
	}
	kept, counted := helpfulCounts(t, bulkPath)
	if diff := cmp.Diff(counted, kept); diff != "" {
		t.Errorf("helpful counts differ from the votes (-votes +kept):\n%s", diff)
	}
	keptImported, _ := helpfulCounts(t, importedPath)
	if diff := cmp.Diff(keptImported, kept); diff != "" {
		t.Errorf("helpful counts differ between import and bulk load (-import +bulk):\n%s", diff)
	}
}

func mustRecount(tb testing.TB, db *sqlite.DB, slug string) film.RatingStats {
	tb.Helper()
	f, err := db.FindFilm(context.Background(), slug)
	if err != nil {
		tb.Fatal(err)
	}
	s, err := db.RecountRatingStats(context.Background(), f.ID)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

func TestBulkLoadRefusesADatabaseInUse(t *testing.T) {
	db, _ := mustOpen(t)
	mustSeed(t, db)
	if _, err := db.NewBulkLoader(context.Background(), genNow); err == nil {
		t.Fatal("NewBulkLoader accepted a database that holds films")
	}
}

func TestBulkLoadReportsMissingReferences(t *testing.T) {
	db, _ := mustOpen(t)
	l, err := db.NewBulkLoader(context.Background(), genNow)
	if err != nil {
		t.Fatal(err)
	}
	f := film.Film{Slug: "f", Title: "F", Year: 2000, Credits: []film.Credit{{PersonSlug: "nobody", Role: film.RoleDirector}}}
	if err := l.WriteFilm(f); err == nil || !strings.Contains(err.Error(), "nobody") {
		t.Errorf("WriteFilm with an unknown person: %v, want an error naming them", err)
	}
	l.Abort()
}
