package export_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/jpeg"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"marquee/internal/export"
	"marquee/internal/film"
	"marquee/internal/picture"
	"marquee/internal/web"
	"marquee/static"
)

// TestExportCarriesEveryPicture exports a site where one film has an
// uploaded poster and another none (so it has a generated one), and
// checks that every picture a page names, in src or in srcset, is a file
// of the export with the served bytes.
func TestExportCarriesEveryPicture(t *testing.T) {
	ctx := context.Background()
	db := mustSeededDB(t)
	pic := image.NewRGBA(image.Rect(0, 0, 1000, 1500))
	for y := range 1500 {
		for x := range 1000 {
			pic.Set(x, y, color.RGBA{uint8(x), uint8(y), 90, 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, pic, nil); err != nil {
		t.Fatal(err)
	}
	r, err := picture.Prepare(buf.Bytes(), film.ImagePoster)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddImage(ctx, film.FilmImages("paris-2008"), film.NewImage{Role: film.ImagePoster, ImageText: film.ImageText{Alt: "A poster"}, Renditions: r},
		film.User{}, testNow); err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateFilm(ctx, film.Film{Slug: "le-peril-jeune-1994", Title: "Le Péril jeune", Year: 1994}, film.User{}, testNow); err != nil {
		t.Fatal(err)
	}
	base, err := web.ParseBaseURL("https://films.example")
	if err != nil {
		t.Fatal(err)
	}
	srv, err := web.New(ctx, web.Config{DB: db, Static: static.FS, Now: func() time.Time { return testNow }, BaseURL: base, Export: &web.ExportConfig{}})
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "site")
	if _, err := export.Export(ctx, srv.Handler(), export.Options{Out: out, Base: base}); err != nil {
		t.Fatal(err)
	}

	pictures := map[string]bool{}
	err = filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		raw, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		page, err := goquery.NewDocumentFromReader(bytes.NewReader(raw))
		if err != nil {
			return err
		}
		page.Find("img").Each(func(_ int, img *goquery.Selection) {
			pictures[img.AttrOr("src", "")] = true
			for _, c := range strings.Split(img.AttrOr("srcset", ""), ",") {
				if f := strings.Fields(c); len(f) > 0 {
					pictures[f[0]] = true
				}
			}
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var uploaded, generated int
	for p := range pictures {
		switch {
		case strings.HasPrefix(p, "/images/"):
			uploaded++
		case strings.HasPrefix(p, "/posters/"):
			generated++
		default:
			continue
		}
		got, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(export.FilePath(p))))
		if err != nil {
			t.Errorf("the export lacks %s: %v", p, err)
			continue
		}
		resp := httptestGet(t, srv, p)
		if !bytes.Equal(got, resp) {
			t.Errorf("%s: the exported file differs from the served picture", p)
		}
	}
	// The uploaded poster's three widths and the generated poster's three.
	if uploaded != 3 || generated != 3 {
		t.Errorf("pages name %d uploaded and %d generated pictures, want 3 and 3: %v", uploaded, generated, pictures)
	}
}

// httptestGet is the body the site serves at p.
func httptestGet(t *testing.T, srv *web.Server, p string) []byte {
	t.Helper()
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, p, nil))
	if rec.Code != http.StatusOK {
		t.Errorf("GET %s = %d", p, rec.Code)
	}
	return rec.Body.Bytes()
}
