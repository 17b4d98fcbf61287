package web

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"marquee/internal/film"
	"marquee/internal/markdown"
	"marquee/internal/paths"
	"marquee/templates"
)

// readerReviewsPerPage is how many reviews a page of the review list shows.
const readerReviewsPerPage = 20

// reviewFormPurpose binds form tokens to the reader review form of a film.
func reviewFormPurpose(filmSlug string) string { return "reader-review:" + filmSlug }

// reviewConfirmPurpose binds the token of the "please confirm" step, which
// the reader has already written through, so no minimum time applies.
func reviewConfirmPurpose(filmSlug string) string { return "reader-review-confirm:" + filmSlug }

// serveReaderReviews pages through a film's approved reader reviews, in the
// order and with the spoiler filter the query asks for.
func (s *Server) serveReaderReviews(w http.ResponseWriter, r *http.Request) error {
	slug, err := slugParam(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	sort := film.ReaderReviewSort(q.Get("sort"))
	if sort == "" {
		sort = film.SortNewest
	}
	if !sort.Valid() {
		return badRequest(fmt.Sprintf("Reviews can be sorted by newest, helpful, highest or lowest, not %q.", truncateForMessage(string(sort))))
	}
	hideSpoilers := false
	switch q.Get("spoilers") {
	case "", "show":
	case "hide":
		hideSpoilers = true
	default:
		return badRequest("The spoilers filter is either show or hide.")
	}
	page := 1
	if p := q.Get("page"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 1_000_000 {
			return badRequest("The page number must be a whole number from 1.")
		}
		page = n
	}

	p, err := s.db.ReaderReviewsPage(r.Context(), slug, film.ReaderReviewFilter{
		Sort: sort, HideSpoilers: hideSpoilers,
		Offset: (page - 1) * readerReviewsPerPage, Limit: readerReviewsPerPage,
	})
	if err != nil {
		return s.followMovedSlug(w, r, film.RedirectFilm, paths.FilmReviews, slug, err)
	}
	f, result := p.Film, p.Reviews
	pageCount := max(1, (result.Total+readerReviewsPerPage-1)/readerReviewsPerPage)
	if page > pageCount {
		return film.ErrNotFound
	}
	reviews, err := s.readerReviewViews(result.Reviews)
	if err != nil {
		return err
	}
	v := templates.ReaderReviewsView{
		Film: f, Reviews: reviews, Total: result.Total, Stats: p.Ratings,
		Sort: sort, HideSpoilers: hideSpoilers, Page: page, PageCount: pageCount,
	}
	v.Here = v.URL(page)
	title := "Reader reviews of " + f.Title + " (" + strconv.Itoa(f.Year) + ")"
	v.Meta = s.withFilmFeed(s.meta(title, readerReviewsDescription(v), v.CanonicalURL()), f.Slug, f.Title+" ("+strconv.Itoa(f.Year)+")")
	v.Meta.Breadcrumbs = []templates.Crumb{filmsCrumb(), filmCrumb(f), {Name: "Reader reviews", Path: paths.FilmReviews(f.Slug)}}
	if v.Meta.StructuredData, err = encodeLD(s.breadcrumbLD(v.Meta.Breadcrumbs)); err != nil {
		return err
	}
	sharePage(w)
	return s.render(w, r, http.StatusOK, templates.ReaderReviewsPage(v))
}

// readerReviewViews renders each review's body with the reader subset of
// Markdown.
func (s *Server) readerReviewViews(reviews []film.ReaderReview) ([]templates.ReaderReviewView, error) {
	views := make([]templates.ReaderReviewView, len(reviews))
	for i, rv := range reviews {
		body, err := s.markdown.RenderReader(rv.Body)
		if err != nil {
			return nil, err
		}
		views[i] = templates.ReaderReviewView{Review: rv, Body: body, Live: s.live()}
	}
	return views, nil
}

// serveReviewForm shows the review form on a page of its own.
func (s *Server) serveReviewForm(w http.ResponseWriter, r *http.Request) error {
	slug, err := slugParam(r)
	if err != nil {
		return err
	}
	var reader []byte
	if token := readerToken(r); token != "" {
		reader = tokenHash(token)
	}
	p, err := s.db.ReviewFormPage(r.Context(), slug, reader)
	if err != nil {
		return err
	}
	form := s.newReviewForm(p.Film)
	form.RatingText = ratingFormValue(p.YourRating)
	if p.YourRating > 0 {
		// The form shows this reader's own rating: not a page to share.
		w.Header().Set("Cache-Control", "private, no-cache")
	}
	return s.renderReviewForm(w, r, http.StatusOK, p.Film, form, "")
}

// ratingFormValue is the review form's rating field for a reader's rating
// of the film, so the form starts from the rating they already gave; ""
// for none.
func ratingFormValue(yours int) string {
	if yours == 0 {
		return ""
	}
	return strconv.Itoa(yours)
}

// newReviewForm is an empty review form for a film, carrying a fresh token.
func (s *Server) newReviewForm(f film.Summary) templates.ReviewForm {
	return templates.ReviewForm{FilmSlug: f.Slug, Token: s.formToken(reviewFormPurpose(f.Slug), s.now())}
}

func (s *Server) renderReviewForm(w http.ResponseWriter, r *http.Request, status int, f film.Summary, form templates.ReviewForm, notice string) error {
	v := templates.ReviewFormView{Film: f, Form: form, Notice: notice}
	v.Meta = s.meta("Review "+f.Title+" ("+strconv.Itoa(f.Year)+")", "", paths.FilmReviewForm(f.Slug))
	v.Meta.NoIndex = true // A form, with nothing to find.
	if status != http.StatusOK {
		w.Header().Set("Cache-Control", "no-store")
	}
	return s.render(w, r, status, templates.ReviewFormPage(v))
}

// submitReaderReview takes a reader review into the moderation queue.
//
// A person who makes a mistake gets the form back with their text and a
// message beside each field (422). No person is silently binned: a review
// sent without a form token (the film page's form carries none, so that
// page stays the same bytes for everyone and can be cached) or sooner after
// the form was served than anyone could write one comes back once, text
// kept, asking the reader to check it and send it (a confirmation step
// whose own token has no minimum time); nothing is stored until they do.
// Only what no person sends, a filled honeypot or a forged token, is taken
// for a bot: it gets the same "awaiting approval" page as people, and the
// review is stored as spam, which moderators can still see and rescue. A
// genuine token older than maxFormTokenAge is refused as a person's
// mistake: the form comes back with their text, asking them to send it
// again (422).
func (s *Server) submitReaderReview(w http.ResponseWriter, r *http.Request) error {
	slug, err := slugParam(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	f, err := s.db.FindFilmSummary(ctx, slug)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			// The body was not read, so nothing can be kept; say why.
			return s.renderReviewForm(w, r, http.StatusRequestEntityTooLarge, f, s.newReviewForm(f),
				fmt.Sprintf("Your review was too large to receive (over %d MB). Reviews can be up to %s characters.",
					maxFormBytes>>20, film.FormatCount(film.ReaderReviewBodyLimit)))
		}
		return formError(err)
	}
	form := readReviewForm(r.PostForm, f.Slug)
	form.Token = s.formToken(reviewFormPurpose(f.Slug), s.now())

	if ok, retry := s.reviewLimiter.allow(s.clientKey(r), s.now()); !ok {
		w.Header().Set("Retry-After", retryAfterSeconds(retry))
		return s.renderReviewForm(w, r, http.StatusTooManyRequests, f, form,
			fmt.Sprintf("You have sent several reviews in a short time. Your text is kept below: please try again in %s.", humanDuration(retry)))
	}

	review := readerReviewFromForm(form, s.now())
	problems := film.Problems{}
	if err := review.Validate(); err != nil {
		var p film.Problems
		if errors.As(err, &p) {
			problems = p
		} else {
			return err
		}
	}
	if form.RatingText == "" {
		problems["rating"] = "Choose a rating from 1 to 10."
	}
	if n := markdown.CountLinks(review.Body); n > s.limits.MaxLinks {
		problems.Add("body", fmt.Sprintf("A review may hold at most %d links; this one has %d.", s.limits.MaxLinks, n))
	}

	check, why := s.checkReviewSubmission(r, f.Slug)
	if check == reviewFromBot {
		// Same answer as for a person, so a bot learns nothing; stored as
		// spam only when it would otherwise be valid, so moderators can
		// rescue a person caught by mistake.
		if len(problems) == 0 {
			review.Status = film.ModerationSpam
			if _, err := s.db.CreateReaderReview(ctx, review, 0); err != nil {
				return err
			}
		}
		s.log.LogAttrs(ctx, slog.LevelInfo, "reader review treated as spam",
			slog.String("request_id", requestID(ctx)), slog.String("film", f.Slug), slog.String("reason", why))
		http.Redirect(w, r, paths.FilmReviewSubmitted(f.Slug), http.StatusSeeOther)
		return nil
	}
	if check == reviewExpired {
		// Most likely a person who left the page open: the form, with a
		// fresh token, comes back holding their text.
		form = withReaderProblems(form, problems)
		return s.renderReviewForm(w, r, http.StatusUnprocessableEntity, f, form,
			"This form was loaded more than a day ago and can no longer be sent. It has been loaded again with your text kept below: please check it and send it again.")
	}
	if len(problems) > 0 {
		form = withReaderProblems(form, problems)
		return s.renderReviewForm(w, r, http.StatusUnprocessableEntity, f, form, "")
	}
	if check == reviewToConfirm {
		form.Token = s.formToken(reviewConfirmPurpose(f.Slug), s.now())
		return s.renderReviewForm(w, r, http.StatusOK, f, form,
			"Nearly there: please check your review below, then send it.")
	}
	// The review's rating is the reader's rating: it keeps the stuffing
	// defence's budgets and holds like any rating (see reviewRater).
	readerID, retry, refusal, err := s.reviewRater(w, r, f.ID, review.Rating)
	if err != nil {
		return err
	}
	if refusal != "" {
		w.Header().Set("Retry-After", retryAfterSeconds(retry))
		return s.renderReviewForm(w, r, http.StatusTooManyRequests, f, form, refusal+" Your text is kept below.")
	}
	if _, err := s.db.CreateReaderReview(ctx, review, readerID); err != nil {
		return err
	}
	http.Redirect(w, r, paths.FilmReviewSubmitted(f.Slug), http.StatusSeeOther)
	return nil
}

// reviewCheck is what the honeypot and the form token say about a reader
// review submission.
type reviewCheck int

const (
	reviewFromPerson reviewCheck = iota // a genuine token, in time
	reviewToConfirm                     // no token, or sent sooner than a person writes: ask once more
	reviewExpired                       // a genuine token older than maxFormTokenAge
	reviewFromBot                       // a filled honeypot or a forged token
)

// checkReviewSubmission sorts a submission by its honeypot and token, and
// says why when it looks automated.
func (s *Server) checkReviewSubmission(r *http.Request, filmSlug string) (reviewCheck, string) {
	if r.PostForm.Get(templates.HoneypotField) != "" {
		return reviewFromBot, "honeypot filled"
	}
	token := r.PostForm.Get("form_token")
	if token == "" {
		return reviewToConfirm, ""
	}
	if _, err := s.checkFormToken(reviewConfirmPurpose(filmSlug), token); err == nil {
		return reviewFromPerson, ""
	} else if errors.Is(err, errFormTokenExpired) {
		return reviewExpired, ""
	}
	served, err := s.checkFormToken(reviewFormPurpose(filmSlug), token)
	switch {
	case errors.Is(err, errFormTokenExpired):
		return reviewExpired, ""
	case err != nil:
		return reviewFromBot, "forged form token"
	case s.now().Sub(served) < s.limits.MinFillTime:
		return reviewToConfirm, ""
	}
	return reviewFromPerson, ""
}

// readReviewForm reads the posted review fields as typed, so the form can
// be shown again exactly; text that is not valid UTF-8 is kept for
// validation to refuse.
func readReviewForm(values url.Values, filmSlug string) templates.ReviewForm {
	return templates.ReviewForm{
		FilmSlug:    filmSlug,
		DisplayName: strings.TrimSpace(values.Get("display_name")),
		Title:       strings.TrimSpace(values.Get("title")),
		RatingText:  values.Get("rating"),
		Body:        strings.TrimSpace(strings.ReplaceAll(values.Get("body"), "\r\n", "\n")),
		Spoilers:    values.Get("spoilers") != "",
	}
}

// readerReviewFromForm is the reader review the form describes, pending
// moderation.
func readerReviewFromForm(f templates.ReviewForm, now time.Time) film.ReaderReview {
	rating, _ := strconv.Atoi(f.RatingText)
	return film.ReaderReview{
		FilmSlug: f.FilmSlug, DisplayName: f.DisplayName, Title: f.Title, Rating: rating,
		Body: f.Body, Spoilers: f.Spoilers, Status: film.ModerationPending, CreatedAt: now,
	}
}

// readerFormFields lists the review form's fields in the order they
// appear, with the labels its messages name them by.
var readerFormFields = []struct{ name, label string }{
	{"display_name", "Your name"}, {"title", "Headline"}, {"rating", "Your rating"}, {"body", "Your review"},
}

// readerFieldLabel names a review form field in an error message.
func readerFieldLabel(field string) string {
	for _, f := range readerFormFields {
		if f.name == field {
			return f.label
		}
	}
	return field
}

// readerProblemText makes a field's problem a sentence: validation says
// "is required", the reader reads "Your name is required."; messages that
// are already sentences stay as they are.
func readerProblemText(field, msg string) string {
	if msg == "" || unicode.IsUpper([]rune(msg)[0]) {
		return msg
	}
	return readerFieldLabel(field) + " " + strings.TrimSuffix(msg, ".") + "."
}

// withReaderProblems returns the form showing problems: each field's
// message as a sentence, and the summary of them in page order, each
// linked to its field.
func withReaderProblems(f templates.ReviewForm, problems film.Problems) templates.ReviewForm {
	f.Problems, f.Errors = film.Problems{}, nil
	for field, msg := range problems {
		f.Problems[field] = readerProblemText(field, msg)
	}
	for _, field := range readerFormFields {
		if msg, ok := f.Problems[field.name]; ok {
			f.Errors = append(f.Errors, templates.ErrorLink{Target: "review-" + field.name, Label: field.label, Message: msg})
		}
	}
	return f
}

// serveReviewSubmitted thanks the reader and says the review awaits
// moderation.
func (s *Server) serveReviewSubmitted(w http.ResponseWriter, r *http.Request) error {
	slug, err := slugParam(r)
	if err != nil {
		return err
	}
	f, err := s.db.FindFilmSummary(r.Context(), slug)
	if err != nil {
		return err
	}
	v := templates.ReviewSubmittedView{Film: f}
	v.Meta = s.meta("Thank you for your review", "", "")
	v.Meta.NoIndex = true
	return s.render(w, r, http.StatusOK, templates.ReviewSubmittedPage(v))
}

// voteHelpful records that a reader found a review helpful, then returns
// them to the page they voted from (only a local path is followed).
func (s *Server) voteHelpful(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return film.ErrNotFound
	}
	if err := r.ParseForm(); err != nil {
		return formError(err)
	}
	if ok, retry := s.voteLimiter.allow(s.clientKey(r), s.now()); !ok {
		return tooManyRequests(retry, "You have voted many times in a short time. Please wait a moment and try again.")
	}
	filmSlug, added, err := s.recordHelpfulVote(w, r, id)
	if err != nil {
		return err
	}
	if wantsJSON(r) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		_, _ = fmt.Fprintf(w, `{"counted":%t}`, added)
		return nil
	}
	back := paths.FilmReviews(filmSlug)
	if ret := r.PostForm.Get("return"); isLocalPath(ret) {
		back = ret
	}
	http.Redirect(w, r, back+"#reader-review-"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}

// isLocalPath reports whether p is a path on this site and nothing else:
// it starts with one slash, not two (which browsers read as another host),
// and holds no backslash or control character.
func isLocalPath(p string) bool {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.ContainsAny(p, "\\#") || len(p) > 2000 {
		return false
	}
	for _, c := range p {
		if c < 0x20 || c == 0x7f {
			return false
		}
	}
	u, err := url.Parse(p)
	return err == nil && u.Scheme == "" && u.Host == ""
}

// truncateForMessage shortens user input echoed in a message.
func truncateForMessage(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if utf8.RuneCountInString(s) > 40 {
		return string([]rune(s)[:40]) + "…"
	}
	return s
}
