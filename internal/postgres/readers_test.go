package postgres

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"marquee/internal/film"
	"marquee/internal/sqlite"
)

// readerStore is what the readers' test asks of both backends.
type readerStore interface {
	Reader(ctx context.Context, tokenHash []byte, now time.Time) (int64, error)
	RateFilm(ctx context.Context, filmID, readerID int64, value int, now time.Time) (film.RatingStats, error)
	RemoveRating(ctx context.Context, filmID, readerID int64) (film.RatingStats, error)
	CreateReaderReview(ctx context.Context, r film.ReaderReview, readerID int64) (int64, error)
	VoteHelpful(ctx context.Context, reviewID, readerID int64, now time.Time) (filmSlug string, added bool, err error)
	FilmPage(ctx context.Context, q film.FilmPageQuery) (film.FilmPage, error)
	ModerateReaderReviews(ctx context.Context, ids []int64, status film.ModerationStatus, actor int64, now time.Time) (int, error)
}

var (
	_ readerStore = (*DB)(nil)
	_ readerStore = (*sqlite.DB)(nil)
)

// readerStory rates, reviews, votes and takes ratings back as readers do,
// and returns every answer with the film page after each step.
func readerStory(t *testing.T, s readerStore) []any {
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
	vote := func(slug string, added bool, err error) { say([]any{slug, added}, err) }
	page := func(token []byte) {
		p, err := s.FilmPage(ctx, film.FilmPageQuery{Slug: "le-chat-2001", Now: pagesNow, ReaderTokenHash: token, ReaderReviews: 10})
		say([]any{p.Ratings, p.ReaderReviews, p.YourRating}, err)
	}
	at := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	amy, err := s.Reader(ctx, readerToken("amy"), at)
	say(amy, err)
	say(s.Reader(ctx, readerToken("amy"), at.Add(time.Hour)))
	bob, _ := s.Reader(ctx, readerToken("bob"), at)
	const chat = 2 // le-chat-2001, the second film of the catalogue
	say(s.RateFilm(ctx, chat, amy, 8, at))
	say(s.RateFilm(ctx, chat, amy, 8, at.Add(time.Minute)))
	say(s.RateFilm(ctx, chat, amy, 11, at))
	say(s.RateFilm(ctx, chat, bob, 3, at))
	page(readerToken("amy"))
	review := film.ReaderReview{FilmSlug: "le-chat-2001", DisplayName: "Amy", Title: "Changed my mind", Rating: 6, Body: "Better than I said.",
		Status: film.ModerationPending, CreatedAt: at.Add(2 * time.Minute)}
	id, err := s.CreateReaderReview(ctx, review, amy)
	say(id, err)
	page(readerToken("amy"))
	say(s.CreateReaderReview(ctx, film.ReaderReview{FilmSlug: "no-such-film", DisplayName: "X", Title: "T", Rating: 5, Body: "B",
		Status: film.ModerationPending, CreatedAt: at}, amy))
	spam := review
	spam.DisplayName, spam.Title, spam.Rating, spam.Status = "Bot", "Buy", 1, film.ModerationSpam
	say(s.CreateReaderReview(ctx, spam, 0))
	vote(s.VoteHelpful(ctx, id, bob, at.Add(3*time.Minute))) // pending: not votable
	say(s.ModerateReaderReviews(ctx, []int64{id}, film.ModerationApproved, 0, at.Add(4*time.Minute)))
	vote(s.VoteHelpful(ctx, id, bob, at.Add(5*time.Minute)))
	vote(s.VoteHelpful(ctx, id, bob, at.Add(6*time.Minute)))
	page(readerToken("bob"))
	say(s.RemoveRating(ctx, chat, amy))
	say(s.RemoveRating(ctx, chat, amy))
	page(readerToken("amy"))
	return said
}

// TestReadersMatchSQLite tells the same readers' story on both backends
// and compares every answer.
func TestReadersMatchSQLite(t *testing.T) {
	lite, pg := pageStores(t)
	want := readerStory(t, lite)
	got := readerStory(t, pg)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("the readers' story differs between the backends (-SQLite +PostgreSQL):\n%s", diff)
	}
}

// TestConcurrentReadersLoseNothing has 200 readers rate one film and
// review it at once through the store, and checks that the kept counts
// equal a recount and that every rating and review is there: PostgreSQL's
// serialization failures are retried, never lost or reported.
func TestConcurrentReadersLoseNothing(t *testing.T) {
	ctx := context.Background()
	_, pg := pageStores(t)
	const readers = 200
	at := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	var wg sync.WaitGroup
	errs := make(chan error, readers)
	for n := range readers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := func() error {
				id, err := pg.Reader(ctx, readerToken(fmt.Sprintf("crowd %d", n)), at)
				if err != nil {
					return err
				}
				if _, err := pg.RateFilm(ctx, 2, id, n%10+1, at); err != nil {
					return err
				}
				_, err = pg.CreateReaderReview(ctx, film.ReaderReview{FilmSlug: "le-chat-2001", DisplayName: fmt.Sprintf("Reader %d", n),
					Title: "My view", Rating: (n*3)%10 + 1, Body: "Said at once.", Status: film.ModerationApproved, CreatedAt: at}, id)
				return err
			}()
			if err != nil {
				errs <- fmt.Errorf("reader %d: %w", n, err)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	kept, err := pg.RatingStats(ctx, 2)
	if err != nil {
		t.Fatal(err)
	}
	recount, err := pg.RecountRatingStats(ctx, 2)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(recount, kept); diff != "" {
		t.Errorf("kept ratings differ from a recount (-recount +kept):\n%s", diff)
	}
	if kept.Count != readers {
		t.Errorf("%d ratings counted, want %d", kept.Count, readers)
	}
	p, err := pg.FilmPage(ctx, film.FilmPageQuery{Slug: "le-chat-2001", Now: pagesNow, ReaderReviews: 1})
	if err != nil {
		t.Fatal(err)
	}
	if p.ReaderReviews.Total != readers {
		t.Errorf("%d approved reviews, want %d", p.ReaderReviews.Total, readers)
	}
}
