package loadbench

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// writer rates a film every interval while a load runs, as a stream of
// new readers would: each rating comes from a fresh client with no cookie,
// from its own loopback address (127.10.x.y, all of which reach 127.0.0.1
// on Linux) so the per-address rating limit never refuses it. Right after
// each write it reads the film page anonymously, as the next visitor
// would, and checks that the page shows at least the count the write
// returned. Writes start on the tick whether or not the one before has
// finished (up to maxInFlight), so the rate holds however slow a write is.
type writer struct {
	base, slug string
	interval   time.Duration

	mu    sync.Mutex
	stats writeStats
	next  int // the next source address

	stop     chan struct{}
	done     chan struct{}
	inFlight sync.WaitGroup
	slots    chan struct{}
}

// maxInFlight bounds the writes waiting for an answer at once.
const maxInFlight = 32

// writeStats add up every write of a case.
type writeStats struct {
	Writes, Failed, Stale int
	Skipped               int // ticks with maxInFlight writes still waiting
	Elapsed               time.Duration
	Latencies             []time.Duration // of the write and its read together
	FirstProblem          string
}

func newWriter(base, slug string, interval time.Duration, firstAddr int) *writer {
	return &writer{base: base, slug: slug, interval: interval, next: firstAddr}
}

// start begins writing; stop ends it and waits.
func (w *writer) start() {
	w.stop, w.done = make(chan struct{}), make(chan struct{})
	if w.slots == nil {
		w.slots = make(chan struct{}, maxInFlight)
	}
	go func() {
		defer close(w.done)
		begin := time.Now()
		tick := time.NewTicker(w.interval)
		defer tick.Stop()
		for {
			select {
			case <-w.stop:
				w.inFlight.Wait()
				w.mu.Lock()
				w.stats.Elapsed += time.Since(begin)
				w.mu.Unlock()
				return
			case <-tick.C:
				select {
				case w.slots <- struct{}{}:
					w.inFlight.Add(1)
					go func() {
						defer func() { <-w.slots; w.inFlight.Done() }()
						w.once()
					}()
				default:
					w.mu.Lock()
					w.stats.Skipped++
					w.mu.Unlock()
				}
			}
		}
	}()
}

func (w *writer) end() {
	close(w.stop)
	<-w.done
}

// sourceIP is the n-th loopback address the writer sends from.
func sourceIP(n int) net.IP {
	return net.IPv4(127, 10, byte(n/250%250), byte(n%250+1))
}

var countOnPage = regexp.MustCompile(`class="count">from ([0-9,.\x{202f}\x{a0} ]+) ratings?<`)

// once writes one rating and reads the page after it.
func (w *writer) once() {
	w.mu.Lock()
	n := w.next
	w.next++
	w.mu.Unlock()
	start := time.Now()
	count, err := w.rate(n)
	var shown int
	if err == nil {
		shown, err = w.read()
	}
	elapsed := time.Since(start)
	w.mu.Lock()
	defer w.mu.Unlock()
	w.stats.Writes++
	switch {
	case err != nil:
		w.stats.Failed++
		if w.stats.FirstProblem == "" {
			w.stats.FirstProblem = err.Error()
		}
	case shown < count:
		w.stats.Stale++
		if w.stats.FirstProblem == "" {
			w.stats.FirstProblem = fmt.Sprintf("the write made the count %d, the next read showed %d", count, shown)
		}
	default:
		w.stats.Latencies = append(w.stats.Latencies, elapsed)
	}
}

// rate posts a rating from a new reader and returns the count it made.
func (w *writer) rate(n int) (int, error) {
	dialer := &net.Dialer{LocalAddr: &net.TCPAddr{IP: sourceIP(n)}, Timeout: 5 * time.Second}
	client := &http.Client{
		Transport:     &http.Transport{DialContext: dialer.DialContext, DisableKeepAlives: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       10 * time.Second,
	}
	form := url.Values{"rating": {strconv.Itoa(n%10 + 1)}}
	var cookies []*http.Cookie
	for {
		req, _ := http.NewRequest(http.MethodPost, w.base+"/films/"+w.slug+"/rating", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Accept", "application/json")
		for _, c := range cookies {
			req.AddCookie(c)
		}
		resp, err := client.Do(req)
		if err != nil {
			return 0, err
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return 0, err
		}
		if resp.StatusCode != http.StatusOK {
			return 0, fmt.Errorf("POST rating: %s: %.200s", resp.Status, body)
		}
		var answer struct {
			Count   int    `json:"count"`
			Confirm string `json:"confirm"`
		}
		if err := json.Unmarshal(body, &answer); err != nil {
			return 0, fmt.Errorf("POST rating: %v", err)
		}
		if answer.Confirm == "" || form.Get("confirm") != "" {
			return answer.Count, nil
		}
		// A new reader's first rating: send it again with the proof and
		// the cookie it is bound to, as the page's script does.
		form.Set("confirm", answer.Confirm)
		cookies = resp.Cookies()
	}
}

// readClient reads pages as an anonymous visitor (no cookie jar).
var readClient = &http.Client{Timeout: 10 * time.Second}

// read returns the rating count the film page shows.
func (w *writer) read() (int, error) {
	resp, err := readClient.Get(w.base + "/films/" + w.slug)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, err
	}
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("GET film page: %s", resp.Status)
	}
	m := countOnPage.FindSubmatch(body)
	if m == nil {
		return 0, fmt.Errorf("GET film page: no rating count on the page")
	}
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, string(m[1]))
	return strconv.Atoi(digits)
}

// result is what the writer did over all its runs.
func (w *writer) result() writeStats {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.stats
}
