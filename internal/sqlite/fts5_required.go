//go:build !sqlite_fts5

package sqlite

// The store needs SQLite's FTS5 full-text search (migration 0003 creates
// FTS5 tables), and mattn/go-sqlite3 compiles FTS5 in only with the build
// tag sqlite_fts5. Without the tag the program would build and then fail at
// its first start with "no such module: fts5", so instead this file, which
// is compiled only when the tag is missing, names an identifier that does
// not exist: the build stops here, and the compiler's "undefined: ..."
// error reads as the fix.
//
// Build and test through make, whose Makefile sets GOFLAGS=-tags=sqlite_fts5
// for every Go command, or pass -tags=sqlite_fts5 (or set that GOFLAGS)
// yourself; with the tag this file is left out.
var _ = BUILD_WITH_TAGS_sqlite_fts5__SEE_MAKEFILE
