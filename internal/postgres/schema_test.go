package postgres

import (
	"context"
	"errors"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

// mustExec runs statements for a test's setup.
func mustExec(tb testing.TB, db *DB, sql string, args ...any) {
	tb.Helper()
	if _, err := db.pool.Exec(context.Background(), sql, args...); err != nil {
		tb.Fatalf("%s: %v", sql, err)
	}
}

// fixture is one film, one person and three readers, in the migrated
// schema.
const fixture = `
	INSERT INTO films (id, slug, title, year) VALUES (1, 'amelie', 'Le Fabuleux Destin d''Amélie Poulain', 2001);
	INSERT INTO people (id, slug, name, birth_date) VALUES (1, 'jean-pierre-jeunet', 'Jean-Pierre Jeunet', '1953-09-03');
	INSERT INTO readers (id, token_hash, created_at) VALUES
		(1, decode(repeat('01', 32), 'hex'), now()),
		(2, decode(repeat('02', 32), 'hex'), now()),
		(3, decode(repeat('03', 32), 'hex'), now());
	INSERT INTO users (id, email, name, role, password_hash, created_at)
		VALUES (1, 'Editor@Example.com', 'Editor', 'editor', '$argon2id$v=19$m=65536,t=1,p=4$c2FsdA$aGFzaA', now());`

// TestSchemaRefusesBadRows writes rows that break one rule each and checks
// that the schema refuses them with the right kind of error, whatever code
// would write them.
func TestSchemaRefusesBadRows(t *testing.T) {
	db := newDB(t)
	mustExec(t, db, fixture)
	const (
		check      = "23514"
		foreignKey = "23503"
		unique     = "23505"
		notNull    = "23502"
	)
	for _, tc := range []struct {
		name, sql, code string
	}{
		{"slug with a space", `INSERT INTO films (slug, title, year) VALUES ('bad slug', 'X', 2000)`, check},
		{"slug in capitals", `INSERT INTO people (slug, name) VALUES ('Jeunet', 'X')`, check},
		{"blank title", `INSERT INTO films (slug, title, year) VALUES ('blank', '  ', 2000)`, check},
		{"year before cinema", `INSERT INTO films (slug, title, year) VALUES ('old', 'Old', 1800)`, check},
		{"budget without currency", `INSERT INTO films (slug, title, year, budget_amount) VALUES ('b', 'B', 2000, 10)`, check},
		{"duplicate slug", `INSERT INTO films (slug, title, year) VALUES ('amelie', 'Again', 2001)`, unique},
		{"rating of 11", `INSERT INTO ratings VALUES (1, 1, 11, now(), now())`, check},
		{"rating of a missing film", `INSERT INTO ratings VALUES (99, 1, 5, now(), now())`, foreignKey},
		{"rating by a missing reader", `INSERT INTO ratings VALUES (1, 99, 5, now(), now())`, foreignKey},
		{"short token hash", `INSERT INTO readers (token_hash, created_at) VALUES ('\x01', now())`, check},
		{"character on a director", `INSERT INTO credits (film_id, person_id, role, character) VALUES (1, 1, 'director', 'Amélie')`, check},
		{"unknown credit role", `INSERT INTO credits (film_id, person_id, role) VALUES (1, 1, 'caterer')`, check},
		{"impossible birth date", `UPDATE people SET birth_date = '2021-02-30' WHERE id = 1`, check},
		{"impossible birth month", `UPDATE people SET birth_date = '2021-13' WHERE id = 1`, check},
		{"death before birth", `UPDATE people SET death_date = '1950' WHERE id = 1`, check},
		{"scheduled without a time", `INSERT INTO critic_reviews (slug, film_id, headline, author, body, status)
			VALUES ('r', 1, 'H', 'A', 'B', 'scheduled')`, check},
		{"critic rating above its scale", `INSERT INTO critic_reviews (slug, film_id, headline, author, body, status, rating_value, rating_scale)
			VALUES ('r', 1, 'H', 'A', 'B', 'draft', 6, 5)`, check},
		{"email in other case", `INSERT INTO users (email, name, role, password_hash, created_at)
			VALUES ('editor@example.COM', 'Two', 'editor', '$argon2id$x', now())`, unique},
		{"password not argon2id", `INSERT INTO users (email, name, role, password_hash, created_at)
			VALUES ('b@example.com', 'B', 'editor', 'plain', now())`, check},
		{"portrait of a film", `INSERT INTO images (id, hash, width, height, created_at) VALUES (1, repeat('a', 64), 10, 10, now());
			INSERT INTO image_uses (image_id, film_id, role, alt, created_at) VALUES (1, 1, 'portrait', 'A', now())`, check},
		{"reader review without a title", `INSERT INTO reader_reviews (film_id, display_name, rating, body, created_at)
			VALUES (1, 'R', 5, 'Body', now())`, notNull},
		{"person still credited", `INSERT INTO credits (film_id, person_id, role) VALUES (1, 1, 'director');
			DELETE FROM people WHERE id = 1`, foreignKey},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// Each statement runs in a transaction rolled back at the end,
			// so the cases do not see one another.
			tx, err := db.pool.Begin(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			defer tx.Rollback(context.Background())
			_, err = tx.Exec(context.Background(), tc.sql)
			var pgErr *pgconn.PgError
			if !errors.As(err, &pgErr) {
				t.Fatalf("%s: error %v, want SQLSTATE %s", tc.sql, err, tc.code)
			}
			if pgErr.Code != tc.code {
				t.Errorf("%s: SQLSTATE %s (%s), want %s", tc.sql, pgErr.Code, pgErr.Message, tc.code)
			}
		})
	}
}

// TestSchemaAcceptsPartialDates checks the partial dates the catalogue
// uses, which the refusals above must not catch.
func TestSchemaAcceptsPartialDates(t *testing.T) {
	db := newDB(t)
	mustExec(t, db, fixture)
	for _, birth := range []string{"", "1953", "1953-09", "1953-09-03", "2024-02-29"} {
		mustExec(t, db, "UPDATE people SET birth_date = $1, death_date = '' WHERE id = 1", birth)
	}
	// Compared on what both give: a death in 1990 is not before a birth
	// on 1990-05-01.
	mustExec(t, db, "UPDATE people SET birth_date = '1990-05-01', death_date = '1990' WHERE id = 1")
}
