package catalog

import (
	"errors"
	"fmt"
	"io/fs"
	"path"

	"marquee/internal/film"
	"marquee/internal/picture"
)

// Pictures in a catalogue live inside their records: a film's "poster"
// (one) and "stills" (in order), a person's "portrait" (one). Each is an
// object with "alt" (required), "caption", "credit", and either "path", a
// file relative to the catalogue file, or "data", the file's bytes in
// base64 (what a dump writes):
//
//	{"slug": "paris-2008", "title": "Paris", …,
//	 "poster": {"alt": "Poster: …", "credit": "© 2008 …", "path": "posters/paris.jpg"},
//	 "stills": [{"alt": "…", "caption": "…", "data": "/9j/4AAQ…"}]}
//
// In memory they are film.Catalog.Images, each naming its owner and role;
// Document.LoadImages reads the files and checks every picture as an
// upload is checked (package picture), so a catalogue cannot bring in what
// the desk would refuse.

// wireFilm and wirePerson are records as a file holds them, with their
// pictures nested.
type wireFilm struct {
	film.Film
	Poster *film.CatalogImage  `json:"poster,omitempty"`
	Stills []film.CatalogImage `json:"stills,omitempty"`
}

type wirePerson struct {
	film.Person
	Portrait *film.CatalogImage `json:"portrait,omitempty"`
}

// wireDocument is a document as a file holds it: its people and films
// (with their pictures) shadow the Catalog's.
type wireDocument struct {
	Document
	People []wirePerson `json:"people"`
	Films  []wireFilm   `json:"films"`
}

// document takes the pictures out of the records into Catalog.Images.
func (w wireDocument) document() Document {
	doc := w.Document
	doc.People, doc.Films = nil, nil
	for _, p := range w.People {
		doc.People = append(doc.People, p.Person)
		if p.Portrait != nil {
			doc.Images = append(doc.Images, owned(*p.Portrait, film.PersonImages(p.Slug), film.ImagePortrait))
		}
	}
	for _, f := range w.Films {
		doc.Films = append(doc.Films, f.Film)
		if f.Poster != nil {
			doc.Images = append(doc.Images, owned(*f.Poster, film.FilmImages(f.Slug), film.ImagePoster))
		}
		for _, s := range f.Stills {
			doc.Images = append(doc.Images, owned(s, film.FilmImages(f.Slug), film.ImageStill))
		}
	}
	return doc
}

func owned(i film.CatalogImage, o film.ImageOwner, r film.ImageRole) film.CatalogImage {
	i.Owner, i.Role = o, r
	return i
}

// imageField names a picture in problems: "films[paris-2008].poster",
// "films[paris-2008].stills[1]".
func imageField(i film.CatalogImage, still int) string {
	kind := "films"
	if i.Owner.Kind == film.OwnerPerson {
		kind = "people"
	}
	name := fmt.Sprintf("%s[%s].%s", kind, i.Owner.Slug, i.Role)
	if i.Role == film.ImageStill {
		name = fmt.Sprintf("%s[%s].stills[%d]", kind, i.Owner.Slug, still)
	}
	return name
}

// LoadImages reads each picture's file (its path relative to dir; nil dir
// allows only embedded data), checks it as an upload is checked, and
// makes its renditions. It reports every problem at once, each named by
// its place ("films[paris-2008].poster.alt").
func (doc *Document) LoadImages(dir fs.FS) error {
	p := film.Problems{}
	stills := map[string]int{}
	for i := range doc.Images {
		img := &doc.Images[i]
		n := 0
		if img.Role == film.ImageStill {
			n = stills[img.Owner.Slug]
			stills[img.Owner.Slug]++
		}
		field := imageField(*img, n)
		if err := img.ImageText.Validate(); err != nil {
			for k, v := range err.(film.Problems) {
				p.Add(field+"."+k, v)
			}
		}
		switch {
		case img.Path != "" && img.Data != nil:
			p.Add(field, "has both a path and data: give one")
			continue
		case img.Path == "" && img.Data == nil:
			p.Add(field, "needs a path or data")
			continue
		case img.Path != "":
			clean := path.Clean(img.Path)
			if dir == nil || !fs.ValidPath(clean) {
				p.Add(field+".path", "must be a file beside the catalogue or below it")
				continue
			}
			data, err := fs.ReadFile(dir, clean)
			if err != nil {
				p.Add(field+".path", "cannot be read: "+errors.Unwrap(err).Error())
				continue
			}
			img.Data = data
		}
		r, err := picture.Prepare(img.Data, img.Role)
		var refusal *film.ImageRefusal
		if errors.As(err, &refusal) {
			p.Add(field, refusal.Message)
			continue
		}
		if err != nil {
			return fmt.Errorf("%s: %w", field, err)
		}
		img.Renditions = r
	}
	for slug, n := range stills {
		if n > film.MaxStills {
			p.Add(fmt.Sprintf("films[%s].stills", slug), fmt.Sprintf("holds %d stills; a film has at most %d", n, film.MaxStills))
		}
	}
	return p.Err()
}

// WriteImage keeps a picture for the record it belongs to, which is
// written next (a dump sends each record's pictures just before it).
func (e *Encoder) WriteImage(i film.CatalogImage) error {
	if e.pending == nil {
		e.pending = map[film.ImageOwner][]film.CatalogImage{}
	}
	i.Renditions = nil
	e.pending[i.Owner] = append(e.pending[i.Owner], i)
	return nil
}

// wireFilmOf is f with the pictures kept for it.
func (e *Encoder) wireFilmOf(f film.Film) wireFilm {
	o := film.FilmImages(f.Slug)
	w := wireFilm{Film: f}
	for _, i := range e.pending[o] {
		switch i.Role {
		case film.ImagePoster:
			w.Poster = &i
		case film.ImageStill:
			w.Stills = append(w.Stills, i)
		}
	}
	delete(e.pending, o)
	return w
}

// wirePersonOf is p with the portrait kept for them.
func (e *Encoder) wirePersonOf(p film.Person) wirePerson {
	o := film.PersonImages(p.Slug)
	w := wirePerson{Person: p}
	for _, i := range e.pending[o] {
		if i.Role == film.ImagePortrait {
			w.Portrait = &i
		}
	}
	delete(e.pending, o)
	return w
}
