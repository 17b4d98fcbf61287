package web_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"marquee/internal/auth"
	"marquee/internal/film"
)

// TestSignInUpgradesAnOldPasswordHash stores an account whose hash was made
// with weaker parameters than auth.DefaultParams, as an account made before
// they were raised would have, and signs in through the router: a wrong
// password changes nothing, the right one signs in and replaces the hash
// with one of the current parameters, which the password still opens.
func TestSignInUpgradesAnOldPasswordHash(t *testing.T) {
	s := mustSite(t)
	const email = "olga@example.com"
	weaker := auth.Params{Memory: 8 * 1024, Time: 1, Threads: 1, KeyLength: 32}
	if weaker == auth.DefaultParams {
		t.Fatal("the test's old parameters are the current ones")
	}
	oldHash, err := auth.HashPasswordWith(deskPassword, weaker)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.CreateUser(t.Context(), film.User{Email: email, Name: "Olga", Role: film.RoleEditor, CreatedAt: testNow.Add(-time.Hour)}, oldHash, 0); err != nil {
		t.Fatal(err)
	}
	stored := func() string {
		t.Helper()
		_, hash, err := s.db.FindCredentials(t.Context(), email)
		if err != nil {
			t.Fatal(err)
		}
		return hash
	}

	rd := s.newBrowser("198.51.100.1")
	if resp, _ := rd.signIn(t, email, "not the password at all", ""); resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("sign in with a wrong password = %d, want 422", resp.StatusCode)
	}
	if got := stored(); got != oldHash {
		t.Errorf("a failed sign-in changed the stored hash from %q to %q", oldHash, got)
	}

	rd.mustSignIn(t, email)
	upgraded := stored()
	if upgraded == oldHash {
		t.Fatalf("the hash with old parameters was kept after signing in: %q", upgraded)
	}
	if auth.NeedsRehash(upgraded) {
		t.Errorf("the new hash %q still needs rehashing", upgraded)
	}
	if ok, err := auth.VerifyPassword(upgraded, deskPassword); !ok || err != nil {
		t.Errorf("the password does not open the new hash: %t, %v", ok, err)
	}
	if ok, _ := auth.VerifyPassword(upgraded, "not the password at all"); ok {
		t.Error("the new hash accepts a wrong password")
	}
	if logs := s.logs.String(); strings.Contains(logs, "password hash upgrade failed") {
		t.Errorf("the upgrade logged a failure:\n%s", logs)
	}
	// An upgrade is not a password change: the session it came with stays.
	rd.page(t, "/admin", http.StatusOK)

	// The password still signs in, and a current hash is left as it is.
	other := s.newBrowser("198.51.100.2")
	other.mustSignIn(t, email)
	if got := stored(); got != upgraded {
		t.Errorf("signing in with a current hash replaced it: %q, then %q", upgraded, got)
	}
}
