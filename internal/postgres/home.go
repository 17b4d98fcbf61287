package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"marquee/internal/film"
	"marquee/internal/filmsql"
)

// This file is internal/sqlite/home.go for PostgreSQL: the lists of the
// home page. Keep the two alike.

// latestCriticReviewsQuery lists the newest public critic reviews with
// their films' summaries; its arguments are the time and the limit. The
// partial index of public reviews (critic_reviews_public) gives them in
// date order, so the query stops after the first few.
const latestCriticReviewsQuery = `SELECT ` + filmsql.CriticReviewSelect + `, ` + summaryColumns + `
	FROM critic_reviews r` + filmsql.CriticReviewJoins + `
	WHERE r.status IN ('published', 'scheduled') AND r.published_at <= $1
	ORDER BY r.published_at DESC, r.id DESC LIMIT $2`

// latestCriticReviews returns the newest public critic reviews with their
// films.
func latestCriticReviews(ctx context.Context, q querier, now time.Time, limit int) ([]film.ReviewedFilm, error) {
	out, err := scanAll(ctx, q, latestCriticReviewsQuery, []any{now, limit}, scanReviewedFilm)
	if err != nil {
		return nil, fmt.Errorf("latest critic reviews: %w", err)
	}
	return out, nil
}

// topRatedFilmsQuery lists the films with the highest Bayesian score
// (film.BayesPrior) among those with at least as many ratings as its first
// argument; the second is the limit.
const topRatedFilmsQuery = `SELECT ` + listedFilmColumns + ` FROM films f
	WHERE f.rating_count >= $1 ORDER BY f.rating_score DESC, f.rating_count DESC, f.id DESC LIMIT $2`

// topRatedFilms returns the films with the highest Bayesian score among
// those with at least film.MinRatingsForTopRated ratings.
func topRatedFilms(ctx context.Context, q querier, limit int) ([]film.ListedFilm, error) {
	films, err := scanAll(ctx, q, topRatedFilmsQuery, []any{film.MinRatingsForTopRated, limit}, scanListedFilm)
	if err != nil {
		return nil, fmt.Errorf("top rated films: %w", err)
	}
	return films, nil
}

// trendingFilmsQuery lists the films rated most often since its first
// argument, with how many published ratings each had (ratings held back as
// a suspected burst do not count until an editor releases them); the
// second is the limit.
const trendingFilmsQuery = `SELECT ` + listedFilmColumns + `, t.n FROM (
		SELECT film_id, count(*) AS n FROM ratings
		WHERE updated_at > $1 AND held_burst IS NULL GROUP BY film_id ORDER BY n DESC, film_id DESC LIMIT $2) t
	JOIN films f ON f.id = t.film_id
	ORDER BY t.n DESC, t.film_id DESC`

// trendingFilms returns the films readers rated most within
// film.TrendingWindow before now.
func trendingFilms(ctx context.Context, q querier, now time.Time, limit int) ([]film.TrendingFilm, error) {
	out, err := scanAll(ctx, q, trendingFilmsQuery, []any{now.Add(-film.TrendingWindow), limit},
		func(rows pgx.Rows) (tf film.TrendingFilm, err error) {
			dest, finish := listedFilmDest(&tf.Film)
			if err = rows.Scan(append(dest, &tf.RecentRatings)...); err != nil {
				return
			}
			err = finish()
			return
		})
	if err != nil {
		return nil, fmt.Errorf("trending films: %w", err)
	}
	return out, nil
}
