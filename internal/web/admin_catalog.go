package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"marquee/internal/film"
	"marquee/internal/paths"
	"marquee/templates"
)

// The catalogue forms: films and people, created and edited by editors.
//
// A form is described once, as data (filmForm, personForm): its single
// fields and its lists of repeated rows, each column named as in the
// catalogue format. The same description reads the posted form, fills it
// from a stored record and lays it out, and a problem that validation
// reports as "credits[2].role" lands beside the input named "credits.2.role"
// by a mechanical rename. Rows are posted with indexed names; blank rows
// are dropped and the rest renumbered from 0 in order, so that the problems
// (which count rows of the record) and the rows shown again agree.

// blankRows is how many empty rows each list shows for additions; "Add
// more rows" adds moreRows to one list.
const (
	blankRows = 3
	moreRows  = 5
	// maxRows bounds the rows one list may post, so a forged form cannot
	// make the server loop over a billion indices.
	maxRows = 2000
)

// column is one input of a repeated row, or one single field of a form.
type column struct {
	name     string // as in the catalogue format: "role", "amount.currency"
	label    string
	kind     string // an EditField kind
	options  []templates.EditOption
	required bool
	hint     string
}

// listSpec is a list of repeated rows, such as the credits.
type listSpec struct {
	name    string // the list as in the catalogue format: "credits", "soundtrack.tracks"
	legend  string
	row     string // what one row is: "Credit"
	hint    string
	columns []column
}

// sectionSpec is one fieldset of a form: single fields, a list, or both.
type sectionSpec struct {
	legend string
	hint   string
	fields []column
	list   *listSpec
}

// formState is a catalogue form as posted or as filled from a record:
// single values by name, and each list's non-blank rows in order.
type formState struct {
	values map[string]string
	rows   map[string][]map[string]string
	// blanks is how many blank rows to show per list.
	blanks map[string]int
}

func newFormState() formState {
	return formState{values: map[string]string{}, rows: map[string][]map[string]string{}, blanks: map[string]int{}}
}

// options makes select options from values, with a first empty choice.
func options(empty string, values ...string) []templates.EditOption {
	opts := []templates.EditOption{{Value: "", Label: empty}}
	for _, v := range values {
		opts = append(opts, templates.EditOption{Value: v, Label: v})
	}
	return opts
}

var roleOptions = func() []templates.EditOption {
	opts := []templates.EditOption{{Value: "", Label: "Choose a role"}}
	for _, r := range film.Roles {
		opts = append(opts, templates.EditOption{Value: string(r), Label: r.Label()})
	}
	return opts
}()

// linesHint is the hint of a field holding one value per line.
const linesHint = "One per line."

// filmForm describes the film form, in the order of the film page.
var filmForm = []sectionSpec{
	{legend: "Film", fields: []column{
		{name: "title", label: "Title", kind: "text", required: true},
		{name: "year", label: "Year", kind: "int", required: true},
		{name: "slug", label: "Slug", kind: "text", hint: "The film’s address: /films/slug. Left empty on a new film, it is made from the title and year. Changing it leaves the old address redirecting here."},
		{name: "original_title", label: "Original title", kind: "text"},
		{name: "title_language", label: "Language of the title", kind: "text", hint: "A language tag such as fr."},
		{name: "runtime_minutes", label: "Runtime (minutes)", kind: "int"},
		{name: "synopsis", label: "Synopsis", kind: "textarea", hint: "A short plain-text summary for lists and the top of the page."},
		{name: "countries", label: "Countries of origin", kind: "lines", hint: linesHint},
		{name: "languages", label: "Languages", kind: "lines", hint: linesHint},
		{name: "genres", label: "Genres", kind: "lines", hint: linesHint},
		{name: "filming_started", label: "Filming began", kind: "text", hint: "YYYY, YYYY-MM or YYYY-MM-DD."},
		{name: "budget.amount", label: "Budget (whole units)", kind: "int"},
		{name: "budget.currency", label: "Budget currency", kind: "text", hint: "Three letters, such as EUR."},
	}},
	{legend: "Plot", fields: []column{
		{name: "plot_intro", label: "Plot introduction", kind: "textarea"},
	}, list: &listSpec{name: "plot", legend: "Plot threads", row: "Thread", columns: []column{
		{name: "character", label: "Character", kind: "text"},
		{name: "text", label: "Text", kind: "textarea"},
	}}},
	{legend: "Credits", hint: "Cast are listed by billing (1 first); crew in the order given here.", list: &listSpec{name: "credits", row: "Credit", columns: []column{
		{name: "person", label: "Person (slug)", kind: "text"},
		{name: "role", label: "Role", kind: "select", options: roleOptions},
		{name: "character", label: "Character (cast only)", kind: "text"},
		{name: "billing", label: "Billing", kind: "int"},
		{name: "credited_as", label: "Credited as", kind: "text"},
	}}},
	{legend: "Companies", list: &listSpec{name: "companies", row: "Company", columns: []column{
		{name: "name", label: "Name", kind: "text"},
		{name: "role", label: "Role", kind: "select", options: options("Choose a role", string(film.CompanyStudio), string(film.CompanyDistributor))},
		{name: "territory", label: "Territory", kind: "text"},
	}}},
	{legend: "Release dates", list: &listSpec{name: "releases", row: "Release", columns: []column{
		{name: "country", label: "Country", kind: "text"},
		{name: "date", label: "Date", kind: "text", hint: "YYYY, YYYY-MM or YYYY-MM-DD."},
		{name: "note", label: "Note", kind: "text"},
	}}},
	{legend: "Box office", list: &listSpec{name: "box_office", row: "Figure", columns: []column{
		{name: "kind", label: "Figure", kind: "select", options: options("Choose", string(film.BoxOfficeOpeningWeekend), string(film.BoxOfficeGross))},
		{name: "amount.amount", label: "Amount (whole units)", kind: "int"},
		{name: "amount.currency", label: "Currency", kind: "text"},
		{name: "territory", label: "Territory", kind: "text"},
		{name: "screens", label: "Screens", kind: "int"},
		{name: "as_of", label: "As of", kind: "text"},
		{name: "source", label: "Source", kind: "text"},
	}}},
	{legend: "Filming locations", list: &listSpec{name: "filming_locations", row: "Location", columns: []column{
		{name: "place", label: "Place", kind: "text"},
		{name: "address", label: "Address", kind: "text"},
	}}},
	{legend: "Official sites", list: &listSpec{name: "websites", row: "Site", columns: []column{
		{name: "label", label: "Label", kind: "text"},
		{name: "url", label: "Address", kind: "url"},
		{name: "territory", label: "Territory", kind: "text"},
	}}},
	{legend: "Soundtrack", hint: "Leave every soundtrack field empty if there is no album.", fields: []column{
		{name: "soundtrack.title", label: "Album title", kind: "text"},
		{name: "soundtrack.notes", label: "Notes", kind: "textarea"},
		{name: "soundtrack.chart_peak", label: "Chart peak", kind: "int"},
		{name: "soundtrack.chart_territory", label: "Chart territory", kind: "text"},
	}, list: &listSpec{name: "soundtrack.tracks", legend: "Tracks", row: "Track", hint: "Numbered in order from 1; leave the number empty to number by position.", columns: []column{
		{name: "number", label: "Number", kind: "int"},
		{name: "artist", label: "Artist", kind: "text"},
		{name: "title", label: "Title", kind: "text"},
	}}},
	{legend: "External scores", list: &listSpec{name: "external_scores", row: "Score", columns: []column{
		{name: "source", label: "Source", kind: "text"},
		{name: "kind", label: "Kind", kind: "select", options: options("Choose", string(film.ScoreCritics), string(film.ScoreAudience))},
		{name: "value", label: "Value", kind: "decimal"},
		{name: "scale", label: "Scale", kind: "decimal"},
		{name: "count", label: "Count", kind: "int"},
		{name: "count_unit", label: "Counted", kind: "text", hint: "reviews, critics, votes…"},
		{name: "average", label: "Average", kind: "decimal"},
		{name: "average_scale", label: "Average scale", kind: "decimal"},
		{name: "summary", label: "Summary", kind: "text"},
		{name: "consensus", label: "Consensus", kind: "textarea"},
		{name: "as_of", label: "As of", kind: "text"},
		{name: "cited_in", label: "Cited in", kind: "text"},
	}}},
	{legend: "Press quotes", list: &listSpec{name: "press_quotes", row: "Quote", columns: []column{
		{name: "critic", label: "Critic", kind: "text"},
		{name: "publication", label: "Publication", kind: "text"},
		{name: "quote", label: "Quote", kind: "textarea"},
	}}},
	{legend: "Awards", list: &listSpec{name: "awards", row: "Award", columns: []column{
		{name: "name", label: "Award", kind: "text"},
		{name: "event", label: "Event", kind: "text"},
		{name: "year", label: "Year", kind: "int"},
		{name: "category", label: "Category", kind: "text"},
		{name: "outcome", label: "Outcome", kind: "select", options: options("Choose", string(film.AwardWon), string(film.AwardNominated))},
	}}},
	{legend: "Trivia", list: &listSpec{name: "trivia", row: "Item", columns: []column{
		{name: "text", label: "Text", kind: "textarea"},
	}}},
	{legend: "Goofs", list: &listSpec{name: "goofs", row: "Goof", columns: []column{
		{name: "category", label: "Category", kind: "text"},
		{name: "text", label: "Text", kind: "textarea"},
	}}},
	{legend: "Quotes", list: &listSpec{name: "quotes", row: "Quote", columns: []column{
		{name: "character", label: "Character", kind: "text"},
		{name: "text", label: "Text", kind: "textarea"},
	}}},
}

// personForm describes the person form.
var personForm = []sectionSpec{
	{legend: "Person", fields: []column{
		{name: "name", label: "Name", kind: "text", required: true},
		{name: "slug", label: "Slug", kind: "text", hint: "The person’s address: /people/slug. Left empty on a new person, it is made from the name. Changing it leaves the old address redirecting here."},
		{name: "also_known_as", label: "Also known as", kind: "lines", hint: "Other spellings sources use, one per line."},
	}},
}

// readFormState reads a posted catalogue form as the spec describes it.
func readFormState(spec []sectionSpec, values url.Values) (formState, error) {
	st := newFormState()
	for _, sec := range spec {
		for _, c := range sec.fields {
			st.values[c.name] = cleanValue(values.Get(c.name))
		}
		if sec.list == nil {
			continue
		}
		l := sec.list
		indices := map[int]bool{}
		prefix := l.name + "."
		for key := range values {
			rest, ok := strings.CutPrefix(key, prefix)
			if !ok {
				continue
			}
			index, _, _ := strings.Cut(rest, ".")
			if n, err := strconv.Atoi(index); err == nil && n >= 0 {
				indices[n] = true
			}
		}
		if len(indices) > maxRows {
			return st, badRequest(fmt.Sprintf("A list may hold at most %d rows.", maxRows))
		}
		order := make([]int, 0, len(indices))
		for n := range indices {
			order = append(order, n)
		}
		sort.Ints(order)
		blanks := 0
		for _, n := range order {
			row := map[string]string{}
			empty := true
			for _, c := range l.columns {
				v := cleanValue(values.Get(fmt.Sprintf("%s%d.%s", prefix, n, c.name)))
				row[c.name] = v
				if v != "" {
					empty = false
				}
			}
			if empty {
				blanks++
				continue
			}
			st.rows[l.name] = append(st.rows[l.name], row)
		}
		st.blanks[l.name] = blankRows
		if values.Get("more") == l.name {
			st.blanks[l.name] = max(blanks, blankRows) + moreRows
		}
	}
	return st, nil
}

// cleanValue trims a posted value; a textarea keeps its inner line breaks,
// normalised to "\n".
func cleanValue(v string) string {
	v = strings.ReplaceAll(v, "\r\n", "\n")
	return strings.TrimSpace(v)
}

// lines splits a one-per-line field, dropping empty lines.
func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// numbers reads the numeric fields of a form, recording a problem under the
// field's catalogue name for text that is not a number. An empty field is
// 0, which the record treats as unknown.
type numbers struct{ problems film.Problems }

func (n numbers) int(field, s string) int {
	v, err := strconv.Atoi(strings.ReplaceAll(s, ",", ""))
	if s != "" && err != nil {
		n.problems.Add(field, "must be a whole number")
	}
	return v
}

func (n numbers) int64(field, s string) int64 {
	v, err := strconv.ParseInt(strings.ReplaceAll(s, ",", ""), 10, 64)
	if s != "" && err != nil {
		n.problems.Add(field, "must be a whole number")
	}
	return v
}

func (n numbers) float(field, s string) float64 {
	v, err := strconv.ParseFloat(s, 64)
	if s != "" && err != nil {
		n.problems.Add(field, "must be a number, such as 7.5")
	}
	return v
}

// filmFromState builds the film the form describes, with the problems of
// the form's numbers and of film.Film.Validate, keyed in the catalogue
// format.
func filmFromState(st formState) (film.Film, film.Problems) {
	p := film.Problems{}
	n := numbers{p}
	v := st.values
	f := film.Film{
		Slug: v["slug"], Title: v["title"], OriginalTitle: v["original_title"], TitleLanguage: v["title_language"],
		Year: n.int("year", v["year"]), RuntimeMinutes: n.int("runtime_minutes", v["runtime_minutes"]),
		Countries: lines(v["countries"]), Languages: lines(v["languages"]), Genres: lines(v["genres"]),
		Synopsis: v["synopsis"], PlotIntro: v["plot_intro"], FilmingStarted: film.Date(v["filming_started"]),
	}
	if v["year"] == "" {
		p.Add("year", "is required")
	}
	if v["budget.amount"] != "" || v["budget.currency"] != "" {
		f.Budget = &film.Money{Amount: n.int64("budget.amount", v["budget.amount"]), Currency: v["budget.currency"]}
	}
	field := func(list string, i int, name string) string { return fmt.Sprintf("%s[%d].%s", list, i, name) }
	for _, r := range st.rows["plot"] {
		f.Plot = append(f.Plot, film.PlotThread{Character: r["character"], Text: r["text"]})
	}
	for i, r := range st.rows["credits"] {
		f.Credits = append(f.Credits, film.Credit{PersonSlug: r["person"], Role: film.Role(r["role"]), Character: r["character"],
			Billing: n.int(field("credits", i, "billing"), r["billing"]), CreditedAs: r["credited_as"]})
	}
	for _, r := range st.rows["companies"] {
		f.Companies = append(f.Companies, film.CompanyCredit{Name: r["name"], Role: film.CompanyRole(r["role"]), Territory: r["territory"]})
	}
	for _, r := range st.rows["releases"] {
		f.Releases = append(f.Releases, film.Release{Country: r["country"], Date: film.Date(r["date"]), Note: r["note"]})
	}
	for i, r := range st.rows["box_office"] {
		f.BoxOffice = append(f.BoxOffice, film.BoxOffice{Kind: film.BoxOfficeKind(r["kind"]),
			Amount:    film.Money{Amount: n.int64(field("box_office", i, "amount.amount"), r["amount.amount"]), Currency: r["amount.currency"]},
			Territory: r["territory"], Screens: n.int(field("box_office", i, "screens"), r["screens"]),
			AsOf: film.Date(r["as_of"]), Source: r["source"]})
	}
	for _, r := range st.rows["filming_locations"] {
		f.Locations = append(f.Locations, film.Location{Place: r["place"], Address: r["address"]})
	}
	for _, r := range st.rows["websites"] {
		f.Websites = append(f.Websites, film.Website{Label: r["label"], URL: r["url"], Territory: r["territory"]})
	}
	tracks := st.rows["soundtrack.tracks"]
	if v["soundtrack.title"] != "" || v["soundtrack.notes"] != "" || v["soundtrack.chart_peak"] != "" || v["soundtrack.chart_territory"] != "" || len(tracks) > 0 {
		s := &film.Soundtrack{Title: v["soundtrack.title"], Notes: v["soundtrack.notes"],
			ChartPeak: n.int("soundtrack.chart_peak", v["soundtrack.chart_peak"]), ChartTerritory: v["soundtrack.chart_territory"]}
		for i, r := range tracks {
			number := i + 1
			if r["number"] != "" {
				number = n.int(field("soundtrack.tracks", i, "number"), r["number"])
			}
			s.Tracks = append(s.Tracks, film.Track{Number: number, Artist: r["artist"], Title: r["title"]})
		}
		f.Soundtrack = s
	}
	for i, r := range st.rows["external_scores"] {
		f.Scores = append(f.Scores, film.ExternalScore{Source: r["source"], Kind: film.ScoreKind(r["kind"]),
			Value: n.float(field("external_scores", i, "value"), r["value"]), Scale: n.float(field("external_scores", i, "scale"), r["scale"]),
			Count: n.int(field("external_scores", i, "count"), r["count"]), CountUnit: r["count_unit"],
			Average: n.float(field("external_scores", i, "average"), r["average"]), AverageScale: n.float(field("external_scores", i, "average_scale"), r["average_scale"]),
			Summary: r["summary"], Consensus: r["consensus"], AsOf: film.Date(r["as_of"]), CitedIn: r["cited_in"]})
	}
	for _, r := range st.rows["press_quotes"] {
		f.PressQuotes = append(f.PressQuotes, film.PressQuote{Critic: r["critic"], Publication: r["publication"], Quote: r["quote"]})
	}
	for i, r := range st.rows["awards"] {
		f.Awards = append(f.Awards, film.Award{Name: r["name"], Event: r["event"], Year: n.int(field("awards", i, "year"), r["year"]),
			Category: r["category"], Outcome: film.AwardOutcome(r["outcome"])})
	}
	for _, r := range st.rows["trivia"] {
		f.Trivia = append(f.Trivia, film.Trivia{Text: r["text"]})
	}
	for _, r := range st.rows["goofs"] {
		f.Goofs = append(f.Goofs, film.Goof{Category: r["category"], Text: r["text"]})
	}
	for _, r := range st.rows["quotes"] {
		f.Quotes = append(f.Quotes, film.Quote{Character: r["character"], Text: r["text"]})
	}
	mergeProblems(p, f.Validate())
	return f, p
}

// mergeProblems adds the problems of err, when it is film.Problems, to p;
// problems already in p (a number that could not be read) stay first.
func mergeProblems(p film.Problems, err error) {
	var more film.Problems
	if errors.As(err, &more) {
		for field, msg := range more {
			p.Add(field, msg)
		}
	}
}

// formatInt writes an optional number: 0, meaning unknown, as "".
func formatInt[T int | int64](v T) string {
	if v == 0 {
		return ""
	}
	return strconv.FormatInt(int64(v), 10)
}

func formatFloat(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func formatOptionalFloat(v float64) string {
	if v == 0 {
		return ""
	}
	return formatFloat(v)
}

// filmState fills the film form from a stored film.
func filmState(f film.Film) formState {
	st := newFormState()
	v := st.values
	v["slug"], v["title"], v["original_title"], v["title_language"] = f.Slug, f.Title, f.OriginalTitle, f.TitleLanguage
	v["year"], v["runtime_minutes"] = strconv.Itoa(f.Year), formatInt(f.RuntimeMinutes)
	v["synopsis"], v["plot_intro"], v["filming_started"] = f.Synopsis, f.PlotIntro, string(f.FilmingStarted)
	v["countries"], v["languages"], v["genres"] = strings.Join(f.Countries, "\n"), strings.Join(f.Languages, "\n"), strings.Join(f.Genres, "\n")
	if f.Budget != nil {
		v["budget.amount"], v["budget.currency"] = strconv.FormatInt(f.Budget.Amount, 10), f.Budget.Currency
	}
	add := func(list string, row map[string]string) { st.rows[list] = append(st.rows[list], row) }
	for _, t := range f.Plot {
		add("plot", map[string]string{"character": t.Character, "text": t.Text})
	}
	for _, c := range f.Credits {
		billing := ""
		if c.Role == film.RoleCast {
			billing = formatInt(c.Billing)
		}
		add("credits", map[string]string{"person": c.PersonSlug, "role": string(c.Role), "character": c.Character, "billing": billing, "credited_as": c.CreditedAs})
	}
	for _, c := range f.Companies {
		add("companies", map[string]string{"name": c.Name, "role": string(c.Role), "territory": c.Territory})
	}
	for _, r := range f.Releases {
		add("releases", map[string]string{"country": r.Country, "date": string(r.Date), "note": r.Note})
	}
	for _, b := range f.BoxOffice {
		add("box_office", map[string]string{"kind": string(b.Kind), "amount.amount": strconv.FormatInt(b.Amount.Amount, 10),
			"amount.currency": b.Amount.Currency, "territory": b.Territory, "screens": formatInt(b.Screens), "as_of": string(b.AsOf), "source": b.Source})
	}
	for _, l := range f.Locations {
		add("filming_locations", map[string]string{"place": l.Place, "address": l.Address})
	}
	for _, w := range f.Websites {
		add("websites", map[string]string{"label": w.Label, "url": w.URL, "territory": w.Territory})
	}
	if s := f.Soundtrack; s != nil {
		v["soundtrack.title"], v["soundtrack.notes"] = s.Title, s.Notes
		v["soundtrack.chart_peak"], v["soundtrack.chart_territory"] = formatInt(s.ChartPeak), s.ChartTerritory
		for _, t := range s.Tracks {
			add("soundtrack.tracks", map[string]string{"number": strconv.Itoa(t.Number), "artist": t.Artist, "title": t.Title})
		}
	}
	for _, s := range f.Scores {
		add("external_scores", map[string]string{"source": s.Source, "kind": string(s.Kind), "value": formatFloat(s.Value), "scale": formatFloat(s.Scale),
			"count": formatInt(s.Count), "count_unit": s.CountUnit, "average": formatOptionalFloat(s.Average), "average_scale": formatOptionalFloat(s.AverageScale),
			"summary": s.Summary, "consensus": s.Consensus, "as_of": string(s.AsOf), "cited_in": s.CitedIn})
	}
	for _, q := range f.PressQuotes {
		add("press_quotes", map[string]string{"critic": q.Critic, "publication": q.Publication, "quote": q.Quote})
	}
	for _, a := range f.Awards {
		add("awards", map[string]string{"name": a.Name, "event": a.Event, "year": strconv.Itoa(a.Year), "category": a.Category, "outcome": string(a.Outcome)})
	}
	for _, t := range f.Trivia {
		add("trivia", map[string]string{"text": t.Text})
	}
	for _, g := range f.Goofs {
		add("goofs", map[string]string{"category": g.Category, "text": g.Text})
	}
	for _, q := range f.Quotes {
		add("quotes", map[string]string{"character": q.Character, "text": q.Text})
	}
	return st
}

// personFromState builds the person the form describes, with problems.
func personFromState(st formState) (film.Person, film.Problems) {
	p := film.Person{Slug: st.values["slug"], Name: st.values["name"], AlsoKnownAs: lines(st.values["also_known_as"])}
	problems := film.Problems{}
	mergeProblems(problems, p.Validate())
	return p, problems
}

func personState(p film.Person) formState {
	st := newFormState()
	st.values["slug"], st.values["name"], st.values["also_known_as"] = p.Slug, p.Name, strings.Join(p.AlsoKnownAs, "\n")
	return st
}

// inputName is the input that shows a problem reported in the catalogue
// format: "credits[2].role" is shown beside "credits.2.role".
func inputName(field string) string {
	return strings.NewReplacer("[", ".", "]", "").Replace(field)
}

// catalogSections lays the form out: every field and row with its value
// and problem, and the error summary in page order. Problems that belong
// to no input (there should be none) are listed at the end of the summary.
func catalogSections(spec []sectionSpec, st formState, problems film.Problems) ([]templates.EditSection, []templates.ErrorLink) {
	byInput := map[string]string{}
	for field, msg := range problems {
		byInput[inputName(field)] = msg
	}
	used := map[string]bool{}
	var summary []templates.ErrorLink
	problemOf := func(name string, c column) string {
		if msg, ok := byInput[name]; ok {
			used[name] = true
			return msg
		}
		if c.kind == "lines" {
			// "countries[2]" is the third line of the countries field.
			for i := range len(lines(st.values[c.name])) {
				key := fmt.Sprintf("%s.%d", name, i)
				if msg, ok := byInput[key]; ok {
					used[key] = true
					return fmt.Sprintf("Line %d %s", i+1, msg)
				}
			}
		}
		return ""
	}
	// makeField builds one input; where names its row in the summary.
	makeField := func(c column, name, value, where string) templates.EditField {
		f := templates.EditField{Name: name, Label: c.label, Kind: c.kind, Value: value, Hint: c.hint, Required: c.required,
			Error: problemOf(name, c)}
		if c.kind == "textarea" || c.kind == "lines" {
			f.Rows = 3
		}
		if c.kind == "select" {
			f.Options = c.options
			if !hasOption(c.options, value) {
				f.Options = append(append([]templates.EditOption(nil), c.options...), templates.EditOption{Value: value, Label: value})
			}
		}
		if f.Error != "" {
			summary = append(summary, templates.ErrorLink{Target: f.ID(), Label: where + c.label, Message: f.Error})
		}
		return f
	}
	var sections []templates.EditSection
	for _, sec := range spec {
		out := templates.EditSection{Legend: sec.legend, Hint: sec.hint}
		for _, c := range sec.fields {
			out.Fields = append(out.Fields, makeField(c, c.name, st.values[c.name], ""))
		}
		if l := sec.list; l != nil {
			out.List = l.name
			out.Hint = strings.TrimSpace(out.Hint + " " + l.hint)
			rows := st.rows[l.name]
			blanks := st.blanks[l.name]
			if blanks == 0 {
				blanks = blankRows
			}
			for i := 0; i < len(rows)+blanks; i++ {
				prefix := fmt.Sprintf("%s.%d", l.name, i)
				row := templates.EditRow{Name: prefix, Legend: fmt.Sprintf("%s %d", l.row, i+1)}
				if i >= len(rows) {
					row.Legend += " (new)"
				}
				if msg, ok := byInput[prefix]; ok {
					used[prefix] = true
					row.Error = msg
					summary = append(summary, templates.ErrorLink{Target: row.ID(), Label: row.Legend, Message: msg})
				}
				for _, c := range l.columns {
					value := ""
					if i < len(rows) {
						value = rows[i][c.name]
					}
					row.Fields = append(row.Fields, makeField(c, prefix+"."+c.name, value, row.Legend+", "))
				}
				out.Rows = append(out.Rows, row)
			}
		}
		sections = append(sections, out)
	}
	var rest []string
	for name := range byInput {
		if !used[name] {
			rest = append(rest, name)
		}
	}
	sort.Strings(rest)
	for _, name := range rest {
		summary = append(summary, templates.ErrorLink{Target: "catalog-form", Label: name, Message: byInput[name]})
	}
	return sections, summary
}

func hasOption(opts []templates.EditOption, v string) bool {
	for _, o := range opts {
		if o.Value == v {
			return true
		}
	}
	return false
}

// serveAdminFilms lists films by title, searched by its start.
func (s *Server) serveAdminFilms(w http.ResponseWriter, r *http.Request) error {
	q, page, err := listQuery(r)
	if err != nil {
		return err
	}
	result, err := s.db.FindFilmsByTitle(r.Context(), q, (page-1)*adminListSize, adminListSize)
	if err != nil {
		return err
	}
	v := templates.CatalogListView{Page: s.adminPage(r, "Films", templates.SectionFilms), Kind: "film", Query: q, PageNum: page, More: result.More}
	for _, f := range result.Items {
		detail := strconv.Itoa(f.Year)
		if len(f.Directors) > 0 {
			detail += ", " + strings.Join(f.Directors, ", ")
		}
		v.Items = append(v.Items, templates.CatalogListItem{Label: f.Title, Detail: detail,
			EditPath: paths.AdminFilmEdit(f.Slug), ViewPath: paths.Film(f.Slug), ReviewPath: paths.AdminReviewNew(f.Slug)})
	}
	return s.render(w, r, http.StatusOK, templates.CatalogListPage(v))
}

// serveAdminPeople lists people by name, searched by its start.
func (s *Server) serveAdminPeople(w http.ResponseWriter, r *http.Request) error {
	q, page, err := listQuery(r)
	if err != nil {
		return err
	}
	result, err := s.db.FindPeopleByName(r.Context(), q, (page-1)*adminListSize, adminListSize)
	if err != nil {
		return err
	}
	v := templates.CatalogListView{Page: s.adminPage(r, "People", templates.SectionPeople), Kind: "person", Query: q, PageNum: page, More: result.More}
	for _, p := range result.Items {
		v.Items = append(v.Items, templates.CatalogListItem{Label: p.Name, Detail: fmt.Sprintf("%d %s", p.Credits, plural("credit", p.Credits)),
			EditPath: paths.AdminPersonEdit(p.Slug), ViewPath: paths.Person(p.Slug)})
	}
	return s.render(w, r, http.StatusOK, templates.CatalogListPage(v))
}

func plural(noun string, n int) string {
	if n == 1 {
		return noun
	}
	return noun + "s"
}

// listQuery reads an editors' list's search and page.
func listQuery(r *http.Request) (string, int, error) {
	q := r.URL.Query()
	page, err := deskPage(q.Get("page"))
	if err != nil {
		return "", 0, err
	}
	search := strings.TrimSpace(q.Get("q"))
	if len(search) > 200 {
		return "", 0, badRequest("The search is too long.")
	}
	return search, page, nil
}

// catalogRecord is what differs between the film and the person forms.
type catalogRecord struct {
	kind    string // "film" or "person"
	spec    []sectionSpec
	section string
	noun    string
}

var (
	filmRecord   = catalogRecord{kind: "film", spec: filmForm, section: templates.SectionFilms, noun: "film"}
	personRecord = catalogRecord{kind: "person", spec: personForm, section: templates.SectionPeople, noun: "person"}
)

// publicPath is a record's public address.
func (c catalogRecord) publicPath(slug string) string {
	if c.kind == "person" {
		return paths.Person(slug)
	}
	return paths.Film(slug)
}

// adminPath is the address of a record's form; "" slug is the new one.
func (c catalogRecord) adminPath(slug string) string {
	switch {
	case c.kind == "person" && slug == "":
		return paths.AdminPeople(nil)
	case c.kind == "person":
		return paths.AdminPersonEdit(slug)
	case slug == "":
		return paths.AdminFilms(nil)
	}
	return paths.AdminFilmEdit(slug)
}

// renderCatalogForm shows a film or person form. slug is the stored
// record's (empty for a new one).
func (s *Server) renderCatalogForm(w http.ResponseWriter, r *http.Request, status int, rec catalogRecord,
	slug, version string, st formState, problems film.Problems, notice string) error {
	sections, summary := catalogSections(rec.spec, st, problems)
	heading := "New " + rec.noun
	if slug != "" {
		name := st.values["title"]
		if rec.kind == "person" {
			name = st.values["name"]
		}
		heading = "Edit " + rec.noun + ": " + name
	}
	v := templates.CatalogFormView{
		Page: s.adminPage(r, heading, rec.section), Kind: rec.kind, Heading: heading, Action: rec.adminPath(slug),
		Version: version, Sections: sections, Errors: summary, Notice: notice,
	}
	if slug != "" {
		v.PublicPath = rec.publicPath(slug)
	}
	w.Header().Set("Cache-Control", "no-store")
	return s.render(w, r, status, templates.CatalogFormPage(v))
}

func (s *Server) serveNewFilm(w http.ResponseWriter, r *http.Request) error {
	return s.renderCatalogForm(w, r, http.StatusOK, filmRecord, "", "", newFormState(), nil, "")
}

func (s *Server) serveNewPerson(w http.ResponseWriter, r *http.Request) error {
	return s.renderCatalogForm(w, r, http.StatusOK, personRecord, "", "", newFormState(), nil, "")
}

func (s *Server) serveEditFilm(w http.ResponseWriter, r *http.Request) error {
	slug, err := slugParam(r)
	if err != nil {
		return err
	}
	f, version, err := s.db.FindFilmForEdit(r.Context(), slug)
	if err != nil {
		return err
	}
	return s.renderCatalogForm(w, r, http.StatusOK, filmRecord, slug, version, filmState(f), nil, "")
}

func (s *Server) serveEditPerson(w http.ResponseWriter, r *http.Request) error {
	slug, err := slugParam(r)
	if err != nil {
		return err
	}
	p, err := s.db.FindPersonForEdit(r.Context(), slug)
	if err != nil {
		return err
	}
	return s.renderCatalogForm(w, r, http.StatusOK, personRecord, slug, "", personState(p), nil, "")
}

// saveFilm creates a film (no slug in the path) or saves an edited one.
// "Add more rows" shows the form again with more blank rows and saves
// nothing; any failure shows it again with everything typed.
func (s *Server) saveFilm(w http.ResponseWriter, r *http.Request) error {
	user, err := signedInUser(r)
	if err != nil {
		return err
	}
	slug := r.PathValue("slug")
	if slug != "" && !film.ValidSlug(slug) {
		return film.ErrNotFound
	}
	ctx := r.Context()
	if slug != "" {
		if _, err := s.db.FindFilmSummary(ctx, slug); err != nil {
			return err
		}
	}
	if err := r.ParseForm(); err != nil {
		return formError(err)
	}
	st, err := readFormState(filmForm, r.PostForm)
	if err != nil {
		return err
	}
	version := r.PostForm.Get("version")
	// A slug left empty is made from the title and year of a new film,
	// and kept as it was on a stored one, whose address should not move
	// by accident.
	if st.values["slug"] == "" {
		st.values["slug"] = slug
		if slug == "" && st.values["title"] != "" {
			st.values["slug"] = film.Slugify(st.values["title"] + " " + st.values["year"])
		}
	}
	if r.PostForm.Get("more") != "" {
		return s.renderCatalogForm(w, r, http.StatusOK, filmRecord, slug, version, st, nil, "")
	}
	f, problems := filmFromState(st)
	if len(problems) > 0 {
		return s.renderCatalogForm(w, r, http.StatusUnprocessableEntity, filmRecord, slug, version, st, problems, "")
	}
	now := s.now().UTC().Truncate(time.Second)
	flash := "film-saved"
	if slug == "" {
		_, err = s.db.CreateFilm(ctx, f, user, now)
		flash = "film-created"
	} else {
		err = s.db.UpdateFilm(ctx, slug, version, f, user, now)
	}
	var p film.Problems
	switch {
	case errors.As(err, &p):
		return s.renderCatalogForm(w, r, http.StatusUnprocessableEntity, filmRecord, slug, version, st, p, "")
	case errors.Is(err, film.ErrConflict):
		_, latest, findErr := s.db.FindFilmForEdit(ctx, slug)
		if findErr != nil {
			return findErr
		}
		return s.renderCatalogForm(w, r, http.StatusConflict, filmRecord, slug, latest, st, nil,
			"Someone saved this film while you were editing it, so your changes were not saved. They are kept below: "+
				"open the film in another tab to see what changed, then save again to replace it.")
	case err != nil:
		return err
	}
	http.Redirect(w, r, paths.WithQuery(filmRecord.adminPath(f.Slug), url.Values{"flash": {flash}}), http.StatusSeeOther)
	return nil
}

// savePerson creates a person (no slug in the path) or saves an edited one.
func (s *Server) savePerson(w http.ResponseWriter, r *http.Request) error {
	user, err := signedInUser(r)
	if err != nil {
		return err
	}
	slug := r.PathValue("slug")
	if slug != "" && !film.ValidSlug(slug) {
		return film.ErrNotFound
	}
	ctx := r.Context()
	if slug != "" {
		if _, err := s.db.FindPersonForEdit(ctx, slug); err != nil {
			return err
		}
	}
	if err := r.ParseForm(); err != nil {
		return formError(err)
	}
	st, err := readFormState(personForm, r.PostForm)
	if err != nil {
		return err
	}
	if st.values["slug"] == "" {
		st.values["slug"] = slug
		if slug == "" {
			st.values["slug"] = film.Slugify(st.values["name"])
		}
	}
	p, problems := personFromState(st)
	if len(problems) > 0 {
		return s.renderCatalogForm(w, r, http.StatusUnprocessableEntity, personRecord, slug, "", st, problems, "")
	}
	now := s.now().UTC().Truncate(time.Second)
	flash := "person-saved"
	if slug == "" {
		_, err = s.db.CreatePerson(ctx, p, user, now)
		flash = "person-created"
	} else {
		err = s.db.UpdatePerson(ctx, slug, p, user, now)
	}
	var pr film.Problems
	switch {
	case errors.As(err, &pr):
		return s.renderCatalogForm(w, r, http.StatusUnprocessableEntity, personRecord, slug, "", st, pr, "")
	case err != nil:
		return err
	}
	http.Redirect(w, r, paths.WithQuery(personRecord.adminPath(p.Slug), url.Values{"flash": {flash}}), http.StatusSeeOther)
	return nil
}
