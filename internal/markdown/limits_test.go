package markdown_test

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"marquee/internal/markdown"
)

// nestingElements are the elements whose nesting MaxNesting bounds.
var nestingElements = atomSet(atom.Blockquote, atom.Ul, atom.Ol, atom.Em, atom.Strong, atom.Del)

// maxNesting returns how deep nestingElements nest in the fragment out.
func maxNesting(t *testing.T, out string) int {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(out))
	if err != nil {
		t.Fatalf("parse %q: %v", out, err)
	}
	deepest := 0
	var walk func(*html.Node, int)
	walk = func(n *html.Node, depth int) {
		if n.Type == html.ElementNode && nestingElements[n.DataAtom] {
			depth++
			deepest = max(deepest, depth)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, depth)
		}
	}
	walk(doc, 0)
	return deepest
}

// checkBounded fails t when out nests deeper than MaxNesting or, for
// reader text, is larger than MaxReaderHTMLBytes.
func checkBounded(t *testing.T, what, src, out string, reader bool) {
	t.Helper()
	if d := maxNesting(t, out); d > markdown.MaxNesting {
		t.Errorf("%s(%.40q…) nests %d deep, more than %d", what, src, d, markdown.MaxNesting)
	}
	if reader && len(out) > markdown.MaxReaderHTMLBytes {
		t.Errorf("%s(%.40q…) is %d bytes, more than %d", what, src, len(out), markdown.MaxReaderHTMLBytes)
	}
}

func TestDeepNestingIsBounded(t *testing.T) {
	r := markdown.New()
	cases := map[string]struct {
		src      string
		maxBytes int
		keeps    string
	}{
		"20,000 quote marks":     {strings.Repeat(">", 20_000), 1 << 10, ""},
		"deep quote with text":   {strings.Repeat(">", 5_000) + " the words", 1 << 10, "the words"},
		"quote marks and spaces": {strings.Repeat("> ", 9_999) + "x", 1 << 10, "x"},
		"nested lists": {func() string {
			var b strings.Builder
			for i := range 60 {
				b.WriteString(strings.Repeat("  ", i) + "- item\n")
			}
			return b.String()
		}(), 4 << 10, "item"},
		"quotes in a footnote": {"Claim.[^1]\n\n[^1]: " + strings.Repeat(">", 40) + " *noted*", 2 << 10, "noted"},
		"nested emphasis":      {strings.Repeat("*", 9_000) + "core" + strings.Repeat("*", 9_000), 20 << 10, "core"},
		"nested strikethrough": {strings.Repeat("~~", 4_000) + "gone" + strings.Repeat("~~", 4_000), 20 << 10, "gone"},
		"quotes in lists": {func() string {
			var b strings.Builder
			for i := range 40 {
				b.WriteString(strings.Repeat("  ", i) + "- > quoted\n")
			}
			return b.String()
		}(), 8 << 10, "quoted"},
	}
	for name, tc := range cases {
		for what, render := range map[string]func(string) (markdown.HTML, error){"Render": r.Render, "RenderReader": r.RenderReader} {
			out := mustRender(t, render, tc.src)
			checkBounded(t, what+" "+name, tc.src, out, what == "RenderReader")
			checkSafeHTML(t, what, tc.src, out, what == "RenderReader")
			if len(out) > tc.maxBytes {
				t.Errorf("%s %s: %d bytes of markup, want at most %d", what, name, len(out), tc.maxBytes)
			}
			if !strings.Contains(out, tc.keeps) {
				t.Errorf("%s %s lost its text %q: %.200q", what, name, tc.keeps, out)
			}
		}
	}
}

func TestReaderMarkupSizeIsBounded(t *testing.T) {
	// Thousands of tiny spoilers: within the review length limit, but far
	// over the markup bound; the review is shown as plain text, and the
	// spoilers stay hidden.
	src := strings.Repeat("||Ros|| ", 2_400)
	out := mustRender(t, markdown.New().RenderReader, src)
	checkBounded(t, "RenderReader", src, out, true)
	if strings.Contains(out, "Ros") {
		t.Errorf("the plain-text fallback shows the spoilers: %.200q", out)
	}
	// An ordinary long review keeps its markup.
	ordinary := strings.Repeat("A *fine* film, with [a link](https://example.com) and ||a twist||.\n\n", 250)
	out = mustRender(t, markdown.New().RenderReader, ordinary)
	if !strings.Contains(out, "<em>fine</em>") || !strings.Contains(out, `class="spoiler"`) {
		t.Errorf("an ordinary review lost its markup: %.200q", out)
	}
}
