package web

import (
	"net/http"
	"strconv"

	"marquee/internal/film"
	"marquee/internal/paths"
	"marquee/templates"
)

// homeListLength is how many items each home page section lists.
const homeListLength = 6

// serveHome is the front page.
func (s *Server) serveHome(w http.ResponseWriter, r *http.Request) error {
	p, err := s.db.HomePage(r.Context(), s.now(), homeListLength)
	if err != nil {
		return err
	}
	v := templates.HomeView{
		Meta:          s.meta("", homeDescription(p), paths.Home()),
		LatestReviews: p.LatestReviews, RecentlyReviewed: p.RecentlyReviewed, TopRated: p.TopRated, Trending: p.Trending, FilmCount: p.FilmCount,
		Posters: homePosters(p),
	}
	if v.Meta.StructuredData, err = encodeLD(s.homeLD(v)...); err != nil {
		return err
	}
	sharePage(w)
	return s.render(w, r, http.StatusOK, templates.HomePage(v))
}

// The widths, in CSS pixels, at which the film and person pages lay out
// their pictures (the stylesheet keeps to them): the header's poster, a
// still, a cast member's portrait, a person's portrait and a known-for
// film's poster.
const (
	headerPosterWidth   = 160
	stillWidth          = 480
	castPortraitWidth   = 72
	personPortraitWidth = 160
	knownForPosterWidth = 150
)

// filmPageReaderReviews is how many reader reviews the film page shows
// before linking to the full list.
const filmPageReaderReviews = 5

// serveFilm shows a film's page with its published critic reviews, the
// reader ratings and the most helpful approved reader reviews.
func (s *Server) serveFilm(w http.ResponseWriter, r *http.Request) error {
	slug, err := slugParam(r)
	if err != nil {
		return err
	}
	q := film.FilmPageQuery{Slug: slug, Now: s.now(), ReaderReviews: filmPageReaderReviews}
	if token := readerToken(r); token != "" {
		q.ReaderTokenHash = tokenHash(token)
	}
	p, err := s.db.FilmPage(r.Context(), q)
	if err != nil {
		return s.followMovedSlug(w, r, film.RedirectFilm, paths.Film, slug, err)
	}
	f := p.Film
	// The page shows excerpts of the reviews, never their bodies, so its
	// cost does not grow with their length.
	criticViews := make([]templates.CriticReviewView, len(p.CriticReviews))
	for i, c := range p.CriticReviews {
		criticViews[i] = templates.CriticReviewView{Review: c, Excerpt: s.criticExcerpt(c)}
	}
	readerViews := s.readerExcerpts(f.Slug, p.ReaderReviews.Reviews)
	// A reader the site knows sees their own rating in the form; only then
	// does the page differ per reader, and it says so to caches.
	ratings := s.ratingsView(f.Slug, p.Ratings, p.YourRating)
	if p.ReaderID != 0 {
		w.Header().Set("Cache-Control", "private, no-cache")
	}
	v := filmView(s.withFilmFeed(s.meta(filmPageTitle(f), "", paths.Film(f.Slug)), f.Slug, filmPageTitle(f)), f, criticViews, readerViews)
	v.CriticScore = p.CriticScore
	v.ReaderReviewTotal = p.ReaderReviews.Total
	v.Ratings = ratings
	v.Poster = filmPosterView(p, headerPosterWidth)
	v.Stills = stillViews(p, stillWidth)
	v.Portraits = make(map[string]templates.PortraitView, len(v.Cast))
	for _, c := range v.Cast {
		v.Portraits[c.PersonSlug] = castPortraitView(p, c, castPortraitWidth)
	}
	// The film page's form carries no token, so the page is the same bytes
	// for every reader; submitReaderReview asks its readers to confirm.
	v.ReviewForm = templates.ReviewForm{Live: s.live(), FilmSlug: f.Slug, RatingText: ratingFormValue(p.YourRating)}
	summary := filmSummary(f, v.Directors)
	v.Meta.Description = filmDescription(summary)
	v.Meta.Share = templates.Share{Type: "video.movie", Image: s.filmShareImage(p, summary)}
	v.Meta.Breadcrumbs = []templates.Crumb{filmsCrumb(), filmCrumb(summary)}
	if v.Meta.StructuredData, err = encodeLD(s.withBreadcrumbs([]any{s.filmLD(v)}, v.Meta.Breadcrumbs)...); err != nil {
		return err
	}
	sharePage(w)
	return s.render(w, r, http.StatusOK, templates.FilmPage(v))
}

// filmPageTitle is a film's title with its year, as film sites write it.
func filmPageTitle(f film.Film) string {
	return f.Title + " (" + strconv.Itoa(f.Year) + ")"
}

// personReviewLimit is how many reviews of a person's films their page
// lists.
const personReviewLimit = 10

// servePerson shows a person's filmography.
func (s *Server) servePerson(w http.ResponseWriter, r *http.Request) error {
	slug, err := slugParam(r)
	if err != nil {
		return err
	}
	page, err := s.db.PersonPage(r.Context(), slug, s.now(), personReviewLimit)
	if err != nil {
		return s.followMovedSlug(w, r, film.RedirectPerson, paths.Person, slug, err)
	}
	p := page.Person
	v := personView(s.meta(p.Name, "", paths.Person(p.Slug)), p, page.Credits)
	v.Reviews = page.Reviews
	v.KnownFor = page.KnownFor
	v.Portrait = portraitView(p.Name, page.Portrait, personPortraitWidth, true)
	// Each known-for poster is printed beside its title, so it is
	// decorative (alt="").
	v.Posters = make(map[int64]templates.PictureView, len(page.KnownFor))
	for _, k := range page.KnownFor {
		poster := posterView(k.Film, knownForPosterWidth)
		poster.Alt = ""
		v.Posters[k.Film.ID] = poster
	}
	if p.Biography != "" {
		if v.Biography, err = s.markdown.RenderReader(p.Biography); err != nil {
			return err
		}
	}
	v.Meta.Description = personDescription(v)
	v.Meta.Share = templates.Share{Type: "profile", Image: s.personShareImage(page)}
	if v.Meta.StructuredData, err = encodeLD(s.personLD(v)); err != nil {
		return err
	}
	sharePage(w)
	return s.render(w, r, http.StatusOK, templates.PersonPage(v))
}
