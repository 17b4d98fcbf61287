package web

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"

	"marquee/internal/film"
	"marquee/internal/paths"
)

// asset is one static file, held in memory under its hashed name.
type asset struct {
	body        []byte
	contentType string
	etag        string
}

// assets maps content-hashed names ("style.1a2b3c4d5e6f.css") to files, and
// plain names to hashed ones, so pages can link to the current version.
type assets struct {
	byHashedName map[string]asset
	hashedName   map[string]string
}

// loadAssets reads every file at the top of fsys and names it by its
// content hash.
func loadAssets(fsys fs.FS) (*assets, error) {
	a := &assets{byHashedName: map[string]asset{}, hashedName: map[string]string{}}
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("read static files: %w", err)
	}
	for _, e := range entries {
		name := e.Name()
		ext := path.Ext(name)
		if e.IsDir() || ext == ".go" {
			continue
		}
		body, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("read static file %s: %w", name, err)
		}
		sum := sha256.Sum256(body)
		hash := hex.EncodeToString(sum[:6])
		hashed := strings.TrimSuffix(name, ext) + "." + hash + ext
		contentType := mime.TypeByExtension(ext)
		if contentType == "" {
			contentType = "application/octet-stream"
		}
		a.byHashedName[hashed] = asset{body: body, contentType: contentType, etag: `"` + hash + `"`}
		a.hashedName[name] = hashed
	}
	return a, nil
}

// url returns the path at which the named static file is served. It panics
// when there is no such file: that is a programming error caught by any
// test that renders a page.
func (a *assets) url(name string) string {
	hashed, ok := a.hashedName[name]
	if !ok {
		panic("web: no static file " + name)
	}
	return paths.Static(hashed)
}

// serveAsset serves a static file by its hashed name. The content at a
// hashed name never changes, so it may be cached for a year.
func (s *Server) serveAsset(w http.ResponseWriter, r *http.Request) {
	f, ok := s.assets.byHashedName[r.PathValue("name")]
	if !ok {
		s.serveError(w, r, film.ErrNotFound)
		return
	}
	h := w.Header()
	h.Set("Content-Type", f.contentType)
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("ETag", f.etag)
	if matchesETag(r.Header.Get("If-None-Match"), f.etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Length", strconv.Itoa(len(f.body)))
	if r.Method != http.MethodHead {
		_, _ = w.Write(f.body)
	}
}

// matchesETag reports whether an If-None-Match header names etag.
func matchesETag(ifNoneMatch, etag string) bool {
	if ifNoneMatch == "" {
		return false
	}
	for candidate := range strings.SplitSeq(ifNoneMatch, ",") {
		candidate = strings.TrimSpace(candidate)
		if candidate == "*" || strings.TrimPrefix(candidate, "W/") == etag {
			return true
		}
	}
	return false
}
