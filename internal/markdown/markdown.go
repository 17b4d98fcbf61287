// Package markdown turns the Markdown that critics and readers write into
// HTML, and into the plain text used for listings, meta descriptions and
// feeds. It is the only place in Marquee that renders user text as HTML, so
// its safety rules hold everywhere: raw HTML in the source is dropped (the
// renderer is never given html.WithUnsafe), goldmark (1.7.17 or later)
// blanks links with dangerous schemes such as javascript:, and on top of
// that every link and image goes through this package's own scheme check,
// so only http, https and mailto (plus, for critics, relative) URLs ever
// reach an href or src.
//
// # Two dialects
//
// Critic reviews (Render) get the full set: GitHub-flavoured tables,
// strikethrough and bare-URL links, footnotes, typographic quotes and
// dashes, and headings with anchors, demoted two levels so they fit under
// the page's own h1 and h2.
//
// Reader reviews (RenderReader) get a small subset: paragraphs, hard line
// breaks, emphasis, strikethrough, inline code, code blocks, block quotes,
// lists, links, autolinks and bare URLs, and spoilers. Everything else is
// shown as the text the reader typed rather than as markup: a heading's
// text becomes a plain paragraph, an image becomes its alt text, table and
// footnote syntax stays literal, and thematic breaks are dropped. Reader
// text is not run through the typographer, so quotes and dashes stay as
// typed. Every reader link carries rel="nofollow ugc noopener", and only
// absolute http, https and mailto URLs become links; any other link is
// shown as its text.
//
// # Spoilers
//
// Both dialects, and Excerpt, understand two spoiler forms.
//
// An inline spoiler wraps text inside a paragraph in double pipes:
//
//	The sled is called ||Rosebud, and it *burns*||.
//
// The hidden part may hold emphasis, code and links, but not a line break:
// a "||" with no closing "||" later on the same line is plain text, as is
// any run of three or more pipes. Write "\|" for a literal pipe. Pipes split
// table cells first, so an inline spoiler cannot sit inside a table; wrap
// the table in a block spoiler instead. It renders as a checkbox-driven
// span that works without JavaScript (the site's CSS hides .spoiler-text
// until the box is ticked):
//
//	<span class="spoiler"><input type="checkbox" class="spoiler-toggle" aria-label="Show spoiler"><span class="spoiler-text">…</span></span>
//
// A block spoiler fences any Markdown blocks between a line "::: spoiler"
// and a line ":::":
//
//	::: spoiler
//	The last act reveals the twist.
//
//	- every clue
//	- in order
//	:::
//
// The opening fence is three or more colons and the word "spoiler" (in any
// case); a closing fence needs at least as many colons as the opening one,
// so to nest block spoilers give the outer fence more colons (they nest at
// most eight deep; a deeper fence is plain text). A block with
// no closing fence runs to the end of the text. It renders as
//
//	<details class="spoiler"><summary>Spoiler: select to show</summary>…</details>
//
// A link or image that contains a spoiler is hidden whole, because a
// checkbox inside a link would be both invalid HTML and a trap for clicks;
// and a heading's anchor is built from its text outside spoilers only.
// Excerpt drops the content of every spoiler.
package markdown

import (
	"bytes"
	"context"
	"fmt"
	"io"

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

// Priorities of this package's AST transformers. goldmark runs transformers
// in ascending order, and all of these must run before the footnote
// extension's (999), which gathers footnote definitions at the end.
const (
	priorityHeadingDemoter = 100
	priorityReaderSubset   = 100
	priorityNestingLimit   = 150
	priorityLinkPolicy     = 200
	prioritySpoilers       = 300
)

// Renderer renders Markdown with the site's settings. It is safe for
// concurrent use; build one at start-up and share it.
type Renderer struct {
	critic goldmark.Markdown
	reader goldmark.Markdown
	cache  *renderCache
}

// renderCacheBytes bounds the markup and sources a Renderer keeps: some
// thousands of reviews, a few megabytes.
const renderCacheBytes = 16 << 20

// The dialects, as the render cache tells them apart.
const (
	dialectCritic byte = 'c'
	dialectReader byte = 'r'
	dialectPlain  byte = 'p' // Excerpt's text, not markup
)

// New returns a Renderer with GitHub-flavoured tables, strikethrough and
// autolinks, footnotes, typographic quotes and dashes, heading anchors and
// spoilers for critics, and the smaller reader dialect described in the
// package documentation.
func New() *Renderer {
	critic := goldmark.New(
		goldmark.WithExtensions(
			extension.Table,
			extension.Strikethrough,
			extension.Linkify,
			extension.Footnote,
			extension.Typographer,
			spoilers,
		),
		goldmark.WithParserOptions(
			parser.WithAutoHeadingID(),
			parser.WithASTTransformers(
				util.Prioritized(headingDemoter{}, priorityHeadingDemoter),
				util.Prioritized(nestingLimit{}, priorityNestingLimit),
				util.Prioritized(linkPolicy{}, priorityLinkPolicy),
			),
		),
	)
	reader := goldmark.New(
		goldmark.WithExtensions(
			extension.Strikethrough,
			extension.Linkify,
			spoilers,
		),
		goldmark.WithParserOptions(
			// Footnote syntax is parsed only so that readerSubset can put
			// it back as literal text; without the parsers, "[^1]: note"
			// would silently become a link reference definition.
			parser.WithBlockParsers(util.Prioritized(extension.NewFootnoteBlockParser(), 999)),
			parser.WithInlineParsers(util.Prioritized(extension.NewFootnoteParser(), 101)),
			parser.WithASTTransformers(
				util.Prioritized(readerSubset{}, priorityReaderSubset),
				util.Prioritized(nestingLimit{}, priorityNestingLimit),
				util.Prioritized(linkPolicy{reader: true}, priorityLinkPolicy),
			),
		),
	)
	return &Renderer{critic: critic, reader: reader, cache: newRenderCache(renderCacheBytes)}
}

// HTML is markup this package rendered from Markdown with the site's safe
// settings. Its contents are unexported, so no other package can make one
// from an arbitrary string: a template that prints an HTML value unescaped
// prints only what went through the renderer. It is a templ component
// (a template writes it with @body), so templates never need templ.Raw.
type HTML struct{ html string }

// Render writes the markup, as a templ.Component does.
func (h HTML) Render(_ context.Context, w io.Writer) error {
	_, err := io.WriteString(w, h.html)
	return err
}

// String returns the markup, for callers that embed it in another format
// (a JSON answer, a feed) that escapes it again.
func (h HTML) String() string { return h.html }

// IsZero reports whether h holds no markup.
func (h HTML) IsZero() bool { return h.html == "" }

// Render returns the HTML for src, a critic's review.
func (r *Renderer) Render(src string) (HTML, error) {
	return r.convert(dialectCritic, r.critic, src)
}

// RenderReader returns the HTML for src, a reader's review, in the reader
// dialect: a small Markdown subset whose links are marked as user-generated
// and limited to http, https and mailto, so reader text can neither restyle
// the page nor lend it search-engine weight. Its nesting is bounded
// (MaxNesting) and so is its size (MaxReaderHTMLBytes).
func (r *Renderer) RenderReader(src string) (HTML, error) {
	return r.convert(dialectReader, r.reader, src)
}

// Excerpt is the package's Excerpt, its plain text kept like the renders:
// a page that describes the same review again (its meta description, its
// structured data, a feed, at whatever length) does not parse it again.
func (r *Renderer) Excerpt(src string, maxRunes int) string {
	if maxRunes <= 0 {
		return ""
	}
	key := renderKey{dialectPlain, src}
	plain, ok := r.cache.get(key)
	if !ok {
		plain = HTML{plainWhole(src)}
		r.cache.put(key, plain)
	}
	return truncate(plain.html, maxRunes)
}

// convert renders src in a dialect, or returns what it rendered for the
// same source before: goldmark is pure, so the same text gives the same
// markup.
func (r *Renderer) convert(dialect byte, md goldmark.Markdown, src string) (HTML, error) {
	key := renderKey{dialect, src}
	if h, ok := r.cache.get(key); ok {
		return h, nil
	}
	h, err := convert(md, src)
	if err != nil {
		return HTML{}, err
	}
	if dialect == dialectReader {
		h = boundReaderHTML(h, src)
	}
	r.cache.put(key, h)
	return h, nil
}

// convert renders src with md into a buffer, so a failure never yields
// half a document.
func convert(md goldmark.Markdown, src string) (HTML, error) {
	var buf htmlBuffer
	if err := md.Convert([]byte(src), &buf); err != nil {
		return HTML{}, fmt.Errorf("render markdown: %w", err)
	}
	return HTML{buf.String()}, nil
}

// htmlBuffer is what a render is written into: a bytes.Buffer that is the
// buffered writer goldmark asks for (util.BufWriter), which it would
// otherwise put in front of the buffer, 4 kB for every review rendered.
// What is written is in the buffer at once: there is nothing to flush.
type htmlBuffer struct{ bytes.Buffer }

func (*htmlBuffer) Flush() error  { return nil }
func (*htmlBuffer) Buffered() int { return 0 }

var _ util.BufWriter = (*htmlBuffer)(nil)

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

// collect returns the nodes under root, in document order, for which keep
// is true. Transformers collect first and change the tree afterwards,
// because moving nodes during ast.Walk would skip or revisit them.
func collect(root ast.Node, keep func(ast.Node) bool) []ast.Node {
	var nodes []ast.Node
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering && keep(n) {
			nodes = append(nodes, n)
		}
		return ast.WalkContinue, nil
	})
	return nodes
}

// unwrap replaces n with its children, keeping what a link or image says
// while dropping the link or image itself.
func unwrap(n ast.Node) {
	parent := n.Parent()
	if parent == nil {
		return
	}
	for c := n.FirstChild(); c != nil; {
		next := c.NextSibling()
		parent.InsertBefore(parent, n, c)
		c = next
	}
	parent.RemoveChild(parent, n)
}
