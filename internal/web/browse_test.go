package web_test

import (
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/google/go-cmp/cmp"

	"marquee/internal/film"
)

// testFilm is a generated film and the facts the index sorts it by.
type testFilm struct {
	slug, title    string
	year           int
	genre, country string
	ratings        []int
}

// mustAddFilms stores n small films with varied years, genres, countries,
// directors and reader ratings, and returns them.
func (s *site) mustAddFilms(tb testing.TB, n int) []testFilm {
	tb.Helper()
	genres := []string{"Drama", "Comedy", "Thriller"}
	countries := []string{"France", "Italy", "Japan", "Mexico"}
	var (
		films []testFilm
		c     film.Catalog
	)
	c.People = []film.Person{{Slug: "agnes-director", Name: "Agnès Director"}, {Slug: "bo-director", Name: "Bo Director"}}
	for i := 0; i < n; i++ {
		tf := testFilm{
			slug: fmt.Sprintf("film-%02d", i), title: fmt.Sprintf("%c Film %02d", 'A'+rune(i*7%26), i),
			year: 1950 + i*7%70, genre: genres[i%3], country: countries[i%4],
		}
		for j := 0; j < i%5; j++ {
			tf.ratings = append(tf.ratings, (i+j)%10+1)
		}
		films = append(films, tf)
		director := c.People[i%2].Slug
		c.Films = append(c.Films, film.Film{Slug: tf.slug, Title: tf.title, Year: tf.year, Genres: []string{tf.genre},
			Countries: []string{tf.country}, Languages: []string{"Esperanto"},
			Credits: []film.Credit{{PersonSlug: director, Role: film.RoleDirector}}})
	}
	if _, err := s.db.Import(tb.Context(), c); err != nil {
		tb.Fatal(err)
	}
	for i, tf := range films {
		f, err := s.db.FindFilmSummary(tb.Context(), tf.slug)
		if err != nil {
			tb.Fatal(err)
		}
		for j, v := range tf.ratings {
			reader, err := s.db.Reader(tb.Context(), []byte(fmt.Sprintf("%032d", i*10+j)), testNow)
			if err != nil {
				tb.Fatal(err)
			}
			if _, err := s.db.RateFilm(tb.Context(), f.ID, reader, v, testNow); err != nil {
				tb.Fatal(err)
			}
		}
	}
	return films
}

// walk follows the index's Next links from path and returns every film
// slug in the order listed, checking each page's Previous link on the way.
func (s *site) walk(tb testing.TB, path string) []string {
	tb.Helper()
	var slugs []string
	var pages, addresses []string
	for path != "" {
		addresses = append(addresses, path)
		doc, _ := s.mustPage(tb, path, http.StatusOK)
		var page []string
		doc.Find(".film-rows .film-row h3 a").Each(func(_ int, a *goquery.Selection) {
			href, _ := a.Attr("href")
			page = append(page, strings.TrimPrefix(href, "/films/"))
		})
		pages = append(pages, strings.Join(page, ","))
		if prev, ok := doc.Find(`.pagination a[rel=prev]`).Attr("href"); ok {
			// Previous from this page leads to the very address Next
			// led to (one address per page, none for a crawler to find
			// twice), and shows exactly the page before.
			if len(addresses) < 2 {
				tb.Fatalf("the first page %s links to a previous one, %s", path, prev)
			}
			if want := addresses[len(addresses)-2]; prev != want {
				tb.Errorf("Previous from page %d is %s, want the address page %d had, %s", len(pages), prev, len(pages)-1, want)
			}
			prevDoc, _ := s.mustPage(tb, prev, http.StatusOK)
			var prevPage []string
			prevDoc.Find(".film-rows .film-row h3 a").Each(func(_ int, a *goquery.Selection) {
				href, _ := a.Attr("href")
				prevPage = append(prevPage, strings.TrimPrefix(href, "/films/"))
			})
			if got, want := strings.Join(prevPage, ","), pages[len(pages)-2]; got != want {
				tb.Errorf("Previous from page %d lists %s, want %s", len(pages), got, want)
			}
		}
		slugs = append(slugs, page...)
		path, _ = doc.Find(`.pagination a[rel=next]`).Attr("href")
		if len(pages) > 20 {
			tb.Fatal("more than 20 pages: the Next links loop")
		}
	}
	return slugs
}

func TestFilmIndexOrdersAndPages(t *testing.T) {
	s := mustSite(t)
	films := s.mustAddFilms(t, 59) // with Paris, 60 films: three pages of 24, 24 and 12
	// Paris's seeded reader review counts as its one rating, a 9.
	all := append(films, testFilm{slug: "paris-2008", title: "Paris", year: 2008, genre: "Comedy", country: "France", ratings: []int{9}})
	// The rating order ranks by the Bayesian score (film.BayesPrior).
	score := func(tf testFilm) float64 {
		var st film.RatingStats
		for _, r := range tf.ratings {
			st.Count++
			st.Total += r
		}
		return st.BayesianScore()
	}
	ids := map[string]int{}
	for _, tf := range all {
		f, _ := s.db.FindFilmSummary(t.Context(), tf.slug)
		ids[tf.slug] = int(f.ID)
	}
	orders := map[string]func(a, b testFilm) bool{
		"": func(a, b testFilm) bool {
			if x, y := strings.ToLower(a.title), strings.ToLower(b.title); x != y {
				return x < y
			}
			return ids[a.slug] < ids[b.slug]
		},
		"year": func(a, b testFilm) bool {
			if a.year != b.year {
				return a.year > b.year
			}
			return ids[a.slug] > ids[b.slug]
		},
		"rating": func(a, b testFilm) bool {
			if x, y := score(a), score(b); x != y {
				return x > y
			}
			if len(a.ratings) != len(b.ratings) {
				return len(a.ratings) > len(b.ratings)
			}
			return ids[a.slug] > ids[b.slug]
		},
	}
	for sortName, less := range orders {
		t.Run("sort="+sortName, func(t *testing.T) {
			want := slices.Clone(all)
			sort.SliceStable(want, func(i, j int) bool { return less(want[i], want[j]) })
			var wantSlugs []string
			for _, tf := range want {
				wantSlugs = append(wantSlugs, tf.slug)
			}
			path := "/films"
			if sortName != "" {
				path += "?sort=" + sortName
			}
			if diff := cmp.Diff(wantSlugs, s.walk(t, path)); diff != "" {
				t.Errorf("films in order (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFilmIndexFiltersAndFacets(t *testing.T) {
	s := mustSite(t)
	films := s.mustAddFilms(t, 30)
	count := func(match func(testFilm) bool) int {
		n := 0
		for _, tf := range films {
			if match(tf) {
				n++
			}
		}
		return n
	}
	doc, _ := s.mustPage(t, "/films", http.StatusOK)
	if got := text(doc, ".list-header p"); got != "31 films" {
		t.Errorf("total = %q", got)
	}
	facet := func(doc *goquery.Document, label string) string {
		var found string
		doc.Find(".facets li a").Each(func(_ int, a *goquery.Selection) {
			if strings.HasPrefix(strings.TrimSpace(a.Text()), label+" ") {
				found = strings.Join(strings.Fields(a.Text()), " ")
			}
		})
		return found
	}
	wantDrama := count(func(tf testFilm) bool { return tf.genre == "Drama" }) + 1 // Paris is a drama too
	if got := facet(doc, "Drama"); got != "Drama "+strconv.Itoa(wantDrama) {
		t.Errorf("Drama facet = %q, want %d films", got, wantDrama)
	}
	if got := facet(doc, "Comedy"); got != "Comedy "+strconv.Itoa(count(func(tf testFilm) bool { return tf.genre == "Comedy" })+1) {
		t.Errorf("Comedy facet = %q (Paris is a comedy too)", got)
	}
	if got := facet(doc, "Cédric Klapisch"); got != "Cédric Klapisch 1" {
		t.Errorf("director facet = %q", got)
	}
	// The counts are kept for the next page or order of the same films,
	// but never past a change: a new drama counts at once.
	if _, err := s.db.Import(t.Context(), film.Catalog{Films: []film.Film{{Slug: "one-more-drama", Title: "One More Drama", Year: 1999,
		Genres: []string{"Drama"}, Countries: []string{"Japan"}, Languages: []string{"Esperanto"}}}}); err != nil {
		t.Fatal(err)
	}
	doc, _ = s.mustPage(t, "/films?sort=title", http.StatusOK)
	if got := facet(doc, "Drama"); got != "Drama "+strconv.Itoa(wantDrama+1) {
		t.Errorf("after a new drama, Drama facet = %q, want %d films", got, wantDrama+1)
	}
	wantDrama++
	films = append(films, testFilm{slug: "one-more-drama", title: "One More Drama", year: 1999, genre: "Drama", country: "Japan"})

	tests := []struct {
		path    string
		heading string
		want    int
	}{
		{"/films?genre=Drama", "Drama films", wantDrama},
		{"/films?genre=Drama&country=France", "Drama films from France",
			count(func(tf testFilm) bool { return tf.genre == "Drama" && tf.country == "France" }) + 1},
		{"/films?decade=1960s", "Films of the 1960s", count(func(tf testFilm) bool { return tf.year/10 == 196 })},
		{"/films?director=agnes-director&sort=year", "Films directed by Agnès Director", 15},
		{"/films?language=French", "Films in French", 1},
		{"/years/2008", "Films of 2008", 1},
		{"/years/2008?genre=Comedy", "Comedy films of 2008", 1},
	}
	for _, tt := range tests {
		doc, _ := s.mustPage(t, tt.path, http.StatusOK)
		if got := text(doc, "h1"); got != tt.heading {
			t.Errorf("%s: h1 = %q, want %q", tt.path, got, tt.heading)
		}
		if got := doc.Find(".film-rows .film-row").Length(); got != tt.want {
			t.Errorf("%s: %d films listed, want %d", tt.path, got, tt.want)
		}
		if got := text(doc, ".list-header > p"); got != fmt.Sprintf("%d %s", tt.want, map[bool]string{true: "film", false: "films"}[tt.want == 1]) {
			t.Errorf("%s: count = %q", tt.path, got)
		}
	}
	// With a filter in use, each count says how many of the selected films
	// the value would leave.
	doc, _ = s.mustPage(t, "/films?genre=Drama", http.StatusOK)
	wantFrance := count(func(tf testFilm) bool { return tf.genre == "Drama" && tf.country == "France" }) + 1
	if got := facet(doc, "France"); got != "France "+strconv.Itoa(wantFrance) {
		t.Errorf("France facet among dramas = %q, want %d", got, wantFrance)
	}
	if got := facet(doc, "Comedy"); got != "Comedy 1" {
		t.Errorf("Comedy among dramas = %q, want 1 (only Paris is both)", got)
	}
	if got := facet(doc, "Thriller"); got != "" {
		t.Errorf("Thriller is offered among dramas (%q), though no film is both", got)
	}
	// A filter can be removed with a plain link.
	doc, _ = s.mustPage(t, "/films?genre=Drama&country=France", http.StatusOK)
	var removes []string
	doc.Find(".active-filters a").Each(func(_ int, a *goquery.Selection) {
		href, _ := a.Attr("href")
		removes = append(removes, href)
	})
	if diff := cmp.Diff([]string{"/films?country=France", "/films?genre=Drama"}, removes); diff != "" {
		t.Errorf("remove links (-want +got):\n%s", diff)
	}
}

func TestFilmIndexBadInput(t *testing.T) {
	s := mustSite(t)
	for path, want := range map[string]int{
		"/films?sort=popularity":         http.StatusBadRequest,
		"/films?year=20x8":               http.StatusBadRequest,
		"/films?decade=1995s":            http.StatusBadRequest,
		"/films?after=not-a-cursor":      http.StatusBadRequest,
		"/films?after=e30&before=e30":    http.StatusBadRequest,
		"/films?colour=red":              http.StatusBadRequest,
		"/films?genre=%FF":               http.StatusBadRequest,
		"/films?director=Not%20A%20Slug": http.StatusBadRequest,
		"/films?genre=Western":           http.StatusNotFound,
		"/films?year=1901":               http.StatusNotFound,
		"/years/1066":                    http.StatusNotFound,
		"/years/02008":                   http.StatusNotFound,
		"/years/2008?decade=2000s":       http.StatusBadRequest,
		"/companies/no-such-company":     http.StatusNotFound,
	} {
		if resp := s.do(t, http.MethodGet, path, nil); resp.StatusCode != want {
			t.Errorf("GET %s = %d, want %d", path, resp.StatusCode, want)
		}
	}
}

func TestCompanyAndYearPages(t *testing.T) {
	s := mustSite(t)
	doc, _ := s.mustPage(t, "/companies/studiocanal", http.StatusOK)
	if got := text(doc, "h1"); got != "StudioCanal" {
		t.Errorf("h1 = %q", got)
	}
	if diff := cmp.Diff([]string{"2008 Paris Production", "2008 Paris Distributor"}, texts(doc, ".filmography li")); diff != "" {
		t.Errorf("company films (-want +got):\n%s", diff)
	}
	film, _ := s.mustPage(t, "/films/paris-2008", http.StatusOK)
	if href, _ := film.Find(`#details a[href^="/companies/"]`).First().Attr("href"); href != "/companies/ce-qui-me-meut" {
		t.Errorf("first company link = %q", href)
	}
	if href, _ := film.Find(`h1 .year a`).Attr("href"); href != "/years/2008" {
		t.Errorf("year link = %q", href)
	}
	if got := text(film, ".film-header .facts"); !strings.Contains(got, "Comedy, Drama") {
		t.Errorf("genres = %q", got)
	}
	person, _ := s.mustPage(t, "/people/romain-duris", http.StatusOK)
	if got := text(person, "#person-reviews + ul li a"); got != "A love letter to Paris that leans on better films" {
		t.Errorf("reviews of the person's films = %q, want the seeded review", got)
	}
}

// TestReviewActivityOrdersRecent checks the kept review counts and dates
// that the "most reviewed" and "recently reviewed" orders read.
func TestReviewActivityOrdersRecent(t *testing.T) {
	s := mustSite(t)
	s.mustAddFilms(t, 3)
	var c film.Catalog
	for i, slug := range []string{"film-00", "film-00", "film-02"} {
		c.ReaderReviews = append(c.ReaderReviews, film.ReaderReview{FilmSlug: slug, DisplayName: "R", Title: "T" + strconv.Itoa(i),
			Rating: 5, Body: "b", Status: film.ModerationApproved, CreatedAt: testNow.Add(time.Duration(i) * time.Hour)})
	}
	c.ReaderReviews = append(c.ReaderReviews, film.ReaderReview{FilmSlug: "film-01", DisplayName: "R", Title: "pending",
		Rating: 5, Body: "b", Status: film.ModerationPending, CreatedAt: testNow.Add(5 * time.Hour)})
	if _, err := s.db.Import(t.Context(), c); err != nil {
		t.Fatal(err)
	}
	doc, _ := s.mustPage(t, "/films?sort=reviews", http.StatusOK)
	if got := texts(doc, ".film-row h3 a")[:3]; !slices.Equal(got, []string{"A Film 00", "Paris", "O Film 02"}) {
		t.Errorf("most reviewed = %q (film-00 has 2, Paris 2 seeded, film-02 1; pending reviews do not count)", got)
	}
	doc, _ = s.mustPage(t, "/films?sort=recent", http.StatusOK)
	if got := texts(doc, ".film-row h3 a")[:3]; !slices.Equal(got, []string{"O Film 02", "A Film 00", "Paris"}) {
		t.Errorf("recently reviewed = %q", got)
	}
}
