package http_test

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"ducha"
)

// scenario is one API call and what it must answer. In path, body and
// fragments, {own} {other} {pending} {coop} {registered} are problem ids,
// {missing} an id that does not exist, {v:KEY} a problem's current version
// and {code:KEY} its code.
type scenario struct {
	role   string // role key, "" for nobody
	method string
	path   string
	body   string
	status int
	want   []string
	absent []string
}

var everyRole = []string{"admin", "coordinator", "liaison", "head", "discipline", "leader"}

func TestAPIScenarios(t *testing.T) {
	e := newEnv(t)
	var table []scenario
	add := func(roles []string, method, path, body string, status int, want []string, absent ...string) {
		for _, r := range roles {
			table = append(table, scenario{r, method, path, body, status, want, absent})
		}
	}
	unscoped := []string{"admin", "coordinator", "discipline", "leader"}
	scoped := []string{"liaison", "head"}
	readers := []string{"discipline", "leader"}
	notFound := []string{`"code":"not_found"`, `"message":"问题不存在"`}
	forbidden := []string{`"code":"forbidden"`}

	// Nobody logged in.
	for _, c := range [][2]string{{"GET", "/api/v1/problems"}, {"GET", "/api/v1/problems/{own}"}, {"POST", "/api/v1/problems"},
		{"PATCH", "/api/v1/problems/{own}"}, {"POST", "/api/v1/problems/{own}/actions/progress"},
		{"GET", "/api/v1/problems/{own}/events"}, {"GET", "/api/v1/me"}, {"GET", "/api/v1/units"},
		{"GET", "/api/v1/exports/ledger.xlsx"}, {"GET", "/api/v1/attachments/1"}} {
		add([]string{""}, c[0], c[1], `{}`, 401, []string{`"code":"unauthorized"`})
	}

	// Who am I.
	for _, r := range everyRole {
		add([]string{r}, "GET", "/api/v1/me", "", 200, []string{`"role":"` + string(e.users[r].Role) + `"`})
	}

	// Reading the ledger: unit roles see their unit's rows only, and the
	// total counts only those.
	add(unscoped, "GET", "/api/v1/problems", "", 200,
		[]string{`"total":5`, `"page":1`, `"per_page":50`, "{code:own}", "{code:other}", "{code:coop}", "{code:registered}"})
	add(scoped, "GET", "/api/v1/problems", "", 200,
		[]string{`"total":3`, "{code:own}", "{code:pending}", "{code:coop}"}, "{code:other}", "{code:registered}")
	add(unscoped, "GET", "/api/v1/problems?unit=林城镇", "", 200, []string{`"total":2`, "{code:other}", "{code:coop}"})
	add(scoped, "GET", "/api/v1/problems?unit=林城镇", "", 200, []string{`"total":1`, "{code:coop}"}, "{code:other}")
	add(scoped, "GET", "/api/v1/problems?unit={unit:林城镇}&status=in_progress", "", 200, []string{`"total":1`, "{code:coop}"})
	add(unscoped, "GET", "/api/v1/problems?status=pending_verification", "", 200, []string{`"total":1`, "{code:pending}"}, "{code:own}")
	add([]string{"coordinator"}, "GET", "/api/v1/problems?per_page=2&page=2", "", 200, []string{`"total":5`, `"page":2`, `"per_page":2`})
	add([]string{"coordinator"}, "GET", "/api/v1/problems?per_page=9999", "", 200, []string{`"per_page":500`})
	add([]string{"coordinator"}, "GET", "/api/v1/problems?overdue=maybe", "", 400, []string{`"code":"invalid"`, `"fields":{"overdue"`, `是否逾期（overdue）应为true或false，收到“maybe”`})
	add([]string{"coordinator"}, "GET", "/api/v1/problems?unit=不存在镇", "", 400, []string{`"fields":{"unit"`})

	// One problem and its history.
	add(everyRole, "GET", "/api/v1/problems/{own}", "", 200, []string{`"id":{own}`, `"status":"in_progress"`, `"lead_unit":"永清镇"`, `"warning":"none"`, `"overdue":false`})
	add(unscoped, "GET", "/api/v1/problems/{other}", "", 200, []string{`"lead_unit":"林城镇"`})
	add(scoped, "GET", "/api/v1/problems/{other}", "", 404, notFound, "林城镇")
	add(scoped, "GET", "/api/v1/problems/{coop}", "", 200, []string{`"coop_units":["永清镇"]`})
	add(everyRole, "GET", "/api/v1/problems/{missing}", "", 404, notFound)
	add(everyRole, "GET", "/api/v1/problems/abc", "", 404, notFound)
	add(everyRole, "GET", "/api/v1/problems/{own}/events", "", 200, []string{`"action":"create"`, `"action":"plan"`})
	add(scoped, "GET", "/api/v1/problems/{other}/events", "", 404, notFound)

	// Registering and editing need the register permission.
	add([]string{"admin", "coordinator"}, "POST", "/api/v1/problems", `{"description":"新登记的问题","source":"督察反馈","lead_unit":"永清镇","types":["水"]}`,
		201, []string{`"status":"registered"`, `"lead_unit":"永清镇"`, `"version":1`})
	add([]string{"coordinator"}, "POST", "/api/v1/problems", `{"description":""}`, 400, []string{`"fields":{"description"`})
	add([]string{"coordinator"}, "POST", "/api/v1/problems", `{"description":"x","colour":"red"}`, 400, []string{`"fields":{"colour"`})
	add(append(scoped, readers...), "POST", "/api/v1/problems", `{"description":"越权登记"}`, 403, forbidden)
	add([]string{"coordinator"}, "PATCH", "/api/v1/problems/{own}", `{"note":"协调办备注","version":{v:own}}`, 200, []string{`"note":"协调办备注"`})
	add([]string{"admin"}, "PATCH", "/api/v1/problems/{other}", `{"note":"管理员备注","version":{v:other}}`, 200, []string{`"note":"管理员备注"`})
	add(append(scoped, readers...), "PATCH", "/api/v1/problems/{own}", `{"note":"越权","version":{v:own}}`, 403, forbidden)
	add([]string{"coordinator"}, "PATCH", "/api/v1/problems/{own}", `{"note":"无版本"}`, 400, []string{`"fields":{"version"`})

	// Workflow actions: the unit works on its own problems; another unit's
	// answers exactly like a missing one; readers may not act.
	add([]string{"admin", "coordinator", "liaison", "head"}, "POST", "/api/v1/problems/{own}/actions/progress",
		`{"text":"已完成围挡","version":{v:own}}`, 200, []string{`"latest_progress":"已完成围挡"`})
	add(readers, "POST", "/api/v1/problems/{own}/actions/progress", `{"text":"x","version":{v:own}}`, 403, forbidden)
	add(scoped, "POST", "/api/v1/problems/{other}/actions/progress", `{"text":"x","version":{v:other}}`, 404, notFound)
	add(scoped, "POST", "/api/v1/problems/{missing}/actions/progress", `{"text":"x","version":1}`, 404, notFound)
	add([]string{"coordinator"}, "POST", "/api/v1/problems/{other}/actions/progress", `{"text":"协调办代报","version":{v:other}}`, 200, []string{`"latest_progress":"协调办代报"`})
	add([]string{"liaison"}, "POST", "/api/v1/problems/{coop}/actions/progress", `{"text":"配合单位进展","version":{v:coop}}`, 200, []string{`"latest_progress":"配合单位进展"`})
	add([]string{"liaison"}, "POST", "/api/v1/problems/{coop}/actions/apply_closure", `{"text":"x","version":{v:coop}}`, 403, forbidden)
	// An action may omit the version (its state rules guard it); a stale
	// one, when given, is a conflict.
	add([]string{"liaison"}, "POST", "/api/v1/problems/{own}/actions/progress", `{"text":""}`, 400, []string{`"fields":{"text"`})
	add([]string{"liaison"}, "POST", "/api/v1/problems/{own}/actions/progress", `{"text":"脚本报送，无版本号"}`, 200, []string{`"progress":[{"id":7,"text":"脚本报送，无版本号"`})
	add([]string{"liaison"}, "POST", "/api/v1/problems/{own}/actions/progress", `{"text":"旧版本","version":1}`, 409, []string{`"code":"conflict"`})
	add([]string{"liaison"}, "POST", "/api/v1/problems/{own}/actions/progress", `{"text":"x","version":-1}`, 400, []string{`"fields":{"version"`})
	add([]string{"liaison"}, "POST", "/api/v1/problems/{own}/actions/progress", `{"version":{v:own}}`, 400, []string{`"fields":{"text"`})
	add([]string{"liaison"}, "POST", "/api/v1/problems/{own}/actions/request_extension", `{"deadline":"2027/01/31","reason":"雨季","version":{v:own}}`,
		400, []string{`"fields":{"deadline"`})
	add([]string{"liaison"}, "POST", "/api/v1/problems/{own}/actions/request_extension", `{"deadline":"2027-01-31","reason":"雨季","version":{v:own}}`,
		200, []string{`"extension":{"deadline":"2027-01-31"`})
	add([]string{"liaison"}, "POST", "/api/v1/problems/{own}/actions/decide_extension", `{"approve":true,"version":{v:own}}`, 403, forbidden)
	add([]string{"coordinator"}, "POST", "/api/v1/problems/{own}/actions/decide_extension", `{"approve":true,"version":{v:own}}`, 200,
		[]string{`"deadline":"2027-01-31"`, `"original_deadline":"2026-12-20"`}, "extension")
	add([]string{"liaison"}, "POST", "/api/v1/problems/{own}/actions/fly", `{"version":{v:own}}`, 404, []string{`"code":"not_found"`})
	add(append(scoped, readers...), "POST", "/api/v1/problems/{pending}/actions/verify", `{"version":{v:pending}}`, 403, forbidden)
	add([]string{"coordinator"}, "POST", "/api/v1/problems/{pending}/actions/verify", `{"version":{v:pending}}`, 200, []string{`"status":"closed"`})
	add([]string{"coordinator"}, "POST", "/api/v1/problems/{pending}/actions/reopen", `{"version":{v:pending}}`, 400, []string{`"fields":{"reason"`})
	add([]string{"coordinator"}, "POST", "/api/v1/problems/{pending}/actions/reopen", `{"reason":"群众再次举报","version":{v:pending}}`, 200, []string{`"status":"in_progress"`, `"reopen_count":1`})
	add([]string{"coordinator"}, "POST", "/api/v1/problems/{own}/actions/verify", `{"version":{v:own}}`, 409, []string{`"code":"conflict"`})

	// Units and files.
	add(everyRole, "GET", "/api/v1/units", "", 200, []string{`"total":3`, `"name":"永清镇"`, `"name":"林城镇"`})
	add(scoped, "GET", "/api/v1/exports/ledger.xlsx", "", 200, []string{"{code:own}"}, "{code:other}")
	add(unscoped, "GET", "/api/v1/exports/ledger.xlsx", "", 200, []string{"{code:own}", "{code:other}"})
	add(append(scoped, readers...), "POST", "/api/v1/imports/ledger", "", 403, forbidden)
	add([]string{"coordinator"}, "POST", "/api/v1/imports/ledger", "", 404, []string{`"code":"not_found"`})
	add([]string{"coordinator"}, "DELETE", "/api/v1/problems/{own}", "", 404, []string{`"code":"not_found"`})

	runScenarios(t, e, table, e.expand, jsonUnlessXLSX)
}

// expand fills the placeholders of a scenario.
func (e *env) expand(s string) string {
	for key, p := range e.probs {
		id := strconv.FormatInt(p.ID, 10)
		s = strings.ReplaceAll(s, "{"+key+"}", id)
		if strings.Contains(s, "{v:"+key+"}") {
			s = strings.ReplaceAll(s, "{v:"+key+"}", strconv.Itoa(e.current(key).Version))
		}
		s = strings.ReplaceAll(s, "{code:"+key+"}", p.Code)
	}
	for name, u := range e.units {
		s = strings.ReplaceAll(s, "{unit:"+name+"}", strconv.FormatInt(u.ID, 10))
	}
	return strings.ReplaceAll(s, "{missing}", "999999")
}

// TestNotFoundIsIndistinguishable checks that another unit's problem and a
// missing one answer byte for byte the same, so ids cannot be probed.
func TestNotFoundIsIndistinguishable(t *testing.T) {
	e := newEnv(t)
	other, missing := e.expand("{other}"), "999999"
	for _, c := range []struct{ method, path, body string }{
		{"GET", "/api/v1/problems/%s", ""},
		{"GET", "/api/v1/problems/%s/events", ""},
		{"POST", "/api/v1/problems/%s/actions/progress", `{"text":"x","version":1}`},
		{"POST", "/api/v1/problems/%s/actions/request_extension", `{"deadline":"2027-01-31","reason":"x","version":2}`},
	} {
		r1, b1 := e.api(c.method, strings.Replace(c.path, "%s", other, 1), "liaison", c.body)
		r2, b2 := e.api(c.method, strings.Replace(c.path, "%s", missing, 1), "liaison", c.body)
		if r1.StatusCode != 404 || r2.StatusCode != 404 || b1 != b2 {
			t.Errorf("%s %s: other %d %s, missing %d %s", c.method, c.path, r1.StatusCode, b1, r2.StatusCode, b2)
		}
	}
	if p := e.current("other"); p.Progress != "" || p.Version != e.probs["other"].Version {
		t.Errorf("other unit's problem changed: %+v", p)
	}
}

func TestStalePatchConflicts(t *testing.T) {
	e := newEnv(t)
	before := e.current("own")
	path := e.expand("/api/v1/problems/{own}")

	// Someone else saved first: the version moved on.
	resp, body := e.api("PATCH", path, "coordinator", `{"description":"第一次修改"}`, "If-Match", `"`+strconv.Itoa(before.Version)+`"`)
	if resp.StatusCode != 200 || !strings.Contains(body, `"description":"第一次修改"`) {
		t.Fatalf("first patch: %d %s", resp.StatusCode, body)
	}
	if resp.Header.Get("ETag") != `"`+strconv.Itoa(before.Version+1)+`"` {
		t.Errorf("ETag %q", resp.Header.Get("ETag"))
	}
	resp, body = e.api("PATCH", path, "coordinator", `{"description":"过期的修改"}`, "If-Match", `"`+strconv.Itoa(before.Version)+`"`)
	if resp.StatusCode != 409 || !strings.Contains(body, `"code":"conflict"`) {
		t.Fatalf("stale If-Match: %d %s", resp.StatusCode, body)
	}
	resp, body = e.api("PATCH", path, "coordinator", `{"description":"过期的修改","version":`+strconv.Itoa(before.Version)+`}`)
	if resp.StatusCode != 409 {
		t.Fatalf("stale body version: %d %s", resp.StatusCode, body)
	}
	resp, _ = e.api("PATCH", path, "coordinator", `{"description":"x","version":1}`, "If-Match", `"7"`)
	if resp.StatusCode != 400 {
		t.Errorf("If-Match and version disagree: %d", resp.StatusCode)
	}
	after := e.current("own")
	if after.Description != "第一次修改" || after.Version != before.Version+1 {
		t.Errorf("after stale writes: description %q version %d", after.Description, after.Version)
	}
	// The stale action changes nothing either.
	resp, _ = e.api("POST", path+"/actions/progress", "liaison", `{"text":"过期进展"}`, "If-Match", strconv.Itoa(before.Version))
	if resp.StatusCode != 409 {
		t.Errorf("stale action: %d", resp.StatusCode)
	}
	if p := e.current("own"); p.Progress != "" || p.Version != after.Version {
		t.Errorf("stale action changed the problem: %q %d", p.Progress, p.Version)
	}
	// Events list the one accepted update with before and after.
	_, body = e.api("GET", path+"/events", "liaison", "")
	var events struct {
		Items []ducha.Event `json:"items"`
		Total int           `json:"total"`
	}
	if err := json.Unmarshal([]byte(body), &events); err != nil {
		t.Fatal(err)
	}
	last := events.Items[len(events.Items)-1]
	if last.Action != "update" || !strings.Contains(string(last.After), "第一次修改") || events.Total != len(events.Items) {
		t.Errorf("last event %+v", last)
	}
}

func TestBearerToken(t *testing.T) {
	e := newEnv(t)
	resp, body := e.api("GET", "/api/v1/me", "liaison", "")
	if resp.StatusCode != 200 || !strings.Contains(body, `"username":"liaison_yq"`) || !strings.Contains(body, `"unit":"永清镇"`) {
		t.Fatalf("me: %d %s", resp.StatusCode, body)
	}
	req, _ := http.NewRequest("GET", e.ts.URL+"/api/v1/me", nil)
	req.Header.Set("Authorization", "Bearer not-a-token")
	resp, body = e.send(req)
	if resp.StatusCode != 401 || !strings.Contains(body, `"code":"unauthorized"`) {
		t.Fatalf("bad token: %d %s", resp.StatusCode, body)
	}
	// A script's token is not a browser: the cross-origin check does not apply.
	resp, body = e.api("POST", e.expand("/api/v1/problems/{own}/actions/progress"), "liaison",
		e.expand(`{"text":"脚本报送","version":{v:own}}`), "Origin", "http://evil.example", "Sec-Fetch-Site", "cross-site")
	if resp.StatusCode != 200 {
		t.Fatalf("token post with browser headers: %d %s", resp.StatusCode, body)
	}
}
