package web

import (
	"net/http"
	"strconv"

	"marquee/internal/film"
	"marquee/templates"
)

// homeListLength is how many items each home page section lists.
const homeListLength = 6

// serveHome is the front page.
func (s *Server) serveHome(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	latest, err := s.db.LatestCriticReviews(ctx, s.now(), homeListLength)
	if err != nil {
		return err
	}
	recent, err := s.db.FindFilmsPage(ctx, film.FilmFilter{Sort: film.SortRecent, Limit: homeListLength})
	if err != nil {
		return err
	}
	// Films never reviewed sort last; they are not "recently reviewed".
	reviewed := recent.Films[:0:0]
	for _, f := range recent.Films {
		if !f.LastReviewAt.IsZero() {
			reviewed = append(reviewed, f)
		}
	}
	top, err := s.db.TopRatedFilms(ctx, homeListLength)
	if err != nil {
		return err
	}
	trending, err := s.db.TrendingFilms(ctx, s.now(), homeListLength)
	if err != nil {
		return err
	}
	v := templates.HomeView{
		Meta:          s.meta("", "Film reviews, reader ratings and the full record of every film on Marquee.", "/"),
		LatestReviews: latest, RecentlyReviewed: reviewed, TopRated: top, Trending: trending, FilmCount: recent.Total,
	}
	return s.render(w, r, http.StatusOK, templates.HomePage(v))
}

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
	ctx := r.Context()
	f, err := s.db.FindFilm(ctx, slug)
	if err != nil {
		return s.followMovedSlug(w, r, film.RedirectFilm, "/films/", slug, err)
	}
	critics, err := s.db.PublishedCriticReviews(ctx, f.ID, s.now())
	if err != nil {
		return err
	}
	criticViews := make([]templates.CriticReviewView, len(critics))
	for i, c := range critics {
		if criticViews[i], err = s.criticReviewView(c); err != nil {
			return err
		}
	}
	criticScore, err := s.db.CriticScore(ctx, f.ID, s.now())
	if err != nil {
		return err
	}
	readerPage, err := s.db.FindReaderReviews(ctx, film.ReaderReviewFilter{FilmID: f.ID, Sort: film.SortHelpful, Limit: filmPageReaderReviews})
	if err != nil {
		return err
	}
	readerViews, err := s.readerReviewViews(readerPage.Reviews)
	if err != nil {
		return err
	}
	stats, err := s.db.RatingStats(ctx, f.ID)
	if err != nil {
		return err
	}
	// A reader who has rated sees their own rating in the form; only then
	// does the page differ per reader, and it says so to caches.
	ratings := templates.RatingsView{FilmSlug: f.Slug, Stats: stats}
	if readerID, err := s.currentReader(ctx, r); err != nil {
		return err
	} else if readerID != 0 {
		if ratings.Yours, err = s.db.ReaderRating(ctx, f.ID, readerID); err != nil {
			return err
		}
		w.Header().Set("Cache-Control", "private, no-cache")
	}
	v := templates.NewFilmView(s.meta(filmPageTitle(f), f.Synopsis, "/films/"+f.Slug), f, criticViews, readerViews)
	v.CriticScore = criticScore
	v.ReaderReviewTotal = readerPage.Total
	v.Ratings = ratings
	v.ReviewForm = s.newReviewForm(film.Summary{ID: f.ID, Slug: f.Slug, Title: f.Title, Year: f.Year})
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
	p, credits, err := s.db.FindPerson(r.Context(), slug)
	if err != nil {
		return s.followMovedSlug(w, r, film.RedirectPerson, "/people/", slug, err)
	}
	reviews, err := s.db.CriticReviewsOfPersonsFilms(r.Context(), p.ID, s.now(), personReviewLimit)
	if err != nil {
		return err
	}
	meta := s.meta(p.Name, "Films of "+p.Name+" on Marquee.", "/people/"+p.Slug)
	v := templates.NewPersonView(meta, p, credits)
	v.Reviews = reviews
	return s.render(w, r, http.StatusOK, templates.PersonPage(v))
}
