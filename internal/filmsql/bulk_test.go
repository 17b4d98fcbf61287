package filmsql

import (
	"testing"
	"time"

	"marquee/internal/film"
)

func TestReviewIDs(t *testing.T) {
	at := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	a := film.ReaderReviewKey{FilmSlug: "alien", DisplayName: "Ann", Title: "Tense", CreatedAt: at}
	b := film.ReaderReviewKey{FilmSlug: "alien", DisplayName: "Bob", Title: "Tense", CreatedAt: at}
	ids := ReviewIDs{}
	ids.File(a, 7)
	ids.File(b, 8)
	// The same key, as another zone and with a fraction of a second, is
	// the same review.
	same := a
	same.CreatedAt = at.Add(300 * time.Millisecond).In(time.FixedZone("east", 3600))
	if got := ids.ID(same); got != 7 {
		t.Errorf("ID(a) = %d, want 7", got)
	}
	if got := ids.ID(b); got != 8 {
		t.Errorf("ID(b) = %d, want 8", got)
	}
	if got := ids.ID(film.ReaderReviewKey{FilmSlug: "alien", DisplayName: "Cy", CreatedAt: at}); got != 0 {
		t.Errorf("ID of a review never filed = %d, want 0", got)
	}
	// A key filed twice (as a hash two keys share would be) sends the
	// loader to the database.
	ids.File(a, 9)
	if got := ids.ID(a); got != 0 {
		t.Errorf("ID of a key filed twice = %d, want 0", got)
	}
}

func TestReaderHash(t *testing.T) {
	key := "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
	hash, err := ReaderHash(key)
	if err != nil || len(hash) != 32 || hash[1] != 0x11 {
		t.Errorf("ReaderHash(%q) = %x, %v", key, hash, err)
	}
	for _, bad := range []string{"", "xyz", "00112233445566778899AABBCCDDEEFF00112233445566778899AABBCCDDEEFF"} {
		if _, err := ReaderHash(bad); err == nil {
			t.Errorf("ReaderHash(%q) took a key that is not one", bad)
		}
	}
}
