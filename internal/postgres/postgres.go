// Package postgres is Marquee's second store, on a PostgreSQL server (15 or
// later, standard features and the trusted unaccent extension only, so
// managed services serve it too), for a site that outgrows one machine.
// It implements the same contract as internal/sqlite, film.Store, and reads
// like it: one file per area (the database-free parts shared with it in
// internal/filmsql), one read transaction per page, the kept
// counts maintained by triggers in the schema (migrations/postgres).
//
// The pool is pgx's (pgxpool); each connection prepares the statements it
// runs once and keeps them in pgx's statement cache. A page's reads run in
// one REPEATABLE READ, READ ONLY transaction, so a page is one snapshot, as
// on SQLite. Writes run SERIALIZABLE, the nearest thing to SQLite's single
// writer: every write transaction behaves as if it ran alone, and the ones
// PostgreSQL aborts to keep that promise (serialization failures, 40001,
// and deadlocks, 40P01) run again, a bounded number of times.
//
// # What is done, and what is not
//
// The store keeps the whole of film.Store and passes the whole contract
// suite (internal/storetest); cmd/marquee serves from it when -db is a
// postgres:// URL.
//
// Done:
//   - the schema, equal to SQLite's after its migrations 0001 to 0012
//     (0002 and 0003 follow SQLite's 0013 and 0014), with
//     its constraints, indexes, kept counts and search documents
//     (migrations/postgres/0001_initial.sql), and the migration runner
//     (Migrate), as strict as SQLite's;
//   - Open, Close, Ping, IsEmpty, Secret;
//   - the catalogue import (Import, ImportWith; import.go, planned by
//     internal/filmsql as SQLite's is), adding, updating and leaving
//     records and pictures as SQLite's does, in one transaction, row by row
//     (COPY is for the bulk loader);
//   - pictures (images.go): AddImage, UpdateImageText, MoveImage,
//     RemoveImage, OwnedImages, FindRendition, tested against SQLite
//     through a story;
//   - search (search.go): Search and Suggest over the tsvector documents,
//     accents, case and ligatures forgiven, prefixes and quoted phrases,
//     results tier by tier (films, people, characters and places and
//     soundtracks, reviews), spoilers and reviews not yet public never
//     found, hostile input harmless; tested to find what SQLite finds in
//     each tier (within a tier the order may differ: ts_rank is not
//     SQLite's bm25);
//   - CompanyPage, FindFilm, FindFilmSummary, FindSlugRedirect,
//     RatingStats, RecountRatingStats, ReviewFeed, FilmFeed and
//     SitemapEntries, tested against SQLite too;
//   - moderation (moderation.go): ModerationPage, ModerateReaderReviews,
//     DeskCounts, tested against SQLite through a story of approvals,
//     spam (which takes a reader's rating out) and rescues;
//   - the catalogue forms (catalog_edit.go): FindFilmForEdit, CreateFilm,
//     UpdateFilm (refusing a save over a newer one), FindPersonForEdit,
//     CreatePerson, UpdatePerson, renames leaving redirects,
//     FindFilmsByTitle, FindPeopleByName, RecentFilms; tested against
//     SQLite through a story of edits;
//   - the critic review editor (editorial.go): FindEditedReview(s),
//     CreateCriticReview, UpdateCriticReview (refusing a save over a newer
//     revision), RestoreRevision, Revisions, FindRevision, redirects from
//     a public review's old slug; tested against SQLite through a story;
//   - Dump (dump.go), giving the records SQLite's dump gives for the same
//     catalogue, pictures included, which an import takes back unchanged;
//   - the readers' writes (ratings.go, reviews.go): Reader, RateFilm,
//     RemoveRating, CreateReaderReview, VoteHelpful, tested against SQLite
//     through a story, and 200 readers rating and reviewing one film at
//     once through them lose nothing;
//   - the bulk loader behind gen (bulk.go, NewBulkLoader), writing each
//     table's rows with COPY in one transaction with the triggers
//     disabled, then rebuilding what they keep (bulk_rebuild.go); tested
//     to write what an import's triggers write, and to load what
//     SQLite's loads from the same generated catalogue;
//   - the desk's accounts, sessions and audit log (users.go, sessions.go,
//     audit.go), tested to answer what SQLite answers, step by step;
//   - DataVersion, bumped after every write transaction this process
//     commits and on every commit another process announces (notify.go:
//     pg_notify in each write transaction, LISTEN on a connection of its
//     own, reconnected after a failure), and NextChange;
//   - page reads on streaming replicas (replicas.go, UseReplicas), skipped
//     when behind or away, never older than a write this process made or
//     heard of;
//   - the public pages (pages.go): FilmPage, ReaderReviewsPage,
//     ReviewFormPage, CriticReviewPage, PersonPage, HomePage and FilmIndex
//     (browse.go: keyset pagination in every order, filters, facets), each
//     one snapshot, and tested to answer what SQLite answers for the same
//     catalogue (titles are collated "C", so lower() folds ASCII letters
//     only, as SQLite's NOCASE does);
//   - the defence against rating stuffing (stuffing.go, StuffingStore):
//     held ratings and votes (migrations/postgres/0002_held_ratings.sql,
//     SQLite's 0013), counted only once released, in the releasing
//     transaction; tested against SQLite through a story;
//   - a site's history beside its catalogue (history.go, DumpHistory and
//     ImportHistory, behind marquee copy): revisions, the audit log, slug
//     redirects, held bursts, sessions and secrets, named by slug, email or
//     review key so they survive new ids; tested by the contract suite.
//
// What does not depend on the database (the film record's description,
// import planning, pictures' grouping, the desk's rules, search paging)
// lives once, in internal/filmsql, for this store and SQLite's.
//
// The store contract suite (internal/storetest) runs against this store
// (store_contract_test.go), every test of it; besides, each file's tests
// compare its answers with SQLite's for the same catalogue or the same
// story of writes. The plan tests (plans_test.go) explain the page,
// search, desk and clock statements and check that an index serves each.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// DB is the Marquee database on a PostgreSQL server: a pool of connections
// to one database.
type DB struct {
	pool *pgxpool.Pool
	// version counts the write transactions this DB has committed (see
	// DataVersion).
	version atomic.Uint64
	// changes listens for the writes of other app servers (notify.go);
	// replicas are the streaming replicas page reads may use
	// (replicas.go).
	changes  changeFeed
	replicas replicaSet
}

// Open connects to the database at url (postgres://user:password@host/db)
// and checks that it answers. It does not migrate: call Migrate before use.
func Open(ctx context.Context, url string) (*DB, error) {
	config, err := pgxpool.ParseConfig(url)
	if err != nil {
		// pgx's message can quote the URL, password included.
		return nil, errors.New("open database: the PostgreSQL URL is malformed")
	}
	// Times are stored as timestamptz and read in UTC, as SQLite's are.
	config.ConnConfig.RuntimeParams["timezone"] = "UTC"
	pool, err := pgxpool.NewWithConfig(ctx, config)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	db := &DB{pool: pool}
	if err := db.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("open database: %w", err)
	}
	if err := db.startListening(ctx, config.ConnConfig.Copy()); err != nil {
		pool.Close()
		return nil, fmt.Errorf("open database: %w", err)
	}
	return db, nil
}

// Close closes every connection of the pool, waiting for those in use.
func (db *DB) Close() error {
	db.stopListening()
	db.replicas.close()
	db.pool.Close()
	return nil
}

// Ping checks that the database answers, for health checks.
func (db *DB) Ping(ctx context.Context) error {
	return db.pool.Ping(ctx)
}

// DataVersion changes whenever what the store serves may have changed: the
// count goes up after each write transaction of this DB commits, so a page
// read after it sees the write, and when another DB on the same database
// (another app server) announces a commit (notify.go). It does no I/O, so
// a page cache can ask it on every request. While the listener is
// disconnected, announcements may be lost, so it changes on every call:
// nothing cached is current.
func (db *DB) DataVersion() uint64 {
	if !db.changes.connected.Load() {
		return db.version.Add(1)
	}
	return db.version.Load()
}

// IsEmpty reports whether the database holds no films, so a new site knows
// to load its seeds.
func (db *DB) IsEmpty(ctx context.Context) (bool, error) {
	var any bool
	if err := db.pool.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM films)").Scan(&any); err != nil {
		return false, fmt.Errorf("count films: %w", err)
	}
	return !any, nil
}

// maxAttempts bounds how often a transaction PostgreSQL aborted for a
// conflict runs again before its error is returned, and maxPause the
// pause before one attempt. Many readers rating one film at once all
// update its aggregate row, and under SERIALIZABLE all but one of the
// transactions that overlap abort; pauses that grow at random spread them
// out, so 200 at once all get through (TestKeptCountsUnderConcurrency).
const (
	maxAttempts = 20
	maxPause    = 100 * time.Millisecond
)

// retryable reports whether err is PostgreSQL asking for the transaction
// to be run again: a serialization failure or a deadlock.
func retryable(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && (pgErr.Code == "40001" || pgErr.Code == "40P01")
}

// inTx runs fn in a transaction with the options given, committing when fn
// returns nil, and runs it again, after a short random pause, when
// PostgreSQL aborts it for a conflict with another transaction; fn must
// therefore do nothing outside the transaction that it cannot repeat.
func (db *DB) inTx(ctx context.Context, opts pgx.TxOptions, fn func(pgx.Tx) error) error {
	for attempt := 1; ; attempt++ {
		err := pgx.BeginTxFunc(ctx, db.pool, opts, fn)
		if err == nil || !retryable(err) || attempt == maxAttempts {
			return err
		}
		// Back off twice as long each time, up to maxPause, at random, so
		// transactions that collided do not collide again in step.
		pause := time.Duration(rand.Int64N(int64(min(time.Millisecond<<attempt, maxPause))))
		select {
		case <-ctx.Done():
			return errors.Join(err, ctx.Err())
		case <-time.After(pause):
		}
	}
}

// inWriteTx runs fn in a SERIALIZABLE transaction (see inTx), announces
// the commit to the other app servers and counts it in DataVersion
// (notify.go).
func (db *DB) inWriteTx(ctx context.Context, fn func(pgx.Tx) error) error {
	err := db.inTx(ctx, pgx.TxOptions{IsoLevel: pgx.Serializable}, func(tx pgx.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		return db.announce(ctx, tx)
	})
	if err == nil {
		db.committed(ctx)
	}
	return err
}

// inPageTx runs fn in a REPEATABLE READ, READ ONLY transaction: every
// statement of fn reads the same snapshot, so a page never mixes two
// moments of the database.
// It runs on a streaming replica when one is fit (replicas.go), else on
// the primary.
func (db *DB) inPageTx(ctx context.Context, fn func(pgx.Tx) error) error {
	if r := db.pickReplica(ctx); r != nil {
		if fallBack, err := r.inPageTx(ctx, db.changes.lsn.Load(), fn); !fallBack {
			return err
		}
	}
	return db.inTx(ctx, pageOptions, fn)
}
