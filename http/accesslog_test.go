package http_test

import (
	"bytes"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"testing"

	dhttp "ducha/http"
)

// lockedBuffer is a buffer the server's goroutines may write to.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string { l.mu.Lock(); defer l.mu.Unlock(); return l.b.String() }

// TestAccessLog: one line per request with method, path, status, time and
// the acting user's id; never the query (a search may hold a complainant's
// name), a password or a token.
func TestAccessLog(t *testing.T) {
	var buf lockedBuffer
	e := newEnvWith(t, func(s *dhttp.Server) { s.AccessLog = slog.New(slog.NewTextHandler(&buf, nil)) })

	e.api("GET", "/api/v1/problems?q=张三13812345678", "coordinator", "")
	e.api("GET", "/api/v1/problems/999999", "liaison", "")
	e.api("POST", "/api/v1/login", "", `{"username":"coord","password":"`+password+`"}`)
	log := buf.String()
	lines := strings.Split(strings.TrimSpace(log), "\n")
	if len(lines) != 3 {
		t.Fatalf("want 3 lines, got %d:\n%s", len(lines), log)
	}
	coord := strconv.FormatInt(e.users["coordinator"].ID, 10)
	liaison := strconv.FormatInt(e.users["liaison"].ID, 10)
	for i, want := range [][]string{
		{"method=GET", "path=/api/v1/problems", "status=200", "took=", "user=" + coord},
		{"method=GET", "path=/api/v1/problems/999999", "status=404", "user=" + liaison},
		{"method=POST", "path=/api/v1/login", "status=200", "user=0"},
	} {
		for _, w := range want {
			if !strings.Contains(lines[i], w) {
				t.Errorf("line %d %q lacks %q", i, lines[i], w)
			}
		}
	}
	for _, secret := range []string{"张三", "13812345678", "q=", password, e.tokens["coordinator"]} {
		if strings.Contains(log, secret) {
			t.Errorf("the access log holds %q:\n%s", secret, log)
		}
	}
}
