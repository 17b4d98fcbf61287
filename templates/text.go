package templates

import (
	"context"
	"io"

	"github.com/a-h/templ"
)

// Text is a string printed as HTML text, escaped as templ escapes { s }.
// templ prints every { s } through fmt.Sprint, which copies the string
// twice on the heap; Text writes it as it is. The components a page
// repeats many times (list rows, reader reviews, ratings) print their text
// with @Text(s): a fifth of all the allocations of an export of the site
// were those copies. TestTextIsTemplsText holds the two to the same bytes.
type Text string

// Render writes t escaped.
func (t Text) Render(_ context.Context, w io.Writer) error {
	_, err := io.WriteString(w, templ.EscapeString(string(t)))
	return err
}
