package film

import (
	"cmp"
	"slices"
	"time"
)

// The types in this file are page snapshots: everything one public page
// shows, read by one store call in one read transaction, so that a page
// never mixes two moments of the database (a review counted in the total
// but missing from the list, a rating in the histogram but not the
// average). Each query type says what the page asks for; each page type is
// what the store answers.

// FilmPageQuery asks for a film's page.
type FilmPageQuery struct {
	Slug string
	// Now decides which scheduled critic reviews are public.
	Now time.Time
	// ReaderTokenHash names the anonymous reader asking, when the request
	// carries a reader cookie, so the page can show their own rating; nil
	// for everyone else.
	ReaderTokenHash []byte
	// ReaderReviews is how many reader reviews the page shows, most
	// helpful first.
	ReaderReviews int
}

// FilmPage is what a film's page shows.
type FilmPage struct {
	Film          Film
	CriticReviews []CriticReview
	CriticScore   CriticScore
	ReaderReviews ReaderReviewPage
	Ratings       RatingStats
	// ReaderID is the asking reader's id, 0 for a reader the site does not
	// know; YourRating is their rating of the film, 0 when they have none.
	ReaderID   int64
	YourRating int
	// Poster is the film's uploaded poster (zero for none) and Stills its
	// stills in order; Portraits are the portraits of the people credited,
	// by person slug, for those who have one.
	Poster    Image
	Stills    []Image
	Portraits map[string]Image
}

// PersonPage is what a person's page shows: the person, their credits
// newest film first, the films they are best known for, and the latest
// critic reviews of their films.
type PersonPage struct {
	Person Person
	// Credits are newest film first, then by title and film id; a film's
	// credits come together, the most prominent first (the site's role
	// order, then billing, unbilled last).
	Credits []PersonCredit
	// KnownFor are at most KnownForLimit of the person's films, the most
	// notable first (see KnownFor).
	KnownFor []KnownFor
	Reviews  []ReviewedFilm
	// Portrait is the person's portrait, zero for none. Each credit's
	// film carries its poster (Summary.Poster).
	Portrait Image
}

// KnownForLimit is how many films a person page names as what the person
// is known for.
const KnownForLimit = 4

// KnownFor is one of the films a person is best known for. The rule, the
// same in every store: films where the person had a principal part come
// first (any credit but a cast credit billed after third or unbilled: a
// director, writer, producer or crew member is principal, a supporting
// actor is not); among them, the films readers engaged with most (ratings
// plus approved reader and public critic reviews); then the newer film,
// then the title. Role is the person's most prominent credit on the film,
// in the site's role order, and Character the part they played when that
// credit is a cast credit.
type KnownFor struct {
	Film      Summary
	Role      Role
	Character string
	// Ratings and Reviews are the film's reader ratings and reviews.
	Ratings int
	Reviews int
}

// RankKnownFor applies the KnownFor rule to a person's credits, given in
// PersonPage.Credits' order (whose film order is the rule's last two
// keys, the newer film then the title, as each store sorts titles), and
// returns at most limit films.
func RankKnownFor(credits []PersonCredit, limit int) []KnownFor {
	type ranked struct {
		KnownFor
		principal bool
	}
	films := make([]ranked, 0, len(credits))
	for i, c := range credits {
		if i > 0 && credits[i-1].Film.ID == c.Film.ID {
			// The film's first credit is its most prominent; the film
			// is a principal one when any credit on it is.
			films[len(films)-1].principal = films[len(films)-1].principal || c.principal()
			continue
		}
		films = append(films, ranked{KnownFor{Film: c.Film, Role: c.Role, Character: c.Character,
			Ratings: c.FilmRatings, Reviews: c.FilmReviews}, c.principal()})
	}
	slices.SortStableFunc(films, func(a, b ranked) int {
		if a.principal != b.principal {
			if a.principal {
				return -1
			}
			return 1
		}
		return cmp.Compare(b.Ratings+b.Reviews, a.Ratings+a.Reviews)
	})
	out := make([]KnownFor, 0, min(limit, len(films)))
	for _, f := range films[:min(limit, len(films))] {
		out = append(out, f.KnownFor)
	}
	return out
}

// HomePage is what the front page shows. Each list holds at most the
// query's limit.
type HomePage struct {
	LatestReviews []ReviewedFilm
	// RecentlyReviewed are the films with the newest reader or critic
	// reviews; films never reviewed are left out.
	RecentlyReviewed []ListedFilm
	TopRated         []ListedFilm
	Trending         []TrendingFilm
	// FilmCount is how many films the catalogue holds.
	FilmCount int
}

// CompanyPage is a studio or distributor with its films, newest first.
type CompanyPage struct {
	Company Company
	Films   []CompanyFilm
}

// CriticReviewPage is one public critic review with its film.
type CriticReviewPage struct {
	Review CriticReview
	Film   Summary
}

// ReaderReviewsPage is one page of a film's approved reader reviews with
// the film's reader ratings.
type ReaderReviewsPage struct {
	Film    Summary
	Reviews ReaderReviewPage
	Ratings RatingStats
}

// ReviewFormPage is what the reader review form starts from: the film and,
// for a reader the site knows, their rating of it (0 for none), which the
// form's rating starts at.
type ReviewFormPage struct {
	Film       Summary
	YourRating int
}

// FilmIndexQuery asks for a page of the film index.
type FilmIndexQuery struct {
	Filter FilmFilter
	// FacetLimit is how many values of each filter kind to count; 0 skips
	// the counts (the caller has them already).
	FacetLimit int
}

// FilmIndexPage is a page of the film index.
type FilmIndexPage struct {
	List FilmList
	// Facets are the filter values with their film counts, when asked for.
	Facets map[string][]Facet
	// Labels are the display labels of the filter's values by kind
	// ("director" → the director's name).
	Labels map[string]string
	// PrevYear and NextYear are, for a list of one year's films, the
	// nearest earlier and later years that have films; 0 when there is
	// none.
	PrevYear, NextYear int
}

// ModerationPage is one page of the moderation queue.
type ModerationPage struct {
	Items []ModerationItem
	// Total is how many reviews the filter selects in all.
	Total int
	// Counts are the reviews in each state (for the filter's film, if any).
	Counts map[ModerationStatus]int
	// Films are the films with reviews in the filter's state, for the film
	// filter, most reviews first.
	Films []ModerationFilm
	// Film is the film the filter names, when it names one, whether or
	// not it has reviews in the chosen state.
	Film Summary
}
