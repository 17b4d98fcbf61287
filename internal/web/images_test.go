package web_test

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"marquee/internal/film"
	"marquee/internal/web"
)

// testPicture is a w×h picture with a gradient, so that every rendition
// has real pixels to resample.
func testPicture(w, h int, opaque bool) image.Image {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			a := uint8(255)
			if !opaque && x < w/4 {
				a = 0
			}
			img.SetNRGBA(x, y, color.NRGBA{uint8(x * 255 / w), uint8(y * 255 / h), 120, a})
		}
	}
	return img
}

// Markers planted in uploads that must not come out again.
const (
	exifMarker     = "SECRET-EXIF-GPS-48.8566N"
	commentMarker  = "SECRET-JPEG-COMMENT"
	trailingMarker = "SECRET-TRAILING-PAYLOAD"
)

// jpegWithMetadata is a w×h JPEG carrying an EXIF segment, a comment and
// bytes after its end, as a camera or a smuggler might send.
func jpegWithMetadata(t testing.TB, w, h int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, testPicture(w, h, true), &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	plain := buf.Bytes()
	segment := func(marker byte, payload string) []byte {
		s := []byte{0xFF, marker, 0, 0}
		binary.BigEndian.PutUint16(s[2:], uint16(len(payload)+2))
		return append(s, payload...)
	}
	var out []byte
	out = append(out, plain[:2]...) // SOI
	out = append(out, segment(0xE1, "Exif\x00\x00"+exifMarker)...)
	out = append(out, segment(0xFE, commentMarker)...)
	out = append(out, plain[2:]...)
	return append(out, trailingMarker...)
}

// pngBytes encodes img as PNG.
func pngBytes(t testing.TB, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// pngBomb is a tiny PNG whose header claims w×h pixels: decoding it would
// allocate w×h×4 bytes.
func pngBomb(w, h uint32) []byte {
	chunk := func(kind string, data []byte) []byte {
		out := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
		out = append(out, kind...)
		out = append(out, data...)
		return binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(append([]byte(kind), data...)))
	}
	ihdr := binary.BigEndian.AppendUint32(nil, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 6, 0, 0, 0)
	out := []byte("\x89PNG\r\n\x1a\n")
	out = append(out, chunk("IHDR", ihdr)...)
	out = append(out, chunk("IDAT", []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01})...)
	return append(out, chunk("IEND", nil)...)
}

// solidWebP is a w×h lossless WebP of one colour, written by hand (the Go
// libraries decode WebP but do not encode it): a VP8L header and five
// one-symbol prefix codes, so every pixel takes no bits at all.
func solidWebP(w, h int, r, g, b uint8) []byte {
	var bits []byte
	var n uint
	put := func(v uint32, width uint) {
		for i := range width {
			if n%8 == 0 {
				bits = append(bits, 0)
			}
			if v>>i&1 == 1 {
				bits[len(bits)-1] |= 1 << (n % 8)
			}
			n++
		}
	}
	put(0x2f, 8)
	put(uint32(w-1), 14)
	put(uint32(h-1), 14)
	put(0, 1+3+1+1+1) // no alpha, version 0, no transform, no colour cache, no meta codes
	for _, sym := range []uint8{g, r, b, 255} {
		put(1, 1) // a simple code
		put(0, 1) // of one symbol
		put(1, 1) // written in eight bits
		put(uint32(sym), 8)
	}
	put(0b0001, 4) // distances: a simple code of one one-bit symbol, 0
	pad := len(bits) % 2
	out := []byte("RIFF")
	out = binary.LittleEndian.AppendUint32(out, uint32(4+8+len(bits)+pad))
	out = append(out, "WEBPVP8L"...)
	out = binary.LittleEndian.AppendUint32(out, uint32(len(bits)))
	out = append(out, bits...)
	if pad == 1 {
		out = append(out, 0)
	}
	return out
}

// upload posts the picture form as a browser does, with a file.
func (b *browser) upload(t testing.TB, path string, fields map[string]string, name, contentType string, data []byte) (*http.Response, string) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range fields {
		if err := mw.WriteField(k, v); err != nil {
			t.Fatal(err)
		}
	}
	if name != "" {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", `form-data; name="file"; filename="`+name+`"`)
		h.Set("Content-Type", contentType)
		part, err := mw.CreatePart(h)
		if err != nil {
			t.Fatal(err)
		}
		part.Write(data)
	}
	mw.Close()
	req := httptest.NewRequest(http.MethodPost, path, &body)
	req.RemoteAddr = b.addr
	req.Header.Set("Content-Type", mw.FormDataContentType())
	for _, c := range b.cookies {
		req.AddCookie(c)
	}
	rec := httptest.NewRecorder()
	b.site.handler.ServeHTTP(rec, req)
	return rec.Result(), rec.Body.String()
}

// mustEditor signs in a new editor.
func (s *site) mustPictureEditor(t testing.TB) *browser {
	t.Helper()
	s.mustAccount(t, "editor@example.com", film.RoleEditor)
	b := s.newBrowser("192.0.2.10")
	b.mustSignIn(t, "editor@example.com")
	return b
}

// posterFields are a valid upload form's text fields.
var posterFields = map[string]string{"role": "poster", "alt": "Poster: rooftops of Paris at dusk", "caption": "The French poster", "credit": "© 2008 Ce Qui Me Meut"}

// listedPoster is the poster of the first film on the film index.
func listedPoster(t *testing.T, s *site) *goquery.Selection {
	t.Helper()
	doc, _ := s.mustPage(t, "/films", http.StatusOK)
	img := doc.Find(".film-row img.picture").First()
	if img.Length() == 0 {
		t.Fatal("the film index shows no poster")
	}
	return img
}

func TestPictureUploadRoundTrip(t *testing.T) {
	s := mustSite(t)
	ed := s.mustPictureEditor(t)
	for form, pics := range map[string]string{"/admin/films/paris-2008/edit": "/admin/films/paris-2008/pictures",
		"/admin/people/cedric-klapisch/edit": "/admin/people/cedric-klapisch/pictures"} {
		if ed.page(t, form, http.StatusOK).Find(`.editor-links a[href="`+pics+`"]`).Length() != 1 {
			t.Errorf("%s does not link to %s", form, pics)
		}
	}
	doc := ed.page(t, "/admin/films/paris-2008/pictures", http.StatusOK)
	if doc.Find(`form[enctype="multipart/form-data"] input[type=file][name=file]`).Length() != 1 {
		t.Fatal("the picture page has no upload form")
	}

	upload := jpegWithMetadata(t, 800, 1200)
	resp, body := ed.upload(t, "/admin/films/paris-2008/pictures", posterFields, "poster.jpg", "image/jpeg", upload)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/films/paris-2008/pictures?done=added" {
		t.Fatalf("upload = %d to %q\n%s", resp.StatusCode, resp.Header.Get("Location"), body)
	}
	doc = ed.page(t, "/admin/films/paris-2008/pictures?done=added", http.StatusOK)
	if got := doc.Find(".picture-item").Length(); got != 1 {
		t.Errorf("the picture page lists %d pictures, want 1", got)
	}
	if !strings.Contains(doc.Text(), "The picture was added.") {
		t.Error("the picture page does not say the picture was added")
	}

	img := listedPoster(t, s)
	if alt, _ := img.Attr("alt"); alt != "" {
		t.Errorf("a list poster beside its title has alt %q, want empty", alt)
	}
	if w, _ := img.Attr("width"); w != "160" {
		t.Errorf("list poster width = %s, want the 160 rendition for an 80 px box at 2x", w)
	}
	if l, _ := img.Attr("loading"); l != "lazy" {
		t.Errorf("list poster loading = %q, want lazy", l)
	}
	srcset, _ := img.Attr("srcset")
	candidates := strings.Split(srcset, ", ")
	if len(candidates) != 3 {
		t.Fatalf("srcset %q, want three renditions", srcset)
	}
	for i, c := range candidates {
		url, width, _ := strings.Cut(c, " ")
		if !strings.HasPrefix(url, "/images/") || !strings.HasSuffix(url, ".jpg") {
			t.Fatalf("rendition address %q", url)
		}
		want := []string{"160w", "320w", "640w"}[i]
		if width != want {
			t.Errorf("rendition %d is %s, want %s", i, width, want)
		}
		resp := s.do(t, http.MethodGet, url, nil)
		data := new(bytes.Buffer)
		data.ReadFrom(resp.Body)
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "image/jpeg" {
			t.Fatalf("GET %s = %d %s", url, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		for _, m := range []string{exifMarker, commentMarker, trailingMarker, "Exif"} {
			if bytes.Contains(data.Bytes(), []byte(m)) {
				t.Errorf("rendition %s carries %q from the upload", url, m)
			}
		}
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(data.Bytes()))
		if err != nil || cfg.Width != []int{160, 320, 640}[i] || cfg.Height != cfg.Width*3/2 {
			t.Errorf("rendition %s decodes as %+v, %v", url, cfg, err)
		}
		if resp.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" ||
			resp.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("rendition headers: %v", resp.Header)
		}
		etag := resp.Header.Get("ETag")
		if !strings.HasPrefix(etag, `"`) || strings.HasPrefix(etag, "W/") {
			t.Errorf("ETag %q is not strong", etag)
		}
		if r := s.do(t, http.MethodGet, url, http.Header{"If-None-Match": {etag}}); r.StatusCode != http.StatusNotModified {
			t.Errorf("conditional GET = %d, want 304", r.StatusCode)
		}
		head := s.do(t, http.MethodHead, url, nil)
		hb := new(bytes.Buffer)
		hb.ReadFrom(head.Body)
		if head.StatusCode != http.StatusOK || hb.Len() != 0 || head.Header.Get("Content-Length") != resp.Header.Get("Content-Length") {
			t.Errorf("HEAD = %d with %d bytes, length %s", head.StatusCode, hb.Len(), head.Header.Get("Content-Length"))
		}
	}
	for _, path := range []string{
		"/images/" + strings.Repeat("0", 64) + ".jpg",
		"/images/not-a-hash.jpg",
		strings.Replace(strings.Split(candidates[0], " ")[0], ".jpg", ".png", 1),
	} {
		if r := s.do(t, http.MethodGet, path, nil); r.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", path, r.StatusCode)
		}
	}

	// Text is editable, and removal brings the generated poster back.
	id := strings.TrimPrefix(doc.Find(".picture-item").AttrOr("id", ""), "picture-")
	resp, body = ed.do(t, http.MethodPost, "/admin/films/paris-2008/pictures/"+id,
		map[string][]string{"action": {"save"}, "alt": {"Poster: Paris by night"}, "caption": {""}, "credit": {"Studio"}}, nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save text = %d\n%s", resp.StatusCode, body)
	}
	p, err := s.db.FilmPage(t.Context(), film.FilmPageQuery{Slug: "paris-2008", Now: testNow})
	if err != nil || p.Poster.Alt != "Poster: Paris by night" || p.Poster.Credit != "Studio" {
		t.Errorf("after saving: %+v, %v", p.Poster.ImageText, err)
	}
	resp, _ = ed.do(t, http.MethodPost, "/admin/films/paris-2008/pictures/"+id, map[string][]string{"action": {"remove"}}, nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("remove = %d", resp.StatusCode)
	}
	if src, _ := listedPoster(t, s).Attr("src"); !strings.HasPrefix(src, "/posters/paris-2008/") {
		t.Errorf("after removal the index shows %q, want the generated poster", src)
	}
}

func TestPictureUploadRefusals(t *testing.T) {
	s := mustSite(t)
	ed := s.mustPictureEditor(t)
	const path = "/admin/films/paris-2008/pictures"
	svg := []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="400" height="600"><script>alert(1)</script></svg>`)
	truncated := jpegWithMetadata(t, 400, 600)
	truncated = truncated[:len(truncated)/2]

	for _, tc := range []struct {
		name, file, contentType string
		data                    []byte
		fields                  map[string]string
		status                  int
		message                 string
	}{
		{"svg named png", "poster.png", "image/png", svg, posterFields, http.StatusUnprocessableEntity, "SVG files are not accepted"},
		{"text", "poster.jpg", "image/jpeg", []byte("just some text, not a picture at all"), posterFields, http.StatusUnprocessableEntity, "not a JPEG, PNG or WebP"},
		{"bomb", "poster.png", "image/png", pngBomb(30000, 30000), posterFields, http.StatusUnprocessableEntity, "30000 × 30000 pixels"},
		{"too many pixels", "poster.png", "image/png", pngBomb(8000, 8000), posterFields, http.StatusUnprocessableEntity, "40 megapixels"},
		{"too small", "poster.png", "image/png", pngBytes(t, testPicture(100, 150, true)), posterFields, http.StatusUnprocessableEntity, "at least 160 pixels wide"},
		{"truncated", "poster.jpg", "image/jpeg", truncated, posterFields, http.StatusUnprocessableEntity, "could not be read to the end"},
		{"no alt", "poster.jpg", "image/jpeg", jpegWithMetadata(t, 400, 600), map[string]string{"role": "poster"}, http.StatusUnprocessableEntity, "is required"},
		{"portrait on a film", "poster.jpg", "image/jpeg", jpegWithMetadata(t, 400, 600), map[string]string{"role": "portrait", "alt": "x"}, http.StatusUnprocessableEntity, "Choose what the picture is"},
		{"no file", "", "", nil, posterFields, http.StatusUnprocessableEntity, "Choose a picture to upload"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := ed.upload(t, path, tc.fields, tc.file, tc.contentType, tc.data)
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d\n%s", resp.StatusCode, tc.status, body)
			}
			if !strings.Contains(body, tc.message) {
				t.Errorf("the page does not say %q", tc.message)
			}
			if tc.fields["alt"] != "" && !strings.Contains(body, `value="`+tc.fields["alt"]+`"`) {
				t.Error("the alt text typed was not kept")
			}
		})
	}
	if p, _ := s.db.FilmPage(t.Context(), film.FilmPageQuery{Slug: "paris-2008", Now: testNow}); !p.Poster.IsZero() {
		t.Fatalf("a refused upload was stored: %+v", p.Poster)
	}

	// A PNG sent with a JPEG's name and type is a PNG: judged by content.
	resp, body := ed.upload(t, path, posterFields, "poster.jpg", "image/jpeg", pngBytes(t, testPicture(400, 600, false)))
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("PNG named .jpg = %d\n%s", resp.StatusCode, body)
	}
	p, _ := s.db.FilmPage(t.Context(), film.FilmPageQuery{Slug: "paris-2008", Now: testNow})
	if p.Poster.Largest().Format != film.FormatPNG || p.Poster.Largest().Width != 400 {
		t.Errorf("a transparent PNG became %+v, want a 400-pixel PNG (never scaled up, transparency kept)", p.Poster.Largest())
	}

	// WebP is read and kept as JPEG, since nothing here writes WebP.
	resp, body = ed.upload(t, path, map[string]string{"role": "still", "alt": "A still"}, "still.webp", "image/webp", solidWebP(600, 400, 200, 40, 90))
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("WebP still = %d\n%s", resp.StatusCode, body)
	}
	p, _ = s.db.FilmPage(t.Context(), film.FilmPageQuery{Slug: "paris-2008", Now: testNow})
	if len(p.Stills) != 1 || p.Stills[0].Largest().Format != film.FormatJPEG || p.Stills[0].Largest().Width != 600 {
		t.Errorf("a WebP still became %+v", p.Stills)
	}

	// Too many bytes: 413 before the file is read whole.
	big := make([]byte, film.MaxImageBytes+1<<20)
	resp, body = ed.upload(t, path, posterFields, "huge.jpg", "image/jpeg", big)
	if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(body, "larger than 15 MB") {
		t.Errorf("oversized upload = %d\n%.300s", resp.StatusCode, body)
	}

	// Only editors upload.
	s.mustAccount(t, "writer@example.com", film.RoleContributor)
	writer := s.newBrowser("192.0.2.11")
	writer.mustSignIn(t, "writer@example.com")
	if resp, _ := writer.upload(t, path, posterFields, "poster.jpg", "image/jpeg", jpegWithMetadata(t, 400, 600)); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a contributor's upload = %d, want 403", resp.StatusCode)
	}
	anon := s.newBrowser("192.0.2.12")
	if resp, _ := anon.upload(t, path, posterFields, "poster.jpg", "image/jpeg", jpegWithMetadata(t, 400, 600)); resp.StatusCode != http.StatusSeeOther ||
		!strings.HasPrefix(resp.Header.Get("Location"), "/admin/signin") {
		t.Errorf("an anonymous upload = %d to %q, want the sign-in page", resp.StatusCode, resp.Header.Get("Location"))
	}
	if resp, _ := ed.upload(t, "/admin/films/no-such-film/pictures", posterFields, "poster.jpg", "image/jpeg", jpegWithMetadata(t, 400, 600)); resp.StatusCode != http.StatusNotFound {
		t.Errorf("upload to an unknown film = %d, want 404", resp.StatusCode)
	}
}

func TestGeneratedPosters(t *testing.T) {
	s := mustSite(t)
	src, _ := listedPoster(t, s).Attr("src")
	if !strings.HasPrefix(src, "/posters/paris-2008/") || !strings.HasSuffix(src, "-160.png") {
		t.Fatalf("the seed film's poster is %q, want a generated one", src)
	}
	resp := s.do(t, http.MethodGet, src, nil)
	data := new(bytes.Buffer)
	data.ReadFrom(resp.Body)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "image/png" ||
		resp.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" {
		t.Fatalf("GET %s = %d %v", src, resp.StatusCode, resp.Header)
	}
	img, err := png.Decode(bytes.NewReader(data.Bytes()))
	if err != nil || img.Bounds().Dx() != 160 || img.Bounds().Dy() != 240 {
		t.Fatalf("generated poster decodes as %v, %v", img.Bounds(), err)
	}
	if c := colourCount(img); c < 3 {
		t.Errorf("the generated poster has %d colours: a blank box", c)
	}
	if r := s.do(t, http.MethodGet, strings.Replace(src, "-160.png", "-161.png", 1), nil); r.StatusCode != http.StatusNotFound {
		t.Errorf("a width not drawn = %d, want 404", r.StatusCode)
	}

	// Another film gets another poster; a changed title, a new address,
	// and the old one redirects to it.
	ctx := t.Context()
	other := film.Film{Slug: "chacun-cherche-son-chat-1996", Title: "Chacun cherche son chat", Year: 1996}
	ed := s.mustAccount(t, "editor@example.com", film.RoleEditor)
	if _, err := s.db.CreateFilm(ctx, other, ed, testNow); err != nil {
		t.Fatal(err)
	}
	doc, _ := s.mustPage(t, "/search?q=chacun", http.StatusOK)
	otherSrc := doc.Find(".search-hit img.picture").AttrOr("src", "")
	if !strings.HasPrefix(otherSrc, "/posters/chacun-cherche-son-chat-1996/") {
		t.Fatalf("search shows poster %q", otherSrc)
	}
	r2 := s.do(t, http.MethodGet, otherSrc, nil)
	other2 := new(bytes.Buffer)
	other2.ReadFrom(r2.Body)
	if bytes.Equal(other2.Bytes(), data.Bytes()) || r2.Header.Get("ETag") == resp.Header.Get("ETag") {
		t.Error("two films have the same generated poster")
	}
	f, version, err := s.db.FindFilmForEdit(ctx, other.Slug)
	if err != nil {
		t.Fatal(err)
	}
	f.Title = "When the Cat's Away"
	if err := s.db.UpdateFilm(ctx, other.Slug, version, f, ed, testNow); err != nil {
		t.Fatal(err)
	}
	doc, _ = s.mustPage(t, "/search?q=cat", http.StatusOK)
	newSrc := doc.Find(".search-hit img.picture").AttrOr("src", "")
	if newSrc == otherSrc || !strings.HasPrefix(newSrc, "/posters/chacun-cherche-son-chat-1996/") {
		t.Errorf("after the title changed the poster is %q (was %q)", newSrc, otherSrc)
	}
	if r := s.do(t, http.MethodGet, otherSrc, nil); r.StatusCode != http.StatusMovedPermanently || r.Header.Get("Location") != newSrc {
		t.Errorf("the old poster address = %d to %q, want 301 to %q", r.StatusCode, r.Header.Get("Location"), newSrc)
	}
}

// colourCount counts the distinct colours of img, up to 10.
func colourCount(img image.Image) int {
	seen := map[color.RGBA]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y && len(seen) < 10; y += 3 {
		for x := b.Min.X; x < b.Max.X; x += 3 {
			seen[color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)] = true
		}
	}
	return len(seen)
}

func TestUploadChangesCachedPagesAtOnce(t *testing.T) {
	s := mustSiteWith(t, web.Config{PageCacheBytes: 8 << 20})
	ed := s.mustPictureEditor(t)
	for range 2 {
		if src, _ := listedPoster(t, s).Attr("src"); !strings.HasPrefix(src, "/posters/") {
			t.Fatalf("before the upload the index shows %q", src)
		}
	}
	resp, body := ed.upload(t, "/admin/films/paris-2008/pictures", posterFields, "poster.jpg", "image/jpeg", jpegWithMetadata(t, 800, 1200))
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload = %d\n%s", resp.StatusCode, body)
	}
	if src, _ := listedPoster(t, s).Attr("src"); !strings.HasPrefix(src, "/images/") {
		t.Errorf("the next request for the index shows %q, want the uploaded poster", src)
	}
	home, _ := s.mustPage(t, "/", http.StatusOK)
	if src := home.Find(".review-card img.picture").AttrOr("src", ""); !strings.HasPrefix(src, "/images/") {
		t.Errorf("the home page shows %q, want the uploaded poster", src)
	}
}

func TestPortraitUpload(t *testing.T) {
	s := mustSite(t)
	ed := s.mustPictureEditor(t)
	doc := ed.page(t, "/admin/people/cedric-klapisch/pictures", http.StatusOK)
	if doc.Find(`input[type=hidden][name=role][value=portrait]`).Length() != 1 {
		t.Fatal("the person's picture page does not upload portraits")
	}
	resp, body := ed.upload(t, "/admin/people/cedric-klapisch/pictures",
		map[string]string{"role": "portrait", "alt": "Cédric Klapisch in 2008"}, "me.jpg", "image/jpeg", jpegWithMetadata(t, 600, 600))
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("portrait upload = %d\n%s", resp.StatusCode, body)
	}
	p, err := s.db.PersonPage(t.Context(), "cedric-klapisch", testNow, 0)
	if err != nil || len(p.Portrait.Renditions) != 3 || p.Portrait.Largest().Width != 480 {
		t.Errorf("stored portrait: %+v, %v", p.Portrait, err)
	}
}

// BenchmarkServeImage serves a poster rendition from the store (no page
// cache) and through the page cache.
func BenchmarkServeImage(b *testing.B) {
	for _, tc := range []struct {
		name  string
		cache int64
	}{{"store", 0}, {"page-cache", 8 << 20}} {
		b.Run(tc.name, func(b *testing.B) {
			s := mustSiteWith(b, web.Config{PageCacheBytes: tc.cache})
			ed := s.mustPictureEditor(b)
			if resp, body := ed.upload(b, "/admin/films/paris-2008/pictures", posterFields, "p.jpg", "image/jpeg", jpegWithMetadata(b, 800, 1200)); resp.StatusCode != http.StatusSeeOther {
				b.Fatalf("upload = %d\n%s", resp.StatusCode, body)
			}
			doc, _ := s.mustPage(b, "/films", http.StatusOK)
			src := doc.Find(".film-row img.picture").AttrOr("src", "")
			b.ResetTimer()
			for b.Loop() {
				rec := httptest.NewRecorder()
				s.handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, src, nil))
				if rec.Code != http.StatusOK {
					b.Fatal(rec.Code)
				}
			}
		})
	}
}

// BenchmarkFilmIndexWithNewPosters is a first view of the film index when
// none of its 24 films has a poster drawn yet: the page, then each
// generated poster it names, as a browser asks for them.
func BenchmarkFilmIndexWithNewPosters(b *testing.B) {
	s := mustSite(b)
	ctx := b.Context()
	ed := s.mustAccount(b, "editor@example.com", film.RoleEditor)
	for i := range 23 {
		slug := "film-" + strings.Repeat("x", i%3) + string(rune('a'+i)) + "-2001"
		if _, err := s.db.CreateFilm(ctx, film.Film{Slug: slug, Title: "A film called " + slug, Year: 2001}, ed, testNow); err != nil {
			b.Fatal(err)
		}
	}
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		// Each round renames every film, so every poster is new to the
		// cache and is drawn again.
		for j := range 23 {
			slug := "film-" + strings.Repeat("x", j%3) + string(rune('a'+j)) + "-2001"
			f, version, err := s.db.FindFilmForEdit(ctx, slug)
			if err != nil {
				b.Fatal(err)
			}
			f.Title = "Round " + strconv.Itoa(i) + " " + slug
			if err := s.db.UpdateFilm(ctx, slug, version, f, ed, testNow); err != nil {
				b.Fatal(err)
			}
		}
		b.StartTimer()
		doc, _ := s.mustPage(b, "/films", http.StatusOK)
		n := 0
		doc.Find(".film-row img.picture").Each(func(_ int, img *goquery.Selection) {
			rec := httptest.NewRecorder()
			s.handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, img.AttrOr("src", ""), nil))
			if rec.Code != http.StatusOK {
				b.Fatalf("%s = %d", img.AttrOr("src", ""), rec.Code)
			}
			n++
		})
		if n != 24 {
			b.Fatalf("%d posters on the index, want 24", n)
		}
	}
}

// TestShareCardShowsTheUploadedPoster: once a film has a poster, its share
// card (og:image) is another image, drawn with the poster in its panel.
func TestShareCardShowsTheUploadedPoster(t *testing.T) {
	s := mustSite(t)
	ed := s.mustPictureEditor(t)
	card := func() (string, []byte) {
		t.Helper()
		doc, _ := s.mustPage(t, "/films/paris-2008", http.StatusOK)
		u := doc.Find(`meta[property="og:image"]`).AttrOr("content", "")
		path := u[strings.Index(u, "/cards/"):]
		resp := s.do(t, http.MethodGet, path, nil)
		body := new(bytes.Buffer)
		body.ReadFrom(resp.Body)
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "image/png" {
			t.Fatalf("GET %s = %d %s", path, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		return path, body.Bytes()
	}
	before, plain := card()
	// A bright poster, so the panel is easy to find on the dark card.
	bright := image.NewRGBA(image.Rect(0, 0, 640, 960))
	for y := range 960 {
		for x := range 640 {
			bright.Set(x, y, color.RGBA{250, 220, 40, 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, bright, nil); err != nil {
		t.Fatal(err)
	}
	if resp, body := ed.upload(t, "/admin/films/paris-2008/pictures", posterFields, "p.jpg", "image/jpeg", buf.Bytes()); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload = %d\n%s", resp.StatusCode, body)
	}
	after, withPoster := card()
	if after == before || bytes.Equal(plain, withPoster) {
		t.Fatal("the share card did not change with the poster")
	}
	img, err := png.Decode(bytes.NewReader(withPoster))
	if err != nil {
		t.Fatal(err)
	}
	// The panel sits at the right of the card's inner area.
	if r, g, b, _ := img.At(1000, 315).RGBA(); r>>8 < 200 || g>>8 < 180 || b>>8 > 120 {
		t.Errorf("the card's poster panel is %v, want the poster's yellow", img.At(1000, 315))
	}
}
