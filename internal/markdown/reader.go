package markdown

import (
	"github.com/yuin/goldmark/ast"
	fast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// readerSubset cuts a reader's parsed review down to the reader dialect.
// It works on the tree rather than by leaving parsers out, because a
// missing parser changes how the rest of the text reads: without the
// heading parser "# Great" is still text but "Great\n---" turns into a
// thematic break, and without the footnote parser "[^1]: note" becomes an
// invisible link definition.
//
//   - A heading becomes a paragraph holding the same text.
//   - An image becomes its alt text.
//   - A thematic break is dropped.
//   - A footnote reference and a footnote definition go back to the text
//     the reader typed ("[^1]", "[^1]: note").
type readerSubset struct{}

func (readerSubset) Transform(doc *ast.Document, _ text.Reader, _ parser.Context) {
	nodes := collect(doc, func(n ast.Node) bool {
		switch n.Kind() {
		case ast.KindHeading, ast.KindImage, ast.KindThematicBreak,
			fast.KindFootnoteLink, fast.KindFootnoteList:
			return true
		}
		return false
	})
	labels := map[int][]byte{}
	for _, n := range nodes {
		if list, ok := n.(*fast.FootnoteList); ok {
			for c := list.FirstChild(); c != nil; c = c.NextSibling() {
				if fn, ok := c.(*fast.Footnote); ok && fn.Index > 0 {
					labels[fn.Index] = fn.Ref
				}
			}
		}
	}
	for _, n := range nodes {
		parent := n.Parent()
		if parent == nil {
			continue
		}
		switch n := n.(type) {
		case *ast.Heading:
			p := ast.NewParagraph()
			p.SetLines(n.Lines())
			p.SetBlankPreviousLines(n.HasBlankPreviousLines())
			for c := n.FirstChild(); c != nil; {
				next := c.NextSibling()
				p.AppendChild(p, c)
				c = next
			}
			parent.ReplaceChild(parent, n, p)
		case *ast.Image:
			unwrap(n)
		case *ast.ThematicBreak:
			parent.RemoveChild(parent, n)
		case *fast.FootnoteLink:
			parent.ReplaceChild(parent, n, footnoteText(labels[n.Index], ""))
		case *fast.FootnoteList:
			for c := n.FirstChild(); c != nil; {
				next := c.NextSibling()
				if fn, ok := c.(*fast.Footnote); ok {
					literalFootnote(fn)
				}
				unwrap(c)
				c = next
			}
			unwrap(n)
		}
	}
}

// literalFootnote puts "[^label]: " back in front of a footnote
// definition's first paragraph, or in a paragraph of its own when the
// definition does not start with one.
func literalFootnote(fn *fast.Footnote) {
	label := footnoteText(fn.Ref, ": ")
	if first := fn.FirstChild(); first != nil && first.Kind() == ast.KindParagraph {
		first.InsertBefore(first, first.FirstChild(), label)
		return
	}
	p := ast.NewParagraph()
	p.AppendChild(p, label)
	fn.InsertBefore(fn, fn.FirstChild(), p)
}

// footnoteText is the literal "[^label]" of a footnote reference, followed
// by suffix. The label comes from the source, so it is rendered the way the
// surrounding text is (escapes and entities resolved, HTML escaped).
func footnoteText(label []byte, suffix string) *ast.String {
	b := make([]byte, 0, len(label)+3+len(suffix))
	b = append(b, "[^"...)
	b = append(b, label...)
	b = append(b, ']')
	b = append(b, suffix...)
	return ast.NewString(b)
}
