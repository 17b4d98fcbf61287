package film

import "time"

// SitemapKind is the kind of public page a sitemap entry names.
type SitemapKind string

// The kinds of page the sitemap lists, in SitemapKinds order.
const (
	SitemapHome      SitemapKind = "home"
	SitemapFilmIndex SitemapKind = "film_index"
	SitemapFilm      SitemapKind = "film"
	// SitemapFilmReviews is a film's list of reader reviews, listed only
	// when it holds an approved one.
	SitemapFilmReviews SitemapKind = "film_reviews"
	SitemapPerson      SitemapKind = "person"
	// SitemapCompany is a company credited on at least one film.
	SitemapCompany SitemapKind = "company"
	// SitemapYear is a year with films.
	SitemapYear SitemapKind = "year"
	// SitemapCriticReview is a critic review that is public.
	SitemapCriticReview SitemapKind = "critic_review"
)

// SitemapKinds is the order of the sitemap: the home page, the film
// index, then every film, every film's reader reviews, every person,
// company, year and public critic review. Within a kind, films, people
// and companies come in slug order, years in order, and critic reviews
// in order of publication.
var SitemapKinds = []SitemapKind{
	SitemapHome, SitemapFilmIndex, SitemapFilm, SitemapFilmReviews,
	SitemapPerson, SitemapCompany, SitemapYear, SitemapCriticReview,
}

// SitemapEntry is one public page and when what it shows last changed.
type SitemapEntry struct {
	Kind SitemapKind
	// Slug names the film (of a film or its reader reviews), person,
	// company or critic review; it is "" for the other kinds.
	Slug string
	// Year is a year page's year, 0 for the other kinds.
	Year int
	// LastMod is the newest change time of the data the page shows,
	// never the time it is asked for:
	//   - a film: its record, the people credited on it, its public
	//     critic reviews (published or updated) and its approved reader
	//     reviews (approved or taken down);
	//   - a film's reader reviews: its record and its approved reader
	//     reviews;
	//   - a person: their record, the films they are credited on and
	//     those films' public critic reviews;
	//   - a company, a year: the records of their films;
	//   - a critic review: its publication or last update, and its film's
	//     record;
	//   - the home page and the film index: the newest change of any film,
	//     person or review (SitemapPage.Newest).
	// Ratings and helpful votes are not changes: they move too often to
	// be worth a crawler's visit.
	LastMod time.Time
}

// SitemapPage is a stretch of the sitemap, and the size of the whole.
type SitemapPage struct {
	// Total is how many entries the whole sitemap holds.
	Total int
	// Newest is the newest LastMod of every entry in the sitemap, not
	// only of those in Entries.
	Newest  time.Time
	Entries []SitemapEntry
}

// FilmFeed is what a film's Atom feed shows: the film and its newest
// public reviews.
type FilmFeed struct {
	Film Summary
	// UpdatedAt is when the film's record last changed, the feed's time
	// when it has no entries.
	UpdatedAt time.Time
	// CriticReviews are the film's critic reviews public at the time
	// asked about, newest first.
	CriticReviews []CriticReview
	// ReaderReviews are the film's approved reader reviews, newest first.
	ReaderReviews []FeedReaderReview
}

// FeedReaderReview is an approved reader review with the time it became
// public.
type FeedReaderReview struct {
	Review ReaderReview
	// ApprovedAt is when the review was approved, or when it was written
	// for one stored already approved (an import).
	ApprovedAt time.Time
}
