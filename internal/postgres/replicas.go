package postgres

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"marquee/internal/film"
)

// Page reads (inPageTx) may go to streaming replicas of the primary, and
// everything else (writes, sign-in, sessions, the reads inside writes) goes
// to the primary. Three rules keep a replica from showing a page older than
// what its reader has a right to expect:
//
//   - a replica is used only while healthy: it answers, is in recovery, and
//     has replayed, within the last MaxLag, everything the primary had
//     written (checked every checkEvery, by comparing WAL positions, which
//     unlike pg_last_xact_replay_timestamp does not grow while the primary
//     is idle); one that stops answering or falls behind is skipped until
//     it catches up, and a page read that fails on it runs on the primary;
//   - a page read uses a replica only if the replica has replayed the
//     latest commit this DB knows of, its own or announced by another app
//     server (changeFeed.lsn), checked on the connection just before the
//     read transaction takes its snapshot; else it reads the primary. So a
//     page cached after DataVersion moved holds the write that moved it;
//   - a request marked by film.WithPrimaryReads (the web layer marks the
//     requests of a client that wrote in the last few seconds, on any app
//     server) reads the primary, so nobody misses what they just did.
type replicaSet struct {
	list   []*replica
	maxLag time.Duration
	next   atomic.Uint64 // round robin over the healthy replicas
	stop   context.CancelFunc
	done   sync.WaitGroup
}

// replica is one streaming replica.
type replica struct {
	pool *pgxpool.Pool
	// healthy is the last check's verdict; caughtUp the moment of the
	// primary's WAL position the replica had last replayed.
	healthy  atomic.Bool
	caughtUp time.Time
}

// checkEvery is how often the replicas' health is checked.
const checkEvery = 250 * time.Millisecond

// DefaultMaxLag is how far behind the primary a replica may fall and still
// serve pages.
const DefaultMaxLag = 2 * time.Second

// UseReplicas sends this DB's page reads to the streaming replicas at urls
// (see replicaSet), skipping any that falls more than maxLag behind the
// primary or stops answering. A replica need not be up yet: it serves once
// its first health check passes. Call it once, before serving.
func (db *DB) UseReplicas(ctx context.Context, urls []string, maxLag time.Duration) error {
	if len(urls) == 0 {
		return nil
	}
	if db.replicas.list != nil {
		return errors.New("use replicas: already set")
	}
	for i, url := range urls {
		config, err := pgxpool.ParseConfig(url)
		if err != nil {
			db.replicas.close()
			return fmt.Errorf("use replicas: the URL of replica %d is malformed", i+1)
		}
		config.ConnConfig.RuntimeParams["timezone"] = "UTC"
		config.ConnConfig.RuntimeParams["application_name"] = "marquee-replica-reads"
		// pgxpool connects lazily, so a replica that is down does not stop
		// the server from starting.
		pool, err := pgxpool.NewWithConfig(ctx, config)
		if err != nil {
			db.replicas.close()
			return fmt.Errorf("use replica %d: %w", i+1, err)
		}
		db.replicas.list = append(db.replicas.list, &replica{pool: pool})
	}
	db.replicas.maxLag = maxLag
	// Before the first page read, know the primary's position and which
	// replicas are fit.
	var lsn int64
	if err := db.pool.QueryRow(ctx, currentLSNQuery).Scan(&lsn); err != nil {
		db.replicas.close()
		return fmt.Errorf("use replicas: %w", err)
	}
	db.changes.raiseLSN(uint64(lsn))
	db.checkReplicas(ctx)
	run, stop := context.WithCancel(context.Background())
	db.replicas.stop = stop
	db.replicas.done.Add(1)
	go func() {
		defer db.replicas.done.Done()
		tick := time.NewTicker(checkEvery)
		defer tick.Stop()
		for {
			select {
			case <-run.Done():
				return
			case <-tick.C:
				db.checkReplicas(run)
			}
		}
	}()
	return nil
}

// any reports whether replicas are in use.
func (s *replicaSet) any() bool { return len(s.list) > 0 }

// close stops the health checks and closes the replicas' pools.
func (s *replicaSet) close() {
	if s.stop != nil {
		s.stop()
		s.done.Wait()
	}
	for _, r := range s.list {
		r.pool.Close()
	}
}

// replicaStateQuery tells whether a server is a replica and how far it has
// replayed the primary's WAL.
const replicaStateQuery = `SELECT pg_is_in_recovery(), coalesce((pg_last_wal_replay_lsn() - '0/0')::bigint, 0)`

// checkReplicas samples the primary's WAL position, then asks each replica
// how far it has replayed: one that has replayed the sample is caught up
// as of the sample's time.
func (db *DB) checkReplicas(ctx context.Context) {
	sampled := time.Now()
	var primary int64
	if err := db.pool.QueryRow(ctx, currentLSNQuery).Scan(&primary); err != nil {
		return // the primary is away: nothing to compare with
	}
	for _, r := range db.replicas.list {
		checkCtx, cancel := context.WithTimeout(ctx, time.Second)
		var recovering bool
		var replayed int64
		err := r.pool.QueryRow(checkCtx, replicaStateQuery).Scan(&recovering, &replayed)
		cancel()
		if err == nil && recovering && replayed >= primary {
			r.caughtUp = sampled
		}
		r.healthy.Store(err == nil && recovering && time.Since(r.caughtUp) <= db.replicas.maxLag)
	}
}

// pickReplica returns a healthy replica for a page read, or nil for the primary.
func (db *DB) pickReplica(ctx context.Context) *replica {
	s := &db.replicas
	if len(s.list) == 0 || film.PrimaryReads(ctx) || time.Now().UnixNano() < db.changes.primaryUntil.Load() {
		return nil
	}
	start := s.next.Add(1)
	for i := range uint64(len(s.list)) {
		if r := s.list[(start+i)%uint64(len(s.list))]; r.healthy.Load() {
			return r
		}
	}
	return nil
}

// errReplicaBehind is a replica that has not replayed what a page must see.
var errReplicaBehind = errors.New("replica behind")

// pageOptions are a page read's transaction options.
var pageOptions = pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}

// inReplicaPageTx runs the page read fn on r if it has replayed up to want,
// and reports with fallBack whether the primary should run it instead: the
// replica is behind, away, or cancelled the read for a conflict with
// recovery. The position is checked on the connection before the
// transaction begins, so the snapshot its first statement takes holds
// everything replayed up to that position.
func (r *replica) inPageTx(ctx context.Context, want uint64, fn func(pgx.Tx) error) (fallBack bool, err error) {
	conn, err := r.pool.Acquire(ctx)
	if err != nil {
		r.healthy.Store(false)
		return true, err
	}
	defer conn.Release()
	var recovering bool
	var replayed int64
	if err := conn.QueryRow(ctx, replicaStateQuery).Scan(&recovering, &replayed); err != nil {
		r.healthy.Store(false)
		return true, err
	}
	if !recovering || uint64(replayed) < want {
		return true, errReplicaBehind
	}
	err = pgx.BeginTxFunc(ctx, conn, pageOptions, fn)
	if err != nil && ctx.Err() == nil && lostReplica(err) {
		r.healthy.Store(false)
		return true, err
	}
	return false, err
}

// lostReplica reports whether err is the replica failing rather than the
// page's own answer (not found, say): the connection lost, or the read
// cancelled because replay had to remove rows it could still see.
func lostReplica(err error) bool {
	var netErr net.Error
	var connectErr *pgconn.ConnectError
	var pgErr *pgconn.PgError
	return errors.As(err, &netErr) || errors.As(err, &connectErr) || errors.Is(err, io.ErrUnexpectedEOF) ||
		pgconn.SafeToRetry(err) || (errors.As(err, &pgErr) && (retryable(err) || pgErr.Code[:2] == "57" || pgErr.Code[:2] == "08"))
}
