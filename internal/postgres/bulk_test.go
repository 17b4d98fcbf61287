package postgres

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"marquee/internal/catalog/generator"
	"marquee/internal/film"
	"marquee/internal/sqlite"
	"marquee/migrations"
)

// TestBulkLoadMatchesSQLite generates the same catalogue into both
// backends' bulk loaders, in several batches, and compares what a dump
// and the pages read back; then it checks that the kept counts equal a
// recount and that records written afterwards take new ids.
// TestBulkLoadMatchesImport (bulk_rebuild_test.go) compares every kept
// count with what the triggers write.
func TestBulkLoadMatchesSQLite(t *testing.T) {
	ctx := context.Background()
	opts := generator.Options{Films: 40, Seed: 7}
	at := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

	lite, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "marquee.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer lite.Close()
	if _, err := lite.Migrate(ctx, migrations.FS); err != nil {
		t.Fatal(err)
	}
	liteLoader, err := lite.NewBulkLoader(ctx, at)
	if err != nil {
		t.Fatal(err)
	}
	if err := generator.Generate(ctx, opts, liteLoader); err != nil {
		t.Fatal(err)
	}
	if err := liteLoader.Close(); err != nil {
		t.Fatal(err)
	}

	pg := newDB(t)
	loader, err := pg.NewBulkLoader(ctx, at)
	if err != nil {
		t.Fatal(err)
	}
	loader.batchRows = 500 // many batches, in the load's one transaction
	before := pg.DataVersion()
	if err := generator.Generate(ctx, opts, loader); err != nil {
		t.Fatalf("generate into PostgreSQL: %v", err)
	}
	if err := loader.Close(); err != nil {
		t.Fatal(err)
	}
	if commits := pg.DataVersion() - before; commits != 1 {
		t.Errorf("the load moved DataVersion by %d, want 1 (one commit)", commits)
	}
	if diff := cmp.Diff(liteLoader.Counts(), loader.Counts()); diff != "" {
		t.Errorf("the loaders counted differently (-SQLite +PostgreSQL):\n%s", diff)
	}
	if _, err := pg.NewBulkLoader(ctx, at); err == nil {
		t.Errorf("a second bulk load into a loaded database was accepted")
	}

	var want, got film.Catalog
	if err := lite.Dump(ctx, &want); err != nil {
		t.Fatal(err)
	}
	if err := pg.Dump(ctx, &got); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("the bulk-loaded catalogues differ (-SQLite +PostgreSQL):\n%s", diff)
	}
	if len(got.Films) != opts.Films || len(got.Ratings) == 0 || len(got.HelpfulVotes) == 0 {
		t.Errorf("the load holds %d films, %d ratings, %d votes", len(got.Films), len(got.Ratings), len(got.HelpfulVotes))
	}
	q := film.FilmIndexQuery{Filter: film.FilmFilter{Sort: film.SortRating, Limit: 10}, FacetLimit: 5}
	wantIndex, err := lite.FilmIndex(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	gotIndex, err := pg.FilmIndex(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(wantIndex, gotIndex); diff != "" {
		t.Errorf("the film index by rating differs (-SQLite +PostgreSQL):\n%s", diff)
	}
	for id := int64(1); id <= int64(opts.Films); id += 7 {
		kept, err := pg.RatingStats(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		recount, err := pg.RecountRatingStats(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(recount, kept); diff != "" {
			t.Errorf("film %d: kept ratings differ from a recount (-recount +kept):\n%s", id, diff)
		}
	}

	ed, err := pg.CreateUser(ctx, film.User{Email: "ed@example.com", Name: "Ed", Role: film.RoleEditor, CreatedAt: at},
		"$argon2id$v=19$m=65536,t=1,p=4$c2FsdA$aGFzaA", 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pg.CreatePerson(ctx, film.Person{Slug: "after-the-load", Name: "After"}, ed, at); err != nil {
		t.Errorf("a person created after the load: %v", err)
	}
	if _, err := pg.CreateFilm(ctx, film.Film{Slug: "after-the-load", Title: "After", Year: 2020}, ed, at); err != nil {
		t.Errorf("a film created after the load: %v", err)
	}
}
