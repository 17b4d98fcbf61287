package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"marquee/internal/film"
	"marquee/internal/filmsql"
)

// The statements of findPerson: the person with the slug its argument
// gives, and the aliases and the credits (newest film first) of the person
// with the id its argument gives.
const (
	personQuery        = "SELECT id, slug, name, " + filmsql.PersonDetailColumns + " FROM people WHERE slug = $1"
	personAliasesQuery = "SELECT name FROM person_aliases WHERE person_id = $1 ORDER BY position"
	personCreditsQuery = `SELECT f.id, f.slug, f.title, f.original_title, f.title_language, f.year,
			coalesce(f.runtime_minutes, 0), c.role, c.character, c.credited_as
		FROM credits c JOIN films f ON f.id = c.film_id
		WHERE c.person_id = $1
		ORDER BY f.year DESC, lower(f.title), f.id,
			CASE c.role WHEN 'director' THEN 0 WHEN 'writer' THEN 1 WHEN 'producer' THEN 2 WHEN 'cast' THEN 3
			WHEN 'cinematography' THEN 4 WHEN 'editing' THEN 5 ELSE 6 END`
)

// knownForQuery ranks the films of the person its first argument gives
// by the rule film.KnownFor documents, at most its second argument of
// them. Each film's row carries the person's most prominent credit on it
// (the first in the site's role order, the best billed among cast).
const knownForQuery = `WITH ranked AS (
		SELECT c.film_id, c.role, c.character,
			row_number() OVER (PARTITION BY c.film_id ORDER BY
				CASE c.role WHEN 'director' THEN 0 WHEN 'writer' THEN 1 WHEN 'producer' THEN 2 WHEN 'cast' THEN 3
				WHEN 'cinematography' THEN 4 WHEN 'editing' THEN 5 ELSE 6 END,
				CASE WHEN c.billing = 0 THEN 1000000 ELSE c.billing END) AS n,
			min(CASE WHEN c.role = 'cast' AND (c.billing = 0 OR c.billing > 3) THEN 1 ELSE 0 END)
				OVER (PARTITION BY c.film_id) AS film_minor
		FROM credits c WHERE c.person_id = $1
	)
	SELECT f.id, f.slug, f.title, f.original_title, f.title_language, f.year, coalesce(f.runtime_minutes, 0),
		r.role, r.character, f.rating_count, f.review_count
	FROM ranked r JOIN films f ON f.id = r.film_id
	WHERE r.n = 1
	ORDER BY r.film_minor, f.rating_count + f.review_count DESC, f.year DESC, lower(f.title), f.id
	LIMIT $2`

// knownFor reads the films the person with the given id is best known
// for, at most limit of them.
func knownFor(ctx context.Context, q querier, personID int64, limit int) ([]film.KnownFor, error) {
	films, err := scanAll(ctx, q, knownForQuery, []any{personID, limit},
		func(rows pgx.Rows) (k film.KnownFor, err error) {
			err = rows.Scan(filmsql.KnownForDest(&k)...)
			return
		})
	if err != nil {
		return nil, fmt.Errorf("known for: %w", err)
	}
	return films, nil
}

// findPerson reads the person with the given slug and their credits,
// newest film first. It returns film.ErrNotFound when there is none.
func findPerson(ctx context.Context, q querier, slug string) (film.Person, []film.PersonCredit, error) {
	var (
		p       film.Person
		credits []film.PersonCredit
	)
	err := func() error {
		err := q.QueryRow(ctx, personQuery, slug).Scan(append([]any{&p.ID, &p.Slug, &p.Name}, filmsql.PersonDetailDest(&p)...)...)
		if errors.Is(err, pgx.ErrNoRows) {
			return film.ErrNotFound
		}
		if err != nil {
			return err
		}
		p.AlsoKnownAs, err = stringList(ctx, q, personAliasesQuery, p.ID)
		if err != nil {
			return fmt.Errorf("aliases: %w", err)
		}
		credits, err = scanAll(ctx, q, personCreditsQuery, []any{p.ID},
			func(rows pgx.Rows) (c film.PersonCredit, err error) {
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

// criticReviewsOfPersonsFilmsQuery lists the newest public critic
// reviews, with their films' summaries, of the films the person its first
// argument names is credited on; the others are the time and the limit.
// It starts from the person's films and sorts their reviews, a few.
const criticReviewsOfPersonsFilmsQuery = `SELECT ` + filmsql.CriticReviewSelect + `, ` + summaryColumns + `
	FROM (SELECT DISTINCT film_id FROM credits WHERE person_id = $1) pf
	JOIN critic_reviews r ON r.film_id = pf.film_id` + filmsql.CriticReviewJoins + `
	WHERE r.status IN ('published', 'scheduled') AND r.published_at <= $2
	ORDER BY r.published_at DESC, r.id DESC LIMIT $3`

// criticReviewsOfPersonsFilms returns the newest public critic reviews of
// films a person is credited on.
func criticReviewsOfPersonsFilms(ctx context.Context, q querier, personID int64, now time.Time, limit int) ([]film.ReviewedFilm, error) {
	out, err := scanAll(ctx, q, criticReviewsOfPersonsFilmsQuery, []any{personID, now, limit}, scanReviewedFilm)
	if err != nil {
		return nil, fmt.Errorf("reviews of person %d's films: %w", personID, err)
	}
	return out, nil
}

// scanReviewedFilm reads a critic review followed by its film's summary
// columns.
func scanReviewedFilm(rows pgx.Rows) (film.ReviewedFilm, error) {
	var rf film.ReviewedFilm
	reviewDest, finishReview := criticReviewDest(&rf.Review)
	summaryDest, finishSummary := summaryDest(&rf.Film)
	err := rows.Scan(append(reviewDest, summaryDest...)...)
	finishReview()
	finishSummary()
	return rf, err
}

// personDetailAssignments sets every detail column from the arguments
// numbered from first on, in filmsql.PersonDetailColumns order, for an
// UPDATE.
func personDetailAssignments(first int) string {
	var parts []string
	for i, c := range strings.Split(filmsql.PersonDetailColumns, ", ") {
		parts = append(parts, c+" = $"+strconv.Itoa(first+i))
	}
	return strings.Join(parts, ", ")
}
