package export

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
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

// TestFollowResolvesRelativeLinksOnEachPage crawls two pages that carry
// the same relative link and the same absolute one: the absolute link is
// known after the first page, the relative one leads somewhere else from
// each page, and both places are exported.
func TestFollowResolvesRelativeLinksOnEachPage(t *testing.T) {
	pages := map[string]string{
		"/":           `<a href="/a/">a</a> <a href="/b/">b</a>`,
		"/a/":         `<a href="next">n</a> <a href="/shared">s</a> <a href="https://elsewhere.example/x">e</a>`,
		"/b/":         `<a href="next">n</a> <a href="/shared">s</a> <a href="https://elsewhere.example/x">e</a>`,
		"/a/next":     `a's next`,
		"/b/next":     `b's next`,
		"/shared":     `shared`,
		"/robots.txt": "",
	}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := pages[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "public, max-age=60")
		io.WriteString(w, body)
	})
	out := t.TempDir()
	st, err := Export(context.Background(), h, Options{Out: out, Start: []string{"/"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range []string{"index.html", "a/index.html", "b/index.html", "a/next/index.html", "b/next/index.html", "shared/index.html"} {
		if _, err := os.Stat(filepath.Join(out, file)); err != nil {
			t.Errorf("%s was not exported: %v", file, err)
		}
	}
	if st.Pages != 6 {
		t.Errorf("exported %d pages, want 6", st.Pages)
	}
}

func TestSameFromEveryPage(t *testing.T) {
	for link, want := range map[string]bool{
		"/films/x":               true,
		"//cdn.example/x":        true,
		"https://films.example/": true,
		"mailto:a@b.example":     true,
		"web+x:y":                true,
		"next":                   false,
		"../up":                  false,
		"?page=2":                false,
		"#top":                   false,
		"":                       false,
		"a/b:c":                  false,
		"1x:y":                   false,
	} {
		if got := sameFromEveryPage(link); got != want {
			t.Errorf("sameFromEveryPage(%q) = %v, want %v", link, got, want)
		}
	}
}
