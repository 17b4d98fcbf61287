package filmsql

import (
	"strconv"
	"strings"

	"marquee/internal/film"
)

// join is the join that keeps the order its tables are written in: SQLite
// plans a CROSS JOIN in the order given, PostgreSQL plans a JOIN as it
// sees fit from its statistics.
func (d Dialect) join() string {
	if d == PostgreSQL {
		return "JOIN"
	}
	return "CROSS JOIN"
}

// FilmFilterSQL builds the FROM and WHERE clauses of the film index for a
// filter, with ? placeholders. The most selective filter drives the query
// through its index (in SQLite a CROSS JOIN fixes that join order), and
// the others are checked per film, so no filtered page scans the films
// table.
func FilmFilterSQL(d Dialect, f film.FilmFilter) (from string, where []string, args []any) {
	type cond struct {
		table, column string
		value         any
	}
	var conds []cond
	// In order of how few films each usually matches.
	if f.Director != "" {
		conds = append(conds, cond{"director", "", f.Director})
	}
	if f.Year != 0 {
		conds = append(conds, cond{"year", "", f.Year})
	}
	if f.Decade != 0 {
		conds = append(conds, cond{"decade", "", f.Decade})
	}
	if f.Country != "" {
		conds = append(conds, cond{"film_countries", "country", f.Country})
	}
	if f.Language != "" {
		conds = append(conds, cond{"film_languages", "language", f.Language})
	}
	if f.Genre != "" {
		conds = append(conds, cond{"film_genres", "genre", f.Genre})
	}
	join := d.join()
	from = "films f"
	for i, c := range conds {
		switch c.table {
		case "director":
			if i == 0 {
				from = `people dp ` + join + ` credits dc ON dc.person_id = dp.id AND dc.role = 'director' ` + join + ` films f ON f.id = dc.film_id`
				where = append(where, "dp.slug = ?")
			} else {
				where = append(where, `EXISTS (SELECT 1 FROM credits c2 JOIN people p2 ON p2.id = c2.person_id
					WHERE c2.film_id = f.id AND c2.role = 'director' AND p2.slug = ?)`)
			}
			args = append(args, c.value)
		case "year":
			where = append(where, "f.year = ?")
			args = append(args, c.value)
		case "decade":
			where = append(where, "f.year BETWEEN ? AND ?")
			args = append(args, c.value, c.value.(int)+9)
		default:
			alias := "x" + strconv.Itoa(i)
			if i == 0 {
				from = c.table + " " + alias + " " + join + " films f ON f.id = " + alias + ".film_id"
				where = append(where, alias+"."+c.column+" = ?")
			} else {
				where = append(where, "EXISTS (SELECT 1 FROM "+c.table+" "+alias+" WHERE "+alias+".film_id = f.id AND "+alias+"."+c.column+" = ?)")
			}
			args = append(args, c.value)
		}
	}
	return from, where, args
}

// Compare is the row-value operator that moves forward (or, for previous
// pages, backward) in an order of the film index.
func Compare(ascending, backwards bool) string {
	if ascending != backwards {
		return " > "
	}
	return " < "
}

// Placeholders is a row value of n ? placeholders: (?, ?, ?).
func Placeholders(n int) string {
	return "(" + strings.TrimSuffix(strings.Repeat("?, ", n), ", ") + ")"
}

// FilmCountQuery counts the films matching a filter, from the FROM and
// WHERE clauses FilmFilterSQL builds for it (and takes its arguments). The
// unfiltered count comes from the facet table rather than a scan of every
// film.
func FilmCountQuery(from string, where []string) string {
	if len(where) == 0 {
		return "SELECT coalesce(sum(films), 0) FROM facet_counts WHERE kind = 'decade'"
	}
	return "SELECT count(*) FROM " + from + " WHERE " + strings.Join(where, " AND ")
}
