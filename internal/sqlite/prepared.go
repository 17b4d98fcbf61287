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
// prepares at most once per connection (the transaction's own) and keeps. Statements whose text is
// built per request (filters, sorts) are prepared too, up to a bound, past
// which they simply run unprepared.

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

// preparedTx is a read transaction that runs its queries prepared.
type preparedTx struct {
	tx    *sql.Tx
	stmts *stmtCache
	// version is DataVersion as it was just before the transaction
	// began; listed, summaries and reviews are the memos it may use
	// (memo.go).
	version   uint64
	listed    *versionMemo[int64, film.ListedFilm]
	summaries *versionMemo[string, film.Summary]
	reviews   *secondAskMemo[int64, memoReviews]
	lists     *secondAskMemo[string, keptFilmList]
	stamps    *versionMemo[int64, reviewStamps]
	reviewed  *versionMemo[int64, film.ReviewedFilm]
	dressing  *versionMemo[int64, filmDressing]
	stats     *versionMemo[int64, filmStats]
}

func (p preparedTx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := p.stmts.get(query); st != nil {
		return p.tx.StmtContext(ctx, st).QueryContext(ctx, args...)
	}
	return p.tx.QueryContext(ctx, query, args...)
}

func (p preparedTx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := p.stmts.get(query); st != nil {
		return p.tx.StmtContext(ctx, st).QueryRowContext(ctx, args...)
	}
	return p.tx.QueryRowContext(ctx, query, args...)
}

// snapshotQuery is the first read of a page transaction, which takes its
// snapshot: SQLite starts a read transaction when a statement first reads
// the file, and this one reads a page of the smallest table there is.
const snapshotQuery = "SELECT count(*) FROM (SELECT 1 FROM schema_migrations LIMIT 1)"

// inPageTx runs fn in one read transaction whose queries run prepared: the
// read behind one page. Its snapshot is taken (by a first read) while no
// commit of this DB is under way, and it notes DataVersion at the same
// moment, so what the memos (memo.go) keep under a version is exactly
// that version's data.
func (db *DB) inPageTx(ctx context.Context, fn func(q querier) error) error {
	db.snapshots.RLock()
	version := db.version.Load()
	page, err := db.beginPage(ctx, version)
	db.snapshots.RUnlock()
	if err != nil {
		return db.classify(fmt.Errorf("begin read: %w", err))
	}
	defer page.tx.Rollback()
	return db.classify(fn(page))
}

// beginPage begins a page's read transaction and takes its snapshot with
// a first read, prepared like the page's own.
func (db *DB) beginPage(ctx context.Context, version uint64) (preparedTx, error) {
	tx, err := db.read.BeginTx(ctx, nil)
	if err != nil {
		return preparedTx{}, err
	}
	page := preparedTx{tx: tx, stmts: db.stmts, version: version,
		listed: &db.listed, summaries: &db.summaries, reviews: &db.reviews, lists: &db.lists, stamps: &db.stamps, reviewed: &db.reviewed,
		dressing: &db.dressing, stats: &db.stats}
	var one int
	if err := page.QueryRowContext(ctx, snapshotQuery).Scan(&one); err != nil {
		tx.Rollback()
		return preparedTx{}, err
	}
	return page, nil
}
