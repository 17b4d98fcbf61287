package templates

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/a-h/templ"
)

// TestLDScriptIsJSONScript holds ldScript to the bytes templ.JSONScript
// prints for the same document, and checks that a document which could
// end its script early is encoded, not printed.
func TestLDScriptIsJSONScript(t *testing.T) {
	render := func(ctx context.Context, c templ.Component) string {
		t.Helper()
		var b strings.Builder
		if err := c.Render(ctx, &b); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	docs := []any{
		map[string]any{"@type": "Movie", "name": "Paris", "director": []string{"Cédric Klapisch"}},
		map[string]any{"name": `</script><script>alert(1)</script>`, "text": "Tom & Jerry <3 \u2028 \"quoted\""},
		[]any{1, 2.5, nil, true},
	}
	for _, d := range docs {
		doc, err := json.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		got, want := render(ctx, ldScript(doc)), render(ctx, templ.JSONScript("", json.RawMessage(doc)).WithType("application/ld+json"))
		if got != want {
			t.Errorf("ldScript(%s)\n got %s\nwant %s", doc, got, want)
		}
		nonced := templ.WithNonce(ctx, "n0nce")
		if got, want := render(nonced, ldScript(doc)), render(nonced, templ.JSONScript("", json.RawMessage(doc)).WithType("application/ld+json")); got != want {
			t.Errorf("with a nonce, ldScript(%s)\n got %s\nwant %s", doc, got, want)
		}
	}
	// A document not from json.Marshal that could close the script is
	// encoded again, its '<' escaped.
	raw := json.RawMessage(`{"name":"</script><b>bold</b>"}`)
	got := render(context.Background(), ldScript(raw))
	if strings.Count(got, "</script>") != 1 || !strings.Contains(got, `\u003c/script\u003e`) {
		t.Errorf("ldScript printed a document that closes its script: %s", got)
	}
}
