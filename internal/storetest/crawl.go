package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"marquee/internal/catalog"
	"marquee/internal/film"
	"marquee/seeds"
)

// sitemapKey names a sitemap entry's page, for comparing lists.
func sitemapKey(e film.SitemapEntry) string {
	if e.Kind == film.SitemapYear {
		return fmt.Sprintf("%s %d", e.Kind, e.Year)
	}
	return string(e.Kind) + " " + e.Slug
}

// mustSitemap reads the whole sitemap at the time given and checks what
// holds of every one: the total counts the entries, the kinds come in
// film.SitemapKinds order, no page is listed twice, and no entry is newer
// than the newest, which the home page and the film index carry.
func mustSitemap(t *testing.T, s film.Store, at time.Time) (film.SitemapPage, map[string]film.SitemapEntry) {
	t.Helper()
	page, err := s.SitemapEntries(context.Background(), at, 0, 1_000_000)
	if err != nil {
		t.Fatal(err)
	}
	if page.Total != len(page.Entries) {
		t.Errorf("sitemap total %d, but %d entries", page.Total, len(page.Entries))
	}
	byKey := map[string]film.SitemapEntry{}
	rank := -1
	for _, e := range page.Entries {
		key := sitemapKey(e)
		if _, dup := byKey[key]; dup {
			t.Errorf("sitemap lists %s twice", key)
		}
		byKey[key] = e
		r := slices.Index(film.SitemapKinds, e.Kind)
		if r < rank {
			t.Errorf("sitemap lists %s after a later kind", key)
		}
		rank = r
		if e.LastMod.After(page.Newest) {
			t.Errorf("%s changed at %v, after the newest change %v", key, e.LastMod, page.Newest)
		}
		if (e.Kind == film.SitemapHome || e.Kind == film.SitemapFilmIndex) && !e.LastMod.Equal(page.Newest) {
			t.Errorf("%s changed at %v, not at the newest change %v", key, e.LastMod, page.Newest)
		}
	}
	return page, byKey
}

// testSitemap checks that the sitemap lists every public page of the
// seeded site and nothing else, that its stretches add up to the whole,
// and that each page's change time follows the writes that change what
// it shows, at the times those writes give.
func testSitemap(t *testing.T, s film.Store) {
	mustSeed(t, s)
	ctx := context.Background()
	doc, err := catalog.DecodeFS(seeds.FS)
	if err != nil {
		t.Fatal(err)
	}
	paris, err := s.FindFilm(ctx, "paris-2008")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"home ", "film_index ", "film paris-2008", "film_reviews paris-2008", "year 2008", "critic_review paris-2008-review"}
	for _, p := range doc.Catalog.People {
		want = append(want, "person "+p.Slug)
	}
	for _, c := range paris.Companies {
		if !slices.Contains(want, "company "+c.Slug) {
			want = append(want, "company "+c.Slug)
		}
	}
	// Seeded records were written at the time of the import, by the
	// clock; everything below happens after.
	start := time.Now().UTC().Truncate(time.Second).Add(time.Hour)
	page, entries := mustSitemap(t, s, start)
	got := make([]string, 0, len(entries))
	for key, e := range entries {
		got = append(got, key)
		if e.LastMod.IsZero() || e.LastMod.After(start) {
			t.Errorf("%s changed at %v: want a time of the seeded data", key, e.LastMod)
		}
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("sitemap of the seeded site:\n got %q\nwant %q", got, want)
	}
	if want := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC); !entries["critic_review paris-2008-review"].LastMod.After(want.Add(-time.Second)) {
		t.Errorf("the seeded review changed at %v, before its publication %v", entries["critic_review paris-2008-review"].LastMod, want)
	}

	// Stretches of any length, from any offset, add up to the whole.
	var walked []film.SitemapEntry
	for offset := 0; ; offset += 5 {
		part, err := s.SitemapEntries(ctx, start, offset, 5)
		if err != nil {
			t.Fatal(err)
		}
		if part.Total != page.Total || !part.Newest.Equal(page.Newest) || len(part.Entries) > 5 {
			t.Fatalf("stretch from %d: total %d, newest %v, %d entries; want %d, %v, at most 5",
				offset, part.Total, part.Newest, len(part.Entries), page.Total, page.Newest)
		}
		if len(part.Entries) == 0 {
			break
		}
		walked = append(walked, part.Entries...)
	}
	if !slices.Equal(walked, page.Entries) {
		t.Errorf("stretches of 5 give\n%v\nthe whole sitemap is\n%v", walked, page.Entries)
	}

	ed := mustUser(t, s, "ed@example.com", film.RoleEditor)
	before := entries

	// A person's record changes their page and the pages of the films
	// they are credited on, not the pages of their films' companies.
	renamed := start.Add(time.Hour)
	duris, err := s.FindPersonForEdit(ctx, "romain-duris")
	if err != nil {
		t.Fatal(err)
	}
	duris.AlsoKnownAs = append(duris.AlsoKnownAs, "R. Duris")
	if err := s.UpdatePerson(ctx, "romain-duris", duris, ed, renamed); err != nil {
		t.Fatal(err)
	}
	page, entries = mustSitemap(t, s, renamed)
	for _, key := range []string{"person romain-duris", "film paris-2008", "home "} {
		if !entries[key].LastMod.Equal(renamed) {
			t.Errorf("after a change to Romain Duris at %v, %s changed at %v", renamed, key, entries[key].LastMod)
		}
	}
	for _, key := range []string{"person cedric-klapisch", "company " + paris.Companies[0].Slug, "year 2008", "film_reviews paris-2008", "critic_review paris-2008-review"} {
		if !entries[key].LastMod.Equal(before[key].LastMod) {
			t.Errorf("a change to Romain Duris moved %s from %v to %v", key, before[key].LastMod, entries[key].LastMod)
		}
	}
	if !page.Newest.Equal(renamed) {
		t.Errorf("newest change %v, want %v", page.Newest, renamed)
	}

	// A reader review changes the film and its reviews when it is
	// approved, not when it is written.
	written, approved := renamed.Add(time.Hour), renamed.Add(2*time.Hour)
	id, err := s.CreateReaderReview(ctx, film.ReaderReview{FilmSlug: "paris-2008", DisplayName: "Maud", Title: "Lingers",
		Rating: 8, Body: "It lingers.", Status: film.ModerationPending, CreatedAt: written}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, entries = mustSitemap(t, s, written); !entries["film paris-2008"].LastMod.Equal(renamed) {
		t.Errorf("a pending review moved the film's change time to %v", entries["film paris-2008"].LastMod)
	}
	if _, err := s.ModerateReaderReviews(ctx, []int64{id}, film.ModerationApproved, ed.ID, approved); err != nil {
		t.Fatal(err)
	}
	_, entries = mustSitemap(t, s, approved)
	for _, key := range []string{"film paris-2008", "film_reviews paris-2008"} {
		if !entries[key].LastMod.Equal(approved) {
			t.Errorf("after an approval at %v, %s changed at %v", approved, key, entries[key].LastMod)
		}
	}
	// Taken down again, it changes them again.
	rejected := approved.Add(time.Hour)
	if _, err := s.ModerateReaderReviews(ctx, []int64{id}, film.ModerationRejected, ed.ID, rejected); err != nil {
		t.Fatal(err)
	}
	if _, entries = mustSitemap(t, s, rejected); !entries["film_reviews paris-2008"].LastMod.Equal(rejected) {
		t.Errorf("after a review was taken down at %v, the film's reviews changed at %v", rejected, entries["film_reviews paris-2008"].LastMod)
	}

	// A scheduled critic review is listed from its time, which is when it
	// changes its film's page and the pages of the film's people; a draft
	// never is.
	scheduled := rejected.Add(time.Hour)
	due := scheduled.Add(24 * time.Hour)
	for _, r := range []film.CriticReview{
		{Slug: "paris-later", Status: film.ReviewScheduled, PublishedAt: due},
		{Slug: "paris-draft", Status: film.ReviewDraft},
	} {
		r.FilmSlug, r.Headline, r.Author, r.Body = "paris-2008", "Later", "Ed", "Still there."
		if _, err := s.CreateCriticReview(ctx, r, ed, scheduled); err != nil {
			t.Fatal(err)
		}
	}
	beforeDue, entries := mustSitemap(t, s, due.Add(-time.Second))
	if _, listed := entries["critic_review paris-later"]; listed || beforeDue.Total != len(want) {
		t.Errorf("before its time, a scheduled review is listed (%v), or the total moved to %d from %d", listed, beforeDue.Total, len(want))
	}
	atDue, entries := mustSitemap(t, s, due)
	if atDue.Total != len(want)+1 {
		t.Errorf("at a scheduled review's time the sitemap holds %d entries, want %d", atDue.Total, len(want)+1)
	}
	for _, key := range []string{"critic_review paris-later", "film paris-2008", "person cedric-klapisch", "home "} {
		if !entries[key].LastMod.Equal(due) {
			t.Errorf("at a review's publication %v, %s changed at %v", due, key, entries[key].LastMod)
		}
	}
	if _, listed := entries["critic_review paris-draft"]; listed {
		t.Error("a draft is in the sitemap")
	}

	// Past the end there is nothing, and the size stays.
	past, err := s.SitemapEntries(ctx, due, atDue.Total, 10)
	if err != nil || len(past.Entries) != 0 || past.Total != atDue.Total {
		t.Errorf("past the end: %d entries of %d, %v", len(past.Entries), past.Total, err)
	}
}

// testFeeds checks the review feeds: public critic reviews only, newest
// first, scheduled ones from their time, a film's approved reader reviews
// with the time they were approved, and the limits.
func testFeeds(t *testing.T, s film.Store) {
	mustSeed(t, s)
	ctx := context.Background()
	ed := mustUser(t, s, "ed@example.com", film.RoleEditor)
	due := now.Add(48 * time.Hour)
	for _, r := range []film.CriticReview{
		{Slug: "hour-ago", Status: film.ReviewPublished, PublishedAt: now.Add(-time.Hour)},
		{Slug: "two-hours-ago", Status: film.ReviewPublished, PublishedAt: now.Add(-2 * time.Hour)},
		{Slug: "due", Status: film.ReviewScheduled, PublishedAt: due},
		{Slug: "draft", Status: film.ReviewDraft},
		{Slug: "in-review", Status: film.ReviewInReview},
	} {
		r.FilmSlug, r.Headline, r.Author, r.Body = "paris-2008", "Review "+r.Slug, "Ed", "Words."
		if _, err := s.CreateCriticReview(ctx, r, ed, now.Add(-3*time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	slugs := func(reviews []film.ReviewedFilm) []string {
		var out []string
		for _, rf := range reviews {
			out = append(out, rf.Review.Slug)
			if rf.Film.Slug != "paris-2008" || rf.Film.Title != "Paris" {
				t.Errorf("review %s comes with film %+v", rf.Review.Slug, rf.Film)
			}
		}
		return out
	}
	for _, c := range []struct {
		at    time.Time
		limit int
		want  []string
	}{
		{now, 10, []string{"hour-ago", "two-hours-ago", "paris-2008-review"}},
		{now, 2, []string{"hour-ago", "two-hours-ago"}},
		{due.Add(-time.Second), 10, []string{"hour-ago", "two-hours-ago", "paris-2008-review"}},
		{due, 10, []string{"due", "hour-ago", "two-hours-ago", "paris-2008-review"}},
	} {
		feed, err := s.ReviewFeed(ctx, c.at, c.limit)
		if err != nil {
			t.Fatal(err)
		}
		if got := slugs(feed); !slices.Equal(got, c.want) {
			t.Errorf("review feed at %v, %d long: %q, want %q", c.at, c.limit, got, c.want)
		}
	}

	// A film's feed: its public critic reviews and approved reader
	// reviews, newest first.
	id, err := s.CreateReaderReview(ctx, film.ReaderReview{FilmSlug: "paris-2008", DisplayName: "Maud", Title: "Lingers",
		Rating: 8, Body: "It lingers.", Status: film.ModerationPending, CreatedAt: now}, 0)
	if err != nil {
		t.Fatal(err)
	}
	feed, err := s.FilmFeed(ctx, "paris-2008", now, 10)
	if err != nil {
		t.Fatal(err)
	}
	var critics []string
	for _, r := range feed.CriticReviews {
		critics = append(critics, r.Slug)
	}
	if feed.Film.Slug != "paris-2008" || feed.UpdatedAt.IsZero() ||
		!slices.Equal(critics, []string{"hour-ago", "two-hours-ago", "paris-2008-review"}) {
		t.Errorf("film feed = %+v, critic reviews %q", feed.Film, critics)
	}
	if len(feed.ReaderReviews) != 1 || feed.ReaderReviews[0].Review.Title == "Lingers" {
		t.Fatalf("film feed's reader reviews = %+v, want the seeded one only", feed.ReaderReviews)
	}
	if seeded := feed.ReaderReviews[0]; !seeded.ApprovedAt.Equal(seeded.Review.CreatedAt) {
		t.Errorf("a review stored approved was approved at %v, not when written (%v)", seeded.ApprovedAt, seeded.Review.CreatedAt)
	}
	approved := now.Add(time.Hour)
	if _, err := s.ModerateReaderReviews(ctx, []int64{id}, film.ModerationApproved, ed.ID, approved); err != nil {
		t.Fatal(err)
	}
	if feed, err = s.FilmFeed(ctx, "paris-2008", due, 1); err != nil {
		t.Fatal(err)
	}
	if len(feed.CriticReviews) != 1 || feed.CriticReviews[0].Slug != "due" {
		t.Errorf("film feed at a scheduled review's time, one of each: critic reviews %+v", feed.CriticReviews)
	}
	if len(feed.ReaderReviews) != 1 || feed.ReaderReviews[0].Review.ID != id || !feed.ReaderReviews[0].ApprovedAt.Equal(approved) {
		t.Errorf("film feed's newest reader review = %+v, want review %d approved at %v", feed.ReaderReviews, id, approved)
	}
	if _, err := s.FilmFeed(ctx, "nope", now, 10); !errors.Is(err, film.ErrNotFound) {
		t.Errorf("feed of a film that does not exist: %v, want film.ErrNotFound", err)
	}
}
