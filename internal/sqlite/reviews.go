package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"time"

	"marquee/internal/film"
	"marquee/internal/filmsql"
)

// publishedCriticReviewsQuery lists a film's public critic reviews, newest
// first; its arguments are the film's id and the time.
const publishedCriticReviewsQuery = `SELECT ` + filmsql.CriticReviewColumns + `
	WHERE r.film_id = ? AND r.status IN ('published', 'scheduled') AND r.published_at <= ?
	ORDER BY r.published_at DESC, r.id DESC`

// publishedCriticReviews returns the critic reviews of a film that are
// published and whose publication time is not after now, newest first.
// Scheduled reviews thus appear at their time with no one acting.
func publishedCriticReviews(ctx context.Context, q querier, filmID int64, now time.Time) ([]film.CriticReview, error) {
	reviews, err := scanAll(ctx, q, publishedCriticReviewsQuery, []any{filmID, now.UTC().Format(timeLayout)}, scanCriticReview)
	if err != nil {
		return nil, fmt.Errorf("published critic reviews of film %d: %w", filmID, err)
	}
	return reviews, nil
}

// publicCriticReviewQuery reads the critic review with the slug its first
// argument gives if the review is public at the second.
const publicCriticReviewQuery = `SELECT ` + filmsql.CriticReviewColumns + `
	WHERE r.slug = ? AND r.status IN ('published', 'scheduled') AND r.published_at <= ?`

// CriticReviewPage returns the critic review with the given slug and a
// summary of its film, if the review is public at now; otherwise
// film.ErrNotFound.
func (db *DB) CriticReviewPage(ctx context.Context, slug string, now time.Time) (film.CriticReviewPage, error) {
	var (
		r film.CriticReview
		s film.Summary
	)
	err := db.inPageTx(ctx, func(tx querier) error {
		reviews, err := scanAll(ctx, tx, publicCriticReviewQuery, []any{slug, now.UTC().Format(timeLayout)}, scanCriticReview)
		if err != nil {
			return err
		}
		if len(reviews) == 0 {
			return film.ErrNotFound
		}
		r = reviews[0]
		s, err = filmSummary(ctx, tx, r.FilmSlug)
		return err
	})
	if err != nil {
		return film.CriticReviewPage{}, fmt.Errorf("critic review page %q: %w", slug, err)
	}
	return film.CriticReviewPage{Review: r, Film: s}, nil
}

// filmSummaryQuery reads the short form of the film with the slug its
// argument gives.
const filmSummaryQuery = `SELECT ` + summaryColumns + ` FROM films f WHERE f.slug = ?`

// filmSummary reads the short form of a film with its directors.
func filmSummary(ctx context.Context, q querier, slug string) (film.Summary, error) {
	page, _ := q.(preparedTx)
	if page.summaries != nil {
		if s, ok := page.summaries.get(page.version(), slug); ok {
			return s, nil
		}
	}
	summaries, err := scanAll(ctx, q, filmSummaryQuery, []any{slug}, scanSummary)
	if err != nil {
		return film.Summary{}, err
	}
	if len(summaries) == 0 {
		return film.Summary{}, film.ErrNotFound
	}
	if page.summaries != nil {
		page.summaries.put(page.version(), summaries[0])
	}
	return summaries[0], nil
}

func scanCriticReview(rows *sql.Rows) (film.CriticReview, error) {
	var r film.CriticReview
	dest, finish := criticReviewDest(&r)
	if err := rows.Scan(dest...); err != nil {
		return r, err
	}
	return r, finish()
}

// criticReviewDest returns where rows.Scan puts the columns of
// filmsql.CriticReviewSelect, and a function that completes r after the scan.
func criticReviewDest(r *film.CriticReview) ([]any, func() error) {
	var (
		ratingValue            sql.NullFloat64
		ratingScale            sql.NullInt64
		publishedAt, updatedAt sql.NullString
	)
	dest := []any{&r.ID, &r.Slug, &r.FilmSlug, &r.Headline, &r.Author, &r.AuthorSlug, &r.Publication, &ratingValue, &ratingScale,
		&r.PullQuote, &r.Body, &r.Spoilers, &r.Status, &publishedAt, &updatedAt}
	return dest, func() (err error) {
		if ratingValue.Valid {
			r.Rating = &film.Rating{Value: ratingValue.Float64, Scale: int(ratingScale.Int64)}
		}
		if r.PublishedAt, err = parseTime(publishedAt); err != nil {
			return err
		}
		r.UpdatedAt, err = parseTime(updatedAt)
		return err
	}
}

// criticScoreQuery counts a film's public, rated critic reviews and
// averages their ratings on a 0–100 scale; its arguments are the film's id
// and the time.
const criticScoreQuery = `SELECT count(*), avg(rating_value * 100.0 / rating_scale) FROM critic_reviews
	WHERE film_id = ? AND status IN ('published', 'scheduled') AND published_at <= ? AND rating_value IS NOT NULL`

// criticScore averages a film's public, rated critic reviews on a 0–100
// scale.
func criticScore(ctx context.Context, q querier, filmID int64, now time.Time) (film.CriticScore, error) {
	var (
		count   int
		average sql.NullFloat64
	)
	err := q.QueryRowContext(ctx, criticScoreQuery, filmID, now.UTC().Format(timeLayout)).Scan(&count, &average)
	if err != nil {
		return film.CriticScore{}, fmt.Errorf("critic score of film %d: %w", filmID, err)
	}
	return film.CriticScore{Count: count, Score: int(math.Round(average.Float64))}, nil
}

// readerReviewColumns is the select list scanReaderReview reads, with the
// rating each review was last stored with (a dump keeps it).
const readerReviewColumns = `r.id, f.slug, r.display_name, r.title, r.rating, r.body, r.spoilers, r.status, r.created_at, r.helpful_count
	FROM reader_reviews r JOIN films f ON f.id = r.film_id`

func scanReaderReview(rows *sql.Rows) (film.ReaderReview, error) {
	var (
		r       film.ReaderReview
		created sql.NullString
		err     error
	)
	if err = rows.Scan(&r.ID, &r.FilmSlug, &r.DisplayName, &r.Title, &r.Rating, &r.Body, &r.Spoilers, &r.Status, &created, &r.HelpfulCount); err != nil {
		return r, err
	}
	r.CreatedAt, err = parseTime(created)
	return r, err
}

// readerReviews returns one page of a film's approved reader reviews in
// the filter's order, and how many there are in all: cut from the film's
// reviews kept whole (keptReaderReviews) when they are, with SQL when not.
func readerReviews(ctx context.Context, tx querier, f film.ReaderReviewFilter) (film.ReaderReviewPage, error) {
	kept, ok, err := keptReaderReviews(ctx, tx, f.FilmID)
	if err != nil {
		return film.ReaderReviewPage{}, fmt.Errorf("reader reviews of film %d: %w", f.FilmID, err)
	}
	if ok {
		return kept.page(f), nil
	}
	countQuery, pageQuery := filmsql.ReaderReviewsQueries(filmsql.SQLite, f)
	var page film.ReaderReviewPage
	err = func() error {
		if err := tx.QueryRowContext(ctx, countQuery, f.FilmID).Scan(&page.Total); err != nil {
			return err
		}
		var err error
		page.Reviews, err = scanAll(ctx, tx, pageQuery, []any{f.FilmID, f.Limit, f.Offset}, scanReaderReview)
		return err
	}()
	if err != nil {
		return film.ReaderReviewPage{}, fmt.Errorf("reader reviews of film %d: %w", f.FilmID, err)
	}
	return page, nil
}

// keptReaderReviews returns a film's approved reader reviews kept whole
// by the memo, in a page read, and reports whether it could. The memo
// keeps them once they are asked for a second time at a data version, or
// at the first ask when there are so few (wholeAtFirstAsk) that reading
// them all costs about what reading one page of them does.
func keptReaderReviews(ctx context.Context, tx querier, filmID int64) (memoReviews, bool, error) {
	memo, isPage := tx.(preparedTx)
	if !isPage || memo.reviews == nil {
		return nil, false, nil
	}
	kept, found, asked := memo.reviews.lookup(memo.version(), filmID)
	switch {
	case found:
		return kept, true, nil
	case asked == tooLarge:
		return nil, false, nil
	case asked == firstAsk:
		var approved int
		if err := tx.QueryRowContext(ctx, approvedReviewsQuery, filmID).Scan(&approved); err != nil {
			return nil, false, err
		}
		if approved > wholeAtFirstAsk {
			return nil, false, nil
		}
	}
	all, err := allReaderReviews(ctx, tx, filmID)
	if err != nil {
		return nil, false, err
	}
	if len(all) > maxMemoFilmReviews {
		memo.reviews.refuse(memo.version(), filmID)
		return nil, false, nil
	}
	memo.reviews.keep(memo.version(), filmID, all, len(all))
	return all, true, nil
}

// wholeAtFirstAsk is the most approved reviews a film may have for the
// memo to read them all at their first ask.
const wholeAtFirstAsk = 40

// approvedReviewsQuery counts a film's approved reader reviews, from the
// index alone.
const approvedReviewsQuery = "SELECT count(*) FROM reader_reviews WHERE film_id = ? AND status = 'approved'"

// allReaderReviewsQuery reads a film's approved reader reviews, with the
// rating and time their orders sort by as stored and when each was
// approved, at most its second argument of them.
const allReaderReviewsQuery = `SELECT r.rating, coalesce(r.created_at, ''), coalesce(r.moderated_at, r.created_at), ` +
	filmsql.PublicReaderReviewColumns + `
	WHERE r.film_id = ? AND r.status = 'approved' LIMIT +?`

// allReaderReviews reads a film's approved reader reviews for the memo,
// one more than it keeps at most, so a longer list shows as too long.
func allReaderReviews(ctx context.Context, tx querier, filmID int64) (memoReviews, error) {
	return scanAll(ctx, tx, allReaderReviewsQuery, []any{filmID, maxMemoFilmReviews + 1}, func(rows *sql.Rows) (memoReview, error) {
		var (
			r                 memoReview
			created, approved sql.NullString
			err               error
		)
		if err = rows.Scan(&r.storedRating, &r.createdText, &approved, &r.ID, &r.FilmSlug, &r.DisplayName, &r.Title, &r.Rating,
			&r.Body, &r.Spoilers, &r.Status, &created, &r.HelpfulCount); err != nil {
			return r, err
		}
		if r.CreatedAt, err = parseTime(created); err != nil {
			return r, err
		}
		r.approvedAt, err = parseTime(approved)
		return r, err
	})
}

// CreateReaderReview stores a submitted reader review (normally pending
// moderation) by the given reader, or by no known reader when readerID is
// zero, and returns its id. A review by a known reader that is not spam
// sets (or replaces) the reader's rating of the film in the same
// transaction: the trigger reader_reviews_rate_after_insert (migration
// 0010) writes it, so imports and this path cannot differ.
func (db *DB) CreateReaderReview(ctx context.Context, r film.ReaderReview, readerID int64) (int64, error) {
	var id int64
	err := db.inWriteTx(ctx, func(tx *sql.Tx) error {
		filmID, err := idBySlug(ctx, tx, "films", r.FilmSlug)
		if err != nil {
			return err
		}
		var reader any
		if readerID != 0 {
			reader = readerID
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO reader_reviews
			(film_id, reader_id, display_name, title, rating, body, spoilers, status, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			filmID, reader, r.DisplayName, r.Title, r.Rating, r.Body, r.Spoilers, string(r.Status), formatTime(r.CreatedAt))
		if err != nil {
			return err
		}
		id, err = res.LastInsertId()
		return err
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
	err = db.inWriteTx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT f.slug FROM reader_reviews r JOIN films f ON f.id = r.film_id
			WHERE r.id = ? AND r.status = 'approved'`, reviewID).Scan(&filmSlug)
		if errors.Is(err, sql.ErrNoRows) {
			return film.ErrNotFound
		}
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO helpful_votes (review_id, reader_id, created_at) VALUES (?, ?, ?)
			ON CONFLICT DO NOTHING`, reviewID, readerID, formatTime(now))
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		added = n > 0
		return nil
	})
	if err != nil {
		return "", false, fmt.Errorf("helpful vote on review %d: %w", reviewID, err)
	}
	return filmSlug, added, nil
}
