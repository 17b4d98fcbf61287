package web_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"marquee/internal/film"
)

func TestCriticReviewPage(t *testing.T) {
	s := mustSite(t)
	doc, _ := s.mustPage(t, "/reviews/paris-2008-review", http.StatusOK)
	if n := doc.Find("h1").Length(); n != 1 {
		t.Fatalf("%d h1 elements", n)
	}
	if href, _ := doc.Find(".kicker a").Attr("href"); href != "/films/paris-2008" {
		t.Errorf("film link = %q", href)
	}
	if got := text(doc, ".kicker"); got != "Review: Paris (2008), directed by Cédric Klapisch" {
		t.Errorf("kicker = %q", got)
	}
	if label, _ := doc.Find(".critic-review .stars").Attr("aria-label"); label != "3 out of 5 stars" {
		t.Errorf("stars = %q", label)
	}
	if got := text(doc, ".critic-review .byline"); got != "By Marquee staff, Marquee · 20 November 2026" {
		t.Errorf("byline = %q", got)
	}
	if doc.Find(".review-body p").Length() < 3 {
		t.Error("body not rendered")
	}
	if got, _ := doc.Find(`meta[name=description]`).Attr("content"); got == "" {
		t.Error("no meta description")
	}
	if got, _ := doc.Find(`link[rel=canonical]`).Attr("href"); got != "http://localhost:8080/reviews/paris-2008-review" {
		t.Errorf("canonical = %q", got)
	}
}

// mustAddCriticReviews stores critic reviews of Paris (2008).
func (s *site) mustAddCriticReviews(tb testing.TB, reviews ...film.CriticReview) {
	tb.Helper()
	for i := range reviews {
		reviews[i].FilmSlug = "paris-2008"
		if reviews[i].Author == "" {
			reviews[i].Author = "Guest critic"
		}
		if reviews[i].Status == "" {
			reviews[i].Status = film.ReviewPublished
		}
		if reviews[i].PublishedAt.IsZero() {
			reviews[i].PublishedAt = testNow.Add(-time.Hour)
		}
	}
	if _, err := s.db.Import(tb.Context(), film.Catalog{CriticReviews: reviews}); err != nil {
		tb.Fatal(err)
	}
}

func TestUnpublishedCriticReviewsAreNotFound(t *testing.T) {
	s := mustSite(t)
	s.mustAddCriticReviews(t,
		film.CriticReview{Slug: "a-draft", Headline: "Draft", Body: "Not yet.", Status: film.ReviewDraft, PublishedAt: testNow},
		film.CriticReview{Slug: "in-review", Headline: "Waiting", Body: "Not yet.", Status: film.ReviewInReview, PublishedAt: testNow},
		film.CriticReview{Slug: "tomorrow", Headline: "Scheduled", Body: "Soon.", Status: film.ReviewScheduled, PublishedAt: testNow.Add(24 * time.Hour)},
	)
	for _, slug := range []string{"a-draft", "in-review", "tomorrow", "no-such-review"} {
		s.mustPage(t, "/reviews/"+slug, http.StatusNotFound)
	}
	doc, _ := s.mustPage(t, "/films/paris-2008", http.StatusOK)
	if got := doc.Find("#critic-reviews .critic-review").Length(); got != 1 {
		t.Errorf("film page shows %d critic reviews, want only the published one", got)
	}
	// The scheduled review goes live at its time with no one acting.
	s.clock.Advance(25 * time.Hour)
	s.mustPage(t, "/reviews/tomorrow", http.StatusOK)
}

func TestSpoilersStayHidden(t *testing.T) {
	s := mustSite(t)
	s.mustAddCriticReviews(t,
		film.CriticReview{Slug: "whole-plot", Headline: "Everything happens", Body: "Pierre gets the SECRETHEART in the end.", Spoilers: true},
		film.CriticReview{Slug: "inline-spoiler", Headline: "Mostly safe",
			Body: "The market scenes shine. ||Roland ends up with HIDDENTWIST.|| The score is lovely."},
	)
	doc, body := s.mustPage(t, "/reviews/whole-plot", http.StatusOK)
	if doc.Find("details.spoiler .review-body").Length() != 1 {
		t.Error("a spoiler review's body is not folded in a details element")
	}
	if desc, _ := doc.Find(`meta[name=description]`).Attr("content"); strings.Contains(desc, "SECRETHEART") {
		t.Errorf("meta description leaks the spoiler: %q", desc)
	}
	if strings.Contains(body, `<details class="spoiler" open`) {
		t.Error("spoiler is open by default")
	}

	doc, _ = s.mustPage(t, "/reviews/inline-spoiler", http.StatusOK)
	if doc.Find(".review-body .spoiler .spoiler-text").Length() != 1 {
		t.Error("inline spoiler is not marked up")
	}
	desc, _ := doc.Find(`meta[name=description]`).Attr("content")
	if strings.Contains(desc, "HIDDENTWIST") || !strings.Contains(desc, "market scenes") {
		t.Errorf("meta description = %q, want the text without the spoiler", desc)
	}
}

func TestCriticScoreWithheldBelowMinimum(t *testing.T) {
	s := mustSite(t)
	doc, _ := s.mustPage(t, "/films/paris-2008", http.StatusOK)
	if got := text(doc, ".critic-score"); !strings.Contains(got, "appears once 3 of them") || !strings.Contains(got, "(1 so far)") {
		t.Errorf("with one review: %q", got)
	}
	// 3/5 = 60, 7/10 = 70, 80/100 = 80, and an unrated review that does
	// not count.
	s.mustAddCriticReviews(t,
		film.CriticReview{Slug: "second", Headline: "Second", Body: "b", Rating: &film.Rating{Value: 7, Scale: 10}},
		film.CriticReview{Slug: "third", Headline: "Third", Body: "c", Rating: &film.Rating{Value: 80, Scale: 100}},
		film.CriticReview{Slug: "unrated", Headline: "Unrated", Body: "d"},
	)
	doc, _ = s.mustPage(t, "/films/paris-2008", http.StatusOK)
	if got := text(doc, ".critic-score .score"); got != "70/100" {
		t.Errorf("critic score = %q, want 70/100", got)
	}
	// It stands apart from the external scores.
	if strings.Contains(text(doc, "ul.scores"), "Marquee") {
		t.Error("our critics' score is mixed into the external scores table")
	}
	if got := text(doc, ".score-strip"); !strings.Contains(got, "Our critics 70/100") {
		t.Errorf("score strip = %q", got)
	}
}
