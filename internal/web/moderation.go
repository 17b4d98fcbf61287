package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"marquee/internal/film"
	"marquee/internal/paths"
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
	v := templates.ModerationView{Page: s.deskPage(r, "Moderation", templates.SectionModeration), Status: status, FilmSlug: slug}

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
		// After an action the queue may be shorter: show its last page.
		// The outcome waits in its cookie for the page that shows it.
		http.Redirect(w, r, v.URL(status, slug, v.PageCount), http.StatusSeeOther)
		return nil
	}
	// The outcome of the last action is shown once: read from its cookie
	// and cleared, never carried in the URL, so a reload or a shared link
	// does not repeat it. A flash in the URL is not honoured here either.
	v.Page.Flash = ""
	if o, ok := s.takeModerationOutcome(w, r); ok {
		v.Outcome = o.view()
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

// moderate applies an action to the selected reviews (the bulk form) or
// to one review (its one-click buttons, which post one=1 with the
// review's reader, film and state) and returns to the same page of the
// queue, where the outcome is shown once.
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
	done := func(o moderationOutcome) error {
		s.setModerationOutcome(w, r, o)
		http.Redirect(w, r, back, http.StatusSeeOther)
		return nil
	}
	switch {
	case len(ids) == 0:
		return done(moderationOutcome{Key: "nothing-selected"})
	case action == "":
		return done(moderationOutcome{Key: "no-action"})
	case !ok:
		return badRequest("The action is approve, reject, spam or pending.")
	}
	one := r.PostForm.Get("one")
	if one != "" && len(ids) != 1 {
		return badRequest("A review's own buttons act on that one review.")
	}
	u, _ := currentUser(r.Context())
	changed, err := s.db.ModerateReaderReviews(r.Context(), ids, target, u.ID, s.now())
	if err != nil {
		return err
	}
	o := moderationOutcome{Key: string(target), Changed: changed}
	if one != "" {
		o.ID, o.To = ids[0], target
		o.Who, o.Of = clip(r.PostForm.Get("who"), 120), clip(r.PostForm.Get("of"), 200)
		if from := film.ModerationStatus(r.PostForm.Get("from")); one == "1" && validModerationStatus(from) && from != target {
			o.From = from
		}
	} else if changed == 0 {
		o.Key = "unchanged"
	}
	return done(o)
}

// clip cuts s to at most n runes.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

// moderationFlashCookie holds the outcome of the last moderation action
// until the queue shows it once.
const moderationFlashCookie = "marquee_moderation_flash"

// moderationOutcome is what a moderation action did, as kept in its
// cookie between the action and the page that reports it.
type moderationOutcome struct {
	// Key names a bulk outcome's message in flashes.
	Key string `json:"k,omitempty"`
	// Changed is how many reviews changed.
	Changed int `json:"n"`
	// ID, To, Who and Of describe a one-click action on one review: the
	// state it was moved to, its reader and its film. From is the state
	// it left, which Undo restores; empty offers no Undo.
	ID   int64                 `json:"id,omitempty"`
	To   film.ModerationStatus `json:"to,omitempty"`
	From film.ModerationStatus `json:"from,omitempty"`
	Who  string                `json:"who,omitempty"`
	Of   string                `json:"of,omitempty"`
}

// view is the outcome as the queue shows it.
func (o moderationOutcome) view() templates.ModerationOutcomeView {
	if o.ID == 0 {
		return templates.ModerationOutcomeView{Message: flashes[o.Key]}
	}
	what := "review"
	if o.Who != "" {
		what += " by " + o.Who
	}
	if o.Of != "" {
		what += " of " + o.Of
	}
	if o.Changed == 0 {
		return templates.ModerationOutcomeView{Message: "Nothing changed: the " + what + " was already " + strings.ToLower(templates.ModerationStatusLabel(o.To)) + "."}
	}
	v := templates.ModerationOutcomeView{Message: templates.ModerationStatusLabel(o.To) + ": " + what + "."}
	if o.To == film.ModerationPending {
		v.Message = "Back to pending: " + what + "."
	}
	if o.From != "" {
		v.UndoID, v.UndoStatus, v.Who, v.Of = o.ID, o.From, o.Who, o.Of
	}
	return v
}

// flashMAC signs a moderation outcome with the site's form key, so the
// page shows only outcomes this server wrote.
func (s *Server) flashMAC(payload string) string {
	mac := hmac.New(sha256.New, s.formKey)
	mac.Write([]byte("moderation-flash\x00"))
	mac.Write([]byte(payload))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// setModerationOutcome keeps o in a short-lived cookie for the desk's
// next page: HttpOnly, SameSite=Lax, limited to the desk's paths.
func (s *Server) setModerationOutcome(w http.ResponseWriter, r *http.Request, o moderationOutcome) {
	raw, err := json.Marshal(o)
	if err != nil {
		return
	}
	payload := base64.RawURLEncoding.EncodeToString(raw)
	http.SetCookie(w, &http.Cookie{
		Name: moderationFlashCookie, Value: payload + "." + s.flashMAC(payload), Path: paths.AdminPattern,
		MaxAge: 300, HttpOnly: true, Secure: s.isHTTPS(r), SameSite: http.SameSiteLaxMode,
	})
}

// takeModerationOutcome reads the outcome kept by the last action, if
// there is a genuine one, and clears the cookie so it is shown once.
func (s *Server) takeModerationOutcome(w http.ResponseWriter, r *http.Request) (moderationOutcome, bool) {
	c, err := r.Cookie(moderationFlashCookie)
	if err != nil {
		return moderationOutcome{}, false
	}
	http.SetCookie(w, &http.Cookie{
		Name: moderationFlashCookie, Value: "", Path: paths.AdminPattern, MaxAge: -1,
		HttpOnly: true, Secure: s.isHTTPS(r), SameSite: http.SameSiteLaxMode,
	})
	payload, sig, ok := strings.Cut(c.Value, ".")
	if !ok || !hmac.Equal([]byte(sig), []byte(s.flashMAC(payload))) {
		return moderationOutcome{}, false
	}
	raw, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil {
		return moderationOutcome{}, false
	}
	var o moderationOutcome
	if err := json.Unmarshal(raw, &o); err != nil {
		return moderationOutcome{}, false
	}
	return o, true
}

// serveAudit shows a page of the audit log, newest first, optionally
// narrowed to one kind of record or one record.
func (s *Server) serveAudit(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	page, err := pageNumber(q.Get("page"))
	if err != nil {
		return err
	}
	v := templates.AuditView{Page: s.deskPage(r, "Audit log", templates.SectionAudit), PageNum: page}
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
