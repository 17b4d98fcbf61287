package web_test

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/google/go-cmp/cmp"

	"marquee/internal/film"
	"marquee/internal/web"
)

// regexpCount matches a readers' average with its count: "9/10 (1
// rating)".
var regexpCount = regexp.MustCompile(`[0-9.]+\s*/\s*10.*[0-9,]+ ratings?`)

// TestFilmPageHeaderHoldsWhatAReaderCameFor checks the film header: the
// poster, title, year, runtime, genres, our critics' verdict, the
// readers' average with its count, and the reader's Rate and Write a
// review actions, each pointing at something that works without
// JavaScript.
func TestFilmPageHeaderHoldsWhatAReaderCameFor(t *testing.T) {
	s := mustSite(t)
	doc, _ := s.mustPage(t, "/films/paris-2008", http.StatusOK)
	header := doc.Find("article.film > header.film-header")
	if header.Length() != 1 {
		t.Fatalf("%d film headers", header.Length())
	}
	if header.Find(".film-poster").Children().Length() == 0 {
		t.Error("the header has no poster")
	}
	if got := strings.Join(strings.Fields(header.Find("h1").Text()), " "); got != "Paris (2008)" {
		t.Errorf("h1 = %q", got)
	}
	if dt, _ := header.Find("h1 time").Attr("datetime"); dt != "2008" {
		t.Errorf("year datetime = %q", dt)
	}
	if got := strings.TrimSpace(header.Find(".facts .runtime").Text()); !strings.Contains(got, "130 min (2 h 10 min)") {
		t.Errorf("runtime = %q", got)
	}
	var genres []string
	header.Find(".facts .genres a").Each(func(_ int, a *goquery.Selection) { genres = append(genres, a.Text()) })
	if diff := cmp.Diff([]string{"Comedy", "Drama"}, genres); diff != "" {
		t.Errorf("genres (-want +got):\n%s", diff)
	}
	// One rated critic review: below the three that make a 0–100
	// average, so the verdict is our review's stars.
	verdict := header.Find(".critics-verdict")
	if label, _ := verdict.Find(".stars").Attr("aria-label"); label != "3 out of 5 stars" || !strings.Contains(verdict.Text(), "Our review") {
		t.Errorf("critics' verdict = %q (stars %q)", strings.TrimSpace(verdict.Text()), label)
	}
	readers := strings.Join(strings.Fields(header.Find(".readers-score").Text()), " ")
	if !strings.Contains(readers, "Readers") || !regexpCount.MatchString(readers) {
		t.Errorf("readers' score = %q, want the average with its count", readers)
	}
	rate := header.Find(".film-actions a#action-rate")
	if href, _ := rate.Attr("href"); href != "#rate" || strings.TrimSpace(rate.Text()) != "Rate" {
		t.Errorf("Rate action = %q to %q", rate.Text(), href)
	}
	if doc.Find("#rate form.rate").Length() != 1 {
		t.Error("the Rate action's target holds no rating form")
	}
	write := header.Find(".film-actions a#action-review")
	if href, _ := write.Attr("href"); href != "/films/paris-2008/reviews/new" || strings.TrimSpace(write.Text()) != "Write a review" {
		t.Errorf("Write a review action = %q to %q", write.Text(), href)
	}
	form, _ := s.mustPage(t, "/films/paris-2008/reviews/new", http.StatusOK)
	if form.Find(`form textarea[name="body"]`).Length() != 1 {
		t.Error("the Write a review action leads to no review form")
	}
	// The header comes before the navigation and the body.
	if doc.Find("article.film > header.film-header + nav.contents").Length() != 1 {
		t.Error("the in-page navigation does not follow the header")
	}
}

// TestFilmPageReviewsAreExcerpts checks that the film page quotes reviews
// (pull quote or first lines, rating, byline, date) and links to each in
// full, so a long review's body is not on the film page.
func TestFilmPageReviewsAreExcerpts(t *testing.T) {
	s := mustSite(t)
	ctx := context.Background()
	long := "First lines of a long review that the film page should quote.\n\n" +
		strings.Repeat("A paragraph in the middle of a very long review. ", 200) +
		"\n\nThe very last sentence is only on the review's own page."
	created := testNow.Add(-48 * time.Hour).UTC().Truncate(time.Second)
	c := film.Catalog{
		CriticReviews: []film.CriticReview{{
			Slug: "paris-long-look", FilmSlug: "paris-2008", Headline: "A long look at Paris", Author: "Ann Critic",
			Body: long, Status: film.ReviewPublished, PublishedAt: created, Rating: &film.Rating{Value: 4, Scale: 5},
		}, {
			Slug: "paris-spoiled", FilmSlug: "paris-2008", Headline: "Paris, every twist", Author: "Ann Critic",
			Body: "The secret is that everything ends well.", Spoilers: true, PullQuote: "A city of endings.",
			Status: film.ReviewPublished, PublishedAt: created.Add(-time.Hour),
		}},
		ReaderReviews: []film.ReaderReview{{
			FilmSlug: "paris-2008", DisplayName: "Long Reader", Title: "My long thoughts", Rating: 8,
			Body: long, Status: film.ModerationApproved, CreatedAt: created,
		}},
	}
	if _, err := s.db.ImportWith(ctx, c, film.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	doc, body := s.mustPage(t, "/films/paris-2008", http.StatusOK)
	// The body runs to over 10,000 characters; the page quotes a few
	// lines of it (structured data quotes at most 500 characters).
	if strings.Contains(body, "The very last sentence") {
		t.Error("the film page prints a long review's body")
	}
	if n := len(text(doc, "#critic-reviews") + text(doc, "#reader-reviews .review-excerpt")); n > 3000 {
		t.Errorf("the reviews take %d characters of text on the film page", n)
	}
	if strings.Contains(body, "everything ends well") {
		t.Error("the film page quotes a spoiler review's body")
	}
	if doc.Find("#critic-reviews .review-body, #reader-reviews .review-body").Length() != 0 {
		t.Error("the film page holds review bodies")
	}

	critic := doc.Find("#review-paris-long-look")
	if got := strings.TrimSpace(critic.Find(".excerpt").Text()); !strings.HasPrefix(got, "First lines of a long review") || len([]rune(got)) > 230 {
		t.Errorf("critic excerpt = %q", got)
	}
	if href, _ := critic.Find("h3 a").Attr("href"); href != "/reviews/paris-long-look" {
		t.Errorf("critic headline links to %q", href)
	}
	if href, _ := critic.Find(".read-more a").Attr("href"); href != "/reviews/paris-long-look" {
		t.Errorf("critic read-more links to %q", href)
	}
	if got := strings.Join(strings.Fields(critic.Find(".byline").Text()), " "); !strings.HasPrefix(got, "By Ann Critic") {
		t.Errorf("critic byline = %q", got)
	}
	if label, _ := critic.Find(".rating .stars").Attr("aria-label"); label != "4 out of 5 stars" {
		t.Errorf("critic rating = %q", label)
	}
	if dt, _ := critic.Find(".byline time").Attr("datetime"); dt != created.Format("2006-01-02") {
		t.Errorf("critic date = %q", dt)
	}
	spoiled := doc.Find("#review-paris-spoiled")
	if got := strings.TrimSpace(spoiled.Find(".excerpt").Text()); got != "A city of endings." {
		t.Errorf("spoiler review excerpt = %q, want its pull quote", got)
	}
	full, _ := s.mustPage(t, "/reviews/paris-long-look", http.StatusOK)
	if !strings.Contains(full.Find(".review-body").Text(), "The very last sentence") {
		t.Error("the review's own page lacks its end")
	}

	var reader *goquery.Selection
	doc.Find("#reader-reviews .review-excerpt").Each(func(_ int, r *goquery.Selection) {
		if strings.TrimSpace(r.Find("h3").Text()) == "My long thoughts" {
			reader = r
		}
	})
	if reader == nil {
		t.Fatal("the long reader review is not listed")
	}
	if got := strings.TrimSpace(reader.Find(".excerpt").Text()); !strings.HasPrefix(got, "First lines") {
		t.Errorf("reader excerpt = %q", got)
	}
	if got := strings.Join(strings.Fields(reader.Find(".rating").Text()), " "); !strings.Contains(got, "8") || !strings.Contains(got, "10") {
		t.Errorf("reader rating = %q", got)
	}
	href, _ := reader.Find(".read-more a").Attr("href")
	path, anchor, ok := strings.Cut(href, "#")
	if !ok || !strings.HasPrefix(path, "/films/paris-2008/reviews") {
		t.Fatalf("reader review links to %q, want the film's reviews page with an anchor", href)
	}
	list, _ := s.mustPage(t, path, http.StatusOK)
	target := list.Find("#" + anchor)
	if target.Length() != 1 || !strings.Contains(target.Find(".review-body").Text(), "The very last sentence") {
		t.Errorf("the reviews page %s holds no whole review #%s", path, anchor)
	}
}

// TestFilmPagePlotIsFoldedWithAWarning checks that the plot carries a
// spoiler warning and each thread is folded until opened.
func TestFilmPagePlotIsFoldedWithAWarning(t *testing.T) {
	s := mustSite(t)
	doc, _ := s.mustPage(t, "/films/paris-2008", http.StatusOK)
	plot := doc.Find("#plot")
	if !strings.Contains(plot.Find(".spoiler-warning").Text(), "Spoiler warning") {
		t.Error("the plot has no spoiler warning")
	}
	threads := plot.Find("details.plot-thread")
	if threads.Length() < 8 {
		t.Fatalf("%d folded plot threads, want one per character", threads.Length())
	}
	if plot.Find("details[open]").Length() != 0 {
		t.Error("a plot thread is open before the reader opens it")
	}
	threads.Each(func(i int, d *goquery.Selection) {
		if !strings.Contains(d.Find("summary").Text(), "spoilers") {
			t.Errorf("thread %d's summary does not say it holds spoilers: %q", i, d.Find("summary").Text())
		}
	})
	if plot.Find("p").Not(".spoiler-warning").Not("details p").Length() != 0 {
		t.Error("plot text outside the folded threads")
	}
}

// TestFilmPageRecordHasNoWideTables checks that the record, box office
// and scores are stacked rows, each figure with its source.
func TestFilmPageRecordHasNoWideTables(t *testing.T) {
	s := mustSite(t)
	doc, _ := s.mustPage(t, "/films/paris-2008", http.StatusOK)
	if n := doc.Find("#details table, #reception table, #cast table").Length(); n != 0 {
		t.Errorf("%d tables in the record, cast and reception", n)
	}
	want := []string{
		"Gross $23.3 million | Territory: not stated | As of: not stated | Source: Encyclopaedia article infobox",
		"Opening weekend $46,518 | Territory: not stated | Screens: 6 | As of: 20 September 2009 | Source: Fan site film page",
		"Gross $1,005,168 | Territory: not stated | As of: 20 December 2009 | Source: Fan site film page",
	}
	got := figures(doc, "#details ul.box-office > li")
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("box office (-want +got):\n%s", diff)
	}
	scores := texts(doc, "#reception ul.scores > li .figure")
	if len(scores) != 4 || scores[0] != "Rotten Tomatoes 66%" {
		t.Errorf("scores = %q", scores)
	}
	// Every figure names its source.
	doc.Find("ul.figures > li").Each(func(i int, li *goquery.Selection) {
		if li.Find("dt:contains('Source'), dt:contains('Cited in')").Length() != 1 {
			t.Errorf("figure %d names no source: %q", i, li.Text())
		}
	})
}

// TestFilmPageCastGrid checks the cast as a grid of people with their
// characters, in billing order, each linking to the person; crew below.
func TestFilmPageCastGrid(t *testing.T) {
	s := mustSite(t)
	doc, _ := s.mustPage(t, "/films/paris-2008", http.StatusOK)
	cells := doc.Find("#cast ul.cast-grid > li")
	if cells.Length() != 16 {
		t.Fatalf("%d cast cells, want 16", cells.Length())
	}
	first := cells.First()
	if href, _ := first.Find("a").Attr("href"); href != "/people/juliette-binoche" {
		t.Errorf("first cast link = %q", href)
	}
	if got := strings.TrimSpace(first.Find(".name").Text()); got != "Juliette Binoche" {
		t.Errorf("first cast name = %q", got)
	}
	if got := strings.TrimSpace(first.Find(".character").Text()); got != "Élise" {
		t.Errorf("first character = %q", got)
	}
	if first.Find("a").Children().Length() < 2 {
		t.Error("a cast cell has no portrait or placeholder beside the name")
	}
	if doc.Find("#cast ul.cast-grid ~ dl.crew").Length() != 1 {
		t.Error("no crew below the cast")
	}
}

// TestPersonPageShowsDetailsAndGroups checks a person page with every
// field: the details an editor saved (a partial birth date among them),
// other names, known-for films and the filmography by role; and that the
// page shows a save on the very next request, with the page cache on.
func TestPersonPageShowsDetailsAndGroups(t *testing.T) {
	s := mustSiteWith(t, web.Config{PageCacheBytes: 16 << 20})
	ctx := context.Background()
	doc, _ := s.mustPage(t, "/people/cedric-klapisch", http.StatusOK)
	if doc.Find(".person-facts, .biography").Length() != 0 {
		t.Error("the seeded person shows details the seed does not give")
	}
	p, err := s.db.FindPersonForEdit(ctx, "cedric-klapisch")
	if err != nil {
		t.Fatal(err)
	}
	p.Biography = "A *director* from the test.\n\n<script>alert(1)</script>Second paragraph."
	p.BirthDate = "1961"
	p.BirthPlace = "Neuilly-sur-Seine, France"
	p.AlsoKnownAs = []string{"C. Klapisch"}
	_, ed := s.deskBrowser(t, "ed", film.RoleEditor)
	if err := s.db.UpdatePerson(ctx, "cedric-klapisch", p, ed, testNow); err != nil {
		t.Fatal(err)
	}
	doc, body := s.mustPage(t, "/people/cedric-klapisch", http.StatusOK)
	if got := definitions(doc, ".person-facts"); len(got) == 0 || got[0] != "Born: 1961, Neuilly-sur-Seine, France" {
		t.Errorf("born = %q", got)
	}
	if dt, _ := doc.Find(".person-facts time").Attr("datetime"); dt != "1961" {
		t.Errorf("birth datetime = %q", dt)
	}
	if doc.Find(".person-facts dt:contains('Died')").Length() != 0 {
		t.Error("a living person has a death line")
	}
	if got := text(doc, ".person-facts .aka dd"); got != "C. Klapisch" {
		t.Errorf("other names = %q", got)
	}
	if doc.Find(".biography em").Text() != "director" || strings.Contains(body, "<script>alert") {
		t.Errorf("biography not rendered as restricted Markdown: %q", text(doc, ".biography"))
	}
	if diff := cmp.Diff([]string{"Director (1)", "Writer (1)"}, texts(doc, ".person-filmography h3")); diff != "" {
		t.Errorf("role groups (-want +got):\n%s", diff)
	}
	known := doc.Find(".known-for-films li")
	if known.Length() != 1 {
		t.Fatalf("%d known-for films, want 1", known.Length())
	}
	if href, _ := known.Find("a").Attr("href"); href != "/films/paris-2008" {
		t.Errorf("known-for link = %q", href)
	}
	if got := strings.Join(strings.Fields(known.Text()), " "); !strings.Contains(got, "2008") || !strings.Contains(got, "Director") {
		t.Errorf("known-for = %q, want its year and his part", got)
	}
	// Structured data carries the new fields.
	ld := doc.Find(`script[type="application/ld+json"]`).Text()
	for _, want := range []string{`"birthDate":"1961"`, `"birthPlace"`, `Neuilly-sur-Seine, France`} {
		if !strings.Contains(ld, want) {
			t.Errorf("structured data lacks %s: %s", want, ld)
		}
	}

	doc, _ = s.mustPage(t, "/people/juliette-binoche", http.StatusOK)
	if got := text(doc, ".filmography li"); got != "2008 Paris as Élise" {
		t.Errorf("Binoche's credit = %q", got)
	}
	if got := text(doc, ".known-for-films .part"); got != "as Élise" {
		t.Errorf("Binoche known for = %q", got)
	}
}

// TestPersonFormRoundTrip edits every new field in the desk's person
// form, checks the saved record and the public page, and that the form
// comes back filled; a death before the birth comes back with a message.
func TestPersonFormRoundTrip(t *testing.T) {
	s := mustSite(t)
	b, _ := s.deskBrowser(t, "ed", film.RoleEditor)
	ctx := context.Background()
	before, err := s.db.FindPersonForEdit(ctx, "loik-dury")
	if err != nil {
		t.Fatal(err)
	}
	doc := b.page(t, "/admin/people/loik-dury/edit", http.StatusOK)
	form := formValues(doc, "#catalog-form")
	for _, name := range []string{"biography", "birth_date", "birth_place", "death_date", "death_place"} {
		if doc.Find(`#catalog-form [name="`+name+`"]`).Length() != 1 {
			t.Errorf("the person form has no %s input", name)
		}
	}
	form.Set("action", "save")
	form.Set("biography", "A composer.")
	form.Set("birth_date", "1970-05")
	form.Set("birth_place", "Somewhere")
	form.Set("death_date", "2050")
	form.Set("death_place", "Elsewhere")
	resp, body := b.do(t, http.MethodPost, "/admin/people/loik-dury/edit", form, nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save = %d\n%s", resp.StatusCode, body)
	}
	after, err := s.db.FindPersonForEdit(ctx, "loik-dury")
	if err != nil {
		t.Fatal(err)
	}
	want := before
	want.Biography, want.BirthDate, want.BirthPlace, want.DeathDate, want.DeathPlace = "A composer.", "1970-05", "Somewhere", "2050", "Elsewhere"
	if diff := cmp.Diff(want, after); diff != "" {
		t.Errorf("person after the save (-want +got):\n%s", diff)
	}
	doc = b.page(t, "/admin/people/loik-dury/edit", http.StatusOK)
	again := formValues(doc, "#catalog-form")
	for name, v := range map[string]string{"biography": "A composer.", "birth_date": "1970-05", "death_place": "Elsewhere"} {
		if again.Get(name) != v {
			t.Errorf("form %s = %q, want %q", name, again.Get(name), v)
		}
	}
	page, _ := s.mustPage(t, "/people/loik-dury", http.StatusOK)
	if diff := cmp.Diff([]string{"Born: May 1970, Somewhere", "Died: 2050, Elsewhere", "Also known as: Loïc Dury"}, definitions(page, ".person-facts")); diff != "" {
		t.Errorf("person facts (-want +got):\n%s", diff)
	}

	again.Set("action", "save")
	again.Set("death_date", "1969")
	resp, body = b.do(t, http.MethodPost, "/admin/people/loik-dury/edit", again, nil)
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("death before birth = %d, want 422", resp.StatusCode)
	}
	if msg := text(parse(t, body), ".field-error"); !strings.Contains(msg, "before the date of birth") {
		t.Errorf("message = %q", msg)
	}
	again.Set("death_date", "May 2050")
	resp, _ = b.do(t, http.MethodPost, "/admin/people/loik-dury/edit", again, nil)
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("malformed date = %d, want 422", resp.StatusCode)
	}
}

// definitions are the terms of the description lists matching sel, each
// "term: definition".
func definitions(doc *goquery.Document, sel string) []string {
	var out []string
	doc.Find(sel).Find("dt").Each(func(_ int, dt *goquery.Selection) {
		dd := dt.NextFiltered("dd")
		out = append(out, strings.Join(strings.Fields(dt.Text()), " ")+": "+strings.Join(strings.Fields(dd.Text()), " "))
	})
	return out
}

// figures are the stacked figures matching sel, each its headline then
// its details as "term: definition", joined by " | ".
func figures(doc *goquery.Document, sel string) []string {
	var out []string
	doc.Find(sel).Each(func(_ int, li *goquery.Selection) {
		parts := []string{strings.Join(strings.Fields(li.Find(".figure").Text()), " ")}
		li.Find("dt").Each(func(_ int, dt *goquery.Selection) {
			parts = append(parts, strings.Join(strings.Fields(dt.Text()), " ")+": "+strings.Join(strings.Fields(dt.NextFiltered("dd").Text()), " "))
		})
		out = append(out, strings.Join(parts, " | "))
	})
	return out
}

// TestFilmAndPersonPagesPlaceUploadedPictures uploads a poster, a still
// and a portrait through the desk and checks where the film and person
// pages place them: the header's poster loads at once with its size and
// its text alternative, the still lazily with its caption and credit, the
// cast grid and the person page show the portrait, and a person without
// one gets initials hidden from screen readers beside the printed name.
func TestFilmAndPersonPagesPlaceUploadedPictures(t *testing.T) {
	s := mustSite(t)
	ed := s.mustPictureEditor(t)
	for _, up := range []struct {
		path   string
		fields map[string]string
		w, h   int
	}{
		{"/admin/films/paris-2008/pictures", posterFields, 800, 1200},
		{"/admin/films/paris-2008/pictures", map[string]string{"role": "still", "alt": "Élise at the market", "caption": "The market scene", "credit": "StudioCanal"}, 1200, 800},
		{"/admin/people/juliette-binoche/pictures", map[string]string{"role": "portrait", "alt": "Juliette Binoche in 2008"}, 600, 600},
	} {
		if resp, body := ed.upload(t, up.path, up.fields, "p.jpg", "image/jpeg", jpegWithMetadata(t, up.w, up.h)); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("upload to %s = %d\n%s", up.path, resp.StatusCode, body)
		}
	}
	doc, _ := s.mustPage(t, "/films/paris-2008", http.StatusOK)
	poster := doc.Find(".film-header .film-poster img")
	if src, _ := poster.Attr("src"); !strings.HasPrefix(src, "/images/") {
		t.Errorf("header poster src = %q, want the uploaded poster", src)
	}
	if alt, _ := poster.Attr("alt"); alt != posterFields["alt"] {
		t.Errorf("header poster alt = %q", alt)
	}
	if l, _ := poster.Attr("loading"); l == "lazy" {
		t.Error("the header's poster loads lazily; it is on the first screen")
	}
	if _, ok := poster.Attr("width"); !ok {
		t.Error("the header's poster has no width, so the header would shift")
	}
	still := doc.Find("#stills figure")
	if still.Length() != 1 || still.Find("img").AttrOr("loading", "") != "lazy" {
		t.Fatalf("stills: %d figures, loading %q", still.Length(), still.Find("img").AttrOr("loading", ""))
	}
	if got := text(doc, "#stills figcaption"); !strings.Contains(got, "The market scene") || !strings.Contains(got, "StudioCanal") {
		t.Errorf("still caption = %q", got)
	}
	if doc.Find(`nav.contents a[href="#stills"]`).Length() != 1 {
		t.Error("the page's navigation does not name the stills")
	}
	first := doc.Find("ul.cast-grid > li").First()
	if src, _ := first.Find("img").Attr("src"); !strings.HasPrefix(src, "/images/") {
		t.Errorf("Binoche's cast cell shows %q, want her portrait", src)
	}
	second := doc.Find("ul.cast-grid > li").Eq(1)
	if init := second.Find(".initials"); init.Text() != "RD" || init.AttrOr("aria-hidden", "") != "true" {
		t.Errorf("Romain Duris's placeholder = %q (aria-hidden %q)", init.Text(), init.AttrOr("aria-hidden", ""))
	}

	person, _ := s.mustPage(t, "/people/juliette-binoche", http.StatusOK)
	if src, _ := person.Find(".person-portrait img").Attr("src"); !strings.HasPrefix(src, "/images/") {
		t.Errorf("person portrait src = %q", src)
	}
	if src, _ := person.Find(".known-for-films img").Attr("src"); !strings.HasPrefix(src, "/images/") {
		t.Errorf("known-for poster src = %q, want the uploaded poster", src)
	}
	other, _ := s.mustPage(t, "/people/romain-duris", http.StatusOK)
	if other.Find(".person-portrait .initials").Text() != "RD" {
		t.Error("a person without a portrait has no initials")
	}
}
