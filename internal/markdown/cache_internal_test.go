package markdown

import (
	"strings"
	"testing"
)

// TestRenderCacheStaysWithinItsBound fills a small cache past its bound:
// the least recently used entries go, a used one stays, what it counts is
// what it holds, and an entry too large to be worth keeping is not kept.
func TestRenderCacheStaysWithinItsBound(t *testing.T) {
	c := newRenderCache(8 << 10)
	src := func(i int) string { return strings.Repeat(string(rune('a'+i%26)), 100+i) }
	c.put(renderKey{dialectReader, src(0)}, HTML{"<p>first</p>"})
	for i := 1; i < 100; i++ {
		c.put(renderKey{dialectReader, src(i)}, HTML{"<p>" + src(i) + "</p>"})
		if _, ok := c.get(renderKey{dialectReader, src(0)}); !ok {
			t.Fatalf("the entry used after each put was dropped at put %d", i)
		}
	}
	if _, ok := c.get(renderKey{dialectReader, src(1)}); ok {
		t.Error("the least recently used entry is still kept")
	}
	if _, ok := c.get(renderKey{dialectCritic, src(0)}); ok {
		t.Error("a source is found in a dialect it was not rendered in")
	}
	held := 0
	for e := c.lru.Front(); e != nil; e = e.Next() {
		held += e.Value.(*renderEntry).size()
	}
	if held != c.bytes || c.bytes > c.maxBytes || len(c.entries) != c.lru.Len() {
		t.Errorf("the cache counts %d bytes and holds %d (bound %d); %d keys, %d entries", c.bytes, held, c.maxBytes, len(c.entries), c.lru.Len())
	}
	huge := strings.Repeat("x", c.maxBytes/8)
	c.put(renderKey{dialectReader, huge}, HTML{huge})
	if _, ok := c.get(renderKey{dialectReader, huge}); ok {
		t.Error("an entry an eighth of the bound was kept")
	}
}
