package templates

import (
	"net/url"
	"strconv"
	"time"

	"marquee/internal/film"
	"marquee/internal/paths"
)

// This file holds the view-models of the editors' desk frame, sign-in,
// the dashboard, moderation, the audit log and accounts
// (admin_layout.templ, admin_signin.templ, admin_moderation.templ).

// AdminPage is what every page of the editors' desk shares: its meta, the
// signed-in account (the zero User on the sign-in page), the section of the
// desk it belongs to (which the navigation marks as current), the
// navigation the account may use and a one-line message chosen by the
// handler from a fixed set.
type AdminPage struct {
	Meta    Meta
	User    film.User
	Section string
	Nav     []AdminNavItem
	Flash   string
	// Zone is the site's time zone, in which the desk shows times; nil
	// means UTC.
	Zone *time.Location
}

// zone is the page's time zone, UTC when none is set.
func (p AdminPage) zone() *time.Location {
	if p.Zone == nil {
		return time.UTC
	}
	return p.Zone
}

// Time writes a time as the desk shows it, in the site's time zone with
// the zone's abbreviation: "21 November 2026, 13:00 CET"; the zero time
// is "".
func (p AdminPage) Time(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(p.zone()).Format("2 January 2006, 15:04 MST")
}

// ZoneLabel names the site's time zone with its offset from UTC at t:
// "Europe/Paris, UTC+01:00" (the offset changes with summer time).
func (p AdminPage) ZoneLabel(t time.Time) string {
	return ZoneLabel(p.zone(), t)
}

// ZoneLabel names loc with its offset from UTC at t: "Europe/Paris,
// UTC+01:00", or "UTC".
func ZoneLabel(loc *time.Location, t time.Time) string {
	if loc == nil || loc == time.UTC || loc.String() == "UTC" {
		return "UTC"
	}
	return loc.String() + ", UTC" + t.In(loc).Format("-07:00")
}

// The sections of the editors' desk, as AdminPage.Section names them.
const (
	SectionDashboard  = "dashboard"
	SectionReviews    = "reviews"
	SectionFilms      = "films"
	SectionPeople     = "people"
	SectionModeration = "moderation"
	SectionAudit      = "audit"
	SectionUsers      = "users"
)

// AdminNavItem is one link of the desk's navigation.
type AdminNavItem struct {
	Section string
	Label   string
	Path    string
}

// SignedIn reports whether the page is shown to a signed-in account.
func (p AdminPage) SignedIn() bool { return p.User.ID != 0 }

// Can reports whether the page's account has role min or a higher one.
func (p AdminPage) Can(min film.UserRole) bool { return p.User.Role.AtLeast(min) }

// adminTitle is the title of a desk page: "Moderation · Editors’ desk ·
// Marquee".
func adminTitle(m Meta) string {
	if m.Title == "" {
		return "Editors’ desk · Marquee"
	}
	return m.Title + " · Editors’ desk · Marquee"
}

// RoleLabel names a role for people.
func RoleLabel(r film.UserRole) string {
	switch r {
	case film.RoleAdmin:
		return "Admin"
	case film.RoleEditor:
		return "Editor"
	case film.RoleContributor:
		return "Contributor"
	}
	return string(r)
}

// SignInView is the sign-in form: the email as typed, the local path to go
// to afterwards, and why the last attempt failed.
type SignInView struct {
	Page  AdminPage
	Email string
	Next  string
	Error string
}

// DashboardView is the desk's first page: what waits for whom.
type DashboardView struct {
	Page                  AdminPage
	PendingReaderReviews  int
	SpamReaderReviews     int
	DraftCriticReviews    int
	InReviewCriticReviews int
}

// moderationTabs are the queue's tabs: each state, then all of them ("").
var moderationTabs = []film.ModerationStatus{
	film.ModerationPending, film.ModerationApproved, film.ModerationRejected, film.ModerationSpam, "",
}

// ModerationStatusLabel names a moderation state for people; "" is every
// state.
func ModerationStatusLabel(s film.ModerationStatus) string {
	switch s {
	case film.ModerationPending:
		return "Pending"
	case film.ModerationApproved:
		return "Approved"
	case film.ModerationRejected:
		return "Rejected"
	case film.ModerationSpam:
		return "Spam"
	case "":
		return "All"
	}
	return string(s)
}

// ModerationAction is one choice of the queue's bulk action.
type ModerationAction struct {
	Value string
	Label string
}

// ModerationActions are the bulk actions, as posted and as labelled.
var ModerationActions = []ModerationAction{
	{"approve", "Approve (publish)"},
	{"reject", "Reject"},
	{"spam", "Mark as spam"},
	{"pending", "Back to pending"},
}

// ModerationFilmOption is a film in the queue's film filter.
type ModerationFilmOption struct {
	Slug  string
	Label string
	Count int
}

// ModerationItemView is a reader review in the queue: the review as the
// public pages render it, and its film and moderation history.
type ModerationItemView struct {
	Review      ReaderReviewView
	FilmTitle   string
	FilmYear    int
	ModeratedAt time.Time
	ModeratedBy string
}

// ModerationView is one page of the moderation queue.
type ModerationView struct {
	Page AdminPage
	// Status is the state listed; "" lists all.
	Status   film.ModerationStatus
	FilmSlug string
	Films    []ModerationFilmOption
	// Counts are the reviews in each state, within the film filter;
	// CountAll is the reviews in all states, for the "All" tab.
	Counts    map[film.ModerationStatus]int
	CountAll  int
	Items     []ModerationItemView
	Total     int
	PageNum   int
	PageCount int
	// Outcome says what the last action did, shown once after it.
	Outcome ModerationOutcomeView
}

// ModerationOutcomeView is what the queue says after an action, once:
// the message and, after a one-click action that changed a review, the
// state to put it back in (Undo).
type ModerationOutcomeView struct {
	Message string
	// UndoID is the review an Undo puts back in UndoStatus; 0 offers no
	// Undo.
	UndoID     int64
	UndoStatus film.ModerationStatus
	// Who and Of name the review's reader and film, so the Undo's own
	// outcome can name them too.
	Who, Of string
}

// ModerationOneClick is an action offered as a button on each review of
// the queue: the value it posts and the verb its label starts with.
type ModerationOneClick struct {
	Value  string
	Label  string
	Status film.ModerationStatus
}

// moderationOneClicks are the buttons on each review; a review shows those
// that would change it.
var moderationOneClicks = []ModerationOneClick{
	{"approve", "Approve", film.ModerationApproved},
	{"reject", "Reject", film.ModerationRejected},
	{"spam", "Spam", film.ModerationSpam},
}

// ModerationActionFor is the action value that moves a review to status.
func ModerationActionFor(status film.ModerationStatus) string {
	switch status {
	case film.ModerationApproved:
		return "approve"
	case film.ModerationRejected:
		return "reject"
	}
	return string(status)
}

// URL is the address of the queue with the given state, film and page,
// leaving defaults out.
func (v ModerationView) URL(status film.ModerationStatus, filmSlug string, page int) string {
	q := url.Values{}
	switch status {
	case film.ModerationPending:
	case "":
		q.Set("status", "all")
	default:
		q.Set("status", string(status))
	}
	if filmSlug != "" {
		q.Set("film", filmSlug)
	}
	if page > 1 {
		q.Set("page", strconv.Itoa(page))
	}
	return paths.AdminModeration(q)
}

// statusParam is the queue's state as its status parameter writes it.
func (v ModerationView) statusParam() string {
	if v.Status == "" {
		return "all"
	}
	return string(v.Status)
}

// AuditView is one page of the audit log, perhaps narrowed to one record.
type AuditView struct {
	Page       AdminPage
	Entries    []film.AuditEntry
	RecordType string
	RecordID   int64
	Total      int
	PageNum    int
	PageCount  int
}

// URL is the address of another page of the same log.
func (v AuditView) URL(page int) string {
	q := url.Values{}
	if v.RecordType != "" {
		q.Set("type", v.RecordType)
	}
	if v.RecordID != 0 {
		q.Set("id", strconv.FormatInt(v.RecordID, 10))
	}
	if page > 1 {
		q.Set("page", strconv.Itoa(page))
	}
	return paths.AdminAudit(q)
}

// auditRecordURL is the log narrowed to one record.
func auditRecordURL(recordType string, id int64) string {
	return paths.AdminAudit(url.Values{"type": {recordType}, "id": {strconv.FormatInt(id, 10)}})
}

// UserForm is the form that adds an account, as typed, with its problems
// and their summary in page order.
type UserForm struct {
	Email    string
	Name     string
	Role     film.UserRole
	Problems film.Problems
	Errors   []ErrorLink
}

// UsersView lists the accounts, with the form that adds one. Password, when
// set, is a password just generated for the account named by PasswordFor,
// shown this once.
type UsersView struct {
	Page        AdminPage
	Users       []film.User
	Form        UserForm
	Password    string
	PasswordFor string
}

// isoTime is a time for a datetime attribute.
func isoTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }
