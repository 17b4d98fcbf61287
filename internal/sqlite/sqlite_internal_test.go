package sqlite

import (
	"context"
	"path/filepath"
	"testing"
)

// TestReadPoolRefusesWrites guards against a read-only DSN that is silently
// writable: mattn/go-sqlite3 ignores mode=ro unless the DSN is a file: URI.
// Both the mode=ro URI and query_only must hold.
func TestReadPoolRefusesWrites(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "ro.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.write.ExecContext(ctx, "CREATE TABLE t (x INTEGER)"); err != nil {
		t.Fatalf("writer cannot write: %v", err)
	}
	if _, err := db.read.ExecContext(ctx, "INSERT INTO t (x) VALUES (1)"); err == nil {
		t.Fatal("the read pool accepted an INSERT")
	}
	var mode string
	if err := db.write.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode = %q (%v), want wal", mode, err)
	}
	var fk int
	if err := db.read.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk); err != nil || fk != 1 {
		t.Errorf("foreign_keys on the read pool = %d (%v), want 1", fk, err)
	}
	if err := db.write.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk); err != nil || fk != 1 {
		t.Errorf("foreign_keys on the writer = %d (%v), want 1", fk, err)
	}
	// FTS5 must be compiled in for the search that builds on this store.
	if _, err := db.write.ExecContext(ctx, "CREATE VIRTUAL TABLE s USING fts5(body, tokenize = 'unicode61 remove_diacritics 2')"); err != nil {
		t.Errorf("FTS5 is not available (build with -tags sqlite_fts5): %v", err)
	}
}
