package main

// TestScreenshots photographs the seeded site in a real Chromium, so that
// anyone can look at the pages on a phone and on a desktop without running
// the site by hand. It runs only when MARQUEE_SCREENSHOTS names a folder
// (`make screenshots` sets it to screenshots/, which git ignores); the
// ordinary test run skips it.

import (
	"context"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"marquee/internal/browsertest"
	"marquee/internal/paths"
)

// screenshotPage is one page of the seeded site to photograph.
type screenshotPage struct {
	name string // name starts the file names: film-375.png.
	path string
}

// screenshotWidths are the viewport widths photographed: a small phone and
// a laptop. The heights are those of the first screen; the pictures show
// the whole page.
var screenshotWidths = []struct{ width, height int64 }{{375, 667}, {1280, 800}}

func TestScreenshots(t *testing.T) {
	dir := os.Getenv("MARQUEE_SCREENSHOTS")
	if dir == "" {
		t.Skip("set MARQUEE_SCREENSHOTS to a folder (make screenshots does) to photograph the site")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	pages := []screenshotPage{
		{"home", paths.Home()},
		{"film", paths.Film("paris-2008")},
		{"person", paths.Person("cedric-klapisch")},
		{"critic-review", paths.CriticReview("paris-2008-review")},
		{"reader-reviews", paths.FilmReviews("paris-2008")},
		{"films", paths.Films(nil)},
	}
	s := mustStartServer(t)
	ctx := browsertest.New(t)

	var index strings.Builder
	index.WriteString("<!doctype html><html lang=en><meta charset=utf-8><title>Marquee screenshots</title>\n" +
		"<style>body{font-family:sans-serif;margin:1rem}figure{display:inline-block;vertical-align:top;margin:0 1rem 2rem 0}img{border:1px solid #ccc;max-width:100%}</style>\n" +
		"<h1>Marquee, as seeded</h1>\n")
	for _, p := range pages {
		fmt.Fprintf(&index, "<h2>%s</h2>\n", html.EscapeString(p.path))
		for _, w := range screenshotWidths {
			for _, dark := range []bool{false, true} {
				if dark && w.width != 375 {
					continue // Dark mode once, on the phone.
				}
				name := fmt.Sprintf("%s-%d", p.name, w.width)
				if dark {
					name += "-dark"
				}
				png, height := screenshot(t, ctx, s.URL+p.path, w.width, w.height, dark)
				file := name + ".png"
				if err := os.WriteFile(filepath.Join(dir, file), png, 0o644); err != nil {
					t.Fatal(err)
				}
				t.Logf("%-22s %s: %d px tall", file, p.path, height)
				fmt.Fprintf(&index, "<figure><img src=%q alt=%q loading=lazy width=%d><figcaption>%s, %d px wide, %d px tall</figcaption></figure>\n",
					file, p.path+" at "+fmt.Sprint(w.width)+" px", min(w.width, 640), html.EscapeString(name), w.width, height)
			}
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "index.html"), []byte(index.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshots in %s (open index.html)", dir)
}

// screenshot loads url in a viewport width×height wide, in dark mode when
// dark is set, and returns a PNG of the whole page and the page's height.
func screenshot(t *testing.T, ctx context.Context, url string, width, height int64, dark bool) ([]byte, int64) {
	t.Helper()
	scheme := "light"
	if dark {
		scheme = "dark"
	}
	// A phone-sized viewport is emulated as a phone (touch, overlay
	// scrollbars), so the page is laid out at its full width.
	var opts []chromedp.EmulateViewportOption
	if width < 600 {
		opts = append(opts, chromedp.EmulateMobile, chromedp.EmulateTouch)
	}
	if err := chromedp.Do(ctx,
		chromedp.EmulateViewport(width, height, opts...),
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
				Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
			})
			return err
		}),
		chromedp.Navigate(url),
		chromedp.WaitReady(chromedp.CSS("body")),
	); err != nil {
		t.Fatalf("load %s at %d px: %v", url, width, err)
	}
	// Wait for lazy pictures above the fold and web fonts, so the picture
	// shows the page as a reader sees it once it has settled.
	pageHeight, err := chromedp.Run(ctx, chromedp.Evaluate[int64](`document.fonts.ready.then(() =>
		Promise.all([...document.images].filter(i => !i.complete).map(i => new Promise(r => { i.onload = i.onerror = r; setTimeout(r, 2000); })))
	).then(() => document.documentElement.scrollHeight)`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("measure %s: %v", url, err)
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("photograph %s: %v", url, err)
	}
	return png, pageHeight
}
