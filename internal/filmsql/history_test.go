package filmsql

import (
	"strings"
	"testing"

	"marquee/internal/film"
)

func TestHistoryStatements(t *testing.T) {
	pg, lite := historySQL[PostgreSQL], historySQL[SQLite]
	if !strings.Contains(pg.revision, "$8::text::json)") {
		t.Errorf("PostgreSQL revision statement does not take its content as json text: %s", pg.revision)
	}
	if !strings.HasSuffix(pg.burst, "RETURNING id") || strings.Contains(lite.burst, "RETURNING") {
		t.Errorf("only PostgreSQL asks a new burst's id back:\n%s\n%s", pg.burst, lite.burst)
	}
	for _, q := range []string{lite.reviewOrigin, lite.revision, lite.burst, lite.heldRating, lite.audit, lite.secret} {
		if strings.Contains(q, "$") {
			t.Errorf("SQLite statement numbers its placeholders: %s", q)
		}
	}
	for _, q := range []string{pg.reviewOrigin, pg.revision, pg.burst, pg.heldRating, pg.audit, pg.secret} {
		if strings.Contains(q, "?") {
			t.Errorf("PostgreSQL statement keeps a ?: %s", q)
		}
	}
}

func TestHistoryDumpBursts(t *testing.T) {
	d := NewHistoryDump()
	d.AddBurst(40, film.BurstRecord{Kind: film.BurstRatings, FilmSlug: "a"})
	d.AddBurst(7, film.BurstRecord{Kind: film.BurstVotes, FilmSlug: "b"})
	b, err := d.Burst(7)
	if err != nil || b.FilmSlug != "b" {
		t.Fatalf("Burst(7) = %v, %v; want the burst of b", b, err)
	}
	if _, err := d.Burst(8); err == nil {
		t.Error("Burst(8) found a burst the dump does not hold")
	}
	if got := d.AuditRecordRef(film.AuditHeldBurst, 7, "", film.ReaderReviewKey{}); got.Burst != 2 {
		t.Errorf("the audit line of burst 7 names burst #%d, want #2", got.Burst)
	}
	if got := d.AuditRecordRef(film.AuditHeldBurst, 8, "", film.ReaderReviewKey{}); !got.IsZero() {
		t.Errorf("the audit line of a settled burst names %s, want nothing", got)
	}
	if got := d.AuditRecordRef(film.AuditReaderReview, 3, "", film.ReaderReviewKey{}); !got.IsZero() {
		t.Errorf("the audit line of a gone reader review names %s, want nothing", got)
	}
	if got := d.AuditRecordRef(film.AuditUser, 3, "ed@example.com", film.ReaderReviewKey{}); got.Email != "ed@example.com" {
		t.Errorf("the audit line of an account names %s", got)
	}
}
