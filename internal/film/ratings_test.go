package film

import (
	"math"
	"testing"
)

// stats builds the aggregate of the given number of ratings of each value.
func stats(counts map[int]int) RatingStats {
	var s RatingStats
	for v, n := range counts {
		s.Count += n
		s.Total += v * n
		s.Histogram[v-1] += n
	}
	return s
}

func TestBayesianScoreRanksManyAboveFew(t *testing.T) {
	few := stats(map[int]int{9: 3})              // 9.0 from 3
	many := stats(map[int]int{8: 1800, 9: 1200}) // 8.4 from 3,000
	if few.Average() != 9 || many.Average() != 8.4 {
		t.Fatalf("averages %v and %v, want 9 and 8.4", few.Average(), many.Average())
	}
	if got := few.BayesianScore(); math.Abs(got-87.0/13) > 1e-9 {
		t.Errorf("score of 9.0 from 3 = %v, want (27+60)/13", got)
	}
	if got := many.BayesianScore(); math.Abs(got-25260.0/3010) > 1e-9 {
		t.Errorf("score of 8.4 from 3,000 = %v, want (25,200+60)/3,010", got)
	}
	if few.BayesianScore() >= many.BayesianScore() {
		t.Error("9.0 from 3 ratings outranks 8.4 from 3,000")
	}
	if (RatingStats{}).BayesianScore() != 0 {
		t.Error("a film with no ratings does not score 0")
	}
}

func TestInterval95(t *testing.T) {
	if _, ok := stats(map[int]int{9: 1}).Interval95(); ok {
		t.Error("one rating has an interval")
	}
	// Two equal ratings claim no certainty: the spread is taken as one
	// point at least, and the interval is clamped to the scale.
	iv, ok := stats(map[int]int{9: 2}).Interval95()
	if !ok || iv.Low != 1 || iv.High != 10 {
		t.Errorf("interval of two 9s = %+v, %v; want 1–10", iv, ok)
	}
	// Many ratings: a narrow interval around the mean.
	s := stats(map[int]int{8: 1800, 9: 1200})
	iv, ok = s.Interval95()
	if !ok || iv.Low >= 8.4 || iv.High <= 8.4 || iv.High-iv.Low > 0.1 {
		t.Errorf("interval of 8.4 from 3,000 = %+v, want a narrow one around 8.4", iv)
	}
	// Spread widens it: the same mean from values far apart.
	wide, _ := stats(map[int]int{1: 10, 10: 10}).Interval95()
	narrow, _ := stats(map[int]int{5: 10, 6: 10}).Interval95()
	if wide.High-wide.Low <= narrow.High-narrow.Low {
		t.Errorf("intervals %+v (spread) and %+v (close): want the spread one wider", wide, narrow)
	}
	if got := studentT975(1000000); got != 1.96 {
		t.Errorf("t for many degrees of freedom = %v, want 1.96", got)
	}
}
