// Package static holds the files served under /static/: the stylesheet, the
// script and the icon. They are embedded in the binary; internal/web serves
// each under a URL carrying a hash of its content, so browsers may cache
// them forever.
package static

import "embed"

// FS holds the static files.
//
//go:embed *.css *.js *.svg
var FS embed.FS
