package sqlite_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"marquee/internal/catalog"
	"marquee/internal/film"
	"marquee/internal/sqlite"
	"marquee/migrations"
	"marquee/seeds"
)

// mustOpen opens a new, migrated database file in a temporary directory.
func mustOpen(tb testing.TB) (*sqlite.DB, string) {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "marquee.db")
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		tb.Fatalf("Open: %v", err)
	}
	tb.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(context.Background(), migrations.FS); err != nil {
		tb.Fatalf("Migrate: %v", err)
	}
	return db, path
}

// mustSeed loads the real seed catalogue.
func mustSeed(tb testing.TB, db *sqlite.DB) film.ImportReport {
	tb.Helper()
	doc, err := catalog.DecodeFS(seeds.FS)
	if err != nil {
		tb.Fatalf("decode seeds: %v", err)
	}
	report, err := db.Import(context.Background(), doc.Catalog)
	if err != nil {
		tb.Fatalf("Import seeds: %v", err)
	}
	return report
}

func TestMigrateAppliesEachMigrationOnce(t *testing.T) {
	db, _ := mustOpen(t)
	applied, err := db.Migrate(context.Background(), migrations.FS)
	if err != nil {
		t.Fatal(err)
	}
	if len(applied) != 0 {
		t.Errorf("second Migrate applied %v, want nothing", applied)
	}
}

func TestSeedsLoadTwiceWithoutChange(t *testing.T) {
	db, path := mustOpen(t)
	first := mustSeed(t, db)
	if first.Added.Films != 1 || first.Added.CriticReviews != 1 || first.Added.ReaderReviews != 1 || first.Added.People == 0 {
		t.Fatalf("first seed added %+v, want 1 film, its people and both reviews", first.Added)
	}
	before := mustSnapshot(t, path)
	second := mustSeed(t, db)
	if second.Added != (film.CatalogCounts{}) {
		t.Errorf("second seed added %+v, want nothing", second.Added)
	}
	if second.Unchanged != first.Added {
		t.Errorf("second seed left %+v unchanged, want %+v", second.Unchanged, first.Added)
	}
	if after := mustSnapshot(t, path); after != before {
		t.Errorf("second seed changed the database:\n%s", firstDifference(before, after))
	}
}

func TestFindFilmReturnsFullRecord(t *testing.T) {
	db, _ := mustOpen(t)
	mustSeed(t, db)
	doc, err := catalog.DecodeFS(seeds.FS)
	if err != nil {
		t.Fatal(err)
	}
	want := doc.Films[0]
	got, err := db.FindFilm(context.Background(), "paris-2008")
	if err != nil {
		t.Fatalf("FindFilm: %v", err)
	}
	// What was stored is what comes back, field for field, except the
	// store-filled ID and person names and the crew billing it assigns.
	if got.ID == 0 {
		t.Error("FindFilm did not set the ID")
	}
	got.ID = 0
	names := map[string]string{}
	for _, p := range doc.People {
		names[p.Slug] = p.Name
	}
	for i := range got.Credits {
		if got.Credits[i].PersonName != names[got.Credits[i].PersonSlug] {
			t.Errorf("credit %d: person name %q, want %q", i, got.Credits[i].PersonName, names[got.Credits[i].PersonSlug])
		}
		got.Credits[i].PersonName = ""
		if got.Credits[i].Role != film.RoleCast {
			got.Credits[i].Billing = 0
		}
	}
	for i := range want.Credits {
		if want.Credits[i].Role != film.RoleCast {
			want.Credits[i].Billing = 0
		}
	}
	// The store lists credits grouped by role; compare as sets of lines.
	if g, w := creditLines(got.Credits), creditLines(want.Credits); g != w {
		t.Errorf("credits differ:\ngot:\n%s\nwant:\n%s", g, w)
	}
	for i := range got.Companies {
		if got.Companies[i].Slug == "" {
			t.Errorf("company %q has no slug", got.Companies[i].Name)
		}
		got.Companies[i].Slug = ""
	}
	got.Credits, want.Credits = nil, nil
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("FindFilm record differs from the seed (-seed +stored):\n%s", diff)
	}
}

func creditLines(credits []film.Credit) string {
	lines := make([]string, len(credits))
	for i, c := range credits {
		lines[i] = fmt.Sprintf("%s|%s|%s|%d|%s", c.Role, c.PersonSlug, c.Character, c.Billing, c.CreditedAs)
	}
	sortStrings(lines)
	return strings.Join(lines, "\n")
}

func TestFindFilmNotFound(t *testing.T) {
	db, _ := mustOpen(t)
	_, err := db.FindFilm(context.Background(), "no-such-film")
	if !errors.Is(err, film.ErrNotFound) {
		t.Fatalf("FindFilm(no-such-film) error = %v, want film.ErrNotFound", err)
	}
	_, err = db.PersonPage(context.Background(), "nobody", time.Time{}, 0)
	if !errors.Is(err, film.ErrNotFound) {
		t.Fatalf("PersonPage(nobody) error = %v, want film.ErrNotFound", err)
	}
}

func TestFindPersonListsCreditsAndAliases(t *testing.T) {
	db, _ := mustOpen(t)
	mustSeed(t, db)
	page, err := db.PersonPage(context.Background(), "cedric-klapisch", time.Time{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	p, credits := page.Person, page.Credits
	if p.Name != "Cédric Klapisch" {
		t.Errorf("name = %q", p.Name)
	}
	var roles []string
	for _, c := range credits {
		if c.Film.Slug != "paris-2008" || c.Film.Year != 2008 {
			t.Errorf("credit on %s (%d), want paris-2008 (2008)", c.Film.Slug, c.Film.Year)
		}
		roles = append(roles, string(c.Role))
	}
	if got := strings.Join(roles, ","); got != "director,writer" {
		t.Errorf("roles = %s, want director,writer", got)
	}
	duryPage, err := db.PersonPage(context.Background(), "loik-dury", time.Time{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	dury := duryPage.Person
	if dury.Name != "Loïk Dury" || len(dury.AlsoKnownAs) != 1 || dury.AlsoKnownAs[0] != "Loïc Dury" {
		t.Errorf("Dury = %q aka %q, want Loïk Dury aka Loïc Dury", dury.Name, dury.AlsoKnownAs)
	}
}

func TestReviewVisibility(t *testing.T) {
	db, _ := mustOpen(t)
	mustSeed(t, db)
	ctx := context.Background()
	f, err := db.FindFilm(ctx, "paris-2008")
	if err != nil {
		t.Fatal(err)
	}
	published := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	extra := film.Catalog{
		CriticReviews: []film.CriticReview{
			{Slug: "draft-review", FilmSlug: f.Slug, Headline: "Draft", Author: "A", Body: "x", Status: film.ReviewDraft},
			{Slug: "future-review", FilmSlug: f.Slug, Headline: "Later", Author: "B", Body: "y", Status: film.ReviewPublished,
				PublishedAt: published.Add(48 * time.Hour)},
		},
		ReaderReviews: []film.ReaderReview{
			{FilmSlug: f.Slug, DisplayName: "P", Title: "Pending", Rating: 5, Body: "z", Status: film.ModerationPending, CreatedAt: published},
			{FilmSlug: f.Slug, DisplayName: "S", Title: "Spam", Rating: 1, Body: "buy", Status: film.ModerationSpam, CreatedAt: published},
		},
	}
	if _, err := db.Import(ctx, extra); err != nil {
		t.Fatal(err)
	}
	page, err := db.FilmPage(ctx, film.FilmPageQuery{Slug: f.Slug, Now: published.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	critics := page.CriticReviews
	if len(critics) != 1 || critics[0].Slug != "paris-2008-review" {
		t.Fatalf("published critic reviews = %v, want only the seeded one (not the draft, not the future one)", critics)
	}
	r := critics[0]
	if r.Rating == nil || r.Rating.Value != 3 || r.Rating.Scale != 5 || !r.PublishedAt.Equal(published) {
		t.Errorf("seeded critic review = rating %+v published %v, want 3/5 at %v", r.Rating, r.PublishedAt, published)
	}
	laterPage, err := db.FilmPage(ctx, film.FilmPageQuery{Slug: f.Slug, Now: published.Add(72 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	later := laterPage.CriticReviews
	if len(later) != 2 || later[0].Slug != "future-review" {
		t.Errorf("after its date the scheduled review should appear first; got %d reviews", len(later))
	}
	readers, err := approvedReaderReviews(ctx, db, f.Slug)
	if err != nil {
		t.Fatal(err)
	}
	if len(readers) != 1 || readers[0].Rating != 9 || readers[0].Title != "Maybe the Finest movie about Paris since Paris vu Par" {
		t.Errorf("approved reader reviews = %+v, want only the seeded 9/10 review", readers)
	}
}

func TestImportIsAllOrNothing(t *testing.T) {
	db, path := mustOpen(t)
	before := mustSnapshot(t, path)
	bad := film.Catalog{
		People: []film.Person{{Slug: "someone", Name: "Someone"}},
		Films: []film.Film{{Slug: "a-film", Title: "A Film", Year: 2000,
			Credits: []film.Credit{{PersonSlug: "nobody-known", Role: film.RoleDirector}}}},
	}
	if _, err := db.Import(context.Background(), bad); !errors.Is(err, film.ErrNotFound) {
		t.Fatalf("Import with a credit for an unknown person: error = %v, want film.ErrNotFound", err)
	}
	if after := mustSnapshot(t, path); after != before {
		t.Errorf("a failed import left changes behind:\n%s", firstDifference(before, after))
	}
}

func TestConstraintsRejectBadRows(t *testing.T) {
	db, _ := mustOpen(t)
	tests := []struct {
		name string
		c    film.Catalog
	}{
		{"reader rating 11", film.Catalog{
			Films: []film.Film{{Slug: "f", Title: "F", Year: 2000}},
			ReaderReviews: []film.ReaderReview{{FilmSlug: "f", DisplayName: "n", Title: "t", Rating: 11, Body: "b",
				Status: film.ModerationPending, CreatedAt: time.Now()}}}},
		{"year out of range", film.Catalog{Films: []film.Film{{Slug: "g", Title: "G", Year: 1500}}}},
		{"character on a crew credit", film.Catalog{
			People: []film.Person{{Slug: "p", Name: "P"}},
			Films:  []film.Film{{Slug: "h", Title: "H", Year: 2000, Credits: []film.Credit{{PersonSlug: "p", Role: film.RoleDirector, Character: "X"}}}}}},
		{"unknown status", film.Catalog{
			Films: []film.Film{{Slug: "i", Title: "I", Year: 2000}},
			CriticReviews: []film.CriticReview{{Slug: "r", FilmSlug: "i", Headline: "h", Author: "a", Body: "b",
				Status: "secret"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The store is the last line of defence: even without the
			// validation in internal/film, the schema refuses these rows.
			if _, err := db.Import(context.Background(), tt.c); err == nil {
				t.Fatal("Import accepted a row the schema must refuse")
			}
		})
	}
}

// TestReadsRunDuringWrites checks that page reads on the read pool keep
// working while the writer writes, the point of WAL and two pools.
func TestReadsRunDuringWrites(t *testing.T) {
	db, _ := mustOpen(t)
	mustSeed(t, db)
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 8; j++ {
				if _, err := db.FindFilm(context.Background(), "paris-2008"); err != nil {
					errs <- err
				}
			}
		}()
	}
	for i := 0; i < 4; i++ {
		extra := film.Catalog{Films: []film.Film{{Slug: fmt.Sprintf("concurrent-%d", i), Title: "C", Year: 2001}}}
		if _, err := db.Import(context.Background(), extra); err != nil {
			t.Errorf("write during reads: %v", err)
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("read during writes: %v", err)
	}
}

func TestCompaniesWhoseNamesSlugifyAlikeGetTheirOwnPages(t *testing.T) {
	db, _ := mustOpen(t)
	c := film.Catalog{Films: []film.Film{
		{Slug: "one", Title: "One", Year: 2001, Companies: []film.CompanyCredit{{Name: "Studio A", Role: film.CompanyStudio}}},
		{Slug: "two", Title: "Two", Year: 2002, Companies: []film.CompanyCredit{{Name: "Studio-A", Role: film.CompanyStudio}}},
	}}
	if _, err := db.Import(context.Background(), c); err != nil {
		t.Fatalf("Import: %v", err)
	}
	for slug, want := range map[string]string{"studio-a": "Studio A", "studio-a-2": "Studio-A"} {
		got, err := db.CompanyPage(context.Background(), slug, 10)
		if err != nil || got.Company.Name != want || len(got.Films) != 1 {
			t.Errorf("CompanyPage(%s) = %q with %d films, %v; want %q", slug, got.Company.Name, len(got.Films), err, want)
		}
	}
}
