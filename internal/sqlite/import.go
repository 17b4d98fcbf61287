package sqlite

import (
	"context"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"marquee/internal/film"
	"marquee/internal/filmsql"
)

// Import adds the records of c that the database does not hold yet, leaving
// those it holds as they are, all in one transaction. It is how the seeds
// load: see ImportWith.
func (db *DB) Import(ctx context.Context, c film.Catalog) (film.ImportReport, error) {
	return db.ImportWith(ctx, c, film.ImportOptions{})
}

// ImportWith loads c in one transaction: if any record fails, nothing is
// written. Records are matched with those stored by their natural keys
// (people, films and critic reviews by slug; reader reviews by film, display
// name, title and time; ratings by film and reader; helpful votes by review
// and reader). A record not stored is added. A stored record equal to the
// imported one is left unchanged, so importing the same catalogue twice
// changes nothing; one that differs is replaced when opts.UpdateExisting is
// set, and left as it is otherwise. A film is replaced whole, its credits
// and lists rewritten, but keeps its id, so its reviews and ratings stay
// attached. Nothing is ever deleted.
//
// The caller validates c first (see internal/catalog); references to people,
// films or reviews that exist neither in c nor in the database fail the
// import with film.ErrNotFound.
func (db *DB) ImportWith(ctx context.Context, c film.Catalog, opts film.ImportOptions) (film.ImportReport, error) {
	var report film.ImportReport
	err := db.inWriteTx(ctx, func(tx *sql.Tx) error {
		report = film.ImportReport{}
		w := newTxWriter(ctx, tx, time.Now())
		im := importer{w: w, update: opts.UpdateExisting, report: &report, readerSince: filmsql.FirstSeen(c)}
		return filmsql.Import(c, &im, &report)
	})
	if err != nil {
		return film.ImportReport{}, fmt.Errorf("import: %w", err)
	}
	return report, nil
}

// importer matches each record of a catalogue with the stored one and adds,
// replaces or leaves it.
type importer struct {
	w      *txWriter
	update bool
	report *film.ImportReport
	// readerSince is the earliest time each reader in the catalogue
	// appears, which a reader created by the import is given.
	readerSince map[string]time.Time
}

func (im *importer) Person(p film.Person) (filmsql.Outcome, error) {
	w := im.w
	id, err := w.personID(p.Slug)
	return filmsql.Match(err, im.update,
		func() error {
			_, err := w.insertPerson(p)
			return err
		},
		func() (bool, error) {
			var stored film.Person
			if err := w.queryRow("SELECT name, "+filmsql.PersonDetailColumns+" FROM people WHERE id = ?", id).
				Scan(append([]any{&stored.Name}, filmsql.PersonDetailDest(&stored)...)...); err != nil {
				return false, err
			}
			aliases, err := stringList(w.ctx, w.tx, "SELECT name FROM person_aliases WHERE person_id = ? ORDER BY position", id)
			return stored.Name == p.Name && filmsql.SamePersonDetails(stored, p) && slices.Equal(aliases, p.AlsoKnownAs), err
		},
		func() error {
			if _, err := w.exec("UPDATE people SET name = ?, updated_at = ?, "+personDetailAssignments+" WHERE id = ?",
				append(append([]any{p.Name, w.now}, filmsql.PersonDetailValues(p)...), id)...); err != nil {
				return err
			}
			if _, err := w.exec("DELETE FROM person_aliases WHERE person_id = ?", id); err != nil {
				return err
			}
			return w.insertAliases(id, p)
		})
}

func (im *importer) Film(f film.Film) (filmsql.Outcome, error) {
	w := im.w
	id, err := w.filmID(f.Slug)
	return filmsql.Match(err, im.update,
		func() error {
			_, err := w.insertFilm(f)
			return err
		},
		func() (bool, error) {
			stored, err := findFilm(w.ctx, w.tx, f.Slug)
			if err != nil {
				return false, err
			}
			return filmsql.SameFilm(stored, f)
		},
		func() error { return w.replaceFilm(id, f) })
}

func (im *importer) CriticReview(r film.CriticReview) (filmsql.Outcome, error) {
	w := im.w
	stored, err := scanAll(w.ctx, w.tx, "SELECT "+filmsql.CriticReviewColumns+" WHERE r.slug = ?", []any{r.Slug}, scanCriticReview)
	if err == nil && len(stored) == 0 {
		err = film.ErrNotFound
	}
	return filmsql.Match(err, im.update,
		func() error { return w.insertCriticReview(r) },
		func() (bool, error) { return filmsql.SameCriticReview(stored[0], r) },
		func() error { return w.updateCriticReview(stored[0].ID, r) })
}

func (im *importer) ReaderReview(r film.ReaderReview) (filmsql.Outcome, error) {
	w := im.w
	id, err := w.readerReviewID(r.Key())
	var stored film.ReaderReview
	return filmsql.Match(err, im.update,
		func() error {
			_, err := w.insertReaderReview(r)
			return err
		},
		func() (bool, error) {
			err := w.queryRow("SELECT rating, body, spoilers, status FROM reader_reviews WHERE id = ?", id).
				Scan(&stored.Rating, &stored.Body, &stored.Spoilers, &stored.Status)
			return stored.Rating == r.Rating && stored.Body == r.Body && stored.Spoilers == r.Spoilers && stored.Status == r.Status, err
		},
		func() error {
			if _, err := w.exec("UPDATE reader_reviews SET rating = ?, body = ?, spoilers = ?, status = ? WHERE id = ?",
				r.Rating, r.Body, r.Spoilers, string(r.Status), id); err != nil {
				return err
			}
			// A review that is or was public changes its film's list of
			// approved reviews now; the row holds no time for the triggers
			// to use.
			if stored.Status == film.ModerationApproved || r.Status == film.ModerationApproved {
				if _, err := w.exec(`UPDATE films SET reader_reviews_changed_at = max(reader_reviews_changed_at, ?)
					WHERE id = (SELECT film_id FROM reader_reviews WHERE id = ?)`, w.now, id); err != nil {
					return err
				}
			}
			return nil
		})
}

func (im *importer) Rating(r film.ReaderRating) (filmsql.Outcome, error) {
	w := im.w
	filmID, err := w.filmID(r.FilmSlug)
	if err != nil {
		return 0, err
	}
	readerID, err := w.readerID(r.Reader, im.readerSince[r.Reader])
	if err != nil {
		return 0, err
	}
	return filmsql.MatchInserted(func() (bool, error) { return w.insertRating(filmID, readerID, r) }, im.update,
		func() (bool, error) {
			var (
				value            int
				created, changed string
			)
			err := w.queryRow("SELECT value, created_at, updated_at FROM ratings WHERE film_id = ? AND reader_id = ?", filmID, readerID).
				Scan(&value, &created, &changed)
			return value == r.Value && created == formatTime(r.CreatedAt) && changed == formatTime(r.UpdatedAt), err
		},
		func() error {
			_, err := w.exec("UPDATE ratings SET value = ?, created_at = ?, updated_at = ? WHERE film_id = ? AND reader_id = ?",
				r.Value, formatTime(r.CreatedAt), formatTime(r.UpdatedAt), filmID, readerID)
			return err
		})
}

func (im *importer) HelpfulVote(v film.HelpfulVote) (filmsql.Outcome, error) {
	w := im.w
	reviewID, err := w.readerReviewID(v.Review)
	if err != nil {
		return 0, err
	}
	readerID, err := w.readerID(v.Reader, im.readerSince[v.Reader])
	if err != nil {
		return 0, err
	}
	return filmsql.MatchInserted(func() (bool, error) { return w.insertHelpfulVote(reviewID, readerID, v.CreatedAt) }, im.update,
		func() (bool, error) {
			var created string
			err := w.queryRow("SELECT created_at FROM helpful_votes WHERE review_id = ? AND reader_id = ?", reviewID, readerID).
				Scan(&created)
			return created == formatTime(v.CreatedAt), err
		},
		func() error {
			_, err := w.exec("UPDATE helpful_votes SET created_at = ? WHERE review_id = ? AND reader_id = ?", formatTime(v.CreatedAt), reviewID, readerID)
			return err
		})
}

// txWriter writes catalogue records in one transaction. It prepares each
// statement once, so a loop that runs the same insert a million times parses
// it once, and remembers the ids of the people, films and readers it has
// looked up or added.
type txWriter struct {
	ctx   context.Context
	tx    *sql.Tx
	now   string
	stmts map[string]*sql.Stmt
	ids   *idCache
}

// idCache maps natural keys to row ids. A bulk load keeps one across its
// transactions.
type idCache struct {
	people, films, readers map[string]int64
}

func newIDCache() *idCache {
	return &idCache{people: map[string]int64{}, films: map[string]int64{}, readers: map[string]int64{}}
}

func newTxWriter(ctx context.Context, tx *sql.Tx, now time.Time) *txWriter {
	return &txWriter{ctx: ctx, tx: tx, now: now.UTC().Format(timeLayout), stmts: map[string]*sql.Stmt{}, ids: newIDCache()}
}

// stmt returns query prepared on the transaction; the statements close with
// it.
func (w *txWriter) stmt(query string) (*sql.Stmt, error) {
	if s, ok := w.stmts[query]; ok {
		return s, nil
	}
	s, err := w.tx.PrepareContext(w.ctx, query)
	if err != nil {
		return nil, err
	}
	w.stmts[query] = s
	return s, nil
}

func (w *txWriter) exec(query string, args ...any) (sql.Result, error) {
	s, err := w.stmt(query)
	if err != nil {
		return nil, err
	}
	return s.ExecContext(w.ctx, args...)
}

// row is a single-row result that may carry the error of preparing its
// statement.
type row struct {
	r   *sql.Row
	err error
}

func (r row) Scan(dest ...any) error {
	if r.err != nil {
		return r.err
	}
	return r.r.Scan(dest...)
}

func (w *txWriter) queryRow(query string, args ...any) row {
	s, err := w.stmt(query)
	if err != nil {
		return row{err: err}
	}
	return row{r: s.QueryRowContext(w.ctx, args...)}
}

// idBySlug finds the id of the row in table with the given slug; table is
// always a constant from this package.
func idBySlug(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, table, slug string) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, "SELECT id FROM "+table+" WHERE slug = ?", slug).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("%s %q: %w", table, slug, film.ErrNotFound)
	}
	if err != nil {
		return 0, fmt.Errorf("find %s %q: %w", table, slug, err)
	}
	return id, nil
}

// cachedID looks slug up in cache, then in table.
func (w *txWriter) cachedID(cache map[string]int64, table, slug string) (int64, error) {
	if id, ok := cache[slug]; ok {
		return id, nil
	}
	var id int64
	err := w.queryRow("SELECT id FROM "+table+" WHERE slug = ?", slug).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("%s %q: %w", table, slug, film.ErrNotFound)
	}
	if err != nil {
		return 0, fmt.Errorf("find %s %q: %w", table, slug, err)
	}
	cache[slug] = id
	return id, nil
}

func (w *txWriter) personID(slug string) (int64, error) {
	return w.cachedID(w.ids.people, "people", slug)
}
func (w *txWriter) filmID(slug string) (int64, error) { return w.cachedID(w.ids.films, "films", slug) }

// lookup finds people and films for the checks of filmsql.
func (w *txWriter) lookup() filmsql.Lookup {
	return filmsql.Lookup{FilmID: w.filmID, PersonID: w.personID}
}

// readerID returns the id of the reader with the given key, creating the
// reader, as first seen at since, if there is none.
func (w *txWriter) readerID(key string, since time.Time) (int64, error) {
	if id, ok := w.ids.readers[key]; ok {
		return id, nil
	}
	hash, err := hex.DecodeString(key)
	if err != nil || !film.ValidReaderKey(key) {
		return 0, fmt.Errorf("reader key %q is not 64 lower-case hexadecimal digits", key)
	}
	var id int64
	err = w.queryRow("SELECT id FROM readers WHERE token_hash = ?", hash).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		if since.IsZero() {
			since = time.Now()
		}
		var res sql.Result
		if res, err = w.exec("INSERT INTO readers (token_hash, created_at) VALUES (?, ?)", hash, formatTime(since)); err == nil {
			id, err = res.LastInsertId()
		}
	}
	if err != nil {
		return 0, fmt.Errorf("reader %s: %w", key, err)
	}
	w.ids.readers[key] = id
	return id, nil
}

// readerReviewID finds a reader review by its key, or film.ErrNotFound.
func (w *txWriter) readerReviewID(k film.ReaderReviewKey) (int64, error) {
	filmID, err := w.filmID(k.FilmSlug)
	if err != nil {
		return 0, err
	}
	var id int64
	err = w.queryRow(`SELECT id FROM reader_reviews
		WHERE film_id = ? AND created_at = ? AND display_name = ? AND title = ? ORDER BY id LIMIT 1`,
		filmID, formatTime(k.CreatedAt), k.DisplayName, k.Title).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("reader review %s: %w", k.Normalized(), film.ErrNotFound)
	}
	return id, err
}

func (w *txWriter) insertPerson(p film.Person) (int64, error) {
	res, err := w.exec("INSERT INTO people (slug, name, updated_at, "+filmsql.PersonDetailColumns+") VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		append([]any{p.Slug, p.Name, w.now}, filmsql.PersonDetailValues(p)...)...)
	if err != nil {
		return 0, err
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, err
	}
	w.ids.people[p.Slug] = id
	return id, w.insertAliases(id, p)
}

func (w *txWriter) insertAliases(id int64, p film.Person) error {
	for i, aka := range p.AlsoKnownAs {
		if _, err := w.exec("INSERT INTO person_aliases (person_id, position, name) VALUES (?, ?, ?)", id, i, aka); err != nil {
			return fmt.Errorf("alias %d: %w", i, err)
		}
	}
	return nil
}

func (w *txWriter) insertFilm(f film.Film) (int64, error) {
	res, err := w.exec(`INSERT INTO films (`+filmColumns+`, created_at, updated_at)
		VALUES `+valuesRow(len(filmsql.FilmFields)+2), append(filmValues(f), w.now, w.now)...)
	if err != nil {
		return 0, err
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, err
	}
	w.ids.films[f.Slug] = id
	return id, w.insertFilmRecord(id, f)
}

// replaceFilm rewrites film id with f's record, keeping the id so that
// everything attached to the film (reviews, ratings) stays attached.
func (w *txWriter) replaceFilm(id int64, f film.Film) error {
	if _, err := w.exec(`UPDATE films SET (`+filmColumns+`, updated_at)
		= `+valuesRow(len(filmsql.FilmFields)+1)+` WHERE id = ?`, append(filmValues(f), w.now, id)...); err != nil {
		return err
	}
	if err := w.deleteFilmRecord(id); err != nil {
		return err
	}
	return w.insertFilmRecord(id, f)
}

// deleteFilmRecord clears every list of film id's record, in the reverse
// of the order they are written, so no row outlives what it refers to.
func (w *txWriter) deleteFilmRecord(id int64) error {
	for i := len(recordLists) - 1; i >= 0; i-- {
		table := recordLists[i].Table
		if _, err := w.exec("DELETE FROM "+table+" WHERE film_id = ?", id); err != nil {
			return fmt.Errorf("clear %s: %w", table, err)
		}
	}
	return nil
}

// valuesRow is "(?, ?, ?)" for n values.
func valuesRow(n int) string { return "(" + strings.TrimSuffix(strings.Repeat("?, ", n), ", ") + ")" }

// insertFilmRecord writes the child rows of film id, one statement per row.
func (w *txWriter) insertFilmRecord(id int64, f film.Film) error {
	for _, r := range filmRecordRows(id, f) {
		values := slices.Clone(r.values)
		for i, v := range values {
			var err error
			switch ref := v.(type) {
			case personRef:
				values[i], err = w.personID(string(ref))
			case companyRef:
				values[i], err = w.companyID(string(ref))
			}
			if err != nil {
				return fmt.Errorf("%s: %w", r.what, err)
			}
		}
		if _, err := w.exec("INSERT INTO "+r.table+" ("+r.columns+") VALUES "+valuesRow(len(values)), values...); err != nil {
			return fmt.Errorf("%s: %w", r.what, err)
		}
	}
	return nil
}

// companyID returns the id of the company with the given name, creating it
// if there is none.
func (w *txWriter) companyID(name string) (int64, error) {
	var id int64
	err := w.queryRow("SELECT id FROM companies WHERE name = ?", name).Scan(&id)
	if err == nil {
		return id, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("company %q: %w", name, err)
	}
	slug, err := uniqueSlug(filmsql.CompanySlug(name), func(candidate string) (bool, error) {
		var n int
		err := w.queryRow("SELECT count(*) FROM companies WHERE slug = ?", candidate).Scan(&n)
		return n > 0, err
	})
	if err != nil {
		return 0, fmt.Errorf("company %q: %w", name, err)
	}
	res, err := w.exec("INSERT INTO companies (slug, name) VALUES (?, ?)", slug, name)
	if err != nil {
		return 0, fmt.Errorf("company %q: %w", name, err)
	}
	if id, err = res.LastInsertId(); err != nil {
		return 0, fmt.Errorf("company %q: %w", name, err)
	}
	return id, nil
}

// criticReviewValues are the values of a critic review's columns after its
// slug, in the order insertCriticReview and updateCriticReview name them.
func (w *txWriter) criticReviewValues(r film.CriticReview) ([]any, error) {
	filmID, err := w.filmID(r.FilmSlug)
	if err != nil {
		return nil, err
	}
	var authorID any
	if r.AuthorSlug != "" {
		if authorID, err = w.personID(r.AuthorSlug); err != nil {
			return nil, fmt.Errorf("author: %w", err)
		}
	}
	return criticReviewRow(r, filmID, authorID), nil
}

// criticReviewRow is criticReviewValues given the ids of the film and of
// the author (nil for none).
func criticReviewRow(r film.CriticReview, filmID int64, authorID any) []any {
	var ratingValue, ratingScale any
	if r.Rating != nil {
		ratingValue, ratingScale = r.Rating.Value, r.Rating.Scale
	}
	return []any{filmID, r.Headline, r.Author, authorID, r.Publication, ratingValue, ratingScale, r.PullQuote, r.Body, r.Spoilers,
		string(r.Status), formatTime(r.PublishedAt), formatTime(r.UpdatedAt)}
}

func (w *txWriter) insertCriticReview(r film.CriticReview) error {
	values, err := w.criticReviewValues(r)
	if err != nil {
		return err
	}
	_, err = w.exec(`INSERT INTO critic_reviews (slug, `+filmsql.CriticReviewSetColumns+`, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, append(append([]any{r.Slug}, values...), w.now)...)
	return err
}

func (w *txWriter) updateCriticReview(id int64, r film.CriticReview) error {
	values, err := w.criticReviewValues(r)
	if err != nil {
		return err
	}
	_, err = w.exec(`UPDATE critic_reviews SET (`+filmsql.CriticReviewSetColumns+`)
		= (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) WHERE id = ?`, append(values, id)...)
	return err
}

// readerReviewInsertColumns are the columns readerReviewRow gives values
// for.
const readerReviewInsertColumns = "film_id, display_name, title, rating, body, spoilers, status, created_at"

func readerReviewRow(r film.ReaderReview, filmID int64) []any {
	return []any{filmID, r.DisplayName, r.Title, r.Rating, r.Body, r.Spoilers, string(r.Status), formatTime(r.CreatedAt)}
}

func (w *txWriter) insertReaderReview(r film.ReaderReview) (int64, error) {
	filmID, err := w.filmID(r.FilmSlug)
	if err != nil {
		return 0, err
	}
	// The review's rating counts once, as its reader's (see
	// catalogReviewReader); the insert trigger writes the rating.
	var readerID any
	if key := catalogReviewReader(r); key != "" {
		if readerID, err = w.readerID(key, r.CreatedAt); err != nil {
			return 0, err
		}
	}
	res, err := w.exec(`INSERT INTO reader_reviews (reader_id, `+readerReviewInsertColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		append([]any{readerID}, readerReviewRow(r, filmID)...)...)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// insertRating adds a rating unless the reader has rated the film, and says
// whether it did.
func (w *txWriter) insertRating(filmID, readerID int64, r film.ReaderRating) (bool, error) {
	res, err := w.exec(`INSERT INTO ratings (film_id, reader_id, value, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (film_id, reader_id) DO NOTHING`, filmID, readerID, r.Value, formatTime(r.CreatedAt), formatTime(r.UpdatedAt))
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// insertHelpfulVote adds a vote unless the reader has voted on the review,
// and says whether it did.
func (w *txWriter) insertHelpfulVote(reviewID, readerID int64, at time.Time) (bool, error) {
	res, err := w.exec(`INSERT INTO helpful_votes (review_id, reader_id, created_at) VALUES (?, ?, ?)
		ON CONFLICT (review_id, reader_id) DO NOTHING`, reviewID, readerID, formatTime(at))
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// The import writes films through the names below, which stand for
// filmsql's.
type (
	personRef  = filmsql.PersonRef
	companyRef = filmsql.CompanyRef
)

var filmColumns = filmsql.FilmColumns

func uniqueSlug(base string, taken func(string) (bool, error)) (string, error) {
	return filmsql.UniqueSlug(base, taken)
}

func catalogReviewReader(r film.ReaderReview) string { return filmsql.CatalogReviewReader(r) }

func filmValues(f film.Film) []any { return filmsql.FilmValues(f) }

// tableRow is a filmsql.Row as the bulk loader and the import write it.
type tableRow struct {
	what    string
	table   string
	columns string
	values  []any
}

// filmRecordRows are filmsql.FilmRecordRows(id, f).
func filmRecordRows(id int64, f film.Film) []tableRow {
	rows := filmsql.FilmRecordRows(id, f)
	out := make([]tableRow, len(rows))
	for i, r := range rows {
		out[i] = tableRow{what: r.What, table: r.Table, columns: r.Columns, values: r.Values}
	}
	return out
}
