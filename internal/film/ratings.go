package film

import (
	"math"
	"time"
)

// RatingStats is the aggregate of a film's reader ratings on the 1–10
// point scale: how many, their sum and how many of each value.
type RatingStats struct {
	Count int
	Total int
	// Histogram[i] counts the ratings of value i+1.
	Histogram [10]int
}

// Average is the mean rating out of 10, or 0 with no ratings.
func (s RatingStats) Average() float64 {
	if s.Count == 0 {
		return 0
	}
	return float64(s.Total) / float64(s.Count)
}

// AverageRounded is the mean rounded to one decimal, as pages show it.
func (s RatingStats) AverageRounded() float64 { return math.Round(s.Average()*10) / 10 }

// The Bayesian average that ranks films by their readers' ratings ("highest
// rated" on the home page, the film index sorted by rating):
//
//	score = (total + BayesWeight·BayesPrior) / (count + BayesWeight)
//
// Each film starts as if BayesWeight readers had given it BayesPrior points,
// and its own ratings pull it away from there as they accumulate. A film
// with 3 ratings averaging 9.0 scores (27+60)/13 = 6.7; one with 3,000
// averaging 8.4 scores (25,200+60)/3,010 = 8.39, so a handful of fans never
// outranks a crowd. BayesPrior is a little above the middle of the 1–10
// scale, where readers' averages on film sites cluster; BayesWeight is small
// enough that a film with a few dozen ratings is ranked mostly by them. A
// film with no ratings scores 0, so unrated films sort after rated ones. The
// store keeps the score beside the aggregate, so the sort reads an index.
const (
	BayesPrior  = 6.0
	BayesWeight = 10
)

// BayesianScore is the film's ranking score (see BayesPrior), 0 with no
// ratings.
func (s RatingStats) BayesianScore() float64 {
	if s.Count == 0 {
		return 0
	}
	return (float64(s.Total) + BayesWeight*BayesPrior) / float64(s.Count+BayesWeight)
}

// RatingInterval is a range of averages out of 10.
type RatingInterval struct {
	Low, High float64
}

// MinRatingsForInterval is how many ratings a film needs before the page
// says how sure its average is: one rating has no spread to measure.
const MinRatingsForInterval = 2

// Interval95 is a 95 % confidence interval for the mean rating, from the
// histogram: mean ± t · s/√n, with t Student's 97.5th percentile for n−1
// degrees of freedom and s the sample standard deviation, taken as at least
// one point (whole-point ratings cannot show a spread below their own step,
// so two identical ratings do not claim certainty), clamped to 1–10. ok is
// false below MinRatingsForInterval ratings.
func (s RatingStats) Interval95() (iv RatingInterval, ok bool) {
	if s.Count < MinRatingsForInterval {
		return RatingInterval{}, false
	}
	mean := s.Average()
	var squares float64
	for i, n := range s.Histogram {
		d := float64(i+1) - mean
		squares += float64(n) * d * d
	}
	sd := max(math.Sqrt(squares/float64(s.Count-1)), 1)
	half := studentT975(s.Count-1) * sd / math.Sqrt(float64(s.Count))
	return RatingInterval{Low: max(1, mean-half), High: min(10, mean+half)}, true
}

// tTable holds Student's t 97.5th percentiles for 1 to 30 degrees of
// freedom.
var tTable = [...]float64{12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
	2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
	2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042}

// studentT975 is Student's t 97.5th percentile for df degrees of freedom,
// rounded up to the nearest tabulated value, so the interval errs wide.
func studentT975(df int) float64 {
	switch {
	case df <= 0:
		return math.Inf(1)
	case df <= len(tTable):
		return tTable[df-1]
	case df < 40:
		return 2.042
	case df < 60:
		return 2.021
	case df < 120:
		return 2.000
	case df < 1000:
		return 1.980
	}
	return 1.960
}

// ValidRatingValue reports whether v is a rating a reader can give: 1 to 10
// points, shown as half stars out of five.
func ValidRatingValue(v int) bool { return v >= 1 && v <= 10 }

// MinCriticReviewsForScore is how many rated critic reviews a film needs
// before its critics' average is shown: an average of one or two reviews
// says more about the critics than about the film.
const MinCriticReviewsForScore = 3

// CriticScore is the average of a film's published, rated critic reviews,
// each rating converted to a 0–100 scale.
type CriticScore struct {
	// Count is how many rated reviews the average covers.
	Count int
	// Score is the average on 0–100, rounded; meaningful only when Shown.
	Score int
}

// Shown reports whether there are enough reviews to publish the average.
func (c CriticScore) Shown() bool { return c.Count >= MinCriticReviewsForScore }

// ReaderReviewSort orders a film's reader reviews.
type ReaderReviewSort string

// The orders a reader can choose for a film's reviews.
const (
	SortNewest  ReaderReviewSort = "newest"
	SortHighest ReaderReviewSort = "highest"
	SortLowest  ReaderReviewSort = "lowest"
	SortHelpful ReaderReviewSort = "helpful"
)

// ReaderReviewSorts lists the orders in the sequence the page offers them.
var ReaderReviewSorts = []ReaderReviewSort{SortNewest, SortHelpful, SortHighest, SortLowest}

// Valid reports whether s is a known order.
func (s ReaderReviewSort) Valid() bool {
	for _, known := range ReaderReviewSorts {
		if s == known {
			return true
		}
	}
	return false
}

// Label is how the order is named on the page.
func (s ReaderReviewSort) Label() string {
	switch s {
	case SortHighest:
		return "Highest rated"
	case SortLowest:
		return "Lowest rated"
	case SortHelpful:
		return "Most helpful"
	}
	return "Newest"
}

// ReaderReviewFilter selects a page of a film's approved reader reviews.
type ReaderReviewFilter struct {
	FilmID       int64
	Sort         ReaderReviewSort
	HideSpoilers bool
	Offset       int
	Limit        int
}

// ReaderReviewPage is one page of reader reviews and the total they come
// from.
type ReaderReviewPage struct {
	Reviews []ReaderReview
	Total   int
}

// BurstKind says what a held burst holds.
type BurstKind string

// The kinds of held bursts.
const (
	BurstRatings BurstKind = "rating"
	BurstVotes   BurstKind = "vote"
)

// HeldBurst is a run of ratings of one film, or helpful votes on one
// review, that came from one address with many fresh reader cookies in a
// short time: stored, but kept out of the published counts until an
// editor releases it (or discards it). It says nothing of the address.
type HeldBurst struct {
	ID        int64
	Kind      BurstKind
	FilmSlug  string
	FilmTitle string
	FilmYear  int
	// ReviewID and ReviewTitle name the review of a burst of votes.
	ReviewID    int64
	ReviewTitle string
	// Count is how many ratings or votes the burst holds; Average is the
	// mean of its ratings (0 for votes).
	Count     int
	Average   float64
	StartedAt time.Time
	LastAt    time.Time
}
