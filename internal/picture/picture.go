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
	if err := checkDimensions(cfg.Width, cfg.Height, r); err != nil {
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
	return Renditions(img, r)
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
	// Scale from the widest rendition down, so a huge upload is resampled
	// once at full size and the smaller sizes come from a smaller source.
	out := make([]film.RenditionData, len(widths))
	src := img
	for i := len(widths) - 1; i >= 0; i-- {
		w := widths[i]
		h := max(1, int((int64(b.Dy())*int64(w)+int64(b.Dx())/2)/int64(b.Dx())))
		dst := image.NewNRGBA(image.Rect(0, 0, w, h))
		if opaque {
			// An opaque picture goes through RGBA, which the JPEG encoder
			// and the scaler handle fastest.
			rgba := image.NewRGBA(dst.Rect)
			draw.CatmullRom.Scale(rgba, rgba.Rect, src, src.Bounds(), draw.Src, nil)
			d, err := encode(rgba, true)
			if err != nil {
				return nil, err
			}
			out[i] = d
			src = rgba
			continue
		}
		draw.CatmullRom.Scale(dst, dst.Rect, src, src.Bounds(), draw.Src, nil)
		d, err := encode(dst, false)
		if err != nil {
			return nil, err
		}
		out[i] = d
		src = dst
	}
	return out, nil
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
