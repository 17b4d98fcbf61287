package sqlite_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"marquee/internal/sqlite"
	"marquee/migrations"
)

// TestDatabaseFilesArePrivate: the database holds the desk's accounts and
// sessions, so a new file, its WAL and its shared-memory file are readable
// and writable by their owner only, whatever the umask.
func TestDatabaseFilesArePrivate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "marquee.db")
	ctx := context.Background()
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(ctx, migrations.FS); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{path, path + "-wal", path + "-shm"} {
		info, err := os.Stat(name)
		if err != nil {
			t.Fatalf("%s: %v", filepath.Base(name), err)
		}
		if mode := info.Mode().Perm(); mode != 0o600 {
			t.Errorf("%s has mode %o, want 600", filepath.Base(name), mode)
		}
	}
}
