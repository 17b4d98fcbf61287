// Package sharecard draws the share cards of Marquee's pages: the
// 1200×630 PNG images that link previews show (og:image, twitter:image)
// for a film, a critic review or a person.
//
// A Card holds what the image says (the title, the year, a subtitle such
// as the director or the byline, a rating) and Draw turns it into PNG
// bytes with the Go fonts embedded in the binary, so nothing is fetched.
// Drawing is deterministic: the same card gives the same bytes. Hash names
// a card's content together with the version of the drawing code, so a
// card's address can carry its hash, change whenever the image would, and
// be cached forever.
//
// Each card takes its colour from a seed (a film's slug): a hue picked by
// hashing it, a dark background of that hue, and text colours that keep
// WCAG AA contrast (4.5:1) against it. Text the Go fonts cannot draw (they
// cover Latin, Greek and Cyrillic) is left out rather than drawn as empty
// boxes; text too long for the card wraps and is cut with an ellipsis, and
// nothing is drawn within the card's margin.
package sharecard

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"image"
	"math"
	"strconv"
)

// Version names the look of the cards. Raise it whenever a change to the
// drawing code changes the images, so that every card's hash, and so its
// address, changes with it and caches fetch the new image.
const Version = 1

// Width and Height are every card's size in pixels, the size link
// previews ask for.
const (
	Width  = 1200
	Height = 630
)

// SiteName is the name every card carries.
const SiteName = "Marquee"

// Kind is what a card shows.
type Kind string

// The kinds of card.
const (
	KindFilm         Kind = "film"
	KindCriticReview Kind = "review"
	KindPerson       Kind = "person"
)

// label is the line a card of this kind starts with.
func (k Kind) label() string {
	switch k {
	case KindFilm:
		return "FILM"
	case KindCriticReview:
		return "CRITIC REVIEW"
	case KindPerson:
		return "PERSON"
	}
	return ""
}

// Card is what one share card says.
type Card struct {
	Kind Kind
	// Title is the card's headline: a film's or a person's name.
	Title string
	// Year follows the title on the line below it; 0 leaves it out.
	Year int
	// Tagline is set in italics under the title: a review's headline.
	Tagline string
	// Subtitle is the line under the title (and year): "Directed by …",
	// a review's byline, a person's known-for line.
	Subtitle string
	// Rating is drawn at the foot of the card; nil draws none.
	Rating *Rating
	// Seed picks the card's colour: give a film's slug, so that a film's
	// card and its reviews' cards share a hue.
	Seed string
	// Poster, when set, is drawn in a panel on the card's right and the
	// text keeps to the left of it: a film's uploaded poster (a film
	// without one shows none, rather than its generated poster, which
	// would repeat the card's own text).
	Poster *Poster
}

// Rating is a score drawn on a card: on a scale of 4 or 5 as stars,
// rounded to the nearest half, on any other scale as text ("6.8/10").
type Rating struct {
	Value float64
	Scale int
	// Note is a few words drawn above the score: "Readers' average".
	Note string
}

// Poster is a picture drawn beside a card's text.
type Poster struct {
	// Key names the picture's content (a stored image's content hash),
	// so that Card.Hash follows the picture without reading its pixels.
	Key   string
	Image image.Image
}

// Hash is a short hex name of everything the card's image depends on: its
// fields and Version. Two cards with the same hash draw the same image.
func (c Card) Hash() string {
	h := sha256.New()
	var n [8]byte
	field := func(s string) {
		binary.BigEndian.PutUint64(n[:], uint64(len(s)))
		h.Write(n[:])
		h.Write([]byte(s))
	}
	field("marquee share card v" + strconv.Itoa(Version))
	field(string(c.Kind))
	field(c.Title)
	field(strconv.Itoa(c.Year))
	field(c.Tagline)
	field(c.Subtitle)
	if r := c.Rating; r != nil {
		field("rating")
		field(strconv.FormatUint(math.Float64bits(r.Value), 16))
		field(strconv.Itoa(r.Scale))
		field(r.Note)
	} else {
		field("no rating")
	}
	field(c.Seed)
	if p := c.Poster; p != nil {
		field("poster")
		field(p.Key)
	} else {
		field("no poster")
	}
	return hex.EncodeToString(h.Sum(nil)[:8])
}

// text is how a rating reads as text: "6.8/10", "3/5".
func (r Rating) text() string {
	return strconv.FormatFloat(r.Value, 'f', -1, 64) + "/" + strconv.Itoa(r.Scale)
}

// stars reports whether the rating is drawn as stars.
func (r Rating) stars() bool { return r.Scale == 4 || r.Scale == 5 }
