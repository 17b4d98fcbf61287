package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"marquee/internal/catalog"
	"marquee/internal/film"
)

// runCopy moves a whole site from one backend to another (SQLite to
// PostgreSQL, or back) through the store contract, so it needs nothing of
// either backend beyond film.Store: the catalogue with its reviews,
// ratings, helpful votes, readers and pictures (Dump, then Import into the
// target, in one transaction), and the desk's accounts with their
// password hashes. It refuses a target that holds any film or account, and
// checks the counts on both sides after.
//
// What it does not carry, by design or not yet: desk sessions (everyone
// signs in again on the new site), the earlier revisions of critic reviews
// (each review arrives as it now reads), the audit log, ratings held by the
// stuffing defence and not yet released (they count nowhere, as in a
// dump), slug redirects, and the site's secrets (a new signing key is made,
// so forms open while the site moves must be sent again).
func runCopy(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("marquee copy", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `Usage: marquee copy -from SRC -to DST

Copy a whole site from the database SRC to the database DST, each a SQLite
file or a postgres:// URL: every person and film with its pictures, every
critic and reader review, rating and helpful vote, and the desk's accounts.
DST must hold no film and no account; both are migrated first. The counts of
each kind of record are compared on both sides after the copy. Not copied:
desk sessions (everyone signs in again), earlier revisions of critic
reviews, the audit log, held ratings, slug redirects and the site's secrets.

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

	want, err := siteCounts(ctx, src)
	if err != nil {
		return err
	}
	got, err := siteCounts(ctx, dst)
	if err != nil {
		return err
	}
	if got != want {
		return fmt.Errorf("the copy differs from its source: %s has %+v, %s has %+v", databaseName(*from), want, databaseName(*to), got)
	}
	fmt.Fprintf(stdout, "copied %s, %d %s and %d %s in %v\n", describe(want.catalog), want.images, plural(want.images, "picture", "pictures"),
		users, plural(users, "account", "accounts"), time.Since(start).Round(time.Millisecond))
	return errors.Join(dst.Close(), src.Close())
}

// refuseNonEmpty refuses a target that holds films or accounts: a copy
// makes a site, it does not merge two.
func refuseNonEmpty(ctx context.Context, dst film.Store) error {
	empty, err := dst.IsEmpty(ctx)
	if err != nil {
		return err
	}
	users, err := dst.CountUsers(ctx)
	if err != nil {
		return err
	}
	if !empty || users > 0 {
		return errors.New("the target database is not empty (it holds films or desk accounts): copy into a new, empty database")
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
}

// siteCounts counts a site's records, as a dump reads them, and accounts.
func siteCounts(ctx context.Context, db film.Store) (counts, error) {
	var cat film.Catalog
	if err := db.Dump(ctx, &cat); err != nil {
		return counts{}, err
	}
	users, err := db.CountUsers(ctx)
	if err != nil {
		return counts{}, err
	}
	return counts{catalog: film.CatalogCounts{
		People: len(cat.People), Films: len(cat.Films), CriticReviews: len(cat.CriticReviews),
		ReaderReviews: len(cat.ReaderReviews), Ratings: len(cat.Ratings), HelpfulVotes: len(cat.HelpfulVotes),
	}, images: len(cat.Images), users: users}, nil
}
