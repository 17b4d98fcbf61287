// Package picture turns an uploaded file into the renditions Marquee
// stores: it decides what the file is by its content (never its name or
// declared type), reads the dimensions the file declares before decoding
// a single pixel (so a small file that claims to be a gigapixel image is
// refused cheaply), decodes JPEG, PNG and WebP, and re-encodes the pixels
// at the widths pages need. Only pixels survive: no EXIF, no colour
// profile, no comment, nothing appended after the image data.
//
// It is used by the desk's upload forms and by catalogue import, so a
// picture is checked the same way whichever way it arrives.
package picture

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"

	"golang.org/x/image/draw"
	_ "golang.org/x/image/webp" // registers WebP with image.Decode and image.DecodeConfig

	"marquee/internal/film"
)

// JPEGQuality is the quality renditions without transparency are encoded
// at: visually clean for photographs at a fraction of the upload's size.
const JPEGQuality = 82

// Widths are the widths a role's renditions are made at, narrowest first:
// a poster in a list (160), on a film page (320) and on a wide or dense
// screen (640); stills across a column and full width; portraits in a
// cast grid and on a person page. A picture narrower than a width is
// never scaled up: its own width is the widest rendition.
func Widths(r film.ImageRole) []int {
	switch r {
	case film.ImageStill:
		return []int{480, 960, 1600}
	case film.ImagePortrait:
		return []int{120, 240, 480}
	}
	return []int{160, 320, 640}
}

// Prepare checks data as an upload in role r and returns its renditions,
// narrowest first. A refusal is a *film.ImageRefusal wrapping one of the
// film.ErrImage errors, with a message for the person who sent it.
func Prepare(data []byte, r film.ImageRole) ([]film.RenditionData, error) {
	if len(data) > film.MaxImageBytes {
		return nil, film.RefuseImage(film.ErrImageTooLarge,
			fmt.Sprintf("The file is %s; pictures may be at most %s.", megabytes(len(data)), megabytes(film.MaxImageBytes)))
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, refuseFormat(data)
	}
	if format != "jpeg" && format != "png" && format != "webp" {
		return nil, refuseFormat(data)
	}
	// A camera's picture may be stored on its side with an EXIF tag that
	// says how to turn it; the tag goes with the rest of the metadata, so
	// the pixels are turned here, and the limits apply as it will show.
	orientation := 1
	if format == "jpeg" {
		orientation = exifOrientation(data)
	}
	w, h := cfg.Width, cfg.Height
	if orientation >= 5 {
		w, h = h, w
	}
	if err := checkDimensions(w, h, r); err != nil {
		return nil, err
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, film.RefuseImage(film.ErrImageCorrupt,
			"The picture could not be read to the end: the file may be damaged or incomplete. Try saving it again.")
	}
	if b := img.Bounds(); b.Dx() != cfg.Width || b.Dy() != cfg.Height {
		return nil, film.RefuseImage(film.ErrImageCorrupt, "The picture's size does not match what its file declares.")
	}
	if orientation > 1 {
		img = orient(img, orientation)
	}
	// A file that is already what this package makes (a JPEG or PNG with
	// nothing but pixels in it, no wider than the role's widest size) is
	// kept as it is: re-encoding it would only lose quality, and keeping
	// it makes a dumped picture import as the very same renditions.
	var keep []byte
	if b := img.Bounds(); b.Dx() <= Widths(r)[len(Widths(r))-1] &&
		(format == "jpeg" && cleanJPEG(data) || format == "png" && !isOpaque(img) && cleanPNG(data)) {
		keep = data
	}
	return renditions(img, r, keep)
}

// checkDimensions refuses sizes outside the limits before any decoding.
func checkDimensions(w, h int, r film.ImageRole) error {
	switch {
	case w <= 0 || h <= 0:
		return film.RefuseImage(film.ErrImageCorrupt, "The file declares no size.")
	case w > film.MaxImageSide || h > film.MaxImageSide || int64(w)*int64(h) > film.MaxImagePixels:
		return film.RefuseImage(film.ErrImageSize, fmt.Sprintf(
			"The picture is %d × %d pixels; pictures may be at most %d pixels a side and %d megapixels in all.",
			w, h, film.MaxImageSide, film.MaxImagePixels/1_000_000))
	case w < film.MinImageWidth(r) || h < film.MinImageHeight:
		return film.RefuseImage(film.ErrImageSize, fmt.Sprintf(
			"The picture is %d × %d pixels; a %s must be at least %d pixels wide and %d high.",
			w, h, r, film.MinImageWidth(r), film.MinImageHeight))
	}
	return nil
}

// refuseFormat is the refusal of a file that is no picture this site
// reads, naming SVG when it is one, since that is the usual surprise.
func refuseFormat(data []byte) error {
	head := data[:min(len(data), 1024)]
	if bytes.Contains(bytes.ToLower(head), []byte("<svg")) {
		return film.RefuseImage(film.ErrImageFormat,
			"SVG files are not accepted (they can carry scripts): upload a JPEG, PNG or WebP picture.")
	}
	return film.RefuseImage(film.ErrImageFormat,
		"This file is not a JPEG, PNG or WebP picture, whatever its name says: upload one of those.")
}

// megabytes writes a byte count for people.
func megabytes(n int) string { return fmt.Sprintf("%.1f MB", float64(n)/(1<<20)) }

// Renditions scales img to the role's widths (never up) and encodes each
// as JPEG, or as PNG when the picture has transparency.
func Renditions(img image.Image, r film.ImageRole) ([]film.RenditionData, error) {
	return renditions(img, r, nil)
}

// renditions makes the renditions of img. The widest is encoded first
// (or is keep, the file itself, when it may be kept), and the narrower
// ones are scaled from its decoded pixels, so the same widest rendition
// always gives the same narrower ones, whether it came from an upload or
// from a catalogue that carried it.
func renditions(img image.Image, r film.ImageRole, keep []byte) ([]film.RenditionData, error) {
	b := img.Bounds()
	if b.Empty() {
		return nil, errors.New("picture: empty image")
	}
	opaque := isOpaque(img)
	var widths []int
	for _, w := range Widths(r) {
		if w < b.Dx() {
			widths = append(widths, w)
		}
	}
	largest := min(b.Dx(), Widths(r)[len(Widths(r))-1])
	if len(widths) == 0 || widths[len(widths)-1] != largest {
		widths = append(widths, largest)
	}
	out := make([]film.RenditionData, len(widths))
	var err error
	last := len(widths) - 1
	if keep != nil {
		format := film.FormatPNG
		if opaque {
			format = film.FormatJPEG
		}
		sum := sha256.Sum256(keep)
		out[last] = film.RenditionData{
			Rendition: film.Rendition{Hash: hex.EncodeToString(sum[:]), Width: b.Dx(), Height: b.Dy(), Format: format},
			Bytes:     keep,
		}
	} else if out[last], err = scaled(img, largest, opaque); err != nil {
		return nil, err
	}
	src, _, err := image.Decode(bytes.NewReader(out[last].Bytes))
	if err != nil {
		return nil, fmt.Errorf("picture: read back the widest rendition: %w", err)
	}
	for i := range last {
		if out[i], err = scaled(src, widths[i], opaque); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// scaled is img resampled (Catmull-Rom) to width w and encoded.
func scaled(img image.Image, w int, opaque bool) (film.RenditionData, error) {
	b := img.Bounds()
	h := max(1, int((int64(b.Dy())*int64(w)+int64(b.Dx())/2)/int64(b.Dx())))
	if opaque {
		// An opaque picture goes through RGBA, which the JPEG encoder
		// and the scaler handle fastest.
		dst := image.NewRGBA(image.Rect(0, 0, w, h))
		draw.CatmullRom.Scale(dst, dst.Rect, img, b, draw.Src, nil)
		return encode(dst, true)
	}
	dst := image.NewNRGBA(image.Rect(0, 0, w, h))
	draw.CatmullRom.Scale(dst, dst.Rect, img, b, draw.Src, nil)
	return encode(dst, false)
}

// encode writes img as JPEG (opaque) or PNG and names it by its hash.
func encode(img image.Image, opaque bool) (film.RenditionData, error) {
	var buf bytes.Buffer
	format := film.FormatPNG
	var err error
	if opaque {
		format = film.FormatJPEG
		err = jpeg.Encode(&buf, img, &jpeg.Options{Quality: JPEGQuality})
	} else {
		err = (&png.Encoder{CompressionLevel: png.DefaultCompression}).Encode(&buf, img)
	}
	if err != nil {
		return film.RenditionData{}, fmt.Errorf("picture: encode %s: %w", format, err)
	}
	sum := sha256.Sum256(buf.Bytes())
	b := img.Bounds()
	return film.RenditionData{
		Rendition: film.Rendition{Hash: hex.EncodeToString(sum[:]), Width: b.Dx(), Height: b.Dy(), Format: format},
		Bytes:     buf.Bytes(),
	}, nil
}

// isOpaque reports whether every pixel of img is opaque.
func isOpaque(img image.Image) bool {
	if o, ok := img.(interface{ Opaque() bool }); ok {
		return o.Opaque()
	}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if _, _, _, a := img.At(x, y).RGBA(); a != 0xffff {
				return false
			}
		}
	}
	return true
}

// cleanJPEG reports whether data is a baseline or progressive JPEG with
// nothing in it but what the pixels need (quantisation and Huffman
// tables, the frame, restart intervals and scans), ending at its end
// marker: no APPn segment (EXIF, ICC, XMP), no comment, no trailing bytes.
func cleanJPEG(data []byte) bool {
	if len(data) < 4 || data[0] != 0xFF || data[1] != 0xD8 {
		return false
	}
	i := 2
	for i+4 <= len(data) {
		if data[i] != 0xFF {
			return false
		}
		m := data[i+1]
		switch {
		case m == 0xD9:
			return i+2 == len(data)
		case m == 0xDB || m == 0xC4 || m == 0xDD || (m >= 0xC0 && m <= 0xC2):
			i += 2 + (int(data[i+2])<<8 | int(data[i+3]))
		case m == 0xDA:
			i += 2 + (int(data[i+2])<<8 | int(data[i+3]))
			// The scan's entropy-coded data runs to the next marker that
			// is neither a stuffed 0xFF00 nor a restart marker.
			for i+1 < len(data) && (data[i] != 0xFF || data[i+1] == 0 || data[i+1] >= 0xD0 && data[i+1] <= 0xD7) {
				i++
			}
		default:
			return false
		}
	}
	return i+2 == len(data) && i+1 < len(data) && data[i] == 0xFF && data[i+1] == 0xD9
}

// cleanPNG reports whether data is a PNG of the chunks pixels need
// (header, palette, transparency, image data, end) and nothing after
// its end chunk: no text, no colour profile, no EXIF.
func cleanPNG(data []byte) bool {
	const sig = "\x89PNG\r\n\x1a\n"
	if len(data) < len(sig) || string(data[:len(sig)]) != sig {
		return false
	}
	i := len(sig)
	for i+12 <= len(data) {
		n := int(data[i])<<24 | int(data[i+1])<<16 | int(data[i+2])<<8 | int(data[i+3])
		kind := string(data[i+4 : i+8])
		if n < 0 || i+12+n > len(data) {
			return false
		}
		switch kind {
		case "IHDR", "PLTE", "tRNS", "IDAT":
		case "IEND":
			return i+12+n == len(data)
		default:
			return false
		}
		i += 12 + n
	}
	return false
}

// exifOrientation is the EXIF orientation (1 to 8) a JPEG's APP1 segment
// gives, or 1 when it gives none: 1 is upright, 3 upside down, 6 and 8 on
// their sides, the others mirrored.
func exifOrientation(data []byte) int {
	i := 2
	for i+4 <= len(data) && data[0] == 0xFF && data[1] == 0xD8 {
		if data[i] != 0xFF {
			return 1
		}
		m := data[i+1]
		n := int(data[i+2])<<8 | int(data[i+3])
		if m == 0xDA || m == 0xD9 || n < 2 || i+2+n > len(data) {
			return 1
		}
		seg := data[i+4 : i+2+n]
		if m == 0xE1 && len(seg) > 14 && string(seg[:6]) == "Exif\x00\x00" {
			return tiffOrientation(seg[6:])
		}
		i += 2 + n
	}
	return 1
}

// tiffOrientation reads the orientation tag (0x0112) of a TIFF header's
// first directory.
func tiffOrientation(t []byte) int {
	var u16 func([]byte) int
	var u32 func([]byte) int
	switch string(t[:2]) {
	case "II":
		u16 = func(b []byte) int { return int(b[0]) | int(b[1])<<8 }
		u32 = func(b []byte) int { return int(b[0]) | int(b[1])<<8 | int(b[2])<<16 | int(b[3])<<24 }
	case "MM":
		u16 = func(b []byte) int { return int(b[1]) | int(b[0])<<8 }
		u32 = func(b []byte) int { return int(b[3]) | int(b[2])<<8 | int(b[1])<<16 | int(b[0])<<24 }
	default:
		return 1
	}
	ifd := u32(t[4:8])
	if ifd < 8 || ifd+2 > len(t) {
		return 1
	}
	count := u16(t[ifd:])
	for e := range count {
		at := ifd + 2 + 12*e
		if at+12 > len(t) {
			return 1
		}
		if u16(t[at:]) == 0x0112 && u16(t[at+2:]) == 3 {
			if o := u16(t[at+8:]); o >= 1 && o <= 8 {
				return o
			}
			return 1
		}
	}
	return 1
}

// orient turns and mirrors img as EXIF orientation o says it must be to
// show upright.
func orient(img image.Image, o int) image.Image {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	dw, dh := w, h
	if o >= 5 {
		dw, dh = h, w
	}
	dst := image.NewNRGBA(image.Rect(0, 0, dw, dh))
	for y := range dh {
		for x := range dw {
			var sx, sy int
			switch o {
			case 2:
				sx, sy = w-1-x, y
			case 3:
				sx, sy = w-1-x, h-1-y
			case 4:
				sx, sy = x, h-1-y
			case 5:
				sx, sy = y, x
			case 6:
				sx, sy = y, h-1-x
			case 7:
				sx, sy = w-1-y, h-1-x
			case 8:
				sx, sy = w-1-y, x
			default:
				sx, sy = x, y
			}
			dst.Set(x, y, img.At(b.Min.X+sx, b.Min.Y+sy))
		}
	}
	return dst
}
