package markdown_test

import (
	"strings"
	"testing"
	"time"

	"marquee/internal/markdown"
)

func TestPerfTry(t *testing.T) {
	r := markdown.New()
	for name, src := range map[string]string{
		"lines of ||":       strings.Repeat("||x\n", 5000),
		"one line of ||x":   strings.Repeat("||x ", 5000),
		"code-stale":        strings.Repeat("||x `||`\n", 3000),
		"stars":             strings.Repeat("*a ", 10000),
		"brackets":          strings.Repeat("[", 10000),
		"block fences":      strings.Repeat("::: spoiler\n", 3000),
		"nested quote":      strings.Repeat(">", 5000) + " x",
		"nested list":       strings.Repeat("- ", 3000) + "x",
		"links in spoilers": strings.Repeat("[a ||b|| ", 3000),
		"pipes":             strings.Repeat("|", 20000),
		"pipes sp":          strings.Repeat("| ", 20000),
	} {
		start := time.Now()
		_, _ = r.Render(src)
		c := time.Since(start)
		start = time.Now()
		_, _ = r.RenderReader(src)
		rd := time.Since(start)
		start = time.Now()
		markdown.Excerpt(src, 100)
		ex := time.Since(start)
		t.Logf("%-20s len=%6d render=%v reader=%v excerpt=%v", name, len(src), c, rd, ex)
	}
}
