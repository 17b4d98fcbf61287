package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"marquee/internal/film"
	"marquee/internal/filmsql"
)

// querier is what both *sql.DB and *sql.Tx offer for reading, so helpers
// can run inside or outside a transaction.
type querier interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
	QueryRowContext(context.Context, string, ...any) *sql.Row
}

// The film record is described once for both SQL stores, in
// internal/filmsql; recordLists are its lists with their queries in this
// store's dialect, made once when the package starts.
var recordLists = filmsql.RecordLists(filmsql.SQLite)

// filmQuery reads the films row of the film with the slug its argument
// gives, the columns of filmsql.FilmFields; the lists of its record are read
// by the queries of recordLists.
var filmQuery = "SELECT id, " + filmsql.FilmColumns + " FROM films WHERE slug = ?"

// FindFilm returns the film with the given slug and its full record, read in
// one snapshot. It returns film.ErrNotFound when there is none.
func (db *DB) FindFilm(ctx context.Context, slug string) (film.Film, error) {
	var f film.Film
	err := db.inReadTx(ctx, func(tx *sql.Tx) error {
		var err error
		f, err = findFilm(ctx, tx, slug)
		return err
	})
	if err != nil {
		return film.Film{}, fmt.Errorf("find film %q: %w", slug, err)
	}
	return f, nil
}

func findFilm(ctx context.Context, tx querier, slug string) (film.Film, error) {
	var f film.Film
	err := tx.QueryRowContext(ctx, filmQuery, slug).Scan(append([]any{&f.ID}, filmsql.FilmDests(&f)...)...)
	if errors.Is(err, sql.ErrNoRows) {
		return film.Film{}, film.ErrNotFound
	}
	if err != nil {
		return film.Film{}, err
	}

	// Each list is read by its own query in its stored order, as
	// recordLists describes it.
	for _, l := range recordLists {
		if err := scanFilmList(ctx, tx, l, &f); err != nil {
			return film.Film{}, fmt.Errorf("%s: %w", l.Name, err)
		}
	}
	return f, nil
}

// scanAll runs query and calls scan for each row, collecting the results.
func scanAll[T any](ctx context.Context, q querier, query string, args []any, scan func(*sql.Rows) (T, error)) ([]T, error) {
	rows, err := q.QueryContext(ctx, query, args...)
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

func stringList(ctx context.Context, q querier, query string, id int64) ([]string, error) {
	return scanAll(ctx, q, query, []any{id}, func(rows *sql.Rows) (s string, err error) {
		err = rows.Scan(&s)
		return
	})
}

// scanFilmList reads one list of film f's record into f.
func scanFilmList(ctx context.Context, q querier, l filmsql.RecordList, f *film.Film) error {
	rows, err := q.QueryContext(ctx, l.Query, f.ID)
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

// summaryColumns is the select list scanSummary reads, over films f.
const summaryColumns = `f.id, f.slug, f.title, f.original_title, f.title_language, f.year,
	coalesce(f.runtime_minutes, 0), f.synopsis,
	coalesce((SELECT group_concat(name, char(31)) FROM (
		SELECT p.name FROM credits c JOIN people p ON p.id = c.person_id
		WHERE c.film_id = f.id AND c.role = 'director' ORDER BY c.billing, c.id)), '')`

func scanSummary(rows *sql.Rows) (film.Summary, error) {
	var s film.Summary
	dest, finish := summaryDest(&s)
	err := rows.Scan(dest...)
	finish()
	return s, err
}

// summaryDest returns where rows.Scan puts the columns of summaryColumns,
// and a function that completes s after the scan.
func summaryDest(s *film.Summary) ([]any, func()) {
	var directors string
	return []any{&s.ID, &s.Slug, &s.Title, &s.OriginalTitle, &s.TitleLanguage, &s.Year, &s.RuntimeMinutes, &s.Synopsis, &directors},
		func() { s.Directors = splitNames(directors) }
}

// FindFilmSummary returns the short form of the film with the given slug,
// or film.ErrNotFound.
func (db *DB) FindFilmSummary(ctx context.Context, slug string) (film.Summary, error) {
	s, err := filmSummary(ctx, db.read, slug)
	if err != nil {
		return film.Summary{}, fmt.Errorf("find film %q: %w", slug, err)
	}
	return s, nil
}
