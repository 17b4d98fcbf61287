package film

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Slugify makes a URL slug from a name: "France 2 Cinéma" becomes
// "france-2-cinema". Accents are dropped, ligatures spelled out, and every
// run of other characters becomes one hyphen. A name with no letters or
// digits gives "".
func Slugify(name string) string {
	var b strings.Builder
	hyphen := false
	write := func(s string) {
		if hyphen && b.Len() > 0 {
			b.WriteByte('-')
		}
		hyphen = false
		b.WriteString(s)
	}
	for _, r := range norm.NFKD.String(name) {
		switch {
		case unicode.Is(unicode.Mn, r):
			// A combining accent: drop it, keep its letter.
		case r == 'œ' || r == 'Œ':
			write("oe")
		case r == 'æ' || r == 'Æ':
			write("ae")
		case r == 'ß':
			write("ss")
		case r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			write(string(unicode.ToLower(r)))
		default:
			hyphen = true
		}
	}
	s := b.String()
	if len(s) > 100 {
		s = strings.TrimRight(s[:100], "-")
	}
	return s
}
