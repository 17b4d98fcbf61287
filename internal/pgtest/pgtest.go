// Package pgtest starts a throwaway PostgreSQL cluster for a test package,
// so that the PostgreSQL store is tested against the real server rather
// than a fake: initdb into a temporary directory, the server on a free
// loopback port with its socket in that directory, a fresh database per
// test made from a migrated template, and everything stopped and removed
// when the package's tests end, also when one fails or panics.
//
// The binaries come from Debian's postgresql package
// (/usr/lib/postgresql/VERSION/bin, the highest version), or from the
// directory in MARQUEE_PG_BIN. PostgreSQL refuses to run as root, so when
// the tests run as root the cluster belongs to the postgres system user the
// package creates (or nobody, where it does not exist), and the temporary
// directory's parents must be searchable by that user (the default, /tmp,
// is; a private TMPDIR is not). Where the binaries are absent, tests skip with the command that installs them, or fail when
// the CI environment variable is set.
//
// A test package uses one Harness:
//
//	var pg = pgtest.Harness{Prepare: migrate}
//
//	func TestMain(m *testing.M) { os.Exit(pg.Main(m)) }
//
//	func TestSomething(t *testing.T) {
//		url := pg.NewDatabase(t) // a fresh copy of the migrated template
//		…
//	}
package pgtest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"marquee/internal/browsertest"
)

// InstallHint is the command that installs the binaries the tests need;
// contrib brings unaccent, which search uses.
const InstallHint = "apt-get install postgresql postgresql-contrib (or set MARQUEE_PG_BIN to a directory holding initdb and pg_ctl)"

// FindBin returns the directory holding initdb and pg_ctl: MARQUEE_PG_BIN
// when set, else the highest version under /usr/lib/postgresql.
func FindBin() (string, error) {
	return findBin(os.Getenv("MARQUEE_PG_BIN"), "/usr/lib/postgresql")
}

// findBin is FindBin with its inputs given, for tests.
func findBin(override, debianRoot string) (string, error) {
	has := func(dir string) bool {
		for _, tool := range []string{"initdb", "pg_ctl"} {
			if info, err := os.Stat(filepath.Join(dir, tool)); err != nil || info.IsDir() {
				return false
			}
		}
		return true
	}
	if override != "" {
		if !has(override) {
			return "", fmt.Errorf("MARQUEE_PG_BIN=%s holds no initdb and pg_ctl", override)
		}
		return override, nil
	}
	entries, err := os.ReadDir(debianRoot)
	if err != nil {
		return "", fmt.Errorf("no PostgreSQL binaries under %s: %s", debianRoot, InstallHint)
	}
	var versions []int
	for _, e := range entries {
		if v, err := strconv.Atoi(e.Name()); err == nil && has(filepath.Join(debianRoot, e.Name(), "bin")) {
			versions = append(versions, v)
		}
	}
	if len(versions) == 0 {
		return "", fmt.Errorf("no PostgreSQL binaries under %s: %s", debianRoot, InstallHint)
	}
	sort.Ints(versions)
	return filepath.Join(debianRoot, strconv.Itoa(versions[len(versions)-1]), "bin"), nil
}

// Cluster is a running throwaway PostgreSQL server.
type Cluster struct {
	// Dir is the temporary directory holding the data, the socket and the
	// server's log.
	Dir  string
	bin  string
	port int
	cred *syscall.Credential // the user the server runs as; nil for the current one
}

// superuser is the cluster's superuser, made by initdb; trust
// authentication over loopback lets the tests connect without a password.
const superuser = "marquee"

// URL returns the connection URL of database name in the cluster.
func (c *Cluster) URL(name string) string {
	return fmt.Sprintf("postgres://%s@127.0.0.1:%d/%s?sslmode=disable", superuser, c.port, name)
}

// Port is the loopback port the server listens on.
func (c *Cluster) Port() int { return c.port }

// Log returns what the server has written to its log, to explain a failure.
func (c *Cluster) Log() string {
	b, _ := os.ReadFile(filepath.Join(c.Dir, "server.log"))
	return string(b)
}

// Start initialises a cluster in a new temporary directory and starts it.
// The caller must Stop it; a watcher process also stops it and removes the
// directory if this process dies first, so a panicking test leaves no
// server behind.
func Start(ctx context.Context, bin string) (*Cluster, error) {
	cred, err := serverCredential()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "marquee-pgtest-")
	if err != nil {
		return nil, err
	}
	c := &Cluster{Dir: dir, bin: bin, cred: cred}
	if cred != nil {
		if err := os.Chown(dir, int(cred.Uid), int(cred.Gid)); err != nil {
			os.RemoveAll(dir)
			return nil, fmt.Errorf("give the cluster directory to uid %d: %w", cred.Uid, err)
		}
	}
	if err := c.watch(); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	if err := c.run(ctx, "initdb", "-D", c.dataDir(), "-U", superuser, "--auth=trust",
		"-E", "UTF8", "--locale=C.UTF-8", "--no-sync", "--no-instructions"); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	// A port found free may be taken before the server binds it; try again.
	for attempt := 0; ; attempt++ {
		if c.port, err = freePort(); err != nil {
			break
		}
		if err = c.run(ctx, "pg_ctl", "-D", c.dataDir(), "-l", filepath.Join(dir, "server.log"), "-w", "-t", "60",
			"-o", strings.Join([]string{
				"-p", strconv.Itoa(c.port),
				"-c", "listen_addresses=127.0.0.1",
				"-c", "unix_socket_directories=" + dir,
				// Durability is pointless for a throwaway cluster, and
				// costly on a shared machine.
				"-c", "fsync=off",
				"-c", "synchronous_commit=off",
				"-c", "full_page_writes=off",
				"-c", "max_connections=200",
			}, " "), "start"); err == nil || attempt == 2 {
			break
		}
	}
	if err != nil {
		err = fmt.Errorf("%w\nserver log:\n%s", err, c.Log())
		os.RemoveAll(dir)
		return nil, err
	}
	return c, nil
}

// Stop stops the server at once (no checkpoint: nothing is kept) and
// removes its directory.
func (c *Cluster) Stop() error {
	err := c.run(context.Background(), "pg_ctl", "-D", c.dataDir(), "-m", "immediate", "-w", "stop")
	return errors.Join(err, os.RemoveAll(c.Dir))
}

func (c *Cluster) dataDir() string { return filepath.Join(c.Dir, "data") }

// run runs one of the cluster's binaries as the server's user.
func (c *Cluster) run(ctx context.Context, tool string, args ...string) error {
	cmd := exec.CommandContext(ctx, filepath.Join(c.bin, tool), args...)
	cmd.Dir = c.Dir
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "LC_ALL=C.UTF-8", "TZ=UTC"}
	if c.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: c.cred}
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s: %w\n%s", tool, err, out)
	}
	return nil
}

// watch starts a small shell, in its own process group so that it outlives
// this process, that waits for this process to end and then stops the
// server (SIGQUIT is PostgreSQL's immediate shutdown) and removes the
// directory. After a clean Stop it finds nothing left to do.
func (c *Cluster) watch() error {
	script := `while kill -0 "$1" 2>/dev/null; do sleep 1; done
if [ -f "$2/data/postmaster.pid" ]; then kill -QUIT "$(head -n 1 "$2/data/postmaster.pid")" 2>/dev/null; sleep 2; fi
rm -rf "$2"`
	cmd := exec.Command("/bin/sh", "-c", script, "pgtest-watch", strconv.Itoa(os.Getpid()), c.Dir)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start the cluster's watcher: %w", err)
	}
	return cmd.Process.Release()
}

// serverCredential is the user to run the server as: nil (this process's
// user) unless running as root, which PostgreSQL refuses; then the
// postgres system user, or nobody.
func serverCredential() (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	for _, name := range []string{"postgres", "nobody"} {
		u, err := user.Lookup(name)
		if err != nil {
			continue
		}
		uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
		gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
		if err1 != nil || err2 != nil {
			continue
		}
		return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid), NoSetGroups: true}, nil
	}
	return nil, errors.New("running as root, and neither a postgres nor a nobody user exists to run PostgreSQL as")
}

// freePort returns a loopback port that was free a moment ago.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// Harness gives a test package one cluster, started when a test first asks
// for a database, and a fresh database per test.
type Harness struct {
	// Prepare, when set, runs once against the template database (for
	// example to apply the migrations); every database NewDatabase makes
	// is a copy of the template as Prepare left it.
	Prepare func(ctx context.Context, url string) error

	once    sync.Once
	cluster *Cluster
	err     error
	skip    bool // the binaries are absent
	made    atomic.Int64
	mu      sync.Mutex // serialises CREATE DATABASE … TEMPLATE, which needs the template idle
}

// template is the database every test database copies.
const template = "marquee_template"

// Main runs the package's tests and then stops the cluster, if one was
// started; it returns the exit code for os.Exit.
func (h *Harness) Main(m *testing.M) int {
	code := m.Run()
	if h.cluster != nil {
		if err := h.cluster.Stop(); err != nil {
			fmt.Fprintf(os.Stderr, "pgtest: stop the cluster: %v\n", err)
			if code == 0 {
				code = 1
			}
		}
	}
	return code
}

// Cluster returns the package's cluster, starting it on first use; a test
// skips (or fails, in CI) when the binaries are absent.
func (h *Harness) Cluster(tb testing.TB) *Cluster {
	tb.Helper()
	h.once.Do(func() {
		bin, err := FindBin()
		if err != nil {
			h.err, h.skip = err, true
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		if h.cluster, h.err = Start(ctx, bin); h.err != nil {
			return
		}
		h.err = h.createTemplate(ctx)
	})
	if h.skip {
		browsertest.SkipUnlessCI(tb, "PostgreSQL tests need the server binaries: %v", h.err)
	}
	if h.err != nil {
		tb.Fatalf("pgtest: %v", h.err)
	}
	return h.cluster
}

// createTemplate makes the template database and prepares it.
func (h *Harness) createTemplate(ctx context.Context) error {
	if err := h.exec(ctx, "CREATE DATABASE "+template); err != nil {
		return err
	}
	if h.Prepare != nil {
		if err := h.Prepare(ctx, h.cluster.URL(template)); err != nil {
			return fmt.Errorf("prepare the template database: %w", err)
		}
	}
	return nil
}

// NewDatabase makes a fresh database for the test, a copy of the prepared
// template, and returns its URL; it is dropped when the test ends.
func (h *Harness) NewDatabase(tb testing.TB) string {
	tb.Helper()
	return h.newDatabase(tb, template)
}

// NewBlankDatabase makes a fresh, empty database for the test (a copy of
// PostgreSQL's template0, without what Prepare did), and returns its URL;
// it is dropped when the test ends. Tests of migrations start from one.
func (h *Harness) NewBlankDatabase(tb testing.TB) string {
	tb.Helper()
	return h.newDatabase(tb, "template0")
}

func (h *Harness) newDatabase(tb testing.TB, from string) string {
	tb.Helper()
	c := h.Cluster(tb)
	name := fmt.Sprintf("test_%d", h.made.Add(1))
	ctx := context.Background()
	h.mu.Lock()
	err := h.exec(ctx, fmt.Sprintf("CREATE DATABASE %s TEMPLATE %s", name, from))
	h.mu.Unlock()
	if err != nil {
		tb.Fatalf("pgtest: %v", err)
	}
	tb.Cleanup(func() {
		// FORCE ends connections the test left open (PostgreSQL 13+).
		if err := h.exec(ctx, fmt.Sprintf("DROP DATABASE %s WITH (FORCE)", name)); err != nil {
			tb.Errorf("pgtest: %v", err)
		}
	})
	return c.URL(name)
}

// exec runs one statement in the maintenance database.
func (h *Harness) exec(ctx context.Context, sql string) error {
	conn, err := pgx.Connect(ctx, h.cluster.URL("postgres"))
	if err != nil {
		return fmt.Errorf("connect to the cluster: %w", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql); err != nil {
		return fmt.Errorf("%s: %w", sql, err)
	}
	return nil
}
