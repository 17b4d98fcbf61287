package filmsql

import (
	"strconv"
	"strings"

	"marquee/internal/film"
)

// PersonDetailColumns are the columns of a person's details in the order
// PersonDetailValues and PersonDetailDest give them, so every statement
// that reads or writes a person names them once.
const PersonDetailColumns = "biography, birth_date, birth_place, death_date, death_place"

// PersonDetailValues are p's details as PersonDetailColumns lists them.
func PersonDetailValues(p film.Person) []any {
	return []any{p.Biography, string(p.BirthDate), p.BirthPlace, string(p.DeathDate), p.DeathPlace}
}

// PersonDetailDest are the scan destinations of p's details, as
// PersonDetailColumns lists them.
func PersonDetailDest(p *film.Person) []any {
	return []any{&p.Biography, &p.BirthDate, &p.BirthPlace, &p.DeathDate, &p.DeathPlace}
}

// SamePersonDetails reports whether a and b have the same details.
func SamePersonDetails(a, b film.Person) bool {
	return a.Biography == b.Biography && a.BirthDate == b.BirthDate && a.BirthPlace == b.BirthPlace &&
		a.DeathDate == b.DeathDate && a.DeathPlace == b.DeathPlace
}

// CompanySlug is the slug a new company's name suggests; a name with no
// letters or digits at all suggests "company". UniqueSlug then makes it
// unique.
func CompanySlug(name string) string {
	if s := film.Slugify(name); s != "" {
		return s
	}
	return "company"
}

// UniqueSlug returns base, or base-2, base-3… when taken says a slug is
// in use, so two names that slugify alike ("Studio A", "Studio-A") still
// get pages of their own. Its one error is taken's.
func UniqueSlug(base string, taken func(string) (bool, error)) (string, error) {
	for n := 1; ; n++ {
		candidate := base
		if n > 1 {
			suffix := "-" + strconv.Itoa(n)
			candidate = strings.TrimRight(base[:min(len(base), 100-len(suffix))], "-") + suffix
		}
		used, err := taken(candidate)
		if err != nil {
			return "", err
		}
		if !used {
			return candidate, nil
		}
	}
}

// KnownForDest are the scan destinations of a row of a person's best-known
// films: the film's id, slug, titles, title language, year and runtime,
// then the person's role and character, and the film's counts of ratings
// and reviews.
func KnownForDest(k *film.KnownFor) []any {
	return []any{&k.Film.ID, &k.Film.Slug, &k.Film.Title, &k.Film.OriginalTitle, &k.Film.TitleLanguage,
		&k.Film.Year, &k.Film.RuntimeMinutes, &k.Role, &k.Character, &k.Ratings, &k.Reviews}
}

// PersonCreditDest are the scan destinations of a row of a person's
// credits: the film as KnownForDest reads it, then the role, the
// character and the name the person is credited as.
func PersonCreditDest(c *film.PersonCredit) []any {
	return []any{&c.Film.ID, &c.Film.Slug, &c.Film.Title, &c.Film.OriginalTitle, &c.Film.TitleLanguage,
		&c.Film.Year, &c.Film.RuntimeMinutes, &c.Role, &c.Character, &c.CreditedAs}
}
