package storetest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"testing"

	"marquee/internal/film"
)

// imageTests are the contract's tests of pictures: attaching, replacing,
// ordering and removing them, and the pages that show them.
var imageTests = []struct {
	name string
	run  func(*testing.T, film.Store)
}{
	{"ImagesOnPages", testImagesOnPages},
	{"ImageReplaceAndRemove", testImageReplaceAndRemove},
	{"ImageStillsOrder", testImageStillsOrder},
	{"ImageRefusals", testImageRefusals},
}

// fakeRenditions are renditions of a made-up picture: the store keeps
// bytes, it does not read them, so any bytes named by their hash will do.
func fakeRenditions(seed string, widths ...int) []film.RenditionData {
	var out []film.RenditionData
	for _, w := range widths {
		b := []byte(seed + " at " + string(rune('0'+w%10)) + string(rune('a'+w/10%26)))
		sum := sha256.Sum256(b)
		out = append(out, film.RenditionData{
			Rendition: film.Rendition{Hash: hex.EncodeToString(sum[:]), Width: w, Height: w * 3 / 2, Format: film.FormatJPEG},
			Bytes:     b,
		})
	}
	return out
}

// mustAddImage attaches a made-up picture.
func mustAddImage(t *testing.T, s film.Store, o film.ImageOwner, role film.ImageRole, seed string, by film.User) film.Image {
	t.Helper()
	img, err := s.AddImage(context.Background(), o, film.NewImage{
		Role: role, ImageText: film.ImageText{Alt: "Alt of " + seed, Caption: "Caption of " + seed, Credit: "© " + seed},
		Renditions: fakeRenditions(seed, 160, 320, 640),
	}, by, now)
	if err != nil {
		t.Fatalf("add %s %s: %v", role, seed, err)
	}
	return img
}

func testImagesOnPages(t *testing.T, s film.Store) {
	mustSeed(t, s)
	ctx := context.Background()
	ed := mustUser(t, s, "ed@example.com", film.RoleEditor)
	before := s.DataVersion()
	poster := mustAddImage(t, s, film.FilmImages("paris-2008"), film.ImagePoster, "poster", ed)
	if s.DataVersion() == before {
		t.Error("adding a poster did not move the data version")
	}
	if poster.Role != film.ImagePoster || poster.Alt != "Alt of poster" || len(poster.Renditions) != 3 ||
		poster.Hash != poster.Renditions[2].Hash || poster.Width != 640 || poster.Height != 960 {
		t.Errorf("added poster: %+v", poster)
	}
	for i, r := range poster.Renditions {
		d, err := s.FindRendition(ctx, r.Hash)
		if err != nil {
			t.Fatal(err)
		}
		if want := fakeRenditions("poster", 160, 320, 640)[i]; !bytes.Equal(d.Bytes, want.Bytes) || d.Width != want.Width || d.Format != film.FormatJPEG {
			t.Errorf("rendition %d: %d wide, %q", i, d.Width, d.Bytes)
		}
	}
	if _, err := s.FindRendition(ctx, "0000000000000000000000000000000000000000000000000000000000000000"); !errors.Is(err, film.ErrNotFound) {
		t.Errorf("unknown rendition: %v, want not found", err)
	}
	still := mustAddImage(t, s, film.FilmImages("paris-2008"), film.ImageStill, "still", ed)
	portrait := mustAddImage(t, s, film.PersonImages("cedric-klapisch"), film.ImagePortrait, "portrait", ed)

	p := mustFilmPage(t, s, film.FilmPageQuery{})
	if p.Poster.Hash != poster.Hash || p.Poster.Alt != "Alt of poster" || len(p.Poster.Renditions) != 3 {
		t.Errorf("film page poster: %+v", p.Poster)
	}
	if len(p.Stills) != 1 || p.Stills[0].ID != still.ID || p.Stills[0].Caption != "Caption of still" {
		t.Errorf("film page stills: %+v", p.Stills)
	}
	if got := p.Portraits["cedric-klapisch"]; got.Hash != portrait.Hash {
		t.Errorf("film page portraits: %+v", p.Portraits)
	}

	person, err := s.PersonPage(ctx, "cedric-klapisch", now, 5)
	if err != nil {
		t.Fatal(err)
	}
	if person.Portrait.Hash != portrait.Hash {
		t.Errorf("person page portrait: %+v", person.Portrait)
	}
	for _, c := range person.Credits {
		if c.Film.Slug == "paris-2008" && c.Film.Poster.Hash != poster.Hash {
			t.Errorf("person page credit without the poster: %+v", c.Film)
		}
		// A film without a poster gets one drawn from its title, year and
		// directors, which must be the same on every page that lists it.
		if c.Film.Slug == "paris-2008" && (len(c.Film.Directors) != 1 || c.Film.Directors[0] != "Cédric Klapisch") {
			t.Errorf("person page credit names directors %q, want Cédric Klapisch as the film page does", c.Film.Directors)
		}
	}
	home, err := s.HomePage(ctx, now, 10)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range home.LatestReviews {
		if r.Film.Poster.Hash != poster.Hash {
			t.Errorf("home page review of %s without the poster", r.Film.Slug)
		}
	}
	index, err := s.FilmIndex(ctx, film.FilmIndexQuery{Filter: film.FilmFilter{Limit: 24}})
	if err != nil {
		t.Fatal(err)
	}
	if len(index.List.Films) == 0 || index.List.Films[0].Poster.Hash != poster.Hash {
		t.Errorf("film index without the poster: %+v", index.List.Films)
	}
	res, err := s.Search(ctx, film.SearchQuery{Text: "paris", Limit: 10, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, h := range res.Hits {
		if h.Kind == film.SearchFilm && h.Film.Slug == "paris-2008" {
			found = h.Film.Poster.Hash == poster.Hash
		}
	}
	if !found {
		t.Errorf("search hit for Paris without the poster: %+v", res.Hits)
	}
	owned, err := s.OwnedImages(ctx, film.FilmImages("paris-2008"))
	if err != nil {
		t.Fatal(err)
	}
	if owned.Name != "Paris" || owned.Year != 2008 || len(owned.Images) != 2 || owned.Images[0].Role != film.ImagePoster {
		t.Errorf("owned images: %+v", owned)
	}
}

func testImageReplaceAndRemove(t *testing.T, s film.Store) {
	mustSeed(t, s)
	ctx := context.Background()
	ed := mustUser(t, s, "ed@example.com", film.RoleEditor)
	paris := film.FilmImages("paris-2008")
	first := mustAddImage(t, s, paris, film.ImagePoster, "first", ed)
	second := mustAddImage(t, s, paris, film.ImagePoster, "second", ed)
	p := mustFilmPage(t, s, film.FilmPageQuery{})
	if p.Poster.Hash != second.Hash {
		t.Errorf("after replacing, the poster is %s, want the second", p.Poster.Hash)
	}
	if _, err := s.FindRendition(ctx, first.Renditions[0].Hash); !errors.Is(err, film.ErrNotFound) {
		t.Errorf("the replaced poster, used nowhere, is still stored: %v", err)
	}
	if err := s.UpdateImageText(ctx, paris, second.ID, film.ImageText{Alt: "  New alt ", Credit: "Studio"}, ed, now); err != nil {
		t.Fatal(err)
	}
	p = mustFilmPage(t, s, film.FilmPageQuery{})
	if p.Poster.Alt != "New alt" || p.Poster.Caption != "" || p.Poster.Credit != "Studio" {
		t.Errorf("updated text: %+v", p.Poster.ImageText)
	}
	var pr film.Problems
	if err := s.UpdateImageText(ctx, paris, second.ID, film.ImageText{Alt: " "}, ed, now); !errors.As(err, &pr) || pr["alt"] == "" {
		t.Errorf("empty alt text: %v, want a problem with alt", err)
	}
	if err := s.RemoveImage(ctx, film.FilmImages("some-other-film"), second.ID, ed, now); !errors.Is(err, film.ErrNotFound) {
		t.Errorf("removing through another owner: %v, want not found", err)
	}
	before := s.DataVersion()
	if err := s.RemoveImage(ctx, paris, second.ID, ed, now); err != nil {
		t.Fatal(err)
	}
	if s.DataVersion() == before {
		t.Error("removing a poster did not move the data version")
	}
	if p := mustFilmPage(t, s, film.FilmPageQuery{}); !p.Poster.IsZero() {
		t.Errorf("after removal the film still has a poster: %+v", p.Poster)
	}
	if _, err := s.FindRendition(ctx, second.Renditions[1].Hash); !errors.Is(err, film.ErrNotFound) {
		t.Errorf("the removed poster is still served: %v", err)
	}
	log, _, err := s.AuditLog(ctx, film.AuditFilter{RecordType: "film", Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	actions := map[string]bool{}
	for _, e := range log {
		actions[e.Action] = true
	}
	for _, a := range []string{"image.add", "image.update", "image.remove"} {
		if !actions[a] {
			t.Errorf("audit log lacks %s: %+v", a, log)
		}
	}
}

func testImageStillsOrder(t *testing.T, s film.Store) {
	mustSeed(t, s)
	ctx := context.Background()
	ed := mustUser(t, s, "ed@example.com", film.RoleEditor)
	paris := film.FilmImages("paris-2008")
	a := mustAddImage(t, s, paris, film.ImageStill, "a", ed)
	b := mustAddImage(t, s, paris, film.ImageStill, "b", ed)
	c := mustAddImage(t, s, paris, film.ImageStill, "c", ed)
	order := func() []int64 {
		var ids []int64
		for _, st := range mustFilmPage(t, s, film.FilmPageQuery{}).Stills {
			ids = append(ids, st.ID)
		}
		return ids
	}
	want := func(what string, ids ...int64) {
		t.Helper()
		got := order()
		if len(got) != len(ids) {
			t.Fatalf("%s: stills %v, want %v", what, got, ids)
		}
		for i := range ids {
			if got[i] != ids[i] {
				t.Fatalf("%s: stills %v, want %v", what, got, ids)
			}
		}
	}
	want("as added", a.ID, b.ID, c.ID)
	if err := s.MoveImage(ctx, paris, c.ID, -1, ed, now); err != nil {
		t.Fatal(err)
	}
	want("c earlier", a.ID, c.ID, b.ID)
	if err := s.MoveImage(ctx, paris, a.ID, -1, ed, now); err != nil {
		t.Fatal(err)
	}
	want("a earlier than first", a.ID, c.ID, b.ID)
	if err := s.RemoveImage(ctx, paris, c.ID, ed, now); err != nil {
		t.Fatal(err)
	}
	want("c removed", a.ID, b.ID)
	if err := s.MoveImage(ctx, paris, a.ID, 1, ed, now); err != nil {
		t.Fatal(err)
	}
	want("a later", b.ID, a.ID)
}

func testImageRefusals(t *testing.T, s film.Store) {
	mustSeed(t, s)
	ctx := context.Background()
	ed := mustUser(t, s, "ed@example.com", film.RoleEditor)
	add := func(o film.ImageOwner, img film.NewImage) error {
		_, err := s.AddImage(ctx, o, img, ed, now)
		return err
	}
	ok := film.NewImage{Role: film.ImagePoster, ImageText: film.ImageText{Alt: "A poster"}, Renditions: fakeRenditions("x", 160)}
	if err := add(film.FilmImages("no-such-film"), ok); !errors.Is(err, film.ErrNotFound) {
		t.Errorf("poster of an unknown film: %v, want not found", err)
	}
	var pr film.Problems
	if err := add(film.PersonImages("cedric-klapisch"), ok); !errors.As(err, &pr) {
		t.Errorf("a poster for a person: %v, want problems", err)
	}
	noAlt := ok
	noAlt.Alt = ""
	if err := add(film.FilmImages("paris-2008"), noAlt); !errors.As(err, &pr) || pr["alt"] == "" {
		t.Errorf("no alt text: %v, want a problem with alt", err)
	}
	portrait := ok
	portrait.Role = film.ImagePortrait
	if err := add(film.FilmImages("paris-2008"), portrait); !errors.As(err, &pr) {
		t.Errorf("a portrait for a film: %v, want problems", err)
	}
	if p := mustFilmPage(t, s, film.FilmPageQuery{}); !p.Poster.IsZero() || len(p.Stills) != 0 {
		t.Errorf("refused pictures were stored: %+v %+v", p.Poster, p.Stills)
	}
}
