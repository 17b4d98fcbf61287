package storetest

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"marquee/internal/film"
)

// The contract of a person's details (biography, birth and death) and of
// the films a person page names as what they are known for.

// testPersonDetails checks that a person's details are kept as written by
// an editor's save and by an import, read back by the person page, the
// desk and a dump, and that partial dates stay partial.
func testPersonDetails(t *testing.T, s film.Store) {
	mustSeed(t, s)
	ctx := context.Background()
	ed := mustUser(t, s, "ed@example.com", film.RoleEditor)
	before, err := s.FindPersonForEdit(ctx, "juliette-binoche")
	if err != nil {
		t.Fatal(err)
	}
	if before.Biography != "" || before.BirthDate != "" || before.DeathDate != "" {
		t.Errorf("seeded person has details the seed does not give: %+v", before)
	}
	want := before
	want.Biography = "An actor of *stage* and screen.\n\nShe also paints."
	want.BirthDate = "1964"
	want.BirthPlace = "Somewhere, France"
	want.DeathDate = ""
	version := s.DataVersion()
	if err := s.UpdatePerson(ctx, "juliette-binoche", want, ed, now); err != nil {
		t.Fatal(err)
	}
	if s.DataVersion() == version {
		t.Error("saving a person's details did not move the data version")
	}
	got, err := s.FindPersonForEdit(ctx, "juliette-binoche")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("person after the save (-want +got):\n%s", diff)
	}
	page, err := s.PersonPage(ctx, "juliette-binoche", now, 10)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, page.Person); diff != "" {
		t.Errorf("person page's person (-want +got):\n%s", diff)
	}

	// An import updates the details; importing the same again changes
	// nothing; a dump gives them back.
	imported := film.Person{Slug: "cedric-klapisch", Name: "Cédric Klapisch", BirthDate: "1961-09", BirthPlace: "Neuilly-sur-Seine",
		DeathDate: "2099-01-02", DeathPlace: "The Moon", Biography: "A director."}
	report, err := s.ImportWith(ctx, film.Catalog{People: []film.Person{imported}}, film.ImportOptions{UpdateExisting: true})
	if err != nil {
		t.Fatal(err)
	}
	if report.Updated.People != 1 {
		t.Errorf("import report = %+v, want one person updated", report)
	}
	report, err = s.ImportWith(ctx, film.Catalog{People: []film.Person{imported}}, film.ImportOptions{UpdateExisting: true})
	if err != nil {
		t.Fatal(err)
	}
	if report.Unchanged.People != 1 || report.Updated.People != 0 {
		t.Errorf("second import report = %+v, want the person unchanged", report)
	}
	var dump film.Catalog
	if err := s.Dump(ctx, &dump); err != nil {
		t.Fatal(err)
	}
	dumped := map[string]film.Person{}
	for _, p := range dump.People {
		dumped[p.Slug] = p
	}
	if diff := cmp.Diff(imported, dumped["cedric-klapisch"]); diff != "" {
		t.Errorf("dumped person (-want +got):\n%s", diff)
	}
	want.ID = 0
	if diff := cmp.Diff(want, dumped["juliette-binoche"]); diff != "" {
		t.Errorf("dumped person (-want +got):\n%s", diff)
	}
}

// testKnownFor checks the rule film.KnownFor documents: principal parts
// first, then the films readers engaged with most, then the newer.
func testKnownFor(t *testing.T, s film.Store) {
	ctx := context.Background()
	c := film.Catalog{
		People: []film.Person{{Slug: "ann-actor", Name: "Ann Actor"}, {Slug: "lead", Name: "Lead"}},
		Films: []film.Film{
			// A blockbuster where Ann has a small part: the most rated,
			// but not principal.
			{Slug: "big-2001", Title: "Big", Year: 2001, Credits: []film.Credit{
				{PersonSlug: "lead", Role: film.RoleCast, Character: "Hero", Billing: 1},
				{PersonSlug: "ann-actor", Role: film.RoleCast, Character: "Waitress", Billing: 7},
			}},
			// A film she directed and acted in: director is her most
			// prominent credit on it.
			{Slug: "small-2010", Title: "Small", Year: 2010, Credits: []film.Credit{
				{PersonSlug: "ann-actor", Role: film.RoleDirector},
				{PersonSlug: "ann-actor", Role: film.RoleCast, Character: "Herself", Billing: 2},
			}},
			// Her lead part, rated once.
			{Slug: "mid-2005", Title: "Mid", Year: 2005, Credits: []film.Credit{
				{PersonSlug: "ann-actor", Role: film.RoleCast, Character: "Jo", Billing: 1},
			}},
			// An older principal film nobody rated: after the newer one.
			{Slug: "old-1999", Title: "Old", Year: 1999, Credits: []film.Credit{
				{PersonSlug: "ann-actor", Role: film.RoleWriter},
			}},
			// A fifth film, past the limit.
			{Slug: "cameo-2003", Title: "Cameo", Year: 2003, Credits: []film.Credit{
				{PersonSlug: "ann-actor", Role: film.RoleCast, Character: "Passer-by"},
			}},
		},
	}
	if _, err := s.ImportWith(ctx, c, film.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	rate := func(slug string, readers ...string) {
		t.Helper()
		p := mustFilmPage(t, s, film.FilmPageQuery{Slug: slug})
		for _, name := range readers {
			id, _ := mustReader(t, s, name)
			if _, err := s.RateFilm(ctx, p.Film.ID, id, 8, now); err != nil {
				t.Fatal(err)
			}
		}
	}
	rate("big-2001", "r1", "r2", "r3")
	rate("mid-2005", "r1")
	page, err := s.PersonPage(ctx, "ann-actor", now, 10)
	if err != nil {
		t.Fatal(err)
	}
	type line struct {
		Slug      string
		Role      film.Role
		Character string
		Ratings   int
	}
	var got []line
	for _, k := range page.KnownFor {
		got = append(got, line{k.Film.Slug, k.Role, k.Character, k.Ratings})
		if k.Film.Title == "" || k.Film.Year == 0 {
			t.Errorf("known-for film without its title and year: %+v", k.Film)
		}
	}
	want := []line{
		{"mid-2005", film.RoleCast, "Jo", 1},
		{"small-2010", film.RoleDirector, "", 0},
		{"old-1999", film.RoleWriter, "", 0},
		{"big-2001", film.RoleCast, "Waitress", 3},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("known for (-want +got):\n%s", diff)
	}
	if len(page.Credits) != 6 {
		t.Errorf("%d credits in the filmography, want all 6", len(page.Credits))
	}
}
