package markdown

import (
	"bytes"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// readerRel is the rel attribute of every link in reader text: nofollow and
// ugc tell search engines the site does not vouch for it (so spam earns
// nothing), and noopener keeps the target from scripting this tab.
var readerRel = []byte("nofollow ugc noopener")

// linkPolicy checks every link, autolink and image URL against an allow
// list of schemes before rendering. goldmark's own check is a deny list
// (javascript:, vbscript:, file: and most data:), and an allow list is the
// rule that still holds when a browser learns a new dangerous scheme.
//
// A link that fails keeps its text; an image that fails keeps its alt
// text. For readers, relative URLs fail too (a reader has no business
// linking into the site's own paths or fragments), and the links that pass
// get readerRel.
type linkPolicy struct {
	reader bool
}

func (p linkPolicy) Transform(doc *ast.Document, reader text.Reader, _ parser.Context) {
	source := reader.Source()
	nodes := collect(doc, func(n ast.Node) bool {
		k := n.Kind()
		return k == ast.KindLink || k == ast.KindAutoLink || k == ast.KindImage
	})
	for _, n := range nodes {
		switch n := n.(type) {
		case *ast.Link:
			// Exactly what goldmark's renderer will write into href.
			if !allowedURL(util.URLEscape(n.Destination, true), !p.reader) {
				unwrap(n)
				continue
			}
			if p.reader {
				n.SetAttributeString("rel", readerRel)
			}
		case *ast.Image:
			if !allowedURL(util.URLEscape(n.Destination, true), !p.reader) {
				unwrap(n)
			}
		case *ast.AutoLink:
			url := util.URLEscape(n.URL(source), false)
			if n.AutoLinkType == ast.AutoLinkEmail && !hasPrefixFold(url, "mailto:") {
				url = append([]byte("mailto:"), url...)
			}
			if !allowedURL(url, !p.reader) {
				label := ast.NewString(bytes.Clone(n.Label(source)))
				label.SetRaw(true) // an autolink's label is shown verbatim
				n.Parent().ReplaceChild(n.Parent(), n, label)
				continue
			}
			if p.reader {
				n.SetAttributeString("rel", readerRel)
			}
		}
	}
}

// allowedURL reports whether url may be used as an href or src: it must
// have the scheme http, https or mailto, or, when relativeOK, no scheme at
// all. The scheme is found the way a browser finds it, after dropping the
// tabs and newlines it ignores and the spaces and control characters it
// trims, so "java\tscript:" counts as javascript:.
func allowedURL(url []byte, relativeOK bool) bool {
	scheme, ok := urlScheme(url)
	if !ok {
		return relativeOK
	}
	switch scheme {
	case "http", "https", "mailto":
		return true
	}
	return false
}

// urlScheme returns the lower-cased scheme of url, following the WHATWG URL
// parser: a letter, then letters, digits, "+", "-" or ".", then ":". It
// reports false for a URL without one, which a browser resolves as
// relative.
func urlScheme(url []byte) (string, bool) {
	u := make([]byte, 0, len(url))
	for _, c := range url {
		if c != '\t' && c != '\n' && c != '\r' {
			u = append(u, c)
		}
	}
	u = bytes.TrimLeft(u, controlOrSpace)
	for i, c := range u {
		switch {
		case c == ':' && i > 0:
			return string(bytes.ToLower(u[:i])), true
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		case i > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'):
		default:
			return "", false
		}
	}
	return "", false
}

// controlOrSpace holds the C0 control characters and space, which a browser
// trims from both ends of a URL.
var controlOrSpace = func() string {
	b := make([]byte, 0, 0x21)
	for c := byte(0); c <= 0x20; c++ {
		b = append(b, c)
	}
	return string(b)
}()

// hasPrefixFold reports whether b starts with prefix, ignoring ASCII case.
func hasPrefixFold(b []byte, prefix string) bool {
	return len(b) >= len(prefix) && bytes.EqualFold(b[:len(prefix)], []byte(prefix))
}
