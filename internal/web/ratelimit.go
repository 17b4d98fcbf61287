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

// The defence against rating and helpful-vote stuffing (see stuffingGuard
// and the README's "Ratings and reader reviews").
const (
	// newRatingsPerFilm is how many new ratings of one film one address
	// may give in stuffingWindow: a household rating a film together fits,
	// a script lifting a film past the home page's threshold does not.
	// A reader changing their own rating is not counted.
	newRatingsPerFilm = 5
	// newRatingsPerAddress bounds new ratings from one address over all
	// films in stuffingWindow.
	newRatingsPerAddress = 60
	// votesPerReview is how many helpful votes one review may take from
	// one address in stuffingWindow.
	votesPerReview = 5
	// stuffingWindow is the window of the per-address budgets.
	stuffingWindow = time.Hour
	// freshCookiesFree is how many fresh reader cookies one address may
	// bring in freshCookieWindow before what the next ones rate or vote is
	// held back from the published counts for an editor to judge.
	freshCookiesFree  = 3
	freshCookieWindow = 10 * time.Minute
	// burstGap is how long a burst stays open: a held rating or vote
	// within burstGap of the last one from the same address about the same
	// film (or review) joins its burst; after a pause a new burst begins.
	burstGap = 10 * time.Minute
	// suspectFor is how long a reader whose cookie was born in a burst
	// stays suspect: whatever else it rates or votes in that time is held
	// too, so a cookie made by a vote (or a rating) in a burst cannot be
	// kept to rate with later as if it were a known reader.
	suspectFor = 24 * time.Hour
)

// stuffingGuard keeps, in memory, what the stuffing defence needs to know
// about addresses: their budgets, their fresh cookies, and the held burst
// each is adding to. Keeping it in memory keeps addresses (and anything
// derived from them) out of the database, as the site promises; the cost is
// that a restart forgets them, which only gives a stuffer a fresh budget
// once per restart.
type stuffingGuard struct {
	filmRatings *rateLimiter // key: address and film
	ratings     *rateLimiter // key: address
	reviewVotes *rateLimiter // key: address and review
	fresh       *rateLimiter // key: address; one event per fresh cookie

	// mu is held while a held rating or vote is written, so that
	// concurrent requests of one burst join one burst row.
	mu     sync.Mutex
	bursts map[string]openBurst
	swept  time.Time

	// suspects maps the readers born in a burst to when they stop being
	// suspect (see suspectFor).
	suspectMu    sync.Mutex
	suspects     map[int64]time.Time
	suspectSwept time.Time
}

// openBurst is the held burst an address is adding to.
type openBurst struct {
	id   int64
	last time.Time
}

func newStuffingGuard() *stuffingGuard {
	return &stuffingGuard{
		filmRatings: newRateLimiter(newRatingsPerFilm, stuffingWindow),
		ratings:     newRateLimiter(newRatingsPerAddress, stuffingWindow),
		reviewVotes: newRateLimiter(votesPerReview, stuffingWindow),
		// The limit is never reached: freshBurst counts past it itself.
		fresh:    newRateLimiter(math.MaxInt, freshCookieWindow),
		bursts:   map[string]openBurst{},
		suspects: map[int64]time.Time{},
	}
}

// allowNewRating spends one of the address's new-rating budgets for the
// film, or says how long until one is free again and why.
func (g *stuffingGuard) allowNewRating(addr string, filmID int64, now time.Time) (bool, time.Duration, string) {
	if ok, retry := g.ratings.allow(addr, now); !ok {
		return false, retry, "Many new ratings have come from your network in the last hour. Please try again in " + humanDuration(retry) + "."
	}
	if ok, retry := g.filmRatings.allow(addr+"\x00film\x00"+strconv.FormatInt(filmID, 10), now); !ok {
		return false, retry, "This film has had many new ratings from your network in the last hour. Please try again in " + humanDuration(retry) + "."
	}
	return true, 0, ""
}

// allowVote spends one of the address's helpful votes on the review.
func (g *stuffingGuard) allowVote(addr string, reviewID int64, now time.Time) (bool, time.Duration) {
	return g.reviewVotes.allow(addr+"\x00review\x00"+strconv.FormatInt(reviewID, 10), now)
}

// freshCookie records that a new reader cookie from addr is writing for the
// first time, and reports whether it comes in a burst: more than
// freshCookiesFree fresh cookies from the address within freshCookieWindow.
func (g *stuffingGuard) freshCookie(addr string, now time.Time) bool {
	g.fresh.allow(addr, now)
	g.fresh.mu.Lock()
	defer g.fresh.mu.Unlock()
	return len(g.fresh.events[addr]) > freshCookiesFree
}

// suspect marks a reader born in a burst, so that what it writes in the
// next suspectFor is held too.
func (g *stuffingGuard) suspect(readerID int64, now time.Time) {
	g.suspectMu.Lock()
	defer g.suspectMu.Unlock()
	if now.Sub(g.suspectSwept) > time.Hour {
		for id, until := range g.suspects {
			if !now.Before(until) {
				delete(g.suspects, id)
			}
		}
		g.suspectSwept = now
	}
	g.suspects[readerID] = now.Add(suspectFor)
}

// suspected reports whether the reader was born in a burst less than
// suspectFor ago.
func (g *stuffingGuard) suspected(readerID int64, now time.Time) bool {
	g.suspectMu.Lock()
	defer g.suspectMu.Unlock()
	until, ok := g.suspects[readerID]
	return ok && now.Before(until)
}

// hold writes a held rating or vote through write, into the burst the
// address has open about target (kind and id), or a new one, and keeps the
// burst open for the next.
func (g *stuffingGuard) hold(addr, target string, now time.Time, write func(burstID int64) (int64, error)) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if now.Sub(g.swept) > burstGap {
		for k, b := range g.bursts {
			if now.Sub(b.last) > burstGap {
				delete(g.bursts, k)
			}
		}
		g.swept = now
	}
	key := addr + "\x00" + target
	var open int64
	if b, ok := g.bursts[key]; ok && now.Sub(b.last) <= burstGap {
		open = b.id
	}
	id, err := write(open)
	if err != nil {
		return err
	}
	if id != 0 { // 0: nothing was held (a vote the reader had already given)
		g.bursts[key] = openBurst{id: id, last: now}
	}
	return nil
}

// addressKey is the address the stuffing budgets count by: the client's
// address (see clientKey, which follows -trust-proxy), with an IPv6
// address cut to its /64, the block one subscriber is usually given, so
// that stepping through one's own block buys no fresh budget.
func (s *Server) addressKey(r *http.Request) string {
	key := s.clientKey(r)
	if ip := net.ParseIP(key); ip != nil && ip.To4() == nil {
		return ip.Mask(net.CIDRMask(64, 128)).String() + "/64"
	}
	return key
}
