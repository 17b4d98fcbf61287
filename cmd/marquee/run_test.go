package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for the server's goroutines to write
// while a test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// server is a running Marquee started through run, as a user starts it.
type server struct {
	URL    string
	DBPath string
	Logs   *syncBuffer
	stop   context.CancelFunc
	done   chan struct{} // closed when run has returned
	err    error         // run's result, set before done closes
}

// Stop sends the equivalent of SIGINT and returns run's result.
func (s *server) Stop(tb testing.TB) error {
	tb.Helper()
	s.stop()
	select {
	case <-s.done:
		return s.err
	case <-time.After(20 * time.Second):
		tb.Fatal("server did not stop within 20s of the stop signal")
		return nil
	}
}

// mustStartServer runs "marquee serve" on a free port with a new database
// file in a temporary directory, waits until it prints its address, and
// stops it when the test ends.
func mustStartServer(tb testing.TB, extraArgs ...string) *server {
	tb.Helper()
	return mustStartServerWith(tb, deps{now: time.Now}, extraArgs...)
}

// mustStartServerWith is mustStartServer with the program's dependencies
// given, such as a clock the test moves.
func mustStartServerWith(tb testing.TB, d deps, extraArgs ...string) *server {
	tb.Helper()
	dbPath := filepath.Join(tb.TempDir(), "data", "marquee.db")
	ctx, cancel := context.WithCancel(context.Background())
	stdoutR, stdoutW := io.Pipe()
	logs := &syncBuffer{}
	s := &server{DBPath: dbPath, Logs: logs, stop: cancel, done: make(chan struct{})}
	args := append([]string{"serve", "-addr", "127.0.0.1:0", "-db", dbPath}, extraArgs...)
	go func() {
		s.err = runWith(ctx, d, args, func(string) string { return "" }, nil, stdoutW, logs)
		stdoutW.Close()
		close(s.done)
	}()
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdoutR)
		for sc.Scan() {
			if _, after, ok := strings.Cut(sc.Text(), "serving at "); ok {
				urls <- strings.TrimSuffix(after, "/")
			}
		}
		close(urls)
	}()
	select {
	case url, ok := <-urls:
		if !ok {
			<-s.done
			tb.Fatalf("server exited before serving: %v\nlogs:\n%s", s.err, logs)
		}
		s.URL = url
	case <-time.After(60 * time.Second):
		cancel()
		tb.Fatalf("server did not start within 60s\nlogs:\n%s", logs)
	}
	tb.Cleanup(func() {
		cancel()
		select {
		case <-s.done:
		case <-time.After(20 * time.Second):
		}
	})
	return s
}

// mustGet fetches path from s and returns the status and body.
func mustGet(tb testing.TB, s *server, path string) (int, string) {
	tb.Helper()
	resp, err := http.Get(s.URL + path)
	if err != nil {
		tb.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatalf("GET %s: read body: %v", path, err)
	}
	return resp.StatusCode, string(body)
}

func TestServeSeedsNewDatabaseAndServesFilm(t *testing.T) {
	s := mustStartServer(t)
	if _, err := os.Stat(s.DBPath); err != nil {
		t.Fatalf("database file was not created: %v", err)
	}
	status, body := mustGet(t, s, "/films/paris-2008")
	if status != http.StatusOK {
		t.Fatalf("GET /films/paris-2008 = %d, want 200", status)
	}
	for _, want := range []string{"Juliette Binoche", "Gnossienne N°1", "Radio-Canada Audience Award"} {
		if !strings.Contains(body, want) {
			t.Errorf("film page lacks %q", want)
		}
	}
	if status, _ := mustGet(t, s, "/"); status != http.StatusOK {
		t.Errorf("GET / = %d, want 200", status)
	}
	if status, _ := mustGet(t, s, "/healthz"); status != http.StatusOK {
		t.Errorf("GET /healthz = %d, want 200", status)
	}
	if status, _ := mustGet(t, s, "/no/such/page"); status != http.StatusNotFound {
		t.Errorf("GET /no/such/page = %d, want 404", status)
	}
	if err := s.Stop(t); err != nil {
		t.Fatalf("run returned %v after the stop signal, want nil (exit 0)", err)
	}
	logs := s.Logs.String()
	for _, want := range []string{"applied migration", "seeded", "msg=request", "path=/films/paris-2008", "status=200", "stopped"} {
		if !strings.Contains(logs, want) {
			t.Errorf("logs lack %q:\n%s", want, logs)
		}
	}
}

// TestStopClosesListenerAndDatabase checks the stop sequence: after the
// signal, run returns nil (exit 0), the port refuses connections and the
// database file is closed cleanly (its WAL checkpointed away).
func TestStopClosesListenerAndDatabase(t *testing.T) {
	s := mustStartServer(t)
	if status, _ := mustGet(t, s, "/films/paris-2008"); status != http.StatusOK {
		t.Fatalf("film page = %d before stop", status)
	}
	if err := s.Stop(t); err != nil {
		t.Fatalf("run returned %v after the stop signal, want nil", err)
	}
	if conn, err := net.DialTimeout("tcp", strings.TrimPrefix(s.URL, "http://"), time.Second); err == nil {
		conn.Close()
		t.Errorf("server still accepts connections after stopping")
	}
	// SQLite removes the -wal file when the last connection closes cleanly.
	if _, err := os.Stat(s.DBPath + "-wal"); !os.IsNotExist(err) {
		t.Errorf("WAL file still present after stop (err=%v): the database was not closed", err)
	}
}

func TestServeKeepsExistingDatabase(t *testing.T) {
	s := mustStartServer(t)
	if err := s.Stop(t); err != nil {
		t.Fatal(err)
	}
	// A second start on the same file must neither migrate nor seed again.
	ctx, cancel := context.WithCancel(context.Background())
	logs := &syncBuffer{}
	stdoutR, stdoutW := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-db", s.DBPath}, func(string) string { return "" }, nil, stdoutW, logs)
		stdoutW.Close()
	}()
	line, _ := bufio.NewReader(stdoutR).ReadString('\n')
	cancel()
	go io.Copy(io.Discard, stdoutR)
	if err := <-done; err != nil {
		t.Fatalf("second run: %v", err)
	}
	if !strings.Contains(line, "serving at") {
		t.Fatalf("second run printed %q, want the address", line)
	}
	if strings.Contains(logs.String(), "applied migration") || strings.Contains(logs.String(), "seeded") {
		t.Errorf("second start migrated or seeded again:\n%s", logs)
	}
}

func TestMigrateAndSeedCommands(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "marquee.db")
	env := func(key string) string {
		if key == "MARQUEE_DB" {
			return dbPath // The environment sets the database when no flag does.
		}
		return ""
	}
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), []string{"migrate"}, env, nil, &stdout, &stderr); err != nil {
		t.Fatalf("migrate: %v\n%s", err, stderr.String())
	}
	if !strings.Contains(stderr.String(), "0001_initial.sql") {
		t.Errorf("migrate did not report the migration it applied:\n%s", stderr.String())
	}
	stderr.Reset()
	if err := run(context.Background(), []string{"migrate"}, env, nil, &stdout, &stderr); err != nil {
		t.Fatalf("second migrate: %v", err)
	}
	if strings.Contains(stderr.String(), "applied migration") {
		t.Errorf("second migrate applied a migration again:\n%s", stderr.String())
	}
	for i, want := range []string{"films_added=1", "films_added=0"} {
		stderr.Reset()
		if err := run(context.Background(), []string{"seed", "-log-format", "text"}, env, nil, &stdout, &stderr); err != nil {
			t.Fatalf("seed run %d: %v", i+1, err)
		}
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("seed run %d: logs lack %q:\n%s", i+1, want, stderr.String())
		}
	}
}

func TestUsage(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		wantErr  bool
		wantText string
	}{
		{"help lists every command", []string{"-h"}, false, "migrate"},
		{"help names the environment", []string{"help"}, false, "MARQUEE_DB"},
		{"serve flags", []string{"serve", "-h"}, false, "-addr"},
		{"seed flags", []string{"seed", "-h"}, false, "-db"},
		{"unknown command", []string{"frobnicate"}, true, `unknown command "frobnicate"`},
		{"unknown flag", []string{"serve", "-nope"}, true, "flag provided but not defined"},
		{"stray argument", []string{"migrate", "extra"}, true, "unexpected arguments"},
		{"bad log format", []string{"migrate", "-log-format", "xml", "-db", filepath.Join(t.TempDir(), "x.db")}, true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := run(context.Background(), tt.args, func(string) string { return "" }, nil, &stdout, &stderr)
			if (err != nil) != tt.wantErr {
				t.Fatalf("run(%q) error = %v, wantErr %v", tt.args, err, tt.wantErr)
			}
			if out := stdout.String() + stderr.String(); !strings.Contains(out, tt.wantText) {
				t.Errorf("run(%q) output lacks %q:\n%s", tt.args, tt.wantText, out)
			}
		})
	}
}
