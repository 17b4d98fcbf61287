package templates

import (
	"context"
	"strings"
	"testing"

	"github.com/a-h/templ"
)

// TestTextIsTemplsText holds @Text(s) to what templ's generated code
// writes for { s }: the string through templ.JoinStringErrs, then
// templ.EscapeString.
func TestTextIsTemplsText(t *testing.T) {
	for _, s := range []string{
		"", "Paris", "Cédric Klapisch", "<script>alert(1)</script>", `"quoted" & 'single'`,
		"a > b < c", "★★★½☆", "line\nbreak\ttab", "\xff\xfe not UTF-8", "&amp; already escaped",
	} {
		v, err := templ.JoinStringErrs(s)
		if err != nil {
			t.Fatal(err)
		}
		want := templ.EscapeString(v)
		var got strings.Builder
		if err := Text(s).Render(context.Background(), &got); err != nil {
			t.Fatal(err)
		}
		if got.String() != want {
			t.Errorf("Text(%q) writes %q, templ's { s } %q", s, got.String(), want)
		}
	}
}
