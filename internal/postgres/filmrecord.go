package postgres

import (
	"database/sql"
	"fmt"
	"strings"

	"marquee/internal/film"
)

// This file is internal/sqlite/filmrecord.go for PostgreSQL: the film
// record described once, so writing, reading and clearing it follow one
// list. Keep the two alike.

// filmField is one column of the films table that a film's record sets:
// how it is written (value) and where it is read into (dest, a pointer or
// sql.Scanner), side by side. A field added to the record is one entry
// here (with its migration).
type filmField struct {
	column string
	value  func(f film.Film) any
	dest   func(f *film.Film) any
}

// filmFields are the films table's columns that the record sets, in the
// order filmColumns names them.
var filmFields = []filmField{
	{"slug", func(f film.Film) any { return f.Slug }, func(f *film.Film) any { return &f.Slug }},
	{"title", func(f film.Film) any { return f.Title }, func(f *film.Film) any { return &f.Title }},
	{"original_title", func(f film.Film) any { return f.OriginalTitle }, func(f *film.Film) any { return &f.OriginalTitle }},
	{"title_language", func(f film.Film) any { return f.TitleLanguage }, func(f *film.Film) any { return &f.TitleLanguage }},
	{"year", func(f film.Film) any { return f.Year }, func(f *film.Film) any { return &f.Year }},
	{"runtime_minutes", func(f film.Film) any { return nullIfZero(f.RuntimeMinutes) }, func(f *film.Film) any { return nullInt{&f.RuntimeMinutes} }},
	{"synopsis", func(f film.Film) any { return f.Synopsis }, func(f *film.Film) any { return &f.Synopsis }},
	{"plot_intro", func(f film.Film) any { return f.PlotIntro }, func(f *film.Film) any { return &f.PlotIntro }},
	{"filming_started", func(f film.Film) any { return nullIfEmpty(string(f.FilmingStarted)) },
		func(f *film.Film) any { return nullString{(*string)(&f.FilmingStarted)} }},
	// A budget is stored as two columns, both NULL when it is unknown.
	{"budget_amount", func(f film.Film) any {
		if f.Budget == nil {
			return nil
		}
		return f.Budget.Amount
	}, func(f *film.Film) any { return budgetPart{f, false} }},
	{"budget_currency", func(f film.Film) any {
		if f.Budget == nil {
			return nil
		}
		return f.Budget.Currency
	}, func(f *film.Film) any { return budgetPart{f, true} }},
}

// filmColumns are the columns of filmFields, comma-separated.
var filmColumns = func() string {
	names := make([]string, len(filmFields))
	for i, c := range filmFields {
		names[i] = c.column
	}
	return strings.Join(names, ", ")
}()

// filmValues are f's values of filmFields.
func filmValues(f film.Film) []any {
	values := make([]any, len(filmFields))
	for i, c := range filmFields {
		values[i] = c.value(f)
	}
	return values
}

// filmDests are where a scan of filmColumns puts each into f.
func filmDests(f *film.Film) []any {
	dests := make([]any, len(filmFields))
	for i, c := range filmFields {
		dests[i] = c.dest(f)
	}
	return dests
}

// nullInt scans an integer column where NULL means unknown (0).
type nullInt struct{ v *int }

func (n nullInt) Scan(src any) error {
	var v sql.NullInt64
	err := v.Scan(src)
	*n.v = int(v.Int64)
	return err
}

// nullString scans a text column where NULL means unknown ("").
type nullString struct{ v *string }

func (n nullString) Scan(src any) error {
	var v sql.NullString
	err := v.Scan(src)
	*n.v = v.String
	return err
}

// budgetPart scans one column of a film's budget, making the budget when
// the column is not NULL.
type budgetPart struct {
	f        *film.Film
	currency bool
}

func (b budgetPart) Scan(src any) error {
	if src == nil {
		return nil
	}
	if b.f.Budget == nil {
		b.f.Budget = &film.Money{}
	}
	if b.currency {
		var v sql.NullString
		err := v.Scan(src)
		b.f.Budget.Currency = v.String
		return err
	}
	var v sql.NullInt64
	err := v.Scan(src)
	b.f.Budget.Amount = v.Int64
	return err
}

// recordList is one list of a film's record that lives in a table of its
// own: how the store writes it, reads it back and clears it, side by side,
// so the three cannot drift apart. A column added to a list, or a list
// added to the record, is one entry here (with its migration).
type recordList struct {
	// name names the list in errors.
	name  string
	table string
	// query reads the list of one film, whose id is its one argument, in
	// the list's order; scan appends one row of it to f.
	query string
	scan  func(f *film.Film, scan func(dest ...any) error) error
	// write adds the rows of f's list: what names the row in errors, and
	// columns and values follow film_id, which the caller supplies.
	write func(f film.Film, add func(what, columns string, values ...any))
}

// recordLists are the lists of a film's record in the order they are written
// (which respects foreign keys: tracks after their soundtrack) and read.
var recordLists = []recordList{
	{
		name: "countries", table: "film_countries",
		query: "SELECT country FROM film_countries WHERE film_id = $1 ORDER BY position",
		scan: func(f *film.Film, scan func(...any) error) error {
			var s string
			err := scan(&s)
			f.Countries = append(f.Countries, s)
			return err
		},
		write: func(f film.Film, add func(string, string, ...any)) {
			for i, c := range f.Countries {
				add("country", "position, country", i, c)
			}
		},
	},
	{
		name: "languages", table: "film_languages",
		query: "SELECT language FROM film_languages WHERE film_id = $1 ORDER BY position",
		scan: func(f *film.Film, scan func(...any) error) error {
			var s string
			err := scan(&s)
			f.Languages = append(f.Languages, s)
			return err
		},
		write: func(f film.Film, add func(string, string, ...any)) {
			for i, l := range f.Languages {
				add("language", "position, language", i, l)
			}
		},
	},
	{
		name: "genres", table: "film_genres",
		query: "SELECT genre FROM film_genres WHERE film_id = $1 ORDER BY position",
		scan: func(f *film.Film, scan func(...any) error) error {
			var s string
			err := scan(&s)
			f.Genres = append(f.Genres, s)
			return err
		},
		write: func(f film.Film, add func(string, string, ...any)) {
			for i, g := range f.Genres {
				add("genre", "position, genre", i, g)
			}
		},
	},
	{
		name: "plot", table: "plot_threads",
		query: "SELECT character, body FROM plot_threads WHERE film_id = $1 ORDER BY position",
		scan: func(f *film.Film, scan func(...any) error) error {
			var t film.PlotThread
			err := scan(&t.Character, &t.Text)
			f.Plot = append(f.Plot, t)
			return err
		},
		write: func(f film.Film, add func(string, string, ...any)) {
			for i, t := range f.Plot {
				add("plot thread", "position, character, body", i, t.Character, t.Text)
			}
		},
	},
	{
		name: "companies", table: "film_companies",
		query: `SELECT co.slug, co.name, fc.role, fc.territory FROM film_companies fc JOIN companies co ON co.id = fc.company_id
			WHERE fc.film_id = $1 ORDER BY fc.position`,
		scan: func(f *film.Film, scan func(...any) error) error {
			var c film.CompanyCredit
			err := scan(&c.Slug, &c.Name, &c.Role, &c.Territory)
			f.Companies = append(f.Companies, c)
			return err
		},
		write: func(f film.Film, add func(string, string, ...any)) {
			for i, c := range f.Companies {
				add("company credit", "position, company_id, role, territory", i, companyRef(c.Name), string(c.Role), c.Territory)
			}
		},
	},
	{
		name: "releases", table: "release_dates",
		query: "SELECT country, date, note FROM release_dates WHERE film_id = $1 ORDER BY position",
		scan: func(f *film.Film, scan func(...any) error) error {
			var r film.Release
			err := scan(&r.Country, &r.Date, &r.Note)
			f.Releases = append(f.Releases, r)
			return err
		},
		write: func(f film.Film, add func(string, string, ...any)) {
			for i, r := range f.Releases {
				add("release date", "position, country, date, note", i, r.Country, string(r.Date), r.Note)
			}
		},
	},
	{
		name: "box office", table: "box_office",
		query: `SELECT kind, amount, currency, territory, screens, as_of, source
			FROM box_office WHERE film_id = $1 ORDER BY position`,
		scan: func(f *film.Film, scan func(...any) error) error {
			var (
				b       film.BoxOffice
				screens sql.NullInt64
				asOf    sql.NullString
			)
			err := scan(&b.Kind, &b.Amount.Amount, &b.Amount.Currency, &b.Territory, &screens, &asOf, &b.Source)
			b.Screens, b.AsOf = int(screens.Int64), film.Date(asOf.String)
			f.BoxOffice = append(f.BoxOffice, b)
			return err
		},
		write: func(f film.Film, add func(string, string, ...any)) {
			for i, b := range f.BoxOffice {
				add("box office figure", "position, kind, amount, currency, territory, screens, as_of, source",
					i, string(b.Kind), b.Amount.Amount, b.Amount.Currency, b.Territory, nullIfZero(b.Screens), nullIfEmpty(string(b.AsOf)), b.Source)
			}
		},
	},
	{
		name: "filming locations", table: "filming_locations",
		query: "SELECT place, address FROM filming_locations WHERE film_id = $1 ORDER BY position",
		scan: func(f *film.Film, scan func(...any) error) error {
			var l film.Location
			err := scan(&l.Place, &l.Address)
			f.Locations = append(f.Locations, l)
			return err
		},
		write: func(f film.Film, add func(string, string, ...any)) {
			for i, l := range f.Locations {
				add("filming location", "position, place, address", i, l.Place, l.Address)
			}
		},
	},
	{
		name: "websites", table: "websites",
		query: "SELECT label, url, territory FROM websites WHERE film_id = $1 ORDER BY position",
		scan: func(f *film.Film, scan func(...any) error) error {
			var w film.Website
			err := scan(&w.Label, &w.URL, &w.Territory)
			f.Websites = append(f.Websites, w)
			return err
		},
		write: func(f film.Film, add func(string, string, ...any)) {
			for i, w := range f.Websites {
				add("website", "position, label, url, territory", i, w.Label, w.URL, w.Territory)
			}
		},
	},
	{
		// A film has at most one soundtrack album; its tracks follow.
		name: "soundtrack", table: "soundtracks",
		query: "SELECT title, notes, chart_peak, chart_territory FROM soundtracks WHERE film_id = $1",
		scan: func(f *film.Film, scan func(...any) error) error {
			var (
				s    film.Soundtrack
				peak sql.NullInt64
			)
			err := scan(&s.Title, &s.Notes, &peak, &s.ChartTerritory)
			s.ChartPeak = int(peak.Int64)
			f.Soundtrack = &s
			return err
		},
		write: func(f film.Film, add func(string, string, ...any)) {
			if s := f.Soundtrack; s != nil {
				add("soundtrack", "title, notes, chart_peak, chart_territory", s.Title, s.Notes, nullIfZero(s.ChartPeak), s.ChartTerritory)
			}
		},
	},
	{
		name: "soundtrack tracks", table: "soundtrack_tracks",
		query: "SELECT number, artist, title FROM soundtrack_tracks WHERE film_id = $1 ORDER BY number",
		scan: func(f *film.Film, scan func(...any) error) error {
			var t film.Track
			err := scan(&t.Number, &t.Artist, &t.Title)
			if f.Soundtrack == nil {
				return fmt.Errorf("track %d without a soundtrack", t.Number)
			}
			f.Soundtrack.Tracks = append(f.Soundtrack.Tracks, t)
			return err
		},
		write: func(f film.Film, add func(string, string, ...any)) {
			if s := f.Soundtrack; s != nil {
				for _, t := range s.Tracks {
					add("soundtrack track", "number, artist, title", t.Number, t.Artist, t.Title)
				}
			}
		},
	},
	{
		name: "external scores", table: "external_scores",
		query: `SELECT source, kind, value, scale, count, count_unit, average, average_scale, summary, consensus, as_of, cited_in
			FROM external_scores WHERE film_id = $1 ORDER BY position`,
		scan: func(f *film.Film, scan func(...any) error) error {
			var (
				s                     film.ExternalScore
				count                 sql.NullInt64
				average, averageScale sql.NullFloat64
				asOf                  sql.NullString
			)
			err := scan(&s.Source, &s.Kind, &s.Value, &s.Scale, &count, &s.CountUnit, &average, &averageScale,
				&s.Summary, &s.Consensus, &asOf, &s.CitedIn)
			s.Count, s.Average, s.AverageScale, s.AsOf = int(count.Int64), average.Float64, averageScale.Float64, film.Date(asOf.String)
			f.Scores = append(f.Scores, s)
			return err
		},
		write: func(f film.Film, add func(string, string, ...any)) {
			for i, s := range f.Scores {
				var average, averageScale any
				if s.Average != 0 {
					average, averageScale = s.Average, s.AverageScale
				}
				add("external score",
					"position, source, kind, value, scale, count, count_unit, average, average_scale, summary, consensus, as_of, cited_in",
					i, s.Source, string(s.Kind), s.Value, s.Scale, nullIfZero(s.Count), s.CountUnit, average, averageScale,
					s.Summary, s.Consensus, nullIfEmpty(string(s.AsOf)), s.CitedIn)
			}
		},
	},
	{
		name: "press quotes", table: "press_quotes",
		query: "SELECT critic, publication, quote FROM press_quotes WHERE film_id = $1 ORDER BY position",
		scan: func(f *film.Film, scan func(...any) error) error {
			var q film.PressQuote
			err := scan(&q.Critic, &q.Publication, &q.Quote)
			f.PressQuotes = append(f.PressQuotes, q)
			return err
		},
		write: func(f film.Film, add func(string, string, ...any)) {
			for i, q := range f.PressQuotes {
				add("press quote", "position, critic, publication, quote", i, q.Critic, q.Publication, q.Quote)
			}
		},
	},
	{
		name: "awards", table: "awards",
		query: "SELECT name, event, year, category, outcome FROM awards WHERE film_id = $1 ORDER BY position",
		scan: func(f *film.Film, scan func(...any) error) error {
			var a film.Award
			err := scan(&a.Name, &a.Event, &a.Year, &a.Category, &a.Outcome)
			f.Awards = append(f.Awards, a)
			return err
		},
		write: func(f film.Film, add func(string, string, ...any)) {
			for i, a := range f.Awards {
				add("award", "position, name, event, year, category, outcome", i, a.Name, a.Event, a.Year, a.Category, string(a.Outcome))
			}
		},
	},
	{
		name: "trivia", table: "trivia",
		query: "SELECT body FROM trivia WHERE film_id = $1 ORDER BY position",
		scan: func(f *film.Film, scan func(...any) error) error {
			var t film.Trivia
			err := scan(&t.Text)
			f.Trivia = append(f.Trivia, t)
			return err
		},
		write: func(f film.Film, add func(string, string, ...any)) {
			for i, t := range f.Trivia {
				add("trivia", "position, body", i, t.Text)
			}
		},
	},
	{
		name: "goofs", table: "goofs",
		query: "SELECT category, body FROM goofs WHERE film_id = $1 ORDER BY position",
		scan: func(f *film.Film, scan func(...any) error) error {
			var g film.Goof
			err := scan(&g.Category, &g.Text)
			f.Goofs = append(f.Goofs, g)
			return err
		},
		write: func(f film.Film, add func(string, string, ...any)) {
			for i, g := range f.Goofs {
				add("goof", "position, category, body", i, g.Category, g.Text)
			}
		},
	},
	{
		name: "quotes", table: "quotes",
		query: "SELECT character, body FROM quotes WHERE film_id = $1 ORDER BY position",
		scan: func(f *film.Film, scan func(...any) error) error {
			var q film.Quote
			err := scan(&q.Character, &q.Text)
			f.Quotes = append(f.Quotes, q)
			return err
		},
		write: func(f film.Film, add func(string, string, ...any)) {
			for i, q := range f.Quotes {
				add("quote", "position, character, body", i, q.Character, q.Text)
			}
		},
	},
	{
		// Cast are ordered by billing. Crew keep the order in which they
		// are listed, which the store keeps in their billing column; it is
		// not a billing, so it is read back as none.
		name: "credits", table: "credits",
		query: `SELECT p.slug, p.name, c.role, c.character, CASE c.role WHEN 'cast' THEN c.billing ELSE 0 END, c.credited_as
			FROM credits c JOIN people p ON p.id = c.person_id
			WHERE c.film_id = $1
			ORDER BY CASE c.role WHEN 'director' THEN 0 WHEN 'writer' THEN 1 WHEN 'producer' THEN 2 WHEN 'cast' THEN 3
				WHEN 'cinematography' THEN 4 WHEN 'editing' THEN 5 ELSE 6 END, c.billing, c.id`,
		scan: func(f *film.Film, scan func(...any) error) error {
			var c film.Credit
			err := scan(&c.PersonSlug, &c.PersonName, &c.Role, &c.Character, &c.Billing, &c.CreditedAs)
			f.Credits = append(f.Credits, c)
			return err
		},
		write: func(f film.Film, add func(string, string, ...any)) {
			for i, c := range f.Credits {
				billing := c.Billing
				if c.Role != film.RoleCast {
					billing = i
				}
				add(fmt.Sprintf("credit %d (%s, %s)", i, c.PersonSlug, c.Role), "person_id, role, character, billing, credited_as",
					personRef(c.PersonSlug), string(c.Role), c.Character, billing, c.CreditedAs)
			}
		},
	},
}

// filmRecordRows lists the child rows of film id: everything on f but the
// columns of the films table itself, in recordLists order. Both the import
// (row by row) and the bulk loader (many rows per statement) write films
// from this one list.
func filmRecordRows(id int64, f film.Film) []tableRow {
	var rows []tableRow
	for _, l := range recordLists {
		l.write(f, func(what, columns string, values ...any) {
			rows = append(rows, tableRow{what: what, table: l.table, columns: "film_id, " + columns, values: append([]any{id}, values...)})
		})
	}
	return rows
}
