package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/google/go-cmp/cmp"
)

func TestFilmPageShowsTheRecord(t *testing.T) {
	s := mustSite(t)
	doc, _ := s.mustPage(t, "/films/paris-2008", http.StatusOK)

	if n := doc.Find("h1").Length(); n != 1 {
		t.Errorf("page has %d h1 elements, want 1", n)
	}
	if got := text(doc, "h1"); got != "Paris (2008)" {
		t.Errorf("h1 = %q, want Paris (2008)", got)
	}
	if lang, _ := doc.Find("h1 [lang]").Attr("lang"); lang != "fr" {
		t.Errorf("title lang = %q, want fr", lang)
	}
	if got := doc.Find("title").Text(); got != "Paris (2008) · Marquee" {
		t.Errorf("title = %q", got)
	}
	if got, _ := doc.Find(`link[rel=canonical]`).Attr("href"); got != "http://localhost:8080/films/paris-2008" {
		t.Errorf("canonical = %q", got)
	}

	facts := text(doc, ".film-header .facts") + " " + text(doc, ".film-header .principal-credits")
	for _, want := range []string{"130 min (2 h 10 min)", "Comedy, Drama", "France", "French"} {
		if !strings.Contains(facts, want) {
			t.Errorf("key facts %q lack %q", facts, want)
		}
	}
	if got := text(doc, ".film-header .synopsis"); !strings.Contains(got, "cabaret dancer") {
		t.Errorf("synopsis = %q", got)
	}

	t.Run("cast with characters in billing order", func(t *testing.T) {
		var cast [][2]string
		doc.Find("ul.cast-grid > li").Each(func(_ int, cell *goquery.Selection) {
			cast = append(cast, [2]string{strings.TrimSpace(cell.Find(".name").Text()), strings.TrimSpace(cell.Find(".character").Text())})
		})
		if len(cast) != 16 {
			t.Fatalf("cast has %d rows, want 16", len(cast))
		}
		want := map[string]string{
			"Juliette Binoche": "Élise", "Romain Duris": "Pierre", "Fabrice Luchini": "Roland Verneuil",
			"Albert Dupontel": "Jean", "François Cluzet": "Philippe Verneuil", "Karin Viard": "La boulangère",
			"Julie Ferrier": "Caroline", "Maurice Bénichou": "Le psy", "Xavier Robic": "Arthur Delamare – le présentateur télé",
			"Kingsley Kum Abang": "Benoît", "Mélanie Laurent": "character not recorded",
		}
		got := map[string]string{}
		for _, c := range cast {
			got[c[0]] = c[1]
		}
		for actor, character := range want {
			if got[actor] != character {
				t.Errorf("%s plays %q, want %q", actor, got[actor], character)
			}
		}
		if cast[0][0] != "Juliette Binoche" || cast[1][0] != "Romain Duris" || cast[15][0] != "Kingsley Kum Abang" {
			t.Errorf("billing order wrong: first %q, second %q, last %q", cast[0][0], cast[1][0], cast[15][0])
		}
		if href, _ := doc.Find("ul.cast-grid a").First().Attr("href"); href != "/people/juliette-binoche" {
			t.Errorf("first cast link = %q", href)
		}
	})

	t.Run("crew", func(t *testing.T) {
		want := []string{"Director | Cédric Klapisch", "Writer | Cédric Klapisch", "Producer | Bruno Levy",
			"Cinematography | Christophe Beaucarne", "Editing | Francine Sandberg", `Music | Loïk Dury Robert "Chicken" Burke`}
		if diff := cmp.Diff(want, rows(doc, "dl.crew > div")); diff != "" {
			t.Errorf("crew (-want +got):\n%s", diff)
		}
	})

	t.Run("full record", func(t *testing.T) {
		record := strings.Join(rows(doc, "dl.record > div"), "\n") + "\n" + text(doc, "#details > p")
		for _, want := range []string{
			"20 February 2008 (France)", "July 2008 (United Kingdom)",
			"Ce qui me meut", "StudioCanal", "France 2 Cinéma", "Mars Distribution (France)", "IFC Films",
			"November 2006", "Basilique du Sacré-Coeur, Montmartre, Paris 18, Paris, France",
			"Official site (Japan)", "Budget: €12.2 million",
		} {
			if !strings.Contains(record, want) {
				t.Errorf("details lack %q", want)
			}
		}
		if n := doc.Find("ul.box-office > li").Length(); n != 3 {
			t.Errorf("%d box office figures, want 3 (TestFilmPageRecordHasNoWideTables checks each)", n)
		}
	})

	t.Run("plot threads per character", func(t *testing.T) {
		want := []string{"Pierre", "Élise", "Roland Verneuil", "Jean", "Philippe Verneuil", "Khadija", "Laetitia", "Benoît"}
		var got []string
		for _, summary := range texts(doc, "#plot details.plot-thread > summary") {
			if name, ok := strings.CutSuffix(summary, " (spoilers)"); ok && name != "The story in short" {
				got = append(got, name)
			}
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("plot threads (-want +got):\n%s", diff)
		}
	})

	t.Run("soundtrack in order", func(t *testing.T) {
		tracks := texts(doc, "#soundtrack ol.tracks li")
		if len(tracks) != 15 {
			t.Fatalf("%d tracks, want 15", len(tracks))
		}
		for i, want := range map[int]string{
			0: "Munivers De Paris Kraked Unit", 1: "Seize the Day Wax Tailor (featuring Charlotte Savary)",
			8:  "Running for My Life Grant Phabao pres. Carlton Livingston and the Lone Ranger",
			12: "I Don't Give a F... Adrag", 14: "Gnossienne N°1 Erik Satie",
		} {
			if tracks[i] != want {
				t.Errorf("track %d = %q, want %q", i+1, tracks[i], want)
			}
		}
		if got := text(doc, "#soundtrack"); !strings.Contains(got, "Peaked at number 44 in France.") {
			t.Errorf("soundtrack lacks the chart peak: %q", got)
		}
	})

	t.Run("reception as cited facts", func(t *testing.T) {
		want := []string{
			"Rotten Tomatoes 66% | Based on: 71 reviews, average 6.5/10 | Cited in: Encyclopaedia article",
			"Metacritic 68/100 (generally favorable) | Based on: 21 critics | Cited in: Encyclopaedia article",
			"Fan site users 6.8/10 | Based on: 5,339 votes | Cited in: Fan site film page",
			"Fan site critics' score 68/100 | Based on: sample size not given | Cited in: Fan site film page",
		}
		if diff := cmp.Diff(want, figures(doc, "ul.scores > li")); diff != "" {
			t.Errorf("scores (-want +got):\n%s", diff)
		}
		press := text(doc, ".press-quote")
		for _, want := range []string{"sumptuous Gallic comedy", "likable characters", "Stephen Holden", "The New York Times"} {
			if !strings.Contains(press, want) {
				t.Errorf("press quotes lack %q", want)
			}
		}
		if got := text(doc, ".awards"); got != "Won Radio-Canada Audience Award, Cinéfranco 2009" {
			t.Errorf("awards = %q", got)
		}
	})

	t.Run("critic review", func(t *testing.T) {
		review := doc.Find("#critic-reviews .critic-review")
		if review.Length() != 1 {
			t.Fatalf("%d critic reviews, want 1", review.Length())
		}
		if label, _ := review.Find(".stars").Attr("aria-label"); label != "3 out of 5 stars" {
			t.Errorf("stars label = %q", label)
		}
		if got := review.Find(".stars").Text(); got != "★★★☆☆" {
			t.Errorf("stars = %q", got)
		}
		byline := strings.Join(strings.Fields(review.Find(".byline").Text()), " ")
		if byline != "By Marquee staff, Marquee · 20 November 2026" {
			t.Errorf("byline = %q", byline)
		}
		if dt, _ := review.Find(".byline time").Attr("datetime"); dt != "2026-11-20" {
			t.Errorf("datetime = %q", dt)
		}
		if review.Find(".excerpt").Text() == "" {
			t.Error("the review has no excerpt")
		}
		if href, _ := review.Find(".read-more a").Attr("href"); href != "/reviews/paris-2008-review" {
			t.Errorf("read more links to %q", href)
		}
	})

	t.Run("reader review", func(t *testing.T) {
		r := doc.Find("#reader-reviews .reader-review")
		if r.Length() != 1 {
			t.Fatalf("%d reader reviews, want 1", r.Length())
		}
		if got := strings.TrimSpace(r.Find("h3").Text()); got != "Maybe the Finest movie about Paris since Paris vu Par" {
			t.Errorf("reader review title = %q", got)
		}
		if got := strings.Join(strings.Fields(r.Find(".rating").Text()), " "); !strings.Contains(got, "9 out of 10") {
			t.Errorf("reader rating = %q", got)
		}
	})

	t.Run("did you know", func(t *testing.T) {
		if n := doc.Find(".trivia li").Length(); n != 3 {
			t.Errorf("%d trivia items, want 3", n)
		}
		goof := text(doc, ".goofs")
		for _, want := range []string{"80 cents", "0,00", "0,78"} {
			if !strings.Contains(goof, want) {
				t.Errorf("goof lacks %q: %q", want, goof)
			}
		}
		if got := text(doc, ".film-quote blockquote"); got != "Give chance a chance. I believe in you! Your life's not over! Maybe it hasn't even started." {
			t.Errorf("quote = %q", got)
		}
	})

	t.Run("every in-page link has a target", func(t *testing.T) {
		doc.Find(`a[href^="#"]`).Each(func(_ int, a *goquery.Selection) {
			href, _ := a.Attr("href")
			if doc.Find(href).Length() != 1 {
				t.Errorf("link %s has no single target", href)
			}
		})
	})
}

func TestPersonPageListsCreditsByRole(t *testing.T) {
	s := mustSite(t)
	doc, _ := s.mustPage(t, "/people/cedric-klapisch", http.StatusOK)
	if got := text(doc, "h1"); got != "Cédric Klapisch" {
		t.Errorf("h1 = %q", got)
	}
	if diff := cmp.Diff([]string{"Director (1)", "Writer (1)"}, texts(doc, ".person section h3")); diff != "" {
		t.Errorf("role groups (-want +got):\n%s", diff)
	}
	if href, _ := doc.Find(".filmography a").First().Attr("href"); href != "/films/paris-2008" {
		t.Errorf("film link = %q", href)
	}

	doc, _ = s.mustPage(t, "/people/juliette-binoche", http.StatusOK)
	if got := text(doc, ".filmography li"); got != "2008 Paris as Élise" {
		t.Errorf("Binoche's credit = %q", got)
	}
	doc, _ = s.mustPage(t, "/people/loik-dury", http.StatusOK)
	if got := definitions(doc, ".aka"); len(got) != 1 || got[0] != "Also known as: Loïc Dury" {
		t.Errorf("aka = %q", got)
	}
}

func TestHomePageSections(t *testing.T) {
	s := mustSite(t)
	doc, _ := s.mustPage(t, "/", http.StatusOK)
	if n := doc.Find("h1").Length(); n != 1 {
		t.Errorf("%d h1 elements, want 1", n)
	}
	review := doc.Find("#latest-reviews + ul .review-card")
	if review.Length() != 1 {
		t.Fatalf("%d latest reviews, want the seeded one", review.Length())
	}
	if href, _ := review.Find("h3 a").Attr("href"); href != "/reviews/paris-2008-review" {
		t.Errorf("review link = %q", href)
	}
	if got := text(doc, "#latest-reviews + ul .kicker"); got != "Paris (2008)" {
		t.Errorf("reviewed film = %q", got)
	}
	// The seeded reviews make Paris recently reviewed; its one rating (the
	// seeded reader review's, written the day before) is too few to be top
	// rated, and makes it rated this week.
	if got := texts(doc, "section[aria-labelledby=recently-reviewed] .film-row h3"); len(got) != 1 || got[0] != "Paris (2008)" {
		t.Errorf("recently reviewed = %q", got)
	}
	if got := text(doc, "section[aria-labelledby=top-rated] .empty"); got != "No film has enough ratings yet." {
		t.Errorf("top rated = %q", got)
	}
	if got := texts(doc, "section[aria-labelledby=trending] .film-row .stats"); len(got) != 1 || !strings.HasPrefix(got[0], "1 rating this week · ") ||
		!strings.Contains(got[0], "9/10") || !strings.HasSuffix(got[0], "from 1 rating") {
		t.Errorf("trending = %q, want Paris with the seeded review's rating", got)
	}
	// One film, singular; the arrow follows a space inside the same span
	// as the label, since the link is a flex box that would drop a space
	// between two of its items; and screen readers skip it.
	if got := text(doc, "main > p.more a"); got != "Browse all 1 film →" {
		t.Errorf("browse link = %q", got)
	}
	if n := doc.Find("main > p.more a").Children().Length(); n != 1 {
		t.Errorf("browse link has %d flex items, want one span", n)
	}
	if got := doc.Find("main > p.more a > span > span.more-arrow[aria-hidden=true]").Text(); got != " →" {
		t.Errorf("browse arrow = %q, want a space and the arrow, hidden from screen readers", got)
	}
}

func TestHomePageShowsWhatReadersRateNow(t *testing.T) {
	s := mustSite(t)
	for i, value := range []string{"8", "6"} {
		if resp := s.newBrowser(fmt.Sprintf("198.51.100.%d", i+1)).rate(t, value); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("rating = %d", resp.StatusCode)
		}
	}
	doc, _ := s.mustPage(t, "/", http.StatusOK)
	rows := texts(doc, "section[aria-labelledby=trending] .film-row")
	// With the seeded reader review's 9, written the day before.
	if len(rows) != 1 || !strings.Contains(rows[0], "Paris") || !strings.Contains(rows[0], "3 ratings this week · ") ||
		!strings.Contains(rows[0], "7.7/10") || !strings.HasSuffix(rows[0], "from 3 ratings") {
		t.Errorf("trending = %q, want Paris with its three ratings this week", rows)
	}
	// A week later the ratings are no longer recent.
	s.clock.Advance(8 * 24 * time.Hour)
	doc, _ = s.mustPage(t, "/", http.StatusOK)
	if got := text(doc, "section[aria-labelledby=trending] .empty"); got != "No ratings in the past week." {
		t.Errorf("a week later, trending = %q", got)
	}
}
