package sqlite_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"strings"
	"testing"
	"testing/fstest"

	"marquee/internal/catalog"
	"marquee/internal/film"
	"marquee/internal/sqlite"
	"marquee/seeds"
)

// catalogPicture is a w×h picture encoded as JPEG (opaque) or PNG (with
// transparency), with a comment a camera might have left in the JPEG.
func catalogPicture(t *testing.T, w, h int, transparent bool) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			a := uint8(255)
			if transparent && y < h/5 {
				a = 40
			}
			img.SetNRGBA(x, y, color.NRGBA{uint8(x * 3), uint8(y * 2), 150, a})
		}
	}
	var buf bytes.Buffer
	if transparent {
		if err := png.Encode(&buf, img); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	if err := jpeg.Encode(&buf, img, nil); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	return append([]byte{0xFF, 0xD8, 0xFF, 0xFE, 0, 9, 'c', 'a', 'm', 'e', 'r', 'a', '!'}, data[2:]...)
}

// dumpText dumps db as a catalogue file.
func dumpText(t *testing.T, db *sqlite.DB) string {
	t.Helper()
	var buf bytes.Buffer
	enc := catalog.NewEncoder(&buf)
	if err := db.Dump(context.Background(), enc); err != nil {
		t.Fatal(err)
	}
	if err := enc.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// TestCatalogPicturesRoundTrip imports a catalogue whose film has a poster
// given by path and two stills given as data, and whose director has a
// portrait; dumps it; imports the dump into an empty database; and checks
// that the second dump is the first, byte for byte, and that importing it
// again changes nothing.
func TestCatalogPicturesRoundTrip(t *testing.T) {
	ctx := context.Background()
	doc, err := catalog.DecodeFS(seeds.FS)
	if err != nil {
		t.Fatal(err)
	}
	dir := fstest.MapFS{"posters/paris.jpg": {Data: catalogPicture(t, 700, 1050, false)}}
	text := func(alt string) film.ImageText {
		return film.ImageText{Alt: alt, Caption: "Caption of " + alt, Credit: "© Test"}
	}
	doc.Images = []film.CatalogImage{
		{Owner: film.FilmImages("paris-2008"), Role: film.ImagePoster, ImageText: text("Poster"), Path: "posters/paris.jpg"},
		{Owner: film.FilmImages("paris-2008"), Role: film.ImageStill, ImageText: text("Still one"), Data: catalogPicture(t, 1000, 560, false)},
		{Owner: film.FilmImages("paris-2008"), Role: film.ImageStill, ImageText: text("Still two"), Data: catalogPicture(t, 600, 400, true)},
		{Owner: film.PersonImages("cedric-klapisch"), Role: film.ImagePortrait, ImageText: text("Portrait"), Data: catalogPicture(t, 300, 400, false)},
	}
	if err := doc.LoadImages(dir); err != nil {
		t.Fatal(err)
	}
	first, _ := mustOpen(t)
	if _, err := first.ImportWith(ctx, doc.Catalog, film.ImportOptions{UpdateExisting: true}); err != nil {
		t.Fatal(err)
	}
	page, err := first.FilmPage(ctx, film.FilmPageQuery{Slug: "paris-2008"})
	if err != nil {
		t.Fatal(err)
	}
	if page.Poster.Alt != "Poster" || page.Poster.Width != 640 || len(page.Stills) != 2 ||
		page.Stills[0].Alt != "Still one" || page.Stills[1].Largest().Format != film.FormatPNG {
		t.Fatalf("imported pictures: poster %+v, stills %+v", page.Poster, page.Stills)
	}
	for _, r := range page.Poster.Renditions {
		d, err := first.FindRendition(ctx, r.Hash)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(d.Bytes, []byte("camera!")) {
			t.Error("an imported picture kept its comment")
		}
	}

	dump := dumpText(t, first)
	for _, want := range []string{`"poster": {`, `"stills": [`, `"portrait": {`, `"alt": "Still two"`, `"data": "`} {
		if !strings.Contains(dump, want) {
			t.Errorf("the dump lacks %s", want)
		}
	}
	again, err := catalog.Decode(strings.NewReader(dump))
	if err != nil {
		t.Fatal(err)
	}
	if len(again.Images) != 4 {
		t.Fatalf("the dump carries %d pictures, want 4", len(again.Images))
	}
	if err := again.LoadImages(nil); err != nil {
		t.Fatal(err)
	}
	second, _ := mustOpen(t)
	if _, err := second.Import(ctx, again.Catalog); err != nil {
		t.Fatal(err)
	}
	if d := dumpText(t, second); d != dump {
		t.Error("the dump of the imported dump differs from the dump")
	}
	page2, err := second.FilmPage(ctx, film.FilmPageQuery{Slug: "paris-2008"})
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range page.Poster.Renditions {
		if page2.Poster.Renditions[i].Hash != r.Hash {
			t.Errorf("poster rendition %d is another file after the round trip", i)
		}
	}

	if _, err := second.ImportWith(ctx, again.Catalog, film.ImportOptions{UpdateExisting: true}); err != nil {
		t.Fatal(err)
	}
	page3, _ := second.FilmPage(ctx, film.FilmPageQuery{Slug: "paris-2008"})
	if page3.Poster.ID != page2.Poster.ID || page3.Stills[0].ID != page2.Stills[0].ID || page3.Stills[1].ID != page2.Stills[1].ID {
		t.Error("importing the same pictures again replaced them")
	}

	// A changed caption in the catalogue is an update of that role only.
	for i := range again.Images {
		if again.Images[i].Alt == "Still one" {
			again.Images[i].Caption = "A new caption"
		}
	}
	if _, err := second.ImportWith(ctx, again.Catalog, film.ImportOptions{UpdateExisting: true}); err != nil {
		t.Fatal(err)
	}
	page4, _ := second.FilmPage(ctx, film.FilmPageQuery{Slug: "paris-2008"})
	if page4.Stills[0].Caption != "A new caption" || page4.Poster.ID != page2.Poster.ID {
		t.Errorf("after changing a caption: stills %+v, poster %d (was %d)", page4.Stills[0].ImageText, page4.Poster.ID, page2.Poster.ID)
	}
}

// TestCatalogPicturesAreCheckedLikeUploads: a catalogue's pictures meet
// the same refusals as uploads, each named by its place.
func TestCatalogPicturesAreCheckedLikeUploads(t *testing.T) {
	doc := catalog.Document{Version: catalog.Version}
	doc.Images = []film.CatalogImage{
		{Owner: film.FilmImages("paris-2008"), Role: film.ImagePoster, ImageText: film.ImageText{Alt: "x"},
			Data: []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`)},
		{Owner: film.FilmImages("paris-2008"), Role: film.ImageStill, ImageText: film.ImageText{Alt: "x"}, Path: "../secret.jpg"},
		{Owner: film.FilmImages("paris-2008"), Role: film.ImageStill, Path: "missing.jpg"},
		{Owner: film.PersonImages("cedric-klapisch"), Role: film.ImagePortrait, ImageText: film.ImageText{Alt: "x"}},
	}
	err := doc.LoadImages(fstest.MapFS{})
	var p film.Problems
	if !errorsAs(err, &p) {
		t.Fatalf("LoadImages = %v, want problems", err)
	}
	for field, want := range map[string]string{
		"films[paris-2008].poster":         "SVG files are not accepted",
		"films[paris-2008].stills[0].path": "beside the catalogue",
		"films[paris-2008].stills[1].alt":  "required",
		"films[paris-2008].stills[1].path": "cannot be read",
		"people[cedric-klapisch].portrait": "needs a path or data",
	} {
		if !strings.Contains(p[field], want) {
			t.Errorf("%s: %q, want %q", field, p[field], want)
		}
	}
}

func errorsAs(err error, p *film.Problems) bool {
	q, ok := err.(film.Problems)
	*p = q
	return ok
}
