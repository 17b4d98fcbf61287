package web

import (
	"net/http"
	"strconv"

	"marquee/internal/film"
	"marquee/templates"
)

// homeFilmLimit caps the home page's list until the film index has pages.
const homeFilmLimit = 100

// serveHome lists the films.
func (s *Server) serveHome(w http.ResponseWriter, r *http.Request) error {
	films, err := s.db.FindFilms(r.Context(), homeFilmLimit)
	if err != nil {
		return err
	}
	v := templates.HomeView{
		Meta:  s.meta("Films", "Films, critic reviews and reader reviews on Marquee.", "/"),
		Films: films,
	}
	return s.render(w, r, http.StatusOK, templates.HomePage(v))
}

// serveFilm shows a film's page with its published critic reviews and
// approved reader reviews.
func (s *Server) serveFilm(w http.ResponseWriter, r *http.Request) error {
	slug := r.PathValue("slug")
	if !film.ValidSlug(slug) {
		return film.ErrNotFound
	}
	ctx := r.Context()
	f, err := s.db.FindFilm(ctx, slug)
	if err != nil {
		return err
	}
	critics, err := s.db.PublishedCriticReviews(ctx, f.ID, s.now())
	if err != nil {
		return err
	}
	criticViews := make([]templates.CriticReviewView, len(critics))
	for i, c := range critics {
		body, err := s.markdown.Render(c.Body)
		if err != nil {
			return err
		}
		criticViews[i] = templates.CriticReviewView{Review: c, BodyHTML: body}
	}
	readers, err := s.db.ApprovedReaderReviews(ctx, f.ID)
	if err != nil {
		return err
	}
	meta := s.meta(filmPageTitle(f), f.Synopsis, "/films/"+f.Slug)
	return s.render(w, r, http.StatusOK, templates.FilmPage(templates.NewFilmView(meta, f, criticViews, readers)))
}

// filmPageTitle is a film's title with its year, as film sites write it.
func filmPageTitle(f film.Film) string {
	return f.Title + " (" + strconv.Itoa(f.Year) + ")"
}

// servePerson shows a person's filmography.
func (s *Server) servePerson(w http.ResponseWriter, r *http.Request) error {
	slug := r.PathValue("slug")
	if !film.ValidSlug(slug) {
		return film.ErrNotFound
	}
	p, credits, err := s.db.FindPerson(r.Context(), slug)
	if err != nil {
		return err
	}
	meta := s.meta(p.Name, "Films of "+p.Name+" on Marquee.", "/people/"+p.Slug)
	return s.render(w, r, http.StatusOK, templates.PersonPage(templates.NewPersonView(meta, p, credits)))
}
