package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"runtime"
	"runtime/pprof"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// The soak test's bounds: after the run, with the clients' idle
// connections closed, the process may hold at most this many more
// goroutines and open files than it did after the warm-up, and its live
// heap may have grown by at most soakHeapGrowth. A leak of one goroutine,
// one file or a few kilobytes per request exceeds them within the run.
const (
	soakGoroutineGrowth = 25
	soakFDGrowth        = 25
	soakHeapGrowth      = 16 << 20
)

// TestSoak runs the real server for a few minutes (MARQUEE_SOAK_DURATION,
// 3m by default) under a steady mix of what readers do — page reads,
// ratings, helpful votes and reviews — from many simulated readers, each
// with its own cookies and address (the server trusts X-Forwarded-For
// here, so the per-client limits apply to each reader as they would on
// the real site; the addresses are documentation ones, and every request
// goes to 127.0.0.1). It asserts that no request got an error answer and
// that goroutines, open file descriptors and the live heap stayed within
// the bounds above. It is opt-in: MARQUEE_SOAK=1 (make soak);
// MARQUEE_SOAK_HEAP_PROFILE=FILE writes a heap profile at the end, for
// go tool pprof.
func TestSoak(t *testing.T) {
	if os.Getenv("MARQUEE_SOAK") != "1" {
		t.Skip("the soak test runs for minutes; set MARQUEE_SOAK=1 (make soak) to run it")
	}
	duration := 3 * time.Minute
	if d, err := time.ParseDuration(os.Getenv("MARQUEE_SOAK_DURATION")); err == nil && d > 0 {
		duration = d
	}
	// The server's log is kept only for its warnings and errors: a log
	// of every request, kept in memory, would be the test's own leak.
	serious := &seriousLines{}
	s := &server{URL: mustServeFileLogging(t, mustSeededFile(t), serious, "-trust-proxy")}
	transport := &http.Transport{MaxIdleConnsPerHost: 16}
	defer transport.CloseIdleConnections()

	var (
		sessions, requests atomic.Int64
		failMu             sync.Mutex
		failures           []string
	)
	fail := func(format string, args ...any) {
		failMu.Lock()
		defer failMu.Unlock()
		if len(failures) < 20 {
			failures = append(failures, fmt.Sprintf(format, args...))
		}
	}
	// session is one simulated reader's visit.
	session := func(n int64, rng *rand.Rand) {
		jar, _ := cookiejar.New(nil)
		client := &http.Client{Transport: transport, Jar: jar, Timeout: 30 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		// Each reader on a network of its own: the rating budgets count
		// an IPv6 address by its /64.
		addr := fmt.Sprintf("2001:db8:%x:%x::1", (n+1)>>16, (n+1)&0xffff)
		do := func(method, path string, form url.Values, want ...int) string {
			var body io.Reader
			if form != nil {
				body = strings.NewReader(form.Encode())
			}
			req, err := http.NewRequest(method, s.URL+path, body)
			if err != nil {
				fail("%s %s: %v", method, path, err)
				return ""
			}
			req.Header.Set("X-Forwarded-For", addr)
			if form != nil {
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.Header.Set("Origin", s.URL)
			}
			resp, err := client.Do(req)
			requests.Add(1)
			if err != nil {
				fail("%s %s: %v", method, path, err)
				return ""
			}
			defer resp.Body.Close()
			raw, _ := io.ReadAll(resp.Body)
			for _, w := range want {
				if resp.StatusCode == w {
					return string(raw)
				}
			}
			fail("%s %s = %d, want %v", method, path, resp.StatusCode, want)
			return string(raw)
		}
		for _, path := range []string{"/", "/films", "/films/paris-2008", "/people/juliette-binoche", "/search?q=paris", "/films?sort=rating"} {
			if rng.IntN(2) == 0 {
				do(http.MethodGet, path, nil, http.StatusOK)
			}
		}
		// A first rating is confirmed once (the stuffing defence's proof
		// step), as a reader without the script does with one click.
		rating := url.Values{"rating": {fmt.Sprint(1 + rng.IntN(10))}}
		if m := ratingProofField.FindStringSubmatch(do(http.MethodPost, "/films/paris-2008/rating", rating, http.StatusOK)); m != nil {
			rating.Set("confirm", m[1])
			do(http.MethodPost, "/films/paris-2008/rating", rating, http.StatusSeeOther)
		} else {
			fail("the first rating was not offered for confirmation")
		}
		page := do(http.MethodGet, "/films/paris-2008/reviews", nil, http.StatusOK)
		if m := soakHelpfulAction.FindStringSubmatch(page); m != nil {
			do(http.MethodPost, m[1], url.Values{}, http.StatusSeeOther)
		}
		if n%5 == 0 {
			// A review, sent at once: the site asks to confirm it, and
			// the confirmed one goes to moderation.
			form := url.Values{"display_name": {"Soak reader"}, "title": {fmt.Sprintf("Visit %d", n)}, "rating": {"7"},
				"body": {"A steady film, seen again and again. " + strings.Repeat("It holds up. ", rng.IntN(50))}, "website": {""}}
			confirm := do(http.MethodPost, "/films/paris-2008/reviews", form, http.StatusOK, http.StatusUnprocessableEntity)
			if m := soakFormToken.FindStringSubmatch(confirm); m != nil {
				form.Set("form_token", m[1])
				do(http.MethodPost, "/films/paris-2008/reviews", form, http.StatusSeeOther)
			} else {
				fail("the review was not offered for confirmation")
			}
		}
		sessions.Add(1)
	}

	// Each session is a new reader, with an address of its own.
	var readers atomic.Int64
	run := func(until time.Time, workers int) {
		var wg sync.WaitGroup
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				rng := rand.New(rand.NewPCG(uint64(w), 7))
				for time.Now().Before(until) {
					session(readers.Add(1), rng)
				}
			}()
		}
		wg.Wait()
	}

	// Warm up (caches fill, pools open), then take the baseline.
	run(time.Now().Add(10*time.Second), 4)
	transport.CloseIdleConnections()
	base := soakSample()
	t.Logf("after the warm-up: %s", base)

	start := time.Now()
	peak := base
	done := make(chan struct{})
	go func() {
		tick := time.NewTicker(10 * time.Second)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				now := soakSample()
				peak = peak.max(now)
				t.Logf("%s in: %d sessions, %d requests; %s", time.Since(start).Round(time.Second), sessions.Load(), requests.Load(), now)
			}
		}
	}()
	run(start.Add(duration), 4)
	close(done)
	transport.CloseIdleConnections()
	time.Sleep(time.Second) // Let the server see the connections close.
	end := soakSample()
	t.Logf("end: %s; peak while running: %s; %d sessions, %d requests in %s", end, peak,
		sessions.Load(), requests.Load(), time.Since(start).Round(time.Second))

	if name := os.Getenv("MARQUEE_SOAK_HEAP_PROFILE"); name != "" {
		if f, err := os.Create(name); err == nil {
			_ = pprof.WriteHeapProfile(f)
			f.Close()
			t.Logf("heap profile written to %s", name)
		}
	}
	for _, f := range failures {
		t.Error(f)
	}
	if lines := serious.String(); lines != "" {
		t.Errorf("the server logged warnings or errors:\n%s", lines)
	}
	if g := end.goroutines - base.goroutines; g > soakGoroutineGrowth {
		t.Errorf("goroutines grew by %d (from %d to %d), more than %d", g, base.goroutines, end.goroutines, soakGoroutineGrowth)
	}
	if f := end.fds - base.fds; f > soakFDGrowth {
		t.Errorf("open files grew by %d (from %d to %d), more than %d", f, base.fds, end.fds, soakFDGrowth)
	}
	if h := int64(end.heap) - int64(base.heap); h > soakHeapGrowth {
		t.Errorf("live heap grew by %d MiB (from %d to %d MiB), more than %d MiB", h>>20, base.heap>>20, end.heap>>20, soakHeapGrowth>>20)
	}
}

// soakHelpfulAction and soakFormToken find the helpful-vote form and a review
// form's token in a page.
var (
	soakHelpfulAction = regexp.MustCompile(`action="(/reader-reviews/\d+/helpful)"`)
	soakFormToken     = regexp.MustCompile(`name="form_token" value="([^"]+)"`)
)

// soakFigures are what the soak test watches in its process, which runs
// the server.
type soakFigures struct {
	goroutines, fds int
	heap            uint64
}

func (a soakFigures) max(b soakFigures) soakFigures {
	return soakFigures{max(a.goroutines, b.goroutines), max(a.fds, b.fds), max(a.heap, b.heap)}
}

func (a soakFigures) String() string {
	return fmt.Sprintf("%d goroutines, %d open files, %d MiB live heap", a.goroutines, a.fds, a.heap>>20)
}

// soakSample counts goroutines and open files and measures the live heap
// after a collection.
func soakSample() soakFigures {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	fds := -1
	if entries, err := os.ReadDir("/proc/self/fd"); err == nil {
		fds = len(entries)
	}
	return soakFigures{goroutines: runtime.NumGoroutine(), fds: fds, heap: m.HeapAlloc}
}

// seriousLines keeps the log lines at WARN or ERROR written to it and
// drops the rest.
type seriousLines struct {
	mu   sync.Mutex
	kept strings.Builder
}

func (l *seriousLines) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, line := range strings.SplitAfter(string(p), "\n") {
		if (strings.Contains(line, "level=WARN") || strings.Contains(line, "level=ERROR")) && l.kept.Len() < 1<<16 {
			l.kept.WriteString(line)
		}
	}
	return len(p), nil
}

func (l *seriousLines) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.kept.String()
}

// mustServeFileLogging runs "marquee serve" on the database file at path,
// its log written to logs, and returns its URL; the server stops when the
// test ends.
func mustServeFileLogging(tb testing.TB, path string, logs io.Writer, extraArgs ...string) string {
	tb.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stdoutR, stdoutW := io.Pipe()
	done := make(chan error, 1)
	args := append([]string{"serve", "-addr", "127.0.0.1:0", "-db", path}, extraArgs...)
	go func() {
		done <- run(ctx, args, func(string) string { return "" }, nil, stdoutW, logs)
		stdoutW.Close()
	}()
	tb.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
		}
	})
	sc := bufio.NewScanner(stdoutR)
	for sc.Scan() {
		if _, after, ok := strings.Cut(sc.Text(), "serving at "); ok {
			go io.Copy(io.Discard, stdoutR)
			return strings.TrimSuffix(after, "/")
		}
	}
	tb.Fatalf("server on %s did not start: %v", path, <-done)
	return ""
}
