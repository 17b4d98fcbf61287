package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"marquee/internal/film"
	"marquee/migrations"
)

// mustOpenMigrated opens a new, migrated database in a temporary directory
// for tests inside the package, which read the unexported pools and query
// builders.
func mustOpenMigrated(tb testing.TB) *DB {
	tb.Helper()
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(tb.TempDir(), "plans.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx, migrations.FS); err != nil {
		tb.Fatal(err)
	}
	return db
}

// queryPlan returns SQLite's plan for query, one step per line.
func queryPlan(tb testing.TB, db *DB, query string, args ...any) string {
	tb.Helper()
	rows, err := db.read.Query("EXPLAIN QUERY PLAN "+query, args...)
	if err != nil {
		tb.Fatalf("explain %s: %v", query, err)
	}
	defer rows.Close()
	var steps []string
	for rows.Next() {
		var id, parent, notused int
		var detail string
		if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
			tb.Fatal(err)
		}
		steps = append(steps, detail)
	}
	return strings.Join(steps, "\n")
}

// scansTable reports whether a plan reads a whole table or index rather
// than searching it: a SCAN step that is not an ordered walk of an index
// (which a LIMIT stops early) and not a correlated subquery's own rows.
func scansTable(plan string) (string, bool) {
	// A co-routine is a subquery's own small result, read once.
	coroutines := map[string]bool{}
	for _, step := range strings.Split(plan, "\n") {
		if name, ok := strings.CutPrefix(strings.TrimSpace(step), "CO-ROUTINE "); ok {
			coroutines[name] = true
		}
	}
	for _, step := range strings.Split(plan, "\n") {
		step = strings.TrimSpace(step)
		if !strings.HasPrefix(step, "SCAN ") || strings.Contains(step, "USING INDEX") || strings.Contains(step, "USING COVERING INDEX") ||
			strings.HasPrefix(step, "SCAN CONSTANT ROW") || strings.HasPrefix(step, "SCAN (subquery-") || coroutines[strings.TrimPrefix(step, "SCAN ")] {
			continue
		}
		return step, true
	}
	return "", false
}

// TestPageQueriesUseIndexes checks the plan of every listing query: none may
// scan a table, and the unfiltered orders must come straight from an index
// (no sort of every film per request). Plans do not depend on the amount
// of data without ANALYZE, so an empty, migrated database shows them.
func TestPageQueriesUseIndexes(t *testing.T) {
	db := mustOpenMigrated(t)
	cursor := &film.Cursor{Text: "M", Value: 7, Count: 1990, ID: 500}
	for _, sort := range film.FilmSorts {
		for _, c := range []struct {
			name          string
			after, before *film.Cursor
		}{{"first page", nil, nil}, {"after", cursor, nil}, {"before", nil, cursor}} {
			q, args, _ := filmsPageQuery(film.FilmFilter{Sort: sort, Limit: 24, After: c.after, Before: c.before})
			plan := queryPlan(t, db, q, args...)
			if step, bad := scansTable(plan); bad {
				t.Errorf("sort %s, %s: scans a table (%s):\n%s", sort, c.name, step, plan)
			}
			if strings.Contains(plan, "TEMP B-TREE FOR ORDER BY") {
				t.Errorf("sort %s, %s: sorts every film instead of reading an index in order:\n%s", sort, c.name, plan)
			}
		}
	}
	filters := []film.FilmFilter{
		{Genre: "Drama"}, {Country: "France", Sort: film.SortRating}, {Language: "French", Sort: film.SortYear},
		{Director: "cedric-klapisch"}, {Year: 2008}, {Decade: 1990, Sort: film.SortMostReviewed},
		{Genre: "Drama", Country: "France", Director: "cedric-klapisch", After: cursor},
	}
	for _, f := range filters {
		f.Limit = 24
		q, args, _ := filmsPageQuery(f)
		plan := queryPlan(t, db, q, args...)
		if step, bad := scansTable(plan); bad {
			t.Errorf("filter %+v: scans a table (%s):\n%s", f, step, plan)
		}
		first := strings.SplitN(plan, "\n", 2)[0]
		if !strings.HasPrefix(first, "SEARCH") {
			t.Errorf("filter %+v: the query is not driven by an index search:\n%s", f, plan)
		}
	}

	for _, f := range filters {
		from, where, args := filmFilterSQL(f)
		for _, kind := range facetKinds {
			q, qargs := facetQuery(kind, true, from, where, args, 12)
			plan := queryPlan(t, db, q, qargs...)
			if step, bad := scansTable(plan); bad {
				t.Errorf("%s facet under filter %+v: scans a table (%s):\n%s", kind, f, step, plan)
			}
			// Each selected film's values must be found by its id, not by
			// walking every value of the kind.
			for _, step := range strings.Split(plan, "\n") {
				if strings.Contains(step, "SEARCH x ") && !strings.Contains(step, "film_id=?") {
					t.Errorf("%s facet under filter %+v: looks up values without the film id (%s):\n%s", kind, f, step, plan)
				}
			}
		}
	}

	now := time.Now().UTC().Format(timeLayout)
	others := map[string]struct {
		query string
		args  []any
	}{
		"film by slug":          {"SELECT id FROM films WHERE slug = ?", []any{"x"}},
		"film credits":          {"SELECT p.slug FROM credits c JOIN people p ON p.id = c.person_id WHERE c.film_id = ? ORDER BY c.role, c.billing", []any{1}},
		"person credits":        {"SELECT f.slug FROM credits c JOIN films f ON f.id = c.film_id WHERE c.person_id = ?", []any{1}},
		"company films":         {"SELECT f.slug FROM film_companies fc JOIN films f ON f.id = fc.film_id WHERE fc.company_id = ?", []any{1}},
		"published reviews":     {"SELECT id FROM critic_reviews WHERE film_id = ? AND status IN ('published', 'scheduled') AND published_at <= ? ORDER BY published_at DESC", []any{1, now}},
		"latest critic reviews": {"SELECT id FROM critic_reviews r INDEXED BY critic_reviews_public WHERE r.status IN ('published', 'scheduled') AND r.published_at <= ? ORDER BY r.published_at DESC, r.id DESC LIMIT 6", []any{now}},
		"rating stats":          {"SELECT count FROM film_rating_stats WHERE film_id = ?", []any{1}},
		"facets":                {"SELECT value, films FROM facet_counts WHERE kind = ? AND films > 0 ORDER BY films DESC, value LIMIT 12", []any{"genre"}},
		"film count":            {"SELECT coalesce(sum(films), 0) FROM facet_counts WHERE kind = 'decade'", nil},
		"top rated":             {"SELECT f.id FROM films f INDEXED BY films_by_rating WHERE f.rating_count >= 10 ORDER BY f.rating_average DESC, f.rating_count DESC, f.id DESC LIMIT 6", nil},
		"trending":              {"SELECT film_id, count(*) AS n FROM ratings INDEXED BY ratings_by_film_time WHERE updated_at > ? GROUP BY film_id ORDER BY n DESC LIMIT 6", []any{now}},
	}
	for _, sortName := range []film.ReaderReviewSort{film.SortNewest, film.SortHighest, film.SortLowest, film.SortHelpful} {
		others["reader reviews "+string(sortName)] = struct {
			query string
			args  []any
		}{fmt.Sprintf("SELECT r.id FROM reader_reviews r WHERE r.film_id = ? AND r.status = 'approved' ORDER BY %s LIMIT 20", readerReviewOrder[sortName]), []any{1}}
	}
	for name, q := range others {
		plan := queryPlan(t, db, q.query, q.args...)
		if step, bad := scansTable(plan); bad {
			t.Errorf("%s: scans a table (%s):\n%s", name, step, plan)
		}
		if name == "latest critic reviews" && strings.Contains(plan, "TEMP B-TREE FOR ORDER BY") {
			t.Errorf("%s: sorts every public review instead of reading them in order:\n%s", name, plan)
		}
	}
}
