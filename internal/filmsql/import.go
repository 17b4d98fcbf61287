package filmsql

import (
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"time"

	"marquee/internal/film"
)

// Outcome is what an import did with one record.
type Outcome int

const (
	Added Outcome = iota
	Updated
	Unchanged
)

// Importer is what a store does with each record of a catalogue: match it
// with the stored one by its natural key and add, replace or leave it.
type Importer interface {
	Person(film.Person) (Outcome, error)
	Film(film.Film) (Outcome, error)
	Images([]film.CatalogImage) error
	CriticReview(film.CriticReview) (Outcome, error)
	ReaderReview(film.ReaderReview) (Outcome, error)
	Rating(film.ReaderRating) (Outcome, error)
	HelpfulVote(film.HelpfulVote) (Outcome, error)
}

// Import gives each record of c to im, in an order in which every record
// comes after those it refers to (people, films, their pictures, critic
// reviews, reader reviews, ratings, helpful votes), and counts what im did
// with it in report. It stops at the first error, which names the record.
func Import(c film.Catalog, im Importer, report *film.ImportReport) error {
	count := func(o Outcome) *film.CatalogCounts {
		switch o {
		case Added:
			return &report.Added
		case Updated:
			return &report.Updated
		}
		return &report.Unchanged
	}
	for _, p := range c.People {
		o, err := im.Person(p)
		if err != nil {
			return fmt.Errorf("person %s: %w", p.Slug, err)
		}
		count(o).People++
	}
	for _, f := range c.Films {
		o, err := im.Film(f)
		if err != nil {
			return fmt.Errorf("film %s: %w", f.Slug, err)
		}
		count(o).Films++
	}
	if err := im.Images(c.Images); err != nil {
		return err
	}
	for _, r := range c.CriticReviews {
		o, err := im.CriticReview(r)
		if err != nil {
			return fmt.Errorf("critic review %s: %w", r.Slug, err)
		}
		count(o).CriticReviews++
	}
	for _, r := range c.ReaderReviews {
		o, err := im.ReaderReview(r)
		if err != nil {
			return fmt.Errorf("reader review %s: %w", r.Key(), err)
		}
		count(o).ReaderReviews++
	}
	for _, r := range c.Ratings {
		o, err := im.Rating(r)
		if err != nil {
			return fmt.Errorf("rating of %s by reader %s: %w", r.FilmSlug, r.Reader, err)
		}
		count(o).Ratings++
	}
	for _, v := range c.HelpfulVotes {
		o, err := im.HelpfulVote(v)
		if err != nil {
			return fmt.Errorf("helpful vote on %s by reader %s: %w", v.Review.Normalized(), v.Reader, err)
		}
		count(o).HelpfulVotes++
	}
	return nil
}

// Match decides what an import does with one record it looked a stored
// record up for: found is the lookup's error, film.ErrNotFound when none is
// stored. A record not stored is added (add); a stored one is left as it
// is unless update is set, and then replaced (replace) only when same,
// which reads it back and compares, says it differs.
func Match(found error, update bool, add func() error, same func() (bool, error), replace func() error) (Outcome, error) {
	if errors.Is(found, film.ErrNotFound) {
		return Added, add()
	}
	if found != nil || !update {
		return Unchanged, found
	}
	if same, err := same(); err != nil || same {
		return Unchanged, err
	}
	return Updated, replace()
}

// MatchInserted is Match for a record that insert adds unless one is
// stored under its key, saying whether it did.
func MatchInserted(insert func() (bool, error), update bool, same func() (bool, error), replace func() error) (Outcome, error) {
	inserted, err := insert()
	if err != nil || inserted {
		return Added, err
	}
	return Match(nil, update, nil, same, replace)
}

// FirstSeen finds the earliest time each reader of c rated or voted, which
// a reader created by an import is given.
func FirstSeen(c film.Catalog) map[string]time.Time {
	since := map[string]time.Time{}
	see := func(reader string, t time.Time) {
		if first, ok := since[reader]; !ok || t.Before(first) {
			since[reader] = t
		}
	}
	for _, r := range c.Ratings {
		see(r.Reader, r.CreatedAt)
	}
	for _, v := range c.HelpfulVotes {
		see(v.Reader, v.CreatedAt)
	}
	return since
}

// SameFilm reports whether stored, as read back from a store, holds the
// same record that importing f would write.
func SameFilm(stored, f film.Film) (bool, error) {
	return sameJSON(CanonicalFilm(stored), CanonicalFilm(f))
}

// SameCriticReview reports whether stored, as read back from a store, is
// the review that importing r would write.
func SameCriticReview(stored, r film.CriticReview) (bool, error) {
	return sameJSON(CanonicalCriticReview(stored), CanonicalCriticReview(r))
}

// sameJSON compares two records through their catalogue form, in which an
// empty list and a missing one are the same.
func sameJSON(a, b any) (bool, error) {
	x, err := json.Marshal(a)
	if err != nil {
		return false, err
	}
	y, err := json.Marshal(b)
	if err != nil {
		return false, err
	}
	return string(x) == string(y), nil
}

// roleRank is the order the stores list credits in, as the credits list
// of the film record sorts them.
func roleRank(r film.Role) int {
	for i, known := range film.Roles {
		if r == known {
			return i
		}
	}
	return len(film.Roles)
}

// CanonicalFilm returns f as a store gives it back: credits in page order
// (by role, then billing, then the order given), crew without a billing
// (their order is their place in the list), and values the stores do not
// keep dropped. Dumps write films in this form, and imports compare in it.
func CanonicalFilm(f film.Film) film.Film {
	f.ID = 0
	credits := make([]film.Credit, len(f.Credits))
	for i, c := range f.Credits {
		c.PersonName = ""
		if c.Role != film.RoleCast {
			c.Billing = i // as the credits list of the record writes it
		}
		credits[i] = c
	}
	sort.SliceStable(credits, func(i, j int) bool {
		ri, rj := roleRank(credits[i].Role), roleRank(credits[j].Role)
		if ri != rj {
			return ri < rj
		}
		return credits[i].Billing < credits[j].Billing
	})
	for i := range credits {
		if credits[i].Role != film.RoleCast {
			credits[i].Billing = 0
		}
	}
	if len(credits) == 0 {
		credits = nil
	}
	f.Credits = credits
	if f.Soundtrack != nil {
		s := *f.Soundtrack
		if len(s.Tracks) == 0 {
			s.Tracks = nil
		}
		f.Soundtrack = &s
	}
	if len(f.Scores) > 0 {
		scores := make([]film.ExternalScore, len(f.Scores))
		for i, s := range f.Scores {
			if s.Average == 0 {
				s.AverageScale = 0 // stored only beside an average
			}
			scores[i] = s
		}
		f.Scores = scores
	}
	return f
}

// CanonicalCriticReview returns r as a store gives it back.
func CanonicalCriticReview(r film.CriticReview) film.CriticReview {
	r.ID = 0
	r.PublishedAt = StoredTime(r.PublishedAt)
	r.UpdatedAt = StoredTime(r.UpdatedAt)
	return r
}

// StoredTime is t as the stores keep it: UTC, to the second.
func StoredTime(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC().Truncate(time.Second)
}

// CriticReviewSetColumns are the columns of a critic review that an import
// or the desk sets after its slug, in the order both stores give their
// values.
const CriticReviewSetColumns = `film_id, headline, author, author_person_id, publication, rating_value, rating_scale, pull_quote,
	body, spoilers, status, published_at, updated_at`

// ReviewReaderHash is the token hash of the reader a catalogue's reader
// review gets when it comes without one (seeds, imports, the generator), so
// its rating counts once like any reader's. It is made from the review's
// key, so loading the same catalogue twice, by import or by a bulk loader,
// into either store, gives the same reader; no cookie can hold it, as a
// cookie's token is 43 characters of base64 and this hashes a text that is
// not.
func ReviewReaderHash(k film.ReaderReviewKey) []byte {
	k = k.Normalized()
	sum := sha256.Sum256([]byte("marquee reader review\x00" + k.FilmSlug + "\x00" + k.DisplayName + "\x00" + k.Title +
		"\x00" + k.CreatedAt.UTC().Format("2006-01-02T15:04:05Z")))
	return sum[:]
}

// CatalogReviewReader is the reader key a catalogue's reader review is
// stored under: its own Reader when it names one, else a reader of its own
// (ReviewReaderHash) unless it is spam, which counts for no one ("").
func CatalogReviewReader(r film.ReaderReview) string {
	switch {
	case r.Reader != "":
		return r.Reader
	case r.Status == film.ModerationSpam:
		return ""
	}
	return film.ReaderKey(ReviewReaderHash(r.Key()))
}

// DumpedReader is the reader key a dump gives a reader review whose
// reader's token hash is hash (nil for none): the key of a reader known by
// a cookie, "" for a review without a reader or with one of its own
// (ReviewReaderHash), as an import makes it.
func DumpedReader(hash []byte, k film.ReaderReviewKey) string {
	if hash == nil || string(hash) == string(ReviewReaderHash(k)) {
		return ""
	}
	return film.ReaderKey(hash)
}
