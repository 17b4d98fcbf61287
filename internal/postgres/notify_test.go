package postgres

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// putSetting commits a write through db, as any store write does.
func putSetting(tb testing.TB, db *DB, key string) {
	tb.Helper()
	ctx := context.Background()
	if err := db.inWriteTx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, "INSERT INTO settings VALUES ($1, '\\x01')", key)
		return err
	}); err != nil {
		tb.Fatal(err)
	}
}

// waitFor polls cond until it holds, failing the test after a generous
// deadline; the time it took is returned for the log, not asserted.
func waitFor(tb testing.TB, what string, cond func() bool) time.Duration {
	tb.Helper()
	start := time.Now()
	for !cond() {
		if time.Since(start) > 20*time.Second {
			tb.Fatalf("gave up waiting: %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
	return time.Since(start)
}

// TestDataVersionAcrossStores checks that a write committed through one
// store (one app server) moves another's DataVersion, so its page cache
// ends the epoch, also after the other's listening connection was killed.
func TestDataVersionAcrossStores(t *testing.T) {
	ctx := context.Background()
	url := pg.NewDatabase(t)
	a, b := mustOpen(t, url), mustOpen(t, url)

	before := b.DataVersion()
	if again := b.DataVersion(); again != before {
		t.Fatalf("DataVersion moved from %d to %d with nothing written", before, again)
	}
	start := time.Now()
	putSetting(t, a, "one")
	waitFor(t, "b hears a's write", func() bool { return b.DataVersion() != before })
	t.Logf("a write, from its start to the other store hearing of it, took %v", time.Since(start))

	// A failed write announces nothing: the announcement is part of the
	// transaction that rolled back.
	settled := b.DataVersion()
	if err := a.inWriteTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "INSERT INTO settings VALUES ('two', '\\x01')"); err != nil {
			return err
		}
		return fmt.Errorf("changed my mind")
	}); err == nil {
		t.Fatal("the failing write succeeded")
	}
	// The next announcement is a's next commit; if the rolled-back one
	// had been delivered, b would move twice.
	putSetting(t, a, "three")
	waitFor(t, "b hears a's second write", func() bool { return b.DataVersion() != settled })
	if got := b.DataVersion(); got != settled+1 {
		t.Errorf("b's DataVersion went from %d to %d for one commit", settled, got)
	}

	// Kill b's listener: b must reconnect and hear the next write.
	old := b.changes.pid.Load()
	var killed bool
	if err := a.pool.QueryRow(ctx, "SELECT pg_terminate_backend($1)", int32(old)).Scan(&killed); err != nil || !killed {
		t.Fatalf("terminate the listener %d: %v, %v", old, killed, err)
	}
	waitFor(t, "b's listener reconnects", func() bool {
		return b.changes.connected.Load() && b.changes.pid.Load() != old
	})
	back := b.DataVersion()
	putSetting(t, a, "four")
	waitFor(t, "b hears a write after reconnecting", func() bool { return b.DataVersion() != back })
}

// TestDataVersionUnsafeWhileDeaf checks that while the listener is
// disconnected (announcements may be lost) DataVersion moves on every
// call, so a page cache keeps nothing.
func TestDataVersionUnsafeWhileDeaf(t *testing.T) {
	db := newDB(t)
	db.changes.connected.Store(false)
	first := db.DataVersion()
	if second := db.DataVersion(); second == first {
		t.Errorf("DataVersion stayed %d while the listener was away", first)
	}
}
