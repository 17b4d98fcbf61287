package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"marquee/internal/film"
	"marquee/internal/filmsql"
)

// The statements of findPerson: the person with the slug its argument
// gives, and the aliases and the credits (newest film first) of the person
// with the id its argument gives.
const (
	personQuery        = "SELECT id, slug, name, " + filmsql.PersonDetailColumns + " FROM people WHERE slug = ?"
	personAliasesQuery = "SELECT name FROM person_aliases WHERE person_id = ? ORDER BY position"
	personCreditsQuery = `SELECT f.id, f.slug, f.title, f.original_title, f.title_language, f.year,
			coalesce(f.runtime_minutes, 0), c.role, c.character, c.credited_as, c.billing,
			f.rating_count, f.review_count
		FROM credits c JOIN films f ON f.id = c.film_id
		WHERE c.person_id = ?
		ORDER BY f.year DESC, f.title COLLATE NOCASE, f.id, ` + filmsql.PersonCreditOrder
)

// findPerson reads the person with the given slug and their credits,
// newest film first. It returns film.ErrNotFound when there is none.
func findPerson(ctx context.Context, tx querier, slug string) (film.Person, []film.PersonCredit, error) {
	var (
		p       film.Person
		credits []film.PersonCredit
	)
	err := func() error {
		err := tx.QueryRowContext(ctx, personQuery, slug).Scan(append([]any{&p.ID, &p.Slug, &p.Name}, filmsql.PersonDetailDest(&p)...)...)
		if errors.Is(err, sql.ErrNoRows) {
			return film.ErrNotFound
		}
		if err != nil {
			return err
		}
		p.AlsoKnownAs, err = stringList(ctx, tx, personAliasesQuery, p.ID)
		if err != nil {
			return fmt.Errorf("aliases: %w", err)
		}
		credits, err = scanAll(ctx, tx, personCreditsQuery, []any{p.ID},
			func(rows *sql.Rows) (c film.PersonCredit, err error) {
				err = rows.Scan(filmsql.PersonCreditDest(&c)...)
				return
			})
		if err != nil {
			return fmt.Errorf("credits: %w", err)
		}
		return nil
	}()
	if err != nil {
		return film.Person{}, nil, fmt.Errorf("find person %q: %w", slug, err)
	}
	return p, credits, nil
}

// personDetailAssignments sets every detail column from the next
// arguments, in filmsql.PersonDetailColumns order, for an UPDATE.
const personDetailAssignments = "biography = ?, birth_date = ?, birth_place = ?, death_date = ?, death_place = ?"
