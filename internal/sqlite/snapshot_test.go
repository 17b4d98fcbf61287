package sqlite_test

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
	"testing"

	"marquee/internal/film"
	"marquee/internal/sqlite"
)

// mustSnapshot dumps every row of every table of the database file at path,
// in a stable order, through a separate connection, so tests can check that
// an operation changed nothing.
func mustSnapshot(tb testing.TB, path string) string {
	tb.Helper()
	conn, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		tb.Fatal(err)
	}
	defer conn.Close()
	tables, err := conn.Query("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
	if err != nil {
		tb.Fatal(err)
	}
	var names []string
	for tables.Next() {
		var name string
		if err := tables.Scan(&name); err != nil {
			tb.Fatal(err)
		}
		names = append(names, name)
	}
	tables.Close()
	var b strings.Builder
	for _, name := range names {
		rows, err := conn.Query("SELECT * FROM " + name)
		if err != nil {
			tb.Fatal(err)
		}
		cols, _ := rows.Columns()
		var lines []string
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				tb.Fatal(err)
			}
			lines = append(lines, fmt.Sprintf("%v", vals))
		}
		rows.Close()
		sort.Strings(lines)
		fmt.Fprintf(&b, "== %s (%d rows)\n%s\n", name, len(lines), strings.Join(lines, "\n"))
	}
	return b.String()
}

// firstDifference shows the first line at which two snapshots differ.
func firstDifference(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) || i < len(bl); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			return fmt.Sprintf("line %d:\n- %s\n+ %s", i+1, x, y)
		}
	}
	return "(no difference)"
}

func sortStrings(s []string) { sort.Strings(s) }

// approvedReaderReviews returns every approved reader review of a film,
// newest first.
func approvedReaderReviews(ctx context.Context, db *sqlite.DB, filmSlug string) ([]film.ReaderReview, error) {
	page, err := db.ReaderReviewsPage(ctx, filmSlug, film.ReaderReviewFilter{Sort: film.SortNewest, Limit: -1})
	return page.Reviews.Reviews, err
}
