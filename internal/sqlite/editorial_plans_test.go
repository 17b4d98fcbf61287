package sqlite

import (
	"testing"

	"marquee/internal/film"
	"marquee/internal/filmsql"
)

// TestEditorialListsUseIndexes checks that the editors' lists search an
// index by prefix, or by the column they filter on, and read it in order
// rather than read or sort every row: the catalogue may hold a hundred
// thousand films.
func TestEditorialListsUseIndexes(t *testing.T) {
	db := mustOpenMigrated(t)
	cases := []planCase{
		{name: "films by title", query: filmsByTitleQuery, args: []any{filmsql.LikePrefix("par"), 51, 0}, inOrder: true,
			search: "USING INDEX films_by_title"},
		{name: "people by name", query: peopleByNameQuery, args: []any{filmsql.LikePrefix("céd"), 51, 0}, inOrder: true,
			search: "USING INDEX people_by_name"},
	}
	for _, r := range []struct {
		name   string
		filter film.EditedReviewFilter
		index  string
	}{
		{"reviews by status", film.EditedReviewFilter{Status: film.ReviewDraft}, "critic_reviews_by_status_id"},
		{"reviews by owner", film.EditedReviewFilter{OwnerID: 1}, "critic_reviews_by_creator"},
	} {
		query, args := filmsql.EditedReviewsQuery(filmsql.SQLite, r.filter, 50)
		cases = append(cases, planCase{name: r.name, query: query, args: args, inOrder: true, search: "USING INDEX " + r.index})
	}
	checkPlans(t, db, cases)
}
