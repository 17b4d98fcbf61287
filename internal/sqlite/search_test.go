package sqlite

// These tests sit inside the package so that they can write to the tables
// directly, as the editors, importers and moderation tools of the future
// will, and check that the triggers keep the index in step with every one
// of those writes, not only with the store's own methods.

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"

	"marquee/internal/catalog"
	"marquee/internal/film"
	"marquee/migrations"
	"marquee/seeds"
)

// searchNow is the time searches run at: the day after the seeded reviews
// were published.
var searchNow = time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)

// mustSearchDB opens a new, migrated database file loaded with the seeds.
func mustSearchDB(tb testing.TB) *DB {
	tb.Helper()
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(tb.TempDir(), "marquee.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx, migrations.FS); err != nil {
		tb.Fatal(err)
	}
	doc, err := catalog.DecodeFS(seeds.FS)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := db.Import(ctx, doc.Catalog); err != nil {
		tb.Fatal(err)
	}
	return db
}

// mustExec runs statements on the writer, as any other writer would.
// mustExec runs a write as the store's own writes run: committed and
// counted, so the page reads that follow see it.
func mustExec(tb testing.TB, db *DB, query string, args ...any) sql.Result {
	tb.Helper()
	var res sql.Result
	err := db.inWriteTx(context.Background(), func(tx *sql.Tx) (err error) {
		res, err = tx.ExecContext(context.Background(), query, args...)
		return err
	})
	if err != nil {
		tb.Fatalf("%s: %v", query, err)
	}
	return res
}

func mustInsert(tb testing.TB, db *DB, query string, args ...any) int64 {
	tb.Helper()
	id, err := mustExec(tb, db, query, args...).LastInsertId()
	if err != nil {
		tb.Fatal(err)
	}
	return id
}

// mustSearch searches at searchNow and returns the first page of 100.
func mustSearch(tb testing.TB, db *DB, text string) film.SearchResults {
	tb.Helper()
	return mustSearchAt(tb, db, text, searchNow)
}

func mustSearchAt(tb testing.TB, db *DB, text string, now time.Time) film.SearchResults {
	tb.Helper()
	res, err := db.Search(context.Background(), film.SearchQuery{Text: text, Limit: 100, Now: now})
	if err != nil {
		tb.Fatalf("Search(%q): %v", text, err)
	}
	return res
}

// hitKeys names each hit as kind:key, the key being what its link is built
// from.
func hitKeys(res film.SearchResults) []string {
	keys := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		key := h.Slug
		switch h.Kind {
		case film.SearchCharacter:
			key = h.Title + "@" + h.Film.Slug
		case film.SearchLocation, film.SearchSoundtrack:
			key = h.Film.Slug
		case film.SearchReaderReview:
			key = fmt.Sprint(h.ReviewID)
		}
		keys[i] = string(h.Kind) + ":" + key
	}
	return keys
}

func hasHit(res film.SearchResults, key string) bool {
	for _, k := range hitKeys(res) {
		if k == key {
			return true
		}
	}
	return false
}

func TestMatchExpression(t *testing.T) {
	tests := []struct{ in, want string }{
		{"cedric", `"cedric"*`},
		{"Cédric  KLAPISCH", `"cédric"* "klapisch"*`},
		{`"cabaret dancer"`, `"cabaret dancer"`},
		{`“cabaret dancer”`, `"cabaret dancer"`},
		{`sacré-coeur`, `"sacré coeur"*`},
		{`sacre "coeur`, `"sacre"* "coeur"`},
		{"cœur", `"coeur"*`},
		{"Straße", `"strasse"*`},
		{"Ce\u0301dric", `"cedric"*`},
		{`paris"`, `"paris"*`},
		{`"paris`, `"paris"`},
		{`""`, ``},
		{`"`, ``},
		{"NEAR(", `"near"*`},
		{"NEAR(paris klapisch, 2)", `"near paris"* "klapisch"* "2"`},
		{"AND OR NOT", `"and"* "or"* "not"*`},
		{"title:x", `"title x"`},
		{"a", `"a"`},
		{"paris paris PARIS", `"paris"*`},
		{"(((", ``},
		{"*", ``},
		{"-", ``},
		{"^", ``},
		{"-paris +klap^2", `"paris"* "klap 2"`},
		{"\xff\xfe", ``},
		{"pa\xffris", `"pa"* "ris"*`},
		{"🎬🍿", ``},
		{"🎬paris", `"paris"*`},
		{"?!.,;:'()[]{}<>", ``},
		{"   \t\n ", ``},
		{"o'brien", `"o brien"*`},
		{"2008", `"2008"*`},
		{strings.Repeat("a", 10000), `"` + strings.Repeat("a", film.MaxSearchRunes) + `"*`},
		{strings.Repeat("w ", 20) + "x y z", `"w" "x" "y" "z"`},
		{"one two three four five six seven eight nine ten eleven twelve thirteen",
			`"one"* "two"* "three"* "four"* "five"* "six"* "seven"* "eight"* "nine"* "ten"* "eleven"* "twelve"*`},
	}
	for _, tt := range tests {
		if got := matchExpression(film.ParseSearch(tt.in)); got != tt.want {
			t.Errorf("matchExpression(ParseSearch(%.40q)) = %.80s, want %.80s", tt.in, got, tt.want)
		}
	}
}

func TestSearchForgivesAccentsCaseAndPrefixes(t *testing.T) {
	db := mustSearchDB(t)
	tests := []struct{ query, want string }{
		{"cedric", "person:cedric-klapisch"},
		{"CÉDRIC klapisch", "person:cedric-klapisch"},
		{"klap", "person:cedric-klapisch"},
		{"loic", "person:loik-dury"}, // an other spelling
		{"elise", "character:Élise@paris-2008"},
		{"ÉLISE", "character:Élise@paris-2008"},
		{"sacre coeur", "location:paris-2008"},
		{"sacré-cœur", "location:paris-2008"},
		{"montmartre", "location:paris-2008"},
		{"paris", "film:paris-2008"},
		{"2008", "film:paris-2008"},
		{"boulangere", "character:La boulangère@paris-2008"},
		{`"cabaret dancer"`, "critic-review:paris-2008-review"},
		{"dancer cabaret", "critic-review:paris-2008-review"},
		{"satie truffaut", "reader-review:1"},
		{"finest movie", "reader-review:1"},
		{"love letter", "critic-review:paris-2008-review"},
		{"marquee staff", "critic-review:paris-2008-review"},
	}
	for _, tt := range tests {
		res := mustSearch(t, db, tt.query)
		if !hasHit(res, tt.want) {
			t.Errorf("Search(%q) = %v, want a hit %s", tt.query, hitKeys(res), tt.want)
		}
	}
	// A quoted phrase matches its words in order only.
	if res := mustSearch(t, db, `"dancer cabaret"`); len(res.Hits) != 0 {
		t.Errorf(`Search("dancer cabaret" quoted) = %v, want nothing`, hitKeys(res))
	}
	// Only bare words match as prefixes.
	if res := mustSearch(t, db, `"klap"`); len(res.Hits) != 0 {
		t.Errorf(`Search("klap" quoted) = %v, want nothing`, hitKeys(res))
	}
}

func TestSearchHitDetails(t *testing.T) {
	db := mustSearchDB(t)
	res := mustSearch(t, db, "cedric")
	if len(res.Hits) == 0 {
		t.Fatal("no hits")
	}
	h := res.Hits[0]
	if h.Kind != film.SearchPerson || h.Title != "Cédric Klapisch" || h.Film.Slug != "paris-2008" || h.Role != film.RoleDirector {
		t.Errorf("first hit for cedric = %+v, want the person, directing Paris", h)
	}

	res = mustSearch(t, db, "loic")
	if len(res.Hits) == 0 || res.Hits[0].Title != "Loïk Dury" || !cmp.Equal(res.Hits[0].Also, []string{"Loïc Dury"}) {
		t.Errorf("hits for loic = %+v, want Loïk Dury also known as Loïc Dury", res.Hits)
	}

	res = mustSearch(t, db, "elise")
	for _, h := range res.Hits {
		if h.Kind == film.SearchCharacter && (h.Person != "Juliette Binoche" || h.PersonSlug != "juliette-binoche" || h.Film.Title != "Paris") {
			t.Errorf("character hit = %+v, want Élise played by Juliette Binoche in Paris", h)
		}
	}

	res = mustSearch(t, db, "sacre coeur")
	if len(res.Hits) != 1 || len(res.Hits[0].Locations) != 1 || res.Hits[0].Locations[0].Place != "Basilique du Sacré-Coeur" {
		t.Errorf("hits for sacre coeur = %+v", res.Hits)
	}

	res = mustSearch(t, db, "truffaut")
	if len(res.Hits) != 1 || res.Hits[0].Position != 0 || res.Hits[0].Film.Slug != "paris-2008" || res.Hits[0].Body == "" {
		t.Errorf("hits for truffaut = %+v, want the seeded reader review, first of its film, with its body", res.Hits)
	}
}

func TestSearchRanksTitlesBeforePeopleBeforeText(t *testing.T) {
	db := mustSearchDB(t)
	filmID := mustInsert(t, db, "INSERT INTO films (slug, title, year) VALUES ('paris-je-t-aime', 'Paris, je t''aime', 2006)")
	mustInsert(t, db, "INSERT INTO people (slug, name) VALUES ('paris-hilton', 'Paris Hilton')")
	for i := range 3 {
		mustInsert(t, db, `INSERT INTO reader_reviews (film_id, display_name, title, rating, body, status, created_at)
			VALUES (?, 'R', 'Paris Paris Paris', 8, 'Paris, Paris and Paris again.', 'approved', ?)`,
			filmID, fmt.Sprintf("2026-11-0%dT00:00:00Z", i+1))
	}
	res := mustSearch(t, db, "paris")
	rank := map[film.SearchKind]int{
		film.SearchFilm: 0, film.SearchPerson: 1, film.SearchCharacter: 2, film.SearchLocation: 2, film.SearchSoundtrack: 2,
		film.SearchCriticReview: 3, film.SearchReaderReview: 3,
	}
	keys := hitKeys(res)
	for i := 1; i < len(res.Hits); i++ {
		if rank[res.Hits[i].Kind] < rank[res.Hits[i-1].Kind] {
			t.Errorf("hits for paris out of order at %d: %v", i, keys)
		}
	}
	if len(keys) < 7 || keys[0] != "film:paris-2008" || keys[1] != "film:paris-je-t-aime" || keys[2] != "person:paris-hilton" {
		t.Errorf("hits for paris = %v, want the films (exact title first), then the person, then the rest", keys)
	}
	if res.Total != len(res.Hits) {
		t.Errorf("Total = %d, want %d", res.Total, len(res.Hits))
	}
}

func TestSearchPages(t *testing.T) {
	db := mustSearchDB(t)
	filmID := mustInsert(t, db, "INSERT INTO films (slug, title, year) VALUES ('zebra-film', 'Zebra', 2001)")
	for i := range 45 {
		mustInsert(t, db, `INSERT INTO reader_reviews (film_id, display_name, title, rating, body, status, created_at)
			VALUES (?, 'R', ?, 8, 'A zebra of a film.', 'approved', ?)`,
			filmID, fmt.Sprintf("Review %d", i), time.Date(2026, 1, 1, 0, i, 0, 0, time.UTC).Format(timeLayout))
	}
	seen := map[string]bool{}
	var pages [][]string
	for offset := 0; offset < 60; offset += 20 {
		res, err := db.Search(context.Background(), film.SearchQuery{Text: "zebra", Offset: offset, Limit: 20, Now: searchNow})
		if err != nil {
			t.Fatal(err)
		}
		if res.Total != 46 {
			t.Errorf("offset %d: Total = %d, want 46 (the film and 45 reviews)", offset, res.Total)
		}
		keys := hitKeys(res)
		pages = append(pages, keys)
		for _, k := range keys {
			if seen[k] {
				t.Errorf("offset %d repeats %s", offset, k)
			}
			seen[k] = true
		}
	}
	if len(pages[0]) != 20 || len(pages[1]) != 20 || len(pages[2]) != 6 || pages[0][0] != "film:zebra-film" {
		t.Errorf("pages = %v, want 20, 20 and 6 hits, the film first", pages)
	}
	// Position locates each reader review in its film's newest-first list.
	res := mustSearch(t, db, `"review 44"`)
	if len(res.Hits) != 1 || res.Hits[0].Position != 0 {
		t.Errorf("newest review: %+v, want position 0", res.Hits)
	}
	res = mustSearch(t, db, `"review 0"`)
	if len(res.Hits) != 1 || res.Hits[0].Position != 44 {
		t.Errorf("oldest review: %+v, want position 44", res.Hits)
	}
}

func TestSearchAnswersAnyInput(t *testing.T) {
	db := mustSearchDB(t)
	inputs := []string{
		``, ` `, `"`, `""`, `"""`, `paris"`, `"paris`, `NEAR(`, `NEAR(paris, 2)`, `NEAR("a" "b")`, `*`, `-`, `^`, `+`,
		`AND OR NOT`, `AND`, `paris AND`, `OR paris`, `NOT paris`, `title:x`, `name:paris`, `{name}: paris`, `(((`, `)))`,
		`paris*`, `*paris`, `"paris"*`, `pa"ris`, `'`, `\`, `\"`, `%`, `_`, `;DROP TABLE films;--`,
		strings.Repeat("a", 10000), strings.Repeat("a ", 5000), strings.Repeat(`"`, 10000), strings.Repeat("(", 10000),
		strings.Repeat("é", 10000), "\xff\xfe", "\x00", "a\x00b", "\u202e", "🎬", "🎬 paris 🍿", "?!.,", "\uFFFD", "\uE000mark\uE001",
		"ﷺ", "パリ", "Пари", "$1", "?1", ":name", "@name",
	}
	for _, in := range inputs {
		res, err := db.Search(context.Background(), film.SearchQuery{Text: in, Limit: 20, Now: searchNow})
		if err != nil {
			t.Errorf("Search(%.30q): %v", in, err)
			continue
		}
		if res.Total < len(res.Hits) {
			t.Errorf("Search(%.30q): Total %d < %d hits", in, res.Total, len(res.Hits))
		}
		if _, err := db.Suggest(context.Background(), in, 8); err != nil {
			t.Errorf("Suggest(%.30q): %v", in, err)
		}
	}
	if res := mustSearch(t, db, "🎬 paris 🍿"); !hasHit(res, "film:paris-2008") {
		t.Errorf("emoji around a word: %v", hitKeys(res))
	}
}

func TestSearchIndexFollowsFilmsAndPeople(t *testing.T) {
	db := mustSearchDB(t)
	found := func(query, key string) bool { t.Helper(); return hasHit(mustSearch(t, db, query), key) }

	filmID := mustInsert(t, db, "INSERT INTO films (slug, title, original_title, year) VALUES ('samourai', 'Le Samouraï', 'Le Samouraï', 1967)")
	if !found("samourai", "film:samourai") || !found("1967", "film:samourai") {
		t.Error("a new film is not found")
	}
	mustExec(t, db, "UPDATE films SET title = 'The Godson', original_title = 'Le Samouraï' WHERE id = ?", filmID)
	if !found("godson", "film:samourai") || !found("samourai", "film:samourai") {
		t.Error("a renamed film is not found by its new title and original title")
	}
	mustExec(t, db, "UPDATE films SET original_title = '' WHERE id = ?", filmID)
	if found("samourai", "film:samourai") {
		t.Error("a film is still found by its old original title")
	}

	personID := mustInsert(t, db, "INSERT INTO people (slug, name) VALUES ('alain-delon', 'Alain Delon')")
	if !found("delon", "person:alain-delon") {
		t.Error("a new person is not found")
	}
	mustExec(t, db, "UPDATE people SET name = 'Alain Fabien Delon' WHERE id = ?", personID)
	if !found("fabien", "person:alain-delon") {
		t.Error("a renamed person is not found by the new name")
	}
	mustExec(t, db, "INSERT INTO person_aliases (person_id, position, name) VALUES (?, 0, 'Monsieur Zorro')", personID)
	if !found("zorro", "person:alain-delon") || !found("fabien", "person:alain-delon") {
		t.Error("a person is not found by a new alias and their name")
	}
	mustExec(t, db, "UPDATE person_aliases SET name = 'Il Gattopardo' WHERE person_id = ?", personID)
	if found("zorro", "person:alain-delon") || !found("gattopardo", "person:alain-delon") {
		t.Error("a changed alias is not followed")
	}
	mustExec(t, db, "DELETE FROM person_aliases WHERE person_id = ?", personID)
	if found("gattopardo", "person:alain-delon") {
		t.Error("a person is still found by a deleted alias")
	}

	creditID := mustInsert(t, db, `INSERT INTO credits (film_id, person_id, role, character, billing) VALUES (?, ?, 'cast', 'Jef Costello', 1)`, filmID, personID)
	if !found("costello", "character:Jef Costello@samourai") {
		t.Error("a new character is not found")
	}
	mustExec(t, db, "UPDATE credits SET character = 'Le Samouraï' WHERE id = ?", creditID)
	if found("costello", "character:Jef Costello@samourai") || !found("samourai", "character:Le Samouraï@samourai") {
		t.Error("a renamed character is not followed")
	}
	mustExec(t, db, "DELETE FROM credits WHERE id = ?", creditID)
	if found("samourai", "character:Le Samouraï@samourai") {
		t.Error("a deleted credit's character is still found")
	}
	mustExec(t, db, "INSERT INTO credits (film_id, person_id, role, billing) VALUES (?, ?, 'director', 0)", filmID, personID)

	mustExec(t, db, "INSERT INTO filming_locations (film_id, position, place, address) VALUES (?, 0, 'Gare d''Austerlitz', 'Paris')", filmID)
	mustExec(t, db, "INSERT INTO filming_locations (film_id, position, place) VALUES (?, 1, 'Studios Jenner')", filmID)
	if !found("austerlitz", "location:samourai") || !found("jenner", "location:samourai") {
		t.Error("new filming locations are not found")
	}
	mustExec(t, db, "UPDATE filming_locations SET place = 'Métro Télégraphe' WHERE film_id = ? AND position = 0", filmID)
	if found("austerlitz", "location:samourai") || !found("telegraphe", "location:samourai") {
		t.Error("a changed filming location is not followed")
	}
	mustExec(t, db, "DELETE FROM filming_locations WHERE film_id = ? AND position = 1", filmID)
	if found("jenner", "location:samourai") || !found("telegraphe", "location:samourai") {
		t.Error("a deleted filming location is still found, or its sibling lost")
	}

	reviewID := mustInsert(t, db, `INSERT INTO reader_reviews (film_id, display_name, title, rating, body, status, created_at)
		VALUES (?, 'R', 'Cold as ice', 9, 'Melville at his most glacial.', 'approved', '2026-01-01T00:00:00Z')`, filmID)
	if !found("glacial", fmt.Sprint("reader-review:", reviewID)) {
		t.Error("an approved review is not found")
	}

	// Deleting the film takes its credits, locations and reviews with it,
	// and every one of their documents.
	mustExec(t, db, "DELETE FROM films WHERE id = ?", filmID)
	for _, q := range []string{"godson", "telegraphe", "glacial", "cold ice", "1967"} {
		if res := mustSearch(t, db, q); len(res.Hits) != 0 {
			t.Errorf("after deleting the film, %q finds %v", q, hitKeys(res))
		}
	}
	mustExec(t, db, "INSERT INTO person_aliases (person_id, position, name) VALUES (?, 0, 'Monsieur Zorro')", personID)
	mustExec(t, db, "DELETE FROM people WHERE id = ?", personID)
	for _, q := range []string{"delon", "zorro"} {
		if res := mustSearch(t, db, q); len(res.Hits) != 0 {
			t.Errorf("after deleting the person, %q finds %v", q, hitKeys(res))
		}
	}
	mustIntegrity(t, db)
}

func TestSearchIndexFollowsModeration(t *testing.T) {
	db := mustSearchDB(t)
	var filmID int64
	if err := db.write.QueryRow("SELECT id FROM films WHERE slug = 'paris-2008'").Scan(&filmID); err != nil {
		t.Fatal(err)
	}
	id := mustInsert(t, db, `INSERT INTO reader_reviews (film_id, display_name, title, rating, body, status, created_at)
		VALUES (?, 'R', 'Quixotic', 7, 'A xylophone of a film.', 'pending', '2026-11-20T10:00:00Z')`, filmID)
	key := fmt.Sprint("reader-review:", id)
	step := func(what string, want bool) {
		t.Helper()
		for _, q := range []string{"xylophone", "quixotic"} {
			if got := hasHit(mustSearch(t, db, q), key); got != want {
				t.Errorf("%s: %q found = %v, want %v", what, q, got, want)
			}
		}
	}
	step("pending", false)
	mustExec(t, db, "UPDATE reader_reviews SET status = 'approved' WHERE id = ?", id)
	step("approved", true)
	mustExec(t, db, "UPDATE reader_reviews SET helpful_count = helpful_count + 1 WHERE id = ?", id)
	step("voted helpful", true)
	mustExec(t, db, "UPDATE reader_reviews SET body = 'A marimba of a film.' WHERE id = ?", id)
	if !hasHit(mustSearch(t, db, "marimba"), key) || hasHit(mustSearch(t, db, "xylophone"), key) {
		t.Error("an edited review body is not followed")
	}
	mustExec(t, db, "UPDATE reader_reviews SET status = 'rejected' WHERE id = ?", id)
	if hasHit(mustSearch(t, db, "marimba"), key) || hasHit(mustSearch(t, db, "quixotic"), key) {
		t.Error("a rejected review is still found")
	}
	mustExec(t, db, "UPDATE reader_reviews SET status = 'approved' WHERE id = ?", id)
	mustExec(t, db, "UPDATE reader_reviews SET status = 'spam' WHERE id = ?", id)
	if hasHit(mustSearch(t, db, "quixotic"), key) {
		t.Error("a review marked spam is still found")
	}
	mustExec(t, db, "UPDATE reader_reviews SET status = 'approved' WHERE id = ?", id)
	mustExec(t, db, "DELETE FROM reader_reviews WHERE id = ?", id)
	if hasHit(mustSearch(t, db, "quixotic"), key) {
		t.Error("a deleted review is still found")
	}

	// Critic reviews: drafts and reviews in review are private; scheduled
	// ones become public at their time.
	cid := mustInsert(t, db, `INSERT INTO critic_reviews (slug, film_id, headline, author, body, status)
		VALUES ('vertiginous', ?, 'Vertiginous heights', 'A. Critic', 'Klapisch films the zinc roofs.', 'draft')`, filmID)
	ckey := "critic-review:vertiginous"
	critic := func(what string, now time.Time, want bool) {
		t.Helper()
		for _, q := range []string{"vertiginous", "zinc roofs"} {
			if got := hasHit(mustSearchAt(t, db, q, now), ckey); got != want {
				t.Errorf("%s: %q found = %v, want %v", what, q, got, want)
			}
		}
	}
	critic("draft", searchNow, false)
	mustExec(t, db, "UPDATE critic_reviews SET status = 'in_review' WHERE id = ?", cid)
	critic("in review", searchNow, false)
	mustExec(t, db, "UPDATE critic_reviews SET status = 'scheduled', published_at = '2026-12-01T08:00:00Z' WHERE id = ?", cid)
	critic("scheduled, before its time", searchNow, false)
	critic("scheduled, at its time", time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC), true)
	mustExec(t, db, "UPDATE critic_reviews SET status = 'published', published_at = '2026-11-01T08:00:00Z' WHERE id = ?", cid)
	critic("published", searchNow, true)
	mustExec(t, db, "UPDATE critic_reviews SET status = 'draft' WHERE id = ?", cid)
	critic("unpublished", searchNow, false)
	mustExec(t, db, "UPDATE critic_reviews SET status = 'published' WHERE id = ?", cid)
	mustExec(t, db, "DELETE FROM critic_reviews WHERE id = ?", cid)
	critic("deleted", searchNow, false)
	mustIntegrity(t, db)
}

func TestSearchKeepsSpoilersOut(t *testing.T) {
	db := mustSearchDB(t)
	var filmID int64
	if err := db.write.QueryRow("SELECT id FROM films WHERE slug = 'paris-2008'").Scan(&filmID); err != nil {
		t.Fatal(err)
	}
	reader := func(body string, spoilers bool) int64 {
		return mustInsert(t, db, `INSERT INTO reader_reviews (film_id, display_name, title, rating, body, spoilers, status, created_at)
			VALUES (?, 'R', 'Plain title', 7, ?, ?, 'approved', '2026-11-20T10:00:00Z')`, filmID, body, spoilers)
	}
	reader("Visible opening. ||Pierre gets his zanzibar heart.|| Visible ending.", false)
	reader("Before.\n\n::: spoiler\nThe quokka survives.\n:::\n\nAfter.", false)
	reader("Nested ::: ||inside the ocelot|| and ||more|| wombat", false)
	reader("Odd pipes ||| capybara ||| and || an unclosed narwhal", false)
	reader("Spoiler-flagged throughout: the axolotl dies.", true)
	reader("A NUL \x00 hides the pangolin ||really||.", false)
	mustInsert(t, db, `INSERT INTO critic_reviews (slug, film_id, headline, author, pull_quote, body, spoilers, status, published_at)
		VALUES ('flagged', ?, 'Headline shown', 'A. Critic', 'Pull quote shown', 'The okapi is the killer.', 1, 'published', '2026-11-01T00:00:00Z')`, filmID)

	for _, q := range []string{"zanzibar", "quokka", "ocelot", "wombat", "capybara", "axolotl", "okapi", "pangolin", "really"} {
		if res := mustSearch(t, db, q); len(res.Hits) != 0 {
			t.Errorf("spoiler word %q finds %v", q, hitKeys(res))
		}
	}
	// What lies outside the spoilers stays findable.
	for _, q := range []string{"visible opening", "visible ending", "before", "after", "nested", "odd pipes", "narwhal",
		"headline shown", "pull quote shown"} {
		if res := mustSearch(t, db, q); len(res.Hits) == 0 {
			t.Errorf("%q finds nothing", q)
		}
	}
	// Flagged reviews are found by their titles, but their bodies are
	// never handed out to be quoted.
	for _, q := range []string{"plain title", "headline shown"} {
		for _, h := range mustSearch(t, db, q).Hits {
			if h.Spoilers && h.Body != "" {
				t.Errorf("%q: a spoiler-flagged review came with its body: %+v", q, h)
			}
		}
	}
}

// mustIntegrity runs FTS5's own check of each index.
func mustIntegrity(tb testing.TB, db *DB) {
	tb.Helper()
	for _, table := range []string{"search_films", "search_people", "search_names", "search_reviews"} {
		mustExec(tb, db, "INSERT INTO "+table+" ("+table+") VALUES ('integrity-check')")
	}
}

func TestSuggest(t *testing.T) {
	db := mustSearchDB(t)
	mustInsert(t, db, "INSERT INTO films (slug, title, year) VALUES ('klapisch-film', 'Klapschmidt', 2020)")
	tests := []struct {
		text string
		want []string
	}{
		{"kla", []string{"film:klapisch-film", "person:cedric-klapisch"}},
		{"Cédric Kl", []string{"person:cedric-klapisch"}},
		{"par", []string{"film:paris-2008"}},
		{"elise", nil},       // characters are not suggested
		{"montmartre", nil},  // nor places
		{"love letter", nil}, // nor reviews
		{"synopsis", nil},    // nor anything in context columns
		{"2008", nil},        // the year is context, not a name
		{"", nil},            // nothing to suggest
		{`"`, nil},           // nor here
		{"loïc", []string{"person:loik-dury"}},
	}
	for _, tt := range tests {
		hits, err := db.Suggest(context.Background(), tt.text, 8)
		if err != nil {
			t.Fatal(err)
		}
		got := hitKeys(film.SearchResults{Hits: hits})
		if len(got) == 0 {
			got = nil
		}
		if !cmp.Equal(got, tt.want) {
			t.Errorf("Suggest(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
	hits, err := db.Suggest(context.Background(), "a", 3)
	if err != nil || len(hits) > 3 {
		t.Errorf("Suggest(a, 3) = %d hits, %v", len(hits), err)
	}
}

// TestSearchQueriesUseTheIndex checks the plan of every query a search
// runs: the virtual tables answer the MATCH, and any other table is only
// looked up by key, so the cost grows with the matches, not the catalogue.
// The views the triggers read are checked the same way.
func TestSearchQueriesUseTheIndex(t *testing.T) {
	db := mustSearchDB(t)
	queries := map[string][]any{}
	for _, tier := range searchTiers {
		queries[tier.count] = []any{`"paris"*`, "2026-01-01T00:00:00Z", 1000}
		queries[tier.page] = []any{`"paris"*`, "2026-01-01T00:00:00Z", 1000, 20, 0}
	}
	for _, view := range []string{"search_film_docs", "search_person_docs", "search_character_docs", "search_location_docs",
		"search_critic_review_docs", "search_reader_review_docs"} {
		queries["SELECT * FROM "+view+" WHERE id = ?"] = []any{1}
	}
	for query, args := range queries {
		rows, err := db.read.Query("EXPLAIN QUERY PLAN "+query, args...)
		if err != nil {
			t.Fatalf("%s: %v", query, err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, notused int
			var detail string
			if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		usesFTS := strings.Contains(query, "MATCH")
		sawFTS := false
		for _, step := range plan {
			switch {
			case strings.Contains(step, "VIRTUAL TABLE INDEX"):
				sawFTS = true
			case strings.HasPrefix(step, "SCAN (subquery-"), step == "SCAN search_location_docs":
				// Reading back a subquery's (or the location view's
				// aggregate's) own rows, produced by the steps above.
			case strings.HasPrefix(step, "SCAN "):
				t.Errorf("plan scans a table: %q\nquery: %s\nplan: %q", step, query, plan)
			}
		}
		if usesFTS && !sawFTS {
			t.Errorf("plan does not use the full-text index\nquery: %s\nplan: %q", query, plan)
		}
	}
}

// BenchmarkSearchAtScale times searches and suggestions over a catalogue of
// the size the site must serve (100,000 films, 300,000 people, 1,000,000
// reader reviews), each query on the first page of results, the second,
// and the last a search can reach, and reports how many results each
// query finds. The catalogue takes minutes to build, so the benchmark runs
// only when MARQUEE_SEARCH_SCALE is set (to a directory to keep the
// database in, where the next run finds it, or to 1 for a temporary one):
//
//	MARQUEE_SEARCH_SCALE=$HOME/marquee-scale go test -tags sqlite_fts5 -run '^$' -bench SearchAtScale ./internal/sqlite/
func BenchmarkSearchAtScale(b *testing.B) {
	dir := os.Getenv("MARQUEE_SEARCH_SCALE")
	if dir == "" {
		b.Skip("set MARQUEE_SEARCH_SCALE to build a full-size catalogue and time searches")
	}
	if dir == "1" {
		dir = b.TempDir()
	}
	ctx := context.Background()
	path := filepath.Join(dir, "scale.db")
	_, statErr := os.Stat(path)
	db, err := Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(ctx, migrations.FS); err != nil {
		b.Fatal(err)
	}
	if statErr != nil {
		start := time.Now()
		if err := fillScale(ctx, db); err != nil {
			b.Fatal(err)
		}
		b.Logf("built in %s", time.Since(start).Round(time.Second))
	}
	for _, q := range []struct{ name, text string }{
		{"paris", "paris"}, {"the", "the"}, {"film", "film"}, {"a", "a"}, {"ma", "ma"}, {"klap", "klap"},
		{"marie-dubois", "marie dubois"}, {"quoted-the-film", `"the film"`}, {"zz", "zz"},
		{"lorem-ipsum-dolor", "lorem ipsum dolor"}, {"sacre-coeur", "sacre coeur"},
		{"10000-letters", strings.Repeat("a", 10000)}, {"zanzibar", "zanzibar"},
	} {
		// The first page, the second, and the last a search can reach.
		for _, page := range []int{1, 2, film.MaxSearchResults / 20} {
			b.Run(fmt.Sprintf("Search/%s/page=%d", q.name, page), func(b *testing.B) {
				query := film.SearchQuery{Text: q.text, Offset: (page - 1) * 20, Limit: 20, Now: searchNow}
				var res film.SearchResults
				for b.Loop() {
					if res, err = db.Search(ctx, query); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(res.Total), "results")
			})
		}
		b.Run("Suggest/"+q.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := db.Suggest(ctx, q.text, 8); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// fillScale writes a synthetic catalogue of the required size through the
// triggers, as an import would.
func fillScale(ctx context.Context, db *DB) error {
	rng := rand.New(rand.NewPCG(1, 2))
	syllables := strings.Fields("ka lo mi ne ta ri su pe do va le ro ma ni co ba tu se fi ga")
	common := strings.Fields("the a of and to in is film it that with as his her but this for on paris love city night")
	zipf := rand.NewZipf(rng, 1.1, 2, 20000)
	word := func() string {
		n := zipf.Uint64()
		if n < uint64(len(common)) && rng.IntN(2) == 0 {
			return common[n]
		}
		var b strings.Builder
		for n > 0 || b.Len() == 0 {
			b.WriteString(syllables[n%uint64(len(syllables))])
			n /= uint64(len(syllables))
		}
		return b.String()
	}
	words := func(n int) string {
		w := make([]string, n)
		for i := range w {
			w[i] = word()
		}
		return strings.Join(w, " ")
	}
	firsts := strings.Fields("Marie Jean Pierre Anne Louis Claire Paul Sophie Luc Julie Hugo Léa Émile Chloé Noé Zoé")
	lasts := strings.Fields("Dubois Martin Bernard Petit Durand Leroy Moreau Simon Laurent Lefèvre Michel Garcia Roux Fournier")
	return db.inWriteTx(ctx, func(tx *sql.Tx) error {
		const people, films, reviews = 300_000, 100_000, 1_000_000
		for i := 1; i <= people; i++ {
			name := firsts[rng.IntN(len(firsts))] + " " + lasts[rng.IntN(len(lasts))] + " " + capitalize(word())
			if _, err := tx.ExecContext(ctx, "INSERT INTO people (id, slug, name) VALUES (?, ?, ?)", i, fmt.Sprint("p-", i), name); err != nil {
				return err
			}
		}
		for i := 1; i <= films; i++ {
			if _, err := tx.ExecContext(ctx, "INSERT INTO films (id, slug, title, year, synopsis) VALUES (?, ?, ?, ?, ?)",
				i, fmt.Sprint("f-", i), capitalize(words(1+rng.IntN(4))), 1900+rng.IntN(125), words(30)); err != nil {
				return err
			}
			for j := range 6 {
				role, character := "cast", capitalize(word())
				if j == 0 {
					role, character = "director", ""
				}
				if _, err := tx.ExecContext(ctx, "INSERT OR IGNORE INTO credits (film_id, person_id, role, character, billing) VALUES (?, ?, ?, ?, ?)",
					i, 1+rng.IntN(people), role, character, j); err != nil {
					return err
				}
			}
			if _, err := tx.ExecContext(ctx, "INSERT INTO filming_locations (film_id, position, place, address) VALUES (?, 0, ?, ?)",
				i, capitalize(words(2)), capitalize(words(3))); err != nil {
				return err
			}
		}
		for i := 1; i <= reviews; i++ {
			if _, err := tx.ExecContext(ctx, `INSERT INTO reader_reviews (film_id, display_name, title, rating, body, status, created_at)
				VALUES (?, 'Reader', ?, ?, ?, 'approved', ?)`, 1+rng.IntN(films), words(4), 1+rng.IntN(10), words(40+rng.IntN(80)),
				time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i)*time.Minute).Format(timeLayout)); err != nil {
				return err
			}
		}
		return nil
	})
}

// capitalize upper-cases the first letter of each word.
func capitalize(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		words[i] = strings.ToUpper(w[:1]) + w[1:]
	}
	return strings.Join(words, " ")
}

func TestSearchFindsSoundtrackTracksAndArtists(t *testing.T) {
	db := mustSearchDB(t)
	// The seeded soundtrack, indexed by the migration's backfill and the
	// import's writes.
	for _, q := range []string{"gnossienne", "wax tailor", "satie"} {
		res := mustSearch(t, db, q)
		if !hasHit(res, "soundtrack:paris-2008") {
			t.Errorf("search %q = %v, want the soundtrack of Paris", q, hitKeys(res))
		}
	}
	res := mustSearch(t, db, "gnossienne")
	var h film.SearchHit
	for _, x := range res.Hits {
		if x.Kind == film.SearchSoundtrack {
			h = x
		}
	}
	if h.Film.Title != "Paris" || h.Title == "" || len(h.Tracks) < 2 {
		t.Fatalf("soundtrack hit = %+v, want the album of Paris with its tracks", h)
	}
	found := false
	for _, tr := range h.Tracks {
		found = found || strings.Contains(tr.Title, "Gnossienne")
	}
	if !found {
		t.Errorf("tracks %+v lack the Gnossienne", h.Tracks)
	}

	// The index follows every write to albums and tracks.
	filmID := mustInsert(t, db, "INSERT INTO films (slug, title, year) VALUES ('amelie', 'Amélie', 2001)")
	has := func(q string) bool { t.Helper(); return hasHit(mustSearch(t, db, q), "soundtrack:amelie") }
	mustExec(t, db, "INSERT INTO soundtracks (film_id, title) VALUES (?, 'Le Fabuleux Destin')", filmID)
	if has("fabuleux") {
		t.Error("an album without tracks is found")
	}
	mustExec(t, db, "INSERT INTO soundtrack_tracks (film_id, number, artist, title) VALUES (?, 1, 'Yann Tiersen', 'Comptine d''un autre été')", filmID)
	mustExec(t, db, "INSERT INTO soundtrack_tracks (film_id, number, artist, title) VALUES (?, 2, 'Yann Tiersen', 'La Valse d''Amélie')", filmID)
	if !has("tiersen") || !has("comptine") || !has("valse") || !has("fabuleux") {
		t.Error("new tracks are not found by title, artist or album")
	}
	mustExec(t, db, "UPDATE soundtrack_tracks SET artist = 'Lisa Germano' WHERE film_id = ? AND number = 2", filmID)
	if !has("germano") || !has("tiersen") {
		t.Error("a changed artist is not followed, or its sibling lost")
	}
	mustExec(t, db, "DELETE FROM soundtrack_tracks WHERE film_id = ? AND number = 1", filmID)
	if has("comptine") || !has("valse") {
		t.Error("a deleted track is still found, or its sibling lost")
	}
	mustExec(t, db, "UPDATE soundtracks SET title = 'Amélie Deluxe Edition' WHERE film_id = ?", filmID)
	if has("fabuleux") || !has("deluxe") {
		t.Error("a renamed album is not followed")
	}
	mustExec(t, db, "DELETE FROM films WHERE id = ?", filmID)
	for _, q := range []string{"valse", "germano", "deluxe"} {
		if res := mustSearch(t, db, q); len(res.Hits) != 0 {
			t.Errorf("after deleting the film, %q finds %v", q, hitKeys(res))
		}
	}
	mustIntegrity(t, db)
}

// TestSoundtrackMigrationIndexesStoredSoundtracks runs the migrations up to
// the one before soundtrack search on a database that already holds a
// soundtrack, then the rest: migration 0011 indexes what was stored.
func TestSoundtrackMigrationIndexesStoredSoundtracks(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "marquee.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	entries, err := fs.ReadDir(migrations.FS, ".")
	if err != nil {
		t.Fatal(err)
	}
	before := fstest.MapFS{}
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".sql") && e.Name() < "0011" {
			data, err := fs.ReadFile(migrations.FS, e.Name())
			if err != nil {
				t.Fatal(err)
			}
			before[e.Name()] = &fstest.MapFile{Data: data}
		}
	}
	if _, err := db.Migrate(ctx, before); err != nil {
		t.Fatal(err)
	}
	filmID := mustInsert(t, db, "INSERT INTO films (slug, title, year) VALUES ('amelie', 'Amélie', 2001)")
	mustExec(t, db, "INSERT INTO soundtracks (film_id, title) VALUES (?, 'Le Fabuleux Destin')", filmID)
	mustExec(t, db, "INSERT INTO soundtrack_tracks (film_id, number, artist, title) VALUES (?, 1, 'Yann Tiersen', 'Comptine d''un autre été')", filmID)
	if _, err := db.Migrate(ctx, migrations.FS); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"comptine", "tiersen"} {
		if res := mustSearch(t, db, q); !hasHit(res, "soundtrack:amelie") {
			t.Errorf("after the migration, %q finds %v, want the stored soundtrack", q, hitKeys(res))
		}
	}
}
