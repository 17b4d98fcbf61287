package web

import (
	"fmt"
	"sync"

	"marquee/internal/film"
)

// Facet counts are reused while the store's data is unchanged. Counting
// filtered ones walks every selected film, which on a large catalogue
// costs more than the page itself (the unfiltered ones are a read of the
// kept counts, a statement per kind), and a reader paging through a list,
// or changing its order, asks for the same counts. They are kept by the data
// version they were counted at, so, like the page cache, they are never
// older than the data.

// facetCacheSize bounds the cache; past it the cache starts afresh.
const facetCacheSize = 1024

// facetCache holds facet counts by filter.
type facetCache struct {
	mu      sync.Mutex
	entries map[string]facetCacheEntry
}

type facetCacheEntry struct {
	facets  map[string][]film.Facet
	version uint64
}

// facetKey identifies the films a filter selects, whatever their order or
// page.
func facetKey(f film.FilmFilter) string {
	return fmt.Sprintf("%d|%d|%q|%q|%q|%q", f.Year, f.Decade, f.Country, f.Language, f.Genre, f.Director)
}

// get returns the counts kept for key at the store's data version.
func (c *facetCache) get(key string, version uint64) (map[string][]film.Facet, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok || e.version != version {
		return nil, false
	}
	return e.facets, true
}

// put keeps counts made at version, which the caller read before it read
// the counts, so a write in between leaves them unused.
func (c *facetCache) put(key string, version uint64, facets map[string][]film.Facet) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil || len(c.entries) >= facetCacheSize {
		c.entries = map[string]facetCacheEntry{}
	}
	c.entries[key] = facetCacheEntry{facets: facets, version: version}
}
