package web

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"marquee/internal/catalog"
	"marquee/internal/film"
	"marquee/seeds"
)

// sampleValue is a valid value of an input of the given kind.
func sampleValue(kind string) string {
	switch kind {
	case "int":
		return "7"
	case "decimal":
		return "7.5"
	case "lines":
		return "one\ntwo"
	case "url":
		return "https://example.org/"
	}
	return "x"
}

// TestFormNamesAreCataloguePaths fills every input of both forms and
// decodes the result with the catalogue's strict decoder: an input whose
// name is not a path of the catalogue format fails it.
func TestFormNamesAreCataloguePaths(t *testing.T) {
	for name, spec := range map[string][]sectionSpec{"film": filmForm, "person": personForm} {
		st := newFormState()
		for _, sec := range spec {
			for _, c := range sec.fields {
				st.values[c.name] = sampleValue(c.kind)
			}
			if l := sec.list; l != nil {
				row := map[string]string{}
				for _, c := range l.columns {
					row[c.name] = sampleValue(c.kind)
				}
				st.rows[l.name] = []map[string]string{row}
			}
		}
		var problems film.Problems
		switch name {
		case "film":
			_, problems = recordFromState[film.Film](spec, st)
		case "person":
			_, problems = recordFromState[film.Person](spec, st)
		}
		if msg, ok := problems[""]; ok {
			t.Errorf("%s form: %s", name, msg)
		}
	}
}

// TestFilmFormCodecRoundTrip fills the form from the seeded film and reads
// it back: the record must come back whole.
func TestFilmFormCodecRoundTrip(t *testing.T) {
	doc, err := catalog.DecodeFS(seeds.FS)
	if err != nil {
		t.Fatal(err)
	}
	want := doc.Films[0]
	st, err := stateFromRecord(filmForm, want)
	if err != nil {
		t.Fatal(err)
	}
	got, problems := recordFromState[film.Film](filmForm, st)
	if len(problems) > 0 {
		t.Fatalf("problems reading the seeded film back: %v", problems)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("film after the form (-want +got):\n%s", diff)
	}
}

// TestFormNumbersReportProblemsByCataloguePath checks that a value that is
// not a number is reported under the catalogue path the record's own
// validation uses, and that an empty track number is the track's position.
func TestFormNumbersReportProblemsByCataloguePath(t *testing.T) {
	st := newFormState()
	st.values["title"], st.values["year"], st.values["runtime_minutes"] = "Paris", "2008", "two hours"
	st.rows["credits"] = []map[string]string{{"person": "someone", "role": "cast", "billing": "first"}}
	st.rows["soundtrack.tracks"] = []map[string]string{{"artist": "A", "title": "One"}, {"artist": "B", "title": "Two"}}
	f, problems := recordFromState[film.Film](filmForm, st)
	for _, field := range []string{"runtime_minutes", "credits[0].billing"} {
		if problems[field] == "" {
			t.Errorf("no problem reported for %s in %v", field, problems)
		}
	}
	if f.Soundtrack == nil || len(f.Soundtrack.Tracks) != 2 || f.Soundtrack.Tracks[1].Number != 2 {
		t.Errorf("soundtrack = %+v, want two tracks numbered by position", f.Soundtrack)
	}
	if _, problems := recordFromState[film.Film](filmForm, newFormState()); problems["year"] != "is required" || problems["title"] == "" {
		t.Errorf("empty form problems = %v, want title and year required", problems)
	}
}
