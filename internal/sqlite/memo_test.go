package sqlite

import (
	"context"
	"fmt"
	"testing"
	"time"

	"marquee/internal/film"
)

// TestListedFilmMemoIsNeverStale reads the film index, so the memo keeps
// its films, then writes through the store (a rating, an edit of a title)
// and reads again: the next read shows each write, while reads with no
// write between them are served from the memo.
func TestListedFilmMemoIsNeverStale(t *testing.T) {
	ctx := context.Background()
	db := mustOpenMigrated(t)
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	var c film.Catalog
	for i := range 3 {
		c.Films = append(c.Films, film.Film{Slug: fmt.Sprintf("film-%d", i), Title: fmt.Sprintf("Film %d", i), Year: 2000 + i})
	}
	if _, err := db.ImportWith(ctx, c, film.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	index := func() map[string]film.ListedFilm {
		t.Helper()
		p, err := db.FilmIndex(ctx, film.FilmIndexQuery{Filter: film.FilmFilter{Sort: film.SortYear, Limit: 24}})
		if err != nil {
			t.Fatal(err)
		}
		bySlug := map[string]film.ListedFilm{}
		for _, f := range p.List.Films {
			bySlug[f.Slug] = f
		}
		return bySlug
	}
	first := index()
	if len(first) != 3 {
		t.Fatalf("index lists %d films, want 3", len(first))
	}
	memoHolds := func() int {
		db.listed.mu.Lock()
		defer db.listed.mu.Unlock()
		if db.listed.version != db.DataVersion() {
			return 0
		}
		return len(db.listed.films)
	}
	if n := memoHolds(); n != 3 {
		t.Fatalf("the memo holds %d films at the current version, want 3: the index did not use it", n)
	}
	// A second read with no write between: the same films, from the memo.
	if again := index(); again["film-1"].Title != "Film 1" || memoHolds() != 3 {
		t.Fatalf("second read = %+v", again["film-1"])
	}

	reader, err := db.Reader(ctx, []byte("a-reader-token-hash-of-32-bytes!"), now)
	if err != nil {
		t.Fatal(err)
	}
	id := first["film-1"].ID
	if _, err := db.RateFilm(ctx, id, reader, 9, now); err != nil {
		t.Fatal(err)
	}
	if got := index()["film-1"]; got.RatingCount != 1 || got.RatingAverage != 9 {
		t.Errorf("after a rating the index shows %d ratings averaging %v, want 1 of 9", got.RatingCount, got.RatingAverage)
	}

	ed, err := db.CreateUser(ctx, film.User{Email: "ed@example.com", Name: "Ed", Role: film.RoleEditor, CreatedAt: now}, "$argon2id$v=19$m=65536,t=1,p=2$c2FsdA$aGFzaA", 0)
	if err != nil {
		t.Fatal(err)
	}
	f, version, err := db.FindFilmForEdit(ctx, "film-2")
	if err != nil {
		t.Fatal(err)
	}
	f.Title = "Film Two"
	if err := db.UpdateFilm(ctx, "film-2", version, f, ed, now); err != nil {
		t.Fatal(err)
	}
	if got := index()["film-2"]; got.Title != "Film Two" {
		t.Errorf("after an edit the index shows %q, want Film Two", got.Title)
	}
}
