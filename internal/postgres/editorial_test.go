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

// editorialStore is what the review editor's test asks of both backends.
type editorialStore interface {
	CreateUser(ctx context.Context, u film.User, passwordHash string, actor int64) (film.User, error)
	FindEditedReview(ctx context.Context, id int64) (film.EditedReview, error)
	FindEditedReviews(ctx context.Context, f film.EditedReviewFilter) (film.EditedReviewPage, error)
	CreateCriticReview(ctx context.Context, r film.CriticReview, by film.User, now time.Time) (int64, error)
	UpdateCriticReview(ctx context.Context, id int64, base int, r film.CriticReview, by film.User, now time.Time) (bool, error)
	RestoreRevision(ctx context.Context, id int64, number, base int, by film.User, now time.Time) error
	Revisions(ctx context.Context, id int64) ([]film.Revision, error)
	FindRevision(ctx context.Context, id int64, number int) (film.Revision, error)
	FindSlugRedirect(ctx context.Context, kind film.RedirectKind, slug string, now time.Time) (string, error)
	CriticReviewPage(ctx context.Context, slug string, now time.Time) (film.CriticReviewPage, error)
	AuditLog(ctx context.Context, f film.AuditFilter) ([]film.AuditEntry, int, error)
}

var (
	_ editorialStore = (*DB)(nil)
	_ editorialStore = (*sqlite.DB)(nil)
)

// editorialStory writes, saves, publishes, renames and restores critic
// reviews, and edits a seeded one, returning every answer.
func editorialStory(t *testing.T, s editorialStore) []any {
	t.Helper()
	ctx := context.Background()
	var said []any
	say := func(v any, err error) {
		var p film.Problems
		switch {
		case errors.Is(err, film.ErrNotFound):
			said = append(said, "not found")
		case errors.Is(err, film.ErrConflict):
			said = append(said, "conflict")
		case errors.As(err, &p):
			said = append(said, p)
		case err != nil:
			t.Fatalf("step %d: %v", len(said), err)
		default:
			said = append(said, v)
		}
	}
	at := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	critic, err := s.CreateUser(ctx, film.User{Email: "critic@example.com", Name: "Critic", Role: film.RoleContributor, CreatedAt: at},
		"$argon2id$v=19$m=65536,t=1,p=4$c2FsdA$aGFzaA", 0)
	if err != nil {
		t.Fatal(err)
	}
	draft := film.CriticReview{Slug: "chat-notes", FilmSlug: "le-chat-2001", Headline: "Notes on a cat", Author: "Critic",
		Body: "First *thoughts*.", Status: film.ReviewDraft}
	say(s.CreateCriticReview(ctx, film.CriticReview{Slug: "le-chat-review", FilmSlug: "no-such-film", Headline: "H", Author: "A",
		Body: "B", Status: film.ReviewDraft, AuthorSlug: "nobody"}, critic, at))
	id, err := s.CreateCriticReview(ctx, draft, critic, at)
	say(id, err)
	say(s.UpdateCriticReview(ctx, id, 1, draft, critic, at.Add(time.Minute))) // nothing changed
	draft.Body = "Second *thoughts*."
	say(s.UpdateCriticReview(ctx, id, 1, draft, critic, at.Add(2*time.Minute)))
	say(s.UpdateCriticReview(ctx, id, 1, draft, critic, at.Add(3*time.Minute))) // revision 1 is stale
	published := draft
	published.Status, published.PublishedAt = film.ReviewPublished, at.Add(4*time.Minute)
	published.Rating = &film.Rating{Value: 3.5, Scale: 5}
	say(s.UpdateCriticReview(ctx, id, 2, published, critic, at.Add(4*time.Minute)))
	published.Slug, published.Headline = "le-chat-notes", "Notes on Le Chat"
	say(s.UpdateCriticReview(ctx, id, 3, published, critic, at.Add(5*time.Minute)))
	say(s.FindSlugRedirect(ctx, film.RedirectReview, "chat-notes", pagesNow))
	say(s.CriticReviewPage(ctx, "le-chat-notes", pagesNow))
	say(nil, s.RestoreRevision(ctx, id, 1, 4, critic, at.Add(6*time.Minute)))
	say(nil, s.RestoreRevision(ctx, id, 99, 5, critic, at.Add(7*time.Minute)))
	say(s.FindEditedReview(ctx, id))
	say(s.Revisions(ctx, id))
	for n := range 6 {
		say(s.FindRevision(ctx, id, n+1))
	}

	// A seeded review has no revision until its first edit.
	page, err := s.FindEditedReviews(ctx, film.EditedReviewFilter{FilmSlug: "paris-2008", Status: film.ReviewPublished})
	say(page, err)
	if len(page.Reviews) > 0 {
		seeded := page.Reviews[len(page.Reviews)-1]
		full, err := s.FindEditedReview(ctx, seeded.Review.ID)
		say(full, err)
		r := full.Review
		r.PullQuote = "A new pull quote."
		say(s.UpdateCriticReview(ctx, r.ID, full.Revision, r, critic, at.Add(8*time.Minute)))
		say(s.Revisions(ctx, r.ID))
	}
	for _, f := range []film.EditedReviewFilter{
		{}, {Limit: 2}, {Limit: 2, Offset: 2}, {Status: film.ReviewDraft}, {Author: "crit"}, {Author: "%"},
		{OwnerID: critic.ID}, {FilmSlug: "le-chat-2001"},
	} {
		say(s.FindEditedReviews(ctx, f))
	}
	entries, total, err := s.AuditLog(ctx, film.AuditFilter{RecordType: "critic_review"})
	say([]any{entries, total}, err)
	return said
}

// sameImportTime compares times, taking any two at or after the start of
// the tests as equal: they are the times of the writes of each backend's
// import (a seeded review's creation), made a moment apart.
var sameImportTime = cmp.Comparer(func(a, b time.Time) bool {
	if !a.Before(testStart) && !b.Before(testStart) {
		return true
	}
	return a.Equal(b)
})

// TestEditorialMatchesSQLite tells the same review editor's story on both
// backends and compares every answer.
func TestEditorialMatchesSQLite(t *testing.T) {
	lite, pg := pageStores(t)
	want := editorialStory(t, lite)
	got := editorialStory(t, pg)
	if diff := cmp.Diff(want, got, sameImportTime); diff != "" {
		t.Errorf("the review editor's story differs between the backends (-SQLite +PostgreSQL):\n%s", diff)
	}
	var conflicts, problems, notFound int
	for _, v := range got {
		switch v {
		case "conflict":
			conflicts++
		case "not found":
			notFound++
		}
		if _, ok := v.(film.Problems); ok {
			problems++
		}
	}
	if conflicts != 1 || problems != 1 || notFound != 2 {
		t.Errorf("the PostgreSQL story met %d conflicts, %d refusals and %d not found, want 1, 1 and 2", conflicts, problems, notFound)
	}
}
