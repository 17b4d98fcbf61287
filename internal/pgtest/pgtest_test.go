package pgtest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5"
)

// pg is this package's own harness; its template holds one table, so the
// tests can tell that databases are copies of the prepared template.
var pg = Harness{Prepare: func(ctx context.Context, url string) error {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, `CREATE TABLE notes (id bigint PRIMARY KEY, body text NOT NULL);
		INSERT INTO notes VALUES (1, 'from the template')`)
	return err
}}

func TestMain(m *testing.M) { os.Exit(pg.Main(m)) }

func mustConnect(t *testing.T, url string) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatalf("connect %s: %v", url, err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

// TestDatabasesAreFreshCopies checks that each test database starts as the
// prepared template and that what one test writes stays in its database.
func TestDatabasesAreFreshCopies(t *testing.T) {
	ctx := context.Background()
	a, b := pg.NewDatabase(t), pg.NewDatabase(t)
	if a == b {
		t.Fatalf("two databases share the URL %s", a)
	}
	connA, connB := mustConnect(t, a), mustConnect(t, b)
	if _, err := connA.Exec(ctx, "INSERT INTO notes VALUES (2, 'only in a')"); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		conn *pgx.Conn
		want int
	}{{connA, 2}, {connB, 1}} {
		var n int
		if err := tc.conn.QueryRow(ctx, "SELECT count(*) FROM notes").Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != tc.want {
			t.Errorf("%s holds %d notes, want %d", tc.conn.Config().Database, n, tc.want)
		}
	}
}

// TestDatabaseDroppedAfterTest checks that a test's database is dropped
// when the test ends, even with a connection left open.
func TestDatabaseDroppedAfterTest(t *testing.T) {
	var url string
	var open *pgx.Conn
	t.Run("user", func(t *testing.T) {
		url = pg.NewDatabase(t)
		var err error
		// Left open past the test's end: the drop must not wait for it.
		if open, err = pgx.Connect(context.Background(), url); err != nil {
			t.Fatal(err)
		}
	})
	if open != nil {
		defer open.Close(context.Background())
	}
	conn := mustConnect(t, pg.Cluster(t).URL("postgres"))
	name := url[strings.LastIndex(url, "/")+1 : strings.Index(url, "?")]
	var n int
	if err := conn.QueryRow(context.Background(), "SELECT count(*) FROM pg_database WHERE datname = $1", name).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("database %s still exists after its test ended", name)
	}
}

// TestServerIsNotRoot checks that the server runs as an unprivileged user
// and listens on loopback only, with its socket in the cluster's directory.
func TestServerIsNotRoot(t *testing.T) {
	c := pg.Cluster(t)
	info, err := os.Stat(filepath.Join(c.Dir, "data"))
	if err != nil {
		t.Fatal(err)
	}
	if uid := info.Sys().(*syscall.Stat_t).Uid; uid == 0 {
		t.Errorf("the data directory belongs to root")
	}
	if _, err := os.Stat(filepath.Join(c.Dir, ".s.PGSQL."+strconv.Itoa(c.Port()))); err != nil {
		t.Errorf("no socket in the cluster's directory: %v", err)
	}
	conn := mustConnect(t, c.URL("postgres"))
	var listen string
	if err := conn.QueryRow(context.Background(), "SHOW listen_addresses").Scan(&listen); err != nil {
		t.Fatal(err)
	}
	if listen != "127.0.0.1" {
		t.Errorf("listen_addresses = %q, want 127.0.0.1", listen)
	}
}

// TestStopRemovesCluster starts a second cluster, stops it, and checks
// that the port is closed and the directory gone.
func TestStopRemovesCluster(t *testing.T) {
	pg.Cluster(t) // skips where the binaries are absent
	bin, err := FindBin()
	if err != nil {
		t.Fatal(err)
	}
	c, err := Start(context.Background(), bin)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := net.Dial("tcp", "127.0.0.1:"+strconv.Itoa(c.Port()))
	if err != nil {
		c.Stop()
		t.Fatalf("the started server does not listen: %v", err)
	}
	conn.Close()
	if err := c.Stop(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(c.Dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the cluster's directory is still there after Stop: %v", err)
	}
	if conn, err := net.Dial("tcp", "127.0.0.1:"+strconv.Itoa(c.Port())); err == nil {
		conn.Close()
		t.Errorf("something still listens on port %d after Stop", c.Port())
	}
}

// TestFindBin checks the choice of binaries: the override, else the
// highest Debian version, else an error naming the install command.
func TestFindBin(t *testing.T) {
	root := t.TempDir()
	mustTools := func(dir string) {
		t.Helper()
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for _, tool := range []string{"initdb", "pg_ctl"} {
			if err := os.WriteFile(filepath.Join(dir, tool), nil, 0o755); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := findBin("", root); err == nil || !strings.Contains(err.Error(), "apt-get install postgresql") {
		t.Errorf("empty root: error %v, want one naming the install command", err)
	}
	mustTools(filepath.Join(root, "9", "bin"))
	mustTools(filepath.Join(root, "15", "bin"))
	mustTools(filepath.Join(root, "17", "bin"))
	if err := os.MkdirAll(filepath.Join(root, "18", "bin"), 0o755); err != nil { // no tools: skipped
		t.Fatal(err)
	}
	if got, err := findBin("", root); err != nil || got != filepath.Join(root, "17", "bin") {
		t.Errorf("findBin = %q, %v; want the 17 binaries", got, err)
	}
	if got, err := findBin(filepath.Join(root, "15", "bin"), root); err != nil || got != filepath.Join(root, "15", "bin") {
		t.Errorf("findBin with the override = %q, %v; want the override", got, err)
	}
	if _, err := findBin(filepath.Join(root, "18", "bin"), root); err == nil {
		t.Errorf("an override without the tools was accepted")
	}
}

// recorder is a testing.TB that records a skip or a failure instead of
// ending the test, so the harness's answer to missing binaries can be
// checked.
type recorder struct {
	testing.TB
	skipped, failed string
}

// Skip and Fatalf keep the first call: a real test ends there.
func (r *recorder) Skip(args ...any) {
	if r.skipped == "" && r.failed == "" {
		r.skipped = fmt.Sprint(args...)
	}
}

func (r *recorder) Fatalf(format string, args ...any) {
	if r.skipped == "" && r.failed == "" {
		r.failed = fmt.Sprintf(format, args...)
	}
}

// TestMissingBinaries points the harness at a directory without the
// PostgreSQL binaries: tests skip, saying how to install them, unless CI
// is set, when they fail.
func TestMissingBinaries(t *testing.T) {
	t.Setenv("MARQUEE_PG_BIN", t.TempDir())
	for _, ci := range []string{"", "true"} {
		t.Setenv("CI", ci)
		var h Harness
		r := &recorder{TB: t}
		if c := h.Cluster(r); c != nil {
			c.Stop()
			t.Fatalf("CI=%q: a cluster started without binaries", ci)
		}
		if ci == "" && (r.skipped == "" || !strings.Contains(r.skipped, "MARQUEE_PG_BIN")) {
			t.Errorf("CI unset: skipped with %q, want a skip naming what to install", r.skipped)
		}
		if ci != "" && (r.failed == "" || !strings.Contains(r.failed, "CI is set")) {
			t.Errorf("CI set: failed with %q, want a failure saying CI is set", r.failed)
		}
	}
}
