package main

import (
	"errors"
	"flag"
	"fmt"
	"net/url"
	"regexp"
	"strings"
)

// databaseKind is the backend a -db value names.
type databaseKind int

const (
	// sqliteFile is a path of a SQLite database file, the default.
	sqliteFile databaseKind = iota
	// postgresURL is a postgres:// or postgresql:// connection URL.
	postgresURL
)

// errPostgresNotReady refuses a PostgreSQL URL until the PostgreSQL store
// passes the whole store contract: serving a site from a backend that
// implements part of it would fail on the first page it does not know.
var errPostgresNotReady = errors.New("the PostgreSQL backend is being built; this version serves SQLite only (give -db the path of a SQLite file)")

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
// is a usage error, and a PostgreSQL URL is refused with errPostgresNotReady
// until that backend is complete. Commands then take -db as a SQLite path.
func checkDatabaseFlag(fs *flag.FlagSet) error {
	f := fs.Lookup("db")
	if f == nil {
		return nil
	}
	kind, err := classifyDatabase(f.Value.String())
	if err != nil {
		fmt.Fprintf(fs.Output(), "%s: %v\n", fs.Name(), err)
		return errUsage
	}
	if kind == postgresURL {
		return fmt.Errorf("%s: %w", fs.Name(), errPostgresNotReady)
	}
	return nil
}
