package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"marquee/internal/film"
)

// This file moves a site's history (film.SiteHistory) out of and into a
// database, as internal/sqlite's history.go does, for marquee copy: every
// record names the others by slug, email or key, never by id, since ids
// differ from one database to another.

// DumpHistory reads the site's history in one snapshot of the primary (a
// copy must see every commit), held in memory whole: a site's history is
// its desk's work and what is held back, far less than its readers'
// ratings, which Dump streams.
func (db *DB) DumpHistory(ctx context.Context) (film.SiteHistory, error) {
	var h film.SiteHistory
	err := db.inTx(ctx, pageOptions, func(tx pgx.Tx) error {
		h = film.SiteHistory{}
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
	tx  pgx.Tx
	h   *film.SiteHistory
	// bursts maps a held burst's id to its index in h.Bursts.
	bursts map[int64]int
}

func (d *historyDump) each(query string, fn func(pgx.Rows) error) error {
	return eachRow(d.ctx, d.tx, query, fn)
}

func (d *historyDump) reviewOrigins() error {
	return d.each(`SELECT r.slug, r.created_at, coalesce(u.email, '')
		FROM critic_reviews r LEFT JOIN users u ON u.id = r.created_by ORDER BY r.slug`, func(rows pgx.Rows) error {
		var o film.ReviewOrigin
		if err := rows.Scan(&o.ReviewSlug, &o.CreatedAt, &o.OwnerEmail); err != nil {
			return err
		}
		o.CreatedAt = o.CreatedAt.UTC()
		d.h.Reviews = append(d.h.Reviews, o)
		return nil
	})
}

func (d *historyDump) revisions() error {
	return d.each(`SELECT r.slug, v.number, v.at, coalesce(u.email, ''), v.user_name, v.action,
			coalesce(v.restored_from, 0), v.content::text
		FROM critic_review_revisions v
			JOIN critic_reviews r ON r.id = v.review_id
			LEFT JOIN users u ON u.id = v.user_id
		ORDER BY r.slug, v.number`, func(rows pgx.Rows) error {
		var v film.RevisionRecord
		if err := rows.Scan(&v.ReviewSlug, &v.Number, &v.At, &v.UserEmail, &v.UserName, &v.Action, &v.RestoredFrom, &v.Content); err != nil {
			return err
		}
		v.At = v.At.UTC()
		d.h.Revisions = append(d.h.Revisions, v)
		return nil
	})
}

func (d *historyDump) moderations() error {
	return d.each(`SELECT f.slug, r.display_name, r.title, r.created_at, r.moderated_at, coalesce(u.email, '')
		FROM reader_reviews r JOIN films f ON f.id = r.film_id LEFT JOIN users u ON u.id = r.moderated_by
		WHERE r.moderated_at IS NOT NULL OR r.moderated_by IS NOT NULL
		ORDER BY r.created_at, f.slug, r.display_name, r.title`, func(rows pgx.Rows) error {
		var (
			m  film.ModerationRecord
			at *time.Time
		)
		if err := rows.Scan(&m.Review.FilmSlug, &m.Review.DisplayName, &m.Review.Title, &m.Review.CreatedAt, &at, &m.ByEmail); err != nil {
			return err
		}
		m.Review.CreatedAt, m.At = m.Review.CreatedAt.UTC(), readTime(at)
		d.h.Moderations = append(d.h.Moderations, m)
		return nil
	})
}

func (d *historyDump) changes() error {
	// A film that never had an approved reader review has '-infinity',
	// which reads as the zero time.
	err := d.each(`SELECT slug, created_at, updated_at,
			CASE WHEN isfinite(reader_reviews_changed_at) THEN reader_reviews_changed_at END
		FROM films ORDER BY slug`, func(rows pgx.Rows) error {
		var (
			c       = film.ChangeRecord{Kind: film.RedirectFilm}
			reviews *time.Time
		)
		if err := rows.Scan(&c.Slug, &c.CreatedAt, &c.UpdatedAt, &reviews); err != nil {
			return err
		}
		c.CreatedAt, c.UpdatedAt, c.ReaderReviewsChangedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC(), readTime(reviews)
		d.h.Changes = append(d.h.Changes, c)
		return nil
	})
	if err != nil {
		return err
	}
	return d.each(`SELECT slug, updated_at FROM people ORDER BY slug`, func(rows pgx.Rows) error {
		c := film.ChangeRecord{Kind: film.RedirectPerson}
		if err := rows.Scan(&c.Slug, &c.UpdatedAt); err != nil {
			return err
		}
		c.UpdatedAt = c.UpdatedAt.UTC()
		d.h.Changes = append(d.h.Changes, c)
		return nil
	})
}

func (d *historyDump) redirects() error {
	return d.each(`SELECT kind, old_slug, new_slug, created_at FROM slug_redirects ORDER BY kind COLLATE "C", old_slug`,
		func(rows pgx.Rows) error {
			var r film.RedirectRecord
			if err := rows.Scan(&r.Kind, &r.OldSlug, &r.NewSlug, &r.CreatedAt); err != nil {
				return err
			}
			r.CreatedAt = r.CreatedAt.UTC()
			d.h.Redirects = append(d.h.Redirects, r)
			return nil
		})
}

// heldBursts reads the held bursts in the order they were made; their
// ratings and votes follow.
func (d *historyDump) heldBursts() error {
	return d.each(`SELECT b.id, b.kind, f.slug, coalesce(rf.slug::text, ''), coalesce(rr.display_name, ''),
			coalesce(rr.title, ''), rr.created_at, b.started_at, b.last_at
		FROM held_bursts b
			JOIN films f ON f.id = b.film_id
			LEFT JOIN reader_reviews rr ON rr.id = b.review_id
			LEFT JOIN films rf ON rf.id = rr.film_id
		ORDER BY b.id`, func(rows pgx.Rows) error {
		var (
			id       int64
			b        film.BurstRecord
			reviewAt *time.Time
		)
		if err := rows.Scan(&id, &b.Kind, &b.FilmSlug, &b.Review.FilmSlug, &b.Review.DisplayName, &b.Review.Title,
			&reviewAt, &b.StartedAt, &b.LastAt); err != nil {
			return err
		}
		b.Review.CreatedAt, b.StartedAt, b.LastAt = readTime(reviewAt), b.StartedAt.UTC(), b.LastAt.UTC()
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
		WHERE r.held_burst IS NOT NULL ORDER BY r.held_burst, rd.token_hash`, func(rows pgx.Rows) error {
		var (
			id   int64
			r    film.ReaderRating
			hash []byte
		)
		if err := rows.Scan(&id, &r.FilmSlug, &hash, &r.Value, &r.CreatedAt, &r.UpdatedAt); err != nil {
			return err
		}
		r.Reader, r.CreatedAt, r.UpdatedAt = film.ReaderKey(hash), r.CreatedAt.UTC(), r.UpdatedAt.UTC()
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
		WHERE v.held_burst IS NOT NULL ORDER BY v.held_burst, rd.token_hash`, func(rows pgx.Rows) error {
		var (
			id   int64
			v    film.HelpfulVote
			hash []byte
		)
		if err := rows.Scan(&id, &v.Review.FilmSlug, &v.Review.DisplayName, &v.Review.Title, &v.Review.CreatedAt, &hash, &v.CreatedAt); err != nil {
			return err
		}
		v.Reader, v.Review.CreatedAt, v.CreatedAt = film.ReaderKey(hash), v.Review.CreatedAt.UTC(), v.CreatedAt.UTC()
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
				WHEN 'film' THEN (SELECT slug::text FROM films WHERE id = a.record_id)
				WHEN 'person' THEN (SELECT slug::text FROM people WHERE id = a.record_id)
				WHEN 'critic_review' THEN (SELECT slug::text FROM critic_reviews WHERE id = a.record_id)
				WHEN 'user' THEN (SELECT email FROM users WHERE id = a.record_id)
			END, ''),
			coalesce(rf.slug::text, ''), coalesce(rr.display_name, ''), coalesce(rr.title, ''), rr.created_at,
			a.detail
		FROM audit_log a
			LEFT JOIN users u ON u.id = a.user_id
			LEFT JOIN reader_reviews rr ON a.record_type = 'reader_review' AND rr.id = a.record_id
			LEFT JOIN films rf ON rf.id = rr.film_id
		ORDER BY a.id`, func(rows pgx.Rows) error {
		var (
			l        film.AuditLine
			id       int64
			key      string
			review   film.ReaderReviewKey
			reviewAt *time.Time
		)
		if err := rows.Scan(&l.At, &l.UserEmail, &l.Action, &l.RecordType, &id, &key,
			&review.FilmSlug, &review.DisplayName, &review.Title, &reviewAt, &l.Detail); err != nil {
			return err
		}
		l.At, review.CreatedAt = l.At.UTC(), readTime(reviewAt)
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
		FROM sessions s JOIN users u ON u.id = s.user_id ORDER BY s.created_at, s.token_hash`, func(rows pgx.Rows) error {
		var s film.SessionRecord
		if err := rows.Scan(&s.TokenHash, &s.UserEmail, &s.CreatedAt, &s.LastSeenAt, &s.ExpiresAt); err != nil {
			return err
		}
		s.CreatedAt, s.LastSeenAt, s.ExpiresAt = s.CreatedAt.UTC(), s.LastSeenAt.UTC(), s.ExpiresAt.UTC()
		d.h.Sessions = append(d.h.Sessions, s)
		return nil
	})
}

func (d *historyDump) secrets() error {
	return d.each(`SELECT key, value FROM settings ORDER BY key COLLATE "C"`, func(rows pgx.Rows) error {
		var s film.SecretRecord
		if err := rows.Scan(&s.Key, &s.Value); err != nil {
			return err
		}
		d.h.Secrets = append(d.h.Secrets, s)
		return nil
	})
}

// ImportHistory writes h into a database holding the catalogue and the
// accounts it names and no history, in one transaction (see
// film.CatalogStore). The audit lines that writing the accounts records
// (CreateUser, SetUserDisabled) give way to h's own log.
func (db *DB) ImportHistory(ctx context.Context, h film.SiteHistory) error {
	err := db.inWriteTx(ctx, func(tx pgx.Tx) error {
		var held int
		if err := tx.QueryRow(ctx, `SELECT (SELECT count(*) FROM critic_review_revisions)
			+ (SELECT count(*) FROM slug_redirects) + (SELECT count(*) FROM held_bursts) + (SELECT count(*) FROM sessions)
			+ (SELECT count(*) FROM audit_log WHERE action NOT IN ('user.add', 'user.disable'))`).Scan(&held); err != nil {
			return err
		}
		if held > 0 {
			return fmt.Errorf("the database holds history of its own (revisions, redirects, held ratings, sessions or an audit log): %w", film.ErrConflict)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM audit_log`); err != nil {
			return err
		}
		// A transaction that runs again starts from nothing it learnt.
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
	n, err := im.w.exec(query, args...)
	if err == nil && n == 0 {
		err = film.ErrNotFound
	}
	return err
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
	err := im.w.tx.QueryRow(im.w.ctx, "SELECT id FROM users WHERE lower(email) = lower($1)", email).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
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
	err := im.w.tx.QueryRow(im.w.ctx, "SELECT id FROM critic_reviews WHERE slug = $1", slug).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
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
		if err := im.exec("UPDATE critic_reviews SET created_at = $1, created_by = $2 WHERE id = $3",
			timeValue(o.CreatedAt), owner, id); err != nil {
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
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8::text::json)`, id, v.Number, timeValue(v.At), user, v.UserName, v.Action,
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
		if err := im.exec("UPDATE reader_reviews SET moderated_at = $1, moderated_by = $2 WHERE id = $3", timeValue(m.At), by, id); err != nil {
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
			// A film that never had an approved reader review keeps
			// '-infinity'.
			err = im.execOne(`UPDATE films SET created_at = $1, updated_at = $2,
				reader_reviews_changed_at = coalesce($3::timestamptz, '-infinity') WHERE slug = $4`,
				storedTime(c.CreatedAt), storedTime(c.UpdatedAt), timeValue(c.ReaderReviewsChangedAt), c.Slug)
		case film.RedirectPerson:
			err = im.execOne("UPDATE people SET updated_at = $1 WHERE slug = $2", storedTime(c.UpdatedAt), c.Slug)
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
		if err := im.exec(`INSERT INTO slug_redirects (kind, old_slug, new_slug, created_at) VALUES ($1, $2, $3, $4)`,
			string(r.Kind), r.OldSlug, r.NewSlug, timeValue(r.CreatedAt)); err != nil {
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
		burst, err := w.insertID(`INSERT INTO held_bursts (kind, film_id, review_id, started_at, last_at) VALUES ($1, $2, $3, $4, $5)
			RETURNING id`, string(b.Kind), filmID, reviewID, timeValue(b.StartedAt), timeValue(b.LastAt))
		if err != nil {
			return fmt.Errorf("%s burst of %s: %w", b.Kind, b.FilmSlug, err)
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
			if err := im.exec(`INSERT INTO ratings (film_id, reader_id, value, created_at, updated_at, held_burst) VALUES ($1, $2, $3, $4, $5, $6)
				ON CONFLICT (film_id, reader_id) DO UPDATE SET value = excluded.value, created_at = excluded.created_at,
					updated_at = excluded.updated_at, held_burst = excluded.held_burst`,
				ratedID, reader, r.Value, timeValue(r.CreatedAt), timeValue(r.UpdatedAt), burst); err != nil {
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
			if err := im.exec(`INSERT INTO helpful_votes (review_id, reader_id, created_at, held_burst) VALUES ($1, $2, $3, $4)
				ON CONFLICT (review_id, reader_id) DO UPDATE SET created_at = excluded.created_at, held_burst = excluded.held_burst`,
				review, reader, timeValue(v.CreatedAt), burst); err != nil {
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
		if err := im.exec(`INSERT INTO audit_log (at, user_id, action, record_type, record_id, detail) VALUES ($1, $2, $3, $4, $5, $6)`,
			timeValue(l.At), user, l.Action, l.RecordType, record, l.Detail); err != nil {
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
		if err := im.exec(`INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $4, $5)`,
			s.TokenHash, user, timeValue(s.CreatedAt), timeValue(s.LastSeenAt), timeValue(s.ExpiresAt)); err != nil {
			return fmt.Errorf("a session of %s: %w", s.UserEmail, err)
		}
	}
	return nil
}

func (im *historyImport) secrets(h film.SiteHistory) error {
	for _, s := range h.Secrets {
		if err := im.exec(`INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
			s.Key, s.Value); err != nil {
			return fmt.Errorf("%s: %w", s.Key, err)
		}
	}
	return nil
}
