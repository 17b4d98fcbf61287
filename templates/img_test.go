package templates

import (
	"context"
	"strings"
	"testing"
)

// TestPictureMarkup holds Picture to the markup the templ component it
// replaced wrote for the same views (the wanted strings were rendered by
// that component): a generated poster with its srcset, an eager picture
// whose every value needs escaping, one without a srcset, and none.
func TestPictureMarkup(t *testing.T) {
	tests := []struct {
		v    PictureView
		want string
	}{
		{PictureView{}, ""},
		{PictureView{Src: "/posters/paris-2008/0553d98a5cf0dbb3-320.png", Srcset: []SrcsetEntry{{"/posters/paris-2008/0553d98a5cf0dbb3-160.png", 160},
			{"/posters/paris-2008/0553d98a5cf0dbb3-320.png", 320}, {"/posters/paris-2008/0553d98a5cf0dbb3-640.png", 640}}, Sizes: "80px", Width: 160, Height: 240, Generated: true},
			"<img class=\"picture picture--generated\" src=\"/posters/paris-2008/0553d98a5cf0dbb3-320.png\" srcset=\"/posters/paris-2008/0553d98a5cf0dbb3-160.png 160w, /posters/paris-2008/0553d98a5cf0dbb3-320.png 320w, /posters/paris-2008/0553d98a5cf0dbb3-640.png 640w\" sizes=\"80px\" width=\"160\" height=\"240\" alt=\"\" loading=\"lazy\" decoding=\"async\" fetchpriority=\"auto\">"},
		{PictureView{Src: "/images/7/still-1280.jpg?a=1&b=\"2\"", Srcset: []SrcsetEntry{{"/images/7/still-640.jpg?x=<1>&y='2'", 640}}, Sizes: "(min-width: 40rem) 12rem, 30vw",
			Width: 1280, Height: 720, Alt: "Juliette Binoche & Romain Duris on a \"roof\" <at night>", Eager: true, Class: "film-poster <x>"},
			"<img class=\"picture film-poster &lt;x&gt;\" src=\"/images/7/still-1280.jpg?a=1&amp;b=&#34;2&#34;\" srcset=\"/images/7/still-640.jpg?x=&lt;1&gt;&amp;y=&#39;2&#39; 640w\" sizes=\"(min-width: 40rem) 12rem, 30vw\" width=\"1280\" height=\"720\" alt=\"Juliette Binoche &amp; Romain Duris on a &#34;roof&#34; &lt;at night&gt;\" loading=\"eager\" decoding=\"async\" fetchpriority=\"high\">"},
		{PictureView{Src: "/images/9/portrait-320.jpg", Width: 320, Height: 400, Alt: "Fabrice Luchini", Class: "cast-portrait"},
			"<img class=\"picture cast-portrait\" src=\"/images/9/portrait-320.jpg\" width=\"320\" height=\"400\" alt=\"Fabrice Luchini\" loading=\"lazy\" decoding=\"async\" fetchpriority=\"auto\">"},
	}
	for _, tt := range tests {
		var b strings.Builder
		if err := Picture(tt.v).Render(context.Background(), &b); err != nil {
			t.Fatal(err)
		}
		if got := b.String(); got != tt.want {
			t.Errorf("Picture(%+v) =\n%s\nwant\n%s", tt.v, got, tt.want)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Picture(tests[1].v).Render(ctx, &strings.Builder{}); err == nil {
		t.Error("Picture rendered for a request that had gone")
	}
}
