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

// catalogEditStore is what the catalogue forms' test asks of both
// backends.
type catalogEditStore interface {
	CreateUser(ctx context.Context, u film.User, passwordHash string, actor int64) (film.User, error)
	FindFilmForEdit(ctx context.Context, slug string) (film.Film, string, error)
	CreateFilm(ctx context.Context, f film.Film, by film.User, now time.Time) (int64, error)
	UpdateFilm(ctx context.Context, slug, version string, f film.Film, by film.User, now time.Time) error
	FindPersonForEdit(ctx context.Context, slug string) (film.Person, error)
	CreatePerson(ctx context.Context, p film.Person, by film.User, now time.Time) (int64, error)
	UpdatePerson(ctx context.Context, slug string, p film.Person, by film.User, now time.Time) error
	FindFilmsByTitle(ctx context.Context, prefix string, offset, limit int) (film.ListPage[film.Summary], error)
	FindPeopleByName(ctx context.Context, prefix string, offset, limit int) (film.ListPage[film.PersonSummary], error)
	RecentFilms(ctx context.Context, limit int) ([]film.Summary, error)
	FindSlugRedirect(ctx context.Context, kind film.RedirectKind, slug string, now time.Time) (string, error)
	FilmIndex(ctx context.Context, q film.FilmIndexQuery) (film.FilmIndexPage, error)
	PersonPage(ctx context.Context, slug string, now time.Time, reviewLimit int) (film.PersonPage, error)
	AuditLog(ctx context.Context, f film.AuditFilter) ([]film.AuditEntry, int, error)
}

var (
	_ catalogEditStore = (*DB)(nil)
	_ catalogEditStore = (*sqlite.DB)(nil)
)

// catalogEditStory edits the page catalogue through the catalogue forms'
// methods (a film saved, saved over a newer save, renamed; a film and a
// person created; a director renamed) and returns every answer.
func catalogEditStory(t *testing.T, s catalogEditStore) []any {
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
	at := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	ed, err := s.CreateUser(ctx, film.User{Email: "ed@example.com", Name: "Ed", Role: film.RoleEditor, CreatedAt: at},
		"$argon2id$v=19$m=65536,t=1,p=4$c2FsdA$aGFzaA", 0)
	if err != nil {
		t.Fatal(err)
	}
	f, version, err := s.FindFilmForEdit(ctx, "le-chat-2001")
	say(f, err)
	f.Synopsis = "A cat moves in, and stays."
	f.Genres = append(f.Genres, "Family")
	say(nil, s.UpdateFilm(ctx, "le-chat-2001", version, f, ed, at))
	say(nil, s.UpdateFilm(ctx, "le-chat-2001", version, f, ed, at.Add(time.Minute))) // the version is stale now
	f, version, err = s.FindFilmForEdit(ctx, "le-chat-2001")
	say(f, err)
	f.Slug = "le-chat"
	say(nil, s.UpdateFilm(ctx, "le-chat-2001", version, f, ed, at.Add(2*time.Minute)))
	say(s.FindSlugRedirect(ctx, film.RedirectFilm, "le-chat-2001", at))
	_, _, err = s.FindFilmForEdit(ctx, "le-chat-2001")
	say(nil, err)

	taken := film.Film{Slug: "paris-2008", Title: "Another Paris", Year: 2020,
		Credits: []film.Credit{{PersonSlug: "nobody-known", Role: film.RoleDirector}}}
	say(s.CreateFilm(ctx, taken, ed, at.Add(3*time.Minute)))
	say(s.CreatePerson(ctx, film.Person{Slug: "anne-dupre", Name: "Again"}, ed, at.Add(3*time.Minute)))
	say(s.CreatePerson(ctx, film.Person{Slug: "zoe-martin", Name: "Zoé Martin", AlsoKnownAs: []string{"Zoe Martin"},
		BirthDate: "1980-04", BirthPlace: "Lyon"}, ed, at.Add(4*time.Minute)))
	fresh := film.Film{Slug: "la-suite-2024", Title: "La Suite", Year: 2024, Genres: []string{"Drama"},
		Credits: []film.Credit{{PersonSlug: "zoe-martin", Role: film.RoleDirector}, {PersonSlug: "anne-dupre", Role: film.RoleWriter}}}
	say(s.CreateFilm(ctx, fresh, ed, at.Add(5*time.Minute)))
	p, err := s.FindPersonForEdit(ctx, "anne-dupre")
	say(p, err)
	p.Slug, p.Name = "anne-dupre-lenoir", "Anne Duprè-Lenoir"
	say(nil, s.UpdatePerson(ctx, "anne-dupre", p, ed, at.Add(6*time.Minute)))
	say(nil, s.UpdatePerson(ctx, "no-such-person", p, ed, at.Add(6*time.Minute)))
	say(s.FindSlugRedirect(ctx, film.RedirectPerson, "anne-dupre", at))
	idx, err := s.FilmIndex(ctx, film.FilmIndexQuery{Filter: film.FilmFilter{Director: "anne-dupre-lenoir", Limit: 10}, FacetLimit: 10})
	say(idx, err)
	say(s.FilmIndex(ctx, film.FilmIndexQuery{Filter: film.FilmFilter{Director: "anne-dupre", Limit: 10}}))
	pp, err := s.PersonPage(ctx, "anne-dupre-lenoir", pagesNow, 5)
	say(pp.Credits, err)
	for _, prefix := range []string{"", "pa", "LE", "la s", "%", "_", `\`} {
		say(s.FindFilmsByTitle(ctx, prefix, 0, 2))
		say(s.FindFilmsByTitle(ctx, prefix, 1, 10))
		say(s.FindPeopleByName(ctx, prefix, 0, 3))
	}
	say(s.RecentFilms(ctx, 2))
	entries, total, err := s.AuditLog(ctx, film.AuditFilter{UserID: ed.ID})
	say([]any{entries, total}, err)
	return said
}

// TestCatalogEditsMatchSQLite tells the same catalogue-forms story on both
// backends and compares every answer.
func TestCatalogEditsMatchSQLite(t *testing.T) {
	lite, pg := pageStores(t)
	want := catalogEditStory(t, lite)
	got := catalogEditStory(t, pg)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("the catalogue forms' story differs between the backends (-SQLite +PostgreSQL):\n%s", diff)
	}
	// The story meets the refusals it is told for.
	var conflicts, problems int
	for _, v := range got {
		switch v.(type) {
		case string:
			if v == "conflict" {
				conflicts++
			}
		case film.Problems:
			problems++
		}
	}
	if conflicts != 1 || problems != 2 {
		t.Errorf("the PostgreSQL story met %d conflicts and %d refusals, want 1 and 2", conflicts, problems)
	}
}
