package web

import (
	"net/http"
	"net/url"
	"strconv"

	"marquee/internal/film"
	"marquee/internal/paths"
	"marquee/templates"
)

// serveBursts lists the ratings and helpful votes the stuffing defence
// holds back (see rateFilm), grouped by burst, for an editor to release or
// discard. It belongs with moderation in the desk's navigation.
func (s *Server) serveBursts(w http.ResponseWriter, r *http.Request) error {
	bursts, err := s.db.HeldBursts(r.Context())
	if err != nil {
		return err
	}
	v := templates.AdminBurstsView{Page: s.deskPage(r, "Held ratings and votes", templates.SectionModeration), Bursts: bursts}
	v.Page.Flash = burstFlash(r.URL.Query())
	return s.render(w, r, http.StatusOK, templates.AdminBurstsPage(v))
}

// burstFlash is the one-line message after a release or discard, read
// from the query the action redirected to.
func burstFlash(q url.Values) string {
	n, err := strconv.Atoi(q.Get("n"))
	if err != nil || n < 0 {
		return ""
	}
	switch q.Get("done") {
	case "released":
		return "Released " + film.FormatCount(n) + " held " + ratingsOrVotes(n) + ": they count now."
	case "discarded":
		return "Discarded " + film.FormatCount(n) + " held " + ratingsOrVotes(n) + ": they will never count."
	}
	return ""
}

// ratingsOrVotes names n held ratings or votes.
func ratingsOrVotes(n int) string {
	if n == 1 {
		return "rating or vote"
	}
	return "ratings or votes"
}

// settleBurst returns the handler of a burst's Release (release true) or
// Discard button: one click, a POST that the router's cross-origin
// protection guards like every desk form, done and audited in one store
// transaction, then back to the list with what was done.
func (s *Server) settleBurst(release bool) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
		if err != nil || id <= 0 {
			return film.ErrNotFound
		}
		u, _ := currentUser(r.Context())
		settle, done := s.db.DiscardBurst, "discarded"
		if release {
			settle, done = s.db.ReleaseBurst, "released"
		}
		n, err := settle(r.Context(), id, u.ID, s.now())
		if err != nil {
			return err
		}
		http.Redirect(w, r, paths.WithQuery(paths.AdminBursts(), url.Values{"done": {done}, "n": {strconv.Itoa(n)}}), http.StatusSeeOther)
		return nil
	}
}
