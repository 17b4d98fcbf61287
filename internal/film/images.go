package film

import (
	"errors"
	"strings"
)

// This file holds the pictures of the catalogue: a film's poster and
// stills and a person's portrait. A picture is stored as renditions (the
// sizes pages need, re-encoded from the upload so nothing of the file but
// its pixels survives), each named by the SHA-256 of its own bytes, which
// is also its address (paths.Image), so that an address always serves the
// same bytes and can be cached for a year. Each use of a picture carries
// its own alt text, caption and credit.
//
// The building blocks for pages:
//   - FilmPage.Poster, FilmPage.Stills, FilmPage.Portraits, PersonPage.Portrait
//     and Summary.Poster are filled by the store's page reads; a zero Image
//     means "none", and the web layer draws a generated poster or an
//     initials placeholder instead (see internal/web/images.go).
//   - ImageStore (store.go) keeps them; internal/picture checks uploads and
//     makes the renditions.

// ImageRole is what a picture is to the record it belongs to.
type ImageRole string

// The roles a picture can have: a film's poster (one) and stills (in
// order), a person's portrait (one).
const (
	ImagePoster   ImageRole = "poster"
	ImageStill    ImageRole = "still"
	ImagePortrait ImageRole = "portrait"
)

// ImageRoles lists the roles in the order forms show them.
var ImageRoles = []ImageRole{ImagePoster, ImageStill, ImagePortrait}

// Valid reports whether r is a role the site knows.
func (r ImageRole) Valid() bool {
	return r == ImagePoster || r == ImageStill || r == ImagePortrait
}

// ForFilm reports whether a film can have a picture in this role.
func (r ImageRole) ForFilm() bool { return r == ImagePoster || r == ImageStill }

// Label is the role as a form names it.
func (r ImageRole) Label() string {
	switch r {
	case ImagePoster:
		return "Poster"
	case ImageStill:
		return "Still"
	case ImagePortrait:
		return "Portrait"
	}
	return string(r)
}

// ImageFormat is how a rendition is encoded.
type ImageFormat string

// The formats renditions are encoded in: JPEG for photographs, PNG for
// pictures with transparency. Uploads may also be WebP, which is decoded
// and re-encoded as one of these.
const (
	FormatJPEG ImageFormat = "jpeg"
	FormatPNG  ImageFormat = "png"
)

// Ext is the file extension of the format, without the dot.
func (f ImageFormat) Ext() string {
	if f == FormatPNG {
		return "png"
	}
	return "jpg"
}

// ContentType is the format's media type.
func (f ImageFormat) ContentType() string {
	if f == FormatPNG {
		return "image/png"
	}
	return "image/jpeg"
}

// FormatFromExt is the format whose extension is ext, and whether there is
// one.
func FormatFromExt(ext string) (ImageFormat, bool) {
	switch ext {
	case "jpg":
		return FormatJPEG, true
	case "png":
		return FormatPNG, true
	}
	return "", false
}

// Rendition is one size of a picture.
type Rendition struct {
	// Hash is the 64 lower-case hex digits of the SHA-256 of the
	// rendition's bytes: its name and its address.
	Hash          string
	Width, Height int
	Format        ImageFormat
}

// RenditionData is a rendition with its bytes, as written and served.
type RenditionData struct {
	Rendition
	Bytes []byte
}

// ImageText is what is said about one use of a picture.
type ImageText struct {
	// Alt describes the picture for people who cannot see it; required.
	Alt string `json:"alt"`
	// Caption is shown under the picture (stills) or kept for the record.
	Caption string `json:"caption,omitempty"`
	// Credit names who made the picture and its licence: "© 2008 Studio
	// Canal, used with permission".
	Credit string `json:"credit,omitempty"`
}

// The lengths ImageText's fields may have, in characters.
const (
	MaxAltRunes     = 300
	MaxCaptionRunes = 500
	MaxCreditRunes  = 300
)

// Validate reports every problem with t's fields.
func (t ImageText) Validate() error {
	p := Problems{}
	checkText(p, "alt", t.Alt, true, MaxAltRunes)
	checkText(p, "caption", t.Caption, false, MaxCaptionRunes)
	checkText(p, "credit", t.Credit, false, MaxCreditRunes)
	return p.Err()
}

// Trimmed is t with surrounding space removed from each field.
func (t ImageText) Trimmed() ImageText {
	return ImageText{Alt: strings.TrimSpace(t.Alt), Caption: strings.TrimSpace(t.Caption), Credit: strings.TrimSpace(t.Credit)}
}

// Image is one use of a picture: a film's poster or still, or a person's
// portrait. The zero Image is "no picture".
type Image struct {
	// ID names this use (not the picture, which may be used twice).
	ID int64
	// Hash names the picture: its largest rendition's hash.
	Hash string
	// Width and Height are the largest rendition's size.
	Width, Height int
	Role          ImageRole
	// Position orders a film's stills, from 0.
	Position int
	ImageText
	// Renditions are the picture's sizes, narrowest first.
	Renditions []Rendition
}

// IsZero reports whether i is no picture at all.
func (i Image) IsZero() bool { return i.Hash == "" }

// Largest is the widest rendition, or the zero Rendition for no picture.
func (i Image) Largest() Rendition {
	if len(i.Renditions) == 0 {
		return Rendition{}
	}
	return i.Renditions[len(i.Renditions)-1]
}

// NewImage is a picture to attach: its renditions (made by
// internal/picture, narrowest first) and what is said about it.
type NewImage struct {
	Role ImageRole
	ImageText
	Renditions []RenditionData
}

// Validate reports every problem with a new picture.
func (n NewImage) Validate() error {
	p := Problems{}
	if err := n.ImageText.Validate(); err != nil {
		for k, v := range err.(Problems) {
			p.Add(k, v)
		}
	}
	if !n.Role.Valid() {
		p.Add("role", "must be poster, still or portrait")
	}
	if len(n.Renditions) == 0 {
		p.Add("file", "has no renditions")
	}
	for i, r := range n.Renditions {
		if len(r.Bytes) == 0 || r.Width <= 0 || r.Height <= 0 || !ValidImageHash(r.Hash) ||
			(r.Format != FormatJPEG && r.Format != FormatPNG) || (i > 0 && r.Width <= n.Renditions[i-1].Width) {
			p.Add("file", "has an invalid rendition")
			break
		}
	}
	return p.Err()
}

// ValidImageHash reports whether s can name a rendition: 64 lower-case
// hexadecimal digits.
func ValidImageHash(s string) bool { return ValidReaderKey(s) }

// ImageOwner names the record a picture belongs to: a film (posters and
// stills) or a person (portraits), by slug.
type ImageOwner struct {
	Kind ImageOwnerKind
	Slug string
}

// ImageOwnerKind is the kind of record that has pictures.
type ImageOwnerKind string

// The kinds of record that have pictures.
const (
	OwnerFilm   ImageOwnerKind = "film"
	OwnerPerson ImageOwnerKind = "person"
)

// FilmImages names a film as the owner of pictures.
func FilmImages(slug string) ImageOwner { return ImageOwner{Kind: OwnerFilm, Slug: slug} }

// PersonImages names a person as the owner of pictures.
func PersonImages(slug string) ImageOwner { return ImageOwner{Kind: OwnerPerson, Slug: slug} }

// Accepts reports whether the owner can have a picture in role r.
func (o ImageOwner) Accepts(r ImageRole) bool {
	if o.Kind == OwnerPerson {
		return r == ImagePortrait
	}
	return r.ForFilm()
}

// OwnedImages are a record's pictures, as the desk's picture page shows
// them: the record's name and its pictures (poster first, then stills in
// order; or the portrait).
type OwnedImages struct {
	Owner ImageOwner
	// Name is the film's title or the person's name.
	Name string
	// Year is the film's year, 0 for a person.
	Year   int
	Images []Image
}

// Picture limits: what an upload may be. They are checked on the bytes
// and on the dimensions the file declares, before any pixel is decoded.
const (
	// MaxImageBytes bounds an uploaded file.
	MaxImageBytes = 15 << 20
	// MaxImagePixels bounds width × height: a decoded picture takes four
	// bytes a pixel, so 40 megapixels is 160 MB at most.
	MaxImagePixels = 40_000_000
	// MaxImageSide bounds either side.
	MaxImageSide = 12_000
	// MaxStills is how many stills a film may have.
	MaxStills = 24
)

// MinImageWidth is the narrowest upload accepted for a role: the smallest
// size pages show it at, so no page scales a picture up.
func MinImageWidth(r ImageRole) int {
	switch r {
	case ImageStill:
		return 480
	case ImagePortrait:
		return 120
	}
	return 160
}

// MinImageHeight is the lowest upload accepted for any role.
const MinImageHeight = 120

// The reasons an upload is refused. Each is wrapped in an ImageRefusal
// that says, for the person uploading, what was wrong.
var (
	// ErrImageFormat: the bytes are not a JPEG, PNG or WebP picture (an
	// SVG, a PDF, a text file, whatever its name says).
	ErrImageFormat = errors.New("unsupported image format")
	// ErrImageSize: the declared dimensions are too large or too small.
	ErrImageSize = errors.New("image dimensions out of range")
	// ErrImageCorrupt: the header was readable but the pixels are not (a
	// truncated or damaged file).
	ErrImageCorrupt = errors.New("image data damaged")
	// ErrImageTooLarge: the file has more bytes than MaxImageBytes.
	ErrImageTooLarge = errors.New("image file too large")
)

// ImageRefusal is an upload refused for a Reason (one of the ErrImage
// errors), with a Message to show the person who sent it.
type ImageRefusal struct {
	Reason  error
	Message string
}

func (e *ImageRefusal) Error() string { return e.Reason.Error() + ": " + e.Message }

// Unwrap lets errors.Is find the reason.
func (e *ImageRefusal) Unwrap() error { return e.Reason }

// RefuseImage is an ImageRefusal for reason with message.
func RefuseImage(reason error, message string) error {
	return &ImageRefusal{Reason: reason, Message: message}
}

// CatalogImage is a picture as a catalogue carries it: inside its film
// ("poster", "stills") or person ("portrait") record, with its text and
// either a Path to a file (relative to the catalogue file) or the file's
// bytes in Data (base64 in JSON). A catalogue's pictures are checked like
// uploads (package picture) before they reach a store, which fills
// Renditions; a store imports those.
type CatalogImage struct {
	// Owner and Role say whose picture it is and what it is; a catalogue
	// file says so by where it puts the picture.
	Owner ImageOwner `json:"-"`
	Role  ImageRole  `json:"-"`
	ImageText
	Path string `json:"path,omitempty"`
	Data []byte `json:"data,omitempty"`
	// Renditions are made from Data when the catalogue is checked.
	Renditions []RenditionData `json:"-"`
}

// ImageWriter is a CatalogWriter that also takes pictures. A dump sends
// each record's pictures just before the record, so a writer can nest
// them in it; writers that do not implement it get no pictures.
type ImageWriter interface {
	WriteImage(CatalogImage) error
}

// WriteImage appends i to c.
func (c *Catalog) WriteImage(i CatalogImage) error { c.Images = append(c.Images, i); return nil }
