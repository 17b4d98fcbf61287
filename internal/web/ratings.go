package web

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"marquee/internal/film"
	"marquee/internal/paths"
	"marquee/templates"
)

// rateFilm records a reader's rating of a film, the one rating the reader
// has for it (their review of the film shows it too). A plain form post is
// redirected back to the film's ratings (POST, redirect, GET); a script
// that asks for JSON gets the new aggregate and the summary's HTML to swap
// in, so the page updates without reloading.
func (s *Server) rateFilm(w http.ResponseWriter, r *http.Request) error {
	slug, err := slugParam(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return formError(err)
	}
	if r.PostForm.Get("action") == "remove" {
		return s.removeRating(w, r, slug)
	}
	value, err := strconv.Atoi(r.PostForm.Get("rating"))
	if err != nil || !film.ValidRatingValue(value) {
		return &statusError{status: http.StatusUnprocessableEntity, heading: "Choose a rating",
			message: "A rating is a whole number of points from 1 to 10 (half a star to five stars). Go back and choose one."}
	}
	ctx := r.Context()
	f, err := s.db.FindFilmSummary(ctx, slug)
	if err != nil {
		return err
	}
	if ok, retry := s.ratingLimiter.allow(s.clientKey(r), s.now()); !ok {
		return tooManyRequests(retry, "You have rated many films in a short time. Please wait a moment and try again.")
	}
	readerID, err := s.ensureReader(w, r)
	if err != nil {
		return err
	}
	stats, err := s.db.RateFilm(ctx, f.ID, readerID, value, s.now())
	if err != nil {
		return err
	}
	if wantsJSON(r) {
		return s.writeRatingJSON(w, r, f.Slug, stats, value)
	}
	http.Redirect(w, r, paths.Film(f.Slug)+"#ratings", http.StatusSeeOther)
	return nil
}

// removeRating takes back the requesting reader's rating of a film (the
// rating form's "Remove my rating" button, a plain form post with
// action=remove), then answers as rateFilm does. A request without a reader
// cookie has no rating to remove and changes nothing.
func (s *Server) removeRating(w http.ResponseWriter, r *http.Request, slug string) error {
	ctx := r.Context()
	f, err := s.db.FindFilmSummary(ctx, slug)
	if err != nil {
		return err
	}
	if ok, retry := s.ratingLimiter.allow(s.clientKey(r), s.now()); !ok {
		return tooManyRequests(retry, "You have rated many films in a short time. Please wait a moment and try again.")
	}
	var stats film.RatingStats
	if readerToken(r) == "" {
		stats, err = s.db.RatingStats(ctx, f.ID)
	} else {
		var readerID int64
		if readerID, err = s.ensureReader(w, r); err != nil {
			return err
		}
		stats, err = s.db.RemoveRating(ctx, f.ID, readerID)
	}
	if err != nil {
		return err
	}
	if wantsJSON(r) {
		return s.writeRatingJSON(w, r, f.Slug, stats, 0)
	}
	http.Redirect(w, r, paths.Film(f.Slug)+"#ratings", http.StatusSeeOther)
	return nil
}

// wantsJSON reports whether the client asked for JSON rather than a page.
func wantsJSON(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "application/json")
}

// ratingJSON is what a script gets back after rating.
type ratingJSON struct {
	Count       int     `json:"count"`
	Average     float64 `json:"average"`
	Histogram   [10]int `json:"histogram"`
	Yours       int     `json:"yours"`
	SummaryHTML string  `json:"summary_html"`
}

func (s *Server) writeRatingJSON(w http.ResponseWriter, r *http.Request, slug string, stats film.RatingStats, yours int) error {
	var summary strings.Builder
	if err := templates.RatingSummary(s.ratingsView(slug, stats, yours)).Render(r.Context(), &summary); err != nil {
		return err
	}
	body, err := json.Marshal(ratingJSON{
		Count: stats.Count, Average: stats.AverageRounded(), Histogram: stats.Histogram, Yours: yours,
		SummaryHTML: summary.String(),
	})
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(body)
	return nil
}
