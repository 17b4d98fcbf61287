package web_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestUnknownPagesAreNotFound(t *testing.T) {
	s := mustSite(t)
	for _, path := range []string{
		"/films/no-such-film",
		"/people/nobody-at-all",
		"/films/Paris-2008",   // slugs are lower-case
		"/films/paris%202008", // not a slug at all
		"/films/" + strings.Repeat("a", 300),
		"/no/such/page",
		"/films/paris-2008/extra",
		"/static/style.css", // assets are served only by their hashed names
		"/static/style.000000000000.css",
	} {
		t.Run(path, func(t *testing.T) {
			doc, body := s.mustPage(t, path, http.StatusNotFound)
			if got := text(doc, "h1"); got != "Page not found" {
				t.Errorf("h1 = %q, want Page not found", got)
			}
			if !strings.Contains(body, `href="/"`) {
				t.Error("404 page has no way back to the films")
			}
		})
	}
}

func TestWrongMethodIs405(t *testing.T) {
	s := mustSite(t)
	resp := s.do(t, http.MethodPost, "/films/paris-2008", nil)
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Fatalf("POST film page = %d, want 405", resp.StatusCode)
	}
	if allow := resp.Header.Get("Allow"); !strings.Contains(allow, "GET") {
		t.Errorf("Allow = %q", allow)
	}
}

func TestHeadAnswersLikeGetWithoutBody(t *testing.T) {
	s := mustSite(t)
	get := s.do(t, http.MethodGet, "/films/paris-2008", nil)
	head := s.do(t, http.MethodHead, "/films/paris-2008", nil)
	if head.StatusCode != http.StatusOK {
		t.Fatalf("HEAD = %d", head.StatusCode)
	}
	body, _ := io.ReadAll(head.Body)
	if len(body) != 0 {
		t.Errorf("HEAD sent %d bytes of body", len(body))
	}
	if head.Header.Get("Content-Length") != get.Header.Get("Content-Length") || head.Header.Get("ETag") != get.Header.Get("ETag") {
		t.Errorf("HEAD headers differ from GET: %v vs %v", head.Header, get.Header)
	}
}

func TestConditionalGet(t *testing.T) {
	s := mustSite(t)
	first := s.do(t, http.MethodGet, "/films/paris-2008", nil)
	etag := first.Header.Get("ETag")
	if etag == "" {
		t.Fatal("film page has no ETag")
	}
	again := s.do(t, http.MethodGet, "/films/paris-2008", http.Header{"If-None-Match": {etag}})
	if again.StatusCode != http.StatusNotModified {
		t.Fatalf("GET with matching If-None-Match = %d, want 304", again.StatusCode)
	}
	if body, _ := io.ReadAll(again.Body); len(body) != 0 {
		t.Errorf("304 carried a %d-byte body", len(body))
	}
	stale := s.do(t, http.MethodGet, "/films/paris-2008", http.Header{"If-None-Match": {`"stale"`}})
	if stale.StatusCode != http.StatusOK {
		t.Errorf("GET with a stale ETag = %d, want 200", stale.StatusCode)
	}
}

func TestSecurityHeaders(t *testing.T) {
	s := mustSite(t)
	resp := s.do(t, http.MethodGet, "/films/paris-2008", nil)
	for header, want := range map[string]string{
		"Content-Security-Policy": "default-src 'self'",
		"X-Content-Type-Options":  "nosniff",
		"Referrer-Policy":         "strict-origin-when-cross-origin",
		"X-Frame-Options":         "DENY",
	} {
		if got := resp.Header.Get(header); !strings.Contains(got, want) {
			t.Errorf("%s = %q, want it to contain %q", header, got, want)
		}
	}
}

func TestStylesheetIsHashedAndCachedForever(t *testing.T) {
	s := mustSite(t)
	doc, _ := s.mustPage(t, "/films/paris-2008", http.StatusOK)
	href, ok := doc.Find(`link[rel=stylesheet]`).Attr("href")
	if !ok || !strings.HasPrefix(href, "/static/style.") || !strings.HasSuffix(href, ".css") || href == "/static/style.css" {
		t.Fatalf("stylesheet href = %q, want /static/style.<hash>.css", href)
	}
	resp := s.do(t, http.MethodGet, href, nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s = %d", href, resp.StatusCode)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/css") {
		t.Errorf("Content-Type = %q", ct)
	}
	if cc := resp.Header.Get("Cache-Control"); cc != "public, max-age=31536000, immutable" {
		t.Errorf("Cache-Control = %q", cc)
	}
	body, _ := io.ReadAll(resp.Body)
	if len(body) == 0 {
		t.Error("stylesheet is empty")
	}
	icon, _ := doc.Find(`link[rel=icon]`).Attr("href")
	if resp := s.do(t, http.MethodGet, icon, nil); resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "image/svg+xml" {
		t.Errorf("icon %s = %d %q", icon, resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}

func TestHealth(t *testing.T) {
	s := mustSite(t)
	if resp := s.do(t, http.MethodGet, "/healthz", nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("healthz = %d with the database up, want 200", resp.StatusCode)
	}
	s.db.Close()
	if resp := s.do(t, http.MethodGet, "/healthz", nil); resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("healthz = %d with the database closed, want 503", resp.StatusCode)
	}
}

// TestFailureIsA500PageWithoutDetails closes the database under the site:
// the reader gets a complete error page saying only that something went
// wrong, and the real error goes to the log, once.
func TestFailureIsA500PageWithoutDetails(t *testing.T) {
	s := mustSite(t)
	s.db.Close()
	doc, body := s.mustPage(t, "/films/paris-2008", http.StatusInternalServerError)
	if got := text(doc, "h1"); got != "Something went wrong" {
		t.Errorf("h1 = %q", got)
	}
	for _, leak := range []string{"sql", "database is closed", "goroutine", ".go:"} {
		if strings.Contains(body, leak) {
			t.Errorf("500 page leaks %q", leak)
		}
	}
	if !strings.HasSuffix(strings.TrimSpace(body), "</html>") {
		t.Error("500 page is not a complete document")
	}
	logs := s.logs.String()
	if n := strings.Count(logs, "request failed"); n != 1 {
		t.Errorf("error logged %d times, want once:\n%s", n, logs)
	}
	if !strings.Contains(logs, "database is closed") || !strings.Contains(logs, "path=/films/paris-2008") {
		t.Errorf("log lacks the error or the path:\n%s", logs)
	}
}

// TestClientThatLeavesIsLoggedAs499: a request whose client has gone before
// the answer is ready is the client's doing: logged once as 499 at the
// info level, never as a failed request with a 500.
func TestClientThatLeavesIsLoggedAs499(t *testing.T) {
	s := mustSite(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req := httptest.NewRequest(http.MethodGet, "/films/paris-2008", nil).WithContext(ctx)
	rec := httptest.NewRecorder()
	s.handler.ServeHTTP(rec, req)
	logs := s.logs.String()
	if !strings.Contains(logs, "status=499") || strings.Contains(logs, "level=ERROR") || strings.Contains(logs, "request failed") {
		t.Errorf("logs after the client left:\n%s", logs)
	}
	if rec.Body.Len() != 0 {
		t.Errorf("wrote %d bytes to a client that had left", rec.Body.Len())
	}
}
