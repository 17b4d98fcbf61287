package film

import (
	"strconv"
	"time"
)

// This file holds the editors' desk's view of the records: critic reviews in
// every state with who owns them, the revisions each save keeps, the
// addresses left behind when a slug changes, and the rules on who may do
// what to a review.

// EditedReview is a critic review as the editors' desk sees it, in any
// state, with the account that created it and where its history stands.
type EditedReview struct {
	Review CriticReview
	// OwnerID is the account that created the review (0 for reviews that
	// came from seeds or an import); contributors may edit only their own.
	OwnerID   int64
	OwnerName string
	FilmTitle string
	FilmYear  int
	CreatedAt time.Time
	// Revision is the number of the latest revision, which a form carries
	// so that a save made over someone else's newer one is refused.
	Revision int
	// ChangedAt is when the latest revision was saved.
	ChangedAt time.Time
}

// Public reports whether the review can be read on the site at now.
func (r CriticReview) Public(now time.Time) bool {
	return (r.Status == ReviewPublished || r.Status == ReviewScheduled) && !r.PublishedAt.IsZero() && !r.PublishedAt.After(now)
}

// EditedReviewFilter selects a page of the editors' review list. Zero
// fields do not filter.
type EditedReviewFilter struct {
	Status ReviewStatus
	// Author matches the start of the byline, ignoring case.
	Author   string
	FilmSlug string
	// OwnerID limits the list to one account's reviews, as a contributor
	// sees it.
	OwnerID int64
	Offset  int
	Limit   int
}

// EditedReviewPage is one page of the editors' review list, newest first.
type EditedReviewPage struct {
	Reviews []EditedReview
	// More says that another page follows.
	More bool
}

// MayEditReview reports whether an account with role and id may change the
// review r owned by ownerID. Editors and admins may change any review;
// contributors only their own, and only until it is published or
// scheduled, since after that a change of theirs would be published
// without an editor's approval.
func MayEditReview(role UserRole, userID, ownerID int64, r CriticReview) bool {
	if role.AtLeast(RoleEditor) {
		return true
	}
	if !role.Valid() || userID == 0 || userID != ownerID {
		return false
	}
	return r.Status == ReviewDraft || r.Status == ReviewInReview
}

// MaySetStatus reports whether role may give a review status s: publishing
// and scheduling are for editors and admins.
func MaySetStatus(role UserRole, s ReviewStatus) bool {
	switch s {
	case ReviewDraft, ReviewInReview:
		return role.Valid()
	case ReviewScheduled, ReviewPublished:
		return role.AtLeast(RoleEditor)
	}
	return false
}

// ReviewStatuses lists the editorial states in workflow order.
var ReviewStatuses = []ReviewStatus{ReviewDraft, ReviewInReview, ReviewScheduled, ReviewPublished}

// Label names the status in the editors' desk.
func (s ReviewStatus) Label() string {
	switch s {
	case ReviewDraft:
		return "Draft"
	case ReviewInReview:
		return "In review"
	case ReviewScheduled:
		return "Scheduled"
	case ReviewPublished:
		return "Published"
	}
	return string(s)
}

// Valid reports whether s is a known status.
func (s ReviewStatus) Valid() bool {
	for _, known := range ReviewStatuses {
		if s == known {
			return true
		}
	}
	return false
}

// The audit actions the editors' desk records.
const (
	ActionReviewCreate    = "review.create"
	ActionReviewUpdate    = "review.update"
	ActionReviewSubmit    = "review.submit"
	ActionReviewPublish   = "review.publish"
	ActionReviewSchedule  = "review.schedule"
	ActionReviewUnpublish = "review.unpublish"
	ActionReviewRestore   = "review.restore"
	ActionFilmCreate      = "film.create"
	ActionFilmUpdate      = "film.update"
	ActionPersonCreate    = "person.create"
	ActionPersonUpdate    = "person.update"
)

// ReviewAction names what a save that moves a review from status old to
// new did, for the audit log and the history: publishing, scheduling,
// submitting and unpublishing are named as such, anything else is an
// update.
func ReviewAction(old, new ReviewStatus) string {
	wasPublic := old == ReviewPublished || old == ReviewScheduled
	switch {
	case new == old:
		return ActionReviewUpdate
	case new == ReviewPublished:
		return ActionReviewPublish
	case new == ReviewScheduled:
		return ActionReviewSchedule
	case wasPublic:
		return ActionReviewUnpublish
	case new == ReviewInReview:
		return ActionReviewSubmit
	}
	return ActionReviewUpdate
}

// ActionLabel says what an editorial action did, in a few words.
func ActionLabel(action string) string {
	switch action {
	case ActionReviewCreate:
		return "Created"
	case ActionReviewUpdate:
		return "Edited"
	case ActionReviewSubmit:
		return "Submitted for review"
	case ActionReviewPublish:
		return "Published"
	case ActionReviewSchedule:
		return "Scheduled"
	case ActionReviewUnpublish:
		return "Unpublished"
	case ActionReviewRestore:
		return "Restored an earlier revision"
	}
	return action
}

// Revision is one saved state of a critic review: every save keeps one, so
// the history can say who changed what and when, and any state can be
// brought back.
type Revision struct {
	ReviewID int64
	// Number counts the review's revisions from 1.
	Number   int
	At       time.Time
	UserID   int64
	UserName string
	// Action is the editorial action of the save (ActionReview…).
	Action string
	// RestoredFrom is the number of the revision a restore brought back,
	// 0 for other saves.
	RestoredFrom int
	// Review is the review as this save left it; the history list leaves
	// it empty.
	Review CriticReview
}

// ReviewField is one field of a critic review written out as text, so that
// two revisions can be compared field by field.
type ReviewField struct {
	Name  string // as in the catalogue format: "headline", "rating"
	Label string
	Value string
}

// Fields writes out r's fields in the order the editor shows them, the
// body last.
func (r CriticReview) Fields() []ReviewField {
	rating := ""
	if r.Rating != nil {
		rating = strconv.FormatFloat(r.Rating.Value, 'f', -1, 64) + " / " + strconv.Itoa(r.Rating.Scale)
	}
	spoilers := "no"
	if r.Spoilers {
		spoilers = "yes"
	}
	when := ""
	if !r.PublishedAt.IsZero() {
		when = r.PublishedAt.UTC().Format("2006-01-02 15:04 UTC")
	}
	return []ReviewField{
		{"headline", "Headline", r.Headline},
		{"film", "Film", r.FilmSlug},
		{"author", "Byline", r.Author},
		{"author_person", "Byline person", r.AuthorSlug},
		{"publication", "Publication", r.Publication},
		{"rating", "Rating", rating},
		{"pull_quote", "Pull quote", r.PullQuote},
		{"spoilers", "Spoilers", spoilers},
		{"slug", "Slug", r.Slug},
		{"status", "Status", r.Status.Label()},
		{"published_at", "Publication time", when},
		{"body", "Body", r.Body},
	}
}

// SameContent reports whether a and b hold the same review, ignoring the
// ids and the stored "updated" time the store keeps itself.
func SameContent(a, b CriticReview) bool {
	fa, fb := a.Fields(), b.Fields()
	for i := range fa {
		if fa[i].Value != fb[i].Value {
			return false
		}
	}
	return true
}

// RedirectKind is the kind of record a slug redirect belongs to.
type RedirectKind string

// The records whose public address is made from a slug.
const (
	RedirectFilm   RedirectKind = "film"
	RedirectReview RedirectKind = "review"
	RedirectPerson RedirectKind = "person"
)

// SlugRedirect records that a record's public address moved: its old slug
// answers with a permanent redirect to the new one.
type SlugRedirect struct {
	Kind    RedirectKind
	OldSlug string
	NewSlug string
}

// ListPage is one page of an editors' list of films or people.
type ListPage[T any] struct {
	Items []T
	More  bool
}

// PersonSummary is a person in the editors' list.
type PersonSummary struct {
	ID      int64
	Slug    string
	Name    string
	Credits int
}
