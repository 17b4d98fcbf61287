// Package catalog is Marquee's JSON catalogue format: one document holding
// people, films with their full record, critic reviews and reader reviews.
// The seeds are written in it, and import, dump and the generator read or
// write it, so one decoder and one validator serve them all.
//
// A document looks like this (every field is described by the JSON tags of
// the types in internal/film):
//
//	{
//	  "version": 1,
//	  "people": [{"slug": "cedric-klapisch", "name": "Cédric Klapisch"}],
//	  "films": [{"slug": "paris-2008", "title": "Paris", "year": 2008,
//	             "credits": [{"person": "cedric-klapisch", "role": "director"}]}],
//	  "critic_reviews": [...],
//	  "reader_reviews": [...]
//	}
//
// Films refer to people, and reviews to films, by slug; a document must be
// complete in itself.
package catalog

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"path"
	"sort"

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
// it.
func Decode(r io.Reader) (Document, error) {
	var doc Document
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		return Document{}, fmt.Errorf("decode catalogue: %w", err)
	}
	if dec.More() {
		return Document{}, fmt.Errorf("decode catalogue: trailing data after the document")
	}
	if err := doc.Validate(); err != nil {
		return Document{}, err
	}
	return doc, nil
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
	}
	if err := merged.Validate(); err != nil {
		return Document{}, err
	}
	return merged, nil
}

// Encode writes doc as indented JSON.
func Encode(w io.Writer, doc Document) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("encode catalogue: %w", err)
	}
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
	for i, r := range doc.ReaderReviews {
		field := fmt.Sprintf("reader_reviews[%d]", i)
		addProblems(p, field, r.Validate())
		if !films[r.FilmSlug] {
			p.Add(field+".film", "names no film in the document: "+r.FilmSlug)
		}
		if r.CreatedAt.IsZero() {
			p.Add(field+".created_at", "is required")
		}
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
