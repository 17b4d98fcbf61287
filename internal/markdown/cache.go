package markdown

import (
	"container/list"
	"sync"
)

// renderCache keeps rendered reviews by their dialect and source, so a
// review is converted once however many pages show it, and again only
// when its text (or, with a new build, the renderer) changes. It is
// bounded by the bytes of markup and source it holds, dropping the least
// recently used.
//
// The key is the source itself, not a digest of it: the string is the
// one the page's review already holds, so keeping it costs no copy, and a
// lookup hashes it once where a digest cost a SHA-256 and a copy of the
// text for every review on every page.
type renderCache struct {
	mu       sync.Mutex
	maxBytes int
	bytes    int
	entries  map[renderKey]*list.Element
	lru      *list.List
}

// renderKey names a source in a dialect.
type renderKey struct {
	dialect byte
	src     string
}

type renderEntry struct {
	key  renderKey
	html HTML
}

// size is what an entry counts against the bound: its markup, its source
// and about what the map and list spend on it.
func (e *renderEntry) size() int { return len(e.html.html) + len(e.key.src) + 64 }

func newRenderCache(maxBytes int) *renderCache {
	return &renderCache{maxBytes: maxBytes, entries: map[renderKey]*list.Element{}, lru: list.New()}
}

func (c *renderCache) get(key renderKey) (HTML, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok {
		return HTML{}, false
	}
	c.lru.MoveToFront(e)
	return e.Value.(*renderEntry).html, true
}

func (c *renderCache) put(key renderKey, h HTML) {
	entry := &renderEntry{key: key, html: h}
	size := entry.size()
	if size > c.maxBytes/8 {
		return // A review this large is not worth keeping.
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.entries[key]; ok {
		return
	}
	c.entries[key] = c.lru.PushFront(entry)
	c.bytes += size
	for c.bytes > c.maxBytes {
		old := c.lru.Back()
		dropped := old.Value.(*renderEntry)
		c.lru.Remove(old)
		delete(c.entries, dropped.key)
		c.bytes -= dropped.size()
	}
}
