package web

import (
	"slices"
	"strconv"
	"time"

	"marquee/internal/film"
	"marquee/internal/paths"
	"marquee/templates"
)

// This file lays out the review editor's form, and the filter and compare
// fields of the review list and history, as the EditFields the editors'
// pages place, the way catalogSections does for the catalogue forms.

// reviewEditorForm is the review editor's state: every value as typed, so
// a failed save or a preview shows the form again exactly as it was.
type reviewEditorForm struct {
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
	// PublishDate and PublishTime are the scheduled time, in the site's
	// time zone.
	PublishDate string
	PublishTime string
	Body        string
	Problems    film.Problems

	// FilmPick is the film chosen among FilmCandidates, the films the
	// film field's text matched when it matched several; FilmChosen is
	// the film the field was resolved to, if any.
	FilmPick       string
	FilmCandidates []film.Summary
	FilmChosen     film.Summary
}

// action is where the form posts.
func (f reviewEditorForm) action() string {
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

// errorLinks lists the form's problems in page order, then any the page
// has no field for, linked to the form itself.
func (f reviewEditorForm) errorLinks() []templates.ErrorLink {
	var links []templates.ErrorLink
	seen := map[string]bool{}
	for _, field := range reviewEditorFields {
		if msg := f.Problems[field.name]; msg != "" {
			target := templates.EditField{Name: reviewInputName(field.name)}.ID()
			if field.name == "status" {
				target = "f-status-draft" // the first of the radios
			}
			links = append(links, templates.ErrorLink{Target: target, Label: field.label, Message: msg})
			seen[field.name] = true
		}
	}
	for name, msg := range f.Problems {
		if !seen[name] {
			links = append(links, templates.ErrorLink{Target: "review-editor", Label: name, Message: msg})
		}
	}
	return links
}

// field builds the EditField of one of the form's inputs, with its problem.
func (f reviewEditorForm) field(name, label, kind, value string) templates.EditField {
	problem := ""
	for _, field := range reviewEditorFields {
		if reviewInputName(field.name) == name {
			problem = f.Problems[field.name]
		}
	}
	return templates.EditField{Name: name, Label: label, Kind: kind, Value: value, Error: problem}
}

// ratingScales are the rating scales the editor offers, "" for no rating.
var ratingScales = []templates.EditOption{
	{Value: "", Label: "No rating"}, {Value: "4", Label: "out of 4"}, {Value: "5", Label: "out of 5 stars"},
	{Value: "10", Label: "out of 10"}, {Value: "100", Label: "out of 100"},
}

// fields lays out every input of the editor, in page order, with its
// label, value, hint and problem. offered are the statuses the account may
// give the review; a contributor, offered fewer, is told who does the rest.
func (f reviewEditorForm) fields(offered []film.ReviewStatus) templates.ReviewEditorFields {
	v := templates.ReviewEditorFields{
		Headline:     f.field("headline", "Headline", "text", f.Headline),
		Film:         f.field("film", "Film", "text", f.FilmSlug),
		Author:       f.field("author", "Byline", "text", f.Author),
		AuthorPerson: f.field("author_person", "Byline person (optional)", "text", f.AuthorSlug),
		Publication:  f.field("publication", "Publication (optional)", "text", f.Publication),
		RatingValue:  f.field("rating_value", "Rating", "decimal", f.RatingValue),
		RatingScale:  withOptions(f.field("rating_scale", "Scale", "select", f.RatingScale), ratingScales),
		PullQuote:    f.field("pull_quote", "Pull quote (optional)", "text", f.PullQuote),
		Body:         f.field("body", "Review", "textarea", f.Body),
		Spoilers:     f.field("spoilers", "The whole review discusses the plot (fold it behind a spoiler warning)", "checkbox", checkedValue(f.Spoilers)),
		Slug:         f.field("slug", "Slug", "text", f.Slug),
		Status:       f.field("status", "Status", "radio", f.Status),
		PublishDate:  f.field("publish_date", "Date", "date", f.PublishDate),
		PublishTime:  f.field("publish_time", "Time", "time", f.PublishTime),
	}
	v.Film.List = "film-suggestions"
	v.Film.Hint = "A title, with its year when several films share it (Paris 2008), or the film’s slug (paris-2008). Find looks it up in the whole catalogue."
	v.AuthorPerson.Hint = "A person’s slug, to link the byline to their page."
	v.Body.Rows = 18
	v.Body.Hint = "Markdown: *italics*, **bold**, [links](https://example.com), ## headings, > quotes. Hide plot details ||inline|| or in a block between ::: spoiler and :::."
	v.Slug.Hint = "The review’s address: /reviews/slug. Left empty on a new review, it is made from the headline. Changing it on a published review leaves the old address redirecting here."
	for _, s := range offered {
		v.Status.Options = append(v.Status.Options, templates.EditOption{Value: string(s), Label: s.Label()})
	}
	if len(offered) < len(film.ReviewStatuses) {
		v.Status.Hint = "An editor publishes or schedules the review once you submit it for review."
	}
	return v
}

// reviewEditorView lays out the editor for an account that may give the
// review the offered statuses: the fields, the error summary, and the
// scheduled time's fields only for an account that may schedule.
//
// The time zone is labelled with its offset at the scheduled time, or at
// now when none is chosen, since summer time changes it.
func reviewEditorView(page templates.AdminPage, form reviewEditorForm, offered []film.ReviewStatus, now time.Time) templates.ReviewEditorView {
	zone, at := page.Zone, now
	if zone == nil {
		zone = time.UTC
	}
	if t, err := time.ParseInLocation("2006-01-02 15:04", form.PublishDate+" "+form.PublishTime, zone); err == nil {
		at = t
	}
	v := templates.ReviewEditorView{
		Page: page, ID: form.ID, Action: form.action(), Revision: form.Revision,
		Fields: form.fields(offered), Errors: form.errorLinks(),
		ScheduleOffered: slices.Contains(offered, film.ReviewScheduled),
		ZoneLabel:       page.ZoneLabel(at),
		FilmSuggestURL:  paths.AdminFilmSuggest(""),
	}
	if f := form.FilmChosen; f.Slug != "" && f.Slug == form.FilmSlug {
		v.FilmChosen = filmLabel(f)
		v.FilmChosenURL = paths.Film(f.Slug)
	}
	for _, f := range form.FilmCandidates {
		v.FilmCandidates = append(v.FilmCandidates, templates.EditOption{Value: f.Slug, Label: filmLabel(f)})
	}
	return v
}

// withOptions returns a select f with the given options, keeping a value
// that is not among them (as a forged or outdated form may send) as an
// option of its own, so that nothing sent is lost when the form comes back.
func withOptions(f templates.EditField, options []templates.EditOption) templates.EditField {
	f.Options = options
	for _, o := range options {
		if o.Value == f.Value {
			return f
		}
	}
	f.Options = append(append([]templates.EditOption(nil), options...), templates.EditOption{Value: f.Value, Label: f.Value})
	return f
}

// checkedValue is a checkbox's value as EditField holds it.
func checkedValue(checked bool) string {
	if checked {
		return "yes"
	}
	return ""
}

// reviewListFilters are the fields of the review list's filter form.
func reviewListFilters(status, author, filmSlug string) []templates.EditField {
	options := []templates.EditOption{{Value: "", Label: "Any status"}}
	for _, s := range film.ReviewStatuses {
		options = append(options, templates.EditOption{Value: string(s), Label: s.Label()})
	}
	return []templates.EditField{
		withOptions(templates.EditField{Name: "status", Label: "Status", Kind: "select", Value: status}, options),
		{Name: "author", Label: "Byline starts with", Kind: "text", Value: author},
		{Name: "film", Label: "Film (slug)", Kind: "text", Value: filmSlug},
	}
}

// revisionCompareFields are the two selects that choose the revisions to
// compare, each offering every revision, newest first, or none when there
// are fewer than two.
func revisionCompareFields(revisions []film.Revision, from, to int, page templates.AdminPage) []templates.EditField {
	if len(revisions) < 2 {
		return nil
	}
	options := make([]templates.EditOption, len(revisions))
	for i, v := range revisions {
		by := v.UserName
		if by == "" {
			by = "imported"
		}
		when := ""
		if !v.At.IsZero() {
			when = page.Time(v.At)
		}
		options[i] = templates.EditOption{Value: strconv.Itoa(v.Number), Label: strconv.Itoa(v.Number) + " (" + when + ", " + by + ")"}
	}
	return []templates.EditField{
		withOptions(templates.EditField{Name: "from", Label: "Compare revision", Kind: "select", Value: strconv.Itoa(from)}, options),
		withOptions(templates.EditField{Name: "to", Label: "with revision", Kind: "select", Value: strconv.Itoa(to)}, options),
	}
}
