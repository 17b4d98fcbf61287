package loadbench

import (
	"cmp"
	"context"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// siteFiles counts the files under dir, their bytes, and the HTML pages
// and their bytes among them.
type siteFiles struct {
	Files, HTML      int
	Bytes, HTMLBytes int64
	MeanHTML         int64
	ByKind           map[string]int
}

func countFiles(dir string) (siteFiles, error) {
	s := siteFiles{ByKind: map[string]int{}}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		s.Files++
		s.Bytes += info.Size()
		ext := filepath.Ext(path)
		s.ByKind[ext]++
		if ext == ".html" {
			s.HTML++
			s.HTMLBytes += info.Size()
		}
		return nil
	})
	if s.HTML > 0 {
		s.MeanHTML = s.HTMLBytes / int64(s.HTML)
	}
	return s, err
}

// kinds lists the file kinds by count, for the log.
func (s siteFiles) kinds() string {
	var parts []string
	for ext, n := range s.ByKind {
		if ext == "" {
			ext = "(none)"
		}
		parts = append(parts, fmt.Sprintf("%s %d", ext, n))
	}
	sort.Strings(parts)
	return strings.Join(parts, ", ")
}

// exportLine is the summary "marquee export" prints for its pages, and
// imagesLine the one for the share cards it draws after them.
var (
	exportLine = regexp.MustCompile(`(?m)^(\d+) pages \(([0-9.]+) MB\) in ([0-9.]+)s: ([0-9.]+) pages/s`)
	imagesLine = regexp.MustCompile(`(?m)^then (\d+) images in ([0-9.]+)s`)
)

// exportResult is one timed export.
type exportResult struct {
	Pages   int     // pages, as export counted them (share cards apart)
	OwnRate float64 // pages/s as export printed it
	Images  int
	// ImageTime is how long export said the share cards took.
	ImageTime time.Duration
	// Wall is the whole run, start to exit; PagesWall the same without
	// the share cards, which is what Hugo's run compares with.
	Wall, PagesWall time.Duration
	Files           siteFiles
	PagesPerSec     float64 // Pages ÷ PagesWall
	Summary         string
}

// runExport times "marquee export" of db into out.
func runExport(ctx context.Context, bin, db, out string) (exportResult, error) {
	var r exportResult
	start := time.Now()
	output, err := runTool(ctx, filepath.Dir(out), bin, "export", "-db", db, "-base-url", "https://marquee.example", "-out", out)
	r.Wall = time.Since(start)
	if err != nil {
		return r, err
	}
	if m := exportLine.FindStringSubmatch(output); m != nil {
		r.Summary = m[0]
		r.Pages, _ = strconv.Atoi(m[1])
		r.OwnRate, _ = strconv.ParseFloat(m[4], 64)
	}
	if m := imagesLine.FindStringSubmatch(output); m != nil {
		r.Summary += "; " + m[0]
		r.Images, _ = strconv.Atoi(m[1])
		secs, _ := strconv.ParseFloat(m[2], 64)
		r.ImageTime = time.Duration(secs * float64(time.Second))
	}
	if r.Files, err = countFiles(out); err != nil {
		return r, err
	}
	if r.Pages == 0 {
		r.Pages = r.Files.Files
	}
	r.PagesWall = r.Wall - r.ImageTime
	r.PagesPerSec = float64(r.Pages) / r.PagesWall.Seconds()
	return r, nil
}

// hugoResult is one timed Hugo build.
type hugoResult struct {
	Pages   int
	Wall    time.Duration
	PerSec  float64
	Files   siteFiles
	Version string
}

// hugoWords are what the generated Markdown is made of.
var hugoWords = strings.Fields(`the film camera light story city night love year scene actor director
music score river house window street morning winter summer letter train station voice memory
friend brother sister mother father market bakery hospital dancer teacher architect painter
silence laughter promise journey return window garden rooftop cemetery bridge quiet careful
bright slow tender restless patient sudden plain honest warm distant gentle sharp crowded`)

// buildHugoSite writes a Hugo site of n pages into dir, each Markdown page
// made so that its HTML comes out at about pageBytes, laid out by a small
// template with a header, navigation and footer as a real page has.
func buildHugoSite(dir string, n int, pageBytes int64) (int64, error) {
	files := map[string]string{
		"config.toml": `baseURL = "https://hugo.example/"
title = "Load"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
[markup.goldmark.renderer]
unsafe = false
`,
		"layouts/_default/baseof.html": `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} · {{ .Site.Title }}</title><meta name="description" content="{{ .Summary | plainify | truncate 150 }}">
<link rel="canonical" href="{{ .Permalink }}"><link rel="stylesheet" href="/style.css"></head>
<body><header><a href="/">{{ .Site.Title }}</a><nav><a href="/films/">Films</a> <a href="/people/">People</a></nav>
<form action="/search"><input type="search" name="q" aria-label="Search"></form></header>
<main>{{ block "main" . }}{{ end }}</main><footer><p>{{ .Site.Title }}</p></footer></body></html>
`,
		"layouts/_default/single.html": `{{ define "main" }}<article><h1>{{ .Title }}</h1><p>{{ .Params.year }}</p>{{ .Content }}</article>{{ end }}
`,
		"layouts/_default/list.html": `{{ define "main" }}<h1>{{ .Title }}</h1>{{ end }}
`,
		"layouts/index.html": `{{ define "main" }}<h1>{{ .Site.Title }}</h1>{{ end }}
`,
	}
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return 0, err
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			return 0, err
		}
	}
	content := filepath.Join(dir, "content", "films")
	if err := os.MkdirAll(content, 0o755); err != nil {
		return 0, err
	}
	// The template and front matter add about 700 bytes; Markdown grows
	// by about a tenth into HTML.
	body := max(200, (pageBytes-700)*10/11)
	rng := rand.New(rand.NewPCG(1, 2))
	var total int64
	for i := range n {
		var b strings.Builder
		fmt.Fprintf(&b, "---\ntitle: \"Film %d\"\nyear: %d\n---\n\n", i, 1920+i%100)
		for int64(b.Len()) < body {
			switch rng.IntN(8) {
			case 0:
				fmt.Fprintf(&b, "## %s %s\n\n", word(rng), word(rng))
			case 1:
				for range 3 {
					fmt.Fprintf(&b, "- **%s** as %s %s\n", word(rng), word(rng), word(rng))
				}
				b.WriteString("\n")
			default:
				for j := range 40 + rng.IntN(40) {
					if j > 0 {
						b.WriteByte(' ')
					}
					w := word(rng)
					switch rng.IntN(20) {
					case 0:
						w = "*" + w + "*"
					case 1:
						w = "[" + w + "](/people/" + w + "/)"
					}
					b.WriteString(w)
				}
				b.WriteString(".\n\n")
			}
		}
		if err := os.WriteFile(filepath.Join(content, fmt.Sprintf("film-%06d.md", i)), []byte(b.String()), 0o644); err != nil {
			return 0, err
		}
		total += int64(b.Len())
	}
	return total, nil
}

func word(rng *rand.Rand) string { return hugoWords[rng.IntN(len(hugoWords))] }

// prepareHugo writes, under dir, a Hugo site of n pages of about
// pageBytes each, once for every timed build of it, and returns where
// its source is, with Hugo's version and the source's size.
func prepareHugo(ctx context.Context, hugo, dir string, n int, pageBytes int64) (src, version string, size int64, err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", "", 0, err
	}
	if v, err := runTool(ctx, dir, hugo, "version"); err == nil {
		version = strings.TrimSpace(v)
	}
	src = filepath.Join(dir, "src")
	size, err = buildHugoSite(src, n, pageBytes)
	return src, version, size, err
}

// runHugo times "hugo --quiet" building the site at src into public.
func runHugo(ctx context.Context, hugo, src, public string, n int) (hugoResult, error) {
	r := hugoResult{Pages: n}
	start := time.Now()
	if _, err := runTool(ctx, src, hugo, "--quiet", "--source", src, "--destination", public, "--cacheDir", public+"-cache"); err != nil {
		return r, err
	}
	r.Wall = time.Since(start)
	r.PerSec = float64(n) / r.Wall.Seconds()
	var err error
	r.Files, err = countFiles(public)
	return r, err
}

// medianBy returns the middle one of runs by key (the lower middle of an
// even number), and the lowest and highest key.
func medianBy[T any](runs []T, key func(T) float64) (mid T, lo, hi float64) {
	sorted := slices.Clone(runs)
	slices.SortFunc(sorted, func(a, b T) int { return cmp.Compare(key(a), key(b)) })
	return sorted[(len(sorted)-1)/2], key(sorted[0]), key(sorted[len(sorted)-1])
}
