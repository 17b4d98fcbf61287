package postgres

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"marquee/internal/film"
	"marquee/internal/filmsql"
)

func scanCriticReview(rows pgx.Rows) (film.CriticReview, error) {
	var r film.CriticReview
	dest, finish := criticReviewDest(&r)
	err := rows.Scan(dest...)
	finish()
	return r, err
}

// criticReviewDest returns where rows.Scan puts the columns of
// filmsql.CriticReviewSelect, and a function that completes r after the scan.
func criticReviewDest(r *film.CriticReview) ([]any, func()) {
	var (
		ratingValue            *float64
		ratingScale            *int
		publishedAt, updatedAt *time.Time
	)
	dest := []any{&r.ID, &r.Slug, &r.FilmSlug, &r.Headline, &r.Author, &r.AuthorSlug, &r.Publication, &ratingValue, &ratingScale,
		&r.PullQuote, &r.Body, &r.Spoilers, &r.Status, &publishedAt, &updatedAt}
	return dest, func() {
		if ratingValue != nil && ratingScale != nil {
			r.Rating = &film.Rating{Value: *ratingValue, Scale: *ratingScale}
		}
		r.PublishedAt, r.UpdatedAt = readTime(publishedAt), readTime(updatedAt)
	}
}

// publishedCriticReviewsQuery lists a film's public critic reviews, newest
// first; its arguments are the film's id and the time.
const publishedCriticReviewsQuery = `SELECT ` + filmsql.CriticReviewColumns + `
	WHERE r.film_id = $1 AND r.status IN ('published', 'scheduled') AND r.published_at <= $2
	ORDER BY r.published_at DESC, r.id DESC`

// publishedCriticReviews returns the critic reviews of a film that are
// published and whose publication time is not after now, newest first.
// Scheduled reviews thus appear at their time with no one acting.
func publishedCriticReviews(ctx context.Context, q querier, filmID int64, now time.Time) ([]film.CriticReview, error) {
	reviews, err := scanAll(ctx, q, publishedCriticReviewsQuery, []any{filmID, now}, scanCriticReview)
	if err != nil {
		return nil, fmt.Errorf("published critic reviews of film %d: %w", filmID, err)
	}
	return reviews, nil
}

// publicCriticReviewQuery reads the critic review with the slug its first
// argument gives if the review is public at the second.
const publicCriticReviewQuery = `SELECT ` + filmsql.CriticReviewColumns + `
	WHERE r.slug = $1 AND r.status IN ('published', 'scheduled') AND r.published_at <= $2`

// filmSummaryQuery reads the short form of the film with the slug its
// argument gives.
const filmSummaryQuery = `SELECT ` + summaryColumns + ` FROM films f WHERE f.slug = $1`

// filmSummary reads the short form of a film with its directors.
func filmSummary(ctx context.Context, q querier, slug string) (film.Summary, error) {
	summaries, err := scanAll(ctx, q, filmSummaryQuery, []any{slug}, scanSummary)
	if err != nil {
		return film.Summary{}, err
	}
	if len(summaries) == 0 {
		return film.Summary{}, film.ErrNotFound
	}
	return summaries[0], nil
}

// summaryColumns is the select list scanSummary reads, over films f.
const summaryColumns = `f.id, f.slug, f.title, f.original_title, f.title_language, f.year,
	coalesce(f.runtime_minutes, 0), f.synopsis,
	coalesce((SELECT string_agg(p.name, chr(31) ORDER BY c.billing, c.id)
		FROM credits c JOIN people p ON p.id = c.person_id
		WHERE c.film_id = f.id AND c.role = 'director'), '')`

func scanSummary(rows pgx.Rows) (film.Summary, error) {
	var s film.Summary
	dest, finish := summaryDest(&s)
	err := rows.Scan(dest...)
	finish()
	return s, err
}

// summaryDest returns where rows.Scan puts the columns of summaryColumns,
// and a function that completes s after the scan.
func summaryDest(s *film.Summary) ([]any, func()) {
	var directors string
	return []any{&s.ID, &s.Slug, &s.Title, &s.OriginalTitle, &s.TitleLanguage, &s.Year, &s.RuntimeMinutes, &s.Synopsis, &directors},
		func() { s.Directors = splitNames(directors) }
}

// splitNames splits a string_agg made with chr(31) as separator.
func splitNames(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\x1f")
}

// criticScoreQuery counts a film's public, rated critic reviews and
// averages their ratings on a 0–100 scale; its arguments are the film's id
// and the time.
const criticScoreQuery = `SELECT count(*), avg(rating_value * 100.0 / rating_scale) FROM critic_reviews
	WHERE film_id = $1 AND status IN ('published', 'scheduled') AND published_at <= $2 AND rating_value IS NOT NULL`

// criticScore averages a film's public, rated critic reviews on a 0–100
// scale.
func criticScore(ctx context.Context, q querier, filmID int64, now time.Time) (film.CriticScore, error) {
	var (
		count   int
		average *float64
	)
	if err := q.QueryRow(ctx, criticScoreQuery, filmID, now).Scan(&count, &average); err != nil {
		return film.CriticScore{}, fmt.Errorf("critic score of film %d: %w", filmID, err)
	}
	score := 0
	if average != nil {
		score = int(math.Round(*average))
	}
	return film.CriticScore{Count: count, Score: score}, nil
}

func scanReaderReview(rows pgx.Rows) (film.ReaderReview, error) {
	var (
		r       film.ReaderReview
		created time.Time
	)
	err := rows.Scan(&r.ID, &r.FilmSlug, &r.DisplayName, &r.Title, &r.Rating, &r.Body, &r.Spoilers, &r.Status, &created, &r.HelpfulCount)
	r.CreatedAt = created.UTC()
	return r, err
}

// readerReviews returns one page of a film's approved reader reviews in
// the filter's order, and how many there are in all.
func readerReviews(ctx context.Context, q querier, f film.ReaderReviewFilter) (film.ReaderReviewPage, error) {
	countQuery, pageQuery := filmsql.ReaderReviewsQueries(filmsql.PostgreSQL, f)
	var page film.ReaderReviewPage
	err := func() error {
		if err := q.QueryRow(ctx, countQuery, f.FilmID).Scan(&page.Total); err != nil {
			return err
		}
		var err error
		page.Reviews, err = scanAll(ctx, q, pageQuery, []any{f.FilmID, f.Limit, f.Offset}, scanReaderReview)
		return err
	}()
	if err != nil {
		return film.ReaderReviewPage{}, fmt.Errorf("reader reviews of film %d: %w", f.FilmID, err)
	}
	return page, nil
}

// CreateReaderReview stores a submitted reader review (normally pending
// moderation) by the given reader, or by no known reader when readerID is
// zero, and returns its id. A review by a known reader that is not spam
// sets (or replaces) the reader's rating of the film in the same
// transaction: the trigger reader_reviews_rate writes it, so imports and
// this path cannot differ.
func (db *DB) CreateReaderReview(ctx context.Context, r film.ReaderReview, readerID int64) (int64, error) {
	var id int64
	err := db.inWriteTx(ctx, func(tx pgx.Tx) error {
		var filmID int64
		err := tx.QueryRow(ctx, "SELECT id FROM films WHERE slug = $1", r.FilmSlug).Scan(&filmID)
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("films %q: %w", r.FilmSlug, film.ErrNotFound)
		}
		if err != nil {
			return err
		}
		return tx.QueryRow(ctx, `INSERT INTO reader_reviews
			(film_id, reader_id, display_name, title, rating, body, spoilers, status, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
			filmID, nullIfZero(readerID), r.DisplayName, r.Title, r.Rating, r.Body, r.Spoilers, string(r.Status), timeValue(r.CreatedAt)).
			Scan(&id)
	})
	if err != nil {
		return 0, fmt.Errorf("create reader review: %w", err)
	}
	return id, nil
}

// VoteHelpful records that a reader found an approved review helpful. A
// second vote by the same reader changes nothing; added says whether this
// vote counted. It returns film.ErrNotFound when there is no such approved
// review, and the film's slug otherwise.
func (db *DB) VoteHelpful(ctx context.Context, reviewID, readerID int64, now time.Time) (filmSlug string, added bool, err error) {
	err = db.inWriteTx(ctx, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `SELECT f.slug FROM reader_reviews r JOIN films f ON f.id = r.film_id
			WHERE r.id = $1 AND r.status = 'approved'`, reviewID).Scan(&filmSlug)
		if errors.Is(err, pgx.ErrNoRows) {
			return film.ErrNotFound
		}
		if err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `INSERT INTO helpful_votes (review_id, reader_id, created_at) VALUES ($1, $2, $3)
			ON CONFLICT DO NOTHING`, reviewID, readerID, timeValue(now))
		added = tag.RowsAffected() > 0
		return err
	})
	if err != nil {
		return "", false, fmt.Errorf("helpful vote on review %d: %w", reviewID, err)
	}
	return filmSlug, added, nil
}
