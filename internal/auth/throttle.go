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
	// ends forgets it all. A known device is not held by this lock.
	AccountFailures int
	AccountWindow   time.Duration
	AccountWait     time.Duration
	AccountMaxWait  time.Duration
	// ClientFailures failures from one client address within ClientWindow
	// make it wait until the oldest leaves the window, whatever accounts
	// it tries. A known device is not held by this limit either.
	ClientFailures int
	ClientWindow   time.Duration
	// PairFailures failures on one account from one client address within
	// AccountWindow make that address wait for that account until the
	// oldest leaves the window. Unlike the account's lock, a successful
	// sign-in by the account's owner does not clear it, so a guesser's
	// budget is not refilled by the person they are guessing at.
	PairFailures int
	// DeviceFailures failures on one account from one known device within
	// AccountWindow make that device wait until the oldest leaves the
	// window: a stolen device cookie buys a guesser no more than this.
	DeviceFailures int
	// KnownClientFor is how long a device that signed in to an account
	// stays known to it (the age its device cookie may reach).
	KnownClientFor time.Duration
}

// DefaultThrottleLimits allow a person plenty of typing mistakes while
// holding a guesser on one account to a handful of tries an hour.
var DefaultThrottleLimits = ThrottleLimits{
	AccountFailures: 5, AccountWindow: 15 * time.Minute,
	AccountWait: time.Minute, AccountMaxWait: 15 * time.Minute,
	ClientFailures: 20, ClientWindow: 15 * time.Minute,
	PairFailures: 10, DeviceFailures: 5,
	KnownClientFor: 30 * 24 * time.Hour,
}

// Throttle slows down password guessing, per account, per client address,
// per (address, account) and per known device.
//
// Every attempt is counted as a failure when it is let through, before
// its password is hashed, in the same critical section as the check
// (Begin), and is taken back only when it turns out to be right
// (Attempt.Succeeded). So a burst of parallel guesses cannot all pass the
// check before any of them has failed: at most the limit is ever hashed.
//
// An attacker could use the account lock, or a flood from an address many
// people share (an office, or every reader when a proxy in front is not
// trusted), to keep a real editor out. So a known device — a browser that
// carries a signed device cookie from an earlier sign-in to the account,
// as GitHub and others do — is held only by its own budget
// (DeviceFailures), never by the account's lock or its address's limits;
// and the account's lock is bounded: never more than AccountMaxWait, and
// forgotten after a quiet AccountWindow.
//
// State lives in memory: it resets on restart, and no address is stored
// in the database. Accounts are keyed by the email typed, lower-cased,
// whether or not an account has it, so the answer reveals nothing.
type Throttle struct {
	limits ThrottleLimits

	mu       sync.Mutex
	accounts map[string]*accountState
	clients  map[string][]time.Time // client address → failures
	pairs    map[string][]time.Time // client address, account → failures
	devices  map[string][]time.Time // device, account → failures
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
	orDefault := func(v *int, def int) {
		if *v <= 0 {
			*v = def
		}
	}
	orDefaultD := func(v *time.Duration, def time.Duration) {
		if *v <= 0 {
			*v = def
		}
	}
	orDefault(&limits.AccountFailures, d.AccountFailures)
	orDefault(&limits.ClientFailures, d.ClientFailures)
	orDefault(&limits.PairFailures, d.PairFailures)
	orDefault(&limits.DeviceFailures, d.DeviceFailures)
	orDefaultD(&limits.AccountWindow, d.AccountWindow)
	orDefaultD(&limits.AccountWait, d.AccountWait)
	orDefaultD(&limits.AccountMaxWait, d.AccountMaxWait)
	orDefaultD(&limits.ClientWindow, d.ClientWindow)
	orDefaultD(&limits.KnownClientFor, d.KnownClientFor)
	return &Throttle{
		limits:   limits,
		accounts: map[string]*accountState{},
		clients:  map[string][]time.Time{},
		pairs:    map[string][]time.Time{},
		devices:  map[string][]time.Time{},
	}
}

// Limits returns the limits in force, defaults filled in.
func (t *Throttle) Limits() ThrottleLimits { return t.limits }

// accountKey folds an email as the database compares it.
func accountKey(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// Attempt is one sign-in attempt that the throttle let through and has
// already counted as a failure. Its caller reports how it ended: nothing
// more for a wrong password, Succeeded for a right one, Abandoned when no
// password was checked at all.
type Attempt struct {
	t                       *Throttle
	account, client, device string
	at                      time.Time
	done                    bool
}

// Begin decides whether client (an address) may try to sign in to account
// now. device is the known device the request carries for this account
// (its verified device cookie's id), or "". When the attempt may go ahead
// Begin counts it as a failure at once and returns it; otherwise it
// returns how long to wait, and the refused attempt counts for nothing.
func (t *Throttle) Begin(account, client, device string, now time.Time) (*Attempt, time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.sweep(now)
	account = accountKey(account)
	a := &Attempt{t: t, account: account, client: client, device: device, at: now}
	if device != "" {
		key := device + "\x00" + account
		times := within(t.devices[key], now.Add(-t.limits.AccountWindow))
		if len(times) >= t.limits.DeviceFailures {
			return nil, times[len(times)-t.limits.DeviceFailures].Add(t.limits.AccountWindow).Sub(now)
		}
		t.devices[key] = append(times, now)
		return a, 0
	}
	// Every limit that holds is weighed, and the longest wait is the one
	// told, so a client is never invited back while another limit still
	// holds it.
	var wait time.Duration
	clientTimes := t.recentClientFailures(client, now)
	if len(clientTimes) >= t.limits.ClientFailures {
		wait = max(wait, clientTimes[len(clientTimes)-t.limits.ClientFailures].Add(t.limits.ClientWindow).Sub(now))
	}
	pair := client + "\x00" + account
	pairTimes := within(t.pairs[pair], now.Add(-t.limits.AccountWindow))
	if len(pairTimes) >= t.limits.PairFailures {
		wait = max(wait, pairTimes[len(pairTimes)-t.limits.PairFailures].Add(t.limits.AccountWindow).Sub(now))
	}
	if s := t.accounts[account]; s != nil && now.Before(s.lockedUntil) {
		wait = max(wait, s.lockedUntil.Sub(now))
	}
	if wait > 0 {
		return nil, wait
	}
	t.pairs[pair] = append(pairTimes, now)
	t.clients[client] = append(t.clients[client], now)
	t.accountFailure(account, now)
	return a, 0
}

// accountFailure counts a failure on account, locking it at the limit.
func (t *Throttle) accountFailure(account string, now time.Time) {
	s := t.accounts[account]
	if s == nil {
		s = &accountState{}
		t.accounts[account] = s
	}
	s.failures = within(s.failures, now.Add(-t.limits.AccountWindow))
	if t.quiet(s, now) {
		s.wait = 0 // A quiet window after the last lock forgets it.
	}
	s.failures = append(s.failures, now)
	switch {
	case s.wait > 0:
		s.wait = min(2*s.wait, t.limits.AccountMaxWait)
	case len(s.failures) >= t.limits.AccountFailures:
		s.wait = t.limits.AccountWait
	default:
		return
	}
	s.lockedUntil = now.Add(s.wait)
}

// Succeeded records that the attempt's password was right: the attempt is
// no longer counted against the client or the device, and the account's
// failures and lock are forgotten. The client's and the (client, account)
// pair's earlier failures stay, so one good sign-in does not reset a
// guesser's count.
func (a *Attempt) Succeeded() {
	t := a.t
	t.mu.Lock()
	defer t.mu.Unlock()
	if a.done {
		return
	}
	a.done = true
	t.takeBack(a)
	delete(t.accounts, a.account)
}

// Abandoned takes the attempt back without deciding it: no password was
// checked (the hashing slots were all busy, or the request failed).
func (a *Attempt) Abandoned() {
	t := a.t
	t.mu.Lock()
	defer t.mu.Unlock()
	if a.done {
		return
	}
	a.done = true
	t.takeBack(a)
	if s := t.accounts[a.account]; s != nil && a.device == "" {
		s.failures = removeOne(s.failures, a.at)
		// The lock this attempt set, as the one that reached the limit,
		// goes with it.
		if len(s.failures) < t.limits.AccountFailures && s.wait == t.limits.AccountWait && s.lockedUntil.Equal(a.at.Add(s.wait)) {
			s.wait, s.lockedUntil = 0, time.Time{}
		}
	}
}

// takeBack removes the attempt from the per-client, per-pair and
// per-device counts.
func (t *Throttle) takeBack(a *Attempt) {
	if a.device != "" {
		key := a.device + "\x00" + a.account
		t.devices[key] = removeOne(t.devices[key], a.at)
		return
	}
	t.clients[a.client] = removeOne(t.clients[a.client], a.at)
	pair := a.client + "\x00" + a.account
	t.pairs[pair] = removeOne(t.pairs[pair], a.at)
}

// removeOne removes the last occurrence of at from times.
func removeOne(times []time.Time, at time.Time) []time.Time {
	for i := len(times) - 1; i >= 0; i-- {
		if times[i].Equal(at) {
			return append(times[:i:i], times[i+1:]...)
		}
	}
	return times
}

// quiet reports whether an account has had no failure within the window
// and its last lock ended a whole window ago, so that it starts afresh.
func (t *Throttle) quiet(a *accountState, now time.Time) bool {
	return len(within(a.failures, now.Add(-t.limits.AccountWindow))) == 0 &&
		!now.Before(a.lockedUntil.Add(t.limits.AccountWindow))
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

// sweep forgets, at most once a window, the accounts, clients, pairs and
// devices with nothing recent, so the maps cannot grow without bound.
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
	for _, m := range []struct {
		times  map[string][]time.Time
		window time.Duration
	}{{t.clients, t.limits.ClientWindow}, {t.pairs, t.limits.AccountWindow}, {t.devices, t.limits.AccountWindow}} {
		for k, times := range m.times {
			if len(within(times, now.Add(-m.window))) == 0 {
				delete(m.times, k)
			}
		}
	}
}
