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
