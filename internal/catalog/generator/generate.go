// Package generator makes synthetic catalogues for development, tests and
// benchmarks: realistic films, people, critic and reader reviews, ratings and
// helpful votes, as many as asked for, the same ones for the same seed. It
// writes them record by record to a film.CatalogWriter, such as the
// catalogue format's encoder (internal/catalog) or the store's bulk loader,
// and what it writes passes the format's validation. "marquee gen" runs it.
package generator

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
	"time"

	"marquee/internal/film"
)

// Options say how large a catalogue Generate makes. Zero counts
// take their defaults from Films (see Complete).
type Options struct {
	Films int
	// Seed picks the catalogue: the same options give the same records,
	// byte for byte, on every run.
	Seed          uint64
	People        int
	CriticReviews int
	ReaderReviews int
	Ratings       int
	HelpfulVotes  int
	// Readers is how many anonymous readers the ratings and votes come
	// from.
	Readers int
}

// Complete fills in the counts left at zero: about three people, ten reader
// reviews, fifty ratings and ten helpful votes per film, a critic review for
// every other film, and one reader for every twenty ratings.
func (o Options) Complete() Options {
	if o.People == 0 {
		o.People = 3 * o.Films
	}
	o.People = max(o.People, 20)
	if o.CriticReviews == 0 {
		o.CriticReviews = (o.Films + 1) / 2
	}
	if o.ReaderReviews == 0 {
		o.ReaderReviews = 10 * o.Films
	}
	if o.Ratings == 0 {
		o.Ratings = 50 * o.Films
	}
	if o.HelpfulVotes == 0 {
		o.HelpfulVotes = o.ReaderReviews
	}
	if o.Readers == 0 {
		o.Readers = o.Ratings / 20
	}
	o.Readers = max(o.Readers, 50)
	return o
}

// generatedNow is the present of a generated catalogue: every review,
// rating and vote is dated before it (except scheduled critic reviews,
// which are due after it), so the same seed gives the same dates whenever
// it runs.
var generatedNow = time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)

// siteOpened is the earliest date a generated reader writes anything.
var siteOpened = time.Date(2004, 1, 1, 0, 0, 0, 0, time.UTC)

// The random streams of a generated catalogue. Each part of it draws from
// its own stream, seeded from the seed and the record's index, so a part
// can be made again (the helpful votes replay the reader reviews' keys)
// without replaying everything before it.
const (
	streamPeople uint64 = iota + 1
	streamFilm
	streamCritic
	streamReviewKeys
	streamReviewBodies
	streamRatings
	streamVotes
	streamSpread
)

// Generate makes a realistic catalogue, deterministically from opts.Seed,
// and sends it to w record by record in the order of the format, holding
// only a few facts per film in memory, so it can write a hundred thousand
// films straight into a database (see sqlite.BulkLoader) or a file
// (catalog.Encoder). The records are valid: a generated catalogue passes
// catalog.Document.Validate.
func Generate(ctx context.Context, opts Options, w film.CatalogWriter) error {
	if opts.Films < 1 {
		return fmt.Errorf("generate: need at least one film, not %d", opts.Films)
	}
	g := &generator{ctx: ctx, o: opts.Complete(), w: w}
	steps := []struct {
		what string
		run  func() error
	}{
		{"people", g.genPeople},
		{"films", g.genFilms},
		{"critic reviews", g.genCriticReviews},
		{"reader reviews", g.genReaderReviews},
		{"ratings", g.genRatings},
		{"helpful votes", g.genVotes},
	}
	for _, s := range steps {
		if err := s.run(); err != nil {
			return fmt.Errorf("generate %s: %w", s.what, err)
		}
	}
	return nil
}

type generator struct {
	ctx context.Context
	o   Options
	w   film.CatalogWriter

	people []genPerson
	// People before crewEnd work behind the camera; the rest act.
	crewEnd              int
	crewNext, actorsNext int // cursors that make sure everyone is credited

	films      []genFilm
	cumulative []float64 // running total of film popularity, for sampling
	reviews    []int32   // reader reviews per film
	readers    []string  // reader keys
}

type genPerson struct {
	slug, name string
}

// genFilm is what later parts need to know of a film.
type genFilm struct {
	slug, title string
	origin      *origin
	released    time.Time
	quality     float64 // 1–10: how good readers and critics find it
	popularity  float64
	director    int32 // people indices
	leads       [2]int32
	composer    int32 // -1 for none
}

func (g *generator) rng(stream uint64, i int) *rand.Rand {
	return rand.New(rand.NewPCG(g.o.Seed, stream<<48^uint64(i)))
}

// every checks for cancellation now and then.
func (g *generator) every(i int) error {
	if i%1024 == 0 {
		return g.ctx.Err()
	}
	return nil
}

func pick[T any](r *rand.Rand, list []T) T { return list[r.IntN(len(list))] }

// chance reports true with probability p.
func chance(r *rand.Rand, p float64) bool { return r.Float64() < p }

func pickOrigin(r *rand.Rand) *origin {
	total := 0.0
	for _, o := range origins {
		total += o.weight
	}
	x := r.Float64() * total
	for i := range origins {
		if x -= origins[i].weight; x < 0 {
			return &origins[i]
		}
	}
	return &origins[0]
}

// slugs hands out unique slugs, numbering repeats: "marie-dupont",
// "marie-dupont-2".
type slugs struct {
	taken map[string]bool
	last  map[string]int // the last number given to a base
}

func newSlugs() *slugs { return &slugs{taken: map[string]bool{}, last: map[string]int{}} }

func (s *slugs) unique(base string) string {
	if base == "" {
		base = "untitled"
	}
	slug := base
	for s.taken[slug] {
		s.last[base] = max(s.last[base], 1) + 1
		slug = base + "-" + strconv.Itoa(s.last[base])
	}
	s.taken[slug] = true
	return slug
}

// truncate cuts a slug to at most n bytes, at a hyphen if it can.
func truncate(slug string, n int) string {
	if len(slug) <= n {
		return slug
	}
	slug = slug[:n]
	if i := strings.LastIndexByte(slug, '-'); i > n/2 {
		slug = slug[:i]
	}
	return strings.TrimRight(slug, "-")
}

// initial is the first letter of name.
func initial(name string) string {
	for _, r := range name {
		return string(r)
	}
	return ""
}

func (g *generator) genPeople() error {
	r := g.rng(streamPeople, 0)
	taken := newSlugs()
	g.people = make([]genPerson, g.o.People)
	g.crewEnd = max(g.o.People/4, 1)
	for i := range g.people {
		if err := g.every(i); err != nil {
			return err
		}
		names := pickOrigin(r).names
		name := pick(r, names.first) + " " + pick(r, names.last)
		if chance(r, 0.04) {
			name += "-" + pick(r, names.last)
		}
		p := film.Person{Name: name, Slug: taken.unique(truncate(film.Slugify(name), 90))}
		if chance(r, 0.03) {
			// Sources spell some names another way: without accents, or
			// with a middle initial.
			alias := strings.Join(strings.Fields(strings.ReplaceAll(film.Slugify(name), "-", " ")), " ")
			if alias == strings.ToLower(name) || !chance(r, 0.5) {
				first, last, _ := strings.Cut(name, " ")
				alias = first + " " + string(rune('A'+r.IntN(26))) + ". " + last
			} else {
				alias = titleCase(alias)
			}
			p.AlsoKnownAs = []string{alias}
		}
		g.people[i] = genPerson{slug: p.Slug, name: p.Name}
		if err := g.w.WritePerson(p); err != nil {
			return err
		}
	}
	return nil
}

func titleCase(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		words[i] = strings.ToUpper(w[:1]) + w[1:]
	}
	return strings.Join(words, " ")
}

// person picks someone from people[from:to]: half the time one of the
// well-known few at the front, who work a lot, and half the time the next
// in turn, so that everyone gets credited somewhere.
func (g *generator) person(r *rand.Rand, from, to int, next *int) int {
	size := to - from
	if chance(r, 0.5) {
		return from + int(float64(size)*math.Pow(r.Float64(), 3))
	}
	i := from + *next%size
	*next++
	return i
}

func englishTitle(r *rand.Rand, o *origin) string {
	switch r.IntN(9) {
	case 0:
		return "The " + pick(r, titleNouns)
	case 1:
		return pick(r, titleAdjectives) + " " + pick(r, titleNouns)
	case 2:
		return "The " + pick(r, titleAdjectives) + " " + pick(r, titleNouns)
	case 3:
		return "The " + pick(r, titleNouns) + " of " + pick(r, titlePlaces)
	case 4:
		return pick(r, o.names.first) + "'s " + pick(r, titleNouns)
	case 5:
		noun := pick(r, titleNouns)
		article := "A "
		if strings.ContainsRune("AEIOU", rune(noun[0])) {
			article = "An "
		}
		return article + noun + " in " + pick(r, titlePlaces)
	case 6:
		return pick(r, titleNouns) + " at " + pick(r, titleTimes)
	case 7:
		return "The Last " + pick(r, titleNouns)
	}
	return pick(r, titlePlaces)
}

func foreignTitle(r *rand.Rand, t *foreignTitles) string {
	if chance(r, 0.45) {
		return pick(r, t.heads)
	}
	return pick(r, t.heads) + " " + pick(r, t.complements)
}

// year picks a release year from 1920 to 2026, most of them recent.
func year(r *rand.Rand) int { return 2026 - int(107*math.Pow(r.Float64(), 1.8)) }

func date(r *rand.Rand, year int) time.Time {
	return time.Date(year, time.Month(1+r.IntN(12)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC)
}

// partial writes t as a partial date, to the day, the month or the year.
func partial(r *rand.Rand, t time.Time, pDay, pMonth float64) film.Date {
	switch x := r.Float64(); {
	case x < pDay:
		return film.Date(t.Format("2006-01-02"))
	case x < pDay+pMonth:
		return film.Date(t.Format("2006-01"))
	}
	return film.Date(t.Format("2006"))
}

func between(r *rand.Rand, from, to time.Time) time.Time {
	if !to.After(from) {
		return from
	}
	return from.Add(time.Duration(r.Int64N(int64(to.Sub(from)/time.Second))) * time.Second)
}

func (g *generator) genFilms() error {
	taken := newSlugs()
	g.films = make([]genFilm, g.o.Films)
	g.cumulative = make([]float64, g.o.Films)
	total := 0.0
	for i := range g.films {
		if err := g.every(i); err != nil {
			return err
		}
		f, facts := g.film(g.rng(streamFilm, i), taken)
		g.films[i] = facts
		total += facts.popularity
		g.cumulative[i] = total
		if err := g.w.WriteFilm(f); err != nil {
			return err
		}
	}
	return nil
}

func (g *generator) film(r *rand.Rand, taken *slugs) (film.Film, genFilm) {
	o := pickOrigin(r)
	f := film.Film{Year: year(r)}
	if o.title != nil {
		f.Title = foreignTitle(r, o.title)
		f.OriginalTitle, f.TitleLanguage = f.Title, o.tag
	} else {
		f.Title = englishTitle(r, o)
	}
	f.Slug = taken.unique(truncate(film.Slugify(f.Title), 60) + "-" + strconv.Itoa(f.Year))
	f.RuntimeMinutes = min(max(int(math.Round(104+19*r.NormFloat64())), 75), 200)
	if chance(r, 0.03) {
		f.RuntimeMinutes = 150 + r.IntN(51)
	}
	f.Countries = []string{o.country}
	if chance(r, 0.25) {
		if other := pickOrigin(r); other.country != o.country {
			f.Countries = append(f.Countries, other.country)
		}
	}
	f.Languages = []string{o.language}
	if chance(r, 0.15) && o.language != "English" {
		f.Languages = append(f.Languages, "English")
	}
	for _, i := range r.Perm(len(genres))[:1+r.IntN(3)] {
		f.Genres = append(f.Genres, genres[i])
	}
	city := pick(r, o.cities)
	f.Synopsis = fmt.Sprintf("In %s, %s %s when %s.", city, pick(r, occupations), pick(r, pursuits), pick(r, incidents))
	if chance(r, 0.2) {
		f.PlotIntro = fmt.Sprintf("The story unfolds over one %s in %s, told from several points of view.",
			strings.ToLower(pick(r, []string{"Summer", "Winter", "Autumn", "Spring"})), city)
	}
	released := date(r, f.Year)
	if released.After(generatedNow.AddDate(0, -1, 0)) {
		released = generatedNow.AddDate(0, -1-r.IntN(5), -r.IntN(28))
	}
	if chance(r, 0.7) {
		f.FilmingStarted = partial(r, released.AddDate(-1, -r.IntN(6), 0), 0.3, 0.5)
	}
	if chance(r, 0.45) {
		f.Budget = &film.Money{Amount: 100_000 * int64(math.Round(math.Exp(3.5+1.3*r.NormFloat64()))+1), Currency: o.currency}
	}

	facts := genFilm{slug: f.Slug, title: f.Title, origin: o, released: released}
	g.credits(r, &f, o, &facts)
	g.extras(r, &f, o, &facts)

	facts.quality = min(max(6.4+1.2*r.NormFloat64(), 1.5), 9.4)
	facts.popularity = math.Exp(1.2 * r.NormFloat64())
	if f.Year >= 2000 {
		facts.popularity *= 3
	}
	if f.Year >= 2015 {
		facts.popularity *= 2
	}
	return f, facts
}

func (g *generator) credits(r *rand.Rand, f *film.Film, o *origin, facts *genFilm) {
	crewEnd, people := g.crewEnd, len(g.people)
	actorsFrom := crewEnd
	if people-crewEnd < 8 {
		actorsFrom = 0 // a tiny catalogue: everyone acts
	}
	used := map[string]bool{}
	add := func(role film.Role, from, to int, next *int) (int, bool) {
		for range 8 {
			i := g.person(r, from, to, next)
			key := string(role) + "\x00" + strconv.Itoa(i)
			if !used[key] {
				used[key] = true
				return i, true
			}
		}
		return 0, false
	}
	crew := func(role film.Role, n int) []int {
		var picked []int
		for range n {
			if i, ok := add(role, 0, crewEnd, &g.crewNext); ok {
				f.Credits = append(f.Credits, film.Credit{PersonSlug: g.people[i].slug, Role: role})
				picked = append(picked, i)
			}
		}
		return picked
	}
	directors := crew(film.RoleDirector, 1+boolInt(chance(r, 0.12)))
	facts.director = int32(directors[0])
	if chance(r, 0.6) {
		// The director wrote it too.
		used[string(film.RoleWriter)+"\x00"+strconv.Itoa(directors[0])] = true
		f.Credits = append(f.Credits, film.Credit{PersonSlug: g.people[directors[0]].slug, Role: film.RoleWriter})
		crew(film.RoleWriter, r.IntN(2))
	} else {
		crew(film.RoleWriter, 1+r.IntN(2))
	}
	crew(film.RoleProducer, 1+r.IntN(3))

	characters := map[string]bool{}
	cast := 8 + r.IntN(13)
	for billing := 1; billing <= cast; billing++ {
		i, ok := add(film.RoleCast, actorsFrom, people, &g.actorsNext)
		if !ok {
			continue
		}
		character := pick(r, o.names.first)
		if chance(r, 0.5) {
			character += " " + pick(r, o.names.last)
		}
		if characters[character] {
			character = pick(r, []string{"The Concierge", "The Doctor", "Young ", "Old ", "The Neighbour", "The Driver"})
			if strings.HasSuffix(character, " ") {
				character += pick(r, o.names.first)
			}
			if characters[character] {
				continue
			}
		}
		characters[character] = true
		c := film.Credit{PersonSlug: g.people[i].slug, Role: film.RoleCast, Character: character, Billing: billing}
		if chance(r, 0.02) {
			name := g.people[i].name
			c.CreditedAs = initial(name) + ". " + name[strings.LastIndex(name, " ")+1:]
		}
		f.Credits = append(f.Credits, c)
		if billing <= 2 {
			facts.leads[billing-1] = int32(i)
		}
	}
	crew(film.RoleCinematography, 1)
	crew(film.RoleEditing, 1)
	facts.composer = -1
	if chance(r, 0.85) {
		if music := crew(film.RoleMusic, 1); len(music) > 0 {
			facts.composer = int32(music[0])
		}
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// extras adds the parts of a film record that only some films have.
func (g *generator) extras(r *rand.Rand, f *film.Film, o *origin, facts *genFilm) {
	released := facts.released
	studios := r.Perm(len(companies))
	for _, i := range studios[:1+r.IntN(2)] {
		f.Companies = append(f.Companies, film.CompanyCredit{Name: companies[i], Role: film.CompanyStudio})
	}
	for j, i := range studios[3 : 3+r.IntN(3)] {
		territory := o.country
		if j > 0 {
			territory = pickOrigin(r).country
		}
		f.Companies = append(f.Companies, film.CompanyCredit{Name: companies[i], Role: film.CompanyDistributor, Territory: territory})
	}

	f.Releases = []film.Release{{Country: o.country, Date: partial(r, released, 0.8, 0.15)}}
	if chance(r, 0.15) {
		f.Releases[0].Note = pick(r, awardEvents).event + " premiere"
	}
	seen := map[string]bool{o.country: true}
	for range r.IntN(5) {
		other := pickOrigin(r)
		if seen[other.country] {
			continue
		}
		seen[other.country] = true
		f.Releases = append(f.Releases, film.Release{Country: other.country, Date: partial(r, released.AddDate(0, r.IntN(10), r.IntN(28)), 0.7, 0.25)})
	}

	if f.Year >= 1950 && chance(r, 0.35) {
		gross := int64(math.Exp(14 + 1.8*r.NormFloat64()))
		if chance(r, 0.5) {
			f.BoxOffice = append(f.BoxOffice, film.BoxOffice{Kind: film.BoxOfficeOpeningWeekend, Amount: film.Money{Amount: gross / 8, Currency: o.currency},
				Territory: o.country, Screens: 20 + r.IntN(3000), Source: pick(r, boxSources)})
		}
		f.BoxOffice = append(f.BoxOffice, film.BoxOffice{Kind: film.BoxOfficeGross, Amount: film.Money{Amount: gross, Currency: o.currency},
			Territory: o.country, AsOf: film.Date(released.AddDate(1, 0, 0).Format("2006-01")), Source: pick(r, boxSources)})
	}
	if chance(r, 0.3) {
		for _, i := range r.Perm(len(o.cities))[:1+r.IntN(min(3, len(o.cities)))] {
			l := film.Location{Place: o.cities[i] + ", " + o.country}
			if chance(r, 0.2) {
				l.Address = strconv.Itoa(1+r.IntN(200)) + " " + pick(r, titleNouns) + " Street"
			}
			f.Locations = append(f.Locations, l)
		}
	}
	if f.Year >= 1997 && chance(r, 0.2) {
		f.Websites = []film.Website{{Label: "Official site", URL: "https://www." + f.Slug + ".example/"}}
	}
	if chance(r, 0.08) {
		composer := "Various artists"
		if facts.composer >= 0 {
			composer = g.people[facts.composer].name
		}
		s := &film.Soundtrack{Title: f.Title + ": Original Motion Picture Soundtrack"}
		for n := 1; n <= 6+r.IntN(9); n++ {
			artist := composer
			if chance(r, 0.25) {
				artist = pick(r, singers)
			}
			s.Tracks = append(s.Tracks, film.Track{Number: n, Artist: artist, Title: pick(r, trackWords)})
		}
		if chance(r, 0.3) {
			s.ChartPeak, s.ChartTerritory = 1+r.IntN(100), o.country
		}
		f.Soundtrack = s
	}
	if chance(r, 0.25) {
		value := math.Round(min(max(60+25*r.NormFloat64(), 0), 100))
		f.Scores = append(f.Scores, film.ExternalScore{Source: scoreSources[0], Kind: film.ScoreCritics, Value: value, Scale: 100,
			Count: 5 + r.IntN(300), CountUnit: "reviews", AsOf: film.Date(generatedNow.Format("2006-01"))})
		if chance(r, 0.5) {
			f.Scores = append(f.Scores, film.ExternalScore{Source: scoreSources[1+r.IntN(2)], Kind: film.ScoreAudience,
				Value: math.Round(min(max(value+15*r.NormFloat64(), 0), 100)), Scale: 100, Count: 100 + r.IntN(50000), CountUnit: "votes"})
		}
	}
	if chance(r, 0.15) {
		for range 1 + r.IntN(3) {
			f.PressQuotes = append(f.PressQuotes, film.PressQuote{Critic: pick(r, critics), Publication: pick(r, publications), Quote: pick(r, pullQuotes)})
		}
	}
	if chance(r, 0.1) {
		for _, i := range r.Perm(len(awardEvents))[:1+r.IntN(3)] {
			outcome := film.AwardNominated
			if chance(r, 0.35) {
				outcome = film.AwardWon
			}
			f.Awards = append(f.Awards, film.Award{Name: awardEvents[i].name, Event: awardEvents[i].event, Year: min(f.Year+1, 2026),
				Category: pick(r, awardCategories), Outcome: outcome})
		}
	}
	if chance(r, 0.15) {
		for _, i := range r.Perm(len(trivia))[:1+r.IntN(2)] {
			f.Trivia = append(f.Trivia, film.Trivia{Text: trivia[i]})
		}
	}
	if chance(r, 0.05) {
		f.Goofs = []film.Goof{{Category: "Continuity", Text: pick(r, goofs)}}
	}
	if chance(r, 0.1) {
		for _, c := range f.Credits {
			if c.Role == film.RoleCast {
				f.Quotes = append(f.Quotes, film.Quote{Character: c.Character, Text: pick(r, lines)})
				break
			}
		}
	}
}

// popularFilm picks a film, the popular ones more often.
func (g *generator) popularFilm(r *rand.Rand) int {
	x := r.Float64() * g.cumulative[len(g.cumulative)-1]
	return min(sort.SearchFloat64s(g.cumulative, x), len(g.cumulative)-1)
}

func (g *generator) genCriticReviews() error {
	perFilm := make([]int32, len(g.films))
	for j := range g.o.CriticReviews {
		if err := g.every(j); err != nil {
			return err
		}
		r := g.rng(streamCritic, j)
		i := g.popularFilm(r)
		perFilm[i]++
		if err := g.w.WriteCriticReview(g.criticReview(r, i, int(perFilm[i]))); err != nil {
			return err
		}
	}
	return nil
}

func (g *generator) criticReview(r *rand.Rand, i, n int) film.CriticReview {
	f := &g.films[i]
	rv := film.CriticReview{Slug: f.slug + "-review", FilmSlug: f.slug, Author: pick(r, critics), Publication: pick(r, publications)}
	if n > 1 {
		rv.Slug += "-" + strconv.Itoa(n)
	}
	if chance(r, 0.15) {
		// A film-maker who also writes criticism, linked to their page.
		p := g.people[r.IntN(g.crewEnd)]
		rv.Author, rv.AuthorSlug, rv.Publication = p.name, p.slug, "Marquee"
	}
	grade := min(max(f.quality+0.9*r.NormFloat64(), 0), 10) // out of ten
	switch x := r.Float64(); {
	case x < 0.68:
		rv.Rating = &film.Rating{Value: math.Round(grade) / 2, Scale: 5}
	case x < 0.83:
		rv.Rating = &film.Rating{Value: math.Round(grade), Scale: 10}
	case x < 0.88:
		rv.Rating = &film.Rating{Value: math.Round(grade * 0.4), Scale: 4}
	case x < 0.93:
		rv.Rating = &film.Rating{Value: math.Round(grade * 10), Scale: 100}
	}
	switch {
	case grade >= 7:
		rv.Headline = fmt.Sprintf(pick(r, headlinesGood), f.title)
	case grade >= 4.5:
		rv.Headline = fmt.Sprintf(pick(r, headlinesMixed), f.title)
	default:
		rv.Headline = fmt.Sprintf(pick(r, headlinesBad), f.title)
	}
	if chance(r, 0.6) {
		rv.PullQuote = pick(r, pullQuotes)
	}
	director, lead := g.people[f.director].name, g.people[f.leads[0]].name
	var b strings.Builder
	fmt.Fprintf(&b, criticOpenings[r.IntN(len(criticOpenings))], f.title)
	fmt.Fprintf(&b, " Directed by %s, it stars %s and %s.", director, lead, g.people[f.leads[1]].name)
	for _, k := range r.Perm(len(criticMiddles))[:2+r.IntN(3)] {
		b.WriteString("\n\n")
		s := criticMiddles[k]
		if strings.Contains(s, "%s") {
			s = fmt.Sprintf(s, pick(r, []string{director, lead}))
		}
		b.WriteString(s)
	}
	if chance(r, 0.2) {
		fmt.Fprintf(&b, "\n\n> %s", pick(r, lines))
	}
	if chance(r, 0.08) {
		rv.Spoilers = true
		if chance(r, 0.5) {
			fmt.Fprintf(&b, "\n\nThe ending ||reunites %s with the family they left behind|| is the film's boldest choice.", lead)
		} else {
			fmt.Fprintf(&b, "\n\n::: spoiler\nIn the final scene %s walks away from everything the film has built.\n:::", lead)
		}
	}
	b.WriteString("\n\n" + pick(r, criticClosings))
	rv.Body = b.String()

	from := f.released
	if from.Before(siteOpened) {
		from = siteOpened.AddDate(0, 0, r.IntN(7000))
	}
	published := between(r, from, generatedNow).Truncate(time.Hour)
	switch x := r.Float64(); {
	case x < 0.86:
		rv.Status, rv.PublishedAt = film.ReviewPublished, published
		if chance(r, 0.15) {
			rv.UpdatedAt = between(r, published, generatedNow)
		}
	case x < 0.91:
		rv.Status = film.ReviewDraft
	case x < 0.95:
		rv.Status = film.ReviewInReview
	default:
		rv.Status, rv.PublishedAt = film.ReviewScheduled, generatedNow.AddDate(0, 0, 1+r.IntN(60)).Add(9*time.Hour)
	}
	return rv
}

// spread divides total among films in proportion to weight, giving none
// more than limit. The remainder of the rounding goes one each to the
// films in order.
func spread(total int, weight func(i int) float64, n, limit int) []int32 {
	counts := make([]int32, n)
	sum := 0.0
	for i := range n {
		sum += weight(i)
	}
	if sum == 0 {
		return counts
	}
	given := 0
	for i := range n {
		c := min(int(float64(total)*weight(i)/sum), limit)
		counts[i] = int32(c)
		given += c
	}
	for given < total {
		before := given
		for i := 0; i < n && given < total; i++ {
			if int(counts[i]) < limit && weight(i) > 0 {
				counts[i]++
				given++
			}
		}
		if given == before {
			break // every film is full
		}
	}
	return counts
}

// readerKey is the key of generated reader i: a SHA-256, as a real
// reader's is, of the seed and the reader's number.
func (g *generator) readerKey(i int) string {
	if g.readers == nil {
		g.readers = make([]string, g.o.Readers)
	}
	if g.readers[i] == "" {
		var b [17]byte
		binary.LittleEndian.PutUint64(b[:8], g.o.Seed)
		b[8] = 'r'
		binary.LittleEndian.PutUint64(b[9:], uint64(i))
		sum := sha256.Sum256(b[:])
		g.readers[i] = film.ReaderKey(sum[:])
	}
	return g.readers[i]
}

// readersFor picks n different readers, the keen ones more often.
func (g *generator) readersFor(r *rand.Rand, n int) []int {
	picked := make([]int, 0, n)
	seen := make(map[int]bool, n)
	for len(picked) < n {
		i := int(float64(g.o.Readers) * math.Pow(r.Float64(), 1.6))
		if !seen[i] {
			seen[i] = true
			picked = append(picked, i)
		}
	}
	return picked
}

// readerReviewHead is the part of a reader review its key and its votes
// depend on, drawn from its own stream so the votes can replay it.
type readerReviewHead struct {
	key    film.ReaderReviewKey
	status film.ModerationStatus
	rating int
}

// reviewHeads makes the keys, statuses and ratings of film i's reader
// reviews.
func (g *generator) reviewHeads(i int) []readerReviewHead {
	f := &g.films[i]
	r := g.rng(streamReviewKeys, i)
	from := f.released
	if from.Before(siteOpened) {
		from = siteOpened
	}
	heads := make([]readerReviewHead, g.reviews[i])
	seen := map[film.ReaderReviewKey]bool{}
	for k := range heads {
		h := &heads[k]
		h.rating = readerScore(r, f.quality, 0.15)
		var name string
		switch x := r.Float64(); {
		case x < 0.6:
			name = pick(r, f.origin.names.first) + " " + initial(pick(r, f.origin.names.last)) + "."
		case x < 0.8:
			name = pick(r, handles) + "_" + strconv.Itoa(r.IntN(100))
		default:
			name = pick(r, f.origin.names.first)
		}
		var title string
		switch {
		case h.rating >= 8:
			title = pick(r, praiseTitles)
		case h.rating >= 5:
			title = pick(r, middleTitles)
		default:
			title = pick(r, panTitles)
		}
		h.key = film.ReaderReviewKey{FilmSlug: f.slug, DisplayName: name, Title: title,
			CreatedAt: between(r, from, generatedNow)}
		for seen[h.key] {
			h.key.CreatedAt = h.key.CreatedAt.Add(time.Second)
		}
		seen[h.key] = true
		switch x := r.Float64(); {
		case x < 0.85:
			h.status = film.ModerationApproved
		case x < 0.93:
			h.status = film.ModerationPending
		case x < 0.97:
			h.status = film.ModerationRejected
		default:
			h.status = film.ModerationSpam
		}
	}
	return heads
}

// readerScore draws a reader's 1–10 score of a film of the given quality:
// around the quality, with a few readers at either extreme (more of them
// among those who write reviews).
func readerScore(r *rand.Rand, quality, extremes float64) int {
	if chance(r, extremes) {
		if chance(r, quality/10) {
			return 10
		}
		return 1
	}
	return min(max(int(math.Round(quality+1.6*r.NormFloat64())), 1), 10)
}

func (g *generator) genReaderReviews() error {
	g.reviews = spread(g.o.ReaderReviews, func(i int) float64 { return g.films[i].popularity }, len(g.films), math.MaxInt32)
	for i := range g.films {
		if err := g.every(i); err != nil {
			return err
		}
		f := &g.films[i]
		r := g.rng(streamReviewBodies, i)
		for _, h := range g.reviewHeads(i) {
			rv := film.ReaderReview{FilmSlug: f.slug, DisplayName: h.key.DisplayName, Title: h.key.Title, Rating: h.rating,
				Status: h.status, CreatedAt: h.key.CreatedAt}
			rv.Body, rv.Spoilers = g.readerReviewBody(r, f, h)
			if err := g.w.WriteReaderReview(rv); err != nil {
				return err
			}
		}
	}
	return nil
}

func (g *generator) readerReviewBody(r *rand.Rand, f *genFilm, h readerReviewHead) (string, bool) {
	if h.status == film.ModerationSpam {
		return pick(r, spamBodies), false
	}
	sentences := praiseSentences
	switch {
	case h.rating < 5:
		sentences = panSentences
	case h.rating < 8:
		sentences = middleSentences
	}
	names := []string{g.people[f.leads[0]].name, g.people[f.director].name, g.people[f.leads[1]].name}
	var b strings.Builder
	// Each sentence at most once, in paragraphs of two or three.
	for k, s := range r.Perm(len(sentences))[:2+r.IntN(len(sentences)-1)] {
		switch {
		case k > 0 && k%3 == 0 && chance(r, 0.7):
			b.WriteString("\n\n")
		case k > 0:
			b.WriteByte(' ')
		}
		line := sentences[s]
		if strings.Contains(line, "%s") {
			line = fmt.Sprintf(line, pick(r, names))
		}
		b.WriteString(line)
	}
	spoilers := chance(r, 0.08)
	if spoilers {
		fmt.Fprintf(&b, "\n\nI did not see the ending coming: ||%s was behind it all along||.", names[2])
	}
	return b.String(), spoilers
}

func (g *generator) genRatings() error {
	counts := spread(g.o.Ratings, func(i int) float64 { return g.films[i].popularity }, len(g.films), g.o.Readers/2)
	for i := range g.films {
		if err := g.every(i); err != nil {
			return err
		}
		f := &g.films[i]
		r := g.rng(streamRatings, i)
		from := f.released
		if from.Before(siteOpened) {
			from = siteOpened
		}
		for _, reader := range g.readersFor(r, int(counts[i])) {
			rt := film.ReaderRating{FilmSlug: f.slug, Reader: g.readerKey(reader), Value: readerScore(r, f.quality, 0.06),
				CreatedAt: between(r, from, generatedNow)}
			rt.UpdatedAt = rt.CreatedAt
			if chance(r, 0.1) {
				rt.UpdatedAt = between(r, rt.CreatedAt, generatedNow)
			}
			if err := g.w.WriteRating(rt); err != nil {
				return err
			}
		}
	}
	return nil
}

func (g *generator) genVotes() error {
	counts := spread(g.o.HelpfulVotes, func(i int) float64 { return float64(g.reviews[i]) * g.films[i].popularity },
		len(g.films), math.MaxInt32)
	for i := range g.films {
		if err := g.every(i); err != nil {
			return err
		}
		if counts[i] == 0 {
			continue
		}
		var approved []readerReviewHead
		for _, h := range g.reviewHeads(i) {
			if h.status == film.ModerationApproved {
				approved = append(approved, h)
			}
		}
		if len(approved) == 0 {
			continue
		}
		r := g.rng(streamVotes, i)
		// A few reviews collect most of the votes.
		weights := make([]float64, len(approved))
		for k := range weights {
			weights[k] = math.Exp(1.5 * r.NormFloat64())
		}
		perReview := spread(int(counts[i]), func(k int) float64 { return weights[k] }, len(approved), g.o.Readers/2)
		for k, h := range approved {
			for _, reader := range g.readersFor(r, int(perReview[k])) {
				v := film.HelpfulVote{Review: h.key, Reader: g.readerKey(reader), CreatedAt: between(r, h.key.CreatedAt, generatedNow)}
				if err := g.w.WriteHelpfulVote(v); err != nil {
					return err
				}
			}
		}
	}
	return nil
}
