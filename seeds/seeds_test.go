package seeds_test

import (
	"slices"
	"testing"

	"marquee/internal/catalog"
	"marquee/internal/film"
	"marquee/seeds"
)

// load decodes and validates the embedded seed catalogue and returns it with
// the Paris (2008) record.
func load(t *testing.T) (catalog.Document, film.Film) {
	t.Helper()
	doc, err := catalog.DecodeFS(seeds.FS)
	if err != nil {
		t.Fatalf("DecodeFS(seeds.FS): %v", err)
	}
	for _, f := range doc.Films {
		if f.Slug == "paris-2008" {
			return doc, f
		}
	}
	t.Fatalf("no film with slug paris-2008 among %d films", len(doc.Films))
	return doc, film.Film{}
}

func TestFilmRecord(t *testing.T) {
	doc, f := load(t)
	if len(doc.Films) != 1 {
		t.Errorf("films: got %d, want 1", len(doc.Films))
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"title", f.Title, "Paris"},
		{"original_title", f.OriginalTitle, "Paris"},
		{"title_language", f.TitleLanguage, "fr"},
		{"year", f.Year, 2008},
		{"runtime_minutes", f.RuntimeMinutes, 130},
		{"filming_started", f.FilmingStarted, film.Date("2006-11")},
		{"budget", deref(f.Budget), film.Money{Amount: 12_200_000, Currency: "EUR"}},
		{"countries", f.Countries, []string{"France"}},
		{"languages", f.Languages, []string{"French"}},
		{"genres", f.Genres, []string{"Comedy", "Drama"}},
	}
	for _, c := range checks {
		if !equal(c.got, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, c.got, c.want)
		}
	}
	if n := len([]rune(f.Synopsis)); n == 0 || n >= 300 {
		t.Errorf("synopsis: %d characters, want 1-299", n)
	}
}

func TestPlotThreads(t *testing.T) {
	_, f := load(t)
	want := []string{"Pierre", "Élise", "Roland Verneuil", "Jean", "Philippe Verneuil", "Khadija", "Laetitia", "Benoît"}
	var got []string
	for _, p := range f.Plot {
		got = append(got, p.Character)
	}
	if !slices.Equal(got, want) {
		t.Errorf("plot threads:\n got %q\nwant %q", got, want)
	}
}

func TestSoundtrack(t *testing.T) {
	_, f := load(t)
	s := f.Soundtrack
	if s == nil {
		t.Fatal("soundtrack: missing")
	}
	if s.Title != "Paris (Original Soundtrack)" || s.ChartPeak != 44 || s.ChartTerritory != "France" {
		t.Errorf("soundtrack: got %q peaking at %d in %q, want \"Paris (Original Soundtrack)\" peaking at 44 in France",
			s.Title, s.ChartPeak, s.ChartTerritory)
	}
	want := []film.Track{
		{Number: 1, Artist: "Kraked Unit", Title: "Munivers De Paris"},
		{Number: 2, Artist: "Wax Tailor (featuring Charlotte Savary)", Title: "Seize the Day"},
		{Number: 3, Artist: "Artur Nunes", Title: "Tia"},
		{Number: 4, Artist: "Kraked Unit", Title: "L'air Des Cendres"},
		{Number: 5, Artist: "Rosemary Clooney", Title: "Sway"},
		{Number: 6, Artist: "Quincy Jones", Title: "Comin' Home Baby"},
		{Number: 7, Artist: "Philippe Katerine", Title: "Louxor J'adore"},
		{Number: 8, Artist: "Wilson Pickett", Title: "Land of a Thousand Dances"},
		{Number: 9, Artist: "Grant Phabao pres. Carlton Livingston and the Lone Ranger", Title: "Running for My Life"},
		{Number: 10, Artist: "Kraked Unit", Title: "Douala Paris"},
		{Number: 11, Artist: "Kraked Unit", Title: "I Love Bidoche"},
		{Number: 12, Artist: "Kraked Unit", Title: "Ah Hum Babe"},
		{Number: 13, Artist: "Adrag", Title: "I Don't Give a F..."},
		{Number: 14, Artist: "Kraked Unit", Title: "Les Fleurs Du Slam"},
		{Number: 15, Artist: "Erik Satie", Title: "Gnossienne N°1"},
	}
	if len(s.Tracks) != len(want) {
		t.Errorf("tracks: got %d, want %d", len(s.Tracks), len(want))
	}
	for i := range min(len(s.Tracks), len(want)) {
		if s.Tracks[i] != want[i] {
			t.Errorf("track %d: got %d. %q – %q, want %d. %q – %q", i+1,
				s.Tracks[i].Number, s.Tracks[i].Artist, s.Tracks[i].Title,
				want[i].Number, want[i].Artist, want[i].Title)
		}
	}
}

func TestCast(t *testing.T) {
	doc, f := load(t)
	names := map[string]string{}
	for _, p := range doc.People {
		names[p.Slug] = p.Name
	}
	type castLine struct {
		name, character string
		billing         int
	}
	cast := map[string]castLine{}
	for _, c := range f.Credits {
		if c.Role == film.RoleCast {
			cast[names[c.PersonSlug]] = castLine{names[c.PersonSlug], c.Character, c.Billing}
		}
	}

	infobox := []string{"Juliette Binoche", "Romain Duris", "Fabrice Luchini", "Albert Dupontel", "François Cluzet",
		"Karin Viard", "Mélanie Laurent", "Gilles Lellouche", "Zinedine Soualem", "Julie Ferrier"}
	for i, name := range infobox {
		c, ok := cast[name]
		switch {
		case !ok:
			t.Errorf("cast: %s is missing", name)
		case c.billing != i+1:
			t.Errorf("cast: %s billed %d, want %d", name, c.billing, i+1)
		}
	}
	for _, name := range []string{"Olivia Bonamy", "Maurice Bénichou", "Annelise Hesme", "Audrey Marnay", "Xavier Robic", "Kingsley Kum Abang"} {
		if c, ok := cast[name]; !ok || c.billing <= len(infobox) {
			t.Errorf("cast: %s missing or billed among the infobox stars (%+v)", name, c)
		}
	}

	characters := []struct{ actor, character string }{
		{"Romain Duris", "Pierre"},
		{"Juliette Binoche", "Élise"},
		{"Kingsley Kum Abang", "Benoît"},
		{"Albert Dupontel", "Jean"},
		{"Julie Ferrier", "Caroline"},
		{"Fabrice Luchini", "Roland Verneuil"},
		{"François Cluzet", "Philippe Verneuil"},
		{"Karin Viard", "La boulangère"},
		{"Maurice Bénichou", "Le psy"},
		{"Xavier Robic", "Arthur Delamare – le présentateur télé"},
		{"Mélanie Laurent", ""},
	}
	for _, c := range characters {
		if got := cast[c.actor].character; got != c.character {
			t.Errorf("character of %s: got %q, want %q", c.actor, got, c.character)
		}
	}
}

func TestCrew(t *testing.T) {
	doc, f := load(t)
	people := map[string]film.Person{}
	for _, p := range doc.People {
		people[p.Slug] = p
	}
	tests := []struct {
		role film.Role
		want []string
	}{
		{film.RoleDirector, []string{"Cédric Klapisch"}},
		{film.RoleWriter, []string{"Cédric Klapisch"}},
		{film.RoleProducer, []string{"Bruno Levy"}},
		{film.RoleCinematography, []string{"Christophe Beaucarne"}},
		{film.RoleEditing, []string{"Francine Sandberg"}},
		{film.RoleMusic, []string{"Loïk Dury", `Robert "Chicken" Burke`}},
	}
	for _, tt := range tests {
		var got []string
		for _, c := range f.Credits {
			if c.Role == tt.role {
				got = append(got, people[c.PersonSlug].Name)
			}
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: got %q, want %q", tt.role, got, tt.want)
		}
	}

	akas := []struct{ slug, name, aka string }{
		{"loik-dury", "Loïk Dury", "Loïc Dury"},
		{"robert-chicken-burke", `Robert "Chicken" Burke`, "Robert Burke"},
	}
	for _, a := range akas {
		p := people[a.slug]
		if p.Name != a.name || !slices.Contains(p.AlsoKnownAs, a.aka) {
			t.Errorf("person %s: got %q aka %q, want %q aka %q", a.slug, p.Name, p.AlsoKnownAs, a.name, a.aka)
		}
	}
}

func TestReleasesAndBoxOffice(t *testing.T) {
	_, f := load(t)
	releases := []struct {
		country   string
		date      film.Date
		precision film.Precision
	}{
		{"France", "2008-02-20", film.PrecisionDay},
		{"United Kingdom", "2008-07", film.PrecisionMonth},
	}
	for _, want := range releases {
		i := slices.IndexFunc(f.Releases, func(r film.Release) bool { return r.Country == want.country })
		if i < 0 {
			t.Errorf("release in %s: missing", want.country)
			continue
		}
		if got := f.Releases[i].Date; got != want.date || got.Precision() != want.precision {
			t.Errorf("release in %s: got %q (precision %d), want %q (precision %d)",
				want.country, got, got.Precision(), want.date, want.precision)
		}
	}

	boxOffice := []film.BoxOffice{
		{Kind: film.BoxOfficeGross, Amount: film.Money{Amount: 23_300_000, Currency: "USD"}, Source: "Encyclopaedia article infobox"},
		{Kind: film.BoxOfficeOpeningWeekend, Amount: film.Money{Amount: 46_518, Currency: "USD"}, Screens: 6, AsOf: "2009-09-20", Source: "Fan site film page"},
		{Kind: film.BoxOfficeGross, Amount: film.Money{Amount: 1_005_168, Currency: "USD"}, AsOf: "2009-12-20", Source: "Fan site film page"},
	}
	if len(f.BoxOffice) != len(boxOffice) {
		t.Errorf("box office: got %d figures, want %d", len(f.BoxOffice), len(boxOffice))
	}
	for _, want := range boxOffice {
		if !slices.Contains(f.BoxOffice, want) {
			t.Errorf("box office: missing %+v", want)
		}
	}
}

func TestExternalScoresAndAward(t *testing.T) {
	_, f := load(t)
	scores := []struct {
		source       string
		kind         film.ScoreKind
		value, scale float64
		count        int
		unit         string
	}{
		{"Rotten Tomatoes", film.ScoreCritics, 66, 100, 71, "reviews"},
		{"Metacritic", film.ScoreCritics, 68, 100, 21, "critics"},
		{"Fan site users", film.ScoreAudience, 6.8, 10, 5339, "votes"},
		{"Fan site critics' score", film.ScoreCritics, 68, 100, 0, ""},
	}
	if len(f.Scores) != len(scores) {
		t.Errorf("external scores: got %d, want %d", len(f.Scores), len(scores))
	}
	for _, want := range scores {
		i := slices.IndexFunc(f.Scores, func(s film.ExternalScore) bool { return s.Source == want.source })
		if i < 0 {
			t.Errorf("external score %q: missing", want.source)
			continue
		}
		s := f.Scores[i]
		if s.Kind != want.kind || s.Value != want.value || s.Scale != want.scale || s.Count != want.count || s.CountUnit != want.unit {
			t.Errorf("external score %q: got %s %v/%v from %d %s, want %s %v/%v from %d %s", want.source,
				s.Kind, s.Value, s.Scale, s.Count, s.CountUnit, want.kind, want.value, want.scale, want.count, want.unit)
		}
	}
	rt := f.Scores[slices.IndexFunc(f.Scores, func(s film.ExternalScore) bool { return s.Source == "Rotten Tomatoes" })]
	if rt.Average != 6.5 || rt.AverageScale != 10 {
		t.Errorf("Rotten Tomatoes average: got %v/%v, want 6.5/10", rt.Average, rt.AverageScale)
	}

	wantAward := film.Award{Name: "Radio-Canada Audience Award", Event: "Cinéfranco", Year: 2009, Outcome: film.AwardWon}
	if !slices.Contains(f.Awards, wantAward) {
		t.Errorf("awards: got %+v, want to contain %+v", f.Awards, wantAward)
	}
}

func TestReviews(t *testing.T) {
	doc, _ := load(t)
	if len(doc.CriticReviews) != 1 {
		t.Fatalf("critic reviews: got %d, want 1", len(doc.CriticReviews))
	}
	cr := doc.CriticReviews[0]
	if cr.FilmSlug != "paris-2008" || cr.Rating == nil || *cr.Rating != (film.Rating{Value: 3, Scale: 5}) ||
		cr.Status != film.ReviewPublished || cr.PublishedAt.IsZero() {
		t.Errorf("critic review: got film %q rating %+v status %q published %v, want paris-2008 rated 3/5 and published",
			cr.FilmSlug, cr.Rating, cr.Status, cr.PublishedAt)
	}

	if len(doc.ReaderReviews) != 1 {
		t.Fatalf("reader reviews: got %d, want 1", len(doc.ReaderReviews))
	}
	rr := doc.ReaderReviews[0]
	const title = "Maybe the Finest movie about Paris since Paris vu Par"
	if rr.FilmSlug != "paris-2008" || rr.Title != title || rr.Rating != 9 || rr.Status != film.ModerationApproved {
		t.Errorf("reader review: got film %q title %q rating %d status %q, want paris-2008 %q rated 9 and approved",
			rr.FilmSlug, rr.Title, rr.Rating, rr.Status, title)
	}
}

func deref(m *film.Money) film.Money {
	if m == nil {
		return film.Money{}
	}
	return *m
}

// equal compares the scalar, Money and []string values the table tests use.
func equal(a, b any) bool {
	as, aok := a.([]string)
	bs, bok := b.([]string)
	if aok || bok {
		return aok && bok && slices.Equal(as, bs)
	}
	return a == b
}
