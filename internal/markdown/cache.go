package markdown

import (
	"container/list"
	"crypto/sha256"
	"sync"
)

// renderCache keeps rendered reviews by the hash of their dialect and
// source, so a review is converted once however many pages show it, and
// again only when its text (or, with a new build, the renderer) changes.
// It is bounded by the bytes of markup it holds, dropping the least
// recently used.
type renderCache struct {
	mu       sync.Mutex
	maxBytes int
	bytes    int
	entries  map[[sha256.Size]byte]*list.Element
	lru      *list.List
}

type renderEntry struct {
	key  [sha256.Size]byte
	html HTML
}

func newRenderCache(maxBytes int) *renderCache {
	return &renderCache{maxBytes: maxBytes, entries: map[[sha256.Size]byte]*list.Element{}, lru: list.New()}
}

// cacheKey names src in a dialect.
func cacheKey(dialect byte, src string) [sha256.Size]byte {
	h := sha256.New()
	h.Write([]byte{dialect})
	h.Write([]byte(src))
	var k [sha256.Size]byte
	h.Sum(k[:0])
	return k
}

func (c *renderCache) get(key [sha256.Size]byte) (HTML, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok {
		return HTML{}, false
	}
	c.lru.MoveToFront(e)
	return e.Value.(*renderEntry).html, true
}

func (c *renderCache) put(key [sha256.Size]byte, h HTML) {
	size := len(h.html) + sha256.Size
	if size > c.maxBytes/8 {
		return // A review this large is not worth keeping.
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.entries[key]; ok {
		return
	}
	c.entries[key] = c.lru.PushFront(&renderEntry{key: key, html: h})
	c.bytes += size
	for c.bytes > c.maxBytes {
		old := c.lru.Back()
		entry := old.Value.(*renderEntry)
		c.lru.Remove(old)
		delete(c.entries, entry.key)
		c.bytes -= len(entry.html.html) + sha256.Size
	}
}
