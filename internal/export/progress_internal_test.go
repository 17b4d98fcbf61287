package export

import (
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
