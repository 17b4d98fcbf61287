package postgres

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"marquee/internal/catalog/generator"
	"marquee/internal/film"
)

// derivedTables are queries reading every row that the triggers a bulk
// load disables write (ratings implied by reader reviews included), keyed
// by natural keys rather than ids, so two loads that numbered their rows
// differently compare.
var derivedTables = map[string]string{
	"films": `SELECT slug, rating_count, rating_average, rating_score, review_count, last_review_at,
		reader_reviews_changed_at FROM films ORDER BY slug`,
	"film_rating_stats": `SELECT f.slug, s.count, s.total, s.n1, s.n2, s.n3, s.n4, s.n5, s.n6, s.n7, s.n8, s.n9, s.n10, s.score
		FROM film_rating_stats s JOIN films f ON f.id = s.film_id ORDER BY f.slug`,
	"reader_reviews": `SELECT f.slug, v.display_name, v.title, v.created_at, v.status, v.rating, v.helpful_count
		FROM reader_reviews v JOIN films f ON f.id = v.film_id ORDER BY 1, 2, 3, 4`,
	"ratings": `SELECT f.slug, encode(r.token_hash, 'hex'), x.value, x.created_at, x.updated_at, x.held_burst
		FROM ratings x JOIN films f ON f.id = x.film_id JOIN readers r ON r.id = x.reader_id ORDER BY 1, 2`,
	"facet_counts": `SELECT kind, value, films FROM facet_counts ORDER BY kind, value`,
	// The indexes and constraints the load set aside are back as they were.
	"indexes": `SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1, 2`,
	"constraints": `SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), convalidated
		FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2`,
	"search_documents": `SELECT kind, tier, name, context, vector::text FROM search_documents ORDER BY 1, 2, 3, 4, 5`,
	// The ids of search documents, by the natural key of their source.
	"search_sources": `SELECT d.kind, coalesce(f.slug, p.slug, cf.slug || ' ' || c.character, cr.slug,
			rf.slug || ' ' || rv.display_name || ' ' || rv.title || ' ' || rv.created_at::text)
		FROM search_documents d
		LEFT JOIN films f ON d.kind IN (1, 4, 7) AND f.id = d.source
		LEFT JOIN people p ON d.kind = 2 AND p.id = d.source
		LEFT JOIN credits c ON d.kind = 3 AND c.id = d.source LEFT JOIN films cf ON cf.id = c.film_id
		LEFT JOIN critic_reviews cr ON d.kind = 5 AND cr.id = d.source
		LEFT JOIN reader_reviews rv ON d.kind = 6 AND rv.id = d.source LEFT JOIN films rf ON rf.id = rv.film_id
		ORDER BY 1, 2`,
}

// tableRows reads the rows of query, each as one line of text.
func tableRows(tb testing.TB, db *DB, query string) []string {
	tb.Helper()
	rows, err := db.pool.Query(context.Background(), query)
	if err != nil {
		tb.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	var lines []string
	for rows.Next() {
		values, err := rows.Values()
		if err != nil {
			tb.Fatal(err)
		}
		for i, v := range values {
			if at, ok := v.(time.Time); ok {
				values[i] = at.UTC().Format(time.RFC3339Nano)
			}
		}
		lines = append(lines, fmt.Sprintf("%v", values))
	}
	if err := rows.Err(); err != nil {
		tb.Fatal(err)
	}
	return lines
}

// rebuildCatalogue is a generated catalogue with reader reviews added whose
// readers are known: one reader reviews a film three times, the rating
// changing each time, and once more as spam; another twice with
// the same rating. Those are the cases where the ratings the reviews
// imply depend on the order of the reviews.
func rebuildCatalogue(tb testing.TB, films int) film.Catalog {
	tb.Helper()
	var c film.Catalog
	if err := generator.Generate(context.Background(), generator.Options{Films: films, Seed: 11}, &c); err != nil {
		tb.Fatal(err)
	}
	one, two := strings.Repeat("ab", 32), strings.Repeat("cd", 32)
	at := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	for i, r := range []struct {
		reader string
		film   int
		rating int
		status film.ModerationStatus
	}{
		{one, 0, 4, film.ModerationApproved},
		{one, 0, 8, film.ModerationPending},
		{one, 0, 2, film.ModerationSpam},
		{one, 0, 7, film.ModerationApproved},
		{two, 1, 6, film.ModerationApproved},
		{two, 1, 6, film.ModerationRejected},
		{one, 1, 9, film.ModerationApproved},
	} {
		c.ReaderReviews = append(c.ReaderReviews, film.ReaderReview{
			FilmSlug: c.Films[r.film].Slug, DisplayName: fmt.Sprintf("Known reader %d", i), Title: "Seen again",
			Rating: r.rating, Body: "Better the second time.", Status: r.status, Reader: r.reader,
			CreatedAt: at.Add(time.Duration(i) * time.Hour),
		})
	}
	return c
}

// TestBulkLoadMatchesImport loads one catalogue twice: through an import,
// whose triggers write the kept counts, search documents and the ratings
// reader reviews imply row by row, and through the bulk loader, whose
// rebuild writes them set by set; every table they write must come out
// the same, row for row. It also checks that the load left every trigger
// enabled, and that the triggers the loader disables are those the rebuild
// knows.
func TestBulkLoadMatchesImport(t *testing.T) {
	ctx := context.Background()
	c := rebuildCatalogue(t, 150)

	imported := newDB(t)
	if _, err := imported.Import(ctx, c); err != nil {
		t.Fatalf("import: %v", err)
	}

	loaded := newDB(t)
	loader, err := loaded.NewBulkLoader(ctx, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	loader.batchRows = 2000
	if err := c.Stream(loader); err != nil {
		t.Fatalf("bulk load: %v", err)
	}
	if err := loader.Close(); err != nil {
		t.Fatal(err)
	}

	names := slices.Sorted(func(yield func(string) bool) {
		for name := range derivedTables {
			if !yield(name) {
				return
			}
		}
	})
	for _, name := range names {
		want, got := tableRows(t, imported, derivedTables[name]), tableRows(t, loaded, derivedTables[name])
		if len(want) == 0 {
			t.Errorf("%s: the import wrote no rows", name)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s differs (-import +bulk load):\n%s", name, diff)
		}
	}

	// The disabled triggers are enabled again, and they are the ones the
	// rebuild writes for: a trigger added to a loaded table must be
	// added to bulk_rebuild.go, and here.
	triggers := tableRows(t, loaded, `SELECT tgname, tgenabled::text FROM pg_trigger
		WHERE NOT tgisinternal AND tgrelid = ANY (SELECT unnest($$`+"{"+strings.Join(bulkTriggerTables, ",")+"}"+`$$::text[])::regclass)
		ORDER BY tgname`)
	want := []string{
		"[critic_reviews_activity O]", "[facet_countries O]", "[facet_directors O]", "[facet_films O]", "[facet_genres O]",
		"[facet_languages O]", "[film_rating_stats_to_film O]", "[helpful_votes_keep_count O]", "[ratings_keep_stats O]", "[ratings_to_reviews O]",
		"[reader_reviews_activity O]", "[reader_reviews_rate O]", "[search_credits O]", "[search_critic_reviews O]",
		"[search_filming_locations O]", "[search_films O]", "[search_people O]", "[search_person_aliases O]",
		"[search_reader_reviews O]", "[search_soundtrack_tracks O]", "[search_soundtracks O]",
	}
	if diff := cmp.Diff(want, triggers); diff != "" {
		t.Errorf("the loaded tables' triggers after the load (-want +got):\n%s", diff)
	}

	// The triggers work again: a rating written now counts.
	var before, after int
	count := "SELECT rating_count FROM films WHERE slug = $1"
	slug := c.Films[2].Slug
	if err := loaded.pool.QueryRow(ctx, count, slug).Scan(&before); err != nil {
		t.Fatal(err)
	}
	if _, err := loaded.pool.Exec(ctx, `WITH r AS (INSERT INTO readers (token_hash, created_at)
			VALUES (sha256('after the load'), now()) RETURNING id)
		INSERT INTO ratings (film_id, reader_id, value, created_at, updated_at)
		SELECT (SELECT id FROM films WHERE slug = $1), id, 7, now(), now() FROM r`, slug); err != nil {
		t.Fatal(err)
	}
	if err := loaded.pool.QueryRow(ctx, count, slug).Scan(&after); err != nil {
		t.Fatal(err)
	}
	if after != before+1 {
		t.Errorf("a rating after the load took the count from %d to %d", before, after)
	}
}

// TestBulkLoadAnnounces checks that a finished load reaches another store
// on the same database through the change feed, so a server running on
// it ends its page cache's epoch.
func TestBulkLoadAnnounces(t *testing.T) {
	ctx := context.Background()
	url := pg.NewDatabase(t)
	loading, serving := mustOpen(t, url), mustOpen(t, url)
	waitFor(t, "the serving store listens", serving.changes.connected.Load)

	before := serving.DataVersion()
	loader, err := loading.NewBulkLoader(ctx, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := generator.Generate(ctx, generator.Options{Films: 5, Seed: 3}, loader); err != nil {
		t.Fatal(err)
	}
	if got := serving.DataVersion(); got != before {
		t.Errorf("the serving store's DataVersion moved from %d to %d before the load committed", before, got)
	}
	if err := loader.Close(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the serving store hears of the load", func() bool { return serving.DataVersion() != before })
	var films int
	if err := serving.pool.QueryRow(ctx, "SELECT count(*) FROM films").Scan(&films); err != nil || films != 5 {
		t.Errorf("the serving store sees %d films (%v), want 5", films, err)
	}
}

// TestBulkLoadAbort checks that a load given up part way leaves the
// database as it was, triggers enabled, ready for another load.
func TestBulkLoadAbort(t *testing.T) {
	ctx := context.Background()
	db := newDB(t)
	loader, err := db.NewBulkLoader(ctx, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	loader.batchRows = 100 // some rows are written before the abort
	if err := generator.Generate(ctx, generator.Options{Films: 10, Seed: 5}, loader); err != nil {
		t.Fatal(err)
	}
	loader.Abort()
	if err := loader.Close(); err == nil {
		t.Errorf("Close after Abort succeeded")
	}
	var films, disabled int
	if err := db.pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM films),
		(SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal AND tgenabled <> 'O')`).Scan(&films, &disabled); err != nil {
		t.Fatal(err)
	}
	if films != 0 || disabled != 0 {
		t.Errorf("after an abort: %d films, %d triggers disabled; want none", films, disabled)
	}

	// A load that fails as it ends rolls back too: a rating the catalogue
	// gives for a reader and film that the reader's review rated already.
	loader, err = db.NewBulkLoader(ctx, time.Now())
	if err != nil {
		t.Fatalf("a load after an aborted one: %v", err)
	}
	var c film.Catalog
	if err := generator.Generate(ctx, generator.Options{Films: 3, Seed: 5}, &c); err != nil {
		t.Fatal(err)
	}
	reader, at := strings.Repeat("ef", 32), time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	c.ReaderReviews = append(c.ReaderReviews, film.ReaderReview{FilmSlug: c.Films[0].Slug, DisplayName: "Twice", Title: "Twice",
		Rating: 3, Body: "Twice.", Status: film.ModerationApproved, Reader: reader, CreatedAt: at})
	c.Ratings = append(c.Ratings, film.ReaderRating{FilmSlug: c.Films[0].Slug, Reader: reader, Value: 5, CreatedAt: at, UpdatedAt: at})
	if err := c.Stream(loader); err != nil {
		t.Fatal(err)
	}
	if err := loader.Close(); err == nil {
		t.Fatal("a load with a rating its review's reader gave twice succeeded")
	}
	if err := db.pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM films),
		(SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal AND tgenabled <> 'O')`).Scan(&films, &disabled); err != nil {
		t.Fatal(err)
	}
	if films != 0 || disabled != 0 {
		t.Errorf("after a failed load: %d films, %d triggers disabled; want none", films, disabled)
	}

	loader, err = db.NewBulkLoader(ctx, time.Now())
	if err != nil {
		t.Fatalf("a load after a failed one: %v", err)
	}
	if err := generator.Generate(ctx, generator.Options{Films: 3, Seed: 5}, loader); err != nil {
		t.Fatal(err)
	}
	if err := loader.Close(); err != nil {
		t.Fatal(err)
	}
	if err := db.pool.QueryRow(ctx, "SELECT count(*) FROM films").Scan(&films); err != nil || films != 3 {
		t.Errorf("after the third load: %d films (%v), want 3", films, err)
	}
}
