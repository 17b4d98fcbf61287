package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"marquee/internal/film"
)

func TestFilmFormRoundTrip(t *testing.T) {
	s := mustSite(t)
	b, _ := s.deskBrowser(t, "ed", film.RoleEditor)
	ctx := context.Background()
	before, err := s.db.FindFilm(ctx, "paris-2008")
	if err != nil {
		t.Fatal(err)
	}
	doc := b.page(t, "/admin/films/paris-2008/edit", http.StatusOK)
	// Every list shows its rows and three blank ones.
	if got, want := doc.Find(`fieldset.edit-row[id^="f-credits-"]`).Length(), len(before.Credits)+3; got != want {
		t.Errorf("%d credit rows, want %d", got, want)
	}
	form := formValues(doc, "#catalog-form")
	form.Set("action", "save")
	resp, body := b.do(t, http.MethodPost, "/admin/films/paris-2008/edit", form, nil)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/films/paris-2008/edit?flash=film-saved" {
		t.Fatalf("save = %d to %q\n%s", resp.StatusCode, resp.Header.Get("Location"), body)
	}
	after, err := s.db.FindFilm(ctx, "paris-2008")
	if err != nil {
		t.Fatal(err)
	}
	// Saving the form unchanged keeps the whole record: every field the
	// film page shows is in the form.
	if diff := cmp.Diff(before, after); diff != "" {
		t.Errorf("the film changed on a save without edits (-before +after):\n%s", diff)
	}
	if !contains(s.auditActions(t), "film.update 1 film 1") {
		t.Errorf("audit = %q", s.auditActions(t))
	}
}

func TestFilmFormShowsProblemsBesideTheirFields(t *testing.T) {
	s := mustSite(t)
	b, _ := s.deskBrowser(t, "ed", film.RoleEditor)
	doc := b.page(t, "/admin/films/paris-2008/edit", http.StatusOK)
	form := formValues(doc, "#catalog-form")
	form.Set("action", "save")
	form.Set("credits.2.role", "actor")
	form.Set("credits.3.person", "nobody-at-all")
	form.Set("year", "twenty")
	form.Set("title", "Paris, edited")
	form.Set("box_office.0.amount.currency", "euro")
	resp, body := b.do(t, http.MethodPost, "/admin/films/paris-2008/edit", form, nil)
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("invalid film = %d, want 422\n%s", resp.StatusCode, body)
	}
	doc = parse(t, body)
	for id, want := range map[string]string{
		"f-credits-2-role":               "must be one of director, writer, producer, cast, cinematography, editing, music",
		"f-year":                         "must be a whole number",
		"f-box_office-0-amount-currency": "must be a three-letter ISO 4217 code such as EUR",
	} {
		if got := text(doc, "#"+id+"-error"); got != "Error: "+want {
			t.Errorf("#%s error = %q, want %q", id, got, want)
		}
		if v, _ := doc.Find("#" + id).Attr("aria-invalid"); v != "true" {
			t.Errorf("#%s is not marked invalid", id)
		}
		// The message sits in the same field as its input.
		if doc.Find(".field:has(#"+id+") > .field-error").Length() != 1 {
			t.Errorf("#%s's message is not beside it", id)
		}
	}
	// The summary names the row and the column.
	if got := text(doc, `.error-summary a[href="#f-credits-2-role"]`); !strings.HasPrefix(got, "Credit 3, Role: must be one of") {
		t.Errorf("summary = %q", got)
	}
	// Everything typed comes back, the bad role included.
	kept := formValues(doc, "#catalog-form")
	for _, name := range []string{"title", "year", "credits.2.role", "credits.3.person", "credits.0.person", "trivia.0.text", "soundtrack.tracks.1.title"} {
		if kept.Get(name) != form.Get(name) {
			t.Errorf("%s came back as %q, want %q", name, kept.Get(name), form.Get(name))
		}
	}
	if f, _ := s.db.FindFilmSummary(context.Background(), "paris-2008"); f.Title != "Paris" {
		t.Errorf("an invalid film was saved: %q", f.Title)
	}

	// A person the catalogue lacks is reported by the store, beside the
	// credit too.
	form.Set("year", "2008")
	form.Set("credits.2.role", "cast")
	form.Set("box_office.0.amount.currency", "EUR")
	resp, body = b.do(t, http.MethodPost, "/admin/films/paris-2008/edit", form, nil)
	doc = parse(t, body)
	if resp.StatusCode != http.StatusUnprocessableEntity || text(doc, "#f-credits-3-person-error") != "Error: is not a person in the catalogue" {
		t.Errorf("unknown person = %d: %q", resp.StatusCode, text(doc, "#f-credits-3-person-error"))
	}
}

func TestAddMoreRowsKeepsEverything(t *testing.T) {
	s := mustSite(t)
	b, _ := s.deskBrowser(t, "ed", film.RoleEditor)
	doc := b.page(t, "/admin/films/new", http.StatusOK)
	if got := doc.Find(`fieldset.edit-row[id^="f-trivia-"]`).Length(); got != 3 {
		t.Errorf("a new film shows %d trivia rows, want 3", got)
	}
	form := formValues(doc, "#catalog-form")
	form.Set("title", "Un film")
	form.Set("year", "2024")
	form.Set("trivia.1.text", "Typed in the second row.")
	form.Set("more", "trivia")
	resp, body := b.do(t, http.MethodPost, "/admin/films", form, nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("add rows = %d\n%s", resp.StatusCode, body)
	}
	doc = parse(t, body)
	// The typed row moves up to the first; the blank ones (two posted, at
	// least three kept) grow by five.
	if got := doc.Find(`fieldset.edit-row[id^="f-trivia-"]`).Length(); got != 1+3+5 {
		t.Errorf("%d trivia rows after adding, want 9", got)
	}
	kept := formValues(doc, "#catalog-form")
	if kept.Get("title") != "Un film" || kept.Get("trivia.0.text") != "Typed in the second row." {
		t.Errorf("values after adding rows: title %q, trivia %q", kept.Get("title"), kept.Get("trivia.0.text"))
	}
	if got := doc.Find(`fieldset.edit-row[id^="f-credits-"]`).Length(); got != 3 {
		t.Errorf("other lists changed: %d credit rows", got)
	}
	if _, err := s.db.FindFilmSummary(context.Background(), "un-film-2024"); err == nil {
		t.Error("adding rows saved the film")
	}
}

func TestNewPersonAndFilm(t *testing.T) {
	s := mustSite(t)
	b, _ := s.deskBrowser(t, "ed", film.RoleEditor)
	doc := b.page(t, "/admin/people/new", http.StatusOK)
	form := formValues(doc, "#catalog-form")
	form.Set("name", "Agnès Varda")
	form.Set("also_known_as", "Agnes Varda\n\n")
	resp, body := b.do(t, http.MethodPost, "/admin/people", form, nil)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/people/agnes-varda/edit?flash=person-created" {
		t.Fatalf("new person = %d to %q\n%s", resp.StatusCode, resp.Header.Get("Location"), body)
	}
	// The same slug again is refused beside the slug, with the name kept.
	resp, body = b.do(t, http.MethodPost, "/admin/people", form, nil)
	doc = parse(t, body)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(text(doc, "#f-slug-error"), "already used") ||
		formValues(doc, "#catalog-form").Get("name") != "Agnès Varda" {
		t.Errorf("duplicate person = %d: %q", resp.StatusCode, text(doc, "#f-slug-error"))
	}

	doc = b.page(t, "/admin/films/new", http.StatusOK)
	form = formValues(doc, "#catalog-form")
	for k, v := range map[string]string{
		"title": "Cléo de 5 à 7", "year": "1962", "runtime_minutes": "90", "countries": "France\nItaly",
		"credits.0.person": "agnes-varda", "credits.0.role": "director",
		"credits.1.person": "agnes-varda", "credits.1.role": "writer",
		"trivia.2.text":    "Shot in real time, nearly.",
		"soundtrack.title": "Cléo", "soundtrack.tracks.0.artist": "Michel Legrand", "soundtrack.tracks.0.title": "Sans toi",
	} {
		form.Set(k, v)
	}
	resp, body = b.do(t, http.MethodPost, "/admin/films", form, nil)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/films/cleo-de-5-a-7-1962/edit?flash=film-created" {
		t.Fatalf("new film = %d to %q\n%s", resp.StatusCode, resp.Header.Get("Location"), body)
	}
	f, err := s.db.FindFilm(context.Background(), "cleo-de-5-a-7-1962")
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Credits) != 2 || f.Credits[0].PersonName != "Agnès Varda" || !cmp.Equal(f.Countries, []string{"France", "Italy"}) ||
		len(f.Trivia) != 1 || f.Soundtrack == nil || f.Soundtrack.Tracks[0].Number != 1 {
		t.Errorf("stored film = %+v", f)
	}
	page, _ := s.mustPage(t, "/films/cleo-de-5-a-7-1962", http.StatusOK)
	if !strings.Contains(text(page, "body"), "Agnès Varda") {
		t.Error("the film page does not credit the director")
	}

	// The lists find both by the start of their names.
	doc = b.page(t, "/admin/films?q=cl", http.StatusOK)
	if got := texts(doc, ".admin-records li > a"); !cmp.Equal(got, []string{"Cléo de 5 à 7"}) {
		t.Errorf("films starting with cl: %q", got)
	}
	doc = b.page(t, "/admin/people?q=AGN", http.StatusOK)
	if got := texts(doc, ".admin-records li > a"); !cmp.Equal(got, []string{"Agnès Varda"}) {
		t.Errorf("people starting with agn: %q", got)
	}
	if href, _ := doc.Find(".admin-records li > a").Attr("href"); href != "/admin/people/agnes-varda/edit" {
		t.Errorf("edit link = %q", href)
	}
}

func TestFilmAndPersonSlugChangesRedirect(t *testing.T) {
	s := mustSite(t)
	b, _ := s.deskBrowser(t, "ed", film.RoleEditor)
	doc := b.page(t, "/admin/films/paris-2008/edit", http.StatusOK)
	form := formValues(doc, "#catalog-form")
	form.Set("slug", "paris-klapisch-2008")
	resp, body := b.do(t, http.MethodPost, "/admin/films/paris-2008/edit", form, nil)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/films/paris-klapisch-2008/edit?flash=film-saved" {
		t.Fatalf("rename = %d to %q\n%s", resp.StatusCode, resp.Header.Get("Location"), body)
	}
	resp = s.do(t, http.MethodGet, "/films/paris-2008", nil)
	if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != "/films/paris-klapisch-2008" {
		t.Errorf("old film address = %d to %q, want 301", resp.StatusCode, resp.Header.Get("Location"))
	}
	page, _ := s.mustPage(t, "/films/paris-klapisch-2008", http.StatusOK)
	if !strings.Contains(text(page, "#critic-reviews"), "A love letter to Paris") {
		t.Error("the renamed film lost its review")
	}

	// A save from a page opened before the rename is refused, everything
	// kept.
	form.Set("title", "Paris (stale)")
	resp, body = b.do(t, http.MethodPost, "/admin/films/paris-klapisch-2008/edit", form, nil)
	if resp.StatusCode != http.StatusConflict || formValues(parse(t, body), "#catalog-form").Get("title") != "Paris (stale)" {
		t.Errorf("stale film save = %d", resp.StatusCode)
	}

	doc = b.page(t, "/admin/people/juliette-binoche/edit", http.StatusOK)
	form = formValues(doc, "#catalog-form")
	form.Set("slug", "juliette-binoche-1964")
	resp, _ = b.do(t, http.MethodPost, "/admin/people/juliette-binoche/edit", form, nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("person rename = %d", resp.StatusCode)
	}
	resp = s.do(t, http.MethodGet, "/people/juliette-binoche", nil)
	if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != "/people/juliette-binoche-1964" {
		t.Errorf("old person address = %d to %q, want 301", resp.StatusCode, resp.Header.Get("Location"))
	}
	s.mustPage(t, "/films/no-such-film", http.StatusNotFound)
}
