package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"marquee/internal/film"
	"marquee/internal/filmsql"
)

// The defence against rating and vote stuffing (film.StuffingStore), as
// SQLite keeps it: ratings and helpful votes that came in a burst of fresh
// reader cookies from one address are stored with the burst's id in
// held_burst, and the triggers (migrations/postgres/0002_held_ratings.sql)
// count them only once an editor releases the burst, in the transaction
// that releases it.

// FindReader returns the id of the reader whose cookie token hashes to
// tokenHash, or film.ErrNotFound; it never creates one, so the web layer
// can tell a cookie that has written before from a fresh or invented one.
func (db *DB) FindReader(ctx context.Context, tokenHash []byte) (int64, error) {
	id, err := findReader(ctx, db.pool, tokenHash)
	if err != nil {
		return 0, fmt.Errorf("find reader: %w", err)
	}
	return id, nil
}

// ReaderRating returns the rating, published or held, a reader gave a
// film, or 0 when they have none.
func (db *DB) ReaderRating(ctx context.Context, filmID, readerID int64) (int, error) {
	return readerRating(ctx, db.pool, filmID, readerID)
}

// heldBurst returns the id of the held burst of kind about the film (or the
// review, for votes) that id names, or a new burst's id when id is 0 or
// names no such burst (released, discarded, or about something else);
// either way its last activity becomes now.
func heldBurst(ctx context.Context, tx pgx.Tx, id int64, kind film.BurstKind, filmID, reviewID int64, now time.Time) (int64, error) {
	at := timeValue(now)
	var review any
	if reviewID != 0 {
		review = reviewID
	}
	if id != 0 {
		tag, err := tx.Exec(ctx, `UPDATE held_bursts SET last_at = $1 WHERE id = $2 AND kind = $3 AND film_id = $4
			AND review_id IS NOT DISTINCT FROM $5::bigint`, at, id, string(kind), filmID, review)
		if err != nil {
			return 0, err
		}
		if tag.RowsAffected() == 1 {
			return id, nil
		}
	}
	var newID int64
	err := tx.QueryRow(ctx, `INSERT INTO held_bursts (kind, film_id, review_id, started_at, last_at)
		VALUES ($1, $2, $3, $4, $4) RETURNING id`, string(kind), filmID, review, at).Scan(&newID)
	return newID, err
}

// HoldRating stores a reader's rating of a film as held in a burst: the
// row is there, so the reader's own rating shows, but the triggers keep it
// out of the film's aggregate until it is released. A rating the reader
// already has keeps its state (published or held) and takes the new value.
func (db *DB) HoldRating(ctx context.Context, burstID, filmID, readerID int64, value int, now time.Time) (int64, error) {
	if !film.ValidRatingValue(value) {
		return 0, film.Problems{"rating": "must be a whole number from 1 to 10"}
	}
	var held int64
	err := db.inWriteTx(ctx, func(tx pgx.Tx) error {
		// held, not burstID: the transaction may run again, and must start
		// from the burst it was asked for.
		var err error
		if held, err = heldBurst(ctx, tx, burstID, film.BurstRatings, filmID, 0, now); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO ratings AS r (film_id, reader_id, value, created_at, updated_at, held_burst)
			VALUES ($1, $2, $3, $4, $4, $5)
			ON CONFLICT (film_id, reader_id) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
			WHERE r.value <> excluded.value`, filmID, readerID, value, timeValue(now), held)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("hold rating of film %d: %w", filmID, err)
	}
	return held, nil
}

// HoldHelpfulVote stores a reader's helpful vote on an approved review as
// held in a burst; the review's helpful count leaves it out until it is
// released. A reader's second vote changes nothing.
func (db *DB) HoldHelpfulVote(ctx context.Context, burstID, reviewID, readerID int64, now time.Time) (int64, string, bool, error) {
	var (
		held     int64
		filmSlug string
		added    bool
	)
	err := db.inWriteTx(ctx, func(tx pgx.Tx) error {
		held, added = burstID, false
		var filmID int64
		err := tx.QueryRow(ctx, `SELECT f.id, f.slug FROM reader_reviews r JOIN films f ON f.id = r.film_id
			WHERE r.id = $1 AND r.status = 'approved'`, reviewID).Scan(&filmID, &filmSlug)
		if errors.Is(err, pgx.ErrNoRows) {
			return film.ErrNotFound
		}
		if err != nil {
			return err
		}
		var voted bool
		if err := tx.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM helpful_votes WHERE review_id = $1 AND reader_id = $2)",
			reviewID, readerID).Scan(&voted); err != nil || voted {
			return err
		}
		if held, err = heldBurst(ctx, tx, burstID, film.BurstVotes, filmID, reviewID, now); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO helpful_votes (review_id, reader_id, created_at, held_burst)
			VALUES ($1, $2, $3, $4)`, reviewID, readerID, timeValue(now), held); err != nil {
			return err
		}
		added = true
		return nil
	})
	if err != nil {
		return 0, "", false, fmt.Errorf("hold helpful vote on review %d: %w", reviewID, err)
	}
	return held, filmSlug, added, nil
}

// heldBurstsQuery lists the held bursts with their film, review and what
// they hold, newest activity first. A burst left empty (its one reader
// took their rating back) is not shown.
const heldBurstsQuery = `SELECT id, kind, slug, title, year, review_id, review_title, n, average, started_at, last_at FROM (
		SELECT b.id, b.kind, f.slug, f.title, f.year, coalesce(b.review_id, 0) AS review_id,
			coalesce(rr.title, '') AS review_title,
			CASE b.kind WHEN 'rating' THEN (SELECT count(*) FROM ratings WHERE held_burst = b.id)
				ELSE (SELECT count(*) FROM helpful_votes WHERE held_burst = b.id) END AS n,
			CASE b.kind WHEN 'rating' THEN coalesce((SELECT avg(value) FROM ratings WHERE held_burst = b.id), 0)
				ELSE 0 END::double precision AS average,
			b.started_at, b.last_at
		FROM held_bursts b JOIN films f ON f.id = b.film_id LEFT JOIN reader_reviews rr ON rr.id = b.review_id) b
	WHERE n > 0
	ORDER BY last_at DESC, id DESC`

// HeldBursts lists the bursts held for the desk.
func (db *DB) HeldBursts(ctx context.Context) ([]film.HeldBurst, error) {
	rows, err := db.pool.Query(ctx, heldBurstsQuery)
	if err != nil {
		return nil, fmt.Errorf("held bursts: %w", err)
	}
	defer rows.Close()
	var out []film.HeldBurst
	for rows.Next() {
		var b film.HeldBurst
		var kind string
		var count int64
		if err := rows.Scan(&b.ID, &kind, &b.FilmSlug, &b.FilmTitle, &b.FilmYear, &b.ReviewID, &b.ReviewTitle,
			&count, &b.Average, &b.StartedAt, &b.LastAt); err != nil {
			return nil, fmt.Errorf("held bursts: %w", err)
		}
		b.Kind = film.BurstKind(kind)
		b.Count = int(count)
		b.StartedAt, b.LastAt = b.StartedAt.UTC(), b.LastAt.UTC()
		out = append(out, b)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("held bursts: %w", err)
	}
	return out, nil
}

// ReleaseBurst publishes a held burst: clearing held_burst on its rows
// fires the triggers, which add them to the film's aggregate or the
// review's helpful count in this transaction.
func (db *DB) ReleaseBurst(ctx context.Context, id, actor int64, now time.Time) (int, error) {
	return db.settleBurst(ctx, id, actor, now, true)
}

// DiscardBurst deletes a held burst's rows, which were never counted.
func (db *DB) DiscardBurst(ctx context.Context, id, actor int64, now time.Time) (int, error) {
	return db.settleBurst(ctx, id, actor, now, false)
}

// settleBurst releases or discards a held burst, deletes it, and audits
// what it did.
func (db *DB) settleBurst(ctx context.Context, id, actor int64, now time.Time, release bool) (int, error) {
	var n int64
	verb := filmsql.BurstVerb(release)
	err := db.inWriteTx(ctx, func(tx pgx.Tx) error {
		var kind, slug string
		err := tx.QueryRow(ctx, `SELECT b.kind, f.slug FROM held_bursts b JOIN films f ON f.id = b.film_id
			WHERE b.id = $1`, id).Scan(&kind, &slug)
		if errors.Is(err, pgx.ErrNoRows) {
			return film.ErrNotFound
		}
		if err != nil {
			return err
		}
		settle := filmsql.SettleBurst(filmsql.PostgreSQL, film.BurstKind(kind), release)
		tag, err := tx.Exec(ctx, settle.Statement, id)
		if err != nil {
			return err
		}
		n = tag.RowsAffected()
		if _, err := tx.Exec(ctx, "DELETE FROM held_bursts WHERE id = $1", id); err != nil {
			return err
		}
		return insertAudit(ctx, tx, settle.Audit(id, actor, now, slug, n))
	})
	if err != nil {
		return 0, fmt.Errorf("%s held burst %d: %w", verb, id, err)
	}
	return int(n), nil
}

// The PostgreSQL store keeps the whole contract SQLite keeps, so commands
// and the web layer take either behind film.Store.
var _ film.Store = (*DB)(nil)
