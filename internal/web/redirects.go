package web

import (
	"errors"
	"net/http"

	"marquee/internal/film"
)

// followMovedSlug answers a request for a public record that was not found
// under slug (err is film.ErrNotFound) with a permanent redirect when the
// record has moved to another slug, to the address path builds for that
// slug, keeping the query. It returns err unchanged when there is nowhere
// to go, so the caller's 404 stands.
//
// The redirect is cached for a day rather than forever: a slug given up
// may one day be taken by another record, and browsers keep permanent
// redirects without a lifetime for as long as they like.
func (s *Server) followMovedSlug(w http.ResponseWriter, r *http.Request, kind film.RedirectKind, path func(slug string) string, slug string, err error) error {
	if !errors.Is(err, film.ErrNotFound) {
		return err
	}
	target, lookupErr := s.db.FindSlugRedirect(r.Context(), kind, slug, s.now())
	if errors.Is(lookupErr, film.ErrNotFound) {
		return err
	}
	if lookupErr != nil {
		return lookupErr
	}
	to := path(target)
	if r.URL.RawQuery != "" {
		to += "?" + r.URL.RawQuery
	}
	w.Header().Set("Cache-Control", "public, max-age=86400")
	http.Redirect(w, r, to, http.StatusMovedPermanently)
	return nil
}
