package templates

import (
	"strconv"
	"strings"

	"marquee/internal/film"
)

// PictureView is one picture as a page shows it: an uploaded poster,
// still or portrait, or a generated poster. Build it in internal/web with
// posterView, stillView or portraitView (see internal/web/images.go) and
// render it with Picture.
type PictureView struct {
	// Src is the fallback address (a middle-sized rendition).
	Src string
	// Srcset lists every rendition with its width.
	Srcset []SrcsetEntry
	// Sizes tells the browser how wide the picture is laid out, so it
	// picks a rendition before layout: "(min-width: 40rem) 12rem, 30vw".
	Sizes string
	// Width and Height are the intrinsic size of Src, so the browser
	// reserves the box and nothing shifts while the picture loads.
	Width, Height int
	// Alt is the text alternative; "" only for a generated poster placed
	// beside its film's title, which says nothing the title does not.
	Alt string
	// Eager marks a picture on the first screen (a film page's poster):
	// it loads at once, with high priority, instead of lazily.
	Eager bool
	// Class is added to the img element's class list.
	Class string
	// Generated is true for a drawn poster, not an uploaded one.
	Generated bool
	// Caption and Credit accompany an uploaded picture, for figure
	// captions (stills) and credit lines.
	Caption, Credit string
}

// SrcsetEntry is one candidate in a srcset: an address and its width in
// pixels.
type SrcsetEntry struct {
	URL   string
	Width int
}

// IsZero reports whether v is no picture.
func (v PictureView) IsZero() bool { return v.Src == "" }

// loading is the loading attribute: lazy below the fold.
func (v PictureView) loading() string {
	if v.Eager {
		return "eager"
	}
	return "lazy"
}

// fetchPriority is the fetchpriority attribute: high for a picture on
// the first screen.
func (v PictureView) fetchPriority() string {
	if v.Eager {
		return "high"
	}
	return "auto"
}

// InitialsView is the placeholder for a person without a portrait: their
// initials on a colour taken from their name. Build it with portraitView
// (internal/web/images.go), which gives either a PictureView or this.
type InitialsView struct {
	Initials string
	// Hue is one of InitialsHues colour classes, chosen from the name.
	Hue int
	// Name is the person's name, announced when the placeholder stands
	// alone; Decorative hides it from assistive technology when the name
	// is printed beside it.
	Name       string
	Decorative bool
	// Size is "small" (a cast grid) or "large" (a person's page).
	Size string
}

// InitialsHues is how many colour classes initials placeholders use
// (.initials--hue-0 to -11 in the stylesheet).
const InitialsHues = 12

// class is the placeholder's class list.
func (v InitialsView) class() string {
	size := v.Size
	if size == "" {
		size = "small"
	}
	return "initials initials--" + size + " initials--hue-" + strconv.Itoa(v.Hue%InitialsHues)
}

// PortraitView is a person's picture: Picture when they have a portrait,
// otherwise Initials.
type PortraitView struct {
	Picture  PictureView
	Initials InitialsView
}

// AdminPicturesView is the desk's page of a film's or person's pictures:
// each picture with its text, order and removal, and the upload form.
type AdminPicturesView struct {
	Page AdminPage
	// Kind is "film" or "person"; Name and Year say which.
	Kind string
	Name string
	Year int
	// ViewPath is the public page, EditPath the record's form, UploadPath
	// where the upload form posts.
	ViewPath, EditPath, UploadPath string
	Items                          []AdminPictureItem
	// Roles are what an upload can be (poster or still; portrait).
	Roles []PictureOption
	// Form is what was typed into the upload form, Problems its field
	// problems, and Refusal why the file was refused.
	Form     PictureUpload
	Problems map[string]string
	Refusal  string
	// MaxMegabytes and MaxMegapixels are the upload limits, for the hint.
	MaxMegabytes, MaxMegapixels int
}

// PictureOption is one choice of a select.
type PictureOption struct{ Value, Label string }

// PictureUpload is the upload form's values.
type PictureUpload struct {
	Role string
	Text film.ImageText
}

// AdminPictureItem is one stored picture on the desk's picture page.
type AdminPictureItem struct {
	ID      int64
	Role    string
	Preview PictureView
	Text    film.ImageText
	// Size is the largest rendition's size, "640 × 960".
	Size string
	// ActionPath is where its forms post.
	ActionPath string
	// Orderable stills have up and down buttons, except First's up and
	// Last's down.
	Orderable, First, Last bool
}

// fieldID is the id of an upload form field.
func (v AdminPicturesView) fieldID(name string) string { return "picture-" + name }

// describedBy is the aria-describedby of an upload field: its hint (when
// it has one) and its problem (when there is one).
func (v AdminPicturesView) describedBy(name string, hint bool) string {
	var ids []string
	if hint {
		ids = append(ids, v.fieldID(name)+"-hint")
	}
	if v.Problems[name] != "" {
		ids = append(ids, v.fieldID(name)+"-error")
	}
	return strings.Join(ids, " ")
}

// itemFieldID is the id of a field of a stored picture's form.
func (it AdminPictureItem) fieldID(name string) string {
	return "picture-" + strconv.FormatInt(it.ID, 10) + "-" + name
}

// heading is the page's heading.
func (v AdminPicturesView) heading() string {
	if v.Kind == "person" {
		return "Portrait of " + v.Name
	}
	return "Pictures of " + v.Name + " (" + strconv.Itoa(v.Year) + ")"
}

// PosterMap holds the posters of the films a list shows, by film id, as
// built by posterMap in internal/web; a film missing from it shows none.
type PosterMap map[int64]PictureView
