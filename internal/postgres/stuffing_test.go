package postgres

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"marquee/internal/film"
)

// heldStore is what the held ratings' story asks of both backends.
type heldStore interface {
	film.StuffingStore
	readerStore
	RatingStats(ctx context.Context, filmID int64) (film.RatingStats, error)
	RecountRatingStats(ctx context.Context, filmID int64) (film.RatingStats, error)
}

// heldStory holds ratings and votes in bursts, changes a held rating,
// takes one back, releases one burst and discards another, as the desk
// and a stuffing script would, and returns every answer with the film's
// aggregate, its recount and the film page after each step.
func heldStory(t *testing.T, s heldStore) []any {
	t.Helper()
	ctx := context.Background()
	var said []any
	say := func(v any, err error) {
		var p film.Problems
		switch {
		case errors.Is(err, film.ErrNotFound):
			said = append(said, "not found")
		case errors.As(err, &p):
			said = append(said, p)
		case err != nil:
			t.Fatalf("step %d: %v", len(said), err)
		default:
			said = append(said, v)
		}
	}
	const chat = 2 // le-chat-2001
	counts := func() {
		kept, err := s.RatingStats(ctx, chat)
		say(kept, err)
		recount, err := s.RecountRatingStats(ctx, chat)
		say(recount, err)
		p, err := s.FilmPage(ctx, film.FilmPageQuery{Slug: "le-chat-2001", Now: pagesNow, ReaderTokenHash: readerToken("bot 1"), ReaderReviews: 10})
		say([]any{p.Ratings, p.ReaderReviews, p.YourRating}, err)
	}
	at := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	say(s.FindReader(ctx, readerToken("amy")))
	amy, _ := s.Reader(ctx, readerToken("amy"), at)
	say(s.FindReader(ctx, readerToken("amy")))
	say(s.RateFilm(ctx, chat, amy, 7, at))
	review, err := s.CreateReaderReview(ctx, film.ReaderReview{FilmSlug: "le-chat-2001", DisplayName: "Amy", Title: "Fine",
		Rating: 7, Body: "Fine.", Status: film.ModerationApproved, CreatedAt: at}, amy)
	say(review, err)
	var bots []int64
	for _, name := range []string{"bot 1", "bot 2", "bot 3", "bot 4"} {
		id, _ := s.Reader(ctx, readerToken(name), at)
		bots = append(bots, id)
	}
	burst, err := s.HoldRating(ctx, 0, chat, bots[0], 10, at.Add(time.Minute))
	say(burst, err)
	say(s.HoldRating(ctx, burst, chat, bots[1], 10, at.Add(2*time.Minute)))
	say(s.HoldRating(ctx, burst, chat, bots[2], 11, at.Add(2*time.Minute)))
	say(s.HoldRating(ctx, burst, chat, bots[0], 9, at.Add(3*time.Minute))) // a held rating changed
	say(s.HoldRating(ctx, 0, chat, amy, 1, at.Add(3*time.Minute)))         // a published rating stays published
	say(s.ReaderRating(ctx, chat, bots[0]))
	say(s.ReaderRating(ctx, chat, bots[3]))
	counts()
	vote := func(burst int64, slug string, added bool, err error) { say([]any{burst, slug, added}, err) }
	votes, slug, added, err := s.HoldHelpfulVote(ctx, 0, review, bots[0], at.Add(4*time.Minute))
	vote(votes, slug, added, err)
	vote(s.HoldHelpfulVote(ctx, votes, review, bots[1], at.Add(5*time.Minute)))
	vote(s.HoldHelpfulVote(ctx, votes, review, bots[1], at.Add(5*time.Minute))) // once per reader
	vote(s.HoldHelpfulVote(ctx, 0, 9999, bots[2], at))
	second, err := s.HoldRating(ctx, 0, chat, bots[3], 2, at.Add(6*time.Minute))
	say(second, err)
	say(s.HeldBursts(ctx))
	counts()
	say(s.RemoveRating(ctx, chat, bots[1])) // a held rating taken back
	say(s.ReleaseBurst(ctx, burst, 0, at.Add(7*time.Minute)))
	say(s.ReleaseBurst(ctx, burst, 0, at.Add(7*time.Minute)))
	counts()
	say(s.DiscardBurst(ctx, second, 0, at.Add(8*time.Minute)))
	say(s.ReleaseBurst(ctx, votes, 0, at.Add(8*time.Minute)))
	say(s.HeldBursts(ctx))
	counts()
	return said
}

// TestHeldRatingsMatchSQLite tells the same story of held ratings and
// votes on both backends and compares every answer: held rows never count
// until released, and count from the release on, as on SQLite.
func TestHeldRatingsMatchSQLite(t *testing.T) {
	lite, pg := pageStores(t)
	want := heldStory(t, lite)
	got := heldStory(t, pg)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("the held ratings' story differs between the backends (-SQLite +PostgreSQL):\n%s", diff)
	}
}
