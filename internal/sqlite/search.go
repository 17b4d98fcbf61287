package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"marquee/internal/film"
)

// The search index (migrations/0003_search.sql) is two FTS5 tables whose
// rowids are a source row's id times searchKinds plus its kind, so a hit is
// traced back to its row by primary key.
const searchKinds = 8

// The kinds of document, as numbered in the rowids.
const (
	docFilm         = 1
	docPerson       = 2
	docCharacter    = 3
	docLocation     = 4
	docCriticReview = 5
	docReaderReview = 6
)

// matchExpression turns parsed terms into an FTS5 query: each term a quoted
// string (so no input is ever read as FTS5 syntax: a string's only special
// character is the quote, which is doubled), followed by * when it is a
// prefix, and the terms joined by spaces, which FTS5 reads as AND. The
// words of film.ParseSearch hold only letters and digits already; the
// quoting is what makes that safe to rely on rather than required.
func matchExpression(terms []film.SearchTerm) string {
	parts := make([]string, len(terms))
	for i, t := range terms {
		p := `"` + strings.ReplaceAll(strings.Join(t.Words, " "), `"`, `""`) + `"`
		if t.Prefix {
			p += "*"
		}
		parts[i] = p
	}
	return strings.Join(parts, " ")
}

// Ranking. Names come before reviews: a film before a person before a
// character or a filming location, each group in bm25 order with a match
// in the name column worth ten in the context column (a location's address,
// a film's year). Reviews follow in bm25 order, a match in the headline or
// title worth ten in the text.
//
// Ranking a very common word would score every review that holds it, so
// reviews are ranked among the newest MaxSearchResults that match (the
// FTS5 index yields them in rowid order without scoring the rest), the
// same bound the count has: past it a query is too broad to page through.
const (
	nameOrder = `CASE search_names.rowid % 8 WHEN 1 THEN 0 WHEN 2 THEN 1 ELSE 2 END,
		bm25(search_names, 10.0, 1.0), search_names.rowid`

	// publicReview keeps critic reviews whose time has not come out: the
	// index holds scheduled reviews, which become public with no write.
	publicReview = `(search_reviews.rowid % 8 = 6 OR EXISTS (SELECT 1 FROM critic_reviews c
		WHERE c.id = search_reviews.rowid / 8 AND c.published_at <= ?2))`

	namesCountQuery = `SELECT count(*) FROM (SELECT 1 FROM search_names WHERE search_names MATCH ?1 LIMIT ?2)`
	namesPageQuery  = `SELECT search_names.rowid FROM search_names WHERE search_names MATCH ?1
		ORDER BY ` + nameOrder + ` LIMIT ?2 OFFSET ?3`

	reviewsCountQuery = `SELECT count(*) FROM (SELECT 1 FROM search_reviews WHERE search_reviews MATCH ?1 AND ` + publicReview + ` LIMIT ?3)`
	reviewsPageQuery  = `SELECT doc FROM (
			SELECT search_reviews.rowid AS doc, bm25(search_reviews, 10.0, 1.0) AS score FROM search_reviews
			WHERE search_reviews MATCH ?1 AND ` + publicReview + `
			ORDER BY search_reviews.rowid DESC LIMIT ?3)
		ORDER BY score, doc DESC LIMIT ?4 OFFSET ?5`

	suggestQuery = `SELECT search_names.rowid FROM search_names
		WHERE search_names MATCH ?1 AND search_names.rowid % 8 IN (1, 2)
		ORDER BY ` + nameOrder + ` LIMIT ?2`
)

// Search finds films, people, characters, filming locations and public
// reviews matching q.Text, and returns the page of hits q asks for, best
// first, with the total (up to film.MaxSearchResults). Any text is a valid
// query; one with nothing to search for has no hits.
func (db *DB) Search(ctx context.Context, q film.SearchQuery) (film.SearchResults, error) {
	res := film.SearchResults{Terms: film.ParseSearch(q.Text)}
	if len(res.Terms) == 0 || q.Limit <= 0 {
		return res, nil
	}
	match := matchExpression(res.Terms)
	now := q.Now.UTC().Format(timeLayout)
	err := db.inReadTx(ctx, func(tx *sql.Tx) error {
		var names, reviews int
		if err := tx.QueryRowContext(ctx, namesCountQuery, match, film.MaxSearchResults).Scan(&names); err != nil {
			return fmt.Errorf("count names: %w", err)
		}
		if err := tx.QueryRowContext(ctx, reviewsCountQuery, match, now, film.MaxSearchResults).Scan(&reviews); err != nil {
			return fmt.Errorf("count reviews: %w", err)
		}
		res.Total = min(names+reviews, film.MaxSearchResults)

		// The page may straddle the names and the reviews.
		offset := max(q.Offset, 0)
		limit := min(q.Limit, res.Total-offset)
		var docs []int64
		if offset < names && limit > 0 {
			page, err := docList(ctx, tx, namesPageQuery, match, min(limit, names-offset), offset)
			if err != nil {
				return fmt.Errorf("rank names: %w", err)
			}
			docs = append(docs, page...)
		}
		if rest := limit - len(docs); rest > 0 {
			page, err := docList(ctx, tx, reviewsPageQuery, match, now, film.MaxSearchResults, rest, max(offset-names, 0))
			if err != nil {
				return fmt.Errorf("rank reviews: %w", err)
			}
			docs = append(docs, page...)
		}
		for _, doc := range docs {
			hit, err := searchHit(ctx, tx, doc)
			if errors.Is(err, film.ErrNotFound) {
				continue // Cannot happen while triggers keep the index in step; a stale entry is not worth a failed page.
			}
			if err != nil {
				return fmt.Errorf("hit %d: %w", doc, err)
			}
			res.Hits = append(res.Hits, hit)
		}
		return nil
	})
	if err != nil {
		return film.SearchResults{}, fmt.Errorf("search %q: %w", q.Text, err)
	}
	return res, nil
}

// Suggest returns up to limit films and people whose names match text,
// its last word as a prefix, for suggestions as a reader types. Only the
// kind, title, slug and (for films) the film summary are set.
func (db *DB) Suggest(ctx context.Context, text string, limit int) ([]film.SearchHit, error) {
	terms := film.ParseSearch(text)
	if len(terms) == 0 || limit <= 0 {
		return nil, nil
	}
	match := "name : (" + matchExpression(terms) + ")"
	var hits []film.SearchHit
	err := db.inReadTx(ctx, func(tx *sql.Tx) error {
		docs, err := docList(ctx, tx, suggestQuery, match, limit)
		if err != nil {
			return err
		}
		for _, doc := range docs {
			var h film.SearchHit
			switch doc % searchKinds {
			case docFilm:
				h.Kind = film.SearchFilm
				h.Film, err = filmSummaryByID(ctx, tx, doc/searchKinds)
				h.Title, h.Slug = h.Film.Title, h.Film.Slug
			case docPerson:
				h.Kind = film.SearchPerson
				err = tx.QueryRowContext(ctx, "SELECT slug, name FROM people WHERE id = ?", doc/searchKinds).Scan(&h.Slug, &h.Title)
			}
			if errors.Is(err, film.ErrNotFound) || errors.Is(err, sql.ErrNoRows) {
				continue
			}
			if err != nil {
				return err
			}
			hits = append(hits, h)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("suggest %q: %w", text, err)
	}
	return hits, nil
}

// docList runs a query listing document rowids.
func docList(ctx context.Context, q querier, query string, args ...any) ([]int64, error) {
	return scanAll(ctx, q, query, args, func(rows *sql.Rows) (doc int64, err error) {
		err = rows.Scan(&doc)
		return
	})
}

// searchHit loads what a result shows about the document doc.
func searchHit(ctx context.Context, tx *sql.Tx, doc int64) (film.SearchHit, error) {
	id := doc / searchKinds
	var (
		h      film.SearchHit
		filmID int64
		err    error
	)
	switch doc % searchKinds {
	case docFilm:
		h.Kind, filmID = film.SearchFilm, id
	case docPerson:
		h.Kind = film.SearchPerson
		var aliases string
		err = tx.QueryRowContext(ctx, `SELECT p.slug, p.name, coalesce((SELECT group_concat(name, char(31)) FROM
				(SELECT name FROM person_aliases WHERE person_id = p.id ORDER BY position)), ''),
			coalesce((SELECT c.film_id FROM credits c JOIN films f ON f.id = c.film_id WHERE c.person_id = p.id
				ORDER BY f.year DESC, f.id DESC, c.id LIMIT 1), 0),
			coalesce((SELECT c.role FROM credits c JOIN films f ON f.id = c.film_id WHERE c.person_id = p.id
				ORDER BY f.year DESC, f.id DESC, c.id LIMIT 1), '')
			FROM people p WHERE p.id = ?`, id).Scan(&h.Slug, &h.Title, &aliases, &filmID, &h.Role)
		if aliases != "" {
			h.Also = strings.Split(aliases, "\x1f")
		}
	case docCharacter:
		h.Kind = film.SearchCharacter
		err = tx.QueryRowContext(ctx, `SELECT c.character, c.film_id, p.slug, p.name
			FROM credits c JOIN people p ON p.id = c.person_id WHERE c.id = ?`, id).
			Scan(&h.Title, &filmID, &h.PersonSlug, &h.Person)
	case docLocation:
		h.Kind, filmID = film.SearchLocation, id
		if h.Locations, err = locations(ctx, tx, id); err == nil && len(h.Locations) == 0 {
			err = sql.ErrNoRows
		}
	case docCriticReview:
		h.Kind = film.SearchCriticReview
		err = tx.QueryRowContext(ctx, `SELECT r.slug, r.film_id, r.headline, r.author, coalesce(p.slug, ''), r.body, r.spoilers
			FROM critic_reviews r LEFT JOIN people p ON p.id = r.author_person_id WHERE r.id = ?`, id).
			Scan(&h.Slug, &filmID, &h.Title, &h.Person, &h.PersonSlug, &h.Body, &h.Spoilers)
	case docReaderReview:
		h.Kind, h.ReviewID = film.SearchReaderReview, id
		// Position counts the approved reviews of the film listed before
		// this one in the newest-first order, for a link to its page.
		err = tx.QueryRowContext(ctx, `SELECT r.film_id, r.title, r.display_name, r.body, r.spoilers,
				(SELECT count(*) FROM reader_reviews n WHERE n.film_id = r.film_id AND n.status = 'approved'
					AND (n.created_at > r.created_at OR (n.created_at = r.created_at AND n.id > r.id)))
			FROM reader_reviews r WHERE r.id = ?`, id).
			Scan(&filmID, &h.Title, &h.Person, &h.Body, &h.Spoilers, &h.Position)
	default:
		return film.SearchHit{}, fmt.Errorf("document %d of unknown kind", doc)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return film.SearchHit{}, film.ErrNotFound
	}
	if err != nil {
		return film.SearchHit{}, err
	}
	if h.Spoilers {
		h.Body = "" // Never handed out to be quoted.
	}
	if filmID != 0 {
		if h.Film, err = filmSummaryByID(ctx, tx, filmID); err != nil {
			return film.SearchHit{}, err
		}
	}
	if h.Kind == film.SearchFilm {
		h.Title, h.Slug = h.Film.Title, h.Film.Slug
		if o := h.Film.OriginalTitle; o != "" && o != h.Film.Title {
			h.Also = []string{o}
		}
	}
	return h, nil
}

// filmSummaryByID reads the short form of a film with its directors, or
// film.ErrNotFound.
func filmSummaryByID(ctx context.Context, q querier, id int64) (film.Summary, error) {
	summaries, err := scanAll(ctx, q, `SELECT `+summaryColumns+` FROM films f WHERE f.id = ?`, []any{id}, scanSummary)
	if err != nil {
		return film.Summary{}, err
	}
	if len(summaries) == 0 {
		return film.Summary{}, film.ErrNotFound
	}
	return summaries[0], nil
}
