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
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"golang.org/x/net/html"
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
	c := &crawl{opts: opts, handler: h, seen: map[string]bool{}, start: start, lastReport: start}
	c.cond = sync.NewCond(&c.mu)
	for _, p := range first {
		c.add(p)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	c.run(ctx, cancel)
	c.stats.Duration = time.Since(start)
	if c.err == nil && len(c.later) > 0 {
		// The second pass: what was set aside, now all known.
		laterStart := time.Now()
		c.mu.Lock()
		c.queue, c.later, c.inLater = c.later, nil, true
		c.mu.Unlock()
		c.run(ctx, cancel)
		c.stats.LaterDuration = time.Since(laterStart)
	}
	if c.err == nil {
		c.err = ctx.Err()
	}
	if opts.Progress != nil && c.err == nil {
		fmt.Fprintf(opts.Progress, "%d pages (%.1f MB) in %.1fs: %.0f pages/s\n",
			c.stats.Pages, float64(c.stats.Bytes)/1e6, c.stats.Duration.Seconds(), c.stats.PagesPerSecond())
		if c.stats.Later > 0 {
			fmt.Fprintf(opts.Progress, "then %d images in %.1fs: %.0f images/s\n",
				c.stats.Later, c.stats.LaterDuration.Seconds(), float64(c.stats.Later)/c.stats.LaterDuration.Seconds())
		}
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

	mu      sync.Mutex
	cond    *sync.Cond
	queue   []string
	later   []string // set aside for the second pass
	inLater bool     // the second pass is running
	// dirs are the directories made so far, so each is made once.
	dirs       sync.Map
	seen       map[string]bool
	busy       int
	stats      Stats
	err        error
	start      time.Time
	lastReport time.Time
}

// add queues p unless it was seen or is to be skipped; the caller need not
// hold the lock.
func (c *crawl) add(p string) {
	if c.opts.Skip != nil && c.opts.Skip(strings.SplitN(p, "?", 2)[0]) {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.seen[p] {
		return
	}
	c.seen[p] = true
	if !c.inLater && c.opts.Later != nil && c.opts.Later(strings.SplitN(p, "?", 2)[0]) {
		c.later = append(c.later, p)
		return
	}
	c.queue = append(c.queue, p)
	c.cond.Signal()
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
		fmt.Fprintf(c.opts.Progress, "%d pages written, %d queued, %.0f pages/s\n",
			c.stats.Pages, len(c.queue), float64(c.stats.Pages)/time.Since(c.start).Seconds())
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
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, target, nil).WithContext(ctx)
	c.handler.ServeHTTP(rec, req)
	resp := rec.Result()
	body := rec.Body.Bytes()
	if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Cache-Control"), "public") {
		c.mu.Lock()
		c.stats.Skipped++
		c.mu.Unlock()
		return nil
	}
	file, err := filePath(c.opts.Out, target)
	if err != nil {
		return err
	}
	if dir := filepath.Dir(file); !c.madeDir(dir) {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("export: %w", err)
		}
		c.dirs.Store(dir, true)
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
	for _, link := range links(resp.Header.Get("Content-Type"), body) {
		if p, ok := localPath(link, target, c.opts.Base); ok {
			c.add(p)
		}
	}
	return nil
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

// localPath turns a link found on the page at from into a path (with its
// query) on this site, or reports that it leads elsewhere.
func localPath(link, from string, base *url.URL) (string, bool) {
	u, err := url.Parse(strings.TrimSpace(link))
	if err != nil || u.Opaque != "" {
		return "", false
	}
	if u.IsAbs() || u.Host != "" {
		if base == nil || !strings.EqualFold(u.Host, base.Host) || (u.Scheme != "" && u.Scheme != base.Scheme) {
			return "", false
		}
		u.Scheme, u.Host = "", ""
		if bp := strings.TrimSuffix(base.Path, "/"); bp != "" {
			rest, ok := strings.CutPrefix(u.Path, bp)
			if !ok {
				return "", false
			}
			u.Path = rest
		}
	}
	if u.Path == "" && u.RawQuery == "" {
		return "", false // A fragment on the same page.
	}
	ref, err := url.Parse(from)
	if err != nil {
		return "", false
	}
	resolved := ref.ResolveReference(&url.URL{Path: u.Path, RawPath: u.RawPath, RawQuery: u.RawQuery})
	if !strings.HasPrefix(resolved.Path, "/") {
		return "", false
	}
	p := resolved.EscapedPath()
	if resolved.RawQuery != "" {
		p += "?" + resolved.RawQuery
	}
	return p, true
}

// links returns the addresses a response refers to: in HTML, every href,
// src and srcset, and the share images in meta tags; in XML (sitemaps,
// feeds), every loc and every link's href.
func links(contentType string, body []byte) []string {
	ct, _, _ := strings.Cut(contentType, ";")
	switch strings.TrimSpace(ct) {
	case "text/html":
		return htmlLinks(body)
	case "application/xml", "text/xml", "application/atom+xml":
		return xmlLinks(body)
	case "text/plain":
		return robotsLinks(body)
	}
	return nil
}

func htmlLinks(body []byte) []string {
	var out []string
	z := html.NewTokenizer(bytes.NewReader(body))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return out
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		name, hasAttr := z.TagName()
		tag := string(name)
		var property, content string
		for hasAttr {
			var k, v []byte
			k, v, hasAttr = z.TagAttr()
			switch key := string(k); {
			case key == "href" && (tag == "a" || tag == "link" || tag == "area"):
				out = append(out, string(v))
			case key == "src" && (tag == "img" || tag == "script" || tag == "source"):
				out = append(out, string(v))
			case key == "srcset":
				for _, candidate := range strings.Split(string(v), ",") {
					if f := strings.Fields(candidate); len(f) > 0 {
						out = append(out, f[0])
					}
				}
			case tag == "meta" && (key == "property" || key == "name"):
				property = string(v)
			case tag == "meta" && key == "content":
				content = string(v)
			}
		}
		if tag == "meta" && (property == "og:image" || property == "twitter:image" || property == "og:url") {
			out = append(out, content)
		}
	}
}

func xmlLinks(body []byte) []string {
	var out []string
	d := xml.NewDecoder(bytes.NewReader(body))
	for {
		tok, err := d.Token()
		if err != nil {
			return out
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch se.Name.Local {
		case "loc":
			var s string
			if d.DecodeElement(&s, &se) == nil {
				out = append(out, s)
			}
		case "link":
			for _, a := range se.Attr {
				if a.Name.Local == "href" {
					out = append(out, a.Value)
				}
			}
		}
	}
}

// robotsLinks finds the sitemap robots.txt names.
func robotsLinks(body []byte) []string {
	var out []string
	for _, line := range strings.Split(string(body), "\n") {
		key, value, ok := strings.Cut(line, ":")
		if ok && strings.EqualFold(strings.TrimSpace(key), "sitemap") {
			out = append(out, strings.TrimSpace(value))
		}
	}
	return out
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

// madeDir reports whether the export has made dir already.
func (c *crawl) madeDir(dir string) bool {
	_, ok := c.dirs.Load(dir)
	return ok
}
