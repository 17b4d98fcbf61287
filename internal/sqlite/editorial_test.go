package sqlite_test

import (
	"context"
	"database/sql"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"marquee/internal/film"
	"marquee/internal/sqlite"
)

// editorNow is the clock of the editorial tests: after the seeded review
// was published.
var editorNow = time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)

// mustUser adds an account to db and returns it.
func mustUser(tb testing.TB, db *sqlite.DB, name string, role film.UserRole) film.User {
	tb.Helper()
	u, err := db.CreateUser(context.Background(), film.User{Email: name + "@example.com", Name: name, Role: role,
		CreatedAt: editorNow.Add(-time.Hour)}, "$argon2id$v=19$m=65536,t=1,p=1$c2FsdA$aGFzaA", 0)
	if err != nil {
		tb.Fatal(err)
	}
	return u
}

// auditActions lists the audit log's actions on one record, oldest first.
func auditActions(tb testing.TB, path, recordType string, id int64) []string {
	tb.Helper()
	raw, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		tb.Fatal(err)
	}
	defer raw.Close()
	rows, err := raw.Query("SELECT action FROM audit_log WHERE record_type = ? AND record_id = ? ORDER BY id", recordType, id)
	if err != nil {
		tb.Fatal(err)
	}
	defer rows.Close()
	var actions []string
	for rows.Next() {
		var a string
		if err := rows.Scan(&a); err != nil {
			tb.Fatal(err)
		}
		actions = append(actions, a)
	}
	return actions
}

func draftReview(slug string) film.CriticReview {
	return film.CriticReview{
		Slug: slug, FilmSlug: "paris-2008", Headline: "A city of strangers", Author: "Ann Critic",
		Body: "First line.\nSecond line.\n", Status: film.ReviewDraft,
	}
}

func TestCriticReviewRevisions(t *testing.T) {
	db, path := mustOpen(t)
	mustSeed(t, db)
	ctx := context.Background()
	ann := mustUser(t, db, "Ann", film.RoleContributor)
	ed := mustUser(t, db, "Ed", film.RoleEditor)

	id, err := db.CreateCriticReview(ctx, draftReview("strangers"), ann, editorNow)
	if err != nil {
		t.Fatal(err)
	}
	got, err := db.FindEditedReview(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if got.OwnerID != ann.ID || got.OwnerName != "Ann" || got.Revision != 1 || got.FilmTitle != "Paris" || !got.ChangedAt.Equal(editorNow) {
		t.Errorf("created review = %+v", got)
	}

	// A save over an older revision than the stored one is refused.
	edited := draftReview("strangers")
	edited.Body = "First line.\nA new second line.\n"
	if _, err := db.UpdateCriticReview(ctx, id, 0, edited, ed, editorNow); !errors.Is(err, film.ErrConflict) {
		t.Fatalf("stale save: err = %v, want ErrConflict", err)
	}
	changed, err := db.UpdateCriticReview(ctx, id, 1, edited, ed, editorNow.Add(time.Minute))
	if err != nil || !changed {
		t.Fatalf("save: changed %v, err %v", changed, err)
	}
	// Saving the same review again changes nothing and keeps no revision.
	if changed, err := db.UpdateCriticReview(ctx, id, 2, edited, ed, editorNow.Add(2*time.Minute)); err != nil || changed {
		t.Fatalf("unchanged save: changed %v, err %v", changed, err)
	}

	revisions, err := db.Revisions(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	type rev struct {
		Number int
		User   string
		Action string
		At     time.Time
	}
	var gotRevs []rev
	for _, v := range revisions {
		gotRevs = append(gotRevs, rev{v.Number, v.UserName, v.Action, v.At})
	}
	want := []rev{
		{2, "Ed", film.ActionReviewUpdate, editorNow.Add(time.Minute)},
		{1, "Ann", film.ActionReviewCreate, editorNow},
	}
	if diff := cmp.Diff(want, gotRevs); diff != "" {
		t.Errorf("revisions (-want +got):\n%s", diff)
	}
	first, err := db.FindRevision(ctx, id, 1)
	if err != nil {
		t.Fatal(err)
	}
	if first.Review.Body != "First line.\nSecond line.\n" || first.Review.Headline != "A city of strangers" {
		t.Errorf("revision 1 holds %+v", first.Review)
	}

	// Restoring revision 1 makes revision 3 with its text.
	if err := db.RestoreRevision(ctx, id, 1, 2, ed, editorNow.Add(3*time.Minute)); err != nil {
		t.Fatal(err)
	}
	got, _ = db.FindEditedReview(ctx, id)
	if got.Revision != 3 || got.Review.Body != "First line.\nSecond line.\n" {
		t.Errorf("after restore: revision %d, body %q", got.Revision, got.Review.Body)
	}
	third, _ := db.FindRevision(ctx, id, 3)
	if third.Action != film.ActionReviewRestore || third.RestoredFrom != 1 || third.UserName != "Ed" {
		t.Errorf("revision 3 = %+v", third)
	}
	if diff := cmp.Diff([]string{"review.create", "review.update", "review.restore"}, auditActions(t, path, "critic_review", id)); diff != "" {
		t.Errorf("audit (-want +got):\n%s", diff)
	}
}

func TestCriticReviewProblems(t *testing.T) {
	db, _ := mustOpen(t)
	mustSeed(t, db)
	ctx := context.Background()
	ed := mustUser(t, db, "Ed", film.RoleEditor)

	taken := draftReview("paris-2008-review")
	taken.FilmSlug = "no-such-film"
	taken.AuthorSlug = "nobody"
	_, err := db.CreateCriticReview(ctx, taken, ed, editorNow)
	var problems film.Problems
	if !errors.As(err, &problems) {
		t.Fatalf("err = %v, want film.Problems", err)
	}
	want := film.Problems{
		"slug":          "is already used by another review",
		"film":          "is not a film in the catalogue",
		"author_person": "is not a person in the catalogue",
	}
	if diff := cmp.Diff(want, problems); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	page, err := db.FindEditedReviews(ctx, film.EditedReviewFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Reviews) != 1 {
		t.Errorf("%d reviews stored after a failed create, want only the seeded one", len(page.Reviews))
	}
}

func TestPublishedReviewSlugRedirects(t *testing.T) {
	db, path := mustOpen(t)
	mustSeed(t, db)
	ctx := context.Background()
	ed := mustUser(t, db, "Ed", film.RoleEditor)

	seeded, err := db.FindEditedReviews(ctx, film.EditedReviewFilter{FilmSlug: "paris-2008"})
	if err != nil || len(seeded.Reviews) != 1 {
		t.Fatalf("seeded reviews: %v, %v", seeded, err)
	}
	stored, err := db.FindEditedReview(ctx, seeded.Reviews[0].Review.ID)
	if err != nil {
		t.Fatal(err)
	}
	if stored.Revision != 0 {
		t.Fatalf("seeded review has revision %d, want none yet", stored.Revision)
	}
	r := stored.Review
	r.Slug = "paris-review"
	if _, err := db.UpdateCriticReview(ctx, r.ID, 0, r, ed, editorNow); err != nil {
		t.Fatal(err)
	}
	// The state the review arrived in became revision 1.
	revisions, _ := db.Revisions(ctx, r.ID)
	if len(revisions) != 2 || revisions[1].Action != film.ActionReviewCreate || revisions[1].UserID != 0 {
		t.Errorf("revisions = %+v", revisions)
	}
	after, _ := db.FindEditedReview(ctx, r.ID)
	if !after.Review.UpdatedAt.Equal(editorNow) || after.Review.Status != film.ReviewPublished {
		t.Errorf("edited published review: status %s, updated %v", after.Review.Status, after.Review.UpdatedAt)
	}
	// A second rename keeps the chain one hop long.
	r.Slug = "paris-review-2"
	if _, err := db.UpdateCriticReview(ctx, r.ID, 2, r, ed, editorNow); err != nil {
		t.Fatal(err)
	}
	for _, old := range []string{"paris-2008-review", "paris-review"} {
		if got, err := db.FindSlugRedirect(ctx, film.RedirectReview, old, editorNow); err != nil || got != "paris-review-2" {
			t.Errorf("redirect from %s = %q, %v", old, got, err)
		}
	}
	// Taking the review down stops the redirects: they would lead to a
	// page that is not there.
	r.Status = film.ReviewDraft
	if _, err := db.UpdateCriticReview(ctx, r.ID, 3, r, ed, editorNow); err != nil {
		t.Fatal(err)
	}
	if _, err := db.FindSlugRedirect(ctx, film.RedirectReview, "paris-review", editorNow); !errors.Is(err, film.ErrNotFound) {
		t.Errorf("redirect to an unpublished review: %v", err)
	}

	// A draft renamed leaves no redirect behind.
	id, err := db.CreateCriticReview(ctx, draftReview("draft-one"), ed, editorNow)
	if err != nil {
		t.Fatal(err)
	}
	d := draftReview("draft-two")
	if _, err := db.UpdateCriticReview(ctx, id, 1, d, ed, editorNow); err != nil {
		t.Fatal(err)
	}
	d.Status, d.PublishedAt = film.ReviewPublished, editorNow
	if _, err := db.UpdateCriticReview(ctx, id, 2, d, ed, editorNow); err != nil {
		t.Fatal(err)
	}
	if _, err := db.FindSlugRedirect(ctx, film.RedirectReview, "draft-one", editorNow); !errors.Is(err, film.ErrNotFound) {
		t.Errorf("draft slug redirects: %v", err)
	}
	if diff := cmp.Diff([]string{"review.create", "review.update", "review.publish"}, auditActions(t, path, "critic_review", id)); diff != "" {
		t.Errorf("audit (-want +got):\n%s", diff)
	}
}

func TestEditedReviewFilter(t *testing.T) {
	db, _ := mustOpen(t)
	mustSeed(t, db)
	ctx := context.Background()
	ann := mustUser(t, db, "Ann", film.RoleContributor)
	ed := mustUser(t, db, "Ed", film.RoleEditor)
	for i, slug := range []string{"one", "two", "three"} {
		r := draftReview(slug)
		by := ann
		if i == 1 {
			by, r.Author, r.Status = ed, "Bob_Writer", film.ReviewInReview
		}
		if _, err := db.CreateCriticReview(ctx, r, by, editorNow); err != nil {
			t.Fatal(err)
		}
	}
	slugs := func(f film.EditedReviewFilter) []string {
		t.Helper()
		page, err := db.FindEditedReviews(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, r := range page.Reviews {
			out = append(out, r.Review.Slug)
		}
		if page.More {
			out = append(out, "…")
		}
		return out
	}
	tests := []struct {
		name   string
		filter film.EditedReviewFilter
		want   []string
	}{
		{"all, newest first", film.EditedReviewFilter{}, []string{"three", "two", "one", "paris-2008-review"}},
		{"paged", film.EditedReviewFilter{Limit: 2}, []string{"three", "two", "…"}},
		{"second page", film.EditedReviewFilter{Limit: 2, Offset: 2}, []string{"one", "paris-2008-review"}},
		{"status", film.EditedReviewFilter{Status: film.ReviewInReview}, []string{"two"}},
		{"author prefix, any case", film.EditedReviewFilter{Author: "bob_"}, []string{"two"}},
		{"author wildcard is literal", film.EditedReviewFilter{Author: "Bob%"}, nil},
		{"owner", film.EditedReviewFilter{OwnerID: ann.ID}, []string{"three", "one"}},
		{"film", film.EditedReviewFilter{FilmSlug: "paris-2008", Status: film.ReviewPublished}, []string{"paris-2008-review"}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, slugs(tt.filter)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
	}
}

func TestScheduledReviewGoesLiveAtItsTime(t *testing.T) {
	db, _ := mustOpen(t)
	mustSeed(t, db)
	ctx := context.Background()
	ed := mustUser(t, db, "Ed", film.RoleEditor)
	r := draftReview("tomorrow")
	r.Status, r.PublishedAt = film.ReviewScheduled, editorNow.Add(24*time.Hour)
	if _, err := db.CreateCriticReview(ctx, r, ed, editorNow); err != nil {
		t.Fatal(err)
	}
	if _, err := db.CriticReviewPage(ctx, "tomorrow", editorNow); !errors.Is(err, film.ErrNotFound) {
		t.Errorf("before its time: %v", err)
	}
	if _, err := db.CriticReviewPage(ctx, "tomorrow", editorNow.Add(24*time.Hour)); err != nil {
		t.Errorf("at its time: %v", err)
	}
}

func mustFilm(tb testing.TB, db *sqlite.DB, slug string) (film.Film, string) {
	tb.Helper()
	f, version, err := db.FindFilmForEdit(context.Background(), slug)
	if err != nil {
		tb.Fatal(err)
	}
	return f, version
}

func TestFilmEdits(t *testing.T) {
	db, path := mustOpen(t)
	mustSeed(t, db)
	ctx := context.Background()
	ed := mustUser(t, db, "Ed", film.RoleEditor)

	f := film.Film{Slug: "new-film-2024", Title: "New Film", Year: 2024, Genres: []string{"Drama"},
		Credits: []film.Credit{{PersonSlug: "cedric-klapisch", Role: film.RoleDirector}, {PersonSlug: "nobody", Role: film.RoleCast, Character: "X"}}}
	_, err := db.CreateFilm(ctx, f, ed, editorNow)
	var problems film.Problems
	if !errors.As(err, &problems) || problems["credits[1].person"] == "" || len(problems) != 1 {
		t.Fatalf("create with an unknown person: %v", err)
	}
	f.Credits = f.Credits[:1]
	id, err := db.CreateFilm(ctx, f, ed, editorNow)
	if err != nil {
		t.Fatal(err)
	}
	stored, version := mustFilm(t, db, "new-film-2024")
	if stored.ID != id || stored.Credits[0].PersonName != "Cédric Klapisch" {
		t.Errorf("stored film = %+v", stored)
	}
	if _, err := db.CreateFilm(ctx, f, ed, editorNow); !errors.As(err, &problems) || problems["slug"] == "" {
		t.Errorf("create with a taken slug: %v", err)
	}

	// Two saves in the same second: the second, made from the version
	// before the first, is refused.
	stored.Slug, stored.Title = "renamed-film-2024", "Renamed Film"
	if err := db.UpdateFilm(ctx, "new-film-2024", version, stored, ed, editorNow); err != nil {
		t.Fatal(err)
	}
	if err := db.UpdateFilm(ctx, "renamed-film-2024", version, stored, ed, editorNow); !errors.Is(err, film.ErrConflict) {
		t.Errorf("stale save: %v", err)
	}
	if got, err := db.FindSlugRedirect(ctx, film.RedirectFilm, "new-film-2024", editorNow); err != nil || got != "renamed-film-2024" {
		t.Errorf("redirect = %q, %v", got, err)
	}
	// A new film may take the old slug, which then stops redirecting.
	if _, err := db.CreateFilm(ctx, film.Film{Slug: "new-film-2024", Title: "Another", Year: 2024}, ed, editorNow); err != nil {
		t.Fatal(err)
	}
	if _, err := db.FindSlugRedirect(ctx, film.RedirectFilm, "new-film-2024", editorNow); !errors.Is(err, film.ErrNotFound) {
		t.Errorf("slug taken again still redirects: %v", err)
	}
	if diff := cmp.Diff([]string{"film.create", "film.update"}, auditActions(t, path, "film", id)); diff != "" {
		t.Errorf("audit (-want +got):\n%s", diff)
	}

	page, err := db.FindFilmsByTitle(ctx, "ren", 0, 10)
	if err != nil || len(page.Items) != 1 || page.Items[0].Slug != "renamed-film-2024" || page.More {
		t.Errorf("films by title: %+v, %v", page, err)
	}
	if page, _ := db.FindFilmsByTitle(ctx, "", 0, 2); len(page.Items) != 2 || !page.More {
		t.Errorf("first page of all films: %+v", page)
	}
}

func TestPersonEdits(t *testing.T) {
	db, _ := mustOpen(t)
	mustSeed(t, db)
	ctx := context.Background()
	ed := mustUser(t, db, "Ed", film.RoleEditor)

	if _, err := db.CreatePerson(ctx, film.Person{Slug: "cedric-klapisch", Name: "Again"}, ed, editorNow); err == nil {
		t.Error("a taken slug was accepted")
	}
	p, err := db.FindPersonForEdit(ctx, "cedric-klapisch")
	if err != nil {
		t.Fatal(err)
	}
	p.Slug, p.AlsoKnownAs = "cedric-klapisch-1961", []string{"C. Klapisch"}
	if err := db.UpdatePerson(ctx, "cedric-klapisch", p, ed, editorNow); err != nil {
		t.Fatal(err)
	}
	if got, err := db.FindSlugRedirect(ctx, film.RedirectPerson, "cedric-klapisch", editorNow); err != nil || got != "cedric-klapisch-1961" {
		t.Errorf("redirect = %q, %v", got, err)
	}
	// The film index's director filter follows the new slug.
	index, err := db.FilmIndex(ctx, film.FilmIndexQuery{Filter: film.FilmFilter{Director: "cedric-klapisch-1961", Sort: film.SortTitle, Limit: 10}})
	if err != nil || len(index.List.Films) != 1 {
		t.Errorf("films by the renamed director: %+v, %v", index.List.Films, err)
	}
	if _, err := db.FilmIndex(ctx, film.FilmIndexQuery{Filter: film.FilmFilter{Director: "cedric-klapisch", Limit: 10}}); !errors.Is(err, film.ErrNotFound) {
		t.Errorf("films by the director's old slug: %v, want not found", err)
	}
	all, err := db.FilmIndex(ctx, film.FilmIndexQuery{Filter: film.FilmFilter{Limit: 10}, FacetLimit: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range all.Facets["director"] {
		if f.Value == "cedric-klapisch" {
			t.Errorf("director facet still under the old slug: %+v", f)
		}
	}
	people, err := db.FindPeopleByName(ctx, "céd", 0, 10)
	if err != nil || len(people.Items) != 1 || people.Items[0].Credits == 0 {
		t.Errorf("people by name: %+v, %v", people, err)
	}
}
