package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	iofs "io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"marquee/internal/catalog"
	"marquee/internal/catalog/generator"
	"marquee/internal/film"
	"marquee/internal/postgres"
)

// The catalogue commands: import, dump and gen. They read and write the
// format documented in internal/catalog.

// parseWithFile parses args holding flags and exactly one FILE argument,
// which may stand before, among or after the flags ("-" is a file name
// here: standard input or output).
func parseWithFile(fs *flag.FlagSet, args []string) (file string, help bool, err error) {
	var files []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return "", true, nil
			}
			return "", false, errUsage
		}
		if fs.NArg() == 0 {
			break
		}
		files = append(files, fs.Arg(0))
		args = fs.Args()[1:]
	}
	switch {
	case len(files) == 0:
		fmt.Fprintln(fs.Output(), "missing FILE")
	case len(files) > 1:
		fmt.Fprintf(fs.Output(), "unexpected arguments: %s\n", strings.Join(files[1:], " "))
	default:
		return files[0], false, checkDatabaseFlag(fs)
	}
	fs.Usage()
	return "", false, errUsage
}

// newFileFlagSet is newFlagSet for a command that takes a FILE argument.
func newFileFlagSet(name, summary string, getenv func(string) string, stderr io.Writer) (*flag.FlagSet, *commonFlags) {
	fs, common := newFlagSet(name, summary, getenv, stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: marquee %s [flags] FILE\n\n%s\n\nFlags:\n", name, summary)
		fs.PrintDefaults()
	}
	return fs, common
}

func runImport(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs, common := newFileFlagSet("import", `Load people, films, critic and reader reviews, ratings and helpful votes from
FILE, a catalogue in Marquee's JSON format (see internal/catalog; "-" reads
standard input). The whole file is checked first: if any record is invalid,
every problem is listed and nothing changes. Records missing from the
database are added, records that differ are updated (a film keeps its
reviews and ratings), equal ones are left alone, and nothing is deleted, so
importing the same file twice changes nothing.`, getenv, stderr)
	file, help, err := parseWithFile(fs, args)
	if help || err != nil {
		return err
	}
	doc, err := readCatalogue(file, stdin, stderr)
	if err != nil {
		return err
	}
	logger, err := newLogger(common.logFormat, stderr)
	if err != nil {
		return err
	}
	db, err := openDB(ctx, common.db, logger)
	if err != nil {
		return err
	}
	report, err := db.ImportWith(ctx, doc.Catalog, film.ImportOptions{UpdateExisting: true})
	if err != nil {
		db.Close()
		return fmt.Errorf("%s: %w; nothing was imported", file, err)
	}
	printReport(stdout, report)
	return db.Close()
}

// readCatalogue decodes and validates the catalogue in file. Problems with
// its records are printed one per line, each with its place in the file.
func readCatalogue(file string, stdin io.Reader, stderr io.Writer) (catalog.Document, error) {
	r := stdin
	if file != "-" {
		f, err := os.Open(file)
		if err != nil {
			return catalog.Document{}, err // the error names the file
		}
		defer f.Close()
		r = f
	}
	doc, err := catalog.Decode(r)
	if err == nil {
		// Pictures given by path are read beside the file; from standard
		// input only embedded ones can be.
		var dir iofs.FS
		if file != "-" {
			dir = os.DirFS(filepath.Dir(file))
		}
		err = doc.LoadImages(dir)
	}
	var problems film.Problems
	if errors.As(err, &problems) {
		lines := problemLines(problems)
		const shown = 100
		for i, line := range lines {
			if i == shown {
				fmt.Fprintf(stderr, "%s: … and %d more\n", file, len(lines)-shown)
				break
			}
			fmt.Fprintf(stderr, "%s: %s\n", file, line)
		}
		return catalog.Document{}, fmt.Errorf("%s: %d invalid %s; nothing was imported", file, len(lines), plural(len(lines), "field", "fields"))
	}
	if err != nil {
		return catalog.Document{}, fmt.Errorf("%s: %w", file, err)
	}
	return doc, nil
}

// problemLines lists problems as "films[2].year: must be …", in the order
// of the document: films[2] before films[10].
func problemLines(p film.Problems) []string {
	fields := make([]string, 0, len(p))
	for f := range p {
		fields = append(fields, f)
	}
	sort.Slice(fields, func(i, j int) bool { return naturalLess(fields[i], fields[j]) })
	lines := make([]string, len(fields))
	for i, f := range fields {
		lines[i] = f + ": " + p[f]
	}
	return lines
}

// naturalLess compares strings with runs of digits taken as numbers.
func naturalLess(a, b string) bool {
	for a != "" && b != "" {
		da, db := digits(a), digits(b)
		if da > 0 && db > 0 {
			x, _ := strconv.Atoi(a[:da])
			y, _ := strconv.Atoi(b[:db])
			if x != y {
				return x < y
			}
			a, b = a[da:], b[db:]
			continue
		}
		if a[0] != b[0] {
			return a[0] < b[0]
		}
		a, b = a[1:], b[1:]
	}
	return len(a) < len(b)
}

func digits(s string) int {
	n := 0
	for n < len(s) && n < 9 && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	return n
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// printReport writes what an import did, one line per kind of record.
func printReport(w io.Writer, r film.ImportReport) {
	kinds := []struct {
		name string
		n    func(film.CatalogCounts) int
	}{
		{"people", func(c film.CatalogCounts) int { return c.People }},
		{"films", func(c film.CatalogCounts) int { return c.Films }},
		{"critic reviews", func(c film.CatalogCounts) int { return c.CriticReviews }},
		{"reader reviews", func(c film.CatalogCounts) int { return c.ReaderReviews }},
		{"ratings", func(c film.CatalogCounts) int { return c.Ratings }},
		{"helpful votes", func(c film.CatalogCounts) int { return c.HelpfulVotes }},
	}
	for _, k := range kinds {
		fmt.Fprintf(w, "%s: %d added, %d updated, %d unchanged\n", k.name, k.n(r.Added), k.n(r.Updated), k.n(r.Unchanged))
	}
}

// describe writes counts as "3 films, 9 people, …".
func describe(c film.CatalogCounts) string {
	return fmt.Sprintf("%s films, %s people, %s critic reviews, %s reader reviews, %s ratings and %s helpful votes",
		film.FormatCount(c.Films), film.FormatCount(c.People), film.FormatCount(c.CriticReviews),
		film.FormatCount(c.ReaderReviews), film.FormatCount(c.Ratings), film.FormatCount(c.HelpfulVotes))
}

func runDump(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, common := newFileFlagSet("dump", `Write the whole catalogue to FILE in Marquee's JSON format ("-" writes
standard output): every person and film, every critic and reader review in
any status, every rating and helpful vote. The records come in a stable
order, and importing the file into an empty database gives the same site.`, getenv, stderr)
	file, help, err := parseWithFile(fs, args)
	if help || err != nil {
		return err
	}
	if !isPostgres(common.db) {
		if _, err := os.Stat(common.db); err != nil {
			return fmt.Errorf("no database to dump: %w", err)
		}
	}
	logger, err := newLogger(common.logFormat, stderr)
	if err != nil {
		return err
	}
	db, err := openDB(ctx, common.db, logger)
	if err != nil {
		return err
	}
	defer db.Close()
	var counts film.CatalogCounts
	write := func(w io.Writer) error {
		enc := catalog.NewEncoder(w)
		counter := &countingWriter{next: enc, counts: &counts}
		if err := db.Dump(ctx, counter); err != nil {
			return err
		}
		return enc.Close()
	}
	if file == "-" {
		return write(stdout)
	}
	if err := writeFileAtomically(file, write); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "dumped %s to %s\n", describe(counts), file)
	return db.Close()
}

// writeFileAtomically writes a file through a temporary file beside it,
// renamed into place once complete, so a failed dump never leaves a
// truncated catalogue where a good one was.
func writeFileAtomically(name string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // fails harmlessly once renamed
	// A temporary file is private; the finished file is an ordinary one.
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", name, err)
	}
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", name, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	if err := os.Rename(tmp.Name(), name); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	return nil
}

// countingWriter passes records on and counts them.
type countingWriter struct {
	next   film.CatalogWriter
	counts *film.CatalogCounts
	// tick, when set, is called after every record.
	tick func()
}

func (c *countingWriter) after(err error) error {
	if err == nil && c.tick != nil {
		c.tick()
	}
	return err
}

func (c *countingWriter) WritePerson(p film.Person) error {
	c.counts.People++
	return c.after(c.next.WritePerson(p))
}

func (c *countingWriter) WriteFilm(f film.Film) error {
	c.counts.Films++
	return c.after(c.next.WriteFilm(f))
}

func (c *countingWriter) WriteCriticReview(r film.CriticReview) error {
	c.counts.CriticReviews++
	return c.after(c.next.WriteCriticReview(r))
}

func (c *countingWriter) WriteReaderReview(r film.ReaderReview) error {
	c.counts.ReaderReviews++
	return c.after(c.next.WriteReaderReview(r))
}

func (c *countingWriter) WriteRating(r film.ReaderRating) error {
	c.counts.Ratings++
	return c.after(c.next.WriteRating(r))
}

func (c *countingWriter) WriteHelpfulVote(v film.HelpfulVote) error {
	c.counts.HelpfulVotes++
	return c.after(c.next.WriteHelpfulVote(v))
}

// WriteImage passes a picture on to a writer that takes pictures.
func (c *countingWriter) WriteImage(i film.CatalogImage) error {
	if iw, ok := c.next.(film.ImageWriter); ok {
		return iw.WriteImage(i)
	}
	return nil
}

func runGen(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, common := newFlagSet("gen", `Generate a large, realistic catalogue (films, people, credits, critic and
reader reviews, ratings, helpful votes) for benchmarks and scale tests,
straight into an empty database, or as a catalogue file with -out. The
same -films and -seed always give the same data. Counts left at 0 follow
-films: 3 people, 10 reader reviews, 50 ratings and 10 helpful votes per
film, and a critic review for every other film.`, getenv, stderr)
	var (
		opts generator.Options
		out  string
	)
	fs.IntVar(&opts.Films, "films", 0, "how many films (required)")
	fs.Uint64Var(&opts.Seed, "seed", 1, "the seed that picks the catalogue")
	fs.IntVar(&opts.People, "people", 0, "how many people (default 3 × films)")
	fs.IntVar(&opts.ReaderReviews, "reviews", 0, "how many reader reviews (default 10 × films)")
	fs.IntVar(&opts.Ratings, "ratings", 0, "how many reader ratings (default 50 × films)")
	fs.IntVar(&opts.HelpfulVotes, "votes", 0, "how many helpful votes, about (default one per reader review)")
	fs.IntVar(&opts.CriticReviews, "critic-reviews", 0, "how many critic reviews (default films ÷ 2)")
	fs.StringVar(&out, "out", "", `write the catalogue to this file ("-" for standard output) instead of the database`)
	if help, err := parse(fs, args); help || err != nil {
		return err
	}
	switch {
	case opts.Films <= 0:
		fmt.Fprintln(fs.Output(), "-films must be a positive number")
	case opts.People < 0 || opts.ReaderReviews < 0 || opts.Ratings < 0 || opts.HelpfulVotes < 0 || opts.CriticReviews < 0:
		fmt.Fprintln(fs.Output(), "counts must not be negative")
	default:
		return generate(ctx, opts, out, common, stdout, stderr)
	}
	fs.Usage()
	return errUsage
}

func generate(ctx context.Context, opts generator.Options, out string, common *commonFlags, stdout, stderr io.Writer) error {
	logger, err := newLogger(common.logFormat, stderr)
	if err != nil {
		return err
	}
	start := time.Now()
	var counts film.CatalogCounts
	counter := &countingWriter{counts: &counts, tick: progress(logger, &counts)}
	if out != "" {
		write := func(w io.Writer) error {
			enc := catalog.NewEncoder(w)
			counter.next = enc
			if err := generator.Generate(ctx, opts, counter); err != nil {
				return err
			}
			return enc.Close()
		}
		if out == "-" {
			err = write(stdout)
		} else {
			err = writeFileAtomically(out, write)
		}
		if err != nil {
			return err
		}
		if out != "-" {
			fmt.Fprintf(stdout, "generated %s into %s in %s\n", describe(counts), out, time.Since(start).Round(time.Millisecond))
		}
		return nil
	}

	db, err := openDB(ctx, common.db, logger)
	if err != nil {
		return err
	}
	defer db.Close()
	loader, err := newBulkLoader(ctx, db, time.Now())
	if err != nil {
		return err
	}
	counter.next = loader
	if err := generator.Generate(ctx, opts, counter); err != nil {
		loader.Abort()
		if _, ok := db.(*postgres.DB); ok {
			return fmt.Errorf("%w (the load is one transaction: nothing of it stays in %s)", err, databaseName(common.db))
		}
		return fmt.Errorf("%w (the batches written before the failure stay in %s)", err, databaseName(common.db))
	}
	if err := loader.Close(); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "generated %s into %s in %s\n", describe(loader.Counts()), databaseName(common.db), time.Since(start).Round(time.Millisecond))
	return db.Close()
}

// progress returns a function, called after each record, that logs the
// counts so far every ten seconds, so a long generation shows it is alive.
func progress(logger *slog.Logger, counts *film.CatalogCounts) func() {
	last, n := time.Now(), 0
	return func() {
		if n++; n%4096 != 0 || time.Since(last) < 10*time.Second {
			return
		}
		last = time.Now()
		logger.Info("generating", "films", counts.Films, "people", counts.People, "critic_reviews", counts.CriticReviews,
			"reader_reviews", counts.ReaderReviews, "ratings", counts.Ratings, "helpful_votes", counts.HelpfulVotes)
	}
}
