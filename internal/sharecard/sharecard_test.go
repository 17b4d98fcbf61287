package sharecard

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"regexp"
	"strings"
	"sync"
	"testing"

	"golang.org/x/image/font"
	"golang.org/x/image/math/fixed"
)

func paris() Card {
	return Card{
		Kind: KindFilm, Title: "Paris", Year: 2008, Subtitle: "Directed by Cédric Klapisch",
		Rating: &Rating{Value: 6.8, Scale: 10, Note: "Readers' average"}, Seed: "paris-2008",
	}
}

// decode draws c and decodes the PNG, failing the test on any error.
func decode(t testing.TB, c Card) image.Image {
	t.Helper()
	b, err := Draw(c)
	if err != nil {
		t.Fatalf("Draw: %v", err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("decode the PNG: %v", err)
	}
	return img
}

func TestDrawIsAPNGOfTheCardSize(t *testing.T) {
	img := decode(t, paris())
	if got := img.Bounds(); got != image.Rect(0, 0, 1200, 630) {
		t.Errorf("bounds %v, want 1200×630", got)
	}
}

func TestDrawIsDeterministic(t *testing.T) {
	want, err := Draw(paris())
	if err != nil {
		t.Fatal(err)
	}
	// Drawn again, and at the same time on several goroutines: faces are
	// per card, so concurrent cards do not disturb each other.
	var wg sync.WaitGroup
	got := make([][]byte, 4)
	errs := make([]error, 4)
	for i := range got {
		wg.Go(func() { got[i], errs[i] = Draw(paris()) })
	}
	wg.Wait()
	for i := range got {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if !bytes.Equal(got[i], want) {
			t.Errorf("drawing %d differs from the first", i)
		}
	}
	if a, b := paris().Hash(), paris().Hash(); a != b {
		t.Errorf("hash %s, then %s", a, b)
	}
}

func TestHashIsShortHex(t *testing.T) {
	if h := paris().Hash(); !regexp.MustCompile(`^[0-9a-f]{16}$`).MatchString(h) {
		t.Errorf("hash %q is not 16 hex digits", h)
	}
}

func TestDifferentTitlesGiveDifferentHashesAndImages(t *testing.T) {
	a, b := paris(), paris()
	b.Title = "Paris, je t'aime"
	if a.Hash() == b.Hash() {
		t.Errorf("both titles hash to %s", a.Hash())
	}
	pa, err := Draw(a)
	if err != nil {
		t.Fatal(err)
	}
	pb, err := Draw(b)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(pa, pb) {
		t.Error("both titles draw the same image")
	}
}

// TestHashCoversEveryInput changes each input in turn: every change must
// change the hash, so a card's address follows its content.
func TestHashCoversEveryInput(t *testing.T) {
	base := paris()
	changes := map[string]func(*Card){
		"kind":        func(c *Card) { c.Kind = KindCriticReview },
		"title":       func(c *Card) { c.Title = "Paris!" },
		"year":        func(c *Card) { c.Year = 2009 },
		"tagline":     func(c *Card) { c.Tagline = "A city" },
		"subtitle":    func(c *Card) { c.Subtitle = "Directed by someone else" },
		"no rating":   func(c *Card) { c.Rating = nil },
		"rating":      func(c *Card) { c.Rating = &Rating{Value: 6.9, Scale: 10, Note: "Readers' average"} },
		"scale":       func(c *Card) { c.Rating = &Rating{Value: 6.8, Scale: 100, Note: "Readers' average"} },
		"note":        func(c *Card) { c.Rating = &Rating{Value: 6.8, Scale: 10} },
		"seed":        func(c *Card) { c.Seed = "paris-2009" },
		"poster":      func(c *Card) { c.Poster = &Poster{Key: "abc"} },
		"fields move": func(c *Card) { c.Title, c.Subtitle = c.Title+" Directed", "by Cédric Klapisch" },
	}
	seen := map[string]string{base.Hash(): "the base card"}
	for name, change := range changes {
		c := base
		change(&c)
		h := c.Hash()
		if prev, ok := seen[h]; ok {
			t.Errorf("%s: hash %s is the same as for %s", name, h, prev)
		}
		seen[h] = name
	}
	withPoster := base
	withPoster.Poster = &Poster{Key: "abc"}
	other := base
	other.Poster = &Poster{Key: "abd"}
	if withPoster.Hash() == other.Hash() {
		t.Error("a different poster key gives the same hash")
	}
}

// TestTextStaysInsideTheCard draws titles too long for the card, in
// scripts the Go fonts lack, and with characters that are not text at
// all: none may panic, and the margin band at every edge must keep the
// background colour.
func TestTextStaysInsideTheCard(t *testing.T) {
	long := strings.Repeat("The Extraordinarily Long Film ", 10)[:300]
	poster := image.NewRGBA(image.Rect(0, 0, 400, 300)) // wider than a poster: it must still fit its panel
	for i := range poster.Pix {
		poster.Pix[i] = 0xff
	}
	titles := map[string]string{
		"300 characters":      long,
		"one 300-letter word": strings.Repeat("x", 300),
		"Cyrillic":            "Иван Васильевич меняет профессию",
		"Greek":               "Ζ",
		"CJK":                 "千と千尋の神隠し",
		"Arabic":              "الرسالة",
		"emoji and controls":  "Film 🎬\x00\t\n\u200b\ufffd end",
		"empty":               "",
	}
	for name, title := range titles {
		for _, variant := range []string{"plain", "review", "poster"} {
			t.Run(name+"/"+variant, func(t *testing.T) {
				c := paris()
				c.Title = title
				c.Subtitle = strings.Repeat("Directed by "+title+" ", 4)
				switch variant {
				case "review":
					c.Kind, c.Tagline = KindCriticReview, strings.Repeat("A headline "+title, 5)
					c.Rating = &Rating{Value: 3.5, Scale: 5, Note: strings.Repeat("note ", 50)}
				case "poster":
					c.Poster = &Poster{Key: "white", Image: poster}
				}
				img := decode(t, c)
				checkMargin(t, img, paletteFor(c.Seed).background)
			})
		}
	}
}

// checkMargin fails unless every pixel within margin of an edge is bg.
func checkMargin(t *testing.T, img image.Image, bg color.RGBA) {
	t.Helper()
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if x >= margin && x < Width-margin && y >= margin && y < Height-margin {
				continue
			}
			if got := color.RGBAModel.Convert(img.At(x, y)).(color.RGBA); got != bg {
				t.Fatalf("pixel (%d, %d) in the margin is %v, want the background %v", x, y, got, bg)
			}
		}
	}
}

// TestTitleIsDrawn checks that a title appears: some pixels inside the
// card take the title's colour, and more of them for a longer title.
func TestTitleIsDrawn(t *testing.T) {
	count := func(c Card) int {
		img := decode(t, c)
		want := paletteFor(c.Seed).title
		n := 0
		for y := margin; y < Height-margin; y++ {
			for x := margin; x < Width-margin; x++ {
				if color.RGBAModel.Convert(img.At(x, y)).(color.RGBA) == want {
					n++
				}
			}
		}
		return n
	}
	short, long := paris(), paris()
	short.Rating, long.Rating = nil, nil
	long.Title = "Paris, Texas, and Other Places"
	if s, l := count(short), count(long); s == 0 || l <= s {
		t.Errorf("title pixels: %d for %q, %d for %q", s, short.Title, l, long.Title)
	}
}

func TestWrapKeepsLinesWithinWidthAndCount(t *testing.T) {
	fs, err := loadFonts()
	if err != nil {
		t.Fatal(err)
	}
	cv := &canvas{fonts: fs}
	defer cv.close()
	face, err := cv.face(fs.bold, 60)
	if err != nil {
		t.Fatal(err)
	}
	width := fixed.I(600)
	for _, text := range []string{
		"Paris",
		"A title of several words that needs more than one line to fit",
		strings.Repeat("x", 300),
		strings.Repeat("word ", 100),
	} {
		for maxLines := 1; maxLines <= 3; maxLines++ {
			lines, cut := wrap(face, text, width, maxLines)
			if len(lines) == 0 || len(lines) > maxLines {
				t.Errorf("%.20q in %d lines: got %d lines", text, maxLines, len(lines))
			}
			for _, l := range lines {
				if w := font.MeasureString(face, l); w > width {
					t.Errorf("%.20q: line %q is %v wide, more than %v", text, l, w, width)
				}
			}
			joined := strings.Join(lines, " ")
			if cut != strings.HasSuffix(joined, "…") {
				t.Errorf("%.20q in %d lines: cut %v but lines %q", text, maxLines, cut, lines)
			}
			if !cut && strings.ReplaceAll(joined, " ", "") != strings.ReplaceAll(text, " ", "") {
				t.Errorf("%.20q in %d lines: not cut, yet lines %q lose text", text, maxLines, lines)
			}
		}
	}
}

func TestContrastMeetsWCAGAA(t *testing.T) {
	if got := contrast(color.RGBA{0, 0, 0, 255}, color.RGBA{255, 255, 255, 255}); fmt.Sprintf("%.2f", got) != "21.00" {
		t.Errorf("black on white: contrast %.2f, want 21", got)
	}
	if got := contrast(color.RGBA{0x77, 0x77, 0x77, 255}, color.RGBA{255, 255, 255, 255}); fmt.Sprintf("%.2f", got) != "4.48" {
		t.Errorf("#777 on white: contrast %.2f, want 4.48", got)
	}
	// Enough seeds to land on every hue (neighbouring hues this dark can
	// round to the same colour, hence fewer than 360 backgrounds).
	hues := map[color.RGBA]bool{}
	for i := range 5000 {
		seed := fmt.Sprintf("film-%d", i)
		p := paletteFor(seed)
		hues[p.background] = true
		for name, fg := range map[string]color.RGBA{"title": p.title, "muted": p.muted, "accent": p.accent} {
			if r := contrast(fg, p.background); r < 4.5 {
				t.Errorf("seed %s: %s %v on %v has contrast %.2f, below 4.5", seed, name, fg, p.background, r)
			}
		}
	}
	if len(hues) < 200 {
		t.Errorf("5000 seeds gave only %d backgrounds", len(hues))
	}
}

// TestCardsDifferInColour: two films get different backgrounds.
func TestCardsDifferInColour(t *testing.T) {
	a, b := paris(), paris()
	b.Seed = "le-peril-jeune-1994"
	at := color.RGBAModel.Convert(decode(t, a).At(0, 0))
	bt := color.RGBAModel.Convert(decode(t, b).At(0, 0))
	if at == bt {
		t.Errorf("both cards have the background %v", at)
	}
}

func BenchmarkDraw(b *testing.B) {
	cards := map[string]Card{"film": paris()}
	review := paris()
	review.Kind, review.Tagline = KindCriticReview, "“A city of strangers, and of neighbours who never meet”"
	review.Subtitle, review.Rating = "Review by Ada Critic, The Marquee Review", &Rating{Value: 3.5, Scale: 5}
	cards["review"] = review
	long := paris()
	long.Title = strings.Repeat("The Extraordinarily Long Film ", 10)[:300]
	cards["long title"] = long
	for name, c := range cards {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if _, err := Draw(c); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
