package web

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"

	"marquee/internal/paths"
)

// routeURLs maps every route pattern the router registers to a URL made
// by that route's builder in package paths. A route added without a
// builder, or a builder whose URLs another route (or none) answers, fails
// TestRoutesAndBuilders.
var routeURLs = map[string]string{
	paths.HealthPattern:  paths.Health(),
	paths.MetricsPattern: paths.Metrics(),
	paths.StaticPattern:  paths.Static("style.0123abcd.css"),

	paths.HomePattern:         paths.Home(),
	paths.FilmsPattern:        paths.Films(url.Values{"genre": {"drama"}, "sort": {"rating"}}),
	paths.FilmPattern:         paths.Film("paris-2008"),
	paths.PersonPattern:       paths.Person("cedric-klapisch"),
	paths.YearPattern:         paths.Year(2008),
	paths.CompanyPattern:      paths.Company("ce-qui-me-meut"),
	paths.CriticReviewPattern: paths.CriticReview("a-city-of-strangers"),

	paths.FilmCardPattern:         paths.FilmCard("paris-2008", "0123456789abcdef"),
	paths.PersonCardPattern:       paths.PersonCard("cedric-klapisch", "0123456789abcdef"),
	paths.CriticReviewCardPattern: paths.CriticReviewCard("paris-2008-review", "0123456789abcdef"),

	paths.RobotsPattern:      paths.Robots(),
	paths.SitemapPattern:     paths.Sitemap(),
	paths.SitemapPartPattern: paths.SitemapPart(2),
	paths.FeedPattern:        paths.Feed(),
	paths.FilmFeedPattern:    paths.FilmFeed("paris-2008"),

	paths.SearchPattern:        paths.Search("paris", 2),
	paths.SearchSuggestPattern: paths.SearchSuggest("par"),

	paths.FilmRatingPattern:          paths.FilmRating("paris-2008"),
	paths.FilmReviewsPattern:         paths.FilmReviews("paris-2008"),
	paths.FilmReviewFormPattern:      paths.FilmReviewForm("paris-2008"),
	paths.FilmReviewSubmittedPattern: paths.FilmReviewSubmitted("paris-2008"),
	paths.ReaderReviewHelpfulPattern: paths.ReaderReviewHelpful(42),

	paths.AdminDashboardPattern:  paths.AdminDashboard(),
	paths.AdminSignInPattern:     paths.AdminSignIn(),
	paths.AdminSignOutPattern:    paths.AdminSignOut(),
	paths.AdminModerationPattern: paths.AdminModeration(url.Values{"status": {"spam"}}),
	paths.AdminAuditPattern:      paths.AdminAudit(url.Values{"type": {"reader_review"}, "id": {"7"}}),

	paths.AdminBurstsPattern:       paths.AdminBursts(),
	paths.AdminBurstReleasePattern: paths.AdminBurstRelease(5),
	paths.AdminBurstDiscardPattern: paths.AdminBurstDiscard(5),

	paths.AdminUsersPattern:        paths.AdminUsers(),
	paths.AdminUserDisablePattern:  paths.AdminUserDisable(3),
	paths.AdminUserEnablePattern:   paths.AdminUserEnable(3),
	paths.AdminUserPasswordPattern: paths.AdminUserPassword(3),

	paths.AdminReviewsPattern:         paths.AdminReviews(url.Values{"status": {"draft"}}),
	paths.AdminReviewNewPattern:       paths.AdminReviewNew("paris-2008"),
	paths.AdminReviewPattern:          paths.AdminReview(12),
	paths.AdminReviewHistoryPattern:   paths.AdminReviewHistory(12),
	paths.AdminRestoreRevisionPattern: paths.AdminRestoreRevision(12, 3),
	paths.AdminPreviewPattern:         paths.AdminPreview(),
	paths.AdminFilmSuggestPattern:     paths.AdminFilmSuggest("paris"),

	paths.AdminFilmsPattern:      paths.AdminFilms(url.Values{"q": {"par"}}),
	paths.AdminFilmNewPattern:    paths.AdminFilmNew(),
	paths.AdminFilmEditPattern:   paths.AdminFilmEdit("paris-2008"),
	paths.AdminPeoplePattern:     paths.AdminPeople(nil),
	paths.AdminPersonNewPattern:  paths.AdminPersonNew(),
	paths.AdminPersonEditPattern: paths.AdminPersonEdit("cedric-klapisch"),

	paths.ImagePattern:               paths.Image("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "jpg"),
	paths.GeneratedPosterPattern:     paths.GeneratedPoster("paris-2008", "0123456789abcdef", 320),
	paths.AdminFilmPicturesPattern:   paths.AdminFilmPictures("paris-2008"),
	paths.AdminFilmPicturePattern:    paths.AdminFilmPicture("paris-2008", 4),
	paths.AdminPersonPicturesPattern: paths.AdminPersonPictures("cedric-klapisch"),
	paths.AdminPersonPicturePattern:  paths.AdminPersonPicture("cedric-klapisch", 5),
}

// testRouter is the site's router. Building it reads none of the server's
// fields, so a zero Server will do.
func testRouter() chi.Routes { return (&Server{}).router() }

// walkedRoutes lists the router's routes as method → patterns.
func walkedRoutes(t *testing.T, r chi.Routes) map[string][]string {
	t.Helper()
	routes := map[string][]string{}
	err := chi.Walk(r, func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		routes[route] = append(routes[route], method)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return routes
}

// findPattern is the pattern the router matches for a request with this
// method and URL. chi reports a request for a mount point itself
// ("/admin") as the mount's pattern, though the mount hands it on to its
// sub-router's root; so does this, giving the root's full pattern.
func findPattern(r chi.Routes, method, rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "unparsable URL: " + err.Error()
	}
	pattern := r.Find(chi.NewRouteContext(), method, u.EscapedPath())
	for _, route := range r.Routes() {
		if route.SubRoutes != nil && route.Pattern == pattern+"/*" {
			if sub := route.SubRoutes.Find(chi.NewRouteContext(), method, "/"); sub != "" {
				return pattern + sub
			}
		}
	}
	return pattern
}

// TestRoutesAndBuilders walks every route and builder so they cannot
// drift apart: every route has a builder, every builder a route, and the
// router answers each builder's URL with the route it was made for, for
// every method the route takes.
func TestRoutesAndBuilders(t *testing.T) {
	r := testRouter()
	walked := walkedRoutes(t, r)
	if len(walked) == 0 {
		t.Fatal("walking the router found no routes")
	}
	for pattern, methods := range walked {
		if _, ok := routeURLs[pattern]; !ok {
			t.Errorf("route %s %s has no builder in the table", strings.Join(methods, ","), pattern)
		}
	}
	for pattern, u := range routeURLs {
		methods, ok := walked[pattern]
		if !ok {
			t.Errorf("table entry %s (%s) is not a route", pattern, u)
			continue
		}
		if !strings.HasPrefix(u, "/") || strings.HasPrefix(u, "//") {
			t.Errorf("builder for %s made %q, not a local path", pattern, u)
		}
		slices.Sort(methods)
		for _, m := range methods {
			if got := findPattern(r, m, u); got != pattern {
				t.Errorf("%s %s: router matched pattern %q, want %q", m, u, got, pattern)
			}
		}
	}
}

// TestBuildersKeepOddSlugsInTheirSegment builds URLs from strings that are
// not valid slugs and checks that each still reaches its own route with
// the string as its one parameter: a slash, space, question mark, hash or
// percent sign cannot end the segment, start a query or reach another
// route.
func TestBuildersKeepOddSlugsInTheirSegment(t *testing.T) {
	r := testRouter()
	walked := walkedRoutes(t, r)
	odd := []string{"a/b", "a b", "../admin", "a?b=c", "a#b", "50%", "reviews/new", "new/edit", "é"}
	builders := []struct {
		pattern, param string
		build          func(string) string
	}{
		{paths.FilmPattern, "slug", paths.Film},
		{paths.PersonPattern, "slug", paths.Person},
		{paths.CompanyPattern, "slug", paths.Company},
		{paths.CriticReviewPattern, "slug", paths.CriticReview},
		{paths.FilmRatingPattern, "slug", paths.FilmRating},
		{paths.FilmReviewsPattern, "slug", paths.FilmReviews},
		{paths.FilmReviewFormPattern, "slug", paths.FilmReviewForm},
		{paths.FilmReviewSubmittedPattern, "slug", paths.FilmReviewSubmitted},
		{paths.FilmFeedPattern, "slug", paths.FilmFeed},
		{paths.AdminFilmEditPattern, "slug", paths.AdminFilmEdit},
		{paths.AdminPersonEditPattern, "slug", paths.AdminPersonEdit},
		{paths.StaticPattern, "name", paths.Static},
	}
	for _, b := range builders {
		methods := walked[b.pattern]
		if len(methods) == 0 {
			t.Errorf("%s is not a route", b.pattern)
		}
		for _, slug := range odd {
			u := b.build(slug)
			parsed, err := url.Parse(u)
			if err != nil || parsed.RawQuery != "" || parsed.Fragment != "" || strings.Contains(u, " ") {
				t.Errorf("%s(%q) = %q: the slug leaks out of the path", b.pattern, slug, u)
				continue
			}
			// Route as chi does: on the escaped path when the request
			// has one (an escaped slash), else on the decoded path.
			routePath, escaped := parsed.Path, parsed.RawPath != ""
			if escaped {
				routePath = parsed.RawPath
			}
			for _, m := range methods {
				rctx := chi.NewRouteContext()
				if got := r.Find(rctx, m, routePath); got != b.pattern {
					t.Errorf("%s %s (slug %q): router matched %q, want %q", m, u, slug, got, b.pattern)
					continue
				}
				got := rctx.URLParam(b.param)
				if escaped {
					got, _ = url.PathUnescape(got)
				}
				if got != slug {
					t.Errorf("%s %s: {%s} is %q, want %q", m, u, b.param, got, slug)
				}
			}
		}
	}
}
