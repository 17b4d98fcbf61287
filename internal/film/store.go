package film

import (
	"context"
	"time"
)

// Store is the contract every storage backend keeps: SQLite (internal/sqlite)
// today, and any later backend through the same methods. The web layer and
// the commands hold a Store, never a concrete database, and one contract
// test suite (internal/storetest) runs against every backend, so a second
// backend is correct when it passes the same tests.
//
// Rules every implementation follows:
//   - A method that reads for a page reads in one transaction, so the page
//     shows one moment of the database (see the page types in pages.go).
//   - Each write method is one transaction: it changes everything or
//     nothing, including the kept counts and the audit log.
//   - A record that does not exist is ErrNotFound (wrapped), never a zero
//     value with a nil error; a lost edit race is ErrConflict; bad input
//     the domain can name is Problems.
//   - Times are passed in (now), never read from the clock, so tests and
//     scheduled publication agree on what "now" is.
type Store interface {
	PageStore
	ReaderStore
	StuffingStore
	EditorialStore
	CatalogEditStore
	ModerationStore
	AccountStore
	CatalogStore
	CrawlStore
	ImageStore

	// DataVersion is a number that changes whenever what the store serves
	// may have changed: at once for writes through this store, and soon
	// for writes by others. It does no I/O, so a page cache can ask it on
	// every request and keep a page exactly as long as it is current.
	DataVersion() uint64
	// NextChange is the first moment after now at which public pages
	// change by the clock alone (a scheduled review going live, a rating
	// leaving the trending window), or the zero time when none is due.
	NextChange(ctx context.Context, now time.Time) (time.Time, error)

	// Ping checks that the database answers, for health checks.
	Ping(ctx context.Context) error
	// Secret returns the site secret stored under key, first storing what
	// generate makes when there is none, so every process and restart
	// serving one database agrees on it.
	Secret(ctx context.Context, key string, generate func() ([]byte, error)) ([]byte, error)
	// Close releases the database.
	Close() error
}

// PageStore reads what the public pages show, one snapshot a page.
type PageStore interface {
	FilmPage(ctx context.Context, q FilmPageQuery) (FilmPage, error)
	PersonPage(ctx context.Context, slug string, now time.Time, reviewLimit int) (PersonPage, error)
	HomePage(ctx context.Context, now time.Time, limit int) (HomePage, error)
	CompanyPage(ctx context.Context, slug string, limit int) (CompanyPage, error)
	CriticReviewPage(ctx context.Context, slug string, now time.Time) (CriticReviewPage, error)
	ReaderReviewsPage(ctx context.Context, slug string, f ReaderReviewFilter) (ReaderReviewsPage, error)
	// ReviewFormPage reads what the reader review form starts from: the
	// film and the asking reader's rating of it.
	ReviewFormPage(ctx context.Context, slug string, readerTokenHash []byte) (ReviewFormPage, error)
	// FilmIndex returns ErrNotFound when a filter names a value no film
	// has: such a page cannot have content.
	FilmIndex(ctx context.Context, q FilmIndexQuery) (FilmIndexPage, error)
	Search(ctx context.Context, q SearchQuery) (SearchResults, error)
	Suggest(ctx context.Context, text string, limit int) ([]SearchHit, error)

	// FindFilm returns a film's full record.
	FindFilm(ctx context.Context, slug string) (Film, error)
	// FindFilmSummary returns the short form of a film.
	FindFilmSummary(ctx context.Context, slug string) (Summary, error)
	// FindSlugRedirect returns the slug a record moved to from an old
	// slug, or ErrNotFound.
	FindSlugRedirect(ctx context.Context, kind RedirectKind, slug string, now time.Time) (string, error)
}

// CrawlStore reads what crawlers and feed readers are given: the sitemap
// and the Atom feeds. Each method reads in one transaction, so a sitemap
// part or a feed is one moment of the database, and takes the time (now)
// at which scheduled critic reviews count as public.
type CrawlStore interface {
	// SitemapEntries returns the entries of the sitemap from offset (0 is
	// the first), at most limit of them, in the order of SitemapKinds,
	// with the size of the whole sitemap and its newest change time. An
	// offset past the end gives no entries.
	SitemapEntries(ctx context.Context, now time.Time, offset, limit int) (SitemapPage, error)
	// ReviewFeed returns the newest critic reviews public at now, newest
	// published first, at most limit of them, each with its film.
	ReviewFeed(ctx context.Context, now time.Time, limit int) ([]ReviewedFilm, error)
	// FilmFeed returns a film's critic reviews public at now and its
	// approved reader reviews, newest first, at most limit of each, or
	// ErrNotFound when there is no such film.
	FilmFeed(ctx context.Context, slug string, now time.Time, limit int) (FilmFeed, error)
}

// ReaderStore keeps what anonymous readers do: ratings, reviews and
// helpful votes. Readers are known by the SHA-256 of their cookie token.
type ReaderStore interface {
	// Reader returns the id of the reader with the token hash, creating
	// the reader when there is none.
	Reader(ctx context.Context, tokenHash []byte, now time.Time) (int64, error)
	// RateFilm sets (or replaces) a reader's rating of a film and returns
	// the film's ratings after the change. A reader has one rating per
	// film, whether given on its own or with a review: their reviews of
	// the film show it.
	RateFilm(ctx context.Context, filmID, readerID int64, value int, now time.Time) (RatingStats, error)
	// RemoveRating takes back a reader's rating of a film (their reviews
	// of it stay, shown without a rating) and returns the film's ratings
	// after the change; removing a rating that is not there changes
	// nothing.
	RemoveRating(ctx context.Context, filmID, readerID int64) (RatingStats, error)
	// RatingStats returns a film's kept rating aggregate.
	RatingStats(ctx context.Context, filmID int64) (RatingStats, error)
	// RecountRatingStats computes a film's aggregate from the ratings
	// themselves, so tests and repairs can check the kept one.
	RecountRatingStats(ctx context.Context, filmID int64) (RatingStats, error)
	// CreateReaderReview stores a submitted reader review by the reader
	// (0 for no known reader) and returns its id. A review by a known
	// reader that is not spam sets (or replaces) the reader's rating of
	// the film with its rating, in the same transaction.
	CreateReaderReview(ctx context.Context, r ReaderReview, readerID int64) (int64, error)
	// VoteHelpful records a reader's helpful vote on an approved review,
	// once per reader, and returns the review's film and whether the vote
	// was new.
	VoteHelpful(ctx context.Context, reviewID, readerID int64, now time.Time) (filmSlug string, added bool, err error)
}

// StuffingStore keeps the defence against rating and vote stuffing: the
// readers a request's cookie already names, and the ratings and helpful
// votes held back from the published counts because they came in a burst
// of fresh cookies from one address, grouped by burst for the desk to
// release or discard. No address is stored: which requests form a burst is
// decided by the caller, which passes the burst's id (0 starts a new one).
type StuffingStore interface {
	// FindReader returns the id of the reader with the token hash, or
	// ErrNotFound; unlike Reader it never creates one.
	FindReader(ctx context.Context, tokenHash []byte) (int64, error)
	// ReaderRating returns the reader's rating of the film, held or
	// published, or 0 when they have none.
	ReaderRating(ctx context.Context, filmID, readerID int64) (int, error)
	// HoldRating sets a reader's rating of a film as held in the burst
	// (a new burst of the film when burstID is 0 or names no held burst)
	// and returns the burst's id. The published ratings do not change. A
	// reader who already has a rating of the film keeps it as it was
	// published or held, with the new value.
	HoldRating(ctx context.Context, burstID, filmID, readerID int64, value int, now time.Time) (int64, error)
	// HoldHelpfulVote records a reader's helpful vote on an approved
	// review as held in the burst (a new burst of the review when burstID
	// is 0 or names no held burst), once per reader, and returns the
	// burst's id, the review's film and whether the vote was new.
	HoldHelpfulVote(ctx context.Context, burstID, reviewID, readerID int64, now time.Time) (burst int64, filmSlug string, added bool, err error)
	// HeldBursts lists the bursts still held, newest activity first.
	HeldBursts(ctx context.Context) ([]HeldBurst, error)
	// ReleaseBurst publishes a held burst's ratings or votes (they count
	// from this commit on), audits it as the actor's, and returns how many
	// it released; ErrNotFound when no such burst is held.
	ReleaseBurst(ctx context.Context, id, actor int64, now time.Time) (int, error)
	// DiscardBurst deletes a held burst's ratings or votes (they never
	// count), audits it as the actor's, and returns how many it deleted;
	// ErrNotFound when no such burst is held.
	DiscardBurst(ctx context.Context, id, actor int64, now time.Time) (int, error)
}

// EditorialStore keeps critic reviews as the desk edits them: drafts,
// publication and revisions.
type EditorialStore interface {
	FindEditedReview(ctx context.Context, id int64) (EditedReview, error)
	FindEditedReviews(ctx context.Context, f EditedReviewFilter) (EditedReviewPage, error)
	CreateCriticReview(ctx context.Context, r CriticReview, by User, now time.Time) (int64, error)
	// UpdateCriticReview saves a review edited from revision base; it
	// returns ErrConflict when someone saved after base, and whether
	// anything changed.
	UpdateCriticReview(ctx context.Context, id int64, base int, r CriticReview, by User, now time.Time) (bool, error)
	RestoreRevision(ctx context.Context, id int64, number, base int, by User, now time.Time) error
	Revisions(ctx context.Context, id int64) ([]Revision, error)
	FindRevision(ctx context.Context, id int64, number int) (Revision, error)
}

// CatalogEditStore keeps the catalogue as editors change it through the
// desk's forms.
type CatalogEditStore interface {
	// FindFilmForEdit returns a film's record with a version that
	// UpdateFilm checks, so two editors cannot overwrite each other.
	FindFilmForEdit(ctx context.Context, slug string) (Film, string, error)
	CreateFilm(ctx context.Context, f Film, by User, now time.Time) (int64, error)
	UpdateFilm(ctx context.Context, slug, version string, f Film, by User, now time.Time) error
	FindPersonForEdit(ctx context.Context, slug string) (Person, error)
	CreatePerson(ctx context.Context, p Person, by User, now time.Time) (int64, error)
	UpdatePerson(ctx context.Context, slug string, p Person, by User, now time.Time) error
	FindFilmsByTitle(ctx context.Context, prefix string, offset, limit int) (ListPage[Summary], error)
	FindPeopleByName(ctx context.Context, prefix string, offset, limit int) (ListPage[PersonSummary], error)
	RecentFilms(ctx context.Context, limit int) ([]Summary, error)
}

// ModerationStore keeps the moderation of reader reviews and the desk's
// own records.
type ModerationStore interface {
	ModerationPage(ctx context.Context, f ModerationFilter) (ModerationPage, error)
	// ModerateReaderReviews moves reviews to a state and returns how many
	// changed.
	ModerateReaderReviews(ctx context.Context, ids []int64, status ModerationStatus, actor int64, now time.Time) (int, error)
	DeskCounts(ctx context.Context) (DeskCounts, error)
	AuditLog(ctx context.Context, f AuditFilter) ([]AuditEntry, int, error)
}

// AccountStore keeps the desk's accounts and their sessions. Sessions are
// known by the SHA-256 of their token; passwords by their hash.
type AccountStore interface {
	FindUser(ctx context.Context, id int64) (User, error)
	FindUserByEmail(ctx context.Context, email string) (User, error)
	// FindCredentials returns an account with its password hash.
	FindCredentials(ctx context.Context, email string) (User, string, error)
	FindUsers(ctx context.Context) ([]User, error)
	CountUsers(ctx context.Context) (int, error)
	CreateUser(ctx context.Context, u User, passwordHash string, actor int64) (User, error)
	SetUserDisabled(ctx context.Context, id int64, disabled bool, actor int64, now time.Time) error
	SetPassword(ctx context.Context, id int64, passwordHash string, actor int64, now time.Time) error
	// UpgradePasswordHash replaces a hash made with outdated parameters,
	// only if it is still oldHash.
	UpgradePasswordHash(ctx context.Context, id int64, oldHash, newHash string) error

	CreateSession(ctx context.Context, tokenHash []byte, userID int64, now, expires time.Time) error
	FindSession(ctx context.Context, tokenHash []byte) (Session, error)
	TouchSession(ctx context.Context, tokenHash []byte, now time.Time) error
	DeleteSession(ctx context.Context, tokenHash []byte) error
	EndSession(ctx context.Context, tokenHash []byte, now time.Time) error
}

// CatalogStore moves whole catalogues in and out (seeds, import, dump).
type CatalogStore interface {
	// IsEmpty reports whether the database holds no films, so a new site
	// knows to load its seeds.
	IsEmpty(ctx context.Context) (bool, error)
	// ImportWith loads a catalogue in one transaction: all of it or
	// nothing.
	ImportWith(ctx context.Context, c Catalog, opts ImportOptions) (ImportReport, error)
	// Dump writes the whole catalogue with its reviews, ratings and votes.
	Dump(ctx context.Context, w CatalogWriter) error

	// DumpHistory reads, in one snapshot, what the site keeps besides its
	// catalogue and accounts (see history.go): revisions and review
	// owners, who moderated reader reviews, when records changed,
	// redirects, held bursts, the audit log, sessions and secrets, every
	// record named by a key that holds in another database.
	DumpHistory(ctx context.Context) (SiteHistory, error)
	// ImportHistory writes h, in one transaction, into a store that holds
	// the catalogue and the accounts h names and no history of its own: no
	// revision, redirect, held burst or session, and no audit line but the
	// ones creating and disabling accounts wrote, which h's log replaces.
	// A store that holds history is refused with ErrConflict, unchanged.
	// A record h names that the store lacks (a review, an account, a
	// film) is ErrNotFound, except in the audit log, whose line is kept
	// without a record id. Secrets replace the store's own.
	ImportHistory(ctx context.Context, h SiteHistory) error
}

// ImageStore keeps the pictures of films and people: posters, stills and
// portraits (see images.go). Every write is one transaction that moves
// DataVersion, so pages show a change on the next request, and is
// recorded in the audit log.
type ImageStore interface {
	// AddImage attaches a picture to a film or person and returns its use.
	// A poster or portrait replaces the one there was; a still goes after
	// the others. ErrNotFound when the owner does not exist; Problems when
	// the role does not fit the owner or the text is invalid.
	AddImage(ctx context.Context, owner ImageOwner, img NewImage, by User, now time.Time) (Image, error)
	// UpdateImageText changes what is said about a picture's use.
	UpdateImageText(ctx context.Context, owner ImageOwner, id int64, text ImageText, by User, now time.Time) error
	// MoveImage moves a still by delta places (-1 earlier, +1 later) among
	// the film's stills; moving past either end changes nothing.
	MoveImage(ctx context.Context, owner ImageOwner, id int64, delta int, by User, now time.Time) error
	// RemoveImage detaches a picture; a picture no record uses any more is
	// deleted with its renditions.
	RemoveImage(ctx context.Context, owner ImageOwner, id int64, by User, now time.Time) error
	// OwnedImages returns a record's pictures for the desk.
	OwnedImages(ctx context.Context, owner ImageOwner) (OwnedImages, error)
	// FindRendition returns a rendition with its bytes by its hash, or
	// ErrNotFound.
	FindRendition(ctx context.Context, hash string) (RenditionData, error)
}

// primaryReadsKey marks a context whose reads must see every committed
// write (see WithPrimaryReads).
type primaryReadsKey struct{}

// WithPrimaryReads marks ctx so that a store with read replicas reads the
// primary for it: the request of a client that has just written, on this
// app server or another, so it never misses what it just did. A store
// without replicas ignores the mark.
func WithPrimaryReads(ctx context.Context) context.Context {
	return context.WithValue(ctx, primaryReadsKey{}, true)
}

// PrimaryReads reports whether ctx was marked by WithPrimaryReads.
func PrimaryReads(ctx context.Context) bool {
	v, _ := ctx.Value(primaryReadsKey{}).(bool)
	return v
}
