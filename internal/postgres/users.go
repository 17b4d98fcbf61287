package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"marquee/internal/film"
)

// This file is internal/sqlite/users.go for PostgreSQL: the desk's
// accounts. Emails are compared without regard to case through
// lower(email), which the unique index users_by_email keys.

// userColumns is the select list scanUser reads; userByIDQuery and
// userByEmailQuery read the account with the id or the email their
// argument gives.
const (
	userColumns      = "id, email, name, role, disabled, created_at FROM users"
	userByIDQuery    = "SELECT " + userColumns + " WHERE id = $1"
	userByEmailQuery = "SELECT " + userColumns + " WHERE lower(email) = lower($1)"
)

func scanUser(rows pgx.Rows) (film.User, error) {
	var (
		u       film.User
		created time.Time
	)
	err := rows.Scan(&u.ID, &u.Email, &u.Name, &u.Role, &u.Disabled, &created)
	u.CreatedAt = created.UTC()
	return u, err
}

// findUser returns the one user the query finds, or film.ErrNotFound.
func findUser(ctx context.Context, q querier, query string, arg any) (film.User, error) {
	users, err := scanAll(ctx, q, query, []any{arg}, scanUser)
	if err != nil {
		return film.User{}, err
	}
	if len(users) == 0 {
		return film.User{}, film.ErrNotFound
	}
	return users[0], nil
}

// FindUser returns the account with the given id, or film.ErrNotFound.
func (db *DB) FindUser(ctx context.Context, id int64) (film.User, error) {
	u, err := findUser(ctx, db.pool, userByIDQuery, id)
	if err != nil {
		return film.User{}, fmt.Errorf("find user %d: %w", id, err)
	}
	return u, nil
}

// FindUserByEmail returns the account with the given email, compared
// without regard to case, or film.ErrNotFound.
func (db *DB) FindUserByEmail(ctx context.Context, email string) (film.User, error) {
	u, err := findUser(ctx, db.pool, userByEmailQuery, email)
	if err != nil {
		return film.User{}, fmt.Errorf("find user %q: %w", email, err)
	}
	return u, nil
}

// FindCredentials returns the account with the given email and its stored
// password hash, for signing in, or film.ErrNotFound. Disabled accounts
// are returned too: the caller decides what they may do.
func (db *DB) FindCredentials(ctx context.Context, email string) (film.User, string, error) {
	var hash string
	u, err := findUser(ctx, db.pool, userByEmailQuery, email)
	if err == nil {
		err = db.pool.QueryRow(ctx, "SELECT password_hash FROM users WHERE id = $1", u.ID).Scan(&hash)
	}
	if err != nil {
		return film.User{}, "", fmt.Errorf("credentials of %q: %w", email, errNoRows(err))
	}
	return u, hash, nil
}

// FindUsers returns every account, in the order they were made.
func (db *DB) FindUsers(ctx context.Context) ([]film.User, error) {
	users, err := scanAll(ctx, db.pool, "SELECT "+userColumns+" ORDER BY id", nil, scanUser)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	return users, nil
}

// CountUsers returns how many accounts there are, disabled ones included.
func (db *DB) CountUsers(ctx context.Context) (int, error) {
	var n int
	if err := db.pool.QueryRow(ctx, "SELECT count(*) FROM users").Scan(&n); err != nil {
		return 0, fmt.Errorf("count users: %w", err)
	}
	return n, nil
}

// CreateUser stores a new account with the given password hash and
// records who made it (actor, 0 for the command line) in the audit log.
// It returns the account with its id, or film.ErrConflict when the email
// is taken (also when another server took it a moment before: the unique
// index answers then). u.CreatedAt is the time of the change.
func (db *DB) CreateUser(ctx context.Context, u film.User, passwordHash string, actor int64) (film.User, error) {
	err := db.inWriteTx(ctx, func(tx pgx.Tx) error {
		var taken bool
		if err := tx.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM users WHERE lower(email) = lower($1))", u.Email).Scan(&taken); err != nil {
			return err
		}
		if taken {
			return fmt.Errorf("email %q is taken: %w", u.Email, film.ErrConflict)
		}
		err := tx.QueryRow(ctx, `INSERT INTO users (email, name, role, password_hash, disabled, created_at)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, u.Email, u.Name, string(u.Role), passwordHash, u.Disabled, timeValue(u.CreatedAt)).
			Scan(&u.ID)
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) && pgErr.Code == "23505" {
			return fmt.Errorf("email %q is taken: %w", u.Email, film.ErrConflict)
		}
		if err != nil {
			return err
		}
		return insertAudit(ctx, tx, film.AuditEntry{
			At: u.CreatedAt, UserID: actor, Action: "user.add", RecordType: "user", RecordID: u.ID,
			Detail: fmt.Sprintf("%s (%s)", u.Email, u.Role),
		})
	})
	if err != nil {
		return film.User{}, fmt.Errorf("create user: %w", err)
	}
	u.CreatedAt = storedTime(u.CreatedAt)
	return u, nil
}

// SetUserDisabled disables an account (ending its sessions at once) or
// enables it again, and records the change. It returns film.ErrNotFound
// when there is no such account.
func (db *DB) SetUserDisabled(ctx context.Context, id int64, disabled bool, actor int64, now time.Time) error {
	err := db.inWriteTx(ctx, func(tx pgx.Tx) error {
		u, err := findUser(ctx, tx, userByIDQuery, id)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "UPDATE users SET disabled = $1 WHERE id = $2", disabled, id); err != nil {
			return err
		}
		action := "user.enable"
		if disabled {
			action = "user.disable"
			if _, err := tx.Exec(ctx, "DELETE FROM sessions WHERE user_id = $1", id); err != nil {
				return err
			}
		}
		return insertAudit(ctx, tx, film.AuditEntry{At: now, UserID: actor, Action: action, RecordType: "user", RecordID: id, Detail: u.Email})
	})
	if err != nil {
		return fmt.Errorf("set user %d disabled=%t: %w", id, disabled, err)
	}
	return nil
}

// SetPassword replaces an account's password hash, ends its sessions, and
// records the reset. It returns film.ErrNotFound when there is no such
// account.
func (db *DB) SetPassword(ctx context.Context, id int64, passwordHash string, actor int64, now time.Time) error {
	err := db.inWriteTx(ctx, func(tx pgx.Tx) error {
		u, err := findUser(ctx, tx, userByIDQuery, id)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "UPDATE users SET password_hash = $1 WHERE id = $2", passwordHash, id); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "DELETE FROM sessions WHERE user_id = $1", id); err != nil {
			return err
		}
		return insertAudit(ctx, tx, film.AuditEntry{At: now, UserID: actor, Action: "user.reset_password", RecordType: "user", RecordID: id, Detail: u.Email})
	})
	if err != nil {
		return fmt.Errorf("set password of user %d: %w", id, err)
	}
	return nil
}

// UpgradePasswordHash replaces an account's hash with one of the same
// password made with stronger parameters, unless the stored hash changed
// meanwhile. It is not a password change: sessions stay and nothing is
// audited.
func (db *DB) UpgradePasswordHash(ctx context.Context, id int64, oldHash, newHash string) error {
	err := db.inWriteTx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, "UPDATE users SET password_hash = $1 WHERE id = $2 AND password_hash = $3", newHash, id, oldHash)
		return err
	})
	if err != nil {
		return fmt.Errorf("upgrade password hash of user %d: %w", id, err)
	}
	return nil
}

// errNoRows turns pgx.ErrNoRows into film.ErrNotFound.
func errNoRows(err error) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return film.ErrNotFound
	}
	return err
}
