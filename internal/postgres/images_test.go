package postgres

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"marquee/internal/film"
	"marquee/internal/sqlite"
)

// imageStore is what the pictures' test asks of both backends.
type imageStore interface {
	CreateUser(ctx context.Context, u film.User, passwordHash string, actor int64) (film.User, error)
	AddImage(ctx context.Context, owner film.ImageOwner, img film.NewImage, by film.User, now time.Time) (film.Image, error)
	UpdateImageText(ctx context.Context, owner film.ImageOwner, id int64, text film.ImageText, by film.User, now time.Time) error
	MoveImage(ctx context.Context, owner film.ImageOwner, id int64, delta int, by film.User, now time.Time) error
	RemoveImage(ctx context.Context, owner film.ImageOwner, id int64, by film.User, now time.Time) error
	OwnedImages(ctx context.Context, owner film.ImageOwner) (film.OwnedImages, error)
	FindRendition(ctx context.Context, hash string) (film.RenditionData, error)
	FilmPage(ctx context.Context, q film.FilmPageQuery) (film.FilmPage, error)
	PersonPage(ctx context.Context, slug string, now time.Time, reviewLimit int) (film.PersonPage, error)
	Dump(ctx context.Context, w film.CatalogWriter) error
}

var (
	_ imageStore = (*DB)(nil)
	_ imageStore = (*sqlite.DB)(nil)
)

// madeUpRenditions are renditions of a made-up picture, one per width.
func madeUpRenditions(seed string, widths ...int) []film.RenditionData {
	var out []film.RenditionData
	for _, w := range widths {
		b := []byte(seed + " at " + string(rune('0'+w%10)) + string(rune('a'+w/10%26)))
		sum := sha256.Sum256(b)
		out = append(out, film.RenditionData{
			Rendition: film.Rendition{Hash: hex.EncodeToString(sum[:]), Width: w, Height: w * 3 / 2, Format: film.FormatJPEG},
			Bytes:     b,
		})
	}
	return out
}

// imageStory attaches, describes, orders, replaces and removes pictures
// of a film and a person, and returns every answer, pages and dump
// included.
func imageStory(t *testing.T, s imageStore) []any {
	t.Helper()
	ctx := context.Background()
	var said []any
	say := func(v any, err error) {
		var p film.Problems
		switch {
		case errors.Is(err, film.ErrNotFound):
			said = append(said, "not found")
		case errors.As(err, &p):
			said = append(said, p)
		case err != nil:
			t.Fatalf("step %d: %v", len(said), err)
		default:
			said = append(said, v)
		}
	}
	at := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	ed, err := s.CreateUser(ctx, film.User{Email: "pictures@example.com", Name: "Pic", Role: film.RoleEditor, CreatedAt: at},
		"$argon2id$v=19$m=65536,t=1,p=4$c2FsdA$aGFzaA", 0)
	if err != nil {
		t.Fatal(err)
	}
	paris, binoche := film.FilmImages("paris-2008"), film.PersonImages("juliette-binoche")
	add := func(o film.ImageOwner, role film.ImageRole, seed string) film.Image {
		img, err := s.AddImage(ctx, o, film.NewImage{Role: role, ImageText: film.ImageText{Alt: "Alt of " + seed, Credit: "© " + seed},
			Renditions: madeUpRenditions(seed, 160, 320, 640)}, ed, at)
		say(img, err)
		return img
	}
	poster := add(paris, film.ImagePoster, "poster")
	stills := []film.Image{add(paris, film.ImageStill, "one"), add(paris, film.ImageStill, "two"), add(paris, film.ImageStill, "three")}
	add(binoche, film.ImagePortrait, "portrait")
	add(paris, film.ImagePortrait, "wrong")
	add(film.FilmImages("no-such-film"), film.ImagePoster, "nowhere")
	say(nil, s.MoveImage(ctx, paris, stills[2].ID, -2, ed, at.Add(time.Minute)))
	say(nil, s.MoveImage(ctx, paris, poster.ID, 1, ed, at.Add(time.Minute)))
	say(nil, s.UpdateImageText(ctx, paris, stills[0].ID, film.ImageText{Alt: "  A new alt  ", Caption: "Now captioned"}, ed, at.Add(2*time.Minute)))
	say(nil, s.RemoveImage(ctx, paris, stills[1].ID, ed, at.Add(3*time.Minute)))
	say(nil, s.RemoveImage(ctx, paris, 9999, ed, at.Add(3*time.Minute)))
	add(paris, film.ImagePoster, "second poster") // replaces the first
	say(s.OwnedImages(ctx, paris))
	say(s.OwnedImages(ctx, binoche))
	say(s.FindRendition(ctx, poster.Renditions[0].Hash)) // gone with the poster it was
	say(s.FindRendition(ctx, stills[0].Renditions[1].Hash))
	say(s.FindRendition(ctx, "not-a-hash"))
	p, err := s.FilmPage(ctx, film.FilmPageQuery{Slug: "paris-2008", Now: pagesNow, ReaderReviews: 1})
	say([]any{p.Poster, p.Stills, p.Portraits}, err)
	pp, err := s.PersonPage(ctx, "juliette-binoche", pagesNow, 3)
	say(pp, err)
	var dump film.Catalog
	say(dump.Images, s.Dump(ctx, &dump))
	return said
}

// TestImagesMatchSQLite tells the same pictures' story on both backends
// and compares every answer.
func TestImagesMatchSQLite(t *testing.T) {
	lite, pg := pageStores(t)
	want := imageStory(t, lite)
	got := imageStory(t, pg)
	if diff := cmp.Diff(want, got, sameImportTime); diff != "" {
		t.Errorf("the pictures' story differs between the backends (-SQLite +PostgreSQL):\n%s", diff)
	}
	var problems, notFound int
	for _, v := range got {
		if v == "not found" {
			notFound++
		}
		if _, ok := v.(film.Problems); ok {
			problems++
		}
	}
	if problems != 2 || notFound != 4 {
		t.Errorf("the PostgreSQL story met %d refusals and %d not found, want 2 and 4", problems, notFound)
	}
}
