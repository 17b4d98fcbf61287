package postgres

import (
	"testing"

	"marquee/internal/film"
	"marquee/internal/storetest"
)

// TestStoreContract runs the whole store contract suite against
// PostgreSQL: the same tests SQLite passes.
func TestStoreContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) film.Store {
		return mustOpen(t, pg.NewDatabase(t))
	})
}
