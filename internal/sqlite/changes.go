package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"marquee/internal/film"
)

// DataVersion changes whenever what the store serves may have changed: at
// once when a write transaction of this DB commits (the count goes up after
// the commit, so a page read after it sees the write), and within a poll
// interval when another process writes to the file, if WatchOtherWriters
// runs. It does no I/O, so a page cache can ask it on every request.
func (db *DB) DataVersion() uint64 { return db.version.Load() }

// WatchOtherWriters notices writes made to the database file by other
// processes (an import or a restore while the site runs) and counts them in
// DataVersion, polling every interval until ctx ends or the DB is closed. SQLite's data_version
// pragma changes, on the connection that asks, whenever another connection
// commits; one read connection is kept for asking. The writes of this DB
// are counted twice (at once, and again at the next poll), which costs a
// page cache one extra render each and nothing else.
func (db *DB) WatchOtherWriters(ctx context.Context, interval time.Duration) error {
	ctx, stop := context.WithCancel(ctx)
	go func() {
		select {
		case <-db.watchCtx.Done():
		case <-ctx.Done():
		}
		stop()
	}()
	conn, err := db.read.Conn(ctx)
	if err != nil {
		return fmt.Errorf("watch for other writers: %w", err)
	}
	var last int64
	if err := conn.QueryRowContext(ctx, "PRAGMA data_version").Scan(&last); err != nil {
		conn.Close()
		return fmt.Errorf("watch for other writers: %w", err)
	}
	db.watchers.Add(1)
	go func() {
		defer db.watchers.Done()
		defer conn.Close()
		tick := time.NewTicker(interval)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			var v int64
			if err := conn.QueryRowContext(ctx, "PRAGMA data_version").Scan(&v); err != nil {
				if ctx.Err() != nil {
					return
				}
				// The pages cannot be known to be current: count a change,
				// so nothing is served from a cache on a guess.
				db.countChange()
				continue
			}
			if v != last {
				last = v
				db.countChange()
			}
		}
	}()
	return nil
}

// The statements of NextChange: the first public critic review due after
// now, and the oldest published rating still inside the trending window.
const (
	nextPublicationQuery = `SELECT min(published_at) FROM critic_reviews INDEXED BY critic_reviews_public
		WHERE status IN ('published', 'scheduled') AND published_at > ?`
	oldestTrendingRatingQuery = `SELECT min(updated_at) FROM ratings INDEXED BY ratings_published_by_time
		WHERE updated_at > ? AND held_burst IS NULL`
)

// NextChange returns the first moment after now at which public pages
// change by the clock alone: a scheduled critic review going live, or a
// rating leaving the window of what readers are rating now. It returns the
// zero time when nothing is due.
func (db *DB) NextChange(ctx context.Context, now time.Time) (time.Time, error) {
	var next time.Time
	err := db.inReadTx(ctx, func(tx *sql.Tx) error {
		var published, oldest sql.NullString
		if err := tx.QueryRowContext(ctx, nextPublicationQuery, now.UTC().Format(timeLayout)).Scan(&published); err != nil {
			return err
		}
		since := now.Add(-film.TrendingWindow).UTC().Format(timeLayout)
		if err := tx.QueryRowContext(ctx, oldestTrendingRatingQuery, since).Scan(&oldest); err != nil {
			return err
		}
		p, err := parseTime(published)
		if err != nil {
			return err
		}
		o, err := parseTime(oldest)
		if err != nil {
			return err
		}
		if !o.IsZero() {
			// A rating counts while it is younger than the window.
			o = o.Add(film.TrendingWindow)
		}
		for _, t := range []time.Time{p, o} {
			if !t.IsZero() && (next.IsZero() || t.Before(next)) {
				next = t
			}
		}
		return nil
	})
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, fmt.Errorf("next change: %w", err)
	}
	return next, nil
}
