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

// PersonCreditDest are the scan destinations of a row of a person's
// credits: the film's id, slug, titles, title language, year and
// runtime, then the role, the character, the name the person is credited
// as and the billing, then the film's counts of ratings and reviews.
func PersonCreditDest(c *film.PersonCredit) []any {
	return []any{&c.Film.ID, &c.Film.Slug, &c.Film.Title, &c.Film.OriginalTitle, &c.Film.TitleLanguage,
		&c.Film.Year, &c.Film.RuntimeMinutes, &c.Role, &c.Character, &c.CreditedAs, &c.Billing,
		&c.FilmRatings, &c.FilmReviews}
}

// PersonCreditOrder is the order of a person's credits within one film
// (film.PersonPage.Credits): the site's role order, then billing,
// unbilled last.
const PersonCreditOrder = `CASE c.role WHEN 'director' THEN 0 WHEN 'writer' THEN 1 WHEN 'producer' THEN 2 WHEN 'cast' THEN 3
			WHEN 'cinematography' THEN 4 WHEN 'editing' THEN 5 ELSE 6 END,
			CASE WHEN c.billing = 0 THEN 1000000 ELSE c.billing END, c.id`
