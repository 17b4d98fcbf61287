package sqlite

import (
	"cmp"
	"slices"
	"sync"

	"marquee/internal/film"
)

// versionMemo keeps values read from the database for one data version:
// the films as list pages show them (film.ListedFilm, by id, without
// posters), films' summaries (by slug), when films' critic reviews go
// public and those reviews with their films (by id). The film index has a
// page for every filter, order and cursor, a film's reader reviews a page
// for every order and spoiler choice, and a film's critic reviews show on
// the page of everyone credited on it: without it each of them reads the
// same rows again (an export of a 2,000-film site read each listed film
// about sixty times, and each film's summary about eighteen).
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
type versionMemo[K comparable, V any] struct {
	mu      sync.Mutex
	version uint64
	values  map[K]V
}

// maxMemoValues bounds each memo; past it, it starts again empty. A
// ListedFilm or a Summary is a few hundred bytes.
const maxMemoValues = 50_000

// get returns the value kept for key at version.
func (m *versionMemo[K, V]) get(version uint64, key K) (V, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.version != version {
		var zero V
		return zero, false
	}
	v, ok := m.values[key]
	return v, ok
}

// getMany returns the values kept for keys at version, and the keys it
// does not hold.
func (m *versionMemo[K, V]) getMany(version uint64, keys []K) (map[K]V, []K) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.version != version || len(m.values) == 0 {
		return nil, keys
	}
	found := make(map[K]V, len(keys))
	var missing []K
	for _, k := range keys {
		if v, ok := m.values[k]; ok {
			found[k] = v
		} else {
			missing = append(missing, k)
		}
	}
	return found, missing
}

// put keeps values read at version, each under its key. A newer version
// empties the memo first; an older one is not kept.
func (m *versionMemo[K, V]) put(version uint64, key func(V) K, values ...V) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if version < m.version {
		return
	}
	if version > m.version || m.values == nil || len(m.values)+len(values) > maxMemoValues {
		m.version, m.values = version, make(map[K]V, len(values))
	}
	for _, v := range values {
		m.values[key(v)] = v
	}
}

// readerReviewMemo keeps, for one data version, all the approved reader
// reviews of the films whose review pages were asked for more than once
// at that version: a film's reviews have a page for each order, with and
// without spoilers, and each further page number (an export of a
// 2,000-film site asks for about eighteen of each film), and all of them
// are the same reviews sorted and cut differently. The first page at a
// version is read with SQL alone, as before, so a single view of a film
// with many reviews never reads them all; the second reads them all once
// and keeps them. Films with more than maxMemoFilmReviews are never kept.
// The same rules as versionMemo keep it exact.
type readerReviewMemo struct {
	mu      sync.Mutex
	version uint64
	asked   map[int64]bool
	films   map[int64]memoReviews
	kept    int
}

// memoReview is a kept review with what its orders sort by as stored.
type memoReview struct {
	film.ReaderReview
	storedRating int
	createdText  string
}

const (
	maxMemoFilmReviews = 1000
	maxMemoReviews     = 100_000
)

// lookup returns film's kept reviews at version, and whether to read and
// keep them now (the film was asked for before at this version).
func (m *readerReviewMemo) lookup(version uint64, filmID int64) (reviews memoReviews, ok, keepNow bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if version != m.version {
		if version < m.version {
			return nil, false, false
		}
		m.version, m.asked, m.films, m.kept = version, map[int64]bool{}, map[int64]memoReviews{}, 0
	}
	if reviews, ok := m.films[filmID]; ok {
		return reviews, true, false
	}
	if m.asked[filmID] {
		return nil, false, true
	}
	m.asked[filmID] = true
	return nil, false, false
}

// keep stores film's reviews read at version.
func (m *readerReviewMemo) keep(version uint64, filmID int64, reviews memoReviews) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if version != m.version || len(reviews) > maxMemoFilmReviews {
		return
	}
	if m.kept+len(reviews) > maxMemoReviews {
		m.films, m.kept = map[int64]memoReviews{}, 0
	}
	m.films[filmID] = reviews
	m.kept += len(reviews)
}

// page cuts one page of the kept reviews as the filter asks, in the order
// filmsql.ReaderReviewOrder gives (TestReaderReviewMemoMatchesSQL holds
// the two together).
func (reviews memoReviews) page(f film.ReaderReviewFilter) film.ReaderReviewPage {
	var chosen []memoReview
	for _, r := range reviews {
		if !(f.HideSpoilers && r.Spoilers) {
			chosen = append(chosen, r)
		}
	}
	slices.SortFunc(chosen, func(a, b memoReview) int {
		var c int
		switch f.Sort {
		case film.SortHighest:
			c = cmp.Compare(b.storedRating, a.storedRating)
		case film.SortLowest:
			c = cmp.Compare(a.storedRating, b.storedRating)
		case film.SortHelpful:
			c = cmp.Compare(b.HelpfulCount, a.HelpfulCount)
		}
		if c == 0 {
			c = cmp.Compare(b.createdText, a.createdText)
		}
		if c == 0 {
			c = cmp.Compare(b.ID, a.ID)
		}
		return c
	})
	page := film.ReaderReviewPage{Total: len(chosen)}
	from := min(max(f.Offset, 0), len(chosen))
	to := len(chosen)
	if f.Limit >= 0 {
		to = min(from+f.Limit, len(chosen))
	}
	for _, r := range chosen[from:to] {
		page.Reviews = append(page.Reviews, r.ReaderReview)
	}
	return page
}

// memoReviews are one film's kept reviews, in no particular order.
type memoReviews []memoReview
