package sqlite_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"marquee/internal/catalog"
	"marquee/internal/film"
)

// TestQuoteSpeakerRoundTrips checks that the catalogue format carries a
// quote's speaker: imported, stored, dumped and written out as
// "character".
func TestQuoteSpeakerRoundTrips(t *testing.T) {
	ctx := context.Background()
	db, _ := mustOpen(t)
	c := film.Catalog{Films: []film.Film{{Slug: "le-samourai-1967", Title: "Le Samouraï", Year: 1967,
		Quotes: []film.Quote{{Character: "Jef Costello", Text: "I never lose. Not really."}, {Text: "An unattributed line."}}}}}
	if _, err := db.ImportWith(ctx, c, update); err != nil {
		t.Fatal(err)
	}
	f, err := db.FindFilm(ctx, "le-samourai-1967")
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Quotes) != 2 || f.Quotes[0].Character != "Jef Costello" || f.Quotes[1].Character != "" {
		t.Fatalf("stored quotes = %+v", f.Quotes)
	}
	var buf bytes.Buffer
	if err := catalog.Encode(&buf, catalog.Document{Version: catalog.Version, Catalog: mustDump(t, db)}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `"character": "Jef Costello"`) {
		t.Errorf("the dump does not carry the speaker:\n%s", buf.String())
	}
	back, err := catalog.Decode(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if got := back.Films[0].Quotes; len(got) != 2 || got[0].Character != "Jef Costello" {
		t.Errorf("decoded quotes = %+v", got)
	}
}
