package http_test

import (
	"fmt"
	"net/http/httptest"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	dhttp "ducha/http"
	"ducha/internal/storetest"
)

// TestLoadConcurrentLogins is the documented load run of issue 6: 300
// logins at once, each from its own address, the right password for one of
// the seeded users. It prints the wall time, the answers, how many hashes
// ran at once and the process's peak resident memory; it asserts nothing
// about time. Run it alone, in a fresh process (DUCHA_LOAD_ENGINE=postgres
// for PostgreSQL, DUCHA_LOAD_WAIT=1m to let every login wait for a slot):
//
//	DUCHA_LOAD=1 go test ./http -run TestLoadConcurrentLogins -v -count=1
func TestLoadConcurrentLogins(t *testing.T) {
	if os.Getenv("DUCHA_LOAD") == "" {
		t.Skip("set DUCHA_LOAD=1 to run the load run")
	}
	engine := os.Getenv("DUCHA_LOAD_ENGINE")
	if engine == "" {
		engine = "sqlite"
	}
	limit := dhttp.DefaultLoginLimit()
	if d, err := time.ParseDuration(os.Getenv("DUCHA_LOAD_WAIT")); err == nil {
		limit.HashWait = d
	}
	g := seededRig(t, engine, limit)
	users := []string{"admin", "coord", "leader", "discipline", "liaison_yq", "head_yq", "liaison_hb", "head_hb", "liaison_sthj"}
	runtime.GC()
	before := peakRSS()
	const n = 300
	start := time.Now()
	got := g.concurrently(n, func(i int) *httptest.ResponseRecorder {
		return g.login(fmt.Sprintf("10.%d.%d.%d", i/65536, i/256%256, i%256), users[i%len(users)], storetest.Password)
	})
	t.Logf("%s, %d concurrent logins, %d hashes at once, wait %v: %v, answers %v, peak RSS %d MiB (before %d MiB)",
		engine, n, limit.MaxHashes, limit.HashWait, time.Since(start).Round(time.Millisecond), got, peakRSS()>>20, before>>20)
	t.Logf("most checks at once: %d", g.users.peak.Load())
}

// peakRSS is the process's peak resident set (VmHWM) in bytes.
func peakRSS() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			var kb int64
			fmt.Sscanf(strings.TrimSpace(v), "%d", &kb)
			return kb << 10
		}
	}
	return 0
}
