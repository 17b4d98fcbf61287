package markdown_test

import (
	"strings"
	"testing"

	"marquee/internal/markdown"
)

func TestRender(t *testing.T) {
	r := markdown.New()
	tests := []struct {
		name, src string
		want      []string // substrings the HTML must contain
		wantNot   []string // substrings it must not contain
	}{
		{"emphasis", "*Paris* is **long**", []string{"<em>Paris</em>", "<strong>long</strong>"}, nil},
		{"typographic quotes", `He said "yes" -- twice`, []string{"&ldquo;yes&rdquo;", "&ndash;"}, nil},
		{"headings are demoted", "# Verdict", []string{`<h3 id="verdict">Verdict</h3>`}, []string{"<h1"}},
		{"deep headings stop at h6", "##### Deep", []string{"<h6"}, nil},
		{"tables", "| a | b |\n|---|---|\n| 1 | 2 |", []string{"<table>", "<td>1</td>"}, nil},
		{"strikethrough", "~~gone~~", []string{"<del>gone</del>"}, nil},
		{"footnotes", "Claim.[^1]\n\n[^1]: Source.", []string{`class="footnotes"`}, nil},
		{"raw html is dropped", "<script>alert(1)</script>\n\n<b onclick=x>hi</b>", nil, []string{"<script", "onclick"}},
		{"javascript links are blanked", "[x](javascript:alert(1))", nil, []string{"javascript:"}},
		{"entity-encoded javascript links are blanked", "[x](&#106;avascript:alert(1))", nil, []string{"avascript:"}},
		{"autolinked javascript is not a link", "<javascript:alert(1)>", nil, []string{`href="javascript`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := r.Render(tt.src)
			if err != nil {
				t.Fatalf("Render: %v", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("Render(%q) = %q, want it to contain %q", tt.src, got, w)
				}
			}
			for _, w := range tt.wantNot {
				if strings.Contains(got, w) {
					t.Errorf("Render(%q) = %q, must not contain %q", tt.src, got, w)
				}
			}
		})
	}
}
