package sharecard

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/image/draw"
	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goitalic"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
	"golang.org/x/image/vector"
)

// margin is the band at every edge of a card that nothing is drawn in.
const margin = 72

// fonts are the typefaces the cards are set in.
type fonts struct {
	bold, regular, italic *opentype.Font
}

// loadFonts parses the embedded Go fonts, once.
var loadFonts = sync.OnceValues(func() (fonts, error) {
	var f fonts
	for _, t := range []struct {
		dst  **opentype.Font
		name string
		ttf  []byte
	}{
		{&f.bold, "Go Bold", gobold.TTF},
		{&f.regular, "Go Regular", goregular.TTF},
		{&f.italic, "Go Italic", goitalic.TTF},
	} {
		parsed, err := opentype.Parse(t.ttf)
		if err != nil {
			return fonts{}, fmt.Errorf("sharecard: parse %s: %w", t.name, err)
		}
		*t.dst = parsed
	}
	return f, nil
})

// Draw draws the card as a Width×Height PNG. The same card always gives
// the same bytes.
func Draw(c Card) ([]byte, error) {
	fs, err := loadFonts()
	if err != nil {
		return nil, err
	}
	pal := paletteFor(c.Seed)
	img := image.NewRGBA(image.Rect(0, 0, Width, Height))
	draw.Draw(img, img.Bounds(), image.NewUniform(pal.background), image.Point{}, draw.Src)

	// Everything is drawn through inner, the card less its margin, so that
	// no glyph's overhang and no miscalculation can reach the edges.
	inner := img.SubImage(image.Rect(margin, margin, Width-margin, Height-margin)).(*image.RGBA)
	cv := &canvas{dst: inner, fonts: fs}
	defer cv.close()
	if err := cv.layout(c, pal); err != nil {
		return nil, err
	}

	// A card of text and stars holds only the palette's colours and their
	// blends, so it is written as a paletted PNG (smaller, and several times
	// cheaper to encode); a card with a photograph on it keeps every colour.
	var out image.Image = img
	if c.Poster == nil {
		out = paletted(img, pal)
	}
	var buf bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&buf, out); err != nil {
		return nil, fmt.Errorf("sharecard: encode: %w", err)
	}
	return buf.Bytes(), nil
}

// canvas draws one card's text and shapes onto dst, making each font face
// once per size.
type canvas struct {
	dst   *image.RGBA
	fonts fonts
	faces []font.Face
}

// face is f at size pixels. Faces are not safe for concurrent use, so
// each card makes its own.
func (cv *canvas) face(f *opentype.Font, size float64) (font.Face, error) {
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		return nil, fmt.Errorf("sharecard: font face: %w", err)
	}
	cv.faces = append(cv.faces, face)
	return face, nil
}

func (cv *canvas) close() {
	for _, f := range cv.faces {
		_ = f.Close() // opentype faces hold no resources that can fail to close
	}
}

// The card's type scale, in pixels.
const (
	labelSize    = 24.0
	taglineSize  = 34.0
	subtitleSize = 32.0
	siteSize     = 40.0
	noteSize     = 24.0
	scoreSize    = 52.0
	starSize     = 48
	starGap      = 8
	lineSpacing  = 1.15
)

// titleSizes are the sizes a title may be set at, largest first: the
// largest at which it fits is used, and below the last it is cut short.
var titleSizes = [...]float64{84, 72, 60, 52}

// layout places and draws the card: the kind label at the top, the
// title, tagline and subtitle below it, and a footer with the site's name
// on the left and the rating on the right. A poster, when there is one,
// takes a panel on the right of the whole height.
func (cv *canvas) layout(c Card, pal palette) error {
	box := cv.dst.Bounds()
	right := box.Max.X
	if c.Poster != nil && c.Poster.Image != nil {
		panel := cv.drawPoster(c.Poster.Image)
		right = panel.Min.X - 48
	}
	width := fixed.I(right - box.Min.X)
	x := box.Min.X

	// The footer: its top bounds the text above it.
	siteFace, err := cv.face(cv.fonts.bold, siteSize)
	if err != nil {
		return err
	}
	baseline := box.Max.Y - siteFace.Metrics().Descent.Ceil()
	siteWidth := cv.text(siteFace, pal.accent, x, baseline, SiteName)
	footerTop := baseline - siteFace.Metrics().Ascent.Ceil()
	if c.Rating != nil {
		top, err := cv.rating(*c.Rating, pal, right, baseline, x+siteWidth+40)
		if err != nil {
			return err
		}
		footerTop = min(footerTop, top)
	}
	bottom := footerTop - 28

	// The kind label.
	y := box.Min.Y
	if label := c.Kind.label(); label != "" {
		labelFace, err := cv.face(cv.fonts.bold, labelSize)
		if err != nil {
			return err
		}
		cv.text(labelFace, pal.accent, x, y+labelFace.Metrics().Ascent.Ceil(), label)
		y += lineHeight(labelSize) + 24
	}

	// The tagline and subtitle get at least a line each if they are set;
	// the title takes what room is left, at the largest size that fits it
	// whole, and they share what it leaves.
	meta := c.Subtitle
	if c.Year != 0 {
		meta = joinNonEmpty(" · ", strconv.Itoa(c.Year), c.Subtitle)
	}
	taglineFace, err := cv.face(cv.fonts.italic, taglineSize)
	if err != nil {
		return err
	}
	metaFace, err := cv.face(cv.fonts.regular, subtitleSize)
	if err != nil {
		return err
	}
	tagline, metaText := drawable(taglineFace, c.Tagline), drawable(metaFace, meta)
	reserve := 0
	if tagline != "" {
		reserve += 16 + lineHeight(taglineSize)
	}
	if metaText != "" {
		reserve += 12 + lineHeight(subtitleSize)
	}

	var titleFace font.Face
	var titleSize float64
	var titleLines []string
	for i, size := range titleSizes {
		face, err := cv.face(cv.fonts.bold, size)
		if err != nil {
			return err
		}
		maxLines := min(3, (bottom-y-reserve)/lineHeight(size))
		lines, cut := wrap(face, drawable(face, c.Title), width, max(1, maxLines))
		titleFace, titleSize, titleLines = face, size, lines
		if !cut && maxLines >= 1 || i == len(titleSizes)-1 {
			break
		}
	}
	y = cv.lines(titleFace, titleSize, pal.title, x, y, titleLines)

	if tagline != "" {
		y += 16
		n := min(2, (bottom-y-reserveAfter(metaText))/lineHeight(taglineSize))
		lines, _ := wrap(taglineFace, tagline, width, max(1, n))
		y = cv.lines(taglineFace, taglineSize, pal.title, x, y, lines)
	}
	if metaText != "" {
		y += 12
		n := min(2, (bottom-y)/lineHeight(subtitleSize))
		lines, _ := wrap(metaFace, metaText, width, max(1, n))
		cv.lines(metaFace, subtitleSize, pal.muted, x, y, lines)
	}
	return nil
}

// reserveAfter is the room the subtitle needs below the tagline.
func reserveAfter(meta string) int {
	if meta == "" {
		return 0
	}
	return 12 + lineHeight(subtitleSize)
}

// lineHeight is the distance between baselines at a size.
func lineHeight(size float64) int { return int(math.Round(size * lineSpacing)) }

// lines draws lines of text set at size from top y down and returns the
// y below them.
func (cv *canvas) lines(face font.Face, size float64, col color.RGBA, x, y int, lines []string) int {
	ascent := face.Metrics().Ascent.Ceil()
	for i, l := range lines {
		cv.text(face, col, x, y+i*lineHeight(size)+ascent, l)
	}
	return y + len(lines)*lineHeight(size)
}

// text draws s with its baseline at y, starting at x, and returns its
// width.
func (cv *canvas) text(face font.Face, col color.RGBA, x, y int, s string) int {
	d := font.Drawer{Dst: cv.dst, Src: image.NewUniform(col), Face: face, Dot: fixed.P(x, y)}
	d.DrawString(s)
	return (d.Dot.X - fixed.I(x)).Ceil()
}

// rating draws a rating at the foot of the card, ending at right with
// its base on baseline, and returns the top of what it drew. Its note is
// cut short rather than drawn left of leftLimit.
func (cv *canvas) rating(r Rating, pal palette, right, baseline, leftLimit int) (int, error) {
	top := baseline
	if r.stars() {
		n := r.Scale
		halves := int(math.Round(r.Value * 2))
		x := right - n*starSize - (n-1)*starGap
		top = baseline - starSize
		for i := range n {
			fill := 0.0
			switch {
			case halves >= 2*(i+1):
				fill = 1
			case halves == 2*i+1:
				fill = 0.5
			}
			cv.star(x+i*(starSize+starGap), top, fill, pal.accent)
		}
	} else {
		face, err := cv.face(cv.fonts.bold, scoreSize)
		if err != nil {
			return 0, err
		}
		s := drawable(face, r.text())
		w := font.MeasureString(face, s).Ceil()
		cv.text(face, pal.title, right-w, baseline, s)
		top = baseline - face.Metrics().Ascent.Ceil()
	}
	if r.Note != "" {
		face, err := cv.face(cv.fonts.regular, noteSize)
		if err != nil {
			return 0, err
		}
		lines, _ := wrap(face, drawable(face, r.Note), fixed.I(max(0, right-leftLimit)), 1)
		if len(lines) > 0 {
			w := font.MeasureString(face, lines[0]).Ceil()
			noteBaseline := top - 14
			cv.text(face, pal.muted, right-w, noteBaseline, lines[0])
			top = noteBaseline - face.Metrics().Ascent.Ceil()
		}
	}
	return top, nil
}

// star draws a five-pointed star in a starSize square at (x, y): filled
// to the given fraction (0, ½ or 1) from the left, outlined where it is
// not.
func (cv *canvas) star(x, y int, fill float64, col color.RGBA) {
	r := image.Rect(x, y, x+starSize, y+starSize)
	if !r.In(cv.dst.Bounds()) {
		return
	}
	src := image.NewUniform(col)
	const outer = starSize / 2.0
	if fill < 1 {
		z := vector.NewRasterizer(starSize, starSize)
		starPath(z, outer, false)
		starPath(z, outer-3.5, true) // the opposite winding cuts out the inside
		z.Draw(cv.dst, r, src, image.Point{})
	}
	if fill > 0 {
		z := vector.NewRasterizer(starSize, starSize)
		starPath(z, outer, false)
		part := r
		part.Max.X = x + int(math.Round(starSize*fill))
		z.Draw(cv.dst, part, src, image.Point{})
	}
}

// starPath adds a five-pointed star of the given outer radius, centred in
// the rasterizer's starSize square, clockwise or (reverse) not.
func starPath(z *vector.Rasterizer, outer float64, reverse bool) {
	const c = starSize / 2.0
	inner := outer * 0.45
	var pts [10][2]float32
	for i := range pts {
		radius := outer
		if i%2 == 1 {
			radius = inner
		}
		angle := -math.Pi/2 + float64(i)*math.Pi/5
		pts[i] = [2]float32{float32(c + radius*math.Cos(angle)), float32(c + 2 + radius*math.Sin(angle))}
	}
	if reverse {
		for i, j := 0, len(pts)-1; i < j; i, j = i+1, j-1 {
			pts[i], pts[j] = pts[j], pts[i]
		}
	}
	z.MoveTo(pts[0][0], pts[0][1])
	for _, p := range pts[1:] {
		z.LineTo(p[0], p[1])
	}
	z.ClosePath()
}

// drawPoster scales the picture to fit a panel at the right of the
// card's whole inner height, in a poster's 2:3 shape, and returns the
// panel.
func (cv *canvas) drawPoster(pic image.Image) image.Rectangle {
	box := cv.dst.Bounds()
	h := box.Dy()
	w := h * 2 / 3
	panel := image.Rect(box.Max.X-w, box.Min.Y, box.Max.X, box.Max.Y)
	sb := pic.Bounds()
	if sb.Empty() {
		return panel
	}
	// Fit the picture inside the panel, keeping its shape, centred.
	scale := math.Min(float64(w)/float64(sb.Dx()), float64(h)/float64(sb.Dy()))
	dw, dh := int(float64(sb.Dx())*scale), int(float64(sb.Dy())*scale)
	at := image.Rect(0, 0, dw, dh).Add(image.Pt(panel.Min.X+(w-dw)/2, panel.Min.Y+(h-dh)/2))
	draw.BiLinear.Scale(cv.dst, at, pic, sb, draw.Over, nil)
	return panel
}

// drawable is s with what the face cannot draw left out: runes the font
// has no glyph for and control characters go, any run of spaces becomes
// one space, and the ends are trimmed. A middle dot becomes the bullet
// operator, which the Go fonts set at the height of a separator (their
// middle dot sits nearly at the top of the lower case).
func drawable(face font.Face, s string) string {
	_, bulletOp := face.GlyphAdvance('∙')
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return ' '
		}
		if r == '·' && bulletOp {
			return '∙'
		}
		if unicode.IsControl(r) {
			return -1
		}
		if _, ok := face.GlyphAdvance(r); !ok {
			return -1
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// wrap breaks text into lines no wider than width, at spaces where it can
// and within a word too long for a line. If the text needs more than
// maxLines, the last line ends in an ellipsis and cut is true.
func wrap(face font.Face, text string, width fixed.Int26_6, maxLines int) (lines []string, cut bool) {
	words := strings.Fields(text)
	line := ""
	for len(words) > 0 {
		if len(lines) == maxLines {
			break
		}
		w := words[0]
		candidate := w
		if line != "" {
			candidate = line + " " + w
		}
		if font.MeasureString(face, candidate) <= width {
			line, words = candidate, words[1:]
			continue
		}
		if line != "" {
			lines, line = append(lines, line), ""
			continue
		}
		// One word wider than the line: break it where it must.
		head, tail := splitAt(face, w, width)
		lines, words[0] = append(lines, head), tail
	}
	if line != "" {
		if len(lines) < maxLines {
			lines = append(lines, line)
		} else {
			words = append(words, line)
		}
	}
	if len(words) == 0 || len(lines) == 0 {
		return lines, false
	}
	last := len(lines) - 1
	lines[last] = withEllipsis(face, lines[last], width)
	return lines, true
}

// splitAt splits a word into the longest head that fits width (at least
// one rune, so that wrapping always moves on) and the rest.
func splitAt(face font.Face, word string, width fixed.Int26_6) (head, tail string) {
	runes := []rune(word)
	n := 1
	for n < len(runes) && font.MeasureString(face, string(runes[:n+1])) <= width {
		n++
	}
	return string(runes[:n]), string(runes[n:])
}

// withEllipsis shortens line until it fits width with an ellipsis after
// it, dropping any space or punctuation left dangling before it.
func withEllipsis(face font.Face, line string, width fixed.Int26_6) string {
	ellipsis := "…"
	if _, ok := face.GlyphAdvance('…'); !ok {
		ellipsis = "..."
	}
	runes := []rune(line)
	for {
		for len(runes) > 0 && strings.ContainsRune(" ,;:-–—", runes[len(runes)-1]) {
			runes = runes[:len(runes)-1]
		}
		s := string(runes) + ellipsis
		if len(runes) == 0 || font.MeasureString(face, s) <= width {
			return s
		}
		runes = runes[:len(runes)-1]
	}
}

// joinNonEmpty joins the parts that are not empty with sep.
func joinNonEmpty(sep string, parts ...string) string {
	var kept []string
	for _, p := range parts {
		if p != "" {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, sep)
}
