package main

// Browser test of pictures: an editor uploads a poster through the desk's
// picture page and sees it on the film page, and an SVG (named .png) is
// refused with the reason shown. It runs the real program and a real
// Chromium (internal/browsertest), or skips when Chromium is missing.

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"

	"marquee/internal/browsertest"
)

func TestEditorUploadsPosterInBrowser(t *testing.T) {
	s := mustStartServer(t)
	const password = "a long and unguessable phrase"
	if out, errOut, err := runUserCommand(t, s.DBPath, password+"\n", "add", "-email", "ed@example.com", "-name", "Ed Itor", "-role", "editor"); err != nil {
		t.Fatalf("user add: %v\n%s%s", err, out, errOut)
	}
	dir := t.TempDir()
	poster := filepath.Join(dir, "paris-poster.jpg")
	img := image.NewRGBA(image.Rect(0, 0, 600, 900))
	for y := range 900 {
		for x := range 600 {
			img.Set(x, y, color.RGBA{uint8(40 + x/5), uint8(30 + y/8), 110, 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, nil); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(poster, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	svg := filepath.Join(dir, "innocent.png")
	if err := os.WriteFile(svg, []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="600" height="900"><script>alert(1)</script></svg>`), 0o644); err != nil {
		t.Fatal(err)
	}

	ctx := browsertest.New(t)
	do := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("%s: %v (at %s)", what, err, location(t, ctx))
		}
	}
	waitFor := func(what, predicate string) {
		t.Helper()
		waitInPage(t, ctx, what, predicate)
	}

	do("open the film's picture page", chromedp.EmulateViewport(1280, 900), chromedp.Navigate(s.URL+"/admin/films/paris-2008/pictures"))
	waitFor("the sign-in page is shown", `document.querySelector('h1')?.textContent.trim() === 'Sign in'`)
	do("sign in",
		chromedp.SendKeys(chromedp.CSS("#signin-email"), "ed@example.com"),
		chromedp.SendKeys(chromedp.CSS("#signin-password"), password),
		chromedp.Click(chromedp.CSS(".signin-form button[type=submit]")),
	)
	waitFor("the picture page is shown", `document.querySelector('h1')?.textContent.trim() === 'Pictures of Paris (2008)'`)

	// An SVG with a PNG's name is refused, and the page says why.
	do("choose the SVG", chromedp.SetUploadFiles(chromedp.CSS("#picture-file"), []string{svg}))
	do("describe it", chromedp.SendKeys(chromedp.CSS("#picture-alt"), "Poster: a trick"))
	do("upload it", chromedp.Click(chromedp.CSS(".picture-upload button[type=submit]")))
	waitFor("the refusal is shown", `document.querySelector('#picture-refusal')?.textContent.includes('SVG files are not accepted')`)
	waitFor("the alt text typed is kept", `document.querySelector('#picture-alt')?.value === 'Poster: a trick'`)

	// A real poster is taken, and shown on the film page.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(document.querySelector('#picture-alt').value = '') === ''`)); err != nil {
		t.Fatalf("clear the alt text: %v", err)
	}
	do("choose the poster", chromedp.SetUploadFiles(chromedp.CSS("#picture-file"), []string{poster}))
	do("describe it", chromedp.SendKeys(chromedp.CSS("#picture-alt"), "Poster: rooftops at dusk"),
		chromedp.SendKeys(chromedp.CSS("#picture-credit"), "Made for this test"))
	do("upload it", chromedp.Click(chromedp.CSS(".picture-upload button[type=submit]")))
	waitFor("the desk says the picture was added", `document.querySelector('.flash')?.textContent.includes('The picture was added.')`)
	waitFor("the picture is listed", `document.querySelectorAll('.picture-item').length === 1`)

	do("open the film page", chromedp.Navigate(s.URL+"/films/paris-2008"))
	loaded := `(() => { const i = document.querySelector('img[src^="/images/"]'); return !!i && i.complete && i.naturalWidth > 0 && i.alt === ` +
		strconv.Quote("Poster: rooftops at dusk") + ` })()`
	waitFor("the uploaded poster is on the film page and has loaded", loaded)
	do("open the film index", chromedp.Navigate(s.URL+"/films"))
	waitFor("the film index shows the uploaded poster",
		`(() => { const i = document.querySelector('.film-row img.picture'); return !!i && i.getAttribute('src').startsWith('/images/') && i.complete && i.naturalWidth > 0 })()`)

	// The desk's picture pages, with a picture stored and without, pass
	// axe at both widths and do not scroll sideways on a phone.
	t.Run("axe", func(t *testing.T) {
		for _, page := range []string{"/admin/films/paris-2008/pictures", "/admin/people/cedric-klapisch/pictures"} {
			for _, width := range []int64{1280, 390} {
				opts := []chromedp.EmulateViewportOption{chromedp.EmulateLandscape}
				if width < 500 {
					opts = []chromedp.EmulateViewportOption{chromedp.EmulatePortrait, chromedp.EmulateMobile, chromedp.EmulateTouch}
				}
				do("set the viewport", chromedp.EmulateViewport(width, 844, opts...))
				for _, v := range browsertest.Axe(t, ctx, s.URL+page) {
					t.Errorf("%s at %d px: %s", page, width, v)
				}
				if width == 390 {
					checkNoHorizontalScroll(t, ctx, page, width)
				}
			}
		}
	})
}
