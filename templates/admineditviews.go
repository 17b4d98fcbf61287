package templates

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"marquee/internal/diff"
	"marquee/internal/film"
	"marquee/internal/paths"
)

// This file holds the view-models of the review editor and the catalogue
// forms (admin_reviews.templ, admin_catalog.templ).

// EditField is one input of an editors' form, with the value as typed and
// its problem, if any, already resolved by the handler, so the component
// only lays it out.
type EditField struct {
	// Name is the posted name, such as "credits.2.role"; ID is the
	// element's id, made from it.
	Name  string
	Label string
	// Kind is the input: "text", "int", "decimal", "url", "date", "time",
	// "textarea", "lines" (a textarea of one value per line), "select" or
	// "checkbox".
	Kind     string
	Value    string
	Options  []EditOption
	Error    string
	Hint     string
	Required bool
	// List is the id of a datalist suggesting values.
	List string
	// Rows is a textarea's height.
	Rows int
}

// EditOption is one choice of a select.
type EditOption struct {
	Value string
	Label string
}

// ID is the element id of the field.
func (f EditField) ID() string { return editID(f.Name) }

// errorID is the id of the field's error message, or "" when it has none.
func (f EditField) errorID() string {
	if f.Error == "" {
		return ""
	}
	return f.ID() + "-error"
}

// hintID is the id of the field's hint, or "" when it has none.
func (f EditField) hintID() string {
	if f.Hint == "" {
		return ""
	}
	return f.ID() + "-hint"
}

// editID makes an element id from a posted name: "credits.2.role" becomes
// "f-credits-2-role".
func editID(name string) string { return "f-" + strings.ReplaceAll(name, ".", "-") }

// EditRow is one repeated row of a list, such as one credit.
type EditRow struct {
	// Name is the row's prefix, "credits.2"; a problem with the row as a
	// whole ("repeats an earlier credit") is in Error.
	Name   string
	Legend string
	Error  string
	Fields []EditField
}

// ID is the element id of the row's fieldset.
func (r EditRow) ID() string { return editID(r.Name) }

// EditSection is a part of a form: a fieldset of single fields, a list of
// repeated rows, or both (the soundtrack and its tracks).
type EditSection struct {
	Legend string
	Hint   string
	Fields []EditField
	// List names the repeated rows ("credits") for the "Add more rows"
	// button; Rows are the rows, the existing ones then blank ones.
	List string
	Rows []EditRow
}

// ErrorLink is one line of a form's error summary, linking to the field.
type ErrorLink struct {
	Target  string // element id
	Label   string
	Message string
}

// ReviewEditorForm is the review editor's state: every value as typed, so
// a failed save or a preview shows the form again exactly as it was.
type ReviewEditorForm struct {
	ID int64
	// Revision is the revision the editor started from.
	Revision    int
	Headline    string
	FilmSlug    string
	Author      string
	AuthorSlug  string
	Publication string
	RatingValue string
	RatingScale string
	PullQuote   string
	Spoilers    bool
	Slug        string
	Status      string
	// PublishDate and PublishTime are the scheduled time, in UTC.
	PublishDate string
	PublishTime string
	Body        string
	Problems    film.Problems
}

// Action is where the form posts.
func (f ReviewEditorForm) Action() string {
	if f.ID == 0 {
		return paths.AdminReviews(nil)
	}
	return paths.AdminReview(f.ID)
}

// reviewEditorFields lists the review editor's fields in page order, with
// their labels, for the error summary.
var reviewEditorFields = []struct{ name, label string }{
	{"headline", "Headline"}, {"film", "Film"}, {"author", "Byline"}, {"author_person", "Byline person"},
	{"publication", "Publication"}, {"rating.value", "Rating"}, {"rating.scale", "Rating scale"},
	{"pull_quote", "Pull quote"}, {"slug", "Slug"}, {"status", "Status"}, {"published_at", "Publication time"},
	{"body", "Review"},
}

// ErrorLinks lists the form's problems in page order.
func (f ReviewEditorForm) ErrorLinks() []ErrorLink {
	var links []ErrorLink
	seen := map[string]bool{}
	for _, field := range reviewEditorFields {
		if msg := f.Problems[field.name]; msg != "" {
			target := editID(reviewInputName(field.name))
			if field.name == "status" {
				target = "f-status-draft" // the first of the radios
			}
			links = append(links, ErrorLink{Target: target, Label: field.label, Message: msg})
			seen[field.name] = true
		}
	}
	for name, msg := range f.Problems {
		if !seen[name] {
			links = append(links, ErrorLink{Target: "review-editor", Label: name, Message: msg})
		}
	}
	return links
}

// reviewInputName is the input that shows the problem with a field of the
// review: a rating problem belongs to its inputs, a publication time to
// the date.
func reviewInputName(field string) string {
	switch field {
	case "rating.value":
		return "rating_value"
	case "rating.scale":
		return "rating_scale"
	case "published_at":
		return "publish_date"
	}
	return field
}

// Field builds the EditField of one of the form's inputs, with its problem.
func (f ReviewEditorForm) field(name, label, kind, value string) EditField {
	problem := ""
	for _, field := range reviewEditorFields {
		if reviewInputName(field.name) == name {
			problem = f.Problems[field.name]
		}
	}
	return EditField{Name: name, Label: label, Kind: kind, Value: value, Error: problem}
}

// RatingScales are the rating scales the editor offers, "" for no rating.
var RatingScales = []EditOption{{"", "No rating"}, {"4", "out of 4"}, {"5", "out of 5 stars"}, {"10", "out of 10"}, {"100", "out of 100"}}

// ReviewEditorView is the review editor: the form, and after "Preview"
// the review as the public page would show it.
type ReviewEditorView struct {
	Page AdminPage
	Form ReviewEditorForm
	// Statuses are the states this account may give the review: a
	// contributor is never offered publishing or scheduling.
	Statuses []film.ReviewStatus
	// CanSave is false when the account may look but not change, such as
	// a contributor's own review once published.
	CanSave bool
	Notice  string
	// Preview is the review rendered by the public page's own components.
	Preview     *CriticReviewView
	RecentFilms []film.Summary
	// Stored is the review as saved, for the page's heading and links;
	// zero for a new review. Public says readers can see it now.
	Stored film.EditedReview
	Public bool
}

// ReviewListView is the editors' list of critic reviews.
type ReviewListView struct {
	Page    AdminPage
	Reviews []film.EditedReview
	Status  string
	Author  string
	Film    string
	PageNum int
	More    bool
	// OwnOnly says the list holds only the account's own reviews, as a
	// contributor sees it.
	OwnOnly bool
}

// URL is the address of another page of the same list.
func (v ReviewListView) URL(page int) string {
	q := url.Values{}
	for k, val := range map[string]string{"status": v.Status, "author": v.Author, "film": v.Film} {
		if val != "" {
			q.Set(k, val)
		}
	}
	if page > 1 {
		q.Set("page", strconv.Itoa(page))
	}
	return paths.AdminReviews(q)
}

// FieldDiff is the line diff of one field between two revisions.
type FieldDiff struct {
	Label string
	Lines []diff.Line
}

// ReviewHistoryView is a review's revisions and, when two are chosen, what
// changed between them.
type ReviewHistoryView struct {
	Page      AdminPage
	Review    film.EditedReview
	Revisions []film.Revision
	From, To  int
	// Diffs holds the fields that differ between From and To.
	Diffs      []FieldDiff
	CanRestore bool
	Notice     string
}

// CatalogFormView is the form for one film or person.
type CatalogFormView struct {
	Page AdminPage
	// Kind is "film" or "person".
	Kind    string
	Heading string
	Action  string
	// Version is the saved state the form started from (films only).
	Version  string
	Sections []EditSection
	Errors   []ErrorLink
	Notice   string
	// PublicPath links to the record's public page; "" for a new record.
	PublicPath string
}

// CatalogListView is the editors' list of films or of people.
type CatalogListView struct {
	Page    AdminPage
	Kind    string // "film" or "person"
	Query   string
	Items   []CatalogListItem
	PageNum int
	More    bool
}

// CatalogListItem is one film or person in an editors' list.
type CatalogListItem struct {
	Label    string
	Detail   string
	EditPath string
	ViewPath string
	// ReviewPath starts a review of a film.
	ReviewPath string
}

// URL is the address of another page of the same list.
func (v CatalogListView) URL(page int) string {
	base := v.base()
	q := url.Values{}
	if v.Query != "" {
		q.Set("q", v.Query)
	}
	if page > 1 {
		q.Set("page", strconv.Itoa(page))
	}
	return paths.WithQuery(base, q)
}

// base is the list's address without a query.
func (v CatalogListView) base() string {
	if v.Kind == "person" {
		return paths.AdminPeople(nil)
	}
	return paths.AdminFilms(nil)
}

// diffClass is the class of a diff line.
func diffClass(op diff.Op) string {
	switch op {
	case diff.Delete:
		return "del"
	case diff.Insert:
		return "ins"
	}
	return "same"
}

// diffMark is the sign a diff line starts with.
func diffMark(op diff.Op) string {
	switch op {
	case diff.Delete:
		return "−"
	case diff.Insert:
		return "+"
	}
	return " "
}

// diffMarkLabel says what a diff line's sign means, for screen readers.
func diffMarkLabel(op diff.Op) string {
	switch op {
	case diff.Delete:
		return "removed: "
	case diff.Insert:
		return "added: "
	}
	return ""
}

// editTime writes a time in the editors' pages: "20 November 2026, 14:05 UTC".
func editTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2 January 2006, 15:04 UTC")
}

// revisionAuthor names who saved a revision.
func revisionAuthor(v film.Revision) string {
	if v.UserName == "" {
		return "imported"
	}
	return v.UserName
}

// ownerName names who created a review.
func ownerName(r film.EditedReview) string {
	if r.OwnerName == "" {
		return "imported"
	}
	return r.OwnerName
}

// compareURL is the address of the diff between two revisions.
func compareURL(id int64, from, to int) string {
	q := url.Values{"from": {strconv.Itoa(from)}, "to": {strconv.Itoa(to)}}
	return paths.WithQuery(paths.AdminReviewHistory(id), q) + "#diff"
}

// statusOptions are the options of the status filter.
func statusOptions() []EditOption {
	options := []EditOption{{"", "Any status"}}
	for _, s := range film.ReviewStatuses {
		options = append(options, EditOption{string(s), s.Label()})
	}
	return options
}

// withHint returns f with a hint under its label.
func withHint(f EditField, hint string) EditField { f.Hint = hint; return f }

// withList returns f suggesting the values of the datalist with the given
// id.
func withList(f EditField, list string) EditField { f.List = list; return f }

// withRows returns a textarea f with the given height.
func withRows(f EditField, rows int) EditField { f.Rows = rows; return f }

// withOptions returns a select f with the given options, keeping a value
// that is not among them (as a forged or outdated form may send) as an
// option of its own, so that nothing sent is lost when the form comes back.
func withOptions(f EditField, options []EditOption) EditField {
	f.Options = options
	for _, o := range options {
		if o.Value == f.Value {
			return f
		}
	}
	f.Options = append(append([]EditOption(nil), options...), EditOption{f.Value, f.Value})
	return f
}

// checkedValue is a checkbox's value as EditField holds it.
func checkedValue(checked bool) string {
	if checked {
		return "yes"
	}
	return ""
}

// statusOffered reports whether s is among the statuses offered.
func statusOffered(offered []film.ReviewStatus, s film.ReviewStatus) bool {
	for _, o := range offered {
		if o == s {
			return true
		}
	}
	return false
}

// revisionOptions are the revisions as choices, newest first.
func revisionOptions(revisions []film.Revision) []EditOption {
	options := make([]EditOption, len(revisions))
	for i, v := range revisions {
		options[i] = EditOption{strconv.Itoa(v.Number), strconv.Itoa(v.Number) + " (" + editTime(v.At) + ", " + revisionAuthor(v) + ")"}
	}
	return options
}

// editInputType is the type attribute of an input kind. Numbers are text
// inputs with a numeric keyboard, so that whatever was typed comes back
// as typed for the server's message, rather than being dropped by the
// browser.
func editInputType(kind string) string {
	switch kind {
	case "date", "time", "search":
		return kind
	}
	return "text"
}

// editInputMode is the inputmode attribute of an input kind, or "".
func editInputMode(kind string) string {
	switch kind {
	case "int":
		return "numeric"
	case "decimal":
		return "decimal"
	case "url":
		return "url"
	}
	return ""
}
