package http_test

import (
	"os"
	"testing"

	"ducha/internal/pgtest"
)

// TestMain stops the shared PostgreSQL cluster that the throttle tests
// start on first use.
func TestMain(m *testing.M) {
	code := m.Run()
	pgtest.StopShared()
	os.Exit(code)
}
