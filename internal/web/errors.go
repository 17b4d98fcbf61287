package web

import (
	"errors"
	"log/slog"
	"net/http"

	"marquee/internal/film"
	"marquee/templates"
)

// handlerFunc is a page handler that returns its failure instead of writing
// it, so that every failure becomes the right error page in one place.
type handlerFunc func(http.ResponseWriter, *http.Request) error

// errMethodNotAllowed is returned for a known path asked for with a method
// it does not take.
var errMethodNotAllowed = errors.New("method not allowed")

// handle adapts a page handler: a nil error means the handler wrote the
// response; otherwise serveError writes the error page.
func (s *Server) handle(h handlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.serveError(w, r, err)
		}
	}
}

// serveError writes the page for err: 404 for records that do not exist,
// 405 for a wrong method, and for anything else a 500 page that says only
// that something went wrong, while the error itself is logged once, here,
// with the request's attributes.
func (s *Server) serveError(w http.ResponseWriter, r *http.Request, err error) {
	v := templates.ErrorView{
		Status:  http.StatusInternalServerError,
		Heading: "Something went wrong",
		Message: "We could not show this page. The problem has been logged; please try again in a moment.",
	}
	switch {
	case errors.Is(err, film.ErrNotFound):
		v.Status, v.Heading = http.StatusNotFound, "Page not found"
		v.Message = "There is no page at this address. It may have moved, or the address may be mistyped."
	case errors.Is(err, errMethodNotAllowed):
		v.Status, v.Heading = http.StatusMethodNotAllowed, "Method not allowed"
		v.Message = "This address cannot be used that way."
	default:
		s.log.LogAttrs(r.Context(), slog.LevelError, "request failed",
			slog.String("request_id", requestID(r.Context())),
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.String("error", err.Error()))
	}
	v.Meta = s.meta(v.Heading, "", "")
	w.Header().Set("Cache-Control", "no-store")
	if renderErr := s.render(w, r, v.Status, templates.ErrorPage(v)); renderErr != nil {
		// The error page itself failed: fall back to plain text.
		s.log.LogAttrs(r.Context(), slog.LevelError, "error page failed",
			slog.String("request_id", requestID(r.Context())), slog.String("error", renderErr.Error()))
		http.Error(w, "Something went wrong.", http.StatusInternalServerError)
	}
}

func (s *Server) serveNotFound(http.ResponseWriter, *http.Request) error { return film.ErrNotFound }

func (s *Server) serveMethodNotAllowed(w http.ResponseWriter, _ *http.Request) error {
	w.Header().Set("Allow", "GET, HEAD")
	return errMethodNotAllowed
}
