package postgres

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"marquee/internal/film"
	"marquee/internal/filmsql"
)

// This file is internal/sqlite/import.go for PostgreSQL; keep the two
// alike.

// Import adds the records of c that the database does not hold yet,
// leaving those it holds as they are, all in one transaction. It is how the
// seeds load: see ImportWith.
func (db *DB) Import(ctx context.Context, c film.Catalog) (film.ImportReport, error) {
	return db.ImportWith(ctx, c, film.ImportOptions{})
}

// ImportWith loads c in one transaction: if any record fails, nothing is
// written. Records are matched with those stored by their natural keys
// (people, films and critic reviews by slug; reader reviews by film,
// display name, title and time; ratings by film and reader; helpful votes
// by review and reader). A record not stored is added. A stored record
// equal to the imported one is left unchanged, so importing the same
// catalogue twice changes nothing; one that differs is replaced when
// opts.UpdateExisting is set, and left as it is otherwise. A film is
// replaced whole, its credits and lists rewritten, but keeps its id, so its
// reviews and ratings stay attached. Nothing is ever deleted.
//
// The caller validates c first (see internal/catalog); references to
// people, films or reviews that exist neither in c nor in the database fail
// the import with film.ErrNotFound.
func (db *DB) ImportWith(ctx context.Context, c film.Catalog, opts film.ImportOptions) (film.ImportReport, error) {
	var report film.ImportReport
	err := db.inWriteTx(ctx, func(tx pgx.Tx) error {
		// The transaction may run again (see inTx): start afresh.
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

// importer matches each record of a catalogue with the stored one and
// adds, replaces or leaves it.
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
			if err := w.tx.QueryRow(w.ctx, "SELECT name, "+filmsql.PersonDetailColumns+" FROM people WHERE id = $1", id).
				Scan(append([]any{&stored.Name}, filmsql.PersonDetailDest(&stored)...)...); err != nil {
				return false, err
			}
			aliases, err := stringList(w.ctx, w.tx, "SELECT name FROM person_aliases WHERE person_id = $1 ORDER BY position", id)
			return stored.Name == p.Name && filmsql.SamePersonDetails(stored, p) && slices.Equal(aliases, p.AlsoKnownAs), err
		},
		func() error {
			if _, err := w.exec("UPDATE people SET name = $1, updated_at = $2, "+personDetailAssignments(3)+" WHERE id = $8",
				append(append([]any{p.Name, w.now}, filmsql.PersonDetailValues(p)...), id)...); err != nil {
				return err
			}
			if _, err := w.exec("DELETE FROM person_aliases WHERE person_id = $1", id); err != nil {
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
	stored, err := scanAll(w.ctx, w.tx, "SELECT "+filmsql.CriticReviewColumns+" WHERE r.slug = $1", []any{r.Slug}, scanCriticReview)
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
			err := w.tx.QueryRow(w.ctx, "SELECT rating, body, spoilers, status FROM reader_reviews WHERE id = $1", id).
				Scan(&stored.Rating, &stored.Body, &stored.Spoilers, &stored.Status)
			return stored.Rating == r.Rating && stored.Body == r.Body && stored.Spoilers == r.Spoilers && stored.Status == r.Status, err
		},
		func() error {
			if _, err := w.exec("UPDATE reader_reviews SET rating = $1, body = $2, spoilers = $3, status = $4 WHERE id = $5",
				r.Rating, r.Body, r.Spoilers, string(r.Status), id); err != nil {
				return err
			}
			// A review that is or was public changes its film's list of
			// approved reviews now; the row holds no time for the triggers
			// to use.
			if stored.Status == film.ModerationApproved || r.Status == film.ModerationApproved {
				if _, err := w.exec(`UPDATE films SET reader_reviews_changed_at = greatest(reader_reviews_changed_at, $1)
					WHERE id = (SELECT film_id FROM reader_reviews WHERE id = $2)`, w.now, id); err != nil {
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
				created, changed time.Time
			)
			err := w.tx.QueryRow(w.ctx, "SELECT value, created_at, updated_at FROM ratings WHERE film_id = $1 AND reader_id = $2", filmID, readerID).
				Scan(&value, &created, &changed)
			return value == r.Value && created.Equal(storedTime(r.CreatedAt)) && changed.Equal(storedTime(r.UpdatedAt)), err
		},
		func() error {
			_, err := w.exec("UPDATE ratings SET value = $1, created_at = $2, updated_at = $3 WHERE film_id = $4 AND reader_id = $5",
				r.Value, timeValue(r.CreatedAt), timeValue(r.UpdatedAt), filmID, readerID)
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
			var created time.Time
			err := w.tx.QueryRow(w.ctx, "SELECT created_at FROM helpful_votes WHERE review_id = $1 AND reader_id = $2", reviewID, readerID).
				Scan(&created)
			return created.Equal(storedTime(v.CreatedAt)), err
		},
		func() error {
			_, err := w.exec("UPDATE helpful_votes SET created_at = $1 WHERE review_id = $2 AND reader_id = $3", timeValue(v.CreatedAt), reviewID, readerID)
			return err
		})
}

// txWriter writes catalogue records in one transaction, and remembers the
// ids of the people, films and readers it has looked up or added. pgx
// prepares each statement once per connection (its statement cache), so a
// loop that runs the same insert many times parses it once.
type txWriter struct {
	ctx context.Context
	tx  pgx.Tx
	now time.Time
	ids *idCache
}

// idCache maps natural keys to row ids.
type idCache struct {
	people, films, readers map[string]int64
}

func newTxWriter(ctx context.Context, tx pgx.Tx, now time.Time) *txWriter {
	return &txWriter{ctx: ctx, tx: tx, now: storedTime(now),
		ids: &idCache{people: map[string]int64{}, films: map[string]int64{}, readers: map[string]int64{}}}
}

func (w *txWriter) exec(query string, args ...any) (int64, error) {
	tag, err := w.tx.Exec(w.ctx, query, args...)
	if err != nil {
		return 0, err
	}
	return tag.RowsAffected(), nil
}

// insertID runs an INSERT … RETURNING id.
func (w *txWriter) insertID(query string, args ...any) (int64, error) {
	var id int64
	err := w.tx.QueryRow(w.ctx, query, args...).Scan(&id)
	return id, err
}

// cachedID looks slug up in cache, then in table; table is always a
// constant from this package.
func (w *txWriter) cachedID(cache map[string]int64, table, slug string) (int64, error) {
	if id, ok := cache[slug]; ok {
		return id, nil
	}
	var id int64
	err := w.tx.QueryRow(w.ctx, "SELECT id FROM "+table+" WHERE slug = $1", slug).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
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
	err = w.tx.QueryRow(w.ctx, "SELECT id FROM readers WHERE token_hash = $1", hash).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		if since.IsZero() {
			since = time.Now()
		}
		id, err = w.insertID("INSERT INTO readers (token_hash, created_at) VALUES ($1, $2) RETURNING id", hash, timeValue(since))
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
	err = w.tx.QueryRow(w.ctx, `SELECT id FROM reader_reviews
		WHERE film_id = $1 AND created_at = $2 AND display_name = $3 AND title = $4 ORDER BY id LIMIT 1`,
		filmID, timeValue(k.CreatedAt), k.DisplayName, k.Title).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, fmt.Errorf("reader review %s: %w", k.Normalized(), film.ErrNotFound)
	}
	return id, err
}

func (w *txWriter) insertPerson(p film.Person) (int64, error) {
	id, err := w.insertID("INSERT INTO people (slug, name, updated_at, "+filmsql.PersonDetailColumns+") VALUES "+valuesRow(1, 8)+" RETURNING id",
		append([]any{p.Slug, p.Name, w.now}, filmsql.PersonDetailValues(p)...)...)
	if err != nil {
		return 0, err
	}
	w.ids.people[p.Slug] = id
	return id, w.insertAliases(id, p)
}

func (w *txWriter) insertAliases(id int64, p film.Person) error {
	for i, aka := range p.AlsoKnownAs {
		if _, err := w.exec("INSERT INTO person_aliases (person_id, position, name) VALUES ($1, $2, $3)", id, i, aka); err != nil {
			return fmt.Errorf("alias %d: %w", i, err)
		}
	}
	return nil
}

func (w *txWriter) insertFilm(f film.Film) (int64, error) {
	id, err := w.insertID(`INSERT INTO films (`+filmColumns+`, created_at, updated_at)
		VALUES `+valuesRow(1, len(filmsql.FilmFields)+2)+` RETURNING id`, append(filmValues(f), w.now, w.now)...)
	if err != nil {
		return 0, err
	}
	w.ids.films[f.Slug] = id
	return id, w.insertFilmRecord(id, f)
}

// replaceFilm rewrites film id with f's record, keeping the id so that
// everything attached to the film (reviews, ratings) stays attached.
func (w *txWriter) replaceFilm(id int64, f film.Film) error {
	n := len(filmsql.FilmFields) + 1
	if _, err := w.exec(`UPDATE films SET (`+filmColumns+`, updated_at)
		= ROW `+valuesRow(1, n)+` WHERE id = $`+strconv.Itoa(n+1), append(filmValues(f), w.now, id)...); err != nil {
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
		if _, err := w.exec("DELETE FROM "+table+" WHERE film_id = $1", id); err != nil {
			return fmt.Errorf("clear %s: %w", table, err)
		}
	}
	return nil
}

// valuesRow is "($first, $first+1, …)" for n values.
func valuesRow(first, n int) string {
	var b strings.Builder
	b.WriteByte('(')
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("$" + strconv.Itoa(first+i))
	}
	b.WriteByte(')')
	return b.String()
}

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
		if _, err := w.exec("INSERT INTO "+r.table+" ("+r.columns+") VALUES "+valuesRow(1, len(values)), values...); err != nil {
			return fmt.Errorf("%s: %w", r.what, err)
		}
	}
	return nil
}

// companyID returns the id of the company with the given name, creating it
// if there is none.
func (w *txWriter) companyID(name string) (int64, error) {
	var id int64
	err := w.tx.QueryRow(w.ctx, "SELECT id FROM companies WHERE name = $1", name).Scan(&id)
	if err == nil {
		return id, nil
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return 0, fmt.Errorf("company %q: %w", name, err)
	}
	slug, err := uniqueSlug(filmsql.CompanySlug(name), func(candidate string) (bool, error) {
		var taken bool
		err := w.tx.QueryRow(w.ctx, "SELECT EXISTS (SELECT 1 FROM companies WHERE slug = $1)", candidate).Scan(&taken)
		return taken, err
	})
	if err != nil {
		return 0, fmt.Errorf("company %q: %w", name, err)
	}
	if id, err = w.insertID("INSERT INTO companies (slug, name) VALUES ($1, $2) RETURNING id", slug, name); err != nil {
		return 0, fmt.Errorf("company %q: %w", name, err)
	}
	return id, nil
}

// criticReviewValues are the values of a critic review's columns after
// its slug, in the order filmsql.CriticReviewSetColumns names them.
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
	var ratingValue, ratingScale any
	if r.Rating != nil {
		ratingValue, ratingScale = r.Rating.Value, r.Rating.Scale
	}
	return []any{filmID, r.Headline, r.Author, authorID, r.Publication, ratingValue, ratingScale, r.PullQuote, r.Body, r.Spoilers,
		string(r.Status), timeValue(r.PublishedAt), timeValue(r.UpdatedAt)}, nil
}

func (w *txWriter) insertCriticReview(r film.CriticReview) error {
	values, err := w.criticReviewValues(r)
	if err != nil {
		return err
	}
	_, err = w.exec(`INSERT INTO critic_reviews (slug, `+filmsql.CriticReviewSetColumns+`, created_at)
		VALUES `+valuesRow(1, 15), append(append([]any{r.Slug}, values...), w.now)...)
	return err
}

func (w *txWriter) updateCriticReview(id int64, r film.CriticReview) error {
	values, err := w.criticReviewValues(r)
	if err != nil {
		return err
	}
	_, err = w.exec(`UPDATE critic_reviews SET (`+filmsql.CriticReviewSetColumns+`)
		= ROW `+valuesRow(1, 13)+` WHERE id = $14`, append(values, id)...)
	return err
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
	return w.insertID(`INSERT INTO reader_reviews
		(reader_id, film_id, display_name, title, rating, body, spoilers, status, created_at)
		VALUES `+valuesRow(1, 9)+` RETURNING id`,
		readerID, filmID, r.DisplayName, r.Title, r.Rating, r.Body, r.Spoilers, string(r.Status), timeValue(r.CreatedAt))
}

// insertRating adds a rating unless the reader has rated the film, and
// says whether it did.
func (w *txWriter) insertRating(filmID, readerID int64, r film.ReaderRating) (bool, error) {
	n, err := w.exec(`INSERT INTO ratings (film_id, reader_id, value, created_at, updated_at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (film_id, reader_id) DO NOTHING`, filmID, readerID, r.Value, timeValue(r.CreatedAt), timeValue(r.UpdatedAt))
	return n > 0, err
}

// insertHelpfulVote adds a vote unless the reader has voted on the
// review, and says whether it did.
func (w *txWriter) insertHelpfulVote(reviewID, readerID int64, at time.Time) (bool, error) {
	n, err := w.exec(`INSERT INTO helpful_votes (review_id, reader_id, created_at) VALUES ($1, $2, $3)
		ON CONFLICT (review_id, reader_id) DO NOTHING`, reviewID, readerID, timeValue(at))
	return n > 0, err
}

// The import writes films through the names below, which stand for
// filmsql's.
type (
	personRef  = filmsql.PersonRef
	companyRef = filmsql.CompanyRef
)

var filmColumns = filmsql.FilmColumns

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

// uniqueSlug is filmsql.UniqueSlug, naming the slug in its errors.
func uniqueSlug(base string, taken func(string) (bool, error)) (string, error) {
	slug, err := filmsql.UniqueSlug(base, taken)
	if err != nil {
		return "", fmt.Errorf("unique slug for %q: %w", base, err)
	}
	return slug, nil
}
