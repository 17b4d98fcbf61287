package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"marquee/internal/film"
	"marquee/internal/filmsql"
)

// This file is internal/sqlite/bulk.go for PostgreSQL: the loader behind
// "marquee gen". Where SQLite's writes many rows per INSERT, this one
// writes each table's rows with COPY, PostgreSQL's bulk path.
//
// The whole load is one transaction, and the per-row triggers of the
// tables it writes (search documents, rating aggregates, review and
// helpful counts, facet counts, the ratings reader reviews imply) are
// disabled inside it with ALTER TABLE ... DISABLE TRIGGER USER: once the
// rows are in, bulk_rebuild.go writes, set by set, what those triggers
// would have written row by row, and the triggers are enabled again
// before the commit. Fired row by row, the triggers made a load
// quadratic: every rating updated its film's aggregate row and then the
// film row, a popular film's rows were updated thousands of times in one
// transaction, and each update had to step over the dead versions the
// ones before it left (1,000 films: 25 of the load's 53 s went to
// rating_stats_add and film_rating_stats_to_film alone).
//
// DISABLE TRIGGER USER is what the table owner may do, on managed
// services too (session_replication_role would need a superuser); it
// leaves the foreign keys checked, and being part of the transaction it
// is undone with it: a load that fails, or a process that dies, leaves
// neither rows nor disabled triggers behind. The ALTER TABLE locks the
// tables until the commit, so nothing else reads or writes them during a
// load, which is meant for a new database anyway. Their secondary indexes
// and foreign keys are set aside in the same way (bulk_indexes.go).

// bulkBatchRows is about how many rows a bulk load buffers before it
// writes them.
const bulkBatchRows = 200_000

// bulkTables is the order a bulk load writes its tables in, parents before
// children. Rows for a table not named here (a list added to the film
// record later) fail the load, as its triggers are not disabled.
var bulkTables = []string{
	"people", "person_aliases", "companies", "films",
	"film_countries", "film_languages", "film_genres", "plot_threads", "film_companies", "release_dates", "box_office",
	"filming_locations", "websites", "soundtracks", "soundtrack_tracks", "external_scores", "press_quotes", "awards",
	"trivia", "goofs", "quotes", "credits",
	"critic_reviews", "readers", "reader_reviews", "ratings", "helpful_votes",
}

// bulkIdentities are the tables whose ids the loader assigns itself; at
// the end of the load their identity sequences are moved past the largest
// id, so rows written later, one at a time, take new ids.
var bulkIdentities = []string{"people", "films", "readers", "companies", "reader_reviews"}

// BulkLoader writes a large catalogue, such as one "marquee gen" makes,
// straight into an empty database. It implements film.CatalogWriter.
//
// It is built for speed rather than care: it assigns row ids itself,
// keeps the ids of what it has written in memory, buffers about
// bulkBatchRows rows and writes them table by table with COPY, all in one
// transaction that Close commits. Unlike an import it neither compares nor
// updates: a record that is already stored fails the load. A failed or
// aborted load writes nothing at all.
type BulkLoader struct {
	db  *DB
	ctx context.Context
	// tx is the load's transaction, in which the tables' triggers are
	// disabled; nil once committed or rolled back.
	tx pgx.Tx
	// aside are the indexes and foreign keys dropped for the load
	// (bulk_indexes.go), put back before the commit.
	aside setAside

	// BulkLoad checks each record, gives it its ids and queues its rows.
	*filmsql.BulkLoad

	pending map[string]*pendingRows
	rows    int // rows pending
	// batchRows is the batch size, bulkBatchRows but in tests.
	batchRows int
}

// pendingRows are the rows of one table waiting to be written.
type pendingRows struct {
	columns []string
	rows    [][]any
}

// NewBulkLoader starts a bulk load: it begins the load's transaction and
// disables the triggers of the tables it writes. It refuses a database that
// already holds people, films or readers. People, films and critic reviews
// are stamped as created at now. The caller must end the load with Close
// or Abort.
func (db *DB) NewBulkLoader(ctx context.Context, now time.Time) (*BulkLoader, error) {
	l := &BulkLoader{db: db, ctx: ctx, BulkLoad: filmsql.NewBulkLoad(), pending: map[string]*pendingRows{}, batchRows: bulkBatchRows}
	l.Add, l.Done, l.Time, l.Now, l.LookupReview = l.add, l.done, timeValue, storedTime(now), l.lookupReview
	tx, err := db.pool.Begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("bulk load: %w", err)
	}
	l.tx = tx
	if err := l.begin(); err != nil {
		l.Abort()
		return nil, fmt.Errorf("bulk load: %w", err)
	}
	return l, nil
}

// begin disables the triggers and reads what the load must know of the
// database. The tables are locked first, so what it reads stays true.
func (l *BulkLoader) begin() error {
	// The commit waits for its WAL to be flushed, even on a server that
	// does not wait by default: a load is worth it, and the VACUUM after
	// the load can mark the new rows visible to all (for index-only scans)
	// only once their commit is durable.
	if _, err := l.tx.Exec(l.ctx, "SET LOCAL synchronous_commit = on"); err != nil {
		return err
	}
	if err := setBulkTriggers(l.ctx, l.tx, false); err != nil {
		return err
	}
	var err error
	if l.aside, err = setAsideIndexes(l.ctx, l.tx); err != nil {
		return fmt.Errorf("set the indexes and foreign keys aside: %w", err)
	}
	var held bool
	err = l.tx.QueryRow(l.ctx, `SELECT EXISTS (SELECT 1 FROM people) OR EXISTS (SELECT 1 FROM films) OR EXISTS (SELECT 1 FROM readers)`).Scan(&held)
	if err != nil {
		return err
	}
	if held {
		return errors.New("the database already holds people, films or readers: load into a new database")
	}
	// The tables are empty, but ids of deleted rows are not given again
	// either, so new ids start after the largest.
	err = l.tx.QueryRow(l.ctx, `SELECT (SELECT coalesce(max(id), 0) FROM people), (SELECT coalesce(max(id), 0) FROM films),
		(SELECT coalesce(max(id), 0) FROM readers), (SELECT coalesce(max(id), 0) FROM companies),
		(SELECT coalesce(max(id), 0) FROM reader_reviews)`).
		Scan(&l.NextPerson, &l.NextFilm, &l.NextReader, &l.NextCompany, &l.NextReview)
	if err != nil {
		return err
	}
	// Companies outlive their films, so some may exist.
	rows, err := l.tx.Query(l.ctx, "SELECT id, name, slug FROM companies")
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var (
			id         int64
			name, slug string
		)
		if err := rows.Scan(&id, &name, &slug); err != nil {
			return err
		}
		l.Companies[name], l.CompanySlugs[slug] = id, true
	}
	return rows.Err()
}

// bulkTriggerTables are the tables whose triggers a bulk load disables:
// those it writes, and film_rating_stats, which the rebuild writes and
// whose trigger copies each film's aggregate onto the film row.
var bulkTriggerTables = append(bulkTables[:len(bulkTables):len(bulkTables)], "film_rating_stats")

// setBulkTriggers disables (on false) or enables the user triggers of
// bulkTriggerTables. Internal triggers, those of foreign keys, stay as
// they are.
func setBulkTriggers(ctx context.Context, tx pgx.Tx, enable bool) error {
	verb := "DISABLE"
	if enable {
		verb = "ENABLE"
	}
	for _, table := range bulkTriggerTables {
		if _, err := tx.Exec(ctx, "ALTER TABLE "+pgx.Identifier{table}.Sanitize()+" "+verb+" TRIGGER USER"); err != nil {
			return fmt.Errorf("%s the triggers of %s: %w", strings.ToLower(verb), table, err)
		}
	}
	return nil
}

// Counts reports how many records of each kind the loader has been given.
func (l *BulkLoader) Counts() film.CatalogCounts { return l.BulkLoad.Counts }

// add queues one row for table.
func (l *BulkLoader) add(table, columns string, values ...any) {
	p := l.pending[table]
	if p == nil {
		p = &pendingRows{columns: strings.Split(columns, ", ")}
		l.pending[table] = p
	}
	if len(p.columns) != len(values) {
		panic("bulk load: rows of " + table + " with different columns") // a bug in this file
	}
	p.rows = append(p.rows, values)
	l.rows++
}

// done ends a record: the batch is written once it is full.
func (l *BulkLoader) done() error {
	if l.rows < l.batchRows {
		return nil
	}
	return l.flush()
}

// flush writes every pending row.
func (l *BulkLoader) flush() error {
	if l.rows == 0 {
		return nil
	}
	if l.tx == nil {
		return errors.New("bulk load: the load has ended")
	}
	if err := l.write(); err != nil {
		return fmt.Errorf("bulk load: %w", err)
	}
	clear(l.pending)
	l.rows = 0
	return nil
}

func (l *BulkLoader) write() error {
	for table := range l.pending {
		if !slices.Contains(bulkTables, table) {
			// A table setBulkTriggers does not know: its triggers
			// would fire, or be left out of the rebuild.
			return fmt.Errorf("rows for %s, a table the bulk load does not know", table)
		}
	}
	for _, table := range bulkTables {
		p := l.pending[table]
		if p == nil {
			continue
		}
		if _, err := l.tx.CopyFrom(l.ctx, pgx.Identifier{table}, p.columns, pgx.CopyFromRows(p.rows)); err != nil {
			return fmt.Errorf("copy into %s: %w", table, err)
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
	err := l.tx.QueryRow(l.ctx, `SELECT id FROM reader_reviews
		WHERE film_id = $1 AND created_at = $2 AND display_name = $3 AND title = $4 ORDER BY id LIMIT 1`,
		filmID, timeValue(k.CreatedAt), k.DisplayName, k.Title).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, fmt.Errorf("reader review %s: %w", k.Normalized(), film.ErrNotFound)
	}
	return id, err
}

// Close writes the rows still pending, writes what the disabled triggers
// would have (bulk_rebuild.go), enables the triggers again and commits,
// announcing the change to every store listening on the database (so a
// running server drops its cached pages); then it analyzes the tables for
// the planner. If anything fails, nothing of the load is kept.
func (l *BulkLoader) Close() error {
	if l.tx == nil {
		return errors.New("bulk load: the load has ended")
	}
	if err := l.finish(); err != nil {
		l.Abort()
		return fmt.Errorf("bulk load: %w", err)
	}
	l.tx = nil
	l.db.committed(l.ctx)
	if err := l.db.analyze(l.ctx); err != nil {
		return fmt.Errorf("bulk load: %w", err)
	}
	return nil
}

// finish ends the load's transaction with a commit.
func (l *BulkLoader) finish() error {
	if err := l.flush(); err != nil {
		return err
	}
	for _, table := range bulkIdentities {
		if _, err := l.tx.Exec(l.ctx, `SELECT setval(pg_get_serial_sequence('`+table+`', 'id'),
			greatest((SELECT max(id) FROM `+table+`), 1))`); err != nil {
			return fmt.Errorf("move the ids of %s on: %w", table, err)
		}
	}
	if err := rebuildDerived(l.ctx, l.tx); err != nil {
		return err
	}
	if err := l.aside.putBack(l.ctx, l.tx); err != nil {
		return fmt.Errorf("put the indexes and foreign keys back: %w", err)
	}
	if err := setBulkTriggers(l.ctx, l.tx, true); err != nil {
		return err
	}
	if err := l.db.announce(l.ctx, l.tx); err != nil {
		return err
	}
	return l.tx.Commit(l.ctx)
}

// Abort gives the load up: its transaction rolls back, so the database is
// as it was before the load, triggers enabled.
func (l *BulkLoader) Abort() {
	clear(l.pending)
	l.rows = 0
	if l.tx != nil {
		// The load's context may be what was cancelled.
		ctx, cancel := context.WithTimeout(context.WithoutCancel(l.ctx), 30*time.Second)
		defer cancel()
		_ = l.tx.Rollback(ctx) // the connection is closed on failure, which rolls back too
		l.tx = nil
	}
}
