package film

import (
	"errors"
	"testing"
)

func TestCleanText(t *testing.T) {
	for in, want := range map[string]string{
		"plain text":                     "plain text",
		"tab\tand\nnewline":              "tab\tand\nnewline",
		"crlf\r\nline\rbreaks":           "crlf\nline\nbreaks",
		"nul\x00 and \x1b[31mescape\x7f": "nul and [31mescape",
		"c1\u0085\u009f gone":            "c1 gone",
		"gnp\u202e.exe":                  "gnp.exe",
		"\u2066isolated\u2069 \u202aembedded\u202c \u202doverride\u202c \u202brtl\u202c \u2067x\u2068y": "isolated embedded override rtl xy",
		"accents é, arabic مرحبا and emoji 🎬 stay":                                                      "accents é, arabic مرحبا and emoji 🎬 stay",
		"zero width\u200b joiner\u200d and LRM\u200e stay":                                              "zero width\u200b joiner\u200d and LRM\u200e stay",
	} {
		if got := CleanText(in); got != want {
			t.Errorf("CleanText(%q) = %q, want %q", in, got, want)
		}
		if HasDisallowedText(CleanText(in)) {
			t.Errorf("CleanText(%q) still holds a disallowed character", in)
		}
	}
}

func TestValidationRefusesControlCharacters(t *testing.T) {
	for name, err := range map[string]error{
		"person name":  Person{Slug: "a-b", Name: "A\x00B"}.Validate(),
		"film title":   Film{Slug: "x-2000", Title: "X\u202e", Year: 2000}.Validate(),
		"review title": ReaderReview{FilmSlug: "x-2000", DisplayName: "Cam", Title: "T\x1b", Body: "b", Rating: 5, Status: ModerationPending}.Validate(),
		"review body":  ReaderReview{FilmSlug: "x-2000", DisplayName: "Cam", Title: "T", Body: "b\u2066", Rating: 5, Status: ModerationPending}.Validate(),
		"display name": ReaderReview{FilmSlug: "x-2000", DisplayName: "C\u0085am", Title: "T", Body: "b", Rating: 5, Status: ModerationPending}.Validate(),
	} {
		var p Problems
		if !errors.As(err, &p) {
			t.Errorf("%s: %v, want problems", name, err)
			continue
		}
		found := false
		for _, msg := range p {
			if msg == "must not contain control characters or bidirectional formatting characters" {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: problems %v do not name the control character", name, p)
		}
	}
}
