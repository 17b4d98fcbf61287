// Package templates holds Marquee's pages as typed templ components, the
// view types they take (plain structs) and small pure formatting helpers:
// dates, stars, plurals, labels, element ids. Every view-model is built by
// its handler in internal/web, which groups, sorts and decides; components
// only format and place what they are given, never touch the database and
// never build a domain record.
package templates

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"marquee/internal/film"
	"marquee/internal/markdown"
	"marquee/internal/paths"
)

// Meta is what the layout needs to know about every page.
type Meta struct {
	// Title is the page's own title; the layout appends the site name.
	Title string
	// Description is the page's meta description, written from its own
	// content and never from spoiler text.
	Description string
	// Canonical is the page's canonical URL, absolute
	// ("https://marquee.example/films/paris-2008"); "" for a page that
	// offers none.
	Canonical string
	// NoIndex asks search engines to leave the page out of their index
	// (and still follow its links): search results, forms, empty lists.
	// Such a page names no canonical URL and offers no share preview: a
	// canonical link would say the opposite, that it is the one to index.
	NoIndex bool
	// Share is what the page offers to sites that show a preview of it.
	Share Share
	// Breadcrumbs is the trail from the film index to this page, the
	// page itself last; empty on pages at the top of the site.
	Breadcrumbs []Crumb
	// StructuredData holds the page's JSON-LD documents, each already
	// encoded, printed in the head as application/ld+json data blocks.
	StructuredData []json.RawMessage
	// Stylesheet and Icon are the content-hashed URLs of the site's
	// stylesheet and icon.
	Stylesheet string
	Icon       string
	// Query is the search the page shows results for, kept in the header's
	// search box.
	Query string
	// Script is the content-hashed URL of the site's one script, which
	// only enhances pages that work without it.
	Script string
	// Live says where the page's forms that need a server go.
	Live Live
	// Feeds are the Atom feeds the page offers to feed readers: the
	// site's, and a film's own on its pages.
	Feeds []FeedLink
}

// FeedLink is an Atom feed a page names in its head.
type FeedLink struct {
	Title string
	URL   string
}

// Live says where the forms that need a running server (ratings, reader
// reviews, helpful votes, search) send readers. On the site itself it is
// the zero value and they post to it; in a static export they go to the
// live site at URL, or, when there is none (Off), give way to a note.
type Live struct {
	URL string
	Off bool
}

// Action is the address a form or a link to one goes to.
func (l Live) Action(path string) string { return l.URL + path }

// SiteName is the site's name as pages and share previews give it.
const SiteName = "Marquee"

// Share is a page's Open Graph and Twitter card description. Its title,
// description and URL are the page's own (Meta's Title, Description and
// Canonical).
type Share struct {
	// Type is the Open Graph type: "video.movie", "article", "profile";
	// "" means "website".
	Type string
	// Image is the page's share card; a zero Image means the page has none.
	Image ShareImage
	// Published is when an article was first published, for
	// article:published_time.
	Published time.Time
}

// ShareImage is an image a share preview shows, with its size and a text
// alternative.
type ShareImage struct {
	URL    string
	Width  int
	Height int
	Alt    string
}

// Crumb is one step of a breadcrumb trail: a page's name and address.
// Lang marks the language of Name when it is a film title in another
// language; Suffix follows it in English (a film's year).
type Crumb struct {
	Name   string
	Lang   string
	Suffix string
	// Path is the step's address on the site.
	Path string
}

// Label is the crumb's whole text, as structured data names it.
func (c Crumb) Label() string { return c.Name + c.Suffix }

// ogType is the Open Graph type of a page.
func ogType(s Share) string {
	if s.Type == "" {
		return "website"
	}
	return s.Type
}

// twitterCard is the kind of Twitter card a page gets: a large image when
// it has a share card, a summary otherwise.
func twitterCard(s Share) string {
	if s.Image.URL != "" {
		return "summary_large_image"
	}
	return "summary"
}

// shareTitle is a page's title in share previews, which name the site
// apart (og:site_name).
func shareTitle(m Meta) string {
	if m.Title == "" {
		return SiteName
	}
	return m.Title
}

// HomeView is the home page: the latest critic reviews, films readers
// reviewed recently, the highest rated, and what readers are rating now.
type HomeView struct {
	Meta             Meta
	LatestReviews    []film.ReviewedFilm
	RecentlyReviewed []film.ListedFilm
	TopRated         []film.ListedFilm
	Trending         []film.TrendingFilm
	FilmCount        int
	// Posters are the listed films' posters.
	Posters PosterMap
}

// CrewGroup is the people credited in one crew role.
type CrewGroup struct {
	Role    film.Role
	Credits []film.Credit
}

// CriticReviewView is a critic review with its body already rendered to
// HTML by internal/markdown, the one place allowed to produce HTML from
// user text. Excerpt is what the film page shows of it instead: its pull
// quote or its first lines as plain text, never a spoiler.
type CriticReviewView struct {
	Review  film.CriticReview
	Body    markdown.HTML
	Excerpt string
}

// ReaderExcerpt is a reader review as the film page lists it: its title,
// rating, byline and first lines (plain text, no spoiler; empty for a
// review that spoils throughout), linking to the review in full on the
// film's reviews page.
type ReaderExcerpt struct {
	Review  film.ReaderReview
	Excerpt string
	// URL is where the review is read whole.
	URL string
}

// FilmView is a film page, its credits and companies already sorted into
// the groups the page shows.
type FilmView struct {
	Meta          Meta
	Film          film.Film
	Directors     []film.Credit
	Writers       []film.Credit
	Cast          []film.Credit
	Crew          []CrewGroup
	Studios       []film.CompanyCredit
	Distributors  []film.CompanyCredit
	CriticReviews []CriticReviewView
	CriticScore   film.CriticScore
	Ratings       RatingsView
	// ReaderReviews are the first few approved reader reviews, most
	// helpful first, as excerpts; ReaderReviewTotal counts them all.
	ReaderReviews     []ReaderExcerpt
	ReaderReviewTotal int
	ReviewForm        ReviewForm
	// Poster is the header's poster, loaded at once with its size;
	// Stills are the film's stills in order, loaded lazily; Portraits are
	// the cast's portraits (or initials) by person slug.
	Poster    PictureView
	Stills    []PictureView
	Portraits map[string]PortraitView
}

// The film page shows the first castShown cast members and tracksShown
// soundtrack tracks, and folds the rest behind a "more" summary, so a large
// cast or a long album does not push everything below it off a phone.
const (
	castShown   = 9
	tracksShown = 6
)

// rateLink is where the header's reader score sends a reader to change
// their rating: the rating form below. A reader who has not rated has the
// header's own Rate action, so the score offers no second link.
func (v FilmView) rateLink() string {
	if v.Ratings.Yours == 0 || v.Meta.Live.Off {
		return ""
	}
	return "#rate"
}

// WriteReviewURL is where the film page's "Write a review" action goes:
// the review form on a page of its own, on the live site from an export.
func (v FilmView) WriteReviewURL() string {
	return v.Meta.Live.Action(paths.FilmReviewForm(v.Film.Slug))
}

// FilmographyGroup is a person's credits in one role.
type FilmographyGroup struct {
	Role    film.Role
	Credits []film.PersonCredit
}

// PersonView is a person page.
type PersonView struct {
	Meta   Meta
	Person film.Person
	// Biography is the person's biography rendered by the reader subset
	// of internal/markdown; empty when there is none.
	Biography markdown.HTML
	// KnownFor are the films the person is best known for, by the rule
	// film.KnownFor documents.
	KnownFor []film.KnownFor
	// Groups are the person's credits by role, in the site's role order.
	Groups []FilmographyGroup
	// Reviews are the latest critic reviews of the person's films.
	Reviews []film.ReviewedFilm
	// Portrait is the person's portrait, or their initials; Posters are
	// the known-for films' posters by film id.
	Portrait PortraitView
	Posters  map[int64]PictureView
}

// HasLife reports whether the page knows anything of the person's birth
// or death.
func (v PersonView) HasLife() bool {
	p := v.Person
	return p.BirthDate != "" || p.BirthPlace != "" || p.DeathDate != "" || p.DeathPlace != ""
}

// ErrorView is an error page: not found, or something went wrong.
type ErrorView struct {
	Meta    Meta
	Status  int
	Heading string
	Message string
}

// number writes a float without trailing zeros: 6.8, 66, 12.5.
func number(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// stars draws a rating on a star scale as filled and empty stars, rounding
// to the nearest half star; screen readers get the label from starsLabel.
func stars(r film.Rating) string {
	if r.Scale != 4 && r.Scale != 5 {
		return ""
	}
	halves := int(r.Value*2 + 0.5)
	var b strings.Builder
	for i := 0; i < r.Scale; i++ {
		switch {
		case halves >= 2*(i+1):
			b.WriteString("★")
		case halves == 2*i+1:
			b.WriteString("½")
		default:
			b.WriteString("☆")
		}
	}
	return b.String()
}

// ratingLabel says a rating in words: "3 out of 5 stars", "7 out of 10".
func ratingLabel(r film.Rating) string {
	if r.Scale == 4 || r.Scale == 5 {
		return fmt.Sprintf("%s out of %d stars", number(r.Value), r.Scale)
	}
	return fmt.Sprintf("%s out of %d", number(r.Value), r.Scale)
}

// longDate writes a timestamp as a date: "20 November 2026".
func longDate(t time.Time) string { return t.UTC().Format("2 January 2006") }

// isoDate writes a timestamp for a <time datetime> attribute.
func isoDate(t time.Time) string { return t.UTC().Format("2006-01-02") }

// scoreValue writes an external score the way its source does: 66% for a
// percentage, 68/100 or 6.8/10 otherwise.
func scoreValue(s film.ExternalScore) string {
	if s.Source == "Rotten Tomatoes" && s.Scale == 100 {
		return number(s.Value) + "%"
	}
	return number(s.Value) + "/" + number(s.Scale)
}

// scoreBasis says what a score is based on: "71 reviews, average 6.5/10".
func scoreBasis(s film.ExternalScore) string {
	var parts []string
	if s.Count > 0 {
		unit := s.CountUnit
		if unit == "" {
			unit = "ratings"
		}
		parts = append(parts, film.FormatCount(s.Count)+" "+unit)
	}
	if s.Average > 0 {
		parts = append(parts, "average "+number(s.Average)+"/"+number(s.AverageScale))
	}
	if len(parts) == 0 {
		return "sample size not given"
	}
	return strings.Join(parts, ", ")
}

// join lists strings with commas.
func join(items []string) string { return strings.Join(items, ", ") }

// boxOfficeLabel names a box office figure's kind.
func boxOfficeLabel(k film.BoxOfficeKind) string {
	if k == film.BoxOfficeOpeningWeekend {
		return "Opening weekend"
	}
	return "Gross"
}

// orUnstated writes a value or says the source did not give it.
func orUnstated(s string) string {
	if s == "" {
		return "not stated"
	}
	return s
}

// pageTitle is the text of a page's <title>.
func pageTitle(m Meta) string {
	if m.Title == "" {
		return SiteName
	}
	return m.Title + " · " + SiteName
}

// plural adds an "s" (or "ies") to a label when n is not one.
func plural(label string, n int) string {
	if n == 1 {
		return label
	}
	if strings.HasSuffix(label, "y") {
		return strings.TrimSuffix(label, "y") + "ies"
	}
	return label + "s"
}

// awardOutcome is the word before an award: Won or Nominated.
func awardOutcome(o film.AwardOutcome) string {
	if o == film.AwardWon {
		return "Won"
	}
	return "Nominated"
}

// awardText names an award, its category and where and when it was given:
// "Radio-Canada Audience Award, Cinéfranco 2009".
func awardText(a film.Award) string {
	parts := []string{a.Name}
	if a.Category != "" {
		parts = append(parts, a.Category)
	}
	return strings.Join(parts, ", ") + ", " + a.Event + " " + strconv.Itoa(a.Year)
}

// publicationSuffix follows a byline's author with the publication, if any.
func publicationSuffix(publication string) string {
	if publication == "" {
		return ""
	}
	return ", " + publication
}

// chartText says how high a soundtrack charted: "Peaked at number 44 in
// France."
func chartText(s film.Soundtrack) string {
	text := "Peaked at number " + strconv.Itoa(s.ChartPeak)
	if s.ChartTerritory != "" {
		text += " in " + s.ChartTerritory
	}
	return text + "."
}

// locationText writes a filming location with its address.
func locationText(l film.Location) string {
	if l.Address == "" {
		return l.Place
	}
	return l.Place + ", " + l.Address
}

// ReaderReviewAnchor is the id a reader review has on the film's reviews
// page, for links to it from elsewhere.
func ReaderReviewAnchor(id int64) string { return readerReviewAnchor(id) }

// sourceLink is a figure's source as a link target, when the source is
// given as a web address (http or https); "" when it is only named.
func sourceLink(source string) string {
	u, err := url.Parse(source)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return u.String()
}

// sourceName is how a source is named on the page: its host for a web
// address, its text otherwise.
func sourceName(source string) string {
	if l := sourceLink(source); l != "" {
		u, _ := url.Parse(l)
		return strings.TrimPrefix(u.Host, "www.")
	}
	return source
}

// placeSuffix follows a date of birth or death with its place, if known:
// ", Paris".
func placeSuffix(place string) string {
	if place == "" {
		return ""
	}
	return ", " + place
}

// latestRated is the first of a film's critic reviews (newest first) that
// carries a rating.
func latestRated(reviews []CriticReviewView) (CriticReviewView, bool) {
	for _, cr := range reviews {
		if cr.Review.Rating != nil {
			return cr, true
		}
	}
	return CriticReviewView{}, false
}

// roleHeading is a filmography group's heading with its count: "Director
// (3)", "Cast (12)".
func roleHeading(g FilmographyGroup) string {
	return g.Role.Label() + " (" + strconv.Itoa(len(g.Credits)) + ")"
}

// personRoleLine names what a person did, in the site's role order:
// "Director, Writer, Producer".
func personRoleLine(groups []FilmographyGroup) string {
	labels := make([]string, 0, len(groups))
	for _, g := range groups {
		label := g.Role.Label()
		if g.Role == film.RoleCast {
			label = "Actor"
		}
		labels = append(labels, label)
	}
	return strings.Join(labels, " · ")
}

// knownForPart says what the person did on a known-for film: "as Élise",
// "Director".
func knownForPart(k film.KnownFor) string {
	if k.Role == film.RoleCast {
		if k.Character != "" {
			return "as " + k.Character
		}
		return "Cast"
	}
	return k.Role.Label()
}
