package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"marquee/internal/diff"
	"marquee/internal/film"
	"marquee/internal/markdown"
	"marquee/internal/paths"
	"marquee/templates"
)

// The review editor: the editors' list of critic reviews, the form that
// writes and edits one (with a preview rendered exactly as the public page
// renders it), the history of its revisions, and restoring one.
//
// Who may do what is decided here, on every request, by the rules in
// package film (MayEditReview, MaySetStatus); the pages only leave out what
// an account may not use.

// adminListSize is how many rows a page of an editors' list shows.
const adminListSize = 50

// filmMatchLimit is how many films the review editor's film search
// weighs, and offers as suggestions or candidates.
const filmMatchLimit = 10

// maxAutoSlugTries bounds the numbered slugs (-2, -3…) tried for a new
// review whose slug is made from its headline.
const maxAutoSlugTries = 50

// forbidden is a 403 error with a message for the account.
func forbidden(message string) error {
	return &statusError{status: http.StatusForbidden, heading: "Not allowed", message: message}
}

// signedInUser returns the account of the request. Every /admin route
// passes through requireRole first, so there always is one; a request
// without one is refused rather than trusted.
func signedInUser(r *http.Request) (film.User, error) {
	u, ok := currentUser(r.Context())
	if !ok {
		return film.User{}, forbidden("Please sign in.")
	}
	return u, nil
}

// deskPage reads an editors' list's page parameter: 1 when absent.
func deskPage(p string) (int, error) {
	if p == "" {
		return 1, nil
	}
	n, err := strconv.Atoi(p)
	if err != nil || n < 1 || n > 100_000 {
		return 0, badRequest("The page number must be a whole number from 1.")
	}
	return n, nil
}

// serveAdminReviews lists critic reviews in every state, newest first.
// Contributors see only their own.
func (s *Server) serveAdminReviews(w http.ResponseWriter, r *http.Request) error {
	user, err := signedInUser(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	page, err := deskPage(q.Get("page"))
	if err != nil {
		return err
	}
	status := film.ReviewStatus(q.Get("status"))
	if status != "" && !status.Valid() {
		return badRequest("The status filter is draft, in_review, scheduled or published.")
	}
	filmSlug := strings.TrimSpace(q.Get("film"))
	author := strings.TrimSpace(q.Get("author"))
	if len(author) > 200 || len(filmSlug) > 100 {
		return badRequest("The filters are too long.")
	}
	f := film.EditedReviewFilter{Status: status, Author: author, FilmSlug: filmSlug,
		Offset: (page - 1) * adminListSize, Limit: adminListSize}
	ownOnly := !user.Role.AtLeast(film.RoleEditor)
	if ownOnly {
		f.OwnerID = user.ID
	}
	result, err := s.db.FindEditedReviews(r.Context(), f)
	if err != nil {
		return err
	}
	v := templates.ReviewListView{
		Page:    s.deskPage(r, "Critic reviews", templates.SectionReviews),
		Reviews: result.Reviews, Filters: reviewListFilters(string(status), author, filmSlug),
		Status: string(status), Author: author, Film: filmSlug,
		PageNum: page, More: result.More, OwnOnly: ownOnly,
	}
	return s.render(w, r, http.StatusOK, templates.EditorReviewListPage(v))
}

// serveNewReview shows an empty review editor, with the film filled in
// when the address names one and the byline set to the account's name.
func (s *Server) serveNewReview(w http.ResponseWriter, r *http.Request) error {
	user, err := signedInUser(r)
	if err != nil {
		return err
	}
	form := reviewEditorForm{Author: user.Name, Status: string(film.ReviewDraft)}
	if slug := r.URL.Query().Get("film"); film.ValidSlug(slug) {
		form.FilmSlug = slug
	}
	return s.renderReviewEditor(w, r, http.StatusOK, user, form, nil, "", nil)
}

// serveEditReview shows the editor holding a stored review. Contributors
// may open only their own reviews.
func (s *Server) serveEditReview(w http.ResponseWriter, r *http.Request) error {
	user, stored, err := s.reviewForUser(r)
	if err != nil {
		return err
	}
	notice := ""
	if !film.MayEditReview(user.Role, user.ID, stored.OwnerID, stored.Review) {
		notice = "This review is " + strings.ToLower(stored.Review.Status.Label()) + ": only an editor can change it now."
	}
	return s.renderReviewEditor(w, r, http.StatusOK, user, storedReviewForm(stored, s.zone), &stored, notice, nil)
}

// reviewForUser loads the review named in the path. A contributor who
// does not own it is told it is not found (404), exactly as for a review
// that does not exist, so the desk's URLs do not reveal which review
// numbers exist to someone who may not open them.
func (s *Server) reviewForUser(r *http.Request) (film.User, film.EditedReview, error) {
	user, err := signedInUser(r)
	if err != nil {
		return film.User{}, film.EditedReview{}, err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return film.User{}, film.EditedReview{}, film.ErrNotFound
	}
	stored, err := s.db.FindEditedReview(r.Context(), id)
	if err != nil {
		return film.User{}, film.EditedReview{}, err
	}
	if !user.Role.AtLeast(film.RoleEditor) && stored.OwnerID != user.ID {
		return film.User{}, film.EditedReview{}, film.ErrNotFound
	}
	return user, stored, nil
}

// createReview saves a new review, or, for "Preview", shows the form again
// with the preview and saves nothing.
func (s *Server) createReview(w http.ResponseWriter, r *http.Request) error {
	user, err := signedInUser(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return formError(err)
	}
	form := readReviewEditorForm(r.PostForm)
	form.ID, form.Revision = 0, 0
	return s.saveReview(w, r, user, form, nil)
}

// updateReview saves an edited review as a new revision, or previews it.
func (s *Server) updateReview(w http.ResponseWriter, r *http.Request) error {
	user, stored, err := s.reviewForUser(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return formError(err)
	}
	form := readReviewEditorForm(r.PostForm)
	form.ID = stored.Review.ID
	return s.saveReview(w, r, user, form, &stored)
}

// saveReview is the common end of createReview and updateReview. The
// permission checks come before anything is read into the store: a
// contributor who forges a "publish" gets 403 and nothing is saved. Any
// other failure shows the form again with every value kept: 422 with a
// message beside each field, or 409 when someone saved the review since
// the editor opened it.
func (s *Server) saveReview(w http.ResponseWriter, r *http.Request, user film.User, form reviewEditorForm, stored *film.EditedReview) error {
	now := s.now().UTC().Truncate(time.Second)
	ctx := r.Context()
	// The film is looked up first, whatever else is wrong, so an unknown
	// film is reported on the first save, drafts included.
	filmProblem, err := s.resolveFilm(ctx, &form)
	if err != nil {
		return err
	}
	autoSlug := form.Slug == "" && stored == nil
	review, problems := reviewFromForm(&form, now, stored, s.zone)
	if filmProblem != "" {
		problems["film"] = filmProblem
	}
	if autoSlug && problems["headline"] != "" {
		// The slug is made from the headline: its problem is the
		// headline's, not one of its own.
		delete(problems, "slug")
	}
	switch r.PostForm.Get("action") {
	case "preview":
		preview, err := s.reviewPreview(review, now)
		if err != nil {
			return err
		}
		return s.renderReviewEditor(w, r, http.StatusOK, user, form, stored, "", &preview)
	case "find":
		// Find looks the film up and shows the form again; nothing is
		// saved, and only the film's problem is shown.
		form.Problems = film.Problems{}
		if filmProblem != "" {
			form.Problems["film"] = filmProblem
		}
		return s.renderReviewEditor(w, r, http.StatusOK, user, form, stored, "", nil)
	}
	if stored != nil && !film.MayEditReview(user.Role, user.ID, stored.OwnerID, stored.Review) {
		return forbidden("This review is " + strings.ToLower(stored.Review.Status.Label()) + ": only an editor can change it now.")
	}
	if film.ReviewStatus(form.Status).Valid() && !film.MaySetStatus(user.Role, film.ReviewStatus(form.Status)) {
		return forbidden("Only editors can publish or schedule a review. Submit it for review instead.")
	}
	if len(problems) > 0 {
		form.Problems = problems
		return s.renderReviewEditor(w, r, http.StatusUnprocessableEntity, user, form, stored, "", nil)
	}

	var (
		id    int64
		flash string
	)
	if stored == nil {
		id, err = s.createReviewWithSlug(ctx, &form, review, autoSlug, user, now)
		flash = reviewFlash(film.ActionReviewCreate, review.Status)
	} else {
		id = stored.Review.ID
		var changed bool
		changed, err = s.db.UpdateCriticReview(ctx, id, form.Revision, review, user, now)
		flash = reviewFlash(film.ReviewAction(stored.Review.Status, review.Status), review.Status)
		if !changed {
			flash = "review-unchanged"
		}
	}
	var p film.Problems
	switch {
	case errors.As(err, &p):
		form.Problems = p
		return s.renderReviewEditor(w, r, http.StatusUnprocessableEntity, user, form, stored, "", nil)
	case errors.Is(err, film.ErrConflict) && stored != nil:
		latest, findErr := s.db.FindEditedReview(ctx, stored.Review.ID)
		if findErr != nil {
			return findErr
		}
		// The form now builds on the latest revision, so saving again
		// replaces it, knowingly.
		form.Revision = latest.Revision
		notice := fmt.Sprintf("Someone saved this review (revision %d, %s) while you were editing it, so your changes were not saved. "+
			"They are kept below: compare with the latest in the history, then save again to replace it.", latest.Revision, s.deskTime(latest.ChangedAt))
		return s.renderReviewEditor(w, r, http.StatusConflict, user, form, &latest, notice, nil)
	case err != nil:
		return err
	}
	http.Redirect(w, r, paths.WithQuery(paths.AdminReview(id), url.Values{"flash": {flash}}), http.StatusSeeOther)
	return nil
}

// reviewFlash is the flash key that says what a save did.
func reviewFlash(action string, status film.ReviewStatus) string {
	switch {
	case status == film.ReviewPublished && action != film.ActionReviewUpdate:
		return "review-published"
	case status == film.ReviewScheduled && action != film.ActionReviewUpdate:
		return "review-scheduled"
	case status == film.ReviewInReview && action != film.ActionReviewUpdate:
		return "review-submitted"
	case action == film.ActionReviewCreate:
		return "review-created"
	}
	return "review-saved"
}

// createReviewWithSlug stores a new review. When its slug was made from
// the headline (autoSlug) and another review holds it, the next free one
// is taken, -2, -3 and so on, and written back into the form; a slug the
// editor typed is never changed.
func (s *Server) createReviewWithSlug(ctx context.Context, form *reviewEditorForm, review film.CriticReview, autoSlug bool, user film.User, now time.Time) (int64, error) {
	base := review.Slug
	for n := 2; ; n++ {
		id, err := s.db.CreateCriticReview(ctx, review, user, now)
		var p film.Problems
		if !autoSlug || !errors.As(err, &p) || p["slug"] == "" || len(p) > 1 || n > maxAutoSlugTries {
			return id, err
		}
		review.Slug = base + "-" + strconv.Itoa(n)
		form.Slug = review.Slug
	}
}

// deskPage is adminPage with the site's time zone, for the pages that show
// times.
func (s *Server) deskPage(r *http.Request, title, section string) templates.AdminPage {
	p := s.adminPage(r, title, section)
	p.Zone = s.zone
	return p
}

// deskTime writes a time as the editors' pages do, in the site's time
// zone.
func (s *Server) deskTime(t time.Time) string {
	return templates.AdminPage{Zone: s.zone}.Time(t)
}

// resolveFilm finds the film the editor's film field names: a slug, or a
// title with or without its year ("Paris (2008)", "Paris 2008"), looked up
// through the site's search over the whole catalogue. A film chosen among
// candidates (film_pick) wins. One match is taken: the field then holds its
// slug. Several leave the candidates on the form to choose from, and none
// says so; either way the returned problem is the film field's message.
func (s *Server) resolveFilm(ctx context.Context, form *reviewEditorForm) (string, error) {
	if form.FilmPick != "" && film.ValidSlug(form.FilmPick) {
		f, err := s.db.FindFilmSummary(ctx, form.FilmPick)
		if err == nil {
			form.FilmSlug, form.FilmChosen, form.FilmPick = f.Slug, f, ""
			return "", nil
		}
		if !errors.Is(err, film.ErrNotFound) {
			return "", err
		}
	}
	text := form.FilmSlug
	if text == "" {
		return "", nil
	}
	if film.ValidSlug(text) {
		f, err := s.db.FindFilmSummary(ctx, text)
		if err == nil {
			form.FilmChosen = f
			return "", nil
		}
		if !errors.Is(err, film.ErrNotFound) {
			return "", err
		}
	}
	matches, err := s.filmMatches(ctx, text)
	if err != nil {
		return "", err
	}
	switch len(matches) {
	case 0:
		return "No film matches “" + text + "”. Check the title, or add the film to the catalogue first.", nil
	case 1:
		form.FilmSlug, form.FilmChosen = matches[0].Slug, matches[0]
		return "", nil
	}
	form.FilmCandidates = matches
	return "Several films match “" + text + "”: choose one below.", nil
}

// titleAndYear splits "Paris (2008)" or "Paris 2008" into a title and a
// year; text without a year at its end is all title.
var titleAndYear = regexp.MustCompile(`^(.*\S)[\s,]+\(?(1[89]\d\d|2\d\d\d)\)?$`)

// filmMatches lists the films a title (with or without its year) may
// mean, through the search's suggestions, best first: a film whose title
// (or original title) is exactly the one typed is the only match; else
// every film the words find, of the year when one is given.
func (s *Server) filmMatches(ctx context.Context, text string) ([]film.Summary, error) {
	title, year := text, 0
	if m := titleAndYear.FindStringSubmatch(text); m != nil {
		title = m[1]
		year, _ = strconv.Atoi(m[2])
	}
	found, err := s.suggestFilms(ctx, title, year)
	if err != nil {
		return nil, err
	}
	if len(found) == 0 && year != 0 {
		// "Blade Runner 2049" is a title, not a title and a year.
		title, year = text, 0
		if found, err = s.suggestFilms(ctx, title, 0); err != nil {
			return nil, err
		}
	}
	var exact []film.Summary
	for _, f := range found {
		if sameTitle(f.Title, title) || (f.OriginalTitle != "" && sameTitle(f.OriginalTitle, title)) {
			exact = append(exact, f)
		}
	}
	if len(exact) > 0 {
		return exact, nil
	}
	return found, nil
}

// suggestFilms returns the films the search suggests for title, of the
// given year unless it is 0.
func (s *Server) suggestFilms(ctx context.Context, title string, year int) ([]film.Summary, error) {
	// People come back too; ask for enough to leave the films.
	hits, err := s.db.Suggest(ctx, title, 4*filmMatchLimit)
	if err != nil {
		return nil, err
	}
	var films []film.Summary
	for _, h := range hits {
		if h.Kind == film.SearchFilm && (year == 0 || h.Film.Year == year) && len(films) < filmMatchLimit {
			films = append(films, h.Film)
		}
	}
	return films, nil
}

// sameTitle reports whether two titles are the same words, whatever their
// case, accents aside, and punctuation.
func sameTitle(a, b string) bool {
	words := func(s string) string {
		var out []string
		for _, t := range film.ParseSearch(s) {
			out = append(out, t.Words...)
		}
		return strings.Join(out, " ")
	}
	wa := words(a)
	return wa != "" && wa == words(b)
}

// serveFilmSuggestions answers the review editor's film field as an editor
// types: a JSON list of at most filmMatchLimit films whose titles match q,
// each with its slug and a label that tells films of the same title apart.
func (s *Server) serveFilmSuggestions(w http.ResponseWriter, r *http.Request) error {
	q := film.CleanSearchText(r.URL.Query().Get("q"))
	type suggestion struct {
		Slug  string `json:"slug"`
		Title string `json:"title"`
		Year  int    `json:"year"`
		Label string `json:"label"`
	}
	out := []suggestion{}
	if q != "" {
		films, err := s.suggestFilms(r.Context(), q, 0)
		if err != nil {
			return err
		}
		for _, f := range films {
			out = append(out, suggestion{Slug: f.Slug, Title: f.Title, Year: f.Year, Label: filmLabel(f)})
		}
	}
	body, err := json.Marshal(out)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, err = w.Write(body)
	return err
}

// filmLabel names a film for a choice among several: "Paris (2008),
// directed by Cédric Klapisch".
func filmLabel(f film.Summary) string {
	label := filmTitleYear(f)
	if len(f.Directors) > 0 {
		label += ", directed by " + joinNames(f.Directors)
	}
	return label
}

// renderReviewEditor shows the editor. The statuses offered are those the
// account may set.
func (s *Server) renderReviewEditor(w http.ResponseWriter, r *http.Request, status int, user film.User,
	form reviewEditorForm, stored *film.EditedReview, notice string, preview *templates.CriticReviewView) error {
	if form.FilmChosen.Slug == "" && film.ValidSlug(form.FilmSlug) {
		// Name the film the field holds, when it holds one.
		f, err := s.db.FindFilmSummary(r.Context(), form.FilmSlug)
		if err != nil && !errors.Is(err, film.ErrNotFound) {
			return err
		}
		form.FilmChosen = f
	}
	title := "New review"
	if stored != nil {
		title = "Edit: " + stored.Review.Headline
	}
	var offered []film.ReviewStatus
	for _, st := range film.ReviewStatuses {
		if film.MaySetStatus(user.Role, st) {
			offered = append(offered, st)
		}
	}
	v := reviewEditorView(s.deskPage(r, title, templates.SectionReviews), form, offered, s.now())
	v.CanSave, v.Notice, v.Preview = true, notice, preview
	if stored != nil {
		v.Stored = *stored
		v.Public = stored.Review.Public(s.now())
		v.CanSave = film.MayEditReview(user.Role, user.ID, stored.OwnerID, stored.Review)
	}
	w.Header().Set("Cache-Control", "no-store")
	return s.render(w, r, status, templates.ReviewEditorPage(v))
}

// reviewPreview renders a review as the public page would: the body goes
// through criticReviewView, the very function the film and review pages
// use.
func (s *Server) reviewPreview(review film.CriticReview, now time.Time) (templates.CriticReviewView, error) {
	if review.PublishedAt.IsZero() {
		review.PublishedAt = now
	}
	if review.Headline == "" {
		review.Headline = "(No headline yet)"
	}
	return s.criticReviewView(review)
}

// servePreview answers the live preview's request with the rendered review
// alone, an HTML fragment. It saves nothing.
func (s *Server) servePreview(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return formError(err)
	}
	now := s.now().UTC().Truncate(time.Second)
	form := readReviewEditorForm(r.PostForm)
	review, _ := reviewFromForm(&form, now, nil, s.zone)
	preview, err := s.reviewPreview(review, now)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	return s.render(w, r, http.StatusOK, templates.ReviewPreview(preview))
}

// readReviewEditorForm reads the posted editor fields as typed.
func readReviewEditorForm(values url.Values) reviewEditorForm {
	get := func(name string) string { return strings.TrimSpace(values.Get(name)) }
	revision, _ := strconv.Atoi(values.Get("revision"))
	return reviewEditorForm{
		Revision:    revision,
		Headline:    get("headline"),
		FilmSlug:    get("film"),
		Author:      get("author"),
		AuthorSlug:  get("author_person"),
		Publication: get("publication"),
		RatingValue: get("rating_value"),
		RatingScale: get("rating_scale"),
		PullQuote:   get("pull_quote"),
		Spoilers:    values.Get("spoilers") != "",
		Slug:        get("slug"),
		Status:      get("status"),
		PublishDate: get("publish_date"),
		PublishTime: get("publish_time"),
		FilmPick:    get("film_pick"),
		Body:        strings.TrimRight(strings.ReplaceAll(values.Get("body"), "\r\n", "\n"), " \t\n"),
	}
}

// storedReviewForm fills the editor from a stored review, its scheduled
// time in the site's time zone zone.
func storedReviewForm(e film.EditedReview, zone *time.Location) reviewEditorForm {
	r := e.Review
	f := reviewEditorForm{
		ID: r.ID, Revision: e.Revision, Headline: r.Headline, FilmSlug: r.FilmSlug, Author: r.Author, AuthorSlug: r.AuthorSlug,
		Publication: r.Publication, PullQuote: r.PullQuote, Spoilers: r.Spoilers, Slug: r.Slug, Status: string(r.Status), Body: r.Body,
	}
	if r.Rating != nil {
		f.RatingValue = strconv.FormatFloat(r.Rating.Value, 'f', -1, 64)
		f.RatingScale = strconv.Itoa(r.Rating.Scale)
	}
	if r.Status == film.ReviewScheduled && !r.PublishedAt.IsZero() {
		f.PublishDate = r.PublishedAt.In(zone).Format("2006-01-02")
		f.PublishTime = r.PublishedAt.In(zone).Format("15:04")
	}
	return f
}

// reviewFromForm is the review the form describes at now, over stored
// (nil for a new review), with the form's problems. A slug left empty is
// made from the headline of a new review and kept as it was on a stored
// one (its address does not move by accident), and written back into the
// form so that it shows. A review already public keeps its publication time when
// published; one being published gets now; one scheduled gets the chosen
// time, read in the site's time zone zone, which must be ahead unless it
// is the time already stored. The headline and pull quote are set with
// typographic quotes and dashes, as the body is when it is rendered.
func reviewFromForm(f *reviewEditorForm, now time.Time, stored *film.EditedReview, zone *time.Location) (film.CriticReview, film.Problems) {
	problems := film.Problems{}
	f.Headline = markdown.Typography(f.Headline)
	f.PullQuote = markdown.Typography(f.PullQuote)
	if f.Slug == "" {
		f.Slug = film.Slugify(f.Headline)
		if f.Slug == "" && f.Headline != "" {
			// A headline of punctuation alone spells no slug.
			f.Slug = film.Slugify(f.FilmSlug + " review")
		}
		if stored != nil {
			f.Slug = stored.Review.Slug
		}
	}
	r := film.CriticReview{
		Slug: f.Slug, FilmSlug: f.FilmSlug, Headline: f.Headline, Author: f.Author, AuthorSlug: f.AuthorSlug,
		Publication: f.Publication, PullQuote: f.PullQuote, Body: f.Body, Spoilers: f.Spoilers, Status: film.ReviewStatus(f.Status),
	}
	if stored != nil {
		r.ID = stored.Review.ID
	}
	switch {
	case f.RatingScale == "" && f.RatingValue != "":
		problems.Add("rating.scale", "Choose the scale the rating is on, or clear the rating.")
	case f.RatingScale != "":
		scale, err := strconv.Atoi(f.RatingScale)
		if err != nil {
			problems.Add("rating.scale", "must be 4, 5, 10 or 100")
		}
		value, err := strconv.ParseFloat(strings.ReplaceAll(f.RatingValue, ",", "."), 64)
		if f.RatingValue == "" {
			problems.Add("rating.value", "is required with a scale; choose “No rating” for none")
		} else if err != nil {
			problems.Add("rating.value", "must be a number, such as 3.5")
		}
		r.Rating = &film.Rating{Value: value, Scale: scale}
	}
	switch r.Status {
	case film.ReviewPublished:
		r.PublishedAt = now
		if stored != nil && stored.Review.Public(now) {
			r.PublishedAt = stored.Review.PublishedAt
		}
	case film.ReviewScheduled:
		typed := f.PublishDate + " " + f.PublishTime
		at, err := time.ParseInLocation("2006-01-02 15:04", typed, zone)
		switch {
		case f.PublishDate == "" || f.PublishTime == "":
			problems.Add("published_at", "A scheduled review needs the date and time to publish it.")
		case err != nil:
			problems.Add("published_at", "must be a date and a time, such as 2026-12-24 and 09:00")
		case at.In(zone).Format("2006-01-02 15:04") != typed:
			// A time skipped when the clocks go forward.
			problems.Add("published_at", "There is no "+f.PublishTime+" on "+f.PublishDate+" in "+zone.String()+
				": the clocks go forward then. Choose another time.")
		case !at.After(now) && (stored == nil || stored.Review.Status != film.ReviewScheduled || !stored.Review.PublishedAt.Equal(at)):
			problems.Add("published_at", "must be in the future; to publish now, choose Published")
		}
		r.PublishedAt = at
	}
	if err := r.Validate(); err != nil {
		var p film.Problems
		if errors.As(err, &p) {
			for field, msg := range p {
				problems.Add(field, msg)
			}
		}
	}
	return r, problems
}

// serveReviewHistory lists a review's revisions and, given from and to (or
// by default the latest two), the line diff of every field that differs.
func (s *Server) serveReviewHistory(w http.ResponseWriter, r *http.Request) error {
	user, stored, err := s.reviewForUser(r)
	if err != nil {
		return err
	}
	return s.renderReviewHistory(w, r, http.StatusOK, user, stored, "")
}

func (s *Server) renderReviewHistory(w http.ResponseWriter, r *http.Request, status int, user film.User, stored film.EditedReview, notice string) error {
	ctx := r.Context()
	revisions, err := s.db.Revisions(ctx, stored.Review.ID)
	if err != nil {
		return err
	}
	v := templates.ReviewHistoryView{
		Page:   s.deskPage(r, "History: "+stored.Review.Headline, templates.SectionReviews),
		Review: stored, Revisions: revisions, Notice: notice,
		CanRestore: film.MayEditReview(user.Role, user.ID, stored.OwnerID, stored.Review),
	}
	q := r.URL.Query()
	if q.Has("from") || q.Has("to") {
		v.From, err = strconv.Atoi(q.Get("from"))
		if err == nil {
			v.To, err = strconv.Atoi(q.Get("to"))
		}
		if err != nil || v.From < 1 || v.To < 1 {
			return badRequest("Choose two revisions to compare by their numbers.")
		}
	} else if len(revisions) >= 2 {
		v.From, v.To = revisions[1].Number, revisions[0].Number
	}
	if v.From > 0 {
		from, err := s.db.FindRevision(ctx, stored.Review.ID, v.From)
		if err != nil {
			return err
		}
		to, err := s.db.FindRevision(ctx, stored.Review.ID, v.To)
		if err != nil {
			return err
		}
		v.Diffs = reviewDiffs(from.Review, to.Review)
	}
	v.Compare = revisionCompareFields(revisions, v.From, v.To, v.Page)
	w.Header().Set("Cache-Control", "no-store")
	return s.render(w, r, status, templates.ReviewHistoryPage(v))
}

// reviewDiffs compares two states of a review field by field, line by
// line, keeping the fields that differ.
func reviewDiffs(a, b film.CriticReview) []templates.FieldDiff {
	var diffs []templates.FieldDiff
	fb := b.Fields()
	for i, field := range a.Fields() {
		if lines := diff.Lines(field.Value, fb[i].Value); diff.Changed(lines) {
			diffs = append(diffs, templates.FieldDiff{Label: field.Label, Lines: lines})
		}
	}
	return diffs
}

// restoreRevision brings back an old revision's text as a new revision.
// The review keeps its status, so restoring is never publishing.
func (s *Server) restoreRevision(w http.ResponseWriter, r *http.Request) error {
	user, stored, err := s.reviewForUser(r)
	if err != nil {
		return err
	}
	number, err := strconv.Atoi(r.PathValue("number"))
	if err != nil || number < 1 {
		return film.ErrNotFound
	}
	if !film.MayEditReview(user.Role, user.ID, stored.OwnerID, stored.Review) {
		return forbidden("This review is " + strings.ToLower(stored.Review.Status.Label()) + ": only an editor can change it now.")
	}
	if err := r.ParseForm(); err != nil {
		return formError(err)
	}
	base, err := strconv.Atoi(r.PostForm.Get("revision"))
	if err != nil {
		return badRequest("The form could not be read. Please go back and send it again.")
	}
	err = s.db.RestoreRevision(r.Context(), stored.Review.ID, number, base, user, s.now().UTC().Truncate(time.Second))
	var p film.Problems
	switch {
	case errors.Is(err, film.ErrConflict):
		latest, findErr := s.db.FindEditedReview(r.Context(), stored.Review.ID)
		if findErr != nil {
			return findErr
		}
		return s.renderReviewHistory(w, r, http.StatusConflict, user, latest,
			"Someone saved the review while you were looking at its history, so nothing was restored. Here is the history as it is now.")
	case errors.As(err, &p):
		return s.renderReviewHistory(w, r, http.StatusUnprocessableEntity, user, stored,
			"Revision "+strconv.Itoa(number)+" cannot be restored: "+strings.TrimPrefix(p.Error(), "invalid: ")+".")
	case err != nil:
		return err
	}
	http.Redirect(w, r, paths.WithQuery(paths.AdminReview(stored.Review.ID), url.Values{"flash": {"review-restored"}}), http.StatusSeeOther)
	return nil
}
