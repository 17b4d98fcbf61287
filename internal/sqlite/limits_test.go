package sqlite

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// plainLimit is a LIMIT bound to a plain placeholder, "LIMIT ?" or
// "LIMIT ?3".
var plainLimit = regexp.MustCompile(`(?i)\bLIMIT\s+\?`)

// TestStatementsDoNotBindAPlainLimit reads the store's source: no
// statement may bind its LIMIT as a plain placeholder. SQLite reads the
// value of one while planning, and so prepares the statement again every
// time it runs, as if it were never prepared; "LIMIT +?" is the same
// number, unread (filmsql.Dialect.Limit). The statements are written in
// many places and built in some, which is why the source is what is
// read.
func TestStatementsDoNotBindAPlainLimit(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(src), "\n") {
			if strings.HasPrefix(strings.TrimSpace(line), "//") {
				continue
			}
			if strings.Contains(line, "LIMIT +?") {
				checked++
			}
			if plainLimit.MatchString(line) {
				t.Errorf("%s:%d binds a plain LIMIT: %s", name, i+1, strings.TrimSpace(line))
			}
		}
	}
	if checked < 20 {
		t.Errorf("found %d statements with LIMIT +?, expected the store's twenty and more: is this the store's directory?", checked)
	}
}
