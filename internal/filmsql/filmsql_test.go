package filmsql

import (
	"strings"
	"testing"
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
