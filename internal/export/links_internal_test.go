package export

import (
	"bytes"
	"context"
	"encoding/xml"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"marquee/internal/catalog"
	"marquee/internal/sqlite"
	"marquee/internal/web"
	"marquee/migrations"
	"marquee/seeds"
	"marquee/static"
)

// tokenizerLinks is what htmlLinks must find, written with the HTML
// tokenizer it stands in for.
func tokenizerLinks(body []byte) []string {
	var out []string
	z := html.NewTokenizer(bytes.NewReader(body))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return out
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		name, hasAttr := z.TagName()
		tag := string(name)
		var property, content string
		for hasAttr {
			var k, v []byte
			k, v, hasAttr = z.TagAttr()
			switch key := string(k); {
			case key == "href" && (tag == "a" || tag == "link" || tag == "area"):
				out = append(out, string(v))
			case key == "src" && (tag == "img" || tag == "script" || tag == "source"):
				out = append(out, string(v))
			case key == "srcset":
				for _, candidate := range strings.Split(string(v), ",") {
					if f := strings.Fields(candidate); len(f) > 0 {
						out = append(out, f[0])
					}
				}
			case tag == "meta" && (key == "property" || key == "name"):
				property = string(v)
			case tag == "meta" && key == "content":
				content = string(v)
			}
		}
		if tag == "meta" && (property == "og:image" || property == "twitter:image" || property == "og:url") {
			out = append(out, content)
		}
	}
}

func TestHTMLLinksFindWhatATokenizerFinds(t *testing.T) {
	for _, page := range []string{
		``,
		`<a href="/a">`,
		`<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title><a href="/no"></title>` +
			`<meta property="og:image" content="https://films.example/cards/x.png"><meta name="twitter:image" content="/t.png">` +
			`<meta content="/before" property="og:url"><meta name="description" content="/not-a-link">` +
			`<link rel="stylesheet" href="/static/style.css"><script src="/static/m.js" defer></script>` +
			`<script type="application/ld+json">{"a": "<a href=\"/no\">"}</script><style>a[href="/no"]{}</style></head>`,
		`<body><!-- <a href="/no"> --><p>1 < 2 <a class=x href=/unquoted>x</a> <A HREF='/upper'>y</A>` +
			`<img src="/p.jpg" srcset="/p-1.jpg 1x, /p-2.jpg 2x" alt=""><picture><source srcset="/s.webp 400w,/t.webp"></picture>` +
			`<a href="/films?genre=Drama&amp;sort=rating">z</a><a href = "/spaced" >s</a><a/href="/slashed">q</a>` +
			`<area href="/area"><img src=/self-closed /><textarea><a href="/no"></textarea><a href="/after">`,
		`<a href="/x" title="a > b">`,
		`<a href="/unterminated`,
		`<a href="/x"><!-- unterminated`,
		`<script>document.write('<a href="/no">')</script ><a href="/yes">`,
		`<noscript><img src="/no.png"></noscript><a href="/yes">`,
		`<a href="/&#x66;ilms" b=c d e=>x</a><a =x href="/eq">`,
		"<img srcset=\"/a.jpg\u00a01x,\u0085/b.jpg 2x, ,/c.jpg\tx\"><img srcset='/d.jpg?x=1&amp;y=2 1x, /e&#x2e;jpg'>",
		`<meta property="og&#58;image" content="/ref.png"><meta content="/last.png" name="x" property="twitter:image">`,
		`<IMG SRC="/u.png" SrcSet="/v.png 2x"><META PROPERTY="og:image" CONTENT="/m.png"><p srcset="/p.png"><div data-href="/no" hrefx="/no" sr="/no">` +
			`<Link HReF=/l.css><script SRC='/s.js'></script><meta Name="twitter:image" Content="/n.png"><a src="/no" content="/no">`,
	} {
		got, want := htmlLinks([]byte(page)), tokenizerLinks([]byte(page))
		if !slices.Equal(got, want) {
			t.Errorf("htmlLinks(%q)\n = %q\nwant %q", page, got, want)
		}
	}
}

// decoderLinks is what xmlLinks must find, written with the XML decoder
// it stands in for.
func decoderLinks(body []byte) []string {
	var out []string
	d := xml.NewDecoder(bytes.NewReader(body))
	for {
		tok, err := d.Token()
		if err != nil {
			return out
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch se.Name.Local {
		case "loc":
			var s string
			if d.DecodeElement(&s, &se) == nil {
				out = append(out, s)
			}
		case "link":
			for _, a := range se.Attr {
				if a.Name.Local == "href" {
					out = append(out, a.Value)
				}
			}
		}
	}
}

func TestXMLLinksFindWhatADecoderFinds(t *testing.T) {
	for _, doc := range []string{
		``,
		`<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
			`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://films.example/films/paris-2008</loc>` +
			`<lastmod>2026-11-21</lastmod></url><url><loc>https://films.example/films?genre=Drama&amp;sort=rating</loc></url></urlset>`,
		`<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><link href="https://films.example/feed.xml" rel="self"/>` +
			`<link rel="alternate" href='/films/paris-2008'></link><entry><link href = "/a&amp;b" /><content type="html">` +
			`&lt;a href=&#34;/no&#34;&gt;&lt;link href="/no"/&gt;</content></entry></feed>`,
		`<root><!-- <link href="/no"/> <loc>/no</loc> --><![CDATA[<link href="/no"/>]]><?pi <link href="/no"/> ?>` +
			`<atom:link xmlns:atom="http://www.w3.org/2005/Atom" atom:href="/prefixed" rel="self"/><loc/><loc>/after</loc></root>`,
		`<sitemapindex><sitemap><loc>/sitemap-1.xml</loc></sitemap><sitemap><loc>/sitemap-2.xml`,
		`<feed><link href="/unterminated`,
	} {
		got, want := xmlLinks([]byte(doc)), decoderLinks([]byte(doc))
		if !slices.Equal(got, want) {
			t.Errorf("xmlLinks(%q)\n = %q\nwant %q", doc, got, want)
		}
	}
}

// TestLinksOfTheSite exports the seeded site and holds every page to the
// tokenizer, and every link's shortcut to the long way.
func TestLinksOfTheSite(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "marquee.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx, migrations.FS); err != nil {
		t.Fatal(err)
	}
	doc, err := catalog.DecodeFS(seeds.FS)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Import(ctx, doc.Catalog); err != nil {
		t.Fatal(err)
	}
	base, err := web.ParseBaseURL("https://films.example")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	srv, err := web.New(ctx, web.Config{DB: db, Static: static.FS, Now: func() time.Time { return now }, BaseURL: base, Export: &web.ExportConfig{}})
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "site")
	if _, err := Export(ctx, srv.Handler(), Options{Out: out, Base: base,
		Skip: func(p string) bool { return strings.HasPrefix(p, "/cards/") || strings.HasPrefix(p, "/posters/") }}); err != nil {
		t.Fatal(err)
	}
	var pages, checked, xmlFiles int
	err = filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(out, p)
		if strings.HasSuffix(p, ".xml") {
			if got, want := xmlLinks(body), decoderLinks(body); !slices.Equal(got, want) || len(want) == 0 {
				t.Errorf("%s: xmlLinks finds %q, the decoder %q", rel, got, want)
			}
			xmlFiles++
			return nil
		}
		if !strings.HasSuffix(p, ".html") {
			return nil
		}
		got, want := htmlLinks(body), tokenizerLinks(body)
		if !slices.Equal(got, want) {
			t.Errorf("%s: htmlLinks finds %d links, the tokenizer %d", rel, len(got), len(want))
		}
		pages++
		for _, link := range want {
			for _, from := range []string{"/", "/films/paris-2008", "/films?sort=rating"} {
				gotPath, gotOK := localPath(link, from, base, sitePrefix(base))
				wantPath, wantOK := resolveLink(link, from, base)
				if gotPath != wantPath || gotOK != wantOK {
					t.Errorf("localPath(%q, %q) = %q, %v; resolving it gives %q, %v", link, from, gotPath, gotOK, wantPath, wantOK)
				}
				checked++
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if pages < 50 || checked < 1000 || xmlFiles < 3 {
		t.Errorf("only %d pages, %d links and %d sitemaps and feeds checked", pages, checked, xmlFiles)
	}
}

func TestLocalPathShortcut(t *testing.T) {
	base, _ := url.Parse("https://films.example/site")
	prefix := sitePrefix(base)
	if prefix != "https://films.example/site" {
		t.Fatalf("sitePrefix = %q", prefix)
	}
	for _, link := range []string{
		"/", "/films", "/films/", "/films/paris-2008", "/films?sort=rating&genre=Science%20Fiction", "/a/./b", "/a/../b",
		"/a//b", "/a/.", "/a/..", "/x?", "/x?a=b#c", "/x#c", "#top", "//other.example/x", "/caf%C3%A9", "/café",
		" /padded ", "/x?q=a b", "/x?a;b", "https://films.example/site/films", "https://films.example/site",
		"https://films.example/sitemap.xml", "https://FILMS.example/site/x", "http://films.example/site/x",
		"https://films.example/site/a/../b", "relative", "../up", "?sort=year", "mailto:x@example.com",
	} {
		for _, from := range []string{"/", "/films/paris-2008", "/films/?sort=year"} {
			gotPath, gotOK := localPath(link, from, base, prefix)
			wantPath, wantOK := resolveLink(link, from, base)
			if gotPath != wantPath || gotOK != wantOK {
				t.Errorf("localPath(%q, %q) = %q, %v; resolving it gives %q, %v", link, from, gotPath, gotOK, wantPath, wantOK)
			}
		}
	}
}
