package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/mattn/go-sqlite3"

	"marquee/internal/film"
)

// Backup writes a consistent copy of the whole database (every table:
// the catalogue, reviews, ratings, accounts, sessions, revisions, the
// audit log, pictures) to the new file out, while the site keeps serving
// and taking writes: VACUUM INTO reads one snapshot in one read
// transaction, so the copy is the database as it was at one moment, and
// writers in WAL mode are not held up. The copy is written beside out
// under a temporary name, created 0600, checked with integrity_check, and
// only then renamed to out, so out is either a whole, checked backup or
// absent. out must not exist yet.
//
// Backup is SQLite's own: a PostgreSQL backend would say "use pg_dump".
func (db *DB) Backup(ctx context.Context, out string) error {
	abs, err := filepath.Abs(out)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if _, err := os.Lstat(abs); err == nil {
		return fmt.Errorf("backup: %s already exists; name a new file", out)
	}
	tmp := filepath.Join(filepath.Dir(abs), "."+filepath.Base(abs)+".partial-"+fmt.Sprint(time.Now().UnixNano()))
	if err := createPrivate(tmp); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer os.Remove(tmp) // A no-op once it has been renamed.
	// A connection of its own, outside both pools: the read pool is
	// query-only, which forbids VACUUM INTO, and the writer must stay free
	// for writes while the copy is made.
	src, err := sql.Open("sqlite3", "file:"+(&url.URL{Path: db.absPath()}).EscapedPath()+"?_busy_timeout=5000")
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	_, err = src.ExecContext(ctx, "VACUUM INTO ?", tmp)
	src.Close()
	if err != nil {
		return fmt.Errorf("backup: %w", db.classify(err))
	}
	if err := CheckFile(ctx, tmp); err != nil {
		return fmt.Errorf("backup: the copy failed its check: %w", err)
	}
	if err := syncFile(tmp); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := os.Rename(tmp, abs); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	return syncDir(filepath.Dir(abs))
}

// CheckFile runs integrity_check on the database file at path, opened
// read-only, and returns an error wrapping film.ErrCorrupt when it finds
// damage, or when path is not a Marquee database at all.
func CheckFile(ctx context.Context, path string) error {
	abs, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	conn, err := sql.Open("sqlite3", "file:"+(&url.URL{Path: abs}).EscapedPath()+"?mode=ro")
	if err != nil {
		return err
	}
	defer conn.Close()
	rows, err := conn.QueryContext(ctx, "PRAGMA integrity_check(20)")
	if err != nil {
		return fileError(path, err)
	}
	var findings []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			rows.Close()
			return fileError(path, err)
		}
		if line != "ok" {
			findings = append(findings, line)
		}
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return fileError(path, err)
	}
	if len(findings) > 0 {
		return fmt.Errorf("%w: %s: integrity_check: %s", film.ErrCorrupt, path, strings.Join(findings, "; "))
	}
	var migrations int
	if err := conn.QueryRowContext(ctx, "SELECT count(*) FROM schema_migrations").Scan(&migrations); err != nil || migrations == 0 {
		return fmt.Errorf("%s is not a Marquee database (it has no migrations recorded)", path)
	}
	return nil
}

// absPath is the database file's absolute path.
func (db *DB) absPath() string {
	abs, err := filepath.Abs(db.path)
	if err != nil {
		return db.path
	}
	return abs
}

// fileError wraps SQLite's damage reports about the file at path in
// film.ErrCorrupt.
func fileError(path string, err error) error {
	var se sqlite3.Error
	if errors.As(err, &se) && (se.Code == sqlite3.ErrCorrupt || se.Code == sqlite3.ErrNotADB) {
		return fmt.Errorf("%w: %s: %w", film.ErrCorrupt, path, err)
	}
	return fmt.Errorf("%s: %w", path, err)
}

// ErrInUse is returned by Restore when another connection has the target
// database open: a server still running on it.
var ErrInUse = errors.New("the database is in use")

// Restore replaces the database at path with the backup file from, which
// it checks first (integrity_check, and that it is a Marquee database).
// A database already at path is refused unless force is set, and refused
// in any case while another process has it open (a running server: stop
// it first); when replaced, it is kept beside as path.replaced-TIME, with
// its WAL checkpointed into it, so nothing is lost by a mistaken restore.
// The copy is made 0600 under a temporary name and renamed into place, so
// path never holds half a database. It returns the name the old database
// was kept under, if any.
func Restore(ctx context.Context, from, path string, force bool, now time.Time) (string, error) {
	if err := CheckFile(ctx, from); err != nil {
		return "", fmt.Errorf("restore: the backup failed its check: %w", err)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", fmt.Errorf("restore: %w", err)
	}
	kept := ""
	if info, err := os.Stat(abs); err == nil && info.Size() > 0 {
		if !force {
			return "", fmt.Errorf("restore: %s already holds a database; stop the server and pass -force to replace it (the old file is kept beside it)", path)
		}
		if err := quiesce(ctx, abs); err != nil {
			return "", fmt.Errorf("restore: %s: %w", path, err)
		}
		kept = abs + ".replaced-" + now.UTC().Format("20060102T150405Z")
		if err := os.Rename(abs, kept); err != nil {
			return "", fmt.Errorf("restore: %w", err)
		}
	} else if err != nil && !errors.Is(err, os.ErrNotExist) {
		return "", fmt.Errorf("restore: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
		return kept, fmt.Errorf("restore: %w", err)
	}
	tmp := filepath.Join(filepath.Dir(abs), "."+filepath.Base(abs)+".partial-"+fmt.Sprint(now.UnixNano()))
	defer os.Remove(tmp)
	if err := copyPrivate(from, tmp); err != nil {
		return kept, fmt.Errorf("restore: %w", err)
	}
	for _, suffix := range []string{"-wal", "-shm", "-journal"} {
		if err := os.Remove(abs + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			return kept, fmt.Errorf("restore: %w", err)
		}
	}
	if err := os.Rename(tmp, abs); err != nil {
		return kept, fmt.Errorf("restore: %w", err)
	}
	return kept, syncDir(filepath.Dir(abs))
}

// quiesce checkpoints the WAL of the database at path into the file and
// leaves WAL mode, which SQLite allows only to the one connection holding
// the database: so it fails with ErrInUse while a server has it open, and
// on success the file alone holds every committed write.
func quiesce(ctx context.Context, path string) error {
	conn, err := sql.Open("sqlite3", "file:"+(&url.URL{Path: path}).EscapedPath()+"?_busy_timeout=0")
	if err != nil {
		return err
	}
	defer conn.Close()
	var mode string
	if err := conn.QueryRowContext(ctx, "PRAGMA journal_mode = DELETE").Scan(&mode); err != nil {
		var se sqlite3.Error
		if errors.As(err, &se) && (se.Code == sqlite3.ErrBusy || se.Code == sqlite3.ErrLocked) {
			return fmt.Errorf("%w: stop the server using it first", ErrInUse)
		}
		return err
	}
	if !strings.EqualFold(mode, "delete") {
		return fmt.Errorf("%w: stop the server using it first", ErrInUse)
	}
	return nil
}

// copyPrivate copies the file from to the new file to, created 0600 and
// synced to disk.
func copyPrivate(from, to string) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return err
	}
	if err := dst.Sync(); err != nil {
		dst.Close()
		return err
	}
	return dst.Close()
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	_ = d.Sync() // Not every file system can sync a directory; the rename stands regardless.
	return nil
}
