package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
)

// Preparing a statement costs SQLite more than running most of the page
// queries, so the page reads (pages.go) run theirs prepared once: the
// statement is prepared on the read pool the first time its text is seen,
// and each transaction uses it through Tx.StmtContext, which database/sql
// prepares at most once per connection and keeps. Statements whose text is
// built per request (filters, sorts) are prepared too, up to a bound, past
// which they simply run unprepared.

// maxPreparedStatements bounds how many distinct statements are kept.
const maxPreparedStatements = 1024

// stmtCache holds the prepared read statements by their text.
type stmtCache struct {
	db    *sql.DB
	mu    sync.Mutex
	stmts map[string]*sql.Stmt
}

func newStmtCache(db *sql.DB) *stmtCache {
	return &stmtCache{db: db, stmts: map[string]*sql.Stmt{}}
}

// get returns the prepared statement for query, preparing it on first use;
// nil when the cache is full or the statement does not prepare (running it
// then reports why).
func (c *stmtCache) get(ctx context.Context, query string) *sql.Stmt {
	c.mu.Lock()
	st, ok := c.stmts[query]
	full := len(c.stmts) >= maxPreparedStatements
	c.mu.Unlock()
	if ok || full {
		return st
	}
	st, err := c.db.PrepareContext(ctx, query)
	if err != nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if other, ok := c.stmts[query]; ok {
		st.Close() // Prepared twice at once; keep the first.
		return other
	}
	c.stmts[query] = st
	return st
}

func (c *stmtCache) close() error {
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
}

func (p preparedTx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := p.stmts.get(ctx, query); st != nil {
		return p.tx.StmtContext(ctx, st).QueryContext(ctx, args...)
	}
	return p.tx.QueryContext(ctx, query, args...)
}

func (p preparedTx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := p.stmts.get(ctx, query); st != nil {
		return p.tx.StmtContext(ctx, st).QueryRowContext(ctx, args...)
	}
	return p.tx.QueryRowContext(ctx, query, args...)
}

// inPageTx runs fn in one read transaction whose queries run prepared: the
// read behind one page.
func (db *DB) inPageTx(ctx context.Context, fn func(q querier) error) error {
	tx, err := db.read.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin read: %w", err)
	}
	defer tx.Rollback()
	return fn(preparedTx{tx: tx, stmts: db.stmts})
}
