package markdown_test

import (
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"marquee/internal/markdown"
)

// xssSeeds are the attacks goldmark and this package must defuse: known
// goldmark pitfalls and the usual filter-evasion lists.
var xssSeeds = []string{
	"[x](javascript:alert(1))",
	"[x](&#106;avascript:alert(1))",
	"[x](javascript&colon;alert(1))",
	"[x](&#x6A;avascript&#x3A;alert(1))",
	"<javascript:alert(1)>",
	"<JAVASCRIPT:alert(1)>",
	"<script>alert(1)</script>",
	"<script>",
	"<img src=x onerror=alert(1)>",
	"<a href=\"javascript:alert(1)\">x</a>",
	"<iframe src=\"https://example.com\"></iframe>",
	"<style>body{display:none}</style>",
	"<object data=x></object><embed src=x>",
	"<form action=javascript:alert(1)><button formaction=javascript:alert(1)>x</button></form>",
	"<input type=text autofocus onfocus=alert(1)>",
	"[x](JaVaScRiPt:alert(1))",
	"[x](vbscript:msgbox)",
	"[x](data:text/html;base64,PHNjcmlwdD4=)",
	"![x](data:image/svg+xml;base64,PHN2Zz4=)",
	"![x](data:image/png;base64,AAAA)",
	"![x](javascript:alert(1))",
	"[x](< javascript:alert(1)>)",
	"[x](<java\tscript:alert(1)>)",
	"[x](\x01javascript:alert(1))",
	"[x][r]\n\n[r]: javascript:alert(1)",
	"[x](https://example.com \"a\\\" onmouseover=\\\"alert(1)\")",
	"![x\" onerror=\"alert(1)](https://example.com/p.png)",
	"[x](https://example.com/\" onclick=\"alert(1))",
	"javascript:alert(1)",
	"www.example.com/\"onmouseover=alert(1)",
	"||[x](javascript:alert(1))||",
	"||<script>alert(1)</script>||",
	"||<img src=x onerror=alert(1)>||",
	"[||x||](javascript:alert(1))",
	"||[x](https://example.com)||",
	"![||x||](javascript:alert(1))",
	"::: spoiler\n<script>alert(1)</script>\n[x](javascript:alert(1))\n:::",
	"::: spoiler\n- [x](vbscript:msgbox)\n:::",
	"# ||\"><script>alert(1)</script>||",
	"Claim.[^1]\n\n[^1]: [x](javascript:alert(1))",
	"[^<script>]: x\n\n[^<script>]",
	"| a |\n|---|\n| <script>alert(1)</script> |",
	"`<script>alert(1)</script>`",
}

// spoilerSeeds each hide the word "Rosebud", which must not show anywhere
// outside a spoiler: not in the visible text of either dialect, not in an
// attribute (heading id, alt text, href), and not in Excerpt.
var spoilerSeeds = []string{
	"It is ||Rosebud||.",
	"It is || Rosebud ||.",
	"||the sled is *Rosebud*||",
	"Text ||Rose**bud**||",
	"[it is ||Rosebud||](https://example.com)",
	"||[Rosebud](https://example.com/rosebud)||",
	"||https://rosebud.example||",
	"# Twist: ||Rosebud||",
	"![poster ||Rosebud||](https://example.com/p.png)",
	"> quoted ||Rosebud||",
	"- a list ||Rosebud||",
	"Claim.[^1]\n\n[^1]: It is ||Rosebud||.",
	"::: spoiler\nRosebud\n:::",
	"::: spoiler\n- the sled\n- Rosebud\n:::\nAfter.",
	"::: spoiler\n# Rosebud\n:::",
	"::: spoiler\n| a |\n|---|\n| Rosebud |\n:::",
	"Intro.\n\n::: spoiler\nIt is Rosebud.",
	":::: spoiler\n::: spoiler\nRosebud\n:::\nRosebud\n::::",
	"> ::: spoiler\n> Rosebud\n> :::",
}

func FuzzRender(f *testing.F) {
	for _, s := range xssSeeds {
		f.Add(s)
	}
	for _, s := range spoilerSeeds {
		f.Add(s)
	}
	for _, s := range linkSeeds {
		f.Add(s)
	}
	f.Add(strings.Repeat(">", 2_000))
	f.Add(strings.Repeat("- ", 200) + "x")
	r := markdown.New()
	f.Fuzz(func(t *testing.T, src string) {
		critic := mustRender(t, r.Render, src)
		checkSafeHTML(t, "Render", src, critic, false)
		checkBounded(t, "Render", src, critic, false)
		reader := mustRender(t, r.RenderReader, src)
		checkSafeHTML(t, "RenderReader", src, reader, true)
		checkBounded(t, "RenderReader", src, reader, true)
		if ex := markdown.Excerpt(src, 160); utf8.ValidString(src) && utf8.RuneCountInString(ex) > 160 {
			t.Errorf("Excerpt(%q, 160) = %q, longer than 160 runes", src, ex)
		}
		checkLinkCount(t, src, reader)
	})
}

// linkSeeds hold links in every form CountLinks knows, and in places a
// link count could miss.
var linkSeeds = []string{
	"[a](https://example.com) [b][r] <https://example.org> www.example.net me@example.com\n\n[r]: https://example.com/r",
	"||[hidden](https://example.com)|| and\n\n::: spoiler\nhttps://example.org\n:::",
	"> - [quoted](https://example.com)\n>   1. https://example.org",
	"~~https://example.com~~ *[em](https://example.com)*",
	"| a |\n|---|\n| [x](https://example.com) |",
	"# [heading](https://example.com)",
	"[![image](https://example.com/p.jpg)](https://example.com)",
}

// checkLinkCount fails t if RenderReader's output, reader, shows more
// links than CountLinks(src) counts. CountLinks enforces the limit on links
// in reader reviews, so a link it misses is a link a spammer gets for
// free. (It may count more: links RenderReader drops for their scheme, or
// hides because they hold a spoiler, still count.)
func checkLinkCount(t *testing.T, src, reader string) {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(reader))
	if err != nil {
		t.Fatalf("RenderReader(%q): parse %q: %v", src, reader, err)
	}
	shown := 0
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.DataAtom == atom.A {
			shown++
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if n := markdown.CountLinks(src); n < shown {
		t.Errorf("CountLinks(%q) = %d, but RenderReader shows %d <a> elements: %q", src, n, shown, reader)
	}
}

// TestSeedsAreSafe runs the fuzz seeds as ordinary tests, so `go test`
// checks them even where nobody runs the fuzzer.
func TestSeedsAreSafe(t *testing.T) {
	r := markdown.New()
	for _, src := range slices.Concat(xssSeeds, spoilerSeeds, linkSeeds) {
		checkSafeHTML(t, "Render", src, mustRender(t, r.Render, src), false)
		reader := mustRender(t, r.RenderReader, src)
		checkSafeHTML(t, "RenderReader", src, reader, true)
		checkLinkCount(t, src, reader)
	}
}

func TestSpoilerContentStaysHidden(t *testing.T) {
	r := markdown.New()
	for _, src := range spoilerSeeds {
		if ex := markdown.Excerpt(src, 500); strings.Contains(strings.ToLower(ex), "rosebud") {
			t.Errorf("Excerpt(%q) = %q, shows the spoiler", src, ex)
		}
		for what, render := range map[string]func(string) (markdown.HTML, error){"Render": r.Render, "RenderReader": r.RenderReader} {
			out := mustRender(t, render, src)
			if !strings.Contains(out, `class="spoiler"`) {
				t.Errorf("%s(%q) = %q, has no spoiler", what, src, out)
			}
			if vis := visibleText(t, out); strings.Contains(strings.ToLower(vis), "rosebud") {
				t.Errorf("%s(%q) = %q, shows the spoiler outside a spoiler element: %q", what, src, out, vis)
			}
		}
	}
}

// visibleText returns the text and attribute values of the HTML fragment
// out, leaving out everything inside a spoiler: an inline spoiler's
// .spoiler-text and a block spoiler's content after its summary.
func visibleText(t *testing.T, out string) string {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(out))
	if err != nil {
		t.Fatalf("parse %q: %v", out, err)
	}
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			b.WriteString(n.Data)
			b.WriteByte(' ')
		case html.ElementNode:
			for _, a := range n.Attr {
				b.WriteString(a.Val)
				b.WriteByte(' ')
			}
			if n.DataAtom == atom.Span && hasClass(n, "spoiler-text") {
				return
			}
			if n.DataAtom == atom.Details && hasClass(n, "spoiler") {
				for c := n.FirstChild; c != nil; c = c.NextSibling {
					if c.DataAtom == atom.Summary {
						walk(c)
					}
				}
				return
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return b.String()
}

// criticElements are the elements Render may produce; readerElements those
// RenderReader may. html, head and body are added by the HTML parser.
var (
	readerElements = atomSet(atom.Html, atom.Head, atom.Body,
		atom.P, atom.Br, atom.Em, atom.Strong, atom.Del, atom.Code, atom.Pre,
		atom.Blockquote, atom.Ul, atom.Ol, atom.Li, atom.A,
		atom.Span, atom.Input, atom.Details, atom.Summary)
	criticElements = atomSet(append(readerElements.list(),
		atom.Img, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6,
		atom.Table, atom.Thead, atom.Tbody, atom.Tr, atom.Th, atom.Td,
		atom.Hr, atom.Sup, atom.Div)...)
)

// checkSafeHTML fails t if out, the HTML that render produced from src,
// could run script or break out of the review: forbidden elements, event
// handler attributes, script-capable URLs, or form controls other than the
// spoiler toggle. For reader output it also requires every link to be an
// http, https or mailto link with the user-generated-content rel.
func checkSafeHTML(t *testing.T, what, src, out string, reader bool) {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(out))
	if err != nil {
		t.Fatalf("%s(%q): parse %q: %v", what, src, out, err)
	}
	allowed := criticElements
	if reader {
		allowed = readerElements
	}
	fail := func(format string, args ...any) {
		t.Helper()
		t.Errorf("%s(%q) = %q: "+format, append([]any{what, src, out}, args...)...)
	}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.Script, atom.Iframe, atom.Object, atom.Embed, atom.Style:
				fail("has a <%s> element", n.Data)
			}
			if !allowed[n.DataAtom] {
				fail("has an unexpected <%s> element", n.Data)
			}
			for _, a := range n.Attr {
				key := strings.ToLower(a.Key)
				if strings.HasPrefix(key, "on") {
					fail("has an event handler attribute %s=%q", a.Key, a.Val)
				}
				switch key {
				case "href", "src", "action", "formaction":
					v := normalizeURL(a.Val)
					for _, bad := range []string{"javascript:", "vbscript:", "data:"} {
						if strings.HasPrefix(v, bad) {
							fail("has %s=%q", a.Key, a.Val)
						}
					}
				}
			}
			if n.DataAtom == atom.Input && (attr(n, "type") != "checkbox" || attr(n, "class") != "spoiler-toggle" || len(n.Attr) != 3) {
				fail("has an <input> that is not the spoiler toggle: %v", n.Attr)
			}
			if reader && n.DataAtom == atom.A {
				if rel := attr(n, "rel"); rel != "nofollow ugc noopener" {
					fail("has a link with rel=%q", rel)
				}
				v := normalizeURL(attr(n, "href"))
				if !strings.HasPrefix(v, "http:") && !strings.HasPrefix(v, "https:") && !strings.HasPrefix(v, "mailto:") {
					fail("has a link to %q", attr(n, "href"))
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
}

// normalizeURL is a URL as a browser reads its scheme: trimmed, with
// whitespace and control characters removed, lower-cased.
func normalizeURL(v string) string {
	return strings.ToLower(strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			return -1
		}
		return r
	}, v))
}

// attr returns the value of n's attribute key, or "".
func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// hasClass reports whether n's class attribute lists class.
func hasClass(n *html.Node, class string) bool {
	for _, c := range strings.Fields(attr(n, "class")) {
		if c == class {
			return true
		}
	}
	return false
}

type atoms map[atom.Atom]bool

func atomSet(list ...atom.Atom) atoms {
	s := atoms{}
	for _, a := range list {
		s[a] = true
	}
	return s
}

func (s atoms) list() []atom.Atom {
	l := make([]atom.Atom, 0, len(s))
	for a := range s {
		l = append(l, a)
	}
	return l
}
