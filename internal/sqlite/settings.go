package sqlite

import (
	"context"
	"database/sql"
	"fmt"
)

// Secret returns the site secret stored under key, first storing the value
// made by generate if there is none yet. Secrets live in the database so
// that every process serving the same file, and every restart, agrees.
func (db *DB) Secret(ctx context.Context, key string, generate func() ([]byte, error)) ([]byte, error) {
	var value []byte
	err := db.inWriteTx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = ?", key).Scan(&value)
		if err == nil {
			return nil
		}
		if err != sql.ErrNoRows {
			return err
		}
		if value, err = generate(); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, "INSERT INTO settings (key, value) VALUES (?, ?)", key, value)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("secret %s: %w", key, err)
	}
	return value, nil
}
