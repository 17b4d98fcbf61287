package markdown_test

import (
	"strings"
	"testing"

	"marquee/internal/markdown"
)

// BenchmarkRender times a typical review and the inputs that once made
// parsing super-linear: lone "||" on many lines (every one was a delimiter
// the pairing loop rescanned) and deeply nested block spoilers (every line
// is offered to every open block). Each should take milliseconds. Every
// round uses a new Renderer, so the render cache does not hide the work.
func BenchmarkRender(b *testing.B) {
	review := strings.Repeat("*Citizen Kane* is **long**, and ||Rosebud is a sled||. "+
		"See [the notes](https://example.com/kane).\n\n::: spoiler\n- He dies.\n:::\n\n", 20)
	for name, src := range map[string]string{
		"review":        review,
		"lone pipes":    strings.Repeat("||x\n", 5000),
		"stale pipes":   strings.Repeat("||x `||`\n", 3000),
		"nested fences": strings.Repeat("::: spoiler\n", 3000),
	} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				r := markdown.New()
				if _, err := r.Render(src); err != nil {
					b.Fatal(err)
				}
				if _, err := r.RenderReader(src); err != nil {
					b.Fatal(err)
				}
				markdown.Excerpt(src, 160)
			}
		})
	}
}

// BenchmarkRenderCached times a review rendered again, as every page after
// the first asks for it: a hash and a map lookup.
func BenchmarkRenderCached(b *testing.B) {
	src := strings.Repeat("*Citizen Kane* is **long**, and ||Rosebud is a sled||.\n\n", 20)
	r := markdown.New()
	for b.Loop() {
		if _, err := r.Render(src); err != nil {
			b.Fatal(err)
		}
	}
}
