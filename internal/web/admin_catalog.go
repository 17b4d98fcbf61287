package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"marquee/internal/catalog"
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
	// position says that an empty value is the row's number from 1, as
	// soundtrack tracks are numbered by default.
	position bool
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
		{name: "number", label: "Number", kind: "int", position: true},
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
	{legend: "Life", hint: "Only what a source gives: leave a field empty rather than guess.", fields: []column{
		{name: "biography", label: "Biography", kind: "textarea", hint: "A few short paragraphs, at most 4,000 characters. Markdown: emphasis, links, lists and quotes."},
		{name: "birth_date", label: "Born on", kind: "text", hint: "YYYY, YYYY-MM or YYYY-MM-DD."},
		{name: "birth_place", label: "Born in", kind: "text", hint: "As sources give it, such as Paris, France."},
		{name: "death_date", label: "Died on", kind: "text", hint: "YYYY, YYYY-MM or YYYY-MM-DD."},
		{name: "death_place", label: "Died in", kind: "text"},
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

// The form and the record meet in the catalogue format: every input is
// named by its catalogue path, so recordFromState writes the posted values
// as the record's JSON and decodes it with the catalogue's own decoder, and
// stateFromRecord reads a stored record's JSON back into inputs. A field
// added to the catalogue format needs one line in the form's spec and no
// code here.

// recordFromState builds the record (film.Film, film.Person) the form
// describes, with the problems of its numbers and of the record's own
// validation, keyed in the catalogue format ("credits[2].billing").
func recordFromState[R interface{ Validate() error }](spec []sectionSpec, st formState) (R, film.Problems) {
	var record R
	p := film.Problems{}
	fields := catalog.Fields{}
	for _, sec := range spec {
		for _, c := range sec.fields {
			v := st.values[c.name]
			if v == "" {
				if c.required {
					p.Add(c.name, "is required")
				}
				continue
			}
			if value, ok := fieldValue(p, c.name, c.kind, v); ok {
				setPath(fields, c.name, value)
			}
		}
		l := sec.list
		if l == nil || len(st.rows[l.name]) == 0 {
			continue
		}
		var rows []any
		for i, r := range st.rows[l.name] {
			row := catalog.Fields{}
			for _, c := range l.columns {
				v := r[c.name]
				if v == "" && c.position {
					v = strconv.Itoa(i + 1)
				}
				if v != "" {
					if value, ok := fieldValue(p, fmt.Sprintf("%s[%d].%s", l.name, i, c.name), c.kind, v); ok {
						setPath(row, c.name, value)
					}
				}
			}
			rows = append(rows, row)
		}
		setPath(fields, l.name, rows)
	}
	if err := catalog.DecodeFields(fields, &record); err != nil {
		// Every input is a checked catalogue path and every value has its
		// column's type, so this is the form spec's mistake, not the user's.
		return record, film.Problems{"": "could not be read: " + err.Error()}
	}
	mergeProblems(p, record.Validate())
	return record, p
}

// fieldValue is a posted value as the catalogue format types it, recording
// a problem under field when it is not a number its column needs. An
// empty value is left out, which the record reads as unknown (0).
func fieldValue(p film.Problems, field, kind, v string) (any, bool) {
	switch kind {
	case "int":
		n, err := strconv.ParseInt(strings.ReplaceAll(v, ",", ""), 10, 64)
		if err != nil {
			p.Add(field, "must be a whole number")
			return nil, false
		}
		return n, true
	case "decimal":
		x, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsInf(x, 0) || math.IsNaN(x) {
			p.Add(field, "must be a number, such as 7.5")
			return nil, false
		}
		return x, true
	case "lines":
		return lines(v), true
	}
	return v, true
}

// setPath sets the value at a dotted path ("budget.amount"), making the
// objects on the way.
func setPath(fields catalog.Fields, path string, value any) {
	head, rest, nested := strings.Cut(path, ".")
	if !nested {
		fields[head] = value
		return
	}
	inner, ok := fields[head].(catalog.Fields)
	if !ok {
		inner = catalog.Fields{}
		fields[head] = inner
	}
	setPath(inner, rest, value)
}

// getPath returns the value at a dotted path, or nil.
func getPath(fields catalog.Fields, path string) any {
	head, rest, nested := strings.Cut(path, ".")
	if !nested {
		return fields[head]
	}
	inner, _ := fields[head].(catalog.Fields)
	return getPath(inner, rest)
}

// formValue writes a record's value into an input: numbers as their
// catalogue text (0, meaning unknown, as empty), lists one per line.
func formValue(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case json.Number:
		if v == "0" {
			return ""
		}
		return v.String()
	case []any:
		var out []string
		for _, item := range v {
			out = append(out, formValue(item))
		}
		return strings.Join(out, "\n")
	case bool:
		return strconv.FormatBool(v)
	}
	return ""
}

// stateFromRecord fills a catalogue form from a stored record.
func stateFromRecord(spec []sectionSpec, record any) (formState, error) {
	st := newFormState()
	fields, err := catalog.RecordFields(record)
	if err != nil {
		return st, err
	}
	for _, sec := range spec {
		for _, c := range sec.fields {
			st.values[c.name] = formValue(getPath(fields, c.name))
		}
		if l := sec.list; l != nil {
			list, _ := getPath(fields, l.name).([]any)
			for _, item := range list {
				item, _ := item.(catalog.Fields)
				row := map[string]string{}
				for _, c := range l.columns {
					row[c.name] = formValue(getPath(item, c.name))
				}
				st.rows[l.name] = append(st.rows[l.name], row)
			}
		}
	}
	return st, nil
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
			f = withOptions(f, c.options)
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
	v := templates.CatalogListView{Page: s.adminPage(r, "Films", templates.SectionFilms), Kind: "film", Query: q, PageNum: page, More: result.More,
		Search: templates.EditField{Name: "q", Label: "Title starts with", Kind: "search", Value: q}}
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
	v := templates.CatalogListView{Page: s.adminPage(r, "People", templates.SectionPeople), Kind: "person", Query: q, PageNum: page, More: result.More,
		Search: templates.EditField{Name: "q", Label: "Name starts with", Kind: "search", Value: q}}
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
		v.PicturesPath = picturesPage(rec.kind, slug)
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
	st, err := stateFromRecord(filmForm, f)
	if err != nil {
		return err
	}
	return s.renderCatalogForm(w, r, http.StatusOK, filmRecord, slug, version, st, nil, "")
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
	st, err := stateFromRecord(personForm, p)
	if err != nil {
		return err
	}
	return s.renderCatalogForm(w, r, http.StatusOK, personRecord, slug, "", st, nil, "")
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
	f, problems := recordFromState[film.Film](filmForm, st)
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
	p, problems := recordFromState[film.Person](personForm, st)
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
