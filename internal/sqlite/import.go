package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"marquee/internal/film"
)

// Import adds the records of c that the database does not hold yet, all in
// one transaction: if any record fails, nothing is written. Records already
// present (people and films by slug, critic reviews by slug, reader reviews
// by film, name, title and time) are left unchanged, so importing the same
// catalogue twice changes nothing. The caller validates c first (see
// internal/catalog); references to people or films that exist neither in c
// nor in the database fail the import.
func (db *DB) Import(ctx context.Context, c film.Catalog) (film.ImportReport, error) {
	var report film.ImportReport
	err := db.inWriteTx(ctx, func(tx *sql.Tx) error {
		report = film.ImportReport{}
		for _, p := range c.People {
			added, err := importPerson(ctx, tx, p)
			if err != nil {
				return err
			}
			count(&report, added).People++
		}
		for _, f := range c.Films {
			added, err := importFilm(ctx, tx, f)
			if err != nil {
				return err
			}
			count(&report, added).Films++
		}
		for _, r := range c.CriticReviews {
			added, err := importCriticReview(ctx, tx, r)
			if err != nil {
				return err
			}
			count(&report, added).CriticReviews++
		}
		for _, r := range c.ReaderReviews {
			added, err := importReaderReview(ctx, tx, r)
			if err != nil {
				return err
			}
			count(&report, added).ReaderReviews++
		}
		return nil
	})
	if err != nil {
		return film.ImportReport{}, fmt.Errorf("import: %w", err)
	}
	return report, nil
}

func count(r *film.ImportReport, added bool) *film.CatalogCounts {
	if added {
		return &r.Added
	}
	return &r.Unchanged
}

// idBySlug finds the id of the row in table with the given slug; table is
// always a constant from this package.
func idBySlug(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, table, slug string) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, "SELECT id FROM "+table+" WHERE slug = ?", slug).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("%s %q: %w", table, slug, film.ErrNotFound)
	}
	if err != nil {
		return 0, fmt.Errorf("find %s %q: %w", table, slug, err)
	}
	return id, nil
}

func importPerson(ctx context.Context, tx *sql.Tx, p film.Person) (bool, error) {
	res, err := tx.ExecContext(ctx, "INSERT INTO people (slug, name) VALUES (?, ?) ON CONFLICT (slug) DO NOTHING", p.Slug, p.Name)
	if err != nil {
		return false, fmt.Errorf("person %s: %w", p.Slug, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return false, nil
	}
	id, err := res.LastInsertId()
	if err != nil {
		return false, fmt.Errorf("person %s: %w", p.Slug, err)
	}
	for i, aka := range p.AlsoKnownAs {
		if _, err := tx.ExecContext(ctx, "INSERT INTO person_aliases (person_id, position, name) VALUES (?, ?, ?)", id, i, aka); err != nil {
			return false, fmt.Errorf("person %s alias: %w", p.Slug, err)
		}
	}
	return true, nil
}

func importFilm(ctx context.Context, tx *sql.Tx, f film.Film) (bool, error) {
	var budgetAmount, budgetCurrency any
	if f.Budget != nil {
		budgetAmount, budgetCurrency = f.Budget.Amount, f.Budget.Currency
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO films
		(slug, title, original_title, title_language, year, runtime_minutes, synopsis, plot_intro, filming_started, budget_amount, budget_currency)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (slug) DO NOTHING`,
		f.Slug, f.Title, f.OriginalTitle, f.TitleLanguage, f.Year, nullIfZero(f.RuntimeMinutes), f.Synopsis, f.PlotIntro,
		nullIfEmpty(string(f.FilmingStarted)), budgetAmount, budgetCurrency)
	if err != nil {
		return false, fmt.Errorf("film %s: %w", f.Slug, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return false, nil
	}
	id, err := res.LastInsertId()
	if err != nil {
		return false, fmt.Errorf("film %s: %w", f.Slug, err)
	}
	if err := insertFilmRecord(ctx, tx, id, f); err != nil {
		return false, fmt.Errorf("film %s: %w", f.Slug, err)
	}
	return true, nil
}

// insertFilmRecord writes the child rows of film id: everything on f but
// the columns of the films table itself.
func insertFilmRecord(ctx context.Context, tx *sql.Tx, id int64, f film.Film) error {
	// rows collects the inserts so each list is written the same way, with
	// its position, and an error names the list it came from.
	type insert struct {
		what string
		sql  string
		args []any
	}
	var rows []insert
	add := func(what, query string, args ...any) { rows = append(rows, insert{what, query, args}) }

	for i, c := range f.Countries {
		add("country", "INSERT INTO film_countries (film_id, position, country) VALUES (?, ?, ?)", id, i, c)
	}
	for i, l := range f.Languages {
		add("language", "INSERT INTO film_languages (film_id, position, language) VALUES (?, ?, ?)", id, i, l)
	}
	for i, g := range f.Genres {
		add("genre", "INSERT INTO film_genres (film_id, position, genre) VALUES (?, ?, ?)", id, i, g)
	}
	for i, t := range f.Plot {
		add("plot thread", "INSERT INTO plot_threads (film_id, position, character, body) VALUES (?, ?, ?, ?)", id, i, t.Character, t.Text)
	}
	for i, c := range f.Companies {
		add("company", "INSERT INTO companies (name) VALUES (?) ON CONFLICT (name) DO NOTHING", c.Name)
		add("company credit", `INSERT INTO film_companies (film_id, position, company_id, role, territory)
			VALUES (?, ?, (SELECT id FROM companies WHERE name = ?), ?, ?)`, id, i, c.Name, string(c.Role), c.Territory)
	}
	for i, r := range f.Releases {
		add("release date", "INSERT INTO release_dates (film_id, position, country, date, note) VALUES (?, ?, ?, ?, ?)",
			id, i, r.Country, string(r.Date), r.Note)
	}
	for i, b := range f.BoxOffice {
		add("box office figure", `INSERT INTO box_office (film_id, position, kind, amount, currency, territory, screens, as_of, source)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			id, i, string(b.Kind), b.Amount.Amount, b.Amount.Currency, b.Territory, nullIfZero(b.Screens), nullIfEmpty(string(b.AsOf)), b.Source)
	}
	for i, l := range f.Locations {
		add("filming location", "INSERT INTO filming_locations (film_id, position, place, address) VALUES (?, ?, ?, ?)", id, i, l.Place, l.Address)
	}
	for i, w := range f.Websites {
		add("website", "INSERT INTO websites (film_id, position, label, url, territory) VALUES (?, ?, ?, ?, ?)", id, i, w.Label, w.URL, w.Territory)
	}
	if s := f.Soundtrack; s != nil {
		add("soundtrack", "INSERT INTO soundtracks (film_id, title, notes, chart_peak, chart_territory) VALUES (?, ?, ?, ?, ?)",
			id, s.Title, s.Notes, nullIfZero(s.ChartPeak), s.ChartTerritory)
		for _, t := range s.Tracks {
			add("soundtrack track", "INSERT INTO soundtrack_tracks (film_id, number, artist, title) VALUES (?, ?, ?, ?)", id, t.Number, t.Artist, t.Title)
		}
	}
	for i, s := range f.Scores {
		var average, averageScale any
		if s.Average != 0 {
			average, averageScale = s.Average, s.AverageScale
		}
		add("external score", `INSERT INTO external_scores
			(film_id, position, source, kind, value, scale, count, count_unit, average, average_scale, summary, consensus, as_of, cited_in)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			id, i, s.Source, string(s.Kind), s.Value, s.Scale, nullIfZero(s.Count), s.CountUnit, average, averageScale,
			s.Summary, s.Consensus, nullIfEmpty(string(s.AsOf)), s.CitedIn)
	}
	for i, q := range f.PressQuotes {
		add("press quote", "INSERT INTO press_quotes (film_id, position, critic, publication, quote) VALUES (?, ?, ?, ?, ?)",
			id, i, q.Critic, q.Publication, q.Quote)
	}
	for i, a := range f.Awards {
		add("award", "INSERT INTO awards (film_id, position, name, event, year, category, outcome) VALUES (?, ?, ?, ?, ?, ?, ?)",
			id, i, a.Name, a.Event, a.Year, a.Category, string(a.Outcome))
	}
	for i, t := range f.Trivia {
		add("trivia", "INSERT INTO trivia (film_id, position, body) VALUES (?, ?, ?)", id, i, t.Text)
	}
	for i, g := range f.Goofs {
		add("goof", "INSERT INTO goofs (film_id, position, category, body) VALUES (?, ?, ?, ?)", id, i, g.Category, g.Text)
	}
	for i, q := range f.Quotes {
		add("quote", "INSERT INTO quotes (film_id, position, character, body) VALUES (?, ?, ?, ?)", id, i, q.Character, q.Text)
	}
	for _, r := range rows {
		if _, err := tx.ExecContext(ctx, r.sql, r.args...); err != nil {
			return fmt.Errorf("%s: %w", r.what, err)
		}
	}
	for i, c := range f.Credits {
		personID, err := idBySlug(ctx, tx, "people", c.PersonSlug)
		if err != nil {
			return fmt.Errorf("credit %d: %w", i, err)
		}
		billing := c.Billing
		if c.Role != film.RoleCast {
			// Crew keep the order in which they are listed.
			billing = i
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO credits (film_id, person_id, role, character, billing, credited_as)
			VALUES (?, ?, ?, ?, ?, ?)`, id, personID, string(c.Role), c.Character, billing, c.CreditedAs); err != nil {
			return fmt.Errorf("credit %d (%s, %s): %w", i, c.PersonSlug, c.Role, err)
		}
	}
	return nil
}

func importCriticReview(ctx context.Context, tx *sql.Tx, r film.CriticReview) (bool, error) {
	filmID, err := idBySlug(ctx, tx, "films", r.FilmSlug)
	if err != nil {
		return false, fmt.Errorf("critic review %s: %w", r.Slug, err)
	}
	var ratingValue, ratingScale, authorID any
	if r.Rating != nil {
		ratingValue, ratingScale = r.Rating.Value, r.Rating.Scale
	}
	if r.AuthorSlug != "" {
		if authorID, err = idBySlug(ctx, tx, "people", r.AuthorSlug); err != nil {
			return false, fmt.Errorf("critic review %s author: %w", r.Slug, err)
		}
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO critic_reviews
		(slug, film_id, headline, author, author_person_id, publication, rating_value, rating_scale, pull_quote, body, spoilers, status, published_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (slug) DO NOTHING`,
		r.Slug, filmID, r.Headline, r.Author, authorID, r.Publication, ratingValue, ratingScale, r.PullQuote, r.Body, r.Spoilers,
		string(r.Status), formatTime(r.PublishedAt), formatTime(r.UpdatedAt))
	if err != nil {
		return false, fmt.Errorf("critic review %s: %w", r.Slug, err)
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

func importReaderReview(ctx context.Context, tx *sql.Tx, r film.ReaderReview) (bool, error) {
	filmID, err := idBySlug(ctx, tx, "films", r.FilmSlug)
	if err != nil {
		return false, fmt.Errorf("reader review %q: %w", r.Title, err)
	}
	created := formatTime(r.CreatedAt)
	var exists int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM reader_reviews
		WHERE film_id = ? AND display_name = ? AND title = ? AND created_at = ?`,
		filmID, r.DisplayName, r.Title, created).Scan(&exists); err != nil {
		return false, fmt.Errorf("reader review %q: %w", r.Title, err)
	}
	if exists > 0 {
		return false, nil
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO reader_reviews (film_id, display_name, title, rating, body, spoilers, status, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		filmID, r.DisplayName, r.Title, r.Rating, r.Body, r.Spoilers, string(r.Status), created); err != nil {
		return false, fmt.Errorf("reader review %q: %w", r.Title, err)
	}
	return true, nil
}
