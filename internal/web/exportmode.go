package web

import (
	"net/url"
	"strings"

	"marquee/internal/film"
	"marquee/templates"
)

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

// live says where the forms that need a server go: here on the site
// itself; in an export, to the live site or nowhere.
func (s *Server) live() templates.Live {
	switch {
	case s.export == nil:
		return templates.Live{}
	case s.export.LiveURL == nil:
		return templates.Live{Off: true}
	}
	return templates.Live{URL: strings.TrimSuffix(s.export.LiveURL.String(), "/")}
}

// exportingFacets says whether a film index page offers its filters. An
// export holds every list a link leads to, so it offers filters only on
// the unfiltered index: each filter alone is exported, sorted and paged,
// but not every combination of them, which would be more pages than films.
func (s *Server) exportingFacets(f film.FilmFilter) bool {
	return s.export == nil || facetKey(f) == facetKey(film.FilmFilter{})
}
