package film

import "time"

// ModerationFilter selects reader reviews for the moderation queue.
type ModerationFilter struct {
	// Status is the state to list; "" lists every state.
	Status ModerationStatus
	// FilmSlug narrows the queue to one film's reviews.
	FilmSlug string
	Offset   int
	Limit    int
}

// ModerationItem is a reader review in the moderation queue, with what a
// moderator needs beside it.
type ModerationItem struct {
	Review    ReaderReview
	FilmTitle string
	FilmYear  int
	// ModeratedAt and ModeratedBy say who last changed the review's state
	// and when; both are zero for a review no one has moderated.
	ModeratedAt time.Time
	ModeratedBy string
}

// ModerationFilm is a film with reader reviews in the queue, for the film
// filter.
type ModerationFilm struct {
	Slug  string
	Title string
	Year  int
	Count int
}

// DeskCounts are the numbers on the editors' desk dashboard.
type DeskCounts struct {
	PendingReaderReviews  int
	SpamReaderReviews     int
	DraftCriticReviews    int
	InReviewCriticReviews int
}

// AuditFilter selects entries of the audit log; zero fields select all.
type AuditFilter struct {
	// RecordType and RecordID narrow the log to one kind of record, or to
	// one record.
	RecordType string
	RecordID   int64
	// UserID narrows the log to what one account did.
	UserID int64
	Offset int
	// Limit is the most entries returned; 0 or less means all.
	Limit int
}

// Session is a signed-in browser: whose it is and its times. The web layer
// applies the timeouts; the store only keeps the times.
type Session struct {
	User       User
	CreatedAt  time.Time
	LastSeenAt time.Time
	// ExpiresAt is the absolute end of the session, however active.
	ExpiresAt time.Time
}
