package film

import "math"

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
