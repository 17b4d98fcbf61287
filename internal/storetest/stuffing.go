package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"marquee/internal/film"
)

// The tests in this file hold every backend to the stuffing defence's
// store side: a held rating or helpful vote is stored (its reader sees it)
// but counts nowhere published until its burst is released, at which
// commit it counts at once; a discarded burst never counts; bursts are
// listed for the desk with their film, size and times; and every release
// and discard is audited.

// stuffingTests are registered in Run.
var stuffingTests = []struct {
	name string
	run  func(*testing.T, film.Store)
}{
	{"FindReaderNeverCreates", testFindReaderNeverCreates},
	{"HeldRatingsCountOnlyWhenReleased", testHeldRatingsCountOnlyWhenReleased},
	{"DiscardedRatingsNeverCount", testDiscardedRatingsNeverCount},
	{"HeldHelpfulVotes", testHeldHelpfulVotes},
}

func testFindReaderNeverCreates(t *testing.T, s film.Store) {
	ctx := context.Background()
	hash := make([]byte, 32)
	hash[0] = 7
	if _, err := s.FindReader(ctx, hash); !errors.Is(err, film.ErrNotFound) {
		t.Fatalf("unknown reader: %v, want ErrNotFound", err)
	}
	id, err := s.Reader(ctx, hash, now)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := s.FindReader(ctx, hash); err != nil || got != id {
		t.Fatalf("known reader = %d, %v; want %d", got, err, id)
	}
}

// mustHoldRatings holds one rating of Paris from each of n new readers,
// all in one burst, and returns the burst.
func mustHoldRatings(t *testing.T, s film.Store, name string, values ...int) int64 {
	t.Helper()
	ctx := context.Background()
	var burst int64
	for i, v := range values {
		reader, _ := mustReader(t, s, name+string(rune('a'+i)))
		got, err := s.HoldRating(ctx, burst, parisID(t, s), reader, v, now.Add(time.Duration(i)*time.Second))
		if err != nil {
			t.Fatal(err)
		}
		if burst != 0 && got != burst {
			t.Fatalf("rating %d opened burst %d, want it in burst %d", i+1, got, burst)
		}
		burst = got
		if yours, err := s.ReaderRating(ctx, parisID(t, s), reader); err != nil || yours != v {
			t.Fatalf("held rating's reader sees %d, %v; want %d", yours, err, v)
		}
	}
	return burst
}

func testHeldRatingsCountOnlyWhenReleased(t *testing.T, s film.Store) {
	mustSeed(t, s)
	ctx := context.Background()
	id := parisID(t, s)
	trendingBefore := parisTrending(t, s)
	burst := mustHoldRatings(t, s, "held", 10, 10, 2)
	wantStats(t, "with three held ratings", mustMatchRecount(t, s, id), 9)
	// Held ratings are not published anywhere: not in what readers are
	// rating now, and not in a dump (an import would publish them).
	if got := parisTrending(t, s); got != trendingBefore {
		t.Errorf("with three held ratings, Paris's recent ratings on the home page = %d, want %d", got, trendingBefore)
	}
	if n := dumpedRatings(t, s); n != 0 {
		t.Errorf("a dump carries %d ratings while the only ones not on a review are held, want 0", n)
	}

	bursts, err := s.HeldBursts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(bursts) != 1 {
		t.Fatalf("held bursts = %+v, want one", bursts)
	}
	b := bursts[0]
	if b.ID != burst || b.Kind != film.BurstRatings || b.FilmSlug != "paris-2008" || b.Count != 3 ||
		b.Average < 7.33 || b.Average > 7.34 || !b.StartedAt.Equal(now) || !b.LastAt.Equal(now.Add(2*time.Second)) {
		t.Errorf("burst = %+v, want Paris's 3 ratings averaging 7.33 from %v to 2 s later", b, now)
	}

	// A held reader changing their rating changes nothing published.
	reader, _ := mustReader(t, s, "helda")
	if _, err := s.RateFilm(ctx, id, reader, 4, now); err != nil {
		t.Fatal(err)
	}
	wantStats(t, "after a held reader changed their rating", mustMatchRecount(t, s, id), 9)

	ed := mustUser(t, s, "release@example.com", film.RoleEditor)
	before := s.DataVersion()
	if n, err := s.ReleaseBurst(ctx, burst, ed.ID, now); err != nil || n != 3 {
		t.Fatalf("release = %d, %v; want 3", n, err)
	}
	if s.DataVersion() == before {
		t.Error("releasing a burst did not change the data version, so cached pages would not change")
	}
	wantStats(t, "released", mustMatchRecount(t, s, id), 9, 4, 10, 2)
	if got := parisTrending(t, s); got != trendingBefore+3 {
		t.Errorf("released, Paris's recent ratings on the home page = %d, want %d", got, trendingBefore+3)
	}
	if n := dumpedRatings(t, s); n != 3 {
		t.Errorf("released, a dump carries %d ratings, want the 3 released", n)
	}
	if bursts, err := s.HeldBursts(ctx); err != nil || len(bursts) != 0 {
		t.Errorf("after release, held bursts = %+v, %v", bursts, err)
	}
	if _, err := s.ReleaseBurst(ctx, burst, ed.ID, now); !errors.Is(err, film.ErrNotFound) {
		t.Errorf("releasing again: %v, want ErrNotFound", err)
	}
	entries, _, err := s.AuditLog(ctx, film.AuditFilter{RecordType: "held_burst", RecordID: burst})
	if err != nil || len(entries) != 1 || entries[0].Action != "held_burst.release" || entries[0].UserID != ed.ID {
		t.Errorf("audit of the release = %+v, %v", entries, err)
	}
	// A burst id that was released starts a new burst when held into.
	reader, _ = mustReader(t, s, "late")
	again, err := s.HoldRating(ctx, burst, id, reader, 6, now)
	if err != nil || again == burst || again == 0 {
		t.Errorf("holding into a released burst = %d, %v; want a new burst", again, err)
	}
}

func testDiscardedRatingsNeverCount(t *testing.T, s film.Store) {
	mustSeed(t, s)
	ctx := context.Background()
	id := parisID(t, s)
	burst := mustHoldRatings(t, s, "junk", 1, 1, 1, 1)
	ed := mustUser(t, s, "discard@example.com", film.RoleEditor)
	if n, err := s.DiscardBurst(ctx, burst, ed.ID, now); err != nil || n != 4 {
		t.Fatalf("discard = %d, %v; want 4", n, err)
	}
	wantStats(t, "discarded", mustMatchRecount(t, s, id), 9)
	reader, _ := mustReader(t, s, "junka")
	if yours, err := s.ReaderRating(ctx, id, reader); err != nil || yours != 0 {
		t.Errorf("a discarded rating is still the reader's: %d, %v", yours, err)
	}
	if _, err := s.DiscardBurst(ctx, burst, ed.ID, now); !errors.Is(err, film.ErrNotFound) {
		t.Errorf("discarding again: %v, want ErrNotFound", err)
	}
	entries, _, err := s.AuditLog(ctx, film.AuditFilter{RecordType: "held_burst", RecordID: burst})
	if err != nil || len(entries) != 1 || entries[0].Action != "held_burst.discard" {
		t.Errorf("audit of the discard = %+v, %v", entries, err)
	}
}

func testHeldHelpfulVotes(t *testing.T, s film.Store) {
	mustSeed(t, s)
	ctx := context.Background()
	page := mustFilmPage(t, s, film.FilmPageQuery{ReaderReviews: 10})
	if len(page.ReaderReviews.Reviews) == 0 {
		t.Fatal("no approved reader review in the seeds")
	}
	review := page.ReaderReviews.Reviews[0]
	var burst int64
	for i := range 3 {
		voter, _ := mustReader(t, s, "votes"+string(rune('a'+i)))
		got, slug, added, err := s.HoldHelpfulVote(ctx, burst, review.ID, voter, now)
		if err != nil || slug != "paris-2008" || !added || (burst != 0 && got != burst) {
			t.Fatalf("held vote %d = %d, %s, %v, %v", i+1, got, slug, added, err)
		}
		burst = got
		if _, _, added, err := s.HoldHelpfulVote(ctx, burst, review.ID, voter, now); err != nil || added {
			t.Errorf("a second held vote by one reader = %v, %v; want not added", added, err)
		}
	}
	helpful := func() int {
		t.Helper()
		for _, r := range mustFilmPage(t, s, film.FilmPageQuery{ReaderReviews: 10}).ReaderReviews.Reviews {
			if r.ID == review.ID {
				return r.HelpfulCount
			}
		}
		t.Fatal("review gone")
		return 0
	}
	if n := helpful(); n != review.HelpfulCount {
		t.Errorf("held votes counted: %d, want %d", n, review.HelpfulCount)
	}
	bursts, err := s.HeldBursts(ctx)
	if err != nil || len(bursts) != 1 || bursts[0].Kind != film.BurstVotes || bursts[0].ReviewID != review.ID || bursts[0].Count != 3 {
		t.Fatalf("held bursts = %+v, %v", bursts, err)
	}
	ed := mustUser(t, s, "votes@example.com", film.RoleEditor)
	if n, err := s.ReleaseBurst(ctx, burst, ed.ID, now); err != nil || n != 3 {
		t.Fatalf("release = %d, %v", n, err)
	}
	if n := helpful(); n != review.HelpfulCount+3 {
		t.Errorf("released votes: helpful %d, want %d", n, review.HelpfulCount+3)
	}
	if _, _, _, err := s.HoldHelpfulVote(ctx, 0, 1<<40, 1, now); !errors.Is(err, film.ErrNotFound) {
		t.Errorf("vote on no review: %v, want ErrNotFound", err)
	}
}

// parisTrending is how many recent ratings the home page counts for Paris
// in what readers are rating now, an hour after the test's clock.
func parisTrending(t *testing.T, s film.Store) int {
	t.Helper()
	home, err := s.HomePage(context.Background(), now.Add(time.Hour), 6)
	if err != nil {
		t.Fatal(err)
	}
	for _, tf := range home.Trending {
		if tf.Film.Slug == "paris-2008" {
			return tf.RecentRatings
		}
	}
	return 0
}

// dumpedRatings is how many ratings a dump of s carries.
func dumpedRatings(t *testing.T, s film.Store) int {
	t.Helper()
	var dump film.Catalog
	if err := s.Dump(context.Background(), &dump); err != nil {
		t.Fatal(err)
	}
	return len(dump.Ratings)
}
