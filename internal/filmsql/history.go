package filmsql

import (
	"errors"
	"fmt"
	"time"

	"marquee/internal/film"
)

// This file holds what both stores do alike to write a site's history
// (film.SiteHistory) into a database for marquee copy: which rows each
// record becomes, in which order, and how a record named by its key finds
// its id. The statements that differ (finding an account by email, the
// change times, each store's kind of time) stay with the store, behind
// HistoryTx.

// HistoryTx is a store's write transaction as ImportHistory uses it.
type HistoryTx interface {
	// Exec runs a statement and returns how many rows it changed.
	Exec(query string, args ...any) (int64, error)
	// InsertID runs an INSERT of one row (with RETURNING id where the
	// dialect needs it) and returns the row's id.
	InsertID(query string, args ...any) (int64, error)
	// Count runs a query giving one count.
	Count(query string) (int, error)
	// Time is t as the store writes a time, NULL for the zero time.
	Time(t time.Time) any
	// UserID, ReviewID, FilmID, PersonID and ReaderReviewID find a
	// record's id by its key, or film.ErrNotFound.
	UserID(email string) (int64, error)
	ReviewID(slug string) (int64, error)
	FilmID(slug string) (int64, error)
	PersonID(slug string) (int64, error)
	ReaderReviewID(k film.ReaderReviewKey) (int64, error)
	// ReaderID finds or makes the reader with the key, first seen at since.
	ReaderID(key string, since time.Time) (int64, error)
	// SetChangeTimes sets when a film or person was made and last
	// changed: film.ErrNotFound when it is not there.
	SetChangeTimes(c film.ChangeRecord) error
}

// historyStatements are the statements ImportHistory runs, in one dialect.
type historyStatements struct {
	held, clearAudit, reviewOrigin, revision, moderation, redirect,
	burst, heldRating, heldVote, audit, session, secret string
}

// historySQL holds the statements of each dialect, bound once.
var historySQL = map[Dialect]historyStatements{
	SQLite:     newHistoryStatements(SQLite),
	PostgreSQL: newHistoryStatements(PostgreSQL),
}

func newHistoryStatements(d Dialect) historyStatements {
	// PostgreSQL keeps a revision's content as json, given as text so it is
	// kept byte for byte, and gives a new row's id back with RETURNING.
	content, returning := "?", ""
	if d == PostgreSQL {
		content, returning = "?::text::json", "\n\t\t\tRETURNING id"
	}
	return historyStatements{
		// The audit lines that writing the accounts into a new database
		// records (CreateUser, SetUserDisabled) give way to the source's
		// own log; any other history means the database has its own.
		held: `SELECT (SELECT count(*) FROM critic_review_revisions)
			+ (SELECT count(*) FROM slug_redirects) + (SELECT count(*) FROM held_bursts) + (SELECT count(*) FROM sessions)
			+ (SELECT count(*) FROM audit_log WHERE action NOT IN ('user.add', 'user.disable'))`,
		clearAudit:   `DELETE FROM audit_log`,
		reviewOrigin: d.Bind("UPDATE critic_reviews SET created_at = ?, created_by = ? WHERE id = ?"),
		revision: d.Bind(`INSERT INTO critic_review_revisions (review_id, number, at, user_id, user_name, action, restored_from, content)
			VALUES (?, ?, ?, ?, ?, ?, ?, ` + content + `)`),
		moderation: d.Bind("UPDATE reader_reviews SET moderated_at = ?, moderated_by = ? WHERE id = ?"),
		redirect:   d.Bind(`INSERT INTO slug_redirects (kind, old_slug, new_slug, created_at) VALUES (?, ?, ?, ?)`),
		burst:      d.Bind(`INSERT INTO held_bursts (kind, film_id, review_id, started_at, last_at) VALUES (?, ?, ?, ?, ?)` + returning),
		heldRating: d.Bind(`INSERT INTO ratings (film_id, reader_id, value, created_at, updated_at, held_burst) VALUES (?, ?, ?, ?, ?, ?)
				ON CONFLICT (film_id, reader_id) DO UPDATE SET value = excluded.value, created_at = excluded.created_at,
					updated_at = excluded.updated_at, held_burst = excluded.held_burst`),
		heldVote: d.Bind(`INSERT INTO helpful_votes (review_id, reader_id, created_at, held_burst) VALUES (?, ?, ?, ?)
				ON CONFLICT (review_id, reader_id) DO UPDATE SET created_at = excluded.created_at, held_burst = excluded.held_burst`),
		audit:   d.Bind(`INSERT INTO audit_log (at, user_id, action, record_type, record_id, detail) VALUES (?, ?, ?, ?, ?, ?)`),
		session: d.Bind(`INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?)`),
		secret:  d.Bind(`INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`),
	}
}

// ImportHistory writes h through tx, a write transaction of a store
// speaking d, into a database holding the catalogue and the accounts h
// names and no history (see film.CatalogStore): film.ErrConflict when it
// holds history of its own. The caller wraps the error.
func ImportHistory(d Dialect, tx HistoryTx, h film.SiteHistory) error {
	sql := historySQL[d]
	held, err := tx.Count(sql.held)
	if err != nil {
		return err
	}
	if held > 0 {
		return fmt.Errorf("the database holds history of its own (revisions, redirects, held ratings, sessions or an audit log): %w", film.ErrConflict)
	}
	if _, err := tx.Exec(sql.clearAudit); err != nil {
		return err
	}
	im := &historyImport{tx: tx, sql: sql, users: map[string]int64{}}
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
}

// historyImport writes one history in one write transaction.
type historyImport struct {
	tx  HistoryTx
	sql historyStatements
	// users maps an email to the account's id; bursts holds the id of
	// each burst of the history, in its order.
	users  map[string]int64
	bursts []int64
}

func (im *historyImport) exec(query string, args ...any) error {
	_, err := im.tx.Exec(query, args...)
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
	id, err := im.tx.UserID(email)
	if errors.Is(err, film.ErrNotFound) {
		return nil, fmt.Errorf("account %s: %w", email, film.ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	im.users[email] = id
	return id, nil
}

func (im *historyImport) reviewID(slug string) (int64, error) {
	id, err := im.tx.ReviewID(slug)
	if errors.Is(err, film.ErrNotFound) {
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
		if err := im.exec(im.sql.reviewOrigin, im.tx.Time(o.CreatedAt), owner, id); err != nil {
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
		if err := im.exec(im.sql.revision, id, v.Number, im.tx.Time(v.At), user, v.UserName, v.Action,
			NullIfZero(v.RestoredFrom), v.Content); err != nil {
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
		id, err := im.tx.ReaderReviewID(m.Review)
		if err != nil {
			return err
		}
		if err := im.exec(im.sql.moderation, im.tx.Time(m.At), by, id); err != nil {
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
		case film.RedirectFilm, film.RedirectPerson:
			err = im.tx.SetChangeTimes(c)
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
		if err := im.exec(im.sql.redirect, string(r.Kind), r.OldSlug, r.NewSlug, im.tx.Time(r.CreatedAt)); err != nil {
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
	tx := im.tx
	for _, b := range h.Bursts {
		filmID, err := tx.FilmID(b.FilmSlug)
		if err != nil {
			return err
		}
		var reviewID any
		if b.Kind == film.BurstVotes {
			if reviewID, err = tx.ReaderReviewID(b.Review); err != nil {
				return err
			}
		}
		burst, err := tx.InsertID(im.sql.burst, string(b.Kind), filmID, reviewID, tx.Time(b.StartedAt), tx.Time(b.LastAt))
		if err != nil {
			return fmt.Errorf("%s burst of %s: %w", b.Kind, b.FilmSlug, err)
		}
		im.bursts = append(im.bursts, burst)
		for _, r := range b.Ratings {
			ratedID, err := tx.FilmID(r.FilmSlug)
			if err != nil {
				return err
			}
			reader, err := tx.ReaderID(r.Reader, r.CreatedAt)
			if err != nil {
				return err
			}
			if err := im.exec(im.sql.heldRating, ratedID, reader, r.Value, tx.Time(r.CreatedAt), tx.Time(r.UpdatedAt), burst); err != nil {
				return fmt.Errorf("held rating of %s: %w", r.FilmSlug, err)
			}
		}
		for _, v := range b.Votes {
			review, err := tx.ReaderReviewID(v.Review)
			if err != nil {
				return err
			}
			reader, err := tx.ReaderID(v.Reader, v.CreatedAt)
			if err != nil {
				return err
			}
			if err := im.exec(im.sql.heldVote, review, reader, tx.Time(v.CreatedAt), burst); err != nil {
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
		if err := im.exec(im.sql.audit, im.tx.Time(l.At), user, l.Action, l.RecordType, record, l.Detail); err != nil {
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
		id, err = im.tx.FilmID(ref.Slug)
	case film.AuditPerson:
		id, err = im.tx.PersonID(ref.Slug)
	case film.AuditCriticReview:
		id, err = im.reviewID(ref.Slug)
	case film.AuditReaderReview:
		if ref.ReaderReview == nil {
			return nil, nil
		}
		id, err = im.tx.ReaderReviewID(*ref.ReaderReview)
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
		if err := im.exec(im.sql.session, s.TokenHash, user, im.tx.Time(s.CreatedAt), im.tx.Time(s.LastSeenAt), im.tx.Time(s.ExpiresAt)); err != nil {
			return fmt.Errorf("a session of %s: %w", s.UserEmail, err)
		}
	}
	return nil
}

func (im *historyImport) secrets(h film.SiteHistory) error {
	for _, s := range h.Secrets {
		if err := im.exec(im.sql.secret, s.Key, s.Value); err != nil {
			return fmt.Errorf("%s: %w", s.Key, err)
		}
	}
	return nil
}

// HistoryReader reads a site's history out of a store, part by part, in
// one snapshot: each method reads one part into the HistoryDump it holds.
// The held bursts come before their ratings and votes, and all three
// before the audit log, which names bursts by their place.
type HistoryReader interface {
	ReviewOrigins() error
	Revisions() error
	Moderations() error
	Changes() error
	Redirects() error
	HeldBursts() error
	HeldRatings() error
	HeldVotes() error
	Audit() error
	Sessions() error
	Secrets() error
}

// DumpHistory reads every part of a history through r, in order. The
// caller wraps the error.
func DumpHistory(r HistoryReader) error {
	steps := []struct {
		what string
		run  func() error
	}{
		{"critic review owners", r.ReviewOrigins},
		{"revisions", r.Revisions},
		{"moderations", r.Moderations},
		{"change times", r.Changes},
		{"redirects", r.Redirects},
		{"held bursts", r.HeldBursts},
		{"held ratings", r.HeldRatings},
		{"held votes", r.HeldVotes},
		{"audit log", r.Audit},
		{"sessions", r.Sessions},
		{"secrets", r.Secrets},
	}
	for _, s := range steps {
		if err := s.run(); err != nil {
			return fmt.Errorf("%s: %w", s.what, err)
		}
	}
	return nil
}

// HistoryDump is a history as a HistoryReader reads it.
type HistoryDump struct {
	H film.SiteHistory
	// bursts maps a held burst's id to its index in H.Bursts.
	bursts map[int64]int
}

// NewHistoryDump returns an empty dump.
func NewHistoryDump() *HistoryDump { return &HistoryDump{bursts: map[int64]int{}} }

// AddBurst adds the held burst b, with the id the store knows it by.
func (d *HistoryDump) AddBurst(id int64, b film.BurstRecord) {
	d.bursts[id] = len(d.H.Bursts)
	d.H.Bursts = append(d.H.Bursts, b)
}

// Burst returns the dumped burst with the id a held row names.
func (d *HistoryDump) Burst(id int64) (*film.BurstRecord, error) {
	i, ok := d.bursts[id]
	if !ok {
		return nil, fmt.Errorf("held burst %d is not in the dump", id)
	}
	return &d.H.Bursts[i], nil
}

// AuditRecordRef names the record of an audit line of type recordType and
// id: key is the slug or email the dump found for it, review the reader
// review it found. A held burst is named by its place in the dump.
func (d *HistoryDump) AuditRecordRef(recordType string, id int64, key string, review film.ReaderReviewKey) film.RecordRef {
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
		if i, ok := d.bursts[id]; ok {
			return film.RecordRef{Burst: i + 1}
		}
	}
	return film.RecordRef{}
}
