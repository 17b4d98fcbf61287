package templates

import (
	"bytes"
	"context"
	"encoding/json"
	"io"

	"github.com/a-h/templ"
)

// ldScript prints one JSON-LD document as an application/ld+json data
// block without encoding it a second time. Every page's documents come
// from json.Marshal, compact and with '<', '>' and '&' escaped, and for
// such a document this is byte for byte what templ.JSONScript prints. A
// document holding a '<' (which could close the script or open a
// comment), or a page with a script nonce, goes through JSONScript.
func ldScript(doc json.RawMessage) templ.Component {
	return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		if bytes.IndexByte(doc, '<') >= 0 || templ.GetNonce(ctx) != "" {
			return templ.JSONScript("", doc).WithType("application/ld+json").Render(ctx, w)
		}
		if _, err := io.WriteString(w, `<script type="application/ld+json">`); err != nil {
			return err
		}
		if _, err := w.Write(doc); err != nil {
			return err
		}
		_, err := io.WriteString(w, "\n</script>")
		return err
	})
}
