package sqlite

import (
	"strings"
	"testing"
)

// TestEditorialListsUseIndexes checks that the editors' lists search an
// index by prefix, or walk one in order, rather than read every row: the
// catalogue may hold a hundred thousand films.
func TestEditorialListsUseIndexes(t *testing.T) {
	db := mustOpenMigrated(t)
	tests := []struct {
		name, query string
		args        []any
		want        string
	}{
		{"films by title", `SELECT ` + summaryColumns + ` FROM films f WHERE f.title LIKE ? ESCAPE '\'
			ORDER BY f.title COLLATE NOCASE, f.year, f.id LIMIT ? OFFSET ?`, []any{"par%", 51, 0}, "films_by_title"},
		{"people by name", `SELECT p.id FROM people p WHERE p.name LIKE ? ESCAPE '\'
			ORDER BY p.name COLLATE NOCASE, p.id LIMIT ? OFFSET ?`, []any{"céd%", 51, 0}, "people_by_name"},
		{"reviews by status", "SELECT " + editedReviewColumns(false) + " WHERE r.status = ? ORDER BY r.id DESC LIMIT ? OFFSET ?",
			[]any{"draft", 51, 0}, "critic_reviews_by_status_id"},
		{"reviews by owner", "SELECT " + editedReviewColumns(false) + " WHERE r.created_by = ? ORDER BY r.id DESC LIMIT ? OFFSET ?",
			[]any{1, 51, 0}, "critic_reviews_by_creator"},
	}
	for _, tt := range tests {
		plan := queryPlan(t, db, tt.query, tt.args...)
		if step, scans := scansTable(plan); scans {
			t.Errorf("%s scans a table (%s):\n%s", tt.name, step, plan)
		}
		if !strings.Contains(plan, tt.want) {
			t.Errorf("%s does not use %s:\n%s", tt.name, tt.want, plan)
		}
		if strings.Contains(plan, "USE TEMP B-TREE FOR ORDER BY") {
			t.Errorf("%s sorts its rows:\n%s", tt.name, plan)
		}
	}
}
