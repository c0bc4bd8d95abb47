package http_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"

	"ducha"
)

// dashboardJSON is the dashboard's answer with its report kept as sent.
type dashboardJSON struct {
	AsOf   string                `json:"as_of"`
	At     time.Time             `json:"at"`
	Report json.RawMessage       `json:"report"`
	ByUnit []ducha.DashboardUnit `json:"by_unit"`
	Trend  []ducha.DashboardDay  `json:"trend"`
}

func (e *env) dashboard(role, date string) dashboardJSON {
	e.t.Helper()
	resp, body := e.api("GET", "/api/v1/reports/dashboard?date="+date, role, "")
	if resp.StatusCode != 200 {
		e.t.Fatalf("dashboard %s as %s: %d %s", date, role, resp.StatusCode, body)
	}
	var d dashboardJSON
	if err := json.Unmarshal([]byte(body), &d); err != nil {
		e.t.Fatalf("dashboard %s: %v: %s", date, err, body)
	}
	return d
}

// dailyAs is the daily report JSON as the role reads it, compacted.
func (e *env) dailyAs(role, date string) string {
	e.t.Helper()
	resp, body := e.api("GET", "/api/v1/reports/daily?date="+date, role, "")
	if resp.StatusCode != 200 {
		e.t.Fatalf("daily %s as %s: %d %s", date, role, resp.StatusCode, body)
	}
	return strings.TrimSpace(body)
}

// TestDashboardJSON checks that the dashboard's report is the daily
// report of the same day for every role, that each day of its trend is
// that day's report, and that its lines by unit keep to the caller's unit.
func TestDashboardJSON(t *testing.T) {
	e := newCaseEnv(t)
	e.srv.Dashboards = e.db
	e.dayOne()
	// caseD goes to two units: the county sees both lines, each unit its own.
	e.act("coordinator", caseD, "assign", `{"units":["永清镇","林城镇"]}`)
	e.clock.Add(23 * time.Hour) // 2026-12-11
	e.act("coordinator", caseC, "accept", `{"status":"closed"}`)

	for _, role := range []string{"coordinator", "leader", "liaison", "liaison_b"} {
		for _, day := range []string{"2026-12-10", "2026-12-11"} {
			d := e.dashboard(role, day)
			if got, want := string(d.Report), e.dailyAs(role, day); got != want {
				t.Errorf("%s %s: the dashboard's report is not the daily report:\n got %s\nwant %s", role, day, got, want)
			}
		}
	}

	// The trend runs from batch 3's day (forwarded 12-08, imported on
	// 12-10) to the day asked, each day its report's numbers.
	d := e.dashboard("coordinator", "2026-12-11")
	var days []string
	for _, day := range d.Trend {
		days = append(days, string(day.Date))
		_, r := e.report(string(day.Date))
		if day.Received != r.Cases.Total || day.Closed != r.Cases.Closed || day.StageClosed != r.Cases.StageClosed {
			t.Errorf("trend %s: %+v; the report says total %d, closed %d, stage-closed %d", day.Date, day,
				r.Cases.Total, r.Cases.Closed, r.Cases.StageClosed)
		}
	}
	if strings.Join(days, " ") != "2026-12-08 2026-12-09 2026-12-10 2026-12-11" {
		t.Errorf("trend days %v", days)
	}
	if last := d.Trend[len(d.Trend)-1]; last.Received != 31 || last.Closed != 3 || last.StageClosed != 0 {
		t.Errorf("trend's last day %+v, want 31 received, 3 closed", last)
	}
	if first := d.Trend[0]; first.Received != 0 {
		t.Errorf("nothing was known on 12-08, trend says %+v", first)
	}
	// Day two: C closed; D is with both towns, open.
	want := []ducha.DashboardUnit{{Unit: "永清镇", Total: 4, Closed: 3, Open: 1}, {Unit: "林城镇", Total: 1, Open: 1}}
	if !sameUnits(d.ByUnit, want) {
		t.Errorf("by unit as the county: %+v, want %+v", d.ByUnit, want)
	}
	if got := e.dashboard("liaison", "2026-12-11").ByUnit; !sameUnits(got, want[:1]) {
		t.Errorf("by unit as 永清镇's liaison: %+v, want its own line only", got)
	}
	if got := e.dashboard("liaison_b", "2026-12-11"); !sameUnits(got.ByUnit, want[1:]) || got.Trend[len(got.Trend)-1].Received != 1 {
		t.Errorf("as 林城镇's liaison: by unit %+v, trend %+v; want its one case", got.ByUnit, got.Trend)
	}
	// Day one, asked on day two, is what it was: C stage-closed.
	if got := e.dashboard("coordinator", "2026-12-10").ByUnit; !sameUnits(got, []ducha.DashboardUnit{
		{Unit: "永清镇", Total: 4, Closed: 2, StageClosed: 1, Open: 1}, {Unit: "林城镇", Total: 1, Open: 1}}) {
		t.Errorf("day one by unit: %+v", got)
	}

	// A bad date names the field; a future one is refused; nobody logged
	// in is refused.
	resp, body := e.api("GET", "/api/v1/reports/dashboard?date=12月10日", "leader", "")
	if resp.StatusCode != 400 || !strings.Contains(body, `"date"`) {
		t.Errorf("bad date: %d %s", resp.StatusCode, body)
	}
	if resp, body := e.api("GET", "/api/v1/reports/dashboard?date=2026-12-31", "leader", ""); resp.StatusCode != 400 || !strings.Contains(body, "未来") {
		t.Errorf("future date: %d %s", resp.StatusCode, body)
	}
	if resp, _ := e.api("GET", "/api/v1/reports/dashboard", "", ""); resp.StatusCode != 401 {
		t.Errorf("anonymous dashboard: %d", resp.StatusCode)
	}
}

func sameUnits(got, want []ducha.DashboardUnit) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if got[i] != want[i] {
			return false
		}
	}
	return true
}

// TestDashboardPages checks the figure cards are the daily report's
// numbers in the HTML itself (no script needed), the screen has no site
// header and refreshes itself, and a bad date is shown beside its field.
func TestDashboardPages(t *testing.T) {
	e := newCaseEnv(t)
	e.srv.Dashboards = e.db
	e.dayOne()
	_, r := e.report("2026-12-10")
	resp, page := e.api("GET", "/dashboard?date=2026-12-10", "leader", "")
	if resp.StatusCode != 200 {
		t.Fatalf("dashboard page: %d %s", resp.StatusCode, page)
	}
	cards := map[string]string{}
	for _, m := range regexp.MustCompile(`data-figure="(\w+)"><dt>[^<]*</dt><dd>([^<]*)</dd>`).FindAllStringSubmatch(page, -1) {
		cards[m[1]] = m[2]
	}
	want := map[string]string{"total": "31", "closed": "2", "stage_closed": "1", "open": "28", "closed_rate": "9.6%",
		"overdue": "0", "penalty_cases": "1", "fines_yuan": "12500.50", "interviewed": "2", "held_accountable": "1"}
	if r.Cases.Total != 31 || r.Measures.FinesYuan.String() != "12500.50" || len(cards) != len(want) {
		t.Fatalf("cards %v from report %+v", cards, r.Cases)
	}
	for k, v := range want {
		if cards[k] != v {
			t.Errorf("card %s = %q, want %q", k, cards[k], v)
		}
	}
	for _, s := range []string{`<header class="top">`, `href="/dashboard"`, `data-src="/api/v1/reports/dashboard?date=2026-12-10"`,
		`data-chart="by_area"`, `data-chart="by_unit"`, `data-chart="by_type"`, `data-chart="trend"`, `data-chart="ledger"`,
		`<th scope="row">黄门镇</th><td class="num">2</td><td class="num">1</td>`, "截至2026年12月10日", `src="/static/charts.js`} {
		if !strings.Contains(page, s) {
			t.Errorf("dashboard page lacks %s", s)
		}
	}
	resp, screen := e.api("GET", "/dashboard/screen", "leader", "")
	if resp.StatusCode != 200 || strings.Contains(screen, `<header class="top">`) || !strings.Contains(screen, `data-refresh="60"`) ||
		!strings.Contains(screen, `data-src="/api/v1/reports/dashboard"`) || !strings.Contains(screen, `http-equiv="refresh" content="60"`) ||
		!strings.Contains(screen, `data-figure="total"><dt>交办总数</dt><dd>31</dd>`) {
		t.Errorf("screen: %d %s", resp.StatusCode, screen)
	}
	resp, bad := e.api("GET", "/dashboard?date=2026-13-01", "leader", "")
	if resp.StatusCode != 400 || !strings.Contains(bad, `<span class="field-error" id="err-date">截至日期“2026-13-01”不是有效日期`) || strings.Contains(bad, "data-figure") {
		t.Errorf("bad date page: %d %s", resp.StatusCode, bad)
	}
	// Unit roles see their unit's figures, and are told so.
	if _, p := e.api("GET", "/dashboard?date=2026-12-10", "liaison_b", ""); !strings.Contains(p, `data-figure="total"><dt>交办总数</dt><dd>0</dd>`) ||
		!strings.Contains(p, "仅统计林城镇") {
		t.Errorf("林城镇's dashboard shows more than its unit: %s", p)
	}
}

// TestFrontendBundles checks the embedded scripts: every page names
// app.js by its content hash, which is kept a year; the bytes come
// compressed when asked and revalidate by ETag.
func TestFrontendBundles(t *testing.T) {
	e := newEnv(t)
	_, page := e.api("GET", "/login", "", "")
	m := regexp.MustCompile(`<script defer src="(/static/app\.js(\?v=[0-9a-f]+)?)"></script>`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("the login page does not load app.js: %s", page)
	}
	if m[2] == "" {
		// Not built (go test without make): the bundle says how to build it.
		resp, body := e.api("GET", "/static/app.js", "", "")
		if resp.StatusCode != 503 || !strings.Contains(body, "make frontend") {
			t.Errorf("unbuilt bundle: %d %s", resp.StatusCode, body)
		}
		t.Skip("front end not built: run make frontend to test the bundles")
	}
	resp, raw := e.api("GET", m[1], "", "", "Accept-Encoding", "identity")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Encoding") != "" || !strings.Contains(raw, "htmx") ||
		resp.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/javascript") {
		t.Fatalf("app.js: %d %v, %d bytes", resp.StatusCode, resp.Header, len(raw))
	}
	resp, gz := e.api("GET", m[1], "", "", "Accept-Encoding", "gzip, deflate")
	if resp.Header.Get("Content-Encoding") != "gzip" || len(gz) >= len(raw)/2 {
		t.Fatalf("gzip: %q, %d of %d bytes", resp.Header.Get("Content-Encoding"), len(gz), len(raw))
	}
	zr, err := gzip.NewReader(bytes.NewReader([]byte(gz)))
	if err != nil {
		t.Fatal(err)
	}
	if unzipped, _ := io.ReadAll(zr); string(unzipped) != raw {
		t.Errorf("gzip body is not the script")
	}
	resp, br := e.api("GET", m[1], "", "", "Accept-Encoding", "gzip, deflate, br")
	if resp.Header.Get("Content-Encoding") != "br" || len(br) >= len(gz) || resp.Header.Get("Vary") != "Accept-Encoding" {
		t.Errorf("brotli: %q, %d bytes (gzip %d)", resp.Header.Get("Content-Encoding"), len(br), len(gz))
	}
	resp, _ = e.api("GET", m[1], "", "", "Accept-Encoding", "gzip, br;q=0")
	if resp.Header.Get("Content-Encoding") != "gzip" {
		t.Errorf("br;q=0 answered %q", resp.Header.Get("Content-Encoding"))
	}
	etag := resp.Header.Get("ETag")
	if resp, body := e.api("GET", "/static/app.js", "", "", "Accept-Encoding", "gzip", "If-None-Match", etag); resp.StatusCode != 304 || body != "" ||
		resp.Header.Get("Cache-Control") != "public, no-cache" {
		t.Errorf("revalidation: %d %v", resp.StatusCode, resp.Header)
	}
	if resp, body := e.api("GET", "/static/charts.js", "", "", "Accept-Encoding", "identity"); resp.StatusCode != 200 || !strings.Contains(body, "echarts") {
		t.Errorf("charts.js: %d, %d bytes", resp.StatusCode, len(body))
	}
	// The policy lets the page load its own scripts and nothing inline.
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe") {
		t.Errorf("CSP %q", csp)
	}
}
