package web

import (
	"bufio"
	"bytes"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/textproto"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/http/httpguts"

	"marquee/internal/film"
)

// FuzzHitRequest: whatever the bytes, the parser hands over, asks for
// more, or accepts a request, and never panics; a request it accepts is
// one net/http reads as a well-formed GET or HEAD the page cache would
// take, with the same key and the same header values the cache reads.
func FuzzHitRequest(f *testing.F) {
	for _, seed := range []string{
		"GET /films/paris-2008 HTTP/1.1\r\nHost: marquee.test\r\n\r\n",
		"HEAD /search?q=paris&page=2 HTTP/1.1\r\nHost: localhost:8080\r\nAccept-Encoding: gzip\r\n\r\n",
		"GET / HTTP/1.0\r\nConnection: keep-alive\r\nIf-None-Match: \"abc\"\r\n\r\nGET / HTTP/1.0\r\n\r\n",
		"GET /films HTTP/1.1\r\nHost: x\r\nCookie: a=b; marquee_reader=c\r\nIf-Modified-Since: Mon, 02 Jan 2006 15:04:05 GMT\r\n\r\n",
		"GET /films HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nX-Forwarded-For: 1.2.3.4\r\nX-Forwarded-Proto: https\r\n\r\n",
		"POST /films/paris-2008/rating HTTP/1.1\r\nHost: x\r\nContent-Length: 8\r\n\r\nrating=8",
		"GET /films%2Fx HTTP/1.1\r\nHost: x\r\n\r\n",
		"GET /a HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n",
		"GET /a HTTP/1.1\nHost: x\n\n",
		"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
		"GET /a?b HTTP/1.1\r\nHost: x\r\nConnection: close, keep-alive\r\n\r\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var r hitRequest
		n, v := parseHitRequest(data, &r)
		if v != candidate {
			if n != 0 {
				t.Fatalf("verdict %d with length %d", v, n)
			}
			if v == needMore && bytes.Contains(data, []byte("\r\n\r\n")) {
				t.Fatalf("asked for more of a whole header block: %q", data)
			}
			return
		}
		if n <= 0 || n > len(data) || !bytes.HasSuffix(data[:n], []byte("\r\n\r\n")) {
			t.Fatalf("length %d of %q", n, data)
		}
		req, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(data[:n])))
		if err != nil {
			t.Fatalf("accepted %q, which net/http refuses: %v", data[:n], err)
		}
		// What net/http's server checks beyond ReadRequest.
		if req.ProtoMajor != 1 || req.ProtoMinor > 1 {
			t.Fatalf("accepted %s", req.Proto)
		}
		// ReadRequest moves Host out of the header: read it from the lines.
		_, lines, _ := bytes.Cut(data[:n], []byte("\r\n"))
		header, err := textproto.NewReader(bufio.NewReader(bytes.NewReader(lines))).ReadMIMEHeader()
		if err != nil {
			t.Fatal(err)
		}
		hosts := header["Host"]
		if req.ProtoAtLeast(1, 1) && len(hosts) != 1 || len(hosts) > 1 || len(hosts) == 1 && !httpguts.ValidHostHeader(hosts[0]) {
			t.Fatalf("accepted Host %q", hosts)
		}
		for k, vv := range req.Header {
			if !httpguts.ValidHeaderFieldName(k) {
				t.Fatalf("accepted header name %q", k)
			}
			for _, v := range vv {
				if !httpguts.ValidHeaderFieldValue(v) {
					t.Fatalf("accepted header value %q", v)
				}
			}
		}
		// What the page cache and the middleware in front of it read.
		if req.Method != http.MethodGet && req.Method != http.MethodHead || r.head != (req.Method == http.MethodHead) {
			t.Fatalf("method %q, head %v", req.Method, r.head)
		}
		if r.http10 != (req.ProtoMinor == 0) {
			t.Fatalf("%s read as HTTP/1.0: %v", req.Proto, r.http10)
		}
		if !cacheable(req) || req.ContentLength != 0 || len(req.TransferEncoding) > 0 ||
			req.Header.Get("Expect") != "" || req.Header.Get("Upgrade") != "" {
			t.Fatalf("accepted a request the cache does not take: %q", data[:n])
		}
		if key := cacheKey(req); key != string(r.target) || strings.Contains(req.URL.RawQuery, ";") {
			t.Fatalf("key %q, net/http's %q", r.target, key)
		}
		for name, got := range map[string][]byte{
			"Accept-Encoding": r.acceptEncoding, "If-None-Match": r.ifNoneMatch, "If-Modified-Since": r.ifModifiedSince,
			"X-Forwarded-Proto": r.forwardedProto,
		} {
			if want := req.Header.Get(name); string(got) != want {
				t.Fatalf("%s %q, net/http's %q", name, got, want)
			}
		}
		if r.forwardedFor != (req.Header.Get("X-Forwarded-For") != "") {
			t.Fatalf("X-Forwarded-For %v, net/http's %q", r.forwardedFor, req.Header.Get("X-Forwarded-For"))
		}
		if r.closeAfter != req.Close {
			t.Fatalf("close after %v, net/http's %v", r.closeAfter, req.Close)
		}
	})
}

// versionOnly is a store whose data never changes: the page cache asks it
// only for its data version.
type versionOnly struct{ film.Store }

func (versionOnly) DataVersion() uint64 { return 0 }

// discardConn is a connection whose writes go nowhere but the first
// bytes of the last answer's head, kept without allocating.
type discardConn struct {
	net.Conn
	status *[12]byte
}

func (c discardConn) Write(b []byte) (int, error) {
	if len(b) >= len(c.status) && string(b[:5]) == "HTTP/" {
		copy(c.status[:], b)
	}
	return len(b), nil
}
func (discardConn) SetWriteDeadline(time.Time) error { return nil }

// TestHitAllocatesNothing: reading a request and answering it from the
// cache allocates nothing, whatever the answer.
func TestHitAllocatesNothing(t *testing.T) {
	pages := newPageCache(versionOnly{}, time.Now, slog.New(slog.NewTextHandler(io.Discard, nil)), 1<<20)
	rec := newRecorder()
	rec.header.Set("Content-Type", "text/html; charset=utf-8")
	rec.header.Set("Cache-Control", sharedCacheControl)
	rec.header.Set("ETag", `"abc"`)
	_, _ = rec.Write(bytes.Repeat([]byte("<p>Paris, again and again.</p>\n"), 200))
	p := pages.store1("/films/paris-2008", 0, rec)
	if p == nil || pages.lookup("/films/paris-2008") == nil {
		t.Fatal("the page was not stored")
	}
	h := &HitServer{pages: pages, srv: &http.Server{WriteTimeout: time.Second}}
	status := new([12]byte)
	c := &hitConn{h: h, conn: discardConn{status: status}}
	for request, want := range map[string]string{
		"GET /films/paris-2008 HTTP/1.1\r\nHost: marquee.test\r\nCookie: theme=dark\r\n\r\n":        "HTTP/1.1 200",
		"GET /films/paris-2008 HTTP/1.1\r\nHost: marquee.test\r\nAccept-Encoding: gzip, br\r\n\r\n": "HTTP/1.1 200",
		"HEAD /films/paris-2008 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n":                         "HTTP/1.0 200",
		"GET /films/paris-2008 HTTP/1.1\r\nHost: marquee.test\r\nIf-None-Match: \"abc\"\r\n\r\n":    "HTTP/1.1 304",
	} {
		*status = [12]byte{}
		b := []byte(request)
		allocs := testing.AllocsPerRun(100, func() {
			n, v := parseHitRequest(b, &c.req)
			if v != candidate || n != len(b) || !c.answer(n) {
				t.Fatalf("%q was not answered", request)
			}
		})
		if allocs != 0 {
			t.Errorf("%q: %v allocations a hit", request, allocs)
		}
		if got := string(status[:]); got != want {
			t.Errorf("%q answered %q, want %q", request, got, want)
		}
	}
}

func TestParseHitRequestHandsOverWhatItDoesNotRead(t *testing.T) {
	for _, request := range []string{
		"POST / HTTP/1.1\r\n",
		"get / HTTP/1.1\r\nHost: x\r\n\r\n",
		"GET http://x/ HTTP/1.1\r\nHost: x\r\n\r\n",
		"GET /a%20b HTTP/1.1\r\nHost: x\r\n\r\n",
		"GET /a?b;c HTTP/1.1\r\nHost: x\r\n\r\n",
		"GET /a? HTTP/1.1\r\nHost: x\r\n\r\n",
		"GET /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n",
		"GET /a HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\n",
		"GET /a HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n\r\n",
		"GET /a HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n",
		"GET /a HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n",
		"GET /a HTTP/1.1\r\nHost: x\r\nCookie: marquee_session=1\r\n\r\n",
		"GET /a HTTP/1.1\r\nHost: x\r\n\n",
		"GET /a HTTP/2.0\r\nHost: x\r\n\r\n",
		"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03",
	} {
		var r hitRequest
		if _, v := parseHitRequest([]byte(request), &r); v != handOver {
			t.Errorf("%q: verdict %d, want a hand-over", request, v)
		}
	}
	var r hitRequest
	if _, v := parseHitRequest([]byte("GET /films/paris-2008 HTTP/1.1\r\nHost: x\r\n"), &r); v != needMore {
		t.Errorf("half a request: verdict %d, want needMore", v)
	}
	if _, v := parseHitRequest([]byte("HEA"), &r); v != needMore {
		t.Errorf("the start of a HEAD: verdict %d, want needMore", v)
	}
}
