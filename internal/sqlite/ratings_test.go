package sqlite

import (
	"context"
	"io/fs"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"marquee/internal/film"
	"marquee/migrations"
)

// migrationsThrough is the released migrations up to and including
// version last, as a database made before the next one was built.
func migrationsThrough(t *testing.T, last int) fstest.MapFS {
	t.Helper()
	entries, err := fs.ReadDir(migrations.FS, ".")
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{}
	for _, e := range entries {
		version, _, ok := strings.Cut(e.Name(), "_")
		n, err := strconv.Atoi(version)
		if !ok || err != nil || n > last {
			continue
		}
		data, err := fs.ReadFile(migrations.FS, e.Name())
		if err != nil {
			t.Fatal(err)
		}
		fsys[e.Name()] = &fstest.MapFile{Data: data}
	}
	return fsys
}

// TestOneRatingPerReaderBackfill builds a database with the schema before
// migration 0010, holding what the two rating systems left behind (reviews
// with no reader, readers who rated and reviewed, spam), migrates it, and
// checks that every reader counts once, with their latest word, and that
// reviews show the rating the histogram counts.
func TestOneRatingPerReaderBackfill(t *testing.T) {
	db := openEmpty(t)
	ctx := context.Background()
	if _, err := db.Migrate(ctx, migrationsThrough(t, 9)); err != nil {
		t.Fatal(err)
	}
	paris := mustInsert(t, db, "INSERT INTO films (slug, title, year) VALUES ('paris-2008', 'Paris', 2008)")
	other := mustInsert(t, db, "INSERT INTO films (slug, title, year) VALUES ('other-film', 'Other', 2001)")
	reader := func(name string) int64 {
		return mustInsert(t, db, "INSERT INTO readers (token_hash, created_at) VALUES (?, '2026-01-01T00:00:00Z')",
			[]byte(strings.Repeat(name, 32)[:32]))
	}
	review := func(filmID int64, readerID any, rating int, status, at string) int64 {
		return mustInsert(t, db, `INSERT INTO reader_reviews (film_id, reader_id, display_name, title, rating, body, status, created_at)
			VALUES (?, ?, 'A reader', 'A title', ?, 'A body.', ?, ?)`, filmID, readerID, rating, status, at)
	}
	rate := func(filmID, readerID int64, value int, at string) {
		mustExec(t, db, "INSERT INTO ratings (film_id, reader_id, value, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
			filmID, readerID, value, at, at)
	}
	const t1, t2 = "2026-03-01T10:00:00Z", "2026-04-01T10:00:00Z"
	seeded := review(paris, nil, 9, "approved", t1) // a seeded review: no reader
	x := reader("x")                                // rated 6, then reviewed with 8
	rate(paris, x, 6, t1)
	review(paris, x, 8, "pending", t2)
	y := reader("y") // reviewed with 4, then rated 7
	yReview := review(paris, y, 4, "approved", t1)
	rate(paris, y, 7, t2)
	spam := review(paris, nil, 10, "spam", t1) // a bot's: counts for no one
	z := reader("z")                           // two reviews of the other film: the later one counts
	review(other, z, 3, "approved", t1)
	review(other, z, 5, "approved", t2)
	review(other, nil, 2, "rejected", t1) // rejected, not spam: a person's rating
	w := reader("w")                      // only rated
	rate(other, w, 10, t1)

	if _, err := db.Migrate(ctx, migrations.FS); err != nil {
		t.Fatalf("migrate to the current schema: %v", err)
	}

	check := func(name string, filmID int64, values ...int) {
		t.Helper()
		var want film.RatingStats
		for _, v := range values {
			want.Count++
			want.Total += v
			want.Histogram[v-1]++
		}
		kept, err := db.RatingStats(ctx, filmID)
		if err != nil {
			t.Fatal(err)
		}
		recount, err := db.RecountRatingStats(ctx, filmID)
		if err != nil {
			t.Fatal(err)
		}
		if kept != want || recount != want {
			t.Errorf("%s: kept %+v, recount %+v, want %v once each", name, kept, recount, values)
		}
		var score, average float64
		var count int
		if err := db.read.QueryRow("SELECT rating_score, rating_average, rating_count FROM films WHERE id = ?", filmID).
			Scan(&score, &average, &count); err != nil {
			t.Fatal(err)
		}
		if d := score - want.BayesianScore(); d > 1e-6 || d < -1e-6 || count != want.Count {
			t.Errorf("%s: film row has score %v from %d ratings, want %v from %d", name, score, count, want.BayesianScore(), want.Count)
		}
	}
	check("Paris", paris, 9, 8, 7)
	check("the other film", other, 5, 2, 10)

	var readerOfSeeded, readerOfSpam any
	mustScan(t, db, "SELECT reader_id FROM reader_reviews WHERE id = ?", []any{seeded}, &readerOfSeeded)
	mustScan(t, db, "SELECT reader_id FROM reader_reviews WHERE id = ?", []any{spam}, &readerOfSpam)
	if readerOfSeeded == nil || readerOfSpam != nil {
		t.Errorf("after the backfill the seeded review's reader is %v and the spam's %v; want a reader and none", readerOfSeeded, readerOfSpam)
	}
	var yShown int
	mustScan(t, db, "SELECT rating FROM reader_reviews WHERE id = ?", []any{yReview}, &yShown)
	if yShown != 7 {
		t.Errorf("the review of a reader who rated 7 after it holds %d, want 7", yShown)
	}
	page, err := db.ReaderReviewsPage(ctx, "paris-2008", film.ReaderReviewFilter{Sort: film.SortNewest, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range page.Reviews.Reviews {
		if r.ID == yReview && r.Rating != 7 || r.ID == seeded && r.Rating != 9 {
			t.Errorf("review %d is shown with %d", r.ID, r.Rating)
		}
	}
}

// mustScan reads one row of query into dest.
func mustScan(t *testing.T, db *DB, query string, args []any, dest ...any) {
	t.Helper()
	if err := db.read.QueryRow(query, args...).Scan(dest...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

// TestRatingStatementsUseIndexes checks the plans of the statements that
// remove a rating, recount a film's ratings and read the top rated films by
// their Bayesian score: none may scan a table, and the top rated list must
// come in the score index's order.
func TestRatingStatementsUseIndexes(t *testing.T) {
	db := mustOpenMigrated(t)
	checkPlans(t, db, []planCase{
		{name: "remove a rating", query: removeRatingStatement, args: []any{1, 1},
			search: "SEARCH ratings USING PRIMARY KEY (film_id=? AND reader_id=?)"},
		{name: "recount ratings", query: recountRatingsQuery, args: []any{1}},
		{name: "top rated by score", query: topRatedFilmsQuery, args: []any{film.MinRatingsForTopRated, 6}, inOrder: true, walks: true,
			search: "films_by_rating_score"},
	})
}
