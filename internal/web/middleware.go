package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/go-chi/chi/v5/middleware"

	"marquee/internal/film"
)

// statusClientClosedRequest is logged for a request whose client went
// away before it was answered.
const statusClientClosedRequest = 499

// logRequests gives each request an ID and logs one line when it ends,
// with its method, path, status, size and duration.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		var raw [8]byte
		_, _ = rand.Read(raw[:]) // crypto/rand.Read never fails on supported platforms.
		id := hex.EncodeToString(raw[:])
		ctx := context.WithValue(r.Context(), requestIDKey, id)
		ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)
		next.ServeHTTP(ww, r.WithContext(ctx))
		status := ww.Status()
		switch {
		case status == 0 && r.Context().Err() != nil:
			// The client closed the connection before an answer was sent:
			// 499, by the convention nginx started, is the status it was
			// not sent.
			status = statusClientClosedRequest
		case status == 0:
			status = http.StatusOK
		}
		s.log.LogAttrs(ctx, slog.LevelInfo, "request",
			slog.String("request_id", id),
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.Int("status", status),
			slog.Int("bytes", ww.BytesWritten()),
			slog.Duration("duration", time.Since(start)),
			slog.String("remote", r.RemoteAddr))
	})
}

// recoverPanics turns a panic in a handler into a logged error and a 500
// page instead of a dropped connection. http.ErrAbortHandler is re-raised:
// it is the standard way to abort a response on purpose.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.serveError(w, r, fmt.Errorf("panic: %v", v))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// contentSecurityPolicy allows only the site's own styles, images and
// forms; pages carry no inline script or style, so none is allowed.
const contentSecurityPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; " +
	"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// securityHeaders sets the headers that harden every response.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		setSecurityHeaders(w.Header())
		next.ServeHTTP(w, r)
	})
}

// setSecurityHeaders sets the hardening headers on h; the page cache,
// which answers before the middleware runs, sets them too.
func setSecurityHeaders(h http.Header) {
	h.Set("Content-Security-Policy", contentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Permissions-Policy", permissionsPolicy)
}

// permissionsPolicy turns off the browser features a film site never uses,
// so no page (nor anything a reader's text might smuggle into one) can ask
// for the camera, the microphone, the reader's location or a payment.
const permissionsPolicy = "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), " +
	"microphone=(), midi=(), payment=(), usb=(), xr-spatial-tracking=()"

// strictTransportSecurity tells a browser that reached the site over HTTPS
// to use nothing else for a year. Subdomains are left out: they may be
// other services that the site's operator does not run over HTTPS.
const strictTransportSecurity = "max-age=31536000"

// strictTransport sets Strict-Transport-Security on every answer to a
// request that came over TLS, directly or through a trusted proxy that
// says so (X-Forwarded-Proto: https). Over plain HTTP it is never sent:
// browsers ignore it there, and it would claim what is not true.
func (s *Server) strictTransport(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.isHTTPS(r) {
			w.Header().Set("Strict-Transport-Security", strictTransportSecurity)
		}
		next.ServeHTTP(w, r)
	})
}

// crossOriginProtection refuses state-changing requests (POST and the like)
// that a browser says come from another site, answering 403 with the error
// page. Safe methods pass. It needs no token in pages, so anonymous pages
// stay cacheable.
func (s *Server) crossOriginProtection(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.serveError(w, r, &statusError{status: http.StatusForbidden, heading: "Forbidden",
			message: "This form was sent from another site, so it was refused. Please use the form on this site."})
	}))
	return cop.Handler(next)
}

// limitBody caps request bodies at n bytes; a handler reading past the cap
// gets an *http.MaxBytesError, which the error page turns into 413.
func limitBody(n int64) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Body != nil {
				r.Body = http.MaxBytesReader(w, r.Body, n)
			}
			next.ServeHTTP(w, r)
		})
	}
}

// detectProxy warns, once, loudly, when requests come from a loopback
// address carrying X-Forwarded-For while the proxy is not trusted: a
// reverse proxy is in front, so every reader seems to come from one
// address and shares one set of rate limits and sign-in budgets. The
// header is still not believed; only the operator can say it may be.
func (s *Server) detectProxy(next http.Handler) http.Handler {
	if s.trustProxy {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Forwarded-For") != "" && isLoopback(r.RemoteAddr) {
			s.proxyWarning.Do(func() {
				s.log.LogAttrs(r.Context(), slog.LevelWarn,
					"PROXY DETECTED: requests from "+r.RemoteAddr+" carry X-Forwarded-For, but -trust-proxy is off, "+
						"so every reader counts as one client: rate limits and sign-in throttling are shared by everyone. "+
						"Start the server with -trust-proxy (MARQUEE_TRUST_PROXY=true) if this proxy sets X-Forwarded-For and X-Forwarded-Proto.",
					slog.String("remote", r.RemoteAddr))
			})
		}
		next.ServeHTTP(w, r)
	})
}

// isLoopback reports whether a request's remote address is on this
// machine.
func isLoopback(remoteAddr string) bool {
	host, _, err := net.SplitHostPort(remoteAddr)
	if err != nil {
		host = remoteAddr
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// cleanText runs every query and form value through film.CleanText before
// any handler sees it, so NUL, control and bidirectional formatting
// characters never reach a search, a record or a page, whichever form
// they came through. A form that cannot be read is left to the handler,
// which meets the same error and answers it as before (413 past the size
// limit, 400 otherwise). Multipart forms (uploads) are left to their
// handlers, which read them as files.
func (s *Server) cleanText(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.RawQuery != "" {
			q := r.URL.Query()
			if cleanValues(q) {
				r.URL.RawQuery = q.Encode()
			}
		}
		if r.Method == http.MethodPost && isURLEncodedForm(r) {
			if err := r.ParseForm(); err != nil {
				// The handler answers it, as it would have: its own
				// ParseForm meets the same error.
				r.PostForm, r.Form, r.Body = nil, nil, failedBody{err}
				next.ServeHTTP(w, r)
				return
			}
			cleanValues(r.PostForm)
			cleanValues(r.Form)
		}
		next.ServeHTTP(w, r)
	})
}

// failedBody is a request body that fails as reading the real one did.
type failedBody struct{ err error }

func (b failedBody) Read([]byte) (int, error) { return 0, b.err }
func (b failedBody) Close() error             { return nil }

// isURLEncodedForm reports whether r's body is an ordinary HTML form.
func isURLEncodedForm(r *http.Request) bool {
	ct, _, _ := strings.Cut(r.Header.Get("Content-Type"), ";")
	return strings.EqualFold(strings.TrimSpace(ct), "application/x-www-form-urlencoded")
}

// cleanValues cleans every value in place and reports whether any changed.
// A name holding such a character names no field of any form, so it is
// dropped with its values: cleaning it instead would let "a\x06ction" act
// as "action", and two such names that clean to the same one would merge
// in map order, so the same post could mean different things.
func cleanValues(v url.Values) bool {
	changed := false
	for k, list := range v {
		if film.CleanText(k) != k {
			delete(v, k)
			changed = true
			continue
		}
		for i, s := range list {
			if c := film.CleanText(s); c != s {
				list[i], changed = c, true
			}
		}
	}
	return changed
}
