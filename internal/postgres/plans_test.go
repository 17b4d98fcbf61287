package postgres

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"marquee/internal/catalog/generator"
	"marquee/internal/film"
	"marquee/internal/filmsql"
)

// The plan tests explain the statements the store runs (the named
// constants and the builders its methods call) with representative
// arguments, so a change to a query is a change to what they check: that
// an index serves each one. On a test's small tables PostgreSQL would
// rightly read whole tables, so each is explained with sequential scans
// priced out (enable_seqscan off): a plan that still reads a whole table
// has no index to use.

// queryPlan returns PostgreSQL's plan for query.
func queryPlan(t *testing.T, db *DB, query string, args ...any) string {
	t.Helper()
	var plan []string
	err := pgx.BeginFunc(context.Background(), db.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(context.Background(), "SET LOCAL enable_seqscan = off"); err != nil {
			return err
		}
		rows, err := tx.Query(context.Background(), "EXPLAIN "+query, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var line string
			if err := rows.Scan(&line); err != nil {
				return err
			}
			plan = append(plan, line)
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatalf("explain %s: %v", query, err)
	}
	return strings.Join(plan, "\n")
}

// seqScan finds a step of a plan that reads a whole table.
var seqScan = regexp.MustCompile(`Seq Scan on (\w+)`)

// TestPlansUseIndexes explains the statements of the pages, search, the
// readers' writes, the desk and the clock, and fails on any that reads a
// whole table.
func TestPlansUseIndexes(t *testing.T) {
	db := newDB(t)
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	hash := readerToken("plans")
	query := tsQuery(film.ParseSearch("paris 2008"), "")

	type stmt struct {
		name  string
		query string
		args  []any
	}
	stmts := []stmt{
		{"film", filmQuery, []any{"paris-2008"}},
		{"film summary", filmSummaryQuery, []any{"paris-2008"}},
		{"published critic reviews", publishedCriticReviewsQuery, []any{1, now}},
		{"public critic review", publicCriticReviewQuery, []any{"a-review", now}},
		{"critic score", criticScoreQuery, []any{1, now}},
		{"rating stats", ratingStatsQuery, []any{1}},
		{"reader rating", readerRatingQuery, []any{1, 1}},
		{"reader", readerQuery, []any{hash}},
		{"credited portraits", creditedPortraitsQuery, []any{1}},
		{"images of a film", imagesOfFilmQuery, []any{1}},
		{"posters of films", postersOfFilmsQuery, []any{[]int64{1, 2}}},
		{"portraits of people", portraitsOfPeopleQuery, []any{[]int64{1, 2}}},
		{"directors of films", directorsOfFilmsQuery, []any{[]int64{1, 2}}},
		{"person", personQuery, []any{"juliette-binoche"}},
		{"person aliases", personAliasesQuery, []any{1}},
		{"person credits", personCreditsQuery, []any{1}},
		{"reviews of a person's films", criticReviewsOfPersonsFilmsQuery, []any{1, now, 5}},
		{"latest critic reviews", latestCriticReviewsQuery, []any{now, 5}},
		{"top rated", topRatedFilmsQuery, []any{film.MinRatingsForTopRated, 5}},
		{"trending", trendingFilmsQuery, []any{now.Add(-film.TrendingWindow), 5}},
		{"company", companyQuery, []any{"studiocanal"}},
		{"company films", companyFilmsQuery, []any{1, 20}},
		{"next publication", nextPublicationQuery, []any{now}},
		{"oldest trending rating", oldestTrendingRatingQuery, []any{now}},
		{"user by email", userByEmailQuery, []any{"Editor@Example.com"}},
		{"session", sessionQuery, []any{hash}},
		{"film feed", filmFeedFilmQuery, []any{"paris-2008"}},
		{"film feed reader reviews", filmFeedReaderReviewsQuery, []any{1, 10}},
		{"films by title", filmsByTitleQuery, []any{"pa%", 11, 0}},
		{"previous year", prevYearQuery, []any{"2008"}},
		{"next year", nextYearQuery, []any{"2008"}},
	}
	for _, l := range recordLists {
		stmts = append(stmts, stmt{"film record: " + l.Name, l.Query, []any{1}})
	}
	for _, sort := range []film.ReaderReviewSort{film.SortNewest, film.SortHighest, film.SortLowest, film.SortHelpful} {
		count, page := filmsql.ReaderReviewsQueries(filmsql.PostgreSQL, film.ReaderReviewFilter{Sort: sort})
		stmts = append(stmts, stmt{"reader reviews count " + string(sort), count, []any{1}},
			stmt{"reader reviews " + string(sort), page, []any{1, 10, 0}})
	}
	for _, tier := range searchTiers {
		stmts = append(stmts, stmt{"search count " + tier.name, tier.count, tier.countArgs(query, now)},
			stmt{"search page " + tier.name, tier.page, tier.pageArgs(query, 10, 0, now)})
	}
	for _, f := range []film.FilmFilter{
		{Sort: film.SortTitle}, {Sort: film.SortYear}, {Sort: film.SortRating}, {Sort: film.SortMostReviewed}, {Sort: film.SortRecent},
		{Sort: film.SortTitle, After: &film.Cursor{Text: "Paris", Count: 2008, ID: 1}},
		{Sort: film.SortRecent, Before: &film.Cursor{ID: 1}},
		{Year: 2008}, {Decade: 2000}, {Genre: "Comedy"}, {Country: "France"}, {Language: "French"}, {Director: "cedric-klapisch"},
		{Genre: "Comedy", Director: "cedric-klapisch", Sort: film.SortRating},
	} {
		f.Limit = 20
		q, args, _ := filmsPageQuery(f)
		stmts = append(stmts, stmt{"film index " + string(f.Sort), rebind(q), args})
	}
	// The check can fail: a query no index serves reads the table even
	// with sequential scans priced out.
	if plan := queryPlan(t, db, "SELECT id FROM films WHERE synopsis = $1", "x"); !seqScan.MatchString(plan) {
		t.Fatalf("a query on an unindexed column plans without reading the table:\n%s", plan)
	}
	for _, s := range stmts {
		plan := queryPlan(t, db, s.query, s.args...)
		if m := seqScan.FindStringSubmatch(plan); m != nil {
			t.Errorf("%s reads the whole of %s:\n%s", s.name, m[1], plan)
		}
	}
}

// TestTrendingPlanReadsIndexOnly explains what readers are rating now on
// a small catalogue, vacuumed and analyzed as a bulk load leaves it: the
// count of recent published ratings must read the partial index of
// published ratings alone (migration 0003), never the ratings themselves.
// On so few rows a bitmap scan costs about the same, so bitmap scans are
// priced out as sequential scans are; on 4,000 generated films PostgreSQL
// picks the index-only scan by itself (70 pages read where a bitmap scan
// of ratings_by_film_time read 1,786).
func TestTrendingPlanReadsIndexOnly(t *testing.T) {
	ctx := context.Background()
	db := newDB(t)
	loader, err := db.NewBulkLoader(ctx, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := generator.Generate(ctx, generator.Options{Films: 100, Seed: 2}, loader); err != nil {
		t.Fatal(err)
	}
	if err := loader.Close(); err != nil {
		t.Fatal(err)
	}
	// The load's VACUUM may find the new rows not yet visible to every
	// transaction on the cluster, and leave the visibility map unset
	// (then an index-only scan must still read the table, and costs as
	// much as another plan); vacuum until it is set, as autovacuum would.
	waitFor(t, "VACUUM marks every page of ratings all-visible", func() bool {
		var pages, visible int
		if _, err := db.pool.Exec(ctx, "VACUUM ratings"); err != nil {
			t.Fatal(err)
		}
		if err := db.pool.QueryRow(ctx, "SELECT relpages, relallvisible FROM pg_class WHERE relname = 'ratings'").Scan(&pages, &visible); err != nil {
			t.Fatal(err)
		}
		return visible >= pages
	})
	now := time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC) // the generated catalogue's present
	var plan []string
	err = pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off"); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, "EXPLAIN "+trendingFilmsQuery, now.Add(-film.TrendingWindow), 5)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var line string
			if err := rows.Scan(&line); err != nil {
				return err
			}
			plan = append(plan, line)
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	if text := strings.Join(plan, "\n"); !strings.Contains(text, "Index Only Scan using ratings_published_by_time on ratings") {
		t.Errorf("the count of recent ratings does not read the published ratings' index alone:\n%s", text)
	}
}
