// Package sqlite is Marquee's store: every SQL statement the program runs
// lives here, behind methods that take and return internal/film types, so the
// web layer never sees SQL and a second backend could stand beside this one.
//
// The database is one SQLite file opened through two pools. SQLite allows one
// writer at a time, and a deferred transaction that reads and then writes
// fails at once with "database is locked" when another writer got in first
// (SQLITE_BUSY_SNAPSHOT skips the busy handler). So all writes go through a
// single connection whose transactions begin IMMEDIATE, taking the write lock
// up front and queueing behind busy_timeout, while reads use a separate pool
// of read-only connections that WAL lets run beside the writer.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	// The driver registers itself as "sqlite3". Build with -tags sqlite_fts5
	// so full-text search is compiled in.
	_ "github.com/mattn/go-sqlite3"

	"marquee/internal/film"
)

// DB is the Marquee database: a writer connection and a read-only pool on
// the same file.
type DB struct {
	write *sql.DB
	read  *sql.DB
	path  string
	// stmts holds the read statements prepared once, for the page reads.
	stmts *stmtCache
	// watchers are the WatchOtherWriters loops, which Close stops and
	// waits for: a read connection that outlives the writer would keep
	// the WAL file, since only a connection that may write checkpoints it.
	watchers    sync.WaitGroup
	stopWatches context.CancelFunc
	watchCtx    context.Context
	// version counts the changes a page cache must see: each write
	// transaction this DB commits, and each change by another process
	// that WatchOtherWriters notices (see DataVersion).
	version atomic.Uint64
	// snapshots orders page reads' snapshots with this DB's commits: a
	// page read holds it shared while it reads DataVersion and starts its
	// transaction, a commit holds it alone with its count (inPageTx,
	// commitCounted).
	snapshots sync.RWMutex
	// openReads are page reads' transactions kept open at the current
	// version for the next page read (openreads.go).
	openReads openReads
	// listed keeps the films list pages show, summaries films' summaries,
	// reviews films' reader reviews, lists the ids of film index lists,
	// stamps when films' critic reviews go
	// public, reviewed critic reviews with their films, dressing films'
	// posters and directors and stats their rating aggregates, for one
	// version (memo.go).
	listed    versionMemo[int64, film.ListedFilm]
	summaries versionMemo[string, film.Summary]
	reviews   secondAskMemo[int64, memoReviews]
	lists     secondAskMemo[string, keptFilmList]
	stamps    versionMemo[int64, reviewStamps]
	reviewed  versionMemo[int64, film.ReviewedFilm]
	dressing  versionMemo[int64, filmDressing]
	stats     versionMemo[int64, filmStats]
	// corrupt holds the first sign of damage SQLite reported (see
	// health.go); once it is set every write is refused.
	corrupt atomic.Pointer[string]
}

// timeLayout is how timestamps are stored: RFC 3339 in UTC, which sorts as
// text in time order.
const timeLayout = "2006-01-02T15:04:05Z"

// Open opens (creating if needed) the database file at path. It does not
// migrate: call Migrate before use.
func Open(ctx context.Context, path string) (*DB, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	// A new database is created readable by its owner only: it holds the
	// desk's accounts and sessions. SQLite gives the WAL and shared-memory
	// files it makes beside it the same permissions as the database file.
	if err := createPrivate(abs); err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	fileURL := "file:" + (&url.URL{Path: abs}).EscapedPath()

	// Pragmas go in the DSN so that every connection the pool opens gets
	// them; a PRAGMA run once with Exec reaches one connection only.
	//  - journal_mode=WAL lets readers run while the writer writes.
	//  - synchronous=NORMAL is durable across application crashes in WAL
	//    mode and much faster than FULL; a power cut may lose the last
	//    transactions but never corrupts the file.
	//  - foreign_keys is off by default in SQLite.
	//  - busy_timeout makes a connection wait for a lock instead of failing.
	//  - txlock=immediate takes the write lock at BEGIN (see the package doc).
	//  - stmt_cache_size keeps, per connection, the statements the driver
	//    would otherwise prepare anew each time: BEGIN, COMMIT and ROLLBACK
	//    of every transaction, and the writes. (The page reads keep theirs
	//    prepared themselves: prepared.go.)
	writeDSN := fileURL + "?_busy_timeout=5000&_journal_mode=WAL&_synchronous=NORMAL&_foreign_keys=1&_txlock=immediate&_stmt_cache_size=64"
	// mode=ro only works in a file: URI; query_only guards it twice.
	readDSN := fileURL + "?mode=ro&_busy_timeout=5000&_query_only=1&_foreign_keys=1&_stmt_cache_size=16"

	write, err := sql.Open("sqlite3", writeDSN)
	if err != nil {
		return nil, fmt.Errorf("open database writer: %w", err)
	}
	write.SetMaxOpenConns(1)
	write.SetConnMaxIdleTime(0)
	// The writer is pinged first: it creates the file and switches it to
	// WAL, which the read-only connections cannot do.
	if err := write.PingContext(ctx); err != nil {
		write.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	read, err := sql.Open("sqlite3", readDSN)
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("open database readers: %w", err)
	}
	// As many connections again as are read with at once are kept open
	// by openReads, so those never leave the other reads short.
	readers := 2 * runtime.GOMAXPROCS(0)
	read.SetMaxOpenConns(2 * readers)
	read.SetMaxIdleConns(2 * readers)
	if err := read.PingContext(ctx); err != nil {
		write.Close()
		read.Close()
		return nil, fmt.Errorf("open database %s for reading: %w", path, err)
	}
	watchCtx, stopWatches := context.WithCancel(context.Background())
	db := &DB{write: write, read: read, path: path, stmts: newStmtCache(read), watchCtx: watchCtx, stopWatches: stopWatches}
	db.openReads.max = readers
	db.reviews.max, db.lists.max = maxMemoReviews, maxMemoListIDs
	db.listed.key = func(f film.ListedFilm) int64 { return f.ID }
	db.summaries.key = func(s film.Summary) string { return s.Slug }
	db.stamps.key = func(s reviewStamps) int64 { return s.filmID }
	db.reviewed.key = func(r film.ReviewedFilm) int64 { return r.Review.ID }
	db.dressing.key = func(d filmDressing) int64 { return d.filmID }
	db.stats.key = func(s filmStats) int64 { return s.filmID }
	return db, nil
}

// createPrivate creates an empty file at path with mode 0600, unless one is
// there already (whose mode is then left as its owner set it).
func createPrivate(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil
	}
	if err != nil {
		return err
	}
	return f.Close()
}

// Close closes both pools.
func (db *DB) Close() error {
	db.stopWatches()
	db.watchers.Wait()
	db.openReads.close()
	return errors.Join(db.stmts.close(), db.read.Close(), db.write.Close())
}

// Ping checks that the database answers a query, for health checks. A
// database that has reported damage fails it, with the reason.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.refuseWrites(); err != nil {
		return fmt.Errorf("ping database: %w", err)
	}
	var one int
	if err := db.read.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return fmt.Errorf("ping database: %w", db.classify(err))
	}
	return nil
}

// retiredVersions are migration numbers that were left out of a release and
// so stay unused for good: databases in use went from 0003 to 0005, and a
// 0004 written now would run after 0007 on them but before 0005 on a new
// database. No file may take a retired number.
var retiredVersions = map[int]bool{4: true}

// Migrate applies, in order, each numbered *.sql file in fsys that the
// database has not recorded yet, each in its own transaction, and returns the
// names of those it applied.
//
// A file's name starts with its version, a positive number, and an
// underscore ("0007_editorial.sql"). Migrate checks the files and the
// recorded versions before it applies anything, and refuses:
//
//   - two files with the same version;
//   - a gap in the numbering: the versions run 1, 2, 3… except the retired
//     ones (see retiredVersions), which no file may take. A missing file
//     would leave a new database without part of its schema;
//   - a file whose version the database recorded under another name (two
//     branches each added that version): the file would never run;
//   - a file the database has not recorded whose version is below the
//     highest one it has: such a migration was written beside the ones
//     applied since, not after them, and applying it late would run it on
//     a schema it was not written for, and on other databases in another
//     order. It must be renumbered after the last migration.
//
// Versions the database records without a file (applied by a newer build)
// are left alone.
func (db *DB) Migrate(ctx context.Context, fsys fs.FS) ([]string, error) {
	if _, err := db.write.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		name       TEXT NOT NULL,
		applied_at TEXT NOT NULL
	) STRICT`); err != nil {
		return nil, fmt.Errorf("create schema_migrations: %w", err)
	}
	names, err := fs.Glob(fsys, "*.sql")
	if err != nil {
		return nil, fmt.Errorf("list migrations: %w", err)
	}
	type migration struct {
		version int
		name    string
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
		if retiredVersions[version] {
			return nil, fmt.Errorf("migration %s: version %d is retired (it was left out of a release); number the migration after the last one", name, version)
		}
		seen[version] = name
		migrations = append(migrations, migration{version, name})
	}
	sort.Slice(migrations, func(i, j int) bool { return migrations[i].version < migrations[j].version })
	next := 1
	for i, m := range migrations {
		for retiredVersions[next] {
			next++
		}
		if m.version != next {
			where := "start at " + m.name
			if i > 0 {
				where = "go from " + migrations[i-1].name + " to " + m.name
			}
			return nil, fmt.Errorf("migrations %s: version %d is missing, and migrations are numbered without gaps", where, next)
		}
		next++
	}

	// What the database has, and the highest version it has.
	rows, err := db.write.QueryContext(ctx, "SELECT version, name FROM schema_migrations ORDER BY version")
	if err != nil {
		return nil, fmt.Errorf("read schema_migrations: %w", err)
	}
	recorded := map[int]string{}
	var highest migration
	for rows.Next() {
		if err := rows.Scan(&highest.version, &highest.name); err != nil {
			rows.Close()
			return nil, fmt.Errorf("read schema_migrations: %w", err)
		}
		recorded[highest.version] = highest.name
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return nil, fmt.Errorf("read schema_migrations: %w", err)
	}
	var pending []migration
	for _, m := range migrations {
		if name, ok := recorded[m.version]; ok {
			if name != m.name {
				// Two branches each added this version: the database
				// has the other one, and this file would never run.
				return nil, fmt.Errorf("migration %s: the database applied version %d as %s; "+
					"renumber %s after the last migration", m.name, m.version, name, m.name)
			}
			continue
		}
		if m.version < highest.version {
			return nil, fmt.Errorf("migration %s is not applied, but the database is already at version %d (%s); "+
				"a new migration must be numbered above every applied one", m.name, highest.version, highest.name)
		}
		pending = append(pending, m)
	}

	var applied []string
	for _, m := range pending {
		body, err := fs.ReadFile(fsys, m.name)
		if err != nil {
			return applied, fmt.Errorf("read migration %s: %w", m.name, err)
		}
		done, err := db.applyMigration(ctx, m.version, m.name, string(body))
		if err != nil {
			return applied, err
		}
		if done {
			applied = append(applied, m.name)
		}
	}
	return applied, nil
}

// applyMigration runs one migration unless it is already recorded, and
// records it in the same transaction, so a failed migration leaves no trace.
// It checks again, inside the transaction, that no higher version is
// recorded, in case another process migrated the database meanwhile.
func (db *DB) applyMigration(ctx context.Context, version int, name, body string) (bool, error) {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("migration %s: %w", name, err)
	}
	defer tx.Rollback()
	var exists, highest int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FILTER (WHERE version = ?), coalesce(max(version), 0) FROM schema_migrations",
		version).Scan(&exists, &highest); err != nil {
		return false, fmt.Errorf("migration %s: %w", name, err)
	}
	if exists > 0 {
		return false, nil
	}
	if highest > version {
		return false, fmt.Errorf("migration %s is not applied, but the database is already at version %d; "+
			"a new migration must be numbered above every applied one", name, highest)
	}
	if _, err := tx.ExecContext(ctx, body); err != nil {
		return false, fmt.Errorf("migration %s: %w", name, err)
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
		version, name, time.Now().UTC().Format(timeLayout)); err != nil {
		return false, fmt.Errorf("record migration %s: %w", name, err)
	}
	// A migration may change what the pages show: counted.
	if err := db.commitCounted(tx); err != nil {
		return false, fmt.Errorf("commit migration %s: %w", name, err)
	}
	return true, nil
}

// IsEmpty reports whether the database holds no films, so a new site knows
// to load its seeds.
func (db *DB) IsEmpty(ctx context.Context) (bool, error) {
	var n int
	if err := db.read.QueryRowContext(ctx, "SELECT count(*) FROM (SELECT 1 FROM films LIMIT 1)").Scan(&n); err != nil {
		return false, fmt.Errorf("count films: %w", err)
	}
	return n == 0, nil
}

// inWriteTx runs fn in a transaction on the writer, committing when fn
// returns nil and rolling back otherwise.
//
// Once the database has reported damage, no write transaction begins; a
// report of damage or of a full disk during one comes back as
// film.ErrCorrupt or film.ErrFull, and the transaction is rolled back
// whole.
func (db *DB) inWriteTx(ctx context.Context, fn func(*sql.Tx) error) error {
	if err := db.refuseWrites(); err != nil {
		return err
	}
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return db.classify(fmt.Errorf("begin: %w", err))
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return db.classify(err)
	}
	if err := db.commitCounted(tx); err != nil {
		return db.classify(fmt.Errorf("commit: %w", err))
	}
	return nil
}

// commitCounted commits tx and counts the change in DataVersion, both
// while no page read is taking its snapshot (see inPageTx): a page read
// sees the version and the data of the same moment.
func (db *DB) commitCounted(tx *sql.Tx) error {
	db.snapshots.Lock()
	defer db.snapshots.Unlock()
	if err := tx.Commit(); err != nil {
		return err
	}
	db.countChange()
	return nil
}

// countChange counts a change in DataVersion, and lets the page reads kept
// open at the version before go (openreads.go), so they hold back no
// checkpoint.
func (db *DB) countChange() {
	db.version.Add(1)
	db.openReads.drop()
}

// inReadTx runs fn in a read transaction so that the several queries behind
// one page see one snapshot of the database.
func (db *DB) inReadTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := db.read.BeginTx(ctx, nil)
	if err != nil {
		return db.classify(fmt.Errorf("begin read: %w", err))
	}
	defer tx.Rollback()
	return db.classify(fn(tx))
}

// formatTime stores t as UTC text, or NULL when t is zero.
func formatTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format(timeLayout)
}

// parseTime reads a stored timestamp; NULL gives the zero time.
func parseTime(s sql.NullString) (time.Time, error) {
	if !s.Valid || s.String == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(timeLayout, s.String)
	if err != nil {
		return time.Time{}, fmt.Errorf("parse stored time %q: %w", s.String, err)
	}
	return t, nil
}

// nullIfZero stores 0 as NULL, for columns where NULL means unknown.
func nullIfZero[T int | int64 | float64](v T) any {
	if v == 0 {
		return nil
	}
	return v
}
