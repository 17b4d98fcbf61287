package postgres

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"marquee/internal/film"
)

// TestDumpMatchesSQLite dumps the same catalogue from both backends and
// compares the records, then loads the PostgreSQL dump into an empty
// database and dumps that: the same records again.
func TestDumpMatchesSQLite(t *testing.T) {
	ctx := context.Background()
	lite, pg := pageStores(t)
	var want, got film.Catalog
	if err := lite.Dump(ctx, &want); err != nil {
		t.Fatal(err)
	}
	if err := pg.Dump(ctx, &got); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("the dumps differ between the backends (-SQLite +PostgreSQL):\n%s", diff)
	}
	if len(got.Films) != 2 || len(got.ReaderReviews) < 5 || len(got.Ratings) == 0 || len(got.HelpfulVotes) == 0 {
		t.Errorf("the dump holds %d films, %d reader reviews, %d ratings, %d votes",
			len(got.Films), len(got.ReaderReviews), len(got.Ratings), len(got.HelpfulVotes))
	}

	again := newDB(t)
	if _, err := again.ImportWith(ctx, got, film.ImportOptions{}); err != nil {
		t.Fatalf("import the dump: %v", err)
	}
	var round film.Catalog
	if err := again.Dump(ctx, &round); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(got, round); diff != "" {
		t.Errorf("a dump loaded and dumped again differs (-first +second):\n%s", diff)
	}
}
