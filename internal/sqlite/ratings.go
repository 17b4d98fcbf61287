package sqlite

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"marquee/internal/film"
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
// film stay, shown without a rating (see reviewShownRating). Removing a
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
	var s film.RatingStats
	h := &s.Histogram
	err := q.QueryRowContext(ctx, ratingStatsQuery, filmID).
		Scan(&s.Count, &s.Total, &h[0], &h[1], &h[2], &h[3], &h[4], &h[5], &h[6], &h[7], &h[8], &h[9])
	if errors.Is(err, sql.ErrNoRows) {
		return film.RatingStats{}, nil // No rating yet.
	}
	return s, err
}

// recountRatingsQuery counts the ratings of each value the film its
// argument names has.
const recountRatingsQuery = "SELECT value, count(*) FROM ratings WHERE film_id = ? GROUP BY value"

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
		s.Histogram[value-1] = n
		s.Count += n
		s.Total += value * n
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

// reviewReaderHash is the token hash of the reader a catalogue's reader
// review gets when it comes without one (seeds, imports, the generator), so
// its rating counts once like any reader's. It is made from the review's
// key, so loading the same catalogue twice, or by import and by the bulk
// loader, gives the same reader; no cookie can hold it, as a cookie's token
// is 43 characters of base64 and this hashes a text that is not.
func reviewReaderHash(k film.ReaderReviewKey) []byte {
	k = k.Normalized()
	sum := sha256.Sum256([]byte("marquee reader review\x00" + k.FilmSlug + "\x00" + k.DisplayName + "\x00" + k.Title +
		"\x00" + k.CreatedAt.UTC().Format(timeLayout)))
	return sum[:]
}

// reviewReaderKey is the reader key a dump gives a reader review: the key
// of its reader when that is a reader known by a cookie, "" when the review
// has no reader or is its own (reviewReaderHash), as an import makes it.
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
	if string(hash) == string(reviewReaderHash(r.Key())) {
		return "", nil
	}
	return film.ReaderKey(hash), nil
}

// catalogReviewReader is the reader key a catalogue's reader review is
// stored under: its own Reader when it names one, else a reader of its own
// (reviewReaderHash) unless it is spam, which counts for no one ("").
func catalogReviewReader(r film.ReaderReview) string {
	switch {
	case r.Reader != "":
		return r.Reader
	case r.Status == film.ModerationSpam:
		return ""
	}
	return film.ReaderKey(reviewReaderHash(r.Key()))
}
