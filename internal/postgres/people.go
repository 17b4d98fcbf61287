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
			coalesce(f.runtime_minutes, 0), c.role, c.character, c.credited_as, c.billing,
			f.rating_count, f.review_count
		FROM credits c JOIN films f ON f.id = c.film_id
		WHERE c.person_id = $1
		ORDER BY f.year DESC, lower(f.title), f.id, ` + filmsql.PersonCreditOrder
)

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
