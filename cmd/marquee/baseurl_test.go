package main

import (
	"bytes"
	"context"
	"net"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// canonicalLink matches a page's canonical link.
var canonicalLink = regexp.MustCompile(`<link rel="canonical" href="([^"]*)"`)

func canonicalOf(t *testing.T, s *server, path string) string {
	t.Helper()
	status, body := mustGet(t, s, path)
	m := canonicalLink.FindStringSubmatch(body)
	if status != 200 || m == nil {
		t.Fatalf("GET %s = %d with no canonical link", path, status)
	}
	return m[1]
}

func TestServeWritesAddressesAgainstTheBaseURL(t *testing.T) {
	s := mustStartServer(t, "-base-url", "https://films.example/")
	if got := canonicalOf(t, s, "/films/paris-2008"); got != "https://films.example/films/paris-2008" {
		t.Errorf("canonical = %q, want it on the configured base URL", got)
	}

	// Without one, the address is where the server listens.
	s = mustStartServer(t)
	if got := canonicalOf(t, s, "/films/paris-2008"); got != s.URL+"/films/paris-2008" {
		t.Errorf("canonical = %q, want %q", got, s.URL+"/films/paris-2008")
	}
}

func TestServeRefusesABadBaseURL(t *testing.T) {
	for _, bad := range []string{"films.example", "ftp://films.example", "https://films.example/marquee"} {
		var stdout, stderr bytes.Buffer
		args := []string{"serve", "-addr", "127.0.0.1:0", "-db", filepath.Join(t.TempDir(), "m.db"), "-base-url", bad}
		err := run(context.Background(), args, func(string) string { return "" }, nil, &stdout, &stderr)
		if err == nil || !strings.Contains(err.Error(), "-base-url") {
			t.Errorf("serve -base-url %q = %v, want an error naming the flag", bad, err)
		}
		if strings.Contains(stdout.String(), "serving at") {
			t.Errorf("serve -base-url %q served", bad)
		}
	}
	// The environment is read too, and the flag wins over it.
	env := func(k string) string {
		if k == "MARQUEE_BASE_URL" {
			return "not a url"
		}
		return ""
	}
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"serve", "-addr", "127.0.0.1:0", "-db", filepath.Join(t.TempDir(), "m.db")}, env, nil, &stdout, &stderr)
	if err == nil || !strings.Contains(err.Error(), "base URL") {
		t.Errorf("MARQUEE_BASE_URL=%q: %v, want refused", "not a url", err)
	}
}

func TestListenBaseURL(t *testing.T) {
	for _, tc := range []struct {
		addr string
		port int
		want string
	}{
		{"localhost:8080", 8080, "http://localhost:8080"},
		{":8080", 8080, "http://localhost:8080"},
		{"0.0.0.0:8080", 8080, "http://localhost:8080"},
		{"[::]:9000", 9000, "http://localhost:9000"},
		{"127.0.0.1:0", 41234, "http://127.0.0.1:41234"},
		{"[::1]:9000", 9000, "http://[::1]:9000"},
		{"films.example:80", 80, "http://films.example:80"},
	} {
		got := listenBaseURL(tc.addr, &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: tc.port})
		if got.String() != tc.want {
			t.Errorf("listenBaseURL(%q, port %d) = %q, want %q", tc.addr, tc.port, got, tc.want)
		}
	}
}
