package filmsql

import (
	"fmt"
	"strconv"
	"time"

	"marquee/internal/film"
)

// SitemapRead is one kind of listed sitemap entry a stretch of the
// sitemap covers: the kind's place in the stores' list of kinds, and the
// rows of it to read.
type SitemapRead struct {
	List          int
	Offset, Limit int
}

// SitemapStretch places the stretch of the sitemap from offset, at most
// limit entries, given how many entries each listed kind has (counts, in
// the stores' order of kinds): the sitemap's total, the entries that are
// always there (the home page and the film index, both as new as newest)
// that it covers, and the rows of each listed kind to read.
func SitemapStretch(counts []int, offset, limit int, newest time.Time) (total int, fixed []film.SitemapEntry, reads []SitemapRead) {
	offset, limit = max(0, offset), max(0, limit)
	total = 2
	for _, n := range counts {
		total += n
	}
	end := offset + min(limit, total) // Past the end at most, and never overflowing.
	for i, kind := range []film.SitemapKind{film.SitemapHome, film.SitemapFilmIndex} {
		if offset <= i && i < end {
			fixed = append(fixed, film.SitemapEntry{Kind: kind, LastMod: newest})
		}
	}
	start := 2
	for i, n := range counts {
		from, to := max(offset, start)-start, min(end, start+n)-start
		start += n
		if from < to {
			reads = append(reads, SitemapRead{List: i, Offset: from, Limit: to - from})
		}
	}
	return total, fixed, reads
}

// SitemapEntry is the entry of kind whose key a sitemap statement read: a
// year for the year pages, a slug otherwise.
func SitemapEntry(kind film.SitemapKind, key string, lastMod time.Time) (film.SitemapEntry, error) {
	e := film.SitemapEntry{Kind: kind, LastMod: lastMod}
	if kind != film.SitemapYear {
		e.Slug = key
		return e, nil
	}
	var err error
	if e.Year, err = strconv.Atoi(key); err != nil {
		return e, fmt.Errorf("year %q: %w", key, err)
	}
	return e, nil
}

// PublicCriticReviews is the condition that critic review r is public at
// the time its parameter gives.
const PublicCriticReviews = `r.status IN ('published', 'scheduled') AND r.published_at <= ?`

// SitemapCountsQuery counts the entries of each listed kind of the
// sitemap, in the order of SitemapLists; its argument is the time.
const SitemapCountsQuery = `SELECT
	(SELECT count(*) FROM films),
	(SELECT count(*) FROM films f
		WHERE EXISTS (SELECT 1 FROM reader_reviews r WHERE r.film_id = f.id AND r.status = 'approved')),
	(SELECT count(*) FROM people),
	(SELECT count(*) FROM companies c WHERE EXISTS (SELECT 1 FROM film_companies fc WHERE fc.company_id = c.id)),
	(SELECT count(*) FROM facet_counts WHERE kind = 'year' AND films > 0),
	(SELECT count(*) FROM critic_reviews r WHERE ` + PublicCriticReviews + `)`

// SitemapQueries are a store's statements that list a stretch of each
// kind of sitemap entry, written with ? placeholders: each gives the
// entry's key (a slug, or a year) and its change time, in the kind's
// order. Those of films, people and critic reviews take the time first;
// the limit and the offset follow.
type SitemapQueries struct {
	Films, FilmReviews, People, Companies, Years, CriticReviews string
}

// SitemapList is one kind of sitemap entry the database lists: the
// statement that lists a stretch of it, in a store's dialect, and whether
// it takes the time before the limit and the offset.
type SitemapList struct {
	Kind    film.SitemapKind
	Query   string
	WithNow bool
}

// SitemapLists are the kinds read from tables, in sitemap order (which
// SitemapCountsQuery counts in too), with q's statements in d's dialect.
// The home page and the film index, always there, come before them. A
// store calls it once, when it starts.
func SitemapLists(d Dialect, q SitemapQueries) []SitemapList {
	return []SitemapList{
		{film.SitemapFilm, d.Bind(q.Films), true},
		{film.SitemapFilmReviews, d.Bind(q.FilmReviews), false},
		{film.SitemapPerson, d.Bind(q.People), true},
		{film.SitemapCompany, d.Bind(q.Companies), false},
		{film.SitemapYear, d.Bind(q.Years), false},
		{film.SitemapCriticReview, d.Bind(q.CriticReviews), true},
	}
}
