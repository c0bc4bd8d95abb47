// Command loadrun measures ducha's read paths under concurrent load on this
// machine: it serves the real HTTP handler over loopback next to a
// hello-world net/http handler, drives both with the same number of
// clients, and prints median and p99 latency and requests per second. It
// also times the store's daily overdue count directly. It writes nothing
// but one benchmark user (and its session) to the store.
//
//	go run ./internal/loadrun -db /tmp/bench.db -clients 32 -duration 10s
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
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"ducha"
	duchahttp "ducha/http"
	"ducha/store"
)

func main() {
	dsn := flag.String("db", "", "store to measure (SQLite path or postgres:// URL), filled with `ducha demo`")
	clients := flag.Int("clients", 32, "concurrent clients")
	duration := flag.Duration("duration", 10*time.Second, "how long each scenario runs")
	flag.Parse()
	if *dsn == "" {
		fmt.Fprintln(os.Stderr, "loadrun: -db is required")
		os.Exit(1)
	}
	if err := run(*dsn, *clients, *duration); err != nil {
		fmt.Fprintln(os.Stderr, "loadrun:", err)
		os.Exit(1)
	}
}

func run(dsn string, clients int, duration time.Duration) error {
	ctx := context.Background()
	db, err := store.Open(ctx, dsn, store.Options{})
	if err != nil {
		return err
	}
	defer db.Close()
	sys := ducha.NewContextWithUser(ctx, ducha.SystemUser)
	const password = "loadrun-password"
	if _, err := db.FindUserByUsername(sys, "loadrun"); err != nil {
		if err := db.CreateUser(sys, &ducha.User{Username: "loadrun", Role: ducha.RoleCoordinator}, password); err != nil {
			return err
		}
	}
	st, err := db.CountProblems(sys, ducha.ProblemFilter{})
	if err != nil {
		return err
	}
	fmt.Printf("store: %s, %d problems (%d overdue); %d clients, %s per scenario\n\n", db.Engine(), st.Total, st.Overdue, clients, duration)

	srv := duchahttp.NewServer()
	srv.Addr = "127.0.0.1:0"
	srv.Problems, srv.Users, srv.Units, srv.Campaigns, srv.Audit, srv.Attachments = db, db, db, db, db, db
	srv.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	if err := srv.Open(); err != nil {
		return err
	}
	defer srv.Close()
	hello := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "hello, world\n")
	})}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	go hello.Serve(ln)
	defer hello.Close()

	transport := &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}
	client := &http.Client{Transport: transport}
	cookie, err := login(client, srv.URL(), password)
	if err != nil {
		return err
	}
	area := url.QueryEscape("永清镇")
	scenarios := []struct{ name, url string }{
		{"hello-world net/http", "http://" + ln.Addr().String() + "/"},
		{"list, status+area filter", srv.URL() + "/api/v1/problems?status=in_progress&area=" + area + "&per_page=50"},
		{"list, overdue filter", srv.URL() + "/api/v1/problems?overdue=true&per_page=50"},
		{"list, unfiltered", srv.URL() + "/api/v1/problems?per_page=50"},
		{"search q=扬尘 (2 chars)", srv.URL() + "/api/v1/problems?q=" + url.QueryEscape("扬尘") + "&per_page=50"},
		{"search q=油烟 + area", srv.URL() + "/api/v1/problems?q=" + url.QueryEscape("油烟") + "&area=" + area + "&per_page=50"},
		{"search q=渗滤液 (3 chars)", srv.URL() + "/api/v1/problems?q=" + url.QueryEscape("渗滤液") + "&per_page=50"},
		{"search q=yqz (initials)", srv.URL() + "/api/v1/problems?q=yqz&per_page=50"},
	}
	fmt.Printf("%-28s %10s %10s %10s %10s %8s\n", "scenario", "req/s", "median", "p99", "max", "errors")
	var helloRPS float64
	for _, sc := range scenarios {
		r := load(client, sc.url, cookie, clients, duration)
		fmt.Printf("%-28s %10.0f %10s %10s %10s %8d", sc.name, r.rps, r.pct(50), r.pct(99), r.pct(100), r.errors)
		if helloRPS == 0 {
			helloRPS = r.rps
			fmt.Println()
		} else {
			fmt.Printf("   (%.1f%% of hello-world)\n", 100*r.rps/helloRPS)
		}
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
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	fmt.Printf("\nledger counts (status totals + overdue), store call: median %s, max %s over %d runs\n",
		times[len(times)/2].Round(10*time.Microsecond), times[len(times)-1].Round(10*time.Microsecond), len(times))
	return nil
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

// load runs clients loops against u for d and collects every latency.
func load(client *http.Client, u, cookie string, clients int, d time.Duration) *result {
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
			for time.Now().Before(deadline) {
				req, _ := http.NewRequest("GET", u, nil)
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
