package filmsql

import (
	"marquee/internal/film"
)

// CriticReviewSelect is the select list of a critic review as the pages
// read it, over CriticReviewFrom (critic_reviews r with
// CriticReviewJoins); CriticReviewColumns is the two together.
const (
	CriticReviewSelect = `r.id, r.slug, f.slug, r.headline, r.author, coalesce(p.slug, ''), r.publication,
	r.rating_value, r.rating_scale, r.pull_quote, r.body, r.spoilers, r.status, r.published_at, r.updated_at`
	CriticReviewJoins   = ` JOIN films f ON f.id = r.film_id LEFT JOIN people p ON p.id = r.author_person_id`
	CriticReviewFrom    = ` FROM critic_reviews r` + CriticReviewJoins
	CriticReviewColumns = CriticReviewSelect + CriticReviewFrom
)

// ReviewShownRating is the rating a public page shows with a reader
// review r: its reader's rating of the film, the one source of truth,
// which the histogram counts, or 0 (unrated) once the reader has taken it
// back. A review with no reader (only a bot's, stored as spam) shows its
// own.
const ReviewShownRating = `CASE WHEN r.reader_id IS NULL THEN r.rating ELSE coalesce(
	(SELECT rt.value FROM ratings rt WHERE rt.film_id = r.film_id AND rt.reader_id = r.reader_id), 0) END`

// PublicReaderReviewColumns is the select list of a reader review as the
// pages read it, with the rating they show (ReviewShownRating).
const PublicReaderReviewColumns = `r.id, f.slug, r.display_name, r.title, ` + ReviewShownRating + `,
	r.body, r.spoilers, r.status, r.created_at, r.helpful_count
	FROM reader_reviews r JOIN films f ON f.id = r.film_id`

// ReaderReviewOrder is the ORDER BY clause of each sort of a film's
// reader reviews, newest first for a sort it does not know. Every order
// ends in the id so pages never overlap or skip a review when values tie.
func ReaderReviewOrder(sort film.ReaderReviewSort) string {
	switch sort {
	case film.SortHighest:
		return "r.rating DESC, r.created_at DESC, r.id DESC"
	case film.SortLowest:
		return "r.rating ASC, r.created_at DESC, r.id DESC"
	case film.SortHelpful:
		return "r.helpful_count DESC, r.created_at DESC, r.id DESC"
	}
	return "r.created_at DESC, r.id DESC"
}

// ReaderReviewsQueries builds the statements that read a film's reader
// reviews, in d's dialect: one counts the approved reader reviews of the
// film its argument names that the filter selects, the other lists a page
// of them in the filter's order (its arguments the film's id, the limit
// and the offset).
func ReaderReviewsQueries(d Dialect, f film.ReaderReviewFilter) (count, page string) {
	where := "r.film_id = ? AND r.status = 'approved'"
	if f.HideSpoilers {
		where += " AND " + d.not("r.spoilers")
	}
	return d.Bind("SELECT count(*) FROM reader_reviews r WHERE " + where),
		d.Bind("SELECT " + PublicReaderReviewColumns + " WHERE " + where + " ORDER BY " + ReaderReviewOrder(f.Sort) + " " + d.Limit() + " OFFSET ?")
}
