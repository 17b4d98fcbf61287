package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"marquee/internal/catalog"
	"marquee/internal/film"
	"marquee/internal/sqlite"
	"marquee/internal/web"
	"marquee/migrations"
	"marquee/seeds"
	"marquee/static"
)

// errUsage reports bad command-line usage whose message has already been
// printed.
var errUsage = errors.New("usage")

// exitCode is 2 for usage errors, as flag does, and 1 for anything else.
func exitCode(err error) int {
	if errors.Is(err, errUsage) {
		return 2
	}
	return 1
}

const usage = `Marquee serves a film-review site from a SQLite database or a PostgreSQL server.

Usage:
  marquee [command] [flags]

Commands:
  serve     migrate and (if empty) seed the database, then serve the site (default)
  migrate   apply pending database migrations
  seed      load the built-in seed catalogue; records already present are left alone
  import    load a catalogue file (JSON), adding what is missing and updating what changed
  dump      write the whole catalogue, its reviews, ratings and votes to a catalogue file
  copy      move a whole site between databases (SQLite and PostgreSQL): copy -from SRC -to DST
  gen       generate a large, realistic catalogue into an empty database (benchmarks, scale tests)
  user      manage the editors' desk accounts: user add, list, disable, reset-password
  export    write the public site as static files into a directory, byte for byte as served
  backup    write a consistent, checked copy of the whole database while the site runs: backup -out FILE (SQLite; on PostgreSQL use pg_dump)
  restore   replace the database with a backup (the server stopped): restore -from FILE [-force] (SQLite; on PostgreSQL use pg_restore)

Run "marquee COMMAND -h" for the flags of a command.

Environment (flags win):
  MARQUEE_ADDR         address to listen on (serve), default localhost:8080
  MARQUEE_BASE_URL     the site's public address, such as https://marquee.example (serve),
                       written into canonical links, share previews and structured data;
                       default http:// and the -addr host and port (http://localhost:8080)
  MARQUEE_DB           path of the SQLite database file, default data/marquee.db,
                       or the postgres://user:password@host:port/database URL of a PostgreSQL database
  MARQUEE_LOG_FORMAT   log format, text or json, default text
  MARQUEE_PAGE_CACHE_MB  memory for the page cache of anonymous pages (serve), default 64; 0 turns it off
  MARQUEE_TRUST_PROXY  true when behind a reverse proxy that sets X-Forwarded-For (serve)
  MARQUEE_SHUTDOWN_GRACE  how long requests in flight may finish after SIGINT or SIGTERM (serve), default 10s
  MARQUEE_BACKUP_DIR   write scheduled backups into this directory while serving (serve), default none;
                       MARQUEE_BACKUP_EVERY (default 24h) and MARQUEE_BACKUP_KEEP (default 7) set how often and how many
`

// run is the whole program, taking its arguments, environment and standard
// streams as parameters so tests can run it as a user would.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	return runWith(ctx, deps{now: time.Now}, args, getenv, stdin, stdout, stderr)
}

// deps is what the program takes from the machine besides its arguments,
// environment and streams, so that tests can replace it.
type deps struct {
	// now tells the site's time.
	now func() time.Time
}

// runWith is run with its dependencies given.
func runWith(ctx context.Context, d deps, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	command := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		command, args = args[0], args[1:]
	} else if len(args) > 0 && (args[0] == "-h" || args[0] == "-help" || args[0] == "--help") {
		fmt.Fprint(stdout, usage)
		return nil
	}
	switch command {
	case "serve":
		return runServe(ctx, d, args, getenv, stdout, stderr)
	case "migrate":
		return runMigrate(ctx, args, getenv, stdout, stderr)
	case "seed":
		return runSeed(ctx, args, getenv, stdout, stderr)
	case "import":
		return runImport(ctx, args, getenv, stdin, stdout, stderr)
	case "dump":
		return runDump(ctx, args, getenv, stdout, stderr)
	case "copy":
		return runCopy(ctx, args, getenv, stdout, stderr)
	case "gen":
		return runGen(ctx, args, getenv, stdout, stderr)
	case "user":
		return runUser(ctx, args, getenv, stdin, stdout, stderr)
	case "export":
		return runExport(ctx, d, args, getenv, stdout, stderr)
	case "backup":
		return runBackup(ctx, args, getenv, stdout, stderr)
	case "restore":
		return runRestore(ctx, d, args, getenv, stdout, stderr)
	case "help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		fmt.Fprintf(stderr, "marquee: unknown command %q\n\n%s", command, usage)
		return errUsage
	}
}

// commonFlags are the flags every command that opens the database takes.
type commonFlags struct {
	db        string
	logFormat string
}

// newFlagSet makes a command's flag set with the common flags, their
// defaults taken from the environment.
func newFlagSet(name, summary string, getenv func(string) string, stderr io.Writer) (*flag.FlagSet, *commonFlags) {
	fs := flag.NewFlagSet("marquee "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	c := &commonFlags{}
	fs.StringVar(&c.db, "db", envOr(getenv, "MARQUEE_DB", "data/marquee.db"), "path of the SQLite database file, or the postgres:// URL of a PostgreSQL database (env MARQUEE_DB)")
	fs.StringVar(&c.logFormat, "log-format", envOr(getenv, "MARQUEE_LOG_FORMAT", "text"), "log format: text or json (env MARQUEE_LOG_FORMAT)")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: marquee %s [flags]\n\n%s\n\nFlags:\n", name, summary)
		fs.PrintDefaults()
	}
	return fs, c
}

// parse parses args, turning -h into a clean exit and other errors into
// errUsage (flag has already printed them).
func parse(fs *flag.FlagSet, args []string) (help bool, err error) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return true, nil
		}
		return false, errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(fs.Output(), "unexpected arguments: %s\n", strings.Join(fs.Args(), " "))
		fs.Usage()
		return false, errUsage
	}
	return false, checkDatabaseFlag(fs)
}

// defaultPageCacheMB is the page cache's default size: a few thousand
// pages, plain and compressed.
const defaultPageCacheMB = 64

// envInt is the whole number in the environment variable key, or fallback
// when it is unset or not a number (the flag's own parsing then reports a
// bad value given on the command line).
func envInt(getenv func(string) string, key string, fallback int) int {
	if n, err := strconv.Atoi(getenv(key)); err == nil {
		return n
	}
	return fallback
}

func envOr(getenv func(string) string, key, fallback string) string {
	if v := getenv(key); v != "" {
		return v
	}
	return fallback
}

// newLogger builds the program's logger, writing to stderr.
func newLogger(format string, stderr io.Writer) (*slog.Logger, error) {
	return newLevelLogger(format, stderr, slog.LevelInfo)
}

// newLevelLogger is newLogger keeping only records at level or above.
func newLevelLogger(format string, stderr io.Writer, level slog.Level) (*slog.Logger, error) {
	opts := &slog.HandlerOptions{Level: level}
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(stderr, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(stderr, opts)), nil
	}
	return nil, fmt.Errorf("unknown log format %q: use text or json", format)
}

// When a SQLite file's structure is checked (SQLite's quick_check, which
// reads every page): before the file is used, or while the site serves.
const (
	checkFirst = true
	checkLater = false
)

// openSQLite opens the SQLite database file, creating its directory if
// needed, checks it first when first is true, and applies pending
// migrations.
func openSQLite(ctx context.Context, path string, logger *slog.Logger, first bool) (*sqlite.DB, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("create database directory: %w", err)
		}
	}
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		return nil, err
	}
	// A damaged file is refused before anything reads or writes it: used,
	// it would give pages made of damaged data, and writes would build on
	// it.
	if first {
		if err := db.QuickCheck(ctx); err != nil {
			db.Close()
			return nil, damagedError(path, err)
		}
	}
	applied, err := db.Migrate(ctx, migrations.FS)
	if err != nil {
		db.Close()
		return nil, err
	}
	for _, name := range applied {
		logger.Info("applied migration", "name", name)
	}
	return db, nil
}

// checkWhileServing runs the check serve did not run before it started
// (quick_check reads the whole file: about 10 s for a 2.5 GB catalogue,
// and start-up must not wait for it). Until it ends the site answers as
// usual: SQLite itself reports a damaged page that a request reads, which
// is a 503 and stops writes. If the check finds damage, the store refuses
// every write from then on, /healthz fails (so a load balancer takes the
// server out), and the log says what to do.
func checkWhileServing(ctx context.Context, db film.Store, path string, logger *slog.Logger) {
	checker, ok := db.(fileChecker)
	if !ok {
		return // PostgreSQL checks its own pages.
	}
	go func() {
		start := time.Now()
		err := checker.QuickCheck(ctx)
		switch {
		case err == nil:
			logger.Info("database checked", "took", time.Since(start).Round(time.Millisecond).String())
		case ctx.Err() != nil:
			// Stopped before the check ended.
		default:
			logger.Error("database damaged: writes are refused and /healthz fails", "error", damagedError(path, err).Error())
		}
	}()
}

// explainDamage is err, explained by damagedError when it is a SQLite
// file's damage.
func explainDamage(db string, err error) error {
	if errors.Is(err, film.ErrCorrupt) && !isPostgres(db) {
		return damagedError(db, err)
	}
	return err
}

// damagedError explains that the database file failed its check and how to
// bring the site back.
func damagedError(path string, err error) error {
	return fmt.Errorf("the database file %s is damaged, so Marquee will not start on it (%w).\n"+
		"Restore it from a backup: stop every process using it, keep the damaged file aside for inspection, then\n"+
		"  marquee restore -from BACKUP -db %s -force\n"+
		"(or copy the backup over %s and delete %s-wal and %s-shm), and start again", path, err, path, path, path, path)
}

// seed loads the embedded seed catalogue, adding what is missing.
func seed(ctx context.Context, db film.Store, logger *slog.Logger) error {
	doc, err := catalog.DecodeFS(seeds.FS)
	if err != nil {
		return fmt.Errorf("seeds: %w", err)
	}
	report, err := db.ImportWith(ctx, doc.Catalog, film.ImportOptions{})
	if err != nil {
		return fmt.Errorf("seeds: %w", err)
	}
	logger.Info("seeded",
		"films_added", report.Added.Films, "people_added", report.Added.People,
		"critic_reviews_added", report.Added.CriticReviews, "reader_reviews_added", report.Added.ReaderReviews,
		"films_unchanged", report.Unchanged.Films, "people_unchanged", report.Unchanged.People,
		"critic_reviews_unchanged", report.Unchanged.CriticReviews, "reader_reviews_unchanged", report.Unchanged.ReaderReviews)
	return nil
}

func runMigrate(ctx context.Context, args []string, getenv func(string) string, _, stderr io.Writer) error {
	fs, common := newFlagSet("migrate", "Apply pending database migrations, each once, in order.", getenv, stderr)
	if help, err := parse(fs, args); help || err != nil {
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
	return db.Close()
}

func runSeed(ctx context.Context, args []string, getenv func(string) string, _, stderr io.Writer) error {
	fs, common := newFlagSet("seed", "Load the built-in seed catalogue (migrating first). Records already\npresent are left unchanged, so running it twice changes nothing.", getenv, stderr)
	if help, err := parse(fs, args); help || err != nil {
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
	if err := seed(ctx, db, logger); err != nil {
		db.Close()
		return err
	}
	return db.Close()
}

// warnIfProxyUntrusted says loudly, at start-up, when the site's public
// address is https but it listens for plain HTTP on loopback without
// -trust-proxy: a TLS-terminating proxy is then almost surely in front,
// and every reader would share the proxy's address for rate limits and
// sign-in throttling. (The site also warns once when a request from
// loopback carries X-Forwarded-For.)
func warnIfProxyUntrusted(logger *slog.Logger, base *url.URL, listening net.Addr, trustProxy bool) {
	tcp, ok := listening.(*net.TCPAddr)
	if trustProxy || base.Scheme != "https" || !ok || !tcp.IP.IsLoopback() {
		return
	}
	logger.Warn("PROXY LIKELY: the base URL is https but the server listens for plain HTTP on " + listening.String() +
		" and -trust-proxy is off, so every reader will seem to come from the proxy's address and share its rate limits and sign-in budgets; " +
		"start with -trust-proxy (MARQUEE_TRUST_PROXY=true) if the proxy sets X-Forwarded-For and X-Forwarded-Proto")
}

// defaultShutdownGrace is how long in-flight requests get to finish after
// a stop signal, unless -shutdown-grace says otherwise.
const defaultShutdownGrace = 10 * time.Second

// envDuration is the duration in the environment variable key, fallback
// when it is unset, or an error naming the variable when it is not a
// duration of zero or more.
func envDuration(getenv func(string) string, key string, fallback time.Duration) (time.Duration, error) {
	v := getenv(key)
	if v == "" {
		return fallback, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("%s=%q is not a duration such as 10s or 1m", key, v)
	}
	return d, nil
}

// listenBaseURL is the site's address when none is configured: http://,
// the host -addr names (localhost when it names none, or every interface),
// and the port the server listens on (the one it was given, when -addr
// asked for any free port).
func listenBaseURL(addr string, listening net.Addr) *url.URL {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		host = ""
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "localhost"
	}
	port := ""
	if tcp, ok := listening.(*net.TCPAddr); ok {
		port = strconv.Itoa(tcp.Port)
	}
	return &url.URL{Scheme: "http", Host: net.JoinHostPort(host, port)}
}

func runServe(ctx context.Context, d deps, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, common := newFlagSet("serve", "Migrate the database, load the seeds if it holds no films, and serve the site\nuntil SIGINT or SIGTERM, then finish in-flight requests and exit.", getenv, stderr)
	addr := fs.String("addr", envOr(getenv, "MARQUEE_ADDR", "localhost:8080"), "address to listen on (env MARQUEE_ADDR)")
	trustProxy := fs.Bool("trust-proxy", envOr(getenv, "MARQUEE_TRUST_PROXY", "") == "true",
		"believe X-Forwarded-For and X-Forwarded-Proto: set only behind a reverse proxy that sets them (env MARQUEE_TRUST_PROXY=true)")
	baseURL := fs.String("base-url", getenv("MARQUEE_BASE_URL"),
		"the site's public address, such as https://marquee.example, for canonical links, share previews and structured data;\nempty means http:// and the -addr host and port (env MARQUEE_BASE_URL)")
	cacheMB := fs.Int("page-cache-mb", envInt(getenv, "MARQUEE_PAGE_CACHE_MB", defaultPageCacheMB),
		"memory for the page cache of anonymous pages, in MB; 0 turns it off (env MARQUEE_PAGE_CACHE_MB)")
	defaultGrace, graceErr := envDuration(getenv, "MARQUEE_SHUTDOWN_GRACE", defaultShutdownGrace)
	grace := fs.Duration("shutdown-grace", defaultGrace,
		"after SIGINT or SIGTERM, how long requests in flight may take to finish before their connections are closed (env MARQUEE_SHUTDOWN_GRACE)")
	backupDir := fs.String("backup-dir", getenv("MARQUEE_BACKUP_DIR"),
		"write a backup of the database into this directory every -backup-every while serving; empty means none (env MARQUEE_BACKUP_DIR)")
	defaultEvery, everyErr := envDuration(getenv, "MARQUEE_BACKUP_EVERY", 24*time.Hour)
	backupEvery := fs.Duration("backup-every", defaultEvery, "how often to write a scheduled backup (env MARQUEE_BACKUP_EVERY)")
	backupKeep := fs.Int("backup-keep", envInt(getenv, "MARQUEE_BACKUP_KEEP", 7), "how many scheduled backups to keep, the newest (env MARQUEE_BACKUP_KEEP)")
	timezone := fs.String("timezone", envOr(getenv, "MARQUEE_TIMEZONE", "UTC"),
		"the site's time zone, an IANA name such as Europe/Paris: the editors' desk shows times and schedules reviews in it (env MARQUEE_TIMEZONE)")
	replicas := replicasFromEnv(getenv)
	fs.Var(&replicas, "db-replica", "the postgres:// URL of a streaming replica of -db for page reads; repeat for several (env MARQUEE_DB_REPLICAS, comma-separated)")
	if help, err := parse(fs, args); help || err != nil {
		return err
	}
	if err := errors.Join(graceErr, everyErr); err != nil {
		fmt.Fprintln(stderr, "marquee serve:", err)
		return errUsage
	}
	if *backupDir != "" && isPostgres(common.db) {
		fmt.Fprintln(stderr, "marquee serve: -backup-dir:", errPostgresBackup)
		return errUsage
	}
	if *backupDir != "" && (*backupEvery <= 0 || *backupKeep < 1) {
		fmt.Fprintln(stderr, "marquee serve: -backup-every must be more than 0 and -backup-keep at least 1")
		return errUsage
	}
	if *grace < 0 {
		fmt.Fprintln(stderr, "marquee serve: -shutdown-grace must be 0 or more")
		return errUsage
	}
	zone, err := siteTimeZone(*timezone)
	if err != nil {
		fmt.Fprintln(stderr, "marquee serve:", err)
		return errUsage
	}
	if *cacheMB < 0 {
		fmt.Fprintln(stderr, "marquee serve: -page-cache-mb must be 0 or more")
		return errUsage
	}
	var base *url.URL
	if *baseURL != "" {
		var err error
		if base, err = web.ParseBaseURL(*baseURL); err != nil {
			return fmt.Errorf("-base-url: %w", err)
		}
	}
	logger, err := newLogger(common.logFormat, stderr)
	if err != nil {
		return err
	}
	db, err := openDBCheckedLater(ctx, common.db, logger)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := useReplicas(ctx, db, replicas); err != nil {
		return err
	}
	// Start-up reads a little of the file (emptiness, accounts, the
	// site's secrets below) before the whole of it is checked; damage met
	// there is refused with the same explanation as the check's.
	empty, err := db.IsEmpty(ctx)
	if err != nil {
		return explainDamage(common.db, err)
	}
	if empty {
		if err := seed(ctx, db, logger); err != nil {
			return explainDamage(common.db, err)
		}
	}
	if n, err := db.CountUsers(ctx); err != nil {
		return explainDamage(common.db, err)
	} else if n == 0 {
		logger.Info("no editors' desk accounts yet; create the first with: marquee user add -email EMAIL -name NAME -role admin")
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	defer ln.Close() // Serve closes it too; this covers a return before Serve.
	if base == nil {
		base = listenBaseURL(*addr, ln.Addr())
	}
	warnIfProxyUntrusted(logger, base, ln.Addr(), *trustProxy)
	if *backupDir != "" {
		if err := os.MkdirAll(*backupDir, 0o700); err != nil {
			return fmt.Errorf("backup directory: %w", err)
		}
		// -backup-dir is refused on PostgreSQL above, so db is SQLite's.
		backups, ok := db.(backupWriter)
		if !ok {
			return fmt.Errorf("-backup-dir: %w", errPostgresBackup)
		}
		// Deferred after db.Close, so it runs first: the database closes
		// after the last backup.
		defer scheduleBackups(ctx, backups, *backupDir, *backupEvery, *backupKeep, time.Now, logger)()
	}
	// Writes by other processes (an import while the site runs) reach the
	// page cache within a second. (SQLite only: a PostgreSQL store hears
	// the writes of other processes itself, through LISTEN/NOTIFY.)
	if w, ok := db.(otherWriterWatcher); ok {
		if err := w.WatchOtherWriters(ctx, time.Second); err != nil {
			return err
		}
	}
	site, err := web.New(ctx, web.Config{DB: db, Logger: logger, Static: static.FS, Now: d.now, TrustProxy: *trustProxy, BaseURL: base,
		PageCacheBytes: int64(*cacheMB) << 20, TimeZone: zone})
	if err != nil {
		return explainDamage(common.db, err)
	}
	// inFlight counts the requests being answered, so a stop can say how
	// many it cut off. The hit server counts the page-cache hits it
	// answers ahead of net/http.
	var inFlight atomic.Int64
	handler := site.Handler()
	srv := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			inFlight.Add(1)
			defer inFlight.Add(-1)
			handler.ServeHTTP(w, r)
		}),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	serving := "http://" + ln.Addr().String()
	logger.Info("serving", "url", serving, "base_url", base.String(), "db", databaseName(common.db))
	fmt.Fprintf(stdout, "Marquee is serving at %s/\n", serving)

	// Page-cache hits are answered straight from the connection; the rest
	// goes to srv (see web.HitServer). With the page cache off it is srv.
	hits := site.HitServer(srv, &inFlight)
	checkWhileServing(ctx, db, common.db, logger)
	serveErr := make(chan error, 1)
	go func() { serveErr <- hits.Serve(ln) }()
	select {
	case err := <-serveErr:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	return stopServing(hits, *grace, &inFlight, logger)
}

// stoppable is what stopServing stops: an http.Server, or the hit server
// in front of one.
type stoppable interface {
	Shutdown(context.Context) error
	Close() error
}

// stopServing stops srv: it stops accepting connections (closing the
// hit server's idle ones and letting its hits finish), gives the
// requests in flight up to grace to finish, then closes the connections of
// any still running, so their clients see the connection drop without an
// answer. A write such a request had begun is either committed or rolled
// back whole by SQLite, never left half done. The stop was asked for and
// carried out, so it is not an error either way (the program exits 0);
// requests cut off are logged at WARN.
func stopServing(srv stoppable, grace time.Duration, inFlight *atomic.Int64, logger *slog.Logger) error {
	logger.Info("shutting down", "grace", grace.String(), "in_flight", inFlight.Load())
	ctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	err := srv.Shutdown(ctx)
	if err == nil {
		logger.Info("stopped")
		return nil
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("shutdown: %w", err)
	}
	cut := inFlight.Load()
	if err := srv.Close(); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	// The handlers whose connections were closed return at their next
	// read or write; wait a little for them, so the database closes after
	// the last of them.
	for deadline := time.Now().Add(2 * time.Second); inFlight.Load() > 0 && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	logger.Warn("shutdown grace ran out: requests still running were cut off, their connections closed without an answer",
		"grace", grace.String(), "cut_off", cut)
	logger.Info("stopped")
	return nil
}
