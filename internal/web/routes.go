package web

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
)

// maxFormBytes bounds every form a reader posts. It is generous (a review
// body is limited to far fewer characters) so that an over-long review
// comes back with a field message and its text kept, while anything larger
// is refused with 413 before it is read.
const maxFormBytes = 2 << 20

// Handler returns the whole site: every URL Marquee answers is listed here.
func (s *Server) Handler() http.Handler {
	r := chi.NewRouter()

	// Outermost first: log every request (with an ID), turn panics into
	// 500 pages, set security headers, refuse cross-origin form posts
	// (Go's CrossOriginProtection checks Sec-Fetch-Site and Origin), bound
	// request bodies, and answer HEAD like GET.
	r.Use(s.logRequests)
	r.Use(s.recoverPanics)
	r.Use(securityHeaders)
	r.Use(s.crossOriginProtection)
	r.Use(limitBody(maxFormBytes))
	r.Use(middleware.GetHead)

	r.NotFound(s.handle(s.serveNotFound))
	r.MethodNotAllowed(s.handle(s.allowedMethods(r)))

	// Operations.
	r.Get("/healthz", s.serveHealth)

	// Content-hashed assets, cached for a year.
	r.Get("/static/{name}", s.serveAsset)

	// Public pages.
	r.Get("/", s.handle(s.serveHome))
	r.Get("/films/{slug}", s.handle(s.serveFilm))
	r.Get("/people/{slug}", s.handle(s.servePerson))
	r.Get("/films", s.handle(s.serveFilms))
	r.Get("/years/{year}", s.handle(s.serveYear))
	r.Get("/companies/{slug}", s.handle(s.serveCompany))
	r.Get("/reviews/{slug}", s.handle(s.serveCriticReview))

	// Reader ratings and reviews.
	r.Post("/films/{slug}/rating", s.handle(s.rateFilm))
	r.Get("/films/{slug}/reviews", s.handle(s.serveReaderReviews))
	r.Get("/films/{slug}/reviews/new", s.handle(s.serveReviewForm))
	r.Post("/films/{slug}/reviews", s.handle(s.submitReaderReview))
	r.Get("/films/{slug}/reviews/submitted", s.handle(s.serveReviewSubmitted))
	r.Post("/reader-reviews/{id}/helpful", s.handle(s.voteHelpful))

	return r
}
