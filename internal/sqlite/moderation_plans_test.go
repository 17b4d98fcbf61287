package sqlite

import (
	"testing"

	"marquee/internal/film"
	"marquee/internal/filmsql"
)

// TestDeskQueriesUseIndexes checks the plans of the moderation page (the
// queue, its counts and its films), the desk's counts, the audit log and
// the session and sign-in lookups: no table scans, and the queue and the
// log come in index order rather than sorted per request.
func TestDeskQueriesUseIndexes(t *testing.T) {
	db := mustOpenMigrated(t)
	var cases []planCase
	for _, q := range []struct {
		name    string
		filter  film.ModerationFilter
		inOrder bool
	}{
		{"pending queue", film.ModerationFilter{Status: film.ModerationPending}, true},
		{"spam queue", film.ModerationFilter{Status: film.ModerationSpam}, true},
		{"approved queue", film.ModerationFilter{Status: film.ModerationApproved}, true},
		{"one film's pending", film.ModerationFilter{Status: film.ModerationPending, FilmSlug: "x"}, true},
		// One film's reviews in every state are found by the film and
		// sorted: the index orders them by state first.
		{"one film's reviews", film.ModerationFilter{FilmSlug: "x"}, false},
		// The queue of every state across all films is not here: no index
		// orders reviews by date alone, so it reads and sorts them all.
	} {
		count, page, args := filmsql.ModerationQueueQueries(filmsql.SQLite, q.filter)
		cases = append(cases,
			planCase{name: q.name + " (count)", query: count, args: args},
			planCase{name: q.name, query: page, args: append(args, 25, 0), inOrder: q.inOrder})
	}
	// With no film chosen, the counts by state read a whole index, as do
	// the films to filter by when no state is chosen either: they count
	// every review.
	for _, c := range []struct{ name, slug string }{{"moderation counts", ""}, {"one film's moderation counts", "x"}} {
		query, args := filmsql.ModerationCountsQuery(filmsql.SQLite, c.slug)
		cases = append(cases, planCase{name: c.name, query: query, args: args, walks: c.slug == ""})
	}
	for _, status := range []film.ModerationStatus{"", film.ModerationPending, film.ModerationSpam} {
		query, args := filmsql.ModerationFilmsQuery(filmsql.SQLite, status)
		cases = append(cases, planCase{name: "films to filter by, status " + string(status), query: query, args: args, walks: status == ""})
	}
	cases = append(cases, planCase{name: "desk counts", query: filmsql.DeskCountsQuery})
	// The whole log is counted through an index and walked in time order
	// until the page is full; one kind of record's entries, or one
	// record's, are found by the kind and sorted.
	for _, a := range []struct {
		name   string
		filter film.AuditFilter
		whole  bool
	}{
		{"audit log", film.AuditFilter{}, true},
		{"one kind of record", film.AuditFilter{RecordType: "reader_review"}, false},
		{"one record's history", film.AuditFilter{RecordType: "reader_review", RecordID: 1}, false},
	} {
		count, page, args := filmsql.AuditLogQueries(filmsql.SQLite, a.filter)
		cases = append(cases,
			planCase{name: a.name + " (count)", query: count, args: args, walks: a.whole},
			planCase{name: a.name, query: page, args: append(args, 50, 0), inOrder: a.whole, walks: a.whole})
	}
	cases = append(cases,
		planCase{name: "session", query: sessionQuery, args: []any{[]byte("x")}},
		planCase{name: "credentials", query: userByEmailQuery, args: []any{"a@example.com"}},
		planCase{name: "user", query: userByIDQuery, args: []any{1}})
	checkPlans(t, db, cases)
}
