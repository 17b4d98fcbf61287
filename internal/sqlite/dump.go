package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"marquee/internal/film"
	"marquee/internal/filmsql"
)

// Dump writes the whole catalogue to w in the order of the catalogue format:
// every person and film with its full record, every critic review and
// reader review whatever its status, every rating and every helpful vote.
// It reads one snapshot, so a dump taken while the site runs is consistent,
// and it streams, holding one film at a time, so its memory does not grow
// with the catalogue.
//
// Records come in a stable order (people and films by slug, critic reviews
// by film and then date, reader reviews by date, ratings by film and reader,
// votes by review and reader) and films in the form an import writes back unchanged, so dumping
// a database, importing the dump into an empty one and dumping that gives
// the same bytes.
func (db *DB) Dump(ctx context.Context, w film.CatalogWriter) error {
	err := db.inReadTx(ctx, func(tx *sql.Tx) error {
		steps := []struct {
			what string
			run  func(context.Context, *sql.Tx, film.CatalogWriter) error
		}{
			{"people", dumpPeople},
			{"films", dumpFilms},
			{"critic reviews", dumpCriticReviews},
			{"reader reviews", dumpReaderReviews},
			{"ratings", dumpRatings},
			{"helpful votes", dumpHelpfulVotes},
		}
		for _, s := range steps {
			if err := s.run(ctx, tx, w); err != nil {
				return fmt.Errorf("%s: %w", s.what, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("dump: %w", err)
	}
	return nil
}

// eachRow runs query and calls fn for each row; fn scans it.
func eachRow(ctx context.Context, tx *sql.Tx, query string, fn func(*sql.Rows) error) error {
	rows, err := tx.QueryContext(ctx, query)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

func dumpPeople(ctx context.Context, tx *sql.Tx, w film.CatalogWriter) error {
	// Few people have aliases, so they are read first into a map rather
	// than one query per person.
	aliases := map[int64][]string{}
	err := eachRow(ctx, tx, "SELECT person_id, name FROM person_aliases ORDER BY person_id, position", func(rows *sql.Rows) error {
		var (
			id   int64
			name string
		)
		if err := rows.Scan(&id, &name); err != nil {
			return err
		}
		aliases[id] = append(aliases[id], name)
		return nil
	})
	if err != nil {
		return err
	}
	return eachRow(ctx, tx, "SELECT id, slug, name, "+filmsql.PersonDetailColumns+" FROM people ORDER BY slug", func(rows *sql.Rows) error {
		var p film.Person
		if err := rows.Scan(append([]any{&p.ID, &p.Slug, &p.Name}, filmsql.PersonDetailDest(&p)...)...); err != nil {
			return err
		}
		p.AlsoKnownAs = aliases[p.ID]
		if err := dumpImages(ctx, tx, w, film.PersonImages(p.Slug), p.ID); err != nil {
			return err
		}
		p.ID = 0
		return w.WritePerson(p)
	})
}

func dumpFilms(ctx context.Context, tx *sql.Tx, w film.CatalogWriter) error {
	var slugs []string
	err := eachRow(ctx, tx, "SELECT slug FROM films ORDER BY slug", func(rows *sql.Rows) error {
		var slug string
		err := rows.Scan(&slug)
		slugs = append(slugs, slug)
		return err
	})
	if err != nil {
		return err
	}
	for _, slug := range slugs {
		f, err := findFilm(ctx, tx, slug)
		if err != nil {
			return fmt.Errorf("film %s: %w", slug, err)
		}
		if err := dumpImages(ctx, tx, w, film.FilmImages(slug), f.ID); err != nil {
			return err
		}
		if err := w.WriteFilm(filmsql.CanonicalFilm(f)); err != nil {
			return err
		}
	}
	return nil
}

func dumpCriticReviews(ctx context.Context, tx *sql.Tx, w film.CatalogWriter) error {
	// Undated drafts follow the dated reviews of their film.
	return eachRow(ctx, tx, "SELECT "+filmsql.CriticReviewColumns+`
		ORDER BY f.slug, r.published_at IS NULL, r.published_at, r.slug`, func(rows *sql.Rows) error {
		r, err := scanCriticReview(rows)
		if err != nil {
			return err
		}
		r.ID = 0
		return w.WriteCriticReview(r)
	})
}

func dumpReaderReviews(ctx context.Context, tx *sql.Tx, w film.CatalogWriter) error {
	// In the order they were written rather than film by film: an import
	// numbers reader reviews in document order, and their numbers are in
	// URLs (a review's anchor, its helpful-vote form), so a dump loaded into
	// an empty database gives each review the number it had whenever the
	// site numbered them as they came in.
	//
	// A review names its reader only when the reader is not the review's
	// own (filmsql.ReviewReaderHash), that is a reader known by a cookie.
	return eachRow(ctx, tx, "SELECT "+readerReviewColumns+`
		ORDER BY r.created_at, r.id`, func(rows *sql.Rows) error {
		r, err := scanReaderReview(rows)
		if err != nil {
			return err
		}
		if r.Reader, err = reviewReaderKey(ctx, tx, r); err != nil {
			return err
		}
		r.ID, r.HelpfulCount = 0, 0
		return w.WriteReaderReview(r)
	})
}

func dumpRatings(ctx context.Context, tx *sql.Tx, w film.CatalogWriter) error {
	// A rating that a review of the film by the same reader carries (the
	// review's rating follows it) is dumped with the review only, so an
	// import counts it once. Ratings held back as a suspected burst are
	// left out: a catalogue holds what the site publishes, and an import
	// would publish them.
	return eachRow(ctx, tx, `SELECT f.slug, rd.token_hash, r.value, r.created_at, r.updated_at
		FROM ratings r JOIN films f ON f.id = r.film_id JOIN readers rd ON rd.id = r.reader_id
		WHERE r.held_burst IS NULL AND NOT EXISTS (SELECT 1 FROM reader_reviews rr
			WHERE rr.reader_id = r.reader_id AND rr.film_id = r.film_id AND rr.status != 'spam')
		ORDER BY f.slug, rd.token_hash`, func(rows *sql.Rows) error {
		var (
			r                film.ReaderRating
			hash             []byte
			created, changed sql.NullString
			err              error
		)
		if err := rows.Scan(&r.FilmSlug, &hash, &r.Value, &created, &changed); err != nil {
			return err
		}
		r.Reader = film.ReaderKey(hash)
		if r.CreatedAt, err = parseTime(created); err != nil {
			return err
		}
		if r.UpdatedAt, err = parseTime(changed); err != nil {
			return err
		}
		return w.WriteRating(r)
	})
}

func dumpHelpfulVotes(ctx context.Context, tx *sql.Tx, w film.CatalogWriter) error {
	return eachRow(ctx, tx, `SELECT f.slug, rr.display_name, rr.title, rr.created_at, rd.token_hash, v.created_at
		FROM helpful_votes v
			JOIN reader_reviews rr ON rr.id = v.review_id
			JOIN films f ON f.id = rr.film_id
			JOIN readers rd ON rd.id = v.reader_id
		WHERE v.held_burst IS NULL
		ORDER BY f.slug, rr.created_at, rr.display_name, rr.title, rd.token_hash`, func(rows *sql.Rows) error {
		var (
			v                    film.HelpfulVote
			hash                 []byte
			reviewCreated, voted sql.NullString
			reviewTime, voteTime time.Time
			err                  error
		)
		if err := rows.Scan(&v.Review.FilmSlug, &v.Review.DisplayName, &v.Review.Title, &reviewCreated, &hash, &voted); err != nil {
			return err
		}
		if reviewTime, err = parseTime(reviewCreated); err != nil {
			return err
		}
		if voteTime, err = parseTime(voted); err != nil {
			return err
		}
		v.Review.CreatedAt, v.Reader, v.CreatedAt = reviewTime, film.ReaderKey(hash), voteTime
		return w.WriteHelpfulVote(v)
	})
}
