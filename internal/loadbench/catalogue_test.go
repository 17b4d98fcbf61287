package loadbench

import (
	"bufio"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	_ "github.com/mattn/go-sqlite3"

	"marquee/internal/film"
)

// generatorKey names a generated catalogue by what decides its content:
// the generator's source files and the options it ran with.
func generatorKey(root string, films int, seed uint64) (string, error) {
	dir := filepath.Join(root, "internal", "catalog", "generator")
	names, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return "", err
	}
	sort.Strings(names)
	h := sha256.New()
	fmt.Fprintf(h, "films=%d seed=%d\n", films, seed)
	n := 0
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		b, err := os.ReadFile(name)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "%s %d\n", filepath.Base(name), len(b))
		h.Write(b)
		n++
	}
	if n == 0 {
		return "", fmt.Errorf("no generator sources in %s", dir)
	}
	return hex.EncodeToString(h.Sum(nil))[:16], nil
}

// cachedCatalogue returns a generated database of the given size from the
// cache directory, generating it first when the cache holds none made by
// the present generator, and migrating a cached one to the present schema.
// Catalogues of the same size made by an older generator are removed.
func cachedCatalogue(ctx context.Context, say func(string, ...any), bin, root, cacheDir string, films int) (string, error) {
	const seed = 1
	key, err := generatorKey(root, films, seed)
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(cacheDir, 0o755); err != nil {
		return "", err
	}
	prefix := fmt.Sprintf("gen-%d-", films)
	path := filepath.Join(cacheDir, prefix+key+".db")
	if _, err := os.Stat(path); err == nil {
		say("catalogue of %d films from the cache: %s", films, path)
		// A catalogue made before the latest migrations is brought up to
		// the present schema once, here, rather than in every run's copy
		// (at full scale the later migrations take minutes).
		start := time.Now()
		cmd := exec.CommandContext(ctx, bin, "migrate", "-db", path)
		cmd.Env = childEnv()
		if out, err := cmd.CombinedOutput(); err != nil {
			return "", fmt.Errorf("marquee migrate %s: %w\n%s", path, err, out)
		}
		if d := time.Since(start); d > time.Second {
			say("migrated the cached catalogue to the present schema in %s", d.Round(time.Second))
		}
		return path, nil
	}
	old, _ := filepath.Glob(filepath.Join(cacheDir, prefix+"*"))
	for _, f := range old {
		say("removing a catalogue made by another generator: %s", f)
		os.Remove(f)
	}
	partial := path + ".partial"
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(partial + suffix)
	}
	say("generating %d films (marquee gen -films %d -seed %d) into %s; at full scale this takes several minutes", films, films, seed, path)
	start := time.Now()
	cmd := exec.CommandContext(ctx, bin, "gen", "-films", fmt.Sprint(films), "-seed", fmt.Sprint(seed), "-db", partial)
	cmd.Env = childEnv()
	pr, pw := io.Pipe()
	cmd.Stdout, cmd.Stderr = pw, pw
	done := make(chan struct{})
	go func() {
		defer close(done)
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			say("  gen: %s", sc.Text())
		}
	}()
	err = cmd.Run()
	pw.Close()
	<-done
	if err != nil {
		return "", fmt.Errorf("marquee gen: %w", err)
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		if _, err := os.Stat(partial + suffix); err == nil {
			if err := os.Rename(partial+suffix, path+suffix); err != nil {
				return "", err
			}
		}
	}
	if err := os.Rename(partial, path); err != nil {
		return "", err
	}
	say("generated in %s", time.Since(start).Round(time.Second))
	return path, nil
}

// copyDB copies a database file (and its WAL, if any) to dst, so that
// what a run writes never reaches the cached catalogue.
func copyDB(src, dst string) error {
	for _, suffix := range []string{"", "-wal"} {
		in, err := os.Open(src + suffix)
		if os.IsNotExist(err) && suffix != "" {
			continue
		}
		if err != nil {
			return err
		}
		out, err := os.Create(dst + suffix)
		if err != nil {
			in.Close()
			return err
		}
		_, err = io.Copy(out, in) // copy_file_range on Linux
		in.Close()
		if cerr := out.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// dbSize is the size of a database file with its WAL.
func dbSize(path string) int64 {
	var n int64
	for _, suffix := range []string{"", "-wal"} {
		if fi, err := os.Stat(path + suffix); err == nil {
			n += fi.Size()
		}
	}
	return n
}

// catalogueFacts are what the harness reads from a generated database
// before serving it.
type catalogueFacts struct {
	Films, People, ReaderReviews, Ratings int64
	// TypicalSlug is the film with the median number of ratings.
	TypicalSlug    string
	TypicalRatings int64
	TypicalReviews int64
	// DeepestPath is the last page of the film index by title, reached
	// with the keyset cursor the site itself writes in its "Next" links.
	DeepestPath string
}

// readFacts opens the database read-only and finds the typical film and
// the deepest page of the film index.
func readFacts(ctx context.Context, path string) (catalogueFacts, error) {
	var f catalogueFacts
	abs, err := filepath.Abs(path)
	if err != nil {
		return f, err
	}
	db, err := sql.Open("sqlite3", "file:"+abs+"?mode=ro&_busy_timeout=5000")
	if err != nil {
		return f, err
	}
	defer db.Close()
	for _, c := range []struct {
		dst   *int64
		table string
	}{{&f.Films, "films"}, {&f.People, "people"}, {&f.ReaderReviews, "reader_reviews"}, {&f.Ratings, "ratings"}} {
		if err := db.QueryRowContext(ctx, "SELECT count(*) FROM "+c.table).Scan(c.dst); err != nil {
			return f, fmt.Errorf("count %s: %w", c.table, err)
		}
	}
	err = db.QueryRowContext(ctx, `SELECT slug, rating_count, review_count FROM films
		ORDER BY rating_count, id LIMIT 1 OFFSET (SELECT count(*) / 2 FROM films)`).Scan(&f.TypicalSlug, &f.TypicalRatings, &f.TypicalReviews)
	if err != nil {
		return f, fmt.Errorf("typical film: %w", err)
	}
	// The cursor after the 25th film from the end opens the last page of
	// 24 (the film index's page size), as the "Next" links would.
	var c film.Cursor
	var year int64
	err = db.QueryRowContext(ctx, `SELECT title, year, id FROM films
		ORDER BY title COLLATE NOCASE DESC, year DESC, id DESC LIMIT 1 OFFSET 24`).Scan(&c.Text, &year, &c.ID)
	if err != nil {
		return f, fmt.Errorf("deepest page: %w", err)
	}
	c.Count = year
	f.DeepestPath = "/films?after=" + c.Encode()
	return f, nil
}
