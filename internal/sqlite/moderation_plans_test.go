package sqlite

import (
	"strings"
	"testing"
)

// TestDeskQueriesUseIndexes checks the plans of the moderation queue, the
// audit log and the session lookup: no table scans, and the queue and the
// log come in index order rather than sorted per request.
func TestDeskQueriesUseIndexes(t *testing.T) {
	db := mustOpenMigrated(t)
	queue := `SELECT r.id FROM reader_reviews r JOIN films f ON f.id = r.film_id LEFT JOIN users u ON u.id = r.moderated_by WHERE `
	for _, tt := range []struct {
		name, query string
		args        []any
		sorted      bool // whether the plan may sort (a TEMP B-TREE)
	}{
		{"pending queue", queue + "1 AND r.status = ? ORDER BY r.created_at ASC, r.id ASC LIMIT 25", []any{"pending"}, false},
		{"spam queue", queue + "1 AND r.status = ? ORDER BY r.created_at DESC, r.id DESC LIMIT 25", []any{"spam"}, false},
		{"one film's pending", queue + "1 AND r.status = ? AND r.film_id = (SELECT id FROM films WHERE slug = ?) ORDER BY r.created_at ASC, r.id ASC LIMIT 25", []any{"pending", "x"}, false},
		{"queue count", "SELECT count(*) FROM reader_reviews r WHERE 1 AND r.status = ?", []any{"pending"}, false},
		{"audit log", "SELECT a.id FROM audit_log a LEFT JOIN users u ON u.id = a.user_id ORDER BY a.at DESC, a.id DESC LIMIT 50 OFFSET 0", nil, false},
		{"one record's history", "SELECT a.id FROM audit_log a LEFT JOIN users u ON u.id = a.user_id WHERE a.record_type = ? AND a.record_id = ? ORDER BY a.at DESC, a.id DESC LIMIT 50", []any{"reader_review", 1}, true},
		{"session", "SELECT u.id FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?", []any{[]byte("x")}, false},
		{"credentials", "SELECT id FROM users WHERE email = ?", []any{"a@example.com"}, false},
	} {
		plan := queryPlan(t, db, tt.query, tt.args...)
		if step, ok := scansTable(plan); ok {
			t.Errorf("%s scans a table (%s):\n%s", tt.name, step, plan)
		}
		if !tt.sorted && strings.Contains(plan, "TEMP B-TREE") {
			t.Errorf("%s sorts per request:\n%s", tt.name, plan)
		}
	}
}
