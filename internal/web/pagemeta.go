package web

import (
	"strconv"
	"strings"

	"marquee/internal/film"
	"marquee/internal/paths"
	"marquee/internal/sharecard"
	"marquee/templates"
)

// This file writes what public pages say about themselves besides their
// content: meta descriptions built from that content, breadcrumb trails,
// and the share card each page offers to previews.

// shareImage is a share card, whose site path cardURL gives, as a page
// offers it to previews: absolute, with its size and a text alternative.
func (s *Server) shareImage(path, alt string) templates.ShareImage {
	return templates.ShareImage{URL: s.absURL(path), Width: sharecard.Width, Height: sharecard.Height, Alt: alt}
}

// filmShareImage is a film page's share card.
func (s *Server) filmShareImage(p film.FilmPage, f film.Summary) templates.ShareImage {
	return s.shareImage(s.cardURL(sharecard.KindFilm, f.Slug, filmCard(p)), titleYear(f.Title, f.Year)+directedBy(f.Directors))
}

// personShareImage is a person page's share card.
func (s *Server) personShareImage(p film.PersonPage) templates.ShareImage {
	return s.shareImage(s.cardURL(sharecard.KindPerson, p.Person.Slug, personCard(p)), p.Person.Name+" on "+templates.SiteName)
}

// criticReviewShareImage is a critic review page's share card.
func (s *Server) criticReviewShareImage(p film.CriticReviewPage) templates.ShareImage {
	r, f := p.Review, p.Film
	return s.shareImage(s.cardURL(sharecard.KindCriticReview, r.Slug, criticReviewCard(p)),
		"Review of "+titleYear(f.Title, f.Year)+": "+r.Headline)
}

// titleYear is a film's title with its year: "Paris (2008)".
func titleYear(title string, year int) string {
	return title + " (" + strconv.Itoa(year) + ")"
}

// directedBy follows a title with its directors: ", directed by Cédric
// Klapisch".
func directedBy(directors []string) string {
	if len(directors) == 0 {
		return ""
	}
	return ", directed by " + joinAnd(directors)
}

// joinAnd lists items as a sentence does: "a", "a and b", "a, b and c".
func joinAnd(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// namedFilms lists up to three films by title and year, saying how many
// more there are of total: "Paris (2008), Chacun cherche son chat (1996)
// and 12 more films".
func namedFilms(films []film.Summary, total int) string {
	const named = 3
	var names []string
	for _, f := range films[:min(named, len(films))] {
		names = append(names, titleYear(f.Title, f.Year))
	}
	if rest := total - len(names); rest > 0 {
		names = append(names, film.FormatCount(rest)+" more "+pluralWord("film", rest))
	}
	return joinAnd(names)
}

func pluralWord(word string, n int) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// filmsCrumb is the first step of every trail: the film index.
func filmsCrumb() templates.Crumb {
	return templates.Crumb{Name: "Films", Path: paths.Films(nil)}
}

// filmCrumb is a film's step in a trail, its title marked with its
// language.
func filmCrumb(f film.Summary) templates.Crumb {
	return templates.Crumb{Name: f.Title, Lang: f.TitleLanguage, Suffix: " (" + strconv.Itoa(f.Year) + ")", Path: paths.Film(f.Slug)}
}

// filmSummary is the short form of a film the page holds in full, with
// its directors' names.
func filmSummary(f film.Film, directors []film.Credit) film.Summary {
	sum := film.Summary{ID: f.ID, Slug: f.Slug, Title: f.Title, OriginalTitle: f.OriginalTitle, TitleLanguage: f.TitleLanguage,
		Year: f.Year, RuntimeMinutes: f.RuntimeMinutes, Synopsis: f.Synopsis}
	for _, d := range directors {
		sum.Directors = append(sum.Directors, d.PersonName)
	}
	return sum
}

// filmDescription is a film page's meta description: its synopsis, or
// when it has none, what the page holds.
func filmDescription(f film.Summary) string {
	if f.Synopsis != "" {
		return f.Synopsis
	}
	return titleYear(f.Title, f.Year) + directedBy(f.Directors) + ": cast and crew, critic and reader reviews, ratings and the full record on " + templates.SiteName + "."
}

// roleNoun names what a person credited in a role is.
func roleNoun(r film.Role) string {
	switch r {
	case film.RoleDirector:
		return "director"
	case film.RoleWriter:
		return "writer"
	case film.RoleProducer:
		return "producer"
	case film.RoleCast:
		return "actor"
	case film.RoleCinematography:
		return "cinematographer"
	case film.RoleEditing:
		return "editor"
	case film.RoleMusic:
		return "composer"
	}
	return string(r)
}

// personRoles names the roles of a person's filmography, in its order.
func personRoles(v templates.PersonView) []string {
	var roles []string
	for _, g := range v.Groups {
		roles = append(roles, roleNoun(g.Role))
	}
	return roles
}

// personDescription says who a person is from their credits: "Cédric
// Klapisch: director and writer of Paris (2008)."
func personDescription(v templates.PersonView) string {
	var films []film.Summary
	seen := map[string]bool{}
	onlyCast := true
	for _, g := range v.Groups {
		onlyCast = onlyCast && g.Role == film.RoleCast
		for _, c := range g.Credits {
			if !seen[c.Film.Slug] {
				seen[c.Film.Slug] = true
				films = append(films, c.Film)
			}
		}
	}
	name := v.Person.Name
	if len(films) == 0 {
		return name + " on " + templates.SiteName + "."
	}
	// Newest first, as the filmography lists them.
	sortNewestFirst(films)
	prep := " of "
	if onlyCast {
		prep = " in "
	}
	d := name + ": " + joinAnd(personRoles(v)) + prep + namedFilms(films, len(films)) + "."
	if len(v.Reviews) > 0 {
		d += " Credits and reviews on " + templates.SiteName + "."
	}
	return d
}

// sortNewestFirst orders films by year, newest first, keeping the order
// of films of the same year.
func sortNewestFirst(films []film.Summary) {
	for i := 1; i < len(films); i++ {
		for j := i; j > 0 && films[j].Year > films[j-1].Year; j-- {
			films[j], films[j-1] = films[j-1], films[j]
		}
	}
}

// listedSummaries are the films of a listing in its order.
func listedSummaries(list []film.ListedFilm) []film.Summary {
	out := make([]film.Summary, len(list))
	for i, f := range list {
		out[i] = f.Summary
	}
	return out
}

// filmIndexDescription describes a page of the film index from the films
// it lists: "Films of 2008 on Marquee: Paris (2008), with reader ratings
// and reviews."
func filmIndexDescription(heading string, page film.FilmList) string {
	if page.Total == 0 {
		return heading + ": none on " + templates.SiteName + " yet."
	}
	return heading + " on " + templates.SiteName + ": " + namedFilms(listedSummaries(page.Films), page.Total) + ", with reader ratings and reviews."
}

// companyDescription says what a company did from its films: "StudioCanal:
// production company of Paris (2008)."
func companyDescription(c film.Company, films []film.CompanyFilm) string {
	var roles []string
	var list []film.Summary
	seenRole, seenFilm := map[film.CompanyRole]bool{}, map[string]bool{}
	for _, cf := range films {
		if !seenRole[cf.Role] {
			seenRole[cf.Role] = true
		}
		if !seenFilm[cf.Film.Slug] {
			seenFilm[cf.Film.Slug] = true
			list = append(list, cf.Film)
		}
	}
	if seenRole[film.CompanyStudio] {
		roles = append(roles, "production company")
	}
	if seenRole[film.CompanyDistributor] {
		roles = append(roles, "distributor")
	}
	if len(list) == 0 {
		return c.Name + " on " + templates.SiteName + "."
	}
	return c.Name + ": " + joinAnd(roles) + " of " + namedFilms(list, len(list)) + "."
}

// homeDescription describes the front page from what it shows.
func homeDescription(p film.HomePage) string {
	d := "Film reviews, reader ratings and the full record of " + film.FormatCount(p.FilmCount) + " " + pluralWord("film", p.FilmCount) + " on " + templates.SiteName + "."
	if len(p.LatestReviews) > 0 {
		rf := p.LatestReviews[0]
		d += " Latest review: “" + rf.Review.Headline + "”, on " + titleYear(rf.Film.Title, rf.Film.Year) + "."
	}
	return d
}

// readerReviewsDescription describes a page of a film's reader reviews.
func readerReviewsDescription(v templates.ReaderReviewsView) string {
	d := film.FormatCount(v.Total) + " reader " + pluralWord("review", v.Total) + " of " + titleYear(v.Film.Title, v.Film.Year)
	if v.Stats.Count > 0 {
		d += ", rated " + strconv.FormatFloat(v.Stats.AverageRounded(), 'f', -1, 64) + "/10 on average from " +
			film.FormatCount(v.Stats.Count) + " " + pluralWord("rating", v.Stats.Count)
	}
	d += " on " + templates.SiteName + "."
	if v.PageCount > 1 {
		d += " Page " + strconv.Itoa(v.Page) + " of " + strconv.Itoa(v.PageCount) + "."
	}
	return d
}
