package web

import (
	"context"
	"log/slog"
	"net/http"
	"time"
)

// requestLog is what the access log learns about a request as it is served:
// the acting user, set by authenticate once it knows them.
type requestLog struct{ userID int64 }

type requestLogKey struct{}

// noteUser records the acting user for the access log line.
func noteUser(ctx context.Context, id int64) {
	if l, ok := ctx.Value(requestLogKey{}).(*requestLog); ok {
		l.userID = id
	}
}

// statusWriter remembers the status an answer was sent with.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// accessLog writes one line per request to log: method, path, status, time
// taken and the acting user's id. The query is left out, as it may carry a
// complainant's name or number typed into a search; so are headers, cookies
// and bodies.
func accessLog(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rl := &requestLog{}
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r.WithContext(context.WithValue(r.Context(), requestLogKey{}, rl)))
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		log.LogAttrs(r.Context(), slog.LevelInfo, "http",
			slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.Int("status", sw.status),
			slog.Duration("took", time.Since(start)), slog.Int64("user", rl.userID))
	})
}
