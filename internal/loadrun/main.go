// Command loadrun measures ducha under concurrent load on this machine: it
// serves the real HTTP handler over loopback next to a hello-world net/http
// handler, drives both with the same number of clients, and prints median
// and p99 latency and requests per second.
//
// By default it runs a table of read scenarios (the first request, every
// client on one URL, clients paging) and times the store's daily overdue
// count directly; it writes nothing but one benchmark user (and its
// session) to the store.
//
// With -pages N it times the main pages as a browser opens them (see
// pages.go).
//
// With -mixed (or -writes above 0) it runs the county at work instead:
// clients read twelve filters of the ledger (API and page) while a share
// of their requests are writes (edits, progress reports, case actions; see
// mixed.go), and a probe client times GET /api/v1/me throughout. That mode
// changes the store's data: run it on a copy made for benchmarks.
//
//	go run ./internal/loadrun -db /tmp/bench.db -clients 32 -duration 10s
//	go run ./internal/loadrun -db /tmp/bench.db -clients 32 -duration 8s -writes 0.10
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"runtime/pprof"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"ducha"
	duchahttp "ducha/http"
	"ducha/http/web"
	"ducha/store"
)

func main() {
	dsn := flag.String("db", "", "store to measure (SQLite path or postgres:// URL), filled with `ducha demo`")
	clients := flag.Int("clients", 32, "concurrent clients")
	duration := flag.Duration("duration", 10*time.Second, "how long each scenario runs")
	noCache := flag.Bool("nocache", false, "turn the list cache off: every request reads the database")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile to this file: of the whole run, or in the mixed mode of its mixed phase")
	mixed := flag.Bool("mixed", false, "run reads of twelve ledger filters mixed with writes (see -writes) instead of the scenario table")
	writes := flag.Float64("writes", 0, "share of the mixed run's requests that are writes, e.g. 0.10; above 0 implies -mixed")
	helloFor := flag.Duration("hello", 3*time.Second, "mixed mode: how long the hello-world handler is measured first")
	seed := flag.Int64("seed", 1, "mixed mode: random seed of the clients' choices")
	inbox := flag.Int("inbox", 0, "time this many inboxes of the coordinator and of the liaison of the unit with the most problems, then stop")
	quick := flag.Bool("quick", false, "with -pass alone: the server's pass every few minutes (SuperviseQuick: no sweep for notices of closed items)")
	pages := flag.Int("pages", 0, "time the main pages as a browser opens them (time to first byte, bytes transferred), this many requests each after the first, then stop")
	full := flag.Bool("full", false, "mixed mode: serve with every service on, as ducha serve does (header inbox counts, the workbench's to-dos) and probe the workbench")
	match := flag.String("match", "", "with -pages: only the pages whose path contains this")
	pass := flag.String("pass", "", "mixed mode: run the escalation pass as of this day (YYYY-MM-DD) one second into the mix")
	workers := flag.Int("workers", 0, "requests served at once beyond the light ones (the server's gate); 0: as ducha serve, -1: no gate")
	procs := flag.Int("procs", 0, "GOMAXPROCS; 0: as ducha serve (the gate's workers and web.SpareProcs)")
	flag.Parse()
	gateWorkers = *workers
	if gateWorkers == 0 {
		gateWorkers = web.DefaultWorkers()
	}
	switch {
	case *procs > 0:
		runtime.GOMAXPROCS(*procs)
	case gateWorkers > 0:
		web.AddSpareProcs(gateWorkers)
	}
	fmt.Printf("GOMAXPROCS %d, gate workers %d\n", runtime.GOMAXPROCS(0), gateWorkers)
	if *writes < 0 || *writes > 1 {
		fmt.Fprintln(os.Stderr, "loadrun: -writes must be between 0 and 1")
		os.Exit(1)
	}
	if *dsn == "" {
		fmt.Fprintln(os.Stderr, "loadrun: -db is required")
		os.Exit(1)
	}
	if *inbox > 0 {
		if err := runInbox(*dsn, *inbox); err != nil {
			fmt.Fprintln(os.Stderr, "loadrun:", err)
			os.Exit(1)
		}
		return
	}
	if *pages > 0 {
		if err := runPages(*dsn, *pages, *match, *cpuprofile); err != nil {
			fmt.Fprintln(os.Stderr, "loadrun:", err)
			os.Exit(1)
		}
		return
	}
	if *pass != "" && !*mixed && *writes == 0 {
		if err := runPass(*dsn, ducha.Date(*pass), *quick, *cpuprofile); err != nil {
			fmt.Fprintln(os.Stderr, "loadrun:", err)
			os.Exit(1)
		}
		return
	}
	if *mixed || *writes > 0 {
		err := runMixed(mixedConfig{dsn: *dsn, clients: *clients, duration: *duration, hello: *helloFor,
			writes: *writes, seed: *seed, noCache: *noCache, cpuprofile: *cpuprofile, pass: ducha.Date(*pass), full: *full})
		if err != nil {
			fmt.Fprintln(os.Stderr, "loadrun:", err)
			os.Exit(1)
		}
		return
	}
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "loadrun:", err)
			os.Exit(1)
		}
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	if err := run(*dsn, *clients, *duration, *noCache); err != nil {
		pprof.StopCPUProfile()
		fmt.Fprintln(os.Stderr, "loadrun:", err)
		os.Exit(1)
	}
}

func run(dsn string, clients int, duration time.Duration, noCache bool) error {
	ctx := context.Background()
	db, err := store.Open(ctx, dsn, store.Options{})
	if err != nil {
		return err
	}
	defer db.Close()
	sys := ducha.NewContextWithUser(ctx, ducha.SystemUser)
	if err := ensureUser(sys, db); err != nil {
		return err
	}
	t0 := time.Now()
	st, err := db.CountProblems(sys, ducha.ProblemFilter{})
	if err != nil {
		return err
	}
	coldCount := time.Since(t0)
	fmt.Printf("store: %s, %d problems (%d overdue); %d clients, %s per scenario; list cache off: %v\n\n", db.Engine(), st.Total, st.Overdue, clients, duration, noCache)

	srv, err := serve(db, slog.New(slog.NewTextHandler(io.Discard, nil)), noCache)
	if err != nil {
		return err
	}
	defer srv.Close()
	helloURL, closeHello, err := serveHello()
	if err != nil {
		return err
	}
	defer closeHello()

	transport := &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}
	client := &http.Client{Transport: transport}
	cookie, err := login(client, srv.URL(), password)
	if err != nil {
		return err
	}
	area := url.QueryEscape("永清镇")
	scenarios := []struct{ name, url string }{
		{"hello-world net/http", helloURL},
		{"list, status+area filter", srv.URL() + "/api/v1/problems?status=in_progress&area=" + area + "&per_page=50"},
		{"list, overdue filter", srv.URL() + "/api/v1/problems?overdue=true&per_page=50"},
		{"list, unfiltered", srv.URL() + "/api/v1/problems?per_page=50"},
		{"search q=扬尘 (2 chars)", srv.URL() + "/api/v1/problems?q=" + url.QueryEscape("扬尘") + "&per_page=50"},
		{"search q=油烟 + area", srv.URL() + "/api/v1/problems?q=" + url.QueryEscape("油烟") + "&area=" + area + "&per_page=50"},
		{"search q=渗滤液 (3 chars)", srv.URL() + "/api/v1/problems?q=" + url.QueryEscape("渗滤液") + "&per_page=50"},
		{"search q=yqz (initials)", srv.URL() + "/api/v1/problems?q=yqz&per_page=50"},
	}
	// Three ways for each scenario: the very first request (nothing
	// cached: count and page from the database); every client on the same
	// URL (the list cache answers after the first); and clients paging
	// through pages 1–20 (every page read from the database; the count is
	// cached after its first time).
	fmt.Printf("%-28s %9s | %9s %9s %9s | %9s %9s %9s\n", "scenario", "cold", "same:rps", "median", "p99", "pages:rps", "median", "p99")
	var helloRPS float64
	for i, sc := range scenarios {
		cold := once(client, sc.url, cookie)
		same := load(client, func(int) string { return sc.url }, cookie, clients, duration)
		if i == 0 {
			helloRPS = same.rps
			fmt.Printf("%-28s %9s | %9.0f %9s %9s |\n", sc.name, "-", same.rps, same.pct(50), same.pct(99))
			continue
		}
		pages := load(client, func(n int) string { return fmt.Sprintf("%s&page=%d", sc.url, 1+n%20) }, cookie, clients, duration)
		fmt.Printf("%-28s %9s | %9.0f %9s %9s | %9.0f %9s %9s   same %.1f%%, pages %.1f%% of hello-world; errors %d\n",
			sc.name, cold.Round(10*time.Microsecond), same.rps, same.pct(50), same.pct(99), pages.rps, pages.pct(50), pages.pct(99),
			100*same.rps/helloRPS, 100*pages.rps/helloRPS, same.errors+pages.errors)
	}

	// The daily count of overdue items, straight from the store.
	var times []time.Duration
	for i := 0; i < 20; i++ {
		start := time.Now()
		if _, err := db.CountProblems(sys, ducha.ProblemFilter{}); err != nil {
			return err
		}
		times = append(times, time.Since(start))
	}
	cold := coldCount
	rest := times
	sort.Slice(rest, func(i, j int) bool { return rest[i] < rest[j] })
	fmt.Printf("\nledger counts (status totals + overdue), store call: first %s; then (cached under the data version) median %s over %d runs\n",
		cold.Round(10*time.Microsecond), rest[len(rest)/2].Round(time.Microsecond), len(rest))
	return nil
}

// gateWorkers are the server's gate's slots (-workers).
var gateWorkers int

// password is the benchmark user's.
const password = "loadrun-password"

// serve starts the real server on loopback over the store.
func serve(db *store.DB, logger *slog.Logger, noCache bool) (*duchahttp.Server, error) {
	srv := duchahttp.NewServer()
	srv.Addr = "127.0.0.1:0"
	srv.Problems, srv.Users, srv.Units, srv.Campaigns, srv.Audit, srv.Attachments = db, db, db, db, db, db
	srv.Cases, srv.Reports, srv.Enterprises = db, db, db
	srv.Logger = logger
	srv.NoListCache = noCache
	srv.Workers = gateWorkers
	if err := srv.Open(); err != nil {
		return nil, err
	}
	return srv, nil
}

// serveHello starts the hello-world handler the server is compared with.
func serveHello() (string, func() error, error) {
	hello := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "hello, world\n")
	})}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	go hello.Serve(ln)
	return "http://" + ln.Addr().String() + "/", hello.Close, nil
}

func login(client *http.Client, base, password string) (string, error) {
	body, _ := json.Marshal(map[string]string{"username": "loadrun", "password": password})
	resp, err := client.Post(base+"/api/v1/login", "application/json", strings.NewReader(string(body)))
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		return "", fmt.Errorf("login: %s", resp.Status)
	}
	for _, c := range resp.Cookies() {
		if c.Name == "ducha_session" {
			return c.Name + "=" + c.Value, nil
		}
	}
	return "", fmt.Errorf("login: no session cookie")
}

type result struct {
	latencies []time.Duration
	errors    int64
	rps       float64
}

func (r *result) pct(p int) string {
	if len(r.latencies) == 0 {
		return "-"
	}
	i := len(r.latencies) * p / 100
	if i >= len(r.latencies) {
		i = len(r.latencies) - 1
	}
	return r.latencies[i].Round(10 * time.Microsecond).String()
}

// once times one request.
func once(client *http.Client, u, cookie string) time.Duration {
	req, _ := http.NewRequest("GET", u, nil)
	req.Header.Set("Cookie", cookie)
	t0 := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		return 0
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return time.Since(t0)
}

// load runs clients loops for d against the URLs next gives (by request
// number) and collects every latency.
func load(client *http.Client, next func(int) string, cookie string, clients int, d time.Duration) *result {
	var mu sync.Mutex
	var errs atomic.Int64
	all := make([]time.Duration, 0, 1<<16)
	deadline := time.Now().Add(d)
	var wg sync.WaitGroup
	start := time.Now()
	for i := 0; i < clients; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			local := make([]time.Duration, 0, 4096)
			for n := 0; time.Now().Before(deadline); n++ {
				req, _ := http.NewRequest("GET", next(n), nil)
				req.Header.Set("Cookie", cookie)
				t0 := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					errs.Add(1)
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					errs.Add(1)
				}
				local = append(local, time.Since(t0))
			}
			mu.Lock()
			all = append(all, local...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	return &result{latencies: all, errors: errs.Load(), rps: float64(len(all)) / elapsed.Seconds()}
}

// runPass times the escalation pass alone, as of day, with a CPU profile
// when asked: the pass the server runs every few minutes.
func runPass(dsn string, day ducha.Date, quick bool, cpuprofile string) error {
	ctx := context.Background()
	db, err := store.Open(ctx, dsn, store.Options{})
	if err != nil {
		return err
	}
	defer db.Close()
	if cpuprofile != "" {
		f, err := os.Create(cpuprofile)
		if err != nil {
			return err
		}
		defer f.Close()
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	pass := db.Supervise
	if quick {
		pass = db.SuperviseQuick
	}
	t0 := time.Now()
	issued, closed, err := pass(ducha.NewContextWithUser(ctx, ducha.SystemUser), day)
	fmt.Printf("pass as of %s alone (quick %v): %d issued, %d closed in %s\n", day, quick, len(issued), closed, time.Since(t0).Round(time.Millisecond))
	return err
}

// runInbox times n inboxes (with their items) of a coordinator and of the
// liaison of the unit with the most problems, one after another, and the
// header's count of each.
func runInbox(dsn string, n int) error {
	ctx := context.Background()
	db, err := store.Open(ctx, dsn, store.Options{})
	if err != nil {
		return err
	}
	defer db.Close()
	sys := ducha.NewContextWithUser(ctx, ducha.SystemUser)
	big, most, err := biggestUnit(sys, db)
	if err != nil {
		return err
	}
	for _, who := range []*ducha.User{
		{ID: -1, Username: "inbox-coordinator", Role: ducha.RoleCoordinator},
		{ID: -2, Username: "inbox-liaison", Role: ducha.RoleUnitLiaison, UnitID: big.ID},
	} {
		uctx := ducha.NewContextWithUser(ctx, who)
		for _, countOnly := range []bool{false, true} {
			var lat []time.Duration
			var last *ducha.Inbox
			for range n {
				t0 := time.Now()
				in, err := db.Inbox(uctx, countOnly)
				if err != nil {
					return err
				}
				lat, last = append(lat, time.Since(t0)), in
			}
			lat = sorted(lat)
			fmt.Printf("inbox of %s (%s, %d problems), count only %v: total %d %v; p50 %s, p99 %s, max %s\n", who.Role, big.Name, most,
				countOnly, last.Total, last.Counts, pctOf(lat, 50), pctOf(lat, 99), pctOf(lat, 100))
		}
	}
	return nil
}
