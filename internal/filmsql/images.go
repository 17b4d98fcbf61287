package filmsql

import (
	"fmt"

	"marquee/internal/film"
)

// ImageUseColumns are the columns of the statements that read pictures'
// uses, one row per rendition of each use, narrowest rendition first; a
// store reads their rows with ImageRows.
const ImageUseColumns = `u.id, coalesce(u.film_id, 0), coalesce(u.person_id, 0), u.role, u.position,
	u.alt, u.caption, u.credit, i.hash, i.width, i.height, r.hash, r.width, r.height, r.format
	FROM image_uses u JOIN images i ON i.id = u.image_id JOIN image_renditions r ON r.image_id = i.id`

// OwnedImage is a use with the id of the record that has it.
type OwnedImage struct {
	FilmID, PersonID int64
	film.Image
}

// ImageRows gathers the rows of ImageUseColumns into uses, each with its
// renditions. The zero value is ready to use.
type ImageRows struct {
	images []OwnedImage
}

// Scan reads one row through scan (a driver's rows.Scan).
func (g *ImageRows) Scan(scan func(dest ...any) error) error {
	var o OwnedImage
	var r film.Rendition
	var role, format string
	if err := scan(&o.ID, &o.FilmID, &o.PersonID, &role, &o.Position, &o.Alt, &o.Caption, &o.Credit,
		&o.Hash, &o.Width, &o.Height, &r.Hash, &r.Width, &r.Height, &format); err != nil {
		return err
	}
	o.Role, r.Format = film.ImageRole(role), film.ImageFormat(format)
	if n := len(g.images); n > 0 && g.images[n-1].ID == o.ID {
		g.images[n-1].Renditions = append(g.images[n-1].Renditions, r)
		return nil
	}
	o.Renditions = []film.Rendition{r}
	g.images = append(g.images, o)
	return nil
}

// Images are the uses read so far, in the order of their first rows.
func (g *ImageRows) Images() []OwnedImage { return g.images }

// SplitFilmImages parts a film's uses into its poster (zero when it has
// none) and its stills, in the order given.
func SplitFilmImages(imgs []OwnedImage) (poster film.Image, stills []film.Image) {
	for _, i := range imgs {
		if i.Role == film.ImagePoster {
			poster = i.Image
		} else {
			stills = append(stills, i.Image)
		}
	}
	return poster, stills
}

// ByPerson keys portraits by the id of their person.
func ByPerson(imgs []OwnedImage) map[int64]film.Image {
	out := make(map[int64]film.Image, len(imgs))
	for _, i := range imgs {
		out[i.PersonID] = i.Image
	}
	return out
}

// SummaryIDs are the film ids of sums, and those of the summaries read
// without their directors (a person's credits), which attaching posters
// must read too: a film's generated poster names its directors and must be
// the same picture, at the same address, on every page.
func SummaryIDs(sums []*film.Summary) (ids, undirected []int64) {
	ids = make([]int64, 0, len(sums))
	for _, s := range sums {
		ids = append(ids, s.ID)
		if s.Directors == nil {
			undirected = append(undirected, s.ID)
		}
	}
	return ids, undirected
}

// SetDirectors fills the Directors of the summaries read without them,
// from names keyed by film id.
func SetDirectors(sums []*film.Summary, byFilm map[int64][]string) {
	for _, s := range sums {
		if s.Directors == nil {
			s.Directors = byFilm[s.ID]
		}
	}
}

// SetPosters gives each summary the poster of its film among posters, or
// none.
func SetPosters(sums []*film.Summary, posters []OwnedImage) {
	byFilm := make(map[int64]film.Image, len(posters))
	for _, p := range posters {
		byFilm[p.FilmID] = p.Image
	}
	for _, s := range sums {
		s.Poster = byFilm[s.ID]
	}
}

// OwnerColumn is the image_uses column that names an owner of this kind.
func OwnerColumn(k film.ImageOwnerKind) string {
	if k == film.OwnerPerson {
		return "person_id"
	}
	return "film_id"
}

// OwnerImages are the pictures the desk shows for an owner: a film's
// poster, if any, then its stills, or a person's portrait.
func OwnerImages(poster film.Image, stills []film.Image) []film.Image {
	var out []film.Image
	if !poster.IsZero() {
		out = append(out, poster)
	}
	return append(out, stills...)
}

// CheckNewImage trims img's text and checks that it is a picture o may
// have, as film.Problems.
func CheckNewImage(o film.ImageOwner, img film.NewImage) (film.NewImage, error) {
	img.ImageText = img.ImageText.Trimmed()
	if err := img.Validate(); err != nil {
		return img, err
	}
	if !o.Accepts(img.Role) {
		return img, film.Problems{"role": fmt.Sprintf("a %s cannot have a %s", o.Kind, img.Role)}
	}
	return img, nil
}

// TooManyStills is the problem of a film given one still more than it may
// have, or nil when n stills are within the limit.
func TooManyStills(role film.ImageRole, n int) error {
	if role == film.ImageStill && n > film.MaxStills {
		return film.Problems{"file": fmt.Sprintf("a film has at most %d stills; remove one first", film.MaxStills)}
	}
	return nil
}

// FindImage is the picture of use id among imgs.
func FindImage(imgs []film.Image, id int64) (film.Image, bool) {
	for _, i := range imgs {
		if i.ID == id {
			return i, true
		}
	}
	return film.Image{}, false
}

// MoveStill moves use id by delta places in order (a film's stills by
// position), and says whether it moved: it does not when id is not there,
// delta is 0 or the move would leave the list.
func MoveStill(order []int64, id int64, delta int) bool {
	at := -1
	for i, u := range order {
		if u == id {
			at = i
		}
	}
	to := at + delta
	if at < 0 || to < 0 || to >= len(order) || delta == 0 {
		return false
	}
	order[at], order[to] = order[to], order[at]
	return true
}

// ImageGroup is the pictures a catalogue gives one owner in one role, in
// their order.
type ImageGroup struct {
	Owner  film.ImageOwner
	Role   film.ImageRole
	Images []film.CatalogImage
}

// GroupCatalogImages groups a catalogue's pictures by owner and role, in
// the order each group first appears, and refuses a picture not checked
// (catalog.Document.LoadImages makes the renditions).
func GroupCatalogImages(imgs []film.CatalogImage) ([]ImageGroup, error) {
	type key struct {
		owner film.ImageOwner
		role  film.ImageRole
	}
	var groups []ImageGroup
	at := map[key]int{}
	for _, i := range imgs {
		if len(i.Renditions) == 0 {
			return nil, fmt.Errorf("%s %s: %s: the picture was not checked before the import", i.Owner.Kind, i.Owner.Slug, i.Role)
		}
		k := key{i.Owner, i.Role}
		n, ok := at[k]
		if !ok {
			n = len(groups)
			at[k] = n
			groups = append(groups, ImageGroup{Owner: i.Owner, Role: i.Role})
		}
		groups[n].Images = append(groups[n].Images, i)
	}
	return groups, nil
}

// Check refuses a role the owner cannot have, and more than one picture
// in a role other than stills.
func (g ImageGroup) Check() error {
	if !g.Owner.Accepts(g.Role) || (g.Role != film.ImageStill && len(g.Images) > 1) {
		return fmt.Errorf("%s %s: %d pictures as %s", g.Owner.Kind, g.Owner.Slug, len(g.Images), g.Role)
	}
	return nil
}

// ImagesInRole are the stored uses (as a catalogue carries them) in role.
func ImagesInRole(stored []film.CatalogImage, role film.ImageRole) []film.CatalogImage {
	var out []film.CatalogImage
	for _, s := range stored {
		if s.Role == role {
			out = append(out, s)
		}
	}
	return out
}

// SameImages reports whether stored uses are the wanted pictures: the
// same widest renditions with the same text, in the same order.
func SameImages(have, want []film.CatalogImage) bool {
	if len(have) != len(want) {
		return false
	}
	for i := range have {
		w := want[i]
		if have[i].Renditions[0].Hash != w.Renditions[len(w.Renditions)-1].Hash || have[i].ImageText != w.ImageText.Trimmed() {
			return false
		}
	}
	return true
}

// NewImage is the picture a catalogue's use i in g adds, checked.
func (g ImageGroup) NewImage(i film.CatalogImage) (film.NewImage, error) {
	n := film.NewImage{Role: i.Role, ImageText: i.ImageText.Trimmed(), Renditions: i.Renditions}
	if err := n.Validate(); err != nil {
		return n, fmt.Errorf("%s %s: %s: %w", g.Owner.Kind, g.Owner.Slug, g.Role, err)
	}
	return n, nil
}

// ScanCatalogUse reads one row of an owner's uses with their widest
// rendition's hash and bytes (role, alt, caption, credit, hash, bytes) as
// a catalogue carries it, the hash in Renditions[0].
func ScanCatalogUse(o film.ImageOwner, scan func(dest ...any) error) (film.CatalogImage, error) {
	i := film.CatalogImage{Owner: o, Renditions: make([]film.RenditionData, 1)}
	var role string
	if err := scan(&role, &i.Alt, &i.Caption, &i.Credit, &i.Renditions[0].Hash, &i.Data); err != nil {
		return film.CatalogImage{}, err
	}
	i.Role = film.ImageRole(role)
	return i, nil
}

// DumpImages sends an owner's stored uses, which read gives (see
// ScanCatalogUse), to w without their renditions, if w takes pictures; it
// reads nothing when w does not.
func DumpImages(w film.CatalogWriter, read func() ([]film.CatalogImage, error)) error {
	iw, ok := w.(film.ImageWriter)
	if !ok {
		return nil
	}
	uses, err := read()
	if err != nil {
		return err
	}
	for _, u := range uses {
		u.Renditions = nil
		if err := iw.WriteImage(u); err != nil {
			return err
		}
	}
	return nil
}
