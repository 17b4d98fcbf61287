package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"marquee/internal/film"
	"marquee/internal/paths"
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
	return s.renderFilmIndex(w, r, filter, paths.Films(nil))
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
	return s.renderFilmIndex(w, r, filter, paths.Year(year))
}

func (s *Server) renderFilmIndex(w http.ResponseWriter, r *http.Request, filter film.FilmFilter, base string) error {
	// The filters the page offers, with their counts, kept per data
	// version and not read again for the next page or order of the same
	// films; an export offers none on a filtered page (exportingFacets),
	// so it reads none.
	q := film.FilmIndexQuery{Filter: filter}
	var facets map[string][]film.Facet
	key := facetKey(filter)
	version := s.db.DataVersion()
	if s.exportingFacets(filter) {
		q.FacetLimit = facetsPerKind
		if kept, ok := s.facets.get(key, version); ok {
			facets, q.FacetLimit = kept, 0
		}
	}
	// Every filter value must exist (the store says not found otherwise):
	// an unknown one is a page that cannot have content.
	index, err := s.db.FilmIndex(r.Context(), q)
	if err != nil {
		return err
	}
	page := index.List
	if len(page.Films) == 0 && (filter.After != nil || filter.Before != nil) {
		return film.ErrNotFound // A cursor past the end of the list.
	}
	if q.FacetLimit > 0 {
		facets = index.Facets
		s.facets.put(key, version, facets)
	}
	v := templates.FilmIndexView{Base: base, Filter: filter, Labels: index.Labels}
	v.Page, v.Facets = page, facets
	v.Posters = posterMap(listPosterWidth, listedSummaries(page.Films)...)
	v.PrevYear, v.NextYear = index.PrevYear, index.NextYear
	v.Heading = filmIndexHeading(filter, index.Labels)
	v.Active = activeFilters(v)
	v.Meta = s.meta(v.Heading, filmIndexDescription(v.Heading, page), filmIndexCanonical(base, filter, page))
	v.Meta.NoIndex = page.Total == 0 // An empty combination of filters is no page to find.
	v.Meta.Breadcrumbs = filmIndexCrumbs(v, filmIndexCanonical(base, film.FilmFilter{
		Year: filter.Year, Decade: filter.Decade, Country: filter.Country, Language: filter.Language,
		Genre: filter.Genre, Director: filter.Director, Sort: filter.Sort}, page))
	if v.Meta.StructuredData, err = encodeLD(s.withBreadcrumbs([]any{s.filmListLD(v.Heading, slugsOf(listedSummaries(page.Films)))}, v.Meta.Breadcrumbs)...); err != nil {
		return err
	}
	sharePage(w)
	return s.render(w, r, http.StatusOK, templates.FilmIndexPage(v))
}

// filmIndexCanonical is the canonical address of a page of the film
// index: one address for every query that lists the same films on the
// same page. It keeps only what changes the set or the page, in a fixed
// order: the filters, then the order when the list runs to more than one
// page (on a single page an order only rearranges the same films), then
// the cursor, so that each further page is its own canonical page. A year
// chosen within its own decade needs no decade beside it, and the index
// filtered by a year alone lists what that year's page lists.
func filmIndexCanonical(base string, f film.FilmFilter, page film.FilmList) string {
	path, q := base, url.Values{}
	year, decade := f.Year, f.Decade
	if year != 0 && decade != 0 && year/10*10 == decade {
		decade = 0
	}
	if base == paths.Films(nil) {
		if year != 0 && decade == 0 {
			path = paths.Year(year)
		} else {
			if year != 0 {
				q.Set("year", strconv.Itoa(year))
			}
			if decade != 0 {
				q.Set("decade", strconv.Itoa(decade)+"s")
			}
		}
	}
	for key, value := range map[string]string{"country": f.Country, "language": f.Language, "genre": f.Genre, "director": f.Director} {
		if value != "" {
			q.Set(key, value)
		}
	}
	if f.Sort != film.SortTitle && (page.HasNext || page.HasPrev) {
		q.Set("sort", string(f.Sort))
	}
	if f.After != nil {
		q.Set("after", f.After.Encode())
	}
	if f.Before != nil {
		q.Set("before", f.Before.Encode())
	}
	return paths.WithQuery(path, q) // Encode writes the keys in sorted order.
}

// filmIndexCrumbs is the trail to a page of the film index, whose list
// (the page's canonical address without a cursor) is at listPath: none for
// the whole index; Films, then the year for a year's films; and the list's
// heading last when other filters narrow it.
func filmIndexCrumbs(v templates.FilmIndexView, listPath string) []templates.Crumb {
	f := v.Filter
	trail := []templates.Crumb{filmsCrumb()}
	if year := paths.Year(f.Year); f.Year != 0 && (listPath == year || strings.HasPrefix(listPath, year+"?")) {
		trail = append(trail, templates.Crumb{Name: strconv.Itoa(f.Year), Path: year})
		if listPath == year {
			return trail
		}
	} else if listPath == paths.Films(nil) {
		return nil
	}
	return append(trail, templates.Crumb{Name: v.Heading, Path: listPath})
}

// filmIndexHeading describes what a page of the film index lists: "Films",
// "Drama films from France", "Films of 2008".
func filmIndexHeading(f film.FilmFilter, labels map[string]string) string {
	var b strings.Builder
	if f.Genre != "" {
		b.WriteString(labels["genre"] + " films")
	} else {
		b.WriteString("Films")
	}
	if f.Director != "" {
		b.WriteString(" directed by " + labels["director"])
	}
	if f.Country != "" {
		b.WriteString(" from " + labels["country"])
	}
	if f.Language != "" {
		b.WriteString(" in " + labels["language"])
	}
	if f.Year != 0 {
		b.WriteString(" of " + strconv.Itoa(f.Year))
	}
	if f.Decade != 0 {
		b.WriteString(" of the " + strconv.Itoa(f.Decade) + "s")
	}
	return b.String()
}

// activeFilters lists the filters in use on a page of the film index, each
// with the link that removes it. A year page's own year is not a filter
// that can be removed.
func activeFilters(v templates.FilmIndexView) []templates.ActiveFilter {
	var out []templates.ActiveFilter
	add := func(kind, label string) {
		out = append(out, templates.ActiveFilter{Label: label, RemoveURL: v.RemoveURL(kind)})
	}
	if v.Filter.Genre != "" {
		add("genre", "Genre: "+v.Labels["genre"])
	}
	if v.Filter.Director != "" {
		add("director", "Director: "+v.Labels["director"])
	}
	if v.Filter.Country != "" {
		add("country", "Country: "+v.Labels["country"])
	}
	if v.Filter.Language != "" {
		add("language", "Language: "+v.Labels["language"])
	}
	if v.Base == paths.Films(nil) && v.Filter.Year != 0 {
		add("year", "Year: "+strconv.Itoa(v.Filter.Year))
	}
	if v.Filter.Decade != 0 {
		add("decade", "Decade: "+strconv.Itoa(v.Filter.Decade)+"s")
	}
	return out
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
	p, err := s.db.CompanyPage(r.Context(), slug, companyFilmLimit)
	if err != nil {
		return err
	}
	c := p.Company
	v := templates.CompanyView{Company: c, Films: p.Films, Limited: len(p.Films) == companyFilmLimit}
	v.Posters = companyPosters(p.Films)
	v.Meta = s.meta(c.Name, companyDescription(c, p.Films), paths.Company(c.Slug))
	v.Meta.Breadcrumbs = []templates.Crumb{filmsCrumb(), {Name: c.Name, Path: paths.Company(c.Slug)}}
	var slugs []string
	seen := map[string]bool{}
	for _, cf := range p.Films {
		if !seen[cf.Film.Slug] {
			seen[cf.Film.Slug] = true
			slugs = append(slugs, cf.Film.Slug)
		}
	}
	if v.Meta.StructuredData, err = encodeLD(s.withBreadcrumbs([]any{s.filmListLD("Films of "+c.Name, slugs)}, v.Meta.Breadcrumbs)...); err != nil {
		return err
	}
	sharePage(w)
	return s.render(w, r, http.StatusOK, templates.CompanyPage(v))
}
