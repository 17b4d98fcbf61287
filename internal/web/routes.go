package web

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"marquee/internal/film"
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

	// Search.
	r.Get("/search", s.handle(s.serveSearch))
	r.Get("/search/suggest", s.handle(s.serveSearchSuggest))

	// Reader ratings and reviews.
	r.Post("/films/{slug}/rating", s.handle(s.rateFilm))
	r.Get("/films/{slug}/reviews", s.handle(s.serveReaderReviews))
	r.Get("/films/{slug}/reviews/new", s.handle(s.serveReviewForm))
	r.Post("/films/{slug}/reviews", s.handle(s.submitReaderReview))
	r.Get("/films/{slug}/reviews/submitted", s.handle(s.serveReviewSubmitted))
	r.Post("/reader-reviews/{id}/helpful", s.handle(s.voteHelpful))

	// Editors' desk: accounts and moderation. Every page but sign-in needs
	// an account, and each checks its role on the server; none is cached.
	r.Route("/admin", func(r chi.Router) {
		r.Use(s.loadSession)
		r.Get("/signin", s.handle(s.serveSignIn))
		r.Post("/signin", s.handle(s.submitSignIn))
		r.Group(func(r chi.Router) {
			r.Use(s.requireRole(film.RoleContributor))
			r.Get("/", s.handle(s.serveDashboard))
			r.Post("/signout", s.handle(s.signOut))

			editors := r.With(s.requireRole(film.RoleEditor))
			editors.Get("/moderation", s.handle(s.serveModeration))
			editors.Post("/moderation", s.handle(s.moderate))
			editors.Get("/audit", s.handle(s.serveAudit))

			admins := r.With(s.requireRole(film.RoleAdmin))
			admins.Get("/users", s.handle(s.serveUsers))
			admins.Post("/users", s.handle(s.addUser))
			admins.Post("/users/{id}/disable", s.handle(s.setUserDisabled(true)))
			admins.Post("/users/{id}/enable", s.handle(s.setUserDisabled(false)))
			admins.Post("/users/{id}/password", s.handle(s.resetUserPassword))

			// Review editor and catalogue (helper B). Contributors write
			// and submit their own reviews (the handlers check ownership
			// and who may publish); the catalogue is for editors.
			r.Get("/reviews", s.handle(s.serveAdminReviews))
			r.Get("/reviews/new", s.handle(s.serveNewReview))
			r.Post("/reviews", s.handle(s.createReview))
			r.Get("/reviews/{id}", s.handle(s.serveEditReview))
			r.Post("/reviews/{id}", s.handle(s.updateReview))
			r.Get("/reviews/{id}/history", s.handle(s.serveReviewHistory))
			r.Post("/reviews/{id}/history/{number}/restore", s.handle(s.restoreRevision))
			r.Post("/preview", s.handle(s.servePreview))
			editors.Get("/films", s.handle(s.serveAdminFilms))
			editors.Get("/films/new", s.handle(s.serveNewFilm))
			editors.Post("/films", s.handle(s.saveFilm))
			editors.Get("/films/{slug}/edit", s.handle(s.serveEditFilm))
			editors.Post("/films/{slug}/edit", s.handle(s.saveFilm))
			editors.Get("/people", s.handle(s.serveAdminPeople))
			editors.Get("/people/new", s.handle(s.serveNewPerson))
			editors.Post("/people", s.handle(s.savePerson))
			editors.Get("/people/{slug}/edit", s.handle(s.serveEditPerson))
			editors.Post("/people/{slug}/edit", s.handle(s.savePerson))
		})
	})

	return r
}
