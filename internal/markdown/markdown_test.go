package markdown_test

import (
	"strings"
	"testing"

	"marquee/internal/markdown"
)

// spoilerHTML is the markup an inline spoiler around inner renders as.
func spoilerHTML(inner string) string {
	return `<span class="spoiler"><input type="checkbox" class="spoiler-toggle" aria-label="Show spoiler"><span class="spoiler-text">` +
		inner + `</span></span>`
}

// blockSpoilerHTML is the markup a block spoiler around inner renders as.
func blockSpoilerHTML(inner string) string {
	return "<details class=\"spoiler\"><summary>Spoiler: select to show</summary>\n" + inner + "</details>\n"
}

// mustRender renders src with render and fails the test on error.
func mustRender(tb testing.TB, render func(string) (markdown.HTML, error), src string) string {
	tb.Helper()
	got, err := render(src)
	if err != nil {
		tb.Fatalf("render %q: %v", src, err)
	}
	return got.String()
}

// checkContains reports each of want missing from got and each of wantNot
// present in it.
func checkContains(t *testing.T, what, src, got string, want, wantNot []string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("%s(%q) = %q, want it to contain %q", what, src, got, w)
		}
	}
	for _, w := range wantNot {
		if strings.Contains(got, w) {
			t.Errorf("%s(%q) = %q, must not contain %q", what, src, got, w)
		}
	}
}

func TestRender(t *testing.T) {
	r := markdown.New()
	tests := []struct {
		name, src string
		want      []string // substrings the HTML must contain
		wantNot   []string // substrings it must not contain
	}{
		{"emphasis", "*Paris* is **long**", []string{"<em>Paris</em>", "<strong>long</strong>"}, nil},
		{"typographic quotes", `He said "yes" -- twice`, []string{"&ldquo;yes&rdquo;", "&ndash;"}, nil},
		{"headings are demoted", "# Verdict", []string{`<h3 id="verdict">Verdict</h3>`}, []string{"<h1"}},
		{"deep headings stop at h6", "##### Deep", []string{"<h6"}, nil},
		{"tables", "| a | b |\n|---|---|\n| 1 | 2 |", []string{"<table>", "<td>1</td>"}, nil},
		{"strikethrough", "~~gone~~", []string{"<del>gone</del>"}, nil},
		{"footnotes", "Claim.[^1]\n\n[^1]: Source.", []string{`class="footnotes"`}, nil},
		{"images", "![Poster](https://example.com/p.jpg)", []string{`<img src="https://example.com/p.jpg" alt="Poster">`}, nil},
		{"relative links stay links", "[the film](/films/citizen-kane)", []string{`<a href="/films/citizen-kane">the film</a>`}, nil},
		{"critic links carry no rel", "[x](https://example.com)", []string{`<a href="https://example.com">x</a>`}, []string{"rel="}},
		{"bare urls become links", "see https://example.com/a now", []string{`<a href="https://example.com/a">https://example.com/a</a>`}, nil},
		{"raw html is dropped", "<script>alert(1)</script>\n\n<b onclick=x>hi</b>", nil, []string{"<script", "onclick"}},
		{"javascript links are blanked", "[x](javascript:alert(1))", nil, []string{"javascript:"}},
		{"entity-encoded javascript links are blanked", "[x](&#106;avascript:alert(1))", nil, []string{"avascript:"}},
		{"autolinked javascript is not a link", "<javascript:alert(1)>", nil, []string{`href="javascript`}},
		{"data images are not images", "![x](data:image/png;base64,AAAA)", []string{"<p>x</p>"}, []string{"<img", "data:"}},
		{"other schemes keep their text", "[x](ftp://example.com/f) <ftp://example.com/g>", []string{"<p>x ftp://example.com/g</p>"}, []string{"<a"}},
		{"spoiler text leaves heading anchors", "# The twist: ||Rosebud||", []string{`<h3 id="the-twist">`}, []string{`id="the-twist-rosebud"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkContains(t, "Render", tt.src, mustRender(t, r.Render, tt.src), tt.want, tt.wantNot)
		})
	}
}

// TestSpoilers checks the exact markup of both spoiler forms. Spoilers
// behave the same in both dialects, so each case runs through both.
func TestSpoilers(t *testing.T) {
	r := markdown.New()
	tests := []struct {
		name, src, want string
	}{
		{"inline", "The sled is ||Rosebud||.", "<p>The sled is " + spoilerHTML("Rosebud") + ".</p>\n"},
		{"two on a line", "||a|| and ||b||", "<p>" + spoilerHTML("a") + " and " + spoilerHTML("b") + "</p>\n"},
		{"spaces inside are kept", "|| a twist ||", "<p>" + spoilerHTML(" a twist ") + "</p>\n"},
		{"emphasis and code inside", "||*dies* in **act** `3`||", "<p>" + spoilerHTML("<em>dies</em> in <strong>act</strong> <code>3</code>") + "</p>\n"},
		{"inside emphasis", "*it is ||Rosebud|| after all*", "<p><em>it is " + spoilerHTML("Rosebud") + " after all</em></p>\n"},
		{"strikethrough inside", "||~~not~~ really||", "<p>" + spoilerHTML("<del>not</del> really") + "</p>\n"},
		{"emphasis crossing the closer stays text", "*a ||b* c||", "<p><em>a ||b</em> c||</p>\n"},
		{"escaped pipes are literal", `\|\|not hidden\|\|`, "<p>||not hidden||</p>\n"},
		{"escaped closer leaves it unclosed", `||open\||`, "<p>||open||</p>\n"},
		{"unclosed is literal", "a || b", "<p>a || b</p>\n"},
		{"no line break inside", "a ||b\nc|| d", "<p>a ||b\nc|| d</p>\n"},
		{"three pipes are literal", "|||x|||", "<p>|||x|||</p>\n"},
		{"single pipes are literal", "a | b | c", "<p>a | b | c</p>\n"},
		{"inline code wins", "`||x||`", "<p><code>||x||</code></p>\n"},
		{"block", "::: spoiler\nHe dies.\n:::", blockSpoilerHTML("<p>He dies.</p>\n")},
		{"block with a list", "::: spoiler\nClues:\n\n- the sled\n- the snow globe\n:::\nAfter.",
			blockSpoilerHTML("<p>Clues:</p>\n<ul>\n<li>the sled</li>\n<li>the snow globe</li>\n</ul>\n") + "<p>After.</p>\n"},
		{"block with an inline spoiler", "::: spoiler\n||x||\n:::", blockSpoilerHTML("<p>" + spoilerHTML("x") + "</p>\n")},
		{"unclosed block runs to the end", "::: spoiler\nOne.\n\n> Two.", blockSpoilerHTML("<p>One.</p>\n<blockquote>\n<p>Two.</p>\n</blockquote>\n")},
		{"block interrupts a paragraph", "Before\n::: spoiler\nIn.\n:::", "<p>Before</p>\n" + blockSpoilerHTML("<p>In.</p>\n")},
		{"fence needs no space and ignores case", ":::SPOILER\nIn.\n:::", blockSpoilerHTML("<p>In.</p>\n")},
		{"fence may be indented up to three spaces", "   ::: spoiler  \nIn.\n   :::", blockSpoilerHTML("<p>In.</p>\n")},
		{"other words are not a fence", "::: note\nText\n:::", "<p>::: note\nText\n:::</p>\n"},
		{"two colons are not a fence", ":: spoiler\nText", "<p>:: spoiler\nText</p>\n"},
		{"nested with a longer outer fence", ":::: spoiler\nA\n::: spoiler\nB\n:::\nC\n::::\nD",
			blockSpoilerHTML("<p>A</p>\n"+blockSpoilerHTML("<p>B</p>\n")+"<p>C</p>\n") + "<p>D</p>\n"},
		{"short closer does not close a long fence", ":::: spoiler\nA\n:::\nB", blockSpoilerHTML("<p>A\n:::\nB</p>\n")},
		{"nesting stops at eight levels", strings.Repeat("::: spoiler\n", 9) + "x",
			strings.Repeat("<details class=\"spoiler\"><summary>Spoiler: select to show</summary>\n", 8) +
				"<p>::: spoiler\nx</p>\n" + strings.Repeat("</details>\n", 8)},
		{"in a block quote", "> ::: spoiler\n> In.\n> :::\n\nOut.", "<blockquote>\n" + blockSpoilerHTML("<p>In.</p>\n") + "</blockquote>\n<p>Out.</p>\n"},
		{"in a list item", "- a\n  ::: spoiler\n  In.\n  :::\n- b", "<ul>\n<li>a\n" + blockSpoilerHTML("<p>In.</p>\n") + "</li>\n<li>b</li>\n</ul>\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for what, render := range map[string]func(string) (markdown.HTML, error){"Render": r.Render, "RenderReader": r.RenderReader} {
				if got := mustRender(t, render, tt.src); got != tt.want {
					t.Errorf("%s(%q)\n got %q\nwant %q", what, tt.src, got, tt.want)
				}
			}
		})
	}
}

// TestSpoilersAroundLinks checks that a link or image is never split by a
// spoiler: a spoiler inside one hides the whole thing.
func TestSpoilersAroundLinks(t *testing.T) {
	r := markdown.New()
	tests := []struct {
		name, src, critic, reader string
	}{
		{"link inside a spoiler", "||[Kane](https://example.com)||",
			"<p>" + spoilerHTML(`<a href="https://example.com">Kane</a>`) + "</p>\n",
			"<p>" + spoilerHTML(`<a href="https://example.com" rel="nofollow ugc noopener">Kane</a>`) + "</p>\n"},
		{"spoiler inside a link", "[it is ||Rosebud||](https://example.com)",
			"<p>" + spoilerHTML(`<a href="https://example.com">it is Rosebud</a>`) + "</p>\n",
			"<p>" + spoilerHTML(`<a href="https://example.com" rel="nofollow ugc noopener">it is Rosebud</a>`) + "</p>\n"},
		{"spoiler inside a link inside a spoiler", "||[a ||b||](https://example.com)||",
			"<p>" + spoilerHTML(`<a href="https://example.com">a b</a>`) + "</p>\n",
			"<p>" + spoilerHTML(`<a href="https://example.com" rel="nofollow ugc noopener">a b</a>`) + "</p>\n"},
		{"bare url inside a spoiler", "||https://example.com||",
			"<p>" + spoilerHTML(`<a href="https://example.com">https://example.com</a>`) + "</p>\n",
			"<p>" + spoilerHTML(`<a href="https://example.com" rel="nofollow ugc noopener">https://example.com</a>`) + "</p>\n"},
		{"spoiler inside image alt text", "![a ||b||](https://example.com/i.png)",
			"<p>" + spoilerHTML(`<img src="https://example.com/i.png" alt="a b">`) + "</p>\n",
			"<p>a " + spoilerHTML("b") + "</p>\n"},
		{"blocked link inside a spoiler keeps its text hidden", "||[x](javascript:alert(1))||",
			"<p>" + spoilerHTML("x") + "</p>\n",
			"<p>" + spoilerHTML("x") + "</p>\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := mustRender(t, r.Render, tt.src); got != tt.critic {
				t.Errorf("Render(%q)\n got %q\nwant %q", tt.src, got, tt.critic)
			}
			if got := mustRender(t, r.RenderReader, tt.src); got != tt.reader {
				t.Errorf("RenderReader(%q)\n got %q\nwant %q", tt.src, got, tt.reader)
			}
		})
	}
}

func TestRenderReader(t *testing.T) {
	r := markdown.New()
	const rel = `rel="nofollow ugc noopener"`
	tests := []struct {
		name, src string
		want      []string // substrings the HTML must contain
		wantNot   []string // substrings it must not contain
	}{
		{"paragraphs and emphasis", "*Paris* is **long**\n\nSecond.", []string{"<p><em>Paris</em> is <strong>long</strong></p>", "<p>Second.</p>"}, nil},
		{"hard line breaks", "one  \ntwo\\\nthree", []string{"one<br>\ntwo<br>\nthree"}, nil},
		{"strikethrough and code", "~~gone~~ `x < y`", []string{"<del>gone</del>", "<code>x &lt; y</code>"}, nil},
		{"block quotes and lists", "> quoted\n\n- a\n- b\n\n1. one", []string{"<blockquote>", "<ul>\n<li>a</li>", "<ol>"}, nil},
		{"no typographer", `"yes" -- it's`, []string{"&quot;yes&quot; -- it's"}, []string{"&ldquo;", "&ndash;", "&rsquo;"}},
		{"atx heading becomes a paragraph", "# Verdict\n\nText", []string{"<p>Verdict</p>\n<p>Text</p>"}, []string{"<h", "id="}},
		{"setext heading becomes a paragraph", "Verdict\n=======\n\nMore\n---", []string{"<p>Verdict</p>", "<p>More</p>"}, []string{"<h", "<hr"}},
		{"heading keeps its emphasis", "## A *great* film", []string{"<p>A <em>great</em> film</p>"}, nil},
		{"image becomes its alt text", "Look: ![the *poster*](https://example.com/p.jpg)", []string{"<p>Look: the <em>poster</em></p>"}, []string{"<img", "p.jpg"}},
		{"linked image becomes a linked alt text", "[![poster](https://example.com/p.jpg)](https://example.com)", []string{`<a href="https://example.com" ` + rel + `>poster</a>`}, []string{"<img"}},
		{"tables stay text", "| a | b |\n|---|---|\n| 1 | 2 |", []string{"<p>| a | b |\n|---|---|\n| 1 | 2 |</p>"}, []string{"<table", "<td"}},
		{"thematic breaks are dropped", "a\n\n***\n\nb\n\n- - -", []string{"<p>a</p>\n<p>b</p>"}, []string{"<hr", "***"}},
		{"raw html is dropped", "<script>alert(1)</script>\n\n<b onclick=x>hi</b> <iframe src=x>", []string{"hi"}, []string{"<script", "onclick", "<b", "<iframe"}},
		{"footnotes stay text", "Claim.[^1]\n\n[^1]: Source.", []string{"<p>Claim.[^1]</p>", "<p>[^1]: Source.</p>"}, []string{"<sup", "footnote", "<hr", "href"}},
		{"unreferenced footnote stays text", "[^n]: A *note*.", []string{"<p>[^n]: A <em>note</em>.</p>"}, nil},
		{"links get rel", "[Kane](https://example.com/kane)", []string{`<a href="https://example.com/kane" ` + rel + `>Kane</a>`}, nil},
		{"titled links get rel", `[Kane](https://example.com "T")`, []string{`<a href="https://example.com" title="T" ` + rel + `>Kane</a>`}, nil},
		{"reference links get rel", "[Kane][k]\n\n[k]: http://example.com", []string{`<a href="http://example.com" ` + rel + `>Kane</a>`}, nil},
		{"autolinks get rel", "<https://example.com>", []string{`<a href="https://example.com" ` + rel + `>https://example.com</a>`}, nil},
		{"bare urls get rel", "see www.example.com", []string{`<a href="http://www.example.com" ` + rel + `>www.example.com</a>`}, nil},
		{"emails get rel", "me@example.com and [mail](mailto:me@example.com)", []string{`<a href="mailto:me@example.com" ` + rel + `>me@example.com</a>`, `<a href="mailto:me@example.com" ` + rel + `>mail</a>`}, nil},
		{"javascript links are text", "[x](javascript:alert(1))", []string{"<p>x</p>"}, []string{"<a", "javascript"}},
		{"mixed-case javascript links are text", "[x](JaVaScRiPt:alert(1))", []string{"<p>x</p>"}, []string{"<a", "alert"}},
		{"entity-encoded javascript links are text", "[x](&#106;avascript:alert(1)) [y](javascript&colon;alert(1))", []string{"<p>x y</p>"}, []string{"<a", "avascript"}},
		{"javascript autolinks are text", "<javascript:alert(1)>", []string{"<p>javascript:alert(1)</p>"}, []string{"<a"}},
		{"vbscript and data links are text", "[x](vbscript:msgbox) [y](data:text/html;base64,PHNjcmlwdD4=)", []string{"<p>x y</p>"}, []string{"<a"}},
		{"other schemes are text", "[x](ftp://example.com) <irc://example.com>", []string{"<p>x irc://example.com</p>"}, []string{"<a"}},
		{"relative links are text", "[x](/admin) [y](#top) [z](//evil.example)", []string{"<p>x y z</p>"}, []string{"<a"}},
		{"emphasis in a blocked link survives", "[*x*](javascript:alert(1))", []string{"<p><em>x</em></p>"}, []string{"<a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkContains(t, "RenderReader", tt.src, mustRender(t, r.RenderReader, tt.src), tt.want, tt.wantNot)
		})
	}
}

func TestExcerpt(t *testing.T) {
	tests := []struct {
		name, src string
		max       int
		want      string
	}{
		{"plain", "A fine film.", 100, "A fine film."},
		{"syntax is stripped", "# Verdict\n\n*Paris* is **long**, ~~short~~ and `slow`.", 100, "Verdict Paris is long, short and slow."},
		{"links keep their text", "See [the film](https://example.com) or <https://example.org> or www.example.net.", 100, "See the film or https://example.org or www.example.net."},
		{"images and raw html go", "![poster](p.jpg) <b>Bold</b> <!-- note -->claim", 100, "Bold claim"},
		{"footnotes go", "Claim.[^1] More.\n\n[^1]: The source.", 100, "Claim. More."},
		{"inline spoilers go", "The sled is ||Rosebud||, of course.", 100, "The sled is , of course."},
		{"block spoilers go", "Good.\n\n::: spoiler\nHe dies.\n\n- clue\n:::\n\nSee it.", 100, "Good. See it."},
		{"unclosed block spoilers hide the rest", "Good.\n\n::: spoiler\nHe dies.", 100, "Good."},
		{"spoilers inside links take the link", "Read [why ||he dies||](https://example.com) now.", 100, "Read now."},
		{"whitespace collapses", "one\n\n\ntwo  \nthree\tfour\n\n> five\n> six", 100, "one two three four five six"},
		{"lists and quotes", "- a\n- b\n\n> c", 100, "a b c"},
		{"tables", "| a | b |\n|---|---|\n| 1 | 2 |", 100, "a b 1 2"},
		{"code blocks keep their text", "```\nx := 1\n```", 100, "x := 1"},
		{"entities are decoded, not escaped", `Tom &amp; Jerry &lt;3 "quoted" 5 > 4 &copy; \*`, 100, `Tom & Jerry <3 "quoted" 5 > 4 © *`},
		{"code keeps entities literal", "`&amp; <b>`", 100, "&amp; <b>"},
		{"no typographer", `It's -- "fine"`, 100, `It's -- "fine"`},
		{"fits exactly", "abc def", 7, "abc def"},
		{"cut at a word boundary", "The quick brown fox jumps", 12, "The quick…"},
		{"cut keeps whole words that fit", "The quick brown fox jumps", 16, "The quick brown…"},
		{"cut drops trailing punctuation", "Slow, long, dull film", 12, "Slow, long…"},
		{"a long first word is cut inside", "Supercalifragilistic film", 6, "Super…"},
		{"counts runes, not bytes", "Élise et Cédric à Paris", 15, "Élise et…"},
		{"one rune", "abc def", 1, "…"},
		{"zero", "abc", 0, ""},
		{"empty", "", 10, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := markdown.Excerpt(tt.src, tt.max); got != tt.want {
				t.Errorf("Excerpt(%q, %d) = %q, want %q", tt.src, tt.max, got, tt.want)
			}
		})
	}
}

func TestCountLinks(t *testing.T) {
	tests := []struct {
		src  string
		want int
	}{
		{"No links here.", 0},
		{"[a](https://example.com)", 1},
		{"[a][r]\n\n[r]: https://example.com", 1},
		{"[a][missing]", 0},
		{"<https://example.com> <me@example.com>", 2},
		{"see https://example.com and www.example.org and me@example.com", 3},
		{"||[hidden](https://example.com)|| and\n\n::: spoiler\nhttps://example.org\n:::", 2},
		{"[x](javascript:alert(1)) [y](/relative)", 2},
		{"![image](https://example.com/p.jpg)", 0},
		{"[![image](https://example.com/p.jpg)](https://example.com)", 1},
		{"`https://example.com` in code", 0},
		{"a.b example.com", 0},
		// A footnote definition nothing refers to is shown as text, links
		// and all, so its links count.
		{"[^1]: [x](https://example.com) [y](https://example.org)", 2},
		{"Note[^n].\n\n[^n]: see https://example.com", 1},
	}
	for _, tt := range tests {
		if got := markdown.CountLinks(tt.src); got != tt.want {
			t.Errorf("CountLinks(%q) = %d, want %d", tt.src, got, tt.want)
		}
	}
}

// TestRenderReusesItsWork checks that the render cache gives the same
// markup as a fresh renderer, for both dialects, so caching changes nothing
// a reader sees.
func TestRenderReusesItsWork(t *testing.T) {
	r := markdown.New()
	srcs := []string{"*one*", "||spoiler|| and [a link](https://example.com)", "# Heading\n\nText"}
	for range 2 {
		for _, src := range srcs {
			fresh := markdown.New()
			for what, pair := range map[string][2]func(string) (markdown.HTML, error){
				"Render": {r.Render, fresh.Render}, "RenderReader": {r.RenderReader, fresh.RenderReader},
			} {
				if got, want := mustRender(t, pair[0], src), mustRender(t, pair[1], src); got != want {
					t.Errorf("%s(%q) = %q from the cache, %q fresh", what, src, got, want)
				}
			}
		}
	}
	if a, b := mustRender(t, r.Render, "*x*"), mustRender(t, r.RenderReader, "*x*"); a == "" || b == "" {
		t.Error("empty render")
	}
}

// TestExcerptIsKeptLikeRenders checks the Renderer's Excerpt against the
// package's, for more than one length of the same text.
func TestExcerptIsKeptLikeRenders(t *testing.T) {
	r := markdown.New()
	src := "A *fine* film. ||The twist is at the end.|| It lingers long after the credits roll, and then some more."
	for range 2 {
		for _, n := range []int{10, 40, 500} {
			if got, want := r.Excerpt(src, n), markdown.Excerpt(src, n); got != want || strings.Contains(got, "twist") {
				t.Errorf("Excerpt(%d) = %q, want %q without the spoiler", n, got, want)
			}
		}
	}
}
