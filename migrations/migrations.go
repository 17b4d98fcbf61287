// Package migrations holds Marquee's database schema as numbered SQL files
// (0001_initial.sql, 0002_…), applied in order, each once, by the store's
// migration runner. Once a migration has been released it is never edited:
// changes go into the next file.
package migrations

import "embed"

// FS holds the migration files (*.sql).
//
//go:embed *.sql
var FS embed.FS
