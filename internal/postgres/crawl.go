package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"marquee/internal/film"
)

// This file is the feeds half of internal/sqlite/crawl.go; the sitemap is
// not done yet.

// ReviewFeed returns the newest critic reviews public at now, with their
// films, as the home page lists them.
func (db *DB) ReviewFeed(ctx context.Context, now time.Time, limit int) ([]film.ReviewedFilm, error) {
	var out []film.ReviewedFilm
	err := db.inPageTx(ctx, func(tx pgx.Tx) error {
		var err error
		out, err = latestCriticReviews(ctx, tx, now, limit)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("review feed: %w", err)
	}
	return out, nil
}

// The statements of FilmFeed that the film page does not share: the film
// with the slug its argument gives, with its record's change time, and
// the newest approved reader reviews of the film its first argument
// names, with the time each was approved, at most as many as its second.
const (
	filmFeedFilmQuery          = `SELECT ` + summaryColumns + `, f.updated_at FROM films f WHERE f.slug = $1`
	filmFeedReaderReviewsQuery = `SELECT r.id, f.slug, r.display_name, r.title, r.rating, r.body, r.spoilers, r.status,
		r.created_at, r.helpful_count, coalesce(r.moderated_at, r.created_at)
	FROM reader_reviews r JOIN films f ON f.id = r.film_id
	WHERE r.film_id = $1 AND r.status = 'approved'
	ORDER BY r.created_at DESC, r.id DESC LIMIT $2`
)

// FilmFeed returns a film's public critic reviews and approved reader
// reviews, newest first, at most limit of each, in one read transaction.
func (db *DB) FilmFeed(ctx context.Context, slug string, now time.Time, limit int) (film.FilmFeed, error) {
	var feed film.FilmFeed
	err := db.inPageTx(ctx, func(tx pgx.Tx) error {
		feed = film.FilmFeed{}
		dest, finish := summaryDest(&feed.Film)
		var updated time.Time
		err := tx.QueryRow(ctx, filmFeedFilmQuery, slug).Scan(append(dest, &updated)...)
		if errors.Is(err, pgx.ErrNoRows) {
			return film.ErrNotFound
		}
		if err != nil {
			return err
		}
		finish()
		feed.UpdatedAt = updated.UTC()
		critics, err := publishedCriticReviews(ctx, tx, feed.Film.ID, now)
		if err != nil {
			return err
		}
		feed.CriticReviews = critics[:min(len(critics), max(0, limit))]
		feed.ReaderReviews, err = scanAll(ctx, tx, filmFeedReaderReviewsQuery, []any{feed.Film.ID, limit},
			func(rows pgx.Rows) (film.FeedReaderReview, error) {
				var (
					fr                film.FeedReaderReview
					created, approved time.Time
				)
				r := &fr.Review
				err := rows.Scan(&r.ID, &r.FilmSlug, &r.DisplayName, &r.Title, &r.Rating, &r.Body, &r.Spoilers, &r.Status,
					&created, &r.HelpfulCount, &approved)
				r.CreatedAt, fr.ApprovedAt = created.UTC(), approved.UTC()
				return fr, err
			})
		if err != nil {
			return fmt.Errorf("reader reviews: %w", err)
		}
		return nil
	})
	if err != nil {
		return film.FilmFeed{}, fmt.Errorf("feed of film %q: %w", slug, err)
	}
	return feed, nil
}
