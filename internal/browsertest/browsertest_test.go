package browsertest

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
)

// TestAxeReportsViolations checks Axe against two small pages: one that
// passes and one with an image without alternative text, which axe-core
// reports as "image-alt" on that element.
func TestAxeReportsViolations(t *testing.T) {
	RequireAxe(t)
	pages := map[string]string{
		"/good": `<!DOCTYPE html><html lang="en"><head><title>Good</title></head>` +
			`<body><main><h1>Good</h1><p>Fine.</p></main></body></html>`,
		"/bad": `<!DOCTYPE html><html lang="en"><head><title>Bad</title></head>` +
			`<body><main><h1>Bad</h1><img id="poster" src="/poster.png"></main></body></html>`,
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		page, ok := pages[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(page))
	}))
	t.Cleanup(srv.Close)
	ctx := New(t) // After the server, so that the browser closes first.

	if v := Axe(t, ctx, srv.URL+"/good"); len(v) != 0 {
		t.Errorf("Axe(/good) = %v, want no violations", v)
	}
	violations := Axe(t, ctx, srv.URL+"/bad")
	i := slices.IndexFunc(violations, func(v Violation) bool { return v.ID == "image-alt" })
	if i < 0 {
		t.Fatalf("Axe(/bad) = %v, want an image-alt violation", violations)
	}
	v := violations[i]
	if len(v.Nodes) != 1 || !slices.Equal(v.Nodes[0].Target, []string{"#poster"}) || !strings.HasPrefix(v.Nodes[0].HTML, "<img") {
		t.Errorf("image-alt nodes = %+v, want the one <img id=poster>", v.Nodes)
	}
	if v.Impact == "" || v.Help == "" || !strings.Contains(v.String(), "#poster") {
		t.Errorf("violation lacks its details: %s", v)
	}
}
