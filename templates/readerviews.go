package templates

import (
	"math"
	"net/url"
	"strconv"
	"strings"

	"marquee/internal/film"
	"marquee/internal/markdown"
	"marquee/internal/paths"
)

// RatingsView is a film's reader ratings: the aggregate, the histogram's
// bars and, for a reader who has rated, their own rating.
type RatingsView struct {
	Live     Live
	FilmSlug string
	Stats    film.RatingStats
	// Bars are the histogram, from 10 points down to 1.
	Bars  []HistogramBar
	Yours int
}

// Score is the film header's summary of these ratings, linking to the
// rating form at rateURL.
func (v RatingsView) Score(rateURL string) ReaderScoreView {
	return ReaderScoreView{Stats: v.Stats, Yours: v.Yours, RateURL: rateURL}
}

// ReaderScoreView is the readers' verdict as a film's header shows it (see
// ReaderScore): the aggregate, the reader's own rating (0 for none) and
// where the rating form is ("" for nowhere, as in a static copy).
type ReaderScoreView struct {
	Stats   film.RatingStats
	Yours   int
	RateURL string
}

// HistogramBar is one bar of the ratings histogram.
type HistogramBar struct {
	Value   int
	Count   int
	Percent int // of all ratings, rounded
	Width   int // of the bar, 0–100, relative to the largest bar
}

// pointsAsStars writes 1–10 points as stars out of five: 7 → "3½".
func pointsAsStars(points int) string {
	s := strconv.Itoa(points / 2)
	if points%2 == 1 {
		if points == 1 {
			return "½"
		}
		s += "½"
	}
	return s
}

// starGlyphs draws points (an average is rounded to the nearest whole
// point) as stars out of five: 9 → "★★★★½", 1 → "½".
func starGlyphs(points float64) string {
	p := min(10, max(0, int(math.Round(points))))
	s := strings.Repeat("★", p/2)
	if p%2 == 1 {
		s += "½"
	}
	return s
}

// pointsNumber writes points as a number: whole points as they are, an
// average to one decimal.
func pointsNumber(points float64) string {
	return strconv.FormatFloat(math.Round(points*10)/10, 'f', -1, 64)
}

// pointsLabel is points as words for assistive technology: "9 out of 10".
func pointsLabel(points float64) string { return pointsNumber(points) + " out of 10" }

// certaintyText says how sure a readers' average is: its 95 % interval
// (film.RatingStats.Interval95), or that one rating is too few to say.
func certaintyText(s film.RatingStats) string {
	iv, ok := s.Interval95()
	if !ok {
		return "Too few ratings to say how sure"
	}
	return "95% interval " + pointsNumber(iv.Low) + "–" + pointsNumber(iv.High)
}

// starsNoun is "star" or "stars" for a number of points.
func starsNoun(points int) string {
	if points == 2 {
		return "star"
	}
	return "stars"
}

// HoneypotField is the name of the review form's trap field: hidden from
// people by the stylesheet, filled in by bots that fill in everything.
const HoneypotField = "website"

// ReviewForm is the reader review form's state: the values as the reader
// typed them, a fresh form token, and after a failed submission a message
// per field, as the reader reads it, with the summary of them all.
type ReviewForm struct {
	Live        Live
	FilmSlug    string
	Token       string
	DisplayName string
	Title       string
	RatingText  string
	Body        string
	Spoilers    bool
	// Problems holds each field's message, already a sentence.
	Problems film.Problems
	// Errors lists the messages in page order, each linked to its field.
	Errors []ErrorLink
}

// shown makes typed text safe to put back in the form: bytes that are not
// UTF-8 become U+FFFD.
func shown(s string) string { return strings.ToValidUTF8(s, "\uFFFD") }

// ReviewFormView is the page holding only the review form.
type ReviewFormView struct {
	Meta   Meta
	Film   film.Summary
	Form   ReviewForm
	Notice string
}

// ReviewSubmittedView thanks a reader for a review.
type ReviewSubmittedView struct {
	Meta Meta
	Film film.Summary
}

// ReaderReviewView is a reader review with its body rendered by the reader
// subset of internal/markdown.
type ReaderReviewView struct {
	Review film.ReaderReview
	Body   markdown.HTML
	Live   Live
}

// ReaderReviewsView is one page of a film's reader reviews.
type ReaderReviewsView struct {
	Meta         Meta
	Film         film.Summary
	Reviews      []ReaderReviewView
	Total        int
	Stats        film.RatingStats
	Sort         film.ReaderReviewSort
	HideSpoilers bool
	Page         int
	PageCount    int
	// Here is this page's own address (URL(Page)), where its reviews'
	// helpful buttons come back to.
	Here string
}

// URL is the address of another page of the same list.
func (v ReaderReviewsView) URL(page int) string {
	return v.listURL(v.Sort, v.HideSpoilers, page)
}

// CanonicalURL is the address this page of the list canonicalises to:
// the same page of the same reviews (spoiler reviews hidden or not), in
// the default order when the list fits on one page, where another order
// only rearranges the same reviews. On a longer list the order decides
// which reviews a page holds, so it stays; and each page is its own.
func (v ReaderReviewsView) CanonicalURL() string {
	sort := v.Sort
	if v.PageCount <= 1 {
		sort = film.SortNewest
	}
	return v.listURL(sort, v.HideSpoilers, v.Page)
}

// listURL builds a review list address, leaving defaults out so each list
// has one canonical address.
func (v ReaderReviewsView) listURL(sort film.ReaderReviewSort, hideSpoilers bool, page int) string {
	q := url.Values{}
	if sort != film.SortNewest {
		q.Set("sort", string(sort))
	}
	if hideSpoilers {
		q.Set("spoilers", "hide")
	}
	if page > 1 {
		q.Set("page", strconv.Itoa(page))
	}
	return paths.WithQuery(paths.FilmReviews(v.Film.Slug), q)
}

// CriticReviewPageView is a critic review's own page.
type CriticReviewPageView struct {
	Meta   Meta
	Film   film.Summary
	Review CriticReviewView
}

// readerReviewAnchor is the id of a reader review on a page.
func readerReviewAnchor(id int64) string { return "reader-review-" + strconv.FormatInt(id, 10) }

// starHalf is the class of a rating label: the left or right half of a
// star.
func starHalf(points int) string {
	if points%2 == 1 {
		return "half left"
	}
	return "half right"
}

// errorID is the id of a field's error message, or "" when it has none.
func errorID(p film.Problems, field string) string {
	if p[field] == "" {
		return ""
	}
	return "review-" + field + "-error"
}

// helpfulText says how many readers found a review helpful.
func helpfulText(n int) string {
	switch n {
	case 0:
		return "Was this review helpful?"
	case 1:
		return "1 reader found this helpful."
	}
	return film.FormatCount(n) + " readers found this helpful."
}

// describedBy joins the ids an element is described by, skipping empty ones.
func describedBy(ids ...string) string {
	var kept []string
	for _, id := range ids {
		if id != "" {
			kept = append(kept, id)
		}
	}
	return strings.Join(kept, " ")
}

// directedBy follows a film's title with its directors, if known.
func directedBy(directors []string) string {
	if len(directors) == 0 {
		return ""
	}
	return ", directed by " + join(directors)
}
