package sqlite_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"marquee/internal/film"
	"marquee/internal/sqlite"
)

// mustQueue stores reader reviews of the seeded film in the given states,
// a minute apart, and returns their ids.
func mustQueue(tb testing.TB, db *sqlite.DB, statuses ...film.ModerationStatus) []int64 {
	tb.Helper()
	var ids []int64
	for i, st := range statuses {
		id, err := db.CreateReaderReview(context.Background(), film.ReaderReview{
			FilmSlug: "paris-2008", DisplayName: "Reader", Title: "Review " + string(rune('A'+i)), Rating: 7,
			Body: "Text.", Status: st, CreatedAt: accountsNow.Add(time.Duration(i) * time.Minute),
		}, 0)
		if err != nil {
			tb.Fatal(err)
		}
		ids = append(ids, id)
	}
	return ids
}

func TestModerationQueue(t *testing.T) {
	ctx := context.Background()
	db, _ := mustOpen(t)
	mustSeed(t, db) // One film with one approved reader review.
	ed := mustAccount(t, db, "ed@example.com", film.RoleEditor)
	ids := mustQueue(t, db, film.ModerationPending, film.ModerationPending, film.ModerationSpam, film.ModerationPending)

	titles := func(f film.ModerationFilter) ([]string, int) {
		t.Helper()
		page, err := db.ModerationPage(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, it := range page.Items {
			out = append(out, it.Review.Title)
			if it.FilmTitle != "Paris" || it.FilmYear != 2008 {
				t.Errorf("item film = %q (%d)", it.FilmTitle, it.FilmYear)
			}
		}
		return out, page.Total
	}
	// Pending: oldest first, paged.
	got, total := titles(film.ModerationFilter{Status: film.ModerationPending, Limit: 2})
	if diff := cmp.Diff([]string{"Review A", "Review B"}, got); diff != "" || total != 3 {
		t.Errorf("pending page 1 (total %d) (-want +got):\n%s", total, diff)
	}
	got, _ = titles(film.ModerationFilter{Status: film.ModerationPending, Offset: 2, Limit: 2})
	if diff := cmp.Diff([]string{"Review D"}, got); diff != "" {
		t.Errorf("pending page 2 (-want +got):\n%s", diff)
	}
	if _, err := db.ModerationPage(ctx, film.ModerationFilter{Status: film.ModerationPending, FilmSlug: "no-such-film"}); !errors.Is(err, film.ErrNotFound) {
		t.Errorf("queue of a missing film: %v, want not found", err)
	}

	n, err := db.ModerateReaderReviews(ctx, []int64{ids[0], ids[2], ids[0], 999}, film.ModerationApproved, ed.ID, accountsNow.Add(time.Hour))
	if err != nil || n != 2 {
		t.Fatalf("ModerateReaderReviews = %d, %v, want 2 changed", n, err)
	}
	// Already approved: nothing changes, nothing is recorded.
	if n, err := db.ModerateReaderReviews(ctx, []int64{ids[0]}, film.ModerationApproved, ed.ID, accountsNow); err != nil || n != 0 {
		t.Errorf("approving again = %d, %v, want 0", n, err)
	}
	if _, err := db.ModerateReaderReviews(ctx, ids, "published", ed.ID, accountsNow); err == nil {
		t.Error("moderating to an unknown state succeeded")
	}
	approved, err := db.ModerationPage(ctx, film.ModerationFilter{Status: film.ModerationApproved})
	if err != nil {
		t.Fatal(err)
	}
	items := approved.Items
	if len(items) != 3 || items[0].Review.Title != "Review C" || items[0].ModeratedBy != ed.Name || !items[0].ModeratedAt.Equal(accountsNow.Add(time.Hour)) {
		t.Errorf("approved queue = %+v, want the newest first with who moderated it", items)
	}
	pending, err := db.ModerationPage(ctx, film.ModerationFilter{Status: film.ModerationPending, FilmSlug: "paris-2008"})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[film.ModerationStatus]int{"approved": 3, "pending": 2}, pending.Counts); diff != "" {
		t.Errorf("counts (-want +got):\n%s", diff)
	}
	if pending.Film.Slug != "paris-2008" || pending.Film.Title != "Paris" {
		t.Errorf("filtered film = %+v, want Paris", pending.Film)
	}
	if diff := cmp.Diff([]film.ModerationFilm{{Slug: "paris-2008", Title: "Paris", Year: 2008, Count: 2}}, pending.Films); diff != "" {
		t.Errorf("films (-want +got):\n%s", diff)
	}
	// The approved reviews are public now.
	public, err := approvedReaderReviews(ctx, db, "paris-2008")
	if err != nil {
		t.Fatal(err)
	}
	if len(public) != 3 {
		t.Errorf("public reviews = %d, want 3", len(public))
	}
	entries, _, err := db.AuditLog(ctx, film.AuditFilter{RecordType: "reader_review", RecordID: ids[2]})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Action != "reader_review.approve" || entries[0].UserName != ed.Name ||
		entries[0].Detail != "spam → approved: “Review C” on paris-2008" {
		t.Errorf("audit of the rescued spam = %+v", entries)
	}
	desk, err := db.DeskCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if desk != (film.DeskCounts{PendingReaderReviews: 2}) {
		t.Errorf("DeskCounts = %+v", desk)
	}
}
