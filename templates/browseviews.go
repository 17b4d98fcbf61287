package templates

import (
	"net/url"
	"strconv"

	"marquee/internal/film"
	"marquee/internal/paths"
)

// FilmIndexView is a page of the film index, or of a year's films.
type FilmIndexView struct {
	Meta Meta
	// Base is the path the index lives at: /films, or /years/2008.
	Base   string
	Filter film.FilmFilter
	// Labels are the display names of the active filters, by kind.
	Labels map[string]string
	// Heading describes what the page lists: "Films", "Drama films from
	// France", "Films of 2008".
	Heading string
	// Active lists the filters in use, each with the link that removes it.
	Active []ActiveFilter
	Page   film.FilmList
	Facets map[string][]film.Facet
	// PrevYear and NextYear are the nearest years with films around a
	// year's list, 0 for none.
	PrevYear, NextYear int
	// Posters are the listed films' posters.
	Posters PosterMap
}

// query is the index's query string for its filters with changes applied.
func (v FilmIndexView) query(sort film.FilmSort, change map[string]string) url.Values {
	q := url.Values{}
	set := func(key, value string) {
		if c, ok := change[key]; ok {
			value = c
		}
		if value != "" {
			q.Set(key, value)
		}
	}
	if v.Base == paths.Films(nil) {
		set("year", yearText(v.Filter.Year))
		set("decade", decadeText(v.Filter.Decade))
	}
	set("country", v.Filter.Country)
	set("language", v.Filter.Language)
	set("genre", v.Filter.Genre)
	set("director", v.Filter.Director)
	if sort != film.SortTitle {
		q.Set("sort", string(sort))
	}
	return q
}

func (v FilmIndexView) link(q url.Values) string {
	return paths.WithQuery(v.Base, q)
}

// URL is the address of this list in another order, or of the page after
// or before a cursor.
func (v FilmIndexView) URL(sort film.FilmSort, after, before *film.Cursor) string {
	q := v.query(sort, nil)
	if after != nil {
		q.Set("after", after.Encode())
	}
	if before != nil {
		q.Set("before", before.Encode())
	}
	return v.link(q)
}

// FacetURL is the address of this list with one more filter (replacing one
// of the same kind); choosing a decade clears the year and the reverse.
func (v FilmIndexView) FacetURL(kind, value string) string {
	change := map[string]string{kind: value}
	if kind == "decade" {
		change["year"] = ""
		if v.Base != paths.Films(nil) {
			return paths.Films(url.Values{"decade": {value}})
		}
	}
	return v.link(v.query(v.Filter.Sort, change))
}

// RemoveURL is the address of this list without the filter of one kind.
func (v FilmIndexView) RemoveURL(kind string) string {
	return v.link(v.query(v.Filter.Sort, map[string]string{kind: ""}))
}

// ActiveFilter is a filter in use, shown with a link that removes it.
type ActiveFilter struct {
	Label     string
	RemoveURL string
}

// FacetGroups lists the filter kinds in the order the page shows them.
var FacetGroups = []struct{ Kind, Label string }{
	{"genre", "Genre"}, {"decade", "Decade"}, {"country", "Country"}, {"language", "Language"}, {"director", "Director"},
}

// facetSelected reports whether a facet value is the active filter.
func (v FilmIndexView) facetSelected(f film.Facet) bool {
	switch f.Kind {
	case "genre":
		return v.Filter.Genre == f.Value
	case "country":
		return v.Filter.Country == f.Value
	case "language":
		return v.Filter.Language == f.Value
	case "director":
		return v.Filter.Director == f.Value
	case "decade":
		return decadeText(v.Filter.Decade) == facetValue(f)
	}
	return false
}

// facetValue is the value a facet puts in the URL: decades as "1990s".
func facetValue(f film.Facet) string {
	if f.Kind == "decade" {
		return f.Value + "s"
	}
	return f.Value
}

// facetLabel is how a facet value is shown: decades as "1990s".
func facetLabel(f film.Facet) string {
	if f.Kind == "decade" {
		return f.Label + "s"
	}
	return f.Label
}

func yearText(y int) string {
	if y == 0 {
		return ""
	}
	return strconv.Itoa(y)
}

func decadeText(d int) string {
	if d == 0 {
		return ""
	}
	return strconv.Itoa(d) + "s"
}

// CompanyView is a company's page.
type CompanyView struct {
	Meta    Meta
	Company film.Company
	Films   []film.CompanyFilm
	// Limited says the list was cut at its cap.
	Limited bool
	// Posters are the listed films' posters.
	Posters PosterMap
}

// companyRoleLabel names what a company did.
func companyRoleLabel(r film.CompanyRole) string {
	if r == film.CompanyDistributor {
		return "Distributor"
	}
	return "Production"
}

// territorySuffix adds a territory in brackets, if known.
func territorySuffix(t string) string {
	if t == "" {
		return ""
	}
	return " (" + t + ")"
}
