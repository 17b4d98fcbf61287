package web

import (
	"net/url"

	"marquee/internal/film"
	"marquee/internal/paths"
	"marquee/templates"
)

// This file builds the view-models of the public pages that need more than
// copying: the film page's credit groups, a person's filmography and the
// ratings histogram. The components in package templates only lay out what
// these give them.

// filmView sorts a film's credits and companies into the groups the film
// page shows: directors, writers and cast, the crew by role in the site's
// role order, studios and distributors.
func filmView(meta templates.Meta, f film.Film, critics []templates.CriticReviewView, readers []templates.ReaderExcerpt) templates.FilmView {
	v := templates.FilmView{Meta: meta, Film: f, CriticReviews: critics, ReaderReviews: readers}
	byRole := map[film.Role][]film.Credit{}
	for _, c := range f.Credits {
		byRole[c.Role] = append(byRole[c.Role], c)
	}
	v.Directors, v.Writers, v.Cast = byRole[film.RoleDirector], byRole[film.RoleWriter], byRole[film.RoleCast]
	for _, role := range film.Roles {
		if role != film.RoleCast && len(byRole[role]) > 0 {
			v.Crew = append(v.Crew, templates.CrewGroup{Role: role, Credits: byRole[role]})
		}
	}
	for _, c := range f.Companies {
		switch c.Role {
		case film.CompanyStudio:
			v.Studios = append(v.Studios, c)
		case film.CompanyDistributor:
			v.Distributors = append(v.Distributors, c)
		}
	}
	return v
}

// excerptRunes is how much of a review the film page quotes when the
// review has no pull quote: two or three lines on a phone.
const excerptRunes = 220

// criticExcerpt is what the film page quotes of a critic review: its pull
// quote, or else the start of its body without spoilers (nothing of a
// review that spoils throughout and has no pull quote).
func (s *Server) criticExcerpt(r film.CriticReview) string {
	if r.PullQuote != "" {
		return r.PullQuote
	}
	return s.reviewText(r.Body, "", r.Spoilers, excerptRunes)
}

// readerExcerpts are the film page's reader reviews as excerpts, each
// linking to the review whole on the film's reviews page sorted as the
// film page sorts them (most helpful first), whose first page holds it.
func (s *Server) readerExcerpts(filmSlug string, reviews []film.ReaderReview) []templates.ReaderExcerpt {
	list := paths.WithQuery(paths.FilmReviews(filmSlug), url.Values{"sort": {string(film.SortHelpful)}})
	out := make([]templates.ReaderExcerpt, len(reviews))
	for i, r := range reviews {
		out[i] = templates.ReaderExcerpt{Review: r, Excerpt: s.reviewText(r.Body, "", r.Spoilers, excerptRunes),
			URL: list + "#" + templates.ReaderReviewAnchor(r.ID)}
	}
	return out
}

// personView groups a person's credits by role, in the site's role order.
func personView(meta templates.Meta, p film.Person, credits []film.PersonCredit) templates.PersonView {
	v := templates.PersonView{Meta: meta, Person: p}
	for _, role := range film.Roles {
		var group []film.PersonCredit
		for _, c := range credits {
			if c.Role == role {
				group = append(group, c)
			}
		}
		if len(group) > 0 {
			v.Groups = append(v.Groups, templates.FilmographyGroup{Role: role, Credits: group})
		}
	}
	return v
}

// ratingsView is a film's reader ratings with the histogram's bars, from 10
// points down to 1: each bar's share of all ratings, rounded, and its
// width relative to the largest bar.
func (s *Server) ratingsView(filmSlug string, stats film.RatingStats, yours int) templates.RatingsView {
	v := templates.RatingsView{Live: s.live(), FilmSlug: filmSlug, Stats: stats, Yours: yours}
	largest := 0
	for _, n := range stats.Histogram {
		largest = max(largest, n)
	}
	v.Bars = make([]templates.HistogramBar, 0, 10)
	for value := 10; value >= 1; value-- {
		n := stats.Histogram[value-1]
		b := templates.HistogramBar{Value: value, Count: n}
		if stats.Count > 0 {
			b.Percent = (n*100 + stats.Count/2) / stats.Count
		}
		if largest > 0 {
			b.Width = (n*100 + largest/2) / largest
		}
		v.Bars = append(v.Bars, b)
	}
	return v
}
