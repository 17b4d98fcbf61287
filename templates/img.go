package templates

import (
	"context"
	"io"
	"strconv"

	"github.com/a-h/templ"
)

// Picture is one picture: an img with every rendition in srcset, sizes,
// and its width and height, so the browser picks the right file before
// layout and reserves the box. It loads lazily unless v.Eager (a picture
// on the first screen). Nothing is rendered for the zero PictureView.
//
// It is the one element written in Go rather than templ, for it is the
// one the site renders most (a poster in every row of every list of
// films, a portrait in every cast grid) and templ copies every attribute
// value through fmt.Sprint before escaping it: here each value is escaped
// straight into the page. The markup is what the templ component wrote
// (TestPictureMarkup).
func Picture(v PictureView) templ.Component {
	return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		if v.IsZero() {
			return nil
		}
		e := escapingWriter{w: w}
		e.raw(`<img class="picture`)
		if v.Generated {
			e.raw(" picture--generated")
		}
		if v.Class != "" {
			e.raw(" ")
			e.escaped(v.Class)
		}
		e.raw(`" src="`)
		e.escaped(v.Src)
		if len(v.Srcset) > 0 {
			e.raw(`" srcset="`)
			for i, c := range v.Srcset {
				if i > 0 {
					e.raw(", ")
				}
				e.escaped(c.URL)
				e.raw(" ")
				e.raw(strconv.Itoa(c.Width))
				e.raw("w")
			}
			e.raw(`" sizes="`)
			e.escaped(v.Sizes)
		}
		e.raw(`" width="`)
		e.raw(strconv.Itoa(v.Width))
		e.raw(`" height="`)
		e.raw(strconv.Itoa(v.Height))
		e.raw(`" alt="`)
		e.escaped(v.Alt)
		e.raw(`" loading="`)
		e.raw(v.loading())
		e.raw(`" decoding="async" fetchpriority="`)
		e.raw(v.fetchPriority())
		e.raw(`">`)
		return e.err
	})
}

// escapingWriter writes markup and escaped text to w, keeping the first
// error.
type escapingWriter struct {
	w   io.Writer
	err error
}

func (e *escapingWriter) raw(s string) {
	if e.err == nil {
		_, e.err = io.WriteString(e.w, s)
	}
}

// escaped writes s escaped as templ escapes text and attribute values
// (and as Text does).
func (e *escapingWriter) escaped(s string) {
	e.raw(templ.EscapeString(s))
}
