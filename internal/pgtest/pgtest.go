// Package pgtest starts throwaway PostgreSQL clusters for tests, using the
// PostgreSQL server binaries installed on the machine (initdb, pg_ctl,
// postgres). Nothing is downloaded and no system service is touched: each
// cluster lives in its own temporary folder, listens on 127.0.0.1 on a free
// port, trusts every local connection and is thrown away by Stop.
//
// Typical use, one cluster per test binary, started lazily:
//
//	func TestMain(m *testing.M) {
//		code := m.Run()
//		pgtest.StopShared()
//		os.Exit(code)
//	}
//
//	func TestSomething(t *testing.T) {
//		url, err := pgtest.Shared(t).CreateDB(t.Name())
//		...
//	}
//
// When the binaries are not installed, Shared skips the test with a loud
// message, unless DUCHA_REQUIRE_PG=1 (as in CI), in which case it fails.
// A cluster that is installed but fails to start always fails the test.
//
// PostgreSQL refuses to run as root; when the test runs as root, initdb and
// pg_ctl are run as the "postgres" user through runuser(1).
//
// Crashed test runs: pg_ctl detaches the server from the test process, so
// a test binary that dies without calling Stop (go test -timeout, kill -9,
// Ctrl-C) would leave the server running. To avoid this, Start also launches
// a tiny shell watchdog in its own session that polls the test process once a
// second; when the test process is gone, it shuts the server down
// (SIGQUIT, i.e. immediate shutdown) and removes the temporary folder.
// Stop kills the watchdog after a normal shutdown.
package pgtest

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
)

// RequireEnv is the environment variable that turns "PostgreSQL binaries not
// found" from a skip into a failure. CI sets it to 1.
const RequireEnv = "DUCHA_REQUIRE_PG"

// SkipMessage is the message used when the binaries are absent and not required.
const SkipMessage = "PostgreSQL binaries not found: PostgreSQL store tests SKIPPED; set " + RequireEnv + "=1 to make this a failure"

const (
	connectWait  = 30 * time.Second // how long Start waits for a first connection
	startTries   = 3                // attempts when the picked port got taken meanwhile
	logTailBytes = 4000             // how much of the server log goes into errors
)

// Cluster is a running throwaway PostgreSQL cluster.
type Cluster struct {
	binDir  string
	root    string // temporary folder holding everything below
	dataDir string // root/data
	sockDir string // root/s
	logFile string // root/postgres.log
	port    int
	asUser  *user.User // non-nil when commands run through runuser
	running bool       // pg_ctl start succeeded

	admin    *sql.DB   // connection pool to the "postgres" database
	watchdog *exec.Cmd // kills the server if the test process dies

	mu      sync.Mutex
	stopped bool
}

// Required reports whether missing PostgreSQL binaries must fail the tests
// rather than skip them: DUCHA_REQUIRE_PG is "1" or "true".
func Required() bool {
	v := strings.TrimSpace(os.Getenv(RequireEnv))
	return v == "1" || strings.EqualFold(v, "true")
}

// libGlob is where distribution packages put versioned binaries (a variable
// for tests).
var libGlob = "/usr/lib/postgresql/*/bin"

// Binaries finds the folder holding initdb and pg_ctl: first on $PATH, then
// the highest version among /usr/lib/postgresql/*/bin (Debian/Ubuntu layout).
func Binaries() (dir string, ok bool) {
	if p, err := exec.LookPath("initdb"); err == nil {
		d := filepath.Dir(p)
		if hasBinaries(d) {
			return d, true
		}
	}
	dirs, _ := filepath.Glob(libGlob)
	sort.Slice(dirs, func(i, j int) bool {
		return versionLess(filepath.Base(filepath.Dir(dirs[j])), filepath.Base(filepath.Dir(dirs[i])))
	})
	for _, d := range dirs {
		if hasBinaries(d) {
			return d, true
		}
	}
	return "", false
}

func hasBinaries(dir string) bool {
	for _, name := range []string{"initdb", "pg_ctl", "postgres"} {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil || fi.IsDir() || fi.Mode().Perm()&0o111 == 0 {
			return false
		}
	}
	return true
}

// versionLess compares versions like "9.6", "15", "16.2" numerically.
func versionLess(a, b string) bool {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(as) || i < len(bs); i++ {
		var x, y int
		if i < len(as) {
			x, _ = strconv.Atoi(as[i])
		}
		if i < len(bs) {
			y, _ = strconv.Atoi(bs[i])
		}
		if x != y {
			return x < y
		}
	}
	return a < b
}

// ErrNoBinaries is returned by Start when initdb/pg_ctl cannot be found.
var ErrNoBinaries = errors.New("pgtest: PostgreSQL binaries (initdb, pg_ctl, postgres) not found on $PATH nor in /usr/lib/postgresql/*/bin")

// Start creates and starts a new cluster. It returns ErrNoBinaries (test
// with errors.Is) when PostgreSQL is not installed. The caller must Stop it.
func Start() (*Cluster, error) {
	binDir, ok := Binaries()
	if !ok {
		return nil, ErrNoBinaries
	}
	c := &Cluster{binDir: binDir}
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			return nil, fmt.Errorf("pgtest: running as root, PostgreSQL refuses to run as root and there is no \"postgres\" user to run it as: %w", err)
		}
		c.asUser = u
	}
	if err := c.makeRoot(); err != nil {
		return nil, err
	}
	if err := c.start(); err != nil {
		if c.running {
			c.run("pg_ctl", "stop", "-m", "immediate", "-w", "-D", c.dataDir)
		}
		if c.admin != nil {
			c.admin.Close()
		}
		c.cleanup()
		return nil, err
	}
	return c, nil
}

// makeRoot creates the temporary folder, traversable by the postgres user.
func (c *Cluster) makeRoot() error {
	base := os.TempDir()
	// The socket path (root/s/.s.PGSQL.NNNNN) must fit in ~107 bytes, and
	// as root the postgres user must be able to reach the folder.
	if len(base) > 60 || (c.asUser != nil && !traversable(base)) {
		base = "/tmp"
	}
	root, err := os.MkdirTemp(base, "ducha-pgtest-")
	if err != nil {
		return fmt.Errorf("pgtest: %w", err)
	}
	c.root = root
	c.dataDir = filepath.Join(root, "data")
	c.sockDir = filepath.Join(root, "s")
	c.logFile = filepath.Join(root, "postgres.log")
	if err := os.Chmod(root, 0o755); err != nil {
		c.cleanup()
		return fmt.Errorf("pgtest: %w", err)
	}
	if err := os.Mkdir(c.sockDir, 0o755); err != nil {
		c.cleanup()
		return fmt.Errorf("pgtest: %w", err)
	}
	if c.asUser != nil {
		uid, _ := strconv.Atoi(c.asUser.Uid)
		gid, _ := strconv.Atoi(c.asUser.Gid)
		for _, p := range []string{root, c.sockDir} {
			if err := os.Chown(p, uid, gid); err != nil {
				c.cleanup()
				return fmt.Errorf("pgtest: chown %s to postgres: %w", p, err)
			}
		}
	}
	return nil
}

// traversable reports whether every folder from dir up to / can be
// traversed by other users.
func traversable(dir string) bool {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return false
	}
	for {
		fi, err := os.Stat(dir)
		if err != nil || fi.Mode().Perm()&0o001 == 0 {
			return false
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return true
		}
		dir = parent
	}
}

func (c *Cluster) start() error {
	// initdb, with a fallback for systems without the C.UTF-8 locale.
	base := []string{"-D", c.dataDir, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync"}
	out, err := c.run("initdb", append(base, "--locale=C.UTF-8")...)
	if err != nil {
		os.RemoveAll(c.dataDir)
		out2, err2 := c.run("initdb", append(base, "--locale=C")...)
		if err2 != nil {
			return fmt.Errorf("pgtest: initdb failed with --locale=C.UTF-8: %v\n%s\nand with --locale=C: %v\n%s", err, out, err2, out2)
		}
	}

	var lastErr error
	for try := 0; try < startTries; try++ {
		port, err := freePort()
		if err != nil {
			return fmt.Errorf("pgtest: picking a free port: %w", err)
		}
		c.port = port
		out, err := c.run("pg_ctl", "start", "-w", "-t", "60", "-D", c.dataDir, "-l", c.logFile, "-o", c.serverOptions())
		if err != nil {
			lastErr = fmt.Errorf("pgtest: pg_ctl start failed: %v\n%s\nserver log:\n%s", err, out, c.logTail())
			// Another process may have grabbed the port between our
			// check and the server's bind: try another one.
			if strings.Contains(c.logTail(), "could not bind") || strings.Contains(c.logTail(), "already in use") {
				continue
			}
			return lastErr
		}
		lastErr = nil
		c.running = true
		break
	}
	if lastErr != nil {
		return lastErr
	}
	c.startWatchdog()

	db, err := sql.Open("pgx", c.URL("postgres"))
	if err != nil {
		return fmt.Errorf("pgtest: %w", err)
	}
	c.admin = db
	deadline := time.Now().Add(connectWait)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		err = db.PingContext(ctx)
		cancel()
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("pgtest: server started but no connection succeeded within %v: %v\nserver log:\n%s", connectWait, err, c.logTail())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// serverOptions are the postgres options: this cluster's port and socket
// folder, and durability off (a throwaway cluster trades it for speed; ducha
// itself never turns synchronous_commit off).
func (c *Cluster) serverOptions() string {
	return fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 -c shared_buffers=256MB", c.port, c.sockDir)
}

// Halt stops the server, as an outage would, and keeps its data; Resume
// starts it again on the same port. It shuts down in fast mode: with this
// cluster's synchronous_commit=off an immediate stop could lose the last
// acknowledged commits, which a real server (synchronous_commit on) keeps.
func (c *Cluster) Halt() error {
	if out, err := c.run("pg_ctl", "stop", "-m", "fast", "-w", "-D", c.dataDir); err != nil {
		return fmt.Errorf("pgtest: pg_ctl stop failed: %v\n%s", err, out)
	}
	return nil
}

// Resume starts a halted server again.
func (c *Cluster) Resume() error {
	if out, err := c.run("pg_ctl", "start", "-w", "-t", "60", "-D", c.dataDir, "-l", c.logFile, "-o", c.serverOptions()); err != nil {
		return fmt.Errorf("pgtest: pg_ctl start failed: %v\n%s\nserver log:\n%s", err, out, c.logTail())
	}
	return nil
}

// Private starts a cluster of the test's own, for a test that halts or
// breaks it; it is stopped when the test ends. Missing binaries skip or
// fail the test as for Shared.
func Private(tb testing.TB) *Cluster {
	tb.Helper()
	c, err := Start()
	if !checkStart(tb, err) {
		return nil
	}
	tb.Cleanup(func() { c.Stop() })
	return c
}

// run runs one of the PostgreSQL binaries, as the postgres user when we are
// root, and returns its combined output.
func (c *Cluster) run(name string, args ...string) ([]byte, error) {
	bin := filepath.Join(c.binDir, name)
	var cmd *exec.Cmd
	if c.asUser != nil {
		runuser, err := findRunuser()
		if err != nil {
			return nil, err
		}
		cmd = exec.Command(runuser, append([]string{"-u", c.asUser.Username, "--", bin}, args...)...)
	} else {
		cmd = exec.Command(bin, args...)
	}
	cmd.Dir = c.root // the current folder may not be readable by postgres
	cmd.Env = cleanEnv()
	var buf bytes.Buffer
	cmd.Stdout = &buf
	cmd.Stderr = &buf
	// pg_ctl redirects the server to the log file, but never let a child
	// that kept our pipe open hang the test.
	cmd.WaitDelay = 5 * time.Second
	err := cmd.Run()
	return buf.Bytes(), err
}

func findRunuser() (string, error) {
	if p, err := exec.LookPath("runuser"); err == nil {
		return p, nil
	}
	for _, p := range []string{"/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser", "/bin/runuser"} {
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", errors.New("pgtest: running as root, PostgreSQL refuses to run as root and runuser(1) was not found to switch to the postgres user")
}

// cleanEnv drops PG* variables (PGDATA, PGPORT, PGOPTIONS...) that could
// change what the binaries do.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PG") {
			env = append(env, kv)
		}
	}
	return env
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func (c *Cluster) logTail() string {
	b, err := os.ReadFile(c.logFile)
	if err != nil {
		return "(no server log: " + err.Error() + ")"
	}
	if len(b) > logTailBytes {
		b = append([]byte("..."), b[len(b)-logTailBytes:]...)
	}
	return string(b)
}

// watchdogScript shuts the server down and removes the folder once the
// process $1 (the test binary) is gone. $2 is the data folder, $3 the root.
const watchdogScript = `
while kill -0 "$1" 2>/dev/null; do sleep 1; done
pid=$(head -n 1 "$2/postmaster.pid" 2>/dev/null)
if [ -n "$pid" ]; then
	kill -QUIT "$pid" 2>/dev/null
	i=0
	while kill -0 "$pid" 2>/dev/null && [ $i -lt 20 ]; do sleep 1; i=$((i+1)); done
fi
rm -rf "$3"
`

// startWatchdog is best effort: if sh is missing we just lose the safety net.
func (c *Cluster) startWatchdog() {
	cmd := exec.Command("/bin/sh", "-c", watchdogScript, "pgtest-watchdog", strconv.Itoa(os.Getpid()), c.dataDir, c.root)
	// Own session: survives the Ctrl-C that kills the test binary.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err == nil {
		c.watchdog = cmd
	}
}

// URL returns the connection URL of database db in this cluster.
func (c *Cluster) URL(db string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", c.port, db)
}

// Port returns the TCP port the server listens on (127.0.0.1).
func (c *Cluster) Port() int { return c.port }

// CreateDB creates a fresh, empty database and returns its URL. The name is
// lowercased and reduced to [a-z0-9_] (so t.Name() is fine); if a database
// of that name already exists in this cluster (e.g. go test -count=2), a
// suffix _2, _3... is added, so the database returned is always new.
func (c *Cluster) CreateDB(name string) (url string, err error) {
	base := SanitizeName(name)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	for i := 1; ; i++ {
		db := base
		if i > 1 {
			suffix := "_" + strconv.Itoa(i)
			db = truncate(base, 63-len(suffix)) + suffix
		}
		_, err := c.admin.ExecContext(ctx, `CREATE DATABASE "`+db+`"`)
		if err == nil {
			return c.URL(db), nil
		}
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) && pgErr.Code == "42P04" && i < 1000 { // duplicate_database
			continue
		}
		return "", fmt.Errorf("pgtest: CREATE DATABASE %s: %w", db, err)
	}
}

// SanitizeName turns s into a database name made of [a-z0-9_], starting
// with a letter or underscore, at most 63 bytes.
func SanitizeName(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') || r == '_' {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	out := b.String()
	if out == "" || (out[0] >= '0' && out[0] <= '9') {
		out = "db_" + out
	}
	return truncate(out, 63)
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// Stop shuts the server down (immediate mode) and removes its folder. It is
// safe to call more than once.
func (c *Cluster) Stop() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stopped {
		return nil
	}
	c.stopped = true
	var errs []error
	if c.admin != nil {
		c.admin.Close()
	}
	if out, err := c.run("pg_ctl", "stop", "-m", "immediate", "-w", "-D", c.dataDir); err != nil {
		errs = append(errs, fmt.Errorf("pgtest: pg_ctl stop failed: %v\n%s", err, out))
	}
	if err := c.cleanup(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// cleanup stops the watchdog and removes the folder.
func (c *Cluster) cleanup() error {
	if c.watchdog != nil {
		c.watchdog.Process.Kill()
		c.watchdog.Wait()
		c.watchdog = nil
	}
	if c.root == "" {
		return nil
	}
	if err := os.RemoveAll(c.root); err != nil {
		return fmt.Errorf("pgtest: removing %s: %w", c.root, err)
	}
	return nil
}

// ---- process-wide shared cluster ----

var (
	sharedOnce    sync.Once
	sharedCluster *Cluster
	sharedErr     error
	sharedStopped bool
	sharedMu      sync.Mutex
	loudOnce      sync.Once
)

func startShared() {
	sharedOnce.Do(func() {
		start := time.Now()
		sharedCluster, sharedErr = Start()
		if sharedErr == nil && testing.Verbose() {
			fmt.Fprintf(os.Stderr, "pgtest: PostgreSQL cluster started in %v (%s, port %d)\n",
				time.Since(start).Round(time.Millisecond), sharedCluster.binDir, sharedCluster.port)
		}
	})
}

// shout prints the skip message once to stderr, so it shows even without -v
// (a variable so tests can silence it).
var shout = func() {
	loudOnce.Do(func() {
		fmt.Fprintf(os.Stderr, "\n*** %s ***\n\n", SkipMessage)
	})
}

// Shared returns the process-wide cluster, starting it on first use. Call
// StopShared from TestMain after m.Run(). If the binaries are absent the
// test is skipped loudly, or fails when Required(); any other start failure
// fails the test.
func Shared(tb testing.TB) *Cluster {
	tb.Helper()
	startShared()
	sharedMu.Lock()
	stopped := sharedStopped
	sharedMu.Unlock()
	if !checkStart(tb, sharedErr) {
		return nil
	}
	if stopped {
		tb.Fatalf("pgtest: Shared called after StopShared")
		return nil
	}
	return sharedCluster
}

// checkStart turns a Start error into a skip (binaries absent, not
// required) or a failure; it reports whether the cluster is usable.
func checkStart(tb testing.TB, err error) bool {
	tb.Helper()
	switch {
	case err == nil:
		return true
	case errors.Is(err, ErrNoBinaries):
		if Required() {
			tb.Fatalf("PostgreSQL binaries not found and %s is set: install the PostgreSQL server binaries (initdb, pg_ctl, postgres) on $PATH or under /usr/lib/postgresql/*/bin", RequireEnv)
			return false
		}
		shout()
		tb.Skip(SkipMessage)
	default:
		tb.Fatalf("starting the shared PostgreSQL test cluster: %v", err)
	}
	return false
}

// StopShared stops the shared cluster if it was started. TestMain calls it
// after m.Run().
func StopShared() error {
	sharedMu.Lock()
	defer sharedMu.Unlock()
	if sharedCluster == nil || sharedStopped {
		return nil
	}
	sharedStopped = true
	return sharedCluster.Stop()
}

// ForTest is for TestMain: it starts the shared cluster right away (the one
// Shared returns) and gives back a stop function to call after m.Run():
//
//	func TestMain(m *testing.M) {
//		_, stop := pgtest.ForTest(m)
//		code := m.Run()
//		stop()
//		os.Exit(code)
//	}
//
// When the binaries are absent and not Required, it prints the loud skip
// message and returns a nil cluster (tests calling Shared are then skipped).
// When they are required but absent, or the cluster fails to start, it
// prints the error and exits with status 1.
func ForTest(m *testing.M) (c *Cluster, stop func()) {
	_ = m // only there to make clear this belongs in TestMain
	startShared()
	noop := func() {}
	switch {
	case errors.Is(sharedErr, ErrNoBinaries):
		if Required() {
			fmt.Fprintf(os.Stderr, "FAIL: PostgreSQL binaries not found and %s is set\n", RequireEnv)
			os.Exit(1)
		}
		shout()
		return nil, noop
	case sharedErr != nil:
		fmt.Fprintf(os.Stderr, "FAIL: starting the PostgreSQL test cluster: %v\n", sharedErr)
		os.Exit(1)
	}
	return sharedCluster, func() {
		if err := StopShared(); err != nil {
			fmt.Fprintf(os.Stderr, "pgtest: %v\n", err)
		}
	}
}
