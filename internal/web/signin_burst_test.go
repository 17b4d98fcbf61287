package web_test

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"marquee/internal/auth"
	"marquee/internal/film"
	"marquee/internal/web"
)

// TestParallelSignInBurstChecksAtMostTheLimit sends 60 sign-ins to one
// account at once from one address, 59 wrong and the right one last, and
// counts the passwords that reached the hash: the throttle counts each
// attempt before hashing, so no more than the account's limit are checked
// however the requests interleave.
func TestParallelSignInBurstChecksAtMostTheLimit(t *testing.T) {
	var checked atomic.Int64
	s := mustSiteWith(t, web.Config{SignIn: web.SignInLimits{
		OnPasswordCheck: func() { checked.Add(1) },
		HashWait:        time.Minute, // No attempt is turned away for want of a hashing slot.
	}})
	s.mustAccount(t, "ed@example.com", film.RoleEditor)
	const n = 60
	var (
		wg       sync.WaitGroup
		start    = make(chan struct{})
		mu       sync.Mutex
		statuses = map[int]int{}
	)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b := s.newBrowser("203.0.113.9")
			password := "wrong guess " + strconv.Itoa(i)
			if i == n-1 {
				password = deskPassword
			}
			<-start
			resp, _ := b.signIn(t, "ed@example.com", password, "")
			mu.Lock()
			defer mu.Unlock()
			statuses[resp.StatusCode]++
		}()
	}
	close(start)
	wg.Wait()
	limit := auth.DefaultThrottleLimits.AccountFailures
	if got := checked.Load(); got != int64(limit) {
		t.Errorf("%d passwords were checked in a burst of %d, want exactly %d (the account's limit); statuses %v", got, n, limit, statuses)
	}
	if statuses[http.StatusTooManyRequests] != n-limit {
		t.Errorf("statuses = %v, want %d refused with 429", statuses, n-limit)
	}
}

// TestKnownDeviceSignsInThroughAFloodedAddress: everyone behind one
// address (an office, or a proxy that is not trusted) shares its limits;
// a flood of junk sign-ins from it, and guesses at the editor's account
// from everywhere, must not keep the editor's own browser, which carries
// the device cookie of an earlier sign-in, from signing in.
func TestKnownDeviceSignsInThroughAFloodedAddress(t *testing.T) {
	s := mustSite(t)
	s.mustAccount(t, "ed@example.com", film.RoleEditor)
	s.mustAccount(t, "ada@example.com", film.RoleAdmin)
	const shared = "192.0.2.10"
	editor := s.newBrowser(shared)
	editor.mustSignIn(t, "ed@example.com")
	if c := editor.cookies["marquee_device"]; c == nil || !c.HttpOnly || c.Path != "/admin" {
		t.Fatalf("no HttpOnly device cookie for the desk after a sign-in: %+v", c)
	}
	editor.do(t, http.MethodPost, "/admin/signout", nil, nil)

	flood := s.newBrowser(shared)
	for i := range 25 {
		flood.signIn(t, fmt.Sprintf("user%d@example.com", i), "junk", "")
	}
	for i := range 6 {
		s.newBrowser("198.51.100."+strconv.Itoa(i+1)).signIn(t, "ed@example.com", "guess "+strconv.Itoa(i), "")
	}
	// A browser with no device cookie on that address is held...
	if resp, _ := s.newBrowser(shared).signIn(t, "ed@example.com", deskPassword, ""); resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("unknown browser on the flooded address = %d, want 429", resp.StatusCode)
	}
	// ...and the editor's own is not.
	editor.mustSignIn(t, "ed@example.com")
	// The device cookie is the editor's only: it does not open another
	// account to the flooded address.
	other := s.newBrowser(shared)
	other.cookies["marquee_device"] = editor.cookies["marquee_device"]
	if resp, _ := other.signIn(t, "ada@example.com", deskPassword, ""); resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("another account with the editor's device cookie = %d, want 429", resp.StatusCode)
	}
	// A forged cookie counts for nothing.
	forged := s.newBrowser(shared)
	forged.cookies["marquee_device"] = &http.Cookie{Name: "marquee_device", Value: auth.NewDeviceID() + ".1700000000.forged"}
	if resp, _ := forged.signIn(t, "ed@example.com", deskPassword, ""); resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("a forged device cookie = %d, want 429", resp.StatusCode)
	}
}

// TestUntrustedProxyIsReportedOnce: requests from loopback that carry
// X-Forwarded-For while the proxy is not trusted mean a proxy stands in
// front unconfigured; the log says so once, loudly, and the header is not
// believed.
func TestUntrustedProxyIsReportedOnce(t *testing.T) {
	s := mustSite(t)
	fromProxy := http.Header{"X-Forwarded-For": {"203.0.113.7"}}
	s.newBrowser("203.0.113.8").do(t, http.MethodGet, "/healthz", nil, fromProxy)
	if strings.Contains(s.logs.String(), "PROXY DETECTED") {
		t.Fatal("a client that is not on loopback was taken for a proxy")
	}
	for range 3 {
		s.newBrowser("127.0.0.1").do(t, http.MethodGet, "/", nil, fromProxy)
	}
	if n := strings.Count(s.logs.String(), "PROXY DETECTED"); n != 1 {
		t.Errorf("warning logged %d times, want once:\n%s", n, s.logs.String())
	}
	if !strings.Contains(s.logs.String(), "level=WARN") || !strings.Contains(s.logs.String(), "-trust-proxy") {
		t.Errorf("the warning does not name the flag at WARN:\n%s", s.logs.String())
	}

	trusted := mustSiteWith(t, web.Config{TrustProxy: true})
	trusted.newBrowser("127.0.0.1").do(t, http.MethodGet, "/", nil, fromProxy)
	if strings.Contains(trusted.logs.String(), "PROXY DETECTED") {
		t.Error("warned although the proxy is trusted")
	}
}
