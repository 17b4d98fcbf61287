package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // Europe/Paris on any machine

	"github.com/PuerkitoBio/goquery"
	"github.com/google/go-cmp/cmp"

	"marquee/internal/film"
	"marquee/internal/web"
)

// mustFilms adds films to the catalogue by slug, title and year.
func (s *site) mustFilms(tb testing.TB, by film.User, films ...film.Film) {
	tb.Helper()
	for _, f := range films {
		if _, err := s.db.CreateFilm(context.Background(), f, by, testNow); err != nil {
			tb.Fatalf("create %s: %v", f.Slug, err)
		}
	}
}

func TestReviewEditorFindsTheFilmInTheWholeCatalogue(t *testing.T) {
	s := mustSite(t)
	b, ed := s.deskBrowser(t, "ed", film.RoleEditor)
	s.mustFilms(t, ed,
		film.Film{Slug: "paris-1960", Title: "Paris", Year: 1960},
		film.Film{Slug: "paris-je-t-aime-2006", Title: "Paris, je t'aime", Year: 2006},
	)
	filmOf := func(id int64) string { t.Helper(); return s.mustEditedReview(t, id).Review.FilmSlug }

	// One match is taken: a title, a title with its year either way, a
	// slug.
	for i, tt := range []struct{ typed, want string }{
		{"Paris, je t'aime", "paris-je-t-aime-2006"},
		{"je t'aime", "paris-je-t-aime-2006"},
		{"Paris (2008)", "paris-2008"},
		{"paris 1960", "paris-1960"},
		{"paris-1960", "paris-1960"},
	} {
		id := mustSaveReview(t, b, "/admin/reviews", reviewForm(film.ReviewDraft, map[string]string{
			"film": tt.typed, "headline": "Review " + string(rune('a'+i)),
		}))
		if got := filmOf(id); got != tt.want {
			t.Errorf("film %q saved as %q, want %q", tt.typed, got, tt.want)
		}
	}

	// Several: the form comes back with the candidates, nothing saved.
	before := s.reviewCount(t)
	form := reviewForm(film.ReviewDraft, map[string]string{"film": "Paris", "headline": "Which Paris?"})
	resp, body := b.do(t, http.MethodPost, "/admin/reviews", form, nil)
	doc := parse(t, body)
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("ambiguous film = %d, want 422", resp.StatusCode)
	}
	if got := text(doc, "#f-film-error"); got != "Error: Several films match “Paris”: choose one below." {
		t.Errorf("film error = %q", got)
	}
	var picks []string
	doc.Find(`#review-editor input[type=radio][name=film_pick]`).Each(func(_ int, in *goquery.Selection) {
		picks = append(picks, in.AttrOr("value", "")+" = "+text(doc, `label[for="`+in.AttrOr("id", "")+`"]`))
	})
	want := []string{"paris-1960 = Paris (1960)", "paris-2008 = Paris (2008), directed by Cédric Klapisch"}
	if !cmp.Equal(sorted(picks), want) {
		t.Errorf("candidates = %q, want %q", picks, want)
	}
	if s.reviewCount(t) != before {
		t.Error("a review with an ambiguous film was saved")
	}
	// Choosing one saves it.
	form.Set("film_pick", "paris-1960")
	if id := mustSaveReview(t, b, "/admin/reviews", form); filmOf(id) != "paris-1960" {
		t.Errorf("picked film saved as %q", filmOf(id))
	}

	// None: said so, on the first save of a draft.
	resp, body = b.do(t, http.MethodPost, "/admin/reviews", reviewForm(film.ReviewDraft, map[string]string{"film": "Nowhere at All"}), nil)
	if got := text(parse(t, body), "#f-film-error"); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(got, "No film matches “Nowhere at All”.") {
		t.Errorf("unknown film = %d, %q", resp.StatusCode, got)
	}

	// Find, without JavaScript: the film is looked up, the form comes
	// back naming it, and nothing is saved or complained of.
	before = s.reviewCount(t)
	resp, body = b.do(t, http.MethodPost, "/admin/reviews", url.Values{"action": {"find"}, "film": {"je t'aime"}, "status": {"draft"}}, nil)
	doc = parse(t, body)
	if resp.StatusCode != http.StatusOK || doc.Find(".error-summary").Length() != 0 {
		t.Errorf("find = %d, errors %q", resp.StatusCode, text(doc, ".error-summary"))
	}
	if got := formValues(doc, "#review-editor").Get("film"); got != "paris-je-t-aime-2006" {
		t.Errorf("found film field = %q", got)
	}
	if got := text(doc, "#film-chosen"); got != "Film: Paris, je t'aime (2006)" {
		t.Errorf("found film = %q", got)
	}
	if s.reviewCount(t) != before {
		t.Error("Find saved a review")
	}
	// The film field offers the suggestions' list and the Find button.
	doc = b.page(t, "/admin/reviews/new", http.StatusOK)
	if l, _ := doc.Find("#f-film").Attr("list"); l != "film-suggestions" || doc.Find("datalist#film-suggestions").Length() != 1 {
		t.Errorf("film field list = %q", l)
	}
	if got, _ := doc.Find(".film-picker").Attr("data-suggest-url"); got != "/admin/film-suggestions" {
		t.Errorf("suggest URL = %q", got)
	}
	if doc.Find(`button[name=action][value=find]`).Length() != 1 {
		t.Error("no Find button")
	}
}

func TestFilmSuggestionsForTheEditor(t *testing.T) {
	s := mustSite(t)
	b, ed := s.deskBrowser(t, "con", film.RoleContributor)
	s.mustFilms(t, ed, film.Film{Slug: "paris-1960", Title: "Paris", Year: 1960}, film.Film{Slug: "amelie-2001", Title: "Amélie", Year: 2001})
	type suggestion struct {
		Slug, Title, Label string
		Year               int
	}
	get := func(q string) []suggestion {
		t.Helper()
		resp, body := b.do(t, http.MethodGet, "/admin/film-suggestions?q="+url.QueryEscape(q), nil, nil)
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
			t.Fatalf("suggestions for %q = %d %s", q, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		var out []suggestion
		if err := json.Unmarshal([]byte(body), &out); err != nil {
			t.Fatalf("suggestions for %q: %v\n%s", q, err, body)
		}
		return out
	}
	var slugs []string
	for _, x := range get("par") {
		slugs = append(slugs, x.Slug)
	}
	if !cmp.Equal(sorted(slugs), []string{"paris-1960", "paris-2008"}) {
		t.Errorf("suggestions for par = %v", slugs)
	}
	if got := get("amel"); len(got) != 1 || got[0].Label != "Amélie (2001)" || got[0].Year != 2001 {
		t.Errorf("suggestions for amel = %+v", got)
	}
	if got := get(""); got == nil || len(got) != 0 {
		t.Errorf("suggestions for nothing = %+v, want []", got)
	}
	// Desk only.
	resp, _ := s.newBrowser("203.0.113.9").do(t, http.MethodGet, "/admin/film-suggestions?q=par", nil, nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Errorf("anonymous suggestions = %d, want a redirect to sign in", resp.StatusCode)
	}
}

func TestReviewSlugAndTypography(t *testing.T) {
	s := mustSite(t)
	b, _ := s.deskBrowser(t, "ed", film.RoleEditor)
	var slugs []string
	for range 3 {
		id := mustSaveReview(t, b, "/admin/reviews", reviewForm(film.ReviewDraft, map[string]string{"headline": "City of strangers", "slug": ""}))
		slugs = append(slugs, s.mustEditedReview(t, id).Review.Slug)
	}
	if want := []string{"city-of-strangers", "city-of-strangers-2", "city-of-strangers-3"}; !cmp.Equal(slugs, want) {
		t.Errorf("slugs made from one headline = %v, want %v", slugs, want)
	}
	// A slug typed by the editor is never renumbered.
	resp, body := b.do(t, http.MethodPost, "/admin/reviews", reviewForm(film.ReviewDraft, map[string]string{"slug": "city-of-strangers"}), nil)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(text(parse(t, body), "#f-slug-error"), "already used") {
		t.Errorf("typed slug taken = %d", resp.StatusCode)
	}
	// An empty headline is the headline's problem, not the slug's.
	_, body = b.do(t, http.MethodPost, "/admin/reviews", reviewForm(film.ReviewDraft, map[string]string{"headline": "", "slug": ""}), nil)
	if doc := parse(t, body); text(doc, "#f-slug-error") != "" || text(doc, "#f-headline-error") == "" {
		t.Errorf("empty headline: slug error %q, headline error %q", text(doc, "#f-slug-error"), text(doc, "#f-headline-error"))
	}

	// Headline and pull quote are set as the body is.
	id := mustSaveReview(t, b, "/admin/reviews", reviewForm(film.ReviewPublished, map[string]string{
		"headline": `"Paris" -- O'Brien's city...`, "pull_quote": `It's "handsome" -- and hollow`, "slug": "",
	}))
	r := s.mustEditedReview(t, id).Review
	if r.Headline != "“Paris” – O’Brien’s city…" || r.PullQuote != "It’s “handsome” – and hollow" {
		t.Errorf("headline %q, pull quote %q", r.Headline, r.PullQuote)
	}
	doc, _ := s.mustPage(t, "/reviews/"+r.Slug, http.StatusOK)
	if got := text(doc, "h1"); !strings.Contains(got, "“Paris” – O’Brien’s city…") {
		t.Errorf("public headline = %q", got)
	}
}

func TestReviewSchedulingUsesTheSiteTimeZone(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	s := mustSiteWith(t, web.Config{TimeZone: paris})
	b, _ := s.deskBrowser(t, "ed", film.RoleEditor)

	// In November Paris is an hour ahead of UTC, and says so.
	doc := b.page(t, "/admin/reviews/new", http.StatusOK)
	if got := text(doc, "fieldset.schedule legend"); got != "Scheduled publication (Europe/Paris, UTC+01:00)" {
		t.Errorf("legend = %q", got)
	}
	id := mustSaveReview(t, b, "/admin/reviews", reviewForm(film.ReviewScheduled, map[string]string{"publish_date": "2026-11-22", "publish_time": "09:00"}))
	if got := s.mustEditedReview(t, id).Review.PublishedAt; !got.Equal(time.Date(2026, 11, 22, 8, 0, 0, 0, time.UTC)) {
		t.Errorf("09:00 in Paris stored as %v, want 08:00 UTC", got)
	}
	doc = b.page(t, "/admin/reviews/"+itoa(id), http.StatusOK)
	if got := formValues(doc, "#review-editor"); got.Get("publish_date") != "2026-11-22" || got.Get("publish_time") != "09:00" {
		t.Errorf("editor shows %s %s, want the Paris time", got.Get("publish_date"), got.Get("publish_time"))
	}
	list := b.page(t, "/admin/reviews?status=scheduled", http.StatusOK)
	if !strings.Contains(list.Text(), "22 November 2026, 09:00 CET") {
		t.Errorf("the review list does not show the Paris time: %q", text(list, "table"))
	}
	// The audit log too: the account was made at 12:00 UTC, 13:00 in Paris.
	if audit := b.page(t, "/admin/audit", http.StatusOK); !strings.Contains(text(audit, "table.audit"), "21 November 2026, 13:00 CET") {
		t.Errorf("the audit log does not show Paris times: %q", text(audit, "table.audit"))
	}

	// The night the clocks go forward has no 02:30.
	resp, body := b.do(t, http.MethodPost, "/admin/reviews/"+itoa(id), withRevision(t, b, id, reviewForm(film.ReviewScheduled,
		map[string]string{"publish_date": "2027-03-28", "publish_time": "02:30"})), nil)
	if got := text(parse(t, body), "#f-publish_date-error"); resp.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(got, "There is no 02:30 on 2027-03-28 in Europe/Paris") {
		t.Errorf("a skipped time = %d, %q", resp.StatusCode, got)
	}
	// An hour later is summer time, two hours ahead, and the legend says
	// so for that date.
	mustSaveReview(t, b, "/admin/reviews/"+itoa(id), withRevision(t, b, id, reviewForm(film.ReviewScheduled,
		map[string]string{"publish_date": "2027-03-28", "publish_time": "03:30"})))
	if got := s.mustEditedReview(t, id).Review.PublishedAt; !got.Equal(time.Date(2027, 3, 28, 1, 30, 0, 0, time.UTC)) {
		t.Errorf("03:30 in Paris after the change stored as %v, want 01:30 UTC", got)
	}
	doc = b.page(t, "/admin/reviews/"+itoa(id), http.StatusOK)
	if got := text(doc, "fieldset.schedule legend"); got != "Scheduled publication (Europe/Paris, UTC+02:00)" {
		t.Errorf("legend in summer = %q", got)
	}
}

// withRevision adds the revision the editor of review id holds to form.
func withRevision(tb testing.TB, b *browser, id int64, form url.Values) url.Values {
	tb.Helper()
	form.Set("revision", formValues(b.page(tb, "/admin/reviews/"+itoa(id), http.StatusOK), "#review-editor").Get("revision"))
	return form
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// sorted returns a sorted copy of list.
func sorted(list []string) []string {
	out := slices.Clone(list)
	slices.Sort(out)
	return out
}

// TestReviewEditorEnterSaves: pressing Enter in a field submits a form
// through its first submit button, so the review editor's first one must
// save. The film picker's Find button, which comes before the visible
// Save, once took Enter for itself.
func TestReviewEditorEnterSaves(t *testing.T) {
	s := mustSite(t)
	b, _ := s.deskBrowser(t, "ed", film.RoleEditor)
	doc := b.page(t, "/admin/reviews/new", http.StatusOK)
	first := doc.Find(`form#review-editor button[type=submit], form#review-editor input[type=submit]`).First()
	if got, _ := first.Attr("value"); got != "save" {
		html, _ := goquery.OuterHtml(first)
		t.Errorf("the review editor's first submit button is %s: Enter in a field would not save", html)
	}
}
