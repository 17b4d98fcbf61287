package markdown

import (
	"bufio"
	"bytes"
	"html"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	fast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	ghtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// plainParser parses text for Excerpt and CountLinks. It knows every
// construct either dialect does, so that footnotes and spoilers can be
// recognised and dropped, and it has no typographer, so an excerpt keeps
// the writer's own quotes and dashes. goldmark parsers keep no state
// between calls, so one is shared.
var plainParser = sync.OnceValue(func() parser.Parser {
	return goldmark.New(goldmark.WithExtensions(
		extension.Table,
		extension.Strikethrough,
		extension.Linkify,
		extension.Footnote,
		spoilers,
	)).Parser()
})

// Excerpt returns src as plain text for listings, meta descriptions and
// feeds: Markdown syntax, raw HTML, images and footnotes are removed, the
// content of every spoiler is removed entirely (an excerpt appears where
// nobody has chosen to see spoilers), and runs of whitespace become single
// spaces. If the text is longer than maxRunes runes it is cut at a word
// boundary and "…" is appended, the result, ellipsis included, being at
// most maxRunes runes. The result is not HTML-escaped: the template that
// prints it escapes it.
func Excerpt(src string, maxRunes int) string {
	if maxRunes <= 0 {
		return ""
	}
	return truncate(plainWhole(src), maxRunes)
}

// plainWhole is src as Excerpt gives it before it is cut: plain text, its
// whitespace collapsed.
func plainWhole(src string) string {
	source := []byte(src)
	doc := plainParser().Parse(text.NewReader(source))
	return strings.Join(strings.Fields(plainText(doc, source)), " ")
}

// linkParser parses text for CountLinks as the reader dialect does:
// footnote syntax is parsed but no footnote is dropped, so a link inside a
// footnote definition that nothing refers to (which the reader dialect
// shows as literal text, link and all) is counted too.
var linkParser = sync.OnceValue(func() parser.Parser {
	return goldmark.New(
		goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.Linkify, spoilers),
		goldmark.WithParserOptions(
			parser.WithBlockParsers(util.Prioritized(extension.NewFootnoteBlockParser(), 999)),
			parser.WithInlineParsers(util.Prioritized(extension.NewFootnoteParser(), 101)),
		),
	).Parser()
})

// CountLinks returns how many links src holds: inline and reference links,
// autolinks in angle brackets, and the bare URLs and email addresses that
// linkify turns into links, counted whatever their scheme and wherever
// they sit (spoilers included). Images are not links. It is meant for the
// spam limit on reader reviews, so it counts what the syntax asks for
// rather than what RenderReader finally shows.
func CountLinks(src string) int {
	source := []byte(src)
	doc := linkParser().Parse(text.NewReader(source))
	return len(collect(doc, func(n ast.Node) bool {
		k := n.Kind()
		return k == ast.KindLink || k == ast.KindAutoLink
	}))
}

// plainWriters are the buffered writers plainText writes through (goldmark
// writes text to a util.BufWriter): each has a 4 kB buffer, and an export
// takes an excerpt of every review on the site.
var plainWriters = sync.Pool{New: func() any { return bufio.NewWriter(nil) }}

// plainText returns the text of the tree under n with spoilers, footnotes,
// images and raw HTML left out and blocks separated by spaces. Text is
// written through goldmark's own HTML writer, which resolves backslash
// escapes and entities exactly as the HTML renderer does, and then
// unescaped, so "&amp;" and "\*" come out as "&" and "*".
func plainText(n ast.Node, source []byte) string {
	var buf bytes.Buffer
	w := plainWriters.Get().(*bufio.Writer)
	w.Reset(&buf)
	defer func() {
		w.Reset(nil)
		plainWriters.Put(w)
	}()
	_ = ast.Walk(n, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			if n.Type() == ast.TypeBlock {
				_ = w.WriteByte(' ')
			}
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *spoilerNode, *spoilerBlockNode, *ast.Image, *ast.RawHTML, *ast.HTMLBlock,
			*fast.FootnoteLink, *fast.FootnoteBacklink, *fast.FootnoteList, *fast.Footnote:
			return ast.WalkSkipChildren, nil
		case *ast.Text:
			if n.IsRaw() {
				ghtml.DefaultWriter.RawWrite(w, n.Value(source))
			} else {
				ghtml.DefaultWriter.Write(w, n.Value(source))
			}
			if n.SoftLineBreak() || n.HardLineBreak() {
				_ = w.WriteByte(' ')
			}
		case *ast.String:
			if n.IsRaw() || n.IsCode() {
				ghtml.DefaultWriter.RawWrite(w, n.Value)
			} else {
				ghtml.DefaultWriter.Write(w, n.Value)
			}
		case *ast.AutoLink:
			ghtml.DefaultWriter.RawWrite(w, n.Label(source))
		case *ast.CodeBlock, *ast.FencedCodeBlock:
			lines := n.Lines()
			for i := range lines.Len() {
				seg := lines.At(i)
				ghtml.DefaultWriter.RawWrite(w, seg.Value(source))
			}
		}
		return ast.WalkContinue, nil
	})
	_ = w.Flush()
	return html.UnescapeString(buf.String())
}

// truncate cuts s, already whitespace-collapsed, to at most limit runes,
// ellipsis included, at the last space that fits; a first word longer than
// that is cut mid-word rather than dropped.
func truncate(s string, limit int) string {
	if !utf8.ValidString(s) {
		// Each byte that is not UTF-8 becomes U+FFFD, as it would in a
		// slice of runes, so what is cut is valid text.
		s = string([]rune(s))
	}
	// Walk the first limit+1 runes: the byte offset of the rune at
	// index keep, and of the last space at an index from 1 to keep.
	keep := limit - 1 // room for the ellipsis
	keepAt, spaceAt := -1, -1
	n := 0
	for i, r := range s {
		if n == limit {
			// There is a rune past the limit: cut.
			cut := spaceAt
			if cut < 0 {
				cut = keepAt
			}
			head := strings.TrimRight(s[:cut], " ,;:-–—")
			if head == "" && cut > 0 {
				head = s[:cut]
			}
			return head + "…"
		}
		if n == keep {
			keepAt = i
		}
		if r == ' ' && n >= 1 && n <= keep {
			spaceAt = i
		}
		n++
	}
	return s
}
