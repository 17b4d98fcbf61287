package markdown

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/extension"
)

// typographicPunctuation is what Typography (on headlines and pull
// quotes) writes for each piece of typed punctuation: the characters that
// goldmark's typographer, which sets the critic dialect's review bodies,
// writes as entities, so the two agree (a test holds them to it):
// straight quotes become curly ones, "--" an en dash, "---" an em dash,
// "..." an ellipsis and "<<" ">>" guillemets.
var typographicPunctuation = map[extension.TypographicPunctuation]string{
	extension.LeftSingleQuote:  "‘",
	extension.RightSingleQuote: "’",
	extension.LeftDoubleQuote:  "“",
	extension.RightDoubleQuote: "”",
	extension.EnDash:           "–",
	extension.EmDash:           "—",
	extension.Ellipsis:         "…",
	extension.LeftAngleQuote:   "«",
	extension.RightAngleQuote:  "»",
	extension.Apostrophe:       "’",
}

// Typography sets plain text (a headline, a pull quote) as the critic
// dialect sets a review's body: "He said "yes" -- it's O'Brien's..."
// becomes “He said “yes” – it’s O’Brien’s…”. Text already set is left as
// it is, so applying it twice changes nothing. It is for text shown as
// text: Markdown goes through Render, whose typographer leaves code spans
// and code blocks alone.
func Typography(s string) string {
	if !strings.ContainsAny(s, `"'.-<>`) {
		return s
	}
	p := typographicPunctuation
	var b strings.Builder
	b.Grow(len(s) + 8)
	var prev rune // the last rune written, 0 at the start
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		rest := s[i:]
		var out string
		switch {
		case strings.HasPrefix(rest, "---"):
			out, size = p[extension.EmDash], 3
		case strings.HasPrefix(rest, "--"):
			out, size = p[extension.EnDash], 2
		case strings.HasPrefix(rest, "..."):
			out, size = p[extension.Ellipsis], 3
		case strings.HasPrefix(rest, "<<"):
			out, size = p[extension.LeftAngleQuote], 2
		case strings.HasPrefix(rest, ">>"):
			out, size = p[extension.RightAngleQuote], 2
		case r == '"':
			if opensQuote(prev) {
				out = p[extension.LeftDoubleQuote]
			} else {
				out = p[extension.RightDoubleQuote]
			}
		case r == '\'':
			next, _ := utf8.DecodeRuneInString(s[i+size:])
			switch {
			case isWordRune(prev):
				// O'Brien, it's, the critics' choice.
				out = p[extension.Apostrophe]
			case opensQuote(prev) && (isWordRune(next) || next == '"' || next == '“'):
				out = p[extension.LeftSingleQuote]
			default:
				out = p[extension.RightSingleQuote]
			}
		default:
			out = rest[:size]
		}
		b.WriteString(out)
		prev, _ = utf8.DecodeLastRuneInString(out)
		i += size
	}
	return b.String()
}

// opensQuote reports whether a quote after prev opens: at the start, after
// a space, or after an opening bracket, dash or quote.
func opensQuote(prev rune) bool {
	return prev == 0 || unicode.IsSpace(prev) || strings.ContainsRune("([{‘“«—–-/", prev)
}

// isWordRune reports whether r is a letter or a digit.
func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
