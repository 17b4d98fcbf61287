package postgres

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"marquee/internal/film"
)

// readsReplica runs a page read through db's routing and reports whether it
// ran on a replica, and whether it saw the setting key.
func readsReplica(tb testing.TB, ctx context.Context, db *DB, key string) (onReplica, sawKey bool) {
	tb.Helper()
	if err := db.inPageTx(ctx, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, "SELECT pg_is_in_recovery(), EXISTS (SELECT 1 FROM settings WHERE key = $1)", key).
			Scan(&onReplica, &sawKey)
	}); err != nil {
		tb.Fatalf("page read: %v", err)
	}
	return onReplica, sawKey
}

// TestPageReadsUseReplica starts a streaming replica of the test cluster
// and checks the routing of page reads: they run on the replica when it is
// fit; a write this store made, or another store announced, is seen by the
// next page read even while the replica's replay is paused (it goes to the
// primary); a request marked for primary reads goes to the primary; a
// stopped replica is skipped and pages still read.
func TestPageReadsUseReplica(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a replica")
	}
	ctx := context.Background()
	cluster := pg.Cluster(t)
	replica, err := cluster.StartReplica(ctx)
	if err != nil {
		t.Fatal(err)
	}
	halted := false
	t.Cleanup(func() {
		if err := replica.Stop(); err != nil && !halted {
			t.Errorf("stop the replica: %v", err)
		}
	})
	primaryURL := pg.NewDatabase(t)
	u, err := url.Parse(primaryURL)
	if err != nil {
		t.Fatal(err)
	}
	replicaURL := replica.URL(strings.TrimPrefix(u.Path, "/"))
	// The database made after the base backup reaches the replica by
	// replay.
	waitFor(t, "the replica has the test database", func() bool {
		conn, err := pgx.Connect(ctx, replicaURL)
		if err != nil {
			return false
		}
		conn.Close(ctx)
		return true
	})

	t.Logf("%v: the replica has the database", time.Now())
	db := mustOpen(t, primaryURL)
	if err := db.UseReplicas(ctx, []string{replicaURL}, DefaultMaxLag); err != nil {
		t.Fatal(err)
	}
	other := mustOpen(t, primaryURL) // another app server, without replicas

	waitFor(t, "page reads go to the replica", func() bool {
		on, _ := readsReplica(t, ctx, db, "none")
		return on
	})
	// A real page answers from the replica too.
	if _, err := db.HomePage(ctx, time.Now(), 5); err != nil {
		t.Fatalf("home page from the replica: %v", err)
	}

	// Pause replay: the replica stays fit for a moment (within MaxLag)
	// but lacks every write from now on.
	rconn, err := pgx.Connect(ctx, replicaURL)
	if err != nil {
		t.Fatal(err)
	}
	defer rconn.Close(ctx)
	if _, err := rconn.Exec(ctx, "SELECT pg_wal_replay_pause()"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "replay pauses", func() bool {
		var state string
		return rconn.QueryRow(ctx, "SELECT pg_get_wal_replay_pause_state()").Scan(&state) == nil && state == "paused"
	})
	t.Logf("%v: replay paused", time.Now())
	putSetting(t, db, "own")
	if on, saw := readsReplica(t, ctx, db, "own"); !saw || on {
		t.Errorf("the read after this store's own write: on replica %v, saw it %v; want the primary, seeing it", on, saw)
	}
	putSetting(t, other, "theirs")
	waitFor(t, "db hears the other store's write", func() bool {
		_, saw := readsReplica(t, ctx, db, "theirs")
		return saw
	})
	if _, err := rconn.Exec(ctx, "SELECT pg_wal_replay_resume()"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "page reads return to the replica once it has replayed", func() bool {
		on, saw := readsReplica(t, ctx, db, "theirs")
		if !saw {
			var replayed int64
			_ = rconn.QueryRow(ctx, replicaStateQuery).Scan(new(bool), &replayed)
			t.Fatalf("a page read missed a write it had heard of (on the replica: %v; it replayed %d, the store wants %d)", on, replayed, db.changes.lsn.Load())
		}
		return on
	})

	// A request marked for primary reads skips the replica.
	if on, _ := readsReplica(t, film.WithPrimaryReads(ctx), db, "own"); on {
		t.Error("a request marked for primary reads ran on the replica")
	}

	t.Logf("%v: replay resumed and caught up", time.Now())
	// After a commit whose WAL position could not be read, pages read the
	// primary for as long as a fit replica may lag.
	db.readPrimaryForAWhile()
	if on, _ := readsReplica(t, ctx, db, "own"); on {
		t.Error("a page read ran on the replica right after a commit of unknown position")
	}
	db.changes.primaryUntil.Store(0)

	// A stopped replica is skipped: every page read still answers.
	rconn.Close(ctx)
	halted = true
	if err := replica.Halt(); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if on, saw := readsReplica(t, ctx, db, "own"); on || !saw {
			t.Errorf("with the replica stopped: on replica %v, saw %v", on, saw)
		}
	}
	waitFor(t, "the stopped replica is marked unfit", func() bool { return !db.replicas.list[0].healthy.Load() })
	if _, err := db.HomePage(ctx, time.Now(), 5); err != nil && !errors.Is(err, film.ErrNotFound) {
		t.Errorf("home page with the replica stopped: %v", err)
	}
}
