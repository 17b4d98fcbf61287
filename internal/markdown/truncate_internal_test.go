package markdown

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestTruncateMatchesRunes holds truncate, which walks the bytes of the
// runes it keeps, to truncateRunes below, which cuts a slice of all the
// text's runes as truncate did before: the same cut, for every length, on
// text made of ASCII and multi-byte letters, spaces and the punctuation a
// cut trims.
func TestTruncateMatchesRunes(t *testing.T) {
	pieces := []string{"a", "bc", "É", "à", "ß", "😀", "字", " ", " ", ",", ";", ":", "-", "–", "—", "…", "x"}
	rng := rand.New(rand.NewPCG(7, 11))
	texts := []string{"", " ", "abc def", "  lead", "trail  ", "—", "a—b c", "Élise et Cédric à Paris"}
	for range 400 {
		var b strings.Builder
		for range rng.IntN(40) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		texts = append(texts, b.String())
	}
	for _, s := range texts {
		for limit := 1; limit <= len([]rune(s))+2; limit++ {
			if got, want := truncate(s, limit), truncateRunes(s, limit); got != want {
				t.Fatalf("truncate(%q, %d) = %q, want %q", s, limit, got, want)
			}
		}
	}
	// Text that is not UTF-8 is cut as a slice of runes sees it.
	if got, want := truncate("ab\xffcd ef", 4), truncateRunes("ab\xffcd ef", 4); got != want {
		t.Errorf("truncate of invalid UTF-8 = %q, want %q", got, want)
	}
}

// truncateRunes is the cut truncate made before it walked bytes: on a
// slice of all the text's runes, each byte that is not UTF-8 a U+FFFD.
func truncateRunes(s string, limit int) string {
	if utf8.RuneCountInString(s) <= limit {
		return s
	}
	runes := []rune(s)
	keep := limit - 1 // room for the ellipsis
	cut := keep
	for cut > 0 && runes[cut] != ' ' {
		cut--
	}
	if cut == 0 {
		cut = keep
	}
	head := strings.TrimRight(string(runes[:cut]), " ,;:-–—")
	if head == "" && cut > 0 {
		head = string(runes[:cut])
	}
	return head + "…"
}
