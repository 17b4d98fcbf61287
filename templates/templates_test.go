package templates

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestNoRawHTML keeps the one door for unescaped markup shut: Markdown
// output reaches a page as markdown.HTML, which only internal/markdown can
// make, so no template may print a string unescaped with templ.Raw.
func TestNoRawHTML(t *testing.T) {
	files, err := filepath.Glob("*.templ")
	if err != nil {
		t.Fatal(err)
	}
	goFiles, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no templates found")
	}
	for _, name := range append(files, goFiles...) {
		if strings.HasSuffix(name, "_templ.go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(src), "\n") {
			if strings.Contains(line, "templ.Raw(") || strings.Contains(line, "templ.Attributes") {
				t.Errorf("%s:%d prints unescaped or unchecked markup: %s", name, i+1, strings.TrimSpace(line))
			}
		}
	}
}
