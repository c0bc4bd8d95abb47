package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"os"
	"regexp"
	"runtime/pprof"
	"strings"
	"time"

	"ducha"
	duchahttp "ducha/http"
	"ducha/store"
)

// The pages mode (-pages N) times the pages as a browser opens them, one
// at a time: for each page of the main set, as the coordinator and as the
// liaison of the unit with the most problems, the time to first byte of
// the first request and of N more (p50, p99), and the bytes a browser
// transfers for it gzip-compressed: the HTML, and with the styles and
// scripts it links (each counted once, as a browser caches them). The
// server is configured as `ducha serve` configures it (every service on),
// so the header's inbox count and the workbench's figures are computed.

// mainPages are the paths timed; {problem} and {case} become the first
// problem and case the user may see, and a page the server does not have
// (404) is left out of the table.
var mainPages = []string{
	"/workbench",
	"/problems",
	"/problems?status=in_progress&area=" + url.QueryEscape("永清镇"),
	"/problems?q=" + url.QueryEscape("扬尘"),
	"/problems?overdue=true",
	"/problems?page=20",
	"/problems/{problem}",
	"/cases",
	"/cases/{case}",
	"/batches",
	"/reports/daily",
	"/dashboard",
	"/notices",
	"/inbox",
	"/enterprises",
	"/documents",
	"/accountability",
	"/public/disclosure",
	"/public/closure",
}

// assetRefs finds the styles and scripts a page links.
var assetRefs = regexp.MustCompile(`(?:href|src)="(/static/[^"]+)"`)

func runPages(dsn string, n int, match, cpuprofile string) error {
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
	big, most, err := biggestUnit(sys, db)
	if err != nil {
		return err
	}
	if _, err := db.FindUserByUsername(sys, "loadrun-liaison"); err != nil {
		if err := db.CreateUser(sys, &ducha.User{Username: "loadrun-liaison", Role: ducha.RoleUnitLiaison, UnitID: big.ID}, password); err != nil {
			return err
		}
	}
	st, err := db.CountProblems(sys, ducha.ProblemFilter{})
	if err != nil {
		return err
	}

	srv := duchahttp.NewServer()
	srv.Addr = "127.0.0.1:0"
	srv.Problems, srv.Users, srv.Units, srv.Campaigns, srv.Audit, srv.Attachments = db, db, db, db, db, db
	srv.Cases, srv.Reports, srv.Enterprises, srv.Notices, srv.Outbox, srv.Inbox = db, db, db, db, db, db
	srv.Accountability, srv.Publicity, srv.Documents, srv.Requests, srv.Duties = db, db, db, db, db
	srv.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	srv.Workers = gateWorkers
	if err := srv.Open(); err != nil {
		return err
	}
	defer srv.Close()
	base := srv.URL()
	if cpuprofile != "" {
		f, err := os.Create(cpuprofile)
		if err != nil {
			return err
		}
		defer f.Close()
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	// The wire as it is: the transport neither asks for gzip nor undoes it;
	// each request asks for it as a browser does.
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}

	fmt.Printf("store: %s, %d problems; %d requests per page after the first, one at a time; bytes gzip-compressed as transferred\n\n",
		db.Engine(), st.Total, n)
	for _, who := range []struct{ username, label string }{
		{"loadrun", "coordinator (county-wide)"},
		{"loadrun-liaison", fmt.Sprintf("liaison of %s (%d problems)", big.Name, most)},
	} {
		cookie, err := loginAs(client, base, who.username)
		if err != nil {
			return err
		}
		problem, kase := firstIDs(client, base, cookie)
		fmt.Printf("as the %s\n", who.label)
		fmt.Printf("%-44s %6s %9s %9s %9s | %9s %9s %9s\n", "page", "status", "first", "p50", "p99", "html raw", "html", "+assets")
		seen := map[string]bool{}
		for _, path := range mainPages {
			path = strings.ReplaceAll(strings.ReplaceAll(path, "{problem}", problem), "{case}", kase)
			if strings.Contains(path, "{") || match != "" && !strings.Contains(path, match) {
				continue
			}
			status, first, size, body := timeOnce(client, base+path, cookie)
			if status == http.StatusNotFound && !strings.Contains(path, "/problems/") && !strings.Contains(path, "/cases/") {
				continue
			}
			var lat []time.Duration
			for range n {
				_, ttfb, _, _ := timeOnce(client, base+path, cookie)
				lat = append(lat, ttfb)
			}
			lat = sorted(lat)
			assets := 0
			for _, m := range assetRefs.FindAllStringSubmatch(body, -1) {
				ref := m[1]
				if seen[ref] {
					continue // cached by the browser since an earlier page
				}
				seen[ref] = true
				_, _, sz, _ := timeOnce(client, base+ref, cookie)
				assets += sz
			}
			label, _ := url.PathUnescape(path)
			fmt.Printf("%-44s %6d %9s %9s %9s | %8.1fK %8.1fK %8.1fK\n", label, status, first.Round(10*time.Microsecond),
				pctOf(lat, 50), pctOf(lat, 99), float64(len(body))/1024, float64(size)/1024, float64(size+assets)/1024)
		}
		fmt.Println()
	}
	return nil
}

// biggestUnit is the unit responsible for the most problems.
func biggestUnit(sys context.Context, db *store.DB) (*ducha.Unit, int, error) {
	units, err := db.FindUnits(sys)
	if err != nil {
		return nil, 0, err
	}
	var big *ducha.Unit
	most := -1
	for _, u := range units {
		_, total, err := db.FindProblems(sys, ducha.ProblemFilter{UnitID: u.ID, Limit: 1})
		if err != nil {
			return nil, 0, err
		}
		if total > most {
			big, most = u, total
		}
	}
	if big == nil {
		return nil, 0, fmt.Errorf("the store has no units: fill it with ducha demo first")
	}
	return big, most, nil
}

// loginAs logs in through the API and returns the session cookie.
func loginAs(client *http.Client, base, username string) (string, error) {
	body, _ := json.Marshal(map[string]string{"username": username, "password": password})
	resp, err := client.Post(base+"/api/v1/login", "application/json", strings.NewReader(string(body)))
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("login %s: %s", username, resp.Status)
	}
	for _, c := range resp.Cookies() {
		if c.Name == "ducha_session" {
			return c.Name + "=" + c.Value, nil
		}
	}
	return "", fmt.Errorf("login %s: no session cookie", username)
}

// firstIDs are the first problem and case of the user's lists, "" when
// there is none.
func firstIDs(client *http.Client, base, cookie string) (problem, kase string) {
	first := func(path string) string {
		req, _ := http.NewRequest("GET", base+path, nil)
		req.Header.Set("Cookie", cookie)
		resp, err := client.Do(req)
		if err != nil {
			return ""
		}
		defer resp.Body.Close()
		var list struct {
			Items []struct {
				ID int64 `json:"id"`
			} `json:"items"`
		}
		if json.NewDecoder(resp.Body).Decode(&list) != nil || len(list.Items) == 0 {
			return "{none}"
		}
		return fmt.Sprint(list.Items[0].ID)
	}
	return first("/api/v1/problems?per_page=1"), first("/api/v1/cases?per_page=1")
}

// timeOnce requests u as a browser would and returns the status, the time
// to the first byte of the answer, the bytes of the body as transferred and
// the body (decompressed).
func timeOnce(client *http.Client, u, cookie string) (int, time.Duration, int, string) {
	req, _ := http.NewRequest("GET", u, nil)
	req.Header.Set("Cookie", cookie)
	req.Header.Set("Accept-Encoding", "gzip")
	var t0 time.Time
	var ttfb time.Duration
	req = req.WithContext(httptrace.WithClientTrace(req.Context(), &httptrace.ClientTrace{
		GotFirstResponseByte: func() { ttfb = time.Since(t0) },
	}))
	t0 = time.Now()
	resp, err := client.Do(req)
	if err != nil {
		return 0, 0, 0, ""
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	body := raw
	if resp.Header.Get("Content-Encoding") == "gzip" {
		body = gunzip(raw)
	}
	return resp.StatusCode, ttfb, len(raw), string(body)
}

// gunzip undoes the answer's compression; a broken stream gives what it
// could read.
func gunzip(b []byte) []byte {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil
	}
	out, _ := io.ReadAll(zr)
	return out
}
