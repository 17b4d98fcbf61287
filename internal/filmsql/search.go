package filmsql

import "marquee/internal/film"

// SearchKinds is how many kinds of document the search index numbers: a
// document's number is its source row's id times SearchKinds plus its
// kind, so a hit is traced back to its row by primary key (SQLite's FTS5
// rowids, PostgreSQL's search_documents.doc).
const SearchKinds = 8

// The kinds of document, as numbered in the index.
const (
	DocFilm         = 1
	DocPerson       = 2
	DocCharacter    = 3
	DocLocation     = 4
	DocCriticReview = 5
	DocReaderReview = 6
	DocSoundtrack   = 7
)

// SearchTotal is the number of hits a search reports, given each tier's
// count: their sum, at most film.MaxSearchResults.
func SearchTotal(counts []int) int {
	total := 0
	for _, n := range counts {
		total += n
	}
	return min(total, film.MaxSearchResults)
}

// PageTiers reads the page of search hits from offset, at most limit of
// them, across tiers of results with counts (and total, SearchTotal of
// them): the page may span tiers, so it skips whole tiers before its
// offset, then asks read for hits tier by tier (the tier's place in
// counts, how many, from where in the tier) until the page is full; read
// says how many it got.
func PageTiers(counts []int, total, offset, limit int, read func(tier, limit, offset int) (int, error)) error {
	offset = max(offset, 0)
	want := min(limit, total-offset)
	for i, n := range counts {
		if want <= 0 {
			break
		}
		if offset >= n {
			offset -= n
			continue
		}
		got, err := read(i, min(want, n-offset), offset)
		if err != nil {
			return err
		}
		want -= got
		offset = 0
	}
	return nil
}

// HitSummaries are the summaries of the films among hits, which a store
// gives their posters.
func HitSummaries(hits []film.SearchHit) []*film.Summary {
	var sums []*film.Summary
	for i := range hits {
		if hits[i].Film.ID != 0 {
			sums = append(sums, &hits[i].Film)
		}
	}
	return sums
}
