package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"marquee/internal/film"
	"marquee/internal/filmsql"
)

// insertAudit records an entry in the audit log inside the caller's write
// transaction, so the change and its record commit or roll back together.
// The caller sets e.At; a zero UserID (the command line, the system) is
// stored as NULL, as is a zero RecordID.
func insertAudit(ctx context.Context, tx pgx.Tx, e film.AuditEntry) error {
	if e.At.IsZero() {
		return fmt.Errorf("audit %s: no time given", e.Action)
	}
	_, err := tx.Exec(ctx, `INSERT INTO audit_log (at, user_id, action, record_type, record_id, detail)
		VALUES ($1, $2, $3, $4, $5, $6)`,
		timeValue(e.At), nullIfZero(e.UserID), e.Action, e.RecordType, nullIfZero(e.RecordID), e.Detail)
	if err != nil {
		return fmt.Errorf("audit %s: %w", e.Action, err)
	}
	return nil
}

// AuditLog returns the entries the filter selects, newest first, and how
// many it selects in all. UserName is the account's name at the time of
// reading, or "" for the command line.
func (db *DB) AuditLog(ctx context.Context, f film.AuditFilter) ([]film.AuditEntry, int, error) {
	countQuery, pageQuery, args := filmsql.AuditLogQueries(filmsql.PostgreSQL, f)
	limit := filmsql.LimitArg(filmsql.PostgreSQL, f.Limit)
	var (
		entries []film.AuditEntry
		total   int
	)
	err := db.inPageTx(ctx, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, countQuery, args...).Scan(&total); err != nil {
			return err
		}
		var err error
		entries, err = scanAll(ctx, tx, pageQuery, append(args, limit, f.Offset), scanAuditEntry)
		return err
	})
	if err != nil {
		return nil, 0, fmt.Errorf("audit log: %w", err)
	}
	return entries, total, nil
}

func scanAuditEntry(rows pgx.Rows) (film.AuditEntry, error) {
	var (
		e  film.AuditEntry
		at time.Time
	)
	err := rows.Scan(&e.ID, &at, &e.UserID, &e.UserName, &e.Action, &e.RecordType, &e.RecordID, &e.Detail)
	e.At = at.UTC()
	return e, err
}
