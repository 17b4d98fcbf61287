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

// criticReviewsOfFilmsQuery picks the newest public critic reviews of the
// films its first argument lists (a JSON array of ids), by id; the others
// are the time and the limit. It starts from the films (CROSS JOIN keeps
// that order) and sorts their reviews, a few: walking every public review
// in date order until enough belong to those films would cost a person
// with little reviewed work a scan of every review on the site. Only ids
// go through the sort; reviewedFilmsQuery reads the few it keeps.
const criticReviewsOfFilmsQuery = `SELECT r.id FROM json_each(?) film_ids
	CROSS JOIN critic_reviews r ON r.film_id = film_ids.value
	WHERE r.status IN ('published', 'scheduled') AND r.published_at <= ?
	ORDER BY r.published_at DESC, r.id DESC LIMIT ?`

// reviewedFilmsQuery reads the critic reviews whose ids its argument
// lists (a JSON array), with their films' summaries, in no order.
const reviewedFilmsQuery = `SELECT ` + filmsql.CriticReviewSelect + `, ` + summaryColumns +
	filmsql.CriticReviewFrom + ` WHERE r.id IN (SELECT value FROM json_each(?))`

// criticReviewsOfPersonsFilms returns the newest public critic reviews of
// the films a person is credited on, at most limit, newest first.
func criticReviewsOfPersonsFilms(ctx context.Context, q querier, credits []film.PersonCredit, now time.Time, limit int) ([]film.ReviewedFilm, error) {
	var filmIDs []int64
	for i, c := range credits {
		if i == 0 || credits[i-1].Film.ID != c.Film.ID {
			filmIDs = append(filmIDs, c.Film.ID)
		}
	}
	if len(filmIDs) == 0 {
		return nil, nil
	}
	ids, err := scanAll(ctx, q, criticReviewsOfFilmsQuery, []any{idList(filmIDs), now.UTC().Format(timeLayout), limit},
		func(rows *sql.Rows) (id int64, err error) {
			err = rows.Scan(&id)
			return
		})
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	rows, err := scanAll(ctx, q, reviewedFilmsQuery, []any{idList(ids)}, scanReviewedFilm)
	if err != nil {
		return nil, fmt.Errorf("reviews of a person's films: %w", err)
	}
	byID := make(map[int64]film.ReviewedFilm, len(rows))
	for _, r := range rows {
		byID[r.Review.ID] = r
	}
	out := make([]film.ReviewedFilm, 0, len(ids))
	for _, id := range ids {
		if r, ok := byID[id]; ok {
			out = append(out, r)
		}
	}
	return out, nil
}
