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

// This file is the catalogue forms' part of the store: films and people
// created and edited one at a time from the editors' desk. The records are
// written by the same txWriter helpers the import uses (import.go), so a
// film saved from a form is stored exactly as an imported one would be.

// FindFilmForEdit returns the film with the given slug and its version: a
// token that changes whenever the film is saved, which the form carries so
// that a save over someone else's newer one is refused.
func (db *DB) FindFilmForEdit(ctx context.Context, slug string) (film.Film, string, error) {
	var (
		f       film.Film
		version string
	)
	err := db.inReadTx(ctx, func(tx *sql.Tx) error {
		var err error
		if f, err = findFilm(ctx, tx, slug); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, "SELECT updated_at FROM films WHERE id = ?", f.ID).Scan(&version)
	})
	if err != nil {
		return film.Film{}, "", fmt.Errorf("find film %q: %w", slug, err)
	}
	return f, version, nil
}

// CreateFilm stores a new film with its whole record, created by the
// account by, and returns its id. A slug already in use or a credit naming
// a person the catalogue does not hold fails with film.Problems naming the
// field.
func (db *DB) CreateFilm(ctx context.Context, f film.Film, by film.User, now time.Time) (int64, error) {
	var id int64
	err := db.inWriteTx(ctx, func(tx *sql.Tx) error {
		w := newTxWriter(ctx, tx, now)
		if err := checkFilmReferences(w, f, 0); err != nil {
			return err
		}
		var err error
		if id, err = w.insertFilm(f); err != nil {
			return err
		}
		if err := takeSlug(w, film.RedirectFilm, f.Slug); err != nil {
			return err
		}
		return insertAudit(ctx, tx, film.AuditEntry{At: now, UserID: by.ID, UserName: by.Name,
			Action: film.ActionFilmCreate, RecordType: "film", RecordID: id, Detail: f.Slug})
	})
	if err != nil {
		return 0, fmt.Errorf("create film %q: %w", f.Slug, err)
	}
	return id, nil
}

// UpdateFilm replaces the record of the film with the given slug by f,
// keeping its id so its reviews and ratings stay attached. version is the
// one FindFilmForEdit gave: when the film has been saved since, the save
// fails with film.ErrConflict. When the slug changes, the old address
// redirects to the new one.
func (db *DB) UpdateFilm(ctx context.Context, slug, version string, f film.Film, by film.User, now time.Time) error {
	err := db.inWriteTx(ctx, func(tx *sql.Tx) error {
		var (
			id      int64
			current string
		)
		err := tx.QueryRowContext(ctx, "SELECT id, updated_at FROM films WHERE slug = ?", slug).Scan(&id, &current)
		if errors.Is(err, sql.ErrNoRows) {
			return film.ErrNotFound
		}
		if err != nil {
			return err
		}
		if current != version {
			return fmt.Errorf("saved at %s since the version of %s was opened: %w", current, version, film.ErrConflict)
		}
		w := newTxWriter(ctx, tx, now)
		if err := checkFilmReferences(w, f, id); err != nil {
			return err
		}
		// The version must change with every save, even two in the same
		// second, so a save in the second after another still sees it.
		if w.now <= current {
			w.now = nextSecond(current)
		}
		if err := w.replaceFilm(id, f); err != nil {
			return err
		}
		detail := f.Slug
		if f.Slug != slug {
			if err := moveSlug(w, film.RedirectFilm, slug, f.Slug, true); err != nil {
				return err
			}
			detail = slug + " → " + f.Slug
		}
		return insertAudit(ctx, tx, film.AuditEntry{At: now, UserID: by.ID, UserName: by.Name,
			Action: film.ActionFilmUpdate, RecordType: "film", RecordID: id, Detail: detail})
	})
	if err != nil {
		return fmt.Errorf("update film %q: %w", slug, err)
	}
	return nil
}

// nextSecond is the stored time one second after stored, or stored itself
// when it cannot be read.
func nextSecond(stored string) string {
	t, err := time.Parse(timeLayout, stored)
	if err != nil {
		return stored
	}
	return t.Add(time.Second).Format(timeLayout)
}

// checkFilmReferences returns film.Problems when f's slug is taken by a
// film other than self or a credit names a person not in the catalogue.
func checkFilmReferences(w *txWriter, f film.Film, self int64) error {
	return filmsql.CheckFilmReferences(w.lookup(), f, self)
}

// FindPersonForEdit returns the person with the given slug, or
// film.ErrNotFound.
func (db *DB) FindPersonForEdit(ctx context.Context, slug string) (film.Person, error) {
	var p film.Person
	err := db.inReadTx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, personQuery, slug).Scan(append([]any{&p.ID, &p.Slug, &p.Name}, filmsql.PersonDetailDest(&p)...)...)
		if errors.Is(err, sql.ErrNoRows) {
			return film.ErrNotFound
		}
		if err != nil {
			return err
		}
		p.AlsoKnownAs, err = stringList(ctx, tx, "SELECT name FROM person_aliases WHERE person_id = ? ORDER BY position", p.ID)
		return err
	})
	if err != nil {
		return film.Person{}, fmt.Errorf("find person %q: %w", slug, err)
	}
	return p, nil
}

// CreatePerson stores a new person created by the account by and returns
// their id; a slug already in use fails with film.Problems.
func (db *DB) CreatePerson(ctx context.Context, p film.Person, by film.User, now time.Time) (int64, error) {
	var id int64
	err := db.inWriteTx(ctx, func(tx *sql.Tx) error {
		w := newTxWriter(ctx, tx, now)
		if _, err := w.personID(p.Slug); err == nil {
			return film.Problems{"slug": "is already used by another person"}
		} else if !errors.Is(err, film.ErrNotFound) {
			return err
		}
		var err error
		if id, err = w.insertPerson(p); err != nil {
			return err
		}
		if err := takeSlug(w, film.RedirectPerson, p.Slug); err != nil {
			return err
		}
		return insertAudit(ctx, tx, film.AuditEntry{At: now, UserID: by.ID, UserName: by.Name,
			Action: film.ActionPersonCreate, RecordType: "person", RecordID: id, Detail: p.Slug})
	})
	if err != nil {
		return 0, fmt.Errorf("create person %q: %w", p.Slug, err)
	}
	return id, nil
}

// UpdatePerson saves p over the person with the given slug. When the slug
// changes, the old address redirects to the new one, and the film index's
// director filter follows (it is keyed by slug).
func (db *DB) UpdatePerson(ctx context.Context, slug string, p film.Person, by film.User, now time.Time) error {
	err := db.inWriteTx(ctx, func(tx *sql.Tx) error {
		w := newTxWriter(ctx, tx, now)
		id, err := w.personID(slug)
		if err != nil {
			return err
		}
		if p.Slug != slug {
			if _, err := w.personID(p.Slug); err == nil {
				return film.Problems{"slug": "is already used by another person"}
			} else if !errors.Is(err, film.ErrNotFound) {
				return err
			}
		}
		if _, err := w.exec("UPDATE people SET slug = ?, name = ?, updated_at = ?, "+personDetailAssignments+" WHERE id = ?",
			append(append([]any{p.Slug, p.Name, w.now}, filmsql.PersonDetailValues(p)...), id)...); err != nil {
			return err
		}
		if _, err := w.exec("DELETE FROM person_aliases WHERE person_id = ?", id); err != nil {
			return err
		}
		if err := w.insertAliases(id, p); err != nil {
			return err
		}
		detail := p.Slug
		if p.Slug != slug {
			// A facet row left at zero under the new slug would collide
			// with the renamed one.
			if _, err := w.exec("DELETE FROM facet_counts WHERE kind = 'director' AND value = ? AND films = 0", p.Slug); err != nil {
				return err
			}
			if _, err := w.exec("UPDATE facet_counts SET value = ? WHERE kind = 'director' AND value = ?", p.Slug, slug); err != nil {
				return err
			}
			if err := moveSlug(w, film.RedirectPerson, slug, p.Slug, true); err != nil {
				return err
			}
			detail = slug + " → " + p.Slug
		}
		return insertAudit(ctx, tx, film.AuditEntry{At: now, UserID: by.ID, UserName: by.Name,
			Action: film.ActionPersonUpdate, RecordType: "person", RecordID: id, Detail: detail})
	})
	if err != nil {
		return fmt.Errorf("update person %q: %w", slug, err)
	}
	return nil
}

// The statements of FindFilmsByTitle and FindPeopleByName: a page of the
// films whose title, or the people whose name, matches the LIKE pattern
// their first argument gives; the others are the limit and the offset.
const (
	filmsByTitleQuery = `SELECT ` + summaryColumns + ` FROM films f
		WHERE f.title LIKE ? ESCAPE '\'
		ORDER BY f.title COLLATE NOCASE, f.year, f.id LIMIT +? OFFSET ?`
	peopleByNameQuery = `SELECT p.id, p.slug, p.name, (SELECT count(*) FROM credits c WHERE c.person_id = p.id)
		FROM people p WHERE p.name LIKE ? ESCAPE '\'
		ORDER BY p.name COLLATE NOCASE, p.id LIMIT +? OFFSET ?`
)

// FindFilmsByTitle returns a page of films whose title starts with prefix
// (ignoring case), in title order; an empty prefix lists every film.
func (db *DB) FindFilmsByTitle(ctx context.Context, prefix string, offset, limit int) (film.ListPage[film.Summary], error) {
	films, err := scanAll(ctx, db.read, filmsByTitleQuery, []any{filmsql.LikePrefix(prefix), limit + 1, max(0, offset)}, scanSummary)
	if err != nil {
		return film.ListPage[film.Summary]{}, fmt.Errorf("find films by title %q: %w", prefix, err)
	}
	return filmsql.Page(films, limit), nil
}

// FindPeopleByName returns a page of people whose name starts with prefix
// (ignoring case), in name order, each with their number of credits.
func (db *DB) FindPeopleByName(ctx context.Context, prefix string, offset, limit int) (film.ListPage[film.PersonSummary], error) {
	people, err := scanAll(ctx, db.read, peopleByNameQuery, []any{filmsql.LikePrefix(prefix), limit + 1, max(0, offset)},
		func(rows *sql.Rows) (p film.PersonSummary, err error) {
			err = rows.Scan(&p.ID, &p.Slug, &p.Name, &p.Credits)
			return
		})
	if err != nil {
		return film.ListPage[film.PersonSummary]{}, fmt.Errorf("find people by name %q: %w", prefix, err)
	}
	return filmsql.Page(people, limit), nil
}

// RecentFilms returns the films added last, newest first, for the review
// editor's list of suggestions.
func (db *DB) RecentFilms(ctx context.Context, limit int) ([]film.Summary, error) {
	films, err := scanAll(ctx, db.read, `SELECT `+summaryColumns+` FROM films f ORDER BY f.id DESC LIMIT +?`, []any{limit}, scanSummary)
	if err != nil {
		return nil, fmt.Errorf("recent films: %w", err)
	}
	return films, nil
}
