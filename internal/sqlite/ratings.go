package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"marquee/internal/film"
	"marquee/internal/filmsql"
)

// readerQuery reads the id of the reader whose token hashes to its
// argument.
const readerQuery = "SELECT id FROM readers WHERE token_hash = ?"

// Reader returns the id of the reader whose cookie token hashes to
// tokenHash, creating the reader on first use. Readers are created only
// when they first write (a rating, a review, a vote), never on a page view.
func (db *DB) Reader(ctx context.Context, tokenHash []byte, now time.Time) (int64, error) {
	var id int64
	err := db.inWriteTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, "INSERT INTO readers (token_hash, created_at) VALUES (?, ?) ON CONFLICT (token_hash) DO NOTHING",
			tokenHash, formatTime(now))
		if err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, readerQuery, tokenHash).Scan(&id)
	})
	if err != nil {
		return 0, fmt.Errorf("reader: %w", err)
	}
	return id, nil
}

// findReader returns the id of an existing reader, or film.ErrNotFound.
func findReader(ctx context.Context, q querier, tokenHash []byte) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, readerQuery, tokenHash).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, film.ErrNotFound
	}
	if err != nil {
		return 0, fmt.Errorf("find reader: %w", err)
	}
	return id, nil
}

// RateFilm records a reader's rating of a film, replacing their earlier
// rating if any, and returns the film's new rating aggregate. Triggers keep
// the aggregate in the same transaction.
func (db *DB) RateFilm(ctx context.Context, filmID, readerID int64, value int, now time.Time) (film.RatingStats, error) {
	if !film.ValidRatingValue(value) {
		return film.RatingStats{}, film.Problems{"rating": "must be a whole number from 1 to 10"}
	}
	var stats film.RatingStats
	err := db.inWriteTx(ctx, func(tx *sql.Tx) error {
		at := formatTime(now)
		if _, err := tx.ExecContext(ctx, `INSERT INTO ratings (film_id, reader_id, value, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (film_id, reader_id) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
			WHERE value != excluded.value`, filmID, readerID, value, at, at); err != nil {
			return err
		}
		var err error
		stats, err = ratingStats(ctx, tx, filmID)
		return err
	})
	if err != nil {
		return film.RatingStats{}, fmt.Errorf("rate film %d: %w", filmID, err)
	}
	return stats, nil
}

// RemoveRating takes back a reader's rating of a film; the triggers take it
// out of the aggregate in the same transaction. The reader's reviews of the
// film stay, shown without a rating (see filmsql.ReviewShownRating). Removing a
// rating that is not there changes nothing.
func (db *DB) RemoveRating(ctx context.Context, filmID, readerID int64) (film.RatingStats, error) {
	var stats film.RatingStats
	err := db.inWriteTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, removeRatingStatement, filmID, readerID); err != nil {
			return err
		}
		var err error
		stats, err = ratingStats(ctx, tx, filmID)
		return err
	})
	if err != nil {
		return film.RatingStats{}, fmt.Errorf("remove rating of film %d: %w", filmID, err)
	}
	return stats, nil
}

// removeRatingStatement deletes the rating the reader its second argument
// names gave the film its first names.
const removeRatingStatement = "DELETE FROM ratings WHERE film_id = ? AND reader_id = ?"

// RatingStats returns a film's rating aggregate.
func (db *DB) RatingStats(ctx context.Context, filmID int64) (film.RatingStats, error) {
	stats, err := ratingStats(ctx, db.read, filmID)
	if err != nil {
		return film.RatingStats{}, fmt.Errorf("rating stats of film %d: %w", filmID, err)
	}
	return stats, nil
}

// ratingStatsQuery reads the rating aggregate of the film its argument
// names.
const ratingStatsQuery = `SELECT count, total, n1, n2, n3, n4, n5, n6, n7, n8, n9, n10
	FROM film_rating_stats WHERE film_id = ?`

func ratingStats(ctx context.Context, q querier, filmID int64) (film.RatingStats, error) {
	page, _ := q.(preparedTx)
	if page.stats != nil {
		if kept, ok := page.stats.get(page.version(), filmID); ok {
			return kept.stats, nil
		}
	}
	s, err := scanRatingStats(q.QueryRowContext(ctx, ratingStatsQuery, filmID))
	if err == nil && page.stats != nil {
		page.stats.put(page.version(), filmStats{filmID, s})
	}
	return s, err
}

// scanRatingStats reads the row of ratingStatsQuery: no row is a film no
// one has rated yet.
func scanRatingStats(row *sql.Row) (film.RatingStats, error) {
	var s film.RatingStats
	h := &s.Histogram
	err := row.Scan(&s.Count, &s.Total, &h[0], &h[1], &h[2], &h[3], &h[4], &h[5], &h[6], &h[7], &h[8], &h[9])
	if errors.Is(err, sql.ErrNoRows) {
		return film.RatingStats{}, nil
	}
	return s, err
}

// filmStats is a film's rating aggregate as the memo keeps it.
type filmStats struct {
	filmID int64
	stats  film.RatingStats
}

// recountRatingsQuery counts the ratings of each value the film its
// argument names has.
// Held ratings (migration 0013) are not published, so not counted.
const recountRatingsQuery = "SELECT value, count(*) FROM ratings WHERE film_id = ? AND held_burst IS NULL GROUP BY value"

// RecountRatingStats computes a film's aggregate from the ratings
// themselves, scanning them; tests and repairs use it to check the kept
// aggregate.
func (db *DB) RecountRatingStats(ctx context.Context, filmID int64) (film.RatingStats, error) {
	var s film.RatingStats
	rows, err := db.read.QueryContext(ctx, recountRatingsQuery, filmID)
	if err != nil {
		return s, fmt.Errorf("recount ratings of film %d: %w", filmID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var value, n int
		if err := rows.Scan(&value, &n); err != nil {
			return s, fmt.Errorf("recount ratings of film %d: %w", filmID, err)
		}
		filmsql.CountRatings(&s, value, n)
	}
	return s, rows.Err()
}

// readerRatingQuery reads the rating the reader its second argument names
// gave the film its first names.
const readerRatingQuery = "SELECT value FROM ratings WHERE film_id = ? AND reader_id = ?"

// readerRating returns the rating a reader gave a film, or 0 if none.
func readerRating(ctx context.Context, q querier, filmID, readerID int64) (int, error) {
	var value int
	err := q.QueryRowContext(ctx, readerRatingQuery, filmID, readerID).Scan(&value)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("reader rating: %w", err)
	}
	return value, nil
}

// reviewReaderKey is the reader key a dump gives a reader review (see
// filmsql.DumpedReader).
func reviewReaderKey(ctx context.Context, q querier, r film.ReaderReview) (string, error) {
	var hash []byte
	err := q.QueryRowContext(ctx, `SELECT rd.token_hash FROM reader_reviews r JOIN readers rd ON rd.id = r.reader_id
		WHERE r.id = ?`, r.ID).Scan(&hash)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("reader of review %d: %w", r.ID, err)
	}
	return filmsql.DumpedReader(hash, r.Key()), nil
}

// FindReader returns the id of the reader whose cookie token hashes to
// tokenHash, or film.ErrNotFound; it never creates one, so the web layer can
// tell a cookie that has written before from a fresh or invented one.
func (db *DB) FindReader(ctx context.Context, tokenHash []byte) (int64, error) {
	id, err := findReader(ctx, db.read, tokenHash)
	if err != nil {
		return 0, fmt.Errorf("find reader: %w", err)
	}
	return id, nil
}

// ReaderRating returns the rating, published or held, a reader gave a
// film, or 0 when they have none.
func (db *DB) ReaderRating(ctx context.Context, filmID, readerID int64) (int, error) {
	return readerRating(ctx, db.read, filmID, readerID)
}

// heldBurst returns the id of the held burst of kind about the film (or the
// review, for votes) that id names, or a new burst's id when id is 0 or
// names no such burst (released, discarded, or about something else);
// either way its last activity becomes now.
func heldBurst(ctx context.Context, tx *sql.Tx, id int64, kind film.BurstKind, filmID, reviewID int64, now time.Time) (int64, error) {
	at := formatTime(now)
	if id != 0 {
		res, err := tx.ExecContext(ctx, `UPDATE held_bursts SET last_at = ? WHERE id = ? AND kind = ? AND film_id = ?
			AND review_id IS ?`, at, id, string(kind), filmID, nullIfZero(reviewID))
		if err != nil {
			return 0, err
		}
		if n, _ := res.RowsAffected(); n == 1 {
			return id, nil
		}
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO held_bursts (kind, film_id, review_id, started_at, last_at)
		VALUES (?, ?, ?, ?, ?)`, string(kind), filmID, nullIfZero(reviewID), at, at)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// HoldRating stores a reader's rating of a film as held in a burst (see
// migration 0013): the row is there, so the reader's own rating shows, but
// the triggers keep it out of the film's aggregate until it is released.
// A rating the reader already has keeps its state and takes the new value.
func (db *DB) HoldRating(ctx context.Context, burstID, filmID, readerID int64, value int, now time.Time) (int64, error) {
	if !film.ValidRatingValue(value) {
		return 0, film.Problems{"rating": "must be a whole number from 1 to 10"}
	}
	err := db.inWriteTx(ctx, func(tx *sql.Tx) error {
		var err error
		if burstID, err = heldBurst(ctx, tx, burstID, film.BurstRatings, filmID, 0, now); err != nil {
			return err
		}
		at := formatTime(now)
		_, err = tx.ExecContext(ctx, `INSERT INTO ratings (film_id, reader_id, value, created_at, updated_at, held_burst)
			VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (film_id, reader_id) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
			WHERE value != excluded.value`, filmID, readerID, value, at, at, burstID)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("hold rating of film %d: %w", filmID, err)
	}
	return burstID, nil
}

// HoldHelpfulVote stores a reader's helpful vote on an approved review as
// held in a burst; the review's helpful count leaves it out until it is
// released.
func (db *DB) HoldHelpfulVote(ctx context.Context, burstID, reviewID, readerID int64, now time.Time) (int64, string, bool, error) {
	var filmSlug string
	var added bool
	err := db.inWriteTx(ctx, func(tx *sql.Tx) error {
		var filmID int64
		err := tx.QueryRowContext(ctx, `SELECT f.id, f.slug FROM reader_reviews r JOIN films f ON f.id = r.film_id
			WHERE r.id = ? AND r.status = 'approved'`, reviewID).Scan(&filmID, &filmSlug)
		if errors.Is(err, sql.ErrNoRows) {
			return film.ErrNotFound
		}
		if err != nil {
			return err
		}
		var voted bool
		if err := tx.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM helpful_votes WHERE review_id = ? AND reader_id = ?)",
			reviewID, readerID).Scan(&voted); err != nil || voted {
			return err
		}
		if burstID, err = heldBurst(ctx, tx, burstID, film.BurstVotes, filmID, reviewID, now); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO helpful_votes (review_id, reader_id, created_at, held_burst)
			VALUES (?, ?, ?, ?)`, reviewID, readerID, formatTime(now), burstID); err != nil {
			return err
		}
		added = true
		return nil
	})
	if err != nil {
		return 0, "", false, fmt.Errorf("hold helpful vote on review %d: %w", reviewID, err)
	}
	return burstID, filmSlug, added, nil
}

// heldBurstsQuery lists the held bursts with their film, review and what
// they hold, newest activity first. A burst left empty (its one reader
// took their rating back) is not shown.
const heldBurstsQuery = `SELECT b.id, b.kind, f.slug, f.title, f.year, coalesce(b.review_id, 0), coalesce(rr.title, ''),
		CASE b.kind WHEN 'rating' THEN (SELECT count(*) FROM ratings WHERE held_burst = b.id)
			ELSE (SELECT count(*) FROM helpful_votes WHERE held_burst = b.id) END AS n,
		CASE b.kind WHEN 'rating' THEN coalesce((SELECT avg(value) FROM ratings WHERE held_burst = b.id), 0) ELSE 0 END,
		b.started_at, b.last_at
	FROM held_bursts b JOIN films f ON f.id = b.film_id LEFT JOIN reader_reviews rr ON rr.id = b.review_id
	WHERE n > 0
	ORDER BY b.last_at DESC, b.id DESC`

// HeldBursts lists the bursts held for the desk.
func (db *DB) HeldBursts(ctx context.Context) ([]film.HeldBurst, error) {
	rows, err := db.read.QueryContext(ctx, heldBurstsQuery)
	if err != nil {
		return nil, fmt.Errorf("held bursts: %w", err)
	}
	defer rows.Close()
	var out []film.HeldBurst
	for rows.Next() {
		var b film.HeldBurst
		var kind string
		var started, last sql.NullString
		if err := rows.Scan(&b.ID, &kind, &b.FilmSlug, &b.FilmTitle, &b.FilmYear, &b.ReviewID, &b.ReviewTitle,
			&b.Count, &b.Average, &started, &last); err != nil {
			return nil, fmt.Errorf("held bursts: %w", err)
		}
		b.Kind = film.BurstKind(kind)
		if b.StartedAt, err = parseTime(started); err != nil {
			return nil, fmt.Errorf("held bursts: %w", err)
		}
		if b.LastAt, err = parseTime(last); err != nil {
			return nil, fmt.Errorf("held bursts: %w", err)
		}
		out = append(out, b)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("held bursts: %w", err)
	}
	return out, nil
}

// ReleaseBurst publishes a held burst: clearing held_burst on its rows
// fires the release triggers, which add them to the film's aggregate or
// the review's helpful count in this transaction.
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
	err := db.inWriteTx(ctx, func(tx *sql.Tx) error {
		var kind, slug string
		err := tx.QueryRowContext(ctx, `SELECT b.kind, f.slug FROM held_bursts b JOIN films f ON f.id = b.film_id
			WHERE b.id = ?`, id).Scan(&kind, &slug)
		if errors.Is(err, sql.ErrNoRows) {
			return film.ErrNotFound
		}
		if err != nil {
			return err
		}
		settle := filmsql.SettleBurst(filmsql.SQLite, film.BurstKind(kind), release)
		res, err := tx.ExecContext(ctx, settle.Statement, id)
		if err != nil {
			return err
		}
		n, _ = res.RowsAffected()
		if _, err := tx.ExecContext(ctx, "DELETE FROM held_bursts WHERE id = ?", id); err != nil {
			return err
		}
		return insertAudit(ctx, tx, settle.Audit(id, actor, now, slug, n))
	})
	if err != nil {
		return 0, fmt.Errorf("%s held burst %d: %w", verb, id, err)
	}
	return int(n), nil
}
