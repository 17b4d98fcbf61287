package sqlite

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"marquee/migrations"
)

// openEmpty opens a new database file in a temporary directory, unmigrated.
func openEmpty(t *testing.T) *DB {
	t.Helper()
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "migrate.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// migrationFS makes a set of migration files, each creating a table named
// after its version: "0002_b.sql" creates t2.
func migrationFS(names ...string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for _, name := range names {
		version, _, _ := strings.Cut(name, "_")
		fsys[name] = &fstest.MapFile{Data: []byte("CREATE TABLE t" + strings.TrimLeft(version, "0") + " (x INTEGER) STRICT;")}
	}
	return fsys
}

// recorded returns the versions in schema_migrations, in order.
func recorded(t *testing.T, db *DB) []int {
	t.Helper()
	rows, err := db.write.Query("SELECT version FROM schema_migrations ORDER BY version")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var versions []int
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		versions = append(versions, v)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return versions
}

// hasTable reports whether the database has a table of that name.
func hasTable(t *testing.T, db *DB, name string) bool {
	t.Helper()
	var n int
	if err := db.write.QueryRow("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?", name).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n > 0
}

// wantError checks that err is an error whose text holds every one of parts.
func wantError(t *testing.T, err error, parts ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("Migrate succeeded, want an error mentioning %q", parts)
	}
	for _, part := range parts {
		if !strings.Contains(err.Error(), part) {
			t.Errorf("error %q does not mention %q", err, part)
		}
	}
}

func TestMigrateAppliesTheReleasedMigrationsAroundTheRetiredVersion(t *testing.T) {
	db := openEmpty(t)
	applied, err := db.Migrate(context.Background(), migrations.FS)
	if err != nil {
		t.Fatalf("Migrate(released migrations): %v", err)
	}
	want := []string{"0001_initial.sql", "0002_ratings_and_reader_reviews.sql", "0003_search.sql", "0005_browse.sql", "0006_accounts.sql", "0007_editorial.sql"}
	if !slices.Equal(applied[:min(len(applied), len(want))], want) {
		t.Errorf("Migrate applied %v, want it to begin %v", applied, want)
	}
}

func TestMigrateAppliesOnlyNewMigrationsInOrder(t *testing.T) {
	db := openEmpty(t)
	ctx := context.Background()
	if _, err := db.Migrate(ctx, migrationFS("0001_a.sql", "0002_b.sql")); err != nil {
		t.Fatal(err)
	}
	// Listed out of order, and past the retired version 4.
	applied, err := db.Migrate(ctx, migrationFS("0003_c.sql", "0001_a.sql", "0002_b.sql", "0005_e.sql"))
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"0003_c.sql", "0005_e.sql"}; !slices.Equal(applied, want) {
		t.Errorf("second Migrate applied %v, want %v", applied, want)
	}
	if got, want := recorded(t, db), []int{1, 2, 3, 5}; !slices.Equal(got, want) {
		t.Errorf("recorded versions %v, want %v", got, want)
	}
}

func TestMigrateRefusesAMigrationBelowTheHighestApplied(t *testing.T) {
	db := openEmpty(t)
	ctx := context.Background()
	// A database that recorded 0003 before 0002 was written, as the
	// runner used to allow.
	if _, err := db.Migrate(ctx, migrationFS("0001_a.sql")); err != nil {
		t.Fatal(err)
	}
	if _, err := db.write.Exec(`CREATE TABLE t3 (x INTEGER) STRICT;
		INSERT INTO schema_migrations (version, name, applied_at) VALUES (3, '0003_c.sql', '2026-01-01T00:00:00Z')`); err != nil {
		t.Fatal(err)
	}
	applied, err := db.Migrate(ctx, migrationFS("0001_a.sql", "0002_b.sql", "0003_c.sql"))
	wantError(t, err, "0002_b.sql", "version 3", "0003_c.sql")
	if len(applied) != 0 || hasTable(t, db, "t2") {
		t.Errorf("Migrate applied %v before refusing, want nothing", applied)
	}
	if got, want := recorded(t, db), []int{1, 3}; !slices.Equal(got, want) {
		t.Errorf("recorded versions %v, want %v", got, want)
	}
}

func TestMigrateRefusesGapsInTheNumbering(t *testing.T) {
	for _, tt := range []struct {
		files []string
		want  []string
	}{
		{[]string{"0001_a.sql", "0002_b.sql", "0003_c.sql", "0005_e.sql", "0007_g.sql"}, []string{"0005_e.sql", "0007_g.sql", "version 6"}},
		{[]string{"0001_a.sql", "0003_c.sql"}, []string{"0001_a.sql", "0003_c.sql", "version 2"}},
		{[]string{"0002_b.sql", "0003_c.sql"}, []string{"0002_b.sql", "version 1"}},
		{[]string{"0001_a.sql", "0002_b.sql", "0003_c.sql", "0004_d.sql"}, []string{"0004_d.sql", "version 4 is retired"}},
		{[]string{"0001_a.sql", "0002_b.sql", "0002_bb.sql"}, []string{"0002_b.sql", "0002_bb.sql", "share version 2"}},
		{[]string{"0001_a.sql", "b.sql"}, []string{"b.sql", "positive number"}},
	} {
		t.Run(strings.Join(tt.files, ","), func(t *testing.T) {
			db := openEmpty(t)
			applied, err := db.Migrate(context.Background(), migrationFS(tt.files...))
			wantError(t, err, tt.want...)
			if len(applied) != 0 || hasTable(t, db, "t1") {
				t.Errorf("Migrate applied %v before refusing, want nothing", applied)
			}
		})
	}
}

func TestMigrateRefusesAGapAfterTheAppliedOnes(t *testing.T) {
	db := openEmpty(t)
	ctx := context.Background()
	if _, err := db.Migrate(ctx, migrationFS("0001_a.sql", "0002_b.sql", "0003_c.sql")); err != nil {
		t.Fatal(err)
	}
	_, err := db.Migrate(ctx, migrationFS("0001_a.sql", "0002_b.sql", "0003_c.sql", "0005_e.sql", "0007_g.sql"))
	wantError(t, err, "version 6")
	if hasTable(t, db, "t5") {
		t.Error("Migrate applied 0005_e.sql before refusing")
	}
}

func TestMigrateLeavesVersionsFromANewerBuildAlone(t *testing.T) {
	db := openEmpty(t)
	ctx := context.Background()
	if _, err := db.Migrate(ctx, migrationFS("0001_a.sql", "0002_b.sql", "0003_c.sql")); err != nil {
		t.Fatal(err)
	}
	applied, err := db.Migrate(ctx, migrationFS("0001_a.sql", "0002_b.sql"))
	if err != nil || len(applied) != 0 {
		t.Errorf("Migrate with fewer files = %v, %v; want nothing applied and no error", applied, err)
	}
}

func TestApplyMigrationRefusesAVersionBelowOneRecordedMeanwhile(t *testing.T) {
	// Another process may record a higher version between Migrate's
	// check and the transaction that applies a migration.
	db := openEmpty(t)
	ctx := context.Background()
	if _, err := db.Migrate(ctx, migrationFS("0001_a.sql")); err != nil {
		t.Fatal(err)
	}
	if _, err := db.applyMigration(ctx, 3, "0003_c.sql", "CREATE TABLE t3 (x INTEGER) STRICT"); err != nil {
		t.Fatal(err)
	}
	done, err := db.applyMigration(ctx, 2, "0002_b.sql", "CREATE TABLE t2 (x INTEGER) STRICT")
	if done || err == nil || !strings.Contains(err.Error(), "0002_b.sql") || !strings.Contains(err.Error(), "version 3") {
		t.Errorf("applyMigration(2) after 3 = %v, %v; want an error naming 0002_b.sql and version 3", done, err)
	}
	if hasTable(t, db, "t2") {
		t.Error("applyMigration ran 0002_b.sql")
	}
	// Recorded versions are skipped, not refused.
	if done, err := db.applyMigration(ctx, 1, "0001_a.sql", "CREATE TABLE t1 (x INTEGER) STRICT"); done || err != nil {
		t.Errorf("applyMigration(1) again = %v, %v; want false, nil", done, err)
	}
}

func TestMigrateRefusesAVersionAppliedUnderAnotherName(t *testing.T) {
	db := openEmpty(t)
	ctx := context.Background()
	// One branch added 0002_b and was deployed; another added 0002_c.
	if _, err := db.Migrate(ctx, migrationFS("0001_a.sql", "0002_b.sql")); err != nil {
		t.Fatal(err)
	}
	applied, err := db.Migrate(ctx, migrationFS("0001_a.sql", "0002_c.sql", "0003_d.sql"))
	wantError(t, err, "0002_c.sql", "version 2", "0002_b.sql")
	if len(applied) != 0 || hasTable(t, db, "t3") {
		t.Errorf("Migrate applied %v before refusing, want nothing", applied)
	}
}
