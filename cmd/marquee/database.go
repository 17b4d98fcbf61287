package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/url"
	"regexp"
	"strings"
	"time"

	"marquee/internal/film"
	"marquee/internal/postgres"
	"marquee/internal/sqlite"
	"marquee/migrations"
)

// databaseKind is the backend a -db value names.
type databaseKind int

const (
	// sqliteFile is a path of a SQLite database file, the default.
	sqliteFile databaseKind = iota
	// postgresURL is a postgres:// or postgresql:// connection URL.
	postgresURL
)

// urlScheme matches a URL's scheme and colon at the start of a -db value.
// A scheme takes two characters or more, so that a Windows drive letter
// (C:\sites\marquee.db) stays a path.
var urlScheme = regexp.MustCompile(`^([A-Za-z][A-Za-z0-9+.-]+):`)

// classifyDatabase tells which backend the -db value names, refusing URL
// schemes Marquee does not speak. Without the refusal, a value such as
// mysql://host/db was taken as a relative file path: Marquee created a
// folder named "mysql:" and served a new, empty SQLite site from it.
func classifyDatabase(value string) (databaseKind, error) {
	if value == "" {
		return 0, errors.New("-db is empty: give the path of a SQLite database file or a postgres:// URL")
	}
	m := urlScheme.FindStringSubmatch(value)
	if m == nil {
		return sqliteFile, nil
	}
	switch scheme := strings.ToLower(m[1]); scheme {
	case "postgres", "postgresql":
		u, err := url.Parse(value)
		if err != nil {
			// The parser's message repeats the URL, password included.
			return 0, fmt.Errorf("-db: the %s:// URL is malformed; write it as postgres://user:password@host:port/database", scheme)
		}
		if !strings.HasPrefix(value[len(scheme)+1:], "//") || u.Opaque != "" {
			return 0, fmt.Errorf("-db: write a PostgreSQL URL as %s://user:password@host:port/database", scheme)
		}
		return postgresURL, nil
	default:
		return 0, fmt.Errorf("-db: Marquee does not support %q URLs; give the path of a SQLite database file "+
			"or a postgres:// URL (for a file whose name has a colon, start the path with ./)", scheme+":")
	}
}

// checkDatabaseFlag checks the -db value of a command's flag set, if it
// has one, once the flags are parsed: a URL scheme Marquee does not speak
// is a usage error.
func checkDatabaseFlag(fs *flag.FlagSet) error {
	f := fs.Lookup("db")
	if f == nil {
		return nil
	}
	if _, err := classifyDatabase(f.Value.String()); err != nil {
		fmt.Fprintf(fs.Output(), "%s: %v\n", fs.Name(), err)
		return errUsage
	}
	return nil
}

// isPostgres reports whether a -db value (checked by checkDatabaseFlag)
// names a PostgreSQL database rather than a SQLite file.
func isPostgres(value string) bool {
	kind, err := classifyDatabase(value)
	return err == nil && kind == postgresURL
}

// databaseName is a -db value as messages and logs show it: a PostgreSQL
// URL without its password.
func databaseName(value string) string {
	if !isPostgres(value) {
		return value
	}
	u, err := url.Parse(value)
	if err != nil {
		return "the PostgreSQL database"
	}
	return u.Redacted()
}

// openDB opens the store -db names, behind film.Store: a SQLite file
// (created, with its directory, when missing, and checked before use) or a
// PostgreSQL database (which must exist); either way it applies the
// pending migrations of that backend.
func openDB(ctx context.Context, value string, logger *slog.Logger) (film.Store, error) {
	if isPostgres(value) {
		return openPostgres(ctx, value, logger)
	}
	return openSQLite(ctx, value, logger, checkFirst)
}

// openDBCheckedLater is openDB for serve and export: a SQLite file is
// checked while they already work (see checkWhileServing and runExport),
// since reading the whole file takes seconds on a large catalogue.
func openDBCheckedLater(ctx context.Context, value string, logger *slog.Logger) (film.Store, error) {
	if isPostgres(value) {
		return openPostgres(ctx, value, logger)
	}
	return openSQLite(ctx, value, logger, checkLater)
}

// openPostgres connects to the PostgreSQL database at url and migrates it.
func openPostgres(ctx context.Context, url string, logger *slog.Logger) (*postgres.DB, error) {
	db, err := postgres.Open(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", databaseName(url), err)
	}
	applied, err := db.Migrate(ctx, migrations.Postgres)
	if err != nil {
		db.Close()
		if strings.Contains(err.Error(), "unaccent") {
			// Search folds accents with the unaccent extension, which the
			// first migration creates.
			return nil, fmt.Errorf("%w\nThe database's owner must be allowed to run CREATE EXTENSION unaccent (a trusted extension "+
				"since PostgreSQL 13, so the owner of the database may; on a server where it is not, have an administrator run "+
				"CREATE EXTENSION unaccent in the database first)", err)
		}
		return nil, err
	}
	for _, name := range applied {
		logger.Info("applied migration", "name", name)
	}
	return db, nil
}

// These interfaces name what a command asks of a backend beyond
// film.Store: features of one backend only, so a command asks for them and
// says clearly when the store at hand has none.
type (
	// otherWriterWatcher notices writes made by other processes, so the
	// page cache drops what they changed (SQLite: a poll of the file's
	// data version).
	otherWriterWatcher interface {
		WatchOtherWriters(ctx context.Context, interval time.Duration) error
	}
	// fileChecker checks the structure of the whole database file
	// (SQLite's quick_check).
	fileChecker interface {
		QuickCheck(ctx context.Context) error
	}
	// backupWriter writes a consistent, checked copy of the whole
	// database to a new file (SQLite's online backup).
	backupWriter interface {
		Backup(ctx context.Context, out string) error
	}
	// bulkLoader is a backend's bulk loader behind gen: a catalogue
	// writer that loads batch by batch into an empty database.
	bulkLoader interface {
		film.CatalogWriter
		Close() error
		Abort()
		Counts() film.CatalogCounts
	}
)

// errPostgresBackup is what backup, restore and scheduled backups say on
// PostgreSQL, whose own tools do the job better than Marquee could.
var errPostgresBackup = errors.New("on PostgreSQL use pg_dump to back the database up and pg_restore to bring a dump back " +
	"(or the managed service's snapshots); marquee backup and restore copy SQLite files only")

// newBulkLoader starts the bulk loader of the store's backend.
func newBulkLoader(ctx context.Context, db film.Store, now time.Time) (bulkLoader, error) {
	switch db := db.(type) {
	case *sqlite.DB:
		l, err := db.NewBulkLoader(ctx, now)
		if err != nil {
			return nil, err
		}
		return l, nil
	case *postgres.DB:
		l, err := db.NewBulkLoader(ctx, now)
		if err != nil {
			return nil, err
		}
		return l, nil
	}
	return nil, fmt.Errorf("gen: the %T store has no bulk loader", db)
}
