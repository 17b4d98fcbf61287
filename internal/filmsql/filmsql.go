// Package filmsql holds what the two SQL stores (internal/sqlite and
// internal/postgres) share that needs no database: how the film record
// maps onto tables, how an import compares and counts records, how
// pictures are split and chosen, the SQL text that both dialects read
// alike. Each store keeps its own statements where the SQL differs, and
// all of its driver calls; a fix to the logic here lands in both at once.
//
// Statements kept here are written with ? placeholders; a store turns
// them into its own dialect once, when the package starts (Dialect.Bind),
// never per call.
package filmsql

import (
	"strconv"
	"strings"
)

// Dialect is the SQL a store speaks, for the few places where the shared
// statements are written differently.
type Dialect int

const (
	// SQLite numbers its placeholders ?, in order.
	SQLite Dialect = iota + 1
	// PostgreSQL numbers its placeholders $1, $2, ….
	PostgreSQL
)

// Bind returns query with its ? placeholders as d writes them: unchanged
// for SQLite, $1, $2… in order for PostgreSQL. The statements given to it
// hold no ? other than placeholders (no string literal with one, no JSON
// operator), which is why only this package's own statements go through it.
func (d Dialect) Bind(query string) string {
	if d != PostgreSQL || !strings.Contains(query, "?") {
		return query
	}
	var b strings.Builder
	b.Grow(len(query) + 8)
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Limit is a LIMIT clause whose count is the next placeholder. SQLite
// reads the count bound to a plain "LIMIT ?" while it plans the statement,
// and so marks the statement to be prepared anew whenever that parameter
// is bound again, which is every time it runs: the statement is parsed
// and planned at each run as if it had never been prepared. A unary plus
// is the same number to SQLite but not one it reads at planning time.
// The SQLite store's own statements write "LIMIT +?" likewise.
func (d Dialect) Limit() string {
	if d == SQLite {
		return "LIMIT +?"
	}
	return "LIMIT ?"
}

// caseFreeLike is the LIKE operator that ignores case in d.
func (d Dialect) caseFreeLike() string {
	if d == PostgreSQL {
		return "ILIKE"
	}
	return "LIKE"
}

// caseFreeOrder is expr ordered without regard to case in d.
func (d Dialect) caseFreeOrder(expr string) string {
	if d == PostgreSQL {
		return "lower(" + expr + ")"
	}
	return expr + " COLLATE NOCASE"
}

// not is the condition that the boolean column col is false in d, where
// SQLite keeps booleans as 0 and 1.
func (d Dialect) not(col string) string {
	if d == PostgreSQL {
		return "NOT " + col
	}
	return col + " = 0"
}

// truth is the literal for true in d.
func (d Dialect) truth() string {
	if d == PostgreSQL {
		return "true"
	}
	return "1"
}

// LimitArg is the LIMIT argument of a page of limit rows in d, where a
// limit of 0 or less lets every row through (LIMIT -1 in SQLite, LIMIT
// NULL in PostgreSQL).
func LimitArg(d Dialect, limit int) any {
	switch {
	case limit > 0:
		return limit
	case d == PostgreSQL:
		return nil
	}
	return -1
}

// NullIfEmpty stores an empty string as NULL, for columns where NULL means
// unknown.
func NullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// NullIfZero stores 0 as NULL, for columns where NULL means unknown.
func NullIfZero[T int | int64 | float64](v T) any {
	if v == 0 {
		return nil
	}
	return v
}
