package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"marquee/internal/film"
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
		d := &historyDump{ctx: ctx, tx: tx, h: &h, bursts: map[int64]int{}}
		steps := []struct {
			what string
			run  func() error
		}{
			{"critic review owners", d.reviewOrigins},
			{"revisions", d.revisions},
			{"moderations", d.moderations},
			{"change times", d.changes},
			{"redirects", d.redirects},
			{"held bursts", d.heldBursts},
			{"held ratings", d.heldRatings},
			{"held votes", d.heldVotes},
			{"audit log", d.audit},
			{"sessions", d.sessions},
			{"secrets", d.secrets},
		}
		for _, s := range steps {
			if err := s.run(); err != nil {
				return fmt.Errorf("%s: %w", s.what, err)
			}
		}
		return nil
	})
	if err != nil {
		return film.SiteHistory{}, fmt.Errorf("dump history: %w", err)
	}
	return h, nil
}

// historyDump reads one history in one read transaction.
type historyDump struct {
	ctx context.Context
	tx  *sql.Tx
	h   *film.SiteHistory
	// bursts maps a held burst's id to its index in h.Bursts.
	bursts map[int64]int
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

func (d *historyDump) reviewOrigins() error {
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
		d.h.Reviews = append(d.h.Reviews, o)
		return nil
	})
}

func (d *historyDump) revisions() error {
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
		d.h.Revisions = append(d.h.Revisions, v)
		return nil
	})
}

func (d *historyDump) moderations() error {
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
		d.h.Moderations = append(d.h.Moderations, m)
		return nil
	})
}

func (d *historyDump) changes() error {
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
		d.h.Changes = append(d.h.Changes, c)
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
		d.h.Changes = append(d.h.Changes, c)
		return nil
	})
}

func (d *historyDump) redirects() error {
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
			d.h.Redirects = append(d.h.Redirects, r)
			return nil
		})
}

// heldBursts reads the held bursts in the order they were made; their
// ratings and votes follow.
func (d *historyDump) heldBursts() error {
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
		d.bursts[id] = len(d.h.Bursts)
		d.h.Bursts = append(d.h.Bursts, b)
		return nil
	})
}

// burst returns the dumped burst with the id a held row names.
func (d *historyDump) burst(id int64) (*film.BurstRecord, error) {
	i, ok := d.bursts[id]
	if !ok {
		return nil, fmt.Errorf("held burst %d is not in the dump", id)
	}
	return &d.h.Bursts[i], nil
}

func (d *historyDump) heldRatings() error {
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
		b, err := d.burst(id)
		if err != nil {
			return err
		}
		b.Ratings = append(b.Ratings, r)
		return nil
	})
}

func (d *historyDump) heldVotes() error {
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
		b, err := d.burst(id)
		if err != nil {
			return err
		}
		b.Votes = append(b.Votes, v)
		return nil
	})
}

// audit reads the audit log oldest first, naming each line's record by
// its key: a record that is gone (a settled burst, a deleted film) reads
// as no record.
func (d *historyDump) audit() error {
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
		l.Record = auditRecordRef(l.RecordType, id, key, review, d.bursts)
		d.h.Audit = append(d.h.Audit, l)
		return nil
	})
}

// auditRecordRef names the record of an audit line of type recordType and
// id: key is the slug or email the dump found for it, review the reader
// review it found, bursts the places of the held bursts.
func auditRecordRef(recordType string, id int64, key string, review film.ReaderReviewKey, bursts map[int64]int) film.RecordRef {
	switch recordType {
	case film.AuditFilm, film.AuditPerson, film.AuditCriticReview:
		return film.RecordRef{Slug: key}
	case film.AuditUser:
		return film.RecordRef{Email: key}
	case film.AuditReaderReview:
		if review.FilmSlug != "" {
			return film.RecordRef{ReaderReview: &review}
		}
	case film.AuditHeldBurst:
		if i, ok := bursts[id]; ok {
			return film.RecordRef{Burst: i + 1}
		}
	}
	return film.RecordRef{}
}

func (d *historyDump) sessions() error {
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
		d.h.Sessions = append(d.h.Sessions, s)
		return nil
	})
}

func (d *historyDump) secrets() error {
	return d.each(`SELECT key, value FROM settings ORDER BY key`, func(rows *sql.Rows) error {
		var s film.SecretRecord
		if err := rows.Scan(&s.Key, &s.Value); err != nil {
			return err
		}
		d.h.Secrets = append(d.h.Secrets, s)
		return nil
	})
}

// accountLines are the audit actions that writing the accounts into a new
// database records (CreateUser, SetUserDisabled), which ImportHistory
// replaces with the source's own log.
const accountLines = `'user.add', 'user.disable'`

// ImportHistory writes h into a database holding the catalogue and the
// accounts it names and no history, in one transaction (see
// film.CatalogStore).
func (db *DB) ImportHistory(ctx context.Context, h film.SiteHistory) error {
	err := db.inWriteTx(ctx, func(tx *sql.Tx) error {
		var held int
		if err := tx.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM critic_review_revisions)
			+ (SELECT count(*) FROM slug_redirects) + (SELECT count(*) FROM held_bursts) + (SELECT count(*) FROM sessions)
			+ (SELECT count(*) FROM audit_log WHERE action NOT IN (`+accountLines+`))`).Scan(&held); err != nil {
			return err
		}
		if held > 0 {
			return fmt.Errorf("the database holds history of its own (revisions, redirects, held ratings, sessions or an audit log): %w", film.ErrConflict)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM audit_log`); err != nil {
			return err
		}
		im := &historyImport{w: newTxWriter(ctx, tx, time.Now()), users: map[string]int64{}}
		steps := []struct {
			what string
			run  func(film.SiteHistory) error
		}{
			{"critic review owners", im.reviewOrigins},
			{"revisions", im.revisions},
			{"moderations", im.moderations},
			{"redirects", im.redirects},
			{"held bursts", im.heldBursts},
			{"audit log", im.audit},
			{"sessions", im.sessions},
			{"secrets", im.secrets},
			{"change times", im.changes},
		}
		for _, s := range steps {
			if err := s.run(h); err != nil {
				return fmt.Errorf("%s: %w", s.what, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("import history: %w", err)
	}
	return nil
}

// historyImport writes one history in one write transaction.
type historyImport struct {
	w *txWriter
	// users maps an email to the account's id; bursts holds the id of
	// each burst of the history, in its order.
	users  map[string]int64
	bursts []int64
}

func (im *historyImport) exec(query string, args ...any) error {
	_, err := im.w.exec(query, args...)
	return err
}

// execOne runs a statement that must change one row: film.ErrNotFound
// when it changes none.
func (im *historyImport) execOne(query string, args ...any) error {
	res, err := im.w.exec(query, args...)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return errors.Join(film.ErrNotFound, err)
	}
	return nil
}

// userID returns the id of the account with the email, nil for no email,
// or film.ErrNotFound.
func (im *historyImport) userID(email string) (any, error) {
	if email == "" {
		return nil, nil
	}
	if id, ok := im.users[email]; ok {
		return id, nil
	}
	var id int64
	err := im.w.queryRow("SELECT id FROM users WHERE email = ?", email).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("account %s: %w", email, film.ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	im.users[email] = id
	return id, nil
}

func (im *historyImport) reviewID(slug string) (int64, error) {
	var id int64
	err := im.w.queryRow("SELECT id FROM critic_reviews WHERE slug = ?", slug).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("critic review %q: %w", slug, film.ErrNotFound)
	}
	return id, err
}

func (im *historyImport) reviewOrigins(h film.SiteHistory) error {
	for _, o := range h.Reviews {
		owner, err := im.userID(o.OwnerEmail)
		if err != nil {
			return err
		}
		id, err := im.reviewID(o.ReviewSlug)
		if err != nil {
			return err
		}
		if err := im.exec("UPDATE critic_reviews SET created_at = ?, created_by = ? WHERE id = ?",
			formatTime(o.CreatedAt), owner, id); err != nil {
			return fmt.Errorf("%s: %w", o.ReviewSlug, err)
		}
	}
	return nil
}

func (im *historyImport) revisions(h film.SiteHistory) error {
	ids := map[string]int64{}
	for _, v := range h.Revisions {
		id, ok := ids[v.ReviewSlug]
		if !ok {
			var err error
			if id, err = im.reviewID(v.ReviewSlug); err != nil {
				return err
			}
			ids[v.ReviewSlug] = id
		}
		user, err := im.userID(v.UserEmail)
		if err != nil {
			return err
		}
		if err := im.exec(`INSERT INTO critic_review_revisions (review_id, number, at, user_id, user_name, action, restored_from, content)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, id, v.Number, formatTime(v.At), user, v.UserName, v.Action,
			nullIfZero(v.RestoredFrom), v.Content); err != nil {
			return fmt.Errorf("%s revision %d: %w", v.ReviewSlug, v.Number, err)
		}
	}
	return nil
}

func (im *historyImport) moderations(h film.SiteHistory) error {
	for _, m := range h.Moderations {
		by, err := im.userID(m.ByEmail)
		if err != nil {
			return err
		}
		id, err := im.w.readerReviewID(m.Review)
		if err != nil {
			return err
		}
		if err := im.exec("UPDATE reader_reviews SET moderated_at = ?, moderated_by = ? WHERE id = ?", formatTime(m.At), by, id); err != nil {
			return fmt.Errorf("%s: %w", m.Review, err)
		}
	}
	return nil
}

// changes sets when each film and person was made and last changed, last
// of all, so nothing written before moves them again.
func (im *historyImport) changes(h film.SiteHistory) error {
	for _, c := range h.Changes {
		var err error
		switch c.Kind {
		case film.RedirectFilm:
			// A film that never had an approved reader review keeps ''.
			reviews := formatTime(c.ReaderReviewsChangedAt)
			if reviews == nil {
				reviews = ""
			}
			err = im.execOne("UPDATE films SET created_at = ?, updated_at = ?, reader_reviews_changed_at = ? WHERE slug = ?",
				formatTime(c.CreatedAt), formatTime(c.UpdatedAt), reviews, c.Slug)
		case film.RedirectPerson:
			err = im.execOne("UPDATE people SET updated_at = ? WHERE slug = ?", formatTime(c.UpdatedAt), c.Slug)
		default:
			err = fmt.Errorf("no change times for a %q", c.Kind)
		}
		if err != nil {
			return fmt.Errorf("%s %s: %w", c.Kind, c.Slug, err)
		}
	}
	return nil
}

func (im *historyImport) redirects(h film.SiteHistory) error {
	for _, r := range h.Redirects {
		if err := im.exec(`INSERT INTO slug_redirects (kind, old_slug, new_slug, created_at) VALUES (?, ?, ?, ?)`,
			string(r.Kind), r.OldSlug, r.NewSlug, formatTime(r.CreatedAt)); err != nil {
			return fmt.Errorf("%s %s → %s: %w", r.Kind, r.OldSlug, r.NewSlug, err)
		}
	}
	return nil
}

// heldBursts writes each burst and what it holds. A held row whose reader
// already has a rating of the film, or a vote on the review, in the
// catalogue (the rating a review of theirs carries) takes that row's
// place held, and the triggers take it out of the published counts.
func (im *historyImport) heldBursts(h film.SiteHistory) error {
	w := im.w
	for _, b := range h.Bursts {
		filmID, err := w.filmID(b.FilmSlug)
		if err != nil {
			return err
		}
		var reviewID any
		if b.Kind == film.BurstVotes {
			if reviewID, err = w.readerReviewID(b.Review); err != nil {
				return err
			}
		}
		res, err := w.exec(`INSERT INTO held_bursts (kind, film_id, review_id, started_at, last_at) VALUES (?, ?, ?, ?, ?)`,
			string(b.Kind), filmID, reviewID, formatTime(b.StartedAt), formatTime(b.LastAt))
		if err != nil {
			return fmt.Errorf("%s burst of %s: %w", b.Kind, b.FilmSlug, err)
		}
		burst, err := res.LastInsertId()
		if err != nil {
			return err
		}
		im.bursts = append(im.bursts, burst)
		for _, r := range b.Ratings {
			ratedID, err := w.filmID(r.FilmSlug)
			if err != nil {
				return err
			}
			reader, err := w.readerID(r.Reader, r.CreatedAt)
			if err != nil {
				return err
			}
			if err := im.exec(`INSERT INTO ratings (film_id, reader_id, value, created_at, updated_at, held_burst) VALUES (?, ?, ?, ?, ?, ?)
				ON CONFLICT (film_id, reader_id) DO UPDATE SET value = excluded.value, created_at = excluded.created_at,
					updated_at = excluded.updated_at, held_burst = excluded.held_burst`,
				ratedID, reader, r.Value, formatTime(r.CreatedAt), formatTime(r.UpdatedAt), burst); err != nil {
				return fmt.Errorf("held rating of %s: %w", r.FilmSlug, err)
			}
		}
		for _, v := range b.Votes {
			review, err := w.readerReviewID(v.Review)
			if err != nil {
				return err
			}
			reader, err := w.readerID(v.Reader, v.CreatedAt)
			if err != nil {
				return err
			}
			if err := im.exec(`INSERT INTO helpful_votes (review_id, reader_id, created_at, held_burst) VALUES (?, ?, ?, ?)
				ON CONFLICT (review_id, reader_id) DO UPDATE SET created_at = excluded.created_at, held_burst = excluded.held_burst`,
				review, reader, formatTime(v.CreatedAt), burst); err != nil {
				return fmt.Errorf("held vote on %s: %w", v.Review, err)
			}
		}
	}
	return nil
}

// audit writes the log in its order, each line's record found by its
// key; a record the database lacks leaves the line without one.
func (im *historyImport) audit(h film.SiteHistory) error {
	for _, l := range h.Audit {
		user, err := im.userID(l.UserEmail)
		if err != nil {
			return err
		}
		record, err := im.auditRecordID(l.RecordType, l.Record)
		if err != nil {
			return err
		}
		if err := im.exec(`INSERT INTO audit_log (at, user_id, action, record_type, record_id, detail) VALUES (?, ?, ?, ?, ?, ?)`,
			formatTime(l.At), user, l.Action, l.RecordType, record, l.Detail); err != nil {
			return fmt.Errorf("%s at %s: %w", l.Action, l.At.Format(time.RFC3339), err)
		}
	}
	return nil
}

// auditRecordID returns the id of the record ref names, or nil when it
// names none or the database lacks it.
func (im *historyImport) auditRecordID(recordType string, ref film.RecordRef) (any, error) {
	if ref.IsZero() {
		return nil, nil
	}
	var (
		id  int64
		err error
	)
	switch recordType {
	case film.AuditFilm:
		id, err = im.w.filmID(ref.Slug)
	case film.AuditPerson:
		id, err = im.w.personID(ref.Slug)
	case film.AuditCriticReview:
		id, err = im.reviewID(ref.Slug)
	case film.AuditReaderReview:
		if ref.ReaderReview == nil {
			return nil, nil
		}
		id, err = im.w.readerReviewID(*ref.ReaderReview)
	case film.AuditUser:
		var user any
		if user, err = im.userID(ref.Email); err == nil {
			id = user.(int64)
		}
	case film.AuditHeldBurst:
		if ref.Burst < 1 || ref.Burst > len(im.bursts) {
			return nil, nil
		}
		id = im.bursts[ref.Burst-1]
	default:
		return nil, nil
	}
	if errors.Is(err, film.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return id, nil
}

func (im *historyImport) sessions(h film.SiteHistory) error {
	for _, s := range h.Sessions {
		user, err := im.userID(s.UserEmail)
		if err != nil {
			return err
		}
		if user == nil {
			return fmt.Errorf("a session names no account: %w", film.ErrNotFound)
		}
		if err := im.exec(`INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
			s.TokenHash, user, formatTime(s.CreatedAt), formatTime(s.LastSeenAt), formatTime(s.ExpiresAt)); err != nil {
			return fmt.Errorf("a session of %s: %w", s.UserEmail, err)
		}
	}
	return nil
}

func (im *historyImport) secrets(h film.SiteHistory) error {
	for _, s := range h.Secrets {
		if err := im.exec(`INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
			s.Key, s.Value); err != nil {
			return fmt.Errorf("%s: %w", s.Key, err)
		}
	}
	return nil
}
