package web

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"marquee/internal/film"
	"marquee/internal/paths"
	"marquee/templates"
)

// This file builds each public page's structured data (schema.org in
// JSON-LD) from the page's view-model, the same values the templates lay
// out, so the data cannot say something the page does not. The shapes
// follow Google Search Central's documented requirements for Movie,
// Review, AggregateRating, ItemList and BreadcrumbList.
//
// Two rules hold throughout. Ratings in the data are only those given on
// this site: a critic review's own rating, and the readers' ratings as an
// aggregate; the scores published elsewhere stay cited text on the page.
// And no spoiler text enters it: review bodies are excerpts with spoilers
// removed, or the pull quote of a review that spoils throughout.

const schemaContext = "https://schema.org"

// ldAgent is a Person or an Organization, or a reference to a node by
// @id.
type ldAgent struct {
	Type string `json:"@type,omitempty"`
	ID   string `json:"@id,omitempty"`
	Name string `json:"name,omitempty"`
	URL  string `json:"url,omitempty"`
}

// ldNamed is a thing known by its name alone: a Country, an Organization.
type ldNamed struct {
	Type string `json:"@type"`
	Name string `json:"name"`
}

type ldMovie struct {
	Context           string             `json:"@context,omitempty"`
	Type              string             `json:"@type"`
	URL               string             `json:"url,omitempty"`
	Name              string             `json:"name"`
	AlternateName     string             `json:"alternateName,omitempty"`
	Description       string             `json:"description,omitempty"`
	Image             string             `json:"image,omitempty"`
	DateCreated       string             `json:"dateCreated,omitempty"`
	DatePublished     string             `json:"datePublished,omitempty"`
	Duration          string             `json:"duration,omitempty"`
	Genre             []string           `json:"genre,omitempty"`
	InLanguage        any                `json:"inLanguage,omitempty"`
	CountryOfOrigin   []ldNamed          `json:"countryOfOrigin,omitempty"`
	Director          []ldAgent          `json:"director,omitempty"`
	Author            []ldAgent          `json:"author,omitempty"`
	Actor             []ldAgent          `json:"actor,omitempty"`
	Producer          []ldAgent          `json:"producer,omitempty"`
	MusicBy           []ldAgent          `json:"musicBy,omitempty"`
	Contributor       []ldAgent          `json:"contributor,omitempty"`
	ProductionCompany []ldNamed          `json:"productionCompany,omitempty"`
	SameAs            []string           `json:"sameAs,omitempty"`
	AggregateRating   *ldAggregateRating `json:"aggregateRating,omitempty"`
	Review            []ldReview         `json:"review,omitempty"`
}

type ldRating struct {
	Type        string  `json:"@type"`
	RatingValue float64 `json:"ratingValue"`
	BestRating  float64 `json:"bestRating"`
	WorstRating float64 `json:"worstRating"`
}

type ldAggregateRating struct {
	Type        string  `json:"@type"`
	RatingValue float64 `json:"ratingValue"`
	BestRating  int     `json:"bestRating"`
	WorstRating int     `json:"worstRating"`
	RatingCount int     `json:"ratingCount"`
}

type ldReview struct {
	Context       string    `json:"@context,omitempty"`
	Type          string    `json:"@type"`
	URL           string    `json:"url,omitempty"`
	Name          string    `json:"name"`
	ItemReviewed  *ldMovie  `json:"itemReviewed,omitempty"`
	Author        ldAgent   `json:"author"`
	Publisher     ldAgent   `json:"publisher"`
	ReviewRating  *ldRating `json:"reviewRating,omitempty"`
	DatePublished string    `json:"datePublished"`
	DateModified  string    `json:"dateModified,omitempty"`
	InLanguage    string    `json:"inLanguage,omitempty"`
	ReviewBody    string    `json:"reviewBody,omitempty"`
}

type ldPerson struct {
	Type          string   `json:"@type"`
	ID            string   `json:"@id,omitempty"`
	URL           string   `json:"url"`
	Name          string   `json:"name"`
	AlternateName []string `json:"alternateName,omitempty"`
	Description   string   `json:"description,omitempty"`
	// BirthDate and DeathDate are ISO 8601 dates, as partial as the
	// record ("1964" is a valid ISO 8601 date); the places are Places
	// named as sources give them.
	BirthDate  string   `json:"birthDate,omitempty"`
	BirthPlace *ldNamed `json:"birthPlace,omitempty"`
	DeathDate  string   `json:"deathDate,omitempty"`
	DeathPlace *ldNamed `json:"deathPlace,omitempty"`
}

// ldPlace is a place named as a source gives it, or nil for none.
func ldPlace(name string) *ldNamed {
	if name == "" {
		return nil
	}
	return &ldNamed{Type: "Place", Name: name}
}

type ldGraph struct {
	Context string `json:"@context"`
	Graph   []any  `json:"@graph"`
}

type ldListItem struct {
	Type     string `json:"@type"`
	Position int    `json:"position"`
	Name     string `json:"name,omitempty"`
	// Item is a breadcrumb step's address; URL a listed page's.
	Item string `json:"item,omitempty"`
	URL  string `json:"url,omitempty"`
}

type ldItemList struct {
	Context         string       `json:"@context"`
	Type            string       `json:"@type"`
	Name            string       `json:"name,omitempty"`
	ItemListElement []ldListItem `json:"itemListElement"`
}

type ldWebSite struct {
	Context string `json:"@context"`
	Type    string `json:"@type"`
	Name    string `json:"name"`
	URL     string `json:"url"`
}

// encodeLD encodes structured data documents for a page. encoding/json
// escapes <, > and & as \u003c, \u003e and \u0026, so no text in them can
// end the script element that holds them or open a comment in it.
func encodeLD(docs ...any) ([]json.RawMessage, error) {
	out := make([]json.RawMessage, 0, len(docs))
	for _, d := range docs {
		b, err := json.Marshal(d)
		if err != nil {
			return nil, fmt.Errorf("structured data: %w", err)
		}
		out = append(out, b)
	}
	return out, nil
}

// filmLD is a film page's Movie.
func (s *Server) filmLD(v templates.FilmView) ldMovie {
	f := v.Film
	m := ldMovie{
		Context: schemaContext, Type: "Movie",
		URL:         v.Meta.Canonical,
		Name:        f.Title,
		Description: v.Meta.Description,
		Image:       v.Meta.Share.Image.URL,
		Genre:       f.Genres,
		InLanguage:  movieLanguage(f.TitleLanguage, f.Languages),
		Director:    s.creditAgents(v.Directors),
		Author:      s.creditAgents(v.Writers),
		Actor:       s.creditAgents(v.Cast),
	}
	if f.OriginalTitle != "" && f.OriginalTitle != f.Title {
		m.AlternateName = f.OriginalTitle
	}
	m.DateCreated, m.DatePublished = strconv.Itoa(f.Year), ""
	if first := firstRelease(f.Releases); first != "" {
		m.DateCreated, m.DatePublished = first, first
	}
	if f.RuntimeMinutes > 0 {
		m.Duration = "PT" + strconv.Itoa(f.RuntimeMinutes) + "M"
	}
	for _, c := range f.Countries {
		m.CountryOfOrigin = append(m.CountryOfOrigin, ldNamed{Type: "Country", Name: c})
	}
	for _, g := range v.Crew {
		switch g.Role {
		case film.RoleProducer:
			m.Producer = s.creditAgents(g.Credits)
		case film.RoleMusic:
			m.MusicBy = s.creditAgents(g.Credits)
		}
	}
	for _, c := range v.Studios {
		m.ProductionCompany = append(m.ProductionCompany, ldNamed{Type: "Organization", Name: c.Name})
	}
	for _, w := range f.Websites {
		if w.URL != "" {
			m.SameAs = append(m.SameAs, w.URL)
		}
	}
	// Only the ratings readers gave here, on the 1–10 scale they give
	// them, as the page shows them; none until someone has rated.
	if st := v.Ratings.Stats; st.Count > 0 {
		m.AggregateRating = &ldAggregateRating{Type: "AggregateRating",
			RatingValue: st.AverageRounded(), BestRating: 10, WorstRating: 1, RatingCount: st.Count}
	}
	for _, cr := range v.CriticReviews {
		if r, ok := s.reviewLD(cr.Review); ok {
			m.Review = append(m.Review, r)
		}
	}
	return m
}

// movieLanguage is a film's inLanguage: the BCP 47 tag of its title's
// language when the record has one (the language the film is in), or
// else the names of its languages as the page lists them.
func movieLanguage(titleLanguage string, languages []string) any {
	if titleLanguage != "" {
		return titleLanguage
	}
	if len(languages) > 0 {
		return languages
	}
	return nil
}

// firstRelease is the earliest of a film's release dates, as an ISO 8601
// date of the precision known ("2008-02-20", "2008-07"), or "".
func firstRelease(releases []film.Release) string {
	first := ""
	for _, r := range releases {
		if r.Date.Precision() == film.PrecisionNone {
			continue
		}
		// Partial ISO dates with four-digit years order as strings, a
		// shorter one first ("2008" before "2008-02-20").
		if d := string(r.Date); first == "" || d < first {
			first = d
		}
	}
	return first
}

// creditAgents are the people credited as Persons with their pages.
func (s *Server) creditAgents(credits []film.Credit) []ldAgent {
	out := make([]ldAgent, 0, len(credits))
	for _, c := range credits {
		out = append(out, ldAgent{Type: "Person", Name: c.PersonName, URL: s.absURL(paths.Person(c.PersonSlug))})
	}
	return out
}

// reviewLD is a critic review as a Review of the film it sits under.
// Only a rated review is one: a review without a rating cannot be a
// review snippet, so it is left out of the data (and stays on the page).
func (s *Server) reviewLD(r film.CriticReview) (ldReview, bool) {
	if r.Rating == nil {
		return ldReview{}, false
	}
	out := ldReview{
		Type: "Review",
		URL:  s.absURL(paths.CriticReview(r.Slug)),
		Name: r.Headline,
		// The Rating's bounds are the review's own scale: critics may
		// give anything from 0 to the top of it.
		ReviewRating:  &ldRating{Type: "Rating", RatingValue: r.Rating.Value, BestRating: float64(r.Rating.Scale), WorstRating: 0},
		Author:        s.reviewAuthor(r),
		Publisher:     s.reviewPublisher(r),
		DatePublished: r.PublishedAt.UTC().Format("2006-01-02"),
		InLanguage:    "en",
		ReviewBody:    s.reviewText(r.Body, r.PullQuote, r.Spoilers, 500),
	}
	if !r.UpdatedAt.IsZero() && r.UpdatedAt.After(r.PublishedAt) {
		out.DateModified = r.UpdatedAt.UTC().Format("2006-01-02")
	}
	return out, true
}

// reviewAuthor is a review's byline: the person in the catalogue who
// wrote it, with their page; the publication, when the byline is its
// staff ("Marquee staff"); or a person known by name.
func (s *Server) reviewAuthor(r film.CriticReview) ldAgent {
	switch {
	case r.AuthorSlug != "":
		return ldAgent{Type: "Person", Name: r.Author, URL: s.absURL(paths.Person(r.AuthorSlug))}
	case staffByline(r.Author):
		return s.reviewPublisher(r)
	}
	return ldAgent{Type: "Person", Name: r.Author}
}

// staffByline reports whether a byline names a publication's staff
// rather than a person.
func staffByline(author string) bool {
	a := strings.ToLower(strings.TrimSpace(author))
	return a == "staff" || strings.HasSuffix(a, " staff")
}

// reviewPublisher is the publication a review appeared in, or this site.
func (s *Server) reviewPublisher(r film.CriticReview) ldAgent {
	if r.Publication != "" && r.Publication != templates.SiteName {
		return ldAgent{Type: "Organization", Name: r.Publication}
	}
	return ldAgent{Type: "Organization", Name: templates.SiteName, URL: s.absURL(paths.Home())}
}

// criticReviewLD is a critic review page's Review, with the film it
// reviews. The film's image is the page's own share card, which shows the
// film's title and year (the film's card shows the readers' average, which
// this page does not read).
func (s *Server) criticReviewLD(v templates.CriticReviewPageView) (ldReview, bool) {
	r, ok := s.reviewLD(v.Review.Review)
	if !ok {
		return r, false
	}
	f := v.Film
	item := &ldMovie{
		Type: "Movie", URL: s.absURL(paths.Film(f.Slug)), Name: f.Title,
		Image: v.Meta.Share.Image.URL, DateCreated: strconv.Itoa(f.Year),
	}
	if f.OriginalTitle != "" && f.OriginalTitle != f.Title {
		item.AlternateName = f.OriginalTitle
	}
	for _, d := range f.Directors {
		item.Director = append(item.Director, ldAgent{Type: "Person", Name: d})
	}
	r.Context, r.ItemReviewed = schemaContext, item
	return r, true
}

// personLD is a person page's Person and their films, each film a Movie
// that names the person, by reference, in the property of their role.
func (s *Server) personLD(v templates.PersonView) ldGraph {
	id := v.Meta.Canonical + "#person"
	g := ldGraph{Context: schemaContext}
	g.Graph = append(g.Graph, ldPerson{
		Type: "Person", ID: id, URL: v.Meta.Canonical, Name: v.Person.Name,
		AlternateName: v.Person.AlsoKnownAs, Description: v.Meta.Description,
		BirthDate: string(v.Person.BirthDate), BirthPlace: ldPlace(v.Person.BirthPlace),
		DeathDate: string(v.Person.DeathDate), DeathPlace: ldPlace(v.Person.DeathPlace),
	})
	movies := map[string]*ldMovie{}
	var order []string
	ref := []ldAgent{{ID: id}}
	for _, group := range v.Groups {
		for _, c := range group.Credits {
			m, ok := movies[c.Film.Slug]
			if !ok {
				m = &ldMovie{Type: "Movie", URL: s.absURL(paths.Film(c.Film.Slug)), Name: c.Film.Title, DateCreated: strconv.Itoa(c.Film.Year)}
				movies[c.Film.Slug] = m
				order = append(order, c.Film.Slug)
			}
			switch group.Role {
			case film.RoleDirector:
				m.Director = ref
			case film.RoleWriter:
				m.Author = ref
			case film.RoleProducer:
				m.Producer = ref
			case film.RoleCast:
				m.Actor = ref
			case film.RoleMusic:
				m.MusicBy = ref
			default:
				m.Contributor = ref
			}
		}
	}
	for _, slug := range order {
		g.Graph = append(g.Graph, movies[slug])
	}
	return g
}

// filmListLD is a list of films as an ItemList of their pages, in the
// order shown: the summary-page form of a film carousel.
func (s *Server) filmListLD(name string, slugs []string) ldItemList {
	l := ldItemList{Context: schemaContext, Type: "ItemList", Name: name, ItemListElement: []ldListItem{}}
	for i, slug := range slugs {
		l.ItemListElement = append(l.ItemListElement, ldListItem{Type: "ListItem", Position: i + 1, URL: s.absURL(paths.Film(slug))})
	}
	return l
}

// breadcrumbLD is a page's breadcrumb trail as a BreadcrumbList.
func (s *Server) breadcrumbLD(trail []templates.Crumb) ldItemList {
	l := ldItemList{Context: schemaContext, Type: "BreadcrumbList"}
	for i, c := range trail {
		l.ItemListElement = append(l.ItemListElement, ldListItem{Type: "ListItem", Position: i + 1, Name: c.Label(), Item: s.absURL(c.Path)})
	}
	return l
}

// webSiteLD names the site, for the home page.
func (s *Server) webSiteLD() ldWebSite {
	return ldWebSite{Context: schemaContext, Type: "WebSite", Name: templates.SiteName, URL: s.absURL(paths.Home())}
}

// withBreadcrumbs adds a page's trail to its structured data.
func (s *Server) withBreadcrumbs(docs []any, trail []templates.Crumb) []any {
	if len(trail) == 0 {
		return docs
	}
	return append(docs, s.breadcrumbLD(trail))
}

// homeLD is the front page's data: the site's name, and each list of
// films it shows.
func (s *Server) homeLD(v templates.HomeView) []any {
	trending := make([]film.Summary, len(v.Trending))
	for i, t := range v.Trending {
		trending[i] = t.Film.Summary
	}
	docs := []any{s.webSiteLD()}
	for _, l := range []struct {
		name  string
		films []film.Summary
	}{
		{"Recently reviewed", listedSummaries(v.RecentlyReviewed)},
		{"Highest rated", listedSummaries(v.TopRated)},
		{"Readers are rating now", trending},
	} {
		if len(l.films) > 0 {
			docs = append(docs, s.filmListLD(l.name, slugsOf(l.films)))
		}
	}
	return docs
}

// slugsOf lists films' slugs in order.
func slugsOf(films []film.Summary) []string {
	out := make([]string, len(films))
	for i, f := range films {
		out[i] = f.Slug
	}
	return out
}
