package filmsql

import (
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"time"

	"marquee/internal/film"
)

// This file is the bookkeeping both stores' bulk loaders (bulk.go in
// internal/sqlite and internal/postgres) share: how they find a reader
// review's id again without a query, and how they turn a reader's key into
// the token hash they store.

// ReviewIDs files the ids a bulk load gives reader reviews under a hash of
// each review's key, so that helpful votes find their review without a
// query. A hash two keys share is filed as 0, and ID then sends the loader
// to the database.
type ReviewIDs map[uint64]int64

// reviewHash is the hash of a reader review's key that ReviewIDs files the
// review's id under.
func reviewHash(k film.ReaderReviewKey) uint64 {
	h := fnv.New64a()
	k = k.Normalized()
	for _, s := range []string{k.FilmSlug, k.DisplayName, k.Title, k.CreatedAt.Format(time.RFC3339)} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return h.Sum64()
}

// File files id as the id of the reader review with key k.
func (m ReviewIDs) File(k film.ReaderReviewKey, id int64) {
	h := reviewHash(k)
	if _, taken := m[h]; taken {
		m[h] = 0
	} else {
		m[h] = id
	}
}

// ID is the id filed for key k, or 0 when none is, or when the hash of k
// is one two keys share: the loader must then ask the database.
func (m ReviewIDs) ID(k film.ReaderReviewKey) int64 { return m[reviewHash(k)] }

// ReaderHash is the token hash stored for the reader with the given key,
// or an error if the key is not one.
func ReaderHash(key string) ([]byte, error) {
	hash, err := hex.DecodeString(key)
	if err != nil || !film.ValidReaderKey(key) {
		return nil, fmt.Errorf("reader key %q is not 64 lower-case hexadecimal digits", key)
	}
	return hash, nil
}
