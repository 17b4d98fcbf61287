// Package catalog is Marquee's JSON catalogue format: one document holding
// people, films with their full record, critic reviews, reader reviews and
// the readers' ratings and helpful votes. The seeds are written in it,
// "marquee import" reads it, "marquee dump" writes it and "marquee gen"
// generates it, so one decoder, one encoder and one validator serve them all.
//
// # The document
//
// A document is one JSON object. Every field of every record is named by the
// JSON tags of the types in internal/film; this comment lists the top-level
// keys and the rules that span records.
//
//	{
//	  "version": 1,
//	  "people": [{"slug": "cedric-klapisch", "name": "Cédric Klapisch"}],
//	  "films": [{"slug": "paris-2008", "title": "Paris", "year": 2008,
//	             "credits": [{"person": "cedric-klapisch", "role": "director"}]}],
//	  "critic_reviews": [{"slug": "paris-2008-review", "film": "paris-2008", ...}],
//	  "reader_reviews": [{"film": "paris-2008", "display_name": "Anonymous reader",
//	                      "title": "…", "created_at": "2026-11-20T09:00:00Z", ...}],
//	  "ratings": [{"film": "paris-2008", "reader": "9f86d0…", "value": 8,
//	               "created_at": "…", "updated_at": "…"}],
//	  "helpful_votes": [{"review": {"film": "paris-2008", "display_name": "Anonymous reader",
//	                                "title": "…", "created_at": "2026-11-20T09:00:00Z"},
//	                     "reader": "9f86d0…", "created_at": "…"}]
//	}
//
// The top-level keys:
//
//   - "version" is 1. A reader refuses any other number, and any key it does
//     not know, so a typo in a hand-written file is reported, not dropped.
//   - "people" (film.Person): slug, name, also_known_as (other spellings),
//     and where sources give them a biography (restricted Markdown, at most
//     4,000 characters), birth_date and death_date (partial dates: "1964",
//     "1964-03" or "1964-03-09"; a death not before the birth) and
//     birth_place and death_place (free text). Leave out what is not known.
//     A person may carry a "portrait", and a film a "poster" and "stills":
//     pictures with alt text, caption, credit and a file path or embedded
//     data (see images.go).
//   - "films" (film.Film): the whole film record. Credits name people by
//     slug; cast credits carry a character and a billing (the cast is listed
//     by billing), crew credits keep the order in which the list gives them.
//     Companies are named, not referenced: a company is created the first
//     time a film names it.
//   - "critic_reviews" (film.CriticReview): reviews written for the site, in
//     every editorial status (draft, in_review, scheduled, published); the
//     body is Markdown. "author" is the byline; "author_person", when set,
//     names a person in the document whom the byline links to.
//   - "reader_reviews" (film.ReaderReview): reviews readers submitted, in
//     every moderation status, rated 1 to 10. A review's rating is its
//     reader's rating of the film: "reader", when set, is the key of the
//     reader who wrote it (a dump sets it for readers known by a cookie);
//     a review without one is its own reader, so its rating counts once
//     unless it is spam.
//   - "ratings" (film.ReaderRating): one rating per reader per film, 1 to 10;
//     a dump leaves out those a review of the same film carries.
//   - "helpful_votes" (film.HelpfulVote): one vote per reader per review.
//     A review's helpful count is the number of its votes.
//
// Only "version" is required: a section left out is empty. A dump always
// writes "people" and "films", and the other sections when they hold any
// record.
//
// # References
//
// Records refer to each other by natural keys, never by database ids, and a
// document must be complete in itself: every slug it refers to is defined in
// the same document (or, for the files of a directory read by DecodeFS, in
// one of them).
//
//   - People and films by slug: lower-case ASCII letters and digits joined by
//     single hyphens, at most 100 bytes ("paris-2008").
//   - Critic reviews by slug.
//   - Reader reviews have no slug. A review is named by its film, display
//     name, title and created_at (to the second), which no two reviews of a
//     document may share; helpful votes name their review by those four
//     fields (film.ReaderReviewKey).
//   - Readers are anonymous: the store keeps only the SHA-256 of a reader's
//     cookie token. A reader is named by the 64 lower-case hexadecimal
//     digits of that hash ("reader"), which identifies the same reader
//     across their ratings and votes without saying who they are, and lets
//     a reader who kept their cookie find their ratings again after a dump
//     is loaded into a new database.
//
// # Values
//
//   - Partial dates (release dates, filming_started, as_of) are written
//     "2008", "2008-07" or "2008-02-20": a source that gives only the month
//     is not made to invent a day.
//   - Timestamps (published_at, created_at, updated_at) are RFC 3339; the
//     store keeps them in UTC to the second.
//   - Money is {"amount": 12200000, "currency": "EUR"}: a whole number of
//     units of an ISO 4217 currency, never a float.
//   - Ratings: critic reviews carry {"value": 3.5, "scale": 5} on a scale of
//     4, 5, 10 or 100; reader reviews and reader ratings are whole numbers
//     from 1 to 10 (shown as half stars out of five).
//
// # Import and dump
//
// Importing a document adds each record the database lacks and, for
// "marquee import", replaces each one that differs (a film is replaced with
// its whole record, keeping its reviews and ratings); the seeds only add. An
// import never deletes, and it is one transaction: a document with any
// invalid record changes nothing. Importing the same document twice changes
// nothing the second time.
//
// A dump lists people and films by slug, critic reviews by film and then
// date, reader reviews by date, ratings by film and reader, and votes by
// review and reader, so two dumps of the same data are byte for byte the
// same. It leaves out what the store makes anew: database ids, which reader
// wrote a reader review, and moderation times. Reader reviews are numbered
// in URLs (a review's anchor and its vote form); an import numbers them in
// document order, so loading a dump into an empty database gives each the
// number it had as long as the site numbered them as they came in.
package catalog

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"

	"marquee/internal/film"
)

// Version is the format version this package reads and writes.
const Version = 1

// Document is one catalogue file.
type Document struct {
	Version int `json:"version"`
	film.Catalog
}

// Decode reads one document, refusing unknown fields so that a typo in a
// hand-written file is reported rather than silently dropped, and validates
// it. A syntax or type error names the line and column where it was found.
func Decode(r io.Reader) (Document, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return Document{}, fmt.Errorf("read catalogue: %w", err)
	}
	var wire wireDocument
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&wire); err != nil {
		return Document{}, fmt.Errorf("decode catalogue: %w", locate(data, err))
	}
	doc := wire.document()
	if _, err := dec.Token(); err != io.EOF {
		line, col := position(data, dec.InputOffset())
		return Document{}, fmt.Errorf("decode catalogue: line %d, column %d: trailing data after the document", line, col)
	}
	if err := doc.Validate(); err != nil {
		return Document{}, err
	}
	return doc, nil
}

// unknownField matches the message encoding/json gives for a key that no
// field takes; it carries no offset, so the key is looked for in the text.
var unknownField = regexp.MustCompile(`^json: unknown field "(.*)"$`)

// locate rewrites a JSON decoding error to say where in data it happened.
func locate(data []byte, err error) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		// Offset counts the offending byte; point at it.
		line, col := position(data, max(syntax.Offset-1, 0))
		return fmt.Errorf("line %d, column %d: %w", line, col, err)
	case errors.As(err, &typ):
		line, col := position(data, typ.Offset)
		// A film or person record is decoded with its pictures beside it
		// (wireFilm, wirePerson): name the field as the file does.
		field := strings.NewReplacer(".Film.", ".", ".Person.", ".").Replace(typ.Field)
		if field == "" {
			field = "the document"
		}
		return fmt.Errorf("line %d, column %d: %s: a JSON %s cannot be a %s: %w", line, col, field, typ.Value, typ.Type, err)
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		line, col := position(data, int64(len(data)))
		return fmt.Errorf("line %d, column %d: the document ends before it is complete: %w", line, col, err)
	}
	if m := unknownField.FindStringSubmatch(err.Error()); m != nil {
		key, _ := json.Marshal(m[1])
		if at := regexp.MustCompile(regexp.QuoteMeta(string(key)) + `\s*:`).FindIndex(data); at != nil {
			line, col := position(data, int64(at[0]))
			return fmt.Errorf("line %d, column %d: unknown field %s: %w", line, col, key, err)
		}
	}
	return err
}

// position turns a byte offset in data into a 1-based line and column.
func position(data []byte, offset int64) (line, col int) {
	if offset > int64(len(data)) {
		offset = int64(len(data))
	}
	before := data[:offset]
	line = bytes.Count(before, []byte("\n")) + 1
	col = len(before) - bytes.LastIndexByte(before, '\n')
	return line, col
}

// DecodeFS reads every *.json file in fsys's top directory, in name order,
// and merges them into one document.
func DecodeFS(fsys fs.FS) (Document, error) {
	names, err := fs.Glob(fsys, "*.json")
	if err != nil {
		return Document{}, fmt.Errorf("list catalogue files: %w", err)
	}
	sort.Strings(names)
	merged := Document{Version: Version}
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return Document{}, fmt.Errorf("read %s: %w", name, err)
		}
		doc, err := Decode(bytes.NewReader(data))
		if err != nil {
			return Document{}, fmt.Errorf("%s: %w", path.Base(name), err)
		}
		merged.People = append(merged.People, doc.People...)
		merged.Films = append(merged.Films, doc.Films...)
		merged.CriticReviews = append(merged.CriticReviews, doc.CriticReviews...)
		merged.ReaderReviews = append(merged.ReaderReviews, doc.ReaderReviews...)
		merged.Ratings = append(merged.Ratings, doc.Ratings...)
		merged.HelpfulVotes = append(merged.HelpfulVotes, doc.HelpfulVotes...)
		merged.Images = append(merged.Images, doc.Images...)
	}
	if err := merged.Validate(); err != nil {
		return Document{}, err
	}
	return merged, nil
}

// Encode writes doc as indented JSON, the same bytes an Encoder writes for
// its records.
func Encode(w io.Writer, doc Document) error {
	enc := NewEncoder(w)
	if err := doc.Stream(enc); err != nil {
		return err
	}
	return enc.Close()
}

// The sections of a document, in the order an Encoder writes them.
var sections = []string{"people", "films", "critic_reviews", "reader_reviews", "ratings", "helpful_votes"}

// Encoder writes a document one record at a time, so a dump or a generated
// catalogue of any size streams to a file in bounded memory. It implements
// film.CatalogWriter: records must come section by section in the order of
// the format. Close ends the document.
type Encoder struct {
	w       *bufio.Writer
	section int // index in sections of the open section; -1 before any
	records int // records written in the open section
	buf     bytes.Buffer
	enc     *json.Encoder
	err     error
	// pending are pictures kept for the record they belong to (see
	// WriteImage).
	pending map[film.ImageOwner][]film.CatalogImage
}

// NewEncoder returns an Encoder writing to w.
func NewEncoder(w io.Writer) *Encoder {
	e := &Encoder{w: bufio.NewWriterSize(w, 1<<20), section: -1}
	e.enc = json.NewEncoder(&e.buf)
	e.enc.SetIndent("    ", "  ")
	e.enc.SetEscapeHTML(false)
	fmt.Fprintf(e.w, "{\n  \"version\": %d", Version)
	return e
}

// WritePerson writes p to the people section.
func (e *Encoder) WritePerson(p film.Person) error { return e.write(0, e.wirePersonOf(p)) }

// WriteFilm writes f to the films section.
func (e *Encoder) WriteFilm(f film.Film) error { return e.write(1, e.wireFilmOf(f)) }

// WriteCriticReview writes r to the critic reviews section.
func (e *Encoder) WriteCriticReview(r film.CriticReview) error { return e.write(2, r) }

// WriteReaderReview writes r to the reader reviews section.
func (e *Encoder) WriteReaderReview(r film.ReaderReview) error { return e.write(3, r) }

// WriteRating writes r to the ratings section.
func (e *Encoder) WriteRating(r film.ReaderRating) error { return e.write(4, r) }

// WriteHelpfulVote writes v to the helpful votes section.
func (e *Encoder) WriteHelpfulVote(v film.HelpfulVote) error { return e.write(5, v) }

// write adds one record to section, first closing the sections before it.
func (e *Encoder) write(section int, record any) error {
	if e.err != nil {
		return e.err
	}
	if section < e.section {
		e.err = fmt.Errorf("encode catalogue: a record of %s after %s", sections[section], sections[e.section])
		return e.err
	}
	e.openSection(section)
	e.buf.Reset()
	if err := e.enc.Encode(record); err != nil {
		e.err = fmt.Errorf("encode catalogue %s: %w", sections[section], err)
		return e.err
	}
	if e.records > 0 {
		e.w.WriteString(",")
	}
	e.w.WriteString("\n    ")
	e.w.Write(bytes.TrimSuffix(e.buf.Bytes(), []byte("\n")))
	e.records++
	return nil
}

// openSection closes the open section and opens section, writing empty
// people and films lists on the way, which a document always has.
func (e *Encoder) openSection(section int) {
	for e.section < section {
		if e.section >= 0 {
			e.closeSection()
		}
		e.section++
		if e.section == section || e.section <= 1 {
			fmt.Fprintf(e.w, ",\n  %q: [", sections[e.section])
			e.records = 0
		} else {
			e.records = -1 // skipped: nothing to close
		}
	}
}

func (e *Encoder) closeSection() {
	switch {
	case e.records > 0:
		e.w.WriteString("\n  ]")
	case e.records == 0:
		e.w.WriteString("]")
	}
}

// Close ends the document and flushes it. It does not close the
// underlying writer.
func (e *Encoder) Close() error {
	if e.err != nil {
		return e.err
	}
	if e.section < 1 {
		e.openSection(1)
	}
	e.closeSection()
	e.section = len(sections)
	e.w.WriteString("\n}\n")
	if err := e.w.Flush(); err != nil {
		e.err = fmt.Errorf("write catalogue: %w", err)
		return e.err
	}
	e.err = errors.New("encode catalogue: the encoder is closed")
	return nil
}

// Validate checks every record and every reference between records, and
// reports all problems at once, each named by its place in the document.
func (doc Document) Validate() error {
	p := film.Problems{}
	if doc.Version != Version {
		p.Add("version", fmt.Sprintf("must be %d", Version))
	}
	people := map[string]bool{}
	for i, person := range doc.People {
		field := fmt.Sprintf("people[%d]", i)
		addProblems(p, field, person.Validate())
		if people[person.Slug] {
			p.Add(field+".slug", "repeats "+person.Slug)
		}
		people[person.Slug] = true
	}
	films := map[string]bool{}
	for i, f := range doc.Films {
		field := fmt.Sprintf("films[%d]", i)
		addProblems(p, field, f.Validate())
		if films[f.Slug] {
			p.Add(field+".slug", "repeats "+f.Slug)
		}
		films[f.Slug] = true
		for j, c := range f.Credits {
			if !people[c.PersonSlug] {
				p.Add(fmt.Sprintf("%s.credits[%d].person", field, j), "names no person in the document: "+c.PersonSlug)
			}
		}
	}
	reviews := map[string]bool{}
	for i, r := range doc.CriticReviews {
		field := fmt.Sprintf("critic_reviews[%d]", i)
		addProblems(p, field, r.Validate())
		if !films[r.FilmSlug] {
			p.Add(field+".film", "names no film in the document: "+r.FilmSlug)
		}
		if r.AuthorSlug != "" && !people[r.AuthorSlug] {
			p.Add(field+".author_person", "names no person in the document: "+r.AuthorSlug)
		}
		if reviews[r.Slug] {
			p.Add(field+".slug", "repeats "+r.Slug)
		}
		reviews[r.Slug] = true
	}
	readerReviews := map[film.ReaderReviewKey]bool{}
	for i, r := range doc.ReaderReviews {
		field := fmt.Sprintf("reader_reviews[%d]", i)
		addProblems(p, field, r.Validate())
		if !films[r.FilmSlug] {
			p.Add(field+".film", "names no film in the document: "+r.FilmSlug)
		}
		if r.CreatedAt.IsZero() {
			p.Add(field+".created_at", "is required")
		}
		if readerReviews[r.Key()] {
			p.Add(field, "repeats an earlier review: same film, display_name, title and created_at")
		}
		readerReviews[r.Key()] = true
	}
	type rated struct{ film, reader string }
	ratings := map[rated]bool{}
	for i, r := range doc.Ratings {
		field := fmt.Sprintf("ratings[%d]", i)
		addProblems(p, field, r.Validate())
		if !films[r.FilmSlug] {
			p.Add(field+".film", "names no film in the document: "+r.FilmSlug)
		}
		if ratings[rated{r.FilmSlug, r.Reader}] {
			p.Add(field, "repeats an earlier rating of the same film by the same reader")
		}
		ratings[rated{r.FilmSlug, r.Reader}] = true
	}
	type voted struct {
		review film.ReaderReviewKey
		reader string
	}
	votes := map[voted]bool{}
	for i, v := range doc.HelpfulVotes {
		field := fmt.Sprintf("helpful_votes[%d]", i)
		addProblems(p, field, v.Validate())
		key := v.Review.Normalized()
		if !key.CreatedAt.IsZero() && !readerReviews[key] {
			p.Add(field+".review", "names no reader review in the document: "+key.String())
		}
		if votes[voted{key, v.Reader}] {
			p.Add(field, "repeats an earlier vote on the same review by the same reader")
		}
		votes[voted{key, v.Reader}] = true
	}
	return p.Err()
}

// addProblems copies the problems in err, if it holds any, under prefix.
func addProblems(p film.Problems, prefix string, err error) {
	if problems, ok := err.(film.Problems); ok {
		for field, msg := range problems {
			p.Add(prefix+"."+field, msg)
		}
	}
}
