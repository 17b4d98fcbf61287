package sqlite_test

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"marquee/internal/catalog"
	"marquee/internal/film"
	"marquee/internal/sqlite"
	"marquee/seeds"
)

// readerKey is the key of a made-up reader.
func readerKey(name string) string {
	sum := sha256.Sum256([]byte(name))
	return film.ReaderKey(sum[:])
}

// extras is a catalogue to load beside the seeds: a second film and a new
// person, critic reviews in every status, reader reviews in several, and
// readers' ratings and helpful votes. It refers to the seeded people and
// film, so it is not a complete document on its own; seedsAndExtras is.
func extras() film.Catalog {
	at := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	approved := []film.ReaderReview{
		{FilmSlug: "paris-2008", DisplayName: "Élodie", Title: "Binoche carries it", Rating: 8, Body: "Warm and *funny*.",
			Status: film.ModerationApproved, CreatedAt: at},
		{FilmSlug: "le-chat-2001", DisplayName: "Sam", Title: "A small delight", Rating: 7, Body: "Cats!",
			Status: film.ModerationApproved, CreatedAt: at.Add(time.Hour)},
		{FilmSlug: "paris-2008", DisplayName: "Tom", Title: "Too long", Rating: 4, Body: "The ending ||drags||.",
			Spoilers: true, Status: film.ModerationApproved, CreatedAt: at.Add(2 * time.Hour)},
	}
	c := film.Catalog{
		People: []film.Person{{Slug: "anne-dupre", Name: "Anne Duprè", AlsoKnownAs: []string{"Anne Dupre"}}},
		Films: []film.Film{{
			Slug: "le-chat-2001", Title: "Le Chat", OriginalTitle: "Le Chat", TitleLanguage: "fr", Year: 2001, RuntimeMinutes: 92,
			Countries: []string{"France"}, Genres: []string{"Comedy"}, Synopsis: "A cat moves in.",
			Budget: &film.Money{Amount: 2_000_000, Currency: "EUR"},
			Credits: []film.Credit{
				{PersonSlug: "anne-dupre", Role: film.RoleDirector},
				{PersonSlug: "juliette-binoche", Role: film.RoleCast, Character: "Madame", Billing: 1},
				{PersonSlug: "anne-dupre", Role: film.RoleWriter},
				{PersonSlug: "romain-duris", Role: film.RoleCast, Character: "Le voisin", Billing: 2},
			},
			Companies: []film.CompanyCredit{{Name: "Chat Noir Films", Role: film.CompanyStudio}},
			Releases:  []film.Release{{Country: "France", Date: "2001-05"}},
		}},
		CriticReviews: []film.CriticReview{
			{Slug: "le-chat-review", FilmSlug: "le-chat-2001", Headline: "Purrfect", Author: "Anne Duprè", AuthorSlug: "anne-dupre",
				Rating: &film.Rating{Value: 4.5, Scale: 5}, Body: "A *delight*.", Status: film.ReviewPublished, PublishedAt: at,
				UpdatedAt: at.Add(time.Hour)},
			{Slug: "paris-draft", FilmSlug: "paris-2008", Headline: "Second thoughts", Author: "Guest", Body: "Draft.", Status: film.ReviewDraft},
			{Slug: "paris-waiting", FilmSlug: "paris-2008", Headline: "In review", Author: "Guest", Body: "Soon.", Status: film.ReviewInReview},
			{Slug: "paris-later", FilmSlug: "paris-2008", Headline: "Later", Author: "Guest", Body: "Later.", Status: film.ReviewScheduled,
				PublishedAt: time.Date(2099, 1, 1, 9, 0, 0, 0, time.UTC)},
		},
		ReaderReviews: append(approved,
			film.ReaderReview{FilmSlug: "paris-2008", DisplayName: "P", Title: "Pending", Rating: 5, Body: "Hmm.",
				Status: film.ModerationPending, CreatedAt: at.Add(3 * time.Hour)},
			film.ReaderReview{FilmSlug: "paris-2008", DisplayName: "S", Title: "Spam", Rating: 1, Body: "Buy now.",
				Status: film.ModerationSpam, CreatedAt: at.Add(4 * time.Hour)},
		),
	}
	for i, v := range []int{9, 7, 10, 3, 8} {
		c.Ratings = append(c.Ratings, film.ReaderRating{FilmSlug: "paris-2008", Reader: readerKey(string(rune('a' + i))), Value: v,
			CreatedAt: at.Add(time.Duration(i) * time.Minute), UpdatedAt: at.Add(time.Duration(i) * time.Hour)})
	}
	c.Ratings = append(c.Ratings, film.ReaderRating{FilmSlug: "le-chat-2001", Reader: readerKey("a"), Value: 6, CreatedAt: at, UpdatedAt: at})
	for i, r := range []film.ReaderReview{approved[0], approved[0], approved[2]} {
		c.HelpfulVotes = append(c.HelpfulVotes, film.HelpfulVote{Review: r.Key(), Reader: readerKey(string(rune('b' + i))),
			CreatedAt: at.Add(5 * time.Hour)})
	}
	return c
}

// seedsAndExtras is the seed catalogue with extras added: a complete,
// valid document.
func seedsAndExtras(tb testing.TB) film.Catalog {
	tb.Helper()
	doc, err := catalog.DecodeFS(seeds.FS)
	if err != nil {
		tb.Fatal(err)
	}
	c, x := doc.Catalog, extras()
	c.People = append(c.People, x.People...)
	c.Films = append(c.Films, x.Films...)
	c.CriticReviews = append(c.CriticReviews, x.CriticReviews...)
	c.ReaderReviews = append(c.ReaderReviews, x.ReaderReviews...)
	c.Ratings, c.HelpfulVotes = x.Ratings, x.HelpfulVotes
	if err := (catalog.Document{Version: catalog.Version, Catalog: c}).Validate(); err != nil {
		tb.Fatalf("seeds and extras are not a valid document: %v", err)
	}
	return c
}

var update = film.ImportOptions{UpdateExisting: true}

func mustImportWith(tb testing.TB, db *sqlite.DB, c film.Catalog, opts film.ImportOptions) film.ImportReport {
	tb.Helper()
	report, err := db.ImportWith(context.Background(), c, opts)
	if err != nil {
		tb.Fatalf("ImportWith: %v", err)
	}
	return report
}

func TestImportTwiceChangesNothing(t *testing.T) {
	db, path := mustOpen(t)
	c := seedsAndExtras(t)
	first := mustImportWith(t, db, c, update)
	if first.Added != c.Counts() || first.Updated != (film.CatalogCounts{}) {
		t.Fatalf("first import = %+v, want everything added: %+v", first, c.Counts())
	}
	before := mustSnapshot(t, path)
	second := mustImportWith(t, db, c, update)
	if second.Unchanged != c.Counts() || second.Added != (film.CatalogCounts{}) || second.Updated != (film.CatalogCounts{}) {
		t.Errorf("second import = %+v, want everything unchanged", second)
	}
	if after := mustSnapshot(t, path); after != before {
		t.Errorf("second import changed the database:\n%s", firstDifference(before, after))
	}
}

// TestSeedsCompareEqualToTheirImport checks the comparison behind
// "unchanged" on the real seed film, whose record uses every list: read
// back from the store, it must equal the document it came from.
func TestSeedsCompareEqualToTheirImport(t *testing.T) {
	db, path := mustOpen(t)
	first := mustSeed(t, db)
	before := mustSnapshot(t, path)
	doc, err := catalog.DecodeFS(seeds.FS)
	if err != nil {
		t.Fatal(err)
	}
	again := mustImportWith(t, db, doc.Catalog, update)
	if again.Unchanged != first.Added {
		t.Errorf("updating import of the seeds = %+v, want %+v unchanged", again, first.Added)
	}
	if after := mustSnapshot(t, path); after != before {
		t.Errorf("updating import of the seeds changed the database:\n%s", firstDifference(before, after))
	}
}

func TestImportUpdatesChangedRecords(t *testing.T) {
	ctx := context.Background()
	db, _ := mustOpen(t)
	c := seedsAndExtras(t)
	mustImportWith(t, db, c, update)
	before, err := db.FindFilm(ctx, "paris-2008")
	if err != nil {
		t.Fatal(err)
	}
	statsBefore, err := db.RatingStats(ctx, before.ID)
	if err != nil {
		t.Fatal(err)
	}

	changed := seedsAndExtras(t)
	paris := &changed.Films[0]
	paris.Title = "Paris (director's cut)"
	paris.Genres = []string{"Drama"}
	paris.Trivia = append(paris.Trivia, film.Trivia{Text: "Shot in forty days."})
	paris.Credits = paris.Credits[1:] // the first credit goes
	changed.People[1].Name = "Bruno Lévy"
	draft := &changed.CriticReviews[2]
	if draft.Slug != "paris-draft" {
		t.Fatalf("critic review 2 is %s, want paris-draft", draft.Slug)
	}
	draft.Status, draft.PublishedAt = film.ReviewPublished, time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	pending := len(changed.ReaderReviews) - 2
	changed.ReaderReviews[pending].Status = film.ModerationApproved
	changed.Ratings[0].Value = 2
	changed.HelpfulVotes[0].CreatedAt = changed.HelpfulVotes[0].CreatedAt.Add(time.Minute)

	report := mustImportWith(t, db, changed, update)
	want := film.CatalogCounts{People: 1, Films: 1, CriticReviews: 1, ReaderReviews: 1, Ratings: 1, HelpfulVotes: 1}
	if report.Updated != want || report.Added != (film.CatalogCounts{}) {
		t.Fatalf("import of changed records = %+v, want one of each updated and nothing added", report)
	}

	after, err := db.FindFilm(ctx, "paris-2008")
	if err != nil {
		t.Fatal(err)
	}
	if after.ID != before.ID {
		t.Errorf("film id changed from %d to %d: reviews and ratings would come loose", before.ID, after.ID)
	}
	if after.Title != paris.Title || len(after.Genres) != 1 || len(after.Trivia) != len(before.Trivia)+1 || len(after.Credits) != len(before.Credits)-1 {
		t.Errorf("film after update: title %q, genres %v, %d trivia, %d credits; want the changed record", after.Title, after.Genres, len(after.Trivia), len(after.Credits))
	}
	person, err := db.PersonPage(ctx, changed.People[1].Slug, time.Time{}, 0)
	if err != nil || person.Person.Name != "Bruno Lévy" {
		t.Errorf("person after update = %q, %v; want Bruno Lévy", person.Person.Name, err)
	}
	page, err := db.FilmPage(ctx, film.FilmPageQuery{Slug: after.Slug, Now: time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC)})
	if err != nil || len(page.CriticReviews) != 2 {
		t.Errorf("published critic reviews after update = %d (%v), want the seeded one and the draft now published", len(page.CriticReviews), err)
	}
	approved, err := approvedReaderReviews(ctx, db, after.Slug)
	if err != nil {
		t.Fatal(err)
	}
	if len(approved) != 4 { // seeded, two extras, and the one approved now
		t.Errorf("approved reader reviews of the updated film = %d, want 4: they stay attached", len(approved))
	}
	stats, err := db.RatingStats(ctx, after.ID)
	if err != nil {
		t.Fatal(err)
	}
	recount, err := db.RecountRatingStats(ctx, after.ID)
	if err != nil {
		t.Fatal(err)
	}
	if stats.Count != statsBefore.Count || stats.Total != statsBefore.Total-9+2 || stats != recount {
		t.Errorf("rating stats after update = %+v (recount %+v), want the same %d ratings with 9 changed to 2", stats, recount, statsBefore.Count)
	}

	// Importing the changed catalogue again changes nothing more.
	if again := mustImportWith(t, db, changed, update); again.Unchanged != changed.Counts() {
		t.Errorf("second import of the changed records = %+v, want all unchanged", again)
	}
}

// TestImportAddOnlyLeavesChangedRecords is the seeds' behaviour: a record
// already present is left as it is even when the catalogue differs, so an
// editor's change to a seeded film survives a restart.
func TestImportAddOnlyLeavesChangedRecords(t *testing.T) {
	ctx := context.Background()
	db, path := mustOpen(t)
	mustSeed(t, db)
	before := mustSnapshot(t, path)
	doc, err := catalog.DecodeFS(seeds.FS)
	if err != nil {
		t.Fatal(err)
	}
	doc.Films[0].Title = "Changed"
	report, err := db.Import(ctx, doc.Catalog)
	if err != nil {
		t.Fatal(err)
	}
	if report.Unchanged.Films != 1 || report.Updated != (film.CatalogCounts{}) {
		t.Errorf("add-only import = %+v, want the film left unchanged", report)
	}
	if after := mustSnapshot(t, path); after != before {
		t.Errorf("add-only import changed the database:\n%s", firstDifference(before, after))
	}
}

// TestImportRollsBackEverythingOnFailure: a catalogue whose last record the
// store refuses leaves no trace, not even of the updates before it.
func TestImportRollsBackEverythingOnFailure(t *testing.T) {
	db, path := mustOpen(t)
	mustImportWith(t, db, seedsAndExtras(t), update)
	before := mustSnapshot(t, path)
	c := seedsAndExtras(t)
	c.Films[0].Title = "Changed"
	c.People = append(c.People, film.Person{Slug: "new-person", Name: "New Person"})
	c.Ratings = append(c.Ratings, film.ReaderRating{FilmSlug: "paris-2008", Reader: readerKey("z"), Value: 11,
		CreatedAt: time.Now(), UpdatedAt: time.Now()})
	if _, err := db.ImportWith(context.Background(), c, update); err == nil {
		t.Fatal("import with a rating of 11 succeeded")
	}
	if after := mustSnapshot(t, path); after != before {
		t.Errorf("a failed import left changes behind:\n%s", firstDifference(before, after))
	}
}

func TestImportReportsMissingReferences(t *testing.T) {
	db, _ := mustOpen(t)
	tests := []struct {
		name string
		c    film.Catalog
	}{
		{"vote on an unknown review", film.Catalog{HelpfulVotes: []film.HelpfulVote{{
			Review: film.ReaderReviewKey{FilmSlug: "x", DisplayName: "n", Title: "t", CreatedAt: time.Now()}, Reader: readerKey("a"), CreatedAt: time.Now()}}}},
		{"rating of an unknown film", film.Catalog{Ratings: []film.ReaderRating{{FilmSlug: "x", Reader: readerKey("a"), Value: 5,
			CreatedAt: time.Now(), UpdatedAt: time.Now()}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := db.ImportWith(context.Background(), tt.c, update); !errors.Is(err, film.ErrNotFound) {
				t.Errorf("error = %v, want film.ErrNotFound", err)
			}
		})
	}
}

// helpfulCounts reads each reader review's kept helpful count beside the
// count of its votes.
func helpfulCounts(tb testing.TB, path string) (kept, counted map[string]int) {
	tb.Helper()
	conn, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		tb.Fatal(err)
	}
	defer conn.Close()
	rows, err := conn.Query(`SELECT r.title || '/' || r.created_at, r.helpful_count,
		(SELECT count(*) FROM helpful_votes v WHERE v.review_id = r.id) FROM reader_reviews r`)
	if err != nil {
		tb.Fatal(err)
	}
	defer rows.Close()
	kept, counted = map[string]int{}, map[string]int{}
	for rows.Next() {
		var (
			key  string
			k, c int
		)
		if err := rows.Scan(&key, &k, &c); err != nil {
			tb.Fatal(err)
		}
		kept[key], counted[key] = k, c
	}
	return kept, counted
}

func TestImportedVotesCountAsHelpful(t *testing.T) {
	db, path := mustOpen(t)
	mustImportWith(t, db, seedsAndExtras(t), update)
	kept, counted := helpfulCounts(t, path)
	if diff := cmp.Diff(counted, kept); diff != "" {
		t.Errorf("helpful counts differ from the votes (-votes +kept):\n%s", diff)
	}
	if kept["Binoche carries it/2026-11-20T10:00:00Z"] != 2 {
		t.Errorf("helpful counts = %v, want 2 for the twice-voted review", kept)
	}
}
