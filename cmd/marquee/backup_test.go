package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"marquee/internal/film"
	"marquee/internal/sqlite"
)

// mustServeFile runs "marquee serve" on the database file at path and
// returns its URL; the server stops when the test ends.
func mustServeFile(tb testing.TB, path string) string {
	tb.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stdoutR, stdoutW := io.Pipe()
	logs := &syncBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "-addr", "127.0.0.1:0", "-db", path}, func(string) string { return "" }, nil, stdoutW, logs)
		stdoutW.Close()
	}()
	tb.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
		}
	})
	sc := bufio.NewScanner(stdoutR)
	for sc.Scan() {
		if _, after, ok := strings.Cut(sc.Text(), "serving at "); ok {
			go io.Copy(io.Discard, stdoutR)
			return strings.TrimSuffix(after, "/")
		}
	}
	tb.Fatalf("server on %s did not start: %v\n%s", path, <-done, logs)
	return ""
}

// countUsers counts the accounts in the database file at path.
func countUsers(tb testing.TB, path string) int {
	tb.Helper()
	conn, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		tb.Fatal(err)
	}
	defer conn.Close()
	var n int
	if err := conn.QueryRow("SELECT count(*) FROM users").Scan(&n); err != nil {
		tb.Fatal(err)
	}
	return n
}

// TestBackupUnderWritesRestoresAndServes takes a backup of a running
// site's database while accounts are being added to it, restores the
// backup into a new place and serves it through the real program: the
// copy is checked, private, holds a consistent moment (every account
// written before it began, none half-written), and the restored site
// serves its pages.
func TestBackupUnderWritesRestoresAndServes(t *testing.T) {
	s := mustStartServer(t)
	ctx := context.Background()
	writer, err := sqlite.Open(ctx, s.DBPath)
	if err != nil {
		t.Fatal(err)
	}
	defer writer.Close()
	var (
		written atomic.Int64
		stop    = make(chan struct{})
		wg      sync.WaitGroup
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			u := film.User{Email: fmt.Sprintf("writer%d@example.com", i), Name: "Writer", Role: film.RoleContributor, CreatedAt: time.Now()}
			if _, err := writer.CreateUser(ctx, u, "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA", 0); err != nil {
				t.Errorf("write %d during the backup: %v", i, err)
				return
			}
			written.Add(1)
		}
	}()
	for written.Load() < 20 {
		time.Sleep(time.Millisecond)
	}
	before := written.Load()
	out := filepath.Join(t.TempDir(), "backups", "site.db")
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if err := run(ctx, []string{"backup", "-db", s.DBPath, "-out", out}, func(string) string { return "" }, nil, &stdout, &stderr); err != nil {
		t.Fatalf("backup: %v\n%s", err, stderr.String())
	}
	after := written.Load()
	close(stop)
	wg.Wait()
	if !strings.Contains(stdout.String(), "checked") {
		t.Errorf("backup output = %q", stdout.String())
	}
	info, err := os.Stat(out)
	if err != nil {
		t.Fatal(err)
	}
	if mode := info.Mode().Perm(); mode != 0o600 {
		t.Errorf("backup file mode %o, want 600", mode)
	}
	if err := sqlite.CheckFile(ctx, out); err != nil {
		t.Fatalf("backup fails its check: %v", err)
	}
	if n := int64(countUsers(t, out)); n < before || n > after {
		t.Errorf("backup holds %d accounts; %d were written before it began and %d by its end", n, before, after)
	}
	// A second backup to the same name is refused, the first kept.
	if err := run(ctx, []string{"backup", "-db", s.DBPath, "-out", out}, func(string) string { return "" }, nil, &stdout, &stderr); err == nil {
		t.Error("a backup overwrote an existing file")
	}

	// Restore into a new place, and serve it.
	restored := filepath.Join(t.TempDir(), "restored", "marquee.db")
	stdout.Reset()
	if err := run(ctx, []string{"restore", "-from", out, "-db", restored}, func(string) string { return "" }, nil, &stdout, &stderr); err != nil {
		t.Fatalf("restore: %v\n%s", err, stderr.String())
	}
	if info, err := os.Stat(restored); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("restored file: %v, mode %v; want 600", err, info.Mode().Perm())
	}
	want := countUsers(t, out)
	url := mustServeFile(t, restored)
	resp, err := http.Get(url + "/films/paris-2008")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "Juliette Binoche") {
		t.Errorf("the restored site's film page = %d", resp.StatusCode)
	}
	if got := countUsers(t, restored); got != want {
		t.Errorf("restored site has %d accounts, the backup %d", got, want)
	}
}

// TestRestoreRefusesToReplaceALiveOrExistingDatabase: a database already
// in place is replaced only with -force, and never while a server has it
// open; a damaged backup is never restored.
func TestRestoreRefusesToReplaceALiveOrExistingDatabase(t *testing.T) {
	ctx := context.Background()
	live := mustStartServer(t)
	out := filepath.Join(t.TempDir(), "site.db")
	var stdout, stderr bytes.Buffer
	noEnv := func(string) string { return "" }
	if err := run(ctx, []string{"backup", "-db", live.DBPath, "-out", out}, noEnv, nil, &stdout, &stderr); err != nil {
		t.Fatalf("backup: %v", err)
	}
	err := run(ctx, []string{"restore", "-from", out, "-db", live.DBPath}, noEnv, nil, &stdout, &stderr)
	if err == nil || !strings.Contains(err.Error(), "-force") {
		t.Errorf("restore over an existing database without -force = %v, want a refusal naming -force", err)
	}
	err = run(ctx, []string{"restore", "-from", out, "-db", live.DBPath, "-force"}, noEnv, nil, &stdout, &stderr)
	if err == nil || !strings.Contains(err.Error(), "in use") {
		t.Errorf("restore over a live database with -force = %v, want a refusal: it is in use", err)
	}
	if status, _ := mustGet(t, live, "/healthz"); status != http.StatusOK {
		t.Errorf("the live site after the refused restore: /healthz = %d", status)
	}

	// Stopped, it may be replaced with -force; the old file is kept.
	if err := live.Stop(t); err != nil {
		t.Fatal(err)
	}
	stdout.Reset()
	if err := run(ctx, []string{"restore", "-from", out, "-db", live.DBPath, "-force"}, noEnv, nil, &stdout, &stderr); err != nil {
		t.Fatalf("restore -force on a stopped site: %v", err)
	}
	if !strings.Contains(stdout.String(), ".replaced-") {
		t.Errorf("restore does not say where the old database went: %q", stdout.String())
	}
	if kept, _ := filepath.Glob(live.DBPath + ".replaced-*"); len(kept) != 1 {
		t.Errorf("old database kept as %v, want one file", kept)
	}

	// A damaged backup is refused.
	damaged := filepath.Join(t.TempDir(), "damaged.db")
	if err := os.WriteFile(damaged, bytes.Repeat([]byte("not a database "), 1000), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := run(ctx, []string{"restore", "-from", damaged, "-db", filepath.Join(t.TempDir(), "new.db")}, noEnv, nil, &stdout, &stderr); err == nil {
		t.Error("a damaged backup was restored")
	}
}

// TestScheduledBackupsKeepTheNewest: serve -backup-dir writes a checked,
// private backup every -backup-every and keeps only the newest
// -backup-keep of them.
func TestScheduledBackupsKeepTheNewest(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "backups")
	s := mustStartServer(t, "-backup-dir", dir, "-backup-every", "150ms", "-backup-keep", "2")
	for deadline := time.Now().Add(30 * time.Second); strings.Count(s.Logs.String(), "backup written") < 4; {
		if time.Now().After(deadline) {
			t.Fatalf("fewer than 4 scheduled backups in 30s:\n%s", s.Logs)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err := s.Stop(t); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(s.Logs.String(), "level=ERROR") {
		t.Errorf("errors logged:\n%s", s.Logs)
	}
	names, err := filepath.Glob(filepath.Join(dir, "marquee-*.db"))
	if err != nil {
		t.Fatal(err)
	}
	if len(names) != 2 {
		t.Fatalf("%d backups kept, want the newest 2: %v", len(names), names)
	}
	for _, name := range names {
		if err := sqlite.CheckFile(context.Background(), name); err != nil {
			t.Errorf("%s: %v", filepath.Base(name), err)
		}
		if info, err := os.Stat(name); err != nil || info.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v, want 600", filepath.Base(name), info.Mode().Perm())
		}
	}
}
