package sqlite_test

import (
	"testing"

	"marquee/internal/film"
	"marquee/internal/storetest"
)

// TestStoreContract runs the contract suite that every backend passes, each
// test on a fresh database file.
func TestStoreContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) film.Store {
		db, _ := mustOpen(t)
		return db
	})
}
