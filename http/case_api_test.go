package http_test

import (
	"strconv"
	"strings"
	"testing"

	"ducha"
	dhttp "ducha/http"
)

// The cases of the scenarios: own is assigned to 永清镇 (the liaison's
// and the head's unit), other to 林城镇 (liaison_b's), received to nobody.
var scenarioCases = map[string]string{
	"own":      "X3SX202612080010",
	"other":    "D3SX202612090003",
	"received": "X3SX202612080002",
}

// expandCase fills {c:KEY} (a case id), {no:KEY} (its acceptance number)
// and {cv:KEY} (its current version) besides the problem placeholders.
func (e *env) expandCase(s string) string {
	for key, no := range scenarioCases {
		if !strings.Contains(s, ":"+key+"}") {
			continue
		}
		c := e.kase(no)
		s = strings.ReplaceAll(s, "{c:"+key+"}", strconv.FormatInt(c.ID, 10))
		s = strings.ReplaceAll(s, "{no:"+key+"}", no)
		s = strings.ReplaceAll(s, "{cv:"+key+"}", strconv.Itoa(c.Version))
	}
	return e.expand(s)
}

// TestCaseAPIScenarios walks every role through every case route against
// its own unit's case, another unit's and a missing one.
func TestCaseAPIScenarios(t *testing.T) {
	e := newCaseEnv(t)
	e.act("coordinator", scenarioCases["own"], "assign", `{"units":["永清镇"]}`)
	e.act("coordinator", scenarioCases["other"], "assign", `{"units":["林城镇"],"deadline":"2026-12-25"}`)

	var table []scenario
	add := func(roles []string, method, path, body string, status int, want []string, absent ...string) {
		for _, r := range roles {
			table = append(table, scenario{r, method, path, body, status, want, absent})
		}
	}
	unscoped := []string{"admin", "coordinator", "discipline", "leader"}
	scoped := []string{"liaison", "head"}
	readers := []string{"discipline", "leader"}
	notFound := []string{`"code":"not_found"`, `"message":"交办件不存在"`}
	forbidden := []string{`"code":"forbidden"`}
	proposal := `{"handling":"责令该厂立即整改，对其立案处罚，罚款5万元，约谈负责人2人。"}`
	answer := `"findings":"经现场核查，该厂危险废物贮存不规范","verdict":"属实","handling":"责令该厂立即整改，立案处罚，罚款12500.50元，约谈负责人2人。","accountability":"无"`
	measures := `"measures":[{"kind":"ordered_to_rectify","enterprise":"永清镇河湾村石材加工厂"},{"kind":"penalty_case","enterprise":"永清镇河湾村石材加工厂","fine_yuan":"12500.50"},{"kind":"interviewed","persons":2}]`

	// Nobody logged in: every case route but the public one asks for a login.
	for _, c := range [][2]string{{"GET", "/api/v1/cases"}, {"GET", "/api/v1/cases/{c:own}"}, {"GET", "/api/v1/cases/{no:own}"},
		{"POST", "/api/v1/cases/{c:own}/actions/sign"}, {"GET", "/api/v1/cases/{c:own}/events"},
		{"POST", "/api/v1/cases/{c:own}/proposals"}, {"GET", "/api/v1/batches"}, {"POST", "/api/v1/batches"},
		{"GET", "/api/v1/reports/daily"}, {"GET", "/api/v1/reports/daily.xlsx"}, {"GET", "/api/v1/exports/disclosure.xlsx?batch=3"}} {
		add([]string{""}, c[0], c[1], `{}`, 401, []string{`"code":"unauthorized"`})
	}

	// Lists: unit roles see the cases assigned to their unit, and the
	// total counts only those.
	add(unscoped, "GET", "/api/v1/cases", "", 200, []string{`"total":31`, `"page":1`, `"per_page":50`, "{no:own}", "{no:other}", "{no:received}"})
	add(scoped, "GET", "/api/v1/cases", "", 200, []string{`"total":1`, "{no:own}"}, "{no:other}", "{no:received}")
	add([]string{"liaison_b"}, "GET", "/api/v1/cases", "", 200, []string{`"total":1`, "{no:other}"}, "{no:own}")
	add(scoped, "GET", "/api/v1/cases?batch=4", "", 200, []string{`"total":0`, `"items":[]`})
	add(scoped, "GET", "/api/v1/cases?unit=林城镇", "", 200, []string{`"total":0`})
	add([]string{"coordinator"}, "GET", "/api/v1/cases?batch=4", "", 200, []string{`"total":9`, "{no:other}"}, "{no:own}")
	add([]string{"coordinator"}, "GET", "/api/v1/cases?batch=第4批", "", 200, []string{`"total":9`})
	add([]string{"coordinator"}, "GET", "/api/v1/cases?status=assigned", "", 200, []string{`"total":2`, "{no:own}", "{no:other}"})
	add([]string{"coordinator"}, "GET", "/api/v1/cases?status=已交办", "", 200, []string{`"total":2`})
	add([]string{"coordinator"}, "GET", "/api/v1/cases?unit=林城镇", "", 200, []string{`"total":1`, "{no:other}"})
	add([]string{"coordinator"}, "GET", "/api/v1/cases?unit={unit:永清镇}", "", 200, []string{`"total":1`, "{no:own}"})
	add([]string{"coordinator"}, "GET", "/api/v1/cases?type=生态", "", 200, []string{`"total":3`})
	add([]string{"coordinator"}, "GET", "/api/v1/cases?area=金集镇", "", 200, []string{`"total":4`})
	add([]string{"coordinator"}, "GET", "/api/v1/cases?verdict=属实", "", 200, []string{`"total":0`})
	add([]string{"coordinator"}, "GET", "/api/v1/cases?published=false", "", 200, []string{`"total":31`})
	add([]string{"coordinator"}, "GET", "/api/v1/cases?published=maybe", "", 400, []string{`"fields":{"published"`, `是否公开（published）应为true或false，收到“maybe”`})
	add([]string{"coordinator"}, "GET", "/api/v1/cases?key=2", "", 400, []string{`"fields":{"key"`, `是否重点件（key）应为true或false，收到“2”`})
	add([]string{"coordinator"}, "GET", "/api/v1/cases?per_page=2&page=2", "", 200, []string{`"total":31`, `"page":2`, `"per_page":2`})
	add([]string{"coordinator"}, "GET", "/api/v1/cases?per_page=9999", "", 200, []string{`"per_page":500`})
	add([]string{"coordinator"}, "GET", "/api/v1/cases?status=done", "", 400, []string{`"code":"invalid"`, `"fields":{"status"`})
	add([]string{"coordinator"}, "GET", "/api/v1/cases?batch=x", "", 400, []string{`"fields":{"batch"`})
	add([]string{"coordinator"}, "GET", "/api/v1/cases?verdict=maybe", "", 400, []string{`"fields":{"verdict"`})
	add([]string{"coordinator"}, "GET", "/api/v1/cases?unit=不存在镇", "", 400, []string{`"fields":{"unit"`})
	add([]string{"coordinator"}, "GET", "/api/v1/cases?type=光", "", 400, []string{`"fields":{"type"`})

	// One case, by id or acceptance number; another unit's is missing.
	add(everyRole, "GET", "/api/v1/cases/{c:own}", "", 200, []string{`"id":{c:own}`, `"acceptance_no":"{no:own}"`, `"status":"assigned"`,
		`"units":["永清镇"]`, `"verdict":null`, `"deadline":"2026-12-18"`, `"published":false`, `"channel":"来信"`, `"batch":3`})
	add(everyRole, "GET", "/api/v1/cases/{no:own}", "", 200, []string{`"id":{c:own}`})
	add([]string{"liaison"}, "GET", "/api/v1/cases/"+strings.ToLower(scenarioCases["own"]), "", 200, []string{`"id":{c:own}`})
	add(unscoped, "GET", "/api/v1/cases/{no:other}", "", 200, []string{`"units":["林城镇"]`, `"deadline":"2026-12-25"`})
	add(scoped, "GET", "/api/v1/cases/{c:other}", "", 404, notFound, "林城镇")
	add(scoped, "GET", "/api/v1/cases/{no:other}", "", 404, notFound, "林城镇")
	add([]string{"liaison_b"}, "GET", "/api/v1/cases/{no:own}", "", 404, notFound)
	add(everyRole, "GET", "/api/v1/cases/{missing}", "", 404, notFound)
	add(everyRole, "GET", "/api/v1/cases/D3SX209912319999", "", 404, notFound)
	add(everyRole, "GET", "/api/v1/cases/{c:own}/events", "", 200, []string{`"action":"import"`, `"action":"assign"`, `"entity":"case"`})
	add(everyRole, "GET", "/api/v1/cases/{no:own}/events", "", 200, []string{`"action":"assign"`})
	add(scoped, "GET", "/api/v1/cases/{c:other}/events", "", 404, notFound)
	add(scoped, "GET", "/api/v1/cases/{no:other}/events", "", 404, notFound)

	// Proposals read a handling text and store nothing.
	add(everyRole, "POST", "/api/v1/cases/{c:own}/proposals", proposal, 200, []string{`"kind":"ordered_to_rectify"`,
		`"kind":"penalty_case"`, `"fine_yuan":"50000.00"`, `"kind":"interviewed"`, `"persons":2`, `"label":"约谈"`, `"total":3`})
	add([]string{"coordinator"}, "POST", "/api/v1/cases/{no:own}/proposals", `{}`, 200, []string{`"items":[]`, `"total":0`})
	add([]string{"coordinator"}, "POST", "/api/v1/cases/{no:own}/proposals", `{"text":"x"}`, 400, []string{`"fields":{"text"`})
	add(scoped, "POST", "/api/v1/cases/{c:other}/proposals", proposal, 404, notFound)

	// Actions: the unit signs and answers its own case; another unit's
	// answers like a missing one; readers may not act; the coordinator
	// assigns, accepts, returns and publishes.
	add(readers, "POST", "/api/v1/cases/{c:own}/actions/sign", `{"version":{cv:own}}`, 403, forbidden)
	add(scoped, "POST", "/api/v1/cases/{c:other}/actions/sign", `{"version":{cv:other}}`, 404, notFound)
	add(scoped, "POST", "/api/v1/cases/{no:other}/actions/sign", `{"version":{cv:other}}`, 404, notFound)
	add([]string{"liaison_b"}, "POST", "/api/v1/cases/{c:own}/actions/sign", `{"version":{cv:own}}`, 404, notFound)
	add(scoped, "POST", "/api/v1/cases/{missing}/actions/sign", `{"version":1}`, 404, notFound)
	add(scoped, "POST", "/api/v1/cases/{c:own}/actions/assign", `{"units":["永清镇"],"version":{cv:own}}`, 403, forbidden)
	add([]string{"coordinator"}, "POST", "/api/v1/cases/{c:own}/actions/sign", `{"version":{cv:own}}`, 403, forbidden)
	add([]string{"liaison"}, "POST", "/api/v1/cases/{c:own}/actions/sign", `{"version":1000}`, 409, []string{`"code":"conflict"`})
	add([]string{"liaison"}, "POST", "/api/v1/cases/{c:own}/actions/fly", `{"version":{cv:own}}`, 404, []string{`"code":"not_found"`})
	add([]string{"liaison"}, "POST", "/api/v1/cases/{c:own}/actions/submit", `{`+answer+`,"version":{cv:own}}`, 409, []string{`"code":"conflict"`, "不能执行"})
	add([]string{"liaison"}, "POST", "/api/v1/cases/{no:own}/actions/sign", `{}`, 200,
		[]string{`"status":"investigating"`, `"signed_by":"liaison_yq"`})
	add([]string{"head"}, "POST", "/api/v1/cases/{c:own}/actions/sign", `{"version":{cv:own}}`, 409, []string{`"code":"conflict"`, "已于"})
	add([]string{"liaison"}, "POST", "/api/v1/cases/{c:own}/actions/submit", `{"verdict":"属实","handling":"x","version":{cv:own}}`, 400,
		[]string{`"fields":{"findings"`})
	add([]string{"liaison"}, "POST", "/api/v1/cases/{c:own}/actions/submit", `{`+answer+`,"measures":[{"kind":"ordered_to_rectify"}],"version":{cv:own}}`, 400,
		[]string{`"fields":{"measures"`, "企业名称"})
	add([]string{"liaison"}, "POST", "/api/v1/cases/{c:own}/actions/submit", `{`+answer+`,"verdict":"大概","version":{cv:own}}`, 400,
		[]string{`"fields":{"verdict"`})
	add([]string{"liaison"}, "POST", "/api/v1/cases/{c:own}/actions/submit", `{`+answer+`,"version":1}`, 409, []string{`"code":"conflict"`})
	add([]string{"liaison"}, "POST", "/api/v1/cases/{c:own}/actions/submit", `{`+answer+`,`+measures+`,"version":{cv:own}}`, 200,
		[]string{`"status":"submitted"`, `"verdict":"属实"`, `"fine_yuan":"12500.50"`, `"enterprise":"永清镇河湾村石材加工厂"`, `"persons":2`})
	add(scoped, "POST", "/api/v1/cases/{c:own}/actions/accept", `{"status":"closed","version":{cv:own}}`, 403, forbidden)
	add([]string{"coordinator"}, "POST", "/api/v1/cases/{c:own}/actions/return", `{"version":{cv:own}}`, 400, []string{`"fields":{"reason"`})
	add([]string{"coordinator"}, "POST", "/api/v1/cases/{c:own}/actions/return", `{"reason":"未写明整改时限","version":{cv:own}}`, 200,
		[]string{`"status":"investigating"`, `"return_reason":"未写明整改时限"`})
	add([]string{"head"}, "POST", "/api/v1/cases/{c:own}/actions/submit", `{`+answer+`,`+measures+`,"version":{cv:own}}`, 200,
		[]string{`"status":"submitted"`})
	add([]string{"coordinator"}, "POST", "/api/v1/cases/{c:own}/actions/accept", `{"status":"open","version":{cv:own}}`, 400, []string{`"fields":{"status"`})
	add([]string{"coordinator"}, "POST", "/api/v1/cases/{c:own}/actions/publish", `{"version":{cv:own}}`, 409, []string{`"code":"conflict"`})
	add([]string{"coordinator"}, "POST", "/api/v1/cases/{c:own}/actions/accept", `{"status":"closed","version":{cv:own}}`, 200, []string{`"status":"closed"`})
	add([]string{"coordinator"}, "POST", "/api/v1/cases/{c:own}/actions/publish", `{"version":{cv:own}}`, 200, []string{`"published":true`})
	add([]string{"coordinator"}, "POST", "/api/v1/cases/{c:own}/actions/publish", `{"version":{cv:own}}`, 409, []string{"已公开"})
	add([]string{"coordinator"}, "POST", "/api/v1/cases/{c:received}/actions/assign", `{"units":["不存在镇"],"version":{cv:received}}`, 400,
		[]string{`"fields":{"units"`})
	add([]string{"coordinator"}, "POST", "/api/v1/cases/{c:received}/actions/assign", `{"units":["县生态环境局"],"deadline":"2026-12-01","version":{cv:received}}`, 400,
		[]string{`"fields":{"deadline"`})
	add([]string{"coordinator"}, "POST", "/api/v1/cases/{c:received}/actions/assign", `{"units":[{unit:县生态环境局}],"version":{cv:received}}`, 200,
		[]string{`"status":"assigned"`, `"units":["县生态环境局"]`, `"deadline":"2026-12-18"`})

	// Batches, reports and the disclosure table.
	add([]string{"admin", "coordinator", "discipline", "leader"}, "GET", "/api/v1/batches", "", 200, []string{`"total":3`, `"number":3`, `"number":4`, `"number":5`, `"file_name":"cases-batch-04-gb18030.csv"`})
	// A unit sees the batches that brought it cases, counted over its cases only.
	add([]string{"liaison", "head"}, "GET", "/api/v1/batches", "", 200, []string{`"total":1,"page"`, `"number":3`, `"total":1,"phone":0,"letter":1`})
	add(append(scoped, readers...), "POST", "/api/v1/batches", "", 403, forbidden)
	add(unscoped, "GET", "/api/v1/reports/daily", "", 200, []string{`"as_of":"2026-12-10"`, `"batches":3,"total":31`, `"fines_yuan":"12500.50"`})
	add(scoped, "GET", "/api/v1/reports/daily?date=2026-12-10", "", 200, []string{`"batches":1,"total":1`, `"closed":1`, `"interviewed":2`})
	add([]string{"liaison_b"}, "GET", "/api/v1/reports/daily", "", 200, []string{`"batches":1,"total":1`, `"closed":0`, `"fines_yuan":"0.00"`})
	add([]string{"coordinator"}, "GET", "/api/v1/reports/daily?date=2026/12/10", "", 400, []string{`"fields":{"date"`})
	add([]string{"coordinator"}, "GET", "/api/v1/reports/daily?date=2026-12-11", "", 400, []string{`"fields":{"date"`})
	add(everyRole, "GET", "/api/v1/reports/daily.xlsx?date=2026-12-10", "", 200, nil)
	add(everyRole, "GET", "/api/v1/exports/disclosure.xlsx?batch=3", "", 200, nil)
	add([]string{"coordinator"}, "GET", "/api/v1/exports/disclosure.xlsx", "", 400, []string{`"fields":{"batch"`})
	add([]string{""}, "GET", "/api/v1/disclosure?batch=3", "", 200, []string{`"batch":3`, `"total":1`, `"acceptance_no":"{no:own}"`, `"verdict":"属实"`},
		"{no:received}", "{no:other}")
	add([]string{""}, "GET", "/api/v1/disclosure?batch=4", "", 200, []string{`"total":0`, `"items":[]`}, "{no:other}")
	add([]string{""}, "GET", "/api/v1/disclosure", "", 400, []string{`"fields":{"batch"`})

	runScenarios(t, e, table, e.expandCase, xlsxOrJSON)
}

// TestCaseNotFoundIsIndistinguishable checks that another unit's case and
// a missing one answer byte for byte the same, by id and by acceptance
// number, and that probing changes nothing.
func TestCaseNotFoundIsIndistinguishable(t *testing.T) {
	e := newCaseEnv(t)
	other := scenarioCases["other"]
	e.act("coordinator", other, "assign", `{"units":["林城镇"]}`)
	before := e.kase(other)
	id := strconv.FormatInt(before.ID, 10)
	for _, c := range []struct{ method, path, body string }{
		{"GET", "/api/v1/cases/%s", ""},
		{"GET", "/api/v1/cases/%s/events", ""},
		{"POST", "/api/v1/cases/%s/proposals", `{"handling":"约谈2人"}`},
		{"POST", "/api/v1/cases/%s/actions/sign", `{"version":2}`},
		{"POST", "/api/v1/cases/%s/actions/submit", `{"findings":"x","verdict":"属实","handling":"x","version":2}`},
	} {
		for _, refs := range [][2]string{{id, "999999"}, {other, "D3SX209912319999"}} {
			r1, b1 := e.api(c.method, strings.Replace(c.path, "%s", refs[0], 1), "liaison", c.body)
			r2, b2 := e.api(c.method, strings.Replace(c.path, "%s", refs[1], 1), "liaison", c.body)
			if r1.StatusCode != 404 || r2.StatusCode != 404 || b1 != b2 {
				t.Errorf("%s %s: other %d %s, missing %d %s", c.method, c.path, r1.StatusCode, b1, r2.StatusCode, b2)
			}
		}
	}
	if after := e.kase(other); after.Version != before.Version || after.Status != ducha.CaseAssigned {
		t.Errorf("another unit's case changed: %+v", after)
	}
}

// TestCaseRoutePermissions pins the permission each case route declares.
func TestCaseRoutePermissions(t *testing.T) {
	want := map[string]ducha.Permission{
		"GET /api/v1/cases":                        ducha.PermRead,
		"GET /api/v1/cases/{id}":                   ducha.PermRead,
		"POST /api/v1/cases/{id}/actions/{action}": ducha.PermWork,
		"GET /api/v1/cases/{id}/events":            ducha.PermRead,
		"POST /api/v1/cases/{id}/proposals":        ducha.PermRead,
		"GET /api/v1/batches":                      ducha.PermRead,
		"POST /api/v1/batches":                     ducha.PermRegister,
		"GET /api/v1/reports/daily":                ducha.PermRead,
		"GET /api/v1/reports/daily.xlsx":           ducha.PermRead,
		"GET /api/v1/exports/disclosure.xlsx":      ducha.PermExport,
		"GET /api/v1/disclosure":                   dhttp.PermPublic,
		"GET /cases":                               ducha.PermRead,
		"GET /cases/{id}":                          ducha.PermRead,
		"POST /cases/{id}/actions/{action}":        ducha.PermWork,
		"GET /batches":                             ducha.PermRead,
		"POST /batches":                            ducha.PermRegister,
		"GET /reports/daily":                       ducha.PermRead,
		"GET /public/disclosure":                   dhttp.PermPublic,
		"GET /static/case.css":                     dhttp.PermPublic,
	}
	got := map[string]ducha.Permission{}
	for _, r := range dhttp.NewServer().Routes() {
		got[r.Method+" "+r.Path] = r.Permission
	}
	for k, p := range want {
		if g, ok := got[k]; !ok || g != p {
			t.Errorf("%s: permission %q (registered %v), want %q", k, g, ok, p)
		}
	}
}
