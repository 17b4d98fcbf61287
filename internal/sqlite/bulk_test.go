package sqlite

import (
	"context"
	"testing"
	"time"

	"marquee/internal/film"
)

// A company left from films deleted before keeps its slug: a bulk load
// gives a new company whose name makes the same slug another.
func TestBulkLoadKeepsTheSlugsOfCompaniesThereWere(t *testing.T) {
	db := mustOpenMigrated(t)
	if _, err := db.write.Exec("INSERT INTO companies (slug, name) VALUES ('acme', 'Acme')"); err != nil {
		t.Fatal(err)
	}
	l, err := db.NewBulkLoader(context.Background(), time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	f := film.Film{Slug: "f", Title: "F", Year: 2000, Companies: []film.CompanyCredit{
		{Name: "ACME", Role: film.CompanyStudio}, {Name: "Acme", Role: film.CompanyDistributor},
	}}
	if err := l.WriteFilm(f); err != nil {
		t.Fatal(err)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	rows, err := db.write.Query("SELECT name, slug FROM companies ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var name, slug string
		if err := rows.Scan(&name, &slug); err != nil {
			t.Fatal(err)
		}
		got = append(got, name+"="+slug)
	}
	if len(got) != 2 || got[0] != "Acme=acme" || got[1] == "ACME=acme" {
		t.Errorf("companies = %v, want Acme=acme and ACME under a slug of its own", got)
	}
}
