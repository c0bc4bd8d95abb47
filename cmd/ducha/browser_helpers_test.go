package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"ducha/http/ui"
	"ducha/internal/storetest"
	"ducha/store"
)

// Timeouts of the browser tests. A hung browser fails the test rather than
// hanging it: every run gets stepTimeout, every tab tabTimeout in all.
const (
	startTimeout = 90 * time.Second // a cold start on a loaded 2-core machine can take half a minute
	tabTimeout   = 30 * time.Second
	stepTimeout  = 10 * time.Second
)

// browserNames are the commands tried, in order, to find a browser.
var browserNames = []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"}

// findBrowser returns the path of the first browser found on PATH, or "".
func findBrowser() string {
	for _, name := range browserNames {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// requireBrowser returns the browser's path. Without one the test is skipped
// loudly, or fails when DUCHA_REQUIRE_BROWSER is set, so that a CI machine
// that should have a browser cannot pass by skipping.
func requireBrowser(t *testing.T) string {
	t.Helper()
	if p := findBrowser(); p != "" {
		return p
	}
	switch strings.ToLower(os.Getenv("DUCHA_REQUIRE_BROWSER")) {
	case "1", "true", "yes":
		t.Fatalf("Chromium not found (looked for %s on PATH) and DUCHA_REQUIRE_BROWSER is set: browser tests cannot run", strings.Join(browserNames, ", "))
	}
	t.Log("**************************************************************************")
	t.Log("** Chromium not found: browser tests SKIPPED;                           **")
	t.Log("** set DUCHA_REQUIRE_BROWSER=1 to make this a failure                   **")
	t.Log("**************************************************************************")
	t.Skip("Chromium not found: browser tests SKIPPED; set DUCHA_REQUIRE_BROWSER=1 to make this a failure")
	return ""
}

// lockedBuffer collects the browser's output from its process goroutine.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// browser is one headless Chromium shared by the subtests of a test. It
// starts with the first tab and stops in the test's cleanup.
type browser struct {
	path string
	dir  string // the profile, inside the test's TempDir

	mu     sync.Mutex
	ctx    context.Context // the browser's first tab; tabs are made from it
	stop   func()
	err    error
	output lockedBuffer
}

// newBrowser prepares a browser for t and its subtests; nothing starts yet.
func newBrowser(t *testing.T) *browser {
	t.Helper()
	if !ui.FrontendBuilt() {
		// Every browser test stands on the page script; without it they
		// would fail one by one for reasons that do not say this.
		t.Fatal("the page script is not built (http/ui/frontend/dist holds only .keep): run `make frontend`, or `make test`, which builds it first")
	}
	b := &browser{path: requireBrowser(t), dir: filepath.Join(t.TempDir(), "chromium-profile")}
	// Registered after TempDir, so it runs before TempDir removes the folder.
	t.Cleanup(b.close)
	return b
}

// context returns the started browser, starting it on first use. A browser
// that is there but does not start fails the test, always.
func (b *browser) context(t *testing.T) context.Context {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.ctx == nil && b.err == nil {
		b.err = b.start()
	}
	if b.err != nil {
		msg := b.err.Error()
		if out := strings.TrimSpace(b.output.String()); out != "" && !strings.Contains(msg, out) {
			msg += "\n--- browser output ---\n" + out
		}
		t.Fatalf("browser %s did not start: %s", b.path, msg)
	}
	return b.ctx
}

func (b *browser) start() error {
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(b.path),
		chromedp.Headless,
		chromedp.NoSandbox, // the tests may run as root
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		// Without these Chromium dials out, and this closed network refuses it.
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		// A county clerk's browser: Chinese, and a common office screen.
		chromedp.Flag("lang", "zh-CN"),
		chromedp.Flag("accept-lang", "zh-CN,zh"),
		chromedp.WindowSize(1366, 900),
		chromedp.UserDataDir(b.dir),
		chromedp.CombinedOutput(&b.output),
	)
	allocCtx, allocCancel := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	stop := func() { cancel(); allocCancel() }

	// The first run binds the browser's life to its context, so it cannot
	// carry a timeout; a watchdog stops a browser that never answers.
	done := make(chan error, 1)
	go func() { done <- chromedp.Do(ctx) }()
	select {
	case err := <-done:
		if err != nil {
			stop()
			return err
		}
	case <-time.After(startTimeout):
		stop()
		<-done
		return fmt.Errorf("no answer within %v", startTimeout)
	}
	b.ctx, b.stop = ctx, stop
	return nil
}

// close stops the browser and removes its profile; Chromium's helpers can
// write into it for a moment after the browser is gone.
func (b *browser) close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.stop != nil {
		b.stop()
		b.stop, b.ctx = nil, nil
	}
	for range 50 {
		if err := os.RemoveAll(b.dir); err == nil {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// app is the real program on port 0 with a seeded SQLite store.
type app struct {
	*Main
	Fixture *storetest.Fixture
}

// startApp seeds a fresh store with storetest.Seed and then boots Main on
// it, as `ducha serve` does. Seeding first means Main finds the seeded admin
// and makes no second one.
func startApp(t *testing.T) *app {
	t.Helper()
	ctx := context.Background()
	dsn := filepath.Join(t.TempDir(), "ducha.db")
	db, err := store.Open(ctx, dsn, store.Options{})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	f := storetest.Seed(t, db)
	if err := db.Close(); err != nil {
		t.Fatalf("close seeded store: %v", err)
	}
	var out bytes.Buffer
	m := &Main{Out: &out}
	if err := m.Open(ctx, dsn, "127.0.0.1:0"); err != nil {
		m.Close()
		t.Fatalf("boot: %v", err)
	}
	t.Cleanup(func() { m.Close() })
	if out.Len() > 0 {
		t.Fatalf("boot on a seeded store printed %q; it should find the seeded admin", out.String())
	}
	return &app{Main: m, Fixture: f}
}

// tab is one browser tab with its own cookies (a fresh browser context),
// pointed at one running program.
type tab struct {
	t    *testing.T
	ctx  context.Context
	base string
}

// newTab opens a tab on the shared browser for the program at base.
func (b *browser) newTab(t *testing.T, base string) *tab {
	t.Helper()
	deadline, cancelDeadline := context.WithTimeout(b.context(t), tabTimeout)
	ctx, cancel := chromedp.NewContext(deadline, chromedp.WithNewBrowserContext())
	t.Cleanup(func() { cancel(); cancelDeadline() })
	// The first run makes the tab; it runs under the tab's own deadline.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("open tab: %v", err)
	}
	return &tab{t: t, ctx: ctx, base: base}
}

// run runs one action under stepTimeout and fails the test on error,
// naming the step and the page the tab was on.
func run[T any](tb *tab, what string, a chromedp.Action[T]) T {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		tb.t.Fatalf("%s: %v\n%s", what, err, tb.describe())
	}
	return v
}

// describe says where the tab is and what it shows, for failure messages.
func (tb *tab) describe() string {
	ctx, cancel := context.WithTimeout(tb.ctx, 2*time.Second)
	defer cancel()
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	body, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
	if r := []rune(body); len(r) > 1500 {
		body = string(r[:1500]) + "…"
	}
	return fmt.Sprintf("page %s shows:\n%s", loc, body)
}

// open navigates to a path of the program and returns the HTTP status of
// the page it ends on.
func (tb *tab) open(path string) int64 {
	tb.t.Helper()
	resp := run(tb, "open "+path, chromedp.NavigateResponse(tb.base+path))
	if resp == nil {
		tb.t.Fatalf("open %s: no response", path)
	}
	return resp.Status
}

// follow clicks sel, which leads to another page (a link or a submit
// button), waits until that page has loaded and returns its HTTP status.
func (tb *tab) follow(sel string) int64 {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, stepTimeout)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(sel)))
	if err != nil {
		tb.t.Fatalf("click %s: %v\n%s", sel, err, tb.describe())
	}
	if resp == nil {
		tb.t.Fatalf("click %s: no page loaded\n%s", sel, tb.describe())
	}
	return resp.Status
}

// click clicks sel without expecting a new page.
func (tb *tab) click(sel string) {
	tb.t.Helper()
	run(tb, "click "+sel, chromedp.Click(chromedp.CSS(sel)))
}

// typeInto types text into the field sel, as a user would.
func (tb *tab) typeInto(sel, text string) {
	tb.t.Helper()
	run(tb, "type into "+sel, chromedp.SendKeys(chromedp.CSS(sel), text))
}

// clear empties the field sel. (SetValue with "" does not work in
// chromedp v0.23.0: it reports "could not set value".)
func (tb *tab) clear(sel string) {
	tb.t.Helper()
	js := fmt.Sprintf(`(() => {
		const e = document.querySelector(%s);
		if (!e) return false;
		e.value = "";
		e.dispatchEvent(new Event("input", {bubbles: true}));
		return true;
	})()`, jsString(sel))
	if !run(tb, "clear "+sel, chromedp.Evaluate[bool](js)) {
		tb.t.Fatalf("clear %s: no such field\n%s", sel, tb.describe())
	}
}

// choose selects the option of the select sel whose visible text is label.
func (tb *tab) choose(sel, label string) {
	tb.t.Helper()
	js := fmt.Sprintf(`(() => {
		const s = document.querySelector(%s);
		if (!s) return "no select";
		const o = Array.from(s.options).find(o => o.textContent.trim() === %s);
		if (!o) return "no option; options are: " + Array.from(s.options, o => o.textContent.trim()).join(" | ");
		o.selected = true;
		s.dispatchEvent(new Event("change", {bubbles: true}));
		return "";
	})()`, jsString(sel), jsString(label))
	if msg := run(tb, "choose "+label+" in "+sel, chromedp.Evaluate[string](js)); msg != "" {
		tb.t.Fatalf("choose %q in %s: %s\n%s", label, sel, msg, tb.describe())
	}
}

// text is the visible text of the first element matching sel, trimmed. It
// waits for the element to appear.
func (tb *tab) text(sel string) string {
	tb.t.Helper()
	return strings.TrimSpace(run(tb, "read "+sel, chromedp.Text(chromedp.CSS(sel))))
}

// texts is the visible text of every element matching sel, now; none is an
// empty list, not a wait.
func (tb *tab) texts(sel string) []string {
	tb.t.Helper()
	js := fmt.Sprintf(`Array.from(document.querySelectorAll(%s), e => e.innerText.trim())`, jsString(sel))
	return run(tb, "read all "+sel, chromedp.Evaluate[[]string](js))
}

// value is the current value of the field sel.
func (tb *tab) value(sel string) string {
	tb.t.Helper()
	return run(tb, "value of "+sel, chromedp.Value(chromedp.CSS(sel)))
}

// path is the path and query of the page the tab shows.
func (tb *tab) path() string {
	tb.t.Helper()
	loc := run(tb, "location", chromedp.Location())
	return strings.TrimPrefix(loc, tb.base)
}

// login logs in through the form, checks that it landed on the workbench,
// and opens the ledger.
func (tb *tab) login(username string) {
	tb.t.Helper()
	if st := tb.open("/login"); st != 200 {
		tb.t.Fatalf("GET /login: status %d", st)
	}
	tb.typeInto(`form[action="/login"] input[name=username]`, username)
	tb.typeInto(`form[action="/login"] input[name=password]`, storetest.Password)
	if st := tb.follow(`form[action="/login"] button[type=submit]`); st != 200 {
		tb.t.Fatalf("login %s: status %d\n%s", username, st, tb.describe())
	}
	if p := tb.path(); p != "/workbench" {
		tb.t.Fatalf("login %s: landed on %s, want /workbench\n%s", username, p, tb.describe())
	}
	if h := tb.text("main h1"); h != "工作台" {
		tb.t.Fatalf("login %s: the workbench's title is %q", username, h)
	}
	// The walks start from the ledger, as a user's first click does.
	if st := tb.open("/problems"); st != 200 {
		tb.t.Fatalf("GET /problems: status %d", st)
	}
}

// logout logs out with the header's button.
func (tb *tab) logout() {
	tb.t.Helper()
	tb.follow(`form[action="/logout"] button`)
	if p := tb.path(); !strings.HasPrefix(p, "/login") {
		tb.t.Fatalf("logout: landed on %s", p)
	}
}

// screenshot is a PNG of the whole page, beyond the viewport.
func (tb *tab) screenshot() []byte {
	tb.t.Helper()
	return run(tb, "screenshot", chromedp.FullScreenshot(100))
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
