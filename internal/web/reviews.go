package web

import (
	"net/http"
	"strconv"

	"marquee/internal/film"
	"marquee/internal/paths"
	"marquee/templates"
)

// serveCriticReview shows one critic review on a page of its own.
func (s *Server) serveCriticReview(w http.ResponseWriter, r *http.Request) error {
	slug, err := slugParam(r)
	if err != nil {
		return err
	}
	p, err := s.db.CriticReviewPage(r.Context(), slug, s.now())
	if err != nil {
		return s.followMovedSlug(w, r, film.RedirectReview, paths.CriticReview, slug, err)
	}
	review, f := p.Review, p.Film
	view, err := s.criticReviewView(review)
	if err != nil {
		return err
	}
	v := templates.CriticReviewPageView{Film: f, Review: view}
	v.Meta = s.meta(review.Headline+": "+f.Title+" ("+strconv.Itoa(f.Year)+") review", s.criticReviewDescription(review), paths.CriticReview(review.Slug))
	v.Meta.Share = templates.Share{Type: "article", Image: s.criticReviewShareImage(p), Published: review.PublishedAt}
	v.Meta.Breadcrumbs = []templates.Crumb{filmsCrumb(), filmCrumb(f), {Name: review.Headline, Path: paths.CriticReview(review.Slug)}}
	var docs []any
	if ld, ok := s.criticReviewLD(v); ok {
		docs = append(docs, ld)
	}
	if v.Meta.StructuredData, err = encodeLD(s.withBreadcrumbs(docs, v.Meta.Breadcrumbs)...); err != nil {
		return err
	}
	sharePage(w)
	return s.render(w, r, http.StatusOK, templates.CriticReviewPage(v))
}

// criticReviewView renders a critic review's body.
func (s *Server) criticReviewView(r film.CriticReview) (templates.CriticReviewView, error) {
	body, err := s.markdown.Render(r.Body)
	if err != nil {
		return templates.CriticReviewView{}, err
	}
	return templates.CriticReviewView{Review: r, Body: body}, nil
}

// criticReviewDescription is a review's meta description: its pull quote,
// or an excerpt of its body with every spoiler left out. A review flagged
// as a spoiler throughout gives only its pull quote.
func (s *Server) criticReviewDescription(r film.CriticReview) string {
	if r.PullQuote != "" {
		return r.PullQuote
	}
	if r.Spoilers {
		return ""
	}
	return s.markdown.Excerpt(r.Body, 160)
}
