package postgres

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"marquee/internal/film"
	"marquee/internal/sqlite"
)

// moderationStore is what the moderation test asks of both backends.
type moderationStore interface {
	ModerationPage(ctx context.Context, f film.ModerationFilter) (film.ModerationPage, error)
	ModerateReaderReviews(ctx context.Context, ids []int64, status film.ModerationStatus, actor int64, now time.Time) (int, error)
	DeskCounts(ctx context.Context) (film.DeskCounts, error)
	FilmPage(ctx context.Context, q film.FilmPageQuery) (film.FilmPage, error)
	AuditLog(ctx context.Context, f film.AuditFilter) ([]film.AuditEntry, int, error)
}

var (
	_ moderationStore = (*DB)(nil)
	_ moderationStore = (*sqlite.DB)(nil)
)

// moderationStory works the moderation queue of the page catalogue on a
// store: every filter, reviews approved, rejected, marked spam (which
// takes their readers' ratings out) and rescued, and what the film page
// and the desk show after each step.
func moderationStory(t *testing.T, s moderationStore) []any {
	t.Helper()
	ctx := context.Background()
	var said []any
	say := func(v any, err error) {
		switch {
		case errors.Is(err, film.ErrNotFound):
			said = append(said, "not found")
		case err != nil:
			var p film.Problems
			if errors.As(err, &p) {
				said = append(said, p)
				return
			}
			t.Fatalf("step %d: %v", len(said), err)
		default:
			said = append(said, v)
		}
	}
	page := func() {
		p, err := s.FilmPage(ctx, film.FilmPageQuery{Slug: "paris-2008", Now: pagesNow, ReaderReviews: 10})
		say([]any{p.Ratings, p.ReaderReviews}, err)
		say(s.DeskCounts(ctx))
	}
	for _, f := range []film.ModerationFilter{
		{}, {Status: film.ModerationPending}, {Status: film.ModerationApproved, Limit: 2}, {Status: film.ModerationApproved, Limit: 2, Offset: 2},
		{FilmSlug: "paris-2008"}, {FilmSlug: "no-such-film"}, {Status: film.ModerationSpam},
	} {
		say(s.ModerationPage(ctx, f))
	}
	page()
	queue, err := s.ModerationPage(ctx, film.ModerationFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, it := range queue.Items {
		ids = append(ids, it.Review.ID)
	}
	at := time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC)
	for i, step := range []struct {
		ids    []int64
		status film.ModerationStatus
	}{
		{ids[:2], film.ModerationApproved},
		{ids[1:3], film.ModerationSpam},
		{ids[2:3], film.ModerationApproved},
		{ids, film.ModerationRejected},
		{[]int64{999}, film.ModerationApproved},
		{ids[:1], "deleted"},
	} {
		say(s.ModerateReaderReviews(ctx, step.ids, step.status, 0, at.Add(time.Duration(i)*time.Hour)))
		page()
	}
	entries, total, err := s.AuditLog(ctx, film.AuditFilter{RecordType: "reader_review"})
	say([]any{entries, total}, err)
	return said
}

// TestModerationMatchesSQLite tells the same moderation story on both
// backends and compares every answer.
func TestModerationMatchesSQLite(t *testing.T) {
	lite, pg := pageStores(t)
	want := moderationStory(t, lite)
	got := moderationStory(t, pg)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("the moderation story differs between the backends (-SQLite +PostgreSQL):\n%s", diff)
	}
}
