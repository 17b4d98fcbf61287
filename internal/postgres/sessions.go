package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"marquee/internal/film"
)

// This file is internal/sqlite/sessions.go for PostgreSQL: the desk's
// sessions live in the database, so every app server knows every session.

// CreateSession stores a new session for a user, known by the SHA-256 of
// its token, lasting at most until expires; records the sign-in; and
// removes the user's sessions that have expired, so the table does not
// grow with every sign-in.
func (db *DB) CreateSession(ctx context.Context, tokenHash []byte, userID int64, now, expires time.Time) error {
	err := db.inWriteTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "DELETE FROM sessions WHERE user_id = $1 AND expires_at <= $2", userID, timeValue(now)); err != nil {
			return err
		}
		at := timeValue(now)
		if _, err := tx.Exec(ctx, `INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at)
			VALUES ($1, $2, $3, $4, $5)`, tokenHash, userID, at, at, timeValue(expires)); err != nil {
			return err
		}
		return insertAudit(ctx, tx, film.AuditEntry{At: now, UserID: userID, Action: "user.signin", RecordType: "user", RecordID: userID})
	})
	if err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	return nil
}

// sessionQuery reads the session whose token hashes to its argument, with
// its account.
const sessionQuery = `SELECT u.id, u.email, u.name, u.role, u.disabled, u.created_at,
		s.created_at, s.last_seen_at, s.expires_at
	FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1`

// FindSession returns the session whose token hashes to tokenHash, with
// its account, or film.ErrNotFound.
func (db *DB) FindSession(ctx context.Context, tokenHash []byte) (film.Session, error) {
	var s film.Session
	err := db.pool.QueryRow(ctx, sessionQuery, tokenHash).
		Scan(&s.User.ID, &s.User.Email, &s.User.Name, &s.User.Role, &s.User.Disabled, &s.User.CreatedAt, &s.CreatedAt, &s.LastSeenAt, &s.ExpiresAt)
	if err != nil {
		return film.Session{}, fmt.Errorf("find session: %w", errNoRows(err))
	}
	for _, t := range []*time.Time{&s.User.CreatedAt, &s.CreatedAt, &s.LastSeenAt, &s.ExpiresAt} {
		*t = t.UTC()
	}
	return s, nil
}

// TouchSession records that the session was used at now, for the idle
// timeout.
func (db *DB) TouchSession(ctx context.Context, tokenHash []byte, now time.Time) error {
	err := db.inWriteTx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, "UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2 AND last_seen_at < $1", timeValue(now), tokenHash)
		return err
	})
	if err != nil {
		return fmt.Errorf("touch session: %w", err)
	}
	return nil
}

// DeleteSession ends a session that has timed out, without recording a
// sign-out. Ending a session that does not exist is not an error.
func (db *DB) DeleteSession(ctx context.Context, tokenHash []byte) error {
	err := db.inWriteTx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, "DELETE FROM sessions WHERE token_hash = $1", tokenHash)
		return err
	})
	if err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// EndSession signs a session out: it is deleted and the sign-out
// recorded. Ending a session that does not exist is not an error.
func (db *DB) EndSession(ctx context.Context, tokenHash []byte, now time.Time) error {
	err := db.inWriteTx(ctx, func(tx pgx.Tx) error {
		var userID int64
		err := tx.QueryRow(ctx, "DELETE FROM sessions WHERE token_hash = $1 RETURNING user_id", tokenHash).Scan(&userID)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		return insertAudit(ctx, tx, film.AuditEntry{At: now, UserID: userID, Action: "user.signout", RecordType: "user", RecordID: userID})
	})
	if err != nil {
		return fmt.Errorf("end session: %w", err)
	}
	return nil
}

// DeleteExpiredSessions removes every session past its absolute end or
// idle since before idleCutoff, and returns how many it removed.
func (db *DB) DeleteExpiredSessions(ctx context.Context, now, idleCutoff time.Time) (int64, error) {
	var n int64
	err := db.inWriteTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, "DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at < $2", timeValue(now), timeValue(idleCutoff))
		n = tag.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("delete expired sessions: %w", err)
	}
	return n, nil
}
