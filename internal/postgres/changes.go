package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"marquee/internal/film"
)

// The statements of NextChange: the first public critic review due after
// now (read through critic_reviews_public), and the oldest published
// rating still inside the trending window (ratings_published_by_time, as
// on SQLite: a held rating counts nowhere, so its leaving the window
// changes no page).
const (
	nextPublicationQuery = `SELECT min(published_at) FROM critic_reviews
		WHERE status IN ('published', 'scheduled') AND published_at > $1`
	oldestTrendingRatingQuery = `SELECT min(updated_at) FROM ratings WHERE updated_at > $1 AND held_burst IS NULL`
)

// NextChange returns the first moment after now at which public pages
// change by the clock alone: a scheduled critic review going live, or a
// rating leaving the window of what readers are rating now. It returns the
// zero time when nothing is due.
func (db *DB) NextChange(ctx context.Context, now time.Time) (time.Time, error) {
	var next time.Time
	err := db.inPageTx(ctx, func(tx pgx.Tx) error {
		var published, oldest *time.Time
		if err := tx.QueryRow(ctx, nextPublicationQuery, now).Scan(&published); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, oldestTrendingRatingQuery, now.Add(-film.TrendingWindow)).Scan(&oldest); err != nil {
			return err
		}
		if oldest != nil {
			// A rating counts while it is younger than the window.
			t := oldest.Add(film.TrendingWindow)
			oldest = &t
		}
		for _, t := range []*time.Time{published, oldest} {
			if t != nil && (next.IsZero() || t.Before(next)) {
				next = t.UTC()
			}
		}
		return nil
	})
	if err != nil {
		return time.Time{}, fmt.Errorf("next change: %w", err)
	}
	return next, nil
}
