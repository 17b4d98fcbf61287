package web

import (
	"fmt"
	"net/http"
	"strings"
)

// serveMetrics writes the page cache's counters in the Prometheus text
// exposition format, so an operator can see hits, misses and evictions.
func (s *Server) serveMetrics(w http.ResponseWriter, r *http.Request) {
	st := s.pages.stats()
	var b strings.Builder
	counter := func(name, help string, v uint64) {
		fmt.Fprintf(&b, "# HELP %s %s\n# TYPE %s counter\n%s %d\n", name, help, name, name, v)
	}
	gauge := func(name, help string, v int64) {
		fmt.Fprintf(&b, "# HELP %s %s\n# TYPE %s gauge\n%s %d\n", name, help, name, name, v)
	}
	counter("marquee_page_cache_hits_total", "Requests answered from the page cache.", st.Hits)
	counter("marquee_page_cache_misses_total", "Requests for pages that could be shared that were rendered and stored.", st.Misses)
	counter("marquee_page_cache_bypasses_total", "Requests the page cache passed on: writes, readers with a cookie, the desk, and answers that may not be shared.", st.Bypasses)
	counter("marquee_page_cache_stores_total", "Pages stored in the page cache.", st.Stores)
	counter("marquee_page_cache_evictions_total", "Pages dropped to stay within the cache's size.", st.Evictions)
	gauge("marquee_page_cache_entries", "Pages in the page cache.", int64(st.Entries))
	gauge("marquee_page_cache_bytes", "Bytes the page cache holds.", st.Bytes)
	gauge("marquee_page_cache_max_bytes", "The page cache's bound in bytes.", st.MaxBytes)
	gauge("marquee_store_data_version", "The store's data version; it changes with every write.", int64(s.db.DataVersion()))
	h := w.Header()
	h.Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	if r.Method != http.MethodHead {
		_, _ = w.Write([]byte(b.String()))
	}
}
