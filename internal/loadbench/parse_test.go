package loadbench

import (
	"testing"
	"time"
)

// TestParseWrk reads wrk --latency output; it runs in every test run,
// unlike the benchmark.
func TestParseWrk(t *testing.T) {
	out := `Running 1s test @ http://127.0.0.1:18090/nonexistent
  1 threads and 1 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   824.60us    1.26ms  16.15ms   95.34%
    Req/Sec     1.34k   396.27     1.95k    70.00%
  Latency Distribution
     50%  543.00us
     75%  791.00us
     90%    1.24ms
     99%    6.39ms
  1332 requests in 1.00s, 676.59KB read
  Socket errors: connect 0, read 2, write 0, timeout 3
  Non-2xx or 3xx responses: 1332
Requests/sec:   1329.82
Transfer/sec:    675.48KB
`
	r, err := parseWrk(out)
	if err != nil {
		t.Fatal(err)
	}
	want := wrkResult{Requests: 1332, RPS: 1329.82, P50: 543 * time.Microsecond, P99: 6390 * time.Microsecond, Non2xx3xx: 1332, SocketError: 5}
	if r != want {
		t.Errorf("parseWrk = %+v, want %+v", r, want)
	}
	if _, err := parseWrk("Running 1s test\n"); err == nil {
		t.Error("parseWrk accepted output without figures")
	}
}

func TestSummarizeTakesTheMedian(t *testing.T) {
	s := summarize([]wrkResult{
		{RPS: 100, P50: 3 * time.Millisecond, P99: 9 * time.Millisecond},
		{RPS: 300, P50: 1 * time.Millisecond, P99: 30 * time.Millisecond},
		{RPS: 200, P50: 2 * time.Millisecond, P99: 10 * time.Millisecond},
	})
	if s.RPS != 200 || s.P50 != 2*time.Millisecond || s.P99 != 10*time.Millisecond {
		t.Errorf("summarize = %v", s)
	}
	if got := thousands(1234567.6); got != "1,234,568" {
		t.Errorf("thousands = %q", got)
	}
}
