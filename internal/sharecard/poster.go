package sharecard

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"strconv"

	"golang.org/x/image/draw"
	"golang.org/x/image/font"
	"golang.org/x/image/math/fixed"
)

// This file draws the typographic posters that stand in for a film's
// poster until an editor uploads one: the title large, the year above it
// and the director below, set in the embedded Go fonts (BSD-licensed, by
// Bigelow & Holmes for the Go project; see golang.org/x/image/font/gofont)
// on the film's own colour, the same hue as its share card, with every
// line of text at WCAG AA contrast or better. They share the cards'
// canvas, fonts, palette and line breaking, so text is drawn one way.

// PosterVersion names the look of the generated posters. Raise it when a
// change to the drawing would change any poster, so their addresses (which
// carry PosterArt.Hash) change too.
const PosterVersion = 1

// PosterWidths are the widths generated posters are drawn at, narrowest
// first; each is 2:3, so its height is width × 3 / 2.
var PosterWidths = []int{160, 320, 640}

// PosterArt is what a generated poster shows.
type PosterArt struct {
	Title string
	Year  int
	// Director is the line under the title: the directors' names.
	Director string
	// Seed picks the colour: the film's slug, as for its share card.
	Seed string
}

// Hash is a short hex name of everything the poster depends on: its
// fields and PosterVersion.
func (a PosterArt) Hash() string {
	// Each part is written after its length, so no two lists of parts
	// give the same bytes. Every list page names a poster per film: the
	// parts go into one buffer, on the stack for the usual lengths.
	var buf [256]byte
	var version, year [40]byte
	b := hashPart(buf[:0], strconv.AppendInt(append(version[:0], "marquee generated poster v"...), PosterVersion, 10))
	b = hashPart(b, a.Title)
	b = hashPart(b, strconv.AppendInt(year[:0], int64(a.Year), 10))
	b = hashPart(b, a.Director)
	b = hashPart(b, a.Seed)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:8])
}

// hashPart appends one part of what Hash hashes: its length, then it.
func hashPart[T string | []byte](b []byte, part T) []byte {
	return append(binary.BigEndian.AppendUint64(b, uint64(len(part))), part...)
}

// ValidPosterWidth reports whether w is one of PosterWidths.
func ValidPosterWidth(w int) bool {
	for _, pw := range PosterWidths {
		if pw == w {
			return true
		}
	}
	return false
}

// The poster's type scale at 640 pixels wide; other widths scale it.
const (
	posterMargin   = 44.0
	posterYearSize = 30.0
	posterDirSize  = 28.0
)

// posterTitleSizes are the sizes a title may be set at, largest first.
var posterTitleSizes = [...]float64{104, 88, 72, 60, 50, 42}

// DrawPoster draws a's poster width pixels wide as a paletted PNG (a few
// dozen colours: the background and blends of it with each text colour,
// which keeps the file small). The same PosterArt and width always give
// the same bytes.
func DrawPoster(a PosterArt, width int) ([]byte, error) {
	if width < 64 || width > 2000 {
		return nil, fmt.Errorf("sharecard: poster width %d out of range", width)
	}
	fs, err := loadFonts()
	if err != nil {
		return nil, err
	}
	height := width * 3 / 2
	scale := float64(width) / 640
	pal := paletteFor(a.Seed)
	img := image.NewRGBA(image.Rect(0, 0, width, height))
	draw.Draw(img, img.Bounds(), image.NewUniform(pal.background), image.Point{}, draw.Src)

	m := int(posterMargin * scale)
	// A rule in the accent colour frames the text, like a title card.
	rule := max(1, int(3*scale))
	for _, r := range []image.Rectangle{
		image.Rect(m/2, m/2, width-m/2, m/2+rule), image.Rect(m/2, height-m/2-rule, width-m/2, height-m/2),
	} {
		draw.Draw(img, r, image.NewUniform(pal.accent), image.Point{}, draw.Src)
	}
	inner := img.SubImage(image.Rect(m, m, width-m, height-m)).(*image.RGBA)
	cv := &canvas{dst: inner, fonts: fs}
	defer cv.close()
	if err := cv.posterLayout(a, pal, scale); err != nil {
		return nil, err
	}

	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, paletted(img, pal)); err != nil {
		return nil, fmt.Errorf("sharecard: encode poster: %w", err)
	}
	return buf.Bytes(), nil
}

// posterLayout sets the year at the top, the director at the foot, and
// the title between them, at the largest size at which it fits whole (up
// to five lines), its last line resting on the lower third.
func (cv *canvas) posterLayout(a PosterArt, pal palette, scale float64) error {
	box := cv.dst.Bounds()
	width := fixed.I(box.Dx())
	x := box.Min.X
	y := box.Min.Y + int(12*scale)

	if a.Year != 0 {
		face, err := cv.face(cv.fonts.bold, posterYearSize*scale)
		if err != nil {
			return err
		}
		cv.text(face, pal.accent, x, y+face.Metrics().Ascent.Ceil(), strconv.Itoa(a.Year))
		y += lineHeight(posterYearSize * scale)
	}

	bottom := box.Max.Y - int(12*scale)
	if a.Director != "" {
		face, err := cv.face(cv.fonts.regular, posterDirSize*scale)
		if err != nil {
			return err
		}
		lines, _ := wrap(face, drawable(face, a.Director), width, 2)
		h := len(lines) * lineHeight(posterDirSize*scale)
		cv.lines(face, posterDirSize*scale, pal.muted, x, bottom-h, lines)
		bottom -= h + int(28*scale)
	}

	var titleFace font.Face
	var titleSize float64
	var titleLines []string
	for i, size := range posterTitleSizes {
		size *= scale
		face, err := cv.face(cv.fonts.bold, size)
		if err != nil {
			return err
		}
		maxLines := min(5, (bottom-y)/lineHeight(size))
		lines, cut := wrap(face, drawable(face, a.Title), width, max(1, maxLines))
		titleFace, titleSize, titleLines = face, size, lines
		if !cut && maxLines >= 1 || i == len(posterTitleSizes)-1 {
			break
		}
	}
	h := len(titleLines) * lineHeight(titleSize)
	// The title sits low, ending two thirds of the way down (or as low as
	// the director's line lets it).
	top := min(bottom-h, box.Min.Y+box.Dy()*2/3-h)
	top = max(top, y+int(24*scale))
	cv.lines(titleFace, titleSize, pal.title, x, top, titleLines)
	return nil
}

// paletted converts a drawn poster or card to a paletted image whose
// colours are the background, each text colour, and fifteen blends between
// the background and each, which is all antialiased text on one background
// needs. Each pixel takes the nearest of them. A paletted PNG is a third of
// the bytes of an RGBA one and much cheaper to encode (no per-row filters).
//
// Most pixels repeat their left neighbour's colour (the background, the
// inside of a glyph), so the last colour's index is kept and the nearest
// colour is looked for only when the colour changes.
func paletted(img *image.RGBA, pal palette) *image.Paletted {
	colours := color.Palette{pal.background}
	for _, c := range []color.RGBA{pal.title, pal.muted, pal.accent} {
		for i := 1; i <= 15; i++ {
			colours = append(colours, blend(pal.background, c, float64(i)/15))
		}
	}
	b := img.Bounds()
	out := image.NewPaletted(b, colours)
	index := map[color.RGBA]uint8{}
	last, lastIndex := pal.background, uint8(0)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		src := img.Pix[img.PixOffset(b.Min.X, y):img.PixOffset(b.Max.X, y)]
		dst := out.Pix[out.PixOffset(b.Min.X, y):out.PixOffset(b.Max.X, y)]
		for x := range dst {
			p := src[4*x : 4*x+4 : 4*x+4]
			if c := (color.RGBA{p[0], p[1], p[2], p[3]}); c != last {
				i, ok := index[c]
				if !ok {
					i = uint8(colours.Index(c))
					index[c] = i
				}
				last, lastIndex = c, i
			}
			dst[x] = lastIndex
		}
	}
	return out
}

// blend is the colour t of the way from a to b.
func blend(a, b color.RGBA, t float64) color.RGBA {
	mix := func(x, y uint8) uint8 { return uint8(float64(x) + (float64(y)-float64(x))*t + 0.5) }
	return color.RGBA{mix(a.R, b.R), mix(a.G, b.G), mix(a.B, b.B), 255}
}
