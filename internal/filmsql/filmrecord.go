package filmsql

import (
	"database/sql"
	"fmt"
	"strings"

	"marquee/internal/film"
)

// FilmField is one column of the films table that a film's record sets:
// how it is written (value) and where it is read into (dest, a pointer or
// sql.Scanner), side by side. A field added to the record is one entry
// here (with its migration).
type FilmField struct {
	Column string
	Value  func(f film.Film) any
	Dest   func(f *film.Film) any
}

// FilmFields are the films table's columns that the record sets, in the
// order FilmColumns names them.
var FilmFields = []FilmField{
	{"slug", func(f film.Film) any { return f.Slug }, func(f *film.Film) any { return &f.Slug }},
	{"title", func(f film.Film) any { return f.Title }, func(f *film.Film) any { return &f.Title }},
	{"original_title", func(f film.Film) any { return f.OriginalTitle }, func(f *film.Film) any { return &f.OriginalTitle }},
	{"title_language", func(f film.Film) any { return f.TitleLanguage }, func(f *film.Film) any { return &f.TitleLanguage }},
	{"year", func(f film.Film) any { return f.Year }, func(f *film.Film) any { return &f.Year }},
	{"runtime_minutes", func(f film.Film) any { return NullIfZero(f.RuntimeMinutes) }, func(f *film.Film) any { return nullInt{&f.RuntimeMinutes} }},
	{"synopsis", func(f film.Film) any { return f.Synopsis }, func(f *film.Film) any { return &f.Synopsis }},
	{"plot_intro", func(f film.Film) any { return f.PlotIntro }, func(f *film.Film) any { return &f.PlotIntro }},
	{"filming_started", func(f film.Film) any { return NullIfEmpty(string(f.FilmingStarted)) },
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

// FilmColumns are the columns of FilmFields, comma-separated.
var FilmColumns = func() string {
	names := make([]string, len(FilmFields))
	for i, c := range FilmFields {
		names[i] = c.Column
	}
	return strings.Join(names, ", ")
}()

// FilmValues are f's values of FilmFields.
func FilmValues(f film.Film) []any {
	values := make([]any, len(FilmFields))
	for i, c := range FilmFields {
		values[i] = c.Value(f)
	}
	return values
}

// FilmDests are where a scan of FilmColumns puts each into f.
func FilmDests(f *film.Film) []any {
	dests := make([]any, len(FilmFields))
	for i, c := range FilmFields {
		dests[i] = c.Dest(f)
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

// RecordList is one list of a film's record that lives in a table of its
// own: how the store writes it, reads it back and clears it, side by side,
// so the three cannot drift apart. A column added to a list, or a list
// added to the record, is one entry in recordLists (with its migrations).
type RecordList struct {
	// Name names the list in errors.
	Name  string
	Table string
	// Query reads the list of one film, whose id is its one argument, in
	// the list's order; Scan appends one row of it to f.
	Query string
	Scan  func(f *film.Film, scan func(dest ...any) error) error
	// Write adds the rows of f's list: what names the row in errors, and
	// columns and values follow film_id, which the caller supplies.
	Write func(f film.Film, add func(what, columns string, values ...any))
}

// recordLists are the lists of a film's record in the order they are written
// (which respects foreign keys: tracks after their soundtrack) and read,
// their queries written with ? placeholders (see RecordLists).
var recordLists = []RecordList{
	{
		Name: "countries", Table: "film_countries",
		Query: "SELECT country FROM film_countries WHERE film_id = ? ORDER BY position",
		Scan: func(f *film.Film, scan func(...any) error) error {
			var s string
			err := scan(&s)
			f.Countries = append(f.Countries, s)
			return err
		},
		Write: func(f film.Film, add func(string, string, ...any)) {
			for i, c := range f.Countries {
				add("country", "position, country", i, c)
			}
		},
	},
	{
		Name: "languages", Table: "film_languages",
		Query: "SELECT language FROM film_languages WHERE film_id = ? ORDER BY position",
		Scan: func(f *film.Film, scan func(...any) error) error {
			var s string
			err := scan(&s)
			f.Languages = append(f.Languages, s)
			return err
		},
		Write: func(f film.Film, add func(string, string, ...any)) {
			for i, l := range f.Languages {
				add("language", "position, language", i, l)
			}
		},
	},
	{
		Name: "genres", Table: "film_genres",
		Query: "SELECT genre FROM film_genres WHERE film_id = ? ORDER BY position",
		Scan: func(f *film.Film, scan func(...any) error) error {
			var s string
			err := scan(&s)
			f.Genres = append(f.Genres, s)
			return err
		},
		Write: func(f film.Film, add func(string, string, ...any)) {
			for i, g := range f.Genres {
				add("genre", "position, genre", i, g)
			}
		},
	},
	{
		Name: "plot", Table: "plot_threads",
		Query: "SELECT character, body FROM plot_threads WHERE film_id = ? ORDER BY position",
		Scan: func(f *film.Film, scan func(...any) error) error {
			var t film.PlotThread
			err := scan(&t.Character, &t.Text)
			f.Plot = append(f.Plot, t)
			return err
		},
		Write: func(f film.Film, add func(string, string, ...any)) {
			for i, t := range f.Plot {
				add("plot thread", "position, character, body", i, t.Character, t.Text)
			}
		},
	},
	{
		Name: "companies", Table: "film_companies",
		Query: `SELECT co.slug, co.name, fc.role, fc.territory FROM film_companies fc JOIN companies co ON co.id = fc.company_id
			WHERE fc.film_id = ? ORDER BY fc.position`,
		Scan: func(f *film.Film, scan func(...any) error) error {
			var c film.CompanyCredit
			err := scan(&c.Slug, &c.Name, &c.Role, &c.Territory)
			f.Companies = append(f.Companies, c)
			return err
		},
		Write: func(f film.Film, add func(string, string, ...any)) {
			for i, c := range f.Companies {
				add("company credit", "position, company_id, role, territory", i, CompanyRef(c.Name), string(c.Role), c.Territory)
			}
		},
	},
	{
		Name: "releases", Table: "release_dates",
		Query: "SELECT country, date, note FROM release_dates WHERE film_id = ? ORDER BY position",
		Scan: func(f *film.Film, scan func(...any) error) error {
			var r film.Release
			err := scan(&r.Country, &r.Date, &r.Note)
			f.Releases = append(f.Releases, r)
			return err
		},
		Write: func(f film.Film, add func(string, string, ...any)) {
			for i, r := range f.Releases {
				add("release date", "position, country, date, note", i, r.Country, string(r.Date), r.Note)
			}
		},
	},
	{
		Name: "box office", Table: "box_office",
		Query: `SELECT kind, amount, currency, territory, screens, as_of, source
			FROM box_office WHERE film_id = ? ORDER BY position`,
		Scan: func(f *film.Film, scan func(...any) error) error {
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
		Write: func(f film.Film, add func(string, string, ...any)) {
			for i, b := range f.BoxOffice {
				add("box office figure", "position, kind, amount, currency, territory, screens, as_of, source",
					i, string(b.Kind), b.Amount.Amount, b.Amount.Currency, b.Territory, NullIfZero(b.Screens), NullIfEmpty(string(b.AsOf)), b.Source)
			}
		},
	},
	{
		Name: "filming locations", Table: "filming_locations",
		Query: "SELECT place, address FROM filming_locations WHERE film_id = ? ORDER BY position",
		Scan: func(f *film.Film, scan func(...any) error) error {
			var l film.Location
			err := scan(&l.Place, &l.Address)
			f.Locations = append(f.Locations, l)
			return err
		},
		Write: func(f film.Film, add func(string, string, ...any)) {
			for i, l := range f.Locations {
				add("filming location", "position, place, address", i, l.Place, l.Address)
			}
		},
	},
	{
		Name: "websites", Table: "websites",
		Query: "SELECT label, url, territory FROM websites WHERE film_id = ? ORDER BY position",
		Scan: func(f *film.Film, scan func(...any) error) error {
			var w film.Website
			err := scan(&w.Label, &w.URL, &w.Territory)
			f.Websites = append(f.Websites, w)
			return err
		},
		Write: func(f film.Film, add func(string, string, ...any)) {
			for i, w := range f.Websites {
				add("website", "position, label, url, territory", i, w.Label, w.URL, w.Territory)
			}
		},
	},
	{
		// A film has at most one soundtrack album; its tracks follow.
		Name: "soundtrack", Table: "soundtracks",
		Query: "SELECT title, notes, chart_peak, chart_territory FROM soundtracks WHERE film_id = ?",
		Scan: func(f *film.Film, scan func(...any) error) error {
			var (
				s    film.Soundtrack
				peak sql.NullInt64
			)
			err := scan(&s.Title, &s.Notes, &peak, &s.ChartTerritory)
			s.ChartPeak = int(peak.Int64)
			f.Soundtrack = &s
			return err
		},
		Write: func(f film.Film, add func(string, string, ...any)) {
			if s := f.Soundtrack; s != nil {
				add("soundtrack", "title, notes, chart_peak, chart_territory", s.Title, s.Notes, NullIfZero(s.ChartPeak), s.ChartTerritory)
			}
		},
	},
	{
		Name: "soundtrack tracks", Table: "soundtrack_tracks",
		Query: "SELECT number, artist, title FROM soundtrack_tracks WHERE film_id = ? ORDER BY number",
		Scan: func(f *film.Film, scan func(...any) error) error {
			var t film.Track
			err := scan(&t.Number, &t.Artist, &t.Title)
			if f.Soundtrack == nil {
				return fmt.Errorf("track %d without a soundtrack", t.Number)
			}
			f.Soundtrack.Tracks = append(f.Soundtrack.Tracks, t)
			return err
		},
		Write: func(f film.Film, add func(string, string, ...any)) {
			if s := f.Soundtrack; s != nil {
				for _, t := range s.Tracks {
					add("soundtrack track", "number, artist, title", t.Number, t.Artist, t.Title)
				}
			}
		},
	},
	{
		Name: "external scores", Table: "external_scores",
		Query: `SELECT source, kind, value, scale, count, count_unit, average, average_scale, summary, consensus, as_of, cited_in
			FROM external_scores WHERE film_id = ? ORDER BY position`,
		Scan: func(f *film.Film, scan func(...any) error) error {
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
		Write: func(f film.Film, add func(string, string, ...any)) {
			for i, s := range f.Scores {
				var average, averageScale any
				if s.Average != 0 {
					average, averageScale = s.Average, s.AverageScale
				}
				add("external score",
					"position, source, kind, value, scale, count, count_unit, average, average_scale, summary, consensus, as_of, cited_in",
					i, s.Source, string(s.Kind), s.Value, s.Scale, NullIfZero(s.Count), s.CountUnit, average, averageScale,
					s.Summary, s.Consensus, NullIfEmpty(string(s.AsOf)), s.CitedIn)
			}
		},
	},
	{
		Name: "press quotes", Table: "press_quotes",
		Query: "SELECT critic, publication, quote FROM press_quotes WHERE film_id = ? ORDER BY position",
		Scan: func(f *film.Film, scan func(...any) error) error {
			var q film.PressQuote
			err := scan(&q.Critic, &q.Publication, &q.Quote)
			f.PressQuotes = append(f.PressQuotes, q)
			return err
		},
		Write: func(f film.Film, add func(string, string, ...any)) {
			for i, q := range f.PressQuotes {
				add("press quote", "position, critic, publication, quote", i, q.Critic, q.Publication, q.Quote)
			}
		},
	},
	{
		Name: "awards", Table: "awards",
		Query: "SELECT name, event, year, category, outcome FROM awards WHERE film_id = ? ORDER BY position",
		Scan: func(f *film.Film, scan func(...any) error) error {
			var a film.Award
			err := scan(&a.Name, &a.Event, &a.Year, &a.Category, &a.Outcome)
			f.Awards = append(f.Awards, a)
			return err
		},
		Write: func(f film.Film, add func(string, string, ...any)) {
			for i, a := range f.Awards {
				add("award", "position, name, event, year, category, outcome", i, a.Name, a.Event, a.Year, a.Category, string(a.Outcome))
			}
		},
	},
	{
		Name: "trivia", Table: "trivia",
		Query: "SELECT body FROM trivia WHERE film_id = ? ORDER BY position",
		Scan: func(f *film.Film, scan func(...any) error) error {
			var t film.Trivia
			err := scan(&t.Text)
			f.Trivia = append(f.Trivia, t)
			return err
		},
		Write: func(f film.Film, add func(string, string, ...any)) {
			for i, t := range f.Trivia {
				add("trivia", "position, body", i, t.Text)
			}
		},
	},
	{
		Name: "goofs", Table: "goofs",
		Query: "SELECT category, body FROM goofs WHERE film_id = ? ORDER BY position",
		Scan: func(f *film.Film, scan func(...any) error) error {
			var g film.Goof
			err := scan(&g.Category, &g.Text)
			f.Goofs = append(f.Goofs, g)
			return err
		},
		Write: func(f film.Film, add func(string, string, ...any)) {
			for i, g := range f.Goofs {
				add("goof", "position, category, body", i, g.Category, g.Text)
			}
		},
	},
	{
		Name: "quotes", Table: "quotes",
		Query: "SELECT character, body FROM quotes WHERE film_id = ? ORDER BY position",
		Scan: func(f *film.Film, scan func(...any) error) error {
			var q film.Quote
			err := scan(&q.Character, &q.Text)
			f.Quotes = append(f.Quotes, q)
			return err
		},
		Write: func(f film.Film, add func(string, string, ...any)) {
			for i, q := range f.Quotes {
				add("quote", "position, character, body", i, q.Character, q.Text)
			}
		},
	},
	{
		// Cast are ordered by billing. Crew keep the order in which they
		// are listed, which the store keeps in their billing column; it is
		// not a billing, so it is read back as none.
		Name: "credits", Table: "credits",
		Query: `SELECT p.slug, p.name, c.role, c.character, CASE c.role WHEN 'cast' THEN c.billing ELSE 0 END, c.credited_as
			FROM credits c JOIN people p ON p.id = c.person_id
			WHERE c.film_id = ?
			ORDER BY CASE c.role WHEN 'director' THEN 0 WHEN 'writer' THEN 1 WHEN 'producer' THEN 2 WHEN 'cast' THEN 3
				WHEN 'cinematography' THEN 4 WHEN 'editing' THEN 5 ELSE 6 END, c.billing, c.id`,
		Scan: func(f *film.Film, scan func(...any) error) error {
			var c film.Credit
			err := scan(&c.PersonSlug, &c.PersonName, &c.Role, &c.Character, &c.Billing, &c.CreditedAs)
			f.Credits = append(f.Credits, c)
			return err
		},
		Write: func(f film.Film, add func(string, string, ...any)) {
			for i, c := range f.Credits {
				billing := c.Billing
				if c.Role != film.RoleCast {
					billing = i
				}
				add(fmt.Sprintf("credit %d (%s, %s)", i, c.PersonSlug, c.Role), "person_id, role, character, billing, credited_as",
					PersonRef(c.PersonSlug), string(c.Role), c.Character, billing, c.CreditedAs)
			}
		},
	},
}

// RecordLists are the lists of a film's record in the order they are
// written and read, their queries in d's dialect. A store calls it once,
// when it starts.
func RecordLists(d Dialect) []RecordList {
	lists := make([]RecordList, len(recordLists))
	for i, l := range recordLists {
		l.Query = d.Bind(l.Query)
		lists[i] = l
	}
	return lists
}

// RecordListNamed returns the list of lists with the given name; a name
// that is not there is a mistake in the caller.
func RecordListNamed(lists []RecordList, name string) RecordList {
	for _, l := range lists {
		if l.Name == name {
			return l
		}
	}
	panic("filmsql: no film record list named " + name)
}

// Row is one row to insert: its table, its columns and their values, and
// what it is, for errors. A value may be a PersonRef or a CompanyRef,
// which whoever writes the row resolves to an id.
type Row struct {
	What    string
	Table   string
	Columns string
	Values  []any
}

// PersonRef stands for the id of the person with this slug.
type PersonRef string

// CompanyRef stands for the id of the company with this name, which is
// created if it does not exist.
type CompanyRef string

// FilmRecordRows lists the child rows of film id: everything on f but the
// columns of the films table itself, in the order of the record's lists.
// Both the import (row by row) and the bulk loader (many rows per
// statement) of each store write films from this one list.
func FilmRecordRows(id int64, f film.Film) []Row {
	var rows []Row
	for _, l := range recordLists {
		l.Write(f, func(what, columns string, values ...any) {
			rows = append(rows, Row{What: what, Table: l.Table, Columns: "film_id, " + columns, Values: append([]any{id}, values...)})
		})
	}
	return rows
}
