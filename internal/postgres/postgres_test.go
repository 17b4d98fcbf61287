package postgres

import (
	"context"
	"os"
	"testing"

	"marquee/internal/pgtest"
	"marquee/migrations"
)

// pg is the package's throwaway cluster; every test database is a copy of
// a template migrated by the production migrations.
var pg = pgtest.Harness{Prepare: func(ctx context.Context, url string) error {
	db, err := Open(ctx, url)
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = db.Migrate(ctx, migrations.Postgres)
	return err
}}

func TestMain(m *testing.M) { os.Exit(pg.Main(m)) }

// mustOpen opens the database at url for the test.
func mustOpen(tb testing.TB, url string) *DB {
	tb.Helper()
	db, err := Open(context.Background(), url)
	if err != nil {
		tb.Fatalf("open: %v", err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// newDB opens a fresh, migrated database for the test.
func newDB(tb testing.TB) *DB {
	tb.Helper()
	return mustOpen(tb, pg.NewDatabase(tb))
}
