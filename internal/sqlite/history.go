package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"marquee/internal/film"
	"marquee/internal/filmsql"
)

// This file moves a site's history (film.SiteHistory) out of and into a
// database, for marquee copy: the catalogue and the accounts go through
// Dump, ImportWith and the account methods, and what they do not carry
// comes here, every record naming the others by slug, email or key, never
// by id, since ids differ from one database to another.

// DumpHistory reads the site's history in one snapshot. It is held in
// memory whole: a site's history is its desk's work (revisions, audit
// lines, sessions) and what is held back, far less than its readers'
// ratings, which Dump streams.
func (db *DB) DumpHistory(ctx context.Context) (film.SiteHistory, error) {
	var h film.SiteHistory
	err := db.inReadTx(ctx, func(tx *sql.Tx) error {
		d := &historyDump{ctx: ctx, tx: tx, HistoryDump: filmsql.NewHistoryDump()}
		if err := filmsql.DumpHistory(d); err != nil {
			return err
		}
		h = d.H
		return nil
	})
	if err != nil {
		return film.SiteHistory{}, fmt.Errorf("dump history: %w", err)
	}
	return h, nil
}

// historyDump reads one history in one read transaction (see
// filmsql.HistoryReader).
type historyDump struct {
	ctx context.Context
	tx  *sql.Tx
	*filmsql.HistoryDump
}

// each runs query and calls fn for each row; fn scans it.
func (d *historyDump) each(query string, fn func(*sql.Rows) error) error {
	return eachRow(d.ctx, d.tx, query, fn)
}

// parseTimes parses stored times into their destinations: pairs of a
// *time.Time and the sql.NullString read for it.
func parseTimes(pairs ...any) error {
	for i := 0; i+1 < len(pairs); i += 2 {
		t, err := parseTime(pairs[i+1].(sql.NullString))
		if err != nil {
			return err
		}
		*pairs[i].(*time.Time) = t
	}
	return nil
}

func (d *historyDump) ReviewOrigins() error {
	return d.each(`SELECT r.slug, r.created_at, coalesce(u.email, '')
		FROM critic_reviews r LEFT JOIN users u ON u.id = r.created_by ORDER BY r.slug`, func(rows *sql.Rows) error {
		var (
			o       film.ReviewOrigin
			created sql.NullString
		)
		if err := rows.Scan(&o.ReviewSlug, &created, &o.OwnerEmail); err != nil {
			return err
		}
		if err := parseTimes(&o.CreatedAt, created); err != nil {
			return err
		}
		d.H.Reviews = append(d.H.Reviews, o)
		return nil
	})
}

func (d *historyDump) Revisions() error {
	return d.each(`SELECT r.slug, v.number, v.at, coalesce(u.email, ''), v.user_name, v.action,
			coalesce(v.restored_from, 0), v.content
		FROM critic_review_revisions v
			JOIN critic_reviews r ON r.id = v.review_id
			LEFT JOIN users u ON u.id = v.user_id
		ORDER BY r.slug, v.number`, func(rows *sql.Rows) error {
		var (
			v  film.RevisionRecord
			at sql.NullString
		)
		if err := rows.Scan(&v.ReviewSlug, &v.Number, &at, &v.UserEmail, &v.UserName, &v.Action, &v.RestoredFrom, &v.Content); err != nil {
			return err
		}
		if err := parseTimes(&v.At, at); err != nil {
			return err
		}
		d.H.Revisions = append(d.H.Revisions, v)
		return nil
	})
}

func (d *historyDump) Moderations() error {
	return d.each(`SELECT f.slug, r.display_name, r.title, r.created_at, r.moderated_at, coalesce(u.email, '')
		FROM reader_reviews r JOIN films f ON f.id = r.film_id LEFT JOIN users u ON u.id = r.moderated_by
		WHERE r.moderated_at IS NOT NULL OR r.moderated_by IS NOT NULL
		ORDER BY r.created_at, f.slug, r.display_name, r.title`, func(rows *sql.Rows) error {
		var (
			m           film.ModerationRecord
			created, at sql.NullString
		)
		if err := rows.Scan(&m.Review.FilmSlug, &m.Review.DisplayName, &m.Review.Title, &created, &at, &m.ByEmail); err != nil {
			return err
		}
		if err := parseTimes(&m.Review.CreatedAt, created, &m.At, at); err != nil {
			return err
		}
		d.H.Moderations = append(d.H.Moderations, m)
		return nil
	})
}

func (d *historyDump) Changes() error {
	err := d.each(`SELECT slug, created_at, updated_at, reader_reviews_changed_at FROM films ORDER BY slug`, func(rows *sql.Rows) error {
		var (
			c                         = film.ChangeRecord{Kind: film.RedirectFilm}
			created, updated, reviews sql.NullString
		)
		if err := rows.Scan(&c.Slug, &created, &updated, &reviews); err != nil {
			return err
		}
		if err := parseTimes(&c.CreatedAt, created, &c.UpdatedAt, updated, &c.ReaderReviewsChangedAt, reviews); err != nil {
			return err
		}
		d.H.Changes = append(d.H.Changes, c)
		return nil
	})
	if err != nil {
		return err
	}
	return d.each(`SELECT slug, updated_at FROM people ORDER BY slug`, func(rows *sql.Rows) error {
		var (
			c       = film.ChangeRecord{Kind: film.RedirectPerson}
			updated sql.NullString
		)
		if err := rows.Scan(&c.Slug, &updated); err != nil {
			return err
		}
		if err := parseTimes(&c.UpdatedAt, updated); err != nil {
			return err
		}
		d.H.Changes = append(d.H.Changes, c)
		return nil
	})
}

func (d *historyDump) Redirects() error {
	return d.each(`SELECT kind, old_slug, new_slug, created_at FROM slug_redirects ORDER BY kind, old_slug`,
		func(rows *sql.Rows) error {
			var (
				r       film.RedirectRecord
				created sql.NullString
			)
			if err := rows.Scan(&r.Kind, &r.OldSlug, &r.NewSlug, &created); err != nil {
				return err
			}
			if err := parseTimes(&r.CreatedAt, created); err != nil {
				return err
			}
			d.H.Redirects = append(d.H.Redirects, r)
			return nil
		})
}

// HeldBursts reads the held bursts in the order they were made; their
// ratings and votes follow.
func (d *historyDump) HeldBursts() error {
	return d.each(`SELECT b.id, b.kind, f.slug, coalesce(rf.slug, ''), coalesce(rr.display_name, ''),
			coalesce(rr.title, ''), rr.created_at, b.started_at, b.last_at
		FROM held_bursts b
			JOIN films f ON f.id = b.film_id
			LEFT JOIN reader_reviews rr ON rr.id = b.review_id
			LEFT JOIN films rf ON rf.id = rr.film_id
		ORDER BY b.id`, func(rows *sql.Rows) error {
		var (
			id                      int64
			b                       film.BurstRecord
			reviewAt, started, last sql.NullString
		)
		if err := rows.Scan(&id, &b.Kind, &b.FilmSlug, &b.Review.FilmSlug, &b.Review.DisplayName, &b.Review.Title,
			&reviewAt, &started, &last); err != nil {
			return err
		}
		if err := parseTimes(&b.Review.CreatedAt, reviewAt, &b.StartedAt, started, &b.LastAt, last); err != nil {
			return err
		}
		d.AddBurst(id, b)
		return nil
	})
}

func (d *historyDump) HeldRatings() error {
	return d.each(`SELECT r.held_burst, f.slug, rd.token_hash, r.value, r.created_at, r.updated_at
		FROM ratings r JOIN films f ON f.id = r.film_id JOIN readers rd ON rd.id = r.reader_id
		WHERE r.held_burst IS NOT NULL ORDER BY r.held_burst, rd.token_hash`, func(rows *sql.Rows) error {
		var (
			id               int64
			r                film.ReaderRating
			hash             []byte
			created, changed sql.NullString
		)
		if err := rows.Scan(&id, &r.FilmSlug, &hash, &r.Value, &created, &changed); err != nil {
			return err
		}
		if err := parseTimes(&r.CreatedAt, created, &r.UpdatedAt, changed); err != nil {
			return err
		}
		r.Reader = film.ReaderKey(hash)
		b, err := d.Burst(id)
		if err != nil {
			return err
		}
		b.Ratings = append(b.Ratings, r)
		return nil
	})
}

func (d *historyDump) HeldVotes() error {
	return d.each(`SELECT v.held_burst, f.slug, rr.display_name, rr.title, rr.created_at, rd.token_hash, v.created_at
		FROM helpful_votes v
			JOIN reader_reviews rr ON rr.id = v.review_id
			JOIN films f ON f.id = rr.film_id
			JOIN readers rd ON rd.id = v.reader_id
		WHERE v.held_burst IS NOT NULL ORDER BY v.held_burst, rd.token_hash`, func(rows *sql.Rows) error {
		var (
			id              int64
			v               film.HelpfulVote
			hash            []byte
			reviewAt, voted sql.NullString
		)
		if err := rows.Scan(&id, &v.Review.FilmSlug, &v.Review.DisplayName, &v.Review.Title, &reviewAt, &hash, &voted); err != nil {
			return err
		}
		if err := parseTimes(&v.Review.CreatedAt, reviewAt, &v.CreatedAt, voted); err != nil {
			return err
		}
		v.Reader = film.ReaderKey(hash)
		b, err := d.Burst(id)
		if err != nil {
			return err
		}
		b.Votes = append(b.Votes, v)
		return nil
	})
}

// Audit reads the audit log oldest first, naming each line's record by
// its key: a record that is gone (a settled burst, a deleted film) reads
// as no record.
func (d *historyDump) Audit() error {
	return d.each(`SELECT a.at, coalesce(u.email, ''), a.action, a.record_type, coalesce(a.record_id, 0),
			coalesce(CASE a.record_type
				WHEN 'film' THEN (SELECT slug FROM films WHERE id = a.record_id)
				WHEN 'person' THEN (SELECT slug FROM people WHERE id = a.record_id)
				WHEN 'critic_review' THEN (SELECT slug FROM critic_reviews WHERE id = a.record_id)
				WHEN 'user' THEN (SELECT email FROM users WHERE id = a.record_id)
			END, ''),
			coalesce(rf.slug, ''), coalesce(rr.display_name, ''), coalesce(rr.title, ''), rr.created_at,
			a.detail
		FROM audit_log a
			LEFT JOIN users u ON u.id = a.user_id
			LEFT JOIN reader_reviews rr ON a.record_type = 'reader_review' AND rr.id = a.record_id
			LEFT JOIN films rf ON rf.id = rr.film_id
		ORDER BY a.id`, func(rows *sql.Rows) error {
		var (
			l            film.AuditLine
			at, reviewAt sql.NullString
			id           int64
			key          string
			review       film.ReaderReviewKey
		)
		if err := rows.Scan(&at, &l.UserEmail, &l.Action, &l.RecordType, &id, &key,
			&review.FilmSlug, &review.DisplayName, &review.Title, &reviewAt, &l.Detail); err != nil {
			return err
		}
		if err := parseTimes(&l.At, at, &review.CreatedAt, reviewAt); err != nil {
			return err
		}
		l.Record = d.AuditRecordRef(l.RecordType, id, key, review)
		d.H.Audit = append(d.H.Audit, l)
		return nil
	})
}

func (d *historyDump) Sessions() error {
	return d.each(`SELECT s.token_hash, u.email, s.created_at, s.last_seen_at, s.expires_at
		FROM sessions s JOIN users u ON u.id = s.user_id ORDER BY s.created_at, s.token_hash`, func(rows *sql.Rows) error {
		var (
			s                      film.SessionRecord
			created, seen, expires sql.NullString
		)
		if err := rows.Scan(&s.TokenHash, &s.UserEmail, &created, &seen, &expires); err != nil {
			return err
		}
		if err := parseTimes(&s.CreatedAt, created, &s.LastSeenAt, seen, &s.ExpiresAt, expires); err != nil {
			return err
		}
		d.H.Sessions = append(d.H.Sessions, s)
		return nil
	})
}

func (d *historyDump) Secrets() error {
	return d.each(`SELECT key, value FROM settings ORDER BY key`, func(rows *sql.Rows) error {
		var s film.SecretRecord
		if err := rows.Scan(&s.Key, &s.Value); err != nil {
			return err
		}
		d.H.Secrets = append(d.H.Secrets, s)
		return nil
	})
}

// ImportHistory writes h into a database holding the catalogue and the
// accounts it names and no history, in one transaction (see
// film.CatalogStore and filmsql.ImportHistory).
func (db *DB) ImportHistory(ctx context.Context, h film.SiteHistory) error {
	err := db.inWriteTx(ctx, func(tx *sql.Tx) error {
		return filmsql.ImportHistory(filmsql.SQLite, historyTx{newTxWriter(ctx, tx, time.Now())}, h)
	})
	if err != nil {
		return fmt.Errorf("import history: %w", err)
	}
	return nil
}

// historyTx is a write transaction as filmsql.ImportHistory uses it.
type historyTx struct{ w *txWriter }

func (t historyTx) Exec(query string, args ...any) (int64, error) {
	res, err := t.w.exec(query, args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

func (t historyTx) InsertID(query string, args ...any) (int64, error) {
	res, err := t.w.exec(query, args...)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

func (t historyTx) Count(query string) (int, error) {
	var n int
	err := t.w.tx.QueryRowContext(t.w.ctx, query).Scan(&n)
	return n, err
}

func (historyTx) Time(at time.Time) any { return formatTime(at) }

func (t historyTx) UserID(email string) (int64, error) {
	return t.id("SELECT id FROM users WHERE email = ?", email)
}

func (t historyTx) ReviewID(slug string) (int64, error) {
	return t.id("SELECT id FROM critic_reviews WHERE slug = ?", slug)
}

// id runs a query finding one id by key: film.ErrNotFound when it finds
// none.
func (t historyTx) id(query, key string) (int64, error) {
	var id int64
	err := t.w.queryRow(query, key).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, film.ErrNotFound
	}
	return id, err
}

func (t historyTx) FilmID(slug string) (int64, error)   { return t.w.filmID(slug) }
func (t historyTx) PersonID(slug string) (int64, error) { return t.w.personID(slug) }
func (t historyTx) ReaderReviewID(k film.ReaderReviewKey) (int64, error) {
	return t.w.readerReviewID(k)
}
func (t historyTx) ReaderID(key string, since time.Time) (int64, error) {
	return t.w.readerID(key, since)
}

func (t historyTx) SetChangeTimes(c film.ChangeRecord) error {
	var (
		n   int64
		err error
	)
	if c.Kind == film.RedirectFilm {
		// A film that never had an approved reader review keeps ''.
		reviews := formatTime(c.ReaderReviewsChangedAt)
		if reviews == nil {
			reviews = ""
		}
		n, err = t.Exec("UPDATE films SET created_at = ?, updated_at = ?, reader_reviews_changed_at = ? WHERE slug = ?",
			formatTime(c.CreatedAt), formatTime(c.UpdatedAt), reviews, c.Slug)
	} else {
		n, err = t.Exec("UPDATE people SET updated_at = ? WHERE slug = ?", formatTime(c.UpdatedAt), c.Slug)
	}
	if err == nil && n == 0 {
		err = film.ErrNotFound
	}
	return err
}
