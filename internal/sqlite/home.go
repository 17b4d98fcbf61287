package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
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
	ORDER BY r.published_at DESC, r.id DESC LIMIT +?`

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
	WHERE f.rating_count >= ? ORDER BY f.rating_score DESC, f.rating_count DESC, f.id DESC LIMIT +?`

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
		WHERE updated_at > ? AND held_burst IS NULL GROUP BY film_id ORDER BY n DESC, film_id DESC LIMIT +?) t
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
	ORDER BY r.published_at DESC, r.id DESC LIMIT +?`

// reviewedFilmsQuery reads the critic reviews whose ids its argument
// lists (a JSON array), with their films' summaries, in no order.
const reviewedFilmsQuery = `SELECT ` + filmsql.CriticReviewSelect + `, ` + summaryColumns +
	filmsql.CriticReviewFrom + ` WHERE r.id IN (SELECT value FROM json_each(?))`

// criticReviewStampsQuery reads, for the films its argument lists (a JSON
// array of ids), when each of their public or scheduled critic reviews
// goes public: what a page transaction keeps for a film (memo.go) and
// filters by the time itself, since a scheduled review goes public
// without a write.
const criticReviewStampsQuery = `SELECT r.film_id, r.id, r.published_at FROM critic_reviews r
	WHERE r.film_id IN (SELECT value FROM json_each(?)) AND r.status IN ('published', 'scheduled')`

// reviewStamps are a film's public or scheduled critic reviews, by id,
// with the time each goes public as stored.
type reviewStamps struct {
	filmID int64
	ids    []int64
	times  []string
}

// criticReviewsOfPersonsFilms returns the newest public critic reviews of
// the films a person is credited on, at most limit, newest first. In a
// page transaction the films' review times and the reviews themselves
// come from the memos once read at the same data version (an export reads
// each film's for every person credited on it); otherwise two statements
// pick the ids and read those reviews.
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
	at := now.UTC().Format(timeLayout)
	page, _ := q.(preparedTx)
	var ids []int64
	if page.stamps == nil {
		var err error
		ids, err = scanAll(ctx, q, criticReviewsOfFilmsQuery, []any{idList(filmIDs), at, limit},
			func(rows *sql.Rows) (id int64, err error) {
				err = rows.Scan(&id)
				return
			})
		if err != nil {
			return nil, err
		}
	} else {
		stamps, err := filmReviewStamps(ctx, page, filmIDs)
		if err != nil {
			return nil, err
		}
		ids = newestPublic(stamps, at, limit)
	}
	if len(ids) == 0 {
		return nil, nil
	}
	byID, missing := map[int64]film.ReviewedFilm{}, ids
	if page.reviewed != nil {
		if found, rest := page.reviewed.getMany(page.version(), ids); found != nil {
			byID, missing = found, rest
		}
	}
	if len(missing) > 0 {
		rows, err := scanAll(ctx, q, reviewedFilmsQuery, []any{idList(missing)}, scanReviewedFilm)
		if err != nil {
			return nil, fmt.Errorf("reviews of a person's films: %w", err)
		}
		for _, r := range rows {
			byID[r.Review.ID] = r
		}
		if page.reviewed != nil {
			page.reviewed.put(page.version(), rows...)
		}
	}
	out := make([]film.ReviewedFilm, 0, len(ids))
	for _, id := range ids {
		if r, ok := byID[id]; ok {
			out = append(out, r)
		}
	}
	return out, nil
}

// filmReviewStamps returns the review times of films, from the memo or
// read (and kept) for those it does not hold; a film without reviews is
// kept too, as none.
func filmReviewStamps(ctx context.Context, page preparedTx, filmIDs []int64) ([]reviewStamps, error) {
	found, missing := page.stamps.getMany(page.version(), filmIDs)
	out := make([]reviewStamps, 0, len(filmIDs))
	for _, s := range found {
		out = append(out, s)
	}
	if len(missing) == 0 {
		return out, nil
	}
	read := make(map[int64]*reviewStamps, len(missing))
	for _, id := range missing {
		read[id] = &reviewStamps{filmID: id}
	}
	rows, err := page.QueryContext(ctx, criticReviewStampsQuery, idList(missing))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var (
			filmID, id int64
			published  string
		)
		if err := rows.Scan(&filmID, &id, &published); err != nil {
			return nil, err
		}
		if s := read[filmID]; s != nil {
			s.ids, s.times = append(s.ids, id), append(s.times, published)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	kept := make([]reviewStamps, 0, len(read))
	for _, s := range read {
		kept = append(kept, *s)
	}
	page.stamps.put(page.version(), kept...)
	return append(out, kept...), nil
}

// newestPublic picks, from films' review times, the ids of the newest
// limit reviews public at the time at, as criticReviewsOfFilmsQuery
// orders them (the time, then the id, both newest first).
func newestPublic(stamps []reviewStamps, at string, limit int) []int64 {
	type stamp struct {
		id   int64
		time string
	}
	var public []stamp
	for _, s := range stamps {
		for i, t := range s.times {
			if t <= at {
				public = append(public, stamp{s.ids[i], t})
			}
		}
	}
	slices.SortFunc(public, func(a, b stamp) int {
		if c := cmp.Compare(b.time, a.time); c != 0 {
			return c
		}
		return cmp.Compare(b.id, a.id)
	})
	ids := make([]int64, 0, min(len(public), max(limit, 0)))
	for _, p := range public[:min(len(public), max(limit, 0))] {
		ids = append(ids, p.id)
	}
	return ids
}
