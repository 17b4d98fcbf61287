package web

import (
	"bytes"
	"strings"
)

// hitRequest is what the hit server reads of a request. Its byte slices
// point into the connection's buffer and are valid until the request is
// answered.
type hitRequest struct {
	head   bool
	http10 bool
	// target is the path and query as sent: with no escapes in the path,
	// it is the page cache's key for the request.
	target []byte
	// The values are the first of each header, as Header.Get gives.
	ifNoneMatch, ifModifiedSince, acceptEncoding []byte
	forwardedProto                               []byte
	// forwardedFor says the first X-Forwarded-For is not empty.
	forwardedFor bool
	// closeAfter says the connection closes after the answer: HTTP/1.1
	// with Connection: close, or HTTP/1.0 without keep-alive.
	closeAfter bool
}

// verdict is what the parser makes of the bytes read so far.
type verdict int

const (
	// needMore: a request that may be a hit has begun; read on.
	needMore verdict = iota
	// candidate: a whole GET or HEAD the hit server may answer.
	candidate
	// handOver: net/http's to answer (or refuse).
	handOver
)

// parseHitRequest reads one request from the start of b into r. It is
// strict: it accepts only what net/http reads the same way, so that a
// request it answers is one net/http would have handed to the page cache
// with the same method, key and header values, and anything unusual goes
// to net/http. It returns candidate and the request's length, needMore,
// or handOver.
func parseHitRequest(b []byte, r *hitRequest) (int, verdict) {
	*r = hitRequest{}
	// Anything but GET or HEAD is known from its first bytes.
	if !startsLike(b, "GET /") && !startsLike(b, "HEAD /") {
		return 0, handOver
	}
	end := -1
	for i, c := range b {
		if c != '\n' {
			continue
		}
		if i == 0 || b[i-1] != '\r' {
			return 0, handOver // A bare line feed: net/http's to read.
		}
		if i >= 3 && b[i-2] == '\n' {
			end = i + 1
			break
		}
	}
	if end < 0 {
		return 0, needMore
	}
	block := b[:end-2] // Each line with its CRLF; the blank line cut off.

	line, rest, _ := bytes.Cut(block, crlf)
	method, line, _ := bytes.Cut(line, space)
	target, proto, ok := bytes.Cut(line, space)
	if !ok {
		return 0, handOver
	}
	switch string(method) {
	case "GET":
	case "HEAD":
		r.head = true
	default:
		return 0, handOver
	}
	switch string(proto) {
	case "HTTP/1.1":
	case "HTTP/1.0":
		r.http10 = true
	default:
		return 0, handOver
	}
	if !plainTarget(target) {
		return 0, handOver
	}
	r.target = target

	var hosts, lengths, connections int
	var connection []byte
	forwardedFor := false // An X-Forwarded-For header came.
	for len(rest) > 0 {
		line, rest, _ = bytes.Cut(rest, crlf)
		colon := bytes.IndexByte(line, ':')
		if colon <= 0 {
			return 0, handOver // Also a folded line, which starts with a space.
		}
		name, value := line[:colon], trimSpace(line[colon+1:])
		for _, c := range name {
			if !isTokenByte(c) {
				return 0, handOver
			}
		}
		for _, c := range value {
			if c < ' ' && c != '\t' || c == 0x7f {
				return 0, handOver
			}
		}
		switch {
		case equalFold(name, "Host"):
			hosts++
			if !plainHost(value) {
				return 0, handOver
			}
		case equalFold(name, "Content-Length"):
			lengths++
			if string(value) != "0" {
				return 0, handOver
			}
		case equalFold(name, "Transfer-Encoding"), equalFold(name, "Expect"), equalFold(name, "Upgrade"):
			return 0, handOver
		case equalFold(name, "Connection"):
			connections++
			connection = value
		case equalFold(name, "Cookie"):
			if !anonymousCookies(bytesView(value)) {
				return 0, handOver
			}
		case equalFold(name, "Accept-Encoding"):
			if r.acceptEncoding == nil {
				r.acceptEncoding = value
			}
		case equalFold(name, "If-None-Match"):
			if r.ifNoneMatch == nil {
				r.ifNoneMatch = value
			}
		case equalFold(name, "If-Modified-Since"):
			if r.ifModifiedSince == nil {
				r.ifModifiedSince = value
			}
		case equalFold(name, "X-Forwarded-For"):
			if !forwardedFor {
				forwardedFor, r.forwardedFor = true, len(value) > 0
			}
		case equalFold(name, "X-Forwarded-Proto"):
			if r.forwardedProto == nil {
				r.forwardedProto = value
			}
		}
	}
	if hosts > 1 || (!r.http10 && hosts == 0) || lengths > 1 || connections > 1 {
		return 0, handOver
	}
	// net/http reads Connection two ways (as a list of whole elements for
	// Request.Close, and by a looser token search when it answers): only
	// a header both read alike, and not asking for both, is taken.
	closing, keepAlive := hasToken(connection, "close"), hasToken(connection, "keep-alive")
	if closing != hasElement(connection, "close") || keepAlive != hasElement(connection, "keep-alive") || closing && keepAlive {
		return 0, handOver
	}
	if r.http10 {
		r.closeAfter = !keepAlive
	} else {
		r.closeAfter = closing
	}
	return end, candidate
}

var (
	crlf  = []byte("\r\n")
	space = []byte(" ")
)

// startsLike says whether b and prefix agree on their common length.
func startsLike(b []byte, prefix string) bool {
	n := min(len(b), len(prefix))
	return string(b[:n]) == prefix[:n]
}

// plainTarget accepts an origin-form target whose path has no escapes
// (net/http's URL.Path is then the path as sent, and the cache key the
// target) and whose query net/http passes on without a word: letters,
// digits and the URI punctuation that needs no quoting, with % escapes in
// the query only, and no semicolon there (net/http logs a warning for
// one).
func plainTarget(t []byte) bool {
	if len(t) == 0 || t[0] != '/' || t[len(t)-1] == '?' {
		return false
	}
	query := false
	for _, c := range t {
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("-._~!$&'()*+,=:@/", c) >= 0:
		case c == '?':
			query = true
		case c == ';':
			if query {
				return false
			}
		case c == '%':
			if !query {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// plainHost accepts a Host of a name or address and an optional port.
func plainHost(h []byte) bool {
	if len(h) == 0 {
		return false
	}
	for _, c := range h {
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case c == '.' || c == '-' || c == ':' || c == '[' || c == ']' || c == '_':
		default:
			return false
		}
	}
	return true
}

// isTokenByte says whether c may appear in a header name (RFC 9110 tchar).
func isTokenByte(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}

// trimSpace trims spaces and tabs from both ends, as net/textproto does
// to a header value.
func trimSpace(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t') {
		b = b[1:]
	}
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\t') {
		b = b[:len(b)-1]
	}
	return b
}

// equalFold compares an ASCII header name with a canonical one.
func equalFold(b []byte, name string) bool {
	if len(b) != len(name) {
		return false
	}
	for i := range len(b) {
		c, n := b[i], name[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if 'A' <= n && n <= 'Z' {
			n += 'a' - 'A'
		}
		if c != n {
			return false
		}
	}
	return true
}

// hasToken reports whether token is in the comma-separated list v, in any
// case, as net/http's hasToken reads the Connection header.
func hasToken(v []byte, token string) bool {
	for start := 0; start+len(token) <= len(v); start++ {
		if start > 0 && !isTokenBoundary(v[start-1]) {
			continue
		}
		if end := start + len(token); end != len(v) && !isTokenBoundary(v[end]) {
			continue
		}
		if equalFold(v[start:start+len(token)], token) {
			return true
		}
	}
	return false
}

// hasElement reports whether one of the comma-separated elements of v is
// token, in any case, as net/http's Request.Close reads the Connection
// header.
func hasElement(v []byte, token string) bool {
	for len(v) > 0 {
		var element []byte
		element, v, _ = bytes.Cut(v, []byte(","))
		if equalFold(trimSpace(element), token) {
			return true
		}
	}
	return false
}

func isTokenBoundary(c byte) bool { return c == ' ' || c == ',' || c == '\t' }
