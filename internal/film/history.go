package film

import (
	"fmt"
	"time"
)

// This file holds a site's history: what a database keeps besides the
// catalogue (Catalog) and the desk's accounts, so that a site moved to
// another database (marquee copy) keeps its past and its signed-in
// editors. Numeric ids are not the same in two databases, so every record
// here names the others by a key that is: a film, person or critic review
// by its slug, an account by its email, a reader review by its
// ReaderReviewKey, a reader by its ReaderKey.

// SiteHistory is a site's history: what a database keeps about its past
// and its desk besides the Catalog and the accounts.
type SiteHistory struct {
	// Reviews says who created each critic review and when, for reviews
	// made on the desk (those from seeds or an import have no owner).
	Reviews []ReviewOrigin
	// Revisions are every critic review's revisions, review by review,
	// numbered as they were.
	Revisions []RevisionRecord
	// Moderations say who last moderated each reader review and when.
	Moderations []ModerationRecord
	// Changes are when each film and person was made and last changed,
	// which sitemaps and feeds tell crawlers, so a move does not make the
	// whole site look new.
	Changes []ChangeRecord
	// Redirects are the slugs left behind by renames.
	Redirects []RedirectRecord
	// Bursts are the ratings and helpful votes held back by the stuffing
	// defence and not yet released or discarded.
	Bursts []BurstRecord
	// Audit is the audit log, oldest line first.
	Audit []AuditLine
	// Sessions are the desk's sessions, known by their token hash, so an
	// editor signed in before the move is signed in after it.
	Sessions []SessionRecord
	// Secrets are the site's secrets (the key that signs forms and
	// cookies), so what was signed before the move still verifies.
	Secrets []SecretRecord
}

// ReviewOrigin is who created a critic review and when.
type ReviewOrigin struct {
	ReviewSlug string
	CreatedAt  time.Time
	// OwnerEmail is the account that created the review; "" for none.
	OwnerEmail string
}

// RevisionRecord is one revision of a critic review (see Revision).
type RevisionRecord struct {
	ReviewSlug string
	Number     int
	At         time.Time
	// UserEmail is the account that saved it, "" for none (seeds, an
	// import, an account since gone); UserName is its name at the time.
	UserEmail    string
	UserName     string
	Action       string
	RestoredFrom int
	// Content is the review as saved, in the catalogue's JSON form, kept
	// byte for byte.
	Content string
}

// ModerationRecord is who last moderated a reader review, and when.
type ModerationRecord struct {
	Review ReaderReviewKey
	At     time.Time
	// ByEmail is the account that moderated it, "" for none.
	ByEmail string
}

// ChangeRecord is when a film or person was made and last changed.
type ChangeRecord struct {
	Kind RedirectKind // RedirectFilm or RedirectPerson
	Slug string
	// CreatedAt is a film's; people keep no such time.
	CreatedAt time.Time
	UpdatedAt time.Time
	// ReaderReviewsChangedAt is when a film's approved reader reviews
	// last changed, zero when it never had any.
	ReaderReviewsChangedAt time.Time
}

// RedirectRecord is a slug redirect with the time it was made.
type RedirectRecord struct {
	SlugRedirect
	CreatedAt time.Time
}

// BurstRecord is a held burst with what it holds: ratings of its film, or
// helpful votes on one of its film's reader reviews.
type BurstRecord struct {
	Kind     BurstKind
	FilmSlug string
	// Review is the reader review a burst of votes is about.
	Review    ReaderReviewKey
	StartedAt time.Time
	LastAt    time.Time
	Ratings   []ReaderRating
	Votes     []HelpfulVote
}

// AuditLine is one line of the audit log (see AuditEntry) as it moves to
// another database.
type AuditLine struct {
	At time.Time
	// UserEmail is the account that acted, "" for the command line.
	UserEmail  string
	Action     string
	RecordType string
	// Record names the record the line is about; it is zero when the line
	// names none, when the record no longer exists, or when the record
	// type is not one the store names records of, and the line is then
	// kept without a record id.
	Record RecordRef
	Detail string
}

// RecordRef names a record of the audit log by a key that holds in
// another database: which field is set depends on the line's record type.
type RecordRef struct {
	// Slug names a film, person or critic review.
	Slug string
	// Email names an account.
	Email string
	// ReaderReview names a reader review.
	ReaderReview *ReaderReviewKey
	// Burst names a held burst by its place in SiteHistory.Bursts,
	// counted from 1.
	Burst int
}

// IsZero reports whether r names no record.
func (r RecordRef) IsZero() bool {
	return r.Slug == "" && r.Email == "" && r.ReaderReview == nil && r.Burst == 0
}

// String writes r for messages.
func (r RecordRef) String() string {
	switch {
	case r.Slug != "":
		return r.Slug
	case r.Email != "":
		return r.Email
	case r.ReaderReview != nil:
		return r.ReaderReview.String()
	case r.Burst != 0:
		return fmt.Sprintf("held burst #%d", r.Burst)
	}
	return "nothing"
}

// The record types the audit log names records of.
const (
	AuditFilm         = "film"
	AuditPerson       = "person"
	AuditCriticReview = "critic_review"
	AuditReaderReview = "reader_review"
	AuditUser         = "user"
	AuditHeldBurst    = "held_burst"
)

// SessionRecord is a desk session: the SHA-256 of its token, its account
// and its times.
type SessionRecord struct {
	TokenHash  []byte
	UserEmail  string
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
}

// SecretRecord is one of the site's secrets (see Store.Secret).
type SecretRecord struct {
	Key   string
	Value []byte
}

// HistoryCounts counts the records of each kind in a SiteHistory.
type HistoryCounts struct {
	Revisions   int
	Moderations int
	Redirects   int
	Bursts      int
	HeldRatings int
	HeldVotes   int
	AuditLines  int
	Sessions    int
	Secrets     int
}

// Counts counts the records of each kind in h.
func (h SiteHistory) Counts() HistoryCounts {
	c := HistoryCounts{Revisions: len(h.Revisions), Moderations: len(h.Moderations), Redirects: len(h.Redirects), Bursts: len(h.Bursts),
		AuditLines: len(h.Audit), Sessions: len(h.Sessions), Secrets: len(h.Secrets)}
	for _, b := range h.Bursts {
		c.HeldRatings += len(b.Ratings)
		c.HeldVotes += len(b.Votes)
	}
	return c
}
