package paths_test

import (
	"net/url"
	"testing"

	"marquee/internal/paths"
)

func TestBuilders(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{paths.Health(), "/healthz"},
		{paths.Static("style.0123abcd.css"), "/static/style.0123abcd.css"},
		{paths.Home(), "/"},
		{paths.Films(nil), "/films"},
		{paths.Films(url.Values{}), "/films"},
		{paths.Films(url.Values{"genre": {"Science Fiction"}}), "/films?genre=Science+Fiction"},
		{paths.Films(url.Values{"sort": {"rating"}, "decade": {"1990s"}}), "/films?decade=1990s&sort=rating"},
		{paths.Film("paris-2008"), "/films/paris-2008"},
		{paths.Person("juliette-binoche"), "/people/juliette-binoche"},
		{paths.Year(2008), "/years/2008"},
		{paths.Company("studiocanal"), "/companies/studiocanal"},
		{paths.CriticReview("a-city-of-strangers"), "/reviews/a-city-of-strangers"},
		{paths.Search("", 1), "/search"},
		{paths.Search("paris", 1), "/search?q=paris"},
		{paths.Search("paris 2008 & co", 3), "/search?q=paris+2008+%26+co&page=3"},
		{paths.SearchSuggest("par"), "/search/suggest?q=par"},
		{paths.FilmRating("paris-2008"), "/films/paris-2008/rating"},
		{paths.FilmReviews("paris-2008"), "/films/paris-2008/reviews"},
		{paths.FilmReviewForm("paris-2008"), "/films/paris-2008/reviews/new"},
		{paths.FilmReviewSubmitted("paris-2008"), "/films/paris-2008/reviews/submitted"},
		{paths.ReaderReviewHelpful(42), "/reader-reviews/42/helpful"},
		{paths.AdminDashboard(), "/admin"},
		{paths.AdminSignIn(), "/admin/signin"},
		{paths.AdminSignOut(), "/admin/signout"},
		{paths.AdminModeration(nil), "/admin/moderation"},
		{paths.AdminModeration(url.Values{"status": {"spam"}, "page": {"2"}}), "/admin/moderation?page=2&status=spam"},
		{paths.AdminAudit(nil), "/admin/audit"},
		{paths.AdminAudit(url.Values{"type": {"reader_review"}, "id": {"7"}}), "/admin/audit?id=7&type=reader_review"},
		{paths.AdminUsers(), "/admin/users"},
		{paths.AdminUserDisable(3), "/admin/users/3/disable"},
		{paths.AdminUserEnable(3), "/admin/users/3/enable"},
		{paths.AdminUserPassword(3), "/admin/users/3/password"},
		{paths.AdminReviews(nil), "/admin/reviews"},
		{paths.AdminReviews(url.Values{"status": {"in_review"}}), "/admin/reviews?status=in_review"},
		{paths.AdminReviewNew(""), "/admin/reviews/new"},
		{paths.AdminReviewNew("paris-2008"), "/admin/reviews/new?film=paris-2008"},
		{paths.AdminReview(12), "/admin/reviews/12"},
		{paths.AdminReviewHistory(12), "/admin/reviews/12/history"},
		{paths.AdminRestoreRevision(12, 3), "/admin/reviews/12/history/3/restore"},
		{paths.AdminPreview(), "/admin/preview"},
		{paths.AdminFilmSuggest(""), "/admin/film-suggestions"},
		{paths.AdminFilmSuggest("Paris (2008)"), "/admin/film-suggestions?q=Paris+%282008%29"},
		{paths.AdminFilms(nil), "/admin/films"},
		{paths.AdminFilms(url.Values{"q": {"par"}, "page": {"2"}}), "/admin/films?page=2&q=par"},
		{paths.AdminFilmNew(), "/admin/films/new"},
		{paths.AdminFilmEdit("paris-2008"), "/admin/films/paris-2008/edit"},
		{paths.AdminPeople(nil), "/admin/people"},
		{paths.AdminPersonNew(), "/admin/people/new"},
		{paths.AdminPersonEdit("juliette-binoche"), "/admin/people/juliette-binoche/edit"},
		{paths.WithQuery("/films/paris-2008/reviews", nil), "/films/paris-2008/reviews"},
		{paths.WithQuery("/admin/reviews/12", url.Values{"flash": {"review-saved"}}), "/admin/reviews/12?flash=review-saved"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

// TestSegmentsAreEscaped checks that what is not a slug stays in its one
// path segment.
func TestSegmentsAreEscaped(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{paths.Film("a/b"), "/films/a%2Fb"},
		{paths.Film("a b"), "/films/a%20b"},
		{paths.Film("a?b#c"), "/films/a%3Fb%23c"},
		{paths.Film("100%"), "/films/100%25"},
		{paths.Film("../admin"), "/films/..%2Fadmin"},
		{paths.Person("é"), "/people/%C3%A9"},
		{paths.Company("x/y"), "/companies/x%2Fy"},
		{paths.CriticReview("new review"), "/reviews/new%20review"},
		{paths.FilmReviewForm("a/b"), "/films/a%2Fb/reviews/new"},
		{paths.AdminFilmEdit("a/b"), "/admin/films/a%2Fb/edit"},
		{paths.AdminPersonEdit("a b"), "/admin/people/a%20b/edit"},
		{paths.Static("../x"), "/static/..%2Fx"},
		{paths.AdminReviewNew("a&b=c"), "/admin/reviews/new?film=a%26b%3Dc"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}
