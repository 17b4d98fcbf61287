package templates

import (
	"marquee/internal/film"
	"marquee/internal/paths"
)

// SearchView is the search page: the query, one page of hits and how to
// reach the others.
type SearchView struct {
	Meta Meta
	// Query is the search as read (cleaned and trimmed to its limit);
	// empty when nothing was asked.
	Query string
	// Searchable says whether the query had any words to search for.
	Searchable bool
	Hits       []SearchHitView
	// Total counts every hit, up to film.MaxSearchResults.
	Total     int
	Page      int
	PageCount int
	PerPage   int
}

// SearchHitView is one search result, its texts split into segments so
// the matched words can be marked while every piece is escaped.
type SearchHitView struct {
	Kind film.SearchKind
	URL  string
	// Title is what the hit is called; TitleLang is the language of a
	// film's title, for screen readers.
	Title     []film.TextSegment
	TitleLang string
	// Context places the hit: a film's year and director, who played a
	// character, which film a review is of.
	Context string
	// Snippet is a short passage that matched, never a spoiler.
	Snippet []film.TextSegment
	// Spoilers says the hit is a review flagged as containing spoilers,
	// whose text is therefore not quoted.
	Spoilers bool
	// Poster is a film hit's poster; zero for other hits.
	Poster PictureView
}

// URL is the address of a page of these results.
func (v SearchView) URL(page int) string {
	return paths.Search(v.Query, page)
}

// First is the number of the first hit on the page, for the list's start.
func (v SearchView) First() int { return (v.Page-1)*v.PerPage + 1 }

// resultCount says how many hits there are: "1 result", "1,000+ results"
// when the count stopped at its limit.
func (v SearchView) resultCount() string {
	s := film.FormatCount(v.Total)
	if v.Total >= film.MaxSearchResults {
		s += "+"
	}
	if v.Total == 1 {
		return s + " result"
	}
	return s + " results"
}

// PastTheEnd says the page asked for lies beyond the last page of hits.
func (v SearchView) PastTheEnd() bool { return v.Total > 0 && len(v.Hits) == 0 }

// titleLang is the lang attribute for a hit's title, or "" when it is in
// the page's own language or unknown.
func titleLang(h SearchHitView) string {
	if h.TitleLang == "en" {
		return ""
	}
	return h.TitleLang
}
