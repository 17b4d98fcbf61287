package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"marquee/internal/film"
	"marquee/internal/filmsql"
)

// The search index (migrations/0003_search.sql) is four FTS5 tables whose
// rowids are a source row's id times filmsql.SearchKinds plus its kind
// (filmsql.DocFilm…), so a hit is traced back to its row by primary key.

// matchExpression turns parsed terms into an FTS5 query: each term a quoted
// string (so no input is ever read as FTS5 syntax: a string's only special
// character is the quote, which is doubled), followed by * when it is a
// prefix, and the terms joined by spaces, which FTS5 reads as AND. The
// words film.ParseSearch makes hold only letters and digits anyway, so the
// quoting is a second guard rather than the only one.
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

// searchTier is one rank of results, kept in an FTS5 table of its own
// (see migrations/0003_search.sql): a page lists the tiers in order, each
// in bm25 order, and scores only the tiers it shows. The queries take the
// same numbered parameters: ?1 the MATCH expression, ?2 the time (which
// decides whether a scheduled critic review is public yet), ?3 the most
// hits counted or ranked, ?4 and ?5 the page's limit and offset.
type searchTier struct {
	name  string
	count string
	page  string
}

// nameTier ranks a table of names, a match in the name column (a title, a
// name, a character, a place) worth ten in the context column (a film's
// year, a location's address).
func nameTier(table string) searchTier {
	return searchTier{
		name:  table,
		count: `SELECT count(*) FROM (SELECT 1 FROM ` + table + ` WHERE ` + table + ` MATCH ?1 LIMIT +?3)`,
		page: `SELECT rowid FROM ` + table + ` WHERE ` + table + ` MATCH ?1
			ORDER BY bm25(` + table + `, 10.0, 1.0), rowid LIMIT +?4 OFFSET +?5`,
	}
}

// publicReview keeps out critic reviews whose time has not come: the index
// holds scheduled reviews, which become public with no write to notice.
const publicReview = `(search_reviews.rowid % 8 = 6 OR EXISTS (SELECT 1 FROM critic_reviews c
	WHERE c.id = search_reviews.rowid / 8 AND c.published_at <= ?2))`

var (
	filmTier   = nameTier("search_films")
	peopleTier = nameTier("search_people")
	// namesTier holds characters, filming locations and soundtracks.
	namesTier = nameTier("search_names")
	// reviewTier ranks reviews, a match in the headline or title worth ten
	// in the text. Ranking a very common word would score nearly every
	// review, so reviews are ranked among the newest ?3 that match (FTS5
	// yields them in rowid order without scoring the rest): the same bound
	// the count has, past which a query is too broad to page through.
	reviewTier = searchTier{
		name: "search_reviews",
		count: `SELECT count(*) FROM (SELECT 1 FROM search_reviews
			WHERE search_reviews MATCH ?1 AND ` + publicReview + ` LIMIT +?3)`,
		page: `SELECT doc FROM (
				SELECT search_reviews.rowid AS doc, bm25(search_reviews, 10.0, 1.0) AS score FROM search_reviews
				WHERE search_reviews MATCH ?1 AND ` + publicReview + `
				ORDER BY search_reviews.rowid DESC LIMIT +?3)
			ORDER BY score, doc DESC LIMIT +?4 OFFSET +?5`,
	}
	// searchTiers are the tiers of a search, in the order results list them.
	searchTiers = []searchTier{filmTier, peopleTier, namesTier, reviewTier}
	// suggestTiers are those suggestions come from.
	suggestTiers = []searchTier{filmTier, peopleTier}
)

// Search finds films, people, characters, filming locations, soundtrack
// tracks and public reviews matching q.Text, and returns the page of hits
// q asks for, best first, with the total (up to film.MaxSearchResults). Any text is a valid
// query; one with nothing to search for has no hits.
func (db *DB) Search(ctx context.Context, q film.SearchQuery) (film.SearchResults, error) {
	res := film.SearchResults{Terms: film.ParseSearch(q.Text)}
	if len(res.Terms) == 0 || q.Limit <= 0 {
		return res, nil
	}
	match := matchExpression(res.Terms)
	now := q.Now.UTC().Format(timeLayout)
	err := db.inPageTx(ctx, func(tx querier) error {
		counts := make([]int, len(searchTiers))
		for i, tier := range searchTiers {
			if err := tx.QueryRowContext(ctx, tier.count, match, now, film.MaxSearchResults).Scan(&counts[i]); err != nil {
				return fmt.Errorf("count %s: %w", tier.name, err)
			}
		}
		res.Total = filmsql.SearchTotal(counts)

		var docs []int64
		err := filmsql.PageTiers(counts, res.Total, q.Offset, q.Limit, func(i, limit, offset int) (int, error) {
			tier := searchTiers[i]
			page, err := docList(ctx, tx, tier.page, match, now, film.MaxSearchResults, limit, offset)
			if err != nil {
				return 0, fmt.Errorf("rank %s: %w", tier.name, err)
			}
			docs = append(docs, page...)
			return len(page), nil
		})
		if err != nil {
			return err
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
		return attachPosters(ctx, tx, filmsql.HitSummaries(res.Hits))
	})
	if err != nil {
		return film.SearchResults{}, fmt.Errorf("search %q: %w", q.Text, err)
	}
	return res, nil
}

// Suggest returns up to limit films and people whose names match text,
// its last word as a prefix, films first, for suggestions as a reader
// types. Only the kind, title, slug and (for films) the film summary are
// set.
func (db *DB) Suggest(ctx context.Context, text string, limit int) ([]film.SearchHit, error) {
	terms := film.ParseSearch(text)
	if len(terms) == 0 || limit <= 0 {
		return nil, nil
	}
	match := "name : (" + matchExpression(terms) + ")"
	var hits []film.SearchHit
	err := db.inPageTx(ctx, func(tx querier) error {
		for _, tier := range suggestTiers {
			if len(hits) >= limit {
				break
			}
			docs, err := docList(ctx, tx, tier.page, match, "", limit, limit-len(hits), 0)
			if err != nil {
				return fmt.Errorf("rank %s: %w", tier.name, err)
			}
			for _, doc := range docs {
				var h film.SearchHit
				switch doc % filmsql.SearchKinds {
				case filmsql.DocFilm:
					h.Kind = film.SearchFilm
					h.Film, err = filmSummaryByID(ctx, tx, doc/filmsql.SearchKinds)
					h.Title, h.Slug = h.Film.Title, h.Film.Slug
				case filmsql.DocPerson:
					h.Kind = film.SearchPerson
					err = tx.QueryRowContext(ctx, "SELECT slug, name FROM people WHERE id = ?", doc/filmsql.SearchKinds).Scan(&h.Slug, &h.Title)
				}
				if errors.Is(err, film.ErrNotFound) || errors.Is(err, sql.ErrNoRows) {
					continue
				}
				if err != nil {
					return err
				}
				hits = append(hits, h)
			}
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
func searchHit(ctx context.Context, tx querier, doc int64) (film.SearchHit, error) {
	id := doc / filmsql.SearchKinds
	var (
		h      film.SearchHit
		filmID int64
		err    error
	)
	switch doc % filmsql.SearchKinds {
	case filmsql.DocFilm:
		h.Kind, filmID = film.SearchFilm, id
	case filmsql.DocPerson:
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
	case filmsql.DocCharacter:
		h.Kind = film.SearchCharacter
		err = tx.QueryRowContext(ctx, `SELECT c.character, c.film_id, p.slug, p.name
			FROM credits c JOIN people p ON p.id = c.person_id WHERE c.id = ?`, id).
			Scan(&h.Title, &filmID, &h.PersonSlug, &h.Person)
	case filmsql.DocLocation:
		h.Kind, filmID = film.SearchLocation, id
		f := film.Film{ID: id}
		if err = scanFilmList(ctx, tx, filmsql.RecordListNamed(recordLists, "filming locations"), &f); err == nil && len(f.Locations) == 0 {
			err = sql.ErrNoRows
		}
		h.Locations = f.Locations
	case filmsql.DocSoundtrack:
		h.Kind, filmID = film.SearchSoundtrack, id
		if err = tx.QueryRowContext(ctx, "SELECT title FROM soundtracks WHERE film_id = ?", id).Scan(&h.Title); err == nil {
			h.Tracks, err = scanAll(ctx, tx, "SELECT number, artist, title FROM soundtrack_tracks WHERE film_id = ? ORDER BY number",
				[]any{id}, func(rows *sql.Rows) (t film.Track, err error) {
					err = rows.Scan(&t.Number, &t.Artist, &t.Title)
					return
				})
		}
	case filmsql.DocCriticReview:
		h.Kind = film.SearchCriticReview
		err = tx.QueryRowContext(ctx, `SELECT r.slug, r.film_id, r.headline, r.author, coalesce(p.slug, ''), r.body, r.spoilers
			FROM critic_reviews r LEFT JOIN people p ON p.id = r.author_person_id WHERE r.id = ?`, id).
			Scan(&h.Slug, &filmID, &h.Title, &h.Person, &h.PersonSlug, &h.Body, &h.Spoilers)
	case filmsql.DocReaderReview:
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
