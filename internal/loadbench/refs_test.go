package loadbench

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// page is one response body as Marquee sent it, which the references
// serve too.
type page struct {
	Path         string
	ContentType  string
	CacheControl string
	Plain        []byte
	// Gzip is the compressed body: Marquee's own when it sent one,
	// otherwise Plain compressed here at the best level.
	Gzip        []byte
	MarqueeGzip bool // Marquee answered Accept-Encoding: gzip with gzip
}

// fetchPage reads path from a running Marquee, plain and with gzip.
func fetchPage(base, path string) (page, error) {
	p := page{Path: path}
	// The transport must not ask for gzip on its own and undo it.
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}, Timeout: 30 * time.Second}
	get := func(gz bool) (*http.Response, []byte, error) {
		req, _ := http.NewRequest(http.MethodGet, base+path, nil)
		if gz {
			req.Header.Set("Accept-Encoding", "gzip")
		}
		resp, err := client.Do(req)
		if err != nil {
			return nil, nil, err
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err == nil && resp.StatusCode != http.StatusOK {
			err = fmt.Errorf("GET %s: %s", path, resp.Status)
		}
		return resp, body, err
	}
	resp, body, err := get(false)
	if err != nil {
		return p, err
	}
	p.Plain, p.ContentType, p.CacheControl = body, resp.Header.Get("Content-Type"), resp.Header.Get("Cache-Control")
	resp, body, err = get(true)
	if err != nil {
		return p, err
	}
	if resp.Header.Get("Content-Encoding") == "gzip" {
		plain, err := gunzip(body)
		if err != nil {
			return p, fmt.Errorf("GET %s with gzip: %v", path, err)
		}
		if !bytes.Equal(plain, p.Plain) {
			return p, fmt.Errorf("GET %s: the gzip body does not hold the plain body", path)
		}
		p.Gzip, p.MarqueeGzip = body, true
	} else {
		var b bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
		zw.Write(p.Plain)
		zw.Close()
		p.Gzip = b.Bytes()
	}
	return p, nil
}

func gunzip(b []byte) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	return io.ReadAll(zr)
}

// startGoServer starts the minimal reference in this process: a net/http
// server holding each page's bytes in memory, answering with the same
// Content-Type and a fixed ETag, and with the gzip bytes to a client that
// takes them. It is what serving a page can cost at the least in Go.
func startGoServer(t *testing.T, pages []page) string {
	t.Helper()
	type entry struct {
		page
		etag string
	}
	byPath := map[string]entry{}
	for i, p := range pages {
		byPath[p.Path] = entry{p, fmt.Sprintf(`"page-%d"`, i)}
	}
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		e, ok := byPath[r.URL.RequestURI()]
		if !ok {
			http.NotFound(w, r)
			return
		}
		h := w.Header()
		h.Set("Content-Type", e.ContentType)
		h.Set("ETag", e.etag)
		h.Set("Vary", "Accept-Encoding")
		if r.Header.Get("If-None-Match") == e.etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		body := e.Plain
		if strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			body = e.Gzip
			h.Set("Content-Encoding", "gzip")
		}
		h.Set("Content-Length", fmt.Sprint(len(body)))
		w.Write(body)
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 5 * time.Second, IdleTimeout: 120 * time.Second}
	go srv.Serve(ln)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
	})
	return "http://" + ln.Addr().String()
}

// startNginx serves the pages as files with nginx in the foreground,
// configured in dir: each page at <path>/index.html beside a
// pre-compressed index.html.gz that gzip_static sends as it is. nginx is
// set up as a fast static server would be (sendfile, an open-file cache,
// long keep-alive), so the comparison is with nginx at its best.
func startNginx(t *testing.T, nginx, dir string, pages []page) (string, *proc) {
	t.Helper()
	site := filepath.Join(dir, "site")
	for _, p := range pages {
		d := filepath.Join(site, filepath.FromSlash(strings.TrimPrefix(p.Path, "/")))
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(d, "index.html"), p.Plain, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(d, "index.html.gz"), p.Gzip, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	addr := freeAddr(t)
	// nginx creates its temporary directories at their compiled-in places
	// unless told otherwise; only the modules it was built with take the
	// directives.
	version, _ := runTool(context.Background(), dir, nginx, "-V")
	var temps strings.Builder
	for _, m := range []string{"client_body", "proxy", "fastcgi", "uwsgi", "scgi"} {
		if m != "client_body" && strings.Contains(version, "--without-http_"+m+"_module") {
			continue
		}
		fmt.Fprintf(&temps, "    %s_temp_path %s;\n", m, filepath.Join(dir, "tmp-"+m))
	}
	conf := fmt.Sprintf(`daemon off;
master_process on;
worker_processes 2;
pid %[1]s/nginx.pid;
error_log %[1]s/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    types { text/html html; }
    default_type application/octet-stream;
    charset utf-8;
    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    keepalive_timeout 120s;
    keepalive_requests 1000000;
    open_file_cache max=1000 inactive=60s;
    gzip off;
    gzip_static on;
%[2]s    server {
        listen %[3]s;
        root %[4]s;
        location / { try_files $uri $uri/index.html =404; }
    }
}
`, dir, temps.String(), addr, site)
	confPath := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(confPath, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	p := startProc(t, "nginx", filepath.Join(dir, "nginx.log"), childEnv(), nginx,
		"-p", dir, "-c", confPath, "-e", filepath.Join(dir, "error.log"))
	url := "http://" + addr
	if _, err := p.waitFor200(url+pages[0].Path, time.Now(), 20*time.Second); err != nil {
		t.Fatalf("%v\n%s", err, readFile(filepath.Join(dir, "error.log")))
	}
	return url, p
}

func readFile(path string) string {
	b, _ := os.ReadFile(path)
	return string(b)
}

// checkSameBytes fetches every page from a reference and checks that it
// sends what Marquee sent, plain and gzip.
func checkSameBytes(name, base string, pages []page) error {
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}, Timeout: 10 * time.Second}
	var errs []error
	for _, p := range pages {
		for _, gz := range []bool{false, true} {
			req, _ := http.NewRequest(http.MethodGet, base+p.Path, nil)
			want := p.Plain
			if gz {
				req.Header.Set("Accept-Encoding", "gzip")
				want = p.Gzip
			}
			resp, err := client.Do(req)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			body, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			switch {
			case err != nil:
				errs = append(errs, err)
			case resp.StatusCode != http.StatusOK:
				errs = append(errs, fmt.Errorf("%s %s (gzip %v): %s", name, p.Path, gz, resp.Status))
			case !bytes.Equal(body, want):
				errs = append(errs, fmt.Errorf("%s %s (gzip %v): %d bytes, not the %d Marquee sent", name, p.Path, gz, len(body), len(want)))
			case resp.Header.Get("Content-Type") != p.ContentType:
				errs = append(errs, fmt.Errorf("%s %s: Content-Type %q, not %q", name, p.Path, resp.Header.Get("Content-Type"), p.ContentType))
			}
		}
	}
	return errors.Join(errs...)
}
