package web

import (
	"net/http"

	"marquee/internal/film"
)

// freshReadsCookie marks a browser that has just written (posted a form):
// for freshReadsFor after it, its requests read the primary database, on
// whichever app server answers them, so a store with read replicas never
// shows it a page from before its own rating, review or approval. The
// cookie is the stateless way across servers: no server need remember
// who wrote. Requests carrying it bypass the page cache anyway, since
// every form that writes needs a reader or session cookie.
const freshReadsCookie = "marquee_fresh"

// freshReadsFor is how long after a write the writer's reads go to the
// primary: more than a replica's allowed lag (postgres.DefaultMaxLag).
const freshReadsFor = 10 // seconds

// freshReads sets the cookie on the answers to requests that may write
// (anything but GET, HEAD and OPTIONS) and did not fail (a status under
// 400: a refused form wrote nothing, and sets no cookie), reads the
// primary for them, and marks the context of requests carrying the cookie
// with film.WithPrimaryReads. A store without replicas ignores the mark.
func (s *Server) freshReads(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			if _, err := r.Cookie(freshReadsCookie); err == nil {
				r = r.WithContext(film.WithPrimaryReads(r.Context()))
			}
		default:
			fw := &freshWriter{ResponseWriter: w, cookie: &http.Cookie{
				Name: freshReadsCookie, Value: "1", Path: "/", MaxAge: freshReadsFor,
				HttpOnly: true, Secure: s.isHTTPS(r), SameSite: http.SameSiteLaxMode,
			}}
			next.ServeHTTP(fw, r.WithContext(film.WithPrimaryReads(r.Context())))
			if !fw.wroteHeader {
				// An empty 200, sent as the handler returns.
				fw.WriteHeader(http.StatusOK)
			}
			return
		}
		next.ServeHTTP(w, r)
	})
}

// freshWriter adds the cookie to a response that succeeds, as its header
// is written.
type freshWriter struct {
	http.ResponseWriter
	cookie      *http.Cookie
	wroteHeader bool
}

func (w *freshWriter) WriteHeader(status int) {
	if !w.wroteHeader {
		w.wroteHeader = true
		if status < 400 {
			http.SetCookie(w.ResponseWriter, w.cookie)
		}
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *freshWriter) Write(b []byte) (int, error) {
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the writer underneath.
func (w *freshWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
