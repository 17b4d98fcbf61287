package web

import (
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"marquee/internal/film"
	"marquee/internal/paths"
)

// maxFormBytes bounds every form a reader posts. It is generous (a review
// body is limited to far fewer characters) so that an over-long review
// comes back with a field message and its text kept, while anything larger
// is refused with 413 before it is read.
const maxFormBytes = 2 << 20

// Handler returns the whole site: every URL Marquee answers is listed here,
// with the page cache in front of it.
//
// The proxy check and HSTS stand outside the page cache so that they see
// every request, cached or not: whether a request came over TLS is the
// request's, never part of a page shared by every reader.
func (s *Server) Handler() http.Handler {
	return s.detectProxy(s.strictTransport(s.pages.Wrap(s.router())))
}

// router builds the site's routes. Each pattern comes from package paths,
// beside the builder that writes its URLs.
func (s *Server) router() chi.Router {
	r := chi.NewRouter()

	// Outermost first: log every request (with an ID), turn panics into
	// 500 pages, set security headers, send addresses ending in a slash to
	// the one without it, refuse cross-origin form posts (Go's
	// CrossOriginProtection checks Sec-Fetch-Site and Origin), bound
	// request bodies, clean control characters out of every query and
	// form value, and answer HEAD like GET.
	r.Use(s.logRequests)
	r.Use(s.recoverPanics)
	r.Use(securityHeaders)
	r.Use(trailingSlashes)
	r.Use(s.crossOriginProtection)
	r.Use(s.freshReads) // read-your-writes with read replicas
	r.Use(limitBodies)
	r.Use(s.cleanText)
	r.Use(middleware.GetHead)

	r.NotFound(s.handle(s.serveNotFound))
	r.MethodNotAllowed(s.handle(s.allowedMethods(r)))

	// Operations.
	r.Get(paths.HealthPattern, s.serveHealth)
	r.Get(paths.MetricsPattern, s.serveMetrics)

	// Content-hashed assets, cached for a year.
	r.Get(paths.StaticPattern, s.serveAsset)

	// Public pages.
	r.Get(paths.HomePattern, s.handle(s.serveHome))
	r.Get(paths.FilmPattern, s.handle(s.serveFilm))
	r.Get(paths.PersonPattern, s.handle(s.servePerson))
	r.Get(paths.FilmsPattern, s.handle(s.serveFilms))
	r.Get(paths.YearPattern, s.handle(s.serveYear))
	r.Get(paths.CompanyPattern, s.handle(s.serveCompany))
	r.Get(paths.CriticReviewPattern, s.handle(s.serveCriticReview))

	// Share cards: the PNG images link previews show, named by a hash of
	// their content and cached for good (see cards.go).
	r.Get(paths.FilmCardPattern, s.handle(s.serveFilmCard))
	r.Get(paths.PersonCardPattern, s.handle(s.servePersonCard))
	r.Get(paths.CriticReviewCardPattern, s.handle(s.serveCriticReviewCard))

	// Pictures: uploaded renditions by content hash, and the posters drawn
	// for films without one (see images.go); both cached for good.
	r.Get(paths.ImagePattern, s.handle(s.serveImage))
	r.Get(paths.GeneratedPosterPattern, s.handle(s.serveGeneratedPoster))

	// Crawlers and feed readers (see crawl.go).
	r.Get(paths.RobotsPattern, s.handle(s.serveRobots))
	r.Get(paths.SitemapPattern, s.handle(s.serveSitemap(sitemapURLLimit)))
	r.Get(paths.SitemapPartPattern, s.handle(s.serveSitemapPart(sitemapURLLimit)))
	r.Get(paths.FeedPattern, s.handle(s.serveFeed))
	r.Get(paths.FilmFeedPattern, s.handle(s.serveFilmFeed))

	// Search.
	r.Get(paths.SearchPattern, s.handle(s.serveSearch))
	r.Get(paths.SearchSuggestPattern, s.handle(s.serveSearchSuggest))

	// Reader ratings and reviews.
	r.Post(paths.FilmRatingPattern, s.handle(s.rateFilm))
	r.Get(paths.FilmReviewsPattern, s.handle(s.serveReaderReviews))
	r.Get(paths.FilmReviewFormPattern, s.handle(s.serveReviewForm))
	r.Post(paths.FilmReviewsPattern, s.handle(s.submitReaderReview))
	r.Get(paths.FilmReviewSubmittedPattern, s.handle(s.serveReviewSubmitted))
	r.Post(paths.ReaderReviewHelpfulPattern, s.handle(s.voteHelpful))

	// Editors' desk: accounts and moderation. Every page but sign-in needs
	// an account, and each checks its role on the server; none is cached.
	uploads := newUploadGate(2)
	r.Route(paths.AdminPattern, func(r chi.Router) {
		r.Use(s.loadSession)
		r.Get(desk(paths.AdminSignInPattern), s.handle(s.serveSignIn))
		r.Post(desk(paths.AdminSignInPattern), s.handle(s.submitSignIn))
		r.Group(func(r chi.Router) {
			r.Use(s.requireRole(film.RoleContributor))
			r.Get(desk(paths.AdminDashboardPattern), s.handle(s.serveDashboard))
			r.Post(desk(paths.AdminSignOutPattern), s.handle(s.signOut))

			editors := r.With(s.requireRole(film.RoleEditor))
			editors.Get(desk(paths.AdminModerationPattern), s.handle(s.serveModeration))
			editors.Post(desk(paths.AdminModerationPattern), s.handle(s.moderate))
			editors.Get(desk(paths.AdminAuditPattern), s.handle(s.serveAudit))
			editors.Get(desk(paths.AdminBurstsPattern), s.handle(s.serveBursts))
			editors.Post(desk(paths.AdminBurstReleasePattern), s.handle(s.settleBurst(true)))
			editors.Post(desk(paths.AdminBurstDiscardPattern), s.handle(s.settleBurst(false)))

			admins := r.With(s.requireRole(film.RoleAdmin))
			admins.Get(desk(paths.AdminUsersPattern), s.handle(s.serveUsers))
			admins.Post(desk(paths.AdminUsersPattern), s.handle(s.addUser))
			admins.Post(desk(paths.AdminUserDisablePattern), s.handle(s.setUserDisabled(true)))
			admins.Post(desk(paths.AdminUserEnablePattern), s.handle(s.setUserDisabled(false)))
			admins.Post(desk(paths.AdminUserPasswordPattern), s.handle(s.resetUserPassword))

			// Review editor and catalogue. Contributors write and submit
			// their own reviews (the handlers check ownership and who may
			// publish); the catalogue is for editors.
			r.Get(desk(paths.AdminReviewsPattern), s.handle(s.serveAdminReviews))
			r.Get(desk(paths.AdminReviewNewPattern), s.handle(s.serveNewReview))
			r.Post(desk(paths.AdminReviewsPattern), s.handle(s.createReview))
			r.Get(desk(paths.AdminReviewPattern), s.handle(s.serveEditReview))
			r.Post(desk(paths.AdminReviewPattern), s.handle(s.updateReview))
			r.Get(desk(paths.AdminReviewHistoryPattern), s.handle(s.serveReviewHistory))
			r.Post(desk(paths.AdminRestoreRevisionPattern), s.handle(s.restoreRevision))
			r.Post(desk(paths.AdminPreviewPattern), s.handle(s.servePreview))
			r.Get(desk(paths.AdminFilmSuggestPattern), s.handle(s.serveFilmSuggestions))
			editors.Get(desk(paths.AdminFilmsPattern), s.handle(s.serveAdminFilms))
			editors.Get(desk(paths.AdminFilmNewPattern), s.handle(s.serveNewFilm))
			editors.Post(desk(paths.AdminFilmsPattern), s.handle(s.saveFilm))
			editors.Get(desk(paths.AdminFilmEditPattern), s.handle(s.serveEditFilm))
			editors.Post(desk(paths.AdminFilmEditPattern), s.handle(s.saveFilm))
			editors.Get(desk(paths.AdminPeoplePattern), s.handle(s.serveAdminPeople))
			editors.Get(desk(paths.AdminPersonNewPattern), s.handle(s.serveNewPerson))
			editors.Post(desk(paths.AdminPeoplePattern), s.handle(s.savePerson))
			editors.Get(desk(paths.AdminPersonEditPattern), s.handle(s.serveEditPerson))
			editors.Post(desk(paths.AdminPersonEditPattern), s.handle(s.savePerson))
			editors.Get(desk(paths.AdminFilmPicturesPattern), s.handle(s.servePictures(film.OwnerFilm)))
			editors.Post(desk(paths.AdminFilmPicturesPattern), s.handle(s.uploadPicture(film.OwnerFilm, uploads)))
			editors.Post(desk(paths.AdminFilmPicturePattern), s.handle(s.changePicture(film.OwnerFilm)))
			editors.Get(desk(paths.AdminPersonPicturesPattern), s.handle(s.servePictures(film.OwnerPerson)))
			editors.Post(desk(paths.AdminPersonPicturesPattern), s.handle(s.uploadPicture(film.OwnerPerson, uploads)))
			editors.Post(desk(paths.AdminPersonPicturePattern), s.handle(s.changePicture(film.OwnerPerson)))
		})
	})

	return r
}

// desk is a desk route's pattern as the router mounted at
// paths.AdminPattern registers it: the rest of the path after that prefix.
func desk(pattern string) string {
	rest, ok := strings.CutPrefix(pattern, paths.AdminPattern)
	if !ok {
		panic("web: desk route " + pattern + " is not under " + paths.AdminPattern)
	}
	return rest
}
