package web

import (
	"context"
	"errors"
	"log/slog"
	"math"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"marquee/internal/film"
	"marquee/templates"
)

// handlerFunc is a page handler that returns its failure instead of writing
// it, so that every failure becomes the right error page in one place.
type handlerFunc func(http.ResponseWriter, *http.Request) error

// errMethodNotAllowed is returned for a known path asked for with a method
// it does not take.
var errMethodNotAllowed = errors.New("method not allowed")

// statusError is a failure the reader caused and can be told about: a bad
// parameter (400), a body too large (413), too many requests (429).
type statusError struct {
	status     int
	heading    string
	message    string
	retryAfter time.Duration
}

func (e *statusError) Error() string { return e.heading + ": " + e.message }

// badRequest is a 400 error with a message for the reader.
func badRequest(message string) error {
	return &statusError{status: http.StatusBadRequest, heading: "Bad request", message: message}
}

// tooManyRequests is a 429 error telling the reader when to try again.
func tooManyRequests(retryAfter time.Duration, message string) error {
	return &statusError{status: http.StatusTooManyRequests, heading: "Too many requests", message: message, retryAfter: retryAfter}
}

// retryAfterSeconds writes a Retry-After value: whole seconds, at least 1.
func retryAfterSeconds(d time.Duration) string {
	return strconv.Itoa(max(1, int(math.Ceil(d.Seconds()))))
}

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
// 405 for a wrong method, 503 when the store refuses writes (damaged or
// full storage), and for anything else a 500 page that says only
// that something went wrong, while the error itself is logged once, here,
// with the request's attributes.
func (s *Server) serveError(w http.ResponseWriter, r *http.Request, err error) {
	if r.Context().Err() != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)) {
		// The client went away before the answer was ready: nothing went
		// wrong on this side, and there is no one to send a page to. The
		// request log records it as 499, the client's doing.
		return
	}
	v := templates.ErrorView{
		Status:  http.StatusInternalServerError,
		Heading: "Something went wrong",
		Message: "We could not show this page. The problem has been logged; please try again in a moment.",
	}
	var se *statusError
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &se):
		v.Status, v.Heading, v.Message = se.status, se.heading, se.message
		if se.retryAfter > 0 {
			w.Header().Set("Retry-After", retryAfterSeconds(se.retryAfter))
		}
	case errors.As(err, &tooLarge):
		v.Status, v.Heading = http.StatusRequestEntityTooLarge, "Too large"
		v.Message = "What you sent is larger than this site accepts."
	case errors.Is(err, os.ErrDeadlineExceeded):
		// The connection's read deadline passed while the request was
		// still arriving: the client was too slow, which is its fault,
		// not the site's (logged at INFO, not as an error).
		s.log.LogAttrs(r.Context(), slog.LevelInfo, "request body not received in time",
			slog.String("request_id", requestID(r.Context())), slog.String("path", r.URL.Path),
			slog.String("remote", r.RemoteAddr))
		v.Status, v.Heading = http.StatusRequestTimeout, "Request timeout"
		v.Message = "What you sent took too long to arrive, so it was not received. Please try again."
		w.Header().Set("Connection", "close")
		// The server cancelled the request's context when the read
		// failed; the answer is still due.
		r = r.WithContext(context.WithoutCancel(r.Context()))
	case errors.Is(err, film.ErrNotFound):
		v.Status, v.Heading = http.StatusNotFound, "Page not found"
		v.Message = "There is no page at this address. It may have moved, or the address may be mistyped."
	case errors.Is(err, film.ErrCorrupt):
		// Logged, since someone must restore the site; the reader is told
		// only that nothing can be saved now.
		s.log.LogAttrs(r.Context(), slog.LevelError, "write refused: database damaged",
			slog.String("request_id", requestID(r.Context())), slog.String("path", r.URL.Path), slog.String("error", err.Error()))
		v.Status, v.Heading = http.StatusServiceUnavailable, "Temporarily unavailable"
		v.Message = "This cannot be shown or saved at the moment because of a problem with the site's storage. Other pages can still be read; please try again later."
		w.Header().Set("Retry-After", "3600")
	case errors.Is(err, film.ErrFull):
		s.log.LogAttrs(r.Context(), slog.LevelError, "write refused: storage full",
			slog.String("request_id", requestID(r.Context())), slog.String("path", r.URL.Path), slog.String("error", err.Error()))
		v.Status, v.Heading = http.StatusServiceUnavailable, "Temporarily unavailable"
		v.Message = "The site cannot save anything at the moment because its storage is full. Nothing you sent was saved; pages can still be read. Please try again later."
		w.Header().Set("Retry-After", "600")
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

// allowedMethods answers a 405 with the methods the path does take, found
// by asking the router, and the error page.
func (s *Server) allowedMethods(router *chi.Mux) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var allowed []string
		for _, m := range []string{http.MethodGet, http.MethodHead, http.MethodPost} {
			if router.Match(chi.NewRouteContext(), m, r.URL.Path) {
				allowed = append(allowed, m)
			}
		}
		w.Header().Set("Allow", strings.Join(allowed, ", "))
		return errMethodNotAllowed
	}
}

// formError classifies a failure to read a posted form: a body over the
// limit stays an *http.MaxBytesError (413), a body that did not arrive
// within the server's read timeout stays os.ErrDeadlineExceeded (408);
// anything else is a 400.
func formError(err error) error {
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) || errors.Is(err, os.ErrDeadlineExceeded) {
		return err
	}
	return badRequest("The form could not be read. Please go back and send it again.")
}

// slugParam returns the {slug} of the request's path, or film.ErrNotFound
// when it is not a slug at all, so no lookup is made for it.
func slugParam(r *http.Request) (string, error) {
	slug := r.PathValue("slug")
	if !film.ValidSlug(slug) {
		return "", film.ErrNotFound
	}
	return slug, nil
}
