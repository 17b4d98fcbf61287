package filmsql

import (
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"strings"
	"time"

	"marquee/internal/film"
)

// This file is the bookkeeping both stores' bulk loaders (bulk.go in
// internal/sqlite and internal/postgres) share: how they find a reader
// review's id again without a query, and how they turn a reader's key into
// the token hash they store.

// ReviewIDs files the ids a bulk load gives reader reviews under a hash of
// each review's key, so that helpful votes find their review without a
// query. A hash two keys share is filed as 0, and ID then sends the loader
// to the database.
type ReviewIDs map[uint64]int64

// reviewHash is the hash of a reader review's key that ReviewIDs files the
// review's id under.
func reviewHash(k film.ReaderReviewKey) uint64 {
	h := fnv.New64a()
	k = k.Normalized()
	for _, s := range []string{k.FilmSlug, k.DisplayName, k.Title, k.CreatedAt.Format(time.RFC3339)} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return h.Sum64()
}

// File files id as the id of the reader review with key k.
func (m ReviewIDs) File(k film.ReaderReviewKey, id int64) {
	h := reviewHash(k)
	if _, taken := m[h]; taken {
		m[h] = 0
	} else {
		m[h] = id
	}
}

// ID is the id filed for key k, or 0 when none is, or when the hash of k
// is one two keys share: the loader must then ask the database.
func (m ReviewIDs) ID(k film.ReaderReviewKey) int64 { return m[reviewHash(k)] }

// ReaderHash is the token hash stored for the reader with the given key,
// or an error if the key is not one.
func ReaderHash(key string) ([]byte, error) {
	hash, err := hex.DecodeString(key)
	if err != nil || !film.ValidReaderKey(key) {
		return nil, fmt.Errorf("reader key %q is not 64 lower-case hexadecimal digits", key)
	}
	return hash, nil
}

// BulkLoad is what both stores' bulk loaders do with each record: check
// it against what the load has written, give it and what it brings along
// (aliases, the film record's lists, companies, readers) their row ids,
// and queue its rows. A store's loader sets the fields of the first
// group, reads the ids the database already gave into the second, and
// writes the rows Add queues.
type BulkLoad struct {
	// Add queues one row for table; Done ends a record, writing the
	// queued rows when the store wants.
	Add  func(table, columns string, values ...any)
	Done func() error
	// Time is a time as the store writes it, Now the load's time so.
	Time func(time.Time) any
	Now  any
	// LookupReview finds the id of the reader review of the film with key
	// k in the database, for a key whose hash Reviews cannot tell; it must
	// write the queued rows first.
	LookupReview func(filmID int64, k film.ReaderReviewKey) (int64, error)

	People, Films, Readers, Companies map[string]int64
	CompanySlugs                      map[string]bool
	// Reviews are the ids of the reader reviews, so helpful votes find
	// their review without a query.
	Reviews                                                   ReviewIDs
	NextPerson, NextFilm, NextReader, NextCompany, NextReview int64

	Counts film.CatalogCounts
}

// NewBulkLoad is a BulkLoad with empty maps.
func NewBulkLoad() *BulkLoad {
	return &BulkLoad{
		People: map[string]int64{}, Films: map[string]int64{}, Readers: map[string]int64{}, Companies: map[string]int64{},
		CompanySlugs: map[string]bool{}, Reviews: ReviewIDs{},
	}
}

// bulkCriticReviewColumns are the columns of a critic review's row, with
// CriticReviewSetColumns' line break taken out.
var bulkCriticReviewColumns = "slug, " + strings.Join(strings.Fields(strings.ReplaceAll(CriticReviewSetColumns, ",", " ")), ", ") + ", created_at"

// WritePerson adds p.
func (l *BulkLoad) WritePerson(p film.Person) error {
	if _, dup := l.People[p.Slug]; dup {
		return fmt.Errorf("bulk load: person %s: %w", p.Slug, film.ErrConflict)
	}
	l.NextPerson++
	id := l.NextPerson
	l.People[p.Slug] = id
	l.Add("people", "id, slug, name, updated_at, "+PersonDetailColumns, append([]any{id, p.Slug, p.Name, l.Now}, PersonDetailValues(p)...)...)
	for i, aka := range p.AlsoKnownAs {
		l.Add("person_aliases", "person_id, position, name", id, i, aka)
	}
	l.Counts.People++
	return l.Done()
}

// WriteFilm adds f with its record.
func (l *BulkLoad) WriteFilm(f film.Film) error {
	if _, dup := l.Films[f.Slug]; dup {
		return fmt.Errorf("bulk load: film %s: %w", f.Slug, film.ErrConflict)
	}
	l.NextFilm++
	id := l.NextFilm
	rows := FilmRecordRows(id, f)
	for _, r := range rows {
		for i, v := range r.Values {
			switch ref := v.(type) {
			case PersonRef:
				person, ok := l.People[string(ref)]
				if !ok {
					return fmt.Errorf("bulk load: film %s: %s: person %q: %w", f.Slug, r.What, ref, film.ErrNotFound)
				}
				r.Values[i] = person
			case CompanyRef:
				r.Values[i] = l.companyID(string(ref))
			}
		}
	}
	l.Films[f.Slug] = id
	l.Add("films", "id, "+FilmColumns+", created_at, updated_at", append(append([]any{id}, FilmValues(f)...), l.Now, l.Now)...)
	for _, r := range rows {
		l.Add(r.Table, r.Columns, r.Values...)
	}
	l.Counts.Films++
	return l.Done()
}

// companyID returns the id of the company with the given name, adding the
// company if it is new.
func (l *BulkLoad) companyID(name string) int64 {
	if id, ok := l.Companies[name]; ok {
		return id
	}
	l.NextCompany++
	l.Companies[name] = l.NextCompany
	// The loader knows every company's slug (the store read those there
	// were), so none is asked of the database.
	slug, _ := UniqueSlug(CompanySlug(name), func(candidate string) (bool, error) { return l.CompanySlugs[candidate], nil })
	l.CompanySlugs[slug] = true
	l.Add("companies", "id, slug, name", l.NextCompany, slug, name)
	return l.NextCompany
}

func (l *BulkLoad) filmID(slug string) (int64, error) {
	id, ok := l.Films[slug]
	if !ok {
		return 0, fmt.Errorf("film %q: %w", slug, film.ErrNotFound)
	}
	return id, nil
}

// WriteCriticReview adds r.
func (l *BulkLoad) WriteCriticReview(r film.CriticReview) error {
	filmID, err := l.filmID(r.FilmSlug)
	if err != nil {
		return fmt.Errorf("bulk load: critic review %s: %w", r.Slug, err)
	}
	var authorID any
	if r.AuthorSlug != "" {
		id, ok := l.People[r.AuthorSlug]
		if !ok {
			return fmt.Errorf("bulk load: critic review %s: author %q: %w", r.Slug, r.AuthorSlug, film.ErrNotFound)
		}
		authorID = id
	}
	var ratingValue, ratingScale any
	if r.Rating != nil {
		ratingValue, ratingScale = r.Rating.Value, r.Rating.Scale
	}
	l.Add("critic_reviews", bulkCriticReviewColumns,
		r.Slug, filmID, r.Headline, r.Author, authorID, r.Publication, ratingValue, ratingScale, r.PullQuote, r.Body, r.Spoilers,
		string(r.Status), l.Time(r.PublishedAt), l.Time(r.UpdatedAt), l.Now)
	l.Counts.CriticReviews++
	return l.Done()
}

// WriteReaderReview adds r.
func (l *BulkLoad) WriteReaderReview(r film.ReaderReview) error {
	filmID, err := l.filmID(r.FilmSlug)
	if err != nil {
		return fmt.Errorf("bulk load: reader review %s: %w", r.Key(), err)
	}
	l.NextReview++
	id := l.NextReview
	l.Reviews.File(r.Key(), id)
	// As an import does: the review's rating counts once, as its reader's
	// (CatalogReviewReader), written by the insert trigger or the rebuild.
	var readerID any
	if key := CatalogReviewReader(r); key != "" {
		if readerID, err = l.readerID(key, r.CreatedAt); err != nil {
			return fmt.Errorf("bulk load: reader review %s: %w", r.Key(), err)
		}
	}
	l.Add("reader_reviews", "id, reader_id, film_id, display_name, title, rating, body, spoilers, status, created_at",
		id, readerID, filmID, r.DisplayName, r.Title, r.Rating, r.Body, r.Spoilers, string(r.Status), l.Time(r.CreatedAt))
	l.Counts.ReaderReviews++
	return l.Done()
}

// readerID returns the id of the reader with the given key, adding the
// reader, as first seen at since, if new.
func (l *BulkLoad) readerID(key string, since time.Time) (int64, error) {
	if id, ok := l.Readers[key]; ok {
		return id, nil
	}
	hash, err := ReaderHash(key)
	if err != nil {
		return 0, err
	}
	l.NextReader++
	l.Readers[key] = l.NextReader
	l.Add("readers", "id, token_hash, created_at", l.NextReader, hash, l.Time(since))
	return l.NextReader, nil
}

// WriteRating adds r, and its reader if new.
func (l *BulkLoad) WriteRating(r film.ReaderRating) error {
	filmID, err := l.filmID(r.FilmSlug)
	if err == nil {
		var readerID int64
		if readerID, err = l.readerID(r.Reader, r.CreatedAt); err == nil {
			l.Add("ratings", "film_id, reader_id, value, created_at, updated_at",
				filmID, readerID, r.Value, l.Time(r.CreatedAt), l.Time(r.UpdatedAt))
		}
	}
	if err != nil {
		return fmt.Errorf("bulk load: rating of %s by reader %s: %w", r.FilmSlug, r.Reader, err)
	}
	l.Counts.Ratings++
	return l.Done()
}

// WriteHelpfulVote adds v, and its reader if new.
func (l *BulkLoad) WriteHelpfulVote(v film.HelpfulVote) error {
	reviewID, err := l.reviewID(v.Review)
	if err == nil {
		var readerID int64
		if readerID, err = l.readerID(v.Reader, v.CreatedAt); err == nil {
			l.Add("helpful_votes", "review_id, reader_id, created_at", reviewID, readerID, l.Time(v.CreatedAt))
		}
	}
	if err != nil {
		return fmt.Errorf("bulk load: helpful vote on %s by reader %s: %w", v.Review.Normalized(), v.Reader, err)
	}
	l.Counts.HelpfulVotes++
	return l.Done()
}

// reviewID finds the id of the reader review with key k.
func (l *BulkLoad) reviewID(k film.ReaderReviewKey) (int64, error) {
	if id := l.Reviews.ID(k); id != 0 {
		return id, nil
	}
	// A hash two reviews share: ask the database.
	filmID, err := l.filmID(k.FilmSlug)
	if err != nil {
		return 0, err
	}
	return l.LookupReview(filmID, k)
}
