package web_test

import (
	"context"
	"database/sql"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"marquee/internal/film"
)

// hostile holds NUL, other C0 and C1 controls and the bidirectional
// override and isolate characters, each of which must be cleaned out of
// whatever is typed before it reaches a record or a page.
const hostile = "\x00\x01\x1b\u0085\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\x7f"

// checkClean fails when body holds any character of hostile.
func checkClean(tb testing.TB, what, body string) {
	tb.Helper()
	if i := strings.IndexAny(body, hostile); i >= 0 {
		tb.Errorf("%s holds %q at %d: …%q…", what, body[i:i+4], i, body[max(0, i-40):min(len(body), i+40)])
	}
}

func TestControlCharactersNeverReachThePage(t *testing.T) {
	s := mustSite(t)

	// A search: the query is cleaned, so it still finds the film, and
	// the page does not echo the NUL.
	resp, body := s.newBrowser("198.51.100.1").do(t, http.MethodGet, "/search?q="+url.QueryEscape("par\x00is\u202e"), nil, nil)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Paris") {
		t.Errorf("search with control characters = %d, want the film found", resp.StatusCode)
	}
	checkClean(t, "the search page", body)

	// A reader review: what is asked to be confirmed, and what is stored.
	rd := s.newBrowser("198.51.100.2")
	form := url.Values{
		"display_name": {"Cam\x00ille\u202e"}, "title": {"A city\u2066 seen\x1b from a balcony"},
		"rating": {"8"}, "body": {"Binoche\x00 carries it,\r\nand the \u202emarket\u202c scenes\u0085 are a joy."}, "website": {""},
	}
	_, body = rd.do(t, http.MethodPost, "/films/paris-2008/reviews", form, nil)
	checkClean(t, "the review confirmation page", body)
	if !strings.Contains(body, "Camille") {
		t.Error("the cleaned name is not shown back")
	}
	doc := parse(t, body)
	token, _ := doc.Find("input[name=form_token]").Attr("value")
	if token == "" {
		t.Fatalf("no confirmation step:\n%s", body)
	}
	form.Set("form_token", token)
	s.clock.Advance(10 * time.Second)
	if resp, body := rd.do(t, http.MethodPost, "/films/paris-2008/reviews", form, nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("confirmed review = %d\n%s", resp.StatusCode, body)
	}
	conn, err := sql.Open("sqlite3", "file:"+s.path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var name, title, text string
	if err := conn.QueryRow("SELECT display_name, title, body FROM reader_reviews ORDER BY id DESC LIMIT 1").Scan(&name, &title, &text); err != nil {
		t.Fatal(err)
	}
	if name != "Camille" || title != "A city seen from a balcony" || text != "Binoche carries it,\nand the market scenes are a joy." {
		t.Errorf("stored %q, %q, %q", name, title, text)
	}

	// A record the desk saves: a person's name.
	b, _ := s.deskBrowser(t, "ed", film.RoleEditor)
	doc = b.page(t, "/admin/people/new", http.StatusOK)
	pf := formValues(doc, "#catalog-form")
	pf.Set("name", "Agn\u202eès\x00 Varda")
	pf.Set("slug", "agnes-varda")
	if resp, body := b.do(t, http.MethodPost, "/admin/people", pf, nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("new person = %d\n%s", resp.StatusCode, body)
	}
	p, err := s.db.FindPersonForEdit(context.Background(), "agnes-varda")
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "Agnès Varda" {
		t.Errorf("stored name %q, want Agnès Varda", p.Name)
	}
	_, body = s.newBrowser("198.51.100.3").do(t, http.MethodGet, "/people/agnes-varda", nil, nil)
	checkClean(t, "the person page", body)
}

// TestFieldNamesWithControlCharactersAreDropped: a field whose name holds
// a control character names no field, so it is not read as the field its
// cleaned name would be ("a\x06ction=remove" is no removal), while values
// keep being cleaned ("8\x00" is 8).
func TestFieldNamesWithControlCharactersAreDropped(t *testing.T) {
	s := mustSite(t)
	for _, tc := range []struct {
		form string
		want int
	}{
		{"a%06ction=remove", http.StatusUnprocessableEntity},
		{"ra%00ting=8", http.StatusUnprocessableEntity},
		{"ra%00ting=3&rating=8", http.StatusOK},
		{"rating=8%00", http.StatusOK}, // a new reader is asked to confirm
	} {
		resp, body := postRaw(t, s, "/films/paris-2008/rating", tc.form)
		if resp.StatusCode != tc.want {
			t.Errorf("POST rating %s = %d, want %d\n%.300s", tc.form, resp.StatusCode, tc.want, body)
		}
		if tc.want == http.StatusOK && !strings.Contains(body, `name="rating" value="8"`) {
			t.Errorf("POST rating %s: the confirmation does not carry the rating 8", tc.form)
		}
	}
}
