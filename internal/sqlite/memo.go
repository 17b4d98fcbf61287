package sqlite

import (
	"cmp"
	"slices"
	"sync"
	"time"

	"marquee/internal/film"
)

// versionMemo keeps values read from the database for one data version:
// the films as list pages show them (film.ListedFilm, by id, without
// posters), films' summaries (by slug), their posters and directors and
// their rating aggregates (by id), when films' critic reviews go public
// and those reviews with their films (by id). The film index has a
// page for every filter, order and cursor, a film's reader reviews a page
// for every order and spoiler choice, and a film's critic reviews show on
// the page of everyone credited on it: without it each of them reads the
// same rows again (an export of a 2,000-film site read each listed film
// about sixty times, and each film's summary about eighteen).
//
// Only page read transactions use it, never a write transaction, which
// could see its own uncommitted changes. A page read notes DataVersion
// and takes its snapshot at one moment with respect to this DB's commits,
// each of which counts itself under the same lock (inPageTx,
// commitCounted): a value kept under version v is exactly v's data, and a
// read at v is given nothing another snapshot saw. A write made by
// another process counts within WatchOtherWriters' poll, as for the page
// cache. TestMemoMatchesItsSnapshot holds it under concurrent writes.
type versionMemo[K comparable, V any] struct {
	key     func(V) K // what a value is kept under, set when the DB opens
	mu      sync.Mutex
	version uint64
	values  map[K]V
}

// maxMemoValues bounds each memo; past it, it starts again empty. A
// value is a few hundred bytes (a kept critic review, with its body,
// about a kilobyte), so all the memos together stay within a few tens of
// megabytes however large the catalogue.
const maxMemoValues = 20_000

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
func (m *versionMemo[K, V]) put(version uint64, values ...V) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if version < m.version {
		return
	}
	if version > m.version || m.values == nil || len(m.values)+len(values) > maxMemoValues {
		m.version, m.values = version, make(map[K]V, len(values))
	}
	for _, v := range values {
		m.values[m.key(v)] = v
	}
}

// secondAskMemo keeps, for one data version, values that are worth
// reading whole only when they are asked for more than once at that
// version: all the approved reader reviews of a film (a film's reviews
// have a page for each order, with and without spoilers, and each further
// page number, all of them the same reviews sorted and cut differently;
// an export of a 2,000-film site asks for about eighteen of each film),
// and all the ids of a film index list (one per filter and order, cut by
// a cursor into its pages). The first ask at a version is answered with
// SQL alone, as before, so a single view never reads a whole list; the
// second reads it whole once and keeps it. The same rules as versionMemo
// keep it exact.
type secondAskMemo[K comparable, V any] struct {
	mu      sync.Mutex
	version uint64
	asked   map[K]askState
	values  map[K]V
	kept    int // the sizes kept, bounded by max
	max     int
}

// askState is what a secondAskMemo knew of a key it does not hold, when
// the key is asked for at its version: what lookup answers.
type askState uint8

const (
	firstAsk  askState = iota // never asked for: answer with SQL alone (or read it whole, if it is small)
	askedOnce                 // asked for before: read it whole and keep it now
	tooLarge                  // read whole before and found too large to keep: answer with SQL alone
)

// lookup returns the value kept for key at version, if there is one, and
// otherwise what the memo knew of key (askState), noting that it has now
// been asked for.
func (m *secondAskMemo[K, V]) lookup(version uint64, key K) (value V, ok bool, asked askState) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if version != m.version || m.values == nil {
		if version < m.version {
			// An older snapshot's read is answered as a first ask, and
			// keep keeps nothing of it.
			return value, false, firstAsk
		}
		m.version, m.asked, m.values, m.kept = version, map[K]askState{}, map[K]V{}, 0
	}
	if v, ok := m.values[key]; ok {
		return v, true, 0
	}
	asked = m.asked[key]
	if asked == firstAsk {
		m.asked[key] = askedOnce
	}
	return value, false, asked
}

// refuse notes that key's value, read whole at version, was too large to
// keep: lookup answers tooLarge for it from then on at that version.
// Without it a film with more reviews than are kept (or a list longer
// than is kept) would be read whole, and dropped, at every ask.
func (m *secondAskMemo[K, V]) refuse(version uint64, key K) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if version == m.version && m.asked != nil {
		m.asked[key] = tooLarge
	}
}

// keep stores key's value, of the given size, read at version.
func (m *secondAskMemo[K, V]) keep(version uint64, key K, value V, size int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if version != m.version || m.values == nil {
		return
	}
	if m.kept+size > m.max {
		m.values, m.kept = map[K]V{}, 0
	}
	m.values[key] = value
	m.kept += size
}

// memoReview is a kept reader review with what its orders sort by as
// stored, and when it was approved (a film's feed says).
type memoReview struct {
	film.ReaderReview
	storedRating int
	createdText  string
	approvedAt   time.Time
}

const (
	// maxMemoFilmReviews is the most reviews of one film kept; a film
	// with more is always read with SQL. The busiest film of the full-scale
	// catalogue has 1,249 approved reviews; cutting a page of 5,000 kept
	// reviews costs a fraction of the statements that sort them.
	maxMemoFilmReviews = 5000
	// maxMemoReviews bounds the reviews kept in all.
	maxMemoReviews = 50_000
)

// page cuts one page of the kept reviews as the filter asks, in the order
// filmsql.ReaderReviewOrder gives (TestReaderReviewMemoMatchesSQL holds
// the two together).
func (reviews memoReviews) page(f film.ReaderReviewFilter) film.ReaderReviewPage {
	chosen := reviews.sorted(f)
	page := film.ReaderReviewPage{Total: len(chosen)}
	from := min(max(f.Offset, 0), len(chosen))
	to := len(chosen)
	if f.Limit >= 0 {
		to = min(from+f.Limit, len(chosen))
	}
	if to > from {
		page.Reviews = make([]film.ReaderReview, 0, to-from)
	}
	for _, r := range chosen[from:to] {
		page.Reviews = append(page.Reviews, r.ReaderReview)
	}
	return page
}

// sorted returns the kept reviews the filter shows (without spoilers when
// it hides them), in its order.
func (reviews memoReviews) sorted(f film.ReaderReviewFilter) []*memoReview {
	// Pointers are sorted, not the reviews: a review is large to move.
	chosen := make([]*memoReview, 0, len(reviews))
	for i := range reviews {
		if r := &reviews[i]; !(f.HideSpoilers && r.Spoilers) {
			chosen = append(chosen, r)
		}
	}
	slices.SortFunc(chosen, func(a, b *memoReview) int {
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
	return chosen
}

// memoReviews are one film's kept reviews, in no particular order.
type memoReviews []memoReview
