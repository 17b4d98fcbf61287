package web_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"marquee/internal/web"
	"marquee/static"
)

// hitSite is the site served as serve runs it: a hit server in front of an
// http.Server on a real TCP port, and beside it the same handler (the same
// page cache) served by net/http alone, to compare answers with.
type hitSite struct {
	*site
	hits     *web.HitServer
	fastAddr string // the hit server
	httpAddr string // net/http alone
	// handed counts the connections the hit server gave to net/http.
	handed   atomic.Int64
	inFlight atomic.Int64
}

func mustHitSite(tb testing.TB, cfg web.Config, headerTimeout time.Duration) *hitSite {
	tb.Helper()
	s := &hitSite{site: mustSite(tb)}
	cfg.DB, cfg.Static, cfg.Now = s.db, static.FS, s.clock.Now
	cfg.Logger = slog.New(slog.NewTextHandler(s.logs, nil))
	if cfg.PageCacheBytes == 0 {
		cfg.PageCacheBytes = 16 << 20
	}
	server, err := web.New(context.Background(), cfg)
	if err != nil {
		tb.Fatal(err)
	}
	handler := server.Handler()
	s.handler = handler // The browser helpers go through this server too.
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: headerTimeout,
		IdleTimeout:       120 * time.Second,
		WriteTimeout:      30 * time.Second,
		ErrorLog:          log.New(io.Discard, "", 0),
		ConnState: func(_ net.Conn, state http.ConnState) {
			if state == http.StateNew {
				s.handed.Add(1)
			}
		},
	}
	s.hits = server.HitServer(srv, &s.inFlight)
	fast, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	go func() { _ = s.hits.Serve(fast) }()
	alone := &http.Server{Handler: handler, ErrorLog: log.New(io.Discard, "", 0)}
	plain, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	go func() { _ = alone.Serve(plain) }()
	tb.Cleanup(func() {
		s.hits.Close()
		alone.Close()
	})
	s.fastAddr, s.httpAddr = fast.Addr().String(), plain.Addr().String()
	return s
}

// rawConn is a client connection that writes requests as given and reads
// answers byte for byte.
type rawConn struct {
	net.Conn
	br *bufio.Reader
}

func dialRaw(tb testing.TB, addr string) *rawConn {
	tb.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { conn.Close() })
	// A guard against a hung server, not a measurement.
	_ = conn.SetDeadline(time.Now().Add(30 * time.Second))
	return &rawConn{Conn: conn, br: bufio.NewReader(conn)}
}

func (c *rawConn) send(tb testing.TB, request string) {
	tb.Helper()
	if _, err := io.WriteString(c, request); err != nil {
		tb.Fatal(err)
	}
}

// answer is one response as it came over the wire.
type answer struct {
	head   []byte // status line and headers, with the blank line
	body   []byte
	status int
	header http.Header
}

// withoutDate is the head without its Date line, which tells the second.
func (a answer) withoutDate() string {
	var b strings.Builder
	for line := range strings.SplitAfterSeq(string(a.head), "\r\n") {
		if !strings.HasPrefix(line, "Date: ") {
			b.WriteString(line)
		}
	}
	return b.String()
}

// read reads one answer; head says it answers a HEAD request.
func (c *rawConn) read(tb testing.TB, head bool) answer {
	tb.Helper()
	var a answer
	for {
		line, err := c.br.ReadBytes('\n')
		if err != nil {
			tb.Fatalf("reading an answer: %v (read %q)", err, a.head)
		}
		a.head = append(a.head, line...)
		if string(line) == "\r\n" {
			break
		}
	}
	resp, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(a.head)), nil)
	if err != nil {
		tb.Fatalf("%v in %q", err, a.head)
	}
	a.status, a.header = resp.StatusCode, resp.Header
	if head || a.status == http.StatusNotModified {
		return a
	}
	if cl := resp.Header.Get("Content-Length"); cl != "" {
		n, _ := strconv.Atoi(cl)
		a.body = make([]byte, n)
		if _, err := io.ReadFull(c.br, a.body); err != nil {
			tb.Fatalf("reading %d bytes of body: %v", n, err)
		}
		return a
	}
	// No length: the body runs to the end of the connection.
	a.body, _ = io.ReadAll(c.br)
	return a
}

// mustBeClosed checks that the server closed the connection.
func (c *rawConn) mustBeClosed(tb testing.TB) {
	tb.Helper()
	if b, err := c.br.ReadByte(); err == nil {
		tb.Fatalf("the connection is still open (read %q)", b)
	} else if errors.Is(err, context.DeadlineExceeded) || isTimeout(err) {
		tb.Fatal("the server did not close the connection")
	}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// roundTrip sends request on a new connection to addr and reads the answer.
func roundTrip(tb testing.TB, addr, request string) answer {
	tb.Helper()
	c := dialRaw(tb, addr)
	c.send(tb, request)
	return c.read(tb, strings.HasPrefix(request, "HEAD "))
}

func getRequest(path string, header ...string) string {
	return "GET " + path + " HTTP/1.1\r\nHost: marquee.test\r\n" + strings.Join(header, "") + "\r\n"
}

// hitPages are cached pages of different kinds (HTML with and without a
// query, a feed, an XML sitemap).
var hitPages = []string{"/", "/films/paris-2008", "/films", "/films?sort=rating", "/people/juliette-binoche",
	"/search?q=paris", "/films/paris-2008/reviews", "/robots.txt", "/sitemap.xml"}

// warm stores each page by asking net/http alone for it twice.
func (s *hitSite) warm(tb testing.TB, paths ...string) {
	tb.Helper()
	for _, path := range paths {
		for range 2 {
			if a := roundTrip(tb, s.httpAddr, getRequest(path)); a.status != http.StatusOK {
				tb.Fatalf("GET %s = %d", path, a.status)
			}
		}
	}
}

// mustAnswerFast sends request to the hit server and checks that it
// answered without handing the connection over.
func (s *hitSite) mustAnswerFast(tb testing.TB, request string) answer {
	tb.Helper()
	before := s.handed.Load()
	a := roundTrip(tb, s.fastAddr, request)
	if s.handed.Load() != before {
		tb.Fatalf("%q went to net/http", request)
	}
	return a
}

func TestHitServerSendsWhatNetHTTPSends(t *testing.T) {
	s := mustHitSite(t, web.Config{}, 5*time.Second)
	s.warm(t, hitPages...)
	for _, path := range hitPages {
		plain := roundTrip(t, s.httpAddr, getRequest(path))
		etag, modified := plain.header.Get("ETag"), plain.header.Get("Last-Modified")
		requests := map[string]string{
			"plain":                   getRequest(path),
			"gzip":                    getRequest(path, "Accept-Encoding: gzip, deflate, br\r\n"),
			"gzip refused":            getRequest(path, "Accept-Encoding: gzip;q=0, br\r\n"),
			"HEAD":                    strings.Replace(getRequest(path), "GET", "HEAD", 1),
			"HEAD gzip":               strings.Replace(getRequest(path, "Accept-Encoding: gzip\r\n"), "GET", "HEAD", 1),
			"If-None-Match":           getRequest(path, "If-None-Match: "+etag+"\r\n"),
			"If-None-Match among":     getRequest(path, `If-None-Match: "other", `+etag+"\r\n", "Accept-Encoding: gzip\r\n"),
			"If-None-Match other":     getRequest(path, `If-None-Match: "other"`+"\r\n", "If-Modified-Since: "+modified+"\r\n"),
			"If-Modified-Since":       getRequest(path, "If-Modified-Since: "+modified+"\r\n"),
			"If-Modified-Since older": getRequest(path, "If-Modified-Since: Mon, 02 Jan 2006 15:04:05 GMT\r\n"),
			"empty If-None-Match":     getRequest(path, "If-None-Match: \r\n", "If-Modified-Since: "+modified+"\r\n"),
			"Connection: close":       getRequest(path, "Connection: close\r\n"),
			"HTTP/1.0":                "GET " + path + " HTTP/1.0\r\n\r\n",
			"HTTP/1.0 keep-alive":     "GET " + path + " HTTP/1.0\r\nConnection: Keep-Alive\r\nAccept-Encoding: gzip\r\n\r\n",
			"HTTP/1.0 HEAD":           "HEAD " + path + " HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
			"an anonymous cookie":     getRequest(path, "Cookie: theme=dark; lang=fr\r\n"),
			"header case and spaces":  getRequest(path, "accept-encoding:   gzip  \r\n", "X-Forwarded-For: \r\n"),
		}
		for name, request := range requests {
			fast := s.mustAnswerFast(t, request)
			want := roundTrip(t, s.httpAddr, request)
			if fast.withoutDate() != want.withoutDate() {
				t.Errorf("%s, %s: the hit server's head\n%s\nnet/http's\n%s", path, name, fast.withoutDate(), want.withoutDate())
			}
			if !bytes.Equal(fast.body, want.body) {
				t.Errorf("%s, %s: the bodies differ (%d and %d bytes)", path, name, len(fast.body), len(want.body))
			}
			if fast.header.Get("Date") == "" {
				t.Errorf("%s, %s: no Date", path, name)
			}
		}
		if a := roundTrip(t, s.fastAddr, getRequest(path, "If-None-Match: "+etag+"\r\n")); a.status != http.StatusNotModified {
			t.Errorf("%s: If-None-Match = %d, want 304", path, a.status)
		}
	}
	if n := s.inFlight.Load(); n != 0 {
		t.Errorf("in flight after the hits = %d", n)
	}
	// From loopback, X-Forwarded-For is a proxy the site does not trust,
	// which the proxy check warns about: net/http's to answer.
	before := s.handed.Load()
	roundTrip(t, s.fastAddr, getRequest("/", "X-Forwarded-For: 203.0.113.9\r\n"))
	if s.handed.Load() == before {
		t.Error("X-Forwarded-For from loopback was answered by the hit server")
	}
	if !strings.Contains(s.logs.String(), "PROXY DETECTED") {
		t.Error("no proxy warning")
	}
}

// TestHitServerBehindTrustedProxy: behind a proxy that says the request
// came over HTTPS, a hit carries HSTS exactly as net/http's answer does.
func TestHitServerBehindTrustedProxy(t *testing.T) {
	s := mustHitSite(t, web.Config{TrustProxy: true}, 5*time.Second)
	s.warm(t, "/films/paris-2008")
	for _, request := range []string{
		getRequest("/films/paris-2008", "X-Forwarded-Proto: https\r\n", "X-Forwarded-For: 203.0.113.9\r\n"),
		getRequest("/films/paris-2008", "X-Forwarded-Proto: https\r\n", "Accept-Encoding: gzip\r\n"),
		getRequest("/films/paris-2008", "X-Forwarded-Proto: http\r\n"),
	} {
		fast := s.mustAnswerFast(t, request)
		want := roundTrip(t, s.httpAddr, request)
		if fast.withoutDate() != want.withoutDate() || !bytes.Equal(fast.body, want.body) {
			t.Errorf("%q: the hit server's head\n%s\nnet/http's\n%s", request, fast.withoutDate(), want.withoutDate())
		}
	}
	if a := s.mustAnswerFast(t, getRequest("/films/paris-2008", "X-Forwarded-Proto: https\r\n")); a.header.Get("Strict-Transport-Security") == "" {
		t.Error("no HSTS for a request the proxy says came over HTTPS")
	}
}

func TestHitServerAnswersPipelinedRequestsInOrder(t *testing.T) {
	s := mustHitSite(t, web.Config{}, 5*time.Second)
	s.warm(t, "/films/paris-2008", "/people/juliette-binoche")
	misses := s.metric(t, "marquee_page_cache_misses_total")
	c := dialRaw(t, s.fastAddr)
	// Two hits, a miss (a page not stored yet), then a hit, in one write.
	order := []string{"/films/paris-2008", "/people/juliette-binoche", "/years/2008", "/films/paris-2008"}
	var all strings.Builder
	for _, path := range order {
		all.WriteString(getRequest(path))
	}
	before := s.handed.Load()
	c.send(t, all.String())
	var got []answer
	for range order {
		got = append(got, c.read(t, false))
	}
	if n := s.handed.Load() - before; n != 1 {
		t.Errorf("%d connections went to net/http, want 1 (at the miss)", n)
	}
	if n := s.metric(t, "marquee_page_cache_misses_total") - misses; n != 1 {
		t.Errorf("%d misses, want 1", n)
	}
	for i, path := range order {
		want := roundTrip(t, s.httpAddr, getRequest(path)).body
		if got[i].status != http.StatusOK || !bytes.Equal(got[i].body, want) {
			t.Errorf("%s: %d, %d bytes; want 200 and the page (%d bytes)", path, got[i].status, len(got[i].body), len(want))
		}
	}
	// The connection is net/http's now, and still open.
	c.send(t, getRequest("/films/paris-2008"))
	if a := c.read(t, false); a.status != http.StatusOK || !bytes.Equal(a.body, got[0].body) {
		t.Errorf("after the miss: %d", a.status)
	}
}

// metric reads one counter from /metrics.
func (s *hitSite) metric(tb testing.TB, name string) int {
	tb.Helper()
	_, body := fetch(tb, s.handler, "/metrics", nil)
	for line := range strings.SplitSeq(string(body), "\n") {
		if v, ok := strings.CutPrefix(line, name+" "); ok {
			n, err := strconv.Atoi(v)
			if err != nil {
				tb.Fatal(err)
			}
			return n
		}
	}
	tb.Fatalf("no %s in /metrics", name)
	return 0
}

func TestHitServerHandsOverWithTheBytesRead(t *testing.T) {
	s := mustHitSite(t, web.Config{}, 5*time.Second)
	s.warm(t, "/films/paris-2008")
	page := roundTrip(t, s.httpAddr, getRequest("/films/paris-2008")).body

	t.Run("a POST with a body after a hit", func(t *testing.T) {
		form := url.Values{"rating": {"8"}}.Encode()
		post := "POST /films/paris-2008/rating HTTP/1.1\r\nHost: marquee.test\r\nContent-Type: application/x-www-form-urlencoded\r\n" +
			"Content-Length: " + strconv.Itoa(len(form)) + "\r\n\r\n" + form
		want := roundTrip(t, s.httpAddr, post)
		c := dialRaw(t, s.fastAddr)
		c.send(t, getRequest("/films/paris-2008"))
		if a := c.read(t, false); a.status != http.StatusOK || !bytes.Equal(a.body, page) {
			t.Fatalf("the hit = %d", a.status)
		}
		c.send(t, post)
		if a := c.read(t, false); a.status != want.status || a.status >= 400 {
			t.Errorf("the POST = %d, want %d as net/http alone answers it", a.status, want.status)
		}
		c.send(t, getRequest("/films/paris-2008"))
		if a := c.read(t, false); a.status != http.StatusOK || !bytes.Equal(a.body, page) {
			t.Errorf("the GET after the POST = %d", a.status)
		}
	})
	t.Run("headers too large for net/http", func(t *testing.T) {
		c := dialRaw(t, s.fastAddr)
		big := getRequest("/films/paris-2008", "X-Padding: "+strings.Repeat("a", 1100<<10)+"\r\n")
		go func() { _, _ = io.WriteString(c, big) }() // The server stops reading at its limit.
		if a := c.read(t, false); a.status != http.StatusRequestHeaderFieldsTooLarge {
			t.Errorf("a 1.1 MB header = %d, want 431", a.status)
		}
	})
	for name, request := range map[string]string{
		"a header line without a colon": "GET /films/paris-2008 HTTP/1.1\r\nHost: marquee.test\r\nNo colon here\r\n\r\n",
		"no Host":                       "GET /films/paris-2008 HTTP/1.1\r\nAccept: */*\r\n\r\n",
		"a bad header name":             "GET /films/paris-2008 HTTP/1.1\r\nHost: marquee.test\r\nBad\x01Name: x\r\n\r\n",
		"a control byte in a value":     "GET /films/paris-2008 HTTP/1.1\r\nHost: marquee.test\r\nX-Note: a\x01b\r\n\r\n",
		"an unknown version":            "GET /films/paris-2008 HTTP/1.7\r\nHost: marquee.test\r\n\r\n",
	} {
		t.Run(name, func(t *testing.T) {
			before := s.handed.Load()
			fast := roundTrip(t, s.fastAddr, request)
			want := roundTrip(t, s.httpAddr, request)
			if fast.status != want.status || s.handed.Load() == before {
				t.Errorf("%d (handed over: %v), want net/http's %d", fast.status, s.handed.Load() != before, want.status)
			}
		})
	}
	if a := roundTrip(t, s.fastAddr, "GET /films/paris-2008 HTTP/1.1\r\nHost: marquee.test\r\nNo colon here\r\n\r\n"); a.status != http.StatusBadRequest {
		t.Errorf("a malformed request = %d, want 400", a.status)
	}
	t.Run("an escaped path", func(t *testing.T) {
		// net/http decodes the path, so the key is its own to find.
		before := s.handed.Load()
		a := roundTrip(t, s.fastAddr, getRequest("/films/paris%2D2008"))
		if a.status != http.StatusOK || !bytes.Equal(a.body, page) || s.handed.Load() == before {
			t.Errorf("%d, handed over: %v", a.status, s.handed.Load() != before)
		}
	})
	t.Run("HTTP/2 prior knowledge", func(t *testing.T) {
		before := s.handed.Load()
		c := dialRaw(t, s.fastAddr)
		c.send(t, "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")
		_, _ = io.ReadAll(c.br)
		if s.handed.Load() == before {
			t.Error("the HTTP/2 preface was not handed to net/http")
		}
	})
}

func TestHitServerClosesAfterHTTP10WithoutKeepAlive(t *testing.T) {
	s := mustHitSite(t, web.Config{}, 5*time.Second)
	s.warm(t, "/films/paris-2008")
	c := dialRaw(t, s.fastAddr)
	c.send(t, "GET /films/paris-2008 HTTP/1.0\r\n\r\n")
	a := c.read(t, false)
	if a.status != http.StatusOK || !strings.HasPrefix(string(a.head), "HTTP/1.0 200 OK\r\n") || strings.Contains(string(a.head), "Connection") {
		t.Errorf("%q", a.head)
	}
	c.mustBeClosed(t)

	c = dialRaw(t, s.fastAddr)
	c.send(t, getRequest("/films/paris-2008", "Connection: close\r\n"))
	if a := c.read(t, false); !strings.Contains(string(a.head), "\r\nConnection: close\r\n") {
		t.Errorf("no Connection: close in %q", a.head)
	}
	c.mustBeClosed(t)

	// HTTP/1.0 with keep-alive stays open.
	c = dialRaw(t, s.fastAddr)
	for range 2 {
		c.send(t, "GET /films/paris-2008 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
		if a := c.read(t, false); a.status != http.StatusOK || !strings.Contains(string(a.head), "\r\nConnection: keep-alive\r\n") {
			t.Errorf("%q", a.head)
		}
	}
}

func TestHitServerNeverServesReadersFromItself(t *testing.T) {
	s := mustHitSite(t, web.Config{}, 5*time.Second)
	s.warm(t, "/films/paris-2008")
	for _, cookie := range []string{"marquee_reader=abc", "theme=dark; marquee_reader=abc", "marquee_session=xyz", " marquee_reader = x "} {
		before := s.handed.Load()
		roundTrip(t, s.fastAddr, getRequest("/films/paris-2008", "Cookie: "+cookie+"\r\n"))
		if s.handed.Load() == before {
			t.Errorf("Cookie: %s was answered by the hit server", cookie)
		}
	}
	// A second Cookie line counts too.
	before := s.handed.Load()
	roundTrip(t, s.fastAddr, getRequest("/films/paris-2008", "Cookie: theme=dark\r\n", "Cookie: marquee_reader=abc\r\n"))
	if s.handed.Load() == before {
		t.Error("a reader cookie on a second Cookie line was answered by the hit server")
	}
}

// TestHitServerNextReadAfterAWriteIsFresh: a rating posted while a
// connection sits on the hit server makes that connection's very next GET
// a fresh render.
func TestHitServerNextReadAfterAWriteIsFresh(t *testing.T) {
	s := mustHitSite(t, web.Config{}, 5*time.Second)
	s.warm(t, "/films/paris-2008")
	c := dialRaw(t, s.fastAddr)
	before := s.handed.Load()
	c.send(t, getRequest("/films/paris-2008"))
	old := c.read(t, false)
	if s.handed.Load() != before {
		t.Fatal("the warm page went to net/http")
	}
	reader := s.newBrowser("203.0.113.20")
	if resp, body := reader.do(t, http.MethodPost, "/films/paris-2008/rating", url.Values{"rating": {"3"}}, nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("rating = %d\n%s", resp.StatusCode, body)
	}
	c.send(t, getRequest("/films/paris-2008"))
	a := c.read(t, false)
	fresh := (&cachedSite{site: s.site}).fresh(t)
	_, want := fetch(t, fresh, "/films/paris-2008", nil)
	if bytes.Equal(a.body, old.body) || !bytes.Equal(a.body, want) {
		t.Errorf("after the rating the page is not a fresh render:\n%s", htmlDiff(string(want), string(a.body)))
	}
}

func TestHitServerClosesAStalledRequest(t *testing.T) {
	s := mustHitSite(t, web.Config{}, 200*time.Millisecond)
	c := dialRaw(t, s.fastAddr)
	c.send(t, "GET /films/paris-2008 HTTP/1.1\r\nHost: marq")
	c.mustBeClosed(t)
	// A connection that sends nothing at all is closed as well.
	dialRaw(t, s.fastAddr).mustBeClosed(t)
}

func TestHitServerShutsDownWithIdleConnections(t *testing.T) {
	s := mustHitSite(t, web.Config{}, 5*time.Second)
	s.warm(t, "/films/paris-2008")
	var conns []*rawConn
	for range 3 {
		c := dialRaw(t, s.fastAddr)
		c.send(t, getRequest("/films/paris-2008"))
		c.read(t, false)
		conns = append(conns, c)
	}
	// One connection net/http holds, idle too.
	handed := dialRaw(t, s.fastAddr)
	handed.send(t, getRequest("/years/2008"))
	handed.read(t, false)
	// The idle timeout is two minutes: Shutdown must not wait for it.
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := s.hits.Shutdown(ctx); err != nil {
		t.Fatalf("Shutdown = %v", err)
	}
	for _, c := range append(conns, handed) {
		c.mustBeClosed(t)
	}
	if _, err := net.Dial("tcp", s.fastAddr); err == nil {
		t.Error("the listener still accepts connections")
	}
}

// BenchmarkHit is a warm film page asked for again and again on one
// keep-alive loopback connection: answered by the hit server, and by
// net/http alone (the page cache's Wrap), the client the same.
func BenchmarkHit(b *testing.B) {
	s := mustHitSite(b, web.Config{}, 5*time.Second)
	s.warm(b, "/films/paris-2008")
	for _, bench := range []struct{ name, addr, request string }{
		{"fast/plain", s.fastAddr, getRequest("/films/paris-2008")},
		{"net-http/plain", s.httpAddr, getRequest("/films/paris-2008")},
		{"fast/gzip", s.fastAddr, getRequest("/films/paris-2008", "Accept-Encoding: gzip\r\n")},
		{"net-http/gzip", s.httpAddr, getRequest("/films/paris-2008", "Accept-Encoding: gzip\r\n")},
	} {
		b.Run(bench.name, func(b *testing.B) {
			c := dialRaw(b, bench.addr)
			_ = c.SetDeadline(time.Time{})
			request := []byte(bench.request)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.Write(request); err != nil {
					b.Fatal(err)
				}
				if err := discardAnswer(c.br); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// discardAnswer reads one answer with a Content-Length and drops it.
func discardAnswer(br *bufio.Reader) error {
	length := -1
	for {
		line, err := br.ReadSlice('\n')
		if err != nil {
			return err
		}
		if len(line) == 2 {
			break
		}
		if v, ok := bytes.CutPrefix(line, []byte("Content-Length: ")); ok {
			length, _ = strconv.Atoi(string(bytes.TrimSpace(v)))
		}
	}
	if length < 0 {
		return errors.New("no Content-Length")
	}
	_, err := br.Discard(length)
	return err
}
