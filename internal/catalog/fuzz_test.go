package catalog_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"marquee/internal/catalog"
	"marquee/internal/film"
	"marquee/seeds"
)

// FuzzDecodeFields feeds the record codec behind the desk's catalogue
// forms arbitrary field values. Whatever it is given, it must not panic;
// and a record it accepts must survive the round trip the forms make
// (record → fields → record) unchanged, so a form never alters what it
// does not show.
func FuzzDecodeFields(f *testing.F) {
	doc, err := catalog.DecodeFS(seeds.FS)
	if err != nil {
		f.Fatal(err)
	}
	for _, fl := range doc.Catalog.Films {
		fields, err := catalog.RecordFields(fl)
		if err != nil {
			f.Fatal(err)
		}
		raw, _ := json.Marshal(fields)
		f.Add(string(raw))
	}
	f.Add(`{"title": "A\u0000B", "year": 2001, "credits": [{"person": "x", "role": "director"}]}`)
	f.Add(`{"budget": {"amount": 1e400, "currency": "EUR"}}`)
	f.Add(`{"year": "2001", "runtime_minutes": -1, "countries": [null, 3]}`)
	f.Add(`{"unknown": 1}`)
	f.Fuzz(func(t *testing.T, raw string) {
		dec := json.NewDecoder(bytes.NewReader([]byte(raw)))
		dec.UseNumber()
		var fields catalog.Fields
		if dec.Decode(&fields) != nil {
			return
		}
		var first film.Film
		if err := catalog.DecodeFields(fields, &first); err != nil {
			return
		}
		_ = first.Validate() // Must not panic, whatever it says.
		again, err := catalog.RecordFields(first)
		if err != nil {
			t.Fatalf("RecordFields of a decoded film: %v", err)
		}
		var second film.Film
		if err := catalog.DecodeFields(again, &second); err != nil {
			t.Fatalf("a decoded film does not decode again: %v\nfields %v", err, again)
		}
		if diff := cmp.Diff(first, second, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("the round trip changed the film (-first +second):\n%s", diff)
		}
	})
}
