package sharecard

import (
	"hash/fnv"
	"image/color"
	"math"
)

// minContrast is the least contrast ratio between any text on a card and
// its background: WCAG 2's AA level for normal text.
const minContrast = 4.5

// palette is a card's colours: a dark background, the title's near-white,
// a softer colour for the lines under the title, and a light accent for
// the kind label, the rating and the site's name.
type palette struct {
	background, title, muted, accent color.RGBA
}

// paletteFor picks a card's colours from its seed. The hue comes from a
// hash of the seed; each text colour is lightened, if it must be, until it
// keeps minContrast against the background (white always does, so this
// ends).
func paletteFor(seed string) palette {
	h := fnv.New32a()
	h.Write([]byte(seed))
	hue := float64(h.Sum32() % 360)
	p := palette{background: hsl(hue, 0.55, 0.16)}
	p.title = readable(hue, 0.30, 0.97, p.background)
	p.muted = readable(hue, 0.35, 0.82, p.background)
	p.accent = readable(math.Mod(hue+30, 360), 0.85, 0.72, p.background)
	return p
}

// readable is the colour of this hue and saturation at the given
// lightness, or lighter, that reaches minContrast against bg.
func readable(hue, saturation, lightness float64, bg color.RGBA) color.RGBA {
	for ; lightness < 1; lightness += 0.02 {
		if c := hsl(hue, saturation, lightness); contrast(c, bg) >= minContrast {
			return c
		}
	}
	return color.RGBA{255, 255, 255, 255}
}

// hsl converts a colour from hue (degrees), saturation and lightness (0 to
// 1) to opaque RGB.
func hsl(hue, s, l float64) color.RGBA {
	c := (1 - math.Abs(2*l-1)) * s
	hp := hue / 60
	x := c * (1 - math.Abs(math.Mod(hp, 2)-1))
	var r, g, b float64
	switch {
	case hp < 1:
		r, g, b = c, x, 0
	case hp < 2:
		r, g, b = x, c, 0
	case hp < 3:
		r, g, b = 0, c, x
	case hp < 4:
		r, g, b = 0, x, c
	case hp < 5:
		r, g, b = x, 0, c
	default:
		r, g, b = c, 0, x
	}
	m := l - c/2
	byteOf := func(v float64) uint8 { return uint8(math.Round(math.Min(1, math.Max(0, v+m)) * 255)) }
	return color.RGBA{byteOf(r), byteOf(g), byteOf(b), 255}
}

// luminance is a colour's relative luminance as WCAG 2 defines it.
func luminance(c color.RGBA) float64 {
	channel := func(v uint8) float64 {
		s := float64(v) / 255
		if s <= 0.04045 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*channel(c.R) + 0.7152*channel(c.G) + 0.0722*channel(c.B)
}

// contrast is the WCAG 2 contrast ratio of two colours, from 1 to 21.
func contrast(a, b color.RGBA) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}
