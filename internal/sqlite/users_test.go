package sqlite_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"marquee/internal/film"
	"marquee/internal/sqlite"
)

// accountsNow is the clock of the account tests.
var accountsNow = time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)

// testHash stands in for a password hash: the store never reads it.
const testHash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g"

// mustAccount adds an account made by the command line.
func mustAccount(tb testing.TB, db *sqlite.DB, email string, role film.UserRole) film.User {
	tb.Helper()
	u, err := db.CreateUser(context.Background(), film.User{Email: email, Name: "Name of " + email, Role: role, CreatedAt: accountsNow}, testHash, 0)
	if err != nil {
		tb.Fatal(err)
	}
	return u
}

func TestUsers(t *testing.T) {
	ctx := context.Background()
	db, _ := mustOpen(t)
	if n, err := db.CountUsers(ctx); err != nil || n != 0 {
		t.Fatalf("CountUsers on a new database = %d, %v", n, err)
	}
	admin := mustAccount(t, db, "Ada@Example.com", film.RoleAdmin)
	if admin.ID == 0 {
		t.Fatal("CreateUser returned no id")
	}
	got, err := db.FindUser(ctx, admin.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(admin, got); diff != "" {
		t.Errorf("FindUser differs from what was created (-created +found):\n%s", diff)
	}
	// Emails are one account whatever their case.
	if _, err := db.CreateUser(ctx, film.User{Email: "ada@example.COM", Name: "Other", Role: film.RoleEditor, CreatedAt: accountsNow}, testHash, admin.ID); !errors.Is(err, film.ErrConflict) {
		t.Errorf("second account with the same email in other case: %v, want ErrConflict", err)
	}
	u, hash, err := db.FindCredentials(ctx, "ADA@example.com")
	if err != nil || u.ID != admin.ID || hash != testHash {
		t.Errorf("FindCredentials = %+v, %q, %v", u, hash, err)
	}
	if _, _, err := db.FindCredentials(ctx, "nobody@example.com"); !errors.Is(err, film.ErrNotFound) {
		t.Errorf("FindCredentials(unknown) error = %v, want ErrNotFound", err)
	}
	if _, err := db.FindUser(ctx, 999); !errors.Is(err, film.ErrNotFound) {
		t.Errorf("FindUser(999) error = %v, want ErrNotFound", err)
	}
	// The schema refuses what the domain would.
	for _, bad := range []film.User{
		{Email: "no-at-sign", Name: "X", Role: film.RoleEditor},
		{Email: "x@example.com", Name: " ", Role: film.RoleEditor},
		{Email: "y@example.com", Name: "Y", Role: "owner"},
	} {
		bad.CreatedAt = accountsNow
		if _, err := db.CreateUser(ctx, bad, testHash, 0); err == nil {
			t.Errorf("CreateUser(%+v) succeeded", bad)
		}
	}
	if _, err := db.CreateUser(ctx, film.User{Email: "z@example.com", Name: "Z", Role: film.RoleEditor, CreatedAt: accountsNow}, "plain text", 0); err == nil {
		t.Error("CreateUser stored a password that is not an argon2id hash")
	}

	editor := mustAccount(t, db, "ed@example.com", film.RoleEditor)
	if err := db.SetUserDisabled(ctx, editor.ID, true, admin.ID, accountsNow); err != nil {
		t.Fatal(err)
	}
	users, err := db.FindUsers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(users) != 2 || users[0].ID != admin.ID || !users[1].Disabled {
		t.Errorf("FindUsers = %+v, want the admin then the disabled editor", users)
	}
	if err := db.SetPassword(ctx, 999, testHash, 0, accountsNow); !errors.Is(err, film.ErrNotFound) {
		t.Errorf("SetPassword(999) = %v, want ErrNotFound", err)
	}
	entries, total, err := db.AuditLog(ctx, film.AuditFilter{RecordType: "user"})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range entries {
		actions = append(actions, e.Action+" by "+e.UserName)
	}
	want := []string{"user.disable by Name of Ada@Example.com", "user.add by ", "user.add by "}
	if diff := cmp.Diff(want, actions); diff != "" || total != 3 {
		t.Errorf("audit log (total %d) (-want +got):\n%s", total, diff)
	}
}

func TestSessions(t *testing.T) {
	ctx := context.Background()
	db, _ := mustOpen(t)
	u := mustAccount(t, db, "ed@example.com", film.RoleEditor)
	token := make([]byte, 32)
	token[0] = 1
	if err := db.CreateSession(ctx, token, u.ID, accountsNow, accountsNow.Add(12*time.Hour)); err != nil {
		t.Fatal(err)
	}
	s, err := db.FindSession(ctx, token)
	if err != nil {
		t.Fatal(err)
	}
	if s.User.ID != u.ID || !s.LastSeenAt.Equal(accountsNow) || !s.ExpiresAt.Equal(accountsNow.Add(12*time.Hour)) {
		t.Errorf("FindSession = %+v", s)
	}
	if err := db.TouchSession(ctx, token, accountsNow.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if s, _ := db.FindSession(ctx, token); !s.LastSeenAt.Equal(accountsNow.Add(time.Hour)) {
		t.Errorf("after TouchSession last seen = %v", s.LastSeenAt)
	}
	// A token's hash must be 32 bytes.
	if err := db.CreateSession(ctx, []byte("short"), u.ID, accountsNow, accountsNow.Add(time.Hour)); err == nil {
		t.Error("CreateSession stored a short token hash")
	}

	// Changing the password ends every session of the account.
	if err := db.SetPassword(ctx, u.ID, testHash, 0, accountsNow); err != nil {
		t.Fatal(err)
	}
	if _, err := db.FindSession(ctx, token); !errors.Is(err, film.ErrNotFound) {
		t.Errorf("session after a password reset: %v, want ErrNotFound", err)
	}
	// So does disabling it.
	if err := db.CreateSession(ctx, token, u.ID, accountsNow, accountsNow.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := db.SetUserDisabled(ctx, u.ID, true, 0, accountsNow); err != nil {
		t.Fatal(err)
	}
	if _, err := db.FindSession(ctx, token); !errors.Is(err, film.ErrNotFound) {
		t.Errorf("session after disabling: %v, want ErrNotFound", err)
	}
	if err := db.SetUserDisabled(ctx, u.ID, false, 0, accountsNow); err != nil {
		t.Fatal(err)
	}
	// Signing out deletes the session and is audited; twice is harmless.
	if err := db.CreateSession(ctx, token, u.ID, accountsNow, accountsNow.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := db.EndSession(ctx, token, accountsNow); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.FindSession(ctx, token); !errors.Is(err, film.ErrNotFound) {
		t.Errorf("session after sign-out: %v", err)
	}
	entries, _, err := db.AuditLog(ctx, film.AuditFilter{UserID: u.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) == 0 || entries[0].Action != "user.signout" {
		t.Errorf("latest audit entry of the account = %+v, want user.signout", entries)
	}
	// Expired sessions are swept.
	other := make([]byte, 32)
	other[0] = 2
	if err := db.CreateSession(ctx, other, u.ID, accountsNow, accountsNow.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if n, err := db.DeleteExpiredSessions(ctx, accountsNow.Add(2*time.Hour), accountsNow.Add(-time.Hour)); err != nil || n != 1 {
		t.Errorf("DeleteExpiredSessions = %d, %v, want 1", n, err)
	}
}

func TestAuditLogPages(t *testing.T) {
	ctx := context.Background()
	db, _ := mustOpen(t)
	u := mustAccount(t, db, "ed@example.com", film.RoleEditor)
	for i := range 5 {
		if err := db.SetUserDisabled(ctx, u.ID, i%2 == 0, u.ID, accountsNow.Add(time.Duration(i)*time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	page, total, err := db.AuditLog(ctx, film.AuditFilter{Offset: 2, Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	if total != 6 || len(page) != 2 {
		t.Fatalf("AuditLog page = %d entries of %d, want 2 of 6", len(page), total)
	}
	if !page[0].At.After(page[1].At) || page[0].At != accountsNow.Add(2*time.Minute) {
		t.Errorf("page = %+v, want newest first from the third", page)
	}
	if page[0].UserID != u.ID || page[0].RecordType != "user" || page[0].RecordID != u.ID || page[0].Detail != "ed@example.com" {
		t.Errorf("entry = %+v", page[0])
	}
}
