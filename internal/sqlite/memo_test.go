package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"marquee/internal/film"
)

// TestVersionMemoIsNeverStale reads the film index and a film's reader
// reviews page, so the memos keep their films, then writes through the
// store (a rating, an edit of a title) and reads again: the next read
// shows each write, while reads with no write between them are served
// from the memos.
func TestVersionMemoIsNeverStale(t *testing.T) {
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
		return len(db.listed.values)
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
	// The reader reviews page's rating aggregate, kept, then rated again.
	stats := func() film.RatingStats {
		t.Helper()
		p, err := db.ReaderReviewsPage(ctx, "film-1", film.ReaderReviewFilter{Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		return p.Ratings
	}
	if s := stats(); s.Count != 1 || s.Histogram[8] != 1 {
		t.Fatalf("reader reviews page stats = %+v, want one 9", s)
	}
	if _, ok := db.stats.get(db.DataVersion(), id); !ok {
		t.Fatal("the reader reviews page did not keep the film's rating aggregate")
	}
	other, err := db.Reader(ctx, []byte("another-reader-token-hash-of-32!"), now)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.RateFilm(ctx, id, other, 3, now); err != nil {
		t.Fatal(err)
	}
	if s := stats(); s.Count != 2 || s.Histogram[2] != 1 {
		t.Errorf("after a second rating the reader reviews page shows %+v, want a 3 and a 9", s)
	}

	ed, err := db.CreateUser(ctx, film.User{Email: "ed@example.com", Name: "Ed", Role: film.RoleEditor, CreatedAt: now}, "$argon2id$v=19$m=65536,t=1,p=2$c2FsdA$aGFzaA", 0)
	if err != nil {
		t.Fatal(err)
	}
	// The reader reviews page's film, read twice: the second from the
	// summaries memo.
	for range 2 {
		if p, err := db.ReaderReviewsPage(ctx, "film-2", film.ReaderReviewFilter{Limit: 10}); err != nil || p.Film.Title != "Film 2" {
			t.Fatalf("reader reviews page of film-2 = %q, %v", p.Film.Title, err)
		}
	}
	if _, ok := db.summaries.get(db.DataVersion(), "film-2"); !ok {
		t.Fatal("the reader reviews page did not keep film-2's summary")
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
	if p, err := db.ReaderReviewsPage(ctx, "film-2", film.ReaderReviewFilter{Limit: 10}); err != nil || p.Film.Title != "Film Two" {
		t.Errorf("after an edit the reader reviews page shows %q (%v), want Film Two", p.Film.Title, err)
	}

	// A person page names each film's directors from the memo; a new
	// director shows at once.
	if _, err := db.ImportWith(ctx, film.Catalog{People: []film.Person{{Slug: "wri", Name: "Wri"}, {Slug: "dir", Name: "Dir"}},
		Films: []film.Film{{Slug: "film-9", Title: "Film 9", Year: 2009, Credits: []film.Credit{{PersonSlug: "wri", Role: film.RoleWriter}}}}},
		film.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	directors := func() []string {
		t.Helper()
		p, err := db.PersonPage(ctx, "wri", now, 10)
		if err != nil || len(p.Credits) != 1 {
			t.Fatalf("person page: %d credits, %v", len(p.Credits), err)
		}
		return p.Credits[0].Film.Directors
	}
	for range 2 {
		if d := directors(); len(d) != 0 {
			t.Fatalf("directors before = %v, want none", d)
		}
	}
	if _, ok := db.dressing.get(db.DataVersion(), mustFilmID(t, db, "film-9")); !ok {
		t.Fatal("the person page did not keep its films' directors")
	}
	f9, v9, err := db.FindFilmForEdit(ctx, "film-9")
	if err != nil {
		t.Fatal(err)
	}
	f9.Credits = append(f9.Credits, film.Credit{PersonSlug: "dir", Role: film.RoleDirector})
	if err := db.UpdateFilm(ctx, "film-9", v9, f9, ed, now); err != nil {
		t.Fatal(err)
	}
	if d := directors(); len(d) != 1 || d[0] != "Dir" {
		t.Errorf("after a director is credited the person page names %v, want [Dir]", d)
	}
}

func mustFilmID(t *testing.T, db *DB, slug string) int64 {
	t.Helper()
	var id int64
	if err := db.read.QueryRowContext(context.Background(), "SELECT id FROM films WHERE slug = ?", slug).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// mustFilmAndReader imports a film with the given slug and makes a reader
// to rate it, returning both ids.
func mustFilmAndReader(t *testing.T, db *DB, slug string, now time.Time) (filmID, readerID int64) {
	t.Helper()
	if _, err := db.ImportWith(context.Background(), film.Catalog{Films: []film.Film{{Slug: slug, Title: slug, Year: 2001}}}, film.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	reader, err := db.Reader(context.Background(), []byte("the-one-reader-token-hash-32-byt"), now)
	if err != nil {
		t.Fatal(err)
	}
	return mustFilmID(t, db, slug), reader
}

// TestReaderReviewMemoMatchesSQL holds the memo's orders to the SQL ones
// (filmsql.ReaderReviewOrder): a film's reviews, with ties in rating,
// helpful votes and time, are paged from the memo and by the production
// statements, in every order, with and without spoilers, at several
// offsets, and the two must agree review for review.
func TestReaderReviewMemoMatchesSQL(t *testing.T) {
	ctx := context.Background()
	db := mustOpenMigrated(t)
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	// More reviews than the memo reads whole at the first ask.
	const approved = wholeAtFirstAsk + 5
	c := film.Catalog{Films: []film.Film{{Slug: "busy", Title: "Busy", Year: 2001}, {Slug: "quiet", Title: "Quiet", Year: 2002}}}
	for i := range approved {
		c.ReaderReviews = append(c.ReaderReviews, film.ReaderReview{FilmSlug: "busy", DisplayName: fmt.Sprintf("R%d", i),
			Title: fmt.Sprintf("T%d", i), Rating: 1 + i%10, Body: "Body.", Spoilers: i%3 == 0,
			Status: film.ModerationApproved, CreatedAt: now.Add(-time.Duration(i/4) * time.Hour)})
	}
	c.ReaderReviews = append(c.ReaderReviews, film.ReaderReview{FilmSlug: "busy", DisplayName: "Pending", Title: "P", Rating: 5,
		Body: "Not yet.", Status: film.ModerationPending, CreatedAt: now},
		film.ReaderReview{FilmSlug: "quiet", DisplayName: "Q", Title: "Q", Rating: 7, Body: "Few.", Status: film.ModerationApproved, CreatedAt: now},
		film.ReaderReview{FilmSlug: "quiet", DisplayName: "Q2", Title: "Q2", Rating: 3, Body: "Few.", Status: film.ModerationApproved, CreatedAt: now})
	if _, err := db.ImportWith(ctx, c, film.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	// Ties: ratings in three values, helpful counts in two, times four
	// to an hour (above).
	if _, err := db.write.ExecContext(ctx, `UPDATE reader_reviews SET rating = 2 + id % 3 * 3, helpful_count = id % 2`); err != nil {
		t.Fatal(err)
	}
	var filmID int64
	if err := db.read.QueryRowContext(ctx, "SELECT id FROM films WHERE slug = 'busy'").Scan(&filmID); err != nil {
		t.Fatal(err)
	}
	bySQL := func(f film.ReaderReviewFilter) film.ReaderReviewPage {
		var p film.ReaderReviewPage
		err := db.inReadTx(ctx, func(tx *sql.Tx) (err error) {
			p, err = readerReviews(ctx, tx, f)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	byPage := func(f film.ReaderReviewFilter) film.ReaderReviewPage {
		var p film.ReaderReviewPage
		err := db.inPageTx(ctx, func(tx querier) (err error) {
			p, err = readerReviews(ctx, tx, f)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	keptOf := func(id int64) int {
		db.reviews.mu.Lock()
		defer db.reviews.mu.Unlock()
		return len(db.reviews.values[id])
	}
	// A film with few reviews is kept at the first ask.
	quiet := mustFilmID(t, db, "quiet")
	if got := byPage(film.ReaderReviewFilter{FilmID: quiet, Limit: 1}); got.Total != 2 || len(got.Reviews) != 1 {
		t.Errorf("the first page of the quiet film has %d of %d reviews, want 1 of 2", len(got.Reviews), got.Total)
	}
	if kept := keptOf(quiet); kept != 2 {
		t.Errorf("after its first ask the memo keeps %d reviews of the quiet film, want both", kept)
	}
	// A film with many: the first read at this version is SQL's, the
	// second keeps them.
	first := film.ReaderReviewFilter{FilmID: filmID, Limit: 5}
	if got, want := byPage(first), bySQL(first); !cmp.Equal(got, want) {
		t.Errorf("the first ask differs from SQL:\n%s", cmp.Diff(want, got))
	}
	if kept := keptOf(filmID); kept != 0 {
		t.Errorf("after one ask the memo keeps %d reviews of the busy film, want none yet", kept)
	}
	byPage(film.ReaderReviewFilter{FilmID: filmID, Limit: 5})
	if kept := keptOf(filmID); kept != approved {
		t.Fatalf("the memo keeps %d reviews of the film, want its %d approved ones", kept, approved)
	}
	for _, sort := range []film.ReaderReviewSort{film.SortNewest, film.SortHighest, film.SortLowest, film.SortHelpful, "unknown"} {
		for _, hide := range []bool{false, true} {
			for _, at := range [][2]int{{0, 10}, {10, 10}, {20, 10}, {3, 7}, {0, 100}, {30, 10}, {40, 10}, {50, 10}} {
				f := film.ReaderReviewFilter{FilmID: filmID, Sort: sort, HideSpoilers: hide, Offset: at[0], Limit: at[1]}
				want, got := bySQL(f), byPage(f)
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("%+v: memo differs from SQL (-sql +memo):\n%s", f, diff)
				}
			}
		}
	}
	// A film's feed takes its newest reviews from the memo too, with the
	// rating each was stored with (not the reader's current one) and when
	// it was approved, as its SQL does.
	reader, err := db.Reader(ctx, []byte("the-feed-reader-token-hash-32-by"), now)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.RateFilm(ctx, filmID, reader, 9, now); err != nil {
		t.Fatal(err)
	}
	if _, err := db.write.ExecContext(ctx, `UPDATE reader_reviews SET reader_id = ?, rating = 2 WHERE id = 3`, reader); err != nil {
		t.Fatal(err)
	}
	if _, err := db.write.ExecContext(ctx, `UPDATE reader_reviews SET moderated_at = '2026-12-01T08:00:00Z' WHERE id % 4 = 0`); err != nil {
		t.Fatal(err)
	}
	byPage(film.ReaderReviewFilter{FilmID: filmID, Limit: 5})
	byPage(film.ReaderReviewFilter{FilmID: filmID, Limit: 5})
	if kept := keptOf(filmID); kept != approved {
		t.Fatalf("after two asks at the new version the memo keeps %d reviews, want %d", kept, approved)
	}
	for _, limit := range []int{0, 1, 3, 10, approved, approved + 5, -1} {
		var want, got []film.FeedReaderReview
		if err := db.inReadTx(ctx, func(tx *sql.Tx) (err error) {
			want, err = feedReaderReviews(ctx, tx, filmID, limit)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if err := db.inPageTx(ctx, func(q querier) (err error) {
			got, err = feedReaderReviews(ctx, q, filmID, limit)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("feed of %d: memo differs from SQL (-sql +memo):\n%s", limit, diff)
		}
		if limit == -1 && len(got) != approved {
			t.Errorf("the whole feed has %d reviews, want %d", len(got), approved)
		}
	}

	// A write empties it: the next pages are SQL's again, and current.
	if _, err := db.ModerateReaderReviews(ctx, []int64{1}, film.ModerationRejected, 0, now); err != nil {
		t.Fatal(err)
	}
	f := film.ReaderReviewFilter{FilmID: filmID, Limit: 100}
	if got := byPage(f); got.Total != approved-1 || !cmp.Equal(got, bySQL(f)) {
		t.Errorf("after a rejection the page lists %d reviews, want %d as SQL does", got.Total, approved-1)
	}
}

// TestCriticReviewMemoMatchesSQL holds the person page's reviews, read
// through the memos, to the SQL that picks them without: at several
// times (a scheduled review goes public with no write, so the memo keeps
// its time and the page filters) and limits, the two agree.
func TestCriticReviewMemoMatchesSQL(t *testing.T) {
	ctx := context.Background()
	db := mustOpenMigrated(t)
	base := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	c := film.Catalog{People: []film.Person{{Slug: "maker", Name: "Maker"}}}
	for i := range 6 {
		slug := fmt.Sprintf("work-%d", i)
		c.Films = append(c.Films, film.Film{Slug: slug, Title: slug, Year: 2000 + i,
			Credits: []film.Credit{{PersonSlug: "maker", Role: film.RoleDirector}}})
		for j := range i % 3 {
			status, at := film.ReviewPublished, base.Add(-time.Duration(i*3+j)*time.Hour)
			if (i+j)%4 == 0 {
				status, at = film.ReviewScheduled, base.Add(time.Duration(i+j+1)*time.Hour)
			}
			c.CriticReviews = append(c.CriticReviews, film.CriticReview{Slug: fmt.Sprintf("%s-review-%d", slug, j), FilmSlug: slug,
				Headline: "H", Author: "A", Body: "B", Status: status, PublishedAt: at, UpdatedAt: at})
		}
		// At the same moment as work-5-review-0: the id breaks the tie.
		if i == 4 {
			c.CriticReviews = append(c.CriticReviews, film.CriticReview{Slug: slug + "-twin", FilmSlug: slug,
				Headline: "H", Author: "A", Body: "B", Status: film.ReviewPublished, PublishedAt: base.Add(-15 * time.Hour), UpdatedAt: base})
		}
		c.CriticReviews = append(c.CriticReviews, film.CriticReview{Slug: slug + "-draft", FilmSlug: slug,
			Headline: "H", Author: "A", Body: "B", Status: film.ReviewDraft})
	}
	if _, err := db.ImportWith(ctx, c, film.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	var credits []film.PersonCredit
	err := db.inReadTx(ctx, func(tx *sql.Tx) (err error) {
		_, credits, err = findPerson(ctx, tx, "maker")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	slugs := func(list []film.ReviewedFilm) []string {
		var out []string
		for _, r := range list {
			out = append(out, r.Review.Slug+" of "+r.Film.Slug)
		}
		return out
	}
	for _, now := range []time.Time{base.Add(-24 * time.Hour), base, base.Add(2 * time.Hour), base.Add(48 * time.Hour)} {
		for _, limit := range []int{1, 3, 20} {
			var want, got []film.ReviewedFilm
			if err := db.inReadTx(ctx, func(tx *sql.Tx) (err error) {
				want, err = criticReviewsOfPersonsFilms(ctx, tx, credits, now, limit)
				return err
			}); err != nil {
				t.Fatal(err)
			}
			for range 2 { // the second through the memos
				if err := db.inPageTx(ctx, func(tx querier) (err error) {
					got, err = criticReviewsOfPersonsFilms(ctx, tx, credits, now, limit)
					return err
				}); err != nil {
					t.Fatal(err)
				}
			}
			if diff := cmp.Diff(slugs(want), slugs(got)); diff != "" {
				t.Errorf("at %v, at most %d (-sql +memo):\n%s", now, limit, diff)
			}
			if limit == 20 && now.Equal(base.Add(48*time.Hour)) && len(got) != 7 {
				t.Errorf("every review but the drafts: %d, want 7", len(got))
			}
		}
	}
	if _, ok := db.stamps.get(db.DataVersion(), credits[0].Film.ID); !ok {
		t.Error("the page reads did not keep the films' review times")
	}
}

// TestFilmListMemoMatchesSQL walks film index lists page by page, forward
// and back, once with SQL alone and once through the kept ids, for
// several filters and every order, and the two must give the same pages:
// the films, whether there are more either way, the previous page's
// cursor and the total. A cursor from before a change is answered by SQL.
func TestFilmListMemoMatchesSQL(t *testing.T) {
	ctx := context.Background()
	db := mustOpenMigrated(t)
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	var c film.Catalog
	genres := []string{"Drama", "Comedy", "Drama"}
	for i := range 40 {
		c.Films = append(c.Films, film.Film{Slug: fmt.Sprintf("f-%02d", i), Title: fmt.Sprintf("Title %d", i%7), Year: 1990 + i%5,
			Genres: []string{genres[i%3]}})
	}
	if _, err := db.ImportWith(ctx, c, film.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	for i := range 12 {
		reader, err := db.Reader(ctx, []byte(fmt.Sprintf("reader-%-25d", i)), now)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.RateFilm(ctx, int64(1+i*3%40), reader, 1+i%10, now); err != nil {
			t.Fatal(err)
		}
	}
	bySQL := func(f film.FilmFilter) film.FilmList {
		var l film.FilmList
		if err := db.inReadTx(ctx, func(tx *sql.Tx) (err error) {
			l, err = filmList(ctx, tx, f)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return l
	}
	byPage := func(f film.FilmFilter) film.FilmList {
		var l film.FilmList
		if err := db.inPageTx(ctx, func(tx querier) (err error) {
			l, err = filmList(ctx, tx, f)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return l
	}
	// answered reports whether the kept ids answered f.
	answered := func(f film.FilmFilter) bool {
		var ok bool
		if err := db.inPageTx(ctx, func(tx querier) (err error) {
			_, ok, err = keptFilmListPage(ctx, tx.(preparedTx), f)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return ok
	}
	ids := func(l film.FilmList) []int64 {
		var out []int64
		for _, f := range l.Films {
			out = append(out, f.ID)
		}
		return out
	}
	same := func(what string, want, got film.FilmList) {
		t.Helper()
		if !cmp.Equal(ids(want), ids(got)) || want.HasNext != got.HasNext || want.HasPrev != got.HasPrev ||
			want.Total != got.Total || !cmp.Equal(want.PrevAfter, got.PrevAfter) {
			t.Errorf("%s: memo %v next %v prev %v after %v total %d; SQL %v next %v prev %v after %v total %d", what,
				ids(got), got.HasNext, got.HasPrev, got.PrevAfter, got.Total, ids(want), want.HasNext, want.HasPrev, want.PrevAfter, want.Total)
		}
	}
	sorts := []film.FilmSort{film.SortTitle, film.SortYear, film.SortRating, film.SortMostReviewed, film.SortRecent}
	for _, filter := range []film.FilmFilter{{}, {Genre: "Drama"}, {Year: 1992}} {
		for _, sort := range sorts {
			base := filter
			base.Sort, base.Limit = sort, 6
			first := base
			byPage(first) // the first ask is SQL's; the second keeps the list
			var firsts []film.Cursor
			for page := 0; page < 20; page++ {
				want, got := bySQL(first), byPage(first)
				same(fmt.Sprintf("%+v page %d", base, page+1), want, got)
				if !answered(first) {
					t.Fatalf("%+v page %d: the kept ids did not answer", base, page+1)
				}
				if len(want.Films) == 0 {
					break
				}
				firsts = append(firsts, want.Films[0].Cursor)
				if !want.HasNext {
					break
				}
				last := want.Films[len(want.Films)-1].Cursor
				first = base
				first.After = &last
			}
			// Back from every page.
			for i, c := range firsts {
				back := base
				back.Before = &c
				same(fmt.Sprintf("%+v before page %d", base, i+1), bySQL(back), byPage(back))
				if !answered(back) {
					t.Fatalf("%+v before page %d: the kept ids did not answer", base, i+1)
				}
			}
		}
	}
	db.lists.mu.Lock()
	kept := len(db.lists.values)
	db.lists.mu.Unlock()
	if kept != 3*len(sorts) {
		t.Errorf("%d lists kept, want %d", kept, 3*len(sorts))
	}
	// A cursor whose film has moved since (its title edited): the memo
	// does not know which films follow it, SQL does, and they agree.
	stale := film.Cursor{Text: "Title 0", Count: 1990, ID: 1}
	f := film.FilmFilter{Sort: film.SortTitle, Limit: 6, After: &stale}
	byPage(f)
	same("a cursor from before an edit", bySQL(f), byPage(f))
	moved := film.Cursor{Text: "Title 9", Count: 1990, ID: 1}
	f.After = &moved
	same("a cursor that is not where its film stands", bySQL(f), byPage(f))
	if answered(f) {
		t.Error("the kept ids answered a cursor that is not where its film stands")
	}
}

// TestMemoMatchesItsSnapshot rates a film over and over while page reads
// run beside it, each asking for the film's rating aggregate through the
// memo and then straight from its own snapshot: the two must always be the
// same, which holds only because a page read notes the version and takes
// its snapshot at one moment with respect to commits (inPageTx).
func TestMemoMatchesItsSnapshot(t *testing.T) {
	ctx := context.Background()
	db := mustOpenMigrated(t)
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	id, reader := mustFilmAndReader(t, db, "rated", now)
	stop := make(chan struct{})
	writes := make(chan error, 1)
	go func() {
		defer close(writes)
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := db.RateFilm(ctx, id, reader, 1+i%10, now); err != nil {
				writes <- err
				return
			}
		}
	}()
	var mismatches, reads int
	var readErr error
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 400 {
				err := db.inPageTx(ctx, func(q querier) error {
					kept, err := ratingStats(ctx, q, id)
					if err != nil {
						return err
					}
					own, err := scanRatingStats(q.(preparedTx).read.open.tx.QueryRowContext(ctx, ratingStatsQuery, id))
					if err != nil {
						return err
					}
					mu.Lock()
					reads++
					if kept != own {
						mismatches++
					}
					mu.Unlock()
					return nil
				})
				if err != nil {
					mu.Lock()
					readErr = err
					mu.Unlock()
					return
				}
			}
		}()
	}
	wg.Wait()
	close(stop)
	if err := <-writes; err != nil {
		t.Fatal(err)
	}
	if readErr != nil {
		t.Fatal(readErr)
	}
	if mismatches > 0 {
		t.Errorf("%d of %d page reads were given a rating aggregate from another moment than their own", mismatches, reads)
	}
}

// TestMemoOnlyPageReadNeedsNoTransaction reads a film's reader reviews
// page once, so the memos hold the film, its reviews and its ratings, and
// then takes every connection of the read pool: the other orders of the
// same reviews are still answered, from the memos, while a page that needs
// SQL (the film page) cannot begin its read.
func TestMemoOnlyPageReadNeedsNoTransaction(t *testing.T) {
	ctx := context.Background()
	db := mustOpenMigrated(t)
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	c := film.Catalog{Films: []film.Film{{Slug: "kept", Title: "Kept", Year: 2003}}}
	for i := range 3 {
		c.ReaderReviews = append(c.ReaderReviews, film.ReaderReview{FilmSlug: "kept", DisplayName: fmt.Sprintf("R%d", i),
			Title: fmt.Sprintf("T%d", i), Rating: 3 + i, Body: "Body.", Status: film.ModerationApproved, CreatedAt: now.Add(-time.Duration(i) * time.Hour)})
	}
	if _, err := db.ImportWith(ctx, c, film.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ReaderReviewsPage(ctx, "kept", film.ReaderReviewFilter{Limit: 10}); err != nil {
		t.Fatal(err)
	}

	db.openReads.drop() // the pool is to be taken whole
	var held []*sql.Tx
	defer func() {
		for _, tx := range held {
			tx.Rollback()
		}
	}()
	for range db.read.Stats().MaxOpenConnections {
		tx, err := db.read.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		held = append(held, tx)
	}

	short, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	p, err := db.ReaderReviewsPage(short, "kept", film.ReaderReviewFilter{Sort: film.SortLowest, Limit: 10})
	if err != nil {
		t.Fatalf("with the read pool taken, a page the memos hold: %v", err)
	}
	if p.Film.Slug != "kept" || p.Reviews.Total != 3 || p.Reviews.Reviews[0].Rating != 3 || p.Ratings.Count != 3 {
		t.Errorf("from the memos the page shows %s, %d reviews (first rated %d), %d ratings; want kept, 3, 3, 3 (each review rates)",
			p.Film.Slug, p.Reviews.Total, p.Reviews.Reviews[0].Rating, p.Ratings.Count)
	}
	if _, err := db.FilmPage(short, film.FilmPageQuery{Slug: "kept", Now: now}); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("with the read pool taken the film page read gave %v, want it to wait for a connection until its deadline", err)
	}
}

// TestPageReadAgainWhenVersionMoves makes a commit land between a page
// read's first memo answer and its first query: the read runs again, in a
// transaction begun at once, so the page is one snapshot, and nothing
// read after the commit is kept under the version before it.
func TestPageReadAgainWhenVersionMoves(t *testing.T) {
	ctx := context.Background()
	db := mustOpenMigrated(t)
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	id, reader := mustFilmAndReader(t, db, "moved", now)
	// The memo holds the film's stats (no ratings) at this version.
	if _, err := db.ReaderReviewsPage(ctx, "moved", film.ReaderReviewFilter{Limit: 1}); err != nil {
		t.Fatal(err)
	}

	type seen struct {
		kept, current film.RatingStats
	}
	runs := 0
	got, err := readPage(ctx, db, func(q querier) (seen, error) {
		runs++
		var s seen
		var err error
		if s.kept, err = ratingStats(ctx, q, id); err != nil {
			return s, err
		}
		if runs == 1 {
			// A rating lands after the memo answered.
			if _, err := db.RateFilm(ctx, id, reader, 8, now); err != nil {
				return s, err
			}
		}
		s.current, err = scanRatingStats(q.QueryRowContext(ctx, ratingStatsQuery, id))
		return s, err
	})
	if err != nil {
		t.Fatal(err)
	}
	if runs != 2 {
		t.Errorf("the read ran %d times, want 2: once mixed, once in one snapshot", runs)
	}
	if got.kept != got.current || got.current.Count != 1 {
		t.Errorf("the page saw %d ratings from the memo and %d by SQL, want 1 and 1", got.kept.Count, got.current.Count)
	}
	p, err := db.ReaderReviewsPage(ctx, "moved", film.ReaderReviewFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if p.Ratings.Count != 1 || p.Ratings.Total != 8 {
		t.Errorf("after the read the reviews page shows %d ratings totalling %d, want 1 of 8", p.Ratings.Count, p.Ratings.Total)
	}
}

// TestSecondAskMemoRefusesWhatIsTooLarge: a value read whole at its
// second ask and found too large to keep is not asked to be read whole
// again at that version, while other keys and the next version are.
func TestSecondAskMemoRefusesWhatIsTooLarge(t *testing.T) {
	var m secondAskMemo[int64, []int]
	m.max = 100
	ask := func(version uint64, key int64) (found, keepNow bool) {
		_, found, asked := m.lookup(version, key)
		return found, asked == askedOnce
	}
	if found, keepNow := ask(1, 7); found || keepNow {
		t.Fatalf("first ask: found %v, read whole %v; want neither", found, keepNow)
	}
	if found, keepNow := ask(1, 7); found || !keepNow {
		t.Fatalf("second ask: found %v, read whole %v; want it read whole", found, keepNow)
	}
	m.refuse(1, 7)
	for i := range 3 {
		if _, found, asked := m.lookup(1, 7); found || asked != tooLarge {
			t.Errorf("ask %d after the refusal: found %v, answered %d; want tooLarge, paged with SQL", i+3, found, asked)
		}
	}
	ask(1, 8)
	if _, keepNow := ask(1, 8); !keepNow {
		t.Error("the refusal of one key stopped another being read whole")
	}
	m.refuse(0, 8) // an older version's refusal is not this version's
	if _, keepNow := ask(1, 8); !keepNow {
		t.Error("a refusal at an older version reached the current one")
	}
	ask(2, 7)
	if _, keepNow := ask(2, 7); !keepNow {
		t.Error("at a new version the key refused before is not read whole at its second ask")
	}
}

// TestTooManyReviewsToKeepAreReadWholeOnce gives a film more approved
// reviews than the memo keeps: its pages still match SQL's, and its
// reviews are read whole once at a version, not at every page.
func TestTooManyReviewsToKeepAreReadWholeOnce(t *testing.T) {
	ctx := context.Background()
	db := mustOpenMigrated(t)
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	id, _ := mustFilmAndReader(t, db, "crowded", now)
	if _, err := db.write.ExecContext(ctx, `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
		INSERT INTO reader_reviews (film_id, display_name, title, rating, body, spoilers, status, created_at, helpful_count)
		SELECT ?, 'R' || i, 'T' || i, 1 + i % 10, 'Body ' || i, i % 4 = 0, 'approved',
			strftime('%Y-%m-%dT%H:%M:%SZ', '2026-11-01', '+' || (i / 3) || ' minutes'), i % 7 FROM n`,
		maxMemoFilmReviews+1, id); err != nil {
		t.Fatal(err)
	}
	state := func() askState {
		db.reviews.mu.Lock()
		defer db.reviews.mu.Unlock()
		if db.reviews.version != db.DataVersion() {
			return 0
		}
		return db.reviews.asked[id]
	}
	filters := []film.ReaderReviewFilter{
		{Limit: 20}, {Limit: 20, Sort: film.SortHighest}, {Limit: 20, Offset: 40, Sort: film.SortHelpful, HideSpoilers: true},
		{Limit: 20, Offset: 4980, Sort: film.SortLowest},
	}
	for i, f := range filters {
		f.FilmID = id
		var byPage, bySQL film.ReaderReviewPage
		if err := db.inPageTx(ctx, func(tx querier) (err error) {
			byPage, err = readerReviews(ctx, tx, f)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if err := db.inReadTx(ctx, func(tx *sql.Tx) (err error) {
			bySQL, err = readerReviews(ctx, tx, f)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(bySQL, byPage); diff != "" {
			t.Errorf("page %d (%+v) differs from SQL's (-SQL +page):\n%s", i, f, diff)
		}
		if len(byPage.Reviews) != 20 || byPage.Total < maxMemoFilmReviews*3/4 {
			t.Errorf("page %d has %d of %d reviews, want 20 of thousands", i, len(byPage.Reviews), byPage.Total)
		}
		want := askedOnce
		if i > 0 {
			want = tooLarge
		}
		if got := state(); got != want {
			t.Errorf("after ask %d the memo's note of the film is %d, want %d", i+1, got, want)
		}
	}
}

// TestPageReadStopsAtTheStatementAfterItsClientLeaves: a page read's
// transaction does not watch its context (prepared.go says why), but each
// statement looks at it first, so a read whose context ends midway stops
// at its next statement, with the context's error, and gives its
// connection back.
func TestPageReadStopsAtTheStatementAfterItsClientLeaves(t *testing.T) {
	db := mustOpenMigrated(t)
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	id, _ := mustFilmAndReader(t, db, "left", now)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	statements := 0
	err := db.inPageTx(ctx, func(q querier) error {
		var slug string
		if err := q.QueryRowContext(ctx, "SELECT slug FROM films WHERE id = ?", id).Scan(&slug); err != nil {
			return err
		}
		statements++
		cancel()
		if err := q.QueryRowContext(ctx, "SELECT slug FROM films WHERE id = ?", id).Scan(&slug); err != nil {
			return err
		}
		statements++
		rows, err := q.QueryContext(ctx, "SELECT slug FROM films")
		if err != nil {
			return err
		}
		rows.Close()
		statements++
		return nil
	})
	db.stmts.inFlight.Wait() // statements are prepared on connections of their own
	if !errors.Is(err, context.Canceled) || statements != 1 {
		t.Errorf("the read ran %d statements and ended with %v; want 1, then context.Canceled", statements, err)
	}
	if inUse := db.read.Stats().InUse; inUse != 0 {
		t.Errorf("%d read connections still in use after the read ended", inUse)
	}
	// The pool still serves: the connection came back whole.
	if _, err := db.ReaderReviewsPage(context.Background(), "left", film.ReaderReviewFilter{Limit: 1}); err != nil {
		t.Errorf("a page read after the canceled one: %v", err)
	}
}

// TestOpenReadsAreKeptOnlyAtTheirVersion: a page read's transaction is
// kept open for the next page read while no commit has come since, taken
// over by it, let go by the next commit, and never kept after a failed
// read; a read after a commit sees it.
func TestOpenReadsAreKeptOnlyAtTheirVersion(t *testing.T) {
	ctx := context.Background()
	db := mustOpenMigrated(t)
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	id, reader := mustFilmAndReader(t, db, "kept-open", now)
	kept := func() []openRead {
		db.openReads.mu.Lock()
		defer db.openReads.mu.Unlock()
		return slices.Clone(db.openReads.reads)
	}
	ratings := func() int {
		t.Helper()
		p, err := db.FilmPage(ctx, film.FilmPageQuery{Slug: "kept-open", Now: now})
		if err != nil {
			t.Fatal(err)
		}
		return p.Ratings.Count
	}
	if n := ratings(); n != 0 {
		t.Fatalf("a new film has %d ratings", n)
	}
	first := kept()
	if len(first) != 1 || first[0].version != db.DataVersion() {
		t.Fatalf("after a page read %d reads are kept (%+v), want one at version %d", len(first), first, db.DataVersion())
	}
	var during []openRead
	if err := db.inPageTx(ctx, func(q querier) error {
		during = kept()
		_, err := ratingStats(ctx, q, id)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if after := kept(); len(during) != 0 || len(after) != 1 || after[0].tx != first[0].tx {
		t.Errorf("the next read did not take the kept one over: %d kept while it read, then %d, the same: %v",
			len(during), len(after), len(after) == 1 && after[0].tx == first[0].tx)
	}

	if _, err := db.RateFilm(ctx, id, reader, 7, now); err != nil {
		t.Fatal(err)
	}
	if n := len(kept()); n != 0 {
		t.Errorf("%d reads still kept after a commit", n)
	}
	if n := ratings(); n != 1 {
		t.Errorf("after the rating the page shows %d ratings, want 1", n)
	}
	if again := kept(); len(again) != 1 || again[0].tx == first[0].tx {
		t.Error("the read after the commit was not a new transaction, kept in turn")
	}

	db.openReads.drop()
	failed := errors.New("the page could not be read")
	if err := db.inPageTx(ctx, func(q querier) error {
		if _, err := ratingStats(ctx, q, id); err != nil {
			return err
		}
		return failed
	}); !errors.Is(err, failed) {
		t.Fatalf("a failing read returned %v", err)
	}
	if n := len(kept()); n != 0 {
		t.Errorf("a failed read's transaction was kept (%d kept)", n)
	}

	// However many read at once, no more are kept than openReads allows,
	// and each connection kept is one the pool holds for it.
	var wg sync.WaitGroup
	for range 3 * db.openReads.max {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := db.FilmPage(ctx, film.FilmPageQuery{Slug: "kept-open", Now: now}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	db.stmts.inFlight.Wait()
	if n, inUse := len(kept()), db.read.Stats().InUse; n > db.openReads.max || n != inUse {
		t.Errorf("%d reads kept (at most %d), %d connections in use", n, db.openReads.max, inUse)
	}
}

// TestKeptReadStaysTheSameSize reads a film page a few thousand times with
// no write between them, so every read takes over the same kept
// transaction: what a site nobody writes to does for hours. The memory it
// holds must not grow with the pages read (database/sql keeps each
// statement bound to a transaction by Tx.StmtContext until the
// transaction ends; a page read binds its statements once per
// transaction).
func TestKeptReadStaysTheSameSize(t *testing.T) {
	ctx := context.Background()
	db := mustOpenMigrated(t)
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	mustFilmAndReader(t, db, "read-often", now)
	const reads = 2000
	read := func(n int) {
		t.Helper()
		for range n {
			if _, err := db.FilmPage(ctx, film.FilmPageQuery{Slug: "read-often", Now: now}); err != nil {
				t.Fatal(err)
			}
		}
	}
	// The first reads prepare the statements (in the background), fill
	// the memos and the pools; from then on a read keeps nothing new.
	read(20)
	db.stmts.inFlight.Wait()
	read(reads)
	db.openReads.mu.Lock()
	kept := slices.Clone(db.openReads.reads)
	db.openReads.mu.Unlock()
	if len(kept) != 1 {
		t.Fatalf("%d reads kept, want 1", len(kept))
	}
	heap := func() uint64 {
		// Twice: a sync.Pool keeps what it held until the second.
		runtime.GC()
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	before := heap()
	read(reads)
	after := heap()
	db.openReads.mu.Lock()
	same := len(db.openReads.reads) == 1 && db.openReads.reads[0].tx == kept[0].tx
	db.openReads.mu.Unlock()
	if !same {
		t.Fatal("the reads did not all take over the one kept transaction")
	}
	// Binding a film page's statements anew at each read held about
	// 6 kB a read, until the transaction ended.
	if grown := int64(after) - int64(before); grown > 256*reads {
		t.Errorf("after %d reads of one kept transaction the heap grew by %d bytes (%d a read)", reads, grown, grown/reads)
	}
}
