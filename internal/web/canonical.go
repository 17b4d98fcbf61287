package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// DefaultBaseURL is the site's address when none is configured: where
// marquee serve listens by default.
const DefaultBaseURL = "http://localhost:8080"

// ParseBaseURL reads the site's public address: an absolute http or https
// URL with a host (and port, if any), and no path, query, fragment or user
// information, since every page's address is written from the root. A
// trailing slash is allowed and dropped.
func ParseBaseURL(s string) (*url.URL, error) {
	u, err := url.Parse(s)
	if err != nil {
		return nil, fmt.Errorf("base URL %q: %w", s, err)
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, fmt.Errorf("base URL %q: must start with http:// or https://", s)
	case u.Host == "" || u.Hostname() == "":
		return nil, fmt.Errorf("base URL %q: has no host", s)
	case u.User != nil:
		return nil, fmt.Errorf("base URL %q: must not hold a user name or password", s)
	case u.Path != "" && u.Path != "/", u.RawQuery != "", u.ForceQuery, u.Fragment != "":
		return nil, fmt.Errorf("base URL %q: must be only a scheme and host, such as https://marquee.example", s)
	}
	return &url.URL{Scheme: u.Scheme, Host: strings.ToLower(u.Host)}, nil
}

// absURL is the absolute address of a path on this site ("/films/x"), as
// canonical links, share previews and structured data give it.
func (s *Server) absURL(path string) string {
	return s.base.Scheme + "://" + s.base.Host + path
}

// trailingSlashes is the site's one trailing-slash policy: no address but
// the home page ends in a slash, and a GET or HEAD for one that does is
// sent, with its query, to the address without it (301). Other methods are
// left alone, since a redirected POST would arrive as a GET.
func trailingSlashes(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.EscapedPath()
		if p == "/" || !strings.HasSuffix(p, "/") || (r.Method != http.MethodGet && r.Method != http.MethodHead) {
			next.ServeHTTP(w, r)
			return
		}
		to, err := withoutTrailingSlash(p)
		if err != nil {
			next.ServeHTTP(w, r) // Not an address the site has; the router says 404.
			return
		}
		if r.URL.RawQuery != "" {
			to += "?" + r.URL.RawQuery
		}
		http.Redirect(w, r, to, http.StatusMovedPermanently)
	})
}

// withoutTrailingSlash is an escaped path with its trailing slashes
// removed, "/" when nothing else remains. It refuses a path that would
// then begin with two slashes or a slash and a backslash, which browsers
// read as another host ("//evil.example/" must not redirect there).
func withoutTrailingSlash(escaped string) (string, error) {
	to := strings.TrimRight(escaped, "/")
	if to == "" {
		return "/", nil
	}
	if strings.HasPrefix(to, "//") || strings.HasPrefix(to, "/\\") || strings.HasPrefix(strings.ToLower(to), "/%5c") {
		return "", errors.New("path would leave the site")
	}
	return to, nil
}
