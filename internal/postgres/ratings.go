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

// readerQuery reads the id of the reader whose token hashes to its
// argument.
const readerQuery = "SELECT id FROM readers WHERE token_hash = $1"

// Reader returns the id of the reader whose cookie token hashes to
// tokenHash, creating the reader on first use. Readers are created only
// when they first write (a rating, a review, a vote), never on a page
// view.
func (db *DB) Reader(ctx context.Context, tokenHash []byte, now time.Time) (int64, error) {
	var id int64
	err := db.inWriteTx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, "INSERT INTO readers (token_hash, created_at) VALUES ($1, $2) ON CONFLICT (token_hash) DO NOTHING",
			tokenHash, timeValue(now))
		if err != nil {
			return err
		}
		return tx.QueryRow(ctx, readerQuery, tokenHash).Scan(&id)
	})
	if err != nil {
		return 0, fmt.Errorf("reader: %w", err)
	}
	return id, nil
}

// RateFilm records a reader's rating of a film, replacing their earlier
// rating if any, and returns the film's new rating aggregate. Triggers
// keep the aggregate in the same transaction.
func (db *DB) RateFilm(ctx context.Context, filmID, readerID int64, value int, now time.Time) (film.RatingStats, error) {
	if !film.ValidRatingValue(value) {
		return film.RatingStats{}, film.Problems{"rating": "must be a whole number from 1 to 10"}
	}
	var stats film.RatingStats
	err := db.inWriteTx(ctx, func(tx pgx.Tx) error {
		at := timeValue(now)
		if _, err := tx.Exec(ctx, `INSERT INTO ratings AS r (film_id, reader_id, value, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)
			ON CONFLICT (film_id, reader_id) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
			WHERE r.value <> excluded.value`, filmID, readerID, value, at); err != nil {
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

// RemoveRating takes back a reader's rating of a film; the triggers take
// it out of the aggregate in the same transaction. The reader's reviews of
// the film stay, shown without a rating (see filmsql.ReviewShownRating). Removing
// a rating that is not there changes nothing.
func (db *DB) RemoveRating(ctx context.Context, filmID, readerID int64) (film.RatingStats, error) {
	var stats film.RatingStats
	err := db.inWriteTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "DELETE FROM ratings WHERE film_id = $1 AND reader_id = $2", filmID, readerID); err != nil {
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

// findReader returns the id of an existing reader, or film.ErrNotFound.
func findReader(ctx context.Context, q querier, tokenHash []byte) (int64, error) {
	var id int64
	err := q.QueryRow(ctx, readerQuery, tokenHash).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, film.ErrNotFound
	}
	if err != nil {
		return 0, fmt.Errorf("find reader: %w", err)
	}
	return id, nil
}

// ratingStatsQuery reads the rating aggregate of the film its argument
// names.
const ratingStatsQuery = `SELECT count, total, n1, n2, n3, n4, n5, n6, n7, n8, n9, n10
	FROM film_rating_stats WHERE film_id = $1`

func ratingStats(ctx context.Context, q querier, filmID int64) (film.RatingStats, error) {
	var s film.RatingStats
	h := &s.Histogram
	err := q.QueryRow(ctx, ratingStatsQuery, filmID).
		Scan(&s.Count, &s.Total, &h[0], &h[1], &h[2], &h[3], &h[4], &h[5], &h[6], &h[7], &h[8], &h[9])
	if errors.Is(err, pgx.ErrNoRows) {
		return film.RatingStats{}, nil // No rating yet.
	}
	return s, err
}

// readerRatingQuery reads the rating the reader its second argument names
// gave the film its first names.
const readerRatingQuery = "SELECT value FROM ratings WHERE film_id = $1 AND reader_id = $2"

// readerRating returns the rating a reader gave a film, or 0 if none.
func readerRating(ctx context.Context, q querier, filmID, readerID int64) (int, error) {
	var value int
	err := q.QueryRow(ctx, readerRatingQuery, filmID, readerID).Scan(&value)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("reader rating: %w", err)
	}
	return value, nil
}

// RatingStats returns a film's rating aggregate.
func (db *DB) RatingStats(ctx context.Context, filmID int64) (film.RatingStats, error) {
	stats, err := ratingStats(ctx, db.pool, filmID)
	if err != nil {
		return film.RatingStats{}, fmt.Errorf("rating stats of film %d: %w", filmID, err)
	}
	return stats, nil
}

// recountRatingsQuery counts the ratings of each value the film its
// argument names has. Held ratings (migration 0002) are not published, so
// not counted.
const recountRatingsQuery = "SELECT value, count(*) FROM ratings WHERE film_id = $1 AND held_burst IS NULL GROUP BY value"

// RecountRatingStats computes a film's aggregate from the ratings
// themselves, scanning them; tests and repairs use it to check the kept
// aggregate.
func (db *DB) RecountRatingStats(ctx context.Context, filmID int64) (film.RatingStats, error) {
	var s film.RatingStats
	rows, err := db.pool.Query(ctx, recountRatingsQuery, filmID)
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
