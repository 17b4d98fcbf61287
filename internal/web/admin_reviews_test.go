package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/google/go-cmp/cmp"

	"marquee/internal/film"
)

// deskBrowser adds an account with the given role (its email made from
// name) and returns a browser signed in with it.
func (s *site) deskBrowser(tb testing.TB, name string, role film.UserRole) (*browser, film.User) {
	tb.Helper()
	u := s.mustAccount(tb, name+"@example.com", role)
	b := s.newBrowser("198.51.100.20")
	b.mustSignIn(tb, u.Email)
	return b, u
}

// parse parses a page.
func parse(tb testing.TB, body string) *goquery.Document {
	tb.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	return doc
}

// formValues reads the values a browser would send for the form matching
// sel: text inputs, checked boxes and radios, selects and textareas, but no
// buttons.
func formValues(doc *goquery.Document, sel string) url.Values {
	values := url.Values{}
	form := doc.Find(sel)
	form.Find("input[name]").Each(func(_ int, in *goquery.Selection) {
		name, _ := in.Attr("name")
		typ, _ := in.Attr("type")
		value, _ := in.Attr("value")
		switch typ {
		case "checkbox", "radio":
			if _, checked := in.Attr("checked"); checked {
				values.Add(name, value)
			}
		case "submit", "button":
		default:
			values.Add(name, value)
		}
	})
	form.Find("select[name]").Each(func(_ int, sel *goquery.Selection) {
		name, _ := sel.Attr("name")
		opt := sel.Find("option[selected]").First()
		if opt.Length() == 0 {
			opt = sel.Find("option").First()
		}
		value, _ := opt.Attr("value")
		values.Add(name, value)
	})
	form.Find("textarea[name]").Each(func(_ int, ta *goquery.Selection) {
		name, _ := ta.Attr("name")
		// A browser drops the one newline that may follow <textarea>.
		values.Add(name, strings.TrimPrefix(ta.Text(), "\n"))
	})
	return values
}

// reviewForm is a complete, valid review editor form for Paris (2008).
func reviewForm(status film.ReviewStatus, changes map[string]string) url.Values {
	v := url.Values{
		"action":       {"save"},
		"headline":     {"A city of strangers"},
		"film":         {"paris-2008"},
		"author":       {"Ann Critic"},
		"publication":  {"The Weekly"},
		"rating_value": {"3.5"},
		"rating_scale": {"5"},
		"pull_quote":   {"Handsome and hollow."},
		"body":         {"First line.\n\nSecond line with *emphasis*.\n\nThird line."},
		"status":       {string(status)},
	}
	for k, val := range changes {
		v.Set(k, val)
	}
	return v
}

// mustSaveReview posts a review form to path and checks that it was saved,
// returning the review's id.
func mustSaveReview(tb testing.TB, b *browser, path string, form url.Values) int64 {
	tb.Helper()
	resp, body := b.do(tb, http.MethodPost, path, form, nil)
	if resp.StatusCode != http.StatusSeeOther {
		tb.Fatalf("POST %s = %d, want 303\n%s", path, resp.StatusCode, body)
	}
	loc := resp.Header.Get("Location")
	rest, ok := strings.CutPrefix(loc, "/admin/reviews/")
	if !ok {
		tb.Fatalf("redirect to %q", loc)
	}
	id, err := strconv.ParseInt(strings.SplitN(rest, "?", 2)[0], 10, 64)
	if err != nil {
		tb.Fatalf("redirect to %q: %v", loc, err)
	}
	return id
}

// reviewCount counts the stored critic reviews in every state.
func (s *site) reviewCount(tb testing.TB) int {
	tb.Helper()
	page, err := s.db.FindEditedReviews(context.Background(), film.EditedReviewFilter{Limit: 1000})
	if err != nil {
		tb.Fatal(err)
	}
	return len(page.Reviews)
}

func (s *site) mustEditedReview(tb testing.TB, id int64) film.EditedReview {
	tb.Helper()
	r, err := s.db.FindEditedReview(context.Background(), id)
	if err != nil {
		tb.Fatal(err)
	}
	return r
}

func TestReviewEditorRoutesCheckTheRole(t *testing.T) {
	s := mustSite(t)
	editor, _ := s.deskBrowser(t, "ed", film.RoleEditor)
	id := mustSaveReview(t, editor, "/admin/reviews", reviewForm(film.ReviewDraft, nil))
	path := "/admin/reviews/" + strconv.FormatInt(id, 10)
	users := map[film.UserRole]*browser{film.RoleEditor: editor}
	users[film.RoleContributor], _ = s.deskBrowser(t, "carol", film.RoleContributor)
	users[film.RoleAdmin], _ = s.deskBrowser(t, "ada", film.RoleAdmin)
	pages := []struct {
		method, path string
		form         url.Values
		// want is the answer to each role.
		want map[film.UserRole]int
	}{
		{"GET", "/admin/reviews", nil, map[film.UserRole]int{film.RoleContributor: 200, film.RoleEditor: 200, film.RoleAdmin: 200}},
		{"GET", "/admin/reviews/new", nil, map[film.UserRole]int{film.RoleContributor: 200, film.RoleEditor: 200, film.RoleAdmin: 200}},
		// Someone else's review: contributors may not even look, nor learn
		// that it exists (404, as for a review that does not).
		{"GET", path, nil, map[film.UserRole]int{film.RoleContributor: 404, film.RoleEditor: 200, film.RoleAdmin: 200}},
		{"GET", path + "/history", nil, map[film.UserRole]int{film.RoleContributor: 404, film.RoleEditor: 200, film.RoleAdmin: 200}},
		{"POST", path, reviewForm(film.ReviewDraft, map[string]string{"revision": "1", "body": "Changed."}),
			map[film.UserRole]int{film.RoleContributor: 404, film.RoleEditor: 303, film.RoleAdmin: 409}},
		{"POST", "/admin/preview", reviewForm(film.ReviewDraft, nil), map[film.UserRole]int{film.RoleContributor: 200, film.RoleEditor: 200, film.RoleAdmin: 200}},
		{"GET", "/admin/films", nil, map[film.UserRole]int{film.RoleContributor: 403, film.RoleEditor: 200, film.RoleAdmin: 200}},
		{"GET", "/admin/films/new", nil, map[film.UserRole]int{film.RoleContributor: 403, film.RoleEditor: 200, film.RoleAdmin: 200}},
		{"GET", "/admin/films/paris-2008/edit", nil, map[film.UserRole]int{film.RoleContributor: 403, film.RoleEditor: 200, film.RoleAdmin: 200}},
		{"POST", "/admin/films/paris-2008/edit", url.Values{"title": {"Forged"}}, map[film.UserRole]int{film.RoleContributor: 403}},
		{"POST", "/admin/films", url.Values{"title": {"Forged"}}, map[film.UserRole]int{film.RoleContributor: 403}},
		{"GET", "/admin/people", nil, map[film.UserRole]int{film.RoleContributor: 403, film.RoleEditor: 200, film.RoleAdmin: 200}},
		{"GET", "/admin/people/new", nil, map[film.UserRole]int{film.RoleContributor: 403, film.RoleEditor: 200, film.RoleAdmin: 200}},
		{"GET", "/admin/people/juliette-binoche/edit", nil, map[film.UserRole]int{film.RoleContributor: 403, film.RoleEditor: 200, film.RoleAdmin: 200}},
		{"POST", "/admin/people", url.Values{"name": {"Forged"}}, map[film.UserRole]int{film.RoleContributor: 403}},
	}
	for _, p := range pages {
		t.Run(p.method+" "+p.path+" anonymous", func(t *testing.T) {
			resp, _ := s.newBrowser("198.51.100.9").do(t, p.method, p.path, p.form, nil)
			if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/admin/signin") {
				t.Errorf("= %d to %q, want 303 to the sign-in page", resp.StatusCode, resp.Header.Get("Location"))
			}
		})
		for _, role := range []film.UserRole{film.RoleContributor, film.RoleEditor, film.RoleAdmin} {
			want, ok := p.want[role]
			if !ok {
				continue
			}
			t.Run(p.method+" "+p.path+" as "+string(role), func(t *testing.T) {
				resp, body := users[role].do(t, p.method, p.path, p.form, nil)
				if resp.StatusCode != want {
					t.Fatalf("= %d, want %d\n%s", resp.StatusCode, want, body)
				}
				if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
					t.Errorf("Cache-Control = %q, want no-store", cc)
				}
			})
		}
	}
	if f, _ := s.db.FindFilmSummary(context.Background(), "paris-2008"); f.Title != "Paris" {
		t.Errorf("a contributor's forged film edit went through: %q", f.Title)
	}
}

func TestContributorCannotPublishOrSchedule(t *testing.T) {
	s := mustSite(t)
	b, carol := s.deskBrowser(t, "carol", film.RoleContributor)

	// The editor offers neither publishing nor scheduling.
	doc := b.page(t, "/admin/reviews/new", http.StatusOK)
	var offered []string
	doc.Find(`input[name="status"]`).Each(func(_ int, in *goquery.Selection) {
		v, _ := in.Attr("value")
		offered = append(offered, v)
	})
	if diff := cmp.Diff([]string{"draft", "in_review"}, offered); diff != "" {
		t.Errorf("statuses offered (-want +got):\n%s", diff)
	}
	if doc.Find(`[name="publish_date"], [name="publish_time"]`).Length() != 0 {
		t.Error("a contributor is offered a publication time")
	}
	if got, _ := doc.Find("#f-author").Attr("value"); got != carol.Name {
		t.Errorf("byline starts as %q, want the account's name", got)
	}

	// A forged publish or schedule is refused and nothing is saved.
	before := s.reviewCount(t)
	for _, forged := range []url.Values{
		reviewForm(film.ReviewPublished, nil),
		reviewForm(film.ReviewScheduled, map[string]string{"publish_date": "2026-12-01", "publish_time": "09:00"}),
	} {
		resp, _ := b.do(t, http.MethodPost, "/admin/reviews", forged, nil)
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("forged %s = %d, want 403", forged.Get("status"), resp.StatusCode)
		}
	}
	if got := s.reviewCount(t); got != before {
		t.Fatalf("%d reviews after refused posts, want %d", got, before)
	}

	// A draft of their own they may write, edit and submit, but not
	// publish.
	id := mustSaveReview(t, b, "/admin/reviews", reviewForm(film.ReviewDraft, nil))
	path := "/admin/reviews/" + strconv.FormatInt(id, 10)
	resp, _ := b.do(t, http.MethodPost, path, reviewForm(film.ReviewPublished, map[string]string{"revision": "1", "body": "Sneaky."}), nil)
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("forged publish of own draft = %d, want 403", resp.StatusCode)
	}
	if r := s.mustEditedReview(t, id); r.Review.Status != film.ReviewDraft || r.Revision != 1 || r.Review.Body == "Sneaky." {
		t.Errorf("after a refused publish: %s, revision %d", r.Review.Status, r.Revision)
	}
	resp, _ = b.do(t, http.MethodPost, path, reviewForm(film.ReviewInReview, map[string]string{"revision": "1"}), nil)
	if resp.StatusCode != http.StatusSeeOther || !strings.HasSuffix(resp.Header.Get("Location"), "?flash=review-submitted") {
		t.Fatalf("submit = %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	doc = b.page(t, path+"?flash=review-submitted", http.StatusOK)
	if got := text(doc, ".flash"); !strings.Contains(got, "submitted") {
		t.Errorf("flash = %q", got)
	}
	if r := s.mustEditedReview(t, id); r.Review.Status != film.ReviewInReview || r.OwnerID != carol.ID {
		t.Errorf("submitted review = %s by %d", r.Review.Status, r.OwnerID)
	}

	// Once an editor publishes it, it is no longer the contributor's to
	// change: the page says so and offers no Save, and a forged save is
	// refused.
	editor, _ := s.deskBrowser(t, "ed", film.RoleEditor)
	mustSaveReview(t, editor, path, reviewForm(film.ReviewPublished, map[string]string{"revision": "2"}))
	doc = b.page(t, path, http.StatusOK)
	if doc.Find(`button[value="save"]`).Length() != 0 || !strings.Contains(text(doc, ".notice"), "only an editor") {
		t.Error("a contributor is offered to save a published review")
	}
	resp, _ = b.do(t, http.MethodPost, path, reviewForm(film.ReviewInReview, map[string]string{"revision": "3", "body": "Changed after publication."}), nil)
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("contributor edit of a published review = %d, want 403", resp.StatusCode)
	}

	// Their list holds only their own reviews.
	doc = b.page(t, "/admin/reviews", http.StatusOK)
	if got := texts(doc, "table.admin-list tbody th"); len(got) != 1 || got[0] != "A city of strangers" {
		t.Errorf("contributor's list = %q", got)
	}
}

func TestEditorPublishesAndUpdates(t *testing.T) {
	s := mustSite(t)
	b, _ := s.deskBrowser(t, "ed", film.RoleEditor)
	doc := b.page(t, "/admin/reviews/new", http.StatusOK)
	if doc.Find(`input[name="status"][value="published"]`).Length() != 1 || doc.Find(`input[name="publish_date"]`).Length() != 1 {
		t.Error("an editor is not offered publishing and scheduling")
	}
	id := mustSaveReview(t, b, "/admin/reviews", reviewForm(film.ReviewPublished, nil))
	page, _ := s.mustPage(t, "/reviews/a-city-of-strangers", http.StatusOK)
	if got := text(page, ".critic-review .byline"); got != "By Ann Critic, The Weekly · 21 November 2026" {
		t.Errorf("byline = %q", got)
	}
	filmPage, _ := s.mustPage(t, "/films/paris-2008", http.StatusOK)
	if !strings.Contains(text(filmPage, "#critic-reviews"), "A city of strangers") {
		t.Error("the film page does not show the published review")
	}

	// Two days later an editor corrects it: it stays published and says
	// when it was updated.
	s.clock.Advance(48 * time.Hour)
	b.mustSignIn(t, "ed@example.com") // The session of two days ago has ended.
	mustSaveReview(t, b, "/admin/reviews/"+strconv.FormatInt(id, 10),
		reviewForm(film.ReviewPublished, map[string]string{"revision": "1", "body": "First line, corrected."}))
	r := s.mustEditedReview(t, id)
	if r.Review.Status != film.ReviewPublished || !r.Review.PublishedAt.Equal(testNow) || !r.Review.UpdatedAt.Equal(testNow.Add(48*time.Hour)) {
		t.Errorf("after the correction: %s, published %v, updated %v", r.Review.Status, r.Review.PublishedAt, r.Review.UpdatedAt)
	}
	page, _ = s.mustPage(t, "/reviews/a-city-of-strangers", http.StatusOK)
	if got := text(page, ".critic-review .byline .updated"); got != "· updated 23 November 2026" {
		t.Errorf("updated = %q", got)
	}
	if got := text(page, ".review-body"); got != "First line, corrected." {
		t.Errorf("body = %q", got)
	}
}

func TestScheduledReviewGoesLiveWithoutAnyoneActing(t *testing.T) {
	s := mustSite(t)
	b, _ := s.deskBrowser(t, "ed", film.RoleEditor)
	// A time already past is refused, with everything kept.
	resp, body := b.do(t, http.MethodPost, "/admin/reviews",
		reviewForm(film.ReviewScheduled, map[string]string{"publish_date": "2026-11-20", "publish_time": "09:00"}), nil)
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("schedule in the past = %d, want 422", resp.StatusCode)
	}
	doc := parse(t, body)
	if got := text(doc, "#f-publish_date-error"); !strings.Contains(got, "must be in the future") {
		t.Errorf("error = %q", got)
	}
	if got, _ := doc.Find("#f-publish_date").Attr("value"); got != "2026-11-20" {
		t.Errorf("date kept as %q", got)
	}

	mustSaveReview(t, b, "/admin/reviews",
		reviewForm(film.ReviewScheduled, map[string]string{"publish_date": "2026-11-22", "publish_time": "09:00"}))
	s.mustPage(t, "/reviews/a-city-of-strangers", http.StatusNotFound)
	s.clock.Advance(21 * time.Hour) // 22 November, 09:00
	doc, _ = s.mustPage(t, "/reviews/a-city-of-strangers", http.StatusOK)
	if got := text(doc, ".critic-review .byline time"); got != "22 November 2026" {
		t.Errorf("published on %q", got)
	}
	filmPage, _ := s.mustPage(t, "/films/paris-2008", http.StatusOK)
	if !strings.Contains(text(filmPage, "#critic-reviews"), "A city of strangers") {
		t.Error("the film page does not show the review at its time")
	}
}

func TestReviewSlugChangeRedirects(t *testing.T) {
	s := mustSite(t)
	b, _ := s.deskBrowser(t, "ed", film.RoleEditor)
	id := mustSaveReview(t, b, "/admin/reviews", reviewForm(film.ReviewPublished, nil))
	path := "/admin/reviews/" + strconv.FormatInt(id, 10)
	mustSaveReview(t, b, path, reviewForm(film.ReviewPublished, map[string]string{"revision": "1", "slug": "strangers-in-paris"}))

	resp := s.do(t, http.MethodGet, "/reviews/a-city-of-strangers?ref=home", nil)
	if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != "/reviews/strangers-in-paris?ref=home" {
		t.Errorf("old address = %d to %q, want 301 to the new one", resp.StatusCode, resp.Header.Get("Location"))
	}
	s.mustPage(t, "/reviews/strangers-in-paris", http.StatusOK)
	// The seeded review's address is left alone, and unknown ones 404.
	s.mustPage(t, "/reviews/paris-2008-review", http.StatusOK)
	s.mustPage(t, "/reviews/never-was", http.StatusNotFound)

	// A draft's address was never public: renaming it leaves nothing.
	draft := mustSaveReview(t, b, "/admin/reviews", reviewForm(film.ReviewDraft, map[string]string{"slug": "draft-one"}))
	mustSaveReview(t, b, "/admin/reviews/"+strconv.FormatInt(draft, 10),
		reviewForm(film.ReviewPublished, map[string]string{"revision": "1", "slug": "draft-two"}))
	s.mustPage(t, "/reviews/draft-one", http.StatusNotFound)
}

func TestReviewRevisionsDiffAndRestore(t *testing.T) {
	s := mustSite(t)
	ann, _ := s.deskBrowser(t, "ann", film.RoleContributor)
	ed, _ := s.deskBrowser(t, "ed", film.RoleEditor)
	id := mustSaveReview(t, ann, "/admin/reviews", reviewForm(film.ReviewDraft, nil))
	path := "/admin/reviews/" + strconv.FormatInt(id, 10)
	s.clock.Advance(time.Hour)
	mustSaveReview(t, ed, path, reviewForm(film.ReviewDraft, map[string]string{
		"revision": "1", "headline": "A city of neighbours",
		"body": "First line.\n\nSecond line, rewritten.\n\nThird line.",
	}))

	doc := ed.page(t, path+"/history", http.StatusOK)
	// Each revision: its number, when, who and what; the last cell holds
	// the actions, which are left out here.
	want := []string{
		"2 | 21 November 2026, 13:00 UTC | Ed | Edited",
		"1 | 21 November 2026, 12:00 UTC | Ann | Created",
	}
	var got []string
	for _, r := range rows(doc, "table.revisions tbody tr") {
		cells := strings.Split(r, " | ")
		got = append(got, strings.Join(cells[:4], " | "))
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("revisions (-want +got):\n%s", diff)
	}
	// By default the latest two are compared: each changed field, line by
	// line.
	if got := texts(doc, "#diff h3"); !cmp.Equal(got, []string{"Headline", "Body"}) {
		t.Errorf("changed fields = %q", got)
	}
	if got := texts(doc, "#diff .diff-line.del del"); !cmp.Equal(got, []string{"A city of strangers", "Second line with *emphasis*."}) {
		t.Errorf("removed lines = %q", got)
	}
	if got := texts(doc, "#diff .diff-line.ins ins"); !cmp.Equal(got, []string{"A city of neighbours", "Second line, rewritten."}) {
		t.Errorf("added lines = %q", got)
	}
	if got := texts(doc, "#diff .diff-line.same span:not(.mark)"); !cmp.Equal(got, []string{"First line.", "", "", "Third line."}) {
		t.Errorf("kept lines = %q", got)
	}

	// Restoring revision 1 makes revision 3, by the one who restored it.
	form := url.Values{"revision": {"2"}}
	resp, body := ed.do(t, http.MethodPost, path+"/history/1/restore", form, nil)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != path+"?flash=review-restored" {
		t.Fatalf("restore = %d to %q\n%s", resp.StatusCode, resp.Header.Get("Location"), body)
	}
	r := s.mustEditedReview(t, id)
	if r.Revision != 3 || r.Review.Headline != "A city of strangers" || r.Review.Status != film.ReviewDraft {
		t.Errorf("after restore: revision %d, %q, %s", r.Revision, r.Review.Headline, r.Review.Status)
	}
	doc = ed.page(t, path+"/history?from=1&to=3", http.StatusOK)
	if got := text(doc, "#revision-3 td:nth-child(4)"); got != "Restored an earlier revision (revision 1)" {
		t.Errorf("revision 3 = %q", got)
	}
	if got := text(doc, "#diff"); !strings.Contains(got, "The two revisions are the same") {
		t.Errorf("diff of 1 and 3 = %q", got)
	}
	// A restore from a stale page changes nothing.
	resp, _ = ed.do(t, http.MethodPost, path+"/history/2/restore", form, nil)
	if resp.StatusCode != http.StatusConflict {
		t.Errorf("stale restore = %d, want 409", resp.StatusCode)
	}
	if r := s.mustEditedReview(t, id); r.Revision != 3 {
		t.Errorf("stale restore made revision %d", r.Revision)
	}
	// Saving with nothing changed keeps no revision.
	resp, _ = ed.do(t, http.MethodPost, path, reviewForm(film.ReviewDraft, map[string]string{"revision": "3"}), nil)
	if resp.StatusCode != http.StatusSeeOther || !strings.HasSuffix(resp.Header.Get("Location"), "flash=review-unchanged") {
		t.Errorf("unchanged save = %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	var audit []string
	for _, a := range s.auditActions(t) {
		if strings.HasPrefix(a, "review.") {
			audit = append(audit, strings.Fields(a)[0])
		}
	}
	if diff := cmp.Diff([]string{"review.create", "review.update", "review.restore"}, audit); diff != "" {
		t.Errorf("audit (-want +got):\n%s", diff)
	}
}

func TestPreviewMatchesThePublicPageAndSavesNothing(t *testing.T) {
	s := mustSite(t)
	b, _ := s.deskBrowser(t, "ed", film.RoleEditor)
	markdown := "A *bold* claim, a [link](https://example.com) and a ||secret||.\n\n## Acting\n\n> Quoted.\n\n" +
		"| a | b |\n|---|---|\n| 1 | 2 |\n\nFootnote[^1].\n\n[^1]: The note.\n\n::: spoiler\nThe ending.\n:::"
	form := reviewForm(film.ReviewPublished, map[string]string{"body": markdown, "action": "preview"})
	before := s.reviewCount(t)

	// Without JavaScript: the whole editor comes back, with the preview
	// and everything typed.
	resp, body := b.do(t, http.MethodPost, "/admin/reviews", form, nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("preview = %d\n%s", resp.StatusCode, body)
	}
	doc := parse(t, body)
	previewHTML, _ := doc.Find("#review-preview-content .review-body").Html()
	if got := formValues(doc, "#review-editor"); got.Get("body") != markdown || got.Get("pull_quote") != "Handsome and hollow." || got.Get("status") != "published" {
		t.Errorf("values after preview: %v", got)
	}
	// The live preview's fragment is the same.
	resp, fragment := b.do(t, http.MethodPost, "/admin/preview", form, nil)
	if resp.StatusCode != http.StatusOK || strings.Contains(fragment, "<html") {
		t.Fatalf("live preview = %d: %s", resp.StatusCode, fragment)
	}
	liveHTML, _ := parse(t, fragment).Find(".review-body").Html()
	if s.reviewCount(t) != before {
		t.Fatal("a preview saved the review")
	}

	form.Set("action", "save")
	mustSaveReview(t, b, "/admin/reviews", form)
	page, _ := s.mustPage(t, "/reviews/a-city-of-strangers", http.StatusOK)
	publicHTML, _ := page.Find(".review-body").Html()
	if publicHTML == "" || !strings.Contains(publicHTML, "<em>bold</em>") {
		t.Fatalf("public body = %s", publicHTML)
	}
	if previewHTML != publicHTML {
		t.Errorf("preview differs from the public page:\npreview: %s\npublic:  %s", previewHTML, publicHTML)
	}
	if liveHTML != publicHTML {
		t.Errorf("live preview differs from the public page:\nlive:   %s\npublic: %s", liveHTML, publicHTML)
	}
}

func TestReviewValidationKeepsEveryValue(t *testing.T) {
	s := mustSite(t)
	b, _ := s.deskBrowser(t, "ed", film.RoleEditor)
	form := reviewForm(film.ReviewDraft, map[string]string{
		"headline": "", "film": "no-such-film", "rating_value": "lots", "author_person": "nobody-known",
		"slug": "my-slug", "body": "Kept *body*\nwith two lines.",
	})
	before := s.reviewCount(t)
	resp, body := b.do(t, http.MethodPost, "/admin/reviews", form, nil)
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("invalid review = %d, want 422\n%s", resp.StatusCode, body)
	}
	doc := parse(t, body)
	got := formValues(doc, "#review-editor")
	for _, field := range []string{"headline", "film", "author", "author_person", "publication", "rating_value", "rating_scale", "pull_quote", "body", "status", "slug"} {
		if got.Get(field) != form.Get(field) {
			t.Errorf("%s came back as %q, want %q", field, got.Get(field), form.Get(field))
		}
	}
	for field, want := range map[string]string{
		"headline":     "is required",
		"rating_value": "must be a number, such as 3.5",
		// An unknown film is reported on the first save of a draft, with
		// everything else.
		"film": "No film matches “no-such-film”.",
	} {
		if msg := text(doc, "#f-"+field+"-error"); !strings.Contains(msg, want) {
			t.Errorf("%s error = %q, want %q", field, msg, want)
		}
		if v, _ := doc.Find("#f-" + field).Attr("aria-invalid"); v != "true" {
			t.Errorf("%s is not marked invalid", field)
		}
		if v, _ := doc.Find("#f-" + field).Attr("aria-describedby"); !strings.Contains(v, "f-"+field+"-error") {
			t.Errorf("%s is not described by its error: %q", field, v)
		}
	}
	if doc.Find(".error-summary a[href='#f-headline']").Length() != 1 {
		t.Error("the summary does not link to the headline")
	}

	// The store's own checks come back the same way: unknown byline
	// person, then a slug already taken.
	form.Set("headline", "A headline")
	form.Set("rating_value", "3")
	form.Set("film", "paris-2008")
	resp, body = b.do(t, http.MethodPost, "/admin/reviews", form, nil)
	doc = parse(t, body)
	if resp.StatusCode != http.StatusUnprocessableEntity || text(doc, "#f-film-error") != "" ||
		text(doc, "#f-author_person-error") != "Error: is not a person in the catalogue" {
		t.Errorf("unknown person = %d: film %q, person %q", resp.StatusCode, text(doc, "#f-film-error"), text(doc, "#f-author_person-error"))
	}
	form.Set("author_person", "")
	form.Set("slug", "paris-2008-review")
	resp, body = b.do(t, http.MethodPost, "/admin/reviews", form, nil)
	doc = parse(t, body)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(text(doc, "#f-slug-error"), "already used") {
		t.Errorf("taken slug = %d: %q", resp.StatusCode, text(doc, "#f-slug-error"))
	}
	if got := formValues(doc, "#review-editor"); got.Get("body") != form.Get("body") || got.Get("slug") != "paris-2008-review" {
		t.Errorf("values after a conflict: %v", got)
	}
	if s.reviewCount(t) != before {
		t.Error("an invalid review was saved")
	}
}

func TestConcurrentEditIsNotLost(t *testing.T) {
	s := mustSite(t)
	ed, _ := s.deskBrowser(t, "ed", film.RoleEditor)
	id := mustSaveReview(t, ed, "/admin/reviews", reviewForm(film.ReviewDraft, nil))
	path := "/admin/reviews/" + strconv.FormatInt(id, 10)
	mustSaveReview(t, ed, path, reviewForm(film.ReviewDraft, map[string]string{"revision": "1", "body": "Someone else's."}))

	mine := reviewForm(film.ReviewDraft, map[string]string{"revision": "1", "body": "Mine, from the old page."})
	resp, body := ed.do(t, http.MethodPost, path, mine, nil)
	if resp.StatusCode != http.StatusConflict {
		t.Fatalf("stale save = %d, want 409", resp.StatusCode)
	}
	doc := parse(t, body)
	got := formValues(doc, "#review-editor")
	if got.Get("body") != "Mine, from the old page." || got.Get("revision") != "2" {
		t.Errorf("after the conflict: body %q, revision %q", got.Get("body"), got.Get("revision"))
	}
	if r := s.mustEditedReview(t, id); r.Review.Body != "Someone else's." {
		t.Errorf("the stale save overwrote the review: %q", r.Review.Body)
	}
	// Saving again from the page that came back replaces it, knowingly.
	got.Set("action", "save")
	mustSaveReview(t, ed, path, got)
	if r := s.mustEditedReview(t, id); r.Review.Body != "Mine, from the old page." || r.Revision != 3 {
		t.Errorf("after saving again: %q, revision %d", r.Review.Body, r.Revision)
	}
}

func TestReviewList(t *testing.T) {
	s := mustSite(t)
	ed, _ := s.deskBrowser(t, "ed", film.RoleEditor)
	mustSaveReview(t, ed, "/admin/reviews", reviewForm(film.ReviewDraft, map[string]string{"headline": "Draft one"}))
	mustSaveReview(t, ed, "/admin/reviews", reviewForm(film.ReviewInReview, map[string]string{"headline": "Waiting", "author": "Zed"}))
	for path, want := range map[string][]string{
		"/admin/reviews":                     {"Waiting", "Draft one", "A love letter to Paris that leans on better films"},
		"/admin/reviews?status=in_review":    {"Waiting"},
		"/admin/reviews?author=zed":          {"Waiting"},
		"/admin/reviews?film=paris-2008":     {"Waiting", "Draft one", "A love letter to Paris that leans on better films"},
		"/admin/reviews?status=draft&author": {"Draft one"},
	} {
		doc := ed.page(t, path, http.StatusOK)
		if got := texts(doc, "table.admin-list tbody th"); !cmp.Equal(got, want) {
			t.Errorf("%s lists %q, want %q", path, got, want)
		}
	}
	ed.page(t, "/admin/reviews?status=gone", http.StatusBadRequest)
}
