// Package storetest is the contract test suite for film.Store: every
// storage backend runs the same tests through Run, so a second backend is
// correct when it passes what the first one passes. The tests speak only
// the contract (no SQL, no backend types); each starts from an empty,
// migrated store that the backend's own test opens, and loads the real seed
// catalogue through ImportWith.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"marquee/internal/catalog"
	"marquee/internal/film"
	"marquee/seeds"
)

// Open returns a new, empty, migrated store for one test; the backend's
// test registers its cleanup.
type Open func(t *testing.T) film.Store

// now is the clock every test reads: a week after the seeded critic review
// was published.
var now = time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)

// Run runs the whole contract suite against the backend that open makes.
func Run(t *testing.T, open Open) {
	run(t, open, suite())
	runHistory(t, open)
}

// namedTest is one test of the suite.
type namedTest struct {
	name string
	run  func(*testing.T, film.Store)
}

// suite is the whole contract suite, in order.
func suite() []namedTest {
	tests := []namedTest{
		{"FilmPage", testFilmPage},
		{"NotFound", testNotFound},
		{"ReaderSeesOwnRating", testReaderSeesOwnRating},
		{"ScheduledReview", testScheduledReview},
		{"PageIsOneSnapshot", testPageIsOneSnapshot},
		{"HomePage", testHomePage},
		{"PersonAndCompanyPages", testPersonAndCompanyPages},
		{"PersonDetails", testPersonDetails},
		{"KnownFor", testKnownFor},
		{"FilmIndex", testFilmIndex},
		{"ModerationAndVotes", testModerationAndVotes},
		{"AccountsAndSessions", testAccountsAndSessions},
		{"EditorialConflict", testEditorialConflict},
		{"Secret", testSecret},
		{"ChangesAndTheClock", testChangesAndTheClock},
		{"Sitemap", testSitemap},
		{"Feeds", testFeeds},
	}
	for _, group := range [][]struct {
		name string
		run  func(*testing.T, film.Store)
	}{ratingTests, stuffingTests, imageTests, copyTests} {
		for _, tt := range group {
			tests = append(tests, namedTest(tt))
		}
	}
	return tests
}

// run runs tests in parallel, each against a new store.
func run(t *testing.T, open Open, tests []namedTest) {
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.run(t, open(t))
		})
	}
}

// mustSeed loads the real seed catalogue.
func mustSeed(t *testing.T, s film.Store) {
	t.Helper()
	doc, err := catalog.DecodeFS(seeds.FS)
	if err != nil {
		t.Fatalf("decode seeds: %v", err)
	}
	if _, err := s.ImportWith(context.Background(), doc.Catalog, film.ImportOptions{}); err != nil {
		t.Fatalf("import seeds: %v", err)
	}
}

// mustReader makes an anonymous reader with a token hash made from name.
func mustReader(t *testing.T, s film.Store, name string) (int64, []byte) {
	t.Helper()
	hash := []byte(fmt.Sprintf("%-32s", name))
	id, err := s.Reader(context.Background(), hash, now)
	if err != nil {
		t.Fatal(err)
	}
	return id, hash
}

// mustFilmPage reads Paris's page as nobody in particular.
func mustFilmPage(t *testing.T, s film.Store, q film.FilmPageQuery) film.FilmPage {
	t.Helper()
	if q.Slug == "" {
		q.Slug = "paris-2008"
	}
	if q.Now.IsZero() {
		q.Now = now
	}
	p, err := s.FilmPage(context.Background(), q)
	if err != nil {
		t.Fatalf("FilmPage(%s): %v", q.Slug, err)
	}
	return p
}

func testFilmPage(t *testing.T, s film.Store) {
	mustSeed(t, s)
	p := mustFilmPage(t, s, film.FilmPageQuery{ReaderReviews: 5})
	if p.Film.Title != "Paris" || p.Film.Year != 2008 || p.Film.RuntimeMinutes != 130 {
		t.Errorf("film = %q (%d), %d min; want Paris (2008), 130 min", p.Film.Title, p.Film.Year, p.Film.RuntimeMinutes)
	}
	if len(p.CriticReviews) != 1 || p.CriticReviews[0].Slug != "paris-2008-review" {
		t.Fatalf("critic reviews = %+v, want the seeded one", p.CriticReviews)
	}
	if p.CriticScore != (film.CriticScore{Count: 1, Score: 60}) {
		t.Errorf("critic score = %+v, want 3/5 as 60 from one review", p.CriticScore)
	}
	if p.ReaderReviews.Total != 1 || len(p.ReaderReviews.Reviews) != 1 || p.ReaderReviews.Reviews[0].Rating != 9 {
		t.Errorf("reader reviews = %+v, want the seeded 9/10", p.ReaderReviews)
	}
	if p.ReaderID != 0 || p.YourRating != 0 {
		t.Errorf("anonymous page names reader %d with rating %d", p.ReaderID, p.YourRating)
	}
}

func testNotFound(t *testing.T, s film.Store) {
	mustSeed(t, s)
	ctx := context.Background()
	calls := map[string]func() error{
		"FilmPage":         func() error { _, err := s.FilmPage(ctx, film.FilmPageQuery{Slug: "nope", Now: now}); return err },
		"PersonPage":       func() error { _, err := s.PersonPage(ctx, "nope", now, 5); return err },
		"CompanyPage":      func() error { _, err := s.CompanyPage(ctx, "nope", 5); return err },
		"CriticReviewPage": func() error { _, err := s.CriticReviewPage(ctx, "nope", now); return err },
		"ReaderReviewsPage": func() error {
			_, err := s.ReaderReviewsPage(ctx, "nope", film.ReaderReviewFilter{Limit: 5})
			return err
		},
		"FilmIndex": func() error {
			_, err := s.FilmIndex(ctx, film.FilmIndexQuery{Filter: film.FilmFilter{Genre: "Western", Limit: 5}})
			return err
		},
		"ModerationPage": func() error {
			_, err := s.ModerationPage(ctx, film.ModerationFilter{FilmSlug: "nope", Limit: 5})
			return err
		},
		"FindFilm":         func() error { _, err := s.FindFilm(ctx, "nope"); return err },
		"FindFilmSummary":  func() error { _, err := s.FindFilmSummary(ctx, "nope"); return err },
		"FindSlugRedirect": func() error { _, err := s.FindSlugRedirect(ctx, film.RedirectFilm, "nope", now); return err },
		"FindUser":         func() error { _, err := s.FindUser(ctx, 999); return err },
		"FindEditedReview": func() error { _, err := s.FindEditedReview(ctx, 999); return err },
	}
	for name, call := range calls {
		if err := call(); !errors.Is(err, film.ErrNotFound) {
			t.Errorf("%s of something missing: %v, want film.ErrNotFound", name, err)
		}
	}
}

func testReaderSeesOwnRating(t *testing.T, s film.Store) {
	mustSeed(t, s)
	ctx := context.Background()
	filmID := mustFilmPage(t, s, film.FilmPageQuery{}).Film.ID
	reader, hash := mustReader(t, s, "reader-one")
	if _, err := s.RateFilm(ctx, filmID, reader, 7, now); err != nil {
		t.Fatal(err)
	}
	stats, err := s.RateFilm(ctx, filmID, reader, 9, now.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	// The seeded review's 9 and this reader's 9: one rating each.
	if stats.Count != 2 || stats.Total != 18 || stats.Histogram[8] != 2 || stats.Histogram[6] != 0 {
		t.Errorf("after re-rating: %+v, want the seeded review's 9 and one rating of 9", stats)
	}
	p := mustFilmPage(t, s, film.FilmPageQuery{ReaderTokenHash: hash})
	if p.ReaderID != reader || p.YourRating != 9 {
		t.Errorf("reader's page: reader %d rating %d, want %d and 9", p.ReaderID, p.YourRating, reader)
	}
	if p.Ratings != stats {
		t.Errorf("page ratings %+v differ from the stored %+v", p.Ratings, stats)
	}
	stranger := mustFilmPage(t, s, film.FilmPageQuery{ReaderTokenHash: []byte("a token no reader has ever used..")})
	if stranger.ReaderID != 0 || stranger.YourRating != 0 {
		t.Errorf("unknown token: reader %d rating %d, want none", stranger.ReaderID, stranger.YourRating)
	}
	if _, err := s.RateFilm(ctx, filmID, reader, 11, now); err == nil {
		t.Error("a rating of 11 was accepted")
	}
}

func testScheduledReview(t *testing.T, s film.Store) {
	mustSeed(t, s)
	ctx := context.Background()
	ed := mustUser(t, s, "ed@example.com", film.RoleEditor)
	at := now.Add(48 * time.Hour)
	_, err := s.CreateCriticReview(ctx, film.CriticReview{
		Slug: "paris-second-look", FilmSlug: "paris-2008", Headline: "A second look", Author: "Ed",
		Body: "Still worth the trip.", Status: film.ReviewScheduled, PublishedAt: at,
	}, ed, now)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CriticReviewPage(ctx, "paris-second-look", now); !errors.Is(err, film.ErrNotFound) {
		t.Errorf("scheduled review before its time: %v, want not found", err)
	}
	if n := len(mustFilmPage(t, s, film.FilmPageQuery{}).CriticReviews); n != 1 {
		t.Errorf("film page before the time lists %d critic reviews, want 1", n)
	}
	page, err := s.CriticReviewPage(ctx, "paris-second-look", at)
	if err != nil || page.Film.Slug != "paris-2008" || page.Review.Headline != "A second look" {
		t.Errorf("at its time: %+v, %v", page, err)
	}
	if n := len(mustFilmPage(t, s, film.FilmPageQuery{Now: at}).CriticReviews); n != 2 {
		t.Errorf("film page at the time lists %d critic reviews, want 2", n)
	}
}

// testPageIsOneSnapshot reads pages while another goroutine approves
// reviews one by one: a page whose count and list came from two moments
// would show a total that differs from the reviews it lists.
func testPageIsOneSnapshot(t *testing.T, s film.Store) {
	mustSeed(t, s)
	ctx := context.Background()
	const n = 40
	ids := make([]int64, n)
	for i := range ids {
		var err error
		ids[i], err = s.CreateReaderReview(ctx, film.ReaderReview{
			FilmSlug: "paris-2008", DisplayName: "R", Title: fmt.Sprintf("Review %d", i), Rating: 6,
			Body: "A city of small stories.", Status: film.ModerationPending, CreatedAt: now,
		}, 0)
		if err != nil {
			t.Fatal(err)
		}
	}
	ed := mustUser(t, s, "ed@example.com", film.RoleEditor)
	var wg sync.WaitGroup
	wg.Add(1)
	done := make(chan struct{})
	go func() {
		defer wg.Done()
		defer close(done)
		for _, id := range ids {
			if _, err := s.ModerateReaderReviews(ctx, []int64{id}, film.ModerationApproved, ed.ID, now); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	reads := 0
	for finished := false; !finished; reads++ {
		select {
		case <-done:
			finished = true
		default:
		}
		p := mustFilmPage(t, s, film.FilmPageQuery{ReaderReviews: 1000})
		if p.ReaderReviews.Total != len(p.ReaderReviews.Reviews) {
			t.Fatalf("film page total %d but %d reviews listed: two moments in one page", p.ReaderReviews.Total, len(p.ReaderReviews.Reviews))
		}
		rp, err := s.ReaderReviewsPage(ctx, "paris-2008", film.ReaderReviewFilter{Sort: film.SortNewest, Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		if rp.Reviews.Total != len(rp.Reviews.Reviews) {
			t.Fatalf("reader reviews page total %d but %d listed", rp.Reviews.Total, len(rp.Reviews.Reviews))
		}
	}
	wg.Wait()
	if p := mustFilmPage(t, s, film.FilmPageQuery{ReaderReviews: 1000}); p.ReaderReviews.Total != n+1 {
		t.Errorf("after approving all: %d approved reviews, want %d", p.ReaderReviews.Total, n+1)
	}
	t.Logf("%d page reads during %d approvals", reads, n)
}

func testHomePage(t *testing.T, s film.Store) {
	mustSeed(t, s)
	ctx := context.Background()
	home, err := s.HomePage(ctx, now, 6)
	if err != nil {
		t.Fatal(err)
	}
	if home.FilmCount != 1 || len(home.LatestReviews) != 1 || home.LatestReviews[0].Film.Slug != "paris-2008" {
		t.Errorf("home = %d films, latest %+v; want Paris and its review", home.FilmCount, home.LatestReviews)
	}
	if len(home.TopRated) != 0 {
		t.Errorf("top rated with only the seeded review's rating = %+v", home.TopRated)
	}
	filmID := mustFilmPage(t, s, film.FilmPageQuery{}).Film.ID
	// The seeded review's rating (9) is one; these make the rest.
	for i := range film.MinRatingsForTopRated - 1 {
		reader, _ := mustReader(t, s, fmt.Sprintf("rater-%d", i))
		if _, err := s.RateFilm(ctx, filmID, reader, 8, now.Add(-time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	home, err = s.HomePage(ctx, now, 6)
	if err != nil {
		t.Fatal(err)
	}
	if len(home.TopRated) != 1 || home.TopRated[0].RatingCount != film.MinRatingsForTopRated || home.TopRated[0].RatingAverage != 8.1 {
		t.Errorf("top rated = %+v, want Paris at 8.1 from %d ratings", home.TopRated, film.MinRatingsForTopRated)
	}
	if len(home.Trending) != 1 || home.Trending[0].RecentRatings != film.MinRatingsForTopRated-1 {
		t.Errorf("trending = %+v, want Paris with its ratings", home.Trending)
	}
	later, err := s.HomePage(ctx, now.Add(film.TrendingWindow+time.Hour), 6)
	if err != nil {
		t.Fatal(err)
	}
	if len(later.Trending) != 0 {
		t.Errorf("trending a week later = %+v, want nothing", later.Trending)
	}
}

func testPersonAndCompanyPages(t *testing.T, s film.Store) {
	mustSeed(t, s)
	ctx := context.Background()
	p, err := s.PersonPage(ctx, "cedric-klapisch", now, 10)
	if err != nil {
		t.Fatal(err)
	}
	var roles []film.Role
	for _, c := range p.Credits {
		roles = append(roles, c.Role)
	}
	if diff := cmp.Diff([]film.Role{film.RoleDirector, film.RoleWriter}, roles); diff != "" || p.Person.Name != "Cédric Klapisch" {
		t.Errorf("%s's roles (-want +got):\n%s", p.Person.Name, diff)
	}
	if len(p.Reviews) != 1 || p.Reviews[0].Review.Slug != "paris-2008-review" {
		t.Errorf("reviews of his films = %+v", p.Reviews)
	}
	// More of his films and their reviews: the newest public ones come
	// first, at most the limit, never a draft or one scheduled for later,
	// and each with its own film.
	more := film.Catalog{Films: []film.Film{
		{Slug: "le-peril-jeune-1994", Title: "Le Péril jeune", Year: 1994, Credits: []film.Credit{{PersonSlug: "cedric-klapisch", Role: film.RoleDirector}}},
		{Slug: "chacun-cherche-son-chat-1996", Title: "Chacun cherche son chat", Year: 1996, Credits: []film.Credit{{PersonSlug: "cedric-klapisch", Role: film.RoleWriter}}},
	}}
	review := func(slug, filmSlug string, status film.ReviewStatus, published time.Time) film.CriticReview {
		return film.CriticReview{Slug: slug, FilmSlug: filmSlug, Headline: slug, Author: "A. Critic", Body: "Words.", Status: status, PublishedAt: published, UpdatedAt: published}
	}
	more.CriticReviews = []film.CriticReview{
		review("peril-old", "le-peril-jeune-1994", film.ReviewPublished, now.Add(-300*24*time.Hour)),
		review("chat-new", "chacun-cherche-son-chat-1996", film.ReviewPublished, now.Add(-time.Hour)),
		review("chat-draft", "chacun-cherche-son-chat-1996", film.ReviewDraft, time.Time{}),
		review("peril-later", "le-peril-jeune-1994", film.ReviewScheduled, now.Add(24*time.Hour)),
	}
	if _, err := s.ImportWith(ctx, more, film.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, limit := range []int{10, 2} {
		p, err := s.PersonPage(ctx, "cedric-klapisch", now, limit)
		if err != nil {
			t.Fatal(err)
		}
		got = got[:0]
		for _, r := range p.Reviews {
			got = append(got, r.Review.Slug+" of "+r.Film.Slug)
		}
		want := []string{"chat-new of chacun-cherche-son-chat-1996", "paris-2008-review of paris-2008", "peril-old of le-peril-jeune-1994"}
		if diff := cmp.Diff(want[:min(limit, len(want))], got); diff != "" {
			t.Errorf("reviews of his films, at most %d (-want +got):\n%s", limit, diff)
		}
	}
	f := mustFilmPage(t, s, film.FilmPageQuery{}).Film
	var ifc film.CompanyCredit
	for _, c := range f.Companies {
		if c.Name == "IFC Films" {
			ifc = c
		}
	}
	if ifc.Slug == "" {
		t.Fatalf("no IFC Films among %+v", f.Companies)
	}
	c, err := s.CompanyPage(ctx, ifc.Slug, 10)
	if err != nil {
		t.Fatal(err)
	}
	if c.Company.Name != "IFC Films" || len(c.Films) != 1 || c.Films[0].Film.Slug != "paris-2008" || c.Films[0].Role != film.CompanyDistributor {
		t.Errorf("company page = %+v", c)
	}
}

func testFilmIndex(t *testing.T, s film.Store) {
	mustSeed(t, s)
	ctx := context.Background()
	all, err := s.FilmIndex(ctx, film.FilmIndexQuery{Filter: film.FilmFilter{Sort: film.SortTitle, Limit: 24}, FacetLimit: 12})
	if err != nil {
		t.Fatal(err)
	}
	if all.List.Total != 1 || len(all.List.Films) != 1 || len(all.Facets["director"]) != 1 {
		t.Errorf("index = %d films, facets %+v", all.List.Total, all.Facets)
	}
	director, err := s.FilmIndex(ctx, film.FilmIndexQuery{Filter: film.FilmFilter{Director: "cedric-klapisch", Decade: 2000, Limit: 24}})
	if err != nil {
		t.Fatal(err)
	}
	if director.Labels["director"] != "Cédric Klapisch" || director.Labels["decade"] != "2000" || director.List.Total != 1 {
		t.Errorf("filtered index = labels %v, %d films", director.Labels, director.List.Total)
	}
	if director.Facets != nil {
		t.Errorf("facets counted though not asked for: %v", director.Facets)
	}
	if _, err := s.FilmIndex(ctx, film.FilmIndexQuery{Filter: film.FilmFilter{Year: 1999, Limit: 24}}); !errors.Is(err, film.ErrNotFound) {
		t.Errorf("a year with no films: %v, want not found", err)
	}
	year, err := s.FilmIndex(ctx, film.FilmIndexQuery{Filter: film.FilmFilter{Year: 2008, Limit: 24}})
	if err != nil || year.PrevYear != 0 || year.NextYear != 0 {
		t.Errorf("2008 alone: prev %d, next %d, %v; want none", year.PrevYear, year.NextYear, err)
	}
	others := film.Catalog{Films: []film.Film{{Slug: "early", Title: "Early", Year: 1999}, {Slug: "late", Title: "Late", Year: 2011}, {Slug: "later", Title: "Later", Year: 2015}}}
	if _, err := s.ImportWith(ctx, others, film.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	year, err = s.FilmIndex(ctx, film.FilmIndexQuery{Filter: film.FilmFilter{Year: 2008, Limit: 24}})
	if err != nil || year.PrevYear != 1999 || year.NextYear != 2011 {
		t.Errorf("2008 among others: prev %d, next %d, %v; want 1999 and 2011", year.PrevYear, year.NextYear, err)
	}

	// Paging the four films two at a time and then one at a time: each
	// page says which cursor the page before it starts after (the one
	// Next led there with, none for the first page), whether the page was
	// reached going forward or back.
	for _, limit := range []int{1, 2} {
		page := func(after, before *film.Cursor) film.FilmList {
			t.Helper()
			p, err := s.FilmIndex(ctx, film.FilmIndexQuery{Filter: film.FilmFilter{Sort: film.SortYear, Limit: limit, After: after, Before: before}})
			if err != nil {
				t.Fatal(err)
			}
			return p.List
		}
		reached := []*film.Cursor{nil}
		var firsts []film.Cursor
		for i := 0; i < 10; i++ {
			p := page(reached[i], nil)
			firsts = append(firsts, p.Films[0].Cursor)
			if i == 0 && (p.HasPrev || p.PrevAfter != nil) {
				t.Errorf("limit %d: the first page has a previous one (%v)", limit, p.PrevAfter)
			}
			if i > 0 && (!p.HasPrev || !reflect.DeepEqual(p.PrevAfter, reached[i-1])) {
				t.Errorf("limit %d, page %d: previous starts after %v, want %v", limit, i+1, p.PrevAfter, reached[i-1])
			}
			if !p.HasNext {
				break
			}
			last := p.Films[len(p.Films)-1].Cursor
			reached = append(reached, &last)
		}
		if want := 4 / limit; len(reached) != want {
			t.Fatalf("limit %d: %d pages, want %d", limit, len(reached), want)
		}
		// Back from the last page: the page before it, reached with a
		// before cursor, still names the address it has going forward.
		back := page(nil, &firsts[len(firsts)-1])
		n := len(reached)
		var wantPrev *film.Cursor // the page before the last is the first
		if n >= 3 {
			wantPrev = reached[n-3]
		}
		if !reflect.DeepEqual(back.PrevAfter, wantPrev) || back.HasPrev != (n >= 3) || !reflect.DeepEqual(back.Films[0].Cursor, firsts[n-2]) {
			t.Errorf("limit %d: the page before the last, reached back, starts at %v with previous after %v (%v); want %v and %v",
				limit, back.Films[0].Cursor, back.PrevAfter, back.HasPrev, firsts[n-2], wantPrev)
		}
	}
}

func testModerationAndVotes(t *testing.T, s film.Store) {
	mustSeed(t, s)
	ctx := context.Background()
	writer, _ := mustReader(t, s, "writer")
	id, err := s.CreateReaderReview(ctx, film.ReaderReview{
		FilmSlug: "paris-2008", DisplayName: "Maud", Title: "Small lives, big city", Rating: 8,
		Body: "It lingers.", Status: film.ModerationPending, CreatedAt: now,
	}, writer)
	if err != nil {
		t.Fatal(err)
	}
	ed := mustUser(t, s, "ed@example.com", film.RoleEditor)
	queue, err := s.ModerationPage(ctx, film.ModerationFilter{Status: film.ModerationPending, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if queue.Total != 1 || queue.Items[0].Review.ID != id || queue.Counts[film.ModerationPending] != 1 || queue.Counts[film.ModerationApproved] != 1 {
		t.Errorf("queue = %+v", queue)
	}
	if n := mustFilmPage(t, s, film.FilmPageQuery{ReaderReviews: 10}).ReaderReviews.Total; n != 1 {
		t.Errorf("a pending review is public: %d approved", n)
	}
	desk, err := s.DeskCounts(ctx)
	if err != nil || desk.PendingReaderReviews != 1 {
		t.Errorf("desk counts = %+v, %v", desk, err)
	}
	if n, err := s.ModerateReaderReviews(ctx, []int64{id}, film.ModerationApproved, ed.ID, now); err != nil || n != 1 {
		t.Fatalf("approve = %d, %v", n, err)
	}
	voter, _ := mustReader(t, s, "voter")
	for i, want := range []bool{true, false} {
		slug, added, err := s.VoteHelpful(ctx, id, voter, now)
		if err != nil || slug != "paris-2008" || added != want {
			t.Errorf("vote %d = %s, %v, %v; want paris-2008, %v", i+1, slug, added, err, want)
		}
	}
	page := mustFilmPage(t, s, film.FilmPageQuery{ReaderReviews: 10})
	if page.ReaderReviews.Total != 2 || page.ReaderReviews.Reviews[0].ID != id || page.ReaderReviews.Reviews[0].HelpfulCount != 1 {
		t.Errorf("after approval and a vote: %+v, want the new review first with one vote", page.ReaderReviews)
	}
	entries, _, err := s.AuditLog(ctx, film.AuditFilter{RecordType: "reader_review", RecordID: id})
	if err != nil || len(entries) != 1 || entries[0].UserID != ed.ID {
		t.Errorf("audit of the approval = %+v, %v", entries, err)
	}
}

// storedHash is a password hash in the form the store accepts (the store
// never checks passwords, only keeps what internal/auth makes).
const storedHash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo"

// mustUser makes a desk account.
func mustUser(t *testing.T, s film.Store, email string, role film.UserRole) film.User {
	t.Helper()
	u, err := s.CreateUser(context.Background(), film.User{Email: email, Name: "Ed", Role: role, CreatedAt: now}, storedHash, 0)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func testAccountsAndSessions(t *testing.T, s film.Store) {
	ctx := context.Background()
	u := mustUser(t, s, "ed@example.com", film.RoleEditor)
	if _, err := s.CreateUser(ctx, film.User{Email: "ED@example.com", Name: "Twin", Role: film.RoleEditor, CreatedAt: now}, storedHash, 0); err == nil {
		t.Error("a second account with the same address (any case) was created")
	}
	got, hash, err := s.FindCredentials(ctx, "ed@example.com")
	if err != nil || got.ID != u.ID || hash != storedHash {
		t.Errorf("credentials = %+v %q, %v", got, hash, err)
	}
	if err := s.UpgradePasswordHash(ctx, u.ID, storedHash+"x", storedHash+"y"); err != nil && !errors.Is(err, film.ErrConflict) {
		t.Fatal(err)
	}
	if _, hash, _ := s.FindCredentials(ctx, "ed@example.com"); hash != storedHash {
		t.Errorf("an upgrade from a hash that is not stored replaced it with %q", hash)
	}
	token := []byte("session-token-hash..............")
	if err := s.CreateSession(ctx, token, u.ID, now, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := s.TouchSession(ctx, token, now.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	sess, err := s.FindSession(ctx, token)
	if err != nil || sess.User.ID != u.ID || !sess.LastSeenAt.Equal(now.Add(time.Minute)) || !sess.ExpiresAt.Equal(now.Add(time.Hour)) {
		t.Errorf("session = %+v, %v", sess, err)
	}
	if err := s.SetUserDisabled(ctx, u.ID, true, 0, now); err != nil {
		t.Fatal(err)
	}
	if disabled, err := s.FindUser(ctx, u.ID); err != nil || !disabled.Disabled {
		t.Errorf("after disabling: %+v, %v", disabled, err)
	}
	if err := s.DeleteSession(ctx, token); err != nil {
		t.Fatal(err)
	}
	if _, err := s.FindSession(ctx, token); !errors.Is(err, film.ErrNotFound) {
		t.Errorf("deleted session: %v, want not found", err)
	}
}

func testEditorialConflict(t *testing.T, s film.Store) {
	mustSeed(t, s)
	ctx := context.Background()
	ed := mustUser(t, s, "ed@example.com", film.RoleEditor)
	draft := film.CriticReview{Slug: "draft", FilmSlug: "paris-2008", Headline: "First", Author: "Ed", Body: "One.", Status: film.ReviewDraft}
	id, err := s.CreateCriticReview(ctx, draft, ed, now)
	if err != nil {
		t.Fatal(err)
	}
	stored, err := s.FindEditedReview(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	base := stored.Revision
	first := draft
	first.Body = "One, then two."
	if _, err := s.UpdateCriticReview(ctx, id, base, first, ed, now.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	stale := draft
	stale.Body = "Written over an old copy."
	if _, err := s.UpdateCriticReview(ctx, id, base, stale, ed, now.Add(2*time.Minute)); !errors.Is(err, film.ErrConflict) {
		t.Errorf("save from a stale revision: %v, want film.ErrConflict", err)
	}
	revisions, err := s.Revisions(ctx, id)
	if err != nil || len(revisions) != 2 {
		t.Errorf("revisions = %d, %v; want 2", len(revisions), err)
	}
	if _, err := s.CriticReviewPage(ctx, "draft", now.Add(time.Hour)); !errors.Is(err, film.ErrNotFound) {
		t.Errorf("a draft is public: %v", err)
	}
}

func testSecret(t *testing.T, s film.Store) {
	ctx := context.Background()
	made := 0
	generate := func() ([]byte, error) { made++; return []byte(fmt.Sprintf("secret-%d", made)), nil }
	first, err := s.Secret(ctx, "form_key", generate)
	if err != nil {
		t.Fatal(err)
	}
	again, err := s.Secret(ctx, "form_key", generate)
	if err != nil || string(again) != string(first) || made != 1 {
		t.Errorf("second read = %q (made %d), %v; want %q made once", again, made, err, first)
	}
}

// testChangesAndTheClock checks what a page cache relies on: every write
// changes DataVersion, and NextChange names the moments pages change with
// no write at all.
func testChangesAndTheClock(t *testing.T, s film.Store) {
	mustSeed(t, s)
	ctx := context.Background()
	if next, err := s.NextChange(ctx, now); err != nil || !next.IsZero() {
		t.Errorf("NextChange with nothing due = %v, %v; want zero", next, err)
	}
	before := s.DataVersion()
	filmID := mustFilmPage(t, s, film.FilmPageQuery{}).Film.ID
	reader, _ := mustReader(t, s, "clock-reader")
	if s.DataVersion() == before {
		t.Error("DataVersion did not change when a reader was made")
	}
	rated := now.Add(-time.Hour)
	before = s.DataVersion()
	if _, err := s.RateFilm(ctx, filmID, reader, 7, rated); err != nil {
		t.Fatal(err)
	}
	if s.DataVersion() == before {
		t.Error("DataVersion did not change with a rating")
	}
	if next, err := s.NextChange(ctx, now); err != nil || !next.Equal(rated.Add(film.TrendingWindow)) {
		t.Errorf("NextChange after a rating = %v, %v; want %v, when it leaves the trending window", next, err, rated.Add(film.TrendingWindow))
	}
	ed := mustUser(t, s, "clock@example.com", film.RoleEditor)
	due := now.Add(2 * time.Hour)
	if _, err := s.CreateCriticReview(ctx, film.CriticReview{Slug: "due-soon", FilmSlug: "paris-2008", Headline: "Due",
		Author: "Ed", Body: "Soon.", Status: film.ReviewScheduled, PublishedAt: due}, ed, now); err != nil {
		t.Fatal(err)
	}
	if next, err := s.NextChange(ctx, now); err != nil || !next.Equal(due) {
		t.Errorf("NextChange with a review due = %v, %v; want %v", next, err, due)
	}
	if next, err := s.NextChange(ctx, due); err != nil || !next.Equal(rated.Add(film.TrendingWindow)) {
		t.Errorf("NextChange once the review is out = %v, %v; want the rating's exit", next, err)
	}
}
