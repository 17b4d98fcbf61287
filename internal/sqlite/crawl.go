package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"marquee/internal/film"
	"marquee/internal/filmsql"
)

// This file answers crawlers and feed readers: the sitemap, with the time
// each public page's data last changed, and the Atom feeds of critic and
// reader reviews.

// criticReviewChange is the change time of a public critic review r: its
// publication, or its last update while public.
const criticReviewChange = `max(r.published_at, coalesce(r.updated_at, ''))`

// sitemapNewestQuery is the newest change of any film, person or public
// critic review at the time its argument gives: the newest lastmod the
// sitemap can hold, each part one step down an index but the critic
// reviews, which read the public ones' rows.
const sitemapNewestQuery = `SELECT max(
	coalesce((SELECT max(updated_at) FROM films), ''),
	coalesce((SELECT max(reader_reviews_changed_at) FROM films), ''),
	coalesce((SELECT max(updated_at) FROM people), ''),
	coalesce((SELECT max(` + criticReviewChange + `) FROM critic_reviews r WHERE ` + filmsql.PublicCriticReviews + `), ''))`

// The statements that list a stretch of one kind of sitemap entry: each
// gives the entry's key (a slug, or a year) and its change time, in the
// kind's order. Those that take the time take it first; the limit and the
// offset follow. A person's reviews are found through their credits (the
// CROSS JOIN keeps that order): read from the reviews' side, every person
// would walk every public review.
const (
	sitemapFilmsQuery = `SELECT f.slug, max(f.updated_at, f.reader_reviews_changed_at,
		coalesce((SELECT max(` + criticReviewChange + `) FROM critic_reviews r WHERE r.film_id = f.id AND ` + filmsql.PublicCriticReviews + `), ''),
		coalesce((SELECT max(p.updated_at) FROM credits c JOIN people p ON p.id = c.person_id WHERE c.film_id = f.id), ''))
	FROM films f ORDER BY f.slug LIMIT +? OFFSET ?`
	sitemapFilmReviewsQuery = `SELECT f.slug, max(f.updated_at, f.reader_reviews_changed_at) FROM films f
	WHERE EXISTS (SELECT 1 FROM reader_reviews r WHERE r.film_id = f.id AND r.status = 'approved')
	ORDER BY f.slug LIMIT +? OFFSET ?`
	sitemapPeopleQuery = `SELECT p.slug, max(p.updated_at,
		coalesce((SELECT max(f.updated_at) FROM credits c JOIN films f ON f.id = c.film_id WHERE c.person_id = p.id), ''),
		coalesce((SELECT max(` + criticReviewChange + `) FROM credits c CROSS JOIN critic_reviews r ON r.film_id = c.film_id
			WHERE c.person_id = p.id AND ` + filmsql.PublicCriticReviews + `), ''))
	FROM people p ORDER BY p.slug LIMIT +? OFFSET ?`
	sitemapCompaniesQuery = `SELECT c.slug,
		coalesce((SELECT max(f.updated_at) FROM film_companies fc JOIN films f ON f.id = fc.film_id WHERE fc.company_id = c.id), '')
	FROM companies c WHERE EXISTS (SELECT 1 FROM film_companies fc WHERE fc.company_id = c.id)
	ORDER BY c.slug LIMIT +? OFFSET ?`
	// The years are read in the primary key's order; the unary plus keeps
	// the planner, which does not know the LIMIT (filmsql.Dialect.Limit), from
	// reading the index by count instead and sorting.
	sitemapYearsQuery = `SELECT y.value, coalesce((SELECT max(f.updated_at) FROM films f WHERE f.year = CAST(y.value AS INTEGER)), '')
	FROM facet_counts y WHERE y.kind = 'year' AND +y.films > 0 ORDER BY y.value LIMIT +? OFFSET ?`
	sitemapCriticReviewsQuery = `SELECT r.slug, max(` + criticReviewChange + `, f.updated_at)
	FROM critic_reviews r INDEXED BY critic_reviews_public JOIN films f ON f.id = r.film_id
	WHERE ` + filmsql.PublicCriticReviews + ` ORDER BY r.published_at, r.id LIMIT +? OFFSET ?`
)

// sitemapLists are the kinds of sitemap entry read from tables, their
// statements in this store's dialect, made once when the package starts.
var sitemapLists = filmsql.SitemapLists(filmsql.SQLite, filmsql.SitemapQueries{
	Films: sitemapFilmsQuery, FilmReviews: sitemapFilmReviewsQuery, People: sitemapPeopleQuery,
	Companies: sitemapCompaniesQuery, Years: sitemapYearsQuery, CriticReviews: sitemapCriticReviewsQuery,
})

// SitemapEntries returns the stretch of the sitemap from offset, at most
// limit entries, in one read transaction: the counts of each kind place
// the stretch, and each kind it covers is read from its own offset.
func (db *DB) SitemapEntries(ctx context.Context, now time.Time, offset, limit int) (film.SitemapPage, error) {
	at := now.UTC().Format(timeLayout)
	offset, limit = max(0, offset), max(0, limit)
	var page film.SitemapPage
	err := db.inPageTx(ctx, func(tx querier) error {
		page = film.SitemapPage{}
		counts := make([]int, len(sitemapLists))
		dest := make([]any, len(counts))
		for i := range counts {
			dest[i] = &counts[i]
		}
		if err := tx.QueryRowContext(ctx, filmsql.SitemapCountsQuery, at).Scan(dest...); err != nil {
			return fmt.Errorf("count: %w", err)
		}
		var newest sql.NullString
		if err := tx.QueryRowContext(ctx, sitemapNewestQuery, at).Scan(&newest); err != nil {
			return fmt.Errorf("newest change: %w", err)
		}
		var err error
		if page.Newest, err = parseTime(newest); err != nil {
			return err
		}
		var fixed []film.SitemapEntry
		var reads []filmsql.SitemapRead
		page.Total, fixed, reads = filmsql.SitemapStretch(counts, offset, limit, page.Newest)
		page.Entries = append(page.Entries, fixed...)
		for _, r := range reads {
			l := sitemapLists[r.List]
			args := []any{r.Limit, r.Offset}
			if l.WithNow {
				args = append([]any{at}, args...)
			}
			entries, err := scanAll(ctx, tx, l.Query, args, func(rows *sql.Rows) (film.SitemapEntry, error) {
				var (
					key     string
					lastMod sql.NullString
				)
				if err := rows.Scan(&key, &lastMod); err != nil {
					return film.SitemapEntry{}, err
				}
				changed, err := parseTime(lastMod)
				if err != nil {
					return film.SitemapEntry{}, err
				}
				return filmsql.SitemapEntry(l.Kind, key, changed)
			})
			if err != nil {
				return fmt.Errorf("%s entries: %w", l.Kind, err)
			}
			page.Entries = append(page.Entries, entries...)
		}
		return nil
	})
	if err != nil {
		return film.SitemapPage{}, fmt.Errorf("sitemap from %d: %w", offset, err)
	}
	return page, nil
}

// ReviewFeed returns the newest critic reviews public at now, with their
// films, as the home page lists them.
func (db *DB) ReviewFeed(ctx context.Context, now time.Time, limit int) ([]film.ReviewedFilm, error) {
	var out []film.ReviewedFilm
	err := db.inPageTx(ctx, func(tx querier) error {
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
	filmFeedFilmQuery          = `SELECT ` + summaryColumns + `, f.updated_at FROM films f WHERE f.slug = ?`
	filmFeedReaderReviewsQuery = `SELECT r.id, f.slug, r.display_name, r.title, r.rating, r.body, r.spoilers, r.status,
		r.created_at, r.helpful_count, coalesce(r.moderated_at, r.created_at)
	FROM reader_reviews r JOIN films f ON f.id = r.film_id
	WHERE r.film_id = ? AND r.status = 'approved'
	ORDER BY r.created_at DESC, r.id DESC LIMIT +?`
)

// FilmFeed returns a film's public critic reviews and approved reader
// reviews, newest first, at most limit of each, in one read transaction.
func (db *DB) FilmFeed(ctx context.Context, slug string, now time.Time, limit int) (film.FilmFeed, error) {
	var feed film.FilmFeed
	err := db.inPageTx(ctx, func(tx querier) error {
		feed = film.FilmFeed{}
		dest, finish := summaryDest(&feed.Film)
		var updated sql.NullString
		err := tx.QueryRowContext(ctx, filmFeedFilmQuery, slug).Scan(append(dest, &updated)...)
		if errors.Is(err, sql.ErrNoRows) {
			return film.ErrNotFound
		}
		if err != nil {
			return err
		}
		finish()
		if feed.UpdatedAt, err = parseTime(updated); err != nil {
			return err
		}
		critics, err := publishedCriticReviews(ctx, tx, feed.Film.ID, now)
		if err != nil {
			return err
		}
		feed.CriticReviews = critics[:min(len(critics), max(0, limit))]
		feed.ReaderReviews, err = feedReaderReviews(ctx, tx, feed.Film.ID, limit)
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

// feedReaderReviews returns a film's newest approved reader reviews, at
// most limit, each with the rating it was stored with and when it was
// approved: from the film's reviews kept whole by the memo when they are
// (keptReaderReviews), else with SQL.
func feedReaderReviews(ctx context.Context, tx querier, filmID int64, limit int) ([]film.FeedReaderReview, error) {
	kept, ok, err := keptReaderReviews(ctx, tx, filmID)
	if err != nil {
		return nil, err
	}
	if ok {
		newest := kept.sorted(film.ReaderReviewFilter{Sort: film.SortNewest})
		if limit >= 0 { // As in SQL, a negative limit is none.
			newest = newest[:min(len(newest), limit)]
		}
		var out []film.FeedReaderReview
		for _, r := range newest {
			fr := film.FeedReaderReview{Review: r.ReaderReview, ApprovedAt: r.approvedAt}
			fr.Review.Rating = r.storedRating
			out = append(out, fr)
		}
		return out, nil
	}
	return scanAll(ctx, tx, filmFeedReaderReviewsQuery, []any{filmID, limit},
		func(rows *sql.Rows) (film.FeedReaderReview, error) {
			var (
				fr                film.FeedReaderReview
				created, approved sql.NullString
			)
			r := &fr.Review
			if err := rows.Scan(&r.ID, &r.FilmSlug, &r.DisplayName, &r.Title, &r.Rating, &r.Body, &r.Spoilers, &r.Status,
				&created, &r.HelpfulCount, &approved); err != nil {
				return fr, err
			}
			var err error
			if r.CreatedAt, err = parseTime(created); err != nil {
				return fr, err
			}
			fr.ApprovedAt, err = parseTime(approved)
			return fr, err
		})
}
