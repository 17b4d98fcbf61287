package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"marquee/internal/film"
	"marquee/internal/filmsql"
)

// This file is internal/sqlite/editorial.go for PostgreSQL; keep the two
// alike. (FindSlugRedirect is in films.go, takeSlug and moveSlug in
// catalog_edit.go.)

// This file is the review editor's part of the store: critic reviews in
// every state, the revision each save keeps, and the redirects left behind
// when a public slug changes. Every write records an audit entry in its own
// transaction, so the log and the change cannot part.

func scanEditedReview(rows pgx.Rows) (film.EditedReview, error) {
	var (
		e                      film.EditedReview
		r                      = &e.Review
		ratingValue            *float64
		ratingScale            *int
		publishedAt, updatedAt *time.Time
		createdAt              time.Time
		changedAt              *time.Time
	)
	if err := rows.Scan(&r.ID, &r.Slug, &r.FilmSlug, &r.Headline, &r.Author, &r.AuthorSlug, &r.Publication, &ratingValue, &ratingScale,
		&r.PullQuote, &r.Body, &r.Spoilers, &r.Status, &publishedAt, &updatedAt,
		&e.OwnerID, &e.OwnerName, &e.FilmTitle, &e.FilmYear, &createdAt, &e.Revision, &changedAt); err != nil {
		return e, err
	}
	if ratingValue != nil && ratingScale != nil {
		r.Rating = &film.Rating{Value: *ratingValue, Scale: *ratingScale}
	}
	r.PublishedAt, r.UpdatedAt = readTime(publishedAt), readTime(updatedAt)
	e.CreatedAt, e.ChangedAt = createdAt.UTC(), readTime(changedAt)
	if e.ChangedAt.IsZero() {
		e.ChangedAt = e.CreatedAt
	}
	return e, nil
}

// FindEditedReview returns the critic review with the given id in whatever
// state it is, or film.ErrNotFound.
func (db *DB) FindEditedReview(ctx context.Context, id int64) (film.EditedReview, error) {
	e, err := findEditedReview(ctx, db.pool, id)
	if err != nil {
		return film.EditedReview{}, fmt.Errorf("find critic review %d: %w", id, err)
	}
	return e, nil
}

func findEditedReview(ctx context.Context, q querier, id int64) (film.EditedReview, error) {
	found, err := scanAll(ctx, q, "SELECT "+filmsql.EditedReviewColumns(true)+" WHERE r.id = $1", []any{id}, scanEditedReview)
	if err != nil {
		return film.EditedReview{}, err
	}
	if len(found) == 0 {
		return film.EditedReview{}, film.ErrNotFound
	}
	return found[0], nil
}

// FindEditedReviews returns a page of critic reviews in any state, newest
// first, as the filter selects them.
func (db *DB) FindEditedReviews(ctx context.Context, f film.EditedReviewFilter) (film.EditedReviewPage, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	query, args := filmsql.EditedReviewsQuery(filmsql.PostgreSQL, f, limit)
	reviews, err := scanAll(ctx, db.pool, query, args, scanEditedReview)
	if err != nil {
		return film.EditedReviewPage{}, fmt.Errorf("find critic reviews: %w", err)
	}
	page := film.EditedReviewPage{Reviews: reviews}
	if len(reviews) > limit {
		page.Reviews, page.More = reviews[:limit], true
	}
	return page, nil
}

// CreateCriticReview stores a new critic review created by the account by,
// with its first revision and an audit entry, and returns its id. A slug
// already in use, or a film or byline person the catalogue does not hold,
// fails with film.Problems naming the field.
func (db *DB) CreateCriticReview(ctx context.Context, r film.CriticReview, by film.User, now time.Time) (int64, error) {
	var id int64
	err := db.inWriteTx(ctx, func(tx pgx.Tx) error {
		w := newTxWriter(ctx, tx, now)
		if err := checkReviewReferences(w, r, 0); err != nil {
			return err
		}
		values, err := w.criticReviewValues(r)
		if err != nil {
			return err
		}
		if id, err = w.insertID(`INSERT INTO critic_reviews (slug, `+filmsql.CriticReviewSetColumns+`, created_at, created_by)
			VALUES `+valuesRow(1, 16)+` RETURNING id`, append(append([]any{r.Slug}, values...), w.now, nullIfZero(by.ID))...); err != nil {
			return err
		}
		if err := takeSlug(w, film.RedirectReview, r.Slug); err != nil {
			return err
		}
		if err := insertRevision(w, id, 1, now, by, film.ActionReviewCreate, 0, r); err != nil {
			return err
		}
		if err := auditReview(ctx, tx, now, by, film.ActionReviewCreate, id, r.Slug); err != nil {
			return err
		}
		// A review created already submitted, published or scheduled says
		// so in the log too.
		if action := film.ReviewAction(film.ReviewDraft, r.Status); action != film.ActionReviewUpdate {
			return auditReview(ctx, tx, now, by, action, id, r.Slug)
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("create critic review %q: %w", r.Slug, err)
	}
	return id, nil
}

// UpdateCriticReview saves r over the critic review with the given id as a
// new revision by the account by, and reports whether anything changed (a
// save that changes nothing keeps no revision). base is the revision the
// editor started from: when someone has saved since, the save fails with
// film.ErrConflict rather than silently undo their work. Problems with the
// slug, film or byline person fail with film.Problems.
//
// A review that was public and stays public records the time as its
// "updated" time; a review becoming public starts without one. When a
// public review's slug changes, its old address redirects to the new one.
func (db *DB) UpdateCriticReview(ctx context.Context, id int64, base int, r film.CriticReview, by film.User, now time.Time) (bool, error) {
	changed := false
	err := db.inWriteTx(ctx, func(tx pgx.Tx) error {
		stored, err := findEditedReview(ctx, tx, id)
		if err != nil {
			return err
		}
		if base != stored.Revision {
			return fmt.Errorf("saved as revision %d since revision %d was opened: %w", stored.Revision, base, film.ErrConflict)
		}
		if film.SameContent(stored.Review, r) {
			return nil
		}
		changed = true
		return saveReview(ctx, tx, stored, r, by, now, film.ReviewAction(stored.Review.Status, r.Status), 0)
	})
	if err != nil {
		return false, fmt.Errorf("update critic review %d: %w", id, err)
	}
	return changed, nil
}

// RestoreRevision brings back the text of revision number of the critic
// review id as a new revision by the account by. The review keeps its
// current status and publication time: restoring words is not publishing
// them, nor taking them down. base works as in UpdateCriticReview.
func (db *DB) RestoreRevision(ctx context.Context, id int64, number, base int, by film.User, now time.Time) error {
	err := db.inWriteTx(ctx, func(tx pgx.Tx) error {
		stored, err := findEditedReview(ctx, tx, id)
		if err != nil {
			return err
		}
		if base != stored.Revision {
			return fmt.Errorf("saved as revision %d since revision %d was opened: %w", stored.Revision, base, film.ErrConflict)
		}
		old, err := findRevision(ctx, tx, id, number)
		if err != nil {
			return err
		}
		return saveReview(ctx, tx, stored, filmsql.RestoredReview(old.Review, stored.Review), by, now, film.ActionReviewRestore, number)
	})
	if err != nil {
		return fmt.Errorf("restore revision %d of critic review %d: %w", number, id, err)
	}
	return nil
}

// saveReview writes r over stored as its next revision.
func saveReview(ctx context.Context, tx pgx.Tx, stored film.EditedReview, r film.CriticReview, by film.User, now time.Time, action string, restoredFrom int) error {
	w := newTxWriter(ctx, tx, now)
	id := stored.Review.ID
	if err := checkReviewReferences(w, r, id); err != nil {
		return err
	}
	// Reviews that came from seeds or an import have no revision yet: the
	// state they arrived in becomes revision 1, so the history starts
	// there rather than at the first edit.
	if stored.Revision == 0 {
		first := film.User{}
		if err := insertRevision(w, id, 1, stored.CreatedAt, first, film.ActionReviewCreate, 0, stored.Review); err != nil {
			return err
		}
		stored.Revision = 1
	}
	r, wasPublic := filmsql.RevisedReview(stored.Review, r, now)
	values, err := w.criticReviewValues(r)
	if err != nil {
		return err
	}
	if _, err := w.exec(`UPDATE critic_reviews SET (slug, `+filmsql.CriticReviewSetColumns+`)
		= ROW `+valuesRow(1, 14)+` WHERE id = $15`, append(append([]any{r.Slug}, values...), id)...); err != nil {
		return err
	}
	if r.Slug != stored.Review.Slug {
		if err := moveSlug(w, film.RedirectReview, stored.Review.Slug, r.Slug, wasPublic); err != nil {
			return err
		}
	}
	if err := insertRevision(w, id, stored.Revision+1, now, by, action, restoredFrom, r); err != nil {
		return err
	}
	return auditReview(ctx, tx, now, by, action, id, filmsql.RevisionDetail(stored.Review.Slug, r.Slug, restoredFrom))
}

// checkReviewReferences returns film.Problems when r's slug is taken by a
// review other than self, or its film or byline person is not in the
// catalogue.
func checkReviewReferences(w *txWriter, r film.CriticReview, self int64) error {
	var other int64
	if err := w.tx.QueryRow(w.ctx, "SELECT id FROM critic_reviews WHERE slug = $1", r.Slug).Scan(&other); err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return err
	}
	return filmsql.CheckReviewReferences(w.lookup(), r, self, other)
}

// insertRevision keeps r as revision number of review id.
func insertRevision(w *txWriter, id int64, number int, at time.Time, by film.User, action string, restoredFrom int, r film.CriticReview) error {
	content, err := json.Marshal(r)
	if err != nil {
		return err
	}
	_, err = w.exec(`INSERT INTO critic_review_revisions (review_id, number, at, user_id, user_name, action, restored_from, content)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		id, number, timeValue(at), nullIfZero(by.ID), by.Name, action, nullIfZero(restoredFrom), string(content))
	if err != nil {
		return fmt.Errorf("revision %d: %w", number, err)
	}
	return nil
}

func auditReview(ctx context.Context, tx pgx.Tx, now time.Time, by film.User, action string, id int64, detail string) error {
	return insertAudit(ctx, tx, film.AuditEntry{
		At: now, UserID: by.ID, UserName: by.Name, Action: action, RecordType: "critic_review", RecordID: id, Detail: detail,
	})
}

// Revisions lists the revisions of critic review id, newest first, without
// their content.
func (db *DB) Revisions(ctx context.Context, id int64) ([]film.Revision, error) {
	revisions, err := scanAll(ctx, db.pool, `SELECT review_id, number, at, coalesce(user_id, 0), user_name, action, coalesce(restored_from, 0)
		FROM critic_review_revisions WHERE review_id = $1 ORDER BY number DESC`, []any{id},
		func(rows pgx.Rows) (film.Revision, error) {
			var (
				v  film.Revision
				at time.Time
			)
			err := rows.Scan(&v.ReviewID, &v.Number, &at, &v.UserID, &v.UserName, &v.Action, &v.RestoredFrom)
			v.At = at.UTC()
			return v, err
		})
	if err != nil {
		return nil, fmt.Errorf("revisions of critic review %d: %w", id, err)
	}
	return revisions, nil
}

// FindRevision returns revision number of critic review id with the review
// as it was saved, or film.ErrNotFound.
func (db *DB) FindRevision(ctx context.Context, id int64, number int) (film.Revision, error) {
	v, err := findRevision(ctx, db.pool, id, number)
	if err != nil {
		return film.Revision{}, fmt.Errorf("revision %d of critic review %d: %w", number, id, err)
	}
	return v, nil
}

func findRevision(ctx context.Context, q querier, id int64, number int) (film.Revision, error) {
	var (
		v       = film.Revision{ReviewID: id, Number: number}
		at      time.Time
		content string
	)
	err := q.QueryRow(ctx, `SELECT at, coalesce(user_id, 0), user_name, action, coalesce(restored_from, 0), content::text
		FROM critic_review_revisions WHERE review_id = $1 AND number = $2`, id, number).
		Scan(&at, &v.UserID, &v.UserName, &v.Action, &v.RestoredFrom, &content)
	if errors.Is(err, pgx.ErrNoRows) {
		return v, film.ErrNotFound
	}
	if err != nil {
		return v, err
	}
	v.At = at.UTC()
	if err := json.Unmarshal([]byte(content), &v.Review); err != nil {
		return v, fmt.Errorf("decode revision: %w", err)
	}
	v.Review.ID = id
	return v, nil
}
