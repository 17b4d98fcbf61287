package film

import "strings"

// Text that people type reaches pages, feeds, structured data and logs, so
// some characters are never kept in it:
//
//   - NUL and the other C0 controls (U+0000–U+001F) but tab and newline,
//     and DEL (U+007F): invisible, and NUL written raw into HTML is a
//     parse error that browsers and parsers treat differently;
//   - the C1 controls (U+0080–U+009F), which no keyboard types;
//   - the bidirectional embedding, override and isolate characters
//     (U+202A–U+202E, U+2066–U+2069), which reorder the text around them,
//     so "gnp.exe" can be shown as "exe.png" and a name can appear to say
//     what it does not (the "Trojan Source" trick).
//
// Carriage returns are not kept either: browsers send a textarea's line
// breaks as CR LF, and a line break is stored as one newline.

// disallowedRune reports whether r is never kept in text.
func disallowedRune(r rune) bool {
	switch {
	case r == '\t' || r == '\n':
		return false
	case r < 0x20 || r == 0x7f:
		return true
	case r >= 0x80 && r <= 0x9f:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}

// HasDisallowedText reports whether s holds a character CleanText removes,
// so validation can refuse text that did not come through a form.
func HasDisallowedText(s string) bool {
	return strings.ContainsFunc(s, disallowedRune)
}

// CleanText returns s with CR LF and lone CR made newlines and every
// character that is never kept removed (see above). Forms run every value
// through it, so a person who pasted an invisible character is not
// refused for something they cannot see; text valid before is unchanged.
func CleanText(s string) string {
	if !strings.ContainsFunc(s, disallowedRune) {
		return s
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return strings.Map(func(r rune) rune {
		if disallowedRune(r) {
			return -1
		}
		return r
	}, s)
}
