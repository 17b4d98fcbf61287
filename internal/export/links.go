package export

import (
	"bytes"
	"html"
	"net/url"
	"strings"
)

// eachLink calls visit with each address a response refers to (in HTML,
// every href, src and srcset, and the share images in meta tags; in XML,
// sitemaps and feeds, every loc and every link's href), as the response
// writes it: raw is a piece of body, or of a copy,
// and escaped says whether it may hold character references still to be
// unescaped (linkText). An HTML page's links cost no allocation this way,
// so the export can pass over those it has seen before for nothing.
func eachLink(contentType string, body []byte, visit func(raw []byte, escaped bool)) {
	ct, _, _ := strings.Cut(contentType, ";")
	var found []string
	switch strings.TrimSpace(ct) {
	case "text/html":
		eachHTMLLink(body, visit)
		return
	case "application/xml", "text/xml", "application/atom+xml":
		found = xmlLinks(body)
	case "text/plain":
		found = robotsLinks(body)
	}
	for _, link := range found {
		visit([]byte(link), false)
	}
}

// linkText is a link or attribute value as the document writes it, with
// its character references unescaped when it may hold some.
func linkText(raw string, escaped bool) string {
	if escaped && strings.IndexByte(raw, '&') >= 0 {
		return html.UnescapeString(raw)
	}
	return raw
}

// htmlLinks finds the links of an HTML page as an HTML tokenizer would
// (golang.org/x/net/html, which the tests hold it to): in start tags only,
// never in comments or in the text of raw-text elements (scripts, styles,
// titles), with attribute values unescaped.
func htmlLinks(body []byte) []string {
	var out []string
	eachHTMLLink(body, func(raw []byte, escaped bool) {
		out = append(out, linkText(string(raw), escaped))
	})
	return out
}

// eachHTMLLink calls visit with each link htmlLinks finds, in order. It
// reads the page once and allocates nothing but for a srcset holding a
// character reference, where a tokenizer costs about as much as rendering
// the page; the export reads every page it writes.
func eachHTMLLink(body []byte, visit func(raw []byte, escaped bool)) {
	s := body
	for {
		lt := bytes.IndexByte(s, '<')
		if lt < 0 || lt+1 >= len(s) {
			return
		}
		s = s[lt+1:]
		switch c := s[0]; {
		case c == '!':
			if bytes.HasPrefix(s, []byte("!--")) {
				end := bytes.Index(s[3:], []byte("-->"))
				if end < 0 {
					return
				}
				s = s[3+end+3:]
				continue
			}
			s = skipPast(s, '>') // A doctype or a bogus comment.
		case c == '/' || c == '?':
			s = skipPast(s, '>') // An end tag or a bogus comment.
		case isASCIILetter(c):
			var tag []byte
			tag, s = startTag(s, visit)
			if raw := rawTextElement(tag); raw != "" {
				s = skipRawText(s, raw)
			}
		}
	}
}

// startTag reads the start tag at the beginning of s (just after its '<'),
// gives its links to visit, and returns the tag's name (lower case) and
// what follows the tag.
func startTag(s []byte, visit func(raw []byte, escaped bool)) (tag, rest []byte) {
	i := 0
	for i < len(s) && !isSpace(s[i]) && s[i] != '/' && s[i] != '>' {
		i++
	}
	tag = lower(s[:i])
	s = s[i:]
	kind := linkTagKind(tag)
	var property, content []byte
	for {
		// Between attributes: spaces and stray slashes, as the tokenizer
		// skips them.
		for len(s) > 0 && betweenAttributes[s[0]] {
			s = s[1:]
		}
		if len(s) == 0 {
			return tag, s
		}
		if s[0] == '>' {
			s = s[1:]
			break
		}
		// The attribute's name runs to a space, '/', '=' or '>'; its first
		// character may be '='.
		j := 1
		for j < len(s) && !endsAttributeName[s[j]] {
			j++
		}
		key := s[:j]
		s = s[j:]
		for len(s) > 0 && isSpace(s[0]) {
			s = s[1:]
		}
		var val []byte
		if len(s) > 0 && s[0] == '=' {
			s = s[1:]
			for len(s) > 0 && isSpace(s[0]) {
				s = s[1:]
			}
			if len(s) > 0 && (s[0] == '"' || s[0] == '\'') {
				q := s[0]
				end := bytes.IndexByte(s[1:], q)
				if end < 0 {
					return tag, nil // The page ends inside a value.
				}
				val, s = s[1:1+end], s[1+end+1:]
			} else {
				k := 0
				for k < len(s) && !isSpace(s[k]) && s[k] != '>' {
					k++
				}
				val, s = s[:k], s[k:]
			}
		}
		// Only six names matter, told apart by their length first: most
		// attributes of most tags are none of them.
		switch len(key) {
		case 3:
			if kind == srcTag && equalFoldASCII(key, "src") {
				visit(val, true)
			}
		case 4:
			if kind == hrefTag && equalFoldASCII(key, "href") {
				visit(val, true)
			} else if kind == metaTag && equalFoldASCII(key, "name") {
				property = val
			}
		case 6:
			if equalFoldASCII(key, "srcset") {
				srcsetLinks(val, visit)
			}
		case 7:
			if kind == metaTag && equalFoldASCII(key, "content") {
				content = val
			}
		case 8:
			if kind == metaTag && equalFoldASCII(key, "property") {
				property = val
			}
		}
	}
	if kind == metaTag && property != nil {
		switch linkText(string(property), true) {
		case "og:image", "twitter:image", "og:url":
			visit(content, true)
		}
	}
	return tag, s
}

// The kinds of tag whose attributes may hold links, besides srcset, which
// any tag's may.
const (
	otherTag = iota
	hrefTag  // a, link, area: href
	srcTag   // img, script, source: src
	metaTag  // meta: content, when property or name says it is a link
)

func linkTagKind(tag []byte) int {
	switch string(tag) {
	case "a", "link", "area":
		return hrefTag
	case "img", "script", "source":
		return srcTag
	case "meta":
		return metaTag
	}
	return otherTag
}

// equalFoldASCII reports whether b is name (lower case) with ASCII letters
// in any case, as the tokenizer lowers attribute names.
func equalFoldASCII(b []byte, name string) bool {
	if len(b) != len(name) {
		return false
	}
	for i := range len(b) {
		c := b[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != name[i] {
			return false
		}
	}
	return true
}

// betweenAttributes are the bytes skipped before an attribute's name,
// and endsAttributeName those that end it.
var betweenAttributes, endsAttributeName = func() (between, ends [256]bool) {
	for _, c := range []byte(" \n\t\r\f/") {
		between[c] = true
		ends[c] = true
	}
	ends['='] = true
	ends['>'] = true
	return
}()

// srcsetLinks gives visit the address of each candidate of a srcset
// value: the first field of each comma-separated part.
func srcsetLinks(val []byte, visit func(raw []byte, escaped bool)) {
	if bytes.IndexByte(val, '&') >= 0 {
		val = []byte(html.UnescapeString(string(val)))
	}
	for len(val) > 0 {
		part := val
		if comma := bytes.IndexByte(val, ','); comma >= 0 {
			part, val = val[:comma], val[comma+1:]
		} else {
			val = nil
		}
		if !isASCII(part) {
			// Other spaces (NBSP, NEL) separate fields too.
			if f := strings.Fields(string(part)); len(f) > 0 {
				visit([]byte(f[0]), false)
			}
			continue
		}
		i := 0
		for i < len(part) && isFieldSpace(part[i]) {
			i++
		}
		j := i
		for j < len(part) && !isFieldSpace(part[j]) {
			j++
		}
		if j > i {
			visit(part[i:j], false)
		}
	}
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

// isFieldSpace reports whether the ASCII byte c separates fields as
// strings.Fields does.
func isFieldSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

// rawTextElement returns the name of the element whose text the tokenizer
// reads raw, up to its end tag, or "" when tag is not one.
func rawTextElement(tag []byte) string {
	switch string(tag) {
	case "iframe", "noembed", "noframes", "noscript", "plaintext", "script", "style", "textarea", "title", "xmp":
		return string(tag)
	}
	return ""
}

// skipRawText returns what follows the end tag of the raw-text element
// tag in s, or nothing when the page ends first.
func skipRawText(s []byte, tag string) []byte {
	for {
		i := bytes.Index(s, []byte("</"))
		if i < 0 {
			return nil
		}
		s = s[i+2:]
		if len(s) >= len(tag) && strings.EqualFold(string(s[:len(tag)]), tag) {
			if rest := s[len(tag):]; len(rest) == 0 || isSpace(rest[0]) || rest[0] == '/' || rest[0] == '>' {
				return skipPast(rest, '>')
			}
		}
	}
}

// skipPast returns what follows the first c in s, or nothing.
func skipPast(s []byte, c byte) []byte {
	i := bytes.IndexByte(s, c)
	if i < 0 {
		return nil
	}
	return s[i+1:]
}

func isASCIILetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

func isSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' }

// lower returns b in lower case, b itself when it has no upper-case
// letter (the pages this reads never do).
func lower(b []byte) []byte {
	for _, c := range b {
		if 'A' <= c && c <= 'Z' {
			return bytes.ToLower(b)
		}
	}
	return b
}

// xmlLinks finds the links of a sitemap or feed as an XML decoder would
// (encoding/xml, which the tests hold it to): the text of every loc
// element and the href of every link element, whatever their namespace
// prefix, never in comments, CDATA sections or processing instructions,
// with entities unescaped. Like htmlLinks it reads the document once: a
// decoder costs as much as writing the feed.
func xmlLinks(body []byte) []string {
	var out []string
	s := body
	for {
		lt := bytes.IndexByte(s, '<')
		if lt < 0 {
			return out
		}
		s = s[lt+1:]
		switch {
		case bytes.HasPrefix(s, []byte("!--")):
			s = skipPastString(s[3:], "-->")
		case bytes.HasPrefix(s, []byte("![CDATA[")):
			s = skipPastString(s[8:], "]]>")
		case bytes.HasPrefix(s, []byte("?")):
			s = skipPastString(s[1:], "?>")
		case len(s) > 0 && (s[0] == '!' || s[0] == '/'):
			s = skipPast(s, '>') // A declaration or an end tag.
		default:
			var name []byte
			var selfClosing bool
			name, s, selfClosing, out = xmlStartTag(s, out)
			if string(name) == "loc" && selfClosing {
				out = append(out, "")
			} else if string(name) == "loc" {
				// The text up to the next tag; a loc holding anything but
				// text is not one the site writes.
				end := bytes.IndexByte(s, '<')
				if end < 0 {
					return out
				}
				if bytes.HasPrefix(s[end:], []byte("</")) {
					out = append(out, linkText(string(s[:end]), true))
				}
				s = s[end:]
			}
		}
	}
}

// xmlStartTag reads the start tag at the beginning of s (just after its
// '<'), adds a link element's href to out, and returns the tag's local
// name, what follows the tag and whether the tag closes itself.
func xmlStartTag(s []byte, out []string) (name, rest []byte, selfClosing bool, _ []string) {
	i := 0
	for i < len(s) && !isSpace(s[i]) && s[i] != '/' && s[i] != '>' {
		i++
	}
	name = s[:i]
	if colon := bytes.LastIndexByte(name, ':'); colon >= 0 {
		name = name[colon+1:]
	}
	s = s[i:]
	for {
		for len(s) > 0 && isSpace(s[0]) {
			s = s[1:]
		}
		switch {
		case len(s) == 0:
			return name, nil, false, out
		case s[0] == '>':
			return name, s[1:], false, out
		case s[0] == '/':
			return name, skipPast(s, '>'), true, out
		}
		eq := bytes.IndexByte(s, '=')
		if eq < 0 {
			return name, nil, false, out
		}
		key := bytes.TrimRight(s[:eq], " \t\r\n")
		if colon := bytes.LastIndexByte(key, ':'); colon >= 0 {
			key = key[colon+1:]
		}
		s = s[eq+1:]
		for len(s) > 0 && isSpace(s[0]) {
			s = s[1:]
		}
		if len(s) == 0 || (s[0] != '"' && s[0] != '\'') {
			return name, nil, false, out // Not well-formed: the decoder stops.
		}
		end := bytes.IndexByte(s[1:], s[0])
		if end < 0 {
			return name, nil, false, out
		}
		if string(name) == "link" && string(key) == "href" {
			out = append(out, linkText(string(s[1:1+end]), true))
		}
		s = s[1+end+1:]
	}
}

// skipPastString returns what follows the first sep in s, or nothing.
func skipPastString(s []byte, sep string) []byte {
	i := bytes.Index(s, []byte(sep))
	if i < 0 {
		return nil
	}
	return s[i+len(sep):]
}

// robotsLinks finds the sitemap robots.txt names.
func robotsLinks(body []byte) []string {
	var out []string
	for line := range strings.SplitSeq(string(body), "\n") {
		key, value, ok := strings.Cut(line, ":")
		if ok && strings.EqualFold(strings.TrimSpace(key), "sitemap") {
			out = append(out, strings.TrimSpace(value))
		}
	}
	return out
}

// localPath turns a link found on the page at from into a path (with its
// query) on this site, or reports that it leads elsewhere.
func localPath(link, from string, base *url.URL, prefix string) (string, bool) {
	// Most links are absolute paths, or the site's address and one, that
	// resolve to themselves: those are taken as they are, without parsing.
	if rest, ok := strings.CutPrefix(link, prefix); ok && prefix != "" && strings.HasPrefix(rest, "/") {
		link = rest
	}
	if plainPath(link) {
		return link, true
	}
	return resolveLink(link, from, base)
}

// resolveLink is localPath the long way: the link parsed and resolved
// against the page's address.
func resolveLink(link, from string, base *url.URL) (string, bool) {
	u, err := url.Parse(strings.TrimSpace(link))
	if err != nil || u.Opaque != "" {
		return "", false
	}
	if u.IsAbs() || u.Host != "" {
		if base == nil || !strings.EqualFold(u.Host, base.Host) || (u.Scheme != "" && u.Scheme != base.Scheme) {
			return "", false
		}
		u.Scheme, u.Host = "", ""
		if bp := strings.TrimSuffix(base.Path, "/"); bp != "" {
			rest, ok := strings.CutPrefix(u.Path, bp)
			if !ok {
				return "", false
			}
			u.Path = rest
		}
	}
	if u.Path == "" && u.RawQuery == "" {
		return "", false // A fragment on the same page.
	}
	ref, err := url.Parse(from)
	if err != nil {
		return "", false
	}
	resolved := ref.ResolveReference(&url.URL{Path: u.Path, RawPath: u.RawPath, RawQuery: u.RawQuery})
	if !strings.HasPrefix(resolved.Path, "/") {
		return "", false
	}
	p := resolved.EscapedPath()
	if resolved.RawQuery != "" {
		p += "?" + resolved.RawQuery
	}
	return p, true
}

// sitePrefix is how links written absolute against base begin: its scheme,
// host and path, without a trailing slash ("" for no base).
func sitePrefix(base *url.URL) string {
	if base == nil || base.Scheme == "" || base.Host == "" || base.User != nil || base.RawQuery != "" || base.Fragment != "" {
		return ""
	}
	p := strings.TrimSuffix(base.EscapedPath(), "/")
	if !plainPath(p + "/") {
		return ""
	}
	return base.Scheme + "://" + base.Host + p
}

// plainPath reports whether link is an absolute path, with an optional
// query, that localPath's parsing and resolving would give back unchanged:
// path characters that need no escaping, no empty, "." or ".." segment, and
// a query of characters a URL keeps as they are; no fragment.
func plainPath(link string) bool {
	if len(link) == 0 || link[0] != '/' {
		return false
	}
	path, query, hasQuery := strings.Cut(link, "?")
	if hasQuery && query == "" {
		return false // "/x?" resolves to "/x".
	}
	segStart := 1
	for i := 1; i <= len(path); i++ {
		if i < len(path) {
			c := path[i]
			if c != '/' {
				if !isPlainPathByte(c) {
					return false
				}
				continue
			}
		}
		// A segment ends at i.
		seg := path[segStart:i]
		if seg == "." || seg == ".." || (seg == "" && i < len(path)) {
			return false
		}
		segStart = i + 1
	}
	for i := 0; i < len(query); i++ {
		if !isPlainQueryByte(query[i]) {
			return false
		}
	}
	return true
}

// isPlainPathByte reports whether c stands for itself in an escaped path.
func isPlainPathByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '-' || c == '_' || c == '.' || c == '~'
}

// isPlainQueryByte reports whether c is kept as it is in a raw query.
func isPlainQueryByte(c byte) bool {
	return isPlainPathByte(c) || c == '=' || c == '&' || c == '%' || c == '+' || c == ',' || c == ':' || c == '@' || c == '/'
}
