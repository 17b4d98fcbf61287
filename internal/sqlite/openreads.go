package sqlite

import (
	"context"
	"database/sql"
	"sync"
)

// openReads keeps the read transactions of finished page reads open while
// their snapshot is still the current data version, for the next page
// read to take over instead of beginning its own. Beginning one costs a
// connection from the pool, BEGIN, a first read to take the snapshot and,
// at the end, ROLLBACK: about a twentieth of an export's time, where most
// pages are read one after another at one version.
//
// A read kept at version v sees exactly v's data, as one begun now would:
// a page read takes one over only while DataVersion is still v, checked
// under the same lock as its own beginning (pageRead.begin), and a commit
// of this DB moves DataVersion under that lock. A commit by another
// process is seen when WatchOtherWriters counts it, as for the memos and
// the page cache. Each counted change lets the kept reads go (countChange), so they hold
// back neither the WAL nor a checkpoint for longer than the next write.
type openReads struct {
	mu     sync.Mutex
	reads  []openRead
	max    int
	closed bool
}

// openRead is a read transaction, its connection and the version of its
// snapshot, with the prepared statements it has used.
type openRead struct {
	conn    *sql.Conn
	tx      *sql.Tx
	version uint64
	// stmts holds, for each of the read pool's prepared statements that
	// a page read used here, that statement bound to tx. database/sql
	// makes a new binding at each Tx.StmtContext and keeps every one it
	// made until the transaction ends, which a kept read may not do for
	// hours on a site nobody writes to. Bound once, a statement is used
	// again by every page read that takes the transaction over.
	stmts map[*sql.Stmt]*sql.Stmt
}

// stmt returns st bound to the transaction, binding it the first time.
// Only the one page read holding r calls it.
func (r openRead) stmt(ctx context.Context, st *sql.Stmt) *sql.Stmt {
	if bound, ok := r.stmts[st]; ok {
		return bound
	}
	bound := r.tx.StmtContext(ctx, st)
	r.stmts[st] = bound
	return bound
}

// take returns a kept read at version, if there is one, and ends those
// kept at another.
func (o *openReads) take(version uint64) (openRead, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	for len(o.reads) > 0 {
		r := o.reads[len(o.reads)-1]
		o.reads = o.reads[:len(o.reads)-1]
		if r.version == version {
			return r, true
		}
		r.end()
	}
	return openRead{}, false
}

// keep keeps r for a later page read, if its snapshot is still the
// current version and there is room; it reports whether it did.
func (o *openReads) keep(r openRead, current uint64) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.closed || r.version != current || len(o.reads) >= o.max {
		return false
	}
	o.reads = append(o.reads, r)
	return true
}

// drop ends the kept reads.
func (o *openReads) drop() {
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, r := range o.reads {
		r.end()
	}
	o.reads = o.reads[:0]
}

// close ends the kept reads and keeps none from then on.
func (o *openReads) close() {
	o.mu.Lock()
	o.closed = true
	o.mu.Unlock()
	o.drop()
}

// end ends the transaction and gives the connection back to the pool.
func (r openRead) end() {
	r.tx.Rollback()
	r.conn.Close()
}

// beginOpenRead begins a read transaction on a connection of its own from
// the read pool, waiting for the connection as long as ctx allows. The
// transaction itself does not watch ctx (pageRead.begin says why), and
// outlives it when it is kept.
func (db *DB) beginOpenRead(ctx context.Context) (openRead, error) {
	conn, err := db.read.Conn(ctx)
	if err != nil {
		return openRead{}, err
	}
	tx, err := conn.BeginTx(context.Background(), nil)
	if err != nil {
		conn.Close()
		return openRead{}, err
	}
	return openRead{conn: conn, tx: tx, stmts: map[*sql.Stmt]*sql.Stmt{}}, nil
}
