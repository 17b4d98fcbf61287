package web

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
)

// Handler returns the whole site: every URL Marquee answers is listed here.
func (s *Server) Handler() http.Handler {
	r := chi.NewRouter()

	// Outermost first: log every request (with an ID), turn panics into
	// 500 pages, set security headers, and answer HEAD like GET.
	r.Use(s.logRequests)
	r.Use(s.recoverPanics)
	r.Use(securityHeaders)
	r.Use(middleware.GetHead)

	r.NotFound(s.handle(s.serveNotFound))
	r.MethodNotAllowed(s.handle(s.serveMethodNotAllowed))

	// Operations.
	r.Get("/healthz", s.serveHealth)

	// Content-hashed assets, cached for a year.
	r.Get("/static/{name}", s.serveAsset)

	// Public pages.
	r.Get("/", s.handle(s.serveHome))
	r.Get("/films/{slug}", s.handle(s.serveFilm))
	r.Get("/people/{slug}", s.handle(s.servePerson))

	return r
}
