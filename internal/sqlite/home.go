package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"marquee/internal/film"
)

// LatestCriticReviews returns the newest public critic reviews with their
// films.
func (db *DB) LatestCriticReviews(ctx context.Context, now time.Time, limit int) ([]film.ReviewedFilm, error) {
	var out []film.ReviewedFilm
	err := db.inReadTx(ctx, func(tx *sql.Tx) error {
		// The partial index of public reviews gives them in date order, so
		// the query stops after the first few instead of sorting them all.
		columns := strings.Replace(criticReviewColumns, "FROM critic_reviews r", "FROM critic_reviews r INDEXED BY critic_reviews_public", 1)
		reviews, err := scanAll(ctx, tx, `SELECT `+columns+`
			WHERE r.status IN ('published', 'scheduled') AND r.published_at <= ?
			ORDER BY r.published_at DESC, r.id DESC LIMIT ?`, []any{now.UTC().Format(timeLayout), limit}, scanCriticReview)
		if err != nil {
			return err
		}
		out, err = withFilms(ctx, tx, reviews)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("latest critic reviews: %w", err)
	}
	return out, nil
}

// TopRatedFilms returns the films with the highest reader average among
// those with at least film.MinRatingsForTopRated ratings.
func (db *DB) TopRatedFilms(ctx context.Context, limit int) ([]film.ListedFilm, error) {
	films, err := scanAll(ctx, db.read, `SELECT `+listedFilmColumns+` FROM films f INDEXED BY films_by_rating
		WHERE f.rating_count >= ? ORDER BY f.rating_average DESC, f.rating_count DESC, f.id DESC LIMIT ?`,
		[]any{film.MinRatingsForTopRated, limit}, scanListedFilm)
	if err != nil {
		return nil, fmt.Errorf("top rated films: %w", err)
	}
	return films, nil
}

// TrendingFilms returns the films readers rated most within
// film.TrendingWindow before now.
func (db *DB) TrendingFilms(ctx context.Context, now time.Time, limit int) ([]film.TrendingFilm, error) {
	since := now.Add(-film.TrendingWindow).UTC().Format(timeLayout)
	var out []film.TrendingFilm
	err := db.inReadTx(ctx, func(tx *sql.Tx) error {
		type count struct {
			filmID int64
			n      int
		}
		counts, err := scanAll(ctx, tx, `SELECT film_id, count(*) AS n FROM ratings INDEXED BY ratings_by_film_time
			WHERE updated_at > ? GROUP BY film_id ORDER BY n DESC, film_id DESC LIMIT ?`, []any{since, limit},
			func(rows *sql.Rows) (c count, err error) {
				err = rows.Scan(&c.filmID, &c.n)
				return
			})
		if err != nil {
			return err
		}
		for _, c := range counts {
			films, err := scanAll(ctx, tx, `SELECT `+listedFilmColumns+` FROM films f WHERE f.id = ?`, []any{c.filmID}, scanListedFilm)
			if err != nil {
				return err
			}
			if len(films) == 1 {
				out = append(out, film.TrendingFilm{Film: films[0], RecentRatings: c.n})
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("trending films: %w", err)
	}
	return out, nil
}

// CriticReviewsOfPersonsFilms returns the newest public critic reviews of
// films a person is credited on.
func (db *DB) CriticReviewsOfPersonsFilms(ctx context.Context, personID int64, now time.Time, limit int) ([]film.ReviewedFilm, error) {
	var out []film.ReviewedFilm
	err := db.inReadTx(ctx, func(tx *sql.Tx) error {
		reviews, err := scanAll(ctx, tx, `SELECT `+criticReviewColumns+`
			WHERE r.film_id IN (SELECT film_id FROM credits WHERE person_id = ?)
				AND r.status IN ('published', 'scheduled') AND r.published_at <= ?
			ORDER BY r.published_at DESC, r.id DESC LIMIT ?`, []any{personID, now.UTC().Format(timeLayout), limit}, scanCriticReview)
		if err != nil {
			return err
		}
		out, err = withFilms(ctx, tx, reviews)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("reviews of person %d's films: %w", personID, err)
	}
	return out, nil
}

// withFilms pairs each review with a summary of its film.
func withFilms(ctx context.Context, q querier, reviews []film.CriticReview) ([]film.ReviewedFilm, error) {
	out := make([]film.ReviewedFilm, 0, len(reviews))
	for _, r := range reviews {
		s, err := filmSummary(ctx, q, r.FilmSlug)
		if err != nil {
			return nil, err
		}
		out = append(out, film.ReviewedFilm{Film: s, Review: r})
	}
	return out, nil
}
