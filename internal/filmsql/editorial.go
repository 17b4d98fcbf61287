package filmsql

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"marquee/internal/film"
)

// Lookup finds the ids of records by their natural keys in a store's
// transaction, with film.ErrNotFound for one it does not hold.
type Lookup struct {
	FilmID, PersonID func(slug string) (int64, error)
}

// CheckFilmReferences returns film.Problems when f's slug is taken by a
// film other than self or a credit names a person not in the catalogue.
func CheckFilmReferences(ids Lookup, f film.Film, self int64) error {
	problems := film.Problems{}
	if other, err := ids.FilmID(f.Slug); err == nil && other != self {
		problems.Add("slug", "is already used by another film")
	} else if err != nil && !errors.Is(err, film.ErrNotFound) {
		return err
	}
	for i, c := range f.Credits {
		if _, err := ids.PersonID(c.PersonSlug); errors.Is(err, film.ErrNotFound) {
			problems.Add(fmt.Sprintf("credits[%d].person", i), "is not a person in the catalogue")
		} else if err != nil {
			return err
		}
	}
	return problems.Err()
}

// CheckReviewReferences returns film.Problems when r's slug is taken by a
// review other than self (slugOwner is the id of the review that holds
// it, 0 for none), or its film or byline person is not in the catalogue.
func CheckReviewReferences(ids Lookup, r film.CriticReview, self, slugOwner int64) error {
	problems := film.Problems{}
	if slugOwner != 0 && slugOwner != self {
		problems.Add("slug", "is already used by another review")
	}
	if _, err := ids.FilmID(r.FilmSlug); errors.Is(err, film.ErrNotFound) {
		problems.Add("film", "is not a film in the catalogue")
	} else if err != nil {
		return err
	}
	if r.AuthorSlug != "" {
		if _, err := ids.PersonID(r.AuthorSlug); errors.Is(err, film.ErrNotFound) {
			problems.Add("author_person", "is not a person in the catalogue")
		} else if err != nil {
			return err
		}
	}
	return problems.Err()
}

// EditedReviewColumns is the select list of a critic review as the desk
// reads it. The body is left out of lists (withBody false), where it would
// only be read to be thrown away.
func EditedReviewColumns(withBody bool) string {
	body := "''"
	if withBody {
		body = "r.body"
	}
	return `r.id, r.slug, f.slug, r.headline, r.author, coalesce(p.slug, ''), r.publication,
		r.rating_value, r.rating_scale, r.pull_quote, ` + body + `, r.spoilers, r.status, r.published_at, r.updated_at,
		coalesce(r.created_by, 0), coalesce(u.name, ''), f.title, f.year, r.created_at,
		coalesce(v.number, 0), v.at
	FROM critic_reviews r
		JOIN films f ON f.id = r.film_id
		LEFT JOIN people p ON p.id = r.author_person_id
		LEFT JOIN users u ON u.id = r.created_by
		LEFT JOIN critic_review_revisions v ON v.review_id = r.id
			AND v.number = (SELECT max(number) FROM critic_review_revisions WHERE review_id = r.id)`
}

// EditedReviewsQuery builds the statement that lists critic reviews for
// the desk, newest first, in d's dialect, with its arguments: a page of
// limit reviews and one more, which says whether another page follows
// without counting the whole table. An author matches by prefix, ignoring
// case (SQLite's LIKE ignores the case of ASCII letters, PostgreSQL's
// ILIKE of every letter).
func EditedReviewsQuery(d Dialect, f film.EditedReviewFilter, limit int) (string, []any) {
	var (
		where []string
		args  []any
	)
	if f.Status != "" {
		where = append(where, "r.status = ?")
		args = append(args, string(f.Status))
	}
	if f.Author != "" {
		where = append(where, `r.author `+d.caseFreeLike()+` ? ESCAPE '\'`)
		args = append(args, LikePrefix(f.Author))
	}
	if f.FilmSlug != "" {
		where = append(where, "f.slug = ?")
		args = append(args, f.FilmSlug)
	}
	if f.OwnerID != 0 {
		where = append(where, "r.created_by = ?")
		args = append(args, f.OwnerID)
	}
	query := "SELECT " + EditedReviewColumns(false)
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	return d.Bind(query + " ORDER BY r.id DESC " + d.Limit() + " OFFSET ?"), append(args, limit+1, max(0, f.Offset))
}

// LikePrefix makes a LIKE pattern matching text that starts with s, with
// LIKE's own wildcards in s escaped (for ESCAPE '\').
func LikePrefix(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s) + "%"
}

// Page is the first limit of items, read as limit and one more, and
// whether there were more.
func Page[T any](items []T, limit int) film.ListPage[T] {
	if len(items) > limit {
		return film.ListPage[T]{Items: items[:limit], More: true}
	}
	return film.ListPage[T]{Items: items}
}

// RevisedReview is r as a save over stored at now writes it, and whether
// stored was public: a review that was public and stays public records now
// as its "updated" time, one becoming public starts without one, and one
// that is not public keeps the time it had.
func RevisedReview(stored, r film.CriticReview, now time.Time) (film.CriticReview, bool) {
	wasPublic, isPublic := stored.Public(now), r.Public(now)
	switch {
	case wasPublic && isPublic:
		r.UpdatedAt = now
	case isPublic:
		r.UpdatedAt = time.Time{}
	default:
		r.UpdatedAt = stored.UpdatedAt
	}
	return r, wasPublic
}

// RevisionDetail is the audit log's detail of a save of a review whose
// slug was old and is now new, restoring revision restoredFrom (0 for
// none).
func RevisionDetail(old, new string, restoredFrom int) string {
	detail := new
	if new != old {
		detail = old + " → " + new
	}
	if restoredFrom > 0 {
		detail += fmt.Sprintf(" (revision %d)", restoredFrom)
	}
	return detail
}

// RestoredReview is the text of revision old brought back over the
// review stored: the review keeps its id, status and publication times, as
// restoring words is not publishing them, nor taking them down.
func RestoredReview(old, stored film.CriticReview) film.CriticReview {
	r := old
	r.ID = stored.ID
	r.Status, r.PublishedAt, r.UpdatedAt = stored.Status, stored.PublishedAt, stored.UpdatedAt
	return r
}
