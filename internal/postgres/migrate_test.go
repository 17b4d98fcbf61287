package postgres

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"marquee/migrations"
)

// TestMigrateFreshDatabase applies the production migrations to an empty
// database, then again, and checks what is recorded.
func TestMigrateFreshDatabase(t *testing.T) {
	ctx := context.Background()
	db := mustOpen(t, pg.NewBlankDatabase(t))
	applied, err := db.Migrate(ctx, migrations.Postgres)
	if err != nil {
		t.Fatalf("migrate: %v", err)
	}
	if diff := cmp.Diff([]string{"0001_initial.sql", "0002_held_ratings.sql", "0003_published_ratings_by_time.sql"}, applied); diff != "" {
		t.Errorf("applied (-want +got):\n%s", diff)
	}
	again, err := db.Migrate(ctx, migrations.Postgres)
	if err != nil || len(again) != 0 {
		t.Errorf("second migrate applied %v, %v; want nothing", again, err)
	}
	var tables int
	if err := db.pool.QueryRow(ctx, `SELECT count(*) FROM information_schema.tables
		WHERE table_schema = 'public' AND table_name = ANY ($1)`,
		[]string{"films", "people", "credits", "critic_reviews", "reader_reviews", "ratings", "film_rating_stats",
			"helpful_votes", "users", "sessions", "audit_log", "images", "search_documents", "facet_counts"}).Scan(&tables); err != nil {
		t.Fatal(err)
	}
	if tables != 14 {
		t.Errorf("found %d of the 14 tables", tables)
	}
}

// TestMigrateIsStrict checks the runner's refusals, with migration sets
// made for the test.
func TestMigrateIsStrict(t *testing.T) {
	ctx := context.Background()
	file := func(body string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(body)} }
	first := fstest.MapFS{
		"0001_a.sql": file("CREATE TABLE a (id integer)"),
		"0002_b.sql": file("CREATE TABLE b (id integer)"),
	}

	for _, tc := range []struct {
		name string
		fsys fstest.MapFS
		want string
	}{
		{"gap", fstest.MapFS{"0001_a.sql": file("SELECT 1"), "0003_c.sql": file("SELECT 1")}, "version 2 is missing"},
		{"not first", fstest.MapFS{"0002_b.sql": file("SELECT 1")}, "start at 0002_b.sql: version 1 is missing"},
		{"bad name", fstest.MapFS{"first.sql": file("SELECT 1")}, "must start with a positive number"},
		{"repeat", fstest.MapFS{"0001_a.sql": file("SELECT 1"), "0001_b.sql": file("SELECT 1")}, "share version 1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := mustOpen(t, pg.NewBlankDatabase(t))
			if _, err := db.Migrate(ctx, tc.fsys); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("migrate: %v, want an error saying %q", err, tc.want)
			}
		})
	}

	t.Run("database is newer", func(t *testing.T) {
		db := mustOpen(t, pg.NewBlankDatabase(t))
		if _, err := db.Migrate(ctx, first); err != nil {
			t.Fatal(err)
		}
		older := fstest.MapFS{"0001_a.sql": first["0001_a.sql"]}
		if _, err := db.Migrate(ctx, older); err == nil || !strings.Contains(err.Error(), "the database is at version 2 (0002_b.sql), newer") {
			t.Errorf("migrate with an older program: %v, want a refusal", err)
		}
		if _, err := db.Migrate(ctx, fstest.MapFS{}); err == nil || !strings.Contains(err.Error(), "newer") {
			t.Errorf("migrate with no migrations: %v, want a refusal", err)
		}
	})

	t.Run("version applied under another name", func(t *testing.T) {
		db := mustOpen(t, pg.NewBlankDatabase(t))
		if _, err := db.Migrate(ctx, first); err != nil {
			t.Fatal(err)
		}
		other := fstest.MapFS{"0001_a.sql": first["0001_a.sql"], "0002_other.sql": file("SELECT 1")}
		if _, err := db.Migrate(ctx, other); err == nil || !strings.Contains(err.Error(), "applied version 2 as 0002_b.sql") {
			t.Errorf("migrate: %v, want a refusal naming 0002_b.sql", err)
		}
	})

	t.Run("failed migration leaves no trace", func(t *testing.T) {
		db := mustOpen(t, pg.NewBlankDatabase(t))
		broken := fstest.MapFS{
			"0001_a.sql": first["0001_a.sql"],
			"0002_b.sql": file("CREATE TABLE half (id integer); SELECT 1 / 0"),
		}
		applied, err := db.Migrate(ctx, broken)
		if err == nil || !strings.Contains(err.Error(), "migration 0002_b.sql") {
			t.Fatalf("migrate: %v, want the failure of 0002_b.sql", err)
		}
		if diff := cmp.Diff([]string{"0001_a.sql"}, applied); diff != "" {
			t.Errorf("applied (-want +got):\n%s", diff)
		}
		var half, recorded int
		if err := db.pool.QueryRow(ctx, `SELECT
				(SELECT count(*) FROM information_schema.tables WHERE table_name = 'half'),
				(SELECT count(*) FROM schema_migrations)`).Scan(&half, &recorded); err != nil {
			t.Fatal(err)
		}
		if half != 0 || recorded != 1 {
			t.Errorf("after the failure: %d tables named half and %d migrations recorded, want 0 and 1", half, recorded)
		}
	})
}
