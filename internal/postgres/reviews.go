package postgres

import (
	"time"

	"github.com/jackc/pgx/v5"

	"marquee/internal/film"
)

// criticReviewSelect is the select list scanCriticReview reads, over
// criticReviewFrom (critic_reviews r with criticReviewJoins);
// criticReviewColumns is the two together.
const (
	criticReviewSelect = `r.id, r.slug, f.slug, r.headline, r.author, coalesce(p.slug, ''), r.publication,
	r.rating_value, r.rating_scale, r.pull_quote, r.body, r.spoilers, r.status, r.published_at, r.updated_at`
	criticReviewJoins   = ` JOIN films f ON f.id = r.film_id LEFT JOIN people p ON p.id = r.author_person_id`
	criticReviewFrom    = ` FROM critic_reviews r` + criticReviewJoins
	criticReviewColumns = criticReviewSelect + criticReviewFrom
)

func scanCriticReview(rows pgx.Rows) (film.CriticReview, error) {
	var (
		r                      film.CriticReview
		ratingValue            *float64
		ratingScale            *int
		publishedAt, updatedAt *time.Time
	)
	err := rows.Scan(&r.ID, &r.Slug, &r.FilmSlug, &r.Headline, &r.Author, &r.AuthorSlug, &r.Publication, &ratingValue, &ratingScale,
		&r.PullQuote, &r.Body, &r.Spoilers, &r.Status, &publishedAt, &updatedAt)
	if ratingValue != nil && ratingScale != nil {
		r.Rating = &film.Rating{Value: *ratingValue, Scale: *ratingScale}
	}
	r.PublishedAt, r.UpdatedAt = readTime(publishedAt), readTime(updatedAt)
	return r, err
}
