package templates

import (
	"net/url"
	"strconv"
	"strings"

	"marquee/internal/diff"
	"marquee/internal/film"
	"marquee/internal/paths"
)

// This file holds the view-models of the review editor and the catalogue
// forms (admin_reviews.templ, admin_catalog.templ). Both lay out EditFields
// built by their handlers, which resolve every value, hint, option and
// problem.

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

// ReviewEditorView is the review editor: its fields, laid out by the
// handler with every value as typed (so a failed save or a preview shows
// the form again exactly as it was) and every problem, and after "Preview"
// the review as the public page would show it.
type ReviewEditorView struct {
	Page AdminPage
	// ID is the review's id, 0 for a new review; Action is where the form
	// posts; Revision is the revision the editor started from.
	ID       int64
	Action   string
	Revision int
	Fields   ReviewEditorFields
	// Errors is the form's error summary, in page order.
	Errors []ErrorLink
	// ScheduleOffered says the account may schedule the review, so the
	// scheduled time's fields are shown.
	ScheduleOffered bool
	// CanSave is false when the account may look but not change, such as
	// a contributor's own review once published.
	CanSave bool
	Notice  string
	// Preview is the review rendered by the public page's own components.
	Preview *CriticReviewView
	// FilmSuggestURL is where the film field's script asks for
	// suggestions. FilmChosen names the film the field holds, linked to
	// FilmChosenURL; FilmCandidates are the films to choose from when the
	// text typed matched several.
	FilmSuggestURL string
	FilmChosen     string
	FilmChosenURL  string
	FilmCandidates []EditOption
	// ZoneLabel names the site's time zone beside the scheduled time:
	// "Europe/Paris, UTC+01:00".
	ZoneLabel string
	// Stored is the review as saved, for the page's heading and links;
	// zero for a new review. Public says readers can see it now.
	Stored film.EditedReview
	Public bool
}

// ReviewEditorFields are the review editor's inputs, in page order.
type ReviewEditorFields struct {
	Headline     EditField
	Film         EditField
	Author       EditField
	AuthorPerson EditField
	Publication  EditField
	RatingValue  EditField
	RatingScale  EditField
	PullQuote    EditField
	Body         EditField
	Spoilers     EditField
	Slug         EditField
	// Status is laid out as radios: one per option, the statuses this
	// account may give the review, with its hint after them.
	Status EditField
	// PublishDate and PublishTime are the scheduled time, in the site's
	// time zone.
	PublishDate EditField
	PublishTime EditField
}

// ReviewListView is the editors' list of critic reviews.
type ReviewListView struct {
	Page    AdminPage
	Reviews []film.EditedReview
	// Filters are the list's filter form's fields; Status, Author and
	// Film are the filters' values, for the pages' addresses.
	Filters []EditField
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
	// Compare are the fields choosing two revisions to compare, when
	// there are two or more.
	Compare []EditField
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
	// PicturesPath links to the record's pictures (poster and stills, or
	// portrait); "" for a new record.
	PicturesPath string
}

// CatalogListView is the editors' list of films or of people.
type CatalogListView struct {
	Page  AdminPage
	Kind  string // "film" or "person"
	Query string
	// Search is the list's search box.
	Search  EditField
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
