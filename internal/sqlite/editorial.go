package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"marquee/internal/film"
	"marquee/internal/filmsql"
)

// This file is the review editor's part of the store: critic reviews in
// every state, the revision each save keeps, and the redirects left behind
// when a public slug changes. Every write records an audit entry in its own
// transaction, so the log and the change cannot part.

func scanEditedReview(rows *sql.Rows) (film.EditedReview, error) {
	var (
		e                      film.EditedReview
		r                      = &e.Review
		ratingValue            sql.NullFloat64
		ratingScale            sql.NullInt64
		publishedAt, updatedAt sql.NullString
		createdAt, changedAt   sql.NullString
	)
	if err := rows.Scan(&r.ID, &r.Slug, &r.FilmSlug, &r.Headline, &r.Author, &r.AuthorSlug, &r.Publication, &ratingValue, &ratingScale,
		&r.PullQuote, &r.Body, &r.Spoilers, &r.Status, &publishedAt, &updatedAt,
		&e.OwnerID, &e.OwnerName, &e.FilmTitle, &e.FilmYear, &createdAt, &e.Revision, &changedAt); err != nil {
		return e, err
	}
	if ratingValue.Valid {
		r.Rating = &film.Rating{Value: ratingValue.Float64, Scale: int(ratingScale.Int64)}
	}
	var err error
	for _, t := range []struct {
		dst *time.Time
		src sql.NullString
	}{{&r.PublishedAt, publishedAt}, {&r.UpdatedAt, updatedAt}, {&e.CreatedAt, createdAt}, {&e.ChangedAt, changedAt}} {
		if *t.dst, err = parseTime(t.src); err != nil {
			return e, err
		}
	}
	if e.ChangedAt.IsZero() {
		e.ChangedAt = e.CreatedAt
	}
	return e, nil
}

// FindEditedReview returns the critic review with the given id in whatever
// state it is, or film.ErrNotFound.
func (db *DB) FindEditedReview(ctx context.Context, id int64) (film.EditedReview, error) {
	e, err := findEditedReview(ctx, db.read, id)
	if err != nil {
		return film.EditedReview{}, fmt.Errorf("find critic review %d: %w", id, err)
	}
	return e, nil
}

func findEditedReview(ctx context.Context, q querier, id int64) (film.EditedReview, error) {
	found, err := scanAll(ctx, q, "SELECT "+filmsql.EditedReviewColumns(true)+" WHERE r.id = ?", []any{id}, scanEditedReview)
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
	query, args := filmsql.EditedReviewsQuery(filmsql.SQLite, f, limit)
	reviews, err := scanAll(ctx, db.read, query, args, scanEditedReview)
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
	err := db.inWriteTx(ctx, func(tx *sql.Tx) error {
		w := newTxWriter(ctx, tx, now)
		if err := checkReviewReferences(w, r, 0); err != nil {
			return err
		}
		values, err := w.criticReviewValues(r)
		if err != nil {
			return err
		}
		res, err := w.exec(`INSERT INTO critic_reviews (slug, `+filmsql.CriticReviewSetColumns+`, created_at, created_by)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, append(append([]any{r.Slug}, values...), w.now, nullIfZero(by.ID))...)
		if err != nil {
			return err
		}
		if id, err = res.LastInsertId(); err != nil {
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
	err := db.inWriteTx(ctx, func(tx *sql.Tx) error {
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
	err := db.inWriteTx(ctx, func(tx *sql.Tx) error {
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
func saveReview(ctx context.Context, tx *sql.Tx, stored film.EditedReview, r film.CriticReview, by film.User, now time.Time, action string, restoredFrom int) error {
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
		= (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) WHERE id = ?`, append(append([]any{r.Slug}, values...), id)...); err != nil {
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
	if err := w.queryRow("SELECT id FROM critic_reviews WHERE slug = ?", r.Slug).Scan(&other); err != nil && !errors.Is(err, sql.ErrNoRows) {
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
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		id, number, formatTime(at), nullIfZero(by.ID), by.Name, action, nullIfZero(restoredFrom), string(content))
	if err != nil {
		return fmt.Errorf("revision %d: %w", number, err)
	}
	return nil
}

func auditReview(ctx context.Context, tx *sql.Tx, now time.Time, by film.User, action string, id int64, detail string) error {
	return insertAudit(ctx, tx, film.AuditEntry{
		At: now, UserID: by.ID, UserName: by.Name, Action: action, RecordType: "critic_review", RecordID: id, Detail: detail,
	})
}

// Revisions lists the revisions of critic review id, newest first, without
// their content.
func (db *DB) Revisions(ctx context.Context, id int64) ([]film.Revision, error) {
	revisions, err := scanAll(ctx, db.read, `SELECT review_id, number, at, coalesce(user_id, 0), user_name, action, coalesce(restored_from, 0)
		FROM critic_review_revisions WHERE review_id = ? ORDER BY number DESC`, []any{id},
		func(rows *sql.Rows) (film.Revision, error) {
			var (
				v  film.Revision
				at sql.NullString
			)
			err := rows.Scan(&v.ReviewID, &v.Number, &at, &v.UserID, &v.UserName, &v.Action, &v.RestoredFrom)
			if err == nil {
				v.At, err = parseTime(at)
			}
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
	v, err := findRevision(ctx, db.read, id, number)
	if err != nil {
		return film.Revision{}, fmt.Errorf("revision %d of critic review %d: %w", number, id, err)
	}
	return v, nil
}

func findRevision(ctx context.Context, q querier, id int64, number int) (film.Revision, error) {
	var (
		v       = film.Revision{ReviewID: id, Number: number}
		at      sql.NullString
		content string
	)
	err := q.QueryRowContext(ctx, `SELECT at, coalesce(user_id, 0), user_name, action, coalesce(restored_from, 0), content
		FROM critic_review_revisions WHERE review_id = ? AND number = ?`, id, number).
		Scan(&at, &v.UserID, &v.UserName, &v.Action, &v.RestoredFrom, &content)
	if errors.Is(err, sql.ErrNoRows) {
		return v, film.ErrNotFound
	}
	if err != nil {
		return v, err
	}
	if v.At, err = parseTime(at); err != nil {
		return v, err
	}
	if err := json.Unmarshal([]byte(content), &v.Review); err != nil {
		return v, fmt.Errorf("decode revision: %w", err)
	}
	v.Review.ID = id
	return v, nil
}

// FindSlugRedirect returns the slug that slug of the given kind now
// answers at, or film.ErrNotFound. A review redirect is followed only to a
// review that is public at now, so a redirect never reveals an unpublished
// one.
func (db *DB) FindSlugRedirect(ctx context.Context, kind film.RedirectKind, slug string, now time.Time) (string, error) {
	query := "SELECT s.new_slug FROM slug_redirects s WHERE s.kind = ? AND s.old_slug = ?"
	args := []any{string(kind), slug}
	if kind == film.RedirectReview {
		query = `SELECT s.new_slug FROM slug_redirects s JOIN critic_reviews r ON r.slug = s.new_slug
			WHERE s.kind = ? AND s.old_slug = ? AND r.status IN ('published', 'scheduled') AND r.published_at <= ?`
		args = append(args, now.UTC().Format(timeLayout))
	}
	var target string
	err := db.read.QueryRowContext(ctx, query, args...).Scan(&target)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("%s redirect from %q: %w", kind, slug, film.ErrNotFound)
	}
	if err != nil {
		return "", fmt.Errorf("%s redirect from %q: %w", kind, slug, err)
	}
	return target, nil
}

// moveSlug records that a record of kind moved from slug old to new. Old
// addresses that pointed at old follow it to new, so chains stay one hop;
// old itself redirects only when it was public (keep), since a draft's
// address was never anyone's link.
func moveSlug(w *txWriter, kind film.RedirectKind, old, new string, keep bool) error {
	if err := takeSlug(w, kind, new); err != nil {
		return err
	}
	if _, err := w.exec("UPDATE slug_redirects SET new_slug = ? WHERE kind = ? AND new_slug = ?", new, string(kind), old); err != nil {
		return fmt.Errorf("follow redirects to %q: %w", old, err)
	}
	if !keep {
		return nil
	}
	if _, err := w.exec(`INSERT INTO slug_redirects (kind, old_slug, new_slug, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (kind, old_slug) DO UPDATE SET new_slug = excluded.new_slug, created_at = excluded.created_at`,
		string(kind), old, new, w.now); err != nil {
		return fmt.Errorf("redirect %q to %q: %w", old, new, err)
	}
	return nil
}

// takeSlug drops any redirect from slug, which a live record now holds.
func takeSlug(w *txWriter, kind film.RedirectKind, slug string) error {
	if _, err := w.exec("DELETE FROM slug_redirects WHERE kind = ? AND old_slug = ?", string(kind), slug); err != nil {
		return fmt.Errorf("clear redirect from %q: %w", slug, err)
	}
	return nil
}
