package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"
)

// TestDatabaseURLRefused runs each command that opens the database with a
// -db value that is not a file path, from an empty working directory, and
// checks that the command refuses it with a clear message and leaves the
// directory empty: no "postgres:" or "mysql:" folder holding a new SQLite
// site, as -db postgres://… used to make. A PostgreSQL URL is taken, but
// backup and restore, which copy SQLite files, point to pg_dump, and a
// server that does not answer is reported without the URL's password.
func TestDatabaseURLRefused(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	commands := [][]string{
		{"serve", "-addr", "127.0.0.1:0"},
		{"migrate"},
		{"seed"},
		{"import", "catalogue.json"},
		{"dump", "out.json"},
		{"gen", "-films", "10"},
		{"user", "list"},
		{"export", "-out", "site"},
		{"backup", "-out", "backup.db"},
		{"restore", "-from", "backup.db"},
	}
	cases := []struct {
		name    string
		db      string
		env     bool   // give the value through MARQUEE_DB rather than -db
		usage   bool   // refused as a usage error (exit status 2)
		message string // what the refusal says
	}{
		// Nothing listens on port 1 of the loopback address.
		{name: "postgres not answering", db: "postgres://marquee:secret@127.0.0.1:1/marquee?connect_timeout=5", message: "127.0.0.1"},
		{name: "postgres backup", db: "postgres://marquee:secret@127.0.0.1:1/marquee", message: "on PostgreSQL use pg_dump"},
		{name: "postgresql from the environment", db: "postgresql://127.0.0.1:1/marquee?sslmode=disable", env: true, message: "on PostgreSQL use pg_dump"},
		{name: "mysql", db: "mysql://marquee:secret@db.example/marquee", usage: true, message: `Marquee does not support "mysql:" URLs`},
		{name: "http", db: "http://db.example/marquee", usage: true, message: `Marquee does not support "http:" URLs`},
		{name: "file URI", db: "file:marquee.db?mode=ro", usage: true, message: `Marquee does not support "file:" URLs`},
		{name: "mysql from the environment", db: "mysql://db.example/marquee", env: true, usage: true, message: `Marquee does not support "mysql:" URLs`},
		{name: "postgres without slashes", db: "postgres:marquee", usage: true, message: "write a PostgreSQL URL as postgres://"},
	}
	for _, tc := range cases {
		for _, command := range commands {
			// A PostgreSQL URL is refused by backup and restore only; the
			// other commands try to connect (but import, which first reads
			// its file, missing here).
			if isPostgres(tc.db) && (command[0] == "import" ||
				strings.HasSuffix(tc.message, "pg_dump") != (command[0] == "backup" || command[0] == "restore")) {
				continue
			}
			t.Run(tc.name+"/"+strings.Join(command, " "), func(t *testing.T) {
				args := append([]string(nil), command...)
				env := map[string]string{}
				if tc.env {
					env["MARQUEE_DB"] = tc.db
				} else {
					args = append(args, "-db", tc.db)
				}
				var stdout, stderr bytes.Buffer
				ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
				defer cancel()
				err := runWith(ctx, deps{now: time.Now}, args, func(k string) string { return env[k] },
					strings.NewReader(""), &stdout, &stderr)
				if err == nil {
					t.Fatalf("marquee %s with -db %s: no error; stdout:\n%s", strings.Join(command, " "), tc.db, stdout.String())
				}
				said := stderr.String()
				if !errors.Is(err, errUsage) {
					said += err.Error()
				}
				if got := errors.Is(err, errUsage); got != tc.usage {
					t.Errorf("usage error = %v, want %v (error %v)", got, tc.usage, err)
				}
				if !strings.Contains(said, tc.message) {
					t.Errorf("the refusal says %q, want it to contain %q", said, tc.message)
				}
				if strings.Contains(said, "secret") {
					t.Errorf("the refusal repeats the URL's password: %q", said)
				}
				entries, err := os.ReadDir(dir)
				if err != nil {
					t.Fatal(err)
				}
				for _, e := range entries {
					t.Errorf("the refused command left %s in the working directory", e.Name())
				}
			})
		}
	}
}

// TestClassifyDatabase checks which -db values are paths and which are
// URLs, including paths that only look like URLs.
func TestClassifyDatabase(t *testing.T) {
	for _, tc := range []struct {
		value string
		want  databaseKind
		err   bool
	}{
		{value: "data/marquee.db", want: sqliteFile},
		{value: "/var/lib/marquee/marquee.db", want: sqliteFile},
		{value: "./odd:name.db", want: sqliteFile},
		{value: `C:\sites\marquee.db`, want: sqliteFile},
		{value: "marquee.db", want: sqliteFile},
		{value: "postgres://localhost/marquee", want: postgresURL},
		{value: "POSTGRESQL://localhost:5433/marquee?sslmode=disable", want: postgresURL},
		{value: "postgres:///marquee?host=/run/postgresql", want: postgresURL},
		{value: "", err: true},
		{value: "sqlite://marquee.db", err: true},
		{value: "file:marquee.db", err: true},
		{value: "odd:name.db", err: true},
		{value: "postgres:localhost", err: true},
	} {
		got, err := classifyDatabase(tc.value)
		if (err != nil) != tc.err {
			t.Errorf("classifyDatabase(%q) error = %v, want error %v", tc.value, err, tc.err)
			continue
		}
		if err == nil && got != tc.want {
			t.Errorf("classifyDatabase(%q) = %v, want %v", tc.value, got, tc.want)
		}
	}
}
