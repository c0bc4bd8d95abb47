package http_test

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"ducha"
)

// adminEnv is newEnv with two more unit users to change: zhang_yq, a
// liaison of 永清镇, and li_lc, a liaison of 林城镇.
func adminEnv(t *testing.T) *env {
	t.Helper()
	e := newEnv(t)
	for _, u := range []*ducha.User{
		{Username: "zhang_yq", DisplayName: "张永清", Role: ducha.RoleUnitLiaison, UnitID: e.units["永清镇"].ID},
		{Username: "li_lc", DisplayName: "李林城", Role: ducha.RoleUnitLiaison, UnitID: e.units["林城镇"].ID},
	} {
		if err := e.db.CreateUser(system, u, password); err != nil {
			t.Fatal(err)
		}
	}
	return e
}

// expandAdmin fills, besides env.expand's placeholders, {uid:USERNAME} and
// {uv:USERNAME} (a user's id and current version), {unitv:NAME} (a
// unit's version), {camp} and {campv} (the campaign's id and version).
func (e *env) expandAdmin(s string) string {
	e.t.Helper()
	for _, m := range regexp.MustCompile(`\{(uid|uv):([a-z_0-9]+)\}`).FindAllStringSubmatch(s, -1) {
		u, err := e.db.FindUserByUsername(system, m[2])
		if err != nil {
			e.t.Fatalf("%s: %v", m[0], err)
		}
		v := strconv.FormatInt(u.ID, 10)
		if m[1] == "uv" {
			v = strconv.Itoa(u.Version)
		}
		s = strings.ReplaceAll(s, m[0], v)
	}
	for name := range e.units {
		if strings.Contains(s, "{unitv:"+name+"}") {
			u, err := e.db.FindUnitByName(system, name)
			if err != nil {
				e.t.Fatal(err)
			}
			s = strings.ReplaceAll(s, "{unitv:"+name+"}", strconv.Itoa(u.Version))
		}
	}
	if strings.Contains(s, "{camp") {
		c, err := e.db.CurrentCampaign(system)
		if err != nil {
			e.t.Fatal(err)
		}
		s = strings.ReplaceAll(s, "{campv}", strconv.Itoa(c.Version))
		s = strings.ReplaceAll(s, "{camp}", strconv.FormatInt(c.ID, 10))
	}
	return e.expand(s)
}

func TestAdminAPIScenarios(t *testing.T) {
	e := adminEnv(t)
	var table []scenario
	add := func(roles []string, method, path, body string, status int, want []string, absent ...string) {
		for _, r := range roles {
			table = append(table, scenario{r, method, path, body, status, want, absent})
		}
	}
	unscoped := []string{"admin", "coordinator", "discipline", "leader"}
	scoped := []string{"liaison", "head"}
	nonAdmins := []string{"coordinator", "liaison", "head", "discipline", "leader", "liaison_b"}
	forbidden := []string{`"code":"forbidden"`}
	field := func(f string) []string { return []string{`"code":"invalid"`, `"fields":{"` + f + `"`} }

	// Nobody logged in.
	for _, c := range [][2]string{{"GET", "/api/v1/users"}, {"POST", "/api/v1/users"}, {"PATCH", "/api/v1/users/{uid:zhang_yq}"},
		{"POST", "/api/v1/units"}, {"PATCH", "/api/v1/units/{unit:永清镇}"}, {"GET", "/api/v1/campaigns"},
		{"GET", "/api/v1/campaigns/{camp}"}, {"PATCH", "/api/v1/campaigns/{camp}"}} {
		add([]string{""}, c[0], c[1], `{}`, 401, []string{`"code":"unauthorized"`})
	}

	// Listing users: names appear in histories, so everyone may; a unit
	// role sees its own unit's users only.
	add(unscoped, "GET", "/api/v1/users?disabled=yes", "", 400, []string{`"fields":{"disabled"`, `是否停用（disabled）应为true或false，收到“yes”`})
	add(unscoped, "GET", "/api/v1/users", "", 200, []string{`"total":9`, `"page":1`, `"per_page":50`, `"username":"admin"`,
		`"username":"liaison_lc"`, `"username":"zhang_yq"`, `"unit":"林城镇"`}, `"password`, `"one_time_password"`)
	add(scoped, "GET", "/api/v1/users", "", 200, []string{`"total":3`, `"username":"liaison_yq"`, `"username":"head_yq"`, `"username":"zhang_yq"`},
		`"username":"liaison_lc"`, `"username":"li_lc"`, "林城镇", `"username":"admin"`)
	add([]string{"liaison_b"}, "GET", "/api/v1/users", "", 200, []string{`"total":2`, `"username":"liaison_lc"`, `"username":"li_lc"`},
		"永清镇", "zhang_yq")
	add(unscoped, "GET", "/api/v1/users?unit=林城镇", "", 200, []string{`"total":2`, `"username":"li_lc"`}, "zhang_yq")
	add(scoped, "GET", "/api/v1/users?unit={unit:林城镇}", "", 200, []string{`"total":0`, `"items":[]`})
	add(scoped, "GET", "/api/v1/users?role=admin", "", 200, []string{`"total":0`})
	add([]string{"coordinator"}, "GET", "/api/v1/users?role=unit_head", "", 200, []string{`"total":1`, `"username":"head_yq"`})
	add([]string{"coordinator"}, "GET", "/api/v1/users?q=LC", "", 200, []string{`"total":2`, `"username":"li_lc"`, `"username":"liaison_lc"`})
	add([]string{"coordinator"}, "GET", "/api/v1/users?per_page=2&page=2", "", 200, []string{`"total":9`, `"page":2`, `"per_page":2`, `"username":"liaison_yq"`})
	add([]string{"coordinator"}, "GET", "/api/v1/users?role=boss", "", 400, append(field("role"), "admin（系统管理员）、coordinator（协调联络组办公室）"))
	add([]string{"coordinator"}, "GET", "/api/v1/users?unit=不存在镇", "", 400, field("unit"))
	add([]string{"coordinator"}, "GET", "/api/v1/users?disabled=maybe", "", 400, field("disabled"))
	add([]string{"coordinator"}, "GET", "/api/v1/users?page=0", "", 400, field("page"))

	// Campaigns: everyone reads them.
	add(everyRole, "GET", "/api/v1/campaigns", "", 200, []string{`"total":1`, `"name":"第三轮中央生态环境保护督察"`, `"case_days":10`})
	add(everyRole, "GET", "/api/v1/campaigns/{camp}", "", 200, []string{`"id":{camp}`, `"start":"2026-12-01"`, `"phase":"准备"`})
	add(everyRole, "GET", "/api/v1/campaigns/{missing}", "", 404, []string{`"code":"not_found"`, "督察轮次不存在"})
	add(everyRole, "GET", "/api/v1/campaigns/abc", "", 404, []string{`"code":"not_found"`})

	// Only the administrator changes accounts, units and campaigns.
	add(nonAdmins, "POST", "/api/v1/users", `{"username":"sneaky","role":"admin","password":"sneaky-pass-1"}`, 403, forbidden)
	add(nonAdmins, "PATCH", "/api/v1/users/{uid:zhang_yq}", `{"version":{uv:zhang_yq},"role":"admin"}`, 403, forbidden)
	add(nonAdmins, "PATCH", "/api/v1/users/{uid:zhang_yq}", `{"version":{uv:zhang_yq},"reset_password":true}`, 403, forbidden)
	add(nonAdmins, "POST", "/api/v1/units", `{"name":"越权单位"}`, 403, forbidden)
	add(nonAdmins, "PATCH", "/api/v1/units/{unit:永清镇}", `{"version":{unitv:永清镇},"phone":"110"}`, 403, forbidden)
	add(nonAdmins, "PATCH", "/api/v1/campaigns/{camp}", `{"version":{campv},"case_days":3}`, 403, forbidden)

	// The administrator adds users: a one-time password when none is given.
	admin := []string{"admin"}
	add(admin, "POST", "/api/v1/users", `{"username":"wang_lc","display_name":"王林城","role":"unit_liaison","unit":"林城镇"}`, 201,
		[]string{`"username":"wang_lc"`, `"unit":"林城镇"`, `"must_change_password":true`, `"one_time_password":"`, `"version":1`})
	add(admin, "POST", "/api/v1/users", `{"username":"zhao","role":"leader","password":"given-by-admin-1"}`, 201,
		[]string{`"username":"zhao"`, `"must_change_password":true`}, "one_time_password", "given-by-admin-1")
	add(admin, "POST", "/api/v1/users", `{"username":"sun_yq","role":"unit_head","unit":{unit:永清镇}}`, 201, []string{`"unit":"永清镇"`})
	add(admin, "POST", "/api/v1/users", `{"username":"zhao","role":"leader"}`, 400, append(field("username"), "已存在"))
	add(admin, "POST", "/api/v1/users", `{"username":"boss1","role":"boss"}`, 400, append(field("role"), "角色“boss”无效，应为 admin（系统管理员）"))
	add(admin, "POST", "/api/v1/users", `{"username":"nounit","role":"unit_liaison"}`, 400, field("unit"))
	add(admin, "POST", "/api/v1/users", `{"username":"badunit","role":"unit_liaison","unit":"不存在镇"}`, 400, field("unit"))
	add(admin, "POST", "/api/v1/users", `{"username":"short","role":"leader","password":"short"}`, 400, field("password"))
	add(admin, "POST", "/api/v1/users", `{"username":"x","role":"leader","colour":"red"}`, 400, field("colour"))
	add(admin, "POST", "/api/v1/users", `{"username":"","role":"leader"}`, 400, field("username"))

	// … and changes them.
	add(admin, "PATCH", "/api/v1/users/{missing}", `{"version":1,"display_name":"x"}`, 404, []string{`"code":"not_found"`, "用户不存在"})
	add(admin, "PATCH", "/api/v1/users/abc", `{"version":1,"display_name":"x"}`, 404, []string{`"code":"not_found"`})
	add(admin, "PATCH", "/api/v1/users/{uid:zhang_yq}", `{"display_name":"无版本"}`, 400, field("version"))
	add(admin, "PATCH", "/api/v1/users/{uid:zhang_yq}", `{"version":{uv:zhang_yq},"password":"x"}`, 400, field("password"))
	add(admin, "PATCH", "/api/v1/users/{uid:zhang_yq}", `{"version":{uv:zhang_yq},"role":"unit_head","display_name":"张站长"}`, 200,
		[]string{`"role":"unit_head"`, `"display_name":"张站长"`, `"version":2`}, "one_time_password")
	add(admin, "PATCH", "/api/v1/users/{uid:zhang_yq}", `{"version":1,"display_name":"过期"}`, 409, []string{`"code":"conflict"`})
	add(admin, "PATCH", "/api/v1/users/{uid:zhang_yq}", `{"version":{uv:zhang_yq},"unit":"不存在镇"}`, 400, field("unit"))
	add(admin, "PATCH", "/api/v1/users/{uid:zhang_yq}", `{"version":{uv:zhang_yq},"unit":""}`, 400, field("unit"))
	add(admin, "PATCH", "/api/v1/users/{uid:zhang_yq}", `{"version":{uv:zhang_yq},"role":"root"}`, 400, field("role"))
	add(admin, "PATCH", "/api/v1/users/{uid:zhang_yq}", `{"version":{uv:zhang_yq},"disabled":"yes"}`, 400, append(field("disabled"), "字段“disabled”的类型错误"))
	add(admin, "PATCH", "/api/v1/users/{uid:zhang_yq}", `{"version":{uv:zhang_yq},"unit":"林城镇"}`, 200, []string{`"unit":"林城镇"`})
	add(admin, "PATCH", "/api/v1/users/{uid:zhang_yq}", `{"version":1,"reset_password":true}`, 409, []string{`"code":"conflict"`})
	add(admin, "PATCH", "/api/v1/users/{uid:zhang_yq}", `{"version":{uv:zhang_yq},"reset_password":true}`, 200,
		[]string{`"one_time_password":"`, `"must_change_password":true`})
	add(admin, "PATCH", "/api/v1/users/{uid:li_lc}", `{"version":{uv:li_lc},"disabled":true}`, 200, []string{`"disabled":true`})
	add(admin, "PATCH", "/api/v1/users/{uid:admin}", `{"version":{uv:admin},"disabled":true}`, 400,
		append(field("disabled"), "最后一个启用的系统管理员"))
	add(admin, "PATCH", "/api/v1/users/{uid:admin}", `{"version":{uv:admin},"role":"leader"}`, 400, field("role"))
	// What changed shows in the list; no password does.
	add(admin, "GET", "/api/v1/users?unit=林城镇", "", 200, []string{`"total":4`, `"username":"zhang_yq"`, `"username":"wang_lc"`},
		"one_time_password", "given-by-admin-1")
	add(admin, "GET", "/api/v1/users?disabled=true", "", 200, []string{`"total":1`, `"username":"li_lc"`})

	// Units.
	add(admin, "POST", "/api/v1/units", `{"name":"县林业局","kind":"县直部门","head":"王五","member":true}`, 201,
		[]string{`"name":"县林业局"`, `"kind":"部门"`, `"member":true`, `"version":1`})
	add(admin, "POST", "/api/v1/units", `{"name":"永清镇"}`, 400, append(field("name"), "单位名称“永清镇”已被其他单位使用"))
	add(admin, "POST", "/api/v1/units", `{"name":"某村","kind":"村"}`, 400, field("kind"))
	add(admin, "POST", "/api/v1/units", `{"name":""}`, 400, field("name"))
	add(admin, "POST", "/api/v1/units", `{"name":"x","size":3}`, 400, field("size"))
	add(admin, "PATCH", "/api/v1/units/{unit:县生态环境局}", `{"version":{unitv:县生态环境局},"phone":"0931-1234567","liaison":"赵六"}`, 200,
		[]string{`"phone":"0931-1234567"`, `"liaison":"赵六"`, `"version":2`})
	add(admin, "PATCH", "/api/v1/units/{unit:县生态环境局}", `{"version":1,"phone":"过期"}`, 409, []string{`"code":"conflict"`})
	add(admin, "PATCH", "/api/v1/units/{unit:县生态环境局}", `{"phone":"无版本"}`, 400, field("version"))
	add(admin, "PATCH", "/api/v1/units/{unit:县生态环境局}", `{"version":{unitv:县生态环境局},"name":"林城镇"}`, 400, field("name"))
	add(admin, "PATCH", "/api/v1/units/{missing}", `{"version":1,"phone":"1"}`, 404, []string{`"code":"not_found"`, "单位不存在"})
	add(everyRole, "GET", "/api/v1/units", "", 200, []string{`"total":4`, `"name":"县林业局"`, `"liaison":"赵六"`})

	// Campaigns.
	add(admin, "PATCH", "/api/v1/campaigns/{camp}", `{"version":{campv},"end":"2026/12/31"}`, 400, append(field("end"), "2026/12/31"))
	add(admin, "PATCH", "/api/v1/campaigns/{camp}", `{"version":{campv},"end":"2026-11-01"}`, 400, field("end"))
	add(admin, "PATCH", "/api/v1/campaigns/{camp}", `{"version":{campv},"case_days":0}`, 400, field("case_days"))
	add(admin, "PATCH", "/api/v1/campaigns/{camp}", `{"version":{campv},"case_days":"ten"}`, 400, field("case_days"))
	add(admin, "PATCH", "/api/v1/campaigns/{camp}", `{"version":{campv},"phase":"休整"}`, 400, field("phase"))
	add(admin, "PATCH", "/api/v1/campaigns/{camp}", `{"version":{campv},"rules":null}`, 400, field("rules"))
	add(admin, "PATCH", "/api/v1/campaigns/{camp}", `{"version":{campv},"rules":{"bogus":1}}`, 400, append(field("rules"), "bogus"))
	add(admin, "PATCH", "/api/v1/campaigns/{camp}", `{"version":{campv},"rules":{"answer_days":0}}`, 400, field("answer_days"))
	add(admin, "PATCH", "/api/v1/campaigns/{camp}", `{"version":{campv},"rules":{}}`, 200, []string{`"version":1`, `"answer_days":2`})
	add(admin, "PATCH", "/api/v1/campaigns/{camp}", `{"case_days":7}`, 400, field("version"))
	add(admin, "PATCH", "/api/v1/campaigns/{camp}", `{"version":{campv},"phase":"进驻","case_days":7,"working_days":true,"holidays":"2027-01-01"}`, 200,
		[]string{`"phase":"进驻"`, `"case_days":7`, `"working_days":true`, `"holidays":"2027-01-01"`, `"start":"2026-12-01"`, `"version":2`})
	// Rules merge over the campaign's: what is left out is kept.
	add(admin, "PATCH", "/api/v1/campaigns/{camp}", `{"version":{campv},"rules":{"answer_days":5}}`, 200,
		[]string{`"answer_days":5`, `"reminder_on_red":true`, `"yellow_days":3`, `"quiet_hours":"22:00-07:00"`, `"closure_levels":["县级"]`, `"version":3`})
	add(admin, "PATCH", "/api/v1/campaigns/{camp}", `{"version":{campv},"rules":{"closure_levels":["县级","市级"]}}`, 200,
		[]string{`"answer_days":5`, `"closure_levels":["县级","市级"]`, `"version":4`})
	add(admin, "PATCH", "/api/v1/campaigns/{camp}", `{"version":1,"team":"过期"}`, 409, []string{`"code":"conflict"`})
	add(admin, "PATCH", "/api/v1/campaigns/{missing}", `{"version":1,"team":"x"}`, 404, []string{`"code":"not_found"`})
	add([]string{"leader"}, "GET", "/api/v1/campaigns/{camp}", "", 200, []string{`"case_days":7`, `"answer_days":5`, `"version":4`})

	runScenarios(t, e, table, e.expandAdmin, alwaysJSON)
}

// A user the administrator adds, or whose password the administrator
// resets, logs in with the one-time password and must change it before
// anything else.
func TestAdminAPIOneTimePasswords(t *testing.T) {
	e := adminEnv(t)
	resp, body := e.api("POST", "/api/v1/users", "admin", `{"username":"wang_lc","role":"unit_liaison","unit":"林城镇"}`)
	var made struct {
		ID              int64  `json:"id"`
		Version         int    `json:"version"`
		OneTimePassword string `json:"one_time_password"`
	}
	if err := json.Unmarshal([]byte(body), &made); resp.StatusCode != 201 || err != nil || len(made.OneTimePassword) != ducha.OneTimePasswordLen {
		t.Fatalf("create: %d %s", resp.StatusCode, body)
	}
	if resp.Header.Get("ETag") != `"1"` {
		t.Errorf("ETag %q", resp.Header.Get("ETag"))
	}
	b := e.browser()
	b.loginWith("wang_lc", made.OneTimePassword)
	if resp, _ := b.get("/problems"); resp.StatusCode != 303 || resp.Header.Get("Location") != "/account/password" {
		t.Errorf("new user's first page: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	// The CLI's old path: a password the admin chose must be changed too.
	resp, _ = e.api("POST", "/api/v1/users", "admin", `{"username":"zhao","role":"leader","password":"given-by-admin-1"}`)
	if resp.StatusCode != 201 {
		t.Fatalf("create with a password: %d", resp.StatusCode)
	}
	b2 := e.browser()
	b2.loginWith("zhao", "given-by-admin-1")
	if resp, _ := b2.get("/problems"); resp.StatusCode != 303 || resp.Header.Get("Location") != "/account/password" {
		t.Errorf("user with the admin's password: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}

	// A reset: the liaison's browser session ends, the token answers
	// password_change_required, the old password fails, the new one works.
	liaison := e.browser()
	liaison.login("liaison_yq")
	id, v := e.users["liaison"].ID, e.users["liaison"].Version
	resp, body = e.api("PATCH", "/api/v1/users/"+strconv.FormatInt(id, 10), "admin", `{"version":`+strconv.Itoa(v)+`,"reset_password":true}`)
	var reset struct {
		Version         int    `json:"version"`
		OneTimePassword string `json:"one_time_password"`
	}
	if err := json.Unmarshal([]byte(body), &reset); resp.StatusCode != 200 || err != nil || reset.OneTimePassword == "" || reset.Version != v+1 {
		t.Fatalf("reset: %d %s", resp.StatusCode, body)
	}
	if resp, _ := liaison.get("/api/v1/me"); resp.StatusCode != 401 {
		t.Errorf("session after the reset: %d", resp.StatusCode)
	}
	if resp, body := e.api("GET", "/api/v1/problems", "liaison", ""); resp.StatusCode != 403 || !strings.Contains(body, "password_change_required") {
		t.Errorf("token after the reset: %d %s", resp.StatusCode, body)
	}
	if resp, _ := e.api("POST", "/api/v1/login", "", `{"username":"liaison_yq","password":"`+password+`"}`); resp.StatusCode != 401 {
		t.Errorf("old password after the reset: %d", resp.StatusCode)
	}
	if resp, body := e.api("POST", "/api/v1/login", "", `{"username":"liaison_yq","password":"`+reset.OneTimePassword+`"}`); resp.StatusCode != 200 ||
		!strings.Contains(body, `"must_change_password":true`) {
		t.Errorf("login with the one-time password: %d %s", resp.StatusCode, body)
	}
}

// Disabling a user through the API ends their browser session and their
// API token at once.
func TestAdminAPIDisableEndsLogins(t *testing.T) {
	e := adminEnv(t)
	b := e.browser()
	b.login("liaison_lc")
	if resp, _ := b.get("/api/v1/me"); resp.StatusCode != 200 {
		t.Fatalf("before: %d", resp.StatusCode)
	}
	if resp, _ := e.api("GET", "/api/v1/me", "liaison_b", ""); resp.StatusCode != 200 {
		t.Fatalf("token before: %d", resp.StatusCode)
	}
	u := e.users["liaison_b"]
	resp, body := e.api("PATCH", "/api/v1/users/"+strconv.FormatInt(u.ID, 10), "admin", `{"version":`+strconv.Itoa(u.Version)+`,"disabled":true}`)
	if resp.StatusCode != 200 || !strings.Contains(body, `"disabled":true`) {
		t.Fatalf("disable: %d %s", resp.StatusCode, body)
	}
	if resp, _ := b.get("/api/v1/me"); resp.StatusCode != 401 {
		t.Errorf("session after disabling: %d", resp.StatusCode)
	}
	if resp, _ := b.get("/problems"); resp.StatusCode != 303 || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
		t.Errorf("page after disabling: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	if resp, _ := e.api("GET", "/api/v1/me", "liaison_b", ""); resp.StatusCode != 401 {
		t.Errorf("token after disabling: %d", resp.StatusCode)
	}
	// Enabled again, the token stays revoked.
	resp, _ = e.api("PATCH", "/api/v1/users/"+strconv.FormatInt(u.ID, 10), "admin", `{"version":`+strconv.Itoa(u.Version+1)+`,"disabled":false}`)
	if resp.StatusCode != 200 {
		t.Fatalf("enable: %d", resp.StatusCode)
	}
	if resp, _ := e.api("GET", "/api/v1/me", "liaison_b", ""); resp.StatusCode != 401 {
		t.Errorf("token after enabling: %d", resp.StatusCode)
	}
	b.login("liaison_lc")
	if resp, _ := b.get("/api/v1/me"); resp.StatusCode != 200 {
		t.Errorf("login after enabling: %d", resp.StatusCode)
	}
}

// The administration routes declare their permissions.
func TestAdminRoutePermissions(t *testing.T) {
	e := newEnv(t)
	want := map[string]ducha.Permission{
		"GET /api/v1/users":               ducha.PermRead,
		"POST /api/v1/users":              ducha.PermManage,
		"PATCH /api/v1/users/{id}":        ducha.PermManage,
		"POST /api/v1/units":              ducha.PermManage,
		"PATCH /api/v1/units/{id}":        ducha.PermManage,
		"GET /api/v1/campaigns":           ducha.PermRead,
		"GET /api/v1/campaigns/{id}":      ducha.PermRead,
		"PATCH /api/v1/campaigns/{id}":    ducha.PermManage,
		"GET /admin/users":                ducha.PermManage,
		"POST /admin/users":               ducha.PermManage,
		"POST /admin/users/{id}":          ducha.PermManage,
		"POST /admin/users/{id}/password": ducha.PermManage,
		"GET /admin/units":                ducha.PermManage,
		"POST /admin/units/import":        ducha.PermManage,
		"GET /admin/campaigns":            ducha.PermManage,
		"POST /admin/campaigns/{id}":      ducha.PermManage,
	}
	got := map[string]ducha.Permission{}
	for _, r := range e.srv.Routes() {
		got[r.Method+" "+r.Path] = r.Permission
	}
	for k, p := range want {
		if g, ok := got[k]; !ok || g != p {
			t.Errorf("%s: permission %q (registered %v), want %q", k, g, ok, p)
		}
	}
	for k, p := range got {
		if strings.Contains(k, " /admin") && p != ducha.PermManage {
			t.Errorf("%s: permission %q", k, p)
		}
	}
}
