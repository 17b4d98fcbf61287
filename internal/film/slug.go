package film

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Slugify makes a URL slug from a name: "France 2 Cinéma" becomes
// "france-2-cinema". Letters are spelt in lower-case ASCII, and every run of
// other characters becomes one hyphen:
//
//   - Latin letters lose their accents ("Cédric" → "cedric"), and the
//     letters no accent explains are spelt out: ł → l, ø → o, đ and ð → d,
//     þ → th, ħ → h, ı → i, ŋ → ng, æ → ae, œ → oe, ß → ss ("Łódź" → "lodz",
//     "Øresund" → "oresund").
//   - Cyrillic follows BGN/PCGN for Russian without its diacritics: й and ы
//     → y, х → kh, ц → ts, щ → shch, ю → yu, я → ya, ё → e, and the hard and
//     soft signs are dropped ("Андрей Тарковский" → "andrey-tarkovskiy").
//     Letters of other languages written in Cyrillic take their usual
//     values (є → ye, ї → yi, ј → j, љ → lj, џ → dz…), but the letters
//     they share with Russian are spelt as in Russian (Ukrainian "Київ"
//     gives "kiyiv", not "kyiv").
//   - Greek follows ELOT 743, simplified: no accents, letter by letter (β →
//     v, η and ι → i, υ → y, χ → ch, ψ → ps) but for the pairs ου → ou,
//     γγ → ng, γξ → nx, γχ → nch, and αυ, ευ, ηυ → av, ev, iv (af, ef, if
//     before a voiceless consonant or at the end of a word)
//     ("Θεόδωρος Αγγελόπουλος" → "theodoros-angelopoulos").
//   - A run of letters in any other script (Chinese, Japanese, Arabic…)
//     becomes "x-" and the first 8 hex digits of the SHA-256 of its text
//     (NFC, lower-cased): "東京" always gives the same slug, one that other
//     names are most unlikely to share, and a name in two scripts keeps
//     what can be read ("東京物語 1953" → "x-…-1953", "Tokyo 東京" →
//     "tokyo-x-…").
//
// A name with no letters or digits gives "". A slug is cut to 100 bytes.
func Slugify(name string) string {
	var b strings.Builder
	hyphen := false
	write := func(s string) {
		if s == "" {
			return
		}
		if hyphen && b.Len() > 0 {
			b.WriteByte('-')
		}
		hyphen = false
		b.WriteString(s)
	}
	// other holds the run of letters Slugify cannot spell, waiting for
	// its hash.
	var other []rune
	flush := func() {
		if len(other) == 0 {
			return
		}
		sum := sha256.Sum256([]byte(norm.NFC.String(string(other))))
		hyphen = true
		write("x-" + hex.EncodeToString(sum[:4]))
		hyphen = true
		other = other[:0]
	}

	for i, rs := 0, runes(name); i < len(rs); i++ {
		r := rs[i]
		if s, n, ok := greekPair(rs[i:]); ok {
			flush()
			write(s)
			i += n - 1
			continue
		}
		s, known := letters[r]
		switch {
		case 'a' <= r && r <= 'z' || '0' <= r && r <= '9':
			flush()
			write(string(r))
		case known:
			flush()
			write(s)
		case unicode.IsMark(r) && len(other) > 0:
			// A mark belongs to the letter before it.
			other = append(other, r)
		case unicode.IsMark(r):
			// An accent: drop it, keep its letter.
		case 0x2b0 <= r && r <= 0x2ff:
			// A modifier letter such as ʼ or ʻ, spelt like an apostrophe.
			flush()
			hyphen = true
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			other = append(other, r)
		default:
			flush()
			hyphen = true
		}
	}
	flush()
	s := b.String()
	if len(s) > 100 {
		s = strings.TrimRight(s[:100], "-")
	}
	return s
}

// runes returns name lower-cased in NFC, with every character the letters
// table does not know replaced by its compatibility decomposition (NFKD),
// which parts a letter from its accents ("é" → "e" and U+0301), spells out
// compatibility forms ("ﬁ" → "fi", "Ａ" → "a", "½" → "1⁄2") and leaves the
// rest as it is.
func runes(name string) []rune {
	var rs []rune
	for _, r := range norm.NFC.String(name) {
		r = unicode.ToLower(r)
		if _, known := letters[r]; known || r < 128 {
			rs = append(rs, r)
			continue
		}
		for _, c := range norm.NFKD.String(string(r)) {
			rs = append(rs, unicode.ToLower(c))
		}
	}
	return rs
}

// greekPair spells the Greek digraph at the start of rs, which ELOT 743
// spells other than letter by letter, and says how many runes it took.
func greekPair(rs []rune) (string, int, bool) {
	if len(rs) < 2 {
		return "", 0, false
	}
	first, second := rs[0], rs[1]
	upsilon := second == 'υ' || second == 'ύ'
	switch {
	case first == 'ο' && upsilon:
		return "ou", 2, true
	case (first == 'α' || first == 'ε' || first == 'η') && upsilon:
		// v before a vowel or voiced consonant, f before a voiceless
		// one and at the end of a word.
		next := ' '
		for _, r := range rs[2:] {
			if !unicode.IsMark(r) {
				next = r
				break
			}
		}
		v := "v"
		if strings.ContainsRune("θκξπσςτφχψ", next) || !unicode.Is(unicode.Greek, next) {
			v = "f"
		}
		return letters[first] + v, 2, true
	case first == 'γ':
		switch second {
		case 'γ':
			return "ng", 2, true
		case 'ξ':
			return "nx", 2, true
		case 'χ':
			return "nch", 2, true
		}
	}
	return "", 0, false
}

// letters spells the lower-case letters an accent does not explain.
var letters = map[rune]string{
	// Latin.
	'æ': "ae", 'œ': "oe", 'ß': "ss", 'ĳ': "ij", 'þ': "th", 'ð': "d", 'đ': "d",
	'ł': "l", 'ŀ': "l", 'ø': "o", 'ı': "i", 'ħ': "h", 'ŧ': "t", 'ŋ': "ng",
	'ĸ': "q", 'ƒ': "f", 'ə': "e", 'ɛ': "e", 'ɔ': "o", 'ƿ': "w", 'ȝ': "y",
	'ɓ': "b", 'ɗ': "d", 'ɖ': "d", 'ƙ': "k", 'ƴ': "y", 'ɣ': "g", 'ʋ': "v",
	'ɑ': "a", 'ʒ': "z",

	// Cyrillic: Russian.
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ё': "e",
	'ж': "zh", 'з': "z", 'и': "i", 'й': "y", 'к': "k", 'л': "l", 'м': "m",
	'н': "n", 'о': "o", 'п': "p", 'р': "r", 'с': "s", 'т': "t", 'у': "u",
	'ф': "f", 'х': "kh", 'ц': "ts", 'ч': "ch", 'ш': "sh", 'щ': "shch",
	'ъ': "", 'ы': "y", 'ь': "", 'э': "e", 'ю': "yu", 'я': "ya",
	// Cyrillic: Ukrainian, Belarusian, Serbian, Macedonian.
	'є': "ye", 'і': "i", 'ї': "yi", 'ґ': "g", 'ў': "w", 'ђ': "dj", 'ј': "j",
	'љ': "lj", 'њ': "nj", 'ћ': "c", 'џ': "dz", 'ѓ': "gj", 'ќ': "kj", 'ѕ': "dz",

	// Greek, with and without accents (ϊ and ϋ keep their letters apart:
	// "αϋ" is "ay").
	'α': "a", 'ά': "a", 'β': "v", 'γ': "g", 'δ': "d", 'ε': "e", 'έ': "e",
	'ζ': "z", 'η': "i", 'ή': "i", 'θ': "th", 'ι': "i", 'ί': "i", 'ϊ': "i",
	'ΐ': "i", 'κ': "k", 'λ': "l", 'μ': "m", 'ν': "n", 'ξ': "x", 'ο': "o",
	'ό': "o", 'π': "p", 'ρ': "r", 'σ': "s", 'ς': "s", 'τ': "t", 'υ': "y",
	'ύ': "y", 'ϋ': "y", 'ΰ': "y", 'φ': "f", 'χ': "ch", 'ψ': "ps", 'ω': "o",
	'ώ': "o",
}
