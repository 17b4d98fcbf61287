package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"marquee/internal/film"
	"marquee/internal/filmsql"
)

// This file is internal/sqlite/search.go for PostgreSQL. The index is one
// table, search_documents (migrations/postgres/0001_initial.sql), whose
// doc is a source row's id times filmsql.SearchKinds plus its kind, as
// SQLite's FTS5 rowids are, so a hit is traced back to its row by primary
// key; its tier column splits it into the ranks results are listed in,
// each with a partial GIN index of its own.

// tsQuery turns parsed terms into the text of a tsquery in the search
// configuration: each word a quoted lexeme (a quote inside is doubled, a
// backslash escaped, so no input is ever read as tsquery syntax; the words
// film.ParseSearch makes hold only letters and digits anyway), the words
// of a phrase joined by <-> (followed by), a prefix term's last word
// marked :*, and the terms joined by & (and). weight, when not empty,
// restricts every lexeme to that weight: "A" matches names only.
func tsQuery(terms []film.SearchTerm, weight string) string {
	parts := make([]string, len(terms))
	for i, t := range terms {
		words := make([]string, len(t.Words))
		for j, w := range t.Words {
			w = "'" + strings.ReplaceAll(strings.ReplaceAll(w, `\`, `\\`), "'", "''") + "'"
			label := weight
			if t.Prefix && j == len(t.Words)-1 {
				label = "*" + weight
			}
			if label != "" {
				w += ":" + label
			}
			words[j] = w
		}
		parts[i] = "(" + strings.Join(words, " <-> ") + ")"
	}
	return strings.Join(parts, " & ")
}

// searchTier is one rank of results: a page lists the tiers in order, each
// in rank order, and scores only the tiers it shows. The count query takes
// $1, the tsquery text, and $2, the most hits counted; the page query $1,
// then $2 and $3, the page's limit and offset. The reviews' queries take
// more (the most hits ranked, and the time, which decides whether a
// scheduled critic review is public yet): PostgreSQL refuses a parameter a
// statement does not use, so the name tiers take none of them.
type searchTier struct {
	name    string
	count   string
	page    string
	reviews bool
}

// countArgs are the arguments of the tier's count query.
func (t searchTier) countArgs(query string, now time.Time) []any {
	if t.reviews {
		return []any{query, film.MaxSearchResults, now}
	}
	return []any{query, film.MaxSearchResults}
}

// pageArgs are the arguments of the tier's page query.
func (t searchTier) pageArgs(query string, limit, offset int, now time.Time) []any {
	if t.reviews {
		return []any{query, limit, offset, film.MaxSearchResults, now}
	}
	return []any{query, limit, offset}
}

// nameWeights weighs a match in a document's name (weight A: a title, a
// name, a character, a place) ten times one in its context (weight B: a
// film's year, a location's address), as SQLite's bm25 weights do. The
// array lists the weights of D, C, B and A.
const nameWeights = `'{0.1, 0.1, 0.1, 1.0}'`

// nameTier ranks one tier of names.
func nameTier(name string, tier int) searchTier {
	where := fmt.Sprintf(`tier = %d AND vector @@ to_tsquery('marquee_search', $1)`, tier)
	return searchTier{
		name:  name,
		count: `SELECT count(*) FROM (SELECT 1 FROM search_documents WHERE ` + where + ` LIMIT $2) t`,
		page: `SELECT doc FROM search_documents WHERE ` + where + `
			ORDER BY ts_rank(` + nameWeights + `, vector, to_tsquery('marquee_search', $1)) DESC, doc LIMIT $2 OFFSET $3`,
	}
}

// publicReview keeps out critic reviews whose time has not come: the
// index holds scheduled reviews, which become public with no write to
// notice. now is the parameter holding the time.
func publicReview(now string) string {
	return `(d.kind = 6 OR EXISTS (SELECT 1 FROM critic_reviews c WHERE c.id = d.source AND c.published_at <= ` + now + `))`
}

var (
	filmTier   = nameTier("films", 1)
	peopleTier = nameTier("people", 2)
	// namesTier holds characters, filming locations and soundtracks.
	namesTier = nameTier("names", 3)
	// reviewTier ranks reviews, a match in the headline or title worth ten
	// in the text. Ranking a very common word would score nearly every
	// review, so reviews are ranked among the newest $4 that match: the
	// same bound the count has, past which a query is too broad to page
	// through.
	reviewTier = searchTier{
		name: "reviews",
		count: `SELECT count(*) FROM (SELECT 1 FROM search_documents d
			WHERE d.tier = 4 AND d.vector @@ to_tsquery('marquee_search', $1) AND ` + publicReview("$3") + ` LIMIT $2) t`,
		page: `SELECT doc FROM (
				SELECT d.doc, ts_rank(` + nameWeights + `, d.vector, to_tsquery('marquee_search', $1)) AS score
				FROM search_documents d
				WHERE d.tier = 4 AND d.vector @@ to_tsquery('marquee_search', $1) AND ` + publicReview("$5") + `
				ORDER BY d.doc DESC LIMIT $4) t
			ORDER BY score DESC, doc DESC LIMIT $2 OFFSET $3`,
		reviews: true,
	}
	// searchTiers are the tiers of a search, in the order results list them.
	searchTiers = []searchTier{filmTier, peopleTier, namesTier, reviewTier}
	// suggestTiers are those suggestions come from.
	suggestTiers = []searchTier{filmTier, peopleTier}
)

// Search finds films, people, characters, filming locations, soundtrack
// tracks and public reviews matching q.Text, and returns the page of hits
// q asks for, best first, with the total (up to film.MaxSearchResults).
// Any text is a valid query; one with nothing to search for has no hits.
func (db *DB) Search(ctx context.Context, q film.SearchQuery) (film.SearchResults, error) {
	res := film.SearchResults{Terms: film.ParseSearch(q.Text)}
	if len(res.Terms) == 0 || q.Limit <= 0 {
		return res, nil
	}
	query := tsQuery(res.Terms, "")
	err := db.inPageTx(ctx, func(tx pgx.Tx) error {
		res.Hits, res.Total = nil, 0
		counts := make([]int, len(searchTiers))
		for i, tier := range searchTiers {
			if err := tx.QueryRow(ctx, tier.count, tier.countArgs(query, q.Now)...).Scan(&counts[i]); err != nil {
				return fmt.Errorf("count %s: %w", tier.name, err)
			}
		}
		res.Total = filmsql.SearchTotal(counts)

		var docs []int64
		err := filmsql.PageTiers(counts, res.Total, q.Offset, q.Limit, func(i, limit, offset int) (int, error) {
			tier := searchTiers[i]
			page, err := docList(ctx, tx, tier.page, tier.pageArgs(query, limit, offset, q.Now)...)
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
	query := tsQuery(terms, "A") // names only
	var hits []film.SearchHit
	err := db.inPageTx(ctx, func(tx pgx.Tx) error {
		hits = nil
		for _, tier := range suggestTiers {
			if len(hits) >= limit {
				break
			}
			docs, err := docList(ctx, tx, tier.page, tier.pageArgs(query, limit-len(hits), 0, time.Time{})...)
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
					err = tx.QueryRow(ctx, "SELECT slug, name FROM people WHERE id = $1", doc/filmsql.SearchKinds).Scan(&h.Slug, &h.Title)
				}
				if errors.Is(err, film.ErrNotFound) || errors.Is(err, pgx.ErrNoRows) {
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

// docList runs a query listing document numbers.
func docList(ctx context.Context, q querier, query string, args ...any) ([]int64, error) {
	return scanAll(ctx, q, query, args, func(rows pgx.Rows) (doc int64, err error) {
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
		err = tx.QueryRow(ctx, `SELECT p.slug, p.name,
				coalesce((SELECT string_agg(name, chr(31) ORDER BY position) FROM person_aliases WHERE person_id = p.id), ''),
				coalesce((SELECT c.film_id FROM credits c JOIN films f ON f.id = c.film_id WHERE c.person_id = p.id
					ORDER BY f.year DESC, f.id DESC, c.id LIMIT 1), 0),
				coalesce((SELECT c.role FROM credits c JOIN films f ON f.id = c.film_id WHERE c.person_id = p.id
					ORDER BY f.year DESC, f.id DESC, c.id LIMIT 1), '')
			FROM people p WHERE p.id = $1`, id).Scan(&h.Slug, &h.Title, &aliases, &filmID, &h.Role)
		h.Also = splitNames(aliases)
	case filmsql.DocCharacter:
		h.Kind = film.SearchCharacter
		err = tx.QueryRow(ctx, `SELECT c.character, c.film_id, p.slug, p.name
			FROM credits c JOIN people p ON p.id = c.person_id WHERE c.id = $1`, id).
			Scan(&h.Title, &filmID, &h.PersonSlug, &h.Person)
	case filmsql.DocLocation:
		h.Kind, filmID = film.SearchLocation, id
		h.Locations, err = scanAll(ctx, tx, "SELECT place, address FROM filming_locations WHERE film_id = $1 ORDER BY position",
			[]any{id}, func(rows pgx.Rows) (l film.Location, err error) {
				err = rows.Scan(&l.Place, &l.Address)
				return
			})
		if err == nil && len(h.Locations) == 0 {
			err = pgx.ErrNoRows
		}
	case filmsql.DocSoundtrack:
		h.Kind, filmID = film.SearchSoundtrack, id
		if err = tx.QueryRow(ctx, "SELECT title FROM soundtracks WHERE film_id = $1", id).Scan(&h.Title); err == nil {
			h.Tracks, err = scanAll(ctx, tx, "SELECT number, artist, title FROM soundtrack_tracks WHERE film_id = $1 ORDER BY number",
				[]any{id}, func(rows pgx.Rows) (t film.Track, err error) {
					err = rows.Scan(&t.Number, &t.Artist, &t.Title)
					return
				})
		}
	case filmsql.DocCriticReview:
		h.Kind = film.SearchCriticReview
		err = tx.QueryRow(ctx, `SELECT r.slug, r.film_id, r.headline, r.author, coalesce(p.slug, ''), r.body, r.spoilers
			FROM critic_reviews r LEFT JOIN people p ON p.id = r.author_person_id WHERE r.id = $1`, id).
			Scan(&h.Slug, &filmID, &h.Title, &h.Person, &h.PersonSlug, &h.Body, &h.Spoilers)
	case filmsql.DocReaderReview:
		h.Kind, h.ReviewID = film.SearchReaderReview, id
		// Position counts the approved reviews of the film listed before
		// this one in the newest-first order, for a link to its page.
		err = tx.QueryRow(ctx, `SELECT r.film_id, r.title, r.display_name, r.body, r.spoilers,
				(SELECT count(*) FROM reader_reviews n WHERE n.film_id = r.film_id AND n.status = 'approved'
					AND (n.created_at > r.created_at OR (n.created_at = r.created_at AND n.id > r.id)))
			FROM reader_reviews r WHERE r.id = $1`, id).
			Scan(&filmID, &h.Title, &h.Person, &h.Body, &h.Spoilers, &h.Position)
	default:
		return film.SearchHit{}, fmt.Errorf("document %d of unknown kind", doc)
	}
	if errors.Is(err, pgx.ErrNoRows) {
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
	summaries, err := scanAll(ctx, q, `SELECT `+summaryColumns+` FROM films f WHERE f.id = $1`, []any{id}, scanSummary)
	if err != nil {
		return film.Summary{}, err
	}
	if len(summaries) == 0 {
		return film.Summary{}, film.ErrNotFound
	}
	return summaries[0], nil
}
