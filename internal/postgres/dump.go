package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"marquee/internal/film"
	"marquee/internal/filmsql"
)

// This file is internal/sqlite/dump.go for PostgreSQL; keep the two alike.
// A dump of the same catalogue from either backend is the same bytes.

// Dump writes the whole catalogue to w in the order of the catalogue format:
// every person and film with its full record, every critic review and
// reader review whatever its status, every rating and every helpful vote.
// It reads one snapshot, so a dump taken while the site runs is consistent,
// and it streams, holding one film at a time (and the list of people and
// of film slugs, a few short strings each), so its memory grows little
// with the catalogue.
//
// Records come in a stable order (people and films by slug, critic reviews
// by film and then date, reader reviews by date, ratings by film and reader,
// votes by review and reader) and films in the form an import writes back unchanged, so dumping
// a database, importing the dump into an empty one and dumping that gives
// the same bytes.
func (db *DB) Dump(ctx context.Context, w film.CatalogWriter) error {
	err := db.inPageTx(ctx, func(tx pgx.Tx) error {
		steps := []struct {
			what string
			run  func(context.Context, pgx.Tx, film.CatalogWriter) error
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
func eachRow(ctx context.Context, tx pgx.Tx, query string, fn func(pgx.Rows) error) error {
	rows, err := tx.Query(ctx, query)
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

func dumpPeople(ctx context.Context, tx pgx.Tx, w film.CatalogWriter) error {
	// Few people have aliases, so they are read first into a map rather
	// than one query per person.
	aliases := map[int64][]string{}
	err := eachRow(ctx, tx, "SELECT person_id, name FROM person_aliases ORDER BY person_id, position", func(rows pgx.Rows) error {
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
	// One connection runs one statement at a time, so the people are read
	// before their pictures are (a person is a few short strings).
	var people []film.Person
	err = eachRow(ctx, tx, "SELECT id, slug, name, "+filmsql.PersonDetailColumns+" FROM people ORDER BY slug", func(rows pgx.Rows) error {
		var p film.Person
		if err := rows.Scan(append([]any{&p.ID, &p.Slug, &p.Name}, filmsql.PersonDetailDest(&p)...)...); err != nil {
			return err
		}
		p.AlsoKnownAs = aliases[p.ID]
		people = append(people, p)
		return nil
	})
	if err != nil {
		return err
	}
	for _, p := range people {
		if err := dumpImages(ctx, tx, w, film.PersonImages(p.Slug), p.ID); err != nil {
			return err
		}
		p.ID = 0
		if err := w.WritePerson(p); err != nil {
			return err
		}
	}
	return nil
}

func dumpFilms(ctx context.Context, tx pgx.Tx, w film.CatalogWriter) error {
	var slugs []string
	err := eachRow(ctx, tx, "SELECT slug FROM films ORDER BY slug", func(rows pgx.Rows) error {
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

func dumpCriticReviews(ctx context.Context, tx pgx.Tx, w film.CatalogWriter) error {
	// Undated drafts follow the dated reviews of their film.
	return eachRow(ctx, tx, "SELECT "+filmsql.CriticReviewColumns+`
		ORDER BY f.slug, r.published_at IS NULL, r.published_at, r.slug`, func(rows pgx.Rows) error {
		r, err := scanCriticReview(rows)
		if err != nil {
			return err
		}
		r.ID = 0
		return w.WriteCriticReview(r)
	})
}

func dumpReaderReviews(ctx context.Context, tx pgx.Tx, w film.CatalogWriter) error {
	// In the order they were written rather than film by film: an import
	// numbers reader reviews in document order, and their numbers are in
	// URLs (a review's anchor, its helpful-vote form), so a dump loaded into
	// an empty database gives each review the number it had whenever the
	// site numbered them as they came in.
	//
	// A review names its reader only when the reader is not the review's
	// own (filmsql.ReviewReaderHash), that is a reader known by a cookie.
	// The reader's token hash comes in the same row: one connection runs
	// one statement at a time.
	return eachRow(ctx, tx, "SELECT "+readerReviewColumns+`
		LEFT JOIN readers rd ON rd.id = r.reader_id
		ORDER BY r.created_at, r.id`, func(rows pgx.Rows) error {
		var (
			r    film.ReaderReview
			hash []byte
		)
		err := rows.Scan(&r.ID, &r.FilmSlug, &r.DisplayName, &r.Title, &r.Rating, &r.Body, &r.Spoilers, &r.Status,
			&r.CreatedAt, &r.HelpfulCount, &hash)
		if err != nil {
			return err
		}
		r.CreatedAt = r.CreatedAt.UTC()
		r.Reader = filmsql.DumpedReader(hash, r.Key())
		r.ID, r.HelpfulCount = 0, 0
		return w.WriteReaderReview(r)
	})
}

func dumpRatings(ctx context.Context, tx pgx.Tx, w film.CatalogWriter) error {
	// A rating that a review of the film by the same reader carries (the
	// review's rating follows it) is dumped with the review only, so an
	// import counts it once. Ratings held back as a suspected burst are
	// left out: a catalogue holds what the site publishes, and an import
	// would publish them.
	return eachRow(ctx, tx, `SELECT f.slug, rd.token_hash, r.value, r.created_at, r.updated_at
		FROM ratings r JOIN films f ON f.id = r.film_id JOIN readers rd ON rd.id = r.reader_id
		WHERE r.held_burst IS NULL AND NOT EXISTS (SELECT 1 FROM reader_reviews rr
			WHERE rr.reader_id = r.reader_id AND rr.film_id = r.film_id AND rr.status != 'spam')
		ORDER BY f.slug, rd.token_hash`, func(rows pgx.Rows) error {
		var (
			r    film.ReaderRating
			hash []byte
		)
		if err := rows.Scan(&r.FilmSlug, &hash, &r.Value, &r.CreatedAt, &r.UpdatedAt); err != nil {
			return err
		}
		r.Reader = film.ReaderKey(hash)
		r.CreatedAt, r.UpdatedAt = r.CreatedAt.UTC(), r.UpdatedAt.UTC()
		return w.WriteRating(r)
	})
}

func dumpHelpfulVotes(ctx context.Context, tx pgx.Tx, w film.CatalogWriter) error {
	return eachRow(ctx, tx, `SELECT f.slug, rr.display_name, rr.title, rr.created_at, rd.token_hash, v.created_at
		FROM helpful_votes v
			JOIN reader_reviews rr ON rr.id = v.review_id
			JOIN films f ON f.id = rr.film_id
			JOIN readers rd ON rd.id = v.reader_id
		WHERE v.held_burst IS NULL
		ORDER BY f.slug, rr.created_at, rr.display_name, rr.title, rd.token_hash`, func(rows pgx.Rows) error {
		var (
			v                    film.HelpfulVote
			hash                 []byte
			reviewTime, voteTime time.Time
		)
		if err := rows.Scan(&v.Review.FilmSlug, &v.Review.DisplayName, &v.Review.Title, &reviewTime, &hash, &voteTime); err != nil {
			return err
		}
		v.Review.CreatedAt, v.Reader, v.CreatedAt = reviewTime.UTC(), film.ReaderKey(hash), voteTime.UTC()
		return w.WriteHelpfulVote(v)
	})
}

// readerReviewColumns is the select list dumpReaderReviews reads, with the
// rating each review was last stored with (a dump keeps it) and its
// reader's token hash (the statement joins readers rd).
const readerReviewColumns = `r.id, f.slug, r.display_name, r.title, r.rating, r.body, r.spoilers, r.status, r.created_at, r.helpful_count,
	rd.token_hash
	FROM reader_reviews r JOIN films f ON f.id = r.film_id`

// usesWithBytesQuery reads an owner's uses with their picture's widest
// rendition, the file a catalogue carries (%s is the owner's column).
const usesWithBytesQuery = `SELECT u.role, u.alt, u.caption, u.credit, i.hash, r.bytes
	FROM image_uses u JOIN images i ON i.id = u.image_id JOIN image_renditions r ON r.hash = i.hash
	WHERE u.%s = $1 ORDER BY u.role = 'still', u.position, u.id`

// storedUses reads an owner's uses as a catalogue carries them, each with
// its picture's hash in Renditions[0].
func storedUses(ctx context.Context, q querier, o film.ImageOwner, ownerID int64) ([]film.CatalogImage, error) {
	rows, err := q.Query(ctx, fmt.Sprintf(usesWithBytesQuery, filmsql.OwnerColumn(o.Kind)), ownerID)
	if err != nil {
		return nil, fmt.Errorf("pictures of %s %s: %w", o.Kind, o.Slug, err)
	}
	defer rows.Close()
	var out []film.CatalogImage
	for rows.Next() {
		i, err := filmsql.ScanCatalogUse(o, rows.Scan)
		if err != nil {
			return nil, fmt.Errorf("pictures of %s %s: %w", o.Kind, o.Slug, err)
		}
		out = append(out, i)
	}
	return out, rows.Err()
}

// dumpImages sends an owner's pictures, with their widest renditions'
// bytes, to a writer that takes pictures.
func dumpImages(ctx context.Context, tx pgx.Tx, w film.CatalogWriter, o film.ImageOwner, ownerID int64) error {
	return filmsql.DumpImages(w, func() ([]film.CatalogImage, error) { return storedUses(ctx, tx, o, ownerID) })
}
