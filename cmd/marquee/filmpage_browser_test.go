package main

// Browser tests of the film page on a phone and of the review body's drop
// cap: what a reader sees at 375×667 without scrolling, and a style that
// only a real layout engine computes.

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"marquee/internal/browsertest"
	"marquee/internal/film"
	"marquee/internal/sqlite"
)

// box is an element's place on screen, as getBoundingClientRect gives it,
// and whether a tap at its centre reaches it.
type box struct {
	Found  bool    `json:"found"`
	Top    float64 `json:"top"`
	Left   float64 `json:"left"`
	Bottom float64 `json:"bottom"`
	Right  float64 `json:"right"`
	OnTop  bool    `json:"onTop"`
	Text   string  `json:"text"`
}

// firstScreen is what a phone shows of the film page before any scrolling.
type firstScreen struct {
	Rate        box     `json:"rate"`
	Review      box     `json:"review"`
	Poster      box     `json:"poster"`
	Title       box     `json:"title"`
	Readers     box     `json:"readers"`
	Critics     box     `json:"critics"`
	PosterSized bool    `json:"posterSized"` // PosterSized: the poster's img has width and height attributes.
	PosterEager bool    `json:"posterEager"` // PosterEager: it is not lazy-loaded.
	Height      float64 `json:"height"`      // Height is the document's height in CSS pixels.
	ViewportW   float64 `json:"viewportW"`
	ViewportH   float64 `json:"viewportH"`
}

// firstScreenScript measures the film page's header elements.
const firstScreenScript = `(() => {
	const measure = sel => {
		const el = document.querySelector(sel);
		if (!el) return {found: false};
		const r = el.getBoundingClientRect();
		const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
		return {found: true, top: r.top, left: r.left, bottom: r.bottom, right: r.right,
			onTop: !!hit && (hit === el || el.contains(hit)), text: el.textContent.replace(/\s+/g, ' ').trim()};
	};
	const img = document.querySelector('.film-header .film-poster img');
	return {
		rate: measure('.film-header #action-rate'),
		review: measure('.film-header #action-review'),
		poster: measure('.film-header .film-poster img'),
		title: measure('.film-header h1'),
		readers: measure('.film-header .readers-score'),
		critics: measure('.film-header .critics-verdict'),
		posterSized: !!img && img.hasAttribute('width') && img.hasAttribute('height'),
		posterEager: !!img && img.getAttribute('loading') !== 'lazy',
		height: document.documentElement.scrollHeight,
		viewportW: window.innerWidth, viewportH: window.innerHeight,
	};
})()`

// inViewport reports whether b lies wholly inside a w×h viewport.
func inViewport(b box, w, h float64) bool {
	return b.Found && b.Top >= 0 && b.Left >= 0 && b.Bottom <= h && b.Right <= w
}

// TestFilmPageFirstScreenOnAPhone loads the film page at 375×667 and checks
// that the poster, title, scores and the reader's Rate and Write a review
// actions are on the first screen, that the actions can be tapped, and
// that nothing makes the page scroll sideways. It logs the page's height.
func TestFilmPageFirstScreenOnAPhone(t *testing.T) {
	s := mustStartServer(t)
	ctx := browsertest.New(t) // After the server, as in TestPagesPassAxe.
	const width, height = 375, 667
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, height, chromedp.EmulatePortrait, chromedp.EmulateMobile, chromedp.EmulateTouch)); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/films/paris-2008", "/people/juliette-binoche", "/people/cedric-klapisch"} {
		if err := chromedp.Do(ctx, chromedp.Navigate(s.URL+path)); err != nil {
			t.Fatalf("open %s: %v", path, err)
		}
		checkNoHorizontalScroll(t, ctx, path, width)
	}

	if err := chromedp.Do(ctx, chromedp.Navigate(s.URL+"/films/paris-2008")); err != nil {
		t.Fatal(err)
	}
	// The poster is eager, so the load event waits for it; wait for its
	// box to be laid out all the same.
	if err := browsertest.Poll(ctx, `(() => { const i = document.querySelector('.film-header .film-poster img'); return !!i && i.complete; })()`,
		10*time.Second); err != nil {
		t.Fatalf("the header's poster never loaded: %v", err)
	}
	fs, err := chromedp.Run(ctx, chromedp.Evaluate[firstScreen](firstScreenScript))
	if err != nil {
		t.Fatal(err)
	}
	if fs.ViewportW != width || fs.ViewportH != height {
		t.Fatalf("viewport is %v×%v, want %d×%d", fs.ViewportW, fs.ViewportH, width, height)
	}
	for name, b := range map[string]box{"Rate": fs.Rate, "Write a review": fs.Review, "poster": fs.Poster, "title": fs.Title,
		"readers' average": fs.Readers, "critics' verdict": fs.Critics} {
		if !inViewport(b, width, height) {
			t.Errorf("%s is not on the first screen at %d×%d: %+v", name, width, height, b)
		}
	}
	for name, b := range map[string]box{"Rate": fs.Rate, "Write a review": fs.Review} {
		if !b.OnTop {
			t.Errorf("a tap on %s does not reach it: %+v", name, b)
		}
	}
	if fs.Rate.Text != "Rate" || fs.Review.Text != "Write a review" {
		t.Errorf("actions read %q and %q", fs.Rate.Text, fs.Review.Text)
	}
	if !fs.PosterSized || !fs.PosterEager {
		t.Errorf("the header's poster has width and height: %v, loads at once: %v", fs.PosterSized, fs.PosterEager)
	}
	t.Logf("film page at %d×%d: %.0f px tall; Rate at %.0f–%.0f px, Write a review at %.0f–%.0f px from the top",
		width, height, fs.Height, fs.Rate.Top, fs.Rate.Bottom, fs.Review.Top, fs.Review.Bottom)

	// Rate takes the reader to the rating form, without a script.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#action-rate"))); err != nil {
		t.Fatal(err)
	}
	if err := browsertest.Poll(ctx, `(() => {
		const f = document.querySelector('#rate form.rate');
		if (!f || location.hash !== '#rate') return false;
		const r = f.getBoundingClientRect();
		return r.top >= 0 && r.top < window.innerHeight;
	})()`, 5*time.Second); err != nil {
		t.Errorf("Rate does not bring the rating form into view: %v", err)
	}
}

// dropCaps is the ::first-letter style of the review body's own first
// paragraph and of the first paragraphs inside a block quote, a spoiler
// block and the footnotes.
type dropCaps struct {
	Body      letterStyle `json:"body"`
	Quote     letterStyle `json:"quote"`
	Spoiler   letterStyle `json:"spoiler"`
	Footnote  letterStyle `json:"footnote"`
	Paragraph letterStyle `json:"paragraph"` // Paragraph is the body's own second paragraph.
}

// letterStyle is a ::first-letter's computed float and font size, and the
// paragraph's own font size to compare it with.
type letterStyle struct {
	Found     bool   `json:"found"`
	Float     string `json:"float"`
	FontSize  string `json:"fontSize"`
	Paragraph string `json:"paragraphFontSize"`
	Text      string `json:"text"`
}

// String formats a style for a failure message.
func (l letterStyle) String() string {
	return fmt.Sprintf("float %s, first letter %s on a %s paragraph (%q)", l.Float, l.FontSize, l.Paragraph, l.Text)
}

const dropCapScript = `(() => {
	const style = p => {
		if (!p) return {found: false};
		const fl = getComputedStyle(p, '::first-letter');
		return {found: true, float: fl.cssFloat || fl.float, fontSize: fl.fontSize,
			paragraphFontSize: getComputedStyle(p).fontSize, text: p.textContent.trim().slice(0, 40)};
	};
	const body = document.querySelector('.critic-review .review-body');
	return {
		body: style(body && body.querySelector(':scope > p')),
		paragraph: style(body && body.querySelectorAll(':scope > p')[1]),
		quote: style(body && body.querySelector('blockquote > p')),
		spoiler: style(body && body.querySelector('details.spoiler p, .spoiler p')),
		footnote: style(body && body.querySelector('.footnotes p')),
	};
})()`

// TestDropCapOnlyOnTheReviewsFirstParagraph opens a critic review whose
// body holds a block quote, a spoiler block and a footnote, each starting
// with a paragraph, and checks with the browser's computed styles that
// only the body's own first paragraph gets the drop cap ("G ive chance a
// chance" was the quote's first paragraph getting one too).
func TestDropCapOnlyOnTheReviewsFirstParagraph(t *testing.T) {
	s := mustStartServer(t)
	ctx := browsertest.New(t)
	mustAddCriticReview(t, s.DBPath, film.CriticReview{
		Slug: "paris-quoted", FilmSlug: "paris-2008", Headline: "Paris, quoted", Author: "Ann Critic",
		Body: "Opening words of the review.\n\nA second paragraph.[^1]\n\n" +
			"> Give chance a chance. I believe in you!\n\n" +
			"::: spoiler\nSpoiled words.\n:::\n\n" +
			"[^1]: Footnote words.\n",
		Status: film.ReviewPublished, PublishedAt: time.Now().Add(-time.Hour).UTC().Truncate(time.Second),
	})
	if err := chromedp.Do(ctx, chromedp.Navigate(s.URL+"/reviews/paris-quoted")); err != nil {
		t.Fatal(err)
	}
	dc, err := chromedp.Run(ctx, chromedp.Evaluate[dropCaps](dropCapScript))
	if err != nil {
		t.Fatal(err)
	}
	if !dc.Body.Found || dc.Body.Float != "left" || dc.Body.FontSize == dc.Body.Paragraph {
		t.Errorf("the body's first paragraph has no drop cap: %s", dc.Body)
	}
	for name, l := range map[string]letterStyle{"block quote": dc.Quote, "spoiler block": dc.Spoiler, "footnote": dc.Footnote, "second paragraph": dc.Paragraph} {
		if !l.Found {
			t.Errorf("the review has no %s paragraph to check", name)
			continue
		}
		if l.Float != "none" || l.FontSize != l.Paragraph {
			t.Errorf("the %s's first paragraph has a drop cap: %s", name, l)
		}
	}
}

// mustAddCriticReview stores a critic review in the running server's
// database, as an import would.
func mustAddCriticReview(tb testing.TB, dbPath string, r film.CriticReview) {
	tb.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, dbPath)
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	if _, err := db.ImportWith(ctx, film.Catalog{CriticReviews: []film.CriticReview{r}}, film.ImportOptions{}); err != nil {
		tb.Fatal(err)
	}
}

// TestPersonPageWithDetailsOnAPhone gives a seeded person every detail a
// person page shows (a long biography with Markdown, partial dates, long
// places, other names) and checks the page at 375 px: no sideways
// scrolling, and no WCAG 2.2 A or AA violation axe-core can find.
func TestPersonPageWithDetailsOnAPhone(t *testing.T) {
	browsertest.RequireAxe(t)
	s := mustStartServer(t)
	ctx := browsertest.New(t)
	ctxDB := context.Background()
	db, err := sqlite.Open(ctxDB, s.DBPath)
	if err != nil {
		t.Fatal(err)
	}
	p, err := db.FindPersonForEdit(ctxDB, "juliette-binoche")
	if err != nil {
		t.Fatal(err)
	}
	p.Biography = "An actor of *stage* and screen, with [a page elsewhere](https://example.org/a-very-long-address-that-goes-on-and-on-without-a-break).\n\n" +
		"> A quoted line about her work.\n\n- one\n- two"
	p.BirthDate, p.BirthPlace = "1964-03", "Paris, Île-de-France, France, somewhere with a long name that wraps"
	p.DeathDate, p.DeathPlace = "2099", "Supercalifragilisticexpialidociously-named-town"
	p.AlsoKnownAs = []string{"J. Binoche", "Juliette Binoche-Stalens"}
	_, err = db.ImportWith(ctxDB, film.Catalog{People: []film.Person{p}}, film.ImportOptions{UpdateExisting: true})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	const width, height = 375, 667
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, height, chromedp.EmulatePortrait, chromedp.EmulateMobile, chromedp.EmulateTouch)); err != nil {
		t.Fatal(err)
	}
	const path = "/people/juliette-binoche"
	for _, v := range browsertest.Axe(t, ctx, s.URL+path) {
		t.Errorf("%s at %dx%d: %s", path, width, height, v)
	}
	checkNoHorizontalScroll(t, ctx, path, width)
	text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll('.person-facts dt')].map(dt => dt.textContent.trim() + ' ' + dt.nextElementSibling.textContent.replace(/\s+/g, ' ').trim()).join(' | ')`))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Born March 1964, Paris", "Died 2099, Supercal", "J. Binoche"} {
		if !strings.Contains(text, want) {
			t.Errorf("person facts %q lack %q", text, want)
		}
	}
}
