package main

import (
	"bufio"
	"bytes"
	"context"
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
