package postgres

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"
)

// aggregate is a film's kept rating aggregate, or the same figures
// recounted from the ratings.
type aggregate struct {
	Count, Total int
	Histogram    [10]int
	Score        float64
}

// keptStats reads the aggregate the triggers keep, and the copy on the
// film row.
func keptStats(t *testing.T, db *DB, film int) (aggregate, int, float64) {
	t.Helper()
	var s aggregate
	var h [10]*int
	err := db.pool.QueryRow(context.Background(), `SELECT count, total, n1, n2, n3, n4, n5, n6, n7, n8, n9, n10, score
		FROM film_rating_stats WHERE film_id = $1`, film).Scan(&s.Count, &s.Total,
		&h[0], &h[1], &h[2], &h[3], &h[4], &h[5], &h[6], &h[7], &h[8], &h[9], &s.Score)
	if err != nil && err != pgx.ErrNoRows {
		t.Fatal(err)
	}
	for i, n := range h {
		if n != nil {
			s.Histogram[i] = *n
		}
	}
	var count int
	var score float64
	if err := db.pool.QueryRow(context.Background(), "SELECT rating_count, rating_score FROM films WHERE id = $1", film).Scan(&count, &score); err != nil {
		t.Fatal(err)
	}
	return s, count, score
}

// recount computes the aggregate from the ratings themselves.
func recount(t *testing.T, db *DB, film int) aggregate {
	t.Helper()
	var s aggregate
	rows, err := db.pool.Query(context.Background(), "SELECT value FROM ratings WHERE film_id = $1", film)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		s.Count++
		s.Total += v
		s.Histogram[v-1]++
	}
	if s.Count > 0 {
		// film.BayesPrior: as if 10 readers had given 6 points.
		s.Score = float64(int64((float64(s.Total+60)/float64(s.Count+10))*1e6+0.5)) / 1e6
	}
	return s
}

// checkStats compares the kept aggregate, and its copy on the film row,
// with a recount.
func checkStats(t *testing.T, db *DB, film int, when string) {
	t.Helper()
	kept, count, score := keptStats(t, db, film)
	want := recount(t, db, film)
	if diff := cmp.Diff(want, kept); diff != "" {
		t.Errorf("%s: kept stats differ from a recount (-recount +kept):\n%s", when, diff)
	}
	if count != want.Count || score != want.Score {
		t.Errorf("%s: the film row has %d ratings scoring %v, want %d scoring %v", when, count, score, want.Count, want.Score)
	}
}

// TestKeptRatingCounts changes ratings every way a store does (directly,
// through reviews, through spam and its rescue) and checks each time that
// the kept aggregate equals a recount and that reviews show their
// reader's rating.
func TestKeptRatingCounts(t *testing.T) {
	db := newDB(t)
	mustExec(t, db, fixture)
	steps := []struct{ name, sql string }{
		{"rate", `INSERT INTO ratings VALUES (1, 1, 8, now(), now()), (1, 2, 3, now(), now())`},
		{"change a rating", `UPDATE ratings SET value = 10 WHERE reader_id = 1`},
		{"review with a rating", `INSERT INTO reader_reviews (id, film_id, display_name, title, rating, body, status, created_at, reader_id)
			VALUES (1, 1, 'Three', 'Lovely', 7, 'A lovely film.', 'pending', now(), 3)`},
		{"review replaces the rating", `INSERT INTO reader_reviews (id, film_id, display_name, title, rating, body, status, created_at, reader_id)
			VALUES (2, 1, 'One', 'Again', 4, 'Less so now.', 'approved', now(), 1)`},
		{"spam unrates", `UPDATE reader_reviews SET status = 'spam' WHERE id = 1`},
		{"rescue rates again", `UPDATE reader_reviews SET status = 'approved' WHERE id = 1`},
		{"rating takes back", `DELETE FROM ratings WHERE reader_id = 2`},
		{"film deleted", `DELETE FROM films WHERE id = 1`},
	}
	for _, step := range steps {
		mustExec(t, db, step.sql)
		if step.name == "film deleted" {
			var left int
			if err := db.pool.QueryRow(context.Background(), "SELECT count(*) FROM film_rating_stats").Scan(&left); err != nil {
				t.Fatal(err)
			}
			if left != 0 {
				t.Errorf("the deleted film's aggregate is still there")
			}
			continue
		}
		checkStats(t, db, 1, step.name)
		var disagree int
		if err := db.pool.QueryRow(context.Background(), `SELECT count(*) FROM reader_reviews v
			JOIN ratings r ON r.film_id = v.film_id AND r.reader_id = v.reader_id
			WHERE v.status <> 'spam' AND v.rating <> r.value`).Scan(&disagree); err != nil {
			t.Fatal(err)
		}
		if disagree != 0 {
			t.Errorf("%s: %d reviews show a rating other than their reader's", step.name, disagree)
		}
	}
}

// TestKeptCountsUnderConcurrency rates one film from 200 readers at once,
// many of them changing their minds, through write transactions that
// PostgreSQL may abort and the store retries: nothing may be lost.
func TestKeptCountsUnderConcurrency(t *testing.T) {
	db := newDB(t)
	mustExec(t, db, fixture)
	const readers = 200
	mustExec(t, db, `INSERT INTO readers (id, token_hash, created_at)
		SELECT 100 + n, sha256(n::text::bytea), now() FROM generate_series(1, $1) n`, readers)
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, readers)
	for n := 1; n <= readers; n++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, value := range []int{n%10 + 1, (n*7)%10 + 1} {
				err := db.inWriteTx(ctx, func(tx pgx.Tx) error {
					_, err := tx.Exec(ctx, `INSERT INTO ratings AS r VALUES (1, $1, $2, now(), now())
						ON CONFLICT (film_id, reader_id) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
						100+n, value)
					return err
				})
				if err != nil {
					errs <- fmt.Errorf("reader %d: %w", n, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	checkStats(t, db, 1, "after 200 readers")
	if kept, _, _ := keptStats(t, db, 1); kept.Count != readers {
		t.Errorf("%d ratings counted, want %d", kept.Count, readers)
	}
}

// TestKeptReviewAndFacetCounts checks the film's review count and latest
// review time, helpful counts, and the facet counts.
func TestKeptReviewAndFacetCounts(t *testing.T) {
	ctx := context.Background()
	db := newDB(t)
	mustExec(t, db, fixture)
	mustExec(t, db, `
		INSERT INTO film_genres VALUES (1, 0, 'Comedy'), (1, 1, 'Romance');
		INSERT INTO film_countries VALUES (1, 0, 'France');
		INSERT INTO credits (film_id, person_id, role) VALUES (1, 1, 'director');
		INSERT INTO films (id, slug, title, year) VALUES (2, 'delicatessen', 'Delicatessen', 1991);
		INSERT INTO film_genres VALUES (2, 0, 'Comedy');
		INSERT INTO reader_reviews (id, film_id, display_name, title, rating, body, status, created_at)
			VALUES (1, 1, 'A', 'One', 8, 'Text.', 'approved', '2026-11-01T10:00:00Z'),
			       (2, 1, 'B', 'Two', 6, 'Text.', 'pending', '2026-11-02T10:00:00Z');
		INSERT INTO critic_reviews (slug, film_id, headline, author, body, status, published_at)
			VALUES ('public', 1, 'H', 'A', 'Body.', 'published', '2026-10-01T10:00:00Z'),
			       ('draft', 1, 'H', 'A', 'Body.', 'draft', NULL),
			       ('future', 1, 'H', 'A', 'Body.', 'scheduled', now() + interval '1 day');
		INSERT INTO helpful_votes VALUES (1, 1, now()), (1, 2, now()), (1, 3, now());
		DELETE FROM helpful_votes WHERE reader_id = 3;`)

	var reviews, helpful int
	var last string
	if err := db.pool.QueryRow(ctx, `SELECT review_count, to_char(last_review_at, 'YYYY-MM-DD'),
		(SELECT helpful_count FROM reader_reviews WHERE id = 1) FROM films WHERE id = 1`).Scan(&reviews, &last, &helpful); err != nil {
		t.Fatal(err)
	}
	if reviews != 2 || last != "2026-11-01" || helpful != 2 {
		t.Errorf("film 1 has %d reviews, the latest on %s, and the review %d helpful votes; want 2, 2026-11-01, 2",
			reviews, last, helpful)
	}
	mustExec(t, db, "UPDATE reader_reviews SET status = 'approved', moderated_at = '2026-11-03T10:00:00Z' WHERE id = 2")
	var changed string
	if err := db.pool.QueryRow(ctx, `SELECT review_count, to_char(reader_reviews_changed_at, 'YYYY-MM-DD') FROM films WHERE id = 1`).Scan(&reviews, &changed); err != nil {
		t.Fatal(err)
	}
	if reviews != 3 || changed != "2026-11-03" {
		t.Errorf("after approving: %d reviews, reader reviews changed on %s; want 3 and 2026-11-03", reviews, changed)
	}

	facets := func() map[string]int {
		got := map[string]int{}
		rows, err := db.pool.Query(ctx, "SELECT kind || ':' || value, films FROM facet_counts WHERE films > 0")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var k string
			var n int
			if err := rows.Scan(&k, &n); err != nil {
				t.Fatal(err)
			}
			got[k] = n
		}
		return got
	}
	want := map[string]int{
		"year:2001": 1, "year:1991": 1, "decade:2000": 1, "decade:1990": 1,
		"genre:Comedy": 2, "genre:Romance": 1, "country:France": 1, "director:jean-pierre-jeunet": 1,
	}
	if diff := cmp.Diff(want, facets()); diff != "" {
		t.Errorf("facet counts (-want +got):\n%s", diff)
	}
	mustExec(t, db, "UPDATE films SET year = 1995 WHERE id = 2; DELETE FROM films WHERE id = 1")
	want = map[string]int{"year:1995": 1, "decade:1990": 1, "genre:Comedy": 1}
	if diff := cmp.Diff(want, facets()); diff != "" {
		t.Errorf("facet counts after a change of year and a deletion (-want +got):\n%s", diff)
	}
}
