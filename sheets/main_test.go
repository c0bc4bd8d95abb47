package sheets_test

import (
	"os"
	"testing"

	"ducha/internal/pgtest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	pgtest.StopShared()
	os.Exit(code)
}
