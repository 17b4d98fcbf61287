package pgtest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// StartReplica starts a streaming replica of c: pg_basebackup -R copies
// the running cluster into a new temporary directory and writes the
// standby settings, and the copy starts on a free loopback port of its own,
// as the same user, replaying what c writes from then on (databases made
// later included). The caller must Stop it; like a cluster, it is stopped
// and removed if this process dies first.
func (c *Cluster) StartReplica(ctx context.Context) (*Cluster, error) {
	dir, err := os.MkdirTemp("", "marquee-pgtest-replica-")
	if err != nil {
		return nil, err
	}
	r := &Cluster{Dir: dir, bin: c.bin, cred: c.cred}
	if r.cred != nil {
		if err := os.Chown(dir, int(r.cred.Uid), int(r.cred.Gid)); err != nil {
			os.RemoveAll(dir)
			return nil, fmt.Errorf("give the replica directory to uid %d: %w", r.cred.Uid, err)
		}
	}
	if err := r.watch(); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	// initdb's trust rules let loopback connections replicate.
	if err := r.run(ctx, "pg_basebackup", "-D", r.dataDir(), "-R", "-X", "stream", "--no-sync", "--checkpoint=fast",
		"-h", "127.0.0.1", "-p", strconv.Itoa(c.port), "-U", superuser); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	for attempt := 0; ; attempt++ {
		if r.port, err = freePort(); err != nil {
			break
		}
		if err = r.run(ctx, "pg_ctl", "-D", r.dataDir(), "-l", filepath.Join(dir, "server.log"), "-w", "-t", "60",
			"-o", strings.Join([]string{
				"-p", strconv.Itoa(r.port),
				"-c", "listen_addresses=127.0.0.1",
				"-c", "unix_socket_directories=" + dir,
				"-c", "fsync=off",
				"-c", "max_connections=200",
				"-c", "hot_standby=on",
				// Replay waits for no page read of the tests.
				"-c", "max_standby_streaming_delay=0",
			}, " "), "start"); err == nil || attempt == 2 {
			break
		}
	}
	if err != nil {
		err = fmt.Errorf("%w\nreplica log:\n%s", err, r.Log())
		os.RemoveAll(dir)
		return nil, err
	}
	return r, nil
}

// Halt stops the server at once but keeps its directory, so a test can
// see what a client does when the server goes away; Stop still removes
// it.
func (c *Cluster) Halt() error {
	return c.run(context.Background(), "pg_ctl", "-D", c.dataDir(), "-m", "immediate", "-w", "stop")
}
