// Package migrations holds Marquee's database schema as numbered SQL files
// (0001_initial.sql, 0002_…), applied in order, each once, by the store's
// migration runner. Once a migration has been released it is never edited:
// changes go into the next file.
//
// SQLite's migrations are the files at the top (FS); PostgreSQL's are in
// postgres/ (Postgres), numbered on their own, since each database's schema
// is written in its own dialect and the PostgreSQL one began as a single
// file equal to SQLite's first twelve.
package migrations

import (
	"embed"
	"io/fs"
)

// FS holds the SQLite migration files (*.sql).
//
//go:embed *.sql
var FS embed.FS

//go:embed postgres/*.sql
var postgres embed.FS

// Postgres holds the PostgreSQL migration files (*.sql at its root).
var Postgres = mustSub(postgres, "postgres")

// mustSub is fs.Sub of a directory embedded above; it cannot fail, as the
// directory name is valid and the embed pattern makes it exist.
func mustSub(fsys fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		panic(err)
	}
	return sub
}
