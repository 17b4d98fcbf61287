package postgres

import (
	"context"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
)

// migrationLock is the key of the advisory lock Migrate holds while it
// applies a migration, so that two servers starting at once apply each
// migration once, one after the other.
const migrationLock = 0x6d61727175656501 // "marquee" and 1

// migration is one numbered file.
type migration struct {
	version int
	name    string
}

// Migrate applies, in order, each numbered *.sql file in fsys (see
// migrations.Postgres) that the database has not recorded yet, each in its
// own transaction together with its record, and returns the names of
// those it applied. It is as strict as SQLite's runner:
//
//   - every file is named NNNN_words.sql, and the numbers run from 1
//     without gaps or repeats;
//   - a version recorded under another name (two branches each added
//     it) is refused, as is a file numbered below the highest applied
//     version that was never applied (it would run out of order);
//   - a database at a version above every file (migrated by a newer
//     Marquee) is refused, since this program does not know its schema.
func (db *DB) Migrate(ctx context.Context, fsys fs.FS) ([]string, error) {
	migrations, err := listMigrations(fsys)
	if err != nil {
		return nil, err
	}
	if _, err := db.pool.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    integer PRIMARY KEY,
		name       text NOT NULL,
		applied_at timestamptz NOT NULL DEFAULT now()
	)`); err != nil {
		return nil, fmt.Errorf("create schema_migrations: %w", err)
	}
	var applied []string
	for _, m := range migrations {
		body, err := fs.ReadFile(fsys, m.name)
		if err != nil {
			return applied, fmt.Errorf("read migration %s: %w", m.name, err)
		}
		done, err := db.applyMigration(ctx, m, string(body), migrations[len(migrations)-1])
		if err != nil {
			return applied, err
		}
		if done {
			applied = append(applied, m.name)
		}
	}
	if len(migrations) == 0 {
		// Nothing to apply, but a database from a newer Marquee is still
		// refused.
		if _, err := db.applyMigration(ctx, migration{}, "", migration{}); err != nil {
			return nil, err
		}
	}
	return applied, nil
}

// listMigrations reads the migration files' names and checks their
// numbering.
func listMigrations(fsys fs.FS) ([]migration, error) {
	names, err := fs.Glob(fsys, "*.sql")
	if err != nil {
		return nil, fmt.Errorf("list migrations: %w", err)
	}
	var migrations []migration
	seen := map[int]string{}
	for _, name := range names {
		prefix, _, ok := strings.Cut(name, "_")
		version, err := strconv.Atoi(prefix)
		if !ok || err != nil || version <= 0 {
			return nil, fmt.Errorf("migration %s: name must start with a positive number and an underscore", name)
		}
		if other, dup := seen[version]; dup {
			return nil, fmt.Errorf("migrations %s and %s share version %d", other, name, version)
		}
		seen[version] = name
		migrations = append(migrations, migration{version, name})
	}
	sort.Slice(migrations, func(i, j int) bool { return migrations[i].version < migrations[j].version })
	for i, m := range migrations {
		if m.version != i+1 {
			where := "start at " + m.name
			if i > 0 {
				where = "go from " + migrations[i-1].name + " to " + m.name
			}
			return nil, fmt.Errorf("migrations %s: version %d is missing, and migrations are numbered without gaps", where, i+1)
		}
	}
	return migrations, nil
}

// applyMigration runs one migration unless it is already recorded, and
// records it in the same transaction, so a failed migration leaves no
// trace. It holds the migration lock while it looks at what is recorded,
// so the answer cannot change under it. last is the newest migration this
// program knows; a zero m only checks the database against it.
func (db *DB) applyMigration(ctx context.Context, m migration, body string, last migration) (bool, error) {
	done := false
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", int64(migrationLock)); err != nil {
			return err
		}
		var recordedName string
		var highest int
		var highestName string
		if err := tx.QueryRow(ctx, `SELECT
				coalesce((SELECT name FROM schema_migrations WHERE version = $1), ''),
				coalesce(max(version), 0),
				coalesce((SELECT name FROM schema_migrations ORDER BY version DESC LIMIT 1), '')
			FROM schema_migrations`, m.version).Scan(&recordedName, &highest, &highestName); err != nil {
			return err
		}
		if highest > last.version {
			return fmt.Errorf("the database is at version %d (%s), newer than this program's newest migration (%s); "+
				"run the Marquee that migrated it, or a newer one", highest, highestName, describe(last))
		}
		if m.version == 0 {
			return nil
		}
		if recordedName != "" {
			if recordedName != m.name {
				// Two branches each added this version: the database has
				// the other one, and this file would never run.
				return fmt.Errorf("the database applied version %d as %s; renumber %s after the last migration",
					m.version, recordedName, m.name)
			}
			return nil
		}
		if highest > m.version {
			return fmt.Errorf("not applied, but the database is already at version %d (%s); "+
				"a new migration must be numbered above every applied one", highest, highestName)
		}
		// Without arguments pgx sends the file in the simple protocol,
		// which runs all of its statements.
		if _, err := tx.Exec(ctx, body); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", m.version, m.name); err != nil {
			return fmt.Errorf("record: %w", err)
		}
		done = true
		return nil
	})
	if err != nil {
		if m.version == 0 {
			return false, fmt.Errorf("migrations: %w", err)
		}
		return false, fmt.Errorf("migration %s: %w", m.name, err)
	}
	return done, nil
}

// describe names a migration, or says there is none.
func describe(m migration) string {
	if m.version == 0 {
		return "none"
	}
	return m.name
}
