package postgres

import (
	"fmt"
	"strconv"
	"strings"

	"marquee/internal/film"
)

// personDetailColumns are the columns of a person's details in the order
// personDetailValues and personDetailDest give them, so every statement
// that reads or writes a person names them once.
const personDetailColumns = "biography, birth_date, birth_place, death_date, death_place"

// personDetailAssignments sets every detail column from the arguments
// numbered from first on, in personDetailColumns order, for an UPDATE.
func personDetailAssignments(first int) string {
	var parts []string
	for i, c := range strings.Split(personDetailColumns, ", ") {
		parts = append(parts, c+" = $"+strconv.Itoa(first+i))
	}
	return strings.Join(parts, ", ")
}

// personDetailValues are p's details as personDetailColumns lists them.
func personDetailValues(p film.Person) []any {
	return []any{p.Biography, string(p.BirthDate), p.BirthPlace, string(p.DeathDate), p.DeathPlace}
}

// personDetailDest are the scan destinations of p's details, as
// personDetailColumns lists them.
func personDetailDest(p *film.Person) []any {
	return []any{&p.Biography, &p.BirthDate, &p.BirthPlace, &p.DeathDate, &p.DeathPlace}
}

// samePersonDetails reports whether a and b have the same details.
func samePersonDetails(a, b film.Person) bool {
	return a.Biography == b.Biography && a.BirthDate == b.BirthDate && a.BirthPlace == b.BirthPlace &&
		a.DeathDate == b.DeathDate && a.DeathPlace == b.DeathPlace
}

// companySlug is the slug a new company's name suggests; a name with no
// letters or digits at all suggests "company". uniqueSlug then makes it
// unique.
func companySlug(name string) string {
	if s := film.Slugify(name); s != "" {
		return s
	}
	return "company"
}

// uniqueSlug returns base, or base-2, base-3… when taken says a slug is
// in use, so two names that slugify alike ("Studio A", "Studio-A") still
// get pages of their own.
func uniqueSlug(base string, taken func(string) (bool, error)) (string, error) {
	for n := 1; ; n++ {
		candidate := base
		if n > 1 {
			suffix := "-" + strconv.Itoa(n)
			candidate = strings.TrimRight(base[:min(len(base), 100-len(suffix))], "-") + suffix
		}
		used, err := taken(candidate)
		if err != nil {
			return "", fmt.Errorf("unique slug for %q: %w", base, err)
		}
		if !used {
			return candidate, nil
		}
	}
}
