package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// This file writes, after a bulk load and in its transaction, what the
// triggers the load disabled (bulk.go) would have written row by row: one
// function per thing they keep, each one or two set-based statements that
// compute what the triggers' statements compute, for every row at once,
// or call the triggers' own function where it works on many rows
// (search_refresh). TestBulkLoadMatchesImport loads one catalogue both
// ways, through the loader and through an import whose triggers fire, and
// compares every table the triggers write, row for row.
//
// The rebuild counts every row in the tables, not only those the load
// wrote: NewBulkLoader accepts only a database without people, films or
// readers, and every row the triggers count belongs to one of those.

// bulkRebuilds are the rebuilds in the order they run: ratings first, as
// the rating aggregates count the ratings reader reviews imply, and the
// aggregates before the film rows that copy them.
var bulkRebuilds = []struct {
	what string
	run  func(context.Context, pgx.Tx) error
}{
	{"ratings of reader reviews", rebuildReviewRatings},
	{"rating aggregates", rebuildRatingStats},
	{"helpful counts", rebuildHelpfulCounts},
	{"counts on the film rows", rebuildFilmCounts},
	{"facet counts", rebuildFacetCounts},
	{"search documents", rebuildSearchDocuments},
}

// rebuildDerived runs every rebuild in tx.
func rebuildDerived(ctx context.Context, tx pgx.Tx) error {
	for _, r := range bulkRebuilds {
		if err := r.run(ctx, tx); err != nil {
			return fmt.Errorf("rebuild the %s: %w", r.what, err)
		}
	}
	return nil
}

// rebuildReviewRatings writes what reader_reviews_rate and
// ratings_to_reviews do: a review by a known reader, unless spam, sets
// that reader's rating of the film, and the reader's other reviews of the
// film show it. Written in id order, a reader's reviews of one film leave
// a rating created when the first was written, valued as the last, and
// updated at the last review whose value differed from the one before it.
//
// A rating that the catalogue gives too, for a reader and film that a
// review already rated, fails the load with a duplicate key, as it failed
// when the trigger wrote the review's rating first.
func rebuildReviewRatings(ctx context.Context, tx pgx.Tx) error {
	if _, err := tx.Exec(ctx, `INSERT INTO ratings (film_id, reader_id, value, created_at, updated_at)
		SELECT film_id, reader_id,
			(array_agg(rating ORDER BY id DESC))[1],
			(array_agg(created_at ORDER BY id))[1],
			coalesce((array_agg(created_at ORDER BY id DESC) FILTER (WHERE changed))[1],
				(array_agg(created_at ORDER BY id))[1])
		FROM (
			SELECT id, film_id, reader_id, rating, created_at,
				rating <> lag(rating) OVER (PARTITION BY film_id, reader_id ORDER BY id) AS changed
			FROM reader_reviews
			WHERE reader_id IS NOT NULL AND status <> 'spam'
		) r
		GROUP BY film_id, reader_id`); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `UPDATE reader_reviews v SET rating = r.value
		FROM ratings r
		WHERE r.film_id = v.film_id AND r.reader_id = v.reader_id AND v.status <> 'spam' AND v.rating <> r.value`)
	return err
}

// rebuildRatingStats writes what ratings_keep_stats does: each film's
// aggregate of its published ratings. What the aggregate's own trigger,
// film_rating_stats_to_film, copies onto the film row rebuildFilmCounts
// writes.
func rebuildRatingStats(ctx context.Context, tx pgx.Tx) error {
	_, err := tx.Exec(ctx, `INSERT INTO film_rating_stats (film_id, count, total, n1, n2, n3, n4, n5, n6, n7, n8, n9, n10)
		SELECT film_id, count(*), sum(value),
			count(*) FILTER (WHERE value = 1), count(*) FILTER (WHERE value = 2), count(*) FILTER (WHERE value = 3),
			count(*) FILTER (WHERE value = 4), count(*) FILTER (WHERE value = 5), count(*) FILTER (WHERE value = 6),
			count(*) FILTER (WHERE value = 7), count(*) FILTER (WHERE value = 8), count(*) FILTER (WHERE value = 9),
			count(*) FILTER (WHERE value = 10)
		FROM ratings
		WHERE held_burst IS NULL
		GROUP BY film_id`)
	return err
}

// rebuildHelpfulCounts writes what helpful_votes_keep_count does: each
// review's count of published helpful votes.
func rebuildHelpfulCounts(ctx context.Context, tx pgx.Tx) error {
	_, err := tx.Exec(ctx, `UPDATE reader_reviews v SET helpful_count = h.votes
		FROM (SELECT review_id, count(*) AS votes FROM helpful_votes WHERE held_burst IS NULL GROUP BY review_id) h
		WHERE v.id = h.review_id`)
	return err
}

// rebuildFilmCounts writes the counts kept on the film row: what
// film_rating_stats_to_film copies from the rating aggregate, and what
// reader_reviews_activity and critic_reviews_activity write (the count of
// approved reader reviews and public critic reviews, the newest of their
// dates, as refresh_review_activity recounts them, and when the approved
// reader reviews last changed). Films without ratings or reviews keep the
// defaults, as the triggers leave them. Each film row is updated once: a
// trigger's update per film and per count (refresh_review_activity called
// for each film took 21 of a 20,000-film load's 330 s) leaves a new
// version of the row, and of its entries in the film index's eight
// indexes, each time.
func rebuildFilmCounts(ctx context.Context, tx pgx.Tx) error {
	_, err := tx.Exec(ctx, `UPDATE films f SET
			rating_count = coalesce(s.count, 0),
			rating_average = CASE WHEN s.count > 0 THEN round(s.total::numeric / s.count, 4)::double precision ELSE 0 END,
			rating_score = coalesce(s.score, 0),
			review_count = coalesce(a.reviews, 0),
			last_review_at = coalesce(a.last, '-infinity'),
			reader_reviews_changed_at = greatest(f.reader_reviews_changed_at, coalesce(a.changed, '-infinity'))
		FROM film_rating_stats s
		FULL JOIN (
			SELECT film_id, sum(reviews) AS reviews, max(last) AS last, max(changed) AS changed
			FROM (
				SELECT film_id, count(*) AS reviews, max(created_at) AS last, max(coalesce(moderated_at, created_at)) AS changed
				FROM reader_reviews WHERE status = 'approved' GROUP BY film_id
				UNION ALL
				SELECT film_id, count(*), max(published_at), NULL
				FROM critic_reviews WHERE status IN ('published', 'scheduled') AND published_at <= now() GROUP BY film_id
			) r
			GROUP BY film_id
		) a ON a.film_id = s.film_id
		WHERE f.id = coalesce(s.film_id, a.film_id)`)
	return err
}

// rebuildFacetCounts writes what facet_films, facet_list and
// facet_directors do through facet_add: how many films have each year,
// decade, country, language, genre and director. A value counted before
// (a row left at 0 by deleted films) is added to.
func rebuildFacetCounts(ctx context.Context, tx pgx.Tx) error {
	_, err := tx.Exec(ctx, `INSERT INTO facet_counts AS f (kind, value, films)
		SELECT kind, value, count(*) FROM (
			SELECT 'year' AS kind, year::text AS value FROM films
			UNION ALL SELECT 'decade', (year / 10 * 10)::text FROM films
			UNION ALL SELECT 'country', country FROM film_countries
			UNION ALL SELECT 'language', language FROM film_languages
			UNION ALL SELECT 'genre', genre FROM film_genres
			UNION ALL SELECT 'director', p.slug FROM credits c JOIN people p ON p.id = c.person_id WHERE c.role = 'director'
		) v
		GROUP BY kind, value
		ON CONFLICT (kind, value) DO UPDATE SET films = f.films + excluded.films`)
	return err
}

// searchRebuildChunk is how many source rows one call of search_refresh
// builds the documents of.
const searchRebuildChunk = 20_000

// rebuildSearchDocuments writes what the search_* triggers do, through
// their own function, search_refresh, called for chunks of source ids of
// each kind of document.
func rebuildSearchDocuments(ctx context.Context, tx pgx.Tx) error {
	sources := []struct {
		kind int
		ids  string
	}{
		{1, "SELECT id FROM films"},
		{2, "SELECT id FROM people"},
		{3, "SELECT id FROM credits WHERE character <> ''"},
		{4, "SELECT DISTINCT film_id FROM filming_locations"},
		{5, "SELECT id FROM critic_reviews"},
		{6, "SELECT id FROM reader_reviews"},
		{7, "SELECT film_id FROM soundtracks"},
	}
	for _, s := range sources {
		if _, err := tx.Exec(ctx, `SELECT search_refresh($1, array_agg(id ORDER BY id))
			FROM (`+s.ids+`) AS source (id)
			GROUP BY id / $2`, s.kind, searchRebuildChunk); err != nil {
			return fmt.Errorf("documents of kind %d: %w", s.kind, err)
		}
	}
	return nil
}

// analyze vacuums and analyzes the tables a bulk load wrote, those of
// bulkIndexTables: the planner then knows their sizes, and the visibility
// map lets index-only scans skip the heap, as they would once autovacuum
// had come by.
func (db *DB) analyze(ctx context.Context) error {
	for _, table := range bulkIndexTables {
		if _, err := db.pool.Exec(ctx, "VACUUM (ANALYZE) "+pgx.Identifier{table}.Sanitize()); err != nil {
			return fmt.Errorf("vacuum %s: %w", table, err)
		}
	}
	return nil
}
