package markdown

import (
	"bytes"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// spoilers is the goldmark extension for both spoiler forms documented in
// the package comment: the ||inline|| span and the "::: spoiler" block,
// with their HTML renderers and the transformer that keeps spoilers out of
// links, images and heading anchors.
var spoilers goldmark.Extender = spoilerExtension{}

// spoilerExtension registers the spoiler parsers, transformer and renderer
// on a goldmark.Markdown, so both dialects and Excerpt's parser get the
// same syntax from one place.
type spoilerExtension struct{}

func (spoilerExtension) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(
		parser.WithInlineParsers(util.Prioritized(spoilerParser{}, 500)),
		// Before the paragraph parser (1000) so the fence is not read as
		// text; no other block parser is triggered by ':'.
		parser.WithBlockParsers(util.Prioritized(spoilerBlockParser{}, 650)),
		parser.WithASTTransformers(util.Prioritized(spoilerTransformer{}, prioritySpoilers)),
	)
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(spoilerRenderer{}, 500)))
}

// spoilerNode is an inline spoiler. Its children are the hidden inline
// content.
type spoilerNode struct {
	ast.BaseInline
}

// kindSpoiler identifies spoilerNode, so renderers and walks can match it
// without a type switch.
var kindSpoiler = ast.NewNodeKind("Spoiler")

// Kind implements ast.Node.
func (n *spoilerNode) Kind() ast.NodeKind { return kindSpoiler }

// Dump implements ast.Node; goldmark uses it when debugging a tree.
func (n *spoilerNode) Dump(source []byte, level int) { ast.DumpHelper(n, source, level, nil, nil) }

// spoilerBlockNode is a block spoiler. Its children are the hidden blocks;
// fence is the number of colons that opened it, which a closing fence must
// match or exceed.
type spoilerBlockNode struct {
	ast.BaseBlock
	fence int
}

// kindSpoilerBlock identifies spoilerBlockNode, as kindSpoiler does
// spoilerNode.
var kindSpoilerBlock = ast.NewNodeKind("SpoilerBlock")

// Kind implements ast.Node.
func (n *spoilerBlockNode) Kind() ast.NodeKind { return kindSpoilerBlock }

// Dump implements ast.Node; goldmark uses it when debugging a tree.
func (n *spoilerBlockNode) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, nil, nil)
}

// spoilerParser finds the "||" delimiters of inline spoilers. It leaves the
// pairing to goldmark's delimiter algorithm, the one emphasis and
// strikethrough use, so emphasis inside, around and across a spoiler
// nests the way CommonMark readers expect, and an unmatched "||" falls back
// to plain text.
type spoilerParser struct{}

func (spoilerParser) Trigger() []byte { return []byte{'|'} }

func (spoilerParser) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	// The inline loop calls again at the second pipe of a run it has
	// rejected; refusing after a pipe keeps "|||" literal as a whole.
	if block.PrecendingCharacter() == '|' {
		return nil
	}
	line, segment := block.PeekLine()
	if len(line) < 2 || line[0] != '|' || line[1] != '|' || (len(line) > 2 && line[2] == '|') {
		return nil
	}
	// Unlike emphasis, a spoiler may start or end with a space (people
	// type "|| like this ||"), so flanking does not matter. What does is
	// the line: a "||" can open only if another follows on its line, and
	// close only if another came before it there. A "||" that can do
	// neither is plain text at once, which keeps goldmark's pairing loop,
	// quadratic in the delimiters it holds, from ever seeing text full of
	// lone pipes.
	lineNo, _ := block.Position()
	seen, _ := pc.Get(spoilerLineKey).(*spoilerLine)
	if seen == nil || seen.block != parent || seen.line != lineNo {
		seen = &spoilerLine{block: parent, line: lineNo}
		pc.Set(spoilerLineKey, seen)
	}
	canOpen := bytes.Contains(line[2:], []byte("||"))
	canClose := seen.count > 0
	if !canOpen && !canClose {
		return nil
	}
	seen.count++
	d := parser.NewDelimiter(canOpen, canClose, 2, '|', spoilerDelimiters{line: lineNo})
	d.Segment = segment.WithStop(segment.Start + 2)
	block.Advance(2)
	pc.PushDelimiter(d)
	return d
}

// spoilerLineKey holds a *spoilerLine in the parser context.
var spoilerLineKey = parser.NewContextKey()

// spoilerLine counts the "||" delimiters found so far on one line of one
// block, so that spoilerParser knows whether a "||" has a partner before
// it.
type spoilerLine struct {
	block ast.Node
	line  int
	count int
}

// spoilerDelimiters pairs "||" delimiters. It carries the line of the block
// the delimiter is on, so that a pair can never span a line break.
type spoilerDelimiters struct {
	line int
}

func (p spoilerDelimiters) IsDelimiter(b byte) bool { return b == '|' }

func (p spoilerDelimiters) CanOpenCloser(opener, closer *parser.Delimiter) bool {
	o, ok := opener.Processor.(spoilerDelimiters)
	c, ok2 := closer.Processor.(spoilerDelimiters)
	return ok && ok2 && o.line == c.line
}

func (p spoilerDelimiters) OnMatch(int) ast.Node { return &spoilerNode{} }

// spoilerBlockParser reads "::: spoiler" fenced blocks, whose content is
// ordinary Markdown blocks.
type spoilerBlockParser struct{}

func (spoilerBlockParser) Trigger() []byte { return []byte{':'} }

// maxSpoilerDepth is how deeply block spoilers may nest; a deeper fence is
// plain text. Every line is offered to every open block, so unbounded
// nesting would make a few kilobytes of fences cost seconds to parse.
const maxSpoilerDepth = 8

func (spoilerBlockParser) Open(parent ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	line, _ := reader.PeekLine()
	pos := pc.BlockOffset()
	if pos < 0 || pos >= len(line) {
		return nil, parser.NoChildren
	}
	depth := 0
	for p := parent; p != nil; p = p.Parent() {
		if p.Kind() == kindSpoilerBlock {
			depth++
		}
	}
	if depth >= maxSpoilerDepth {
		return nil, parser.NoChildren
	}
	n := colonRun(line[pos:])
	if n < 3 || !bytes.EqualFold(bytes.TrimSpace(line[pos+n:]), []byte("spoiler")) {
		return nil, parser.NoChildren
	}
	reader.AdvanceToEOL()
	return &spoilerBlockNode{fence: n}, parser.HasChildren
}

func (spoilerBlockParser) Continue(node ast.Node, reader text.Reader, _ parser.Context) parser.State {
	line, _ := reader.PeekLine()
	if w, pos := util.IndentWidth(line, reader.LineOffset()); w < 4 && pos < len(line) {
		n := colonRun(line[pos:])
		if n >= node.(*spoilerBlockNode).fence && util.IsBlank(line[pos+n:]) {
			reader.AdvanceToEOL()
			return parser.Close
		}
	}
	return parser.Continue | parser.HasChildren
}

func (spoilerBlockParser) Close(ast.Node, text.Reader, parser.Context) {}

// CanInterruptParagraph is true, as for fenced code, so a spoiler can start
// straight after a line of text.
func (spoilerBlockParser) CanInterruptParagraph() bool { return true }

func (spoilerBlockParser) CanAcceptIndentedLine() bool { return false }

// colonRun returns how many colons b starts with.
func colonRun(b []byte) int {
	n := 0
	for n < len(b) && b[n] == ':' {
		n++
	}
	return n
}

// spoilerTransformer runs after parsing, once links have been checked.
//
// A link or image containing a spoiler is moved inside one, so the whole
// link is hidden: a checkbox inside <a> is invalid HTML, clicking it would
// follow the link, and an image's alt text would show the spoiler anyway.
//
// A heading containing a spoiler gets its anchor rebuilt from the text
// outside spoilers, since goldmark builds the id from the raw line and the
// id ends up in URLs and tables of contents.
type spoilerTransformer struct{}

func (spoilerTransformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	source := reader.Source()
	for _, n := range collect(doc, func(n ast.Node) bool { return n.Kind() == kindSpoiler }) {
		var outer ast.Node
		for p := n.Parent(); p != nil; p = p.Parent() {
			if k := p.Kind(); k == ast.KindLink || k == ast.KindImage {
				outer = p
			}
		}
		if outer == nil {
			continue
		}
		unwrap(n)
		if insideSpoiler(outer) {
			continue
		}
		s := &spoilerNode{}
		outer.Parent().ReplaceChild(outer.Parent(), outer, s)
		s.AppendChild(s, outer)
	}
	for _, n := range collect(doc, func(n ast.Node) bool { return n.Kind() == ast.KindHeading }) {
		if _, ok := n.AttributeString("id"); !ok || !containsSpoiler(n) {
			continue
		}
		id := pc.IDs().Generate([]byte(plainText(n, source)), ast.KindHeading)
		n.SetAttributeString("id", id)
	}
}

// insideSpoiler reports whether n already sits inside an inline spoiler.
func insideSpoiler(n ast.Node) bool {
	for p := n.Parent(); p != nil; p = p.Parent() {
		if p.Kind() == kindSpoiler {
			return true
		}
	}
	return false
}

// containsSpoiler reports whether n holds an inline spoiler.
func containsSpoiler(n ast.Node) bool {
	return len(collect(n, func(c ast.Node) bool { return c.Kind() == kindSpoiler })) > 0
}

// spoilerRenderer writes both spoiler forms as HTML that works without
// JavaScript: a checkbox the CSS uses to reveal an inline spoiler (valid
// inside <p>, unlike <details>), and <details> for a block.
type spoilerRenderer struct{}

func (spoilerRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(kindSpoiler, renderSpoiler)
	reg.Register(kindSpoilerBlock, renderSpoilerBlock)
}

func renderSpoiler(w util.BufWriter, _ []byte, _ ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		_, _ = w.WriteString(`<span class="spoiler"><input type="checkbox" class="spoiler-toggle" aria-label="Show spoiler"><span class="spoiler-text">`)
	} else {
		_, _ = w.WriteString(`</span></span>`)
	}
	return ast.WalkContinue, nil
}

func renderSpoilerBlock(w util.BufWriter, _ []byte, _ ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		_, _ = w.WriteString("<details class=\"spoiler\"><summary>Spoiler: select to show</summary>\n")
	} else {
		_, _ = w.WriteString("</details>\n")
	}
	return ast.WalkContinue, nil
}
