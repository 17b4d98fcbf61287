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
	"marquee/internal/web"
)

// mustPendingReviews stores reader reviews of the seeded film in the
// given states, a minute apart, and returns their ids.
func (s *site) mustPendingReviews(tb testing.TB, statuses ...film.ModerationStatus) []int64 {
	tb.Helper()
	var ids []int64
	for i, st := range statuses {
		id, err := s.db.CreateReaderReview(context.Background(), film.ReaderReview{
			FilmSlug: "paris-2008", DisplayName: "Reader " + strconv.Itoa(i), Title: "Queued review " + strconv.Itoa(i),
			Rating: 6 + i%4, Body: "The *market* scenes, again and again.", Spoilers: i == 1, Status: st,
			CreatedAt: testNow.Add(time.Duration(i-len(statuses)) * time.Minute),
		}, 0)
		if err != nil {
			tb.Fatal(err)
		}
		ids = append(ids, id)
	}
	return ids
}

// mustEditor signs in a new editor in a new browser.
func (s *site) mustEditor(tb testing.TB) (*browser, film.User) {
	tb.Helper()
	u := s.mustAccount(tb, "ed@example.com", film.RoleEditor)
	b := s.newBrowser("198.51.100.1")
	b.mustSignIn(tb, u.Email)
	return b, u
}

// outerHTML is the HTML of the first element matching sel.
func outerHTML(tb testing.TB, doc *goquery.Document, sel string) string {
	tb.Helper()
	h, err := goquery.OuterHtml(doc.Find(sel).First())
	if err != nil {
		tb.Fatal(err)
	}
	return h
}

func TestModerationQueue(t *testing.T) {
	s := mustSite(t)
	ids := s.mustPendingReviews(t, film.ModerationPending, film.ModerationPending, film.ModerationSpam)
	b, _ := s.mustEditor(t)

	doc := b.page(t, "/admin/moderation", http.StatusOK)
	if got := texts(doc, ".moderation-item article h2"); !cmp.Equal(got, []string{"Queued review 0", "Queued review 1"}) {
		t.Errorf("pending queue = %v, want the two pending reviews oldest first", got)
	}
	if got := strings.Join(texts(doc, ".list-controls a"), ","); got != "Pending (2),Approved (1),Rejected (0),Spam (1),All (4)" {
		t.Errorf("tabs = %s", got)
	}
	if got, _ := doc.Find(".list-controls a[aria-current=page]").Attr("href"); got != "/admin/moderation" {
		t.Errorf("current tab = %q", got)
	}
	// Each review is rendered as the public pages render it: spoilers
	// folded, Markdown rendered, the reader's text escaped.
	if doc.Find("#reader-review-"+strconv.FormatInt(ids[1], 10)+" details.spoiler").Length() != 1 {
		t.Error("a spoiler review is not folded in the queue")
	}
	if doc.Find("#reader-review-"+strconv.FormatInt(ids[0], 10)+" .review-body em").Text() != "market" {
		t.Error("the review's Markdown is not rendered")
	}
	// Each has a checkbox joined to the bulk form, with a label.
	box := doc.Find("#select-" + strconv.FormatInt(ids[0], 10))
	if form, _ := box.Attr("form"); form != "moderation-bulk" || doc.Find(`label[for="select-`+strconv.FormatInt(ids[0], 10)+`"]`).Length() != 1 {
		t.Errorf("checkbox form=%q, or it has no label", form)
	}
	if got := texts(doc, "#bulk-action option"); !cmp.Equal(got, []string{"Choose an action", "Approve (publish)", "Reject", "Mark as spam", "Back to pending"}) {
		t.Errorf("actions = %v", got)
	}

	// Filters: a state, a film, all states.
	doc = b.page(t, "/admin/moderation?status=spam", http.StatusOK)
	if got := texts(doc, ".moderation-item article h2"); !cmp.Equal(got, []string{"Queued review 2"}) {
		t.Errorf("spam queue = %v", got)
	}
	doc = b.page(t, "/admin/moderation?status=all&film=paris-2008", http.StatusOK)
	if got := len(texts(doc, ".moderation-item")); got != 4 {
		t.Errorf("all of Paris = %d reviews, want 4", got)
	}
	if got, _ := doc.Find("#moderation-film option[selected]").Attr("value"); got != "paris-2008" {
		t.Errorf("film filter shows %q", got)
	}
	for path, want := range map[string]int{
		"/admin/moderation?status=published": http.StatusBadRequest,
		"/admin/moderation?film=Not+A+Slug":  http.StatusBadRequest,
		"/admin/moderation?film=no-such":     http.StatusNotFound,
		"/admin/moderation?page=0":           http.StatusBadRequest,
	} {
		if resp, _ := b.do(t, http.MethodGet, path, nil, nil); resp.StatusCode != want {
			t.Errorf("GET %s = %d, want %d", path, resp.StatusCode, want)
		}
	}
	// A page past the end (as after a bulk action) goes to the last one.
	resp, _ := b.do(t, http.MethodGet, "/admin/moderation?page=3", nil, nil)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/moderation" {
		t.Errorf("page past the end = %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
}

func TestBulkModeration(t *testing.T) {
	s := mustSite(t)
	ids := s.mustPendingReviews(t, film.ModerationPending, film.ModerationPending, film.ModerationPending)
	b, ed := s.mustEditor(t)
	id := func(i int) string { return strconv.FormatInt(ids[i], 10) }

	queue := b.page(t, "/admin/moderation", http.StatusOK)
	queued := outerHTML(t, queue, "#reader-review-"+id(0))

	resp, _ := b.do(t, http.MethodPost, "/admin/moderation", url.Values{
		"id": {id(0), id(2)}, "action": {"approve"}, "status": {"pending"}, "film": {""}, "page": {"1"},
	}, nil)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/moderation" {
		t.Fatalf("approve = %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	doc := b.page(t, "/admin/moderation", http.StatusOK)
	if got := text(doc, ".flash"); got != "The selected reviews were approved and are now public." {
		t.Errorf("flash = %q", got)
	}
	if got := texts(doc, ".moderation-item article h2"); !cmp.Equal(got, []string{"Queued review 1"}) {
		t.Errorf("pending after approving = %v", got)
	}
	// Approved reviews are public, rendered exactly as the queue showed
	// them.
	public := s.newBrowser("203.0.113.5").page(t, "/films/paris-2008/reviews", http.StatusOK)
	if got := outerHTML(t, public, "#reader-review-"+id(0)); got != queued {
		t.Errorf("the public review differs from the queue's:\nqueue:  %s\npublic: %s", queued, got)
	}
	if !strings.Contains(s.newBrowser("203.0.113.5").page(t, "/films/paris-2008", http.StatusOK).Text(), "Queued review 2") {
		t.Error("an approved review is missing from the film page")
	}
	// The approved list says who approved them.
	doc = b.page(t, "/admin/moderation?status=approved", http.StatusOK)
	if got := text(doc, "#reader-review-"+id(0)); got == "" {
		t.Fatal("approved review missing from the approved list")
	}
	if meta := text(doc, ".moderation-item:has(#reader-review-"+id(0)+") .moderation-meta"); !strings.Contains(meta, "Approved by Ed on 21 November 2026") {
		t.Errorf("meta = %q", meta)
	}

	// Back to pending hides it again.
	resp, _ = b.do(t, http.MethodPost, "/admin/moderation", url.Values{"id": {id(0)}, "action": {"pending"}, "status": {"approved"}}, nil)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/moderation?status=approved" {
		t.Fatalf("back to pending = %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if strings.Contains(s.newBrowser("203.0.113.5").page(t, "/films/paris-2008/reviews", http.StatusOK).Text(), "Queued review 0") {
		t.Error("a review sent back to pending is still public")
	}
	b.page(t, "/admin/moderation?status=approved", http.StatusOK) // shows and clears the outcome
	for _, tt := range []struct {
		form     url.Values
		status   int
		location string
		flash    string
	}{
		{url.Values{"action": {"approve"}}, http.StatusSeeOther, "/admin/moderation", "No reviews were selected, so nothing changed."},
		{url.Values{"id": {id(1)}, "action": {""}}, http.StatusSeeOther, "/admin/moderation", "Choose what to do with the selected reviews."},
		{url.Values{"id": {id(2)}, "action": {"approve"}}, http.StatusSeeOther, "/admin/moderation", "The selected reviews were already in that state; nothing changed."},
		{url.Values{"id": {id(1)}, "action": {"publish"}}, http.StatusBadRequest, "", ""},
		{url.Values{"id": {"one"}, "action": {"approve"}}, http.StatusBadRequest, "", ""},
		{url.Values{"id": {id(1)}, "action": {"spam"}, "status": {"nonsense"}}, http.StatusBadRequest, "", ""},
		{url.Values{"id": {id(1), id(2)}, "action": {"spam"}, "one": {"1"}}, http.StatusBadRequest, "", ""},
		{url.Values{"id": {id(1)}, "action": {"reject"}, "film": {"paris-2008"}, "page": {"2"}}, http.StatusSeeOther, "/admin/moderation?film=paris-2008&page=2", "The selected reviews were rejected."},
	} {
		resp, _ := b.do(t, http.MethodPost, "/admin/moderation", tt.form, nil)
		if resp.StatusCode != tt.status || resp.Header.Get("Location") != tt.location {
			t.Errorf("POST %v = %d to %q, want %d to %q", tt.form, resp.StatusCode, resp.Header.Get("Location"), tt.status, tt.location)
		}
		if tt.flash != "" {
			// The outcome is in no URL: the next queue page shows it.
			if got := text(b.page(t, "/admin/moderation?status=all", http.StatusOK), ".flash"); got != tt.flash {
				t.Errorf("POST %v says %q, want %q", tt.form, got, tt.flash)
			}
		}
	}
	many := url.Values{"action": {"approve"}}
	for i := range 501 {
		many.Add("id", strconv.Itoa(i+1))
	}
	if resp, _ := b.do(t, http.MethodPost, "/admin/moderation", many, nil); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("501 reviews at once = %d, want 400", resp.StatusCode)
	}

	// Every change is in the audit log, by whom and to which record.
	edID := strconv.FormatInt(ed.ID, 10)
	actions := s.auditActions(t)
	for _, want := range []string{
		"reader_review.approve " + edID + " reader_review " + id(0),
		"reader_review.approve " + edID + " reader_review " + id(2),
		"reader_review.pending " + edID + " reader_review " + id(0),
		"reader_review.reject " + edID + " reader_review " + id(1),
	} {
		if !contains(actions, want) {
			t.Errorf("audit log lacks %q:\n%v", want, actions)
		}
	}
	// A cross-site post changes nothing.
	resp, _ = b.do(t, http.MethodPost, "/admin/moderation", url.Values{"id": {id(1)}, "action": {"approve"}},
		http.Header{"Sec-Fetch-Site": {"cross-site"}})
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site moderation = %d, want 403", resp.StatusCode)
	}
	if got := s.readerReviewStatuses(t); got["rejected"] != 1 {
		t.Errorf("statuses = %v", got)
	}
}

func TestAuditPage(t *testing.T) {
	s := mustSite(t)
	ids := s.mustPendingReviews(t, film.ModerationPending, film.ModerationPending)
	b, _ := s.mustEditor(t)
	for i := range 60 {
		action := []string{"approve", "reject"}[i%2]
		s.clock.Advance(time.Second)
		b.do(t, http.MethodPost, "/admin/moderation", url.Values{"id": {strconv.FormatInt(ids[0], 10)}, "action": {action}}, nil)
	}
	doc := b.page(t, "/admin/audit", http.StatusOK)
	rows := rows(doc, "table.audit tbody tr")
	if len(rows) != 50 {
		t.Fatalf("first page has %d entries, want 50", len(rows))
	}
	if !strings.Contains(rows[0], "Ed | reader_review.reject | reader_review "+strconv.FormatInt(ids[0], 10)+" | approved → rejected") {
		t.Errorf("newest entry = %q", rows[0])
	}
	if got := text(doc, ".desk-total"); got != "62 entries" { // 60 moderations, the account, the sign-in
		t.Errorf("total = %q", got)
	}
	doc = b.page(t, "/admin/audit?page=2", http.StatusOK)
	if got := len(texts(doc, "table.audit tbody tr")); got != 12 {
		t.Errorf("second page has %d entries, want 12", got)
	}
	if got := texts(doc, "table.audit tbody tr:last-child td:nth-child(2)"); !cmp.Equal(got, []string{"Command line"}) {
		t.Errorf("the account's creation is by %v, want the command line", got)
	}
	doc = b.page(t, "/admin/audit?type=reader_review&id="+strconv.FormatInt(ids[1], 10), http.StatusOK)
	if got := text(doc, ".desk-total"); got != "0 entries" {
		t.Errorf("history of an untouched review = %q", got)
	}
	for path, want := range map[string]int{
		"/admin/audit?page=3":                http.StatusNotFound,
		"/admin/audit?page=x":                http.StatusBadRequest,
		"/admin/audit?type=DROP+TABLE":       http.StatusBadRequest,
		"/admin/audit?id=4":                  http.StatusBadRequest,
		"/admin/audit?type=user&id=-1":       http.StatusBadRequest,
		"/admin/audit?type=reader_review&id": http.StatusOK,
	} {
		if resp, _ := b.do(t, http.MethodGet, path, nil, nil); resp.StatusCode != want {
			t.Errorf("GET %s = %d, want %d", path, resp.StatusCode, want)
		}
	}
}

func TestDashboardCounts(t *testing.T) {
	s := mustSite(t)
	s.mustPendingReviews(t, film.ModerationPending, film.ModerationPending, film.ModerationSpam)
	b, _ := s.mustEditor(t)
	doc := b.page(t, "/admin", http.StatusOK)
	got := texts(doc, ".desk-counts li")
	want := []string{
		"2 reader reviews awaiting moderation",
		"1 reader review held as spam",
		"0 critic reviews submitted for review",
		"0 critic drafts",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("dashboard counts (-want +got):\n%s", diff)
	}
	// Contributors do not moderate, so they are not shown the queue.
	s.mustAccount(t, "co@example.com", film.RoleContributor)
	co := s.newBrowser("198.51.100.3")
	co.mustSignIn(t, "co@example.com")
	doc = co.page(t, "/admin", http.StatusOK)
	if strings.Contains(doc.Find(".desk-counts").Text(), "moderation") {
		t.Error("a contributor's dashboard shows the moderation queue")
	}
}

func TestOneClickModeration(t *testing.T) {
	// With the page cache on, so the public page is shown to change on the
	// very next request.
	s := mustSiteWith(t, web.Config{PageCacheBytes: 16 << 20})
	ids := s.mustPendingReviews(t, film.ModerationPending, film.ModerationPending)
	b, _ := s.mustEditor(t)
	id0 := strconv.FormatInt(ids[0], 10)
	public := s.newBrowser("203.0.113.5")
	// The public page is read (and cached) before the action, so the
	// check after it shows the change reaches the very next request.
	if strings.Contains(public.page(t, "/films/paris-2008/reviews", http.StatusOK).Text(), "Queued review 0") {
		t.Fatal("a pending review is public")
	}

	doc := b.page(t, "/admin/moderation?page=1", http.StatusOK)
	item := doc.Find(".moderation-item:has(#reader-review-" + id0 + ")")
	var labels []string
	item.Find("form.moderation-one button").Each(func(_ int, sel *goquery.Selection) {
		l, _ := sel.Attr("aria-label")
		labels = append(labels, sel.AttrOr("value", "")+"="+l)
	})
	want := []string{"approve=Approve review by Reader 0 of Paris", "reject=Reject review by Reader 0 of Paris", "spam=Spam review by Reader 0 of Paris"}
	if !cmp.Equal(labels, want) {
		t.Errorf("one-click buttons = %v, want %v", labels, want)
	}
	if m, _ := item.Find("form.moderation-one").Attr("method"); m != "post" {
		t.Errorf("one-click form method = %q", m)
	}

	// One click: the form as the page wrote it, with the button pressed.
	form := url.Values{"action": {"approve"}}
	item.Find("form.moderation-one input[type=hidden]").Each(func(_ int, sel *goquery.Selection) {
		form.Add(sel.AttrOr("name", ""), sel.AttrOr("value", ""))
	})
	resp, _ := b.do(t, http.MethodPost, "/admin/moderation", form, nil)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/moderation" {
		t.Fatalf("one-click approve = %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if strings.Contains(resp.Header.Get("Location"), "flash") {
		t.Error("the outcome is carried in the URL")
	}
	doc = b.page(t, "/admin/moderation", http.StatusOK)
	if got := text(doc, ".flash [role=status]"); got != "Approved: review by Reader 0 of Paris." {
		t.Errorf("outcome = %q", got)
	}
	if got := texts(doc, ".moderation-item article h2"); !cmp.Equal(got, []string{"Queued review 1"}) {
		t.Errorf("queue after approving = %v", got)
	}
	if !strings.Contains(public.page(t, "/films/paris-2008/reviews", http.StatusOK).Text(), "Queued review 0") {
		t.Error("the approved review is not on the film's reviews page")
	}
	// Shown once: a reload says nothing.
	if doc2 := b.page(t, "/admin/moderation", http.StatusOK); doc2.Find(".flash").Length() != 0 {
		t.Errorf("the outcome shows again after a reload: %q", text(doc2, ".flash"))
	}

	// Undo puts the review back where it was.
	undo := url.Values{}
	doc.Find("#moderation-outcome form input[type=hidden]").Each(func(_ int, sel *goquery.Selection) {
		undo.Add(sel.AttrOr("name", ""), sel.AttrOr("value", ""))
	})
	button := doc.Find("#moderation-outcome form button")
	if button.Text() != "Undo" {
		t.Fatalf("no Undo button: %q", button.Text())
	}
	undo.Set("action", button.AttrOr("value", ""))
	if resp, _ := b.do(t, http.MethodPost, "/admin/moderation", undo, nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("undo = %d", resp.StatusCode)
	}
	doc = b.page(t, "/admin/moderation", http.StatusOK)
	if got := text(doc, ".flash [role=status]"); got != "Back to pending: review by Reader 0 of Paris." {
		t.Errorf("outcome of undo = %q", got)
	}
	if doc.Find("#moderation-outcome form").Length() != 0 {
		t.Error("an undo offers an undo of its own")
	}
	if got := texts(doc, ".moderation-item article h2"); !cmp.Equal(got, []string{"Queued review 0", "Queued review 1"}) {
		t.Errorf("queue after undo = %v", got)
	}
	if strings.Contains(public.page(t, "/films/paris-2008/reviews", http.StatusOK).Text(), "Queued review 0") {
		t.Error("an undone approval is still public")
	}

	// Only outcomes this server wrote are shown: not a forged cookie, nor
	// a flash named in the URL.
	b.cookies["marquee_moderation_flash"] = &http.Cookie{Name: "marquee_moderation_flash", Value: "eyJrIjoic3BhbSJ9.forged"}
	if doc := b.page(t, "/admin/moderation?flash=approved", http.StatusOK); doc.Find(".flash").Length() != 0 {
		t.Errorf("a forged or URL flash is shown: %q", text(doc, ".flash"))
	}
}
