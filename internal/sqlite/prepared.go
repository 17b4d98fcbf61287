package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"

	"marquee/internal/film"
)

// Preparing a statement costs SQLite more than running most of the page
// queries, so the page reads (pages.go) run theirs prepared once: the
// statement is prepared on the read pool after its text is first seen, and
// each transaction uses it through Tx.StmtContext, which database/sql
// prepares at most once per connection (the transaction's own); the
// transaction binds each statement once (openRead.stmt). Statements whose
// text is built per request (filters, sorts) are prepared too, up to a
// bound, past which they simply run unprepared.

// maxPreparedStatements bounds how many distinct statements are kept.
const maxPreparedStatements = 1024

// stmtCache holds the prepared read statements by their text.
type stmtCache struct {
	db        *sql.DB
	mu        sync.Mutex
	stmts     map[string]*sql.Stmt
	preparing map[string]bool
	closed    bool
	// inFlight counts the prepares running, which close waits for: a
	// read connection outliving the writer would keep the WAL file, as
	// only a connection that may write can checkpoint it away.
	inFlight sync.WaitGroup
}

func newStmtCache(db *sql.DB) *stmtCache {
	return &stmtCache{db: db, stmts: map[string]*sql.Stmt{}, preparing: map[string]bool{}}
}

// get returns the prepared statement for query, or nil while it is not
// prepared yet (or the cache is full), in which case the caller runs the
// query unprepared. Preparing on the pool needs a connection of its own,
// and the caller holds one in its transaction: were it to wait for a
// second while every connection is held the same way, no transaction could
// finish. So the statement is prepared in the background, once a
// connection is free, and used from the next time on.
func (c *stmtCache) get(query string) *sql.Stmt {
	c.mu.Lock()
	defer c.mu.Unlock()
	if st, ok := c.stmts[query]; ok {
		return st
	}
	if c.closed || c.preparing[query] || len(c.stmts)+len(c.preparing) >= maxPreparedStatements {
		return nil
	}
	c.preparing[query] = true
	c.inFlight.Add(1)
	go c.prepare(query)
	return nil
}

// prepare prepares query on the pool and keeps it; a query that does not
// prepare is simply never kept (running it reports why).
func (c *stmtCache) prepare(query string) {
	defer c.inFlight.Done()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	st, err := c.db.PrepareContext(ctx, query)
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.preparing, query)
	if err != nil {
		return
	}
	if c.closed {
		st.Close()
		return
	}
	c.stmts[query] = st
}

func (c *stmtCache) close() error {
	c.mu.Lock()
	c.closed = true
	c.mu.Unlock()
	c.inFlight.Wait()
	c.mu.Lock()
	defer c.mu.Unlock()
	var errs []error
	for q, st := range c.stmts {
		errs = append(errs, st.Close())
		delete(c.stmts, q)
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("close prepared statements: %w", err)
	}
	return nil
}

// preparedTx is a page's read: its queries run prepared, in one read
// transaction (read.open), and it may use the memos (memo.go) kept for the
// data version its snapshot was taken at.
type preparedTx struct {
	read  *pageRead
	stmts *stmtCache
	// listed, summaries and reviews are the memos it may use (memo.go).
	listed    *versionMemo[int64, film.ListedFilm]
	summaries *versionMemo[string, film.Summary]
	reviews   *secondAskMemo[int64, memoReviews]
	lists     *secondAskMemo[string, keptFilmList]
	stamps    *versionMemo[int64, reviewStamps]
	reviewed  *versionMemo[int64, film.ReviewedFilm]
	dressing  *versionMemo[int64, filmDressing]
	stats     *versionMemo[int64, filmStats]
}

// pageRead is the state of one page's read: its transaction, once begun,
// and the data version what it reads is of.
type pageRead struct {
	db *DB
	// open is the read transaction, once begun or taken over (openReads).
	open openRead
	// quiet is the context its statements run under: the page's, without
	// its cancellation (begin says why).
	quiet context.Context
	err   error // why the transaction could not begin
	// version is DataVersion when the read began, or, once the
	// transaction has begun, at its snapshot.
	version uint64
	// memoBeforeTx is set when a memo was asked before the transaction
	// began, and mixed when the transaction then began at a later
	// version: what the read saw is not one snapshot (see readPage).
	memoBeforeTx, mixed bool
}

// version is the data version the page's memo reads and writes are of.
func (p preparedTx) version() uint64 {
	if p.read.open.tx == nil {
		p.read.memoBeforeTx = true
	}
	return p.read.version
}

// begin begins the read transaction and takes its snapshot with a first
// read, while no commit of this DB is under way, and notes DataVersion at
// the same moment: what the memos keep under a version is exactly that
// version's data.
func (r *pageRead) begin(ctx context.Context) error {
	if r.open.tx != nil || r.err != nil {
		return r.err
	}
	db := r.db
	db.snapshots.RLock()
	defer db.snapshots.RUnlock()
	if v := db.version.Load(); v != r.version {
		r.mixed = r.memoBeforeTx
		r.version = v
	}
	// The wait for a connection heeds ctx; the transaction does not.
	// database/sql watches a cancellable context with a goroutine for
	// each transaction and each result set, and go-sqlite3 with a callback
	// for each statement: an export spent 3% of its time on them. A page
	// read is a few short statements, and each looks at ctx before it
	// runs (QueryContext), so a read whose client has gone stops at its
	// next statement instead.
	r.quiet = context.WithoutCancel(ctx)
	if kept, ok := db.openReads.take(r.version); ok {
		r.open = kept
		return nil
	}
	open, err := db.beginOpenRead(ctx)
	if err != nil {
		r.err = db.classify(fmt.Errorf("begin read: %w", err))
		return r.err
	}
	var one int
	if st := db.stmts.get(snapshotQuery); st != nil {
		err = open.stmt(r.quiet, st).QueryRowContext(r.quiet).Scan(&one)
	} else {
		err = open.tx.QueryRowContext(r.quiet, snapshotQuery).Scan(&one)
	}
	if err != nil {
		open.end()
		r.err = db.classify(fmt.Errorf("begin read: %w", err))
		return r.err
	}
	open.version = r.version
	r.open = open
	return nil
}

// end ends the read: its transaction, if it began, is kept open for the
// next page read when the read went well and its snapshot is still
// current (openReads), and ended otherwise.
func (r *pageRead) end(ok bool) {
	if r.open.tx == nil {
		return
	}
	if ok && r.err == nil && r.db.openReads.keep(r.open, r.db.version.Load()) {
		return
	}
	r.open.end()
}

func (p preparedTx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if err := p.read.begin(ctx); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	quiet := p.read.quiet
	if st := p.stmts.get(query); st != nil {
		return p.read.open.stmt(quiet, st).QueryContext(quiet, args...)
	}
	return p.read.open.tx.QueryContext(quiet, query, args...)
}

func (p preparedTx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	err := p.read.begin(ctx)
	if err == nil {
		err = ctx.Err()
	}
	if err != nil {
		// A Row holds its error unexported: this one is the canceled
		// context's, made without touching the database. The page read
		// reports the transaction's own error (runPage), not this one.
		canceled, cancel := context.WithCancel(ctx)
		cancel()
		return p.read.db.read.QueryRowContext(canceled, query, args...)
	}
	quiet := p.read.quiet
	if st := p.stmts.get(query); st != nil {
		return p.read.open.stmt(quiet, st).QueryRowContext(quiet, args...)
	}
	return p.read.open.tx.QueryRowContext(quiet, query, args...)
}

// snapshotQuery is the first read of a page transaction, which takes its
// snapshot: SQLite starts a read transaction when a statement first reads
// the file, and this one reads a page of the smallest table there is.
const snapshotQuery = "SELECT count(*) FROM (SELECT 1 FROM schema_migrations LIMIT 1)"

// pageTx returns a page read of db, not begun yet.
func (db *DB) pageTx(r *pageRead) preparedTx {
	return preparedTx{read: r, stmts: db.stmts,
		listed: &db.listed, summaries: &db.summaries, reviews: &db.reviews, lists: &db.lists, stamps: &db.stamps, reviewed: &db.reviewed,
		dressing: &db.dressing, stats: &db.stats}
}

// inPageTx runs fn in one read transaction whose queries run prepared: the
// read behind one page, begun before fn runs.
func (db *DB) inPageTx(ctx context.Context, fn func(q querier) error) error {
	r, err := db.beginPageRead(ctx)
	if err != nil {
		return err
	}
	_, err = runPage(r, func(q querier) (struct{}, error) { return struct{}{}, fn(q) })
	return err
}

// beginPageRead returns a page read whose transaction has begun.
func (db *DB) beginPageRead(ctx context.Context) (*pageRead, error) {
	r := &pageRead{db: db}
	return r, r.begin(ctx)
}

// readPage runs read as the read behind one page, beginning its
// transaction only when read first runs a query: a page whose every value
// the memos hold (the eight orders of a film's reader reviews, say) needs
// none. It is one snapshot either way. The memos answer for the version
// noted when the read began; if a commit lands before the transaction
// then begins, what read saw first and what it sees next are of two
// versions, and read runs again from the start in a transaction begun at
// once. So read must make its result afresh each time it runs.
func readPage[T any](ctx context.Context, db *DB, read func(q querier) (T, error)) (T, error) {
	r := &pageRead{db: db, version: db.version.Load()}
	v, err := runPage(r, read)
	if !r.mixed {
		return v, err
	}
	if r, err = db.beginPageRead(ctx); err != nil {
		var zero T
		return zero, err
	}
	return runPage(r, read)
}

// runPage runs read in the page read r, reporting first why its
// transaction could not begin, if it could not.
func runPage[T any](r *pageRead, read func(q querier) (T, error)) (T, error) {
	ok := false
	defer func() { r.end(ok) }()
	v, err := read(r.db.pageTx(r))
	if r.err != nil {
		var zero T
		return zero, r.err
	}
	ok = err == nil
	return v, r.db.classify(err)
}
