package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"marquee/internal/film"
	"marquee/internal/filmsql"
)

// DB keeps the whole store contract.
var _ film.Store = (*DB)(nil)

// This file answers for whole pages: each method reads everything one page
// shows inside one read transaction, so the page is one snapshot of the
// database (WAL gives a read transaction a fixed view from its first read).
// The lowercase helpers it calls take a querier and live beside their
// tables' other queries.

// FilmPage reads a film's page: the record, the public critic reviews and
// their score, the most helpful approved reader reviews, the ratings, and
// the asking reader's own rating.
func (db *DB) FilmPage(ctx context.Context, q film.FilmPageQuery) (film.FilmPage, error) {
	var p film.FilmPage
	err := db.inPageTx(ctx, func(tx querier) error {
		var err error
		if p.Film, err = findFilm(ctx, tx, q.Slug); err != nil {
			return err
		}
		id := p.Film.ID
		if p.Poster, p.Stills, err = filmImages(ctx, tx, id); err != nil {
			return err
		}
		if p.Portraits, err = creditedPortraits(ctx, tx, id); err != nil {
			return err
		}
		if p.CriticReviews, err = publishedCriticReviews(ctx, tx, id, q.Now); err != nil {
			return err
		}
		if p.CriticScore, err = criticScore(ctx, tx, id, q.Now); err != nil {
			return err
		}
		p.ReaderReviews, err = readerReviews(ctx, tx, film.ReaderReviewFilter{FilmID: id, Sort: film.SortHelpful, Limit: q.ReaderReviews})
		if err != nil {
			return err
		}
		if p.Ratings, err = ratingStats(ctx, tx, id); err != nil {
			return fmt.Errorf("rating stats: %w", err)
		}
		if q.ReaderTokenHash == nil {
			return nil
		}
		p.ReaderID, err = findReader(ctx, tx, q.ReaderTokenHash)
		if errors.Is(err, film.ErrNotFound) {
			p.ReaderID, err = 0, nil
		}
		if err != nil || p.ReaderID == 0 {
			return err
		}
		p.YourRating, err = readerRating(ctx, tx, id, p.ReaderID)
		return err
	})
	if err != nil {
		return film.FilmPage{}, fmt.Errorf("film page %q: %w", q.Slug, err)
	}
	return p, nil
}

// PersonPage reads a person's page: the person, their credits and the
// latest critic reviews of their films.
func (db *DB) PersonPage(ctx context.Context, slug string, now time.Time, reviewLimit int) (film.PersonPage, error) {
	var p film.PersonPage
	err := db.inPageTx(ctx, func(tx querier) error {
		var err error
		if p.Person, p.Credits, err = findPerson(ctx, tx, slug); err != nil {
			return err
		}
		p.KnownFor = film.RankKnownFor(p.Credits, film.KnownForLimit)
		if p.Reviews, err = criticReviewsOfPersonsFilms(ctx, tx, p.Credits, now, reviewLimit); err != nil {
			return err
		}
		byID, err := portraits(ctx, tx, []int64{p.Person.ID})
		if err != nil {
			return err
		}
		p.Portrait = byID[p.Person.ID]
		var sums []*film.Summary
		for i := range p.Credits {
			sums = append(sums, &p.Credits[i].Film)
		}
		for i := range p.Reviews {
			sums = append(sums, &p.Reviews[i].Film)
		}
		for i := range p.KnownFor {
			sums = append(sums, &p.KnownFor[i].Film)
		}
		return attachPosters(ctx, tx, sums)
	})
	if err != nil {
		return film.PersonPage{}, fmt.Errorf("person page %q: %w", slug, err)
	}
	return p, nil
}

// HomePage reads the front page's sections, each at most limit long.
func (db *DB) HomePage(ctx context.Context, now time.Time, limit int) (film.HomePage, error) {
	var p film.HomePage
	err := db.inPageTx(ctx, func(tx querier) error {
		var err error
		if p.LatestReviews, err = latestCriticReviews(ctx, tx, now, limit); err != nil {
			return err
		}
		recent, err := filmList(ctx, tx, film.FilmFilter{Sort: film.SortRecent, Limit: limit})
		if err != nil {
			return err
		}
		p.FilmCount = recent.Total
		// Films never reviewed sort last; they are not "recently reviewed".
		for _, f := range recent.Films {
			if !f.LastReviewAt.IsZero() {
				p.RecentlyReviewed = append(p.RecentlyReviewed, f)
			}
		}
		if p.TopRated, err = topRatedFilms(ctx, tx, limit); err != nil {
			return err
		}
		if p.Trending, err = trendingFilms(ctx, tx, now, limit); err != nil {
			return err
		}
		var sums []*film.Summary
		for i := range p.LatestReviews {
			sums = append(sums, &p.LatestReviews[i].Film)
		}
		for _, list := range [][]film.ListedFilm{p.RecentlyReviewed, p.TopRated} {
			for i := range list {
				sums = append(sums, &list[i].Summary)
			}
		}
		for i := range p.Trending {
			sums = append(sums, &p.Trending[i].Film.Summary)
		}
		return attachPosters(ctx, tx, sums)
	})
	if err != nil {
		return film.HomePage{}, fmt.Errorf("home page: %w", err)
	}
	return p, nil
}

// ReaderReviewsPage reads one page of a film's approved reader reviews with
// the film's ratings. After the first of a film's pages at a data version,
// the memos hold all three (an export asks for about eighteen), and the
// read begins no transaction (readPage).
func (db *DB) ReaderReviewsPage(ctx context.Context, slug string, f film.ReaderReviewFilter) (film.ReaderReviewsPage, error) {
	p, err := readPage(ctx, db, func(tx querier) (film.ReaderReviewsPage, error) {
		var p film.ReaderReviewsPage
		var err error
		if p.Film, err = filmSummary(ctx, tx, slug); err != nil {
			return p, err
		}
		f.FilmID = p.Film.ID
		if p.Reviews, err = readerReviews(ctx, tx, f); err != nil {
			return p, err
		}
		p.Ratings, err = ratingStats(ctx, tx, p.Film.ID)
		return p, err
	})
	if err != nil {
		return film.ReaderReviewsPage{}, fmt.Errorf("reader reviews page %q: %w", slug, err)
	}
	return p, nil
}

// ReviewFormPage reads what the reader review form starts from: the film
// and the asking reader's rating of it, if the site knows the reader.
func (db *DB) ReviewFormPage(ctx context.Context, slug string, readerTokenHash []byte) (film.ReviewFormPage, error) {
	var p film.ReviewFormPage
	err := db.inPageTx(ctx, func(tx querier) error {
		var err error
		if p.Film, err = filmSummary(ctx, tx, slug); err != nil || readerTokenHash == nil {
			return err
		}
		readerID, err := findReader(ctx, tx, readerTokenHash)
		if errors.Is(err, film.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		p.YourRating, err = readerRating(ctx, tx, p.Film.ID, readerID)
		return err
	})
	if err != nil {
		return film.ReviewFormPage{}, fmt.Errorf("review form page %q: %w", slug, err)
	}
	return p, nil
}

// FilmIndex reads a page of the film index with the labels of the
// filter's values and, when asked, the facet counts. A filter value that
// no film has is film.ErrNotFound.
func (db *DB) FilmIndex(ctx context.Context, q film.FilmIndexQuery) (film.FilmIndexPage, error) {
	p := film.FilmIndexPage{Labels: map[string]string{}}
	f := q.Filter
	err := db.inPageTx(ctx, func(tx querier) error {
		for _, v := range filmsql.FilterValues(f) {
			label, ok, err := facetLabel(ctx, tx, v.Kind, v.Value)
			if err != nil {
				return err
			}
			if !ok {
				return fmt.Errorf("%s %q: %w", v.Kind, v.Value, film.ErrNotFound)
			}
			p.Labels[v.Kind] = label
		}
		var err error
		if p.List, err = filmList(ctx, tx, f); err != nil {
			return err
		}
		sums := make([]*film.Summary, len(p.List.Films))
		for i := range p.List.Films {
			sums[i] = &p.List.Films[i].Summary
		}
		if err := attachPosters(ctx, tx, sums); err != nil {
			return err
		}
		if q.FacetLimit > 0 {
			if p.Facets, err = facets(ctx, tx, f, q.FacetLimit); err != nil {
				return err
			}
		}
		if f.Year != 0 {
			p.PrevYear, p.NextYear, err = neighbourYears(ctx, tx, f.Year)
		}
		return err
	})
	if err != nil {
		return film.FilmIndexPage{}, fmt.Errorf("film index: %w", err)
	}
	return p, nil
}

// ModerationPage reads one page of the moderation queue with the counts
// per state and the films to filter by.
func (db *DB) ModerationPage(ctx context.Context, f film.ModerationFilter) (film.ModerationPage, error) {
	var p film.ModerationPage
	err := db.inPageTx(ctx, func(tx querier) error {
		var err error
		if f.FilmSlug != "" {
			if p.Film, err = filmSummary(ctx, tx, f.FilmSlug); err != nil {
				return err
			}
		}
		if p.Films, err = moderationFilms(ctx, tx, f.Status); err != nil {
			return err
		}
		if p.Counts, err = moderationCounts(ctx, tx, f.FilmSlug); err != nil {
			return err
		}
		p.Items, p.Total, err = moderationQueue(ctx, tx, f)
		return err
	})
	if err != nil {
		return film.ModerationPage{}, fmt.Errorf("moderation page: %w", err)
	}
	return p, nil
}

// The statements of neighbourYears. Years are stored as four-digit text
// (1870 to 2200), so text order is year order and the key can be used.
const (
	prevYearQuery = `SELECT value FROM facet_counts WHERE kind = 'year' AND value < ? AND films > 0 ORDER BY value DESC LIMIT 1`
	nextYearQuery = `SELECT value FROM facet_counts WHERE kind = 'year' AND value > ? AND films > 0 ORDER BY value LIMIT 1`
)

// neighbourYears returns the nearest years before and after year that
// have films, 0 for none.
func neighbourYears(ctx context.Context, q querier, year int) (prev, next int, err error) {
	for _, s := range []struct {
		query string
		dest  *int
	}{{prevYearQuery, &prev}, {nextYearQuery, &next}} {
		var v string
		err := q.QueryRowContext(ctx, s.query, strconv.Itoa(year)).Scan(&v)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return 0, 0, fmt.Errorf("years beside %d: %w", year, err)
		}
		if *s.dest, err = strconv.Atoi(v); err != nil {
			return 0, 0, fmt.Errorf("years beside %d: %w", year, err)
		}
	}
	return prev, next, nil
}
