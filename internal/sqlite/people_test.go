package sqlite_test

import (
	"context"
	"strings"
	"testing"

	"marquee/internal/film"
)

// TestPeopleDetailsConstraints checks migration 0012's CHECKs: the schema
// refuses a person's malformed dates, a death before the birth and an
// overlong biography or place even when nothing validated them first, and
// keeps partial dates as written.
func TestPeopleDetailsConstraints(t *testing.T) {
	db, _ := mustOpen(t)
	ctx := context.Background()
	bad := []struct {
		name string
		p    film.Person
	}{
		{"date in words", film.Person{Slug: "a", Name: "A", BirthDate: "March 1964"}},
		{"month 13", film.Person{Slug: "b", Name: "B", DeathDate: "1990-13"}},
		{"30 February", film.Person{Slug: "b2", Name: "B2", BirthDate: "2021-02-30"}},
		{"death before birth", film.Person{Slug: "c", Name: "C", BirthDate: "1964-03-09", DeathDate: "1963"}},
		{"death before birth, same year", film.Person{Slug: "d", Name: "D", BirthDate: "1964-03", DeathDate: "1964-02-28"}},
		{"biography too long", film.Person{Slug: "e", Name: "E", Biography: strings.Repeat("é", film.MaxBiography+1)}},
		{"birth place too long", film.Person{Slug: "f", Name: "F", BirthPlace: strings.Repeat("x", 201)}},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := db.Import(ctx, film.Catalog{People: []film.Person{tt.p}}); err == nil {
				t.Fatal("Import accepted a person the schema must refuse")
			}
		})
	}
	good := []film.Person{
		{Slug: "g", Name: "G", BirthDate: "1964"},
		{Slug: "h", Name: "H", BirthDate: "1990-05-01", DeathDate: "1990"},
		{Slug: "i", Name: "I", BirthDate: "1920-07", BirthPlace: "Rome", DeathDate: "2001-11-30", DeathPlace: "Paris",
			Biography: strings.Repeat("é", film.MaxBiography)},
	}
	if _, err := db.Import(ctx, film.Catalog{People: good}); err != nil {
		t.Fatalf("Import refused partial dates: %v", err)
	}
	for _, want := range good {
		got, err := db.FindPersonForEdit(ctx, want.Slug)
		if err != nil {
			t.Fatal(err)
		}
		got.ID = 0
		if got.BirthDate != want.BirthDate || got.DeathDate != want.DeathDate || got.Biography != want.Biography || got.DeathPlace != want.DeathPlace {
			t.Errorf("%s stored as %+v", want.Slug, got)
		}
	}
}
