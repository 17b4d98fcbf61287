package markdown_test

import (
	"html"
	"strings"
	"testing"

	"marquee/internal/markdown"
)

func TestTypography(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{`He said "yes" -- twice`, "He said “yes” – twice"},
		{"O'Brien's film", "O’Brien’s film"},
		{"'Tis the season", "‘Tis the season"},
		{"the critics' choice", "the critics’ choice"},
		{`"A 'quoted' word"`, "“A ‘quoted’ word”"},
		{"Wait for it...", "Wait for it…"},
		{"Paris---the city", "Paris—the city"},
		{"1990--2000", "1990–2000"},
		{"<<Cléo>>", "«Cléo»"},
		{`("Paris")`, "(“Paris”)"},
		{"Plain headline", "Plain headline"},
		{"", ""},
		// Already set: nothing changes, so saving twice is harmless.
		{"“Yes” – it’s O’Brien’s…", "“Yes” – it’s O’Brien’s…"},
	} {
		if got := markdown.Typography(tt.in); got != tt.want {
			t.Errorf("Typography(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if again := markdown.Typography(tt.want); again != tt.want {
			t.Errorf("Typography(%q) changed set text to %q", tt.want, again)
		}
	}
}

// TestTypographyAgreesWithTheBody holds a headline's typography to the
// body's: the same typed text comes out with the same characters, and a
// code span in the body keeps its straight quotes.
func TestTypographyAgreesWithTheBody(t *testing.T) {
	r := markdown.New()
	for _, text := range []string{
		`He said "yes" -- twice`,
		"O'Brien's film... and then---nothing",
		`"A 'quoted' word"`,
	} {
		body := mustRender(t, r.Render, text)
		got := html.UnescapeString(strings.TrimSuffix(strings.TrimPrefix(body, "<p>"), "</p>\n"))
		if want := markdown.Typography(text); got != want {
			t.Errorf("body %q sets as %q, headline as %q", text, got, want)
		}
	}
	body := mustRender(t, r.Render, "O'Brien wrote `fmt.Println(\"it's\")` -- once")
	if !strings.Contains(body, "<code>fmt.Println(&quot;it's&quot;)</code>") {
		t.Errorf("a code span in the body was set: %s", body)
	}
	if !strings.Contains(html.UnescapeString(body), "O’Brien") || !strings.Contains(html.UnescapeString(body), "– once") {
		t.Errorf("the body around the code span was not set: %s", body)
	}
}
