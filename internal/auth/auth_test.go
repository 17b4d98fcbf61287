package auth

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"marquee/internal/film"
)

func TestCheckPassword(t *testing.T) {
	tests := []struct {
		pw   string
		want error
	}{
		{"", ErrPasswordTooShort},
		{"seven77", ErrPasswordTooShort},
		{"ééééééé", ErrPasswordTooShort}, // 14 bytes but 7 characters
		{"password", ErrPasswordCommon},
		{"PassWord1", ErrPasswordCommon}, // compared without regard to case
		{"qwertyuiop", ErrPasswordCommon},
		{"iloveyou", ErrPasswordCommon},
		{"correct horse battery staple", nil},
		{"tram-lines-at-dusk", nil},
		{strings.Repeat("long passphrase ", 64), nil},                      // exactly 1,024 bytes
		{strings.Repeat("long passphrase ", 64) + "x", ErrPasswordTooLong}, // one byte more
	}
	for _, tt := range tests {
		if got := CheckPassword(tt.pw); !errors.Is(got, tt.want) {
			t.Errorf("CheckPassword(%.20q…) = %v, want %v", tt.pw, got, tt.want)
		}
	}
}

func TestCommonPasswordListIsLarge(t *testing.T) {
	if n := len(commonPasswords()); n < 1000 {
		t.Errorf("the common-password list has %d entries, want at least 1,000", n)
	}
}

func TestHashAndVerify(t *testing.T) {
	long := strings.Repeat("a very long passphrase that bcrypt would cut short ", 20)[:1000]
	hash, err := HashPassword(long)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash = %q, want the PHC argon2id form with m=19456,t=2,p=1", hash)
	}
	if ok, err := VerifyPassword(hash, long); !ok || err != nil {
		t.Errorf("VerifyPassword(right password) = %t, %v", ok, err)
	}
	// The whole password counts: changing its last byte fails.
	if ok, _ := VerifyPassword(hash, long[:999]+"X"); ok {
		t.Error("a password differing only in its 1,000th byte was accepted: passwords are truncated")
	}
	if ok, _ := VerifyPassword(hash, "wrong password"); ok {
		t.Error("a wrong password was accepted")
	}
	// Each hash has its own salt.
	again, _ := HashPassword(long)
	if again == hash {
		t.Error("two hashes of one password are equal: no per-password salt")
	}
	if NeedsRehash(hash) {
		t.Error("a fresh hash needs rehashing")
	}
}

func TestVerifyReadsParametersFromTheHash(t *testing.T) {
	// A hash made with other (cheaper) parameters still verifies, and is
	// reported as needing a rehash.
	p := Params{Memory: 64, Time: 1, Threads: 1, KeyLength: 32}
	salt := []byte("0123456789abcdef")
	hash := encodeHash(p, salt, argonKey("secret words", salt, p))
	if ok, err := VerifyPassword(hash, "secret words"); !ok || err != nil {
		t.Fatalf("VerifyPassword with m=64,t=1 = %t, %v", ok, err)
	}
	if !NeedsRehash(hash) {
		t.Error("a hash with old parameters does not need rehashing")
	}
	for _, bad := range []string{
		"", "plain", "$2a$10$abcdefghijklmnopqrstuv", "$argon2i$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
		"$argon2id$v=19$m=4194304,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA", // 4 GiB: refused
		"$argon2id$v=19$m=64,t=1,p=1$!!!$aGFzaGhhc2hoYXNoaGFzaA",
	} {
		if _, err := VerifyPassword(bad, "x"); !errors.Is(err, ErrMalformedHash) {
			t.Errorf("VerifyPassword(%q) error = %v, want ErrMalformedHash", bad, err)
		}
	}
}

func TestHashPasswordWithOtherParams(t *testing.T) {
	old := Params{Memory: 64, Time: 1, Threads: 1, KeyLength: 16}
	hash, err := HashPasswordWith("secret words", old)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Errorf("hash = %q, want the PHC form with m=64,t=1,p=1", hash)
	}
	if ok, err := VerifyPassword(hash, "secret words"); !ok || err != nil {
		t.Errorf("VerifyPassword = %t, %v", ok, err)
	}
	if !NeedsRehash(hash) {
		t.Error("a hash with other parameters does not need rehashing")
	}
	for _, bad := range []Params{
		{Memory: 64, Time: 1, Threads: 0, KeyLength: 32},
		{Memory: 64, Time: 0, Threads: 1, KeyLength: 32},
		{Memory: 4, Time: 1, Threads: 1, KeyLength: 32},
		{Memory: 2 << 20, Time: 1, Threads: 1, KeyLength: 32},
		{Memory: 64, Time: 1, Threads: 1, KeyLength: 8},
	} {
		if hash, err := HashPasswordWith("secret words", bad); err == nil {
			t.Errorf("HashPasswordWith(%+v) = %q, want an error", bad, hash)
		}
	}
}

func TestDummyHashMatchesDefaultParams(t *testing.T) {
	p, salt, key, err := decodeHash(dummyHash)
	if err != nil {
		t.Fatal(err)
	}
	want := DefaultParams
	if p != want || len(salt) < 16 || len(key) != int(want.KeyLength) {
		t.Errorf("dummy hash has %+v (salt %d bytes), want %+v: unknown emails would answer at another speed", p, len(salt), want)
	}
}

func TestGeneratePassword(t *testing.T) {
	a, b := GeneratePassword(), GeneratePassword()
	if a == b || CheckPassword(a) != nil || len(a) < 20 {
		t.Errorf("generated %q and %q", a, b)
	}
}

func TestCheckAccount(t *testing.T) {
	ok := film.User{Email: "ana@example.com", Name: "Ana", Role: film.RoleEditor}
	if err := CheckAccount(ok); err != nil {
		t.Errorf("CheckAccount(valid) = %v", err)
	}
	for _, tt := range []struct {
		u     film.User
		field string
	}{
		{film.User{Email: "", Name: "Ana", Role: film.RoleEditor}, "email"},
		{film.User{Email: "not an email", Name: "Ana", Role: film.RoleEditor}, "email"},
		{film.User{Email: "Ana <ana@example.com>", Name: "Ana", Role: film.RoleEditor}, "email"},
		{film.User{Email: "ana@example.com", Name: "  ", Role: film.RoleEditor}, "name"},
		{film.User{Email: "ana@example.com", Name: "Ana", Role: "owner"}, "role"},
		{film.User{Email: "ana@example.com", Name: "An\x00a", Role: film.RoleEditor}, "name"},
		{film.User{Email: "ana@example.com", Name: "\u202eAna", Role: film.RoleEditor}, "name"},
	} {
		var p film.Problems
		if err := CheckAccount(tt.u); !errors.As(err, &p) || p[tt.field] == "" {
			t.Errorf("CheckAccount(%+v) = %v, want a problem with %s", tt.u, err, tt.field)
		}
	}
}

// fail begins an attempt and leaves it failed, as a wrong password does;
// it reports the wait when the attempt was refused.
func fail(th *Throttle, account, client, device string, now time.Time) time.Duration {
	_, wait := th.Begin(account, client, device, now)
	return wait
}

// check reports the wait an attempt would get now, without counting one.
func check(th *Throttle, account, client, device string, now time.Time) time.Duration {
	a, wait := th.Begin(account, client, device, now)
	if a != nil {
		a.Abandoned()
	}
	return wait
}

func TestThrottlePerAccount(t *testing.T) {
	th := NewThrottle(ThrottleLimits{})
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	const acct = "Ed@Example.com"
	for i := range 4 {
		if w := fail(th, acct, "203.0.113."+strconv.Itoa(i), "", now); w != 0 {
			t.Fatalf("attempt %d refused (wait %v) before the limit", i+1, w)
		}
	}
	fail(th, "ed@example.com", "203.0.113.9", "", now) // Fifth failure, same account in other case.
	if w := check(th, acct, "203.0.113.9", "", now); w != time.Minute {
		t.Errorf("after 5 failures wait = %v, want 1m", w)
	}
	// The lock holds for the account from every address...
	if w := check(th, acct, "192.0.2.1", "", now); w == 0 {
		t.Error("another client is not held by the account's lock")
	}
	// ...and doubles with each further failure, up to 15 minutes.
	wants := []time.Duration{2 * time.Minute, 4 * time.Minute, 8 * time.Minute, 15 * time.Minute, 15 * time.Minute}
	for i, want := range wants {
		now = now.Add(check(th, acct, "192.0.2.1", "", now))
		if w := fail(th, acct, "198.51.100."+strconv.Itoa(i), "", now); w != 0 {
			t.Fatalf("refused after the wait: %v", w)
		}
		if w := check(th, acct, "192.0.2.1", "", now); w != want {
			t.Errorf("wait = %v, want %v", w, want)
		}
	}
	// A quiet window forgets everything.
	now = now.Add(31 * time.Minute)
	fail(th, acct, "192.0.2.2", "", now)
	if w := check(th, acct, "192.0.2.2", "", now); w != 0 {
		t.Errorf("after a quiet window one failure locks for %v", w)
	}
}

func TestThrottleCountsBeforeTheHash(t *testing.T) {
	// Begin counts the attempt at once: five attempts that have not yet
	// finished hold the sixth back, as five failures would.
	th := NewThrottle(ThrottleLimits{PairFailures: 5})
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	var open []*Attempt
	for i := range 5 {
		a, w := th.Begin("ed@example.com", "203.0.113.9", "", now)
		if a == nil {
			t.Fatalf("attempt %d refused (%v)", i+1, w)
		}
		open = append(open, a)
	}
	if a, _ := th.Begin("ed@example.com", "203.0.113.9", "", now); a != nil {
		t.Fatal("a sixth attempt began while five were being checked")
	}
	// The right password among them takes its own attempt back and
	// forgets the account's failures, but not the address's.
	open[4].Succeeded()
	if w := check(th, "ed@example.com", "192.0.2.1", "", now); w != 0 {
		t.Errorf("after a success another address waits %v", w)
	}
	if w := check(th, "ed@example.com", "203.0.113.9", "", now); w != 0 {
		t.Errorf("the pair budget was not given back for the right password: %v", w)
	}
	fail(th, "ed@example.com", "203.0.113.9", "", now)
	if w := check(th, "ed@example.com", "203.0.113.9", "", now); w == 0 {
		t.Error("the (address, account) failures were reset by the owner's success")
	}
}

func TestAbandonedAttemptCountsForNothing(t *testing.T) {
	// An attempt whose password was never checked (no hashing slot came
	// free) is taken back whole, the lock it would have set included.
	th := NewThrottle(ThrottleLimits{})
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	for i := range 4 {
		fail(th, "ed@example.com", "203.0.113."+strconv.Itoa(i), "", now)
	}
	a, _ := th.Begin("ed@example.com", "203.0.113.9", "", now)
	if a == nil {
		t.Fatal("the fifth attempt was refused")
	}
	if w := check(th, "ed@example.com", "192.0.2.1", "", now); w == 0 {
		t.Fatal("the fifth attempt, while it runs, does not lock the account")
	}
	a.Abandoned()
	if w := check(th, "ed@example.com", "192.0.2.1", "", now); w != 0 {
		t.Errorf("after the fifth attempt was abandoned the account is locked for %v", w)
	}
}

func TestThrottleLetsAKnownDeviceIn(t *testing.T) {
	th := NewThrottle(ThrottleLimits{})
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	const acct, shared = "ed@example.com", "192.0.2.1" // One address for everyone behind it.
	for i := range 25 {
		fail(th, "user"+strconv.Itoa(i)+"@example.com", shared, "", now)
		fail(th, acct, "203.0.113."+strconv.Itoa(i), "", now)
	}
	if w := check(th, acct, shared, "", now); w == 0 {
		t.Fatal("the flooded address is not held")
	}
	device := NewDeviceID()
	if w := check(th, acct, shared, device, now); w != 0 {
		t.Errorf("the editor's known device is locked out for %v by someone else's guesses", w)
	}
	// A known device has a budget of its own.
	for range 5 {
		fail(th, acct, shared, device, now)
	}
	if w := check(th, acct, shared, device, now); w == 0 {
		t.Error("a known device may guess without limit")
	}
}

func TestThrottlePerClient(t *testing.T) {
	th := NewThrottle(ThrottleLimits{})
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	const client = "203.0.113.9"
	for i := range 20 {
		// A different account each time, so only the client limit applies.
		acct := "user" + string(rune('a'+i)) + "@example.com"
		if w := fail(th, acct, client, "", now); w != 0 {
			t.Fatalf("attempt %d refused", i+1)
		}
		now = now.Add(time.Second)
	}
	w := check(th, "new@example.com", client, "", now)
	if w <= 0 || w > 15*time.Minute {
		t.Errorf("after 20 failures wait = %v, want until the oldest leaves the 15-minute window", w)
	}
	if w := check(th, "new@example.com", "198.51.100.1", "", now); w != 0 {
		t.Errorf("another client waits %v", w)
	}
	now = now.Add(w)
	if w := check(th, "new@example.com", client, "", now); w != 0 {
		t.Errorf("still refused after the wait: %v", w)
	}
}

func TestDeviceCookie(t *testing.T) {
	key := []byte("0123456789abcdef0123456789abcdef")
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	id := NewDeviceID()
	v := SignDevice(key, "Ed@example.com", id, now)
	if got := VerifyDevice(key, "ed@example.com", v, now.Add(time.Hour), 24*time.Hour); got != id {
		t.Errorf("genuine cookie = %q, want %q", got, id)
	}
	for name, tc := range map[string]struct {
		key     []byte
		account string
		value   string
		at      time.Time
	}{
		"other account": {key, "eve@example.com", v, now},
		"other key":     {[]byte("another key"), "ed@example.com", v, now},
		"expired":       {key, "ed@example.com", v, now.Add(24 * time.Hour)},
		"tampered":      {key, "ed@example.com", NewDeviceID() + v[22:], now},
		"garbage":       {key, "ed@example.com", "x.y.z", now},
	} {
		if got := VerifyDevice(tc.key, tc.account, tc.value, tc.at, 24*time.Hour); got != "" {
			t.Errorf("%s: accepted as %q", name, got)
		}
	}
}

func TestHashLimiterBoundsConcurrency(t *testing.T) {
	l := NewHashLimiter(2, 20*time.Millisecond)
	release := make(chan struct{})
	var started sync.WaitGroup
	started.Add(2)
	var running sync.WaitGroup
	for range 2 {
		running.Add(1)
		go func() {
			defer running.Done()
			_ = l.Do(context.Background(), func() { started.Done(); <-release })
		}()
	}
	started.Wait()
	if err := l.Do(context.Background(), func() { t.Error("a third hash ran while two were running") }); !errors.Is(err, ErrBusy) {
		t.Errorf("third Do = %v, want ErrBusy", err)
	}
	close(release)
	running.Wait()
	ran := false
	if err := l.Do(context.Background(), func() { ran = true }); err != nil || !ran {
		t.Errorf("Do after the slots freed = %v, ran %t", err, ran)
	}
}
