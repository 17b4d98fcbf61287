package web

import (
	"context"
	"log/slog"
	"net/http"
	"time"
)

// serveHealth answers 200 when the database answers a query within two
// seconds and 503 when it does not, for load balancers and monitors.
func (s *Server) serveHealth(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if err := s.db.Ping(ctx); err != nil {
		s.log.LogAttrs(r.Context(), slog.LevelWarn, "health check failed",
			slog.String("request_id", requestID(r.Context())), slog.String("error", err.Error()))
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte("database unavailable\n"))
		return
	}
	_, _ = w.Write([]byte("ok\n"))
}
