package sharecard

import (
	"bytes"
	"image/png"
	"strconv"
	"strings"
	"testing"
)

func TestGeneratedPosterIsTheFilmsOwn(t *testing.T) {
	paris := PosterArt{Title: "Paris", Year: 2008, Director: "Cédric Klapisch", Seed: "paris-2008"}
	other := PosterArt{Title: "Le Péril jeune", Year: 1994, Director: "Cédric Klapisch", Seed: "le-peril-jeune-1994"}
	retitled := paris
	retitled.Title = "Paris, je t'aime"
	a, err := DrawPoster(paris, 320)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range []PosterArt{other, retitled} {
		b, err := DrawPoster(o, 320)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Equal(a, b) || o.Hash() == paris.Hash() {
			t.Errorf("%q draws the same poster, or has the same hash, as Paris", o.Title)
		}
	}
	again, _ := DrawPoster(paris, 320)
	if !bytes.Equal(a, again) {
		t.Error("the same poster drew two different files")
	}
	for _, w := range PosterWidths {
		data, err := DrawPoster(paris, w)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(data))
		if err != nil || img.Bounds().Dx() != w || img.Bounds().Dy() != w*3/2 {
			t.Errorf("width %d: %v, %v", w, img.Bounds(), err)
		}
	}
}

// TestPosterTextKeepsContrast: every text colour of a poster reaches WCAG
// AA (4.5:1) against its background, whatever hue a film draws.
func TestPosterTextKeepsContrast(t *testing.T) {
	for i := range 500 {
		p := paletteFor("film-" + strconv.Itoa(i))
		for _, c := range []struct {
			name string
			r    float64
		}{{"title", contrast(p.title, p.background)}, {"muted", contrast(p.muted, p.background)}, {"accent", contrast(p.accent, p.background)}} {
			if c.r < minContrast {
				t.Fatalf("film-%d: %s text at %.2f:1", i, c.name, c.r)
			}
		}
	}
}

// BenchmarkDrawPoster draws the poster a film index row asks for first.
func BenchmarkDrawPoster(b *testing.B) {
	for i := 0; b.Loop(); i++ {
		if _, err := DrawPoster(PosterArt{Title: "Film number " + strconv.Itoa(i), Year: 2001, Director: "A. Director", Seed: strconv.Itoa(i)}, 160); err != nil {
			b.Fatal(err)
		}
	}
}

// TestPosterHashStaysPut: a generated poster's address is named by its
// hash, and caches and exported sites hold those addresses, so the hash of
// the same art must not change unless PosterVersion does. The values are
// those the first version of Hash gave.
func TestPosterHashStaysPut(t *testing.T) {
	long := "A very long title that goes on" + strings.Repeat(" and on", 24)
	for _, c := range []struct {
		art  PosterArt
		want string
	}{
		{PosterArt{Title: "Paris", Year: 2008, Director: "Cédric Klapisch", Seed: "paris-2008"}, "0553d98a5cf0dbb3"},
		{PosterArt{}, "d27de12d5b47f26d"},
		{PosterArt{Title: long, Year: -5, Director: "X", Seed: "y"}, "a02f4335ffaa0c33"},
	} {
		if got := c.art.Hash(); got != c.want {
			t.Errorf("%+v hashes to %s, want %s", c.art, got, c.want)
		}
	}
}
