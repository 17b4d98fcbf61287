package postgres

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"marquee/internal/catalog"
	"marquee/internal/film"
	"marquee/internal/sqlite"
	"marquee/migrations"
)

// readerToken is the token hash of a made-up reader, and readerKey its
// catalogue key.
func readerToken(name string) []byte {
	sum := sha256.Sum256([]byte(name))
	return sum[:]
}

func readerKey(name string) string { return film.ReaderKey(readerToken(name)) }

// pagesNow is the clock of the page tests: after every public review of
// pagesCatalog, before the scheduled one.
var pagesNow = time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)

// pagesCatalog is the seed catalogue with what the pages show beside it:
// a second film, critic reviews in every status, reader reviews approved
// (one with spoilers), pending and spam, readers' ratings (one of them
// rating twice over a review) and helpful votes.
func pagesCatalog(t *testing.T) film.Catalog {
	t.Helper()
	c := mustSeedCatalog(t)
	at := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	c.People = append(c.People, film.Person{Slug: "anne-dupre", Name: "Anne Duprè", AlsoKnownAs: []string{"Anne Dupre"}})
	c.Films = append(c.Films, film.Film{
		Slug: "le-chat-2001", Title: "Le Chat", OriginalTitle: "Le Chat", TitleLanguage: "fr", Year: 2001, RuntimeMinutes: 92,
		Countries: []string{"France"}, Genres: []string{"Comedy"}, Synopsis: "A cat moves in.",
		Budget: &film.Money{Amount: 2_000_000, Currency: "EUR"},
		Credits: []film.Credit{
			{PersonSlug: "anne-dupre", Role: film.RoleDirector},
			{PersonSlug: "juliette-binoche", Role: film.RoleCast, Character: "Madame", Billing: 1},
		},
	})
	c.CriticReviews = append(c.CriticReviews,
		film.CriticReview{Slug: "le-chat-review", FilmSlug: "le-chat-2001", Headline: "Purrfect", Author: "Anne Duprè", AuthorSlug: "anne-dupre",
			Rating: &film.Rating{Value: 4.5, Scale: 5}, Body: "A *delight*.", Status: film.ReviewPublished, PublishedAt: at, UpdatedAt: at.Add(time.Hour)},
		film.CriticReview{Slug: "paris-second", FilmSlug: "paris-2008", Headline: "Second look", Author: "Guest",
			Rating: &film.Rating{Value: 6, Scale: 10}, Body: "Better the second time.", Status: film.ReviewPublished, PublishedAt: at.Add(time.Hour)},
		film.CriticReview{Slug: "paris-draft", FilmSlug: "paris-2008", Headline: "Draft", Author: "Guest", Body: "Draft.", Status: film.ReviewDraft},
		film.CriticReview{Slug: "paris-later", FilmSlug: "paris-2008", Headline: "Later", Author: "Guest", Body: "Later.",
			Status: film.ReviewScheduled, PublishedAt: pagesNow.Add(24 * time.Hour)},
	)
	reviews := []film.ReaderReview{
		{FilmSlug: "paris-2008", DisplayName: "Élodie", Title: "Binoche carries it", Rating: 8, Body: "Warm and *funny*.",
			Status: film.ModerationApproved, CreatedAt: at, Reader: readerKey("a")},
		{FilmSlug: "paris-2008", DisplayName: "Sam", Title: "A small delight", Rating: 7, Body: "Paris!",
			Status: film.ModerationApproved, CreatedAt: at.Add(time.Hour)},
		{FilmSlug: "paris-2008", DisplayName: "Tom", Title: "Too long", Rating: 4, Body: "The ending ||drags||.",
			Spoilers: true, Status: film.ModerationApproved, CreatedAt: at.Add(2 * time.Hour)},
		{FilmSlug: "paris-2008", DisplayName: "P", Title: "Pending", Rating: 5, Body: "Hmm.",
			Status: film.ModerationPending, CreatedAt: at.Add(3 * time.Hour)},
		{FilmSlug: "paris-2008", DisplayName: "S", Title: "Spam", Rating: 1, Body: "Buy now.",
			Status: film.ModerationSpam, CreatedAt: at.Add(4 * time.Hour)},
	}
	c.ReaderReviews = append(c.ReaderReviews, reviews...)
	for i, v := range []int{9, 7, 10, 3, 8} {
		c.Ratings = append(c.Ratings, film.ReaderRating{FilmSlug: "paris-2008", Reader: readerKey(string(rune('a' + i))), Value: v,
			CreatedAt: at.Add(time.Duration(i) * time.Minute), UpdatedAt: at.Add(time.Duration(i) * time.Hour)})
	}
	for i, r := range []film.ReaderReview{reviews[0], reviews[0], reviews[2], reviews[1]} {
		c.HelpfulVotes = append(c.HelpfulVotes, film.HelpfulVote{Review: r.Key(), Reader: readerKey(string(rune('b' + i))),
			CreatedAt: at.Add(5 * time.Hour)})
	}
	if err := (catalog.Document{Version: catalog.Version, Catalog: c}).Validate(); err != nil {
		t.Fatalf("the page catalogue is not a valid document: %v", err)
	}
	return c
}

// testStart is when the tests began: times after it are the times of
// writes the tests made, not of the catalogue.
var testStart = time.Now().Add(-time.Second)

// pageStores are the same catalogue loaded into SQLite, the first
// backend, and into PostgreSQL.
func pageStores(t *testing.T) (*sqlite.DB, *DB) {
	t.Helper()
	ctx := context.Background()
	c := pagesCatalog(t)
	lite, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "marquee.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lite.Close() })
	if _, err := lite.Migrate(ctx, migrations.FS); err != nil {
		t.Fatal(err)
	}
	if _, err := lite.ImportWith(ctx, c, film.ImportOptions{}); err != nil {
		t.Fatalf("import into SQLite: %v", err)
	}
	pg := newDB(t)
	if _, err := pg.ImportWith(ctx, c, film.ImportOptions{}); err != nil {
		t.Fatalf("import into PostgreSQL: %v", err)
	}
	return lite, pg
}

// samePage compares what the two backends answer for one page: the same
// value, or errors that both wrap film.ErrNotFound.
func samePage[T any](t *testing.T, name string, want T, wantErr error, got T, gotErr error) {
	t.Helper()
	if errors.Is(wantErr, film.ErrNotFound) || errors.Is(gotErr, film.ErrNotFound) {
		if !errors.Is(wantErr, film.ErrNotFound) || !errors.Is(gotErr, film.ErrNotFound) {
			t.Errorf("%s: SQLite says %v, PostgreSQL %v", name, wantErr, gotErr)
		}
		return
	}
	if wantErr != nil || gotErr != nil {
		t.Fatalf("%s: SQLite says %v, PostgreSQL %v", name, wantErr, gotErr)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("%s differs between the backends (-SQLite +PostgreSQL):\n%s", name, diff)
	}
}

// TestPagesMatchSQLite loads one catalogue into both backends and checks
// that every page the PostgreSQL store answers so far is the page SQLite
// answers, for readers known and unknown, in every order, and for what is
// not there or not public yet.
func TestPagesMatchSQLite(t *testing.T) {
	ctx := context.Background()
	lite, pg := pageStores(t)

	for _, slug := range []string{"paris-2008", "le-chat-2001", "no-such-film"} {
		for _, token := range [][]byte{nil, readerToken("a"), readerToken("e"), readerToken("stranger")} {
			q := film.FilmPageQuery{Slug: slug, Now: pagesNow, ReaderTokenHash: token, ReaderReviews: 2}
			want, wantErr := lite.FilmPage(ctx, q)
			got, gotErr := pg.FilmPage(ctx, q)
			samePage(t, "film page "+slug, want, wantErr, got, gotErr)

			want2, wantErr := lite.ReviewFormPage(ctx, slug, token)
			got2, gotErr := pg.ReviewFormPage(ctx, slug, token)
			samePage(t, "review form "+slug, want2, wantErr, got2, gotErr)
		}
		for _, sort := range []film.ReaderReviewSort{film.SortNewest, film.SortHighest, film.SortLowest, film.SortHelpful, ""} {
			for _, f := range []film.ReaderReviewFilter{
				{Sort: sort, Limit: 10},
				{Sort: sort, Limit: 1, Offset: 1},
				{Sort: sort, Limit: 10, HideSpoilers: true},
			} {
				want, wantErr := lite.ReaderReviewsPage(ctx, slug, f)
				got, gotErr := pg.ReaderReviewsPage(ctx, slug, f)
				samePage(t, "reader reviews "+slug+" "+string(sort), want, wantErr, got, gotErr)
			}
		}
	}
	for _, slug := range []string{"le-chat-review", "paris-second", "paris-draft", "paris-later", "no-such-review"} {
		for _, now := range []time.Time{pagesNow, pagesNow.Add(48 * time.Hour)} {
			want, wantErr := lite.CriticReviewPage(ctx, slug, now)
			got, gotErr := pg.CriticReviewPage(ctx, slug, now)
			samePage(t, "critic review "+slug, want, wantErr, got, gotErr)
		}
	}

	people := []string{"no-such-person"}
	for _, p := range pagesCatalog(t).People {
		people = append(people, p.Slug)
	}
	for _, slug := range people {
		for _, limit := range []int{1, 10} {
			want, wantErr := lite.PersonPage(ctx, slug, pagesNow, limit)
			got, gotErr := pg.PersonPage(ctx, slug, pagesNow, limit)
			samePage(t, "person page "+slug, want, wantErr, got, gotErr)
		}
	}

	companies := map[string]bool{"no-such-company": true}
	for _, slug := range []string{"paris-2008", "le-chat-2001", "no-such-film"} {
		want, wantErr := lite.FindFilm(ctx, slug)
		got, gotErr := pg.FindFilm(ctx, slug)
		samePage(t, "find film "+slug, want, wantErr, got, gotErr)
		for _, c := range want.Companies {
			companies[c.Slug] = true
		}
		want2, wantErr := lite.FindFilmSummary(ctx, slug)
		got2, gotErr := pg.FindFilmSummary(ctx, slug)
		samePage(t, "film summary "+slug, want2, wantErr, got2, gotErr)
		if wantErr == nil {
			for _, recount := range []bool{false, true} {
				read := map[bool]func(int64) (film.RatingStats, film.RatingStats, error, error){
					false: func(id int64) (film.RatingStats, film.RatingStats, error, error) {
						a, errA := lite.RatingStats(ctx, id)
						b, errB := pg.RatingStats(ctx, id)
						return a, b, errA, errB
					},
					true: func(id int64) (film.RatingStats, film.RatingStats, error, error) {
						a, errA := lite.RecountRatingStats(ctx, id)
						b, errB := pg.RecountRatingStats(ctx, id)
						return a, b, errA, errB
					},
				}[recount]
				a, b, errA, errB := read(want2.ID)
				samePage(t, fmt.Sprintf("rating stats of %s (recount %v)", slug, recount), a, errA, b, errB)
			}
		}
		for _, limit := range []int{0, 1, 10} {
			want, wantErr := lite.FilmFeed(ctx, slug, pagesNow, limit)
			got, gotErr := pg.FilmFeed(ctx, slug, pagesNow, limit)
			// The record's change time is the time of each import.
			want.UpdatedAt, got.UpdatedAt = time.Time{}, time.Time{}
			samePage(t, "film feed "+slug, want, wantErr, got, gotErr)
		}
		for _, kind := range []film.RedirectKind{film.RedirectFilm, film.RedirectReview, film.RedirectPerson} {
			want, wantErr := lite.FindSlugRedirect(ctx, kind, slug, pagesNow)
			got, gotErr := pg.FindSlugRedirect(ctx, kind, slug, pagesNow)
			samePage(t, "redirect from "+slug, want, wantErr, got, gotErr)
		}
	}
	for slug := range companies {
		for _, limit := range []int{1, 10} {
			want, wantErr := lite.CompanyPage(ctx, slug, limit)
			got, gotErr := pg.CompanyPage(ctx, slug, limit)
			samePage(t, "company page "+slug, want, wantErr, got, gotErr)
		}
	}
	// The sitemap, in stretches; a change time at or after the imports
	// began is the time of each backend's import, so it is compared as
	// such.
	imported := func(p film.SitemapPage) film.SitemapPage {
		at := func(t time.Time) time.Time {
			if !t.Before(testStart) {
				return time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
			}
			return t
		}
		p.Newest = at(p.Newest)
		for i := range p.Entries {
			p.Entries[i].LastMod = at(p.Entries[i].LastMod)
		}
		return p
	}
	var sitemapEntries int
	for _, stretch := range []struct{ offset, limit int }{{0, 1000}, {0, 3}, {3, 5}, {7, 100}, {-1, 2}, {1000, 10}} {
		for _, now := range []time.Time{pagesNow, pagesNow.Add(48 * time.Hour)} {
			want, wantErr := lite.SitemapEntries(ctx, now, stretch.offset, stretch.limit)
			got, gotErr := pg.SitemapEntries(ctx, now, stretch.offset, stretch.limit)
			samePage(t, fmt.Sprintf("sitemap %+v", stretch), imported(want), wantErr, imported(got), gotErr)
			sitemapEntries = max(sitemapEntries, len(got.Entries))
		}
	}
	if sitemapEntries < 10 {
		t.Errorf("the sitemap lists at most %d entries", sitemapEntries)
	}

	for _, limit := range []int{1, 10} {
		want, wantErr := lite.ReviewFeed(ctx, pagesNow, limit)
		got, gotErr := pg.ReviewFeed(ctx, pagesNow, limit)
		samePage(t, "review feed", want, wantErr, got, gotErr)
	}
	if len(companies) < 3 {
		t.Errorf("the catalogue credits only %d companies", len(companies)-1)
	}

	for _, limit := range []int{1, 3, 10} {
		want, wantErr := lite.HomePage(ctx, pagesNow, limit)
		got, gotErr := pg.HomePage(ctx, pagesNow, limit)
		samePage(t, "home page", want, wantErr, got, gotErr)
	}

	for _, filter := range []film.FilmFilter{
		{}, {Year: 2008}, {Year: 2001}, {Decade: 2000}, {Country: "France"}, {Genre: "Comedy"},
		{Director: "cedric-klapisch"}, {Country: "France", Genre: "Comedy"}, {Decade: 2000, Director: "anne-dupre"},
		{Genre: "Western"}, {Director: "nobody-at-all"}, {Year: 1901},
	} {
		for _, sort := range []film.FilmSort{film.SortTitle, film.SortYear, film.SortRating, film.SortMostReviewed, film.SortRecent, ""} {
			f := filter
			f.Sort, f.Limit = sort, 1
			q := film.FilmIndexQuery{Filter: f, FacetLimit: 5}
			want, wantErr := lite.FilmIndex(ctx, q)
			got, gotErr := pg.FilmIndex(ctx, q)
			name := fmt.Sprintf("film index %+v", f)
			samePage(t, name, want, wantErr, got, gotErr)
			if wantErr != nil || len(want.List.Films) == 0 {
				continue
			}
			// The next page, and back again, through the cursors.
			next := f
			next.After = &want.List.Films[0].Cursor
			q = film.FilmIndexQuery{Filter: next}
			want, wantErr = lite.FilmIndex(ctx, q)
			got, gotErr = pg.FilmIndex(ctx, q)
			samePage(t, name+" after the first", want, wantErr, got, gotErr)
			if wantErr != nil || len(want.List.Films) == 0 {
				continue
			}
			prev := f
			prev.Before = &want.List.Films[0].Cursor
			q = film.FilmIndexQuery{Filter: prev}
			want, wantErr = lite.FilmIndex(ctx, q)
			got, gotErr = pg.FilmIndex(ctx, q)
			samePage(t, name+" before the second", want, wantErr, got, gotErr)
		}
	}

	// The pages are not empty: the comparison above would pass on two
	// stores that both answer nothing.
	p, err := pg.FilmPage(ctx, film.FilmPageQuery{Slug: "paris-2008", Now: pagesNow, ReaderTokenHash: readerToken("a"), ReaderReviews: 5})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Film.Credits) == 0 || len(p.CriticReviews) == 0 || p.ReaderReviews.Total < 3 || p.Ratings.Count == 0 || p.YourRating == 0 {
		t.Errorf("the PostgreSQL film page lacks what the catalogue gives it: %d credits, %d critic reviews, %d reader reviews, %d ratings, your rating %d",
			len(p.Film.Credits), len(p.CriticReviews), p.ReaderReviews.Total, p.Ratings.Count, p.YourRating)
	}
	pp, err := pg.PersonPage(ctx, "juliette-binoche", pagesNow, 10)
	if err != nil {
		t.Fatal(err)
	}
	home, err := pg.HomePage(ctx, pagesNow, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(home.LatestReviews) < 2 || len(home.RecentlyReviewed) < 2 || len(home.Trending) == 0 || home.FilmCount != 2 {
		t.Errorf("the PostgreSQL home page lacks what the catalogue gives it: %d latest reviews, %d recently reviewed, %d trending, %d films",
			len(home.LatestReviews), len(home.RecentlyReviewed), len(home.Trending), home.FilmCount)
	}
	if len(pp.Credits) < 2 || len(pp.KnownFor) < 2 || len(pp.Reviews) == 0 || len(pp.Credits[0].Film.Directors) == 0 {
		t.Errorf("the PostgreSQL person page lacks what the catalogue gives it: %d credits, %d known for, %d reviews, directors %v",
			len(pp.Credits), len(pp.KnownFor), len(pp.Reviews), pp.Credits[0].Film.Directors)
	}
}
