package filmsql

import (
	"fmt"
	"time"

	"marquee/internal/film"
)

// CountRatings adds n ratings of value to s, as a recount of a film's
// ratings reads them grouped by value.
func CountRatings(s *film.RatingStats, value, n int) {
	s.Histogram[value-1] = n
	s.Count += n
	s.Total += value * n
}

// BurstVerb names what settling a held burst does: release it (its rows
// then count) or discard it.
func BurstVerb(release bool) string {
	if release {
		return "release"
	}
	return "discard"
}

// BurstSettlement is how a held burst of one kind is settled.
type BurstSettlement struct {
	// Statement releases or deletes the burst's rows; its one argument
	// is the burst's id.
	Statement string
	kind      film.BurstKind
	verb      string
}

// SettleBurst plans releasing (release) or discarding a held burst of
// kind, its statement in d's dialect: releasing clears held_burst on its
// rows, which fires the triggers that count them; discarding deletes them.
func SettleBurst(d Dialect, kind film.BurstKind, release bool) BurstSettlement {
	table := "ratings"
	if kind == film.BurstVotes {
		table = "helpful_votes"
	}
	stmt := "DELETE FROM " + table + " WHERE held_burst = ?"
	if release {
		stmt = "UPDATE " + table + " SET held_burst = NULL WHERE held_burst = ?"
	}
	return BurstSettlement{Statement: d.Bind(stmt), kind: kind, verb: BurstVerb(release)}
}

// Audit is the audit entry of settling burst id, held on the film slug, by
// actor at now, which settled n rows.
func (s BurstSettlement) Audit(id, actor int64, now time.Time, slug string, n int64) film.AuditEntry {
	what := "ratings of " + slug
	if s.kind == film.BurstVotes {
		what = "helpful votes on a review of " + slug
	}
	return film.AuditEntry{At: now, UserID: actor, Action: "held_burst." + s.verb,
		RecordType: "held_burst", RecordID: id, Detail: fmt.Sprintf("%d held %s", n, what)}
}
