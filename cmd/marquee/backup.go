package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"marquee/internal/sqlite"
)

// runBackup writes a consistent, checked copy of the whole database while
// the site may be running and taking writes.
func runBackup(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, common := newFlagSet("backup", "Write a consistent copy of the whole database (the catalogue, reviews, ratings,\n"+
		"accounts, sessions, revisions, the audit log, pictures) to a new file, while\n"+
		"the site keeps serving and taking writes. The copy is checked with SQLite's\n"+
		"integrity_check and readable by its owner only. Bring it back with marquee restore.", getenv, stderr)
	out := fs.String("out", "", "the backup file to write; it must not exist yet")
	if help, err := parse(fs, args); help || err != nil {
		return err
	}
	if *out == "" {
		fmt.Fprintln(stderr, "marquee backup: -out is required")
		fs.Usage()
		return errUsage
	}
	if isPostgres(common.db) {
		return fmt.Errorf("backup: %w", errPostgresBackup)
	}
	if _, err := os.Stat(common.db); err != nil {
		return fmt.Errorf("backup: no database at %s: %w", common.db, err)
	}
	db, err := sqlite.Open(ctx, common.db)
	if err != nil {
		return err
	}
	defer db.Close()
	start := time.Now()
	if err := db.Backup(ctx, *out); err != nil {
		return err
	}
	info, err := os.Stat(*out)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Backed up %s to %s (%d bytes, checked) in %s.\n", common.db, *out, info.Size(), time.Since(start).Round(time.Millisecond))
	return nil
}

// runRestore brings a site back from a backup file.
func runRestore(ctx context.Context, d deps, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, common := newFlagSet("restore", "Replace the database with a backup made by marquee backup, after checking the\n"+
		"backup. Stop the server first: a database in use is never replaced. A database\n"+
		"already there is replaced only with -force, and kept beside it as\n"+
		"FILE.replaced-TIME.", getenv, stderr)
	from := fs.String("from", "", "the backup file to restore")
	force := fs.Bool("force", false, "replace the database already at -db (it is kept beside it)")
	if help, err := parse(fs, args); help || err != nil {
		return err
	}
	if *from == "" {
		fmt.Fprintln(stderr, "marquee restore: -from is required")
		fs.Usage()
		return errUsage
	}
	if isPostgres(common.db) {
		return fmt.Errorf("restore: %w", errPostgresBackup)
	}
	kept, err := sqlite.Restore(ctx, *from, common.db, *force, d.now())
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Restored %s from %s.\n", common.db, *from)
	if kept != "" {
		fmt.Fprintf(stdout, "The database it replaced is kept as %s.\n", kept)
	}
	return nil
}

// Scheduled backups are named backupPrefix, the time they were taken and
// backupSuffix, so their names sort in time order.
const backupPrefix, backupSuffix = "marquee-", ".db"

// scheduleBackups writes a backup of db into dir every interval while the
// server runs, named by the time it was taken, and keeps only the newest
// keep of them (older ones made by the schedule are removed; other files
// in dir are left alone). A failed backup is logged at ERROR and the
// schedule goes on. The returned stop ends the schedule and waits for a
// backup in progress, so the database is closed after it.
func scheduleBackups(ctx context.Context, db backupWriter, dir string, interval time.Duration, keep int, now func() time.Time, logger *slog.Logger) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(interval)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			name := filepath.Join(dir, backupPrefix+now().UTC().Format("20060102T150405.000Z")+backupSuffix)
			start := time.Now()
			if err := db.Backup(ctx, name); err != nil {
				if ctx.Err() == nil {
					logger.Error("scheduled backup failed", "file", name, "error", err.Error())
				}
				continue
			}
			logger.Info("backup written", "file", name, "duration", time.Since(start).Round(time.Millisecond).String())
			if err := pruneBackups(dir, keep); err != nil {
				logger.Error("removing old backups failed", "dir", dir, "error", err.Error())
			}
		}
	}()
	return func() {
		cancel()
		<-done
	}
}

// pruneBackups removes the oldest scheduled backups in dir beyond keep.
func pruneBackups(dir string, keep int) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	var names []string
	for _, e := range entries {
		if n := e.Name(); e.Type().IsRegular() && strings.HasPrefix(n, backupPrefix) && strings.HasSuffix(n, backupSuffix) {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	var errs []error
	for len(names) > keep {
		errs = append(errs, os.Remove(filepath.Join(dir, names[0])))
		names = names[1:]
	}
	return errors.Join(errs...)
}
