package film

import (
	"encoding/hex"
	"fmt"
	"time"
)

// ReaderRating is one anonymous reader's rating of a film, as a catalogue
// carries it. Reader is the reader's key (see ValidReaderKey), the same in
// every record the reader left, so ratings and helpful votes stay one
// reader's after a dump and an import.
type ReaderRating struct {
	FilmSlug  string    `json:"film"`
	Reader    string    `json:"reader"`
	Value     int       `json:"value"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// ReaderReviewKey names a reader review in a catalogue. Reader reviews have
// no slug, so the film, the display name, the title and the time the review
// was written (to the second) identify one; two reviews agreeing on all four
// are the same review.
type ReaderReviewKey struct {
	FilmSlug    string    `json:"film"`
	DisplayName string    `json:"display_name"`
	Title       string    `json:"title"`
	CreatedAt   time.Time `json:"created_at"`
}

// Key returns the key that names r in a catalogue.
func (r ReaderReview) Key() ReaderReviewKey {
	return ReaderReviewKey{FilmSlug: r.FilmSlug, DisplayName: r.DisplayName, Title: r.Title, CreatedAt: r.CreatedAt}.Normalized()
}

// Normalized returns k with its time in UTC to the second, as the store
// keeps it, so that keys naming the same review compare equal.
func (k ReaderReviewKey) Normalized() ReaderReviewKey {
	k.CreatedAt = k.CreatedAt.UTC().Truncate(time.Second)
	return k
}

// String writes k for messages and as a map key.
func (k ReaderReviewKey) String() string {
	return fmt.Sprintf("%s/%q by %q at %s", k.FilmSlug, k.Title, k.DisplayName, k.CreatedAt.UTC().Format(time.RFC3339))
}

// HelpfulVote is one anonymous reader's "helpful" vote on a reader review.
type HelpfulVote struct {
	Review    ReaderReviewKey `json:"review"`
	Reader    string          `json:"reader"`
	CreatedAt time.Time       `json:"created_at"`
}

// ValidReaderKey reports whether s can name a reader: the 64 lower-case
// hexadecimal digits of the SHA-256 of the reader's cookie token, which is
// all the store knows of a reader and tells nothing about them.
func ValidReaderKey(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// ReaderKey is the key of the reader whose token hashes to tokenHash.
func ReaderKey(tokenHash []byte) string { return hex.EncodeToString(tokenHash) }

// Validate reports every problem with r's fields.
func (r ReaderRating) Validate() error {
	p := Problems{}
	checkSlug(p, "film", r.FilmSlug)
	if !ValidReaderKey(r.Reader) {
		p.Add("reader", "must be 64 lower-case hexadecimal digits")
	}
	if !ValidRatingValue(r.Value) {
		p.Add("value", "must be a whole number from 1 to 10")
	}
	if r.CreatedAt.IsZero() {
		p.Add("created_at", "is required")
	}
	if r.UpdatedAt.IsZero() {
		p.Add("updated_at", "is required")
	} else if r.UpdatedAt.Before(r.CreatedAt) {
		p.Add("updated_at", "must not be before created_at")
	}
	return p.Err()
}

// Validate reports every problem with v's fields.
func (v HelpfulVote) Validate() error {
	p := Problems{}
	checkSlug(p, "review.film", v.Review.FilmSlug)
	checkText(p, "review.display_name", v.Review.DisplayName, true, 80)
	checkText(p, "review.title", v.Review.Title, true, 200)
	if v.Review.CreatedAt.IsZero() {
		p.Add("review.created_at", "is required")
	}
	if !ValidReaderKey(v.Reader) {
		p.Add("reader", "must be 64 lower-case hexadecimal digits")
	}
	if v.CreatedAt.IsZero() {
		p.Add("created_at", "is required")
	}
	return p.Err()
}

// ImportOptions say how an import treats records the store already holds.
type ImportOptions struct {
	// UpdateExisting replaces a stored record that differs from the
	// imported one. Without it an import only adds what is missing, as
	// loading the seeds must: a seeded film an editor has since changed
	// stays as the editor left it.
	UpdateExisting bool
}

// CatalogWriter receives a catalogue one record at a time, section by
// section in the order of the format: people, films, critic reviews, reader
// reviews, ratings, helpful votes. Dumps and the generator write through it
// so that a catalogue too large to hold in memory can be streamed into a
// file or a database; a *Catalog collects the records in memory.
type CatalogWriter interface {
	WritePerson(Person) error
	WriteFilm(Film) error
	WriteCriticReview(CriticReview) error
	WriteReaderReview(ReaderReview) error
	WriteRating(ReaderRating) error
	WriteHelpfulVote(HelpfulVote) error
}

// WritePerson appends p to c.
func (c *Catalog) WritePerson(p Person) error { c.People = append(c.People, p); return nil }

// WriteFilm appends f to c.
func (c *Catalog) WriteFilm(f Film) error { c.Films = append(c.Films, f); return nil }

// WriteCriticReview appends r to c.
func (c *Catalog) WriteCriticReview(r CriticReview) error {
	c.CriticReviews = append(c.CriticReviews, r)
	return nil
}

// WriteReaderReview appends r to c.
func (c *Catalog) WriteReaderReview(r ReaderReview) error {
	c.ReaderReviews = append(c.ReaderReviews, r)
	return nil
}

// WriteRating appends r to c.
func (c *Catalog) WriteRating(r ReaderRating) error { c.Ratings = append(c.Ratings, r); return nil }

// WriteHelpfulVote appends v to c.
func (c *Catalog) WriteHelpfulVote(v HelpfulVote) error {
	c.HelpfulVotes = append(c.HelpfulVotes, v)
	return nil
}

// Stream sends every record of c to w in the order of the format, and
// first, when w takes pictures (ImageWriter), every picture.
func (c Catalog) Stream(w CatalogWriter) error {
	if iw, ok := w.(ImageWriter); ok {
		for _, i := range c.Images {
			if err := iw.WriteImage(i); err != nil {
				return err
			}
		}
	}
	for _, p := range c.People {
		if err := w.WritePerson(p); err != nil {
			return err
		}
	}
	for _, f := range c.Films {
		if err := w.WriteFilm(f); err != nil {
			return err
		}
	}
	for _, r := range c.CriticReviews {
		if err := w.WriteCriticReview(r); err != nil {
			return err
		}
	}
	for _, r := range c.ReaderReviews {
		if err := w.WriteReaderReview(r); err != nil {
			return err
		}
	}
	for _, r := range c.Ratings {
		if err := w.WriteRating(r); err != nil {
			return err
		}
	}
	for _, v := range c.HelpfulVotes {
		if err := w.WriteHelpfulVote(v); err != nil {
			return err
		}
	}
	return nil
}

// Counts counts the records of each kind in c.
func (c Catalog) Counts() CatalogCounts {
	return CatalogCounts{
		People: len(c.People), Films: len(c.Films), CriticReviews: len(c.CriticReviews),
		ReaderReviews: len(c.ReaderReviews), Ratings: len(c.Ratings), HelpfulVotes: len(c.HelpfulVotes),
	}
}
