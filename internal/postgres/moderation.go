package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"marquee/internal/film"
)

// This file is internal/sqlite/moderation.go for PostgreSQL; keep the two
// alike. Its statements are built with ? placeholders and numbered by
// rebind.

// moderationFilmLimit bounds the film filter's choices: the films with
// the most reviews in the chosen state come first.
const moderationFilmLimit = 300

// moderationQueueQueries builds the statements of moderationQueue: one
// counts the reader reviews the filter selects (taking args), the other
// lists a page of them (taking args, the limit and the offset). Pending
// reviews come oldest first, so the queue is worked in the order readers
// wrote; the other states newest first.
func moderationQueueQueries(f film.ModerationFilter) (count, page string, args []any) {
	where := "true"
	args = []any{}
	if f.Status != "" {
		where += " AND r.status = ?"
		args = append(args, string(f.Status))
	}
	if f.FilmSlug != "" {
		where += " AND r.film_id = (SELECT id FROM films WHERE slug = ?)"
		args = append(args, f.FilmSlug)
	}
	order := "r.created_at DESC, r.id DESC"
	if f.Status == film.ModerationPending {
		order = "r.created_at ASC, r.id ASC"
	}
	return rebind("SELECT count(*) FROM reader_reviews r WHERE " + where),
		rebind(`SELECT r.id, f.slug, r.display_name, r.title, r.rating, r.body, r.spoilers, r.status,
				r.created_at, r.helpful_count, f.title, f.year, r.moderated_at, coalesce(u.name, '')
			FROM reader_reviews r JOIN films f ON f.id = r.film_id LEFT JOIN users u ON u.id = r.moderated_by
			WHERE ` + where + ` ORDER BY ` + order + ` LIMIT ? OFFSET ?`),
		args
}

// moderationQueue returns one page of the reader reviews the filter
// selects and how many it selects in all.
func moderationQueue(ctx context.Context, tx querier, f film.ModerationFilter) ([]film.ModerationItem, int, error) {
	countQuery, pageQuery, args := moderationQueueQueries(f)
	var limit any // NULL: no limit
	if f.Limit > 0 {
		limit = f.Limit
	}
	var (
		items []film.ModerationItem
		total int
	)
	err := func() error {
		if err := tx.QueryRow(ctx, countQuery, args...).Scan(&total); err != nil {
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

func scanModerationItem(rows pgx.Rows) (film.ModerationItem, error) {
	var (
		it        film.ModerationItem
		r         = &it.Review
		created   time.Time
		moderated *time.Time
	)
	err := rows.Scan(&r.ID, &r.FilmSlug, &r.DisplayName, &r.Title, &r.Rating, &r.Body, &r.Spoilers, &r.Status,
		&created, &r.HelpfulCount, &it.FilmTitle, &it.FilmYear, &moderated, &it.ModeratedBy)
	r.CreatedAt, it.ModeratedAt = created.UTC(), readTime(moderated)
	return it, err
}

// moderationCountsQuery builds the statement of moderationCounts and its
// arguments.
func moderationCountsQuery(filmSlug string) (string, []any) {
	if filmSlug != "" {
		return "SELECT status, count(*) FROM reader_reviews WHERE film_id = (SELECT id FROM films WHERE slug = $1) GROUP BY status",
			[]any{filmSlug}
	}
	return "SELECT status, count(*) FROM reader_reviews GROUP BY status", nil
}

// moderationCounts returns how many reader reviews are in each state,
// across all films or, given a slug, one film's.
func moderationCounts(ctx context.Context, q querier, filmSlug string) (map[film.ModerationStatus]int, error) {
	query, args := moderationCountsQuery(filmSlug)
	counts := map[film.ModerationStatus]int{}
	_, err := scanAll(ctx, q, query, args, func(rows pgx.Rows) (struct{}, error) {
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
// moderationFilmLimit films, those with the most reviews.
func moderationFilms(ctx context.Context, q querier, status film.ModerationStatus) ([]film.ModerationFilm, error) {
	query, args := moderationFilmsQuery(status)
	films, err := scanAll(ctx, q, query, args,
		func(rows pgx.Rows) (m film.ModerationFilm, err error) {
			err = rows.Scan(&m.Slug, &m.Title, &m.Year, &m.Count)
			return
		})
	if err != nil {
		return nil, fmt.Errorf("moderation films: %w", err)
	}
	return films, nil
}

// moderationFilmsQuery builds the statement of moderationFilms and its
// arguments.
func moderationFilmsQuery(status film.ModerationStatus) (string, []any) {
	where, args := "", []any{}
	if status != "" {
		where, args = "WHERE status = ?", []any{string(status)}
	}
	return rebind(`SELECT f.slug, f.title, f.year, c.n FROM (
			SELECT film_id, count(*) AS n FROM reader_reviews ` + where + ` GROUP BY film_id ORDER BY n DESC LIMIT ?
		) c JOIN films f ON f.id = c.film_id
		ORDER BY lower(f.title), f.year, f.id`), append(args, moderationFilmLimit)
}

// moderationActions names the audit action of moving a review to each
// state.
var moderationActions = map[film.ModerationStatus]string{
	film.ModerationApproved: "reader_review.approve",
	film.ModerationRejected: "reader_review.reject",
	film.ModerationSpam:     "reader_review.spam",
	film.ModerationPending:  "reader_review.pending",
}

// ModerateReaderReviews moves the reader reviews with the given ids to
// status, as actor, recording who and when on each review and one audit
// entry per review that changed. Reviews already in that state, and ids
// that name no review, are left alone. It returns how many changed.
func (db *DB) ModerateReaderReviews(ctx context.Context, ids []int64, status film.ModerationStatus, actor int64, now time.Time) (int, error) {
	action, ok := moderationActions[status]
	if !ok {
		return 0, fmt.Errorf("moderate reader reviews: %w", film.Problems{"status": "must be pending, approved, rejected or spam"})
	}
	changed := 0
	err := db.inWriteTx(ctx, func(tx pgx.Tx) error {
		changed = 0
		for _, id := range ids {
			var old, title, filmSlug string
			err := tx.QueryRow(ctx, `SELECT r.status, r.title, f.slug FROM reader_reviews r JOIN films f ON f.id = r.film_id
				WHERE r.id = $1`, id).Scan(&old, &title, &filmSlug)
			if errors.Is(err, pgx.ErrNoRows) || (err == nil && old == string(status)) {
				continue
			}
			if err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, "UPDATE reader_reviews SET status = $1, moderated_at = $2, moderated_by = $3 WHERE id = $4",
				string(status), timeValue(now), nullIfZero(actor), id); err != nil {
				return err
			}
			if err := insertAudit(ctx, tx, film.AuditEntry{
				At: now, UserID: actor, Action: action, RecordType: "reader_review", RecordID: id,
				Detail: fmt.Sprintf("%s → %s: “%s” on %s", old, status, title, filmSlug),
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

// deskCountsQuery counts the reader reviews pending and held as spam and
// the critic reviews in draft and in review.
const deskCountsQuery = `SELECT
	(SELECT count(*) FROM reader_reviews WHERE status = 'pending'),
	(SELECT count(*) FROM reader_reviews WHERE status = 'spam'),
	(SELECT count(*) FROM critic_reviews WHERE status = 'draft'),
	(SELECT count(*) FROM critic_reviews WHERE status = 'in_review')`

// DeskCounts counts what waits for the editors: reader reviews to
// moderate and critic reviews not yet published.
func (db *DB) DeskCounts(ctx context.Context) (film.DeskCounts, error) {
	var c film.DeskCounts
	err := db.pool.QueryRow(ctx, deskCountsQuery).
		Scan(&c.PendingReaderReviews, &c.SpamReaderReviews, &c.DraftCriticReviews, &c.InReviewCriticReviews)
	if err != nil {
		return film.DeskCounts{}, fmt.Errorf("desk counts: %w", err)
	}
	return c, nil
}
