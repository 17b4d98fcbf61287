package markdown

import (
	"html"
	"strings"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// MaxNesting is how deep block quotes, lists, emphasis and strikethrough
// may nest in a review. Nobody quotes a quote of a quote eight deep, but
// 20,000 ">" characters would otherwise be 20,000 nested block quotes:
// half a megabyte of markup, and a page that takes a browser seconds to
// lay out. Deeper containers are dropped and their content kept, so the
// text still shows, at the deepest level allowed. Spoilers are never
// dropped (their own fences nest at most eight deep), so their content
// stays hidden.
const MaxNesting = 8

// MaxReaderHTMLBytes bounds the markup RenderReader returns for one
// review. A review within film.ReaderReviewBodyLimit that would render
// larger (only contrived text does: thousands of tiny spoilers or links)
// is shown instead as its plain text with spoilers left out, which is at
// most a few times the size of its source.
const MaxReaderHTMLBytes = 256 << 10

// nestingLimit drops the containers nested deeper than MaxNesting.
type nestingLimit struct{}

// nests reports whether n counts towards the nesting depth, and whether
// it may be dropped when too deep.
func nests(n ast.Node) (counts, droppable bool) {
	switch n.Kind() {
	case ast.KindBlockquote, ast.KindList, ast.KindEmphasis, east.KindStrikethrough:
		return true, true
	case kindSpoilerBlock, kindSpoiler:
		return true, false
	case east.KindFootnote:
		// A footnote's definition is rendered as an item of the notes'
		// list, which the footnote extension makes only later: it is one
		// level deep before anything in it.
		return true, false
	}
	return false, false
}

func (nestingLimit) Transform(doc *ast.Document, _ text.Reader, _ parser.Context) {
	var (
		depth int
		deep  []ast.Node
	)
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		counts, droppable := nests(n)
		if !counts {
			return ast.WalkContinue, nil
		}
		if !entering {
			depth--
			return ast.WalkContinue, nil
		}
		if depth >= MaxNesting && droppable {
			deep = append(deep, n)
		}
		depth++
		return ast.WalkContinue, nil
	})
	for _, n := range deep {
		if n.Kind() == ast.KindList {
			// A list's items go with it: an <li> outside a list is not
			// valid HTML.
			for c := n.FirstChild(); c != nil; {
				next := c.NextSibling()
				unwrap(c)
				c = next
			}
		}
		unwrap(n)
	}
}

// boundReaderHTML returns h when it is within MaxReaderHTMLBytes, and
// otherwise src as plain text, without its spoilers, in one paragraph.
func boundReaderHTML(h HTML, src string) HTML {
	if len(h.html) <= MaxReaderHTMLBytes {
		return h
	}
	plain := Excerpt(src, len(src))
	return HTML{"<p>" + strings.TrimSpace(html.EscapeString(plain)) + "</p>\n"}
}
