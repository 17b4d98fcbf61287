package generator_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"marquee/internal/catalog"
	"marquee/internal/catalog/generator"
	"marquee/internal/film"
)

// mustGenerate generates a catalogue in memory.
func mustGenerate(tb testing.TB, opts generator.Options) film.Catalog {
	tb.Helper()
	var c film.Catalog
	if err := generator.Generate(context.Background(), opts, &c); err != nil {
		tb.Fatalf("Generate(%+v): %v", opts, err)
	}
	return c
}

func mustEncode(tb testing.TB, c film.Catalog) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := catalog.Encode(&buf, catalog.Document{Version: catalog.Version, Catalog: c}); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func TestGeneratedCatalogueIsValidAndRealistic(t *testing.T) {
	c := mustGenerate(t, generator.Options{Films: 200, Seed: 7})
	want := generator.Options{Films: 200}.Complete()
	got := c.Counts()
	if got.Films != 200 || got.People != want.People || got.CriticReviews != want.CriticReviews || got.ReaderReviews != want.ReaderReviews {
		t.Errorf("counts = %+v, want 200 films, %d people, %d critic and %d reader reviews", got, want.People, want.CriticReviews, want.ReaderReviews)
	}
	if got.Ratings < want.Ratings*9/10 || got.HelpfulVotes < want.HelpfulVotes/2 {
		t.Errorf("counts = %+v, want about %d ratings and %d votes", got, want.Ratings, want.HelpfulVotes)
	}
	doc := catalog.Document{Version: catalog.Version, Catalog: c}
	if err := doc.Validate(); err != nil {
		t.Fatalf("generated catalogue is invalid: %v", err)
	}
	// It also survives the trip through its own JSON.
	if _, err := catalog.Decode(bytes.NewReader(mustEncode(t, c))); err != nil {
		t.Fatalf("Decode(Encode(generated)): %v", err)
	}

	var foreign, accented, spoilers, drafts, pending int
	histogram := [11]int{}
	for _, f := range c.Films {
		if f.TitleLanguage != "" {
			foreign++
		}
		if f.Year < 1920 || f.Year > 2026 || f.RuntimeMinutes < 75 || f.RuntimeMinutes > 200 {
			t.Errorf("film %s: year %d, runtime %d out of range", f.Slug, f.Year, f.RuntimeMinutes)
		}
		var directors, cast int
		for _, cr := range f.Credits {
			switch cr.Role {
			case film.RoleDirector:
				directors++
			case film.RoleCast:
				cast++
			}
		}
		if directors < 1 || directors > 2 || cast < 6 || cast > 20 {
			t.Errorf("film %s: %d directors, %d cast", f.Slug, directors, cast)
		}
	}
	for _, p := range c.People {
		if !isASCII(p.Name) {
			accented++
		}
	}
	for _, r := range c.CriticReviews {
		if r.Spoilers {
			spoilers++
		}
		if r.Status == film.ReviewDraft {
			drafts++
		}
	}
	for _, r := range c.ReaderReviews {
		if r.Status == film.ModerationPending {
			pending++
		}
	}
	for _, r := range c.Ratings {
		histogram[r.Value]++
	}
	if foreign < 20 || accented < 50 || drafts == 0 || pending == 0 {
		t.Errorf("want some of everything: %d foreign-language titles, %d accented names, %d drafts, %d pending reviews",
			foreign, accented, drafts, pending)
	}
	t.Logf("ratings histogram %v; %d spoiler critic reviews", histogram[1:], spoilers)
	// Ratings are not uniform: the middle-high scores are the most common.
	if histogram[7] < 2*histogram[2] || histogram[7] < histogram[10] {
		t.Errorf("ratings histogram %v does not look like real ratings", histogram[1:])
	}
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func TestGenerateIsDeterministic(t *testing.T) {
	opts := generator.Options{Films: 60, Seed: 42}
	a, b := mustEncode(t, mustGenerate(t, opts)), mustEncode(t, mustGenerate(t, opts))
	if !bytes.Equal(a, b) {
		t.Fatalf("two catalogues from seed 42 differ:\n%s", cmp.Diff(string(a), string(b)))
	}
	opts.Seed = 43
	if c := mustEncode(t, mustGenerate(t, opts)); bytes.Equal(a, c) {
		t.Error("seeds 42 and 43 gave the same catalogue")
	}
}
