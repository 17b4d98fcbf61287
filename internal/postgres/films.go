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

// querier is what a pool and a transaction both offer for reading, so
// helpers can run inside or outside a transaction.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// The film record is described once for both SQL stores, in
// internal/filmsql; recordLists are its lists with their queries in this
// store's dialect, made once when the package starts.
var recordLists = filmsql.RecordLists(filmsql.PostgreSQL)

// filmQuery reads the films row of the film with the slug its argument
// gives, the columns of filmsql.FilmFields; the lists of its record are read
// by the queries of recordLists.
var filmQuery = "SELECT id, " + filmsql.FilmColumns + " FROM films WHERE slug = $1"

// FindFilm returns the film with the given slug and its full record, read
// in one snapshot. It returns film.ErrNotFound when there is none.
func (db *DB) FindFilm(ctx context.Context, slug string) (film.Film, error) {
	var f film.Film
	err := db.inPageTx(ctx, func(tx pgx.Tx) error {
		var err error
		f, err = findFilm(ctx, tx, slug)
		return err
	})
	if err != nil {
		return film.Film{}, fmt.Errorf("find film %q: %w", slug, err)
	}
	return f, nil
}

// FindFilmSummary returns the short form of the film with the given slug,
// or film.ErrNotFound.
func (db *DB) FindFilmSummary(ctx context.Context, slug string) (film.Summary, error) {
	s, err := filmSummary(ctx, db.pool, slug)
	if err != nil {
		return film.Summary{}, fmt.Errorf("find film %q: %w", slug, err)
	}
	return s, nil
}

// FindSlugRedirect returns the slug a record of kind that had slug now
// has, or film.ErrNotFound; a critic review's old address leads on only
// while the review is public.
func (db *DB) FindSlugRedirect(ctx context.Context, kind film.RedirectKind, slug string, now time.Time) (string, error) {
	query := "SELECT s.new_slug FROM slug_redirects s WHERE s.kind = $1 AND s.old_slug = $2"
	args := []any{string(kind), slug}
	if kind == film.RedirectReview {
		query = `SELECT s.new_slug FROM slug_redirects s JOIN critic_reviews r ON r.slug = s.new_slug
			WHERE s.kind = $1 AND s.old_slug = $2 AND r.status IN ('published', 'scheduled') AND r.published_at <= $3`
		args = append(args, now)
	}
	var target string
	err := db.pool.QueryRow(ctx, query, args...).Scan(&target)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", fmt.Errorf("%s redirect from %q: %w", kind, slug, film.ErrNotFound)
	}
	if err != nil {
		return "", fmt.Errorf("%s redirect from %q: %w", kind, slug, err)
	}
	return target, nil
}

// findFilm reads the film with the given slug and its whole record, or
// film.ErrNotFound.
func findFilm(ctx context.Context, q querier, slug string) (film.Film, error) {
	var f film.Film
	err := q.QueryRow(ctx, filmQuery, slug).Scan(append([]any{&f.ID}, filmsql.FilmDests(&f)...)...)
	if errors.Is(err, pgx.ErrNoRows) {
		return film.Film{}, film.ErrNotFound
	}
	if err != nil {
		return film.Film{}, err
	}
	// Each list is read by its own query in its stored order, as
	// recordLists describes it.
	for _, l := range recordLists {
		if err := scanFilmList(ctx, q, l, &f); err != nil {
			return film.Film{}, fmt.Errorf("%s: %w", l.Name, err)
		}
	}
	return f, nil
}

// scanFilmList reads one list of film f's record into f.
func scanFilmList(ctx context.Context, q querier, l filmsql.RecordList, f *film.Film) error {
	rows, err := q.Query(ctx, l.Query, f.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := l.Scan(f, rows.Scan); err != nil {
			return err
		}
	}
	return rows.Err()
}

// scanAll runs query and calls scan for each row, collecting the results.
func scanAll[T any](ctx context.Context, q querier, query string, args []any, scan func(pgx.Rows) (T, error)) ([]T, error) {
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// stringList reads a one-column list of text for the id given.
func stringList(ctx context.Context, q querier, query string, id int64) ([]string, error) {
	return scanAll(ctx, q, query, []any{id}, func(rows pgx.Rows) (s string, err error) {
		err = rows.Scan(&s)
		return
	})
}

// timeValue is t as stored: UTC, to the second, as SQLite keeps times; or
// NULL when t is zero.
func timeValue(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return storedTime(t)
}

// storedTime is t as the store keeps it: UTC, to the second.
func storedTime(t time.Time) time.Time { return filmsql.StoredTime(t) }

// readTime is a stored time as the store gives it back: UTC, or the zero
// time for NULL.
func readTime(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}

// nullIfZero stores 0 as NULL, for columns where NULL means unknown.
func nullIfZero[T int | int64 | float64](v T) any {
	if v == 0 {
		return nil
	}
	return v
}
