package web

import (
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// rateLimiter allows each client at most limit events per window, counted
// over a sliding window. It lives in memory: limits reset on restart, which
// is acceptable for spam defence and keeps IP addresses out of the
// database entirely.
type rateLimiter struct {
	limit  int
	window time.Duration

	mu     sync.Mutex
	events map[string][]time.Time
	swept  time.Time
}

func newRateLimiter(limit int, window time.Duration) *rateLimiter {
	return &rateLimiter{limit: limit, window: window, events: map[string][]time.Time{}}
}

// allow records an event for key at now if the key is under its limit. When
// it is not, allow returns false and how long until the next event would be
// allowed.
func (l *rateLimiter) allow(key string, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	cutoff := now.Add(-l.window)
	if now.Sub(l.swept) > l.window {
		// Forget clients with no recent events so the map cannot grow
		// without bound.
		for k, times := range l.events {
			if len(times) == 0 || !times[len(times)-1].After(cutoff) {
				delete(l.events, k)
			}
		}
		l.swept = now
	}
	times := l.events[key]
	kept := times[:0]
	for _, t := range times {
		if t.After(cutoff) {
			kept = append(kept, t)
		}
	}
	if len(kept) >= l.limit {
		l.events[key] = kept
		return false, kept[0].Sub(cutoff)
	}
	l.events[key] = append(kept, now)
	return true, 0
}

// clientKey identifies the client a request comes from, for rate limits:
// the connection's address, or, only when the site is configured to sit
// behind a proxy, the address the proxy appended to X-Forwarded-For (the
// last one, which the client cannot forge).
func (s *Server) clientKey(r *http.Request) string {
	if s.trustProxy {
		if fwd := r.Header.Get("X-Forwarded-For"); fwd != "" {
			parts := strings.Split(fwd, ",")
			if ip := strings.TrimSpace(parts[len(parts)-1]); net.ParseIP(ip) != nil {
				return ip
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// humanDuration says a wait in words a reader understands: "a few
// seconds", "2 minutes".
func humanDuration(d time.Duration) string {
	switch {
	case d < 10*time.Second:
		return "a few seconds"
	case d < time.Minute:
		return strconv.Itoa(int(d.Seconds())) + " seconds"
	case d < 2*time.Minute:
		return "a minute"
	}
	return strconv.Itoa(int(math.Ceil(d.Minutes()))) + " minutes"
}
