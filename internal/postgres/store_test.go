package postgres

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"marquee/internal/film"
)

// TestOpenRefusesBadURL checks that a malformed URL is refused without
// its password in the message.
func TestOpenRefusesBadURL(t *testing.T) {
	_, err := Open(context.Background(), "postgres://marquee:hunter2@db.example:notaport/marquee")
	if err == nil {
		t.Fatal("a malformed URL was accepted")
	}
	if strings.Contains(err.Error(), "hunter2") {
		t.Errorf("the error repeats the password: %v", err)
	}
}

// TestSecret checks that a secret is made once, kept, and agreed on by
// callers racing to make it.
func TestSecret(t *testing.T) {
	ctx := context.Background()
	db := newDB(t)
	var wg sync.WaitGroup
	got := make([][]byte, 8)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := db.Secret(ctx, "signing-key", func() ([]byte, error) { return []byte{byte(i + 1)}, nil })
			if err != nil {
				t.Error(err)
			}
			got[i] = v
		}()
	}
	wg.Wait()
	for _, v := range got {
		if len(v) != 1 || v[0] != got[0][0] {
			t.Fatalf("racing callers got different secrets: %v", got)
		}
	}
	again, err := db.Secret(ctx, "signing-key", func() ([]byte, error) {
		t.Error("generate called for a secret already stored")
		return nil, nil
	})
	if err != nil || string(again) != string(got[0]) {
		t.Errorf("second Secret = %v, %v; want %v", again, err, got[0])
	}
	boom := errors.New("no randomness")
	if _, err := db.Secret(ctx, "other", func() ([]byte, error) { return nil, boom }); !errors.Is(err, boom) {
		t.Errorf("Secret with a failing generate: %v, want %v", err, boom)
	}
}

// TestDataVersionCountsCommits checks that a committed write moves
// DataVersion and a failed or read-only one does not.
func TestDataVersionCountsCommits(t *testing.T) {
	ctx := context.Background()
	db := newDB(t)
	before := db.DataVersion()
	if err := db.inWriteTx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, "INSERT INTO settings VALUES ('k', '\\x01')")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	afterWrite := db.DataVersion()
	if afterWrite == before {
		t.Errorf("DataVersion stayed %d after a committed write", before)
	}
	_ = db.inWriteTx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, "INSERT INTO settings VALUES ('k', '\\x02')") // the key is taken
		return err
	})
	if err := db.inPageTx(ctx, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, "SELECT 1").Scan(new(int))
	}); err != nil {
		t.Fatal(err)
	}
	if got := db.DataVersion(); got != afterWrite {
		t.Errorf("DataVersion moved from %d to %d with no write committed", afterWrite, got)
	}
}

// TestPageTxIsReadOnlySnapshot checks that a page transaction refuses
// writes and reads one moment of the database.
func TestPageTxIsReadOnlySnapshot(t *testing.T) {
	ctx := context.Background()
	db := newDB(t)
	err := db.inPageTx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, "INSERT INTO settings VALUES ('k', '\\x01')")
		return err
	})
	if err == nil || !strings.Contains(err.Error(), "read-only") {
		t.Errorf("a write in a page transaction: %v, want a read-only refusal", err)
	}
	err = db.inPageTx(ctx, func(tx pgx.Tx) error {
		var first, second int
		if err := tx.QueryRow(ctx, "SELECT count(*) FROM settings").Scan(&first); err != nil {
			return err
		}
		mustExec(t, db, "INSERT INTO settings VALUES ('meanwhile', '\\x01')")
		if err := tx.QueryRow(ctx, "SELECT count(*) FROM settings").Scan(&second); err != nil {
			return err
		}
		if first != second {
			t.Errorf("one page transaction counted %d then %d settings", first, second)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestRetry checks that a transaction PostgreSQL aborts for a
// serialization failure or a deadlock runs again, a bounded number of
// times, and that other errors are not retried.
func TestRetry(t *testing.T) {
	ctx := context.Background()
	db := newDB(t)
	raise := func(tx pgx.Tx, code string) error {
		_, err := tx.Exec(ctx, "DO $$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = '"+code+"'; END $$")
		return err
	}
	for _, tc := range []struct {
		code      string
		failFirst int
		wantRuns  int
		wantErr   bool
	}{
		{code: "40001", failFirst: 2, wantRuns: 3},
		{code: "40P01", failFirst: 1, wantRuns: 2},
		{code: "40001", failFirst: 1000, wantRuns: maxAttempts, wantErr: true},
		{code: "23505", failFirst: 1, wantRuns: 1, wantErr: true},
	} {
		runs := 0
		err := db.inWriteTx(ctx, func(tx pgx.Tx) error {
			runs++
			if runs <= tc.failFirst {
				return raise(tx, tc.code)
			}
			return nil
		})
		if runs != tc.wantRuns || (err != nil) != tc.wantErr {
			t.Errorf("SQLSTATE %s failing %d times: ran %d times with error %v; want %d runs, error %v",
				tc.code, tc.failFirst, runs, err, tc.wantRuns, tc.wantErr)
		}
	}
}

// TestNextChange checks the clock's next change: a scheduled review going
// live, or a rating leaving the trending window, whichever comes first.
func TestNextChange(t *testing.T) {
	ctx := context.Background()
	db := newDB(t)
	mustExec(t, db, fixture)
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	next, err := db.NextChange(ctx, now)
	if err != nil || !next.IsZero() {
		t.Fatalf("NextChange with nothing due = %v, %v; want the zero time", next, err)
	}
	due := now.Add(3 * 24 * time.Hour)
	mustExec(t, db, `INSERT INTO critic_reviews (slug, film_id, headline, author, body, status, published_at)
		VALUES ('soon', 1, 'H', 'A', 'B', 'scheduled', $1), ('past', 1, 'H', 'A', 'B', 'published', $2)`,
		due, now.Add(-time.Hour))
	if next, err = db.NextChange(ctx, now); err != nil || !next.Equal(due) {
		t.Errorf("NextChange = %v, %v; want the scheduled review at %v", next, err, due)
	}
	rated := now.Add(-film.TrendingWindow + time.Hour)
	mustExec(t, db, "INSERT INTO ratings VALUES (1, 1, 7, $1, $1)", rated)
	if next, err = db.NextChange(ctx, now); err != nil || !next.Equal(now.Add(time.Hour)) {
		t.Errorf("NextChange = %v, %v; want the rating leaving the window at %v", next, err, now.Add(time.Hour))
	}
}

// TestIsEmpty checks the test a new site makes before loading its seeds.
func TestIsEmpty(t *testing.T) {
	ctx := context.Background()
	db := newDB(t)
	if empty, err := db.IsEmpty(ctx); err != nil || !empty {
		t.Errorf("IsEmpty on a new database = %v, %v", empty, err)
	}
	mustExec(t, db, fixture)
	if empty, err := db.IsEmpty(ctx); err != nil || empty {
		t.Errorf("IsEmpty with a film = %v, %v", empty, err)
	}
	if err := db.Ping(ctx); err != nil {
		t.Errorf("Ping: %v", err)
	}
}

// TestFindSlugRedirect checks that an old address leads to the new one,
// a critic review's only while the review is public.
func TestFindSlugRedirect(t *testing.T) {
	ctx := context.Background()
	db := newDB(t)
	mustExec(t, db, fixture)
	mustExec(t, db, `INSERT INTO critic_reviews (slug, film_id, headline, author, body, status, published_at)
			VALUES ('new-review', 1, 'H', 'A', 'B', 'scheduled', $1)`, time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
	mustExec(t, db, `INSERT INTO slug_redirects VALUES ('film', 'old-amelie', 'amelie', now()), ('review', 'old-review', 'new-review', now())`)
	if got, err := db.FindSlugRedirect(ctx, film.RedirectFilm, "old-amelie", time.Now()); err != nil || got != "amelie" {
		t.Errorf("film redirect = %q, %v; want amelie", got, err)
	}
	if _, err := db.FindSlugRedirect(ctx, film.RedirectPerson, "old-amelie", time.Now()); !errors.Is(err, film.ErrNotFound) {
		t.Errorf("a film's old slug taken as a person's: %v", err)
	}
	before := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	if _, err := db.FindSlugRedirect(ctx, film.RedirectReview, "old-review", before); !errors.Is(err, film.ErrNotFound) {
		t.Errorf("a review not yet public redirects: %v", err)
	}
	if got, err := db.FindSlugRedirect(ctx, film.RedirectReview, "old-review", before.Add(48*time.Hour)); err != nil || got != "new-review" {
		t.Errorf("review redirect once public = %q, %v; want new-review", got, err)
	}
}
