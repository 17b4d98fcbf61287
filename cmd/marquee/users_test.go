package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"marquee/internal/auth"
	"marquee/internal/film"
	"marquee/internal/sqlite"
)

// runUserCommand runs "marquee user ARGS -db PATH" with stdin and returns
// its output.
func runUserCommand(tb testing.TB, dbPath, stdin string, args ...string) (string, string, error) {
	tb.Helper()
	var stdout, stderr bytes.Buffer
	args = append(append([]string{"user"}, args...), "-db", dbPath)
	err := run(context.Background(), args, func(string) string { return "" }, strings.NewReader(stdin), &stdout, &stderr)
	return stdout.String(), stderr.String(), err
}

// mustCredentials reads an account's stored hash straight from the file.
func mustCredentials(tb testing.TB, dbPath, email string) (film.User, string) {
	tb.Helper()
	db, err := sqlite.Open(context.Background(), dbPath)
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	u, hash, err := db.FindCredentials(context.Background(), email)
	if err != nil {
		tb.Fatal(err)
	}
	return u, hash
}

var generatedPassword = regexp.MustCompile(`Password \(shown only this once\): (\S+)\n`)

func TestUserCommands(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "marquee.db")

	out, errOut, err := runUserCommand(t, dbPath, "a long and unguessable phrase\n", "add", "-email", "ada@example.com", "-name", "Ada Lovelace", "-role", "admin")
	if err != nil {
		t.Fatalf("user add: %v\n%s", err, errOut)
	}
	if !strings.Contains(out, "Added admin Ada Lovelace <ada@example.com>") || strings.Contains(out, "Password") {
		t.Errorf("user add printed %q", out)
	}
	u, hash := mustCredentials(t, dbPath, "ada@example.com")
	if u.Role != film.RoleAdmin || !strings.HasPrefix(hash, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("stored %+v with hash %q", u, hash)
	}
	if ok, _ := auth.VerifyPassword(hash, "a long and unguessable phrase"); !ok {
		t.Error("the password read from stdin does not verify")
	}

	// An empty line makes a password, printed once.
	out, _, err = runUserCommand(t, dbPath, "\n", "add", "-email", "ed@example.com", "-name", "Ed", "-role", "editor")
	if err != nil {
		t.Fatal(err)
	}
	m := generatedPassword.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no generated password in %q", out)
	}
	_, hash = mustCredentials(t, dbPath, "ed@example.com")
	if ok, _ := auth.VerifyPassword(hash, m[1]); !ok {
		t.Error("the generated password does not verify")
	}

	// Refusals.
	for _, tt := range []struct {
		stdin string
		args  []string
		want  string
	}{
		{"password1\n", []string{"add", "-email", "x@example.com", "-name", "X", "-role", "editor"}, "most common"},
		{"short\n", []string{"add", "-email", "x@example.com", "-name", "X", "-role", "editor"}, "at least 8"},
		{strings.Repeat("x", 1025) + "\n", []string{"add", "-email", "x@example.com", "-name", "X", "-role", "editor"}, "at most 1,024 bytes"},
		{"a long and unguessable phrase\n", []string{"add", "-email", "ADA@example.com", "-name", "X", "-role", "editor"}, "already exists"},
		{"a long and unguessable phrase\n", []string{"add", "-email", "x@example.com", "-name", "X", "-role", "owner"}, "-role: The role is contributor, editor or admin."},
		{"a long and unguessable phrase\n", []string{"add", "-email", "not-an-email", "-name", "X", "-role", "editor"}, "-email:"},
		{"", []string{"disable", "-email", "nobody@example.com"}, "no account has the email nobody@example.com"},
		{"", []string{"disable"}, "-email is required"},
		{"", []string{"frobnicate"}, `unknown command "frobnicate"`},
		{"", nil, "Usage: marquee user"},
	} {
		out, errOut, err := runUserCommand(t, dbPath, tt.stdin, tt.args...)
		if err == nil || !strings.Contains(out+errOut+err.Error(), tt.want) {
			t.Errorf("user %v: error %v, output %q, want an error saying %q", tt.args, err, out+errOut, tt.want)
		}
	}

	// A 1,024-byte password is accepted whole.
	long := strings.Repeat("0123456789abcdef", 64)
	if _, errOut, err := runUserCommand(t, dbPath, long+"\n", "reset-password", "-email", "ed@example.com"); err != nil {
		t.Fatalf("reset-password: %v\n%s", err, errOut)
	}
	_, hash = mustCredentials(t, dbPath, "ed@example.com")
	if ok, _ := auth.VerifyPassword(hash, long); !ok {
		t.Error("the 1,024-byte password does not verify")
	}
	if ok, _ := auth.VerifyPassword(hash, long[:1023]); ok {
		t.Error("a truncated password verifies")
	}
	out, _, err = runUserCommand(t, dbPath, "", "reset-password", "-email", "ed@example.com", "-generate")
	if err != nil || generatedPassword.FindStringSubmatch(out) == nil {
		t.Errorf("reset-password -generate: %v, %q", err, out)
	}

	if out, _, err := runUserCommand(t, dbPath, "", "disable", "-email", "ED@example.com"); err != nil || !strings.Contains(out, "Disabled Ed <ed@example.com>") {
		t.Errorf("disable: %v, %q", err, out)
	}
	out, _, err = runUserCommand(t, dbPath, "", "list")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || strings.Join(strings.Fields(lines[0]), " ") != "ID EMAIL NAME ROLE DISABLED CREATED" {
		t.Fatalf("list = %q", out)
	}
	if f := strings.Fields(lines[2]); f[0] != "2" || f[1] != "ed@example.com" || f[3] != "editor" || f[4] != "yes" {
		t.Errorf("list row = %q", lines[2])
	}
	if f := strings.Fields(lines[1]); f[1] != "ada@example.com" || f[4] != "admin" || f[5] != "no" {
		t.Errorf("list row = %q", lines[1])
	}

	// The command line's changes are audited as the command line's.
	db, err := sqlite.Open(context.Background(), dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	entries, _, err := db.AuditLog(context.Background(), film.AuditFilter{RecordType: "user"})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range entries {
		if e.UserID != 0 {
			t.Errorf("entry %+v is not the command line's", e)
		}
		actions = append(actions, e.Action)
	}
	if got := strings.Join(actions, ","); got != "user.disable,user.reset_password,user.reset_password,user.add,user.add" {
		t.Errorf("audit = %s", got)
	}
}

func TestServeSaysHowToCreateTheFirstAccount(t *testing.T) {
	s := mustStartServer(t)
	if err := s.Stop(t); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(s.Logs.String(), "marquee user add -email EMAIL -name NAME -role admin") {
		t.Errorf("first start does not say how to create an account:\n%s", s.Logs)
	}
}

func TestUserHelp(t *testing.T) {
	var stdout bytes.Buffer
	if err := run(context.Background(), []string{"user", "-h"}, func(string) string { return "" }, nil, &stdout, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout.String(), "reset-password") {
		t.Errorf("help = %q", stdout.String())
	}
	stdout.Reset()
	if err := run(context.Background(), []string{"-h"}, func(string) string { return "" }, nil, &stdout, io.Discard); err != nil || !strings.Contains(stdout.String(), "user ") {
		t.Errorf("the usage does not list the user command: %q", stdout.String())
	}
}

// TestUserAddReadsAPipeWithoutPrompting runs user add with standard input
// a pipe, as a script does: the first line is the password, no prompt is
// written, and the password appears in no output.
func TestUserAddReadsAPipeWithoutPrompting(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "marquee.db")
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	go func() {
		io.WriteString(w, "a piped and unguessable phrase\nsecond line ignored\n")
		w.Close()
	}()
	var stdout, stderr bytes.Buffer
	err = run(context.Background(), []string{"user", "add", "-email", "pipe@example.com", "-name", "Pipe", "-role", "editor", "-db", dbPath},
		func(string) string { return "" }, r, &stdout, &stderr)
	if err != nil {
		t.Fatalf("user add from a pipe: %v\n%s", err, stderr.String())
	}
	if strings.Contains(stderr.String(), "Password") || strings.Contains(stdout.String()+stderr.String(), "unguessable") {
		t.Errorf("user add from a pipe wrote a prompt or the password:\nstdout %q\nstderr %q", stdout.String(), stderr.String())
	}
	_, hash := mustCredentials(t, dbPath, "pipe@example.com")
	if ok, _ := auth.VerifyPassword(hash, "a piped and unguessable phrase"); !ok {
		t.Error("the piped password does not verify")
	}
}

// TestConfirmPassword checks the terminal path's logic with a reader that
// stands in for the terminal: asked twice, the two must match, and an
// empty answer makes a password.
func TestConfirmPassword(t *testing.T) {
	answers := func(list ...string) func() ([]byte, error) {
		return func() ([]byte, error) {
			if len(list) == 0 {
				return nil, io.EOF
			}
			a := list[0]
			list = list[1:]
			return []byte(a), nil
		}
	}
	var stderr bytes.Buffer
	p, generated, err := confirmPassword(answers("a typed and unguessable phrase", "a typed and unguessable phrase"), &stderr)
	if err != nil || generated || p != "a typed and unguessable phrase" {
		t.Errorf("matching twice = %q, %v, %v", p, generated, err)
	}
	if got := stderr.String(); strings.Count(got, "Password") != 1 || !strings.Contains(got, "again") || strings.Contains(got, "unguessable") {
		t.Errorf("prompts = %q", got)
	}
	if _, _, err := confirmPassword(answers("a typed and unguessable phrase", "a typed and unguessable phrasf"), io.Discard); !errors.Is(err, errPasswordsDiffer) {
		t.Errorf("two different passwords = %v, want errPasswordsDiffer", err)
	}
	if p, generated, err := confirmPassword(answers(""), io.Discard); err != nil || !generated || len(p) < 12 {
		t.Errorf("empty = %q, %v, %v, want a generated password", p, generated, err)
	}
	if _, _, err := confirmPassword(answers("short"), io.Discard); err == nil {
		t.Error("a password the rules refuse was accepted")
	}
	if _, _, err := confirmPassword(answers("a typed and unguessable phrase"), io.Discard); err == nil {
		t.Error("a password typed once (the second read failing) was accepted")
	}
}
