package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"marquee/internal/film"
)

// querier is what both *sql.DB and *sql.Tx offer for reading, so helpers
// can run inside or outside a transaction.
type querier interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
	QueryRowContext(context.Context, string, ...any) *sql.Row
}

// The statements of findFilm: the film with the slug its argument gives,
// and the lists of the film whose id the others take, each in its stored
// order.
const (
	filmQuery = `SELECT id, slug, title, original_title, title_language, year, runtime_minutes,
		synopsis, plot_intro, filming_started, budget_amount, budget_currency FROM films WHERE slug = ?`
	filmCountriesQuery = "SELECT country FROM film_countries WHERE film_id = ? ORDER BY position"
	filmLanguagesQuery = "SELECT language FROM film_languages WHERE film_id = ? ORDER BY position"
	filmGenresQuery    = "SELECT genre FROM film_genres WHERE film_id = ? ORDER BY position"
	plotThreadsQuery   = "SELECT character, body FROM plot_threads WHERE film_id = ? ORDER BY position"
	filmCreditsQuery   = `SELECT p.slug, p.name, c.role, c.character, c.billing, c.credited_as
		FROM credits c JOIN people p ON p.id = c.person_id
		WHERE c.film_id = ?
		ORDER BY CASE c.role WHEN 'director' THEN 0 WHEN 'writer' THEN 1 WHEN 'producer' THEN 2 WHEN 'cast' THEN 3
			WHEN 'cinematography' THEN 4 WHEN 'editing' THEN 5 ELSE 6 END, c.billing, c.id`
	filmCompaniesQuery = `SELECT co.slug, co.name, fc.role, fc.territory FROM film_companies fc JOIN companies co ON co.id = fc.company_id
		WHERE fc.film_id = ? ORDER BY fc.position`
	releasesQuery  = "SELECT country, date, note FROM release_dates WHERE film_id = ? ORDER BY position"
	boxOfficeQuery = `SELECT kind, amount, currency, territory, screens, as_of, source
		FROM box_office WHERE film_id = ? ORDER BY position`
	locationsQuery        = "SELECT place, address FROM filming_locations WHERE film_id = ? ORDER BY position"
	websitesQuery         = "SELECT label, url, territory FROM websites WHERE film_id = ? ORDER BY position"
	soundtrackQuery       = "SELECT title, notes, chart_peak, chart_territory FROM soundtracks WHERE film_id = ?"
	soundtrackTracksQuery = "SELECT number, artist, title FROM soundtrack_tracks WHERE film_id = ? ORDER BY number"
	externalScoresQuery   = `SELECT source, kind, value, scale, count, count_unit, average, average_scale, summary, consensus, as_of, cited_in
		FROM external_scores WHERE film_id = ? ORDER BY position`
	pressQuotesQuery = "SELECT critic, publication, quote FROM press_quotes WHERE film_id = ? ORDER BY position"
	awardsQuery      = "SELECT name, event, year, category, outcome FROM awards WHERE film_id = ? ORDER BY position"
	triviaQuery      = "SELECT body FROM trivia WHERE film_id = ? ORDER BY position"
	goofsQuery       = "SELECT category, body FROM goofs WHERE film_id = ? ORDER BY position"
	quotesQuery      = "SELECT character, body FROM quotes WHERE film_id = ? ORDER BY position"
)

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

func findFilm(ctx context.Context, tx *sql.Tx, slug string) (film.Film, error) {
	var (
		f              film.Film
		runtime        sql.NullInt64
		filmingStarted sql.NullString
		budgetAmount   sql.NullInt64
		budgetCurrency sql.NullString
	)
	err := tx.QueryRowContext(ctx, filmQuery, slug).Scan(
		&f.ID, &f.Slug, &f.Title, &f.OriginalTitle, &f.TitleLanguage, &f.Year, &runtime,
		&f.Synopsis, &f.PlotIntro, &filmingStarted, &budgetAmount, &budgetCurrency)
	if errors.Is(err, sql.ErrNoRows) {
		return film.Film{}, film.ErrNotFound
	}
	if err != nil {
		return film.Film{}, err
	}
	f.RuntimeMinutes = int(runtime.Int64)
	f.FilmingStarted = film.Date(filmingStarted.String)
	if budgetAmount.Valid {
		f.Budget = &film.Money{Amount: budgetAmount.Int64, Currency: budgetCurrency.String}
	}

	// Each list is read by one query in its stored order. The scans are
	// written out per list: a generic reader would hide the column lists
	// that a reader of this file wants to see.
	steps := []struct {
		what string
		run  func() error
	}{
		{"countries", func() (err error) {
			f.Countries, err = stringList(ctx, tx, filmCountriesQuery, f.ID)
			return
		}},
		{"languages", func() (err error) {
			f.Languages, err = stringList(ctx, tx, filmLanguagesQuery, f.ID)
			return
		}},
		{"genres", func() (err error) {
			f.Genres, err = stringList(ctx, tx, filmGenresQuery, f.ID)
			return
		}},
		{"plot", func() (err error) { f.Plot, err = plotThreads(ctx, tx, f.ID); return }},
		{"credits", func() (err error) { f.Credits, err = filmCredits(ctx, tx, f.ID); return }},
		{"companies", func() (err error) { f.Companies, err = filmCompanies(ctx, tx, f.ID); return }},
		{"releases", func() (err error) { f.Releases, err = releases(ctx, tx, f.ID); return }},
		{"box office", func() (err error) { f.BoxOffice, err = boxOffice(ctx, tx, f.ID); return }},
		{"locations", func() (err error) { f.Locations, err = locations(ctx, tx, f.ID); return }},
		{"websites", func() (err error) { f.Websites, err = websites(ctx, tx, f.ID); return }},
		{"soundtrack", func() (err error) { f.Soundtrack, err = soundtrack(ctx, tx, f.ID); return }},
		{"external scores", func() (err error) { f.Scores, err = externalScores(ctx, tx, f.ID); return }},
		{"press quotes", func() (err error) { f.PressQuotes, err = pressQuotes(ctx, tx, f.ID); return }},
		{"awards", func() (err error) { f.Awards, err = awards(ctx, tx, f.ID); return }},
		{"trivia", func() (err error) { f.Trivia, err = trivia(ctx, tx, f.ID); return }},
		{"goofs", func() (err error) { f.Goofs, err = goofs(ctx, tx, f.ID); return }},
		{"quotes", func() (err error) { f.Quotes, err = quotes(ctx, tx, f.ID); return }},
	}
	for _, s := range steps {
		if err := s.run(); err != nil {
			return film.Film{}, fmt.Errorf("%s: %w", s.what, err)
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

func plotThreads(ctx context.Context, q querier, id int64) ([]film.PlotThread, error) {
	return scanAll(ctx, q, plotThreadsQuery, []any{id},
		func(rows *sql.Rows) (t film.PlotThread, err error) {
			err = rows.Scan(&t.Character, &t.Text)
			return
		})
}

func filmCredits(ctx context.Context, q querier, id int64) ([]film.Credit, error) {
	return scanAll(ctx, q, filmCreditsQuery, []any{id},
		func(rows *sql.Rows) (c film.Credit, err error) {
			err = rows.Scan(&c.PersonSlug, &c.PersonName, &c.Role, &c.Character, &c.Billing, &c.CreditedAs)
			return
		})
}

func filmCompanies(ctx context.Context, q querier, id int64) ([]film.CompanyCredit, error) {
	return scanAll(ctx, q, filmCompaniesQuery, []any{id},
		func(rows *sql.Rows) (c film.CompanyCredit, err error) {
			err = rows.Scan(&c.Slug, &c.Name, &c.Role, &c.Territory)
			return
		})
}

func releases(ctx context.Context, q querier, id int64) ([]film.Release, error) {
	return scanAll(ctx, q, releasesQuery, []any{id},
		func(rows *sql.Rows) (r film.Release, err error) {
			err = rows.Scan(&r.Country, &r.Date, &r.Note)
			return
		})
}

func boxOffice(ctx context.Context, q querier, id int64) ([]film.BoxOffice, error) {
	return scanAll(ctx, q, boxOfficeQuery, []any{id},
		func(rows *sql.Rows) (b film.BoxOffice, err error) {
			var screens sql.NullInt64
			var asOf sql.NullString
			err = rows.Scan(&b.Kind, &b.Amount.Amount, &b.Amount.Currency, &b.Territory, &screens, &asOf, &b.Source)
			b.Screens, b.AsOf = int(screens.Int64), film.Date(asOf.String)
			return
		})
}

func locations(ctx context.Context, q querier, id int64) ([]film.Location, error) {
	return scanAll(ctx, q, locationsQuery, []any{id},
		func(rows *sql.Rows) (l film.Location, err error) {
			err = rows.Scan(&l.Place, &l.Address)
			return
		})
}

func websites(ctx context.Context, q querier, id int64) ([]film.Website, error) {
	return scanAll(ctx, q, websitesQuery, []any{id},
		func(rows *sql.Rows) (w film.Website, err error) {
			err = rows.Scan(&w.Label, &w.URL, &w.Territory)
			return
		})
}

func soundtrack(ctx context.Context, q querier, id int64) (*film.Soundtrack, error) {
	var s film.Soundtrack
	var peak sql.NullInt64
	err := q.QueryRowContext(ctx, soundtrackQuery, id).
		Scan(&s.Title, &s.Notes, &peak, &s.ChartTerritory)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil // A film without a soundtrack album is normal, not an error.
	}
	if err != nil {
		return nil, err
	}
	s.ChartPeak = int(peak.Int64)
	s.Tracks, err = scanAll(ctx, q, soundtrackTracksQuery, []any{id},
		func(rows *sql.Rows) (t film.Track, err error) {
			err = rows.Scan(&t.Number, &t.Artist, &t.Title)
			return
		})
	if err != nil {
		return nil, err
	}
	return &s, nil
}

func externalScores(ctx context.Context, q querier, id int64) ([]film.ExternalScore, error) {
	return scanAll(ctx, q, externalScoresQuery, []any{id},
		func(rows *sql.Rows) (s film.ExternalScore, err error) {
			var count sql.NullInt64
			var average, averageScale sql.NullFloat64
			var asOf sql.NullString
			err = rows.Scan(&s.Source, &s.Kind, &s.Value, &s.Scale, &count, &s.CountUnit, &average, &averageScale,
				&s.Summary, &s.Consensus, &asOf, &s.CitedIn)
			s.Count, s.Average, s.AverageScale, s.AsOf = int(count.Int64), average.Float64, averageScale.Float64, film.Date(asOf.String)
			return
		})
}

func pressQuotes(ctx context.Context, q querier, id int64) ([]film.PressQuote, error) {
	return scanAll(ctx, q, pressQuotesQuery, []any{id},
		func(rows *sql.Rows) (p film.PressQuote, err error) {
			err = rows.Scan(&p.Critic, &p.Publication, &p.Quote)
			return
		})
}

func awards(ctx context.Context, q querier, id int64) ([]film.Award, error) {
	return scanAll(ctx, q, awardsQuery, []any{id},
		func(rows *sql.Rows) (a film.Award, err error) {
			err = rows.Scan(&a.Name, &a.Event, &a.Year, &a.Category, &a.Outcome)
			return
		})
}

func trivia(ctx context.Context, q querier, id int64) ([]film.Trivia, error) {
	return scanAll(ctx, q, triviaQuery, []any{id},
		func(rows *sql.Rows) (t film.Trivia, err error) {
			err = rows.Scan(&t.Text)
			return
		})
}

func goofs(ctx context.Context, q querier, id int64) ([]film.Goof, error) {
	return scanAll(ctx, q, goofsQuery, []any{id},
		func(rows *sql.Rows) (g film.Goof, err error) {
			err = rows.Scan(&g.Category, &g.Text)
			return
		})
}

func quotes(ctx context.Context, q querier, id int64) ([]film.Quote, error) {
	return scanAll(ctx, q, quotesQuery, []any{id},
		func(rows *sql.Rows) (qu film.Quote, err error) {
			err = rows.Scan(&qu.Character, &qu.Text)
			return
		})
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
