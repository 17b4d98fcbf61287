package web

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"marquee/internal/film"
	"marquee/internal/paths"
	"marquee/templates"
)

// ratingConfirmPurpose binds a rating's proof token to the film and to
// the reader cookie it was issued with (see rateFilm).
func ratingConfirmPurpose(filmSlug, token string) string {
	return "rating-confirm:" + filmSlug + ":" + token
}

// ratingConfirmAge is how long a rating's proof token may take to come
// back: the script sends it at once, a person clicks within minutes.
const ratingConfirmAge = 10 * time.Minute

// rateFilm records a reader's rating of a film, the one rating the reader
// has for it (their review of the film shows it too). A plain form post is
// redirected back to the film's ratings (POST, redirect, GET); a script
// that asks for JSON gets the new aggregate and the summary's HTML to swap
// in, so the page updates without reloading.
//
// Stuffing (see the README): "one per reader" is one per cookie, and a
// cookie is free. So:
//
//   - A first rating from a browser the site does not know (no reader
//     cookie, or one that has never written) needs a proof: a token signed
//     with the form-token key (formtoken.go), bound to this film and to a
//     reader cookie set on the same response, and at most
//     ratingConfirmAge old. It is asked for in a second step on the
//     rating's own response (a "confirm your rating" page, or JSON that
//     the script answers at once), not put in the film page: the page
//     cache keeps one copy of that page for every anonymous reader, and a
//     token per reader or per second would end that. A token bound to the
//     page's data version would keep the page shared, but every rating
//     bumps the version, so readers who loaded the page a moment earlier
//     would need a grace window that a script reuses just as well; the
//     second step costs a person nothing with the script and one click
//     without it, and a known reader never sees it again.
//   - New ratings spend per-address budgets (per film and overall; a
//     reader changing their own rating spends none), refused with 429.
//   - A fresh cookie that comes in a burst of them from one address has
//     its rating stored but held back from the published average, grouped
//     into a burst the desk releases or discards (admin_bursts.go).
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
	now := s.now()
	token, readerID, err := s.knownReader(r)
	if err != nil {
		return err
	}
	if readerID == 0 && (token == "" || !s.validRatingProof(f.Slug, token, r.PostForm.Get("confirm"))) {
		// Not counted against the rating limit: nothing is stored, and the
		// post that follows it is counted.
		return s.askRatingConfirm(w, r, f, value, token)
	}
	if ok, retry := s.ratingLimiter.allow(s.clientKey(r), now); !ok {
		return tooManyRequests(retry, "You have rated many films in a short time. Please wait a moment and try again.")
	}
	isNew := readerID == 0
	if !isNew {
		yours, err := s.db.ReaderRating(ctx, f.ID, readerID)
		if err != nil {
			return err
		}
		isNew = yours == 0
	}
	addr := s.addressKey(r)
	if isNew {
		if ok, retry, msg := s.stuffing.allowNewRating(addr, f.ID, now); !ok {
			return tooManyRequests(retry, msg)
		}
	}
	var held bool
	if readerID == 0 {
		if readerID, err = s.ensureReader(w, r); err != nil {
			return err
		}
		if held = s.stuffing.freshCookie(addr, now); held {
			s.stuffing.suspect(readerID, now)
		}
	} else {
		held = s.stuffing.suspected(readerID, now)
	}
	var stats film.RatingStats
	if held {
		err = s.stuffing.hold(addr, "rating\x00"+strconv.FormatInt(f.ID, 10), now, func(burst int64) (int64, error) {
			return s.db.HoldRating(ctx, burst, f.ID, readerID, value, now)
		})
		if err == nil {
			stats, err = s.db.RatingStats(ctx, f.ID)
		}
	} else {
		stats, err = s.db.RateFilm(ctx, f.ID, readerID, value, now)
	}
	if err != nil {
		return err
	}
	if wantsJSON(r) {
		return s.writeRatingJSON(w, r, f.Slug, stats, value)
	}
	http.Redirect(w, r, paths.Film(f.Slug)+"#ratings", http.StatusSeeOther)
	return nil
}

// validRatingProof reports whether proof is a genuine token issued for a
// rating of the film with this reader cookie, recently enough.
func (s *Server) validRatingProof(filmSlug, token, proof string) bool {
	if proof == "" {
		return false
	}
	issued, err := s.checkFormToken(ratingConfirmPurpose(filmSlug, token), proof)
	return err == nil && s.now().Sub(issued) <= ratingConfirmAge
}

// ratingConfirmJSON is what a script gets when a first rating needs the
// proof step: the token to send back with the same form.
type ratingConfirmJSON struct {
	Confirm string `json:"confirm"`
}

// askRatingConfirm answers a first rating without a valid proof: it sets a
// reader cookie (keeping the one sent, if any) and returns a proof token
// bound to it, as JSON for the script or as a page with one button. Nothing
// is stored.
func (s *Server) askRatingConfirm(w http.ResponseWriter, r *http.Request, f film.Summary, value int, token string) error {
	if token == "" {
		token = newReaderToken()
	}
	s.setReaderCookie(w, r, token)
	proof := s.formToken(ratingConfirmPurpose(f.Slug, token), s.now())
	w.Header().Set("Cache-Control", "no-store")
	if wantsJSON(r) {
		body, err := json.Marshal(ratingConfirmJSON{Confirm: proof})
		if err != nil {
			return err
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
		return nil
	}
	v := templates.RatingConfirmView{Film: f, Value: value, Token: proof}
	v.Meta = s.meta("Confirm your rating of "+f.Title+" ("+strconv.Itoa(f.Year)+")", "", "")
	v.Meta.NoIndex = true
	return s.render(w, r, http.StatusOK, templates.RatingConfirmPage(v))
}

// removeRating takes back the requesting reader's rating of a film (the
// rating form's "Remove my rating" button, a plain form post with
// action=remove), then answers as rateFilm does. A request without a known
// reader's cookie has no rating to remove and changes nothing.
func (s *Server) removeRating(w http.ResponseWriter, r *http.Request, slug string) error {
	ctx := r.Context()
	f, err := s.db.FindFilmSummary(ctx, slug)
	if err != nil {
		return err
	}
	if ok, retry := s.ratingLimiter.allow(s.clientKey(r), s.now()); !ok {
		return tooManyRequests(retry, "You have rated many films in a short time. Please wait a moment and try again.")
	}
	// A cookie the site does not know has no rating to remove; no reader
	// is made for it, so removing cannot make a cookie "known" and skip
	// the proof a first rating needs.
	token, readerID, err := s.knownReader(r)
	if err != nil {
		return err
	}
	var stats film.RatingStats
	if readerID == 0 {
		stats, err = s.db.RatingStats(ctx, f.ID)
	} else {
		s.setReaderCookie(w, r, token)
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

// recordHelpfulVote records the request's reader's helpful vote on a
// review, under the stuffing defence: each address has a budget of votes
// per review (429 past it), and a vote from a fresh cookie that comes in a
// burst of them from one address is stored but held back from the
// review's count until an editor releases it. It returns the review's film
// and whether the vote was new.
func (s *Server) recordHelpfulVote(w http.ResponseWriter, r *http.Request, reviewID int64) (string, bool, error) {
	ctx, now, addr := r.Context(), s.now(), s.addressKey(r)
	if ok, retry := s.stuffing.allowVote(addr, reviewID, now); !ok {
		return "", false, tooManyRequests(retry, "This review has had many helpful votes from your network in the last hour. Please try again in "+humanDuration(retry)+".")
	}
	_, known, err := s.knownReader(r)
	if err != nil {
		return "", false, err
	}
	readerID, err := s.ensureReader(w, r)
	if err != nil {
		return "", false, err
	}
	held := s.stuffing.suspected(readerID, now)
	if known == 0 && s.stuffing.freshCookie(addr, now) {
		s.stuffing.suspect(readerID, now)
		held = true
	}
	if held {
		var filmSlug string
		var added bool
		err := s.stuffing.hold(addr, "vote\x00"+strconv.FormatInt(reviewID, 10), now, func(burst int64) (int64, error) {
			var err error
			burst, filmSlug, added, err = s.db.HoldHelpfulVote(ctx, burst, reviewID, readerID, now)
			return burst, err
		})
		return filmSlug, added, err
	}
	return s.db.VoteHelpful(ctx, reviewID, readerID, now)
}

// reviewRater returns the reader a reader review is stored for, under the
// stuffing defence: a review's rating is its reader's rating of the film,
// so a review is not a way around the rating budgets and holds. A new
// rating spends the address's budgets (refusal says why, with how long to
// wait, and nothing is stored); a reader born in a burst of fresh cookies,
// or suspect from one, has the rating held first (HoldRating), and the
// review's own trigger then sets its value on the held row, which stays
// held.
func (s *Server) reviewRater(w http.ResponseWriter, r *http.Request, filmID int64, value int) (int64, time.Duration, string, error) {
	ctx, now, addr := r.Context(), s.now(), s.addressKey(r)
	_, known, err := s.knownReader(r)
	if err != nil {
		return 0, 0, "", err
	}
	isNew := known == 0
	if !isNew {
		yours, err := s.db.ReaderRating(ctx, filmID, known)
		if err != nil {
			return 0, 0, "", err
		}
		isNew = yours == 0
	}
	if isNew {
		if ok, retry, msg := s.stuffing.allowNewRating(addr, filmID, now); !ok {
			return 0, retry, msg, nil
		}
	}
	readerID, err := s.ensureReader(w, r)
	if err != nil {
		return 0, 0, "", err
	}
	held := s.stuffing.suspected(readerID, now)
	if known == 0 && s.stuffing.freshCookie(addr, now) {
		s.stuffing.suspect(readerID, now)
		held = true
	}
	if held && film.ValidRatingValue(value) {
		err = s.stuffing.hold(addr, "rating\x00"+strconv.FormatInt(filmID, 10), now, func(burst int64) (int64, error) {
			return s.db.HoldRating(ctx, burst, filmID, readerID, value, now)
		})
	}
	return readerID, 0, "", err
}
