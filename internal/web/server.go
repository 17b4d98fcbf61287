// Package web is Marquee's HTTP layer: the routes, the middleware, and the
// handlers that load records from the store, build view-models and render
// them through the templates.
//
// Every page is rendered into a buffer before anything is written, so a
// failed render becomes an error page rather than half a page sent with
// status 200, and so the finished bytes can be hashed for an ETag (and, in
// time, cached or compressed once) apart from the rendering itself.
package web

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"

	"github.com/a-h/templ"

	"marquee/internal/film"
	"marquee/internal/markdown"
	"marquee/internal/paths"
	"marquee/templates"
)

// Server serves the Marquee site.
type Server struct {
	db         film.Store
	log        *slog.Logger
	markdown   *markdown.Renderer
	assets     *assets
	now        func() time.Time
	trustProxy bool
	// base is the site's public address, which canonical links, share
	// previews and structured data are written against.
	base    *url.URL
	limits  Limits
	formKey []byte

	// facets caches the film index's filtered facet counts.
	facets facetCache
	// renderBuffers are the buffers pages are rendered into, reused: a
	// page is tens of kilobytes, and a new buffer grown to that size for
	// every page was allocated, zeroed and copied on every render.
	renderBuffers sync.Pool

	reviewLimiter *rateLimiter
	ratingLimiter *rateLimiter
	voteLimiter   *rateLimiter
	// stuffing holds the per-address budgets and fresh-cookie bursts of
	// the defence against rating and vote stuffing (see ratelimit.go).
	stuffing *stuffingGuard

	// export is set when the site renders its static form.
	export *ExportConfig
	// pages keeps the rendered bytes of anonymous pages (see pagecache.go).
	pages *pageCache

	// signIn throttles sign-in attempts and bounds password hashing.
	signIn *signInGuard

	// cards keeps drawn share cards (see cards.go).
	cards *cardCache

	// proxyWarning logs the untrusted-proxy warning once (see detectProxy).
	proxyWarning sync.Once

	// zone is the site's time zone, in which the desk shows times and
	// reads scheduled publication times.
	zone *time.Location
}

// Limits are the spam defences on what readers submit.
type Limits struct {
	// Reviews per client within ReviewWindow.
	Reviews      int
	ReviewWindow time.Duration
	// Ratings per client within RatingWindow.
	Ratings      int
	RatingWindow time.Duration
	// Helpful votes per client within VoteWindow.
	Votes      int
	VoteWindow time.Duration
	// MinFillTime is the least time a person takes to write a review;
	// faster submissions are treated as a bot's.
	MinFillTime time.Duration
	// MaxLinks is the most links a reader review may hold.
	MaxLinks int
}

// DefaultLimits are limits that do not get in a person's way.
var DefaultLimits = Limits{
	Reviews: 3, ReviewWindow: 10 * time.Minute,
	Ratings: 30, RatingWindow: time.Minute,
	Votes: 60, VoteWindow: 10 * time.Minute,
	MinFillTime: 3 * time.Second,
	MaxLinks:    2,
}

// Config is what a Server needs.
type Config struct {
	// DB is the store the site reads and writes, any backend that keeps
	// the film.Store contract.
	DB     film.Store
	Logger *slog.Logger
	// Static holds the files served under /static/ (see package static).
	Static fs.FS
	// Now tells the time; tests set it, and nil means time.Now.
	Now func() time.Time
	// TrustProxy says the site runs behind a reverse proxy that sets
	// X-Forwarded-For and X-Forwarded-Proto; only then are they believed.
	TrustProxy bool
	// BaseURL is the site's public address (scheme, host and port, as
	// ParseBaseURL accepts it), against which canonical links, share
	// previews and structured data give absolute URLs; nil means
	// DefaultBaseURL. It is configured rather than read from requests, so
	// a forged Host header cannot change what a page says its address is.
	BaseURL *url.URL
	// Export, when set, renders the site's static form (see ExportConfig).
	Export *ExportConfig
	// PageCacheBytes bounds the page cache: the rendered, compressed bytes
	// of anonymous pages kept in memory; 0 turns it off.
	PageCacheBytes int64
	// Limits are the spam defences; the zero value means DefaultLimits.
	Limits Limits
	// SignIn bounds sign-in attempts and password hashing; zero fields
	// take DefaultSignInLimits.
	SignIn SignInLimits
	// TimeZone is the site's time zone: the editors' desk shows times in
	// it and reads the times it schedules reviews for in it. Nil means UTC.
	TimeZone *time.Location
}

// New builds a Server, hashing the static files once and loading (or, on
// a new database, making) the key that signs form tokens.
func New(ctx context.Context, cfg Config) (*Server, error) {
	a, err := loadAssets(cfg.Static)
	if err != nil {
		return nil, err
	}
	formKey, err := cfg.DB.Secret(ctx, "form_key", func() ([]byte, error) {
		key := make([]byte, 32)
		_, err := rand.Read(key)
		return key, err
	})
	if err != nil {
		return nil, err
	}
	limits := cfg.Limits
	if limits == (Limits{}) {
		limits = DefaultLimits
	}
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	logger := cfg.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	base := cfg.BaseURL
	if base == nil {
		if base, err = ParseBaseURL(DefaultBaseURL); err != nil {
			return nil, err
		}
	} else if _, err := ParseBaseURL(base.String()); err != nil {
		return nil, err
	}
	srv := &Server{
		db: cfg.DB, log: logger, markdown: markdown.New(), assets: a, now: now,
		trustProxy: cfg.TrustProxy, base: base, limits: limits, formKey: formKey,
		reviewLimiter: newRateLimiter(limits.Reviews, limits.ReviewWindow),
		ratingLimiter: newRateLimiter(limits.Ratings, limits.RatingWindow),
		voteLimiter:   newRateLimiter(limits.Votes, limits.VoteWindow),
		stuffing:      newStuffingGuard(),
		signIn:        newSignInGuard(cfg.SignIn),
		cards:         newCardCache(cardCacheBytes),
	}
	srv.export = cfg.Export
	srv.zone = cfg.TimeZone
	if srv.zone == nil {
		srv.zone = time.UTC
	}
	srv.pages = newPageCache(cfg.DB, now, logger, cfg.PageCacheBytes)
	return srv, nil
}

// meta fills the parts of a page's Meta that every page shares; path is
// the page's canonical path on the site, "" for a page that has none.
func (s *Server) meta(title, description, path string) templates.Meta {
	canonical := ""
	if path != "" {
		canonical = s.absURL(path)
	}
	return templates.Meta{
		Title:       title,
		Description: description,
		Canonical:   canonical,
		Stylesheet:  s.assets.url("style.css"),
		Icon:        s.assets.url("icon.svg"),
		Script:      s.assets.url("marquee.js"),
		Live:        s.live(),
		Feeds:       []templates.FeedLink{{Title: "Marquee: the latest critic reviews", URL: s.absURL(paths.Feed())}},
	}
}

// render writes c as a complete HTML page with the given status. The page
// is rendered into memory first; a render error is returned, nothing having
// been written. Successful GET pages carry a strong ETag, and a request
// whose If-None-Match matches it gets 304 with no body.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, c templ.Component) error {
	buf, _ := s.renderBuffers.Get().(*bytes.Buffer)
	if buf == nil {
		buf = new(bytes.Buffer)
	}
	defer func() {
		// A rare huge page's buffer is not kept.
		if buf.Cap() <= maxPooledRenderBuffer {
			buf.Reset()
			s.renderBuffers.Put(buf)
		}
	}()
	if err := c.Render(r.Context(), buf); err != nil {
		return fmt.Errorf("render page: %w", err)
	}
	// w copies what it is given (io.Writer's contract), so the buffer is
	// free again once this returns.
	body := buf.Bytes()
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	if status == http.StatusOK {
		if h.Get("Cache-Control") == "" {
			h.Set("Cache-Control", "no-cache")
		}
		// An export keeps the body alone and asks each page once, so it
		// needs no validator; hashing every page would cost it a fortieth
		// of its time.
		if s.export == nil {
			etag := strongETag(body)
			h.Set("ETag", etag)
			if matchesETag(r.Header.Get("If-None-Match"), etag) {
				w.WriteHeader(http.StatusNotModified)
				return nil
			}
		}
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body) // The client has gone if this fails; nothing useful remains to do.
	}
	return nil
}

// maxPooledRenderBuffer is the largest render buffer kept for reuse.
const maxPooledRenderBuffer = 1 << 20

// contextKey is the type of this package's context keys, so they cannot
// collide with another package's.
type contextKey int

const requestIDKey contextKey = iota

// requestID returns the ID the logging middleware gave the request.
func requestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey).(string)
	return id
}

// strongETag is the entity tag of a response body: a hash of its bytes, so
// the same bytes always have the same tag, whichever server sent them.
func strongETag(body []byte) string {
	sum := sha256.Sum256(body)
	return `"` + hex.EncodeToString(sum[:16]) + `"`
}
