package sqlite

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"marquee/internal/film"
	"marquee/internal/filmsql"
	"marquee/migrations"
)

// The plan tests explain the statements the store runs: the named
// constants and the builders the store methods call, with representative
// arguments, so a change to a query is a change to what these tests check.

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
	if err := rows.Err(); err != nil {
		tb.Fatalf("explain %s: %v", query, err)
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
		// json_each is the statement's own argument, a list of ids.
		if strings.HasPrefix(step, "SCAN json_each VIRTUAL TABLE") || strings.HasPrefix(step, "SCAN film_ids VIRTUAL TABLE") {
			continue
		}
		if !strings.HasPrefix(step, "SCAN ") || strings.Contains(step, "USING INDEX") || strings.Contains(step, "USING COVERING INDEX") ||
			strings.HasPrefix(step, "SCAN CONSTANT ROW") || strings.HasPrefix(step, "SCAN (subquery-") || coroutines[strings.TrimPrefix(step, "SCAN ")] {
			continue
		}
		return step, true
	}
	return "", false
}

// walksIndex reports whether a plan reads an index from one end rather
// than searching it: the ordered walk that scansTable allows, fine when a
// LIMIT stops it early, but a read of every row when nothing does.
func walksIndex(plan string) (string, bool) {
	for _, step := range strings.Split(plan, "\n") {
		step = strings.TrimSpace(step)
		if strings.HasPrefix(step, "SCAN ") && (strings.Contains(step, "USING INDEX") || strings.Contains(step, "USING COVERING INDEX")) {
			return step, true
		}
	}
	return "", false
}

// sortsRows reports whether a plan sorts rows for its ORDER BY rather
// than reading them in order from an index, wholly or in part: a sort of
// the "LAST TERM" or "RIGHT PART" of the order sorts every run of rows
// that tie on the index's part, which may be most of a table (every film
// never reviewed, say).
func sortsRows(plan string) bool {
	for _, step := range strings.Split(plan, "\n") {
		if step = strings.TrimSpace(step); strings.HasPrefix(step, "USE TEMP B-TREE FOR ") && strings.HasSuffix(step, "ORDER BY") {
			return true
		}
	}
	return false
}

// planCase is one statement to explain.
type planCase struct {
	name  string
	query string
	args  []any
	// inOrder says the rows must come in order from an index, not be
	// sorted per request.
	inOrder bool
	// walks says the statement may read an index from one end: an ordered
	// walk that its LIMIT stops, or a count of every row. Otherwise it
	// must search every index it reads.
	walks bool
	// search, if set, is a step the plan must hold: the index search that
	// bounds what the statement reads.
	search string
}

// checkPlans explains each statement and fails the test for a table scan,
// a walk of a whole index the case does not allow, a sort where the rows
// must come in index order, or a missing search step.
func checkPlans(t *testing.T, db *DB, cases []planCase) {
	t.Helper()
	for _, c := range cases {
		plan := queryPlan(t, db, c.query, c.args...)
		if step, bad := scansTable(plan); bad {
			t.Errorf("%s: scans a table (%s):\n%s", c.name, step, plan)
		}
		if step, walks := walksIndex(plan); walks && !c.walks {
			t.Errorf("%s: reads a whole index (%s):\n%s", c.name, step, plan)
		}
		if c.inOrder && sortsRows(plan) {
			t.Errorf("%s: sorts its rows per request instead of reading an index in order:\n%s", c.name, plan)
		}
		if c.search != "" && !strings.Contains(plan, c.search) {
			t.Errorf("%s: the plan lacks %q:\n%s", c.name, c.search, plan)
		}
	}
}

// TestFilmIndexQueriesUseIndexes checks the plans of the film index: none
// may scan a table, and the unfiltered orders must come straight from an
// index (no sort of every film per request). Plans do not depend on the
// amount of data without ANALYZE, so an empty, migrated database shows
// them.
func TestFilmIndexQueriesUseIndexes(t *testing.T) {
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
			if sortsRows(plan) {
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

	// The page's total and its facets: unfiltered from the facet table,
	// filtered over the films the filter selects.
	for _, f := range append([]film.FilmFilter{{}}, filters...) {
		from, where, args := filmFilterSQL(f)
		plan := queryPlan(t, db, filmCountQuery(from, where), args...)
		if step, bad := scansTable(plan); bad {
			t.Errorf("count under filter %+v: scans a table (%s):\n%s", f, step, plan)
		}
		for _, kind := range facetKinds {
			q, qargs := facetQuery(kind, len(where) > 0, from, where, args, 12)
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

	checkPlans(t, db, []planCase{
		{name: "facet label", query: facetFilmsQuery, args: []any{"genre", "Drama"}},
		{name: "director's name", query: personNameQuery, args: []any{"cedric-klapisch"}},
	})
}

// TestPageQueriesUseIndexes checks the plans of the other public pages'
// reads: the film page, the home page's sections, the person, company,
// critic review and reader reviews pages. None may scan a table, and the
// lists that stop after a few rows must read them in index order.
func TestPageQueriesUseIndexes(t *testing.T) {
	db := mustOpenMigrated(t)
	now := time.Now().UTC().Format(timeLayout)
	cases := []planCase{
		// The film page.
		{name: "film", query: filmQuery, args: []any{"x"}},
		{name: "film summary", query: filmSummaryQuery, args: []any{"x"}},
		{name: "published critic reviews", query: publishedCriticReviewsQuery, args: []any{1, now}},
		{name: "critic score", query: criticScoreQuery, args: []any{1, now}},
		{name: "rating stats", query: ratingStatsQuery, args: []any{1}},
		{name: "reader", query: readerQuery, args: []any{[]byte("x")}},
		{name: "reader's rating", query: readerRatingQuery, args: []any{1, 1}},

		// The home page.
		{name: "latest critic reviews", query: latestCriticReviewsQuery, args: []any{now, 6}, inOrder: true,
			search: "SEARCH r USING INDEX critic_reviews_public (published_at<?)"},
		{name: "top rated", query: topRatedFilmsQuery, args: []any{film.MinRatingsForTopRated, 6}, inOrder: true, walks: true},
		{name: "trending", query: trendingFilmsQuery, args: []any{now, 6},
			search: "SEARCH ratings USING COVERING INDEX ratings_published_by_time (updated_at>?)"},

		// The person page.
		{name: "person", query: personQuery, args: []any{"x"}},
		{name: "person aliases", query: personAliasesQuery, args: []any{1}, inOrder: true},
		{name: "person credits", query: personCreditsQuery, args: []any{1}},
		// Their films first, then those films' reviews: never every review
		// on the site in date order.
		{name: "reviews of a person's films", query: criticReviewsOfFilmsQuery, args: []any{"[1,2]", now, 6},
			search: "SEARCH r USING COVERING INDEX critic_reviews_by_film (film_id=? AND status=? AND published_at<?)"},
		{name: "critic review times of films", query: criticReviewStampsQuery, args: []any{"[1,2]"},
			search: "SEARCH r USING COVERING INDEX critic_reviews_by_film (film_id=? AND status=?)"},
		{name: "reviewed films by id", query: reviewedFilmsQuery, args: []any{"[1,2]"},
			search: "SEARCH r USING INTEGER PRIMARY KEY (rowid=?)"},

		// The company page.
		{name: "company", query: companyQuery, args: []any{"x"}},
		{name: "company films", query: companyFilmsQuery, args: []any{1, 100}},

		// A year's list: the years with films on either side.
		{name: "previous year with films", query: prevYearQuery, args: []any{"2008"}, inOrder: true},
		{name: "next year with films", query: nextYearQuery, args: []any{"2008"}, inOrder: true},

		// When pages next change by the clock alone.
		{name: "next publication", query: nextPublicationQuery, args: []any{now}},
		{name: "oldest trending rating", query: oldestTrendingRatingQuery, args: []any{now}},

		// The critic review page.
		{name: "public critic review", query: publicCriticReviewQuery, args: []any{"x", now}},

		// The reader reviews memo: how many a film has, and all of them.
		{name: "approved reader reviews of a film", query: approvedReviewsQuery, args: []any{1},
			search: "SEARCH reader_reviews USING COVERING INDEX reader_reviews_by_film_helpful (film_id=? AND status=?)"},
		{name: "all reader reviews of a film", query: allReaderReviewsQuery, args: []any{1, maxMemoFilmReviews + 1}},
	}
	// The lists of the film's record, each read in its stored order, but
	// the credits, which sort one film's few credits by role.
	for _, l := range recordLists {
		cases = append(cases, planCase{name: "film " + l.Name, query: l.Query, args: []any{1}, inOrder: l.Table != "credits" && l.Table != "soundtracks"})
	}
	// The reader reviews page, and the film page's most helpful ones.
	for _, sort := range []film.ReaderReviewSort{film.SortNewest, film.SortHighest, film.SortLowest, film.SortHelpful} {
		for _, hide := range []bool{false, true} {
			count, page := filmsql.ReaderReviewsQueries(filmsql.SQLite, film.ReaderReviewFilter{FilmID: 1, Sort: sort, HideSpoilers: hide})
			name := "reader reviews " + string(sort)
			if hide {
				name += " without spoilers"
			}
			cases = append(cases,
				planCase{name: name + " (count)", query: count, args: []any{1}},
				// Lowest first mixes directions (rating up, date down), which
				// no index holds: that order sorts the film's reviews.
				planCase{name: name, query: page, args: []any{1, 20, 0}, inOrder: sort != film.SortLowest})
		}
	}
	checkPlans(t, db, cases)
}

// TestCrawlQueriesUseIndexes checks the plans of the sitemap and the
// feeds. The sitemap reads every public page, so its lists walk an index
// in their order (a stretch of one is its LIMIT and OFFSET along it, never
// a sort of the whole table), and every change time behind an entry is
// found by a search from that entry: a person's reviews through their
// credits, not by reading every review for each person.
func TestCrawlQueriesUseIndexes(t *testing.T) {
	db := mustOpenMigrated(t)
	now := time.Now().UTC().Format(timeLayout)
	cases := []planCase{
		{name: "sitemap counts", query: filmsql.SitemapCountsQuery, args: []any{now}, walks: true},
		{name: "sitemap newest change", query: sitemapNewestQuery, args: []any{now}},
		{name: "film feed's film", query: filmFeedFilmQuery, args: []any{"x"}},
		{name: "film feed's reader reviews", query: filmFeedReaderReviewsQuery, args: []any{1, 50}, inOrder: true,
			search: "SEARCH r USING INDEX reader_reviews_by_film (film_id=? AND status=?)"},
	}
	searches := map[film.SitemapKind]string{
		film.SitemapFilm:         "SEARCH r USING INDEX critic_reviews_by_film (film_id=?",
		film.SitemapPerson:       "SEARCH r USING INDEX critic_reviews_by_film (film_id=?",
		film.SitemapYear:         "SEARCH y USING PRIMARY KEY (kind=?)",
		film.SitemapCriticReview: "SEARCH r USING INDEX critic_reviews_public (published_at<?)",
	}
	for _, l := range sitemapLists {
		args := []any{50_000, 100_000}
		if l.WithNow {
			args = append([]any{now}, args...)
		}
		// Years and critic reviews are searched for; the other kinds are
		// every row of their table, walked in slug order.
		walks := l.Kind != film.SitemapYear && l.Kind != film.SitemapCriticReview
		cases = append(cases, planCase{name: "sitemap " + string(l.Kind), query: l.Query, args: args,
			inOrder: true, walks: walks, search: searches[l.Kind]})
	}
	checkPlans(t, db, cases)
}
