package http_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"ducha"
)

// TestRequestAPIScenarios: every request route × role × own/other unit.
// A unit sees its own unit's items only, and another unit's item answers
// 404 exactly like a missing one; the unit supplies, the coordinator adds,
// checks (or returns) and hands over.
func TestRequestAPIScenarios(t *testing.T) {
	e := newEnv(t)
	e.srv.Documents, e.srv.Requests, e.srv.Inbox = e.db, e.db, e.db
	coord := ducha.NewContextWithUser(context.Background(), e.users["coordinator"])
	own := &ducha.DocRequest{Item: "砖厂扬尘整治台账", Unit: "永清镇", Due: "2026-12-12"}
	other := &ducha.DocRequest{Item: "养殖场粪污处理台账", Unit: "林城镇", Due: "2026-12-30"}
	if err := e.db.AddDocRequests(coord, []*ducha.DocRequest{own, other}); err != nil {
		t.Fatal(err)
	}
	ids := map[string]string{"{own}": strconv.FormatInt(own.ID, 10), "{other}": strconv.FormatInt(other.ID, 10), "{missing}": "999999",
		"{unit:林城镇}": strconv.FormatInt(e.units["林城镇"].ID, 10)}
	expand := func(s string) string {
		for k, v := range ids {
			s = strings.ReplaceAll(s, k, v)
		}
		return s
	}
	var table []scenario
	add := func(roles []string, method, path, body string, status int, want []string, absent ...string) {
		for _, r := range roles {
			table = append(table, scenario{r, method, path, body, status, want, absent})
		}
	}
	unscoped := []string{"admin", "coordinator", "discipline", "leader"}
	scoped := []string{"liaison", "head"}
	notFound := []string{`"code":"not_found"`}
	forbidden := []string{`"code":"forbidden"`}
	for _, c := range [][2]string{{"GET", "/api/v1/requests"}, {"POST", "/api/v1/requests"}, {"GET", "/api/v1/requests/{own}"},
		{"GET", "/api/v1/requests/{own}/events"}, {"GET", "/api/v1/requests/{own}/file"}, {"POST", "/api/v1/requests/{own}/actions/check"}} {
		add([]string{""}, c[0], c[1], `{}`, 401, []string{`"code":"unauthorized"`})
	}

	// Reading: the county sees both; a unit its own only, however it asks.
	add(unscoped, "GET", "/api/v1/requests", "", 200, []string{`"total":2`, "砖厂扬尘整治台账", "养殖场粪污处理台账", `"page":1`})
	add(scoped, "GET", "/api/v1/requests", "", 200, []string{`"total":1`, `"unit":"永清镇"`, `"warning":"yellow"`, `"status":"requested"`}, "养殖场")
	add([]string{"liaison_b"}, "GET", "/api/v1/requests", "", 200, []string{`"total":1`, "养殖场粪污处理台账"}, "砖厂")
	add(scoped, "GET", "/api/v1/requests?unit={unit:林城镇}", "", 200, []string{`"total":0`}, "养殖场")
	add(unscoped, "GET", "/api/v1/requests?unit=林城镇", "", 200, []string{`"total":1`, "养殖场"})
	add([]string{"coordinator"}, "GET", "/api/v1/requests?status=bogus", "", 400, []string{`"fields":{"status"`})
	add([]string{"coordinator"}, "GET", "/api/v1/requests?unit=无此单位", "", 400, []string{`"fields":{"unit"`})
	add(everyRole, "GET", "/api/v1/requests/{own}", "", 200, []string{`"id":{own}`, `"no":1`, `"due":"2026-12-12"`, `"file":null`})
	add(scoped, "GET", "/api/v1/requests/{other}", "", 404, notFound, "林城镇")
	add(everyRole, "GET", "/api/v1/requests/{missing}", "", 404, notFound)
	add(scoped, "GET", "/api/v1/requests/{other}/events", "", 404, notFound)
	add(everyRole, "GET", "/api/v1/requests/{own}/file", "", 404, notFound)
	add(scoped, "GET", "/api/v1/inbox", "", 200, []string{`"kind":"to_supply","request":{own}`, `"kind":"due_soon","request":{own}`}, `"request":{other}`)
	add([]string{"liaison_b"}, "GET", "/api/v1/inbox", "", 200, []string{`"kind":"to_supply","request":{other}`}, `"request":{own}`)

	// Adding: the coordinator (and the administrator) only; one or many.
	one := `{"item":"河道垃圾清理记录","unit":"永清镇","due":"2026-12-20"}`
	add([]string{"liaison", "head", "discipline", "leader"}, "POST", "/api/v1/requests", one, 403, forbidden)
	add([]string{"coordinator"}, "POST", "/api/v1/requests", one, 201, []string{`"no":3`, `"unit":"永清镇"`, `"status":"requested"`, `"created_by":"coord"`})
	add([]string{"admin"}, "POST", "/api/v1/requests", `{"items":[{"item":"甲","unit":"林城镇","due":"2026-12-20"},{"item":"乙","unit":"{unit:林城镇}","due":"2026-12-21","no":9}]}`,
		201, []string{`"total":2`, `"no":4`, `"no":9`})
	add([]string{"coordinator"}, "POST", "/api/v1/requests", `{"items":[{"item":"丙","unit":"永清镇","due":"2026-12-20"},{"item":"丁","unit":"永清镇","due":"2026-12-01"}]}`,
		400, []string{`"fields":{"due"`, "第2项"})
	add([]string{"coordinator"}, "GET", "/api/v1/requests", "", 200, []string{`"total":5`}, "丙")
	add([]string{"coordinator"}, "POST", "/api/v1/requests", `{"item":"x","unit":"永清镇","due":"12/20"}`, 400, []string{`"fields":{"due"`})
	add([]string{"coordinator"}, "POST", "/api/v1/requests", `{"item":" ","unit":"永清镇","due":"2026-12-20"}`, 400, []string{`"fields":{"item"`})
	add([]string{"coordinator"}, "POST", "/api/v1/requests", `{"item":"x","unit":"无此单位","due":"2026-12-20"}`, 400, []string{`"fields":{"unit"`})
	add([]string{"coordinator"}, "POST", "/api/v1/requests", `{"item":"x","unit":"永清镇","due":"2026-12-20","no":9}`, 400, []string{`"fields":{"no"`})
	add([]string{"coordinator"}, "POST", "/api/v1/requests", `{"item":"x","items":[]}`, 400, []string{`"fields":{"items"`})
	add([]string{"coordinator"}, "POST", "/api/v1/requests", `{"item":"x","bogus":1}`, 400, []string{`"code":"invalid"`})

	// Before anything is supplied: no check, no hand-over; units do neither.
	add([]string{"coordinator"}, "POST", "/api/v1/requests/{own}/actions/check", `{"authentic":true,"consistent":true}`, 409, []string{`"code":"conflict"`, "待提供"})
	add([]string{"coordinator"}, "POST", "/api/v1/requests/{own}/actions/hand_over", `{}`, 409, []string{`"code":"conflict"`})
	add(scoped, "POST", "/api/v1/requests/{own}/actions/check", `{"authentic":true,"consistent":true}`, 403, forbidden)
	add([]string{"discipline", "leader"}, "POST", "/api/v1/requests/{own}/actions/check", `{}`, 403, forbidden)
	add([]string{"liaison_b"}, "POST", "/api/v1/requests/{own}/actions/check", `{}`, 404, notFound)
	add([]string{"liaison"}, "POST", "/api/v1/requests/{own}/actions/bogus", `{}`, 404, notFound)
	runScenarios(t, e, table, expand, alwaysJSON)

	// Supply (multipart): the unit's own; another unit's is not found; the
	// roles that do not work are refused at the route.
	file := []byte("砖厂扬尘整治台账（2024—2026）")
	path := "/api/v1/requests/" + ids["{own}"] + "/actions/supply"
	for _, c := range []struct {
		role   string
		path   string
		status int
		want   string
	}{
		{"", path, 401, `"code":"unauthorized"`},
		{"discipline", path, 403, `"code":"forbidden"`},
		{"leader", path, 403, `"code":"forbidden"`},
		{"liaison_b", path, 404, `"code":"not_found"`},
		{"liaison", "/api/v1/requests/" + ids["{other}"] + "/actions/supply", 404, `"code":"not_found"`},
		{"liaison", "/api/v1/requests/999999/actions/supply", 404, `"code":"not_found"`},
	} {
		if resp, body := e.upload(c.path, c.role, "台账.txt", file); resp.StatusCode != c.status || !strings.Contains(body, c.want) {
			t.Errorf("%s supplies %s: %d %s", c.role, c.path, resp.StatusCode, body)
		}
	}
	if resp, body := e.upload(path, "liaison", "", nil, "note", "x"); resp.StatusCode != 400 || !strings.Contains(body, `"fields":{"file"`) {
		t.Errorf("supply without a file: %d %s", resp.StatusCode, body)
	}
	if resp, body := e.upload(path, "liaison", "a.exe", []byte("MZ\x90\x00\x03\x00\x00\x00")); resp.StatusCode != 400 || !strings.Contains(body, `"fields":{"file"`) {
		t.Errorf("supply an executable: %d %s", resp.StatusCode, body)
	}
	resp, body := e.upload(path, "liaison", "台账.txt", file, "note", "原件存镇政府")
	if resp.StatusCode != 200 || !strings.Contains(body, `"status":"supplied"`) || !strings.Contains(body, `"supplied_by":"liaison_yq"`) ||
		!strings.Contains(body, `"supply_note":"原件存镇政府"`) || !strings.Contains(body, `"name":"台账.txt"`) || !strings.Contains(body, `"warning":"none"`) {
		t.Fatalf("supply: %d %s", resp.StatusCode, body)
	}
	if resp, body := e.upload(path, "head", "台账.txt", file); resp.StatusCode != 409 {
		t.Errorf("supply twice: %d %s", resp.StatusCode, body)
	}
	resp, body = e.api("GET", "/api/v1/requests/"+ids["{own}"]+"/file", "head", "")
	if resp.StatusCode != 200 || body != string(file) || resp.Header.Get("X-Content-Type-Options") != "nosniff" ||
		!strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment") {
		t.Errorf("file: %d %q %v", resp.StatusCode, body, resp.Header)
	}
	if resp, _ := e.api("GET", "/api/v1/requests/"+ids["{own}"]+"/file", "liaison_b", ""); resp.StatusCode != 404 {
		t.Errorf("another unit's file: %d", resp.StatusCode)
	}

	// Check: both confirmations, or a return with its reason; then hand over.
	table = nil
	add([]string{"coordinator"}, "POST", "/api/v1/requests/{own}/actions/check", `{"authentic":true}`, 400, []string{`"fields":{"consistent"`})
	add([]string{"coordinator"}, "POST", "/api/v1/requests/{own}/actions/check", `{"consistent":true}`, 400, []string{`"fields":{"authentic"`})
	add([]string{"coordinator"}, "POST", "/api/v1/requests/{own}/actions/check", `{"return":true}`, 400, []string{`"fields":{"reason"`})
	add([]string{"coordinator"}, "POST", "/api/v1/requests/{own}/actions/check", `{"return":true,"reason":"缺少盖章页"}`, 200,
		[]string{`"status":"requested"`, `"return_reason":"缺少盖章页"`, `"name":"台账.txt"`})
	runScenarios(t, e, table, expand, alwaysJSON)
	if resp, body := e.upload(path, "head", "台账（盖章）.txt", []byte("盖章版"), "version", "3"); resp.StatusCode != 200 || !strings.Contains(body, `"supplied_by":"head_yq"`) {
		t.Fatalf("supply again: %d %s", resp.StatusCode, body)
	}
	table = nil
	add([]string{"coordinator"}, "GET", "/api/v1/inbox", "", 200, []string{`"kind":"to_check","request":{own}`})
	add([]string{"coordinator"}, "POST", "/api/v1/requests/{own}/actions/check", `{"authentic":true,"consistent":true,"version":2}`, 409, []string{`"code":"conflict"`})
	add([]string{"coordinator"}, "POST", "/api/v1/requests/{own}/actions/check", `{"authentic":true,"consistent":true,"note":"与原件一致"}`, 200,
		[]string{`"status":"checked"`, `"authentic":true`, `"consistent":true`, `"checked_by":"coord"`, `"return_reason":""`})
	add(scoped, "POST", "/api/v1/requests/{own}/actions/hand_over", `{}`, 403, forbidden)
	add([]string{"coordinator"}, "POST", "/api/v1/requests/{own}/actions/hand_over", `{"to":"中央第三生态环境保护督察组","note":"纸质版一并移交"}`, 200,
		[]string{`"status":"handed_over"`, `"handed_to":"中央第三生态环境保护督察组"`, `"hand_note":"纸质版一并移交"`})
	add([]string{"coordinator"}, "POST", "/api/v1/requests/{own}/actions/hand_over", `{}`, 409, []string{`"code":"conflict"`, "已移交"})
	add(scoped, "GET", "/api/v1/requests/{own}/events", "", 200, []string{`"action":"request"`, `"action":"supply"`, `"action":"return"`,
		`"action":"check"`, `"action":"hand_over"`})
	add(scoped, "GET", "/api/v1/requests/{own}/file", "", 200, nil)
	runScenarios(t, e, table, expand, func(t *testing.T, name, path string, resp *http.Response, body string) {
		if !strings.HasSuffix(path, "/file") {
			alwaysJSON(t, name, path, resp, body)
		}
	})
}
