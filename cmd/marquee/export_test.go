package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestExportCommand runs "marquee export" as a user would: it writes the
// seeded site with the given base URL, says how many pages it wrote and how
// fast, and refuses to write over an earlier export.
func TestExportCommand(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "marquee.db")
	mustRun(t, "seed", "-db", db)
	out := filepath.Join(dir, "site")
	stdout := mustRun(t, "export", "-db", db, "-base-url", "https://films.example", "-out", out)
	if !regexp.MustCompile(`\d+ pages \([\d.]+ MB\) in [\d.]+s: \d+ pages/s`).MatchString(stdout) {
		t.Errorf("export printed %q, want a summary with pages per second", stdout)
	}
	page, err := os.ReadFile(filepath.Join(out, "films", "paris-2008", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(page), `<link rel="canonical" href="https://films.example/films/paris-2008">`) {
		t.Error("the exported film page does not name its address under the base URL")
	}
	if strings.Contains(string(page), `class="rate"`) || !strings.Contains(string(page), "live site") {
		t.Error("the exported film page offers a rating form with no server to take it")
	}
	if _, _, err := runCommand(t, "export", "-db", db, "-out", out); err == nil {
		t.Error("export into a directory that holds an export succeeded")
	}
	if _, stderr, err := runCommand(t, "export", "-db", db); err == nil || !strings.Contains(stderr, "-out") {
		t.Errorf("export without -out: %v, %q", err, stderr)
	}
}
