package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"marquee/internal/film"
	"marquee/internal/filmsql"
)

// filmOrder describes one order of the film index: its ORDER BY clause, the
// row value that keyset pagination compares, and how a film's cursor is
// read from that row value.
type filmOrder struct {
	orderBy   string // for the forward direction
	reverse   string // the same order backwards, for previous pages
	key       string // the row value compared with a cursor
	ascending bool   // whether forward means increasing key
	cursor    func(f film.ListedFilm) film.Cursor
	cursorArg func(c film.Cursor) []any
}

var filmOrders = map[film.FilmSort]filmOrder{
	film.SortTitle: {
		orderBy: "f.title COLLATE NOCASE ASC, f.year ASC, f.id ASC", reverse: "f.title COLLATE NOCASE DESC, f.year DESC, f.id DESC",
		key: "(f.title COLLATE NOCASE, f.year, f.id)", ascending: true,
		cursor:    func(f film.ListedFilm) film.Cursor { return film.Cursor{Text: f.Title, Count: int64(f.Year), ID: f.ID} },
		cursorArg: func(c film.Cursor) []any { return []any{c.Text, c.Count, c.ID} },
	},
	film.SortYear: {
		orderBy: "f.year DESC, f.id DESC", reverse: "f.year ASC, f.id ASC",
		key:       "(f.year, f.id)",
		cursor:    func(f film.ListedFilm) film.Cursor { return film.Cursor{Count: int64(f.Year), ID: f.ID} },
		cursorArg: func(c film.Cursor) []any { return []any{c.Count, c.ID} },
	},
	film.SortRating: {
		// The Bayesian score (film.BayesPrior), so a few high ratings never
		// outrank many.
		orderBy: "f.rating_score DESC, f.rating_count DESC, f.id DESC", reverse: "f.rating_score ASC, f.rating_count ASC, f.id ASC",
		key: "(f.rating_score, f.rating_count, f.id)",
		cursor: func(f film.ListedFilm) film.Cursor {
			return film.Cursor{Value: f.RatingScore, Count: int64(f.RatingCount), ID: f.ID}
		},
		cursorArg: func(c film.Cursor) []any { return []any{c.Value, c.Count, c.ID} },
	},
	film.SortMostReviewed: {
		orderBy: "f.review_count DESC, f.id DESC", reverse: "f.review_count ASC, f.id ASC",
		key:       "(f.review_count, f.id)",
		cursor:    func(f film.ListedFilm) film.Cursor { return film.Cursor{Count: int64(f.ReviewCount), ID: f.ID} },
		cursorArg: func(c film.Cursor) []any { return []any{c.Count, c.ID} },
	},
	film.SortRecent: {
		orderBy: "f.last_review_at DESC, f.id DESC", reverse: "f.last_review_at ASC, f.id ASC",
		key: "(f.last_review_at, f.id)",
		cursor: func(f film.ListedFilm) film.Cursor {
			t := ""
			if !f.LastReviewAt.IsZero() {
				t = f.LastReviewAt.UTC().Format(timeLayout)
			}
			return film.Cursor{Text: t, ID: f.ID}
		},
		cursorArg: func(c film.Cursor) []any { return []any{c.Text, c.ID} },
	},
}

// listedFilmColumns is the select list scanListedFilm reads, over films f.
const listedFilmColumns = summaryColumns + `,
	coalesce((SELECT group_concat(genre, char(31)) FROM (SELECT genre FROM film_genres WHERE film_id = f.id ORDER BY position)), ''),
	f.rating_average, f.rating_count, f.rating_score, f.review_count, f.last_review_at`

func scanListedFilm(rows *sql.Rows) (film.ListedFilm, error) {
	var f film.ListedFilm
	dest, finish := listedFilmDest(&f)
	if err := rows.Scan(dest...); err != nil {
		return f, err
	}
	return f, finish()
}

// listedFilmDest returns where rows.Scan puts the columns of
// listedFilmColumns, and a function that completes f after the scan, so
// queries that select more columns after them can share the scan.
func listedFilmDest(f *film.ListedFilm) ([]any, func() error) {
	var genres, last string
	dest, finishSummary := summaryDest(&f.Summary)
	dest = append(dest, &genres, &f.RatingAverage, &f.RatingCount, &f.RatingScore, &f.ReviewCount, &last)
	return dest, func() (err error) {
		finishSummary()
		f.Genres = splitNames(genres)
		if last != "" {
			f.LastReviewAt, err = time.Parse(timeLayout, last)
		}
		return err
	}
}

// splitNames splits a group_concat made with char(31) as separator.
func splitNames(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\x1f")
}

// filmFilterSQL builds the FROM and WHERE clauses for a filter, with ?
// placeholders (filmsql.FilmFilterSQL).
func filmFilterSQL(f film.FilmFilter) (from string, where []string, args []any) {
	return filmsql.FilmFilterSQL(filmsql.SQLite, f)
}

// filmsPageQuery builds the query for the films of one page of the film
// index: their ids, in its order, one more than the page holds to learn
// whether another follows. The page's columns are read for those films
// alone (listedFilmsQuery): a filtered order is a sort of every film the
// filter selects, and reading the whole row of each (its directors and
// genres, its synopsis) into that sort cost a genre's page ten times
// what its ids do.
func filmsPageQuery(f film.FilmFilter) (query string, args []any, order filmOrder) {
	order, ok := filmOrders[f.Sort]
	if !ok {
		order = filmOrders[film.SortTitle]
	}
	from, where, args := filmFilterSQL(f)
	orderBy := order.orderBy
	if c := f.After; c != nil {
		where = append(where, order.key+filmsql.Compare(order.ascending, false)+filmsql.Placeholders(len(order.cursorArg(*c))))
		args = append(args, order.cursorArg(*c)...)
	}
	if c := f.Before; c != nil {
		where = append(where, order.key+filmsql.Compare(order.ascending, true)+filmsql.Placeholders(len(order.cursorArg(*c))))
		args = append(args, order.cursorArg(*c)...)
		orderBy = order.reverse
	}
	query = "SELECT f.id FROM " + from
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += " ORDER BY " + orderBy + " LIMIT +?"
	return query, append(args, f.Limit+1), order
}

// listedFilmsQuery reads the listed films whose ids its argument gives
// (a JSON array), in no particular order.
const listedFilmsQuery = "SELECT " + listedFilmColumns + " FROM films f WHERE f.id IN (SELECT value FROM json_each(?))"

// listedFilms reads the listed films with the given ids, in that order.
// In a page transaction, the films read at the same data version already
// come from the memo (memo.go).
func listedFilms(ctx context.Context, tx querier, ids []int64) ([]film.ListedFilm, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	page, _ := tx.(preparedTx)
	var byID map[int64]film.ListedFilm
	missing := ids
	if page.listed != nil {
		byID, missing = page.listed.getMany(page.version(), ids)
	}
	if byID == nil {
		byID = make(map[int64]film.ListedFilm, len(ids))
	}
	if len(missing) > 0 {
		rows, err := scanAll(ctx, tx, listedFilmsQuery, []any{idList(missing)}, scanListedFilm)
		if err != nil {
			return nil, err
		}
		for _, f := range rows {
			byID[f.ID] = f
		}
		if page.listed != nil {
			page.listed.put(page.version(), rows...)
		}
	}
	films := make([]film.ListedFilm, 0, len(ids))
	for _, id := range ids {
		if f, ok := byID[id]; ok {
			films = append(films, f)
		}
	}
	return films, nil
}

// filmList returns one page of the film index: the films matching the
// filter, in its order, starting after (or ending before) its cursor.
func filmList(ctx context.Context, tx querier, f film.FilmFilter) (film.FilmList, error) {
	if page, ok := tx.(preparedTx); ok && page.lists != nil {
		list, ok, err := keptFilmListPage(ctx, page, f)
		if err != nil {
			return film.FilmList{}, fmt.Errorf("film index: %w", err)
		}
		if ok {
			return list, nil
		}
	}
	query, args, order := filmsPageQuery(f)
	from, countWhere, countArgs := filmFilterSQL(f)
	var page film.FilmList
	err := func() error {
		ids, err := scanAll(ctx, tx, query, args, func(rows *sql.Rows) (id int64, err error) {
			err = rows.Scan(&id)
			return
		})
		if err != nil {
			return err
		}
		more := len(ids) > f.Limit
		ids = ids[:min(len(ids), f.Limit)]
		if f.Before != nil {
			slices.Reverse(ids)
			page.HasPrev, page.HasNext = more, true
		} else {
			page.HasNext, page.HasPrev = more, f.After != nil
		}
		films, err := listedFilms(ctx, tx, ids)
		if err != nil {
			return err
		}
		for i := range films {
			films[i].Cursor = order.cursor(films[i])
		}
		page.Films = films
		if page.HasPrev && len(films) > 0 {
			if page.PrevAfter, err = prevPageStart(ctx, tx, f, films[0].Cursor); err != nil {
				return err
			}
		}
		page.Total, err = countFilms(ctx, tx, from, countWhere, countArgs)
		return err
	}()
	if err != nil {
		return film.FilmList{}, fmt.Errorf("film index: %w", err)
	}
	return page, nil
}

// keptFilmList is a whole film index list, every id in its order, with
// where each stands (memo.go's secondAskMemo keeps it).
type keptFilmList struct {
	ids []int64
	at  map[int64]int
}

// maxMemoListIDs bounds the ids kept in all, and maxMemoList the ids of
// one list: a longer list is always paged with SQL.
const (
	maxMemoListIDs = 100_000
	maxMemoList    = 5_000
)

// keptFilmListPage is filmList cut from the list's ids kept at the page
// transaction's version, when they are (see secondAskMemo): the same page,
// flags, previous page and total as the statements give. It reports false
// when it cannot answer, and filmList asks SQL: the list is too long, the
// page has both cursors, or a cursor is not where its film now stands
// (an address from before a change), where only the keyset comparison
// knows which films follow.
func keptFilmListPage(ctx context.Context, page preparedTx, f film.FilmFilter) (film.FilmList, bool, error) {
	if f.After != nil && f.Before != nil {
		return film.FilmList{}, false, nil
	}
	whole := f
	whole.After, whole.Before, whole.Limit = nil, nil, maxMemoList
	query, args, order := filmsPageQuery(whole)
	argsText, err := json.Marshal(args[:len(args)-1])
	if err != nil {
		return film.FilmList{}, false, err
	}
	key := query + "\x00" + string(argsText)
	list, found, asked := page.lists.lookup(page.version(), key)
	if !found {
		if asked != askedOnce {
			return film.FilmList{}, false, nil
		}
		ids, err := scanAll(ctx, page, query, args, func(rows *sql.Rows) (id int64, err error) {
			err = rows.Scan(&id)
			return
		})
		if err != nil {
			return film.FilmList{}, false, err
		}
		if len(ids) > maxMemoList {
			page.lists.refuse(page.version(), key)
			return film.FilmList{}, false, nil
		}
		list = keptFilmList{ids: ids, at: make(map[int64]int, len(ids))}
		for i, id := range ids {
			list.at[id] = i
		}
		page.lists.keep(page.version(), key, list, len(ids))
	}
	// where returns the place of the cursor's film in the list, if the
	// film is there with the very values the cursor holds.
	where := func(c film.Cursor) (int, bool, error) {
		i, ok := list.at[c.ID]
		if !ok {
			return 0, false, nil
		}
		films, err := listedFilms(ctx, page, []int64{c.ID})
		if err != nil || len(films) == 0 {
			return 0, false, err
		}
		return i, order.cursor(films[0]) == c, nil
	}
	var out film.FilmList
	var chosen []int64
	switch {
	case f.Before != nil:
		end, ok, err := where(*f.Before)
		if !ok || err != nil {
			return film.FilmList{}, false, err
		}
		chosen = list.ids[max(0, end-f.Limit):end]
		out.HasPrev, out.HasNext = end > f.Limit, true
	default:
		start := 0
		if f.After != nil {
			i, ok, err := where(*f.After)
			if !ok || err != nil {
				return film.FilmList{}, false, err
			}
			start = i + 1
		}
		rest := list.ids[start:]
		chosen = rest[:min(len(rest), max(f.Limit, 0))]
		out.HasNext, out.HasPrev = len(rest) > f.Limit, f.After != nil
	}
	films, err := listedFilms(ctx, page, chosen)
	if err != nil {
		return film.FilmList{}, false, err
	}
	for i := range films {
		films[i].Cursor = order.cursor(films[i])
	}
	out.Films = films
	if out.HasPrev && len(films) > 0 {
		if first := list.at[films[0].ID]; first > f.Limit {
			anchor, err := listedFilms(ctx, page, list.ids[first-f.Limit-1:first-f.Limit])
			if err != nil {
				return film.FilmList{}, false, err
			}
			if len(anchor) == 1 {
				c := order.cursor(anchor[0])
				out.PrevAfter = &c
			}
		}
	}
	out.Total = len(list.ids)
	return out, true, nil
}

// prevPageStart returns the cursor the page before the one whose first
// film is at first starts after: the films before first, nearest first,
// are that page and then the film it starts after, if any (none when it
// is the first page).
func prevPageStart(ctx context.Context, tx querier, f film.FilmFilter, first film.Cursor) (*film.Cursor, error) {
	f.After, f.Before = nil, &first
	query, args, order := filmsPageQuery(f)
	ids, err := scanAll(ctx, tx, query, args, func(rows *sql.Rows) (id int64, err error) {
		err = rows.Scan(&id)
		return
	})
	if err != nil || len(ids) <= f.Limit {
		return nil, err
	}
	films, err := listedFilms(ctx, tx, ids[f.Limit:])
	if err != nil || len(films) == 0 {
		return nil, err
	}
	c := order.cursor(films[0])
	return &c, nil
}

// filmCountQuery counts the films matching a filter
// (filmsql.FilmCountQuery).
func filmCountQuery(from string, where []string) string {
	return filmsql.FilmCountQuery(from, where)
}

// countFilms counts the films matching a filter.
func countFilms(ctx context.Context, tx querier, from string, where []string, args []any) (int, error) {
	var n int
	err := tx.QueryRowContext(ctx, filmCountQuery(from, where), args...).Scan(&n)
	return n, err
}

// facetKinds lists the filter kinds the index offers.
var facetKinds = []string{"decade", "genre", "country", "language", "director"}

// facets returns, for each filter kind, its values with how many films have
// each: the most common first, at most limit per kind (decades newest
// first). With no filter the counts come from the kept facet table; with
// filters they count the films the filters select, so each count says how
// many films that value would leave, as readers expect from a film index.
// Those counts walk only the selected films, through the same index that
// drives the page's own query.
func facets(ctx context.Context, tx querier, f film.FilmFilter, limit int) (map[string][]film.Facet, error) {
	from, where, args := filmFilterSQL(f)
	filtered := len(where) > 0
	facets := map[string][]film.Facet{}
	err := func() error {
		for _, kind := range facetKinds {
			query, qargs := facetQuery(kind, filtered, from, where, args, limit)
			list, err := scanAll(ctx, tx, query, qargs, func(rows *sql.Rows) (fc film.Facet, err error) {
				fc.Kind = kind
				err = rows.Scan(&fc.Value, &fc.Films)
				fc.Label = fc.Value
				return
			})
			if err != nil {
				return err
			}
			if kind == "director" {
				for i := range list {
					if err := tx.QueryRowContext(ctx, personNameQuery, list[i].Value).Scan(&list[i].Label); err != nil && !errors.Is(err, sql.ErrNoRows) {
						return err
					}
				}
			}
			facets[kind] = list
		}
		return nil
	}()
	if err != nil {
		return nil, fmt.Errorf("facets: %w", err)
	}
	return facets, nil
}

// facetQuery counts one kind of facet, over every film or over the films a
// filter selects.
func facetQuery(kind string, filtered bool, from string, where []string, args []any, limit int) (string, []any) {
	order := "ORDER BY films DESC, value"
	if kind == "decade" {
		order = "ORDER BY CAST(value AS INTEGER) DESC"
	}
	if !filtered {
		return "SELECT value, films FROM facet_counts WHERE kind = ? AND films > 0 " + order + " LIMIT +?", []any{kind, limit}
	}
	selected := "SELECT f.id AS film_id, f.year AS year FROM " + from + " WHERE " + strings.Join(where, " AND ")
	var join, value string
	switch kind {
	case "decade":
		return "SELECT CAST(year / 10 * 10 AS TEXT) AS value, count(*) AS films FROM (" + selected + ") GROUP BY year / 10 " +
			order + " LIMIT +?", append(slices.Clone(args), limit)
	case "genre":
		join, value = "CROSS JOIN film_genres x ON x.film_id = s.film_id", "x.genre"
	case "country":
		join, value = "CROSS JOIN film_countries x ON x.film_id = s.film_id", "x.country"
	case "language":
		join, value = "CROSS JOIN film_languages x ON x.film_id = s.film_id", "x.language"
	case "director":
		// Directing credits are unique per film and person, so plain counts
		// suffice, and only the top directors' slugs are looked up.
		return "SELECT xp.slug AS value, t.films FROM (SELECT x.person_id, count(*) AS films FROM (" + selected + ") s " +
				"CROSS JOIN credits x INDEXED BY credits_by_film ON x.film_id = s.film_id AND x.role = 'director' " +
				"GROUP BY x.person_id ORDER BY films DESC LIMIT +?) t CROSS JOIN people xp ON xp.id = t.person_id ORDER BY t.films DESC, xp.slug",
			append(slices.Clone(args), limit)
	}
	return "SELECT " + value + " AS value, count(DISTINCT s.film_id) AS films FROM (" + selected + ") s " + join +
		" GROUP BY value " + order + " LIMIT +?", append(slices.Clone(args), limit)
}

// facetFilmsQuery reads how many films have the facet value its arguments
// give (the kind and the value).
const facetFilmsQuery = "SELECT films FROM facet_counts WHERE kind = ? AND value = ?"

// personNameQuery reads the name of the person with the slug its argument
// gives: a director facet's label.
const personNameQuery = "SELECT name FROM people WHERE slug = ?"

// facetLabel returns the display label of one facet value and whether the
// value exists: a director's name for their slug, the value itself
// otherwise.
func facetLabel(ctx context.Context, q querier, kind, value string) (string, bool, error) {
	var films int
	err := q.QueryRowContext(ctx, facetFilmsQuery, kind, value).Scan(&films)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && films == 0) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("facet %s %q: %w", kind, value, err)
	}
	if kind != "director" {
		return value, true, nil
	}
	var name string
	if err := q.QueryRowContext(ctx, personNameQuery, value).Scan(&name); err != nil {
		return "", false, fmt.Errorf("director %q: %w", value, err)
	}
	return name, true, nil
}
