package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand"
	"net/http"
	"net/url"
	"os"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"ducha"
	"ducha/store"
)

// mixedConfig is what the mixed run is told by its flags.
type mixedConfig struct {
	dsn             string
	clients         int
	duration, hello time.Duration
	writes          float64 // share of requests that are writes
	seed            int64
	noCache         bool
	cpuprofile      string
	// pass, when set, runs the escalation pass as of that day one second
	// into the mix, and the report gives the writes that ended during it.
	pass ducha.Date
	// full serves as `ducha serve` does (every service on: the header's
	// inbox count, the workbench's to-dos) and probes the workbench too.
	full bool
}

// The writes of the mix, as shares of all writes: an edit (PATCH with the
// version), a progress report, a case action (when the store has cases;
// else its share goes to progress reports).
const (
	patchShare = 0.4
	caseShare  = 0.2
	// pageShare of the reads ask for the HTML ledger page, the rest the API.
	pageShare = 0.25
	// probeEvery is the pause of the GET /api/v1/me probe between requests.
	probeEvery = 20 * time.Millisecond
)

// mixer is the state the clients of a mixed run share.
type mixer struct {
	// workbench are the workbench probe's times (with -full).
	workbench []time.Duration
	client    *http.Client
	base      string
	cookie    string
	reads     []readFilter

	all        []int64 // problems to edit (every status)
	inProgress []int64 // problems to report progress on
	cases      []int64 // cases that are not closed

	mu       sync.Mutex
	versions map[int64]int // problem versions as last seen
	seq      atomic.Int64  // numbers the texts written
}

// readFilter is one filter of the ledger form, as its query string.
type readFilter struct{ name, query string }

// ledgerFilters are the twelve filters the clients read: what a county
// office clicks on its ledger form all day.
func ledgerFilters(unitID int64) []readFilter {
	area := url.QueryEscape("永清镇")
	return []readFilter{
		{"unfiltered", ""},
		{"status=in_progress", "status=in_progress"},
		{"status=pending_verification", "status=pending_verification"},
		{"area", "area=" + area},
		{"status+area", "status=in_progress&area=" + area},
		{"unit", "unit=" + strconv.FormatInt(unitID, 10)},
		{"type", "type=" + url.QueryEscape(ducha.PollutionTypes[0])},
		{"overdue", "overdue=true"},
		{"warning=yellow", "warning=yellow"},
		{"warning=red", "warning=red"},
		{"q=扬尘", "q=" + url.QueryEscape("扬尘")},
		{"q=油烟+area", "q=" + url.QueryEscape("油烟") + "&area=" + area},
	}
}

// tally is one client's record; the run adds them up at the end.
type tally struct {
	reads, writes     []time.Duration
	writeEnds         []time.Time     // when each write ended, in the order of writes
	api, pages        []time.Duration // the reads by kind
	byFilter          [][]time.Duration
	byWrite           map[string][]time.Duration
	readStatus        map[int]int
	writeStatus       map[int]int
	readFail, wrFail  int // transport errors
	lockedBodies      int // answers whose body says "database is locked"
	prepReads, resent int // GETs before a write (version, case state); writes sent again after a 409
	skipped           int // case writes given up: nothing to do in the case's state
}

func newTally(filters int) *tally {
	return &tally{byFilter: make([][]time.Duration, filters), byWrite: map[string][]time.Duration{},
		readStatus: map[int]int{}, writeStatus: map[int]int{}}
}

func (t *tally) add(o *tally) {
	t.reads, t.writes = append(t.reads, o.reads...), append(t.writes, o.writes...)
	t.writeEnds = append(t.writeEnds, o.writeEnds...)
	t.api, t.pages = append(t.api, o.api...), append(t.pages, o.pages...)
	for i := range o.byFilter {
		t.byFilter[i] = append(t.byFilter[i], o.byFilter[i]...)
	}
	for k, v := range o.byWrite {
		t.byWrite[k] = append(t.byWrite[k], v...)
	}
	for k, v := range o.readStatus {
		t.readStatus[k] += v
	}
	for k, v := range o.writeStatus {
		t.writeStatus[k] += v
	}
	t.readFail, t.wrFail, t.lockedBodies = t.readFail+o.readFail, t.wrFail+o.wrFail, t.lockedBodies+o.lockedBodies
	t.prepReads, t.resent, t.skipped = t.prepReads+o.prepReads, t.resent+o.resent, t.skipped+o.skipped
}

// logCounter is the server's logger in the mixed run: it counts warnings
// and errors, and those that say the database was locked.
type logCounter struct {
	warnings, locked atomic.Int64
	mu               sync.Mutex
	first            []string
}

func (h *logCounter) Enabled(context.Context, slog.Level) bool { return true }
func (h *logCounter) WithAttrs([]slog.Attr) slog.Handler       { return h }
func (h *logCounter) WithGroup(string) slog.Handler            { return h }

func (h *logCounter) Handle(_ context.Context, r slog.Record) error {
	if r.Level < slog.LevelWarn {
		return nil
	}
	var b strings.Builder
	b.WriteString(r.Message)
	r.Attrs(func(a slog.Attr) bool {
		fmt.Fprintf(&b, " %s=%s", a.Key, a.Value)
		return true
	})
	s := b.String()
	h.warnings.Add(1)
	if isLocked(s) {
		h.locked.Add(1)
	}
	h.mu.Lock()
	if len(h.first) < 3 {
		h.first = append(h.first, s)
	}
	h.mu.Unlock()
	return nil
}

func isLocked(s string) bool {
	return strings.Contains(s, "database is locked") || strings.Contains(s, "SQLITE_BUSY")
}

func runMixed(cfg mixedConfig) error {
	ctx := context.Background()
	db, err := store.Open(ctx, cfg.dsn, store.Options{})
	if err != nil {
		return err
	}
	defer db.Close()
	sys := ducha.NewContextWithUser(ctx, ducha.SystemUser)
	if err := ensureUser(sys, db); err != nil {
		return err
	}
	m := &mixer{versions: map[int64]int{}}
	if err := m.sampleProblems(sys, db); err != nil {
		return err
	}
	unitID := int64(0)
	if units, err := db.FindUnits(sys); err == nil && len(units) > 0 {
		unitID = units[0].ID
		for _, u := range units {
			if u.Name == "永清镇" {
				unitID = u.ID
			}
		}
	}
	m.reads = ledgerFilters(unitID)

	logs := &logCounter{}
	srv, err := serve(db, slog.New(logs), cfg.noCache)
	if err == nil && cfg.full {
		srv.Notices, srv.Outbox, srv.Inbox, srv.Accountability, srv.Publicity = db, db, db, db, db
		srv.Documents, srv.Requests, srv.Duties, srv.Dashboards = db, db, db, db
	}
	if err != nil {
		return err
	}
	defer srv.Close()
	helloURL, closeHello, err := serveHello()
	if err != nil {
		return err
	}
	defer closeHello()
	m.base = srv.URL()
	// The clients ask for gzip as browsers do, and do not inflate what
	// they throw away (read): a browser inflates on its own machine, and
	// here that work would take the server's processors (a quarter of the
	// clients' tenth of the CPU in part 5's profile).
	m.client = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: cfg.clients, MaxConnsPerHost: cfg.clients,
		DisableCompression: true}}
	if m.cookie, err = login(m.client, m.base, password); err != nil {
		return err
	}
	m.sampleCases()

	fmt.Printf("store: %s, %d problems sampled to edit, %d in progress, %d open cases; %d clients, %s, writes %.0f%%, list cache off: %v\n",
		db.Engine(), len(m.all), len(m.inProgress), len(m.cases), cfg.clients, cfg.duration, 100*cfg.writes, cfg.noCache)
	hello := load(m.client, func(int) string { return helloURL }, m.cookie, cfg.clients, cfg.hello)
	fmt.Printf("hello-world net/http: %.0f req/s, p50 %s, p99 %s (%s, same process, before the mix)\n",
		hello.rps, hello.pct(50), hello.pct(99), cfg.hello)

	if cfg.cpuprofile != "" {
		f, err := os.Create(cfg.cpuprofile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
	}
	var passStart, passEnd time.Time
	passDone := make(chan struct{})
	if cfg.pass != "" {
		go func() {
			defer close(passDone)
			time.Sleep(time.Second)
			passStart = time.Now()
			issued, closed, err := db.Supervise(sys, cfg.pass)
			passEnd = time.Now()
			fmt.Printf("pass as of %s: %d issued, %d closed in %s (err %v)\n", cfg.pass, len(issued), closed,
				passEnd.Sub(passStart).Round(time.Millisecond), err)
		}()
	} else {
		close(passDone)
	}
	total, me, elapsed := m.run(cfg)
	<-passDone
	if cfg.cpuprofile != "" {
		pprof.StopCPUProfile()
	}
	m.report(total, me, elapsed, hello.rps, logs)
	if cfg.pass != "" {
		var during, outside []time.Duration
		for i, end := range total.writeEnds {
			if !end.Before(passStart) && !end.After(passEnd) {
				during = append(during, total.writes[i])
			} else {
				outside = append(outside, total.writes[i])
			}
		}
		during, outside = sorted(during), sorted(outside)
		fmt.Printf("  writes that ended during the pass: %d, p50 %s, p99 %s, max %s\n", len(during), pctOf(during, 50), pctOf(during, 99),
			pctOf(during, 100))
		fmt.Printf("  writes that ended outside it:      %d, p50 %s, p99 %s, max %s\n", len(outside), pctOf(outside, 50), pctOf(outside, 99),
			pctOf(outside, 100))
	}
	return nil
}

// ensureUser makes the benchmark's coordinator account, once per store.
func ensureUser(sys context.Context, db *store.DB) error {
	if _, err := db.FindUserByUsername(sys, "loadrun"); err == nil {
		return nil
	}
	return db.CreateUser(sys, &ducha.User{Username: "loadrun", Role: ducha.RoleCoordinator}, password)
}

// sampleProblems picks problems to write to, spread over the ledger, with
// their versions.
func (m *mixer) sampleProblems(sys context.Context, db *store.DB) error {
	st, err := db.CountProblems(sys, ducha.ProblemFilter{})
	if err != nil {
		return err
	}
	take := func(status ducha.ProblemStatus, n int, into *[]int64) error {
		for _, off := range []int{0, n / 4, n / 2, 3 * n / 4} {
			ps, _, err := db.FindProblems(sys, ducha.ProblemFilter{Status: status, Offset: off, Limit: ducha.MaxPerPage, SkipCount: true})
			if err != nil {
				return err
			}
			for _, p := range ps {
				*into = append(*into, p.ID)
				m.versions[p.ID] = p.Version
			}
		}
		return nil
	}
	if err := take("", st.Total, &m.all); err != nil {
		return err
	}
	if err := take(ducha.StatusInProgress, st.InProgress, &m.inProgress); err != nil {
		return err
	}
	if len(m.all) == 0 {
		return fmt.Errorf("the store has no problems: fill it with ducha demo first")
	}
	return nil
}

// sampleCases lists cases a coordinator can still act on, through the API.
func (m *mixer) sampleCases() {
	for page := 1; page <= 4; page++ {
		st, body, _, err := m.send("GET", "/api/v1/cases?per_page=500&page="+strconv.Itoa(page), nil)
		if err != nil || st != 200 {
			return // no cases service, or none
		}
		var l struct{ Items []struct{ ID int64 } }
		if json.Unmarshal(body, &l) != nil || len(l.Items) == 0 {
			return
		}
		for _, c := range l.Items {
			m.cases = append(m.cases, c.ID)
		}
	}
}

// send makes one request with the session and reads the answer.
func (m *mixer) send(method, path string, body any) (int, []byte, time.Duration, error) {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, m.base+path, rd)
	req.Header.Set("Cookie", m.cookie)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	t0 := time.Now()
	resp, err := m.client.Do(req)
	if err != nil {
		return 0, nil, time.Since(t0), err
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp.StatusCode, b, time.Since(t0), err
}

// run drives the clients and the /me probe for the run's duration.
func (m *mixer) run(cfg mixedConfig) (*tally, []time.Duration, time.Duration) {
	deadline := time.Now().Add(cfg.duration)
	total := newTally(len(m.reads))
	var mu sync.Mutex
	var wg sync.WaitGroup
	start := time.Now()
	for i := 0; i < cfg.clients; i++ {
		wg.Add(1)
		go func(rng *rand.Rand) {
			defer wg.Done()
			t := newTally(len(m.reads))
			for time.Now().Before(deadline) {
				if rng.Float64() < cfg.writes {
					m.write(t, rng)
				} else {
					m.read(t, rng)
				}
			}
			mu.Lock()
			total.add(t)
			mu.Unlock()
		}(rand.New(rand.NewSource(cfg.seed + int64(i))))
	}
	// The probe: one client of its own (own connection), as a user's
	// browser asking who it is while the office works.
	var me []time.Duration
	wg.Add(1)
	go func() {
		defer wg.Done()
		probe := &mixer{client: &http.Client{Transport: &http.Transport{}}, base: m.base, cookie: m.cookie}
		for time.Now().Before(deadline) {
			st, _, d, err := probe.send("GET", "/api/v1/me", nil)
			if err == nil && st == 200 {
				me = append(me, d)
			}
			time.Sleep(probeEvery)
		}
	}()
	if cfg.full {
		wg.Add(1)
		go func() {
			defer wg.Done()
			probe := &mixer{client: &http.Client{Transport: &http.Transport{}}, base: m.base, cookie: m.cookie}
			for time.Now().Before(deadline) {
				st, _, d, err := probe.send("GET", "/workbench", nil)
				if err == nil && st == 200 {
					m.workbench = append(m.workbench, d)
				}
				time.Sleep(workbenchEvery)
			}
		}()
	}
	wg.Wait()
	return total, me, time.Since(start)
}

// workbenchEvery is the pause of the workbench probe (with -full).
const workbenchEvery = 200 * time.Millisecond

// read asks for one ledger page: a random filter, mostly its first page,
// through the API or as the HTML page.
func (m *mixer) read(t *tally, rng *rand.Rand) {
	i := rng.Intn(len(m.reads))
	q := m.reads[i].query
	if rng.Intn(10) >= 7 { // most readers stay on the first page
		q += "&page=" + strconv.Itoa(2+rng.Intn(4))
	}
	path, page := "/api/v1/problems?"+q, rng.Float64() < pageShare
	if page {
		path = "/problems?" + q
	}
	req, _ := http.NewRequest("GET", m.base+path, nil)
	req.Header.Set("Cookie", m.cookie)
	req.Header.Set("Accept-Encoding", "gzip")
	t0 := time.Now()
	resp, err := m.client.Do(req)
	if err != nil {
		t.readFail++
		return
	}
	if resp.StatusCode == 200 {
		io.Copy(io.Discard, resp.Body)
	} else if b, _ := io.ReadAll(inflated(resp)); isLocked(string(b)) {
		t.lockedBodies++
	}
	resp.Body.Close()
	d := time.Since(t0)
	t.readStatus[resp.StatusCode]++
	t.reads = append(t.reads, d)
	t.byFilter[i] = append(t.byFilter[i], d)
	if page {
		t.pages = append(t.pages, d)
	} else {
		t.api = append(t.api, d)
	}
}

// inflated is resp's body, inflated when it came gzipped.
func inflated(resp *http.Response) io.Reader {
	if resp.Header.Get("Content-Encoding") != "gzip" {
		return resp.Body
	}
	zr, err := gzip.NewReader(resp.Body)
	if err != nil {
		return resp.Body
	}
	return zr
}

// writeReq sends one write and records it under kind.
func (m *mixer) writeReq(t *tally, kind, method, path string, body any) (int, []byte) {
	st, b, d, err := m.send(method, path, body)
	if err != nil {
		t.wrFail++
		return 0, nil
	}
	t.writeStatus[st]++
	if st >= 300 && isLocked(string(b)) {
		t.lockedBodies++
	}
	t.writes, t.writeEnds = append(t.writes, d), append(t.writeEnds, time.Now())
	t.byWrite[kind] = append(t.byWrite[kind], d)
	return st, b
}

func versionOf(b []byte) int {
	var v struct{ Version int }
	json.Unmarshal(b, &v)
	return v.Version
}

func (m *mixer) version(id int64) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.versions[id]
}

func (m *mixer) setVersion(id int64, v int) {
	if v == 0 {
		return
	}
	m.mu.Lock()
	m.versions[id] = v
	m.mu.Unlock()
}

// write makes one write: an edit, a progress report or a case action.
func (m *mixer) write(t *tally, rng *rand.Rand) {
	k := rng.Float64()
	if k < caseShare && len(m.cases) > 0 && m.caseAction(t, rng) {
		return
	}
	if k >= caseShare && k < caseShare+patchShare {
		m.patch(t, rng)
		return
	}
	m.progress(t, rng)
}

// patch edits a problem's note with the version last seen; on 409 it reads
// the problem again and tries once more.
func (m *mixer) patch(t *tally, rng *rand.Rand) {
	id := m.all[rng.Intn(len(m.all))]
	path := "/api/v1/problems/" + strconv.FormatInt(id, 10)
	v := m.version(id)
	for attempt := 0; attempt < 2; attempt++ {
		st, b := m.writeReq(t, "PATCH problem", "PATCH", path,
			map[string]any{"version": v, "note": fmt.Sprintf("负载测试备注 %d", m.seq.Add(1))})
		if st == 200 {
			m.setVersion(id, versionOf(b))
			return
		}
		if st != http.StatusConflict || attempt == 1 {
			return
		}
		t.resent++
		t.prepReads++
		st, b, _, err := m.send("GET", path, nil)
		if err != nil || st != 200 {
			return
		}
		v = versionOf(b)
		m.setVersion(id, v)
	}
}

// progress reports progress on a problem in progress (no version: the
// action's state rule guards it).
func (m *mixer) progress(t *tally, rng *rand.Rand) {
	id := m.inProgress[rng.Intn(len(m.inProgress))]
	st, b := m.writeReq(t, "POST progress", "POST", "/api/v1/problems/"+strconv.FormatInt(id, 10)+"/actions/progress",
		map[string]any{"text": fmt.Sprintf("已完成整改工作的第%d步", m.seq.Add(1))})
	if st == 200 {
		m.setVersion(id, versionOf(b))
	}
}

// caseAction reads a case and takes the coordinator's next step on it:
// assign it again to its units, enter a signed unit's answer, or return
// a submitted answer. It reports false when the case has no such step.
func (m *mixer) caseAction(t *tally, rng *rand.Rand) bool {
	id := m.cases[rng.Intn(len(m.cases))]
	path := "/api/v1/cases/" + strconv.FormatInt(id, 10)
	for attempt := 0; attempt < 2; attempt++ {
		t.prepReads++
		st, b, _, err := m.send("GET", path, nil)
		if err != nil || st != 200 {
			return attempt > 0
		}
		var c struct {
			Version int
			Status  ducha.CaseStatus
			Units   []string
			Parts   []struct {
				UnitID      int64      `json:"unit_id"`
				SignedAt    *time.Time `json:"signed_at"`
				SubmittedAt *time.Time `json:"submitted_at"`
			}
		}
		if json.Unmarshal(b, &c) != nil {
			return attempt > 0
		}
		var action string
		var body map[string]any
		switch c.Status {
		case ducha.CaseReceived, ducha.CaseAssigned:
			if len(c.Units) > 0 {
				action, body = ducha.CaseActAssign, map[string]any{"version": c.Version, "units": c.Units}
			}
		case ducha.CaseInvestigating:
			for _, p := range c.Parts {
				if p.SignedAt != nil && p.SubmittedAt == nil {
					action, body = ducha.CaseActSubmit, map[string]any{"version": c.Version, "unit": p.UnitID,
						"findings": "经现场核查，反映问题属实。", "verdict": "属实", "handling": "已责令整改，整改完成后复查。"}
					break
				}
			}
		case ducha.CaseSubmitted:
			action, body = ducha.CaseActReturn, map[string]any{"version": c.Version, "reason": "请补充整改前后对比照片"}
		}
		if action == "" {
			t.skipped++
			return attempt > 0
		}
		st, _ = m.writeReq(t, "POST case "+action, "POST", path+"/actions/"+action, body)
		if st != http.StatusConflict {
			return true
		}
		if attempt == 0 {
			t.resent++
		}
	}
	return true
}

// sorted returns the latencies in order.
func sorted(d []time.Duration) []time.Duration {
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	return d
}

func pctOf(d []time.Duration, p int) string {
	r := result{latencies: d}
	return r.pct(p)
}

func statuses(m map[int]int) string {
	keys := make([]int, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%d×%d", k, m[k]))
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, " ")
}

// classes counts 409 apart from the other 4xx and from 5xx.
func classes(m map[int]int) (conflicts, client, server int) {
	for k, v := range m {
		switch {
		case k == http.StatusConflict:
			conflicts += v
		case k >= 500:
			server += v
		case k >= 400:
			client += v
		}
	}
	return
}

func (m *mixer) report(t *tally, me []time.Duration, elapsed time.Duration, helloRPS float64, logs *logCounter) {
	secs := elapsed.Seconds()
	reads, writes := sorted(t.reads), sorted(t.writes)
	rc, r4, r5 := classes(t.readStatus)
	wc, w4, w5 := classes(t.writeStatus)
	fmt.Printf("\nmixed run, %.1f s:\n", secs)
	fmt.Printf("  reads  %8.1f req/s  p50 %9s  p99 %9s  (%d) = %.2f%% of hello-world\n",
		float64(len(reads))/secs, pctOf(reads, 50), pctOf(reads, 99), len(reads), 100*float64(len(reads))/secs/helloRPS)
	api, pages := sorted(t.api), sorted(t.pages)
	fmt.Printf("    %-22s %6d  p50 %9s  p99 %9s\n", "GET /api/v1/problems", len(api), pctOf(api, 50), pctOf(api, 99))
	fmt.Printf("    %-22s %6d  p50 %9s  p99 %9s\n", "GET /problems (HTML)", len(pages), pctOf(pages, 50), pctOf(pages, 99))
	fmt.Printf("  writes %8.1f req/s  p50 %9s  p99 %9s  (%d; %d re-sent after 409, %d reads before writing, %d case writes skipped)\n",
		float64(len(writes))/secs, pctOf(writes, 50), pctOf(writes, 99), len(writes), t.resent, t.prepReads, t.skipped)
	kinds := make([]string, 0, len(t.byWrite))
	for k := range t.byWrite {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		d := sorted(t.byWrite[k])
		fmt.Printf("    %-22s %6d  p50 %9s  p99 %9s\n", k, len(d), pctOf(d, 50), pctOf(d, 99))
	}
	fmt.Printf("  statuses: reads %s; writes %s\n", statuses(t.readStatus), statuses(t.writeStatus))
	fmt.Printf("  errors: reads 409 %d, other 4xx %d, 5xx %d, transport %d; writes 409 %d, other 4xx %d, 5xx %d, transport %d\n",
		rc, r4, r5, t.readFail, wc, w4, w5, t.wrFail)
	fmt.Printf("  \"database is locked\": %d answers, %d server log lines (of %d warnings/errors logged)\n",
		t.lockedBodies, logs.locked.Load(), logs.warnings.Load())
	for _, s := range logs.first {
		if len(s) > 300 {
			s = s[:300] + "…"
		}
		fmt.Printf("    log: %s\n", s)
	}
	me = sorted(me)
	maxMe := "-"
	if len(me) > 0 {
		maxMe = me[len(me)-1].Round(10 * time.Microsecond).String()
	}
	fmt.Printf("  GET /api/v1/me probe (one client of its own, every %s): %d answers, p50 %s, p99 %s, max %s\n",
		probeEvery, len(me), pctOf(me, 50), pctOf(me, 99), maxMe)
	if wb := sorted(m.workbench); len(wb) > 0 {
		fmt.Printf("  GET /workbench probe (the coordinator's, one client of its own, every %s): %d answers, p50 %s, p99 %s, max %s\n",
			workbenchEvery, len(wb), pctOf(wb, 50), pctOf(wb, 99), wb[len(wb)-1].Round(10*time.Microsecond))
	}
	fmt.Printf("\n  %-28s %7s %9s %9s\n", "read filter", "n", "p50", "p99")
	for i, f := range m.reads {
		d := sorted(t.byFilter[i])
		fmt.Printf("  %-28s %7d %9s %9s\n", f.name, len(d), pctOf(d, 50), pctOf(d, 99))
	}
}
