package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"marquee/internal/film"
	"marquee/internal/filmsql"
)

// bulkBatchRows is about how many rows a bulk load buffers and then writes
// in one transaction. Each commit writes every page the batch dirtied to
// the WAL and then into the database, and random inserts into large indexes
// (ratings by reader, by time) dirty most of their pages in any batch, so
// fewer, larger batches write far less: at 100,000 films, batches of 500,000
// rows (about 10,000 films with their records, or 500,000 ratings) took
// 7 minutes where batches of 100,000 took 9½.
const bulkBatchRows = 500_000

// bulkCacheKiB is the page cache a bulk load's connection gets, in KiB,
// enough to hold the pages a batch dirties so that none is written twice.
// SQLite allocates it only as pages are used.
const bulkCacheKiB = 1 << 20

// bulkStatementRows is how many rows one INSERT statement of a bulk load
// carries, which spreads the cost of a statement (the cgo call, binding,
// the driver's bookkeeping) over many rows.
const bulkStatementRows = 100

// bulkTables is the order a bulk load writes its tables in, parents before
// children. Tables not named here (a list added to the film record later)
// are written after these.
var bulkTables = []string{
	"people", "person_aliases", "companies", "films",
	"film_countries", "film_languages", "film_genres", "plot_threads", "film_companies", "release_dates", "box_office",
	"filming_locations", "websites", "soundtracks", "soundtrack_tracks", "external_scores", "press_quotes", "awards",
	"trivia", "goofs", "quotes", "credits",
	"critic_reviews", "readers", "reader_reviews", "ratings", "helpful_votes",
}

// BulkLoader writes a large catalogue, such as one "marquee gen" makes,
// straight into an empty database. It implements film.CatalogWriter.
//
// It is built for speed rather than care: it assigns row ids itself, keeps
// the ids of what it has written in memory, buffers about bulkBatchRows
// rows and writes them table by table in one transaction, many rows per
// INSERT, with the statement journal in memory. Every trigger still runs
// for every row, so search, facets and rating aggregates come out exactly
// as if the rows had been written one by one (TestBulkLoadWritesWhatImport
// Writes checks it against an import).
//
// Unlike an import it neither compares nor updates: a record that is
// already stored fails the load, and a failed load leaves the batches it
// committed before the failure, so load into a new database file.
type BulkLoader struct {
	db  *DB
	ctx context.Context

	// BulkLoad checks each record, gives it its ids and queues its rows.
	*filmsql.BulkLoad

	pending map[string]*pendingRows
	rows    int // rows pending
}

// pendingRows are the rows of one table waiting to be written.
type pendingRows struct {
	columns string
	width   int
	values  []any // width values per row
}

// NewBulkLoader starts a bulk load. It refuses a database that already
// holds people, films or readers. People, films and critic reviews are
// stamped as created at now.
func (db *DB) NewBulkLoader(ctx context.Context, now time.Time) (*BulkLoader, error) {
	l := &BulkLoader{db: db, ctx: ctx, BulkLoad: filmsql.NewBulkLoad(), pending: map[string]*pendingRows{}}
	l.Add, l.Done, l.Time, l.Now, l.LookupReview = l.add, l.done, formatTime, now.UTC().Format(timeLayout), l.lookupReview
	var n int
	err := db.read.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM (SELECT 1 FROM people LIMIT 1))
		+ (SELECT count(*) FROM (SELECT 1 FROM films LIMIT 1)) + (SELECT count(*) FROM (SELECT 1 FROM readers LIMIT 1))`).Scan(&n)
	if err != nil {
		return nil, fmt.Errorf("bulk load: %w", err)
	}
	if n > 0 {
		return nil, fmt.Errorf("bulk load: the database %s already holds people, films or readers: load into a new database", db.path)
	}
	// The tables are empty, but SQLite would not reuse the ids of deleted
	// rows either, so new ids start after the largest.
	err = db.read.QueryRowContext(ctx, `SELECT (SELECT coalesce(max(id), 0) FROM people), (SELECT coalesce(max(id), 0) FROM films),
		(SELECT coalesce(max(id), 0) FROM readers), (SELECT coalesce(max(id), 0) FROM companies),
		(SELECT coalesce(max(id), 0) FROM reader_reviews)`).
		Scan(&l.NextPerson, &l.NextFilm, &l.NextReader, &l.NextCompany, &l.NextReview)
	if err != nil {
		return nil, fmt.Errorf("bulk load: %w", err)
	}
	// Companies outlive their films, so some may exist.
	rows, err := db.read.QueryContext(ctx, "SELECT id, name, slug FROM companies")
	if err != nil {
		return nil, fmt.Errorf("bulk load: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			id         int64
			name, slug string
		)
		if err := rows.Scan(&id, &name, &slug); err != nil {
			return nil, fmt.Errorf("bulk load: %w", err)
		}
		l.Companies[name], l.CompanySlugs[slug] = id, true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("bulk load: %w", err)
	}
	return l, nil
}

// Counts reports how many records of each kind the loader has been given.
func (l *BulkLoader) Counts() film.CatalogCounts { return l.BulkLoad.Counts }

// add queues one row for table.
func (l *BulkLoader) add(table, columns string, values ...any) {
	p := l.pending[table]
	if p == nil {
		p = &pendingRows{columns: columns, width: len(values)}
		l.pending[table] = p
	}
	if p.columns != columns || p.width != len(values) {
		panic("bulk load: rows of " + table + " with different columns") // a bug in this file
	}
	p.values = append(p.values, values...)
	l.rows++
}

// done ends a record: the batch is written once it is full.
func (l *BulkLoader) done() error {
	if l.rows < bulkBatchRows {
		return nil
	}
	return l.flush()
}

// flush writes every pending row in one transaction.
func (l *BulkLoader) flush() error {
	if l.rows == 0 {
		return nil
	}
	if err := l.write(); err != nil {
		return fmt.Errorf("bulk load: %w", err)
	}
	clear(l.pending)
	l.rows = 0
	return nil
}

func (l *BulkLoader) write() error {
	// One connection for the whole batch, so the pragmas set on it are the
	// ones its transaction runs with; they are put back before the
	// connection returns to the writer pool.
	conn, err := l.db.write.Conn(l.ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	var tempStore, cacheSize int
	if err := conn.QueryRowContext(l.ctx, "PRAGMA temp_store").Scan(&tempStore); err != nil {
		return err
	}
	if err := conn.QueryRowContext(l.ctx, "PRAGMA cache_size").Scan(&cacheSize); err != nil {
		return err
	}
	// Each INSERT that fires triggers keeps a statement journal, which
	// SQLite writes to a temporary file past 64 KiB: in memory, a large
	// batch makes a third fewer system calls. A larger page cache keeps the
	// pages the batch dirties in memory until it commits.
	if _, err := conn.ExecContext(l.ctx, fmt.Sprintf("PRAGMA temp_store = MEMORY; PRAGMA cache_size = -%d", bulkCacheKiB)); err != nil {
		return err
	}
	defer conn.ExecContext(context.WithoutCancel(l.ctx), fmt.Sprintf("PRAGMA temp_store = %d; PRAGMA cache_size = %d", tempStore, cacheSize))

	tx, err := conn.BeginTx(l.ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	tables := slices.Clone(bulkTables)
	for table := range l.pending {
		if !slices.Contains(tables, table) {
			tables = append(tables, table)
		}
	}
	slices.Sort(tables[len(bulkTables):])
	for _, table := range tables {
		if p := l.pending[table]; p != nil {
			if err := insertRows(l.ctx, tx, table, p); err != nil {
				return err
			}
		}
	}
	return l.db.commitCounted(tx) // what the pages show has changed
}

// insertRows writes p's rows into table, bulkStatementRows to a statement.
func insertRows(ctx context.Context, tx *sql.Tx, table string, p *pendingRows) error {
	query := func(rows int) string {
		return "INSERT INTO " + table + " (" + p.columns + ") VALUES " +
			strings.TrimSuffix(strings.Repeat(valuesRow(p.width)+", ", rows), ", ")
	}
	full, err := tx.PrepareContext(ctx, query(bulkStatementRows))
	if err != nil {
		return fmt.Errorf("insert into %s: %w", table, err)
	}
	defer full.Close()
	chunk := bulkStatementRows * p.width
	values := p.values
	for len(values) >= chunk {
		if _, err := full.ExecContext(ctx, values[:chunk]...); err != nil {
			return fmt.Errorf("insert into %s: %w", table, err)
		}
		values = values[chunk:]
	}
	if len(values) > 0 {
		if _, err := tx.ExecContext(ctx, query(len(values)/p.width), values...); err != nil {
			return fmt.Errorf("insert into %s: %w", table, err)
		}
	}
	return nil
}

// lookupReview finds the id of the reader review of the film with key k
// in the database, once the reviews are written: the loader's filmsql.
// BulkLoad asks for a key whose hash two reviews share.
func (l *BulkLoader) lookupReview(filmID int64, k film.ReaderReviewKey) (int64, error) {
	if err := l.flush(); err != nil {
		return 0, err
	}
	var id int64
	err := l.db.write.QueryRowContext(l.ctx, `SELECT id FROM reader_reviews
		WHERE film_id = ? AND created_at = ? AND display_name = ? AND title = ? ORDER BY id LIMIT 1`,
		filmID, formatTime(k.CreatedAt), k.DisplayName, k.Title).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("reader review %s: %w", k.Normalized(), film.ErrNotFound)
	}
	return id, err
}

// Close writes the rows still pending.
func (l *BulkLoader) Close() error { return l.flush() }

// Abort drops the rows still pending, for a load given up part way.
func (l *BulkLoader) Abort() {
	clear(l.pending)
	l.rows = 0
}
