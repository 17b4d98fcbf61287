package web

import (
	"fmt"
	"sync"
	"time"

	"marquee/internal/film"
)

// facetCacheTTL is how long filtered facet counts are reused. Counting
// them walks every selected film, which on a large catalogue costs more
// than the page itself; a reader paging through a list, or changing its
// order, sees the same counts, and counts a minute old are fine.
const facetCacheTTL = time.Minute

// facetCacheSize bounds the cache; past it the cache starts afresh.
const facetCacheSize = 1024

// facetCache holds filtered facet counts by filter.
type facetCache struct {
	mu      sync.Mutex
	entries map[string]facetCacheEntry
}

type facetCacheEntry struct {
	facets  map[string][]film.Facet
	expires time.Time
}

// facetKey identifies the films a filter selects, whatever their order or
// page.
func facetKey(f film.FilmFilter) string {
	return fmt.Sprintf("%d|%d|%q|%q|%q|%q", f.Year, f.Decade, f.Country, f.Language, f.Genre, f.Director)
}

func (c *facetCache) get(key string, now time.Time) (map[string][]film.Facet, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok || now.After(e.expires) {
		return nil, false
	}
	return e.facets, true
}

func (c *facetCache) put(key string, facets map[string][]film.Facet, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil || len(c.entries) >= facetCacheSize {
		c.entries = map[string]facetCacheEntry{}
	}
	c.entries[key] = facetCacheEntry{facets: facets, expires: now.Add(facetCacheTTL)}
}
