package postgres

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// searchDocs returns the documents that match query, as plainto_tsquery
// reads it in the search configuration, ordered by tier then doc, each
// named by its kind and source.
func searchDocs(t *testing.T, db *DB, query string) []string {
	t.Helper()
	rows, err := db.pool.Query(context.Background(), `SELECT tier || ':' || kind || ':' || source FROM search_documents
		WHERE vector @@ plainto_tsquery('marquee_search', $1) ORDER BY tier, doc`, query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	got := []string{}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		got = append(got, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return got
}

// TestSearchDocuments checks what the triggers index: accents, case and
// ligatures forgiven, every kind of document in its tier, documents
// following their rows, and no spoiler ever indexed.
func TestSearchDocuments(t *testing.T) {
	db := newDB(t)
	mustExec(t, db, fixture)
	mustExec(t, db, `
		INSERT INTO films (id, slug, title, original_title, year) VALUES (2, 'coeur', 'Un cœur en hiver', 'Ein Herz im Winter', 1992);
		INSERT INTO person_aliases VALUES (1, 0, 'J.-P. Jeunet');
		INSERT INTO credits (id, film_id, person_id, role, character) VALUES (1, 1, 1, 'cast', 'Amélie''s gnome');
		INSERT INTO filming_locations VALUES (1, 0, 'Café des Deux Moulins', 'Rue Lepic, Montmartre');
		INSERT INTO soundtracks (film_id, title) VALUES (1, 'Amélie soundtrack');
		INSERT INTO soundtrack_tracks VALUES (1, 1, 'Yann Tiersen', 'Comptine d''un autre été');
		INSERT INTO reader_reviews (id, film_id, display_name, title, rating, body, status, created_at) VALUES
			(1, 1, 'R', 'Montmartre magic', 9, 'Plain words. ||the gnome travels|| More words after.', 'approved', now()),
			(2, 1, 'R', 'Flagged', 9, 'The ending reveals the photobooth secret.', 'approved', now()),
			(3, 1, 'R', 'Pending', 9, 'Unmoderated marmalade.', 'pending', now()),
			(4, 1, 'R', 'Block', 9, E'Opening words.\n::: spoiler\nhidden lighthouse\n:::\nclosing words', 'approved', now());
		UPDATE reader_reviews SET spoilers = true WHERE id = 2;
		INSERT INTO critic_reviews (id, slug, film_id, headline, author, pull_quote, body, status, published_at) VALUES
			(1, 'review', 1, 'A Montmartre fairy tale', 'Critic', 'Enchanting', 'Body about Paris.', 'published', now()),
			(2, 'draft', 1, 'Draft notes', 'Critic', '', 'Unfinished zeppelin.', 'draft', NULL);`)

	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"amelie", []string{"1:1:1", "3:3:1", "3:7:1"}}, // the film, the character, the soundtrack's album
		{"AMÉLIE POULAIN", []string{"1:1:1"}},
		{"coeur", []string{"1:1:2"}},   // œ folded
		{"herz", []string{"1:1:2"}},    // original title
		{"2001", []string{"1:1:1"}},    // the year, as context
		{"jeunet", []string{"2:2:1"}},  // the name and the alias
		{"cafe", []string{"3:4:1"}},    // a filming location
		{"lepic", []string{"3:4:1"}},   // its address
		{"tiersen", []string{"3:7:1"}}, // a track's artist
		{"montmartre", []string{"3:4:1", "4:5:1", "4:6:1"}},
		{"after", []string{"4:6:1"}}, // text after the last inline spoiler
		{"travels", []string{}},      // inside an inline spoiler
		{"photobooth", []string{}},   // a review flagged as spoilers keeps its title only
		{"flagged", []string{"4:6:2"}},
		{"marmalade", []string{}},  // a pending review
		{"zeppelin", []string{}},   // a draft critic review
		{"lighthouse", []string{}}, // a spoiler block
		{"closing", []string{}},    // after a spoiler block: lost, never leaked
		{"opening", []string{"4:6:4"}},
		{"enchanting", []string{"4:5:1"}}, // a critic review's pull quote
	} {
		if diff := cmp.Diff(tc.want, searchDocs(t, db, tc.query)); diff != "" {
			t.Errorf("search %q (-want +got):\n%s", tc.query, diff)
		}
	}

	// Documents follow their rows.
	mustExec(t, db, `
		UPDATE films SET title = 'Amélie', original_title = '' WHERE id = 1;
		UPDATE reader_reviews SET status = 'rejected' WHERE id = 1;
		DELETE FROM soundtrack_tracks WHERE film_id = 1;
		DELETE FROM person_aliases WHERE person_id = 1;
		UPDATE critic_reviews SET status = 'published', published_at = now() WHERE id = 2;`)
	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"poulain", []string{}},
		{"after", []string{}},
		{"tiersen", []string{}},
		{"j.-p.", []string{}},
		{"zeppelin", []string{"4:5:2"}},
	} {
		if diff := cmp.Diff(tc.want, searchDocs(t, db, tc.query)); diff != "" {
			t.Errorf("after the changes, search %q (-want +got):\n%s", tc.query, diff)
		}
	}
	mustExec(t, db, "DELETE FROM films WHERE id = 1")
	var left int
	if err := db.pool.QueryRow(context.Background(), "SELECT count(*) FROM search_documents WHERE kind <> 2 AND doc / 8 <> 2").Scan(&left); err != nil {
		t.Fatal(err)
	}
	if left != 0 {
		t.Errorf("%d documents of the deleted film's rows are left", left)
	}
}
