package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"errors"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

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

// damagePage writes 4 KiB of garbage over a database file's page: the
// middle page when table is "", else the first page of that table.
func damagePage(t *testing.T, path, table string) {
	t.Helper()
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	var pageSize, pages, page int64
	if err := db.QueryRow("PRAGMA page_size").Scan(&pageSize); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow("PRAGMA page_count").Scan(&pages); err != nil {
		t.Fatal(err)
	}
	page = pages/2 + 1
	if table != "" {
		if err := db.QueryRow("SELECT rootpage FROM sqlite_schema WHERE type = 'table' AND name = ?", table).Scan(&page); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	garbage := make([]byte, pageSize)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range garbage {
		garbage[i] = byte(rng.UintN(256))
	}
	if _, err := f.WriteAt(garbage, (page-1)*pageSize); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestDamagedDatabaseIsRefused damages a real database file. An export
// fails on it (its check of the whole file runs beside it and stops it),
// and serve refuses it when what it reads to start (the site's secrets)
// is damaged; both say which file and how to restore it, and exit 1.
func TestDamagedDatabaseIsRefused(t *testing.T) {
	for _, c := range []struct {
		name, table string
		args        []string
	}{
		{"export", "", []string{"export", "-out", filepath.Join(t.TempDir(), "site")}},
		{"export, damage in the trivia", "trivia", []string{"export", "-out", filepath.Join(t.TempDir(), "site2")}},
		{"serve", "settings", []string{"serve", "-addr", "127.0.0.1:0"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := mustSeededFile(t)
			damagePage(t, path, c.table)
			var out, logs bytes.Buffer
			err := run(context.Background(), append(c.args, "-db", path), func(string) string { return "" }, nil, &out, &logs)
			if err == nil {
				t.Fatal("it ran on a damaged database")
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
		})
	}
}

// TestDamagedDatabaseIsFoundWhileServing starts the real server on a file
// whose damage start-up does not read (the trivia table). It starts at
// once, since the check of the whole file runs while it serves, and when
// the check finds the damage the health check fails with the reason and
// the log says how to restore (that the store then refuses writes is
// internal/web's TestDamageStopsWritesAndShowsInHealth).
func TestDamagedDatabaseIsFoundWhileServing(t *testing.T) {
	path := mustSeededFile(t)
	damagePage(t, path, "trivia")

	s := mustStartServer(t, "-db", path)
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(s.Logs.String(), "database damaged") {
		if time.Now().After(deadline) {
			t.Fatalf("no damage reported within 30s; logs:\n%s", s.Logs)
		}
		time.Sleep(20 * time.Millisecond)
	}
	for _, want := range []string{path, "marquee restore -from BACKUP", "level=ERROR"} {
		if !strings.Contains(s.Logs.String(), want) {
			t.Errorf("the log does not say %q:\n%s", want, s.Logs)
		}
	}
	status, body := mustGet(t, s, "/healthz")
	if status != http.StatusServiceUnavailable || !strings.Contains(body, "database damaged") || !strings.Contains(body, "malformed") {
		t.Errorf("/healthz = %d %q, want 503 naming the damage", status, body)
	}
}

// TestStopDrainsCleanly: with nothing in flight, a stop exits 0 at once.
func TestStopDrainsCleanly(t *testing.T) {
	s := mustStartServer(t, "-shutdown-grace", "5s")
	if status, _ := mustGet(t, s, "/healthz"); status != http.StatusOK {
		t.Fatalf("/healthz = %d", status)
	}
	if err := s.Stop(t); err != nil {
		t.Fatalf("stop = %v, want a clean exit", err)
	}
	if !strings.Contains(s.Logs.String(), "msg=stopped") || strings.Contains(s.Logs.String(), "cut off") {
		t.Errorf("logs do not show a clean stop:\n%s", s.Logs)
	}
}

// TestStopCutsOffRequestsPastTheGrace: a request still arriving when the
// grace runs out (its client stalled mid-body) has its connection closed
// without an answer; the program says so at WARN and still exits 0.
func TestStopCutsOffRequestsPastTheGrace(t *testing.T) {
	s := mustStartServer(t, "-shutdown-grace", "200ms")
	conn, err := net.Dial("tcp", strings.TrimPrefix(s.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.Write([]byte("POST /admin/signin HTTP/1.1\r\nHost: localhost\r\n" +
		"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nemail=")); err != nil {
		t.Fatal(err)
	}
	// Give the server a moment to take the request in (a wait, not a
	// measurement: the test passes whatever the timing).
	time.Sleep(200 * time.Millisecond)
	if err := s.Stop(t); err != nil {
		t.Fatalf("stop = %v, want exit 0 after cutting the request off", err)
	}
	logs := s.Logs.String()
	if !strings.Contains(logs, "level=WARN") || !strings.Contains(logs, "cut off") {
		t.Errorf("the cut-off request is not reported at WARN:\n%s", logs)
	}
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	if resp, err := http.ReadResponse(bufio.NewReader(conn), nil); err == nil {
		t.Errorf("the cut-off request got an answer: %d", resp.StatusCode)
	}
}

// TestShutdownGraceFromTheEnvironment: MARQUEE_SHUTDOWN_GRACE sets the
// grace, and a value that is not a duration is refused as a usage error.
func TestShutdownGraceFromTheEnvironment(t *testing.T) {
	var out, logs bytes.Buffer
	env := func(k string) string {
		if k == "MARQUEE_SHUTDOWN_GRACE" {
			return "soon"
		}
		return ""
	}
	err := run(context.Background(), []string{"serve", "-addr", "127.0.0.1:0", "-db", filepath.Join(t.TempDir(), "m.db")}, env, nil, &out, &logs)
	if exitCode(err) != 2 || !strings.Contains(logs.String(), "MARQUEE_SHUTDOWN_GRACE") {
		t.Errorf("bad grace = %v (exit %d), want a usage error naming the variable\n%s", err, exitCode(err), logs.String())
	}
	err = run(context.Background(), []string{"serve", "-shutdown-grace", "-1s", "-db", filepath.Join(t.TempDir(), "m.db")}, func(string) string { return "" }, nil, &out, &logs)
	if exitCode(err) != 2 {
		t.Errorf("negative grace = %v, want a usage error", err)
	}
}

// TestStartUpWarnsOfAnUntrustedProxy: an https base URL served on
// loopback without -trust-proxy means a TLS proxy in front that is not
// trusted; the start-up log says so at WARN, and not once it is trusted.
func TestStartUpWarnsOfAnUntrustedProxy(t *testing.T) {
	s := mustStartServer(t, "-base-url", "https://marquee.example")
	if logs := s.Logs.String(); !strings.Contains(logs, "level=WARN") || !strings.Contains(logs, "PROXY LIKELY") {
		t.Errorf("no start-up warning:\n%s", logs)
	}
	trusted := mustStartServer(t, "-base-url", "https://marquee.example", "-trust-proxy")
	if strings.Contains(trusted.Logs.String(), "PROXY LIKELY") {
		t.Error("warned although the proxy is trusted")
	}
	plain := mustStartServer(t)
	if strings.Contains(plain.Logs.String(), "PROXY LIKELY") {
		t.Error("warned for a plain-HTTP site")
	}
}
