package postgres

import (
	"context"
	"fmt"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"

	"marquee/internal/film"
)

// searchTierOf is the rank of results a hit of this kind is listed in.
func searchTierOf(k film.SearchKind) int {
	switch k {
	case film.SearchFilm:
		return 1
	case film.SearchPerson:
		return 2
	case film.SearchCriticReview, film.SearchReaderReview:
		return 4
	}
	return 3
}

// byTier sorts hits by tier, then by what they are: the two backends rank
// within a tier by different formulas (bm25, ts_rank), so only the tiers'
// order and each tier's hits must agree.
func byTier(hits []film.SearchHit) []film.SearchHit {
	out := append([]film.SearchHit(nil), hits...)
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if ta, tb := searchTierOf(a.Kind), searchTierOf(b.Kind); ta != tb {
			return ta < tb
		}
		return fmt.Sprint(a.Kind, a.Title, a.Slug, a.ReviewID, a.Film.ID) < fmt.Sprint(b.Kind, b.Title, b.Slug, b.ReviewID, b.Film.ID)
	})
	return out
}

// inTierOrder reports whether hits are listed tier by tier.
func inTierOrder(hits []film.SearchHit) bool {
	return sort.SliceIsSorted(hits, func(i, j int) bool { return searchTierOf(hits[i].Kind) < searchTierOf(hits[j].Kind) })
}

// TestSearchMatchesSQLite searches both backends for the same words, in
// the ways readers type them (accents and case left out, prefixes, quoted
// phrases, hostile text), and checks that they find the same things in the
// same tiers, and that spoilers, drafts and scheduled reviews stay out.
func TestSearchMatchesSQLite(t *testing.T) {
	ctx := context.Background()
	lite, pg := pageStores(t)
	queries := []string{
		"paris", "PARIS", "Paris 2008", "binoche", "juliette bin", "cedric", "CÉDRIC KLAPISCH", `"le chat"`, `"chat le"`,
		"delight", "purrfect", "drags", "draft", "later", "madame", "duris", "anne dupre", "dupr", "binoche funny",
		"", "   ", "!!!", "a", "2008", `" OR 1=1 --`, "'", `\`, "NEAR(paris", "*", "paris:*", "& | ! <->", "ça", "œ",
		"x" + string(rune(0)) + "paris",
	}
	for _, text := range queries {
		for _, page := range []struct{ offset, limit int }{{0, 50}, {0, 2}, {2, 2}} {
			q := film.SearchQuery{Text: text, Offset: page.offset, Limit: page.limit, Now: pagesNow}
			want, err := lite.Search(ctx, q)
			if err != nil {
				t.Fatalf("SQLite search %q: %v", text, err)
			}
			got, err := pg.Search(ctx, q)
			if err != nil {
				t.Fatalf("PostgreSQL search %q: %v", text, err)
			}
			if !inTierOrder(got.Hits) {
				t.Errorf("search %q: PostgreSQL lists its hits out of tier order", text)
			}
			if want.Total != got.Total || len(want.Hits) != len(got.Hits) {
				t.Errorf("search %q %+v: SQLite finds %d (%d on the page), PostgreSQL %d (%d)",
					text, page, want.Total, len(want.Hits), got.Total, len(got.Hits))
				continue
			}
			if page.limit < 50 {
				continue // a page cut inside a tier may differ in order
			}
			if diff := cmp.Diff(byTier(want.Hits), byTier(got.Hits)); diff != "" {
				t.Errorf("search %q differs between the backends (-SQLite +PostgreSQL):\n%s", text, diff)
			}
		}
		want, err := lite.Suggest(ctx, text, 5)
		if err != nil {
			t.Fatal(err)
		}
		got, err := pg.Suggest(ctx, text, 5)
		if err != nil {
			t.Fatalf("PostgreSQL suggest %q: %v", text, err)
		}
		if diff := cmp.Diff(byTier(want), byTier(got)); diff != "" {
			t.Errorf("suggest %q differs between the backends (-SQLite +PostgreSQL):\n%s", text, diff)
		}
	}

	// Not two empty answers: the searches find what the catalogue has.
	res, err := pg.Search(ctx, film.SearchQuery{Text: "cedric", Limit: 10, Now: pagesNow})
	if err != nil || res.Total == 0 {
		t.Errorf("search cedric found %d, %v", res.Total, err)
	}
	for _, text := range []string{"drags", "draft", "later"} {
		res, err := pg.Search(ctx, film.SearchQuery{Text: text, Limit: 10, Now: pagesNow})
		if err != nil || res.Total != 0 {
			t.Errorf("search %q found %d hits, %v; a spoiler, a draft or a review not yet public must not be found", text, res.Total, err)
		}
	}
}
