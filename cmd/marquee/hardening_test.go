package main

import (
	"bytes"
	"context"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"marquee/internal/film"
)

// mustSeededFile makes a migrated, seeded database file through the real
// program and returns its path; nothing holds it open afterwards.
func mustSeededFile(tb testing.TB) string {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "marquee.db")
	var out, logs bytes.Buffer
	if err := run(context.Background(), []string{"seed", "-db", path}, func(string) string { return "" }, nil, &out, &logs); err != nil {
		tb.Fatalf("seed: %v\n%s", err, logs.String())
	}
	return path
}

// TestDamagedDatabaseIsRefusedAtStartUp writes 4 KiB of garbage into the
// middle of a real database file and starts the real program on it: it
// must refuse to serve, saying which file and how to restore it.
func TestDamagedDatabaseIsRefusedAtStartUp(t *testing.T) {
	path := mustSeededFile(t)
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	info, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	garbage := make([]byte, 4096)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range garbage {
		garbage[i] = byte(rng.UintN(256))
	}
	middle := info.Size() / 2 / 4096 * 4096
	if _, err := f.WriteAt(garbage, middle); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}

	var out, logs bytes.Buffer
	err = run(context.Background(), []string{"serve", "-addr", "127.0.0.1:0", "-db", path}, func(string) string { return "" }, nil, &out, &logs)
	if err == nil {
		t.Fatal("the server started on a damaged database")
	}
	if !errors.Is(err, film.ErrCorrupt) {
		t.Errorf("error = %v, want film.ErrCorrupt", err)
	}
	for _, want := range []string{path, "damaged", "marquee restore -from BACKUP", "backup"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the message does not say %q:\n%v", want, err)
		}
	}
	if strings.Contains(out.String(), "serving at") {
		t.Error("the server said it was serving")
	}
	if code := exitCode(err); code != 1 {
		t.Errorf("exit code = %d, want 1", code)
	}
}
