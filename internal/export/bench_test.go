package export_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"marquee/internal/catalog/generator"
	"marquee/internal/export"
	"marquee/internal/sqlite"
	"marquee/internal/web"
	"marquee/migrations"
	"marquee/static"
)

// benchFilms is the size of the generated catalogue BenchmarkExport
// writes: MARQUEE_BENCH_EXPORT_FILMS, 500 by default (about 8,400 pages;
// the README's figures are for 2,000).
func benchFilms(b *testing.B) int {
	if v := os.Getenv("MARQUEE_BENCH_EXPORT_FILMS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 20 {
			b.Fatalf("MARQUEE_BENCH_EXPORT_FILMS=%q: want a number of films, at least 20", v)
		}
		return n
	}
	return 500
}

var (
	benchOnce = map[int]*sync.Once{}
	benchMu   sync.Mutex
)

// mustBenchCatalogue returns the path of a generated catalogue of n films,
// generated once into the temporary directory and reused by later runs
// (the catalogue is deterministic; only a complete file is ever renamed
// into place).
func mustBenchCatalogue(b *testing.B, n int) string {
	b.Helper()
	path := filepath.Join(os.TempDir(), fmt.Sprintf("marquee-export-bench-%d-seed1.db", n))
	benchMu.Lock()
	once := benchOnce[n]
	if once == nil {
		once = new(sync.Once)
		benchOnce[n] = once
	}
	benchMu.Unlock()
	var genErr error
	once.Do(func() {
		if _, err := os.Stat(path); err == nil {
			return
		}
		genErr = generate(path, n)
	})
	if genErr != nil {
		b.Fatalf("generate the export catalogue: %v", genErr)
	}
	return path
}

func generate(path string, n int) error {
	ctx := context.Background()
	tmp := path + ".partial"
	os.Remove(tmp)
	db, err := sqlite.Open(ctx, tmp)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.Migrate(ctx, migrations.FS); err != nil {
		return err
	}
	loader, err := db.NewBulkLoader(ctx, testNow)
	if err != nil {
		return err
	}
	if err := generator.Generate(ctx, generator.Options{Films: n, Seed: 1}.Complete(), loader); err != nil {
		loader.Abort()
		return err
	}
	if err := loader.Close(); err != nil {
		return err
	}
	if err := db.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// BenchmarkExport exports a generated catalogue's pages, as "marquee
// export" does, without the pictures drawn on request (share cards and
// generated posters, timed apart by the command and benchmarked in
// internal/sharecard). Each iteration opens the site afresh, so the page
// cache starts cold, as it does for the command; it reports pages/s.
func BenchmarkExport(b *testing.B) {
	ctx := context.Background()
	path := mustBenchCatalogue(b, benchFilms(b))
	base, err := web.ParseBaseURL("https://films.example")
	if err != nil {
		b.Fatal(err)
	}
	var pages int
	var took time.Duration
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		db, err := sqlite.Open(ctx, path)
		if err != nil {
			b.Fatal(err)
		}
		srv, err := web.New(ctx, web.Config{DB: db, Logger: slog.New(slog.DiscardHandler), Static: static.FS,
			Now: func() time.Time { return testNow }, BaseURL: base, Export: &web.ExportConfig{}})
		if err != nil {
			b.Fatal(err)
		}
		out := filepath.Join(b.TempDir(), strconv.Itoa(i))
		b.StartTimer()
		st, err := export.Export(ctx, srv.Handler(), export.Options{Out: out, Base: base,
			Skip: func(p string) bool { return strings.HasPrefix(p, "/cards/") || strings.HasPrefix(p, "/posters/") }})
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		pages += st.Pages
		took += st.Duration
		db.Close()
		// The files stay until the benchmark ends: on ext4 without a
		// journal, a file made within half a minute of many deletions
		// costs the kernel a walk over every recently freed inode, which
		// would make each iteration slower than the one before.
		b.StartTimer()
	}
	b.ReportMetric(float64(pages)/took.Seconds(), "pages/s")
	b.ReportMetric(float64(pages)/float64(b.N), "pages/op")
}
