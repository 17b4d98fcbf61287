package web

import (
	"net/http"
	"net/url"
	"strconv"

	"marquee/internal/film"
	"marquee/templates"
)

// moderationPerPage is how many reviews a page of the queue shows.
const moderationPerPage = 25

// maxBulkReviews bounds the reviews one bulk action may change.
const maxBulkReviews = 500

// auditPerPage is how many entries a page of the audit log shows.
const auditPerPage = 50

// moderationActionStates maps each bulk action to the state it moves
// reviews to, and names its flash message.
var moderationActionStates = map[string]film.ModerationStatus{
	"approve": film.ModerationApproved,
	"reject":  film.ModerationRejected,
	"spam":    film.ModerationSpam,
	"pending": film.ModerationPending,
}

// moderationFilter reads the queue's state and film from a query or form:
// status is one state or "all" (pending when absent); film is a slug or
// empty.
func moderationFilter(values url.Values) (film.ModerationStatus, string, error) {
	status := film.ModerationPending
	switch st := values.Get("status"); st {
	case "":
	case "all":
		status = ""
	default:
		status = film.ModerationStatus(st)
		if !validModerationStatus(status) {
			return "", "", badRequest("The state is pending, approved, rejected, spam or all.")
		}
	}
	slug := values.Get("film")
	if slug != "" && !film.ValidSlug(slug) {
		return "", "", badRequest("The film filter must be a film's address name, such as paris-2008.")
	}
	return status, slug, nil
}

func validModerationStatus(s film.ModerationStatus) bool {
	switch s {
	case film.ModerationPending, film.ModerationApproved, film.ModerationRejected, film.ModerationSpam:
		return true
	}
	return false
}

// pageNumber reads a page parameter: 1 when absent.
func pageNumber(p string) (int, error) {
	if p == "" {
		return 1, nil
	}
	n, err := strconv.Atoi(p)
	if err != nil || n < 1 || n > 1_000_000 {
		return 0, badRequest("The page number must be a whole number from 1.")
	}
	return n, nil
}

// serveModeration shows a page of the moderation queue, each review
// rendered exactly as the public pages would show it.
func (s *Server) serveModeration(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	status, slug, err := moderationFilter(q)
	if err != nil {
		return err
	}
	page, err := pageNumber(q.Get("page"))
	if err != nil {
		return err
	}
	ctx := r.Context()
	v := templates.ModerationView{Page: s.adminPage(r, "Moderation", templates.SectionModeration), Status: status, FilmSlug: slug}

	filter := film.ModerationFilter{Status: status, FilmSlug: slug, Offset: (page - 1) * moderationPerPage, Limit: moderationPerPage}
	mp, err := s.db.ModerationPage(ctx, filter)
	if err != nil {
		return err
	}
	listed := slug == ""
	for _, f := range mp.Films {
		v.Films = append(v.Films, templates.ModerationFilmOption{Slug: f.Slug, Label: f.Title + " (" + strconv.Itoa(f.Year) + ")", Count: f.Count})
		listed = listed || f.Slug == slug
	}
	if !listed {
		// A film with no reviews in this state still shows as chosen.
		f := mp.Film
		v.Films = append([]templates.ModerationFilmOption{{Slug: f.Slug, Label: f.Title + " (" + strconv.Itoa(f.Year) + ")"}}, v.Films...)
	}
	v.Counts = mp.Counts
	for _, n := range mp.Counts {
		v.CountAll += n
	}
	items, total := mp.Items, mp.Total
	v.Total, v.PageNum = total, page
	v.PageCount = max(1, (total+moderationPerPage-1)/moderationPerPage)
	if page > v.PageCount {
		// After a bulk action the queue may be shorter: show its last page.
		http.Redirect(w, r, v.URL(status, slug, v.PageCount)+flashParam(q.Get("flash"), v.PageCount > 1 || status != film.ModerationPending || slug != ""), http.StatusSeeOther)
		return nil
	}
	reviews := make([]film.ReaderReview, len(items))
	for i, it := range items {
		reviews[i] = it.Review
	}
	views, err := s.readerReviewViews(reviews)
	if err != nil {
		return err
	}
	for i, it := range items {
		v.Items = append(v.Items, templates.ModerationItemView{
			Review: views[i], FilmTitle: it.FilmTitle, FilmYear: it.FilmYear, ModeratedAt: it.ModeratedAt, ModeratedBy: it.ModeratedBy,
		})
	}
	return s.render(w, r, http.StatusOK, templates.ModerationPage(v))
}

// flashParam carries a known flash key on to a redirect's URL, joined with
// & when the URL already has a query.
func flashParam(key string, hasQuery bool) string {
	if _, ok := flashes[key]; !ok {
		return ""
	}
	if hasQuery {
		return "&flash=" + key
	}
	return "?flash=" + key
}

// moderate applies a bulk action to the selected reviews and returns to
// the same page of the queue, saying what happened.
func (s *Server) moderate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return formError(err)
	}
	status, slug, err := moderationFilter(r.PostForm)
	if err != nil {
		return err
	}
	page, err := pageNumber(r.PostForm.Get("page"))
	if err != nil {
		return err
	}
	back := templates.ModerationView{}.URL(status, slug, page)
	hasQuery := page > 1 || status != film.ModerationPending || slug != ""

	rawIDs := r.PostForm["id"]
	if len(rawIDs) > maxBulkReviews {
		return badRequest("At most 500 reviews can be changed at once.")
	}
	ids := make([]int64, 0, len(rawIDs))
	for _, raw := range rawIDs {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || id <= 0 {
			return badRequest("The selected reviews could not be read. Please reload the page and try again.")
		}
		ids = append(ids, id)
	}
	action := r.PostForm.Get("action")
	target, ok := moderationActionStates[action]
	switch {
	case len(ids) == 0:
		http.Redirect(w, r, back+flashParam("nothing-selected", hasQuery), http.StatusSeeOther)
		return nil
	case action == "":
		http.Redirect(w, r, back+flashParam("no-action", hasQuery), http.StatusSeeOther)
		return nil
	case !ok:
		return badRequest("The action is approve, reject, spam or pending.")
	}
	u, _ := currentUser(r.Context())
	changed, err := s.db.ModerateReaderReviews(r.Context(), ids, target, u.ID, s.now())
	if err != nil {
		return err
	}
	flash := string(target)
	if changed == 0 {
		flash = "unchanged"
	}
	http.Redirect(w, r, back+flashParam(flash, hasQuery), http.StatusSeeOther)
	return nil
}

// serveAudit shows a page of the audit log, newest first, optionally
// narrowed to one kind of record or one record.
func (s *Server) serveAudit(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	page, err := pageNumber(q.Get("page"))
	if err != nil {
		return err
	}
	v := templates.AuditView{Page: s.adminPage(r, "Audit log", templates.SectionAudit), PageNum: page}
	if t := q.Get("type"); t != "" {
		if !validRecordType(t) {
			return badRequest("The record type is a name such as reader_review.")
		}
		v.RecordType = t
	}
	if id := q.Get("id"); id != "" {
		n, err := strconv.ParseInt(id, 10, 64)
		if err != nil || n <= 0 || v.RecordType == "" {
			return badRequest("The record is a type and a whole number, such as type=reader_review&id=12.")
		}
		v.RecordID = n
	}
	entries, total, err := s.db.AuditLog(r.Context(), film.AuditFilter{
		RecordType: v.RecordType, RecordID: v.RecordID, Offset: (page - 1) * auditPerPage, Limit: auditPerPage,
	})
	if err != nil {
		return err
	}
	v.Entries, v.Total = entries, total
	v.PageCount = max(1, (total+auditPerPage-1)/auditPerPage)
	if page > v.PageCount {
		return film.ErrNotFound
	}
	return s.render(w, r, http.StatusOK, templates.AuditPage(v))
}

// validRecordType reports whether t looks like a record type: lower-case
// letters and underscores, at most 64.
func validRecordType(t string) bool {
	if len(t) > 64 {
		return false
	}
	for _, c := range t {
		if (c < 'a' || c > 'z') && c != '_' {
			return false
		}
	}
	return true
}
