package catalog_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"marquee/internal/catalog"
	"marquee/internal/film"
	"marquee/seeds"
)

func TestDecodeNamesWhereTheJSONIsWrong(t *testing.T) {
	tests := []struct {
		name, doc string
		want      []string
	}{
		{"syntax", "{\n  \"version\": 1,\n  \"people\": [,]\n}", []string{"line 3, column 14", "invalid character ','"}},
		{"unknown field", "{\n  \"version\": 1,\n  \"people\": [],\n  \"films\": [{\"slug\": \"a\",\n    \"titel\": \"A\"}]\n}",
			[]string{"line 5, column 5", `unknown field "titel"`}},
		{"wrong type", "{\"version\": 1, \"people\": [],\n \"films\": [{\"slug\": \"a\", \"title\": \"A\", \"year\": \"2001\"}]}",
			[]string{"line 2", "films.year", "string", "int"}},
		{"truncated", "{\"version\": 1, \"people\": [", []string{"line 1", "ends before it is complete"}},
		{"trailing data", "{\"version\": 1, \"people\": [], \"films\": []}\n}", []string{"line 2, column 1", "trailing data"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := catalog.Decode(strings.NewReader(tt.doc))
			if err == nil {
				t.Fatal("Decode accepted a broken document")
			}
			for _, want := range tt.want {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q lacks %q", err, want)
				}
			}
		})
	}
}

// valid is a small complete document with every section.
func valid() catalog.Document {
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	review := film.ReaderReview{FilmSlug: "a-2001", DisplayName: "Ann", Title: "Good", Rating: 8, Body: "Yes.",
		Status: film.ModerationApproved, CreatedAt: at}
	reader := strings.Repeat("ab", 32)
	return catalog.Document{Version: catalog.Version, Catalog: film.Catalog{
		People: []film.Person{{Slug: "p", Name: "P"}},
		Films:  []film.Film{{Slug: "a-2001", Title: "A", Year: 2001, Credits: []film.Credit{{PersonSlug: "p", Role: film.RoleDirector}}}},
		CriticReviews: []film.CriticReview{{Slug: "a-review", FilmSlug: "a-2001", Headline: "H", Author: "P", AuthorSlug: "p",
			Body: "B", Status: film.ReviewPublished, PublishedAt: at}},
		ReaderReviews: []film.ReaderReview{review},
		Ratings:       []film.ReaderRating{{FilmSlug: "a-2001", Reader: reader, Value: 7, CreatedAt: at, UpdatedAt: at}},
		HelpfulVotes:  []film.HelpfulVote{{Review: review.Key(), Reader: reader, CreatedAt: at}},
	}}
}

func TestValidateChecksRatingsAndVotes(t *testing.T) {
	if err := valid().Validate(); err != nil {
		t.Fatalf("valid document: %v", err)
	}
	tests := []struct {
		name   string
		change func(*catalog.Document)
		field  string
	}{
		{"rating of an unknown film", func(d *catalog.Document) { d.Ratings[0].FilmSlug = "b-2002" }, "ratings[0].film"},
		{"rating out of range", func(d *catalog.Document) { d.Ratings[0].Value = 0 }, "ratings[0].value"},
		{"reader not a hash", func(d *catalog.Document) { d.Ratings[0].Reader = "alice" }, "ratings[0].reader"},
		{"rating updated before made", func(d *catalog.Document) { d.Ratings[0].UpdatedAt = d.Ratings[0].CreatedAt.Add(-time.Hour) },
			"ratings[0].updated_at"},
		{"second rating by one reader", func(d *catalog.Document) { d.Ratings = append(d.Ratings, d.Ratings[0]) }, "ratings[1]"},
		{"vote on an unknown review", func(d *catalog.Document) { d.HelpfulVotes[0].Review.Title = "Other" }, "helpful_votes[0].review"},
		{"second vote by one reader", func(d *catalog.Document) { d.HelpfulVotes = append(d.HelpfulVotes, d.HelpfulVotes[0]) },
			"helpful_votes[1]"},
		{"two reviews with one key", func(d *catalog.Document) { d.ReaderReviews = append(d.ReaderReviews, d.ReaderReviews[0]) },
			"reader_reviews[1]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := valid()
			doc.Ratings = append([]film.ReaderRating(nil), doc.Ratings...)
			tt.change(&doc)
			var problems film.Problems
			if err := doc.Validate(); !errors.As(err, &problems) {
				t.Fatalf("Validate = %v, want problems", err)
			}
			if _, ok := problems[tt.field]; !ok {
				t.Errorf("problems %v lack %s", problems, tt.field)
			}
		})
	}
}

// TestVoteKeysIgnoreTimeZones: a vote names its review's time in any zone
// and precision; the key is the instant, to the second.
func TestVoteKeysIgnoreTimeZones(t *testing.T) {
	doc := valid()
	paris := time.FixedZone("CET", 3600)
	doc.HelpfulVotes[0].Review.CreatedAt = doc.ReaderReviews[0].CreatedAt.In(paris).Add(300 * time.Millisecond)
	if err := doc.Validate(); err != nil {
		t.Errorf("vote naming its review in another zone: %v", err)
	}
}

func TestEncoderStreamsWhatEncodeWrites(t *testing.T) {
	doc := valid()
	var whole, streamed bytes.Buffer
	if err := catalog.Encode(&whole, doc); err != nil {
		t.Fatal(err)
	}
	enc := catalog.NewEncoder(&streamed)
	if err := doc.Stream(enc); err != nil {
		t.Fatal(err)
	}
	if err := enc.Close(); err != nil {
		t.Fatal(err)
	}
	if whole.String() != streamed.String() {
		t.Errorf("Encode and Encoder differ:\n%s", cmp.Diff(whole.String(), streamed.String()))
	}
	back, err := catalog.Decode(&whole)
	if err != nil {
		t.Fatalf("Decode(Encode(doc)): %v", err)
	}
	if diff := cmp.Diff(doc, back); diff != "" {
		t.Errorf("round trip through JSON changed the document (-before +after):\n%s", diff)
	}
}

func TestEncoderWritesEmptyAndPartialDocuments(t *testing.T) {
	var empty bytes.Buffer
	enc := catalog.NewEncoder(&empty)
	if err := enc.Close(); err != nil {
		t.Fatal(err)
	}
	if got, want := empty.String(), "{\n  \"version\": 1,\n  \"people\": [],\n  \"films\": []\n}\n"; got != want {
		t.Errorf("empty document = %q, want %q", got, want)
	}
	if _, err := catalog.Decode(&empty); err != nil {
		t.Errorf("Decode(empty document): %v", err)
	}

	// Ratings only: the sections before them are written empty, the
	// reviews left out.
	doc := valid()
	var buf bytes.Buffer
	enc = catalog.NewEncoder(&buf)
	for _, p := range doc.People {
		enc.WritePerson(p)
	}
	for _, f := range doc.Films {
		enc.WriteFilm(f)
	}
	for _, r := range doc.Ratings {
		enc.WriteRating(r)
	}
	if err := enc.Close(); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "reviews") {
		t.Errorf("empty review sections were written:\n%s", buf.String())
	}
	back, err := catalog.Decode(&buf)
	if err != nil {
		t.Fatalf("Decode: %v\n%s", err, buf.String())
	}
	if len(back.Ratings) != 1 || len(back.Films) != 1 {
		t.Errorf("decoded %+v, want the film and its rating", back.Counts())
	}
}

func TestEncoderRefusesRecordsOutOfOrder(t *testing.T) {
	enc := catalog.NewEncoder(&bytes.Buffer{})
	if err := enc.WriteFilm(film.Film{Slug: "a"}); err != nil {
		t.Fatal(err)
	}
	if err := enc.WritePerson(film.Person{Slug: "p"}); err == nil {
		t.Error("Encoder accepted a person after a film")
	}
}

func TestSeedsRoundTripThroughEncode(t *testing.T) {
	doc, err := catalog.DecodeFS(seeds.FS)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := catalog.Encode(&buf, doc); err != nil {
		t.Fatal(err)
	}
	back, err := catalog.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(doc, back); diff != "" {
		t.Errorf("seeds changed through Encode and Decode (-before +after):\n%s", diff)
	}
}
