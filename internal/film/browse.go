package film

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"time"
)

// FilmSort orders the film index.
type FilmSort string

// The orders the film index offers.
const (
	SortTitle        FilmSort = "title"
	SortYear         FilmSort = "year"
	SortRating       FilmSort = "rating"
	SortMostReviewed FilmSort = "reviews"
	SortRecent       FilmSort = "recent"
)

// FilmSorts lists the orders in the sequence the page offers them.
var FilmSorts = []FilmSort{SortTitle, SortYear, SortRating, SortMostReviewed, SortRecent}

// Valid reports whether s is a known order.
func (s FilmSort) Valid() bool {
	for _, known := range FilmSorts {
		if s == known {
			return true
		}
	}
	return false
}

// Label names the order on the page.
func (s FilmSort) Label() string {
	switch s {
	case SortYear:
		return "Newest first"
	case SortRating:
		return "Reader rating"
	case SortMostReviewed:
		return "Most reviewed"
	case SortRecent:
		return "Recently reviewed"
	}
	return "Title"
}

// FilmFilter selects and orders a page of the film index. Zero fields do
// not filter.
type FilmFilter struct {
	Year     int
	Decade   int // 1990 for the 1990s
	Country  string
	Language string
	Genre    string
	Director string // a person's slug
	Sort     FilmSort
	// After and Before continue from a cursor; at most one is set.
	After, Before *Cursor
	Limit         int
}

// Cursor marks a position in the film index by the sort key of one film,
// so that a page starts right after (or before) it however deep it is: no
// page costs more than the first.
type Cursor struct {
	Text  string  `json:"t,omitempty"`
	Value float64 `json:"v,omitempty"`
	Count int64   `json:"c,omitempty"`
	ID    int64   `json:"i"`
}

// Encode writes c for a URL.
func (c Cursor) Encode() string {
	b, _ := json.Marshal(c) // A struct of plain fields always marshals.
	return base64.RawURLEncoding.EncodeToString(b)
}

// errBadCursor is returned for a cursor that was not made by Encode.
var errBadCursor = errors.New("malformed cursor")

// ParseCursor reads a cursor written by Encode.
func ParseCursor(s string) (Cursor, error) {
	var c Cursor
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(raw) > 600 || json.Unmarshal(raw, &c) != nil || c.ID <= 0 {
		return Cursor{}, errBadCursor
	}
	return c, nil
}

// ListedFilm is a film as the film index shows it.
type ListedFilm struct {
	Summary
	Genres        []string
	RatingAverage float64
	RatingCount   int
	// RatingScore is the Bayesian average the rating order ranks by (see
	// BayesPrior).
	RatingScore  float64
	ReviewCount  int
	LastReviewAt time.Time
	// Cursor is the film's position in the order it was listed in.
	Cursor Cursor
}

// FilmList is one page of the film index.
type FilmList struct {
	Films []ListedFilm
	// Total is how many films match the filter.
	Total int
	// HasNext and HasPrev say whether there are films after the last or
	// before the first on this page.
	HasNext, HasPrev bool
	// PrevAfter, when HasPrev, is the cursor the page before this one
	// starts after, so that Previous links to the very address Next led
	// to (one address per page); nil when that page is the first.
	PrevAfter *Cursor
}

// Facet is one value of a filter with how many films have it.
type Facet struct {
	Kind  string // year, decade, country, language, genre, director
	Value string
	Label string
	Films int
}

// Company is a studio or distributor.
type Company struct {
	ID   int64
	Slug string
	Name string
}

// CompanyFilm is one film a company worked on, in one role.
type CompanyFilm struct {
	Film      Summary
	Role      CompanyRole
	Territory string
}

// MinRatingsForTopRated is how many reader ratings a film needs before it
// can appear among the highest rated: an average of two ratings is noise.
const MinRatingsForTopRated = 10

// TrendingWindow is how far back "what readers are rating now" looks.
const TrendingWindow = 7 * 24 * time.Hour

// ReviewedFilm is a film with its latest critic review, for the home page.
type ReviewedFilm struct {
	Film   Summary
	Review CriticReview
}

// TrendingFilm is a film with how many ratings it received recently.
type TrendingFilm struct {
	Film          ListedFilm
	RecentRatings int
}
