package sqlite

import (
	"strings"
	"testing"
)

// TestListedFilmsQueryFindsFilmsByID checks the plan of the statement that
// reads a film index page's films once its order has picked their ids:
// it reads the list of ids it is given, finds each film by its id, and its
// directors and genres by the film's id, never reading a table or an
// index whole.
func TestListedFilmsQueryFindsFilmsByID(t *testing.T) {
	db := mustOpenMigrated(t)
	plan := queryPlan(t, db, listedFilmsQuery, "[3, 1, 2]")
	if !strings.Contains(plan, "SEARCH f USING INTEGER PRIMARY KEY (rowid=?)") {
		t.Errorf("listed films: the films are not found by id:\n%s", plan)
	}
	for _, step := range strings.Split(plan, "\n") {
		step = strings.TrimSpace(step)
		switch {
		case strings.HasPrefix(step, "SCAN ") && !strings.HasPrefix(step, "SCAN json_each ") && !strings.HasPrefix(step, "SCAN (subquery-"):
			t.Errorf("listed films: reads more than the films asked for (%s):\n%s", step, plan)
		case strings.HasPrefix(step, "SEARCH ") && !strings.Contains(step, "=?"):
			t.Errorf("listed films: a search without a key (%s):\n%s", step, plan)
		case strings.HasPrefix(step, "USE TEMP B-TREE"):
			t.Errorf("listed films: sorts (%s):\n%s", step, plan)
		}
	}
}
