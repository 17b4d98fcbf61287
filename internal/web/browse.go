package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"marquee/internal/film"
	"marquee/templates"
)

// filmsPerPage is how many films a page of the film index shows.
const filmsPerPage = 24

// facetsPerKind is how many values of each filter the index offers.
const facetsPerKind = 12

// serveFilms is the film index: every film, filtered by the query's
// filters, in the chosen order, a page at a time.
func (s *Server) serveFilms(w http.ResponseWriter, r *http.Request) error {
	filter, err := parseFilmFilter(r.URL.Query())
	if err != nil {
		return err
	}
	return s.renderFilmIndex(w, r, filter, "/films")
}

// serveYear is the film index for one year.
func (s *Server) serveYear(w http.ResponseWriter, r *http.Request) error {
	year, err := strconv.Atoi(r.PathValue("year"))
	if err != nil || year < 1870 || year > 2200 || strconv.Itoa(year) != r.PathValue("year") {
		return film.ErrNotFound
	}
	q := r.URL.Query()
	if q.Has("year") || q.Has("decade") {
		return badRequest("A year page cannot be filtered by another year or decade.")
	}
	filter, err := parseFilmFilter(q)
	if err != nil {
		return err
	}
	filter.Year = year
	return s.renderFilmIndex(w, r, filter, "/years/"+strconv.Itoa(year))
}

func (s *Server) renderFilmIndex(w http.ResponseWriter, r *http.Request, filter film.FilmFilter, base string) error {
	ctx := r.Context()
	v := templates.FilmIndexView{Base: base, Filter: filter, Labels: map[string]string{}}
	// Every filter value must exist: an unknown one is a page that
	// cannot have content.
	for kind, value := range map[string]string{"country": filter.Country, "language": filter.Language,
		"genre": filter.Genre, "director": filter.Director, "year": yearValue(filter.Year), "decade": yearValue(filter.Decade)} {
		if value == "" {
			continue
		}
		label, ok, err := s.db.FacetLabel(ctx, kind, value)
		if err != nil {
			return err
		}
		if !ok {
			return film.ErrNotFound
		}
		v.Labels[kind] = label
	}
	page, err := s.db.FindFilmsPage(ctx, filter)
	if err != nil {
		return err
	}
	if len(page.Films) == 0 && (filter.After != nil || filter.Before != nil) {
		return film.ErrNotFound // A cursor past the end of the list.
	}
	// Unfiltered counts are one read of the kept facet table; only
	// filtered ones are worth caching.
	key := facetKey(filter)
	filtered := key != facetKey(film.FilmFilter{})
	facets, ok := s.facets.get(key, time.Now())
	if !filtered || !ok {
		if facets, err = s.db.Facets(ctx, filter, facetsPerKind); err != nil {
			return err
		}
		if filtered {
			s.facets.put(key, facets, time.Now())
		}
	}
	v.Page, v.Facets = page, facets
	title := v.Heading()
	v.Meta = s.meta(title, fmt.Sprintf("%s: %d films with reader ratings and reviews on Marquee.", title, page.Total), v.URL(filter.Sort, nil, nil))
	return s.render(w, r, http.StatusOK, templates.FilmIndexPage(v))
}

func yearValue(y int) string {
	if y == 0 {
		return ""
	}
	return strconv.Itoa(y)
}

// parseFilmFilter reads the film index's query parameters, refusing any
// that are malformed with a message saying what is accepted.
func parseFilmFilter(q url.Values) (film.FilmFilter, error) {
	f := film.FilmFilter{Sort: film.SortTitle, Limit: filmsPerPage}
	for key := range q {
		switch key {
		case "sort", "year", "decade", "country", "language", "genre", "director", "after", "before":
		default:
			return f, badRequest(fmt.Sprintf("The film list has no %q parameter.", truncateForMessage(key)))
		}
	}
	if v := q.Get("sort"); v != "" {
		f.Sort = film.FilmSort(v)
		if !f.Sort.Valid() {
			return f, badRequest("Films can be sorted by title, year, rating, reviews or recent.")
		}
	}
	if v := q.Get("year"); v != "" {
		y, err := strconv.Atoi(v)
		if err != nil || y < 1870 || y > 2200 {
			return f, badRequest("The year must be a year such as 2008.")
		}
		f.Year = y
	}
	if v := q.Get("decade"); v != "" {
		d, err := strconv.Atoi(strings.TrimSuffix(v, "s"))
		if err != nil || d < 1870 || d > 2200 || d%10 != 0 {
			return f, badRequest("The decade must be written like 1990s.")
		}
		f.Decade = d
	}
	for key, dst := range map[string]*string{"country": &f.Country, "language": &f.Language, "genre": &f.Genre, "director": &f.Director} {
		v := q.Get(key)
		if !utf8.ValidString(v) || utf8.RuneCountInString(v) > 100 {
			return f, badRequest(fmt.Sprintf("The %s filter is not a value the site knows.", key))
		}
		*dst = v
	}
	if f.Director != "" && !film.ValidSlug(f.Director) {
		return f, badRequest("The director filter is not a value the site knows.")
	}
	var err error
	if f.After, err = parseCursor(q.Get("after")); err != nil {
		return f, err
	}
	if f.Before, err = parseCursor(q.Get("before")); err != nil {
		return f, err
	}
	if f.After != nil && f.Before != nil {
		return f, badRequest("A page of films starts after one film or ends before one, not both.")
	}
	return f, nil
}

func parseCursor(s string) (*film.Cursor, error) {
	if s == "" {
		return nil, nil
	}
	c, err := film.ParseCursor(s)
	if err != nil {
		return nil, badRequest("This page link is damaged. Go back to the first page of the list.")
	}
	return &c, nil
}

// companyFilmLimit caps the films listed on a company page.
const companyFilmLimit = 200

// serveCompany shows a studio or distributor and its films.
func (s *Server) serveCompany(w http.ResponseWriter, r *http.Request) error {
	slug, err := slugParam(r)
	if err != nil {
		return err
	}
	c, films, err := s.db.FindCompany(r.Context(), slug, companyFilmLimit)
	if err != nil {
		return err
	}
	v := templates.CompanyView{Company: c, Films: films, Limited: len(films) == companyFilmLimit}
	v.Meta = s.meta(c.Name, "Films made or distributed by "+c.Name+" on Marquee.", "/companies/"+c.Slug)
	return s.render(w, r, http.StatusOK, templates.CompanyPage(v))
}
