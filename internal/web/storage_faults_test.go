package web_test

import (
	"database/sql"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
)

// mustDamageTable checkpoints the site's database so every page is in the
// main file, then writes garbage over the root page of table, as a disk
// fault would.
func mustDamageTable(tb testing.TB, s *site, table string) {
	tb.Helper()
	conn, err := sql.Open("sqlite3", "file:"+s.path)
	if err != nil {
		tb.Fatal(err)
	}
	var root, pageSize int64
	if _, err := conn.Exec("PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		tb.Fatal(err)
	}
	if err := conn.QueryRow("SELECT rootpage FROM sqlite_schema WHERE type = 'table' AND name = ?", table).Scan(&root); err != nil {
		tb.Fatal(err)
	}
	if err := conn.QueryRow("PRAGMA page_size").Scan(&pageSize); err != nil {
		tb.Fatal(err)
	}
	conn.Close()
	f, err := os.OpenFile(s.path, os.O_RDWR, 0)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	garbage := []byte(strings.Repeat("\xde\xad\xbe\xef", int(pageSize)/4))
	if _, err := f.WriteAt(garbage, (root-1)*pageSize); err != nil {
		tb.Fatal(err)
	}
}

// TestDamageStopsWritesAndShowsInHealth: once SQLite reports a damaged
// page on any statement, the store takes no more writes (a clear 503
// page), /healthz fails with the reason, and pages whose data is intact
// are still served.
func TestDamageStopsWritesAndShowsInHealth(t *testing.T) {
	s := mustSite(t)
	before := countRows(t, s, "ratings")
	mustDamageTable(t, s, "goofs")

	// The film page reads the damaged table: a clear 503, never a 200
	// made of damaged data nor a bare 500.
	resp, body := s.newBrowser("198.51.100.1").do(t, http.MethodGet, "/films/paris-2008", nil, nil)
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(body, "problem with the site") {
		t.Fatalf("film page over a damaged table = %d, want 503 with an explanation\n%s", resp.StatusCode, body)
	}
	if !strings.Contains(s.logs.String(), "database damaged") {
		t.Error("the damage is not logged")
	}

	// Health reports it, with the reason.
	resp, body = s.newBrowser("198.51.100.1").do(t, http.MethodGet, "/healthz", nil, nil)
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(body, "database damaged") || !strings.Contains(body, "malformed") {
		t.Errorf("/healthz = %d %q, want 503 naming the damage", resp.StatusCode, body)
	}

	// Writes are refused with a page that says why.
	resp, body = s.newBrowser("198.51.100.2").do(t, http.MethodPost, "/films/paris-2008/rating", url.Values{"rating": {"8"}}, nil)
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(body, "cannot be shown or saved") {
		t.Errorf("a rating after the damage = %d, want 503\n%s", resp.StatusCode, body)
	}
	if err := s.db.Ping(t.Context()); err == nil {
		t.Error("Ping succeeds on a damaged store")
	}
	if after := countRows(t, s, "ratings"); after != before {
		t.Errorf("%d ratings stored after the damage, want %d as before", after, before)
	}

	// Pages that do not touch the damaged table keep working.
	for _, path := range []string{"/", "/people/juliette-binoche", "/films"} {
		if resp, _ := s.newBrowser("198.51.100.3").do(t, http.MethodGet, path, nil, nil); resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s after the damage = %d, want 200", path, resp.StatusCode)
		}
	}
}

// countRows counts a table's rows through a connection of its own.
func countRows(tb testing.TB, s *site, table string) int {
	tb.Helper()
	conn, err := sql.Open("sqlite3", "file:"+s.path+"?mode=ro")
	if err != nil {
		tb.Fatal(err)
	}
	defer conn.Close()
	var n int
	if err := conn.QueryRow("SELECT count(*) FROM " + table).Scan(&n); err != nil {
		tb.Fatal(err)
	}
	return n
}
