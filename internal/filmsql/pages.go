package filmsql

import (
	"strconv"

	"marquee/internal/film"
)

// FilterValue is one value a film index filter sets: its facet kind and
// the value as the facet table stores it.
type FilterValue struct{ Kind, Value string }

// FilterValues lists the values f sets, each to be labelled from the
// facet table, in the order the page names them.
func FilterValues(f film.FilmFilter) []FilterValue {
	all := []FilterValue{
		{"year", yearText(f.Year)}, {"decade", yearText(f.Decade)}, {"country", f.Country},
		{"language", f.Language}, {"genre", f.Genre}, {"director", f.Director},
	}
	set := all[:0]
	for _, v := range all {
		if v.Value != "" {
			set = append(set, v)
		}
	}
	return set
}

// yearText is a year or decade as the facet table stores it, "" for none.
func yearText(y int) string {
	if y == 0 {
		return ""
	}
	return strconv.Itoa(y)
}
