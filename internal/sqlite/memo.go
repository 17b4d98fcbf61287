package sqlite

import (
	"sync"

	"marquee/internal/film"
)

// listedFilmMemo keeps the films as list pages show them (film.ListedFilm,
// without its poster), for one data version: the film index has a page
// for every filter, order and cursor, and without it each of them reads
// the same few thousand films' rows again (an export of a 2,000-film site
// read each one about sixty times).
//
// Only page read transactions use it (preparedTx carries the version
// DataVersion gave just before the transaction began), never a write
// transaction, which could see its own uncommitted changes. A value kept
// under version v was read in a snapshot taken after v was current, so it
// holds every change counted up to v; a write counts itself only after it
// commits, so the first read that starts after a write has returned asks
// with a newer version and finds the memo empty. At worst a read that
// overlaps a commit is shown a film as that commit left it, a moment
// early, never an older one.
type listedFilmMemo struct {
	mu      sync.Mutex
	version uint64
	films   map[int64]film.ListedFilm
}

// maxMemoFilms bounds the memo; past it, it starts again empty. A
// ListedFilm is a few hundred bytes.
const maxMemoFilms = 50_000

// lookup returns the kept films of ids at version, and the ids not kept.
func (m *listedFilmMemo) lookup(version uint64, ids []int64) (map[int64]film.ListedFilm, []int64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.version != version || len(m.films) == 0 {
		return nil, ids
	}
	found := make(map[int64]film.ListedFilm, len(ids))
	var missing []int64
	for _, id := range ids {
		if f, ok := m.films[id]; ok {
			found[id] = f
		} else {
			missing = append(missing, id)
		}
	}
	return found, missing
}

// keep stores films read at version. A newer version empties the memo
// first; an older one is not kept.
func (m *listedFilmMemo) keep(version uint64, films []film.ListedFilm) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if version < m.version {
		return
	}
	if version > m.version || m.films == nil || len(m.films)+len(films) > maxMemoFilms {
		m.version, m.films = version, make(map[int64]film.ListedFilm, len(films))
	}
	for _, f := range films {
		m.films[f.ID] = f
	}
}
