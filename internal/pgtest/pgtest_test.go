package pgtest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestMain(m *testing.M) {
	code := m.Run()
	if err := StopShared(); err != nil {
		println("pgtest: StopShared:", err.Error())
		if code == 0 {
			code = 1
		}
	}
	os.Exit(code)
}

func open(t *testing.T, url string) *sql.DB {
	t.Helper()
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestSharedCluster(t *testing.T) {
	start := time.Now()
	c := Shared(t)
	t.Logf("Shared() took %v (port %d, binaries %s)", time.Since(start).Round(time.Millisecond), c.Port(), c.binDir)
	ctx := context.Background()

	urlA, err := c.CreateDB(t.Name() + "/A")
	if err != nil {
		t.Fatal(err)
	}
	urlB, err := c.CreateDB(t.Name() + "/B")
	if err != nil {
		t.Fatal(err)
	}
	if urlA == urlB {
		t.Fatalf("same URL for two databases: %s", urlA)
	}
	if !strings.HasPrefix(urlA, "postgres://postgres@127.0.0.1:") || !strings.HasSuffix(urlA, "/testsharedcluster_a?sslmode=disable") {
		t.Errorf("unexpected URL %s", urlA)
	}
	a, b := open(t, urlA), open(t, urlB)

	var version string
	if err := a.QueryRowContext(ctx, "SELECT version()").Scan(&version); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(version, "PostgreSQL") {
		t.Errorf("version() = %q, want it to mention PostgreSQL", version)
	}
	t.Log(version)

	for _, db := range []*sql.DB{a, b} {
		if _, err := db.ExecContext(ctx, "CREATE TABLE item (id int PRIMARY KEY, name text NOT NULL)"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := a.ExecContext(ctx, "INSERT INTO item VALUES (1, 'only in A')"); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := a.QueryRowContext(ctx, "SELECT count(*) FROM item").Scan(&n); err != nil || n != 1 {
		t.Fatalf("A: count = %d, err = %v; want 1", n, err)
	}
	if err := b.QueryRowContext(ctx, "SELECT count(*) FROM item").Scan(&n); err != nil || n != 0 {
		t.Fatalf("B: count = %d, err = %v; want 0 (databases must be isolated)", n, err)
	}

	// Same name again: a fresh database with a suffix, not an error.
	urlA2, err := c.CreateDB(t.Name() + "/A")
	if err != nil {
		t.Fatal(err)
	}
	if urlA2 == urlA {
		t.Fatalf("CreateDB returned an existing database: %s", urlA2)
	}
	if err := open(t, urlA2).QueryRowContext(ctx, "SELECT count(*) FROM pg_tables WHERE tablename = 'item'").Scan(&n); err != nil || n != 0 {
		t.Fatalf("re-created database is not fresh: %d tables named item, err = %v", n, err)
	}

	if Shared(t) != c {
		t.Fatal("Shared returned a different cluster on the second call")
	}
}

func TestSanitizeName(t *testing.T) {
	for in, want := range map[string]string{
		"TestFoo/sub-test":       "testfoo_sub_test",
		"123":                    "db_123",
		"":                       "db_",
		"ok_name9":               "ok_name9",
		"Ünïcode":                "_n_code",
		strings.Repeat("x", 100): strings.Repeat("x", 63),
	} {
		if got := SanitizeName(in); got != want {
			t.Errorf("SanitizeName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestBinariesAndRequired(t *testing.T) {
	if dir, ok := Binaries(); ok {
		t.Logf("binaries in %s", dir)
	}
	t.Setenv(RequireEnv, "true")
	if !Required() {
		t.Error("Required() = false with true")
	}
	t.Setenv(RequireEnv, "0")
	if Required() {
		t.Error("Required() = true with 0")
	}
	if !versionLess("9.6", "15") || versionLess("16", "15") {
		t.Error("versionLess is wrong")
	}
}

// A second, independent cluster can run next to the shared one and leaves
// nothing behind.
func TestStartStop(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	Shared(t) // skip/fail consistently with the shared cluster
	start := time.Now()
	c, err := Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("Start() took %v", time.Since(start).Round(time.Millisecond))
	if err := open(t, c.URL("postgres")).Ping(); err != nil {
		t.Fatal(err)
	}
	root := c.root
	start = time.Now()
	if err := c.Stop(); err != nil {
		t.Fatal(err)
	}
	t.Logf("Stop() took %v", time.Since(start).Round(time.Millisecond))
	if err := c.Stop(); err != nil {
		t.Fatalf("second Stop: %v", err)
	}
	if _, err := os.Stat(root); !os.IsNotExist(err) {
		t.Errorf("folder %s still there after Stop (err %v)", root, err)
	}
	if err := open(t, c.URL("postgres")).Ping(); err == nil {
		t.Error("server still answers after Stop")
	}
}

// fakeTB records Skip/Fatal instead of stopping the goroutine.
type fakeTB struct {
	testing.TB
	skipped, failed string
}

func (f *fakeTB) Helper()                           {}
func (f *fakeTB) Skip(args ...any)                  { f.skipped = fmt.Sprint(args...) }
func (f *fakeTB) Fatalf(format string, args ...any) { f.failed = fmt.Sprintf(format, args...) }

func TestAbsentBinaries(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	old := libGlob
	libGlob = "/nonexistent/postgresql/*/bin"
	defer func() { libGlob = old }()
	if dir, ok := Binaries(); ok {
		t.Fatalf("Binaries() found %s", dir)
	}
	_, err := Start()
	if !errors.Is(err, ErrNoBinaries) {
		t.Fatalf("Start() error = %v, want ErrNoBinaries", err)
	}

	oldShout := shout
	shout = func() {}
	defer func() { shout = oldShout }()
	t.Setenv(RequireEnv, "")
	f := &fakeTB{}
	if checkStart(f, err) || f.failed != "" || !strings.Contains(f.skipped, "SKIPPED") || !strings.Contains(f.skipped, RequireEnv+"=1") {
		t.Errorf("not required: skipped=%q failed=%q", f.skipped, f.failed)
	}
	t.Setenv(RequireEnv, "1")
	f = &fakeTB{}
	if checkStart(f, err) || f.skipped != "" || !strings.Contains(f.failed, "not found") {
		t.Errorf("required: skipped=%q failed=%q", f.skipped, f.failed)
	}
	t.Setenv(RequireEnv, "")
	f = &fakeTB{}
	if checkStart(f, errors.New("initdb exploded")) || f.skipped != "" || !strings.Contains(f.failed, "initdb exploded") {
		t.Errorf("broken install must fail even when not required: skipped=%q failed=%q", f.skipped, f.failed)
	}
}

func TestLibFallback(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	dir, ok := Binaries()
	if _, err := os.Stat("/usr/lib/postgresql"); err != nil {
		t.Skip("no /usr/lib/postgresql here")
	}
	if !ok || !strings.HasPrefix(dir, "/usr/lib/postgresql/") {
		t.Fatalf("Binaries() = %q, %v; want a /usr/lib/postgresql/*/bin folder", dir, ok)
	}
	t.Logf("fallback: %s", dir)
}

// The watchdog removes the server and its folder when the test process dies
// without calling Stop (here: SIGKILL).
func TestWatchdogAfterCrash(t *testing.T) {
	if os.Getenv("PGTEST_CRASH_CHILD") == "1" {
		c, err := Start()
		if err != nil {
			fmt.Println("ERR", err)
			os.Exit(1)
		}
		fmt.Printf("ROOT %s %s\n", c.root, c.URL("postgres"))
		os.Stdout.Sync()
		syscall.Kill(os.Getpid(), syscall.SIGKILL)
		select {}
	}
	if testing.Short() {
		t.Skip("short")
	}
	Shared(t) // skip/fail consistently with the shared cluster
	cmd := exec.Command(os.Args[0], "-test.run=^TestWatchdogAfterCrash$")
	cmd.Env = append(os.Environ(), "PGTEST_CRASH_CHILD=1")
	out, _ := cmd.Output()
	var root, url string
	if _, err := fmt.Sscanf(string(out), "ROOT %s %s", &root, &url); err != nil {
		t.Fatalf("child output %q: %v", out, err)
	}
	start := time.Now()
	for {
		_, statErr := os.Stat(root)
		pingErr := open(t, url).Ping()
		if os.IsNotExist(statErr) && pingErr != nil {
			break
		}
		if time.Since(start) > 30*time.Second {
			t.Fatalf("after 30s: folder %s stat err %v, server ping err %v", root, statErr, pingErr)
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Logf("orphaned server gone %v after the test process was killed", time.Since(start).Round(time.Millisecond))
}
