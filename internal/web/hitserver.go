package web

import (
	"bytes"
	"context"
	"crypto/tls"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"
)

// HitServer answers page-cache hits straight from the connection, ahead of
// net/http. Go's HTTP server spends more on each request (a bufio reader
// and writer, a Request with its header map, a context, a response writer,
// header sorting) than the page cache spends on a hit, so a hit served
// through it costs about twice what a static file server pays.
//
// Each accepted connection is read first by a small, strict parser of its
// own. A request is answered here when, and only when, it is a plain GET or
// HEAD (HTTP/1.1, or 1.0 with its keep-alive rules) without a body, Expect
// or Upgrade, from a client without a reader or session cookie (the rule
// cacheable uses), for a page the cache holds in the current epoch (the
// same lookup), and when nothing in front of the cache would change the
// answer. The answer is the page's headers as net/http would write them,
// prepared when the page was stored, with the Date of this second and the
// body: the same bytes net/http sends for the same request.
//
// Anything else, at any point in a connection's life (a miss, a POST, a
// cookie, a request this parser does not read, a request larger than its
// buffer), hands the connection to the http.Server with every byte already
// read replayed first, and the connection stays with net/http from then
// on. A miss therefore goes through the middleware, the render and the
// cache store exactly as before.
type HitServer struct {
	pages      *pageCache
	trustProxy bool
	srv        *http.Server
	inFlight   *atomic.Int64

	// handoff delivers the connections net/http takes over to srv.Serve.
	handoff *handoffListener
	// date is the Date header line of the current second.
	date atomic.Pointer[dateLine]

	closing atomic.Bool
	mu      sync.Mutex
	ln      net.Listener
	conns   map[*hitConn]struct{}
}

// HitServer returns a hit server in front of srv, which must serve s's
// Handler. inFlight, when not nil, counts the hits being answered, as the
// caller's handler counts the requests net/http answers. With the page
// cache off it is srv alone.
func (s *Server) HitServer(srv *http.Server, inFlight *atomic.Int64) *HitServer {
	return &HitServer{pages: s.pages, trustProxy: s.trustProxy, srv: srv, inFlight: inFlight, conns: map[*hitConn]struct{}{}}
}

// Serve accepts connections on ln, answering hits itself and handing
// everything else to the http.Server. Like http.Server.Serve it returns
// http.ErrServerClosed after Shutdown or Close.
func (h *HitServer) Serve(ln net.Listener) error {
	if h.pages == nil || h.pages.maxBytes <= 0 {
		return h.srv.Serve(ln)
	}
	h.mu.Lock()
	if h.closing.Load() {
		h.mu.Unlock()
		ln.Close()
		return http.ErrServerClosed
	}
	h.ln = ln
	h.handoff = newHandoffListener(ln.Addr())
	h.mu.Unlock()
	go func() {
		_ = h.srv.Serve(h.handoff) // It returns when srv shuts down.
		// Whatever stopped it, nothing waits to hand a connection over.
		h.handoff.Close()
	}()

	var delay time.Duration
	for {
		conn, err := ln.Accept()
		if err != nil {
			if h.closing.Load() {
				return http.ErrServerClosed
			}
			// Out of file descriptors and the like: wait and try again,
			// as net/http does.
			if te, ok := err.(interface{ Temporary() bool }); ok && te.Temporary() {
				delay = min(max(2*delay, 5*time.Millisecond), time.Second)
				time.Sleep(delay)
				continue
			}
			return err
		}
		delay = 0
		if _, ok := conn.(*tls.Conn); ok {
			// A TLS connection sets r.TLS, and HSTS with it: net/http
			// serves it whole.
			if !h.handoff.hand(conn) {
				conn.Close()
			}
			continue
		}
		c := h.track(conn)
		if c == nil {
			conn.Close()
			continue
		}
		go c.serve()
	}
}

// Shutdown stops the hit server gracefully: it stops accepting, closes the
// connections waiting for a request, lets the hits being answered finish
// (their connections close after), and then shuts the http.Server down
// with ctx, which does the same for the connections it was handed. It
// returns ctx's error if ctx ends first; Close then cuts what is left.
func (h *HitServer) Shutdown(ctx context.Context) error {
	h.stopAccepting()
	ticker := time.NewTicker(10 * time.Millisecond)
	defer ticker.Stop()
	for {
		if h.closeIdle() {
			break
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-ticker.C:
		}
	}
	return h.srv.Shutdown(ctx)
}

// Close closes the listener and every connection, the hit server's and the
// http.Server's, at once.
func (h *HitServer) Close() error {
	h.stopAccepting()
	h.mu.Lock()
	for c := range h.conns {
		c.conn.Close()
	}
	h.mu.Unlock()
	return h.srv.Close()
}

func (h *HitServer) stopAccepting() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closing.Store(true)
	if h.ln != nil {
		h.ln.Close()
	}
}

// closeIdle closes the connections waiting for a request and reports
// whether none is left.
func (h *HitServer) closeIdle() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	for c := range h.conns {
		if c.state.CompareAndSwap(connIdle, connClosed) {
			c.conn.Close()
		}
	}
	return len(h.conns) == 0
}

// track registers a new connection, unless the server is stopping.
func (h *HitServer) track(conn net.Conn) *hitConn {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closing.Load() {
		return nil
	}
	c := &hitConn{h: h, conn: conn, buf: hitBuffers.Get().(*[hitBufferSize]byte)}
	if tcp, ok := conn.RemoteAddr().(*net.TCPAddr); ok {
		c.loopback = tcp.IP.IsLoopback()
	}
	h.conns[c] = struct{}{}
	return c
}

func (h *HitServer) forget(c *hitConn) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.conns, c)
}

// dateLine is the Date header of one second, as net/http writes it.
type dateLine struct {
	unix int64
	line []byte
}

// dateHeader returns the Date header line for now, formatted once a
// second.
func (h *HitServer) dateHeader(now time.Time) []byte {
	if d := h.date.Load(); d != nil && d.unix == now.Unix() {
		return d.line
	}
	line := now.UTC().AppendFormat([]byte("Date: "), http.TimeFormat)
	d := &dateLine{unix: now.Unix(), line: append(line, "\r\n"...)}
	h.date.Store(d)
	return d.line
}

// hitBufferSize bounds a request the hit server reads: larger ones (long
// cookies, many headers) go to net/http, which allows up to a megabyte.
const hitBufferSize = 8 << 10

var hitBuffers = sync.Pool{New: func() any { return new([hitBufferSize]byte) }}

// The states of a hit connection, for Shutdown.
const (
	connActive int32 = iota // reading or answering a request
	connIdle                // waiting for the first byte of a request
	connClosed              // closed by Shutdown while idle
)

// hitConn is one connection while the hit server has it.
type hitConn struct {
	h          *HitServer
	conn       net.Conn
	loopback   bool
	buf        *[hitBufferSize]byte
	start, end int // the bytes read and not yet answered
	state      atomic.Int32
	req        hitRequest
	out        []byte
	iov        [2][]byte
	bufs       net.Buffers
}

// serve answers hits on c until the client closes, a timeout passes, the
// server stops, or a request goes to net/http.
func (c *hitConn) serve() {
	handed := false
	defer func() {
		c.h.forget(c)
		if !handed {
			c.conn.Close()
		}
		hitBuffers.Put(c.buf)
	}()
	srv := c.h.srv
	headerTimeout, idleTimeout := srv.ReadHeaderTimeout, srv.IdleTimeout
	if headerTimeout == 0 {
		headerTimeout = srv.ReadTimeout
	}
	if idleTimeout == 0 {
		idleTimeout = srv.ReadTimeout
	}
	for first := true; ; first = false {
		if c.start == c.end {
			// Nothing pending: wait for the next request, for the header
			// timeout on a new connection and the idle timeout after.
			wait := idleTimeout
			if first {
				wait = headerTimeout
			}
			if !c.await(wait) {
				return
			}
		}
		// The request must arrive whole within the header timeout: counted
		// from the accept for the first (await set it), from its first
		// bytes for the others.
		deadlineSet := first
		var n int
		var v verdict
		for {
			n, v = parseHitRequest(c.buf[c.start:c.end], &c.req)
			if v != needMore {
				break
			}
			if c.end == len(c.buf) {
				if c.start == 0 {
					v = handOver // Too large for this buffer.
					break
				}
				c.end = copy(c.buf[:], c.buf[c.start:c.end])
				c.start = 0
			}
			if !deadlineSet && headerTimeout > 0 {
				_ = c.conn.SetReadDeadline(time.Now().Add(headerTimeout))
				deadlineSet = true
			}
			m, err := c.conn.Read(c.buf[c.end:])
			c.end += m
			if err != nil && m == 0 {
				// Gone or too slow halfway through a request: closed
				// without an answer, as net/http does.
				return
			}
		}
		if v == handOver || !c.answer(n) {
			handed = c.handOver()
			return
		}
		c.start += n
		if c.req.closeAfter || c.h.closing.Load() {
			c.closeGracefully()
			return
		}
	}
}

// await waits for the first bytes of a request, marked idle meanwhile so
// Shutdown may close the connection; it reports whether bytes came.
func (c *hitConn) await(wait time.Duration) bool {
	c.start, c.end = 0, 0
	c.state.Store(connIdle)
	if c.h.closing.Load() {
		return false
	}
	if wait > 0 {
		_ = c.conn.SetReadDeadline(time.Now().Add(wait))
	}
	m, _ := c.conn.Read(c.buf[:])
	if m == 0 || !c.state.CompareAndSwap(connIdle, connActive) {
		return false
	}
	c.end = m
	return true
}

// answer writes the answer to the request parsed from the first n
// pending bytes, if it is a hit; it reports false for a miss, which goes
// to net/http.
func (c *hitConn) answer(n int) bool {
	r := &c.req
	if !c.h.trustProxy && r.forwardedFor && c.loopback {
		// detectProxy has something to say about this one.
		return false
	}
	pages := c.h.pages
	p := pages.lookup(bytesView(r.target))
	if p == nil {
		return false
	}
	if c.h.inFlight != nil {
		c.h.inFlight.Add(1)
		defer c.h.inFlight.Add(-1)
	}
	pages.hits.Add(1)
	if pages.log.Enabled(context.Background(), slog.LevelDebug) {
		pages.log.LogAttrs(context.Background(), slog.LevelDebug, "request", slog.String("path", string(r.target)), slog.Bool("cached", true))
	}
	w := &p.wire[p.answer(bytesView(r.ifNoneMatch), bytesView(r.ifModifiedSince), bytesView(r.acceptEncoding))]

	out := c.out[:0]
	if r.http10 {
		out = append(out, "HTTP/1.0 "...)
	} else {
		out = append(out, "HTTP/1.1 "...)
	}
	out = append(out, w.status...)
	// strictTransport: over a plain connection, a request is HTTPS only
	// when a trusted proxy says so.
	if c.h.trustProxy && string(r.forwardedProto) == "https" {
		out = append(out, w.header[:w.hstsAt]...)
		out = append(out, "Strict-Transport-Security: "+strictTransportSecurity+"\r\n"...)
		out = append(out, w.header[w.hstsAt:]...)
	} else {
		out = append(out, w.header...)
	}
	now := time.Now()
	out = append(out, c.h.dateHeader(now)...)
	switch {
	case r.http10 && !r.closeAfter:
		out = append(out, "Connection: keep-alive\r\n"...)
	case !r.http10 && r.closeAfter:
		out = append(out, "Connection: close\r\n"...)
	}
	out = append(out, "\r\n"...)
	c.out = out

	if d := c.h.srv.WriteTimeout; d > 0 {
		_ = c.conn.SetWriteDeadline(now.Add(d))
	}
	var err error
	if r.head || len(w.body) == 0 {
		_, err = c.conn.Write(out)
	} else {
		c.iov = [2][]byte{out, w.body}
		c.bufs = c.iov[:]
		_, err = c.bufs.WriteTo(c.conn)
	}
	if err != nil {
		// The client has gone: nothing more to do on this connection.
		r.closeAfter = true
	}
	return true
}

// handOver gives the connection to net/http, the bytes read and not
// answered first; it reports whether net/http took it.
func (c *hitConn) handOver() bool {
	_ = c.conn.SetDeadline(time.Time{})
	rc := &replayConn{Conn: c.conn, pending: bytes.Clone(c.buf[c.start:c.end])}
	return c.h.handoff.hand(rc)
}

// closeGracefully closes after the last answer as net/http does: the
// write side first, then, after the client has read what was sent (or
// half a second), the whole connection, so unread bytes from the client
// do not reset the connection before the answer arrives.
func (c *hitConn) closeGracefully() {
	if cw, ok := c.conn.(interface{ CloseWrite() error }); ok {
		_ = cw.CloseWrite()
		_ = c.conn.SetReadDeadline(time.Now().Add(500 * time.Millisecond))
		for {
			if _, err := c.conn.Read(c.buf[:]); err != nil {
				break
			}
		}
	}
}

// pageWire is one answer of a stored page as the hit server writes it.
type pageWire struct {
	// status is the status line after the protocol ("200 OK\r\n").
	status string
	// header holds the header lines net/http writes for the answer:
	// sorted, without Date, which is added per second, nor Connection,
	// which depends on the request.
	header []byte
	// hstsAt is where Strict-Transport-Security goes among them for a
	// request that came over HTTPS.
	hstsAt int
	body   []byte
}

// newPageWire writes header as net/http's server does (Header.Write is
// the function it uses: sorted keys, values cleaned the same way).
func newPageWire(status int, header http.Header, body []byte) pageWire {
	var plain, hsts bytes.Buffer
	_ = header.Write(&plain) // Writing to a bytes.Buffer does not fail.
	with := header.Clone()
	with.Set("Strict-Transport-Security", strictTransportSecurity)
	_ = with.Write(&hsts)
	// The two differ only by the one line, inserted at the first byte
	// where they differ.
	at := 0
	for at < plain.Len() && plain.Bytes()[at] == hsts.Bytes()[at] {
		at++
	}
	for at > 0 && plain.Bytes()[at-1] != '\n' {
		at-- // The line starts after the previous line's end.
	}
	return pageWire{
		status: strconv.Itoa(status) + " " + http.StatusText(status) + "\r\n",
		header: plain.Bytes(), hstsAt: at, body: body,
	}
}

// bytesView is b read as a string without a copy, for lookups and
// comparisons that keep nothing of it: it is valid only until the request
// buffer it points into is reused.
func bytesView(b []byte) string {
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// replayConn is a connection handed to net/http: it reads the bytes the
// hit server had read and not answered, then the connection.
type replayConn struct {
	net.Conn
	pending []byte
}

func (c *replayConn) Read(b []byte) (int, error) {
	if len(c.pending) > 0 {
		n := copy(b, c.pending)
		c.pending = c.pending[n:]
		return n, nil
	}
	return c.Conn.Read(b)
}

// CloseWrite lets net/http half-close the connection as it does a TCP
// connection's.
func (c *replayConn) CloseWrite() error {
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return nil
}

// handoffListener is the listener the http.Server serves: its Accept
// returns the connections the hit server hands over.
type handoffListener struct {
	addr  net.Addr
	conns chan net.Conn
	done  chan struct{}
	once  sync.Once
}

func newHandoffListener(addr net.Addr) *handoffListener {
	return &handoffListener{addr: addr, conns: make(chan net.Conn), done: make(chan struct{})}
}

// hand gives conn to net/http and reports whether it was taken, which it
// is not once the listener is closed.
func (l *handoffListener) hand(conn net.Conn) bool {
	select {
	case l.conns <- conn:
		return true
	case <-l.done:
		return false
	}
}

func (l *handoffListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

func (l *handoffListener) Close() error {
	l.once.Do(func() { close(l.done) })
	return nil
}

func (l *handoffListener) Addr() net.Addr { return l.addr }
