package picture

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"testing"

	"marquee/internal/film"
)

// gradient is a w×h opaque test picture.
func gradient(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), uint8(x ^ y), 255})
		}
	}
	return img
}

func mustJPEG(t *testing.T, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestCleanFiles(t *testing.T) {
	j := mustJPEG(t, gradient(64, 64))
	if !cleanJPEG(j) {
		t.Error("a JPEG straight from the encoder is not clean")
	}
	withComment := append([]byte{0xFF, 0xD8, 0xFF, 0xFE, 0x00, 0x05, 'h', 'i', '!'}, j[2:]...)
	withExif := append([]byte{0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x08, 'E', 'x', 'i', 'f', 0, 0}, j[2:]...)
	for name, data := range map[string][]byte{
		"comment": withComment, "exif": withExif, "trailing": append(bytes.Clone(j), "payload"...), "truncated": j[:len(j)-10],
	} {
		if cleanJPEG(data) {
			t.Errorf("a JPEG with %s counts as clean", name)
		}
	}
	var p bytes.Buffer
	png.Encode(&p, gradient(8, 8))
	if !cleanPNG(p.Bytes()) || cleanPNG(append(bytes.Clone(p.Bytes()), 0)) {
		t.Error("cleanPNG does not tell an encoder's PNG from one with a byte after its end")
	}
}

// TestWidestRenditionImportsAsItself: the widest rendition, sent again
// (as a dump carries it), gives the very same renditions, byte for byte.
func TestWidestRenditionImportsAsItself(t *testing.T) {
	first, err := Prepare(mustJPEG(t, gradient(900, 1350)), film.ImagePoster)
	if err != nil {
		t.Fatal(err)
	}
	if len(first) != 3 || first[2].Width != 640 || first[2].Height != 960 {
		t.Fatalf("renditions %+v", first)
	}
	again, err := Prepare(first[2].Bytes, film.ImagePoster)
	if err != nil {
		t.Fatal(err)
	}
	for i := range first {
		if again[i].Hash != first[i].Hash || !bytes.Equal(again[i].Bytes, first[i].Bytes) {
			t.Errorf("rendition %d changed on the second pass", i)
		}
	}
}

func TestPrepareRefusesBeforeDecoding(t *testing.T) {
	_, err := Prepare([]byte("<svg xmlns='http://www.w3.org/2000/svg'/>"), film.ImagePoster)
	var refusal *film.ImageRefusal
	if !errors.As(err, &refusal) || !errors.Is(err, film.ErrImageFormat) {
		t.Errorf("SVG: %v", err)
	}
	if _, err := Prepare(make([]byte, film.MaxImageBytes+1), film.ImagePoster); !errors.Is(err, film.ErrImageTooLarge) {
		t.Errorf("too many bytes: %v", err)
	}
	small := mustJPEG(t, gradient(300, 200))
	if _, err := Prepare(small, film.ImageStill); !errors.Is(err, film.ErrImageSize) {
		t.Errorf("a still narrower than 480: %v", err)
	}
}

// TestCameraOrientationIsApplied: a JPEG stored on its side with an EXIF
// orientation of 6 (turn 90° clockwise) comes out upright, without the tag.
func TestCameraOrientationIsApplied(t *testing.T) {
	// 400×240 as stored: red on the left half, blue on the right.
	img := image.NewRGBA(image.Rect(0, 0, 400, 240))
	for y := range 240 {
		for x := range 400 {
			c := color.RGBA{220, 20, 20, 255}
			if x >= 200 {
				c = color.RGBA{20, 20, 220, 255}
			}
			img.Set(x, y, c)
		}
	}
	plain := mustJPEG(t, img)
	// An APP1 segment: "Exif\0\0", a little-endian TIFF header, one
	// directory entry: orientation (0x0112), SHORT, 1, value 6.
	tiff := []byte{'I', 'I', 42, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0}
	payload := append([]byte("Exif\x00\x00"), tiff...)
	app1 := []byte{0xFF, 0xE1, byte((len(payload) + 2) >> 8), byte(len(payload) + 2)}
	data := append(append(append([]byte{0xFF, 0xD8}, app1...), payload...), plain[2:]...)
	if o := exifOrientation(data); o != 6 {
		t.Fatalf("orientation read as %d, want 6", o)
	}
	r, err := Prepare(data, film.ImagePoster)
	if err != nil {
		t.Fatal(err)
	}
	widest := r[len(r)-1]
	if widest.Width != 240 || widest.Height != 400 {
		t.Fatalf("the upright picture is %d×%d, want 240×400", widest.Width, widest.Height)
	}
	out, err := jpeg.Decode(bytes.NewReader(widest.Bytes))
	if err != nil {
		t.Fatal(err)
	}
	// Turned clockwise, the left (red) half is on top.
	if top, _, _, _ := out.At(120, 50).RGBA(); top>>8 < 150 {
		t.Errorf("the top of the turned picture is not red: %v", out.At(120, 50))
	}
	if _, _, bottom, _ := out.At(120, 350).RGBA(); bottom>>8 < 150 {
		t.Errorf("the bottom of the turned picture is not blue: %v", out.At(120, 350))
	}
	if exifOrientation(widest.Bytes) != 1 || bytes.Contains(widest.Bytes, []byte("Exif")) {
		t.Error("the orientation tag survived")
	}
}
