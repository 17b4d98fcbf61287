package web

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"time"

	"marquee/internal/film"
)

// readerCookie names the cookie that identifies an anonymous reader: a
// random token, never an account, so that one rating per reader per film
// and one helpful vote per review hold without sign-up.
const readerCookie = "marquee_reader"

// readerCookieLifetime is how long a reader keeps their identity without
// visiting: two years, renewed by every write.
const readerCookieLifetime = 2 * 365 * 24 * time.Hour

// readerToken returns the reader token in the request's cookie, or "" when
// there is none or it is malformed.
func readerToken(r *http.Request) string {
	c, err := r.Cookie(readerCookie)
	if err != nil {
		return ""
	}
	raw, err := base64.RawURLEncoding.DecodeString(c.Value)
	if err != nil || len(raw) != 32 {
		return ""
	}
	return c.Value
}

// tokenHash is what the database stores for a reader token.
func tokenHash(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}

// ensureReader returns the id of the request's reader, creating a reader
// and setting the cookie when there is none, and renews the cookie.
func (s *Server) ensureReader(w http.ResponseWriter, r *http.Request) (int64, error) {
	token := readerToken(r)
	if token == "" {
		token = newReaderToken()
	}
	id, err := s.db.Reader(r.Context(), tokenHash(token), s.now())
	if err != nil {
		return 0, err
	}
	s.setReaderCookie(w, r, token)
	return id, nil
}

// newReaderToken makes a reader's random cookie token.
func newReaderToken() string {
	var raw [32]byte
	_, _ = rand.Read(raw[:]) // crypto/rand.Read never fails on supported platforms.
	return base64.RawURLEncoding.EncodeToString(raw[:])
}

// setReaderCookie gives the client the reader cookie holding token.
func (s *Server) setReaderCookie(w http.ResponseWriter, r *http.Request, token string) {
	http.SetCookie(w, &http.Cookie{
		Name:     readerCookie,
		Value:    token,
		Path:     "/",
		MaxAge:   int(readerCookieLifetime / time.Second),
		HttpOnly: true,
		Secure:   s.isHTTPS(r),
		SameSite: http.SameSiteLaxMode,
	})
}

// knownReader returns the request's cookie token ("" for none) and the id
// of the reader it names, 0 when the cookie is fresh: never written with
// before, or invented. Only a known reader skips the stuffing defence's
// proof and fresh-cookie counting.
func (s *Server) knownReader(r *http.Request) (string, int64, error) {
	token := readerToken(r)
	if token == "" {
		return "", 0, nil
	}
	id, err := s.db.FindReader(r.Context(), tokenHash(token))
	if errors.Is(err, film.ErrNotFound) {
		return token, 0, nil
	}
	return token, id, err
}

// isHTTPS reports whether the client reached the site over TLS, directly
// or (when the site trusts its proxy) through a TLS-terminating proxy.
func (s *Server) isHTTPS(r *http.Request) bool {
	return r.TLS != nil || (s.trustProxy && r.Header.Get("X-Forwarded-Proto") == "https")
}
