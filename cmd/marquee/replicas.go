package main

import (
	"context"
	"errors"
	"strings"

	"marquee/internal/film"
	"marquee/internal/postgres"
)

// replicaURLs is the repeatable -db-replica flag: the postgres:// URLs of
// streaming replicas of the -db primary, which page reads may use.
// The environment's list holds until the first flag replaces it.
type replicaURLs struct {
	urls    []string
	flagged bool
}

func (u *replicaURLs) String() string { return strings.Join(u.urls, ",") }

// Set adds one replica.
func (u *replicaURLs) Set(v string) error {
	if !isPostgres(v) {
		return errors.New("a replica is a postgres:// URL")
	}
	if !u.flagged {
		u.urls, u.flagged = nil, true
	}
	u.urls = append(u.urls, v)
	return nil
}

// replicasFromEnv reads MARQUEE_DB_REPLICAS, comma-separated.
func replicasFromEnv(getenv func(string) string) replicaURLs {
	var urls replicaURLs
	for _, v := range strings.Split(getenv("MARQUEE_DB_REPLICAS"), ",") {
		if v = strings.TrimSpace(v); v != "" {
			urls.urls = append(urls.urls, v)
		}
	}
	return urls
}

// useReplicas sends db's page reads to the replicas, which need a
// PostgreSQL primary.
func useReplicas(ctx context.Context, db film.Store, urls replicaURLs) error {
	if len(urls.urls) == 0 {
		return nil
	}
	pg, ok := db.(*postgres.DB)
	if !ok {
		return errors.New("-db-replica: read replicas need a PostgreSQL primary in -db")
	}
	return pg.UseReplicas(ctx, urls.urls, postgres.DefaultMaxLag)
}
