package sqlite

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/mattn/go-sqlite3"

	"marquee/internal/film"
)

// QuickCheck runs SQLite's quick_check over the whole file: every page's
// structure, every index against its table, NOT NULL and CHECK constraints
// (it skips only the slower index-content comparison integrity_check adds).
// It returns an error wrapping film.ErrCorrupt, with SQLite's first
// findings, when the file is damaged; the DB then refuses writes.
func (db *DB) QuickCheck(ctx context.Context) error {
	return db.check(ctx, "quick_check")
}

// IntegrityCheck is QuickCheck with index contents compared too; it is the
// check a backup copy is given.
func (db *DB) IntegrityCheck(ctx context.Context) error {
	return db.check(ctx, "integrity_check")
}

// check runs on a reader's connection, so writes go on while it reads the
// file (serve checks it while it serves).
func (db *DB) check(ctx context.Context, pragma string) error {
	rows, err := db.read.QueryContext(ctx, "PRAGMA "+pragma+"(20)")
	if err != nil {
		return db.classify(fmt.Errorf("%s: %w", pragma, err))
	}
	defer rows.Close()
	var findings []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return db.classify(fmt.Errorf("%s: %w", pragma, err))
		}
		if line != "ok" {
			findings = append(findings, line)
		}
	}
	if err := rows.Err(); err != nil {
		return db.classify(fmt.Errorf("%s: %w", pragma, err))
	}
	if len(findings) > 0 {
		reason := pragma + ": " + strings.Join(findings, "; ")
		db.markCorrupt(reason)
		return fmt.Errorf("%w: %s", film.ErrCorrupt, reason)
	}
	return nil
}

// Corrupt returns why the DB stopped taking writes, or "" while it has
// seen no sign of damage.
func (db *DB) Corrupt() string {
	if r := db.corrupt.Load(); r != nil {
		return *r
	}
	return ""
}

// markCorrupt records the first sign of damage; from then on every write
// is refused.
func (db *DB) markCorrupt(reason string) {
	db.corrupt.CompareAndSwap(nil, &reason)
}

// refuseWrites returns the error a write gets once damage has been seen,
// or nil.
func (db *DB) refuseWrites() error {
	if reason := db.Corrupt(); reason != "" {
		return fmt.Errorf("%w (%s): writes are refused until it is restored from a backup", film.ErrCorrupt, reason)
	}
	return nil
}

// classify turns SQLite's reports of damage and of a full disk into the
// domain's errors, recording damage so that later writes are refused:
// SQLITE_CORRUPT and SQLITE_NOTADB wrap film.ErrCorrupt, SQLITE_FULL
// film.ErrFull. Any other error is returned as it is.
func (db *DB) classify(err error) error {
	var se sqlite3.Error
	if err == nil || !errors.As(err, &se) {
		return err
	}
	switch se.Code {
	case sqlite3.ErrCorrupt, sqlite3.ErrNotADB:
		db.markCorrupt(se.Error())
		return fmt.Errorf("%w: %w", film.ErrCorrupt, err)
	case sqlite3.ErrFull:
		return fmt.Errorf("%w: %w", film.ErrFull, err)
	}
	return err
}

// SimulateFullDisk makes the writer's file stop growing room pages beyond
// what it holds now: SQLite's max_page_count is set to the file's page
// count plus spare, so writes fail with SQLITE_FULL (film.ErrFull) as on
// a full disk once the spare pages are used. It is for tests of that
// failure; the setting lasts while the writer's one connection does.
func (db *DB) SimulateFullDisk(ctx context.Context, spare int64) error {
	var pages int64
	if err := db.write.QueryRowContext(ctx, "PRAGMA page_count").Scan(&pages); err != nil {
		return fmt.Errorf("simulate a full disk: %w", err)
	}
	var set int64
	if err := db.write.QueryRowContext(ctx, fmt.Sprintf("PRAGMA max_page_count = %d", pages+spare)).Scan(&set); err != nil {
		return fmt.Errorf("simulate a full disk: %w", err)
	}
	if set != pages+spare {
		return fmt.Errorf("simulate a full disk: max_page_count is %d, want %d", set, pages+spare)
	}
	return nil
}
