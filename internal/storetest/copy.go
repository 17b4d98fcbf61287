package storetest

import (
	"context"
	"testing"

	"marquee/internal/film"
)

// copyTests check what "marquee copy" asks of a backend to move a whole
// site to another one through the contract alone: a dump holds every kind
// of record, and the store takes it back as exactly what it holds; the
// desk's accounts are listed, their password hashes read and written
// verbatim, and a disabled account stays disabled.
var copyTests = []struct {
	name string
	run  func(*testing.T, film.Store)
}{
	{"CopyDumpTakenBack", testCopyDumpTakenBack},
	{"CopyAccounts", testCopyAccounts},
}

func testCopyDumpTakenBack(t *testing.T, s film.Store) {
	ctx := context.Background()
	mustSeed(t, s)
	page := mustFilmPage(t, s, film.FilmPageQuery{})
	amy, _ := mustReader(t, s, "amy")
	bob, _ := mustReader(t, s, "bob")
	cid, _ := mustReader(t, s, "cid")
	var seeded film.Catalog
	if err := s.Dump(ctx, &seeded); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RateFilm(ctx, page.Film.ID, cid, 8, now); err != nil {
		t.Fatal(err)
	}
	approved := mustReview(t, s, bob, 6, film.ModerationApproved, now)
	mustReview(t, s, amy, 9, film.ModerationPending, now.Add(1))
	if _, _, err := s.VoteHelpful(ctx, approved, amy, now); err != nil {
		t.Fatal(err)
	}

	var dump film.Catalog
	if err := s.Dump(ctx, &dump); err != nil {
		t.Fatal(err)
	}
	for kind, n := range map[string]int{"people": len(dump.People), "films": len(dump.Films), "critic reviews": len(dump.CriticReviews),
		"reader reviews": len(dump.ReaderReviews), "ratings": len(dump.Ratings), "helpful votes": len(dump.HelpfulVotes)} {
		if n == 0 {
			t.Errorf("the dump holds no %s", kind)
		}
	}
	if len(dump.ReaderReviews) != len(seeded.ReaderReviews)+2 {
		t.Errorf("the dump holds %d reader reviews, want the seeds' %d, the approved and the pending one", len(dump.ReaderReviews), len(seeded.ReaderReviews))
	}

	report, err := s.ImportWith(ctx, dump, film.ImportOptions{UpdateExisting: true})
	if err != nil {
		t.Fatalf("import the store's own dump: %v", err)
	}
	if (report.Added != film.CatalogCounts{}) || (report.Updated != film.CatalogCounts{}) {
		t.Errorf("importing the store's own dump added %+v and updated %+v; want everything unchanged", report.Added, report.Updated)
	}
	var again film.Catalog
	if err := s.Dump(ctx, &again); err != nil {
		t.Fatal(err)
	}
	if len(again.Ratings) != len(dump.Ratings) || len(again.HelpfulVotes) != len(dump.HelpfulVotes) || len(again.ReaderReviews) != len(dump.ReaderReviews) {
		t.Errorf("the dump after taking it back differs in size: %d/%d/%d, want %d/%d/%d", len(again.Ratings), len(again.HelpfulVotes),
			len(again.ReaderReviews), len(dump.Ratings), len(dump.HelpfulVotes), len(dump.ReaderReviews))
	}
}

func testCopyAccounts(t *testing.T, s film.Store) {
	ctx := context.Background()
	mustUser(t, s, "ed@example.com", film.RoleEditor)
	old := mustUser(t, s, "old@example.com", film.RoleAdmin)
	if err := s.SetUserDisabled(ctx, old.ID, true, 0, now); err != nil {
		t.Fatal(err)
	}
	users, err := s.FindUsers(ctx)
	if err != nil || len(users) != 2 {
		t.Fatalf("FindUsers = %v, %v; want both accounts", users, err)
	}
	for _, u := range users {
		got, hash, err := s.FindCredentials(ctx, u.Email)
		if err != nil {
			t.Fatalf("FindCredentials(%s): %v", u.Email, err)
		}
		if hash != storedHash || got.Disabled != (u.Email == "old@example.com") {
			t.Errorf("%s: hash %q, disabled %v", u.Email, hash, got.Disabled)
		}
	}
	// What copy writes into the target: the account as listed, with its
	// hash, then its disabled flag.
	moved := film.User{Email: "moved@example.com", Name: users[0].Name, Role: users[0].Role, CreatedAt: users[0].CreatedAt}
	made, err := s.CreateUser(ctx, moved, storedHash, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetUserDisabled(ctx, made.ID, true, 0, now); err != nil {
		t.Fatal(err)
	}
	got, hash, err := s.FindCredentials(ctx, "moved@example.com")
	if err != nil || hash != storedHash || !got.Disabled || got.Role != moved.Role || !got.CreatedAt.Equal(moved.CreatedAt) {
		t.Errorf("the written account reads back as %+v, %q, %v; want %+v with the same hash, disabled", got, hash, err, moved)
	}
}
