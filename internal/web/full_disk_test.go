package web_test

import (
	"context"
	"database/sql"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"marquee/internal/film"
)

// TestFullDiskAnswers503AndKeepsReading: when the database can grow no
// more (SQLite's max_page_count lowered, as a full disk would), a save
// answers a clear 503 page, reads keep working, and nothing of the failed
// save is kept: every review stored is whole, with its revision.
func TestFullDiskAnswers503AndKeepsReading(t *testing.T) {
	s := mustSite(t)
	b, _ := s.deskBrowser(t, "ed", film.RoleEditor)
	if err := s.db.SimulateFullDisk(context.Background(), 64); err != nil {
		t.Fatal(err)
	}
	before := countRows(t, s, "critic_reviews")
	body := strings.Repeat("A long paragraph about the film, its city and its people. ", 800) // About 47 kB.
	saved, full := 0, false
	for i := range 40 {
		form := reviewForm(film.ReviewDraft, map[string]string{"headline": "Draft number " + strconv.Itoa(i), "body": body})
		resp, page := b.do(t, http.MethodPost, "/admin/reviews", form, nil)
		if resp.StatusCode == http.StatusSeeOther {
			saved++
			continue
		}
		if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(page, "storage is full") || !strings.Contains(page, "Nothing you sent was saved") {
			t.Fatalf("save %d = %d, want 303 or a 503 page about the full storage\n%s", i, resp.StatusCode, page)
		}
		full = true
		break
	}
	if !full {
		t.Fatal("the storage never filled up")
	}
	if saved == 0 {
		t.Error("no save fitted before the storage was full")
	}
	// Reads keep working.
	for _, path := range []string{"/", "/films/paris-2008", "/search?q=paris"} {
		if resp, _ := s.newBrowser("198.51.100.4").do(t, http.MethodGet, path, nil, nil); resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s on a full disk = %d, want 200", path, resp.StatusCode)
		}
	}
	if resp, _ := b.do(t, http.MethodGet, "/admin/reviews", nil, nil); resp.StatusCode != http.StatusOK {
		t.Errorf("the desk's review list on a full disk = %d", resp.StatusCode)
	}
	// Nothing half-written: exactly the saves that were answered 303,
	// each with its revision, and the file intact.
	if got := countRows(t, s, "critic_reviews"); got != before+saved {
		t.Errorf("%d reviews stored, want %d (%d before and %d saved)", got, before+saved, before, saved)
	}
	conn, err := sql.Open("sqlite3", "file:"+s.path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var orphans int
	if err := conn.QueryRow(`SELECT count(*) FROM critic_reviews r WHERE r.headline LIKE 'Draft number %'
		AND NOT EXISTS (SELECT 1 FROM critic_review_revisions v WHERE v.review_id = r.id)`).Scan(&orphans); err != nil {
		t.Fatal(err)
	}
	if orphans != 0 {
		t.Errorf("%d saved reviews have no revision", orphans)
	}
	var check string
	if err := conn.QueryRow("PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
		t.Errorf("integrity_check = %q, %v", check, err)
	}
}
