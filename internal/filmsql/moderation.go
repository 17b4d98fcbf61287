package filmsql

import (
	"fmt"

	"marquee/internal/film"
)

// ModerationFilmLimit bounds the films the moderation page offers as
// filters: the most reviews in the chosen state come first.
const ModerationFilmLimit = 300

// ModerationQueueQueries builds the statements of the moderation queue in
// d's dialect: one counts the reader reviews the filter selects (taking
// args), the other lists a page of them (taking args, the limit and the
// offset). Pending reviews come oldest first, so the queue is worked in
// the order readers wrote; the other states newest first.
func ModerationQueueQueries(d Dialect, f film.ModerationFilter) (count, page string, args []any) {
	where := d.truth()
	args = []any{}
	if f.Status != "" {
		where += " AND r.status = ?"
		args = append(args, string(f.Status))
	}
	if f.FilmSlug != "" {
		where += " AND r.film_id = (SELECT id FROM films WHERE slug = ?)"
		args = append(args, f.FilmSlug)
	}
	order := "r.created_at DESC, r.id DESC"
	if f.Status == film.ModerationPending {
		order = "r.created_at ASC, r.id ASC"
	}
	return d.Bind("SELECT count(*) FROM reader_reviews r WHERE " + where),
		d.Bind(`SELECT r.id, f.slug, r.display_name, r.title, r.rating, r.body, r.spoilers, r.status,
				r.created_at, r.helpful_count, f.title, f.year, r.moderated_at, coalesce(u.name, '')
			FROM reader_reviews r JOIN films f ON f.id = r.film_id LEFT JOIN users u ON u.id = r.moderated_by
			WHERE ` + where + ` ORDER BY ` + order + ` ` + d.Limit() + ` OFFSET ?`),
		args
}

// ModerationCountsQuery builds the statement that counts reader reviews
// by state, across all films or, given a slug, one film's, and its
// arguments.
func ModerationCountsQuery(d Dialect, filmSlug string) (string, []any) {
	if filmSlug != "" {
		return d.Bind("SELECT status, count(*) FROM reader_reviews WHERE film_id = (SELECT id FROM films WHERE slug = ?) GROUP BY status"),
			[]any{filmSlug}
	}
	return "SELECT status, count(*) FROM reader_reviews GROUP BY status", nil
}

// ModerationFilmsQuery builds the statement that lists the films with
// reader reviews in status ("" for any), by title, with how many each
// has, at most ModerationFilmLimit of those with the most; and its
// arguments.
func ModerationFilmsQuery(d Dialect, status film.ModerationStatus) (string, []any) {
	where, args := "", []any{}
	if status != "" {
		where, args = "WHERE status = ?", []any{string(status)}
	}
	return d.Bind(`SELECT f.slug, f.title, f.year, c.n FROM (
			SELECT film_id, count(*) AS n FROM reader_reviews ` + where + ` GROUP BY film_id ORDER BY n DESC ` + d.Limit() + `
		) c JOIN films f ON f.id = c.film_id
		ORDER BY ` + d.caseFreeOrder("f.title") + `, f.year, f.id`), append(args, ModerationFilmLimit)
}

// ModerationAction names the audit action of moving a reader review to
// status, and says whether status is one a review can be moved to.
func ModerationAction(status film.ModerationStatus) (string, bool) {
	switch status {
	case film.ModerationApproved:
		return "reader_review.approve", true
	case film.ModerationRejected:
		return "reader_review.reject", true
	case film.ModerationSpam:
		return "reader_review.spam", true
	case film.ModerationPending:
		return "reader_review.pending", true
	}
	return "", false
}

// ModerationDetail is the audit log's detail of a reader review titled
// title, on the film filmSlug, moved from old to status.
func ModerationDetail(old string, status film.ModerationStatus, title, filmSlug string) string {
	return fmt.Sprintf("%s → %s: “%s” on %s", old, status, title, filmSlug)
}

// DeskCountsQuery counts the reader reviews pending and held as spam and
// the critic reviews in draft and in review.
const DeskCountsQuery = `SELECT
	(SELECT count(*) FROM reader_reviews WHERE status = 'pending'),
	(SELECT count(*) FROM reader_reviews WHERE status = 'spam'),
	(SELECT count(*) FROM critic_reviews WHERE status = 'draft'),
	(SELECT count(*) FROM critic_reviews WHERE status = 'in_review')`
