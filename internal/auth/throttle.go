package auth

import (
	"strings"
	"sync"
	"time"
)

// ThrottleLimits say how many failed sign-ins are allowed before waiting.
type ThrottleLimits struct {
	// AccountFailures failures on one account within AccountWindow lock
	// it for AccountWait; each further failure doubles the wait, up to
	// AccountMaxWait. A whole window with no failure after the last lock
	// ends forgets it all.
	AccountFailures int
	AccountWindow   time.Duration
	AccountWait     time.Duration
	AccountMaxWait  time.Duration
	// ClientFailures failures from one client within ClientWindow make it
	// wait until the oldest leaves the window, whatever accounts it tries.
	ClientFailures int
	ClientWindow   time.Duration
	// KnownClientFor is how long a client that signed in to an account
	// stays exempt from that account's lock.
	KnownClientFor time.Duration
}

// DefaultThrottleLimits allow a person plenty of typing mistakes while
// holding a guesser on one account to a handful of tries an hour.
var DefaultThrottleLimits = ThrottleLimits{
	AccountFailures: 5, AccountWindow: 15 * time.Minute,
	AccountWait: time.Minute, AccountMaxWait: 15 * time.Minute,
	ClientFailures: 20, ClientWindow: 15 * time.Minute,
	KnownClientFor: 30 * 24 * time.Hour,
}

// maxKnownClients bounds the clients remembered per account.
const maxKnownClients = 10

// Throttle slows down password guessing, per account and per client.
//
// An attacker could use the account lock to keep a real editor out, so it
// is bounded three ways: the wait never exceeds AccountMaxWait, it is
// forgotten after a quiet AccountWindow, and a client that has signed in
// to the account before (the editor's own) is not held by the account's
// lock, only by its own per-client limit.
//
// State lives in memory: it resets on restart, and no address is stored
// in the database. Accounts are keyed by the email typed, lower-cased,
// whether or not an account has it, so the answer reveals nothing.
type Throttle struct {
	limits ThrottleLimits

	mu       sync.Mutex
	accounts map[string]*accountState
	clients  map[string][]time.Time
	known    map[string]map[string]time.Time // account → client → last sign-in
	swept    time.Time
}

type accountState struct {
	failures    []time.Time // within the window, oldest first
	wait        time.Duration
	lockedUntil time.Time
}

// NewThrottle returns a Throttle with the given limits; zero values take
// DefaultThrottleLimits.
func NewThrottle(limits ThrottleLimits) *Throttle {
	d := DefaultThrottleLimits
	if limits.AccountFailures <= 0 {
		limits.AccountFailures = d.AccountFailures
	}
	if limits.AccountWindow <= 0 {
		limits.AccountWindow = d.AccountWindow
	}
	if limits.AccountWait <= 0 {
		limits.AccountWait = d.AccountWait
	}
	if limits.AccountMaxWait <= 0 {
		limits.AccountMaxWait = d.AccountMaxWait
	}
	if limits.ClientFailures <= 0 {
		limits.ClientFailures = d.ClientFailures
	}
	if limits.ClientWindow <= 0 {
		limits.ClientWindow = d.ClientWindow
	}
	if limits.KnownClientFor <= 0 {
		limits.KnownClientFor = d.KnownClientFor
	}
	return &Throttle{
		limits:   limits,
		accounts: map[string]*accountState{},
		clients:  map[string][]time.Time{},
		known:    map[string]map[string]time.Time{},
	}
}

// accountKey folds an email as the database compares it.
func accountKey(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// Check returns how long the client must wait before trying to sign in to
// account, or 0 when it may try now. A refused attempt counts for nothing.
func (t *Throttle) Check(account, client string, now time.Time) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.sweep(now)
	account = accountKey(account)
	if times := t.recentClientFailures(client, now); len(times) >= t.limits.ClientFailures {
		return times[len(times)-t.limits.ClientFailures].Add(t.limits.ClientWindow).Sub(now)
	}
	if t.isKnown(account, client, now) {
		return 0
	}
	if a := t.accounts[account]; a != nil && now.Before(a.lockedUntil) {
		return a.lockedUntil.Sub(now)
	}
	return 0
}

// Failure records a failed sign-in to account from client.
func (t *Throttle) Failure(account, client string, now time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	account = accountKey(account)
	t.clients[client] = append(t.recentClientFailures(client, now), now)

	a := t.accounts[account]
	if a == nil {
		a = &accountState{}
		t.accounts[account] = a
	}
	a.failures = within(a.failures, now.Add(-t.limits.AccountWindow))
	if t.quiet(a, now) {
		a.wait = 0 // A quiet window after the last lock forgets it.
	}
	a.failures = append(a.failures, now)
	switch {
	case a.wait > 0:
		a.wait = min(2*a.wait, t.limits.AccountMaxWait)
	case len(a.failures) >= t.limits.AccountFailures:
		a.wait = t.limits.AccountWait
	default:
		return
	}
	a.lockedUntil = now.Add(a.wait)
}

// quiet reports whether an account has had no failure within the window
// and its last lock ended a whole window ago, so that it starts afresh.
func (t *Throttle) quiet(a *accountState, now time.Time) bool {
	return len(within(a.failures, now.Add(-t.limits.AccountWindow))) == 0 &&
		!now.Before(a.lockedUntil.Add(t.limits.AccountWindow))
}

// Success records a sign-in to account from client: the account's failures
// are forgotten and the client becomes known to it. The client's own
// failures stay, so one good account does not reset a guesser's count.
func (t *Throttle) Success(account, client string, now time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	account = accountKey(account)
	delete(t.accounts, account)
	k := t.known[account]
	if k == nil {
		k = map[string]time.Time{}
		t.known[account] = k
	}
	k[client] = now
	for len(k) > maxKnownClients {
		oldest, first := "", time.Time{}
		for c, at := range k {
			if oldest == "" || at.Before(first) {
				oldest, first = c, at
			}
		}
		delete(k, oldest)
	}
}

func (t *Throttle) isKnown(account, client string, now time.Time) bool {
	at, ok := t.known[account][client]
	return ok && now.Sub(at) < t.limits.KnownClientFor
}

func (t *Throttle) recentClientFailures(client string, now time.Time) []time.Time {
	times := within(t.clients[client], now.Add(-t.limits.ClientWindow))
	if len(times) == 0 {
		delete(t.clients, client)
		return nil
	}
	t.clients[client] = times
	return times
}

// within keeps the times after cutoff (times are oldest first).
func within(times []time.Time, cutoff time.Time) []time.Time {
	i := 0
	for i < len(times) && !times[i].After(cutoff) {
		i++
	}
	return times[i:]
}

// sweep forgets, at most once a window, the accounts and clients with
// nothing recent, so the maps cannot grow without bound.
func (t *Throttle) sweep(now time.Time) {
	if now.Sub(t.swept) < min(t.limits.AccountWindow, t.limits.ClientWindow) {
		return
	}
	t.swept = now
	for k, a := range t.accounts {
		if t.quiet(a, now) {
			delete(t.accounts, k)
		}
	}
	for c, times := range t.clients {
		if len(within(times, now.Add(-t.limits.ClientWindow))) == 0 {
			delete(t.clients, c)
		}
	}
	for account, clients := range t.known {
		for c, at := range clients {
			if now.Sub(at) >= t.limits.KnownClientFor {
				delete(clients, c)
			}
		}
		if len(clients) == 0 {
			delete(t.known, account)
		}
	}
}
