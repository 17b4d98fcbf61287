package web

import (
	"bytes"
	"compress/gzip"
	"container/list"
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"marquee/internal/film"
)

// The page cache keeps the finished bytes of anonymous pages, plain and
// gzip-compressed once, with their ETag and the time those bytes were first
// served (Last-Modified). It sits in front of the router, so a hit costs a
// map lookup and a write: no routing, no store, no render, no compression.
//
// It is exact rather than timed. Every entry records the epoch it was
// rendered in, and an epoch ends when the store's DataVersion moves, so the
// next request after any write (a rating, an approval,
// an editor's save, an import) renders afresh; and the whole cache turns
// over at the store's NextChange, the moment a scheduled review goes live
// or a rating leaves the trending window. Pages that differ per reader are
// never stored: requests carrying a reader or session cookie bypass it, and
// only responses that say they may be shared (Cache-Control: public, no
// Set-Cookie) are kept.
//
// The same bytes are what a shared cache or CDN keeps for a short while
// (s-maxage), and what the static export writes.
type pageCache struct {
	store    film.Store
	now      func() time.Time
	log      *slog.Logger
	maxBytes int64

	mu      sync.RWMutex
	entries map[string]*list.Element
	lru     *list.List // front: most recently used
	bytes   int64
	// An epoch is a stretch of time in which every stored page is current:
	// it ends when the store's data version moves on from epochVersion or
	// the clock reaches deadline (NextChange at the epoch's start). Pages
	// are stored with the epoch they were rendered in and served only in
	// it.
	epoch        uint64
	epochVersion uint64
	deadline     time.Time
	flights      map[string]chan struct{}

	hits, misses, bypasses, evictions, stores atomic.Uint64
}

// cachedPage is one stored response, with the headers of each way it is
// sent made ready when it is stored, so a hit only copies them.
type cachedPage struct {
	key      string
	epoch    uint64
	status   int
	header   http.Header
	body     []byte
	gzipBody []byte
	etag     string
	modified time.Time
	// plain, gzipped and notModified are the complete headers of a plain
	// answer, a compressed one and a 304.
	plain, gzipped, notModified http.Header
	// wire holds each answer as the hit server writes it (see
	// hitserver.go), indexed by answerKind.
	wire [3]pageWire
	// used marks a page served since the eviction sweep last passed it
	// (a second chance), so a hit need not take the write lock to keep
	// the least recently used order.
	used atomic.Bool
}

// prepare makes the ready headers of p.
func (p *cachedPage) prepare() {
	base := http.Header{}
	setSecurityHeaders(base)
	for k, v := range p.header {
		base[k] = v
	}
	base["Last-Modified"] = []string{p.modified.Format(http.TimeFormat)}
	p.notModified = base.Clone()
	delete(p.notModified, "Content-Type")
	p.plain = base.Clone()
	p.plain["Content-Length"] = []string{strconv.Itoa(len(p.body))}
	if p.gzipBody != nil {
		p.plain["Vary"] = append(p.plain["Vary"], "Accept-Encoding")
		p.notModified["Vary"] = p.plain["Vary"]
		p.gzipped = base.Clone()
		p.gzipped["Vary"] = p.plain["Vary"]
		p.gzipped["Content-Encoding"] = []string{"gzip"}
		p.gzipped["Content-Length"] = []string{strconv.Itoa(len(p.gzipBody))}
	}
	p.wire[answerPlain] = newPageWire(p.status, p.plain, p.body)
	p.wire[answerNotModified] = newPageWire(http.StatusNotModified, p.notModified, nil)
	if p.gzipBody != nil {
		p.wire[answerGzip] = newPageWire(p.status, p.gzipped, p.gzipBody)
	}
}

func (p *cachedPage) size() int64 {
	n := len(p.key) + len(p.body) + len(p.gzipBody) + 512
	for _, w := range p.wire {
		n += len(w.header)
	}
	return int64(n)
}

// answerKind is one of the ways a stored page answers a request.
type answerKind int

const (
	answerPlain answerKind = iota
	answerGzip
	answerNotModified
)

// answer chooses how p answers a request from its If-None-Match,
// If-Modified-Since and Accept-Encoding values (the first of each, empty
// when absent). Both the page cache and the hit server decide with it.
func (p *cachedPage) answer(ifNoneMatch, ifModifiedSince, acceptEncoding string) answerKind {
	if notModified(ifNoneMatch, ifModifiedSince, p.etag, p.modified) {
		return answerNotModified
	}
	if p.gzipBody != nil && acceptsGzip(acceptEncoding) {
		return answerGzip
	}
	return answerPlain
}

func newPageCache(store film.Store, now func() time.Time, log *slog.Logger, maxBytes int64) *pageCache {
	return &pageCache{
		store: store, now: now, log: log, maxBytes: maxBytes,
		entries: map[string]*list.Element{}, lru: list.New(), flights: map[string]chan struct{}{},
	}
}

// sharedCacheControl is what a page the same for every anonymous reader
// says to caches: a browser revalidates it each time (its ETag makes that
// a 304), and a shared cache or CDN may keep it for a minute. A handler
// opts in with sharePage; anything else is never stored.
const sharedCacheControl = "public, max-age=0, s-maxage=60"

// sharePage marks the response as the same for every anonymous reader,
// unless the handler has already said otherwise.
func sharePage(w http.ResponseWriter) {
	if w.Header().Get("Cache-Control") == "" {
		w.Header().Set("Cache-Control", sharedCacheControl)
	}
	w.Header().Set("Vary", "Cookie")
}

// cacheable says whether r may be answered from, or stored in, the cache:
// a GET or HEAD from a client the site does not know.
func cacheable(r *http.Request) bool {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return false
	}
	for _, line := range r.Header["Cookie"] {
		if !anonymousCookies(line) {
			return false
		}
	}
	return true
}

// anonymousCookies says whether a Cookie header line names neither the
// reader cookie nor the session cookie. It reads names as net/http does
// (parts split on semicolons, names trimmed) but does not look at values:
// a known name with a value net/http would refuse still counts as a
// reader, which only sends the request past the cache. The cache and the
// hit server both ask it.
func anonymousCookies(line string) bool {
	for len(line) > 0 {
		var part string
		part, line, _ = strings.Cut(line, ";")
		name, _, _ := strings.Cut(part, "=")
		name = strings.Trim(name, " \t\r\n")
		if name == readerCookie || name == sessionCookie {
			return false
		}
	}
	return true
}

// cacheKey is the page a request asks for: its path and query as sent.
func cacheKey(r *http.Request) string {
	if r.URL.RawQuery == "" {
		return r.URL.Path
	}
	return r.URL.Path + "?" + r.URL.RawQuery
}

// Wrap returns next with the cache in front.
func (c *pageCache) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if c.maxBytes <= 0 || !cacheable(r) {
			c.bypasses.Add(1)
			next.ServeHTTP(w, r)
			return
		}
		key := cacheKey(r)
		for {
			if p := c.lookup(key); p != nil {
				c.hits.Add(1)
				if c.log.Enabled(r.Context(), slog.LevelDebug) {
					c.log.LogAttrs(r.Context(), slog.LevelDebug, "request", slog.String("path", key), slog.Bool("cached", true))
				}
				c.serve(w, r, p)
				return
			}
			// One render per page at a time: others asking for it wait and
			// take its result.
			c.mu.Lock()
			wait, busy := c.flights[key]
			if !busy {
				c.flights[key] = make(chan struct{})
			}
			c.mu.Unlock()
			if !busy {
				break
			}
			select {
			case <-wait:
			case <-r.Context().Done():
				return
			}
		}
		defer func() {
			c.mu.Lock()
			close(c.flights[key])
			delete(c.flights, key)
			c.mu.Unlock()
		}()
		epoch, err := c.turnOver(r.Context())
		if err != nil {
			// Without knowing when pages change, store nothing.
			c.log.LogAttrs(r.Context(), slog.LevelWarn, "page cache: next change unknown", slog.String("error", err.Error()))
			next.ServeHTTP(w, r)
			return
		}
		// Render the whole page, whatever the request's conditions, so
		// the cache holds its bytes; the conditions are answered below.
		inner := r.Clone(r.Context())
		inner.Method = http.MethodGet
		inner.Header.Del("If-None-Match")
		inner.Header.Del("If-Modified-Since")
		rec := newRecorder()
		next.ServeHTTP(rec, inner)
		p := c.store1(key, epoch, rec)
		if p == nil {
			// A page that may not be shared, an error or a redirect: sent
			// as rendered, with the request's conditions, which the render
			// did not see, answered from its own validators.
			c.bypasses.Add(1)
			if r.Method == http.MethodHead {
				rec.body.Reset()
			}
			if rec.status == http.StatusOK && rec.answersNotModified(r) {
				rec.status = http.StatusNotModified
				rec.body.Reset()
				rec.header.Del("Content-Length")
				rec.header.Del("Content-Type")
			}
			rec.copyTo(w)
			return
		}
		c.misses.Add(1)
		c.serve(w, r, p)
	})
}

// turnOver starts a new epoch when the store's data version has moved or
// the deadline has passed, and returns the epoch a page rendered now
// belongs to. The version is read before anything the page reads, so a
// write that lands during the render ends the epoch and the page with it.
func (c *pageCache) turnOver(ctx context.Context) (uint64, error) {
	version := c.store.DataVersion()
	now := c.now()
	c.mu.Lock()
	current := version == c.epochVersion && (c.deadline.IsZero() || now.Before(c.deadline))
	epoch := c.epoch
	c.mu.Unlock()
	if current {
		return epoch, nil
	}
	next, err := c.store.NextChange(ctx, now)
	if err != nil {
		return 0, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.epochVersion != version || c.epoch == epoch {
		c.epoch++
		c.epochVersion, c.deadline = version, next
	}
	return c.epoch, nil
}

// lookup returns the current entry for key, or nil.
func (c *pageCache) lookup(key string) *cachedPage {
	version := c.store.DataVersion()
	now := c.now()
	c.mu.RLock()
	defer c.mu.RUnlock()
	if version != c.epochVersion || (!c.deadline.IsZero() && !now.Before(c.deadline)) {
		return nil
	}
	e, ok := c.entries[key]
	if !ok {
		return nil
	}
	p := e.Value.(*cachedPage)
	if p.epoch != c.epoch {
		return nil
	}
	if !p.used.Load() {
		p.used.Store(true)
	}
	return p
}

// store1 keeps a recorded response if it may be shared, and returns it as
// an entry; it returns nil for a response that must not be kept.
func (c *pageCache) store1(key string, epoch uint64, rec *recorder) *cachedPage {
	h := rec.header
	if rec.status != http.StatusOK || h.Get("Set-Cookie") != "" || h.Get("ETag") == "" ||
		!strings.Contains(h.Get("Cache-Control"), "public") {
		return nil
	}
	p := &cachedPage{key: key, epoch: epoch, status: rec.status, header: h.Clone(), body: rec.body.Bytes(), etag: h.Get("ETag")}
	p.header.Del("Content-Length")
	p.modified = c.now().UTC().Truncate(time.Second)
	if t, err := http.ParseTime(h.Get("Last-Modified")); err == nil {
		// The handler knows when its data changed (a feed, a sitemap).
		p.modified = t
	}
	if compressible(h.Get("Content-Type")) && len(p.body) > 512 {
		p.gzipBody = gzipBytes(p.body)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.entries[key]; ok {
		prev := old.Value.(*cachedPage)
		if prev.etag == p.etag && h.Get("Last-Modified") == "" {
			// The same bytes as before: they have not changed since then.
			p.modified = prev.modified
		}
		c.remove(old)
	}
	// Its headers are made before anyone else can see it.
	p.prepare()
	if p.size() > c.maxBytes/4 {
		return p // Too large to keep; serve it once.
	}
	c.entries[key] = c.lru.PushFront(p)
	c.bytes += p.size()
	c.stores.Add(1)
	for c.bytes > c.maxBytes {
		last := c.lru.Back()
		if lp := last.Value.(*cachedPage); lp.used.Load() && lp != p {
			// Served since the sweep last came by: a second chance.
			lp.used.Store(false)
			c.lru.MoveToFront(last)
			continue
		}
		c.remove(last)
		c.evictions.Add(1)
	}
	return p
}

func (c *pageCache) remove(e *list.Element) {
	p := e.Value.(*cachedPage)
	c.lru.Remove(e)
	delete(c.entries, p.key)
	c.bytes -= p.size()
}

// serve writes a stored page, answering the request's conditions and
// choosing the compressed bytes when the client takes them.
func (c *pageCache) serve(w http.ResponseWriter, r *http.Request, p *cachedPage) {
	h := w.Header()
	body, ready := p.body, p.plain
	switch p.answer(r.Header.Get("If-None-Match"), r.Header.Get("If-Modified-Since"), r.Header.Get("Accept-Encoding")) {
	case answerNotModified:
		copyHeader(h, p.notModified)
		w.WriteHeader(http.StatusNotModified)
		return
	case answerGzip:
		body, ready = p.gzipBody, p.gzipped
	}
	copyHeader(h, ready)
	w.WriteHeader(p.status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body) // The client has gone if this fails.
	}
}

// copyHeader puts a stored page's ready headers on a response. The slices
// are shared, never changed: nothing after the cache writes to them.
func copyHeader(dst, src http.Header) {
	for k, v := range src {
		dst[k] = v
	}
}

// notModified answers a conditional request from its If-None-Match and
// If-Modified-Since values: If-None-Match decides when present, else
// If-Modified-Since.
func notModified(ifNoneMatch, ifModifiedSince, etag string, modified time.Time) bool {
	if ifNoneMatch != "" {
		return matchesETag(ifNoneMatch, etag)
	}
	if ifModifiedSince != "" {
		t, err := http.ParseTime(ifModifiedSince)
		return err == nil && !modified.After(t)
	}
	return false
}

// acceptsGzip reports whether a client sending this Accept-Encoding takes
// gzip (and has not refused it with q=0).
func acceptsGzip(ae string) bool {
	if !strings.Contains(ae, "gzip") {
		return false
	}
	if !strings.Contains(ae, "q=") {
		return true // Named, and not weighed: taken.
	}
	for _, part := range strings.Split(ae, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(name), "gzip") {
			q := strings.TrimSpace(params)
			return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
		}
	}
	return false
}

// compressible says whether a content type is text worth compressing.
func compressible(contentType string) bool {
	ct, _, _ := strings.Cut(contentType, ";")
	switch strings.TrimSpace(ct) {
	case "text/html", "text/css", "text/plain", "text/javascript", "application/javascript",
		"application/json", "application/xml", "text/xml", "application/atom+xml", "image/svg+xml":
		return true
	}
	return false
}

// gzipWriters reuses compressors, which are large to allocate.
var gzipWriters = sync.Pool{New: func() any { w, _ := gzip.NewWriterLevel(nil, gzip.BestCompression); return w }}

// gzipBytes compresses b once, at the best level: it is paid once per
// version of a page and saved on every request for it.
func gzipBytes(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzipWriters.Get().(*gzip.Writer)
	zw.Reset(&buf)
	_, _ = zw.Write(b) // Writing to a bytes.Buffer does not fail.
	_ = zw.Close()
	gzipWriters.Put(zw)
	return buf.Bytes()
}

// recorder captures a response so the cache can keep it.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func newRecorder() *recorder { return &recorder{header: http.Header{}} }

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(b)
}

// answersNotModified reports whether a request's conditions match the
// recorded response's ETag or Last-Modified.
func (r *recorder) answersNotModified(req *http.Request) bool {
	etag := r.header.Get("ETag")
	modified, err := http.ParseTime(r.header.Get("Last-Modified"))
	if err != nil {
		modified = time.Time{}
	}
	inm, ims := req.Header.Get("If-None-Match"), req.Header.Get("If-Modified-Since")
	if inm != "" {
		return etag != "" && notModified(inm, ims, etag, modified)
	}
	return !modified.IsZero() && notModified(inm, ims, etag, modified)
}

// copyTo writes the recorded response to w as it was.
func (r *recorder) copyTo(w http.ResponseWriter) {
	for k, v := range r.header {
		w.Header()[k] = v
	}
	if r.status == 0 {
		r.status = http.StatusOK
	}
	w.WriteHeader(r.status)
	_, _ = w.Write(r.body.Bytes())
}

// cacheStats are the cache's counters, for /metrics.
type cacheStats struct {
	Hits, Misses, Bypasses, Evictions, Stores uint64
	Entries                                   int
	Bytes, MaxBytes                           int64
}

func (c *pageCache) stats() cacheStats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return cacheStats{
		Hits: c.hits.Load(), Misses: c.misses.Load(), Bypasses: c.bypasses.Load(), Evictions: c.evictions.Load(),
		Stores: c.stores.Load(), Entries: len(c.entries), Bytes: c.bytes, MaxBytes: c.maxBytes,
	}
}
