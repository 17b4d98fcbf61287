package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"marquee/internal/film"
)

// PublishedCriticReviews returns the critic reviews of a film that are
// published and whose publication time is not after now, newest first.
func (db *DB) PublishedCriticReviews(ctx context.Context, filmID int64, now time.Time) ([]film.CriticReview, error) {
	reviews, err := scanAll(ctx, db.read, `SELECT r.id, r.slug, f.slug, r.headline, r.author, r.publication,
			r.rating_value, r.rating_scale, r.pull_quote, r.body, r.spoilers, r.status, r.published_at, r.updated_at
		FROM critic_reviews r JOIN films f ON f.id = r.film_id
		WHERE r.film_id = ? AND r.status = 'published' AND r.published_at <= ?
		ORDER BY r.published_at DESC, r.id DESC`, []any{filmID, now.UTC().Format(timeLayout)}, scanCriticReview)
	if err != nil {
		return nil, fmt.Errorf("published critic reviews of film %d: %w", filmID, err)
	}
	return reviews, nil
}

func scanCriticReview(rows *sql.Rows) (film.CriticReview, error) {
	var (
		r                      film.CriticReview
		ratingValue            sql.NullFloat64
		ratingScale            sql.NullInt64
		publishedAt, updatedAt sql.NullString
	)
	if err := rows.Scan(&r.ID, &r.Slug, &r.FilmSlug, &r.Headline, &r.Author, &r.Publication, &ratingValue, &ratingScale,
		&r.PullQuote, &r.Body, &r.Spoilers, &r.Status, &publishedAt, &updatedAt); err != nil {
		return r, err
	}
	if ratingValue.Valid {
		r.Rating = &film.Rating{Value: ratingValue.Float64, Scale: int(ratingScale.Int64)}
	}
	var err error
	if r.PublishedAt, err = parseTime(publishedAt); err != nil {
		return r, err
	}
	r.UpdatedAt, err = parseTime(updatedAt)
	return r, err
}

// ApprovedReaderReviews returns the approved reader reviews of a film,
// newest first.
func (db *DB) ApprovedReaderReviews(ctx context.Context, filmID int64) ([]film.ReaderReview, error) {
	reviews, err := scanAll(ctx, db.read, `SELECT r.id, f.slug, r.display_name, r.title, r.rating, r.body, r.spoilers, r.status, r.created_at
		FROM reader_reviews r JOIN films f ON f.id = r.film_id
		WHERE r.film_id = ? AND r.status = 'approved'
		ORDER BY r.created_at DESC, r.id DESC`, []any{filmID},
		func(rows *sql.Rows) (r film.ReaderReview, err error) {
			var created sql.NullString
			if err = rows.Scan(&r.ID, &r.FilmSlug, &r.DisplayName, &r.Title, &r.Rating, &r.Body, &r.Spoilers, &r.Status, &created); err != nil {
				return
			}
			r.CreatedAt, err = parseTime(created)
			return
		})
	if err != nil {
		return nil, fmt.Errorf("approved reader reviews of film %d: %w", filmID, err)
	}
	return reviews, nil
}
