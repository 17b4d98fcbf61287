// Package paths builds every local URL Marquee links to, redirects to or
// posts a form to, and holds the route patterns those URLs are answered
// at. A route's pattern and its builder sit side by side here, so the
// router (internal/web/routes.go), the handlers and the templates agree on
// one spelling of each address, and a test walks the router to check that
// every pattern has a builder whose URLs it matches. Anything else that
// writes the site's URLs (a sitemap, a feed, a static export) should build
// them here too.
//
// Builders take typed values and escape them: a slug or name becomes one
// path segment whatever it holds, and query values are encoded. For the
// slugs the site stores (lower-case letters, digits and hyphens) the
// output is the slug as it is. Builders return paths on this site, never
// absolute URLs; fragments (#ratings) are the caller's to append.
//
// The package imports nothing of Marquee's, so every other package may
// use it.
package paths

import (
	"net/url"
	"strconv"
)

// segment escapes s as one path segment: a slash, space, question mark,
// hash or percent sign in it cannot end the segment or start a query. (The
// dot segments "." and ".." have no escaped form, since clients resolve
// "%2e" too; no valid slug is one.)
func segment(s string) string { return url.PathEscape(s) }

// id writes a record's numeric id as a path segment.
func id(n int64) string { return strconv.FormatInt(n, 10) }

// WithQuery adds q to a path as its query string, in the key order
// url.Values.Encode gives; an empty q leaves the path alone.
func WithQuery(path string, q url.Values) string {
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}

// Operations and assets.
const (
	HealthPattern = "/healthz"
	StaticPattern = "/static/{name}"
)

// Health is the health check's address.
func Health() string { return HealthPattern }

// Static is the address of a static file by its content-hashed name.
func Static(name string) string { return "/static/" + segment(name) }

// Public pages.
const (
	HomePattern         = "/"
	FilmsPattern        = "/films"
	FilmPattern         = "/films/{slug}"
	PersonPattern       = "/people/{slug}"
	YearPattern         = "/years/{year}"
	CompanyPattern      = "/companies/{slug}"
	CriticReviewPattern = "/reviews/{slug}"
)

// Home is the home page.
func Home() string { return HomePattern }

// Films is the film index with the query's filters, order and cursor; nil
// q is the whole index in its default order.
func Films(q url.Values) string { return WithQuery(FilmsPattern, q) }

// Film is a film's page.
func Film(slug string) string { return "/films/" + segment(slug) }

// Person is a person's page.
func Person(slug string) string { return "/people/" + segment(slug) }

// Year is the index of one year's films.
func Year(y int) string { return "/years/" + strconv.Itoa(y) }

// Company is a company's page.
func Company(slug string) string { return "/companies/" + segment(slug) }

// CriticReview is a critic review's own page.
func CriticReview(slug string) string { return "/reviews/" + segment(slug) }

// Search.
const (
	SearchPattern        = "/search"
	SearchSuggestPattern = "/search/suggest"
)

// Search is a page of the results for q; page 1 leaves the page out, and
// an empty q with no page is the bare search page.
func Search(q string, page int) string {
	if q == "" && page <= 1 {
		return SearchPattern
	}
	// The query comes first, as the search form sends it.
	u := SearchPattern + "?q=" + url.QueryEscape(q)
	if page > 1 {
		u += "&page=" + strconv.Itoa(page)
	}
	return u
}

// SearchSuggest is the suggestions for what has been typed so far, as
// JSON.
func SearchSuggest(q string) string {
	return SearchSuggestPattern + "?q=" + url.QueryEscape(q)
}

// Reader ratings and reviews.
const (
	FilmRatingPattern          = "/films/{slug}/rating"
	FilmReviewsPattern         = "/films/{slug}/reviews"
	FilmReviewFormPattern      = "/films/{slug}/reviews/new"
	FilmReviewSubmittedPattern = "/films/{slug}/reviews/submitted"
	ReaderReviewHelpfulPattern = "/reader-reviews/{id}/helpful"
)

// FilmRating is where a reader's rating of a film is posted.
func FilmRating(slug string) string { return Film(slug) + "/rating" }

// FilmReviews is a film's list of reader reviews, and where a new one is
// posted.
func FilmReviews(slug string) string { return Film(slug) + "/reviews" }

// FilmReviewForm is the page with the form for a reader review of a film.
func FilmReviewForm(slug string) string { return FilmReviews(slug) + "/new" }

// FilmReviewSubmitted thanks a reader for a review sent for moderation.
func FilmReviewSubmitted(slug string) string { return FilmReviews(slug) + "/submitted" }

// ReaderReviewHelpful is where a vote that a reader review helped is
// posted.
func ReaderReviewHelpful(readerReviewID int64) string {
	return "/reader-reviews/" + id(readerReviewID) + "/helpful"
}

// The editors' desk. Its routes sit under AdminPattern, on a router of
// their own.
const (
	AdminPattern           = "/admin"
	AdminDashboardPattern  = "/admin/"
	AdminSignInPattern     = "/admin/signin"
	AdminSignOutPattern    = "/admin/signout"
	AdminModerationPattern = "/admin/moderation"
	AdminAuditPattern      = "/admin/audit"
)

// AdminDashboard is the desk's first page. It is written without the
// trailing slash of its pattern; the desk's router answers both.
func AdminDashboard() string { return AdminPattern }

// AdminSignIn is the sign-in page, and where its form posts.
func AdminSignIn() string { return AdminSignInPattern }

// AdminSignOut is where signing out posts.
func AdminSignOut() string { return AdminSignOutPattern }

// AdminModeration is the reader review queue with the query's filters
// and page, and where bulk actions post.
func AdminModeration(q url.Values) string { return WithQuery(AdminModerationPattern, q) }

// AdminAudit is the audit log with the query's filters and page.
func AdminAudit(q url.Values) string { return WithQuery(AdminAuditPattern, q) }

// Held ratings and helpful votes: the bursts the stuffing defence held
// back, and where releasing or discarding one posts.
const (
	AdminBurstsPattern       = "/admin/bursts"
	AdminBurstReleasePattern = "/admin/bursts/{id}/release"
	AdminBurstDiscardPattern = "/admin/bursts/{id}/discard"
)

// AdminBursts lists the held bursts.
func AdminBursts() string { return AdminBurstsPattern }

// AdminBurstRelease is where releasing a held burst posts.
func AdminBurstRelease(burstID int64) string {
	return AdminBurstsPattern + "/" + id(burstID) + "/release"
}

// AdminBurstDiscard is where discarding a held burst posts.
func AdminBurstDiscard(burstID int64) string {
	return AdminBurstsPattern + "/" + id(burstID) + "/discard"
}

// Accounts.
const (
	AdminUsersPattern        = "/admin/users"
	AdminUserDisablePattern  = "/admin/users/{id}/disable"
	AdminUserEnablePattern   = "/admin/users/{id}/enable"
	AdminUserPasswordPattern = "/admin/users/{id}/password"
)

// AdminUsers is the list of accounts, and where a new one is posted.
func AdminUsers() string { return AdminUsersPattern }

// AdminUserDisable is where disabling an account posts.
func AdminUserDisable(userID int64) string { return adminUser(userID) + "/disable" }

// AdminUserEnable is where enabling an account posts.
func AdminUserEnable(userID int64) string { return adminUser(userID) + "/enable" }

// AdminUserPassword is where resetting an account's password posts.
func AdminUserPassword(userID int64) string { return adminUser(userID) + "/password" }

func adminUser(userID int64) string { return AdminUsersPattern + "/" + id(userID) }

// Critic reviews in the editor.
const (
	AdminReviewsPattern         = "/admin/reviews"
	AdminReviewNewPattern       = "/admin/reviews/new"
	AdminReviewPattern          = "/admin/reviews/{id}"
	AdminReviewHistoryPattern   = "/admin/reviews/{id}/history"
	AdminRestoreRevisionPattern = "/admin/reviews/{id}/history/{number}/restore"
	AdminPreviewPattern         = "/admin/preview"
	AdminFilmSuggestPattern     = "/admin/film-suggestions"
)

// AdminReviews is the list of critic reviews with the query's filters and
// page, and where a new review is posted.
func AdminReviews(q url.Values) string { return WithQuery(AdminReviewsPattern, q) }

// AdminReviewNew is the editor for a new review, of the given film when
// filmSlug is not "".
func AdminReviewNew(filmSlug string) string {
	if filmSlug == "" {
		return AdminReviewNewPattern
	}
	return WithQuery(AdminReviewNewPattern, url.Values{"film": {filmSlug}})
}

// AdminReview is the editor of a stored review, and where it posts.
func AdminReview(reviewID int64) string { return AdminReviewsPattern + "/" + id(reviewID) }

// AdminReviewHistory is a review's revisions.
func AdminReviewHistory(reviewID int64) string { return AdminReview(reviewID) + "/history" }

// AdminRestoreRevision is where restoring revision number of a review
// posts.
func AdminRestoreRevision(reviewID int64, number int) string {
	return AdminReviewHistory(reviewID) + "/" + strconv.Itoa(number) + "/restore"
}

// AdminPreview is where the review editor posts a body to see it rendered.
func AdminPreview() string { return AdminPreviewPattern }

// AdminFilmSuggest is the JSON list of films whose titles match q, which
// the review editor's film field suggests as an editor types; "" is the
// address its script adds q to.
func AdminFilmSuggest(q string) string {
	if q == "" {
		return AdminFilmSuggestPattern
	}
	return WithQuery(AdminFilmSuggestPattern, url.Values{"q": {q}})
}

// The catalogue.
const (
	AdminFilmsPattern      = "/admin/films"
	AdminFilmNewPattern    = "/admin/films/new"
	AdminFilmEditPattern   = "/admin/films/{slug}/edit"
	AdminPeoplePattern     = "/admin/people"
	AdminPersonNewPattern  = "/admin/people/new"
	AdminPersonEditPattern = "/admin/people/{slug}/edit"
)

// AdminFilms is the catalogue's list of films with the query's search and
// page, and where a new film is posted.
func AdminFilms(q url.Values) string { return WithQuery(AdminFilmsPattern, q) }

// AdminFilmNew is the form for a new film.
func AdminFilmNew() string { return AdminFilmNewPattern }

// AdminFilmEdit is the form of a stored film, and where it posts.
func AdminFilmEdit(slug string) string { return AdminFilmsPattern + "/" + segment(slug) + "/edit" }

// AdminPeople is the catalogue's list of people with the query's search
// and page, and where a new person is posted.
func AdminPeople(q url.Values) string { return WithQuery(AdminPeoplePattern, q) }

// AdminPersonNew is the form for a new person.
func AdminPersonNew() string { return AdminPersonNewPattern }

// AdminPersonEdit is the form of a stored person, and where it posts.
func AdminPersonEdit(slug string) string { return AdminPeoplePattern + "/" + segment(slug) + "/edit" }

// Crawling, feeds and sharing.
const (
	RobotsPattern           = "/robots.txt"
	SitemapPattern          = "/sitemap.xml"
	SitemapPartPattern      = "/sitemaps/{number}.xml"
	FeedPattern             = "/feed.xml"
	FilmFeedPattern         = "/films/{slug}/feed.xml"
	FilmCardPattern         = "/cards/films/{slug}/{hash}.png"
	PersonCardPattern       = "/cards/people/{slug}/{hash}.png"
	CriticReviewCardPattern = "/cards/reviews/{slug}/{hash}.png"
)

// Robots is the robots.txt file.
func Robots() string { return RobotsPattern }

// Sitemap is the sitemap, or the sitemap index when the site has more
// URLs than one sitemap file may list.
func Sitemap() string { return SitemapPattern }

// SitemapPart is one file of a sitemap index, numbered from 1.
func SitemapPart(number int) string { return "/sitemaps/" + strconv.Itoa(number) + ".xml" }

// Feed is the Atom feed of the site's published critic reviews.
func Feed() string { return FeedPattern }

// FilmFeed is the Atom feed of one film's critic and reader reviews.
func FilmFeed(slug string) string { return Film(slug) + "/feed.xml" }

// FilmCard is a film's share card; hash names the card's content, so the
// address changes when the card does and the image can be cached for good.
func FilmCard(slug, hash string) string {
	return "/cards/films/" + segment(slug) + "/" + segment(hash) + ".png"
}

// PersonCard is a person's share card.
func PersonCard(slug, hash string) string {
	return "/cards/people/" + segment(slug) + "/" + segment(hash) + ".png"
}

// CriticReviewCard is a critic review's share card.
func CriticReviewCard(slug, hash string) string {
	return "/cards/reviews/" + segment(slug) + "/" + segment(hash) + ".png"
}

// MetricsPattern is where the server's counters are read, in the
// Prometheus text format.
const MetricsPattern = "/metrics"

// Metrics is the address of the server's counters.
func Metrics() string { return MetricsPattern }

// Pictures: uploaded renditions by content hash, generated posters, and
// the desk's picture pages.
const (
	ImagePattern               = "/images/{hash}.{ext}"
	GeneratedPosterPattern     = "/posters/{slug}/{hash}-{width}.png"
	AdminFilmPicturesPattern   = "/admin/films/{slug}/pictures"
	AdminFilmPicturePattern    = "/admin/films/{slug}/pictures/{id}"
	AdminPersonPicturesPattern = "/admin/people/{slug}/pictures"
	AdminPersonPicturePattern  = "/admin/people/{slug}/pictures/{id}"
)

// Image is an uploaded picture's rendition, named by the SHA-256 of its
// bytes (hash) and its format's extension ("jpg", "png"), so the address
// serves the same bytes for ever.
func Image(hash, ext string) string { return "/images/" + segment(hash) + "." + segment(ext) }

// GeneratedPoster is a film's drawn poster at a width; hash names what is
// drawn (title, year, director, drawing version), so the address changes
// when the film does.
func GeneratedPoster(slug, hash string, width int) string {
	return "/posters/" + segment(slug) + "/" + segment(hash) + "-" + strconv.Itoa(width) + ".png"
}

// AdminFilmPictures is the desk's page of a film's poster and stills,
// where uploads post.
func AdminFilmPictures(slug string) string {
	return AdminFilmsPattern + "/" + segment(slug) + "/pictures"
}

// AdminFilmPicture is where the form of one of a film's pictures posts
// (text, order, removal).
func AdminFilmPicture(slug string, id int64) string {
	return AdminFilmPictures(slug) + "/" + strconv.FormatInt(id, 10)
}

// AdminPersonPictures is the desk's page of a person's portrait.
func AdminPersonPictures(slug string) string {
	return AdminPeoplePattern + "/" + segment(slug) + "/pictures"
}

// AdminPersonPicture is where the form of a person's portrait posts.
func AdminPersonPicture(slug string, id int64) string {
	return AdminPersonPictures(slug) + "/" + strconv.FormatInt(id, 10)
}
