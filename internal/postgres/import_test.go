package postgres

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"marquee/internal/catalog"
	"marquee/internal/film"
	"marquee/internal/filmsql"
	"marquee/seeds"
)

// mustSeedCatalog decodes the real seed catalogue.
func mustSeedCatalog(t *testing.T) film.Catalog {
	t.Helper()
	doc, err := catalog.DecodeFS(seeds.FS)
	if err != nil {
		t.Fatalf("decode seeds: %v", err)
	}
	return doc.Catalog
}

// asCatalogued is f as a catalogue gives it: the store names each
// company with a slug of its own making, which a catalogue leaves out.
func asCatalogued(f film.Film) film.Film {
	f = filmsql.CanonicalFilm(f)
	companies := make([]film.CompanyCredit, len(f.Companies))
	for i, c := range f.Companies {
		c.Slug = ""
		companies[i] = c
	}
	if len(companies) > 0 {
		f.Companies = companies
	}
	return f
}

// catalogCounts counts a catalogue's records.
func catalogCounts(c film.Catalog) film.CatalogCounts {
	return film.CatalogCounts{People: len(c.People), Films: len(c.Films), CriticReviews: len(c.CriticReviews),
		ReaderReviews: len(c.ReaderReviews), Ratings: len(c.Ratings), HelpfulVotes: len(c.HelpfulVotes)}
}

// TestImportSeeds loads the real seeds, reads every film back whole, and
// imports them again: the second import must change nothing, and must not
// count a commit.
func TestImportSeeds(t *testing.T) {
	ctx := context.Background()
	db := newDB(t)
	c := mustSeedCatalog(t)
	report, err := db.ImportWith(ctx, c, film.ImportOptions{})
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	if diff := cmp.Diff(film.ImportReport{Added: catalogCounts(c)}, report); diff != "" {
		t.Errorf("first import report (-want +got):\n%s", diff)
	}
	for _, f := range c.Films {
		stored, err := findFilm(ctx, db.pool, f.Slug)
		if err != nil {
			t.Fatalf("find %s: %v", f.Slug, err)
		}
		if diff := cmp.Diff(asCatalogued(f), asCatalogued(stored)); diff != "" {
			t.Errorf("film %s as stored differs from the catalogue (-catalogue +stored):\n%s", f.Slug, diff)
		}
	}
	for _, r := range c.CriticReviews {
		stored, err := scanAll(ctx, db.pool, "SELECT "+filmsql.CriticReviewColumns+" WHERE r.slug = $1", []any{r.Slug}, scanCriticReview)
		if err != nil || len(stored) != 1 {
			t.Fatalf("critic review %s: %v, %d found", r.Slug, err, len(stored))
		}
		if diff := cmp.Diff(filmsql.CanonicalCriticReview(r), filmsql.CanonicalCriticReview(stored[0])); diff != "" {
			t.Errorf("critic review %s as stored differs (-catalogue +stored):\n%s", r.Slug, diff)
		}
	}

	// The kept counts agree with a recount of what was imported.
	var films []int
	rows, err := db.pool.Query(ctx, "SELECT id FROM films")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		films = append(films, id)
	}
	rows.Close()
	for _, id := range films {
		checkStats(t, db, id, "after the seeds")
	}
	var docs int
	if err := db.pool.QueryRow(ctx, "SELECT count(*) FROM search_documents").Scan(&docs); err != nil {
		t.Fatal(err)
	}
	if docs < len(c.Films)+len(c.People) {
		t.Errorf("%d search documents for %d films and %d people", docs, len(c.Films), len(c.People))
	}

	for _, update := range []bool{false, true} {
		report, err = db.ImportWith(ctx, c, film.ImportOptions{UpdateExisting: update})
		if err != nil {
			t.Fatalf("import again (update %v): %v", update, err)
		}
		if diff := cmp.Diff(film.ImportReport{Unchanged: catalogCounts(c)}, report); diff != "" {
			t.Errorf("import again (update %v) report (-want +got):\n%s", update, diff)
		}
	}
}

// TestImportUpdates changes a person, a film and a critic review of the
// seeds and imports them again, with and without UpdateExisting.
func TestImportUpdates(t *testing.T) {
	ctx := context.Background()
	db := newDB(t)
	c := mustSeedCatalog(t)
	if _, err := db.ImportWith(ctx, c, film.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	changed := film.Catalog{
		People:        []film.Person{c.People[0]},
		Films:         []film.Film{c.Films[0]},
		CriticReviews: []film.CriticReview{c.CriticReviews[0]},
	}
	changed.People[0].AlsoKnownAs = append([]string{"Zebulon Quist"}, changed.People[0].AlsoKnownAs...)
	f := &changed.Films[0]
	f.Synopsis += " Revised."
	f.Genres = append([]string{"Drama"}, f.Genres...)
	f.Credits = f.Credits[1:]
	changed.CriticReviews[0].Headline = "A new headline"
	changed.CriticReviews[0].UpdatedAt = time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)

	report, err := db.ImportWith(ctx, changed, film.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(film.ImportReport{Unchanged: catalogCounts(changed)}, report); diff != "" {
		t.Errorf("import without updating (-want +got):\n%s", diff)
	}
	before := db.DataVersion()
	report, err = db.ImportWith(ctx, changed, film.ImportOptions{UpdateExisting: true})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(film.ImportReport{Updated: catalogCounts(changed)}, report); diff != "" {
		t.Errorf("import updating (-want +got):\n%s", diff)
	}
	if db.DataVersion() == before {
		t.Errorf("DataVersion did not move after an import that wrote")
	}
	stored, err := findFilm(ctx, db.pool, f.Slug)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(asCatalogued(*f), asCatalogued(stored)); diff != "" {
		t.Errorf("updated film as stored (-want +got):\n%s", diff)
	}
	var synopsisFound int
	if err := db.pool.QueryRow(ctx, "SELECT count(*) FROM search_documents WHERE vector @@ plainto_tsquery('marquee_search', 'zebulon')").
		Scan(&synopsisFound); err != nil {
		t.Fatal(err)
	}
	if synopsisFound != 1 {
		t.Errorf("the new alias is in %d search documents, want 1", synopsisFound)
	}
}

// TestImportIsAllOrNothing imports a catalogue whose last record refers to
// a film that does not exist: nothing of it may stay.
func TestImportIsAllOrNothing(t *testing.T) {
	ctx := context.Background()
	db := newDB(t)
	c := mustSeedCatalog(t)
	c.Ratings = append(c.Ratings, film.ReaderRating{FilmSlug: "no-such-film", Reader: strings.Repeat("ab", 32), Value: 5,
		CreatedAt: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), UpdatedAt: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)})
	if _, err := db.ImportWith(ctx, c, film.ImportOptions{}); !errors.Is(err, film.ErrNotFound) {
		t.Fatalf("import: %v, want film.ErrNotFound", err)
	}
	if empty, err := db.IsEmpty(ctx); err != nil || !empty {
		t.Errorf("after a failed import IsEmpty = %v, %v; want true", empty, err)
	}
	c.Ratings = c.Ratings[:len(c.Ratings)-1]
	c.Images = []film.CatalogImage{{Owner: film.FilmImages(c.Films[0].Slug), Role: film.ImagePoster}}
	if _, err := db.ImportWith(ctx, c, film.ImportOptions{}); err == nil {
		t.Errorf("a catalogue with a picture not checked was accepted")
	}
}
