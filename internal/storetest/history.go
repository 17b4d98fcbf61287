package storetest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"marquee/internal/catalog"
	"marquee/internal/film"
)

// The tests in this file hold every backend to what "marquee copy" asks of
// it to move a site's history: a history dumped from one store and
// imported into another that holds the same catalogue and accounts dumps
// again unchanged, and works there: revisions with their numbers and
// restores, the audit log with every line naming the same record (or
// none, when the record is gone), redirects that answer, held bursts that
// stay held and can be released, sessions that stay signed in, and the
// site's secrets. A store refuses a second history.
//
// These tests need two stores, so they take the backend's Open rather
// than one store.
var historyTests = []struct {
	name string
	run  func(*testing.T, Open)
}{
	{"HistoryRoundTrip", testHistoryRoundTrip},
	{"HistoryImportedOnce", testHistoryImportedOnce},
}

// runHistory runs the history tests in parallel, each with the backend's
// Open.
func runHistory(t *testing.T, open Open) {
	for _, tt := range historyTests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.run(t, open)
		})
	}
}

// mustCopySite writes src's catalogue and accounts into the empty dst, as
// marquee copy does before the history.
func mustCopySite(t *testing.T, src, dst film.Store) {
	t.Helper()
	ctx := context.Background()
	var cat film.Catalog
	if err := src.Dump(ctx, &cat); err != nil {
		t.Fatal(err)
	}
	doc := catalog.Document{Catalog: cat}
	if err := doc.LoadImages(nil); err != nil {
		t.Fatal(err)
	}
	if _, err := dst.ImportWith(ctx, doc.Catalog, film.ImportOptions{}); err != nil {
		t.Fatalf("import the catalogue: %v", err)
	}
	users, err := src.FindUsers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range users {
		_, hash, err := src.FindCredentials(ctx, u.Email)
		if err != nil {
			t.Fatal(err)
		}
		made, err := dst.CreateUser(ctx, u, hash, 0)
		if err != nil {
			t.Fatal(err)
		}
		if u.Disabled {
			if err := dst.SetUserDisabled(ctx, made.ID, true, 0, now); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// historySite is what makeHistory left in a store, for the checks.
type historySite struct {
	reviewSlug, oldReviewSlug string
	personSlug, oldPersonSlug string
	newFilmSlug               string
	sessionToken              []byte
	ratingBurst, voteBurst    int64
	votedReview               int64
	heldReaders               [][]byte
	secret                    []byte
}

// makeHistory gives the seeded store s a history with every kind of
// record: a critic review written by a contributor, published, restored
// and renamed by an editor; a renamed person and a new film; a reader
// review approved; a held burst of ratings and one of votes, and a third
// burst released; an account disabled; a live session; and a secret.
func makeHistory(t *testing.T, s film.Store) historySite {
	t.Helper()
	ctx := context.Background()
	site := historySite{oldReviewSlug: "a-quiet-city", reviewSlug: "a-quiet-city-revisited",
		oldPersonSlug: "romain-duris", personSlug: "romain-duris-1974", newFilmSlug: "a-new-film-2026"}
	con := mustUser(t, s, "con@example.com", film.RoleContributor)
	ed := mustUser(t, s, "ed@example.com", film.RoleEditor)
	gone := mustUser(t, s, "gone@example.com", film.RoleEditor)
	if err := s.SetUserDisabled(ctx, gone.ID, true, ed.ID, now); err != nil {
		t.Fatal(err)
	}

	// A review: revision 1 by the contributor, 2 published by the editor,
	// 3 restoring revision 1's words, 4 a rename, which leaves a redirect.
	draft := film.CriticReview{Slug: site.oldReviewSlug, FilmSlug: "paris-2008", Headline: "A quiet city", Author: "Con",
		Body: "First words.", Status: film.ReviewDraft}
	id, err := s.CreateCriticReview(ctx, draft, con, now)
	if err != nil {
		t.Fatal(err)
	}
	published := draft
	published.Body, published.Status, published.PublishedAt = "Second words.", film.ReviewPublished, now.Add(time.Minute)
	if _, err := s.UpdateCriticReview(ctx, id, 1, published, ed, now.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := s.RestoreRevision(ctx, id, 1, 2, ed, now.Add(2*time.Minute)); err != nil {
		t.Fatal(err)
	}
	stored, err := s.FindEditedReview(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	renamed := stored.Review
	renamed.Slug = site.reviewSlug
	if _, err := s.UpdateCriticReview(ctx, id, 3, renamed, ed, now.Add(3*time.Minute)); err != nil {
		t.Fatal(err)
	}

	// A person renamed (a redirect, a person line) and a film made (a
	// film line).
	duris, err := s.FindPersonForEdit(ctx, site.oldPersonSlug)
	if err != nil {
		t.Fatal(err)
	}
	duris.Slug = site.personSlug
	if err := s.UpdatePerson(ctx, site.oldPersonSlug, duris, ed, now.Add(4*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateFilm(ctx, film.Film{Slug: site.newFilmSlug, Title: "A new film", Year: 2026}, ed, now.Add(5*time.Minute)); err != nil {
		t.Fatal(err)
	}

	// A reader review approved (a reader review line), with votes held.
	writer, _ := mustReader(t, s, "history-writer")
	site.votedReview = mustReview(t, s, writer, 7, film.ModerationPending, now.Add(6*time.Minute))
	if _, err := s.ModerateReaderReviews(ctx, []int64{site.votedReview}, film.ModerationApproved, ed.ID, now.Add(6*time.Minute)); err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		voter, hash := mustReader(t, s, "history-voter"+string(rune('a'+i)))
		site.heldReaders = append(site.heldReaders, hash)
		burst, _, _, err := s.HoldHelpfulVote(ctx, site.voteBurst, site.votedReview, voter, now.Add(7*time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		site.voteBurst = burst
	}
	// Ratings held in a burst, and a burst released: its line names a
	// burst that is gone.
	released := mustHoldRatings(t, s, "history-released", 4)
	if _, err := s.ReleaseBurst(ctx, released, ed.ID, now.Add(8*time.Minute)); err != nil {
		t.Fatal(err)
	}
	site.ratingBurst = mustHoldRatings(t, s, "history-held", 10, 10, 2)
	// A reader whose rating is held writes a review: the catalogue carries
	// the review, whose rating an import publishes, and the history holds
	// it again.
	heldWriter, _ := mustReader(t, s, "history-helda")
	mustReview(t, s, heldWriter, 10, film.ModerationPending, now.Add(9*time.Minute))

	// A live session, and the site's secret.
	site.sessionToken = []byte("history-session-token-hash......")
	if err := s.CreateSession(ctx, site.sessionToken, ed.ID, now.Add(9*time.Minute), now.Add(24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if site.secret, err = s.Secret(ctx, "form_key", func() ([]byte, error) { return []byte("the source's key"), nil }); err != nil {
		t.Fatal(err)
	}
	return site
}

// mustDumpHistory dumps s's history.
func mustDumpHistory(t *testing.T, s film.Store) film.SiteHistory {
	t.Helper()
	h, err := s.DumpHistory(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// auditLines returns a store's whole audit log, newest first.
func auditLines(t *testing.T, s film.Store) []film.AuditEntry {
	t.Helper()
	entries, total, err := s.AuditLog(context.Background(), film.AuditFilter{})
	if err != nil || len(entries) != total {
		t.Fatalf("audit log = %d of %d lines, %v", len(entries), total, err)
	}
	return entries
}

func testHistoryRoundTrip(t *testing.T, open Open) {
	ctx := context.Background()
	src := open(t)
	mustSeed(t, src)
	site := makeHistory(t, src)
	srcParis := mustMatchRecount(t, src, parisID(t, src))

	dst := open(t)
	// The target made its own key when it was first opened; the copy's
	// replaces it.
	if _, err := dst.Secret(ctx, "form_key", func() ([]byte, error) { return []byte("the target's own key"), nil }); err != nil {
		t.Fatal(err)
	}
	mustCopySite(t, src, dst)
	history := mustDumpHistory(t, src)
	if err := dst.ImportHistory(ctx, history); err != nil {
		t.Fatalf("import history: %v", err)
	}

	// Every kind of record is there, and the target's history is the
	// source's, record for record.
	counts := history.Counts()
	if counts.Revisions < 4 || counts.Moderations < 1 || len(history.Changes) == 0 || counts.Redirects != 2 || counts.Bursts != 2 || counts.HeldRatings != 3 || counts.HeldVotes != 2 ||
		counts.Sessions != 1 || counts.Secrets != 1 || counts.AuditLines < 10 {
		t.Errorf("the source's history holds %+v; want every kind of record", counts)
	}
	if diff := cmp.Diff(history, mustDumpHistory(t, dst)); diff != "" {
		t.Errorf("the target's history differs from the source's (-source +target):\n%s", diff)
	}
	srcLog, dstLog := auditLines(t, src), auditLines(t, dst)

	// The sitemap tells crawlers the same change times: nothing looks
	// new for having moved.
	later := now.Add(time.Hour)
	srcMap, err := src.SitemapEntries(ctx, later, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	dstMap, err := dst.SitemapEntries(ctx, later, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(srcMap, dstMap); diff != "" {
		t.Errorf("the target's sitemap differs from the source's (-source +target):\n%s", diff)
	}
	// Who moderated the reader review, and when.
	queue, err := dst.ModerationPage(ctx, film.ModerationFilter{Status: film.ModerationApproved, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	moderated := false
	for _, it := range queue.Items {
		if it.Review.Title == "Seen it" && it.ModeratedBy == "Ed" && it.ModeratedAt.Equal(now.Add(6*time.Minute)) {
			moderated = true
		}
	}
	if !moderated {
		t.Errorf("the approved reader review on the target does not say who approved it when: %+v", queue.Items)
	}

	// Revisions: numbered as they were, the restore naming revision 1,
	// the owner the contributor; the editor goes on from revision 4.
	edited, err := dst.FindEditedReviews(ctx, film.EditedReviewFilter{Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	var review film.EditedReview
	for _, r := range edited.Reviews {
		if r.Review.Slug == site.reviewSlug {
			review = r
		}
	}
	con, err := dst.FindUserByEmail(ctx, "con@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if review.Review.ID == 0 || review.Revision != 4 || review.OwnerID != con.ID || !review.ChangedAt.Equal(now.Add(3*time.Minute)) {
		t.Fatalf("the review on the target = %+v; want revision 4 at %v, owned by %d", review, now.Add(3*time.Minute), con.ID)
	}
	revisions, err := dst.Revisions(ctx, review.Review.ID)
	if err != nil || len(revisions) != 4 {
		t.Fatalf("revisions on the target = %+v, %v", revisions, err)
	}
	for i, want := range []struct {
		action   string
		restored int
		user     string
	}{{film.ActionReviewUpdate, 0, "ed@example.com"}, {film.ActionReviewRestore, 1, "ed@example.com"},
		{film.ActionReviewPublish, 0, "ed@example.com"}, {film.ActionReviewCreate, 0, "con@example.com"}} {
		v := revisions[i]
		u, err := dst.FindUser(ctx, v.UserID)
		if v.Number != 4-i || v.Action != want.action || v.RestoredFrom != want.restored || err != nil || u.Email != want.user {
			t.Errorf("revision %d on the target = %+v by %q, %v; want %s by %s, restored from %d", 4-i, v, u.Email, err,
				want.action, want.user, want.restored)
		}
	}
	if first, err := dst.FindRevision(ctx, review.Review.ID, 1); err != nil || first.Review.Body != "First words." || first.Review.Slug != site.oldReviewSlug {
		t.Errorf("revision 1 on the target = %+v, %v", first.Review, err)
	}
	ed, err := dst.FindUserByEmail(ctx, "ed@example.com")
	if err != nil {
		t.Fatal(err)
	}
	full, err := dst.FindEditedReview(ctx, review.Review.ID)
	if err != nil {
		t.Fatal(err)
	}
	next := full.Review
	next.Headline = "A quiet city, again"
	if _, err := dst.UpdateCriticReview(ctx, review.Review.ID, 4, next, ed, now.Add(time.Hour)); err != nil {
		t.Errorf("a save on the target from revision 4: %v", err)
	}

	// Redirects answer.
	if got, err := dst.FindSlugRedirect(ctx, film.RedirectReview, site.oldReviewSlug, now.Add(time.Hour)); err != nil || got != site.reviewSlug {
		t.Errorf("the review's old slug on the target = %q, %v; want %q", got, err, site.reviewSlug)
	}
	if got, err := dst.FindSlugRedirect(ctx, film.RedirectPerson, site.oldPersonSlug, now.Add(time.Hour)); err != nil || got != site.personSlug {
		t.Errorf("the person's old slug on the target = %q, %v; want %q", got, err, site.personSlug)
	}

	// The audit log: as many lines in the same order, each naming on the
	// target the record its source line named on the source, or nothing
	// for the released burst, which is gone.
	if len(srcLog) != len(dstLog) {
		t.Fatalf("the target's audit log has %d lines, the source's %d", len(dstLog), len(srcLog))
	}
	kinds := map[string]bool{}
	for i := range srcLog {
		a, b := srcLog[i], dstLog[i]
		kinds[a.RecordType] = true
		if !a.At.Equal(b.At) || a.Action != b.Action || a.RecordType != b.RecordType || a.Detail != b.Detail || a.UserName != b.UserName {
			t.Errorf("audit line %d: source %+v, target %+v", i, a, b)
			continue
		}
		if want, got := recordName(t, src, a), recordName(t, dst, b); want != got {
			t.Errorf("audit line %d (%s) names %q on the source, %q on the target", i, a.Action, want, got)
		}
	}
	for _, kind := range []string{film.AuditFilm, film.AuditPerson, film.AuditCriticReview, film.AuditReaderReview, film.AuditUser, film.AuditHeldBurst} {
		if !kinds[kind] {
			t.Errorf("no audit line of %s in the story", kind)
		}
	}

	// The held bursts: listed, not counted until released, then counted.
	dstParisID := parisID(t, dst)
	if got := mustMatchRecount(t, dst, dstParisID); got != srcParis {
		t.Errorf("Paris's published ratings on the target %+v, on the source %+v", got, srcParis)
	}
	bursts, err := dst.HeldBursts(ctx)
	if err != nil || len(bursts) != 2 {
		t.Fatalf("held bursts on the target = %+v, %v", bursts, err)
	}
	srcBursts, err := src.HeldBursts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for i, b := range bursts {
		a := srcBursts[i]
		if b.Kind != a.Kind || b.Count != a.Count || b.Average != a.Average || !b.StartedAt.Equal(a.StartedAt) || !b.LastAt.Equal(a.LastAt) || b.FilmSlug != a.FilmSlug {
			t.Errorf("held burst %d on the target = %+v, on the source %+v", i, b, a)
		}
	}
	for _, hash := range site.heldReaders {
		if _, err := dst.FindReader(ctx, hash); err != nil {
			t.Errorf("a held vote's reader is not on the target: %v", err)
		}
	}
	for _, b := range bursts {
		if _, err := dst.ReleaseBurst(ctx, b.ID, ed.ID, now.Add(time.Hour)); err != nil {
			t.Fatalf("release burst %d on the target: %v", b.ID, err)
		}
	}
	wantStats(t, "Paris on the target after the release", mustMatchRecount(t, dst, dstParisID),
		append(ratingValues(srcParis), 10, 10, 2)...)

	// The editor's session, and the secret.
	if s, err := dst.FindSession(ctx, site.sessionToken); err != nil || s.User.Email != "ed@example.com" || !s.ExpiresAt.Equal(now.Add(24*time.Hour)) {
		t.Errorf("the session on the target = %+v, %v", s, err)
	}
	secret, err := dst.Secret(ctx, "form_key", func() ([]byte, error) { return nil, errors.New("the key was not copied") })
	if err != nil || string(secret) != string(site.secret) {
		t.Errorf("the target's key = %q, %v; want the source's %q", secret, err, site.secret)
	}
}

// ratingValues lists the ratings stats counts, one value per rating.
func ratingValues(stats film.RatingStats) []int {
	var values []int
	for i, n := range stats.Histogram {
		for range n {
			values = append(values, i+1)
		}
	}
	return values
}

// recordName names the record an audit line is about by what holds in
// any store: a slug, an email, a reader review's key, or "" for none.
func recordName(t *testing.T, s film.Store, e film.AuditEntry) string {
	t.Helper()
	if e.RecordID == 0 {
		return ""
	}
	ctx := context.Background()
	switch e.RecordType {
	case film.AuditUser:
		u, err := s.FindUser(ctx, e.RecordID)
		if err != nil {
			t.Fatalf("audit line %+v: %v", e, err)
		}
		return u.Email
	case film.AuditCriticReview:
		r, err := s.FindEditedReview(ctx, e.RecordID)
		if err != nil {
			t.Fatalf("audit line %+v: %v", e, err)
		}
		return r.Review.Slug
	case film.AuditReaderReview:
		page, err := s.ModerationPage(ctx, film.ModerationFilter{Status: film.ModerationApproved, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range page.Items {
			if it.Review.ID == e.RecordID {
				return it.Review.Key().String()
			}
		}
		t.Fatalf("audit line %+v names no approved review", e)
	case film.AuditHeldBurst:
		bursts, err := s.HeldBursts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range bursts {
			if b.ID == e.RecordID {
				return b.FilmSlug + " " + string(b.Kind)
			}
		}
		return "" // settled: gone, as on a target
	case film.AuditFilm, film.AuditPerson:
		// The line's detail ends with the record's slug of the time,
		// which it still has in this story.
		slug := e.Detail[strings.LastIndex(e.Detail, " ")+1:]
		var (
			id  int64
			err error
		)
		if e.RecordType == film.AuditFilm {
			var f film.Film
			f, err = s.FindFilm(ctx, slug)
			id = f.ID
		} else {
			var p film.Person
			p, err = s.FindPersonForEdit(ctx, slug)
			id = p.ID
		}
		if err != nil || id != e.RecordID {
			return fmt.Sprintf("%s %d, not %s (%d, %v)", e.RecordType, e.RecordID, slug, id, err)
		}
		return slug
	}
	return e.RecordType
}

func testHistoryImportedOnce(t *testing.T, open Open) {
	ctx := context.Background()
	src := open(t)
	mustSeed(t, src)
	makeHistory(t, src)
	dst := open(t)
	mustCopySite(t, src, dst)
	history := mustDumpHistory(t, src)
	if err := dst.ImportHistory(ctx, history); err != nil {
		t.Fatalf("import history: %v", err)
	}
	if err := dst.ImportHistory(ctx, history); !errors.Is(err, film.ErrConflict) {
		t.Errorf("a second import of the history: %v, want ErrConflict", err)
	}
	if diff := cmp.Diff(history, mustDumpHistory(t, dst)); diff != "" {
		t.Errorf("the refused import changed the history (-before +after):\n%s", diff)
	}

	// A store whose desk has worked (a sign-in leaves a line and a
	// session) refuses a history too, and keeps its own.
	other := open(t)
	mustCopySite(t, src, other)
	ed, err := other.FindUserByEmail(ctx, "ed@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if err := other.CreateSession(ctx, []byte("a-session-of-the-target-itself.."), ed.ID, now, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	own := mustDumpHistory(t, other)
	if err := other.ImportHistory(ctx, history); !errors.Is(err, film.ErrConflict) {
		t.Errorf("importing a history into a store with a history of its own: %v, want ErrConflict", err)
	}
	if diff := cmp.Diff(own, mustDumpHistory(t, other)); diff != "" {
		t.Errorf("the refused import changed the store's history (-before +after):\n%s", diff)
	}
}
