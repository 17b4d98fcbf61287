package postgres

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"marquee/internal/film"
	"marquee/internal/sqlite"
	"marquee/migrations"
)

// accountStore is what the accounts test asks of both backends: the
// accounts, sessions and audit log of film.Store.
type accountStore interface {
	FindUser(ctx context.Context, id int64) (film.User, error)
	FindUserByEmail(ctx context.Context, email string) (film.User, error)
	FindCredentials(ctx context.Context, email string) (film.User, string, error)
	FindUsers(ctx context.Context) ([]film.User, error)
	CountUsers(ctx context.Context) (int, error)
	CreateUser(ctx context.Context, u film.User, passwordHash string, actor int64) (film.User, error)
	SetUserDisabled(ctx context.Context, id int64, disabled bool, actor int64, now time.Time) error
	SetPassword(ctx context.Context, id int64, passwordHash string, actor int64, now time.Time) error
	UpgradePasswordHash(ctx context.Context, id int64, oldHash, newHash string) error
	CreateSession(ctx context.Context, tokenHash []byte, userID int64, now, expires time.Time) error
	FindSession(ctx context.Context, tokenHash []byte) (film.Session, error)
	TouchSession(ctx context.Context, tokenHash []byte, now time.Time) error
	DeleteSession(ctx context.Context, tokenHash []byte) error
	EndSession(ctx context.Context, tokenHash []byte, now time.Time) error
	DeleteExpiredSessions(ctx context.Context, now, idleCutoff time.Time) (int64, error)
	AuditLog(ctx context.Context, f film.AuditFilter) ([]film.AuditEntry, int, error)
}

var (
	_ accountStore = (*DB)(nil)
	_ accountStore = (*sqlite.DB)(nil)
)

// accountStory runs the life of two desk accounts against a store and
// returns everything the store answered along the way, errors as the
// sentinel they wrap, so two stores can be compared answer by answer.
func accountStory(t *testing.T, s accountStore) []any {
	t.Helper()
	ctx := context.Background()
	var said []any
	say := func(v any, err error) {
		switch {
		case errors.Is(err, film.ErrNotFound):
			said = append(said, "not found")
		case errors.Is(err, film.ErrConflict):
			said = append(said, "conflict")
		case err != nil:
			t.Fatalf("step %d: %v", len(said), err)
		default:
			said = append(said, v)
		}
	}
	at := time.Date(2026, 11, 20, 9, 0, 0, 500, time.UTC)
	hash := "$argon2id$v=19$m=65536,t=1,p=4$c2FsdA$aGFzaA"
	ed, err := s.CreateUser(ctx, film.User{Email: "Editor@Example.com", Name: "Edith", Role: film.RoleEditor, CreatedAt: at}, hash, 0)
	say(ed, err)
	say(s.CreateUser(ctx, film.User{Email: "editor@example.COM", Name: "Twin", Role: film.RoleEditor, CreatedAt: at}, hash, 0))
	co, err := s.CreateUser(ctx, film.User{Email: "c@example.com", Name: "Cole", Role: film.RoleContributor, CreatedAt: at.Add(time.Minute)}, hash, ed.ID)
	say(co, err)
	say(s.FindUserByEmail(ctx, "EDITOR@example.com"))
	say(s.FindUser(ctx, 999))
	u, h, err := s.FindCredentials(ctx, "c@example.com")
	say([]any{u, h}, err)
	say(s.CountUsers(ctx))

	token, other := readerToken("session one"), readerToken("session two")
	say(nil, s.CreateSession(ctx, token, co.ID, at.Add(time.Hour), at.Add(13*time.Hour)))
	say(nil, s.CreateSession(ctx, other, ed.ID, at.Add(time.Hour), at.Add(2*time.Hour)))
	say(nil, s.TouchSession(ctx, token, at.Add(2*time.Hour)))
	say(nil, s.TouchSession(ctx, token, at.Add(90*time.Minute))) // earlier: ignored
	say(s.FindSession(ctx, token))
	say(s.DeleteExpiredSessions(ctx, at.Add(3*time.Hour), at))
	say(s.FindSession(ctx, other))
	say(nil, s.UpgradePasswordHash(ctx, co.ID, "$argon2id$old", "$argon2id$never"))
	say(nil, s.UpgradePasswordHash(ctx, co.ID, hash, "$argon2id$stronger"))
	say(nil, s.SetPassword(ctx, co.ID, "$argon2id$new", ed.ID, at.Add(4*time.Hour)))
	say(s.FindSession(ctx, token))
	say(nil, s.SetUserDisabled(ctx, co.ID, true, ed.ID, at.Add(5*time.Hour)))
	say(nil, s.SetUserDisabled(ctx, 999, true, ed.ID, at.Add(5*time.Hour)))
	say(nil, s.CreateSession(ctx, token, ed.ID, at.Add(6*time.Hour), at.Add(18*time.Hour)))
	say(nil, s.EndSession(ctx, token, at.Add(7*time.Hour)))
	say(nil, s.EndSession(ctx, token, at.Add(7*time.Hour)))
	say(nil, s.DeleteSession(ctx, other))
	say(s.FindUsers(ctx))
	for _, f := range []film.AuditFilter{{}, {Limit: 2, Offset: 1}, {RecordType: "user", RecordID: co.ID}, {UserID: ed.ID}} {
		entries, total, err := s.AuditLog(ctx, f)
		say([]any{entries, total}, err)
	}
	return said
}

// TestAccountsMatchSQLite runs the same accounts, sessions and audit
// story on both backends and compares every answer.
func TestAccountsMatchSQLite(t *testing.T) {
	ctx := context.Background()
	lite, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "marquee.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer lite.Close()
	if _, err := lite.Migrate(ctx, migrations.FS); err != nil {
		t.Fatal(err)
	}
	want := accountStory(t, lite)
	got := accountStory(t, newDB(t))
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("the accounts story differs between the backends (-SQLite +PostgreSQL):\n%s", diff)
	}
	if len(want) < 25 {
		t.Errorf("the story told only %d answers", len(want))
	}
}
