package web

import (
	"strings"
	"testing"

	"marquee/internal/film"
	"marquee/internal/sharecard"
)

func TestFilmCardSaysDirectorsAndReadersAverage(t *testing.T) {
	p := film.FilmPage{Film: film.Film{
		Slug: "paris-2008", Title: "Paris", Year: 2008,
		Credits: []film.Credit{
			{PersonName: "Juliette Binoche", Role: film.RoleCast},
			{PersonName: "Cédric Klapisch", Role: film.RoleDirector},
			{PersonName: "A. N. Other", Role: film.RoleDirector},
		},
	}}
	c := filmCard(p)
	if c.Kind != sharecard.KindFilm || c.Title != "Paris" || c.Year != 2008 || c.Seed != "paris-2008" {
		t.Errorf("card %+v", c)
	}
	if want := "Directed by Cédric Klapisch and A. N. Other"; c.Subtitle != want {
		t.Errorf("subtitle %q, want %q", c.Subtitle, want)
	}
	if c.Rating != nil {
		t.Errorf("a film nobody rated has the rating %+v", *c.Rating)
	}
	p.Ratings = film.RatingStats{Count: 3, Total: 20}
	if c := filmCard(p); c.Rating == nil || c.Rating.Value != 6.7 || c.Rating.Scale != 10 {
		t.Errorf("readers' average of 20/3: rating %+v, want 6.7/10", c.Rating)
	}
}

func TestCriticReviewCardCarriesItsOwnRating(t *testing.T) {
	p := film.CriticReviewPage{
		Review: film.CriticReview{
			Slug: "paris-2008-review", Headline: "A city of strangers", Author: "Ada Critic",
			Publication: "Marquee", Rating: &film.Rating{Value: 3.5, Scale: 5},
		},
		Film: film.Summary{Slug: "paris-2008", Title: "Paris", Year: 2008},
	}
	c := criticReviewCard(p)
	if c.Kind != sharecard.KindCriticReview || c.Title != "Paris" || c.Year != 2008 || c.Seed != "paris-2008" {
		t.Errorf("card %+v", c)
	}
	if !strings.Contains(c.Tagline, "A city of strangers") || c.Subtitle != "Review by Ada Critic, Marquee" {
		t.Errorf("tagline %q, subtitle %q", c.Tagline, c.Subtitle)
	}
	if c.Rating == nil || *c.Rating != (sharecard.Rating{Value: 3.5, Scale: 5}) {
		t.Errorf("rating %+v, want 3.5 of 5", c.Rating)
	}
	p.Review.Rating = nil
	if c := criticReviewCard(p); c.Rating != nil {
		t.Errorf("an unrated review has the rating %+v", *c.Rating)
	}
}

func TestKnownFor(t *testing.T) {
	paris := film.Summary{Title: "Paris", Year: 2008}
	older := film.Summary{Title: "Le Péril jeune", Year: 1994}
	tests := []struct {
		name    string
		credits []film.PersonCredit
		want    string
	}{
		{"no credits", nil, ""},
		{"one role", []film.PersonCredit{{Film: paris, Role: film.RoleDirector}}, "Director · Paris (2008)"},
		{"the role with most credits, newest film", []film.PersonCredit{
			{Film: paris, Role: film.RoleWriter},
			{Film: paris, Role: film.RoleCast},
			{Film: older, Role: film.RoleCast},
		}, "Actor · Paris (2008)"},
		{"a tie goes to the earlier role", []film.PersonCredit{
			{Film: paris, Role: film.RoleWriter},
			{Film: older, Role: film.RoleDirector},
		}, "Director · Le Péril jeune (1994)"},
	}
	for _, tt := range tests {
		if got := knownFor(tt.credits); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestCardURLNamesTheCardsHash(t *testing.T) {
	s := &Server{}
	c := sharecard.Card{Kind: sharecard.KindFilm, Title: "Paris", Seed: "paris-2008"}
	for kind, prefix := range map[sharecard.Kind]string{
		sharecard.KindFilm: "/cards/films/paris-2008/", sharecard.KindPerson: "/cards/people/paris-2008/",
		sharecard.KindCriticReview: "/cards/reviews/paris-2008/",
	} {
		if got, want := s.cardURL(kind, "paris-2008", c), prefix+c.Hash()+".png"; got != want {
			t.Errorf("%s: %q, want %q", kind, got, want)
		}
	}
	if got := s.cardURL("poster", "paris-2008", c); got != "" {
		t.Errorf("unknown kind: %q, want none", got)
	}
}

func TestCardCacheIsBounded(t *testing.T) {
	c := newCardCache(100)
	for i := range 10 {
		c.put(strings.Repeat("h", i+1), drawnCard{png: make([]byte, 30)})
	}
	if c.bytes > 100 || len(c.cards) != 3 || len(c.order) != 3 {
		t.Errorf("%d cards in %d bytes (order %d), want the newest 3 within 100", len(c.cards), c.bytes, len(c.order))
	}
	if _, ok := c.get("h"); ok {
		t.Error("the oldest card is still kept")
	}
	if _, ok := c.get(strings.Repeat("h", 10)); !ok {
		t.Error("the newest card is not kept")
	}
	c.put("too large", drawnCard{png: make([]byte, 101)})
	if _, ok := c.get("too large"); ok {
		t.Error("a card larger than the whole cache is kept")
	}
	var none *cardCache
	none.put("x", drawnCard{png: []byte{1}})
	if _, ok := none.get("x"); ok {
		t.Error("a nil cache keeps cards")
	}
}
