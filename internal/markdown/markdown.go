// Package markdown turns the Markdown that critics and readers write into
// HTML. It is the only place in Marquee that renders user text as HTML, so
// its safety rules hold everywhere: raw HTML in the source is dropped (the
// renderer is never given html.WithUnsafe), and goldmark (1.7.17 or later)
// blanks links with dangerous schemes such as javascript:.
package markdown

import (
	"bytes"
	"fmt"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// headingShift is how many levels a heading in a review body moves down:
// the page already uses h1 for its title and h2 for its sections, so a
// writer's "# Heading" becomes an h3 inside the review.
const headingShift = 2

// Renderer renders Markdown with the site's settings. It is safe for
// concurrent use; build one at start-up and share it.
type Renderer struct {
	md goldmark.Markdown
}

// New returns a Renderer with GitHub-flavoured tables, strikethrough and
// autolinks, footnotes, typographic quotes and dashes, and heading anchors.
func New() *Renderer {
	md := goldmark.New(
		goldmark.WithExtensions(
			extension.Table,
			extension.Strikethrough,
			extension.Linkify,
			extension.Footnote,
			extension.Typographer,
		),
		goldmark.WithParserOptions(
			parser.WithAutoHeadingID(),
			parser.WithASTTransformers(util.Prioritized(headingDemoter{}, 100)),
		),
	)
	return &Renderer{md: md}
}

// Render returns the HTML for src.
func (r *Renderer) Render(src string) (string, error) {
	var buf bytes.Buffer
	if err := r.md.Convert([]byte(src), &buf); err != nil {
		return "", fmt.Errorf("render markdown: %w", err)
	}
	return buf.String(), nil
}

// headingDemoter moves every heading down by headingShift levels, to at most
// h6, so a review body cannot break the page's outline.
type headingDemoter struct{}

func (headingDemoter) Transform(doc *ast.Document, _ text.Reader, _ parser.Context) {
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if h, ok := n.(*ast.Heading); ok && entering {
			h.Level = min(h.Level+headingShift, 6)
		}
		return ast.WalkContinue, nil
	})
}
