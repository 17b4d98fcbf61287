package main

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestReplicaFlag checks -db-replica: the environment's comma-separated
// list, replaced (not extended) by flags, each a postgres:// URL; and a
// SQLite primary with replicas refused with a clear message.
func TestReplicaFlag(t *testing.T) {
	env := map[string]string{"MARQUEE_DB_REPLICAS": " postgres://r1/db , postgres://r2/db,"}
	urls := replicasFromEnv(func(k string) string { return env[k] })
	if want := []string{"postgres://r1/db", "postgres://r2/db"}; !slices.Equal(urls.urls, want) {
		t.Errorf("from the environment: %v, want %v", urls.urls, want)
	}
	if err := urls.Set("postgres://r3/db"); err != nil {
		t.Fatal(err)
	}
	if err := urls.Set("postgres://r4/db"); err != nil {
		t.Fatal(err)
	}
	if want := []string{"postgres://r3/db", "postgres://r4/db"}; !slices.Equal(urls.urls, want) {
		t.Errorf("flags after the environment: %v, want %v", urls.urls, want)
	}
	if err := urls.Set("replica.db"); err == nil {
		t.Error("a file path was taken as a replica")
	}

	db := filepath.Join(t.TempDir(), "site.db")
	_, errOut, err := runCommand(t, "serve", "-addr", "127.0.0.1:0", "-db", db, "-db-replica", "postgres://127.0.0.1:1/x")
	if err == nil || !strings.Contains(err.Error()+errOut, "need a PostgreSQL primary") {
		t.Errorf("serve on SQLite with a replica = %v, %q; want a refusal", err, errOut)
	}
}
