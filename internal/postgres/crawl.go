package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"marquee/internal/film"
	"marquee/internal/filmsql"
)

// This file is internal/sqlite/crawl.go for PostgreSQL: the sitemap, with
// the time each public page's data last changed, and the Atom feeds of
// critic and reader reviews. Keep the two alike. The sitemap's statements
// are written with ? placeholders and numbered once, when the package
// starts (filmsql.Dialect.Bind).

// criticReviewChange is the change time of a public critic review r: its
// publication, or its last update while public.
const criticReviewChange = `greatest(r.published_at, r.updated_at)`

// The times below are timestamptz, and '-infinity' stands for "never" (as
// '' does on SQLite): greatest() skips NULLs, and what is still
// '-infinity' at the end is read as the zero time.

// sitemapNewestQuery is the newest change of any film, person or public
// critic review at the time its argument gives: the newest lastmod the
// sitemap can hold, each part one step down an index but the critic
// reviews, which read the public ones' rows.
var sitemapNewestQuery = filmsql.PostgreSQL.Bind(`SELECT nullif(greatest(
	(SELECT max(updated_at) FROM films),
	(SELECT max(reader_reviews_changed_at) FROM films),
	(SELECT max(updated_at) FROM people),
	(SELECT max(` + criticReviewChange + `) FROM critic_reviews r WHERE ` + filmsql.PublicCriticReviews + `)), '-infinity')`)

// sitemapCountsQuery is filmsql.SitemapCountsQuery in this store's
// dialect.
var sitemapCountsQuery = filmsql.PostgreSQL.Bind(filmsql.SitemapCountsQuery)

// The statements that list a stretch of one kind of sitemap entry: each
// gives the entry's key (a slug, or a year) and its change time, in the
// kind's order. Those that take the time take it first; the limit and the
// offset follow. A person's reviews are found through their credits: read from
// the reviews' side, every person would walk every public review.
const (
	sitemapFilmsQuery = `SELECT f.slug, nullif(greatest(f.updated_at, f.reader_reviews_changed_at,
		(SELECT max(` + criticReviewChange + `) FROM critic_reviews r WHERE r.film_id = f.id AND ` + filmsql.PublicCriticReviews + `),
		(SELECT max(p.updated_at) FROM credits c JOIN people p ON p.id = c.person_id WHERE c.film_id = f.id)), '-infinity')
	FROM films f ORDER BY f.slug LIMIT ? OFFSET ?`
	sitemapFilmReviewsQuery = `SELECT f.slug, nullif(greatest(f.updated_at, f.reader_reviews_changed_at), '-infinity') FROM films f
	WHERE EXISTS (SELECT 1 FROM reader_reviews r WHERE r.film_id = f.id AND r.status = 'approved')
	ORDER BY f.slug LIMIT ? OFFSET ?`
	sitemapPeopleQuery = `SELECT p.slug, nullif(greatest(p.updated_at,
		(SELECT max(f.updated_at) FROM credits c JOIN films f ON f.id = c.film_id WHERE c.person_id = p.id),
		(SELECT max(` + criticReviewChange + `) FROM credits c JOIN critic_reviews r ON r.film_id = c.film_id
			WHERE c.person_id = p.id AND ` + filmsql.PublicCriticReviews + `)), '-infinity')
	FROM people p ORDER BY p.slug LIMIT ? OFFSET ?`
	sitemapCompaniesQuery = `SELECT c.slug,
		(SELECT max(f.updated_at) FROM film_companies fc JOIN films f ON f.id = fc.film_id WHERE fc.company_id = c.id)
	FROM companies c WHERE EXISTS (SELECT 1 FROM film_companies fc WHERE fc.company_id = c.id)
	ORDER BY c.slug LIMIT ? OFFSET ?`
	sitemapYearsQuery = `SELECT y.value, (SELECT max(f.updated_at) FROM films f WHERE f.year = y.value::integer)
	FROM facet_counts y WHERE y.kind = 'year' AND y.films > 0 ORDER BY y.value LIMIT ? OFFSET ?`
	sitemapCriticReviewsQuery = `SELECT r.slug, greatest(` + criticReviewChange + `, f.updated_at)
	FROM critic_reviews r JOIN films f ON f.id = r.film_id
	WHERE ` + filmsql.PublicCriticReviews + ` ORDER BY r.published_at, r.id LIMIT ? OFFSET ?`
)

// sitemapLists are the kinds of sitemap entry read from tables, their
// statements in this store's dialect, made once when the package starts.
var sitemapLists = filmsql.SitemapLists(filmsql.PostgreSQL, filmsql.SitemapQueries{
	Films: sitemapFilmsQuery, FilmReviews: sitemapFilmReviewsQuery, People: sitemapPeopleQuery,
	Companies: sitemapCompaniesQuery, Years: sitemapYearsQuery, CriticReviews: sitemapCriticReviewsQuery,
})

// SitemapEntries returns the stretch of the sitemap from offset, at most
// limit entries, in one read transaction: the counts of each kind place
// the stretch, and each kind it covers is read from its own offset.
func (db *DB) SitemapEntries(ctx context.Context, now time.Time, offset, limit int) (film.SitemapPage, error) {
	at := storedTime(now)
	offset, limit = max(0, offset), max(0, limit)
	var page film.SitemapPage
	err := db.inPageTx(ctx, func(tx pgx.Tx) error {
		page = film.SitemapPage{}
		counts := make([]int, len(sitemapLists))
		dest := make([]any, len(counts))
		for i := range counts {
			dest[i] = &counts[i]
		}
		if err := tx.QueryRow(ctx, sitemapCountsQuery, at).Scan(dest...); err != nil {
			return fmt.Errorf("count: %w", err)
		}
		var newest *time.Time
		if err := tx.QueryRow(ctx, sitemapNewestQuery, at).Scan(&newest); err != nil {
			return fmt.Errorf("newest change: %w", err)
		}
		page.Newest = readTime(newest)
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
			entries, err := scanAll(ctx, tx, l.Query, args, func(rows pgx.Rows) (film.SitemapEntry, error) {
				var (
					key     string
					lastMod *time.Time
				)
				if err := rows.Scan(&key, &lastMod); err != nil {
					return film.SitemapEntry{}, err
				}
				return filmsql.SitemapEntry(l.Kind, key, readTime(lastMod))
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
