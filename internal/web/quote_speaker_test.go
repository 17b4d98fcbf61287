package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"marquee/internal/film"
)

// TestQuoteSpeakerFromDeskToFilmPage checks that a quote's speaker goes
// from the desk's film form into the record and onto the film page; the
// seeded quote has none, as its source gives none.
func TestQuoteSpeakerFromDeskToFilmPage(t *testing.T) {
	s := mustSite(t)
	b, _ := s.deskBrowser(t, "ed", film.RoleEditor)
	seeded, err := s.db.FindFilm(context.Background(), "paris-2008")
	if err != nil {
		t.Fatal(err)
	}
	if len(seeded.Quotes) != 1 || seeded.Quotes[0].Character != "" {
		t.Fatalf("seeded quotes = %+v, want one without a speaker", seeded.Quotes)
	}
	doc := b.page(t, "/admin/films/paris-2008/edit", http.StatusOK)
	if doc.Find(`#catalog-form [name="quotes.0.character"]`).Length() != 1 {
		t.Fatal("the film form has no speaker field for a quote")
	}
	form := formValues(doc, "#catalog-form")
	form.Set("action", "save")
	form.Set("quotes.0.character", "Roland")
	if resp, body := b.do(t, http.MethodPost, "/admin/films/paris-2008/edit", form, nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save = %d\n%s", resp.StatusCode, body)
	}
	saved, err := s.db.FindFilm(context.Background(), "paris-2008")
	if err != nil {
		t.Fatal(err)
	}
	if len(saved.Quotes) != 1 || saved.Quotes[0].Character != "Roland" {
		t.Errorf("saved quotes = %+v, want Roland as the speaker", saved.Quotes)
	}
	page, _ := s.mustPage(t, "/films/paris-2008", http.StatusOK)
	quote := page.Find(".film-quote")
	if !strings.Contains(quote.Text(), "Give chance a chance") || !strings.Contains(quote.Text(), "Roland") {
		t.Errorf("the film page's quote = %q, want the text and its speaker", strings.Join(strings.Fields(quote.Text()), " "))
	}
}
