package storetest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"marquee/internal/film"
)

// The tests in this file hold every backend to one rating per reader: a
// reader's rating of a film is one thing, whether they rated, reviewed with
// a rating, or both; the film's aggregate counts each reader once and
// always equals a recount; a review shows its reader's rating; removal and
// spam take a rating out; and the rating order ranks by the Bayesian score.

// ratingTests are registered in Run.
var ratingTests = []struct {
	name string
	run  func(*testing.T, film.Store)
}{
	{"SeededReviewCountsAsOneRating", testSeededReviewCountsAsOneRating},
	{"ReviewThenRatingCountsOnce", testReviewThenRatingCountsOnce},
	{"RatingThenReviewReplaces", testRatingThenReviewReplaces},
	{"RemoveRating", testRemoveRating},
	{"SpamReviewLosesItsRating", testSpamReviewLosesItsRating},
	{"BayesianRanking", testBayesianRanking},
}

// parisID is the seeded film's id.
func parisID(t *testing.T, s film.Store) int64 {
	t.Helper()
	return mustFilmPage(t, s, film.FilmPageQuery{}).Film.ID
}

// mustMatchRecount fails unless the film's kept aggregate, and the one its
// page shows, equal a recount of its ratings, and returns it.
func mustMatchRecount(t *testing.T, s film.Store, filmID int64) film.RatingStats {
	t.Helper()
	ctx := context.Background()
	kept, err := s.RatingStats(ctx, filmID)
	if err != nil {
		t.Fatal(err)
	}
	recount, err := s.RecountRatingStats(ctx, filmID)
	if err != nil {
		t.Fatal(err)
	}
	if kept != recount {
		t.Fatalf("kept aggregate %+v differs from a recount %+v", kept, recount)
	}
	if page := mustFilmPage(t, s, film.FilmPageQuery{}); page.Film.ID == filmID && page.Ratings != kept {
		t.Fatalf("film page shows %+v, kept aggregate is %+v", page.Ratings, kept)
	}
	return kept
}

// wantStats fails unless stats holds exactly the given ratings.
func wantStats(t *testing.T, what string, stats film.RatingStats, values ...int) {
	t.Helper()
	var want film.RatingStats
	for _, v := range values {
		want.Count++
		want.Total += v
		want.Histogram[v-1]++
	}
	if stats != want {
		t.Errorf("%s: ratings %+v, want %v counted once each (%+v)", what, stats, values, want)
	}
}

// mustReview stores a reader review of Paris by reader with a rating.
func mustReview(t *testing.T, s film.Store, reader int64, rating int, status film.ModerationStatus, at time.Time) int64 {
	t.Helper()
	id, err := s.CreateReaderReview(context.Background(), film.ReaderReview{
		FilmSlug: "paris-2008", DisplayName: fmt.Sprintf("Reader %d", reader), Title: "Seen it", Rating: rating,
		Body: "Worth the evening.", Status: status, CreatedAt: at,
	}, reader)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// approvedRating returns the rating the public review list shows with the
// review id, failing if the review is not listed.
func approvedRating(t *testing.T, s film.Store, id int64) int {
	t.Helper()
	p, err := s.ReaderReviewsPage(context.Background(), "paris-2008", film.ReaderReviewFilter{Sort: film.SortNewest, Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range p.Reviews.Reviews {
		if r.ID == id {
			if p.Ratings != mustMatchRecount(t, s, p.Film.ID) {
				t.Errorf("review list's ratings %+v differ from the kept aggregate", p.Ratings)
			}
			return r.Rating
		}
	}
	t.Fatalf("review %d is not listed", id)
	return 0
}

func testSeededReviewCountsAsOneRating(t *testing.T, s film.Store) {
	mustSeed(t, s)
	id := parisID(t, s)
	wantStats(t, "seeded film", mustMatchRecount(t, s, id), 9)
	p := mustFilmPage(t, s, film.FilmPageQuery{ReaderReviews: 5})
	if len(p.ReaderReviews.Reviews) != 1 || p.ReaderReviews.Reviews[0].Rating != 9 {
		t.Fatalf("seeded reader review = %+v, want one showing 9", p.ReaderReviews.Reviews)
	}
	// Loading the seeds again (as every start does) adds no second rating.
	mustSeed(t, s)
	wantStats(t, "seeds loaded twice", mustMatchRecount(t, s, id), 9)
}

func testReviewThenRatingCountsOnce(t *testing.T, s film.Store) {
	mustSeed(t, s)
	ctx := context.Background()
	id := parisID(t, s)
	reader, hash := mustReader(t, s, "review-first")
	review := mustReview(t, s, reader, 8, film.ModerationPending, now)
	// A pending review's rating counts at once: moderation decides about
	// the words, not about the reader's rating.
	wantStats(t, "after a review with 8", mustMatchRecount(t, s, id), 9, 8)
	form, err := s.ReviewFormPage(ctx, "paris-2008", hash)
	if err != nil || form.YourRating != 8 || form.Film.Slug != "paris-2008" {
		t.Errorf("review form page = %+v, %v; want Paris starting from 8", form, err)
	}
	stats, err := s.RateFilm(ctx, id, reader, 6, now.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	wantStats(t, "after rating 6 on top of the review", stats, 9, 6)
	wantStats(t, "recount", mustMatchRecount(t, s, id), 9, 6)
	ed := mustUser(t, s, "ed@example.com", film.RoleEditor)
	if _, err := s.ModerateReaderReviews(ctx, []int64{review}, film.ModerationApproved, ed.ID, now); err != nil {
		t.Fatal(err)
	}
	if got := approvedRating(t, s, review); got != 6 {
		t.Errorf("the review shows %d, want the reader's rating now, 6", got)
	}
	wantStats(t, "after approval", mustMatchRecount(t, s, id), 9, 6)
}

func testRatingThenReviewReplaces(t *testing.T, s film.Store) {
	mustSeed(t, s)
	ctx := context.Background()
	id := parisID(t, s)
	reader, hash := mustReader(t, s, "rating-first")
	if _, err := s.RateFilm(ctx, id, reader, 5, now); err != nil {
		t.Fatal(err)
	}
	form, err := s.ReviewFormPage(ctx, "paris-2008", hash)
	if err != nil || form.YourRating != 5 {
		t.Errorf("review form page = %+v, %v; want it to start from 5", form, err)
	}
	mustReview(t, s, reader, 10, film.ModerationPending, now.Add(time.Minute))
	wantStats(t, "after rating 5, then reviewing with 10", mustMatchRecount(t, s, id), 9, 10)
	if p := mustFilmPage(t, s, film.FilmPageQuery{ReaderTokenHash: hash}); p.YourRating != 10 {
		t.Errorf("reader's rating = %d, want 10 from their review", p.YourRating)
	}
	// A second review by the same reader replaces the rating again.
	mustReview(t, s, reader, 7, film.ModerationPending, now.Add(2*time.Minute))
	wantStats(t, "after a second review with 7", mustMatchRecount(t, s, id), 9, 7)
}

func testRemoveRating(t *testing.T, s film.Store) {
	mustSeed(t, s)
	ctx := context.Background()
	id := parisID(t, s)
	reader, hash := mustReader(t, s, "remover")
	review := mustReview(t, s, reader, 4, film.ModerationApproved, now)
	wantStats(t, "with the review", mustMatchRecount(t, s, id), 9, 4)
	stats, err := s.RemoveRating(ctx, id, reader)
	if err != nil {
		t.Fatal(err)
	}
	wantStats(t, "after removal", stats, 9)
	wantStats(t, "recount after removal", mustMatchRecount(t, s, id), 9)
	if p := mustFilmPage(t, s, film.FilmPageQuery{ReaderTokenHash: hash}); p.YourRating != 0 {
		t.Errorf("reader's rating after removal = %d, want none", p.YourRating)
	}
	if got := approvedRating(t, s, review); got != 0 {
		t.Errorf("the review shows %d after its reader took their rating back, want 0 (unrated)", got)
	}
	if form, err := s.ReviewFormPage(ctx, "paris-2008", hash); err != nil || form.YourRating != 0 {
		t.Errorf("review form page after removal = %+v, %v; want no rating", form, err)
	}
	// Removing again, or a rating never given, changes nothing.
	stranger, _ := mustReader(t, s, "never rated")
	for _, who := range []int64{reader, stranger} {
		stats, err := s.RemoveRating(ctx, id, who)
		if err != nil {
			t.Fatal(err)
		}
		wantStats(t, "removing nothing", stats, 9)
	}
	// Rating again brings the review's rating back with it.
	if _, err := s.RateFilm(ctx, id, reader, 3, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if got := approvedRating(t, s, review); got != 3 {
		t.Errorf("the review shows %d after rating again, want 3", got)
	}
}

func testSpamReviewLosesItsRating(t *testing.T, s film.Store) {
	mustSeed(t, s)
	ctx := context.Background()
	id := parisID(t, s)
	ed := mustUser(t, s, "ed@example.com", film.RoleEditor)
	spammer, _ := mustReader(t, s, "spammer")
	spam := mustReview(t, s, spammer, 10, film.ModerationPending, now)
	rude, _ := mustReader(t, s, "rude")
	rejected := mustReview(t, s, rude, 2, film.ModerationPending, now)
	wantStats(t, "before moderation", mustMatchRecount(t, s, id), 9, 10, 2)

	moderate := func(review int64, status film.ModerationStatus) {
		t.Helper()
		if n, err := s.ModerateReaderReviews(ctx, []int64{review}, status, ed.ID, now); err != nil || n != 1 {
			t.Fatalf("moderate %d to %s = %d, %v", review, status, n, err)
		}
	}
	moderate(spam, film.ModerationSpam)
	moderate(rejected, film.ModerationRejected)
	// Spam's rating goes; a rejected review's reader still saw the film.
	wantStats(t, "after spam and rejection", mustMatchRecount(t, s, id), 9, 2)
	// A review rescued from the spam folder brings its rating back.
	moderate(spam, film.ModerationApproved)
	wantStats(t, "after rescue", mustMatchRecount(t, s, id), 9, 10, 2)
	if got := approvedRating(t, s, spam); got != 10 {
		t.Errorf("rescued review shows %d, want 10", got)
	}
	// A bot's review (no reader) stored as spam never counted.
	if _, err := s.CreateReaderReview(ctx, film.ReaderReview{
		FilmSlug: "paris-2008", DisplayName: "Bot", Title: "Buy now", Rating: 10,
		Body: "Cheap pills.", Status: film.ModerationSpam, CreatedAt: now,
	}, 0); err != nil {
		t.Fatal(err)
	}
	wantStats(t, "after a bot's spam", mustMatchRecount(t, s, id), 9, 10, 2)
}

// testBayesianRanking proves through the store's own orders that a few high
// ratings never outrank many good ones: 9.0 from 3 readers ranks below
// 8.4 from 3,000 in the film index sorted by rating, and on the home page's
// top rated list 9.5 from 10 ranks below the same 8.4.
func testBayesianRanking(t *testing.T, s film.Store) {
	mustSeed(t, s)
	ctx := context.Background()
	c := film.Catalog{Films: []film.Film{
		{Slug: "crowd-pleaser", Title: "Crowd Pleaser", Year: 2001},
		{Slug: "cult-favourite", Title: "Cult Favourite", Year: 2002},
		{Slug: "fan-club", Title: "Fan Club", Year: 2003},
	}}
	reader := 0
	rate := func(slug string, value, times int) {
		for range times {
			reader++
			c.Ratings = append(c.Ratings, film.ReaderRating{
				FilmSlug: slug, Reader: strings.Repeat("0", 56) + fmt.Sprintf("%08x", reader), Value: value,
				CreatedAt: now.Add(-time.Hour), UpdatedAt: now.Add(-time.Hour),
			})
		}
	}
	rate("crowd-pleaser", 8, 1800) // 8.4 from 3,000
	rate("crowd-pleaser", 9, 1200)
	rate("cult-favourite", 9, 3) // 9.0 from 3
	rate("fan-club", 10, 5)      // 9.5 from 10
	rate("fan-club", 9, 5)
	if _, err := s.ImportWith(ctx, c, film.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	index, err := s.FilmIndex(ctx, film.FilmIndexQuery{Filter: film.FilmFilter{Sort: film.SortRating, Limit: 10}})
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, f := range index.List.Films {
		order = append(order, f.Slug)
		if f.Slug == "crowd-pleaser" && (f.RatingCount != 3000 || f.RatingAverage != 8.4) {
			t.Errorf("crowd pleaser listed with %v from %d ratings, want 8.4 from 3,000", f.RatingAverage, f.RatingCount)
		}
	}
	if pos := func(slug string) int {
		for i, s := range order {
			if s == slug {
				return i
			}
		}
		return len(order)
	}; pos("crowd-pleaser") > pos("cult-favourite") || pos("crowd-pleaser") > pos("fan-club") {
		t.Errorf("films by rating = %v: 8.4 from 3,000 must rank above 9.0 from 3 and 9.5 from 10", order)
	}
	// Each film's kept score is the documented formula.
	for _, f := range index.List.Films {
		stats, err := s.RatingStats(ctx, f.ID)
		if err != nil {
			t.Fatal(err)
		}
		if want := stats.BayesianScore(); f.RatingScore < want-1e-6 || f.RatingScore > want+1e-6 {
			t.Errorf("%s: kept score %v, formula gives %v", f.Slug, f.RatingScore, want)
		}
	}
	home, err := s.HomePage(ctx, now, 6)
	if err != nil {
		t.Fatal(err)
	}
	var top []string
	for _, f := range home.TopRated {
		top = append(top, f.Slug)
	}
	if len(top) < 2 || top[0] != "crowd-pleaser" || top[1] != "fan-club" {
		t.Errorf("home page's top rated = %v, want crowd-pleaser above fan-club (cult-favourite has too few ratings)", top)
	}
}
