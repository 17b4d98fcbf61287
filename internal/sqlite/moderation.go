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

// moderationQueue returns one page of the reader reviews the filter
// selects and how many it selects in all.
func moderationQueue(ctx context.Context, tx querier, f film.ModerationFilter) ([]film.ModerationItem, int, error) {
	countQuery, pageQuery, args := filmsql.ModerationQueueQueries(filmsql.SQLite, f)
	limit := filmsql.LimitArg(filmsql.SQLite, f.Limit)
	var (
		items []film.ModerationItem
		total int
	)
	err := func() error {
		if err := tx.QueryRowContext(ctx, countQuery, args...).Scan(&total); err != nil {
			return err
		}
		var err error
		items, err = scanAll(ctx, tx, pageQuery, append(args, limit, f.Offset), scanModerationItem)
		return err
	}()
	if err != nil {
		return nil, 0, fmt.Errorf("moderation queue: %w", err)
	}
	return items, total, nil
}

func scanModerationItem(rows *sql.Rows) (film.ModerationItem, error) {
	var (
		it                 film.ModerationItem
		r                  = &it.Review
		created, moderated sql.NullString
		err                error
	)
	if err = rows.Scan(&r.ID, &r.FilmSlug, &r.DisplayName, &r.Title, &r.Rating, &r.Body, &r.Spoilers, &r.Status,
		&created, &r.HelpfulCount, &it.FilmTitle, &it.FilmYear, &moderated, &it.ModeratedBy); err != nil {
		return it, err
	}
	if r.CreatedAt, err = parseTime(created); err != nil {
		return it, err
	}
	it.ModeratedAt, err = parseTime(moderated)
	return it, err
}

// moderationCounts returns how many reader reviews are in each state,
// across all films or, given a slug, one film's.
func moderationCounts(ctx context.Context, q querier, filmSlug string) (map[film.ModerationStatus]int, error) {
	query, args := filmsql.ModerationCountsQuery(filmsql.SQLite, filmSlug)
	counts := map[film.ModerationStatus]int{}
	_, err := scanAll(ctx, q, query, args, func(rows *sql.Rows) (struct{}, error) {
		var (
			status string
			n      int
		)
		err := rows.Scan(&status, &n)
		counts[film.ModerationStatus(status)] = n
		return struct{}{}, err
	})
	if err != nil {
		return nil, fmt.Errorf("moderation counts: %w", err)
	}
	return counts, nil
}

// moderationFilms returns the films that have reader reviews in the given
// state ("" for any), by title, with how many each has; at most
// filmsql.ModerationFilmLimit films, those with the most reviews.
func moderationFilms(ctx context.Context, q querier, status film.ModerationStatus) ([]film.ModerationFilm, error) {
	query, args := filmsql.ModerationFilmsQuery(filmsql.SQLite, status)
	films, err := scanAll(ctx, q, query, args,
		func(rows *sql.Rows) (m film.ModerationFilm, err error) {
			err = rows.Scan(&m.Slug, &m.Title, &m.Year, &m.Count)
			return
		})
	if err != nil {
		return nil, fmt.Errorf("moderation films: %w", err)
	}
	return films, nil
}

// ModerateReaderReviews moves the reader reviews with the given ids to
// status, as actor, recording who and when on each review and one audit
// entry per review that changed. Reviews already in that state, and ids
// that name no review, are left alone. It returns how many changed.
func (db *DB) ModerateReaderReviews(ctx context.Context, ids []int64, status film.ModerationStatus, actor int64, now time.Time) (int, error) {
	action, ok := filmsql.ModerationAction(status)
	if !ok {
		return 0, fmt.Errorf("moderate reader reviews: %w", film.Problems{"status": "must be pending, approved, rejected or spam"})
	}
	changed := 0
	err := db.inWriteTx(ctx, func(tx *sql.Tx) error {
		changed = 0
		for _, id := range ids {
			var old, title, filmSlug string
			err := tx.QueryRowContext(ctx, `SELECT r.status, r.title, f.slug FROM reader_reviews r JOIN films f ON f.id = r.film_id
				WHERE r.id = ?`, id).Scan(&old, &title, &filmSlug)
			if errors.Is(err, sql.ErrNoRows) || (err == nil && old == string(status)) {
				continue
			}
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, "UPDATE reader_reviews SET status = ?, moderated_at = ?, moderated_by = ? WHERE id = ?",
				string(status), formatTime(now), nullIfZero(actor), id); err != nil {
				return err
			}
			if err := insertAudit(ctx, tx, film.AuditEntry{
				At: now, UserID: actor, Action: action, RecordType: "reader_review", RecordID: id,
				Detail: filmsql.ModerationDetail(old, status, title, filmSlug),
			}); err != nil {
				return err
			}
			changed++
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("moderate reader reviews: %w", err)
	}
	return changed, nil
}

// DeskCounts counts what waits for the editors: reader reviews to
// moderate and critic reviews not yet published.
func (db *DB) DeskCounts(ctx context.Context) (film.DeskCounts, error) {
	var c film.DeskCounts
	err := db.read.QueryRowContext(ctx, filmsql.DeskCountsQuery).
		Scan(&c.PendingReaderReviews, &c.SpamReaderReviews, &c.DraftCriticReviews, &c.InReviewCriticReviews)
	if err != nil {
		return film.DeskCounts{}, fmt.Errorf("desk counts: %w", err)
	}
	return c, nil
}
