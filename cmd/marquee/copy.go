package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"marquee/internal/catalog"
	"marquee/internal/film"
)

// runCopy moves a whole site from one backend to another (SQLite to
// PostgreSQL, or back) through the store contract, so it needs nothing of
// either backend beyond film.Store: the catalogue with its reviews,
// ratings, helpful votes, readers and pictures (Dump, then Import into the
// target, in one transaction), the desk's accounts with their password
// hashes, and the site's history (DumpHistory, then ImportHistory, in one
// transaction): the revisions of critic reviews and who owns each, who
// moderated each reader review, when each film and person was made and
// last changed (the sitemap's dates), the audit log, slug redirects, the
// ratings and votes the stuffing defence holds with their bursts (still
// held), the desk's sessions (only token hashes are stored, so editors
// stay signed in) and the site's secrets (so forms and cookies signed
// before the move still verify). Records name one
// another by slug, email or key, since ids differ between the databases;
// an audit line whose record is gone arrives without one.
//
// It refuses a target that holds any film, account or history, and
// compares the counts of every kind of record on both sides after, so
// the source should take no writes while it runs (stop the site, or copy
// from a backup).
func runCopy(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("marquee copy", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `Usage: marquee copy -from SRC -to DST

Copy a whole site from the database SRC to the database DST, each a SQLite
file or a postgres:// URL: every person and film with its pictures, every
critic and reader review, rating and helpful vote, the desk's accounts, and
the site's history: revisions of critic reviews, who moderated reader
reviews, when records changed, the audit log, slug redirects, ratings and
votes held back as a burst (still held), the desk's sessions (editors stay
signed in) and the site's secrets (forms and cookies signed before the move
still verify). DST must hold no film, account or
history; both are migrated first. The counts of each kind of record are
compared on both sides after the copy and printed. SRC should take no
writes while it runs.

Flags:
`)
		fs.PrintDefaults()
	}
	from := fs.String("from", "", "the database to copy from: a SQLite file or a postgres:// URL")
	to := fs.String("to", "", "the database to copy into: a SQLite file (made if missing) or a postgres:// URL")
	logFormat := fs.String("log-format", envOr(getenv, "MARQUEE_LOG_FORMAT", "text"), "log format: text or json (env MARQUEE_LOG_FORMAT)")
	if help, err := parse(fs, args); help || err != nil {
		return err
	}
	if *from == "" || *to == "" || *from == *to {
		fmt.Fprintln(stderr, "marquee copy: give two different databases, -from and -to")
		return errUsage
	}
	for _, v := range []string{*from, *to} {
		if _, err := classifyDatabase(v); err != nil {
			fmt.Fprintln(stderr, "marquee copy:", err)
			return errUsage
		}
	}
	if !isPostgres(*from) {
		if _, err := os.Stat(*from); err != nil {
			return fmt.Errorf("no database to copy from: %w", err)
		}
	}
	logger, err := newLogger(*logFormat, stderr)
	if err != nil {
		return err
	}
	src, err := openDB(ctx, *from, logger)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := openDB(ctx, *to, logger)
	if err != nil {
		return err
	}
	defer dst.Close()
	if err := refuseNonEmpty(ctx, dst); err != nil {
		return err
	}

	start := time.Now()
	var cat film.Catalog
	if err := src.Dump(ctx, &cat); err != nil {
		return fmt.Errorf("read %s: %w", databaseName(*from), err)
	}
	// Pictures come out of a dump as their original files; the target
	// makes its renditions from them as an import of a dump does.
	doc := catalog.Document{Catalog: cat}
	if err := doc.LoadImages(nil); err != nil {
		return fmt.Errorf("read %s: pictures: %w", databaseName(*from), err)
	}
	if _, err := dst.ImportWith(ctx, doc.Catalog, film.ImportOptions{}); err != nil {
		return fmt.Errorf("write %s: %w; nothing was copied", databaseName(*to), err)
	}
	users, err := copyUsers(ctx, src, dst)
	if err != nil {
		return fmt.Errorf("copy the desk's accounts: %w (the catalogue was copied: empty the target before trying again)", err)
	}
	history, err := src.DumpHistory(ctx)
	if err != nil {
		return fmt.Errorf("read %s: %w (the catalogue and accounts were copied: empty the target before trying again)", databaseName(*from), err)
	}
	if err := dst.ImportHistory(ctx, history); err != nil {
		return fmt.Errorf("write %s: %w (the catalogue and accounts were copied, no history: empty the target before trying again)", databaseName(*to), err)
	}

	// The source's counts are those of what was read from it (a second
	// dump of a large site would read every picture again); the target's
	// are read back from it.
	want := countsOf(cat, users, history)
	got, err := siteCounts(ctx, dst)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "copied %s, %d %s and %d %s in %v\n", describe(want.catalog), want.images, plural(want.images, "picture", "pictures"),
		users, plural(users, "account", "accounts"), time.Since(start).Round(time.Millisecond))
	if differ := printCounts(stdout, want, got); len(differ) > 0 {
		return fmt.Errorf("the copy differs from its source in %s: see the counts above", strings.Join(differ, ", "))
	}
	return errors.Join(dst.Close(), src.Close())
}

// refuseNonEmpty refuses a target that holds films, accounts or history: a
// copy makes a site, it does not merge two. Secrets do not count: a site
// opened once, before it held anything, has made its own, which the
// copy's replace.
func refuseNonEmpty(ctx context.Context, dst film.Store) error {
	empty, err := dst.IsEmpty(ctx)
	if err != nil {
		return err
	}
	users, err := dst.CountUsers(ctx)
	if err != nil {
		return err
	}
	history, err := dst.DumpHistory(ctx)
	if err != nil {
		return err
	}
	own := history.Counts()
	own.Secrets = 0
	if !empty || users > 0 || own != (film.HistoryCounts{}) {
		return errors.New("the target database is not empty (it holds films, desk accounts or history): copy into a new, empty database")
	}
	return nil
}

// copyUsers copies the desk's accounts with their password hashes, so
// everyone signs in with the password they had, and their disabled flags.
func copyUsers(ctx context.Context, src, dst film.Store) (int, error) {
	users, err := src.FindUsers(ctx)
	if err != nil {
		return 0, err
	}
	for _, u := range users {
		_, hash, err := src.FindCredentials(ctx, u.Email)
		if err != nil {
			return 0, fmt.Errorf("%s: %w", u.Email, err)
		}
		made, err := dst.CreateUser(ctx, u, hash, 0)
		if err != nil {
			return 0, fmt.Errorf("%s: %w", u.Email, err)
		}
		if u.Disabled {
			if err := dst.SetUserDisabled(ctx, made.ID, true, 0, time.Now()); err != nil {
				return 0, fmt.Errorf("%s: %w", u.Email, err)
			}
		}
	}
	return len(users), nil
}

// counts are what copy compares on both sides.
type counts struct {
	catalog film.CatalogCounts
	images  int
	users   int
	history film.HistoryCounts
}

// siteCounts counts a site's records, as a dump reads them, its accounts
// and its history.
func siteCounts(ctx context.Context, db film.Store) (counts, error) {
	var cat film.Catalog
	if err := db.Dump(ctx, &cat); err != nil {
		return counts{}, err
	}
	users, err := db.CountUsers(ctx)
	if err != nil {
		return counts{}, err
	}
	history, err := db.DumpHistory(ctx)
	if err != nil {
		return counts{}, err
	}
	return countsOf(cat, users, history), nil
}

// countsOf counts a dumped catalogue, its accounts and its history.
func countsOf(cat film.Catalog, users int, history film.SiteHistory) counts {
	return counts{catalog: cat.Counts(), images: len(cat.Images), users: users, history: history.Counts()}
}

// kinds lists every kind of record copy counts, in the order it prints
// them.
func (c counts) kinds() []kindCount {
	return []kindCount{
		{"people", c.catalog.People},
		{"films", c.catalog.Films},
		{"pictures", c.images},
		{"critic reviews", c.catalog.CriticReviews},
		{"reader reviews", c.catalog.ReaderReviews},
		{"ratings", c.catalog.Ratings},
		{"helpful votes", c.catalog.HelpfulVotes},
		{"accounts", c.users},
		{"revisions", c.history.Revisions},
		{"moderations", c.history.Moderations},
		{"slug redirects", c.history.Redirects},
		{"held bursts", c.history.Bursts},
		{"held ratings", c.history.HeldRatings},
		{"held votes", c.history.HeldVotes},
		{"audit lines", c.history.AuditLines},
		{"sessions", c.history.Sessions},
		{"secrets", c.history.Secrets},
	}
}

// kindCount is how many records of one kind a site holds.
type kindCount struct {
	kind string
	n    int
}

// printCounts writes the table of counts, source beside target, and
// returns the kinds whose counts differ.
func printCounts(w io.Writer, source, target counts) (differ []string) {
	fmt.Fprintf(w, "  %-15s %9s %9s\n", "", "source", "target")
	t := target.kinds()
	for i, s := range source.kinds() {
		mark := ""
		if s.n != t[i].n {
			differ = append(differ, s.kind)
			mark = "  differs"
		}
		fmt.Fprintf(w, "  %-15s %9d %9d%s\n", s.kind, s.n, t[i].n, mark)
	}
	return differ
}
