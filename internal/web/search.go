package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"marquee/internal/film"
	"marquee/internal/paths"
	"marquee/templates"
)

const (
	// searchResultsPerPage is how many hits a page of results shows.
	searchResultsPerPage = 20
	// searchMaxPage is the last page a search can reach.
	searchMaxPage = film.MaxSearchResults / searchResultsPerPage
	// searchSuggestions is how many suggestions the endpoint returns.
	searchSuggestions = 8
	// snippetRunes bounds the passage quoted from a review or synopsis.
	snippetRunes = 220
	// plainTextRunes bounds the plain text a snippet is cut from: enough
	// for any review, and a guard against a pathological one.
	plainTextRunes = 200_000
)

// serveSearch shows the results of a search. Any text is a valid query:
// an empty one invites a search, one with nothing to search for (only
// punctuation, say) finds nothing, and one longer than the limit is
// trimmed; all answer 200. Only a malformed page number is refused.
func (s *Server) serveSearch(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	page := 1
	if p := q.Get("page"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > searchMaxPage {
			return badRequest("The page number must be a whole number from 1 to " + strconv.Itoa(searchMaxPage) + ".")
		}
		page = n
	}
	v := templates.SearchView{Query: film.CleanSearchText(q.Get("q")), Page: page, PerPage: searchResultsPerPage}
	if v.Query != "" {
		res, err := s.db.Search(r.Context(), film.SearchQuery{
			Text: v.Query, Offset: (page - 1) * searchResultsPerPage, Limit: searchResultsPerPage, Now: s.now(),
		})
		if err != nil {
			return err
		}
		v.Searchable = len(res.Terms) > 0
		v.Total = res.Total
		v.PageCount = (res.Total + searchResultsPerPage - 1) / searchResultsPerPage
		v.Hits = make([]templates.SearchHitView, len(res.Hits))
		for i, h := range res.Hits {
			v.Hits[i] = s.searchHitView(h, res.Terms)
		}
	}
	title := "Search"
	if v.Query != "" {
		title = "Search: " + v.Query
	}
	// Results pages have no canonical address of their own to offer.
	v.Meta = s.meta(title, "Search films, people, characters, filming locations and reviews on Marquee.", "")
	v.Meta.Query = v.Query
	// A site's own search results are not pages for a search engine.
	v.Meta.NoIndex = true
	sharePage(w)
	return s.render(w, r, http.StatusOK, templates.SearchPage(v))
}

// searchHitView builds what a result shows: its link, its title and the
// passage that matched, each marked where it matched terms. Review text
// is quoted only from markdown.Excerpt, which leaves out every spoiler.
func (s *Server) searchHitView(h film.SearchHit, terms []film.SearchTerm) templates.SearchHitView {
	v := templates.SearchHitView{Kind: h.Kind, Title: film.Highlight(h.Title, terms), Spoilers: h.Spoilers}
	inFilm := filmTitleYear(h.Film)
	switch h.Kind {
	case film.SearchFilm:
		v.URL, v.TitleLang = paths.Film(h.Film.Slug), h.Film.TitleLanguage
		v.Poster = listPoster(h.Film, compactPosterWidth)
		parts := []string{strconv.Itoa(h.Film.Year)}
		if len(h.Film.Directors) > 0 {
			parts = append(parts, "Directed by "+joinNames(h.Film.Directors))
		}
		v.Context = strings.Join(parts, " · ")
		if len(h.Also) > 0 {
			v.Snippet = film.Highlight("Original title: "+strings.Join(h.Also, ", "), terms)
		} else if h.Film.Synopsis != "" {
			v.Snippet = film.SearchSnippet(h.Film.Synopsis, terms, snippetRunes)
		}
	case film.SearchPerson:
		v.URL = paths.Person(h.Slug)
		if h.Film.Slug != "" {
			v.Context = h.Role.Label() + ", " + inFilm
		}
		if len(h.Also) > 0 {
			v.Snippet = film.Highlight("Also credited as "+strings.Join(h.Also, ", "), terms)
		}
	case film.SearchCharacter:
		v.URL = paths.Film(h.Film.Slug) + "#cast"
		v.Context = "Played by " + h.Person + " in " + inFilm
	case film.SearchLocation:
		v.URL = paths.Film(h.Film.Slug) + "#details"
		// A film's locations are one document; show the ones that matched.
		var shown []film.Location
		for _, l := range h.Locations {
			if film.Matches(l.Place, terms) || film.Matches(l.Address, terms) {
				shown = append(shown, l)
			}
		}
		if len(shown) == 0 {
			shown = h.Locations
		}
		places, addresses := make([]string, len(shown)), make([]string, 0, len(shown))
		for i, l := range shown {
			places[i] = l.Place
			if l.Address != "" {
				addresses = append(addresses, l.Address)
			}
		}
		v.Title = film.Highlight(strings.Join(places, "; "), terms)
		v.Context = "Where " + inFilm + " was filmed"
		if len(addresses) > 0 {
			v.Snippet = film.Highlight(strings.Join(addresses, "; "), terms)
		}
	case film.SearchSoundtrack:
		v.URL = paths.Film(h.Film.Slug) + "#soundtrack"
		// A film's soundtrack is one document; show the tracks that matched.
		var shown []string
		for _, t := range h.Tracks {
			if film.Matches(t.Title, terms) || film.Matches(t.Artist, terms) {
				shown = append(shown, t.Title+" — "+t.Artist)
			}
		}
		if len(shown) == 0 {
			shown = []string{h.Title}
		}
		v.Title = film.Highlight(strings.Join(shown, "; "), terms)
		v.Context = "On the soundtrack of " + inFilm
	case film.SearchCriticReview:
		v.URL = paths.CriticReview(h.Slug)
		v.Context = "Review of " + inFilm + " by " + h.Person
		v.Snippet = s.reviewSnippet(h.Body, terms)
	case film.SearchReaderReview:
		v.URL = readerReviewURL(h.Film.Slug, h.ReviewID, h.Position)
		v.Context = "Reader review of " + inFilm + " by " + h.Person
		v.Snippet = s.reviewSnippet(h.Body, terms)
	}
	return v
}

// reviewSnippet quotes the passage of a review body around its first
// match, from the plain text with every spoiler removed. An empty body (a
// review flagged as containing spoilers) gives no snippet.
func (s *Server) reviewSnippet(body string, terms []film.SearchTerm) []film.TextSegment {
	if body == "" {
		return nil
	}
	return film.SearchSnippet(s.markdown.Excerpt(body, plainTextRunes), terms, snippetRunes)
}

// readerReviewURL links to a reader review in its film's list, on the
// page that holds it in the default newest-first order.
func readerReviewURL(filmSlug string, id int64, position int) string {
	q := url.Values{}
	if page := position/readerReviewsPerPage + 1; page > 1 {
		q.Set("page", strconv.Itoa(page))
	}
	return paths.WithQuery(paths.FilmReviews(filmSlug), q) + "#reader-review-" + strconv.FormatInt(id, 10)
}

// filmTitleYear is "Paris (2008)".
func filmTitleYear(f film.Summary) string {
	return f.Title + " (" + strconv.Itoa(f.Year) + ")"
}

// joinNames lists names: "A", "A and B", "A, B and C".
func joinNames(names []string) string {
	if len(names) <= 1 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// suggestion is one entry of the suggestions endpoint's JSON.
type suggestion struct {
	Kind  string `json:"kind"`
	Label string `json:"label"`
	URL   string `json:"url"`
}

// serveSearchSuggest answers as-you-type suggestions: up to eight films and
// people whose names start with what was typed, as a JSON array of
// {"kind", "label", "url"}. The search form works without it; a script
// may use it to offer shortcuts. Answers are the same for everyone, so
// any cache may keep them for a minute.
func (s *Server) serveSearchSuggest(w http.ResponseWriter, r *http.Request) error {
	hits, err := s.db.Suggest(r.Context(), film.CleanSearchText(r.URL.Query().Get("q")), searchSuggestions)
	if err != nil {
		return err
	}
	out := make([]suggestion, 0, len(hits))
	for _, h := range hits {
		switch h.Kind {
		case film.SearchFilm:
			out = append(out, suggestion{Kind: string(h.Kind), Label: filmTitleYear(h.Film), URL: paths.Film(h.Film.Slug)})
		case film.SearchPerson:
			out = append(out, suggestion{Kind: string(h.Kind), Label: h.Title, URL: paths.Person(h.Slug)})
		}
	}
	body, err := json.Marshal(out)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "public, max-age=60")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	_, _ = w.Write(body) // The client has gone if this fails.
	return nil
}
