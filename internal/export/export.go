// Package export writes the public site as static files that any file
// server, object store or CDN can serve as they are.
//
// It does not imitate the server: it asks the site's own http.Handler for
// every page, in process, exactly as a visitor's GET would, and writes the
// bytes it answers, so an exported page is byte for byte the page the
// server sends. It starts from the home page, robots.txt, the sitemap and
// the feeds, and follows every local link, asset, share card and sitemap
// entry it finds. It keeps only what the server says is the same for every
// visitor (Cache-Control "public"): forms with per-visitor tokens, the
// editors' desk and searches are not pages a file server can hold.
//
// # Layout
//
// A path whose last segment has a dot is written as it is
// ("/static/style.1a2b3c4d5e6f.css", "/robots.txt", "/films/paris-2008/feed.xml");
// any other path is a directory with an index.html ("/films/paris-2008" →
// films/paris-2008/index.html). A page with a query string (a sorted or
// paged list) is written under _query, named by its path and raw query:
// "/films?sort=rating" → _query/films/sort=rating.html. nginx serves that
// layout with:
//
//	location / { try_files $uri $uri/index.html /_query$uri/$args.html =404; }
//	types { application/atom+xml xml; } # or leave the default text/xml
package export

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"
)

// Options say what to export and where.
type Options struct {
	// Out is the directory the site is written into; it must be empty or
	// not exist yet.
	Out string
	// Base is the site's public address: links written absolute against it
	// (canonical links, sitemaps, feeds) are followed like local ones.
	Base *url.URL
	// Start are the paths to begin from; nil means the home page,
	// robots.txt, the sitemap and the site's feed.
	Start []string
	// Skip reports paths not to ask for at all (the editors' desk, form
	// endpoints, searches).
	Skip func(p string) bool
	// Progress, when set, receives a line now and then and a summary.
	Progress io.Writer
	// Later reports paths to export after everything else, timed apart:
	// images drawn per request (share cards) cost far more than a page,
	// and a reader of the figures wants to see the two separately.
	Later func(p string) bool
}

// Stats say what an export wrote.
type Stats struct {
	Pages    int // files written in the first pass: pages, feeds, assets
	Bytes    int64
	Skipped  int // answers not written: not 200, or not the same for everyone
	Duration time.Duration
	// Later and LaterDuration count the files of the second pass (see
	// Options.Later) and its time.
	Later         int
	LaterDuration time.Duration
}

// PagesPerSecond is the speed of the first pass.
func (s Stats) PagesPerSecond() float64 {
	if s.Duration <= 0 {
		return 0
	}
	return float64(s.Pages) / s.Duration.Seconds()
}

// Export asks h for every page reachable from the start and writes each to
// opts.Out, a few pages at a time (as many as there are cores, twice over,
// since a page is partly rendering and partly writing).
func Export(ctx context.Context, h http.Handler, opts Options) (Stats, error) {
	start := time.Now()
	if err := emptyDir(opts.Out); err != nil {
		return Stats{}, err
	}
	first := opts.Start
	if first == nil {
		first = []string{"/", "/robots.txt", "/sitemap.xml", "/feed.xml"}
	}
	c := &crawl{opts: opts, handler: h, seen: map[string]bool{}, known: map[string]bool{}, start: start, lastReport: start, prefix: sitePrefix(opts.Base)}
	c.cond = sync.NewCond(&c.mu)
	c.add(first...)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	c.run(ctx, cancel)
	c.stats.Duration = time.Since(start)
	if opts.Progress != nil && c.err == nil && ctx.Err() == nil {
		// Said at once: the second pass may take longer than the first.
		fmt.Fprintf(opts.Progress, "%d pages (%.1f MB) in %.1fs: %.0f pages/s\n",
			c.stats.Pages, float64(c.stats.Bytes)/1e6, c.stats.Duration.Seconds(), c.stats.PagesPerSecond())
	}
	if c.err == nil && len(c.later) > 0 {
		// The second pass: what was set aside, now all known.
		c.mu.Lock()
		c.queue, c.later, c.inLater, c.laterStart = c.later, nil, true, time.Now()
		c.mu.Unlock()
		c.run(ctx, cancel)
		c.stats.LaterDuration = time.Since(c.laterStart)
	}
	if c.err == nil {
		c.err = ctx.Err()
	}
	if opts.Progress != nil && c.err == nil && c.stats.Later > 0 {
		fmt.Fprintf(opts.Progress, "then %d images in %.1fs: %.0f images/s\n",
			c.stats.Later, c.stats.LaterDuration.Seconds(), float64(c.stats.Later)/c.stats.LaterDuration.Seconds())
	}
	return c.stats, c.err
}

// run exports the queue, and what it leads to, with a few workers.
func (c *crawl) run(ctx context.Context, cancel func()) {
	var wg sync.WaitGroup
	for range 2 * runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				target, ok := c.next()
				if !ok {
					return
				}
				if err := c.export(ctx, target); err != nil {
					c.fail(err)
					cancel()
				}
				c.done()
			}
		}()
	}
	wg.Wait()
}

// crawl is the state of one export: the paths seen, the queue, and the
// counts, shared by its workers.
type crawl struct {
	opts    Options
	handler http.Handler
	// prefix is how links written absolute against opts.Base begin.
	prefix string

	mu      sync.Mutex
	cond    *sync.Cond
	queue   []string
	later   []string // set aside for the second pass
	inLater bool     // the second pass is running
	// dirs are the directories made so far, so each is made once.
	dirs sync.Map
	// known are the texts of links followed already that lead to the
	// same path from every page (follow).
	linksMu    sync.RWMutex
	known      map[string]bool
	seen       map[string]bool
	busy       int
	stats      Stats
	err        error
	start      time.Time
	laterStart time.Time // when the second pass began
	lastReport time.Time
}

// add queues the paths not seen yet nor to be skipped; the caller need
// not hold the lock.
func (c *crawl) add(paths ...string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, p := range paths {
		if c.seen[p] {
			continue
		}
		c.seen[p] = true
		bare, _, _ := strings.Cut(p, "?")
		if c.opts.Skip != nil && c.opts.Skip(bare) {
			continue
		}
		if !c.inLater && c.opts.Later != nil && c.opts.Later(bare) {
			c.later = append(c.later, p)
			continue
		}
		c.queue = append(c.queue, p)
		c.cond.Signal()
	}
}

// next takes a path to export, waiting while others may still add some;
// it reports false when the crawl is over.
func (c *crawl) next() (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for len(c.queue) == 0 && c.busy > 0 && c.err == nil {
		c.cond.Wait()
	}
	if len(c.queue) == 0 || c.err != nil {
		c.cond.Broadcast()
		return "", false
	}
	p := c.queue[len(c.queue)-1]
	c.queue = c.queue[:len(c.queue)-1]
	c.busy++
	return p, true
}

func (c *crawl) done() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.busy--
	c.cond.Broadcast()
	if c.opts.Progress != nil && time.Since(c.lastReport) >= 2*time.Second {
		c.lastReport = time.Now()
		written, since, what := c.stats.Pages, c.start, "pages"
		if c.inLater {
			written, since, what = c.stats.Later, c.laterStart, "images"
		}
		fmt.Fprintf(c.opts.Progress, "%d %s written, %d queued, %.0f %s/s\n",
			written, what, len(c.queue), float64(written)/time.Since(since).Seconds(), what)
	}
}

func (c *crawl) fail(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err == nil {
		c.err = err
	}
	c.cond.Broadcast()
}

// export asks for one path, writes it if it is the same for everyone, and
// queues what it links to.
func (c *crawl) export(ctx context.Context, target string) error {
	req, err := request(ctx, target)
	if err != nil {
		return err
	}
	w := newResponse()
	defer w.free()
	c.handler.ServeHTTP(w, req)
	body := w.body.Bytes()
	if w.status != http.StatusOK || !strings.Contains(w.header.Get("Cache-Control"), "public") {
		c.mu.Lock()
		c.stats.Skipped++
		c.mu.Unlock()
		return nil
	}
	file, err := filePath(c.opts.Out, target)
	if err != nil {
		return err
	}
	if err := c.makeDir(filepath.Dir(file)); err != nil {
		return err
	}
	if err := os.WriteFile(file, body, 0o644); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	c.mu.Lock()
	if c.inLater {
		c.stats.Later++
	} else {
		c.stats.Pages++
	}
	c.stats.Bytes += int64(len(body))
	c.mu.Unlock()
	c.follow(target, w.header.Get("Content-Type"), body)
	return nil
}

// follow queues the paths the page at target links to. Most of a page's
// links were on pages before it (the site's navigation, the films of a
// list, the other orders of a list): a link that leads to the same path
// from any page is resolved once and then known by its text, which is
// looked up without copying it out of the page.
func (c *crawl) follow(target, contentType string, body []byte) {
	type found struct{ raw, link string }
	var fresh []found
	c.linksMu.RLock()
	eachLink(contentType, body, func(raw []byte, escaped bool) {
		if !c.known[string(raw)] {
			r := string(raw)
			fresh = append(fresh, found{r, linkText(r, escaped)})
		}
	})
	c.linksMu.RUnlock()
	if len(fresh) == 0 {
		return
	}
	paths := make([]string, 0, len(fresh))
	known := fresh[:0]
	for _, f := range fresh {
		if p, ok := localPath(f.link, target, c.opts.Base, c.prefix); ok {
			paths = append(paths, p)
		}
		if sameFromEveryPage(f.link) {
			known = append(known, f)
		}
	}
	c.linksMu.Lock()
	for _, f := range known {
		c.known[f.raw] = true
	}
	c.linksMu.Unlock()
	c.add(paths...)
}

// sameFromEveryPage reports whether link leads to the same place whatever
// page it is on: an absolute path, or an address with a scheme.
func sameFromEveryPage(link string) bool {
	if strings.HasPrefix(link, "/") {
		return true
	}
	// A scheme: a letter, then letters, digits, '+', '-' or '.', then ':'.
	for i := 0; i < len(link); i++ {
		switch c := link[i]; {
		case isASCIILetter(c):
		case i > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'):
		case i > 0 && c == ':':
			return true
		default:
			return false
		}
	}
	return false
}

// request is the GET a visitor sends for target (a path with an optional
// query): the request httptest.NewRequest makes, built without writing and
// parsing a request line and its buffer, which cost about as much as
// finding the page's links.
func request(ctx context.Context, target string) (*http.Request, error) {
	u, err := url.ParseRequestURI(target)
	if err != nil {
		return nil, fmt.Errorf("export %s: %w", target, err)
	}
	req := &http.Request{Method: http.MethodGet, URL: u, RequestURI: target, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: http.Header{}, Body: http.NoBody, Host: "example.com", RemoteAddr: "192.0.2.1:1234"}
	return req.WithContext(ctx), nil
}

// response is the http.ResponseWriter a page is asked with: a visitor that
// keeps what it is sent. Its buffer is reused, since every page needs one
// about as large as the last.
type response struct {
	header      http.Header
	status      int
	wroteHeader bool
	body        *bytes.Buffer
}

var buffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func newResponse() *response {
	b := buffers.Get().(*bytes.Buffer)
	b.Reset()
	return &response{header: http.Header{}, status: http.StatusOK, body: b}
}

// free gives the buffer back; the response is not used after.
func (w *response) free() {
	buffers.Put(w.body)
	w.body = nil
}

func (w *response) Header() http.Header { return w.header }

func (w *response) WriteHeader(status int) {
	if !w.wroteHeader {
		w.status, w.wroteHeader = status, true
	}
}

// Write keeps p. A body written with no Content-Type gets the one a real
// server would sniff, as httptest.ResponseRecorder does.
func (w *response) Write(p []byte) (int, error) {
	if !w.wroteHeader {
		if _, ok := w.header["Content-Type"]; !ok && w.header.Get("Transfer-Encoding") == "" {
			w.header.Set("Content-Type", http.DetectContentType(p))
		}
		w.WriteHeader(http.StatusOK)
	}
	return w.body.Write(p)
}

// FilePath is where the export writes the page at target (a path with an
// optional query), relative to the export's directory, with slashes.
func FilePath(target string) string {
	p, query, _ := strings.Cut(target, "?")
	if query != "" {
		return path.Join("_query", p, query+".html")
	}
	if strings.Contains(path.Base(p), ".") {
		return strings.TrimPrefix(p, "/")
	}
	return path.Join(strings.TrimPrefix(p, "/"), "index.html")
}

// filePath is FilePath inside out, refusing anything that would land
// outside it.
func filePath(out, target string) (string, error) {
	rel := FilePath(target)
	if !filepath.IsLocal(filepath.FromSlash(rel)) {
		return "", fmt.Errorf("export %s: not a path inside the export", target)
	}
	return filepath.Join(out, filepath.FromSlash(rel)), nil
}

// emptyDir makes dir, or checks that it is empty, so an export never mixes
// with older files.
func emptyDir(dir string) error {
	if dir == "" {
		return errors.New("export: no output directory")
	}
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return os.MkdirAll(dir, 0o755)
	}
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if len(entries) > 0 {
		return fmt.Errorf("export: %s is not empty; export into a new or empty directory", dir)
	}
	return nil
}

// makeDir makes dir, once: most directories are new and their parent
// made already, so it tries that first, one system call.
func (c *crawl) makeDir(dir string) error {
	if _, ok := c.dirs.Load(dir); ok {
		return nil
	}
	err := os.Mkdir(dir, 0o755)
	if errors.Is(err, fs.ErrNotExist) {
		err = os.MkdirAll(dir, 0o755)
	}
	if err != nil && !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("export: %w", err)
	}
	c.dirs.Store(dir, true)
	return nil
}
