package loadbench

import (
	"context"
	"fmt"
	"os/exec"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// wrkResult is what one wrk run measured.
type wrkResult struct {
	Requests    int64
	RPS         float64
	P50, P99    time.Duration
	Non2xx3xx   int64
	SocketError int64 // connect, read, write and timeout errors together
}

// wrkOptions are the load wrk puts on a server.
type wrkOptions struct {
	Threads, Connections int
	Duration             time.Duration
	Headers              []string // "Name: value"
}

// runWrk loads url with wrk and returns what it measured.
func runWrk(ctx context.Context, wrk, url string, o wrkOptions) (wrkResult, error) {
	args := []string{
		"-t", strconv.Itoa(o.Threads), "-c", strconv.Itoa(o.Connections),
		"-d", strconv.Itoa(max(1, int(o.Duration.Round(time.Second)/time.Second))) + "s",
		"--timeout", "5s", "--latency",
	}
	for _, h := range o.Headers {
		args = append(args, "-H", h)
	}
	args = append(args, url)
	// wrk stops by itself after -d; the context bounds a hung run.
	ctx, cancel := context.WithTimeout(ctx, o.Duration+30*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, wrk, args...).CombinedOutput()
	if err != nil {
		return wrkResult{}, fmt.Errorf("wrk %s: %v\n%s", url, err, out)
	}
	res, err := parseWrk(string(out))
	if err != nil {
		return res, fmt.Errorf("wrk %s: %v\n%s", url, err, out)
	}
	return res, nil
}

var (
	wrkRequests = regexp.MustCompile(`(?m)^\s*(\d+) requests in `)
	wrkRPS      = regexp.MustCompile(`(?m)^Requests/sec:\s+([0-9.]+)`)
	wrkPercent  = regexp.MustCompile(`(?m)^\s+(50|99)(?:\.0+)?%\s+([0-9.]+)(us|ms|s|m)\s*$`)
	wrkSocket   = regexp.MustCompile(`(?m)^\s*Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)`)
	wrkNon2xx   = regexp.MustCompile(`(?m)^\s*Non-2xx or 3xx responses: (\d+)`)
)

// parseWrk reads wrk --latency output.
func parseWrk(out string) (wrkResult, error) {
	var r wrkResult
	m := wrkRPS.FindStringSubmatch(out)
	if m == nil {
		return r, fmt.Errorf("no Requests/sec line")
	}
	r.RPS, _ = strconv.ParseFloat(m[1], 64)
	if m := wrkRequests.FindStringSubmatch(out); m != nil {
		r.Requests, _ = strconv.ParseInt(m[1], 10, 64)
	}
	for _, m := range wrkPercent.FindAllStringSubmatch(out, -1) {
		v, _ := strconv.ParseFloat(m[2], 64)
		unit := map[string]time.Duration{"us": time.Microsecond, "ms": time.Millisecond, "s": time.Second, "m": time.Minute}[m[3]]
		d := time.Duration(v * float64(unit))
		if m[1] == "50" {
			r.P50 = d
		} else {
			r.P99 = d
		}
	}
	if r.P50 == 0 || r.P99 == 0 {
		return r, fmt.Errorf("no latency distribution (50%% and 99%% lines)")
	}
	if m := wrkSocket.FindStringSubmatch(out); m != nil {
		for _, s := range m[1:] {
			n, _ := strconv.ParseInt(s, 10, 64)
			r.SocketError += n
		}
	}
	if m := wrkNon2xx.FindStringSubmatch(out); m != nil {
		r.Non2xx3xx, _ = strconv.ParseInt(m[1], 10, 64)
	}
	return r, nil
}

// summary is the middle of several runs: the median of each figure, so
// one disturbed round does not move it.
type summary struct {
	RPS        float64
	P50, P99   time.Duration
	Rounds     []wrkResult
	Failed     int64 // responses that were not 2xx or 3xx, and socket errors
	Measured   bool
	Annotation string
}

func summarize(runs []wrkResult) summary {
	s := summary{Rounds: runs, Measured: len(runs) > 0}
	if len(runs) == 0 {
		return s
	}
	var rps []float64
	var p50, p99 []time.Duration
	for _, r := range runs {
		rps = append(rps, r.RPS)
		p50 = append(p50, r.P50)
		p99 = append(p99, r.P99)
		s.Failed += r.Non2xx3xx + r.SocketError
	}
	sort.Float64s(rps)
	sort.Slice(p50, func(i, j int) bool { return p50[i] < p50[j] })
	sort.Slice(p99, func(i, j int) bool { return p99[i] < p99[j] })
	mid := len(runs) / 2
	if len(runs)%2 == 1 {
		s.RPS, s.P50, s.P99 = rps[mid], p50[mid], p99[mid]
	} else {
		s.RPS = (rps[mid-1] + rps[mid]) / 2
		s.P50, s.P99 = (p50[mid-1]+p50[mid])/2, (p99[mid-1]+p99[mid])/2
	}
	return s
}

// String is the summary as the table shows it.
func (s summary) String() string {
	if !s.Measured {
		return "not measured"
	}
	out := fmt.Sprintf("%s req/s, p50 %s, p99 %s", thousands(s.RPS), ms(s.P50), ms(s.P99))
	if s.Failed > 0 {
		out += fmt.Sprintf(" (%d failed)", s.Failed)
	}
	if s.Annotation != "" {
		out += " " + s.Annotation
	}
	return out
}

// thousands writes a rate rounded to a whole number with thousands
// separators.
func thousands(v float64) string {
	s := strconv.FormatInt(int64(v+0.5), 10)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// ms writes a latency in milliseconds.
func ms(d time.Duration) string {
	v := float64(d) / float64(time.Millisecond)
	switch {
	case v < 10:
		return strconv.FormatFloat(v, 'f', 2, 64) + " ms"
	case v < 100:
		return strconv.FormatFloat(v, 'f', 1, 64) + " ms"
	}
	return strconv.FormatFloat(v, 'f', 0, 64) + " ms"
}
