package catalog_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"marquee/internal/catalog"
	"marquee/internal/film"
)

// TestPersonDetailsRoundTrip writes a person with every detail (a partial
// birth date among them), reads the document back and gets the same
// person; a document that says nothing of them decodes to empty details.
func TestPersonDetailsRoundTrip(t *testing.T) {
	doc := valid()
	doc.People[0] = film.Person{Slug: "p", Name: "P", AlsoKnownAs: []string{"Pee"},
		Biography: "Born *somewhere*.\n\nWorked elsewhere.", BirthDate: "1961", BirthPlace: "Lyon, France",
		DeathDate: "2020-03", DeathPlace: "Paris, France"}
	var buf bytes.Buffer
	if err := catalog.Encode(&buf, doc); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{`"biography"`, `"birth_date": "1961"`, `"birth_place"`, `"death_date": "2020-03"`, `"death_place"`} {
		if !strings.Contains(buf.String(), key) {
			t.Errorf("the document lacks %s:\n%s", key, buf.String())
		}
	}
	back, err := catalog.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(doc.People, back.People); diff != "" {
		t.Errorf("people after the round trip (-want +got):\n%s", diff)
	}

	plain, err := catalog.Decode(strings.NewReader(`{"version": 1, "people": [{"slug": "q", "name": "Q"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if p := plain.People[0]; p.Biography != "" || p.BirthDate != "" || p.DeathDate != "" || p.BirthPlace != "" || p.DeathPlace != "" {
		t.Errorf("a person without details decodes with some: %+v", p)
	}
}

// TestValidateChecksPersonDetails names each bad detail by its path.
func TestValidateChecksPersonDetails(t *testing.T) {
	tests := []struct {
		name   string
		change func(*film.Person)
		field  string
	}{
		{"date in words", func(p *film.Person) { p.BirthDate = "March 1961" }, "people[0].birth_date"},
		{"impossible month", func(p *film.Person) { p.DeathDate = "2020-13" }, "people[0].death_date"},
		{"death before birth", func(p *film.Person) { p.BirthDate, p.DeathDate = "1961-05", "1960" }, "people[0].death_date"},
		{"biography too long", func(p *film.Person) { p.Biography = strings.Repeat("a", film.MaxBiography+1) }, "people[0].biography"},
		{"place too long", func(p *film.Person) { p.BirthPlace = strings.Repeat("a", 201) }, "people[0].birth_place"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := valid()
			doc.People = append([]film.Person(nil), doc.People...)
			tt.change(&doc.People[0])
			var problems film.Problems
			if err := doc.Validate(); !errors.As(err, &problems) {
				t.Fatalf("Validate = %v, want problems", err)
			}
			if _, ok := problems[tt.field]; !ok {
				t.Errorf("problems %v lack %s", problems, tt.field)
			}
		})
	}
	// A year alone, and a death in the year of a birth known to the day,
	// are fine.
	doc := valid()
	doc.People = append([]film.Person(nil), doc.People...)
	doc.People[0].BirthDate, doc.People[0].DeathDate = "1990-05-01", "1990"
	if err := doc.Validate(); err != nil {
		t.Errorf("partial dates refused: %v", err)
	}
}
