package web_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/PuerkitoBio/goquery"
)

// ratingProof reads the proof step of a first rating (see rateFilm) out of
// the response to a rating post, and returns the form to send again with
// the proof, as the script (JSON) or a person's click (the page's form)
// would; nil when the response is not that step.
func ratingProof(method, target string, form url.Values, resp *http.Response, body []byte) url.Values {
	if method != http.MethodPost || !strings.HasSuffix(target, "/rating") || resp.StatusCode != http.StatusOK ||
		form == nil || form.Get("confirm") != "" {
		return nil
	}
	var proof string
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		var step struct {
			Confirm string `json:"confirm"`
		}
		if json.Unmarshal(body, &step) != nil {
			return nil
		}
		proof = step.Confirm
	} else if doc, err := goquery.NewDocumentFromReader(strings.NewReader(string(body))); err == nil {
		proof, _ = doc.Find(`form.rate-confirm input[name="confirm"]`).Attr("value")
	}
	if proof == "" {
		return nil
	}
	again := url.Values{}
	for k, v := range form {
		again[k] = v
	}
	again.Set("confirm", proof)
	return again
}

// postFollowingProof posts form to target with client and, when the answer
// is a first rating's proof step, posts it again with the proof and the
// reader cookie the step set, as the page's script does. It returns the
// last answer with its body read.
func postFollowingProof(client *http.Client, target string, form url.Values, header http.Header) (*http.Response, []byte, error) {
	var cookies []*http.Cookie
	for {
		req, err := http.NewRequest(http.MethodPost, target, strings.NewReader(form.Encode()))
		if err != nil {
			return nil, nil, err
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for k, v := range header {
			req.Header[k] = v
		}
		for _, c := range cookies {
			req.AddCookie(c)
		}
		resp, err := client.Do(req)
		if err != nil {
			return nil, nil, err
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return nil, nil, err
		}
		again := ratingProof(http.MethodPost, req.URL.Path, form, resp, body)
		if again == nil {
			return resp, body, nil
		}
		form, cookies = again, resp.Cookies()
	}
}
