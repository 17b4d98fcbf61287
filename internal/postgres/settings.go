package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// Secret returns the site secret stored under key, first storing the value
// made by generate if there is none yet. Secrets live in the database so
// that every server of the site, and every restart, agrees; when two
// servers make one at once, the first stored wins and both return it.
func (db *DB) Secret(ctx context.Context, key string, generate func() ([]byte, error)) ([]byte, error) {
	var value []byte
	err := db.pool.QueryRow(ctx, "SELECT value FROM settings WHERE key = $1", key).Scan(&value)
	if err == nil {
		return value, nil
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("secret %s: %w", key, err)
	}
	made, err := generate()
	if err != nil {
		return nil, fmt.Errorf("secret %s: %w", key, err)
	}
	err = db.inWriteTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING", key, made); err != nil {
			return err
		}
		return tx.QueryRow(ctx, "SELECT value FROM settings WHERE key = $1", key).Scan(&value)
	})
	if err != nil {
		return nil, fmt.Errorf("secret %s: %w", key, err)
	}
	return value, nil
}
