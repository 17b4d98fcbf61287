package film_test

import (
	"testing"

	"marquee/internal/film"
)

// TestRankKnownFor checks the rule on credits as a store gives them:
// principal films first, then engagement, the store's order (newer, then
// title) breaking ties; each film's first credit is the one shown.
func TestRankKnownFor(t *testing.T) {
	credit := func(id int64, role film.Role, character string, billing, ratings, reviews int) film.PersonCredit {
		return film.PersonCredit{Film: film.Summary{ID: id, Slug: string(rune('a' + id))}, Role: role, Character: character,
			Billing: billing, FilmRatings: ratings, FilmReviews: reviews}
	}
	credits := []film.PersonCredit{
		credit(1, film.RoleCast, "Extra", 0, 900, 90),        // unbilled: not principal, though the most engaged
		credit(2, film.RoleDirector, "", 0, 5, 1),            // director, and a small part: director is shown
		credit(2, film.RoleCast, "Herself", 9, 5, 1),         //
		credit(3, film.RoleCast, "Jo", 2, 10, 0),             // a lead
		credit(7, film.RoleWriter, "", 0, 50, 0),             // writer, and billed fifth: principal
		credit(7, film.RoleCast, "Guard", 5, 50, 0),          //
		credit(5, film.RoleWriter, "", 0, 0, 6),              // ties film 2 on engagement and comes after it
		credit(6, film.RoleCast, "Passer-by", 4, 1000, 1000), // billed fourth: not principal
	}
	got := film.RankKnownFor(credits, 5)
	type line struct {
		id        int64
		role      film.Role
		character string
	}
	want := []line{{7, film.RoleWriter, ""}, {3, film.RoleCast, "Jo"}, {2, film.RoleDirector, ""}, {5, film.RoleWriter, ""}, {6, film.RoleCast, "Passer-by"}}
	if len(got) != len(want) {
		t.Fatalf("got %d films, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		if g := (line{got[i].Film.ID, got[i].Role, got[i].Character}); g != w {
			t.Errorf("known for %d = %+v, want %+v", i, g, w)
		}
	}
	if got[0].Ratings != 50 || got[3].Reviews != 6 {
		t.Errorf("counts not carried: %+v", got)
	}
	if n := len(film.RankKnownFor(credits, 2)); n != 2 {
		t.Errorf("limit 2 gave %d films", n)
	}
	if film.RankKnownFor(nil, 4) == nil || len(film.RankKnownFor(nil, 4)) != 0 {
		t.Error("no credits should give an empty list")
	}
}
