package web_test

import (
	"bytes"
	"image/png"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"marquee/internal/paths"
)

// staleCardHash is a hash no card has.
const staleCardHash = "0000000000000000"

// cardKinds are the seeded records with cards, by kind.
var cardKinds = []struct {
	name string
	url  func(slug, hash string) string
	slug string
}{
	{"film", paths.FilmCard, "paris-2008"},
	{"person", paths.PersonCard, "cedric-klapisch"},
	{"critic review", paths.CriticReviewCard, "paris-2008-review"},
}

// currentCard follows a stale card address to the current one, checking
// the redirect on the way.
func currentCard(t *testing.T, s *site, url func(slug, hash string) string, slug string) string {
	t.Helper()
	stale := url(slug, staleCardHash)
	resp := s.do(t, http.MethodGet, stale, nil)
	resp.Body.Close()
	if resp.StatusCode != http.StatusMovedPermanently {
		t.Fatalf("GET %s = %d, want 301", stale, resp.StatusCode)
	}
	if cc := resp.Header.Get("Cache-Control"); cc != "public, max-age=300" {
		t.Errorf("GET %s: Cache-Control %q, want a short public cache", stale, cc)
	}
	loc := resp.Header.Get("Location")
	pattern := "^" + strings.Replace(regexp.QuoteMeta(url(slug, "HASH")), "HASH", "[0-9a-f]{16}", 1) + "$"
	if !regexp.MustCompile(pattern).MatchString(loc) {
		t.Fatalf("GET %s redirects to %q, want %s", stale, loc, pattern)
	}
	return loc
}

func TestShareCards(t *testing.T) {
	s := mustSite(t)
	for _, k := range cardKinds {
		t.Run(k.name, func(t *testing.T) {
			card := currentCard(t, s, k.url, k.slug)

			resp := s.do(t, http.MethodGet, card, nil)
			body, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("GET %s = %d, want 200", card, resp.StatusCode)
			}
			h := resp.Header
			if ct := h.Get("Content-Type"); ct != "image/png" {
				t.Errorf("Content-Type %q, want image/png", ct)
			}
			if cc := h.Get("Cache-Control"); cc != "public, max-age=31536000, immutable" {
				t.Errorf("Cache-Control %q, want a year, immutable", cc)
			}
			etag := h.Get("ETag")
			if !regexp.MustCompile(`^"[0-9a-f]+"$`).MatchString(etag) {
				t.Errorf("ETag %q, want a strong tag", etag)
			}
			img, err := png.Decode(bytes.NewReader(body))
			if err != nil {
				t.Fatalf("the card is not a PNG: %v", err)
			}
			if b := img.Bounds(); b.Dx() != 1200 || b.Dy() != 630 {
				t.Errorf("the card is %v, want 1200×630", b)
			}

			// The same card again: the same bytes (now from the cache).
			again := s.do(t, http.MethodGet, card, nil)
			againBody, _ := io.ReadAll(again.Body)
			again.Body.Close()
			if !bytes.Equal(againBody, body) || again.Header.Get("ETag") != etag {
				t.Error("asked twice, the card differs")
			}

			head := s.do(t, http.MethodHead, card, nil)
			headBody, _ := io.ReadAll(head.Body)
			head.Body.Close()
			if head.StatusCode != http.StatusOK || len(headBody) != 0 || head.Header.Get("Content-Type") != "image/png" {
				t.Errorf("HEAD %s = %d with %d bytes, type %q; want 200, no body, image/png",
					card, head.StatusCode, len(headBody), head.Header.Get("Content-Type"))
			}

			cond := s.do(t, http.MethodGet, card, http.Header{"If-None-Match": {etag}})
			cond.Body.Close()
			if cond.StatusCode != http.StatusNotModified {
				t.Errorf("GET %s with If-None-Match = %d, want 304", card, cond.StatusCode)
			}

			for _, missing := range []string{k.url("no-such-record", staleCardHash), k.url("Not A Slug", staleCardHash)} {
				resp := s.do(t, http.MethodGet, missing, nil)
				resp.Body.Close()
				if resp.StatusCode != http.StatusNotFound {
					t.Errorf("GET %s = %d, want 404", missing, resp.StatusCode)
				}
			}
		})
	}
}

// TestFilmCardFollowsRatings: the first reader rating puts the readers'
// average on the film's card, so the card gets a new address and the old
// one redirects to it.
func TestFilmCardFollowsRatings(t *testing.T) {
	s := mustSite(t)
	before := currentCard(t, s, paths.FilmCard, "paris-2008")
	reader := s.newBrowser("198.51.100.7")
	if resp := reader.rate(t, "8"); resp.StatusCode >= 400 {
		t.Fatalf("rating the film: %d", resp.StatusCode)
	}
	after := currentCard(t, s, paths.FilmCard, "paris-2008")
	if after == before {
		t.Fatalf("the card is still %s after a rating", before)
	}
	resp := s.do(t, http.MethodGet, before, nil)
	resp.Body.Close()
	if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != after {
		t.Errorf("GET %s = %d to %q, want 301 to %s", before, resp.StatusCode, resp.Header.Get("Location"), after)
	}
}
