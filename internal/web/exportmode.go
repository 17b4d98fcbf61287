package web

import "net/url"

// ExportConfig makes a Server render the site's static form, for marquee
// export: the same pages, except that what needs a server to answer (the
// rating and review forms, helpful votes, search) points at the live site
// when there is one, and otherwise says that it works there. A Server in
// this mode sends exactly the bytes the export writes.
type ExportConfig struct {
	// LiveURL is the address of a running Marquee that takes ratings,
	// reviews and searches; nil means there is none.
	LiveURL *url.URL
}
