package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"marquee/internal/film"
)

// serveHealth answers 200 when the database answers a query within two
// seconds and 503 when it does not, or when it has reported damage (with
// the reason), for load balancers and monitors.
func (s *Server) serveHealth(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if err := s.db.Ping(ctx); err != nil {
		s.log.LogAttrs(r.Context(), slog.LevelWarn, "health check failed",
			slog.String("request_id", requestID(r.Context())), slog.String("error", err.Error()))
		w.WriteHeader(http.StatusServiceUnavailable)
		if errors.Is(err, film.ErrCorrupt) {
			// The reason is for the operator's monitor: what SQLite found
			// and what to do.
			_, _ = fmt.Fprintf(w, "database damaged: %v\nrestore it from a backup (see marquee restore)\n", err)
			return
		}
		_, _ = w.Write([]byte("database unavailable\n"))
		return
	}
	_, _ = w.Write([]byte("ok\n"))
}
