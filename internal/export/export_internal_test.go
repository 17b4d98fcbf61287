package export

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestProgressSaysWhichPass checks that a progress line during the second
// pass counts the images it writes, not the pages the first pass wrote.
func TestProgressSaysWhichPass(t *testing.T) {
	var out strings.Builder
	long := time.Now().Add(-time.Minute)
	c := &crawl{opts: Options{Progress: &out}, start: long, lastReport: long, busy: 1}
	c.cond = sync.NewCond(&c.mu)
	c.stats.Pages = 31126
	c.done()
	if line := out.String(); !strings.HasPrefix(line, "31126 pages written, 0 queued, ") || !strings.HasSuffix(line, " pages/s\n") {
		t.Errorf("first pass: %q", line)
	}
	out.Reset()
	c.busy, c.lastReport = 1, long
	c.inLater, c.laterStart, c.queue = true, time.Now().Add(-10*time.Second), []string{"/cards/a.png", "/cards/b.png"}
	c.stats.Later = 300
	c.done()
	line := out.String()
	if !strings.HasPrefix(line, "300 images written, 2 queued, ") || !strings.HasSuffix(line, " images/s\n") {
		t.Errorf("second pass: %q", line)
	}
	// 300 images in about ten seconds.
	if !strings.Contains(line, " 30 images/s") && !strings.Contains(line, " 29 images/s") {
		t.Errorf("second pass rate not counted from its own start: %q", line)
	}
}

// TestRequestIsHTTPTestsRequest holds the export's request to the one
// httptest.NewRequest makes for the same target.
func TestRequestIsHTTPTestsRequest(t *testing.T) {
	ctx := context.WithValue(context.Background(), testKey{}, "v")
	for _, target := range []string{"/", "/films/paris-2008", "/films?genre=Drama&sort=rating", "/films/x/reviews?page=2&spoilers=hide",
		"/search?q=caf%C3%A9+cr%C3%A8me", "/static/style.1a2b.css", "/a%2Fb"} {
		got, err := request(ctx, target)
		if err != nil {
			t.Fatal(err)
		}
		want := httptest.NewRequestWithContext(ctx, http.MethodGet, target, nil)
		if got.Method != want.Method || got.URL.String() != want.URL.String() || got.URL.RawQuery != want.URL.RawQuery ||
			got.URL.Path != want.URL.Path || got.URL.RawPath != want.URL.RawPath || got.RequestURI != want.RequestURI ||
			got.Proto != want.Proto || got.ProtoMajor != want.ProtoMajor || got.ProtoMinor != want.ProtoMinor ||
			got.Host != want.Host || got.RemoteAddr != want.RemoteAddr || got.TLS != nil || got.Close != want.Close ||
			len(got.Header) != len(want.Header) || got.Header == nil || got.ContentLength != want.ContentLength ||
			got.Context().Value(testKey{}) != "v" {
			t.Errorf("request(%q) = %+v\nhttptest makes %+v", target, got, want)
		}
		if n, err := got.Body.Read(make([]byte, 1)); n != 0 || err != io.EOF {
			t.Errorf("request(%q) has a body", target)
		}
	}
	if _, err := request(ctx, "films"); err == nil {
		t.Error("a target that is not a path was taken")
	}
}

type testKey struct{}
