package postgres

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
)

// Several app servers share one primary, and each keeps a page cache that
// ends an epoch when its store's DataVersion moves. A write committed by
// one server must therefore move every server's DataVersion, not only its
// own. Each write transaction announces itself with pg_notify on
// changesChannel; PostgreSQL delivers a notification only when (and if) the
// transaction commits, and in commit order. Every DB listens on that
// channel on a connection of its own, outside the pool, and moves its
// DataVersion on each announcement from another DB.
//
// Why LISTEN/NOTIFY rather than a version read in each page's transaction:
// the page cache asks DataVersion on every request, hits included, and a
// hit costs a map lookup; a version read would make every hit a round trip
// to the primary, and send the load the replicas take back to it. A
// notification reaches the other servers within milliseconds: from the
// start of a write to the other store hearing of it took 4 to 8 ms in
// TestDataVersionAcrossStores on a busy 2-core machine (the test logs it),
// less than a browser takes to follow the redirect after a form; and the
// writer's own next pages bypass the cache and read the primary anyway
// (internal/web's freshReads). The price is the time the listener is
// disconnected, when notifications are lost: then DataVersion changes on
// every call, so no cached page is served and none outlives the gap, and
// the version moves once more when the listener is back (it may have
// missed a commit while reconnecting).
const changesChannel = "marquee_changes"

// listenerName is the application_name of the listening connection, so an
// operator (or a test) can tell it apart in pg_stat_activity.
const listenerName = "marquee-listener"

// changeFeed is a DB's listening connection and what it learned.
type changeFeed struct {
	// id marks this DB's own announcements, which the listener skips:
	// inWriteTx has counted them already, at commit.
	id string
	// connected is true while the listener is connected and listening.
	connected atomic.Bool
	// lsn is the primary's WAL position after the latest commit this DB
	// knows of (its own, or announced by another), as a byte offset: a
	// replica that has replayed up to it has every write a page read now
	// must see (see replicas.go). It is kept only when replicas are set.
	lsn atomic.Uint64
	// primaryUntil (Unix nanoseconds) sends page reads to the primary
	// until then: set when a commit's WAL position could not be read, for
	// as long as a fit replica may lag (see pickReplica).
	primaryUntil atomic.Int64
	// pid is the listening connection's server process, for tests.
	pid atomic.Uint32

	stop context.CancelFunc
	done sync.WaitGroup
}

// announceQuery is run at the end of every write transaction.
const announceQuery = `SELECT pg_notify('` + changesChannel + `', $1)`

// announce tells the other DBs listening on this database that the
// transaction tx changed something, once it commits.
func (db *DB) announce(ctx context.Context, tx pgx.Tx) error {
	if _, err := tx.Exec(ctx, announceQuery, db.changes.id); err != nil {
		return fmt.Errorf("announce the change: %w", err)
	}
	return nil
}

// committed counts a write this DB committed: the primary's WAL position is
// noted first (when replicas are in use), then DataVersion moves, so a page
// that sees the new version reads a replica only if it has the write.
func (db *DB) committed(ctx context.Context) {
	if db.replicas.any() {
		var lsn int64
		if err := db.pool.QueryRow(ctx, currentLSNQuery).Scan(&lsn); err == nil {
			db.changes.raiseLSN(uint64(lsn))
		} else {
			db.readPrimaryForAWhile()
		}
	}
	db.version.Add(1)
}

// readPrimaryForAWhile sends page reads to the primary for as long as a fit
// replica may lag: after that, every fit replica has replayed a commit
// whose WAL position is unknown, since a replica is fit only if it caught
// up with the primary as it was at most MaxLag ago.
func (db *DB) readPrimaryForAWhile() {
	db.changes.primaryUntil.Store(time.Now().Add(db.replicas.maxLag).UnixNano())
}

// currentLSNQuery reads the primary's WAL position as a byte offset: the
// insert position, which is past every commit record already made, where
// pg_current_wal_lsn (what is written out) may not be yet when commits do
// not wait for the disk (synchronous_commit off).
const currentLSNQuery = `SELECT (pg_current_wal_insert_lsn() - '0/0')::bigint`

// raiseLSN moves the known WAL position up to lsn, never down.
func (f *changeFeed) raiseLSN(lsn uint64) {
	for {
		old := f.lsn.Load()
		if lsn <= old || f.lsn.CompareAndSwap(old, lsn) {
			return
		}
	}
}

// startListening connects the listener and keeps it listening until
// stopListening, reconnecting after a failure with a growing pause.
func (db *DB) startListening(ctx context.Context, config *pgx.ConnConfig) error {
	var id [8]byte
	if _, err := rand.Read(id[:]); err != nil {
		return err
	}
	db.changes.id = hex.EncodeToString(id[:])
	config.RuntimeParams["application_name"] = listenerName
	conn, err := db.listen(ctx, config)
	if err != nil {
		return err
	}
	run, stop := context.WithCancel(context.Background())
	db.changes.stop = stop
	db.changes.done.Add(1)
	go func() {
		defer db.changes.done.Done()
		db.follow(run, config, conn)
	}()
	return nil
}

// stopListening ends the listener and waits for it.
func (db *DB) stopListening() {
	if db.changes.stop != nil {
		db.changes.stop()
		db.changes.done.Wait()
	}
}

// listen opens the listening connection.
func (db *DB) listen(ctx context.Context, config *pgx.ConnConfig) (*pgx.Conn, error) {
	conn, err := pgx.ConnectConfig(ctx, config)
	if err != nil {
		return nil, fmt.Errorf("listen for changes: %w", err)
	}
	if _, err := conn.Exec(ctx, "LISTEN "+changesChannel); err != nil {
		conn.Close(ctx)
		return nil, fmt.Errorf("listen for changes: %w", err)
	}
	db.changes.pid.Store(conn.PgConn().PID())
	db.changes.connected.Store(true)
	return conn, nil
}

// Pauses between attempts to reconnect the listener: doubling from the
// first to the last.
const (
	firstListenPause = 20 * time.Millisecond
	lastListenPause  = 5 * time.Second
)

// follow waits for announcements on conn and counts each; when the
// connection fails it reconnects, and counts a change once connected
// again, for the announcements missed meanwhile.
func (db *DB) follow(ctx context.Context, config *pgx.ConnConfig, conn *pgx.Conn) {
	pause := firstListenPause
	for {
		if conn == nil {
			select {
			case <-ctx.Done():
				return
			case <-time.After(pause):
			}
			var err error
			if conn, err = db.listen(ctx, config); err != nil {
				pause = min(2*pause, lastListenPause)
				continue
			}
			pause = firstListenPause
			db.heard(ctx, conn)
		}
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			// Unsafe from now until reconnected: see DataVersion.
			db.changes.connected.Store(false)
			conn.Close(context.Background())
			conn = nil
			if ctx.Err() != nil {
				return
			}
			continue
		}
		if n.Payload != db.changes.id {
			db.heard(ctx, conn)
		}
	}
}

// heard counts a change committed by another DB (or possibly missed), the
// primary's WAL position first, as committed does.
func (db *DB) heard(ctx context.Context, conn *pgx.Conn) {
	if db.replicas.any() {
		var lsn int64
		if err := conn.QueryRow(ctx, currentLSNQuery).Scan(&lsn); err == nil {
			db.changes.raiseLSN(uint64(lsn))
		} else {
			db.readPrimaryForAWhile()
		}
	}
	db.version.Add(1)
}
