package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"runtime/debug"
	"strings"

	"marquee/internal/export"
	"marquee/internal/film"
	"marquee/internal/web"
	"marquee/static"
)

// runExport writes the public site as static files, rendered by the same
// handler serve uses.
func runExport(ctx context.Context, d deps, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, common := newFlagSet("export", `Write the whole public site into DIR as static files: every page the server
shares with every visitor (films, people, companies, years, critic and reader
reviews, the film index), its assets, share cards, sitemap, feeds and
robots.txt, each byte for byte what "marquee serve" sends for it. Serve DIR
with any file server; for nginx:

    location / { try_files $uri $uri/index.html /_query$uri/$args.html =404; }

Forms that need a server (ratings, reader reviews, search) point at the live
site given by -live-url, or say that they work there.`, getenv, stderr)
	out := fs.String("out", "", "directory to write the site into; it must be new or empty (required)")
	baseURL := fs.String("base-url", getenv("MARQUEE_BASE_URL"),
		"the address the exported site will be served at, for canonical links, sitemaps and feeds (env MARQUEE_BASE_URL; default "+web.DefaultBaseURL+")")
	liveURL := fs.String("live-url", "", "the address of a running Marquee that takes ratings, reviews and searches; empty means none")
	if help, err := parse(fs, args); help || err != nil {
		return err
	}
	if *out == "" {
		fmt.Fprintln(stderr, "marquee export: -out DIR is required")
		fs.Usage()
		return errUsage
	}
	if !isPostgres(common.db) {
		if _, err := os.Stat(common.db); err != nil {
			return fmt.Errorf("no database to export: %w", err)
		}
	}
	var base, live *url.URL
	var err error
	if *baseURL != "" {
		if base, err = web.ParseBaseURL(*baseURL); err != nil {
			return fmt.Errorf("-base-url: %w", err)
		}
	}
	if *liveURL != "" {
		if live, err = web.ParseBaseURL(*liveURL); err != nil {
			return fmt.Errorf("-live-url: %w", err)
		}
	}
	// The export is a batch that makes tens of thousands of short-lived
	// pages: it lets the heap grow to five times what is live between
	// collections (GOGC=400) rather than twice, under a soft limit of
	// 512 MiB. In a profile of the export of 2,000 films the collector's
	// share of the CPU fell from 8.6% to 3.7%, and peak memory rose from
	// 118 to 341 MB. A GOGC or GOMEMLIMIT the operator set is kept.
	_, gogc := os.LookupEnv("GOGC")
	_, memLimit := os.LookupEnv("GOMEMLIMIT")
	if !gogc && !memLimit {
		defer debug.SetGCPercent(debug.SetGCPercent(400))
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(512 << 20))
	}
	// The export asks for every page: a log line each would drown what
	// matters, so only warnings and errors are logged.
	logger, err := newLevelLogger(common.logFormat, stderr, slog.LevelWarn)
	if err != nil {
		return err
	}
	// A damaged file must never give an export that looks whole, but the
	// check reads the whole file (a few tenths of a second for 2,000
	// films, seconds for a large catalogue): it runs beside the export,
	// which it stops when it finds damage, and the export succeeds only
	// once the check has passed.
	db, err := openDBCheckedLater(ctx, common.db, logger)
	if err != nil {
		return explainDamage(common.db, err)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	checked := make(chan error, 1)
	if checker, ok := db.(fileChecker); ok {
		go func() {
			err := checker.QuickCheck(ctx)
			if err != nil {
				cancel()
			}
			checked <- err
		}()
	} else {
		checked <- nil // PostgreSQL checks its own pages.
	}
	// finish waits for the check (cut short when the export failed) and
	// says what went wrong, damage first.
	finish := func(exportErr error) error {
		if exportErr != nil {
			cancel()
		}
		checkErr := <-checked
		for _, err := range []error{checkErr, exportErr} {
			if errors.Is(err, film.ErrCorrupt) {
				return fmt.Errorf("%w\nThe files written to %s are not a whole site: do not serve them", damagedError(common.db, err), *out)
			}
		}
		switch {
		case exportErr != nil:
			return exportErr
		case checkErr != nil:
			return fmt.Errorf("check the database: %w", checkErr)
		}
		return nil
	}
	defer db.Close()
	site, err := web.New(ctx, web.Config{DB: db, Logger: logger, Static: static.FS, Now: d.now, BaseURL: base,
		Export: &web.ExportConfig{LiveURL: live}})
	if err != nil {
		return finish(err)
	}
	if base == nil {
		base, _ = web.ParseBaseURL(web.DefaultBaseURL)
	}
	fmt.Fprintf(stdout, "exporting %s to %s\n", databaseName(common.db), *out)
	opts := export.Options{Out: *out, Base: base, Progress: stdout,
		// Pictures drawn on request (share cards and generated posters)
		// cost far more than a page: they go in the second pass, timed
		// apart, so the pages' rate is the pages'.
		Later: func(p string) bool { return strings.HasPrefix(p, "/cards/") || strings.HasPrefix(p, "/posters/") }}
	_, err = export.Export(ctx, site.Handler(), opts)
	if err := finish(err); err != nil {
		return err
	}
	return db.Close()
}
