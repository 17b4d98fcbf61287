package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"marquee/internal/film"
	"marquee/internal/filmsql"
)

// latestCriticReviewsQuery lists the newest public critic reviews with
// their films' summaries; its arguments are the time and the limit. The
// partial index of public reviews gives them in date order, so the query
// stops after the first few instead of sorting them all.
const latestCriticReviewsQuery = `SELECT ` + filmsql.CriticReviewSelect + `, ` + summaryColumns + `
	FROM critic_reviews r INDEXED BY critic_reviews_public` + filmsql.CriticReviewJoins + `
	WHERE r.status IN ('published', 'scheduled') AND r.published_at <= ?
	ORDER BY r.published_at DESC, r.id DESC LIMIT ?`

// latestCriticReviews returns the newest public critic reviews with their
// films.
func latestCriticReviews(ctx context.Context, q querier, now time.Time, limit int) ([]film.ReviewedFilm, error) {
	out, err := scanAll(ctx, q, latestCriticReviewsQuery, []any{now.UTC().Format(timeLayout), limit}, scanReviewedFilm)
	if err != nil {
		return nil, fmt.Errorf("latest critic reviews: %w", err)
	}
	return out, nil
}

// scanReviewedFilm reads a critic review followed by its film's summary
// columns.
func scanReviewedFilm(rows *sql.Rows) (film.ReviewedFilm, error) {
	var rf film.ReviewedFilm
	reviewDest, finishReview := criticReviewDest(&rf.Review)
	summaryDest, finishSummary := summaryDest(&rf.Film)
	if err := rows.Scan(append(reviewDest, summaryDest...)...); err != nil {
		return rf, err
	}
	finishSummary()
	return rf, finishReview()
}

// topRatedFilmsQuery lists the films with the highest Bayesian score
// (film.BayesPrior) among those with at least as many ratings as its first
// argument; the second is the limit.
const topRatedFilmsQuery = `SELECT ` + listedFilmColumns + ` FROM films f INDEXED BY films_by_rating_score
	WHERE f.rating_count >= ? ORDER BY f.rating_score DESC, f.rating_count DESC, f.id DESC LIMIT ?`

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
		SELECT film_id, count(*) AS n FROM ratings INDEXED BY ratings_published_by_time
		WHERE updated_at > ? AND held_burst IS NULL GROUP BY film_id ORDER BY n DESC, film_id DESC LIMIT ?) t
	CROSS JOIN films f ON f.id = t.film_id
	ORDER BY t.n DESC, t.film_id DESC`

// trendingFilms returns the films readers rated most within
// film.TrendingWindow before now.
func trendingFilms(ctx context.Context, q querier, now time.Time, limit int) ([]film.TrendingFilm, error) {
	since := now.Add(-film.TrendingWindow).UTC().Format(timeLayout)
	out, err := scanAll(ctx, q, trendingFilmsQuery, []any{since, limit},
		func(rows *sql.Rows) (tf film.TrendingFilm, err error) {
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

// criticReviewsOfPersonsFilmsQuery lists the newest public critic
// reviews, with their films' summaries, of the films the person its first
// argument names is credited on; the others are the time and the limit.
// It starts from the person's films (CROSS JOIN keeps that order) and
// sorts their reviews, a few: walking every public review in date order
// until enough belong to the person's films would cost a person with
// little reviewed work a scan of every review on the site.
const criticReviewsOfPersonsFilmsQuery = `SELECT ` + filmsql.CriticReviewSelect + `, ` + summaryColumns + `
	FROM (SELECT DISTINCT film_id FROM credits WHERE person_id = ?) pf
	CROSS JOIN critic_reviews r ON r.film_id = pf.film_id` + filmsql.CriticReviewJoins + `
	WHERE r.status IN ('published', 'scheduled') AND r.published_at <= ?
	ORDER BY r.published_at DESC, r.id DESC LIMIT ?`

// criticReviewsOfPersonsFilms returns the newest public critic reviews of
// films a person is credited on.
func criticReviewsOfPersonsFilms(ctx context.Context, q querier, personID int64, now time.Time, limit int) ([]film.ReviewedFilm, error) {
	out, err := scanAll(ctx, q, criticReviewsOfPersonsFilmsQuery, []any{personID, now.UTC().Format(timeLayout), limit}, scanReviewedFilm)
	if err != nil {
		return nil, fmt.Errorf("reviews of person %d's films: %w", personID, err)
	}
	return out, nil
}
