package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"marquee/internal/film"
)

// The statements of CompanyPage: the company with the slug its argument
// gives, and the films of the company with the id its first argument
// gives, newest first, at most as many as its second.
const (
	companyQuery      = "SELECT id, slug, name FROM companies WHERE slug = ?"
	companyFilmsQuery = `SELECT ` + summaryColumns + `, fc.role, fc.territory
		FROM film_companies fc JOIN films f ON f.id = fc.film_id
		WHERE fc.company_id = ?
		ORDER BY f.year DESC, f.title COLLATE NOCASE, f.id, CASE fc.role WHEN 'studio' THEN 0 ELSE 1 END LIMIT +?`
)

// CompanyPage returns the company with the given slug and up to limit of
// its films, newest first, or film.ErrNotFound.
func (db *DB) CompanyPage(ctx context.Context, slug string, limit int) (film.CompanyPage, error) {
	var (
		c     film.Company
		films []film.CompanyFilm
	)
	err := db.inPageTx(ctx, func(tx querier) error {
		err := tx.QueryRowContext(ctx, companyQuery, slug).Scan(&c.ID, &c.Slug, &c.Name)
		if errors.Is(err, sql.ErrNoRows) {
			return film.ErrNotFound
		}
		if err != nil {
			return err
		}
		films, err = scanAll(ctx, tx, companyFilmsQuery, []any{c.ID, limit},
			func(rows *sql.Rows) (cf film.CompanyFilm, err error) {
				var directors string
				err = rows.Scan(&cf.Film.ID, &cf.Film.Slug, &cf.Film.Title, &cf.Film.OriginalTitle, &cf.Film.TitleLanguage,
					&cf.Film.Year, &cf.Film.RuntimeMinutes, &cf.Film.Synopsis, &directors, &cf.Role, &cf.Territory)
				cf.Film.Directors = splitNames(directors)
				return
			})
		if err != nil {
			return err
		}
		sums := make([]*film.Summary, len(films))
		for i := range films {
			sums[i] = &films[i].Film
		}
		return attachPosters(ctx, tx, sums)
	})
	if err != nil {
		return film.CompanyPage{}, fmt.Errorf("company page %q: %w", slug, err)
	}
	return film.CompanyPage{Company: c, Films: films}, nil
}
