package filmsql

import (
	"slices"
	"strings"
	"testing"
	"time"

	"marquee/internal/film"
)

func TestBind(t *testing.T) {
	for _, c := range []struct {
		d          Dialect
		query, out string
	}{
		{SQLite, "SELECT a FROM t WHERE b = ? AND c = ?", "SELECT a FROM t WHERE b = ? AND c = ?"},
		{PostgreSQL, "SELECT a FROM t WHERE b = ? AND c = ?", "SELECT a FROM t WHERE b = $1 AND c = $2"},
		{PostgreSQL, "SELECT a FROM t", "SELECT a FROM t"},
	} {
		if got := c.d.Bind(c.query); got != c.out {
			t.Errorf("%d.Bind(%q) = %q, want %q", c.d, c.query, got, c.out)
		}
	}
}

func TestRecordListsBindEachQuery(t *testing.T) {
	for _, l := range RecordLists(PostgreSQL) {
		if strings.Contains(l.Query, "?") || !strings.Contains(l.Query, "$1") {
			t.Errorf("%s: query %q is not in PostgreSQL's dialect", l.Name, l.Query)
		}
	}
	for i, l := range RecordLists(SQLite) {
		if l.Query != recordLists[i].Query {
			t.Errorf("%s: SQLite query rewritten to %q", l.Name, l.Query)
		}
	}
}

func TestSitemapStretch(t *testing.T) {
	counts := []int{3, 0, 2}
	for _, c := range []struct {
		offset, limit int
		total         int
		fixed         int
		reads         []SitemapRead
	}{
		{0, 100, 7, 2, []SitemapRead{{0, 0, 3}, {2, 0, 2}}},
		{1, 2, 7, 1, []SitemapRead{{0, 0, 1}}},
		{4, 2, 7, 0, []SitemapRead{{0, 2, 1}, {2, 0, 1}}},
		{7, 10, 7, 0, nil},
		{-3, 1, 7, 1, nil},
	} {
		total, fixed, reads := SitemapStretch(counts, c.offset, c.limit, time.Time{})
		if total != c.total || len(fixed) != c.fixed || !slices.Equal(reads, c.reads) {
			t.Errorf("SitemapStretch(%v, %d, %d) = %d, %d fixed, %v; want %d, %d, %v",
				counts, c.offset, c.limit, total, len(fixed), reads, c.total, c.fixed, c.reads)
		}
	}
}

func TestMoveStill(t *testing.T) {
	for _, c := range []struct {
		id    int64
		delta int
		moved bool
		want  []int64
	}{
		{2, 1, true, []int64{1, 3, 2}},
		{2, -1, true, []int64{2, 1, 3}},
		{3, 1, false, []int64{1, 2, 3}},
		{1, 0, false, []int64{1, 2, 3}},
		{9, 1, false, []int64{1, 2, 3}},
	} {
		order := []int64{1, 2, 3}
		if moved := MoveStill(order, c.id, c.delta); moved != c.moved || !slices.Equal(order, c.want) {
			t.Errorf("MoveStill(%d, %d) = %v, %v; want %v, %v", c.id, c.delta, moved, order, c.moved, c.want)
		}
	}
}

func TestQueriesInEachDialect(t *testing.T) {
	f := film.EditedReviewFilter{Status: film.ReviewDraft, Author: "ann_", FilmSlug: "paris-2008", OwnerID: 3, Offset: 50}
	lite, args := EditedReviewsQuery(SQLite, f, 50)
	pg, _ := EditedReviewsQuery(PostgreSQL, f, 50)
	if !strings.Contains(lite, "r.author LIKE ? ESCAPE") || !strings.Contains(pg, "r.author ILIKE $2 ESCAPE") ||
		!strings.HasSuffix(pg, "LIMIT $5 OFFSET $6") {
		t.Errorf("edited reviews:\nSQLite: %s\nPostgreSQL: %s", lite, pg)
	}
	if want := []any{"draft", `ann\_%`, "paris-2008", int64(3), 51, 50}; !slices.Equal(args, want) {
		t.Errorf("edited reviews' arguments = %v, want %v", args, want)
	}
	count, page, _ := ModerationQueueQueries(PostgreSQL, film.ModerationFilter{Status: film.ModerationPending})
	if count != "SELECT count(*) FROM reader_reviews r WHERE true AND r.status = $1" || !strings.HasSuffix(page, "LIMIT $2 OFFSET $3") {
		t.Errorf("moderation queue in PostgreSQL:\n%s\n%s", count, page)
	}
	if LimitArg(SQLite, 0) != -1 || LimitArg(PostgreSQL, 0) != nil || LimitArg(PostgreSQL, 5) != 5 {
		t.Errorf("LimitArg does not let every row through for 0, or does not keep a limit")
	}
}

func TestPageTiers(t *testing.T) {
	type read struct{ tier, limit, offset int }
	for _, c := range []struct {
		counts        []int
		offset, limit int
		want          []read
	}{
		{[]int{3, 0, 5}, 2, 4, []read{{0, 1, 2}, {2, 3, 0}}},
		{[]int{3, 0, 5}, 4, 10, []read{{2, 4, 1}}},
		{[]int{3, 0, 5}, 8, 10, nil},
		{[]int{3, 0, 5}, -1, 2, []read{{0, 2, 0}}},
	} {
		var got []read
		err := PageTiers(c.counts, SearchTotal(c.counts), c.offset, c.limit, func(tier, limit, offset int) (int, error) {
			got = append(got, read{tier, limit, offset})
			return limit, nil
		})
		if err != nil || !slices.Equal(got, c.want) {
			t.Errorf("PageTiers(%v, offset %d, limit %d) read %v, %v; want %v", c.counts, c.offset, c.limit, got, err, c.want)
		}
	}
}

func TestMatch(t *testing.T) {
	did := ""
	add := func() error { did = "add"; return nil }
	replace := func() error { did = "replace"; return nil }
	same := func(v bool) func() (bool, error) { return func() (bool, error) { return v, nil } }
	for _, c := range []struct {
		found  error
		update bool
		same   bool
		want   Outcome
		did    string
	}{
		{film.ErrNotFound, false, false, Added, "add"},
		{nil, false, false, Unchanged, ""},
		{nil, true, true, Unchanged, ""},
		{nil, true, false, Updated, "replace"},
	} {
		did = ""
		o, err := Match(c.found, c.update, add, same(c.same), replace)
		if err != nil || o != c.want || did != c.did {
			t.Errorf("Match(%v, update %t, same %t) = %d, %v, did %q; want %d, %q", c.found, c.update, c.same, o, err, did, c.want, c.did)
		}
	}
	o, err := MatchInserted(func() (bool, error) { return true, nil }, true, same(false), replace)
	if err != nil || o != Added {
		t.Errorf("MatchInserted of an inserted record = %d, %v; want Added", o, err)
	}
}

// TestSQLiteLimitsAreNotReadWhilePlanning checks the statement builders
// that page through rows: in SQLite none binds its LIMIT as a plain
// placeholder, whose value SQLite reads while planning and which so makes
// it prepare the statement again at every run (Dialect.Limit).
// PostgreSQL's keep the plain placeholder.
func TestSQLiteLimitsAreNotReadWhilePlanning(t *testing.T) {
	build := func(d Dialect) []string {
		_, audit, _ := AuditLogQueries(d, film.AuditFilter{})
		edited, _ := EditedReviewsQuery(d, film.EditedReviewFilter{}, 10)
		_, queue, _ := ModerationQueueQueries(d, film.ModerationFilter{})
		films, _ := ModerationFilmsQuery(d, "")
		_, readers := ReaderReviewsQueries(d, film.ReaderReviewFilter{})
		return []string{audit, edited, queue, films, readers}
	}
	for _, q := range build(SQLite) {
		if !strings.Contains(q, "LIMIT +?") || strings.Contains(q, "LIMIT ?") {
			t.Errorf("in SQLite the limit is not written LIMIT +?:\n%s", q)
		}
	}
	for _, q := range build(PostgreSQL) {
		if strings.Contains(q, "+$") || !strings.Contains(q, "LIMIT $") {
			t.Errorf("in PostgreSQL the limit is not a plain placeholder:\n%s", q)
		}
	}
}
