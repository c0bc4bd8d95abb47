package http_test

import (
	"context"
	"html"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"ducha"
	"ducha/sheets"
)

var oneTimeRe = regexp.MustCompile(`<code>([A-Za-z0-9]+)</code>`)

// versionIn returns the version field of the form posting to action.
func versionIn(t *testing.T, page, action string) string {
	t.Helper()
	re := regexp.MustCompile(`action="` + regexp.QuoteMeta(action) + `"[^>]*>\s*<input type="hidden" name="version" value="(\d+)">`)
	m := re.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no form posting to %s with a version", action)
	}
	return m[1]
}

// An admin adds a user through the form, who logs in with the one-time
// password shown once and must change it; then the admin resets another
// user's password, and changes and disables a third.
func TestAdminUsersPage(t *testing.T) {
	e := adminEnv(t)
	b := e.browser()
	b.login("admin")
	resp, page := b.get("/problems")
	if resp.StatusCode != 200 || !strings.Contains(page, `<a href="/admin/users">系统管理</a>`) {
		t.Fatalf("admin's header has no 系统管理: %d", resp.StatusCode)
	}
	resp, page = b.get("/admin/users")
	if resp.StatusCode != 200 || !strings.Contains(page, "<h1>用户管理</h1>") || !strings.Contains(page, "共9个用户") ||
		!strings.Contains(page, `<td data-label="用户名">liaison_lc</td>`) || !strings.Contains(page, `action="/admin/users"`) {
		t.Fatalf("users page: %d %s", resp.StatusCode, mainOf(page))
	}
	// The filter by unit and role.
	_, page = b.get("/admin/users?unit=" + url.QueryEscape("林城镇") + "&role=unit_liaison")
	if !strings.Contains(page, "共2个用户") || !strings.Contains(page, `<td data-label="用户名">li_lc</td>`) || strings.Contains(page, `<td data-label="用户名">zhang_yq</td>`) {
		t.Errorf("filtered: %s", mainOf(page))
	}
	if resp, page = b.get("/admin/users?role=boss"); resp.StatusCode != 400 || !strings.Contains(page, "角色“boss”无效") {
		t.Errorf("bad filter: %d", resp.StatusCode)
	}

	// Add a user without a password: the answer shows a one-time password.
	form := url.Values{"username": {"wang_lc"}, "display_name": {"王林城"}, "role": {"unit_liaison"},
		"unit": {strconv.FormatInt(e.units["林城镇"].ID, 10)}, "password": {""}}
	resp, page = b.post("/admin/users", form)
	m := oneTimeRe.FindStringSubmatch(page)
	if resp.StatusCode != 201 || m == nil || !strings.Contains(page, "已添加用户 wang_lc") || !strings.Contains(page, "只显示这一次") {
		t.Fatalf("add: %d %s", resp.StatusCode, mainOf(page))
	}
	if resp.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("a page with a password may be cached: %q", resp.Header.Get("Cache-Control"))
	}
	oneTime := m[1]
	if _, page = b.get("/admin/users"); strings.Contains(page, oneTime) || !strings.Contains(page, `<td data-label="用户名">wang_lc</td>`) {
		t.Errorf("the password shows twice, or the user is missing")
	}
	nb := e.browser()
	nb.loginWith("wang_lc", oneTime)
	if resp, _ := nb.get("/problems"); resp.StatusCode != 303 || resp.Header.Get("Location") != "/account/password" {
		t.Errorf("new user: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	// A refused form keeps the input and says why next to the field.
	form.Set("username", "nounit")
	form.Set("unit", "")
	resp, page = b.post("/admin/users", form)
	if resp.StatusCode != 422 || !regexp.MustCompile(`name="username" [^>]*value="nounit"`).MatchString(page) ||
		!strings.Contains(page, `<span class="field-error" id="err-add-unit">单位联络员和单位主要负责人必须属于一个单位</span>`) {
		t.Errorf("refused add: %d %s", resp.StatusCode, mainOf(page))
	}
	// With a password typed: back to the list, and it must be changed too.
	resp, _ = b.post("/admin/users", url.Values{"username": {"zhao"}, "role": {"leader"}, "password": {"given-by-admin-1"}})
	if resp.StatusCode != 303 || !strings.HasPrefix(resp.Header.Get("Location"), "/admin/users?saved=") {
		t.Fatalf("add with a password: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	if _, page = b.get(resp.Header.Get("Location")); !strings.Contains(page, "已添加用户 zhao，本人首次登录时须修改密码") {
		t.Errorf("no message after adding: %s", mainOf(page))
	}
	if u, _ := e.db.Authenticate(context.Background(), "zhao", "given-by-admin-1"); u == nil || !u.MustChangePassword {
		t.Errorf("zhao need not change the admin's password: %+v", u)
	}

	// Reset a password: shown once; the old one stops working.
	zhang, _ := e.db.FindUserByUsername(system, "zhang_yq")
	resp, page = b.post("/admin/users/"+strconv.FormatInt(zhang.ID, 10)+"/password", url.Values{})
	m = oneTimeRe.FindStringSubmatch(page)
	if resp.StatusCode != 200 || m == nil || !strings.Contains(page, "已重置用户 zhang_yq 的密码") {
		t.Fatalf("reset: %d %s", resp.StatusCode, mainOf(page))
	}
	if _, err := e.db.Authenticate(context.Background(), "zhang_yq", password); err == nil {
		t.Error("old password works after the reset")
	}
	if u, err := e.db.Authenticate(context.Background(), "zhang_yq", m[1]); err != nil || !u.MustChangePassword {
		t.Errorf("one-time password: %v %+v", err, u)
	}

	// Change role and unit, then disable.
	li, _ := e.db.FindUserByUsername(system, "li_lc")
	action := "/admin/users/" + strconv.FormatInt(li.ID, 10)
	_, page = b.get("/admin/users")
	resp, _ = b.post(action, url.Values{"version": {versionIn(t, page, action)}, "display_name": {"李站长"}, "role": {"unit_head"},
		"unit": {strconv.FormatInt(e.units["永清镇"].ID, 10)}})
	if resp.StatusCode != 303 {
		t.Fatalf("edit: %d", resp.StatusCode)
	}
	if _, page = b.get(resp.Header.Get("Location")); !strings.Contains(page, "已保存用户 li_lc 的修改") {
		t.Errorf("no message after editing")
	}
	if u, _ := e.db.FindUserByID(system, li.ID); u.Role != ducha.RoleUnitHead || u.UnitName != "永清镇" || u.DisplayName != "李站长" {
		t.Errorf("after editing: %+v", u)
	}
	// A stale form is refused and changes nothing.
	resp, page = b.post(action, url.Values{"version": {"1"}, "display_name": {"过期"}, "role": {"unit_head"}, "unit": {"永清镇"}})
	if resp.StatusCode != 409 || !strings.Contains(page, "li_lc：该记录已被他人修改") {
		t.Errorf("stale edit: %d %s", resp.StatusCode, mainOf(page))
	}
	_, page = b.get("/admin/users")
	resp, _ = b.post(action+"/disable", url.Values{"version": {versionIn(t, page, action+"/disable")}})
	if resp.StatusCode != 303 {
		t.Fatalf("disable: %d", resp.StatusCode)
	}
	if _, page = b.get(resp.Header.Get("Location")); !strings.Contains(page, "已停用用户 li_lc") || !strings.Contains(page, `action="`+action+`/enable"`) {
		t.Errorf("after disabling: %s", mainOf(page))
	}
	if _, err := e.db.Authenticate(context.Background(), "li_lc", password); err == nil {
		t.Error("a disabled user logs in")
	}
	// The last admin cannot disable themself.
	me := e.users["admin"]
	resp, page = b.post("/admin/users/"+strconv.FormatInt(me.ID, 10)+"/disable", url.Values{"version": {strconv.Itoa(me.Version)}})
	if resp.StatusCode != 400 || !strings.Contains(page, "最后一个启用的系统管理员") {
		t.Errorf("disable the last admin: %d %s", resp.StatusCode, mainOf(page))
	}

	// English.
	b.get("/lang?to=en&next=/admin/users")
	if _, page = b.get("/admin/users"); !strings.Contains(page, "<h1>Users</h1>") || !strings.Contains(page, ">Reset password<") {
		t.Errorf("English page: %s", mainOf(page))
	}
}

// Nobody but the administrator reaches the administration pages, and
// nobody else sees the link.
func TestAdminPagesForbidden(t *testing.T) {
	e := newEnv(t)
	for _, ru := range roleUsers {
		if ru.role == ducha.RoleAdmin {
			continue
		}
		b := e.browser()
		b.login(ru.username)
		for _, path := range []string{"/admin", "/admin/users", "/admin/units", "/admin/campaigns"} {
			if resp, page := b.get(path); resp.StatusCode != 403 || !strings.Contains(page, "无权") {
				t.Errorf("%s GET %s: %d", ru.username, path, resp.StatusCode)
			}
		}
		for _, path := range []string{"/admin/users", e.expandAdmin("/admin/users/{uid:admin}/password"), e.expandAdmin("/admin/units/{unit:永清镇}"),
			"/admin/units", e.expandAdmin("/admin/campaigns/{camp}")} {
			if resp, _ := b.post(path, url.Values{"version": {"1"}, "username": {"x"}, "role": {"admin"}, "name": {"x"}}); resp.StatusCode != 403 {
				t.Errorf("%s POST %s: %d", ru.username, path, resp.StatusCode)
			}
		}
		if _, page := b.get("/problems"); strings.Contains(page, "/admin/users") || strings.Contains(page, "系统管理") {
			t.Errorf("%s sees the administration link", ru.username)
		}
	}
	if u, _ := e.db.Authenticate(context.Background(), "admin", password); u == nil || u.MustChangePassword {
		t.Error("a refused reset changed the admin's password")
	}
	// Not logged in: the login form.
	if resp, _ := e.browser().get("/admin/users"); resp.StatusCode != 303 || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
		t.Errorf("anonymous: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
}

// The units page adds, edits and imports units; the import takes the path
// of `ducha unit import`.
func TestAdminUnitsPage(t *testing.T) {
	e := newEnv(t)
	e.srv.ImportUnits = func(ctx context.Context, r io.Reader, filename string) (int, int, error) {
		units, err := sheets.ReadUnits(r, filename, e.srv.ImportLimits)
		if err != nil {
			return 0, 0, err
		}
		return e.db.ImportUnits(ctx, units)
	}
	b := e.browser()
	b.login("admin")
	resp, page := b.get("/admin/units")
	if resp.StatusCode != 200 || !strings.Contains(page, "共3个单位") || !strings.Contains(page, `action="/admin/units/import"`) {
		t.Fatalf("units page: %d %s", resp.StatusCode, mainOf(page))
	}
	resp, _ = b.post("/admin/units", url.Values{"name": {"县林业局"}, "kind": {"部门"}, "head": {"王五"}, "member": {"1"}})
	if resp.StatusCode != 303 {
		t.Fatalf("add: %d", resp.StatusCode)
	}
	if _, page = b.get(resp.Header.Get("Location")); !strings.Contains(page, "已添加单位 县林业局") || !strings.Contains(page, `<td data-label="主要负责人">王五</td>`) {
		t.Errorf("after adding: %s", mainOf(page))
	}
	resp, page = b.post("/admin/units", url.Values{"name": {"永清镇"}, "kind": {"乡镇"}, "head": {"重名"}})
	if resp.StatusCode != 422 || !strings.Contains(page, `<span class="field-error" id="err-add-name">单位名称“永清镇”已被其他单位使用`) || !strings.Contains(page, `value="重名"`) {
		t.Errorf("duplicate: %d %s", resp.StatusCode, mainOf(page))
	}
	yq := e.units["永清镇"]
	action := "/admin/units/" + strconv.FormatInt(yq.ID, 10)
	_, page = b.get("/admin/units")
	resp, _ = b.post(action, url.Values{"version": {versionIn(t, page, action)}, "name": {"永清镇"}, "kind": {"乡镇"},
		"head": {"牛文博"}, "liaison": {"刘立军"}, "phone": {"19313867508"}, "division_code": {"620521100000"}})
	if resp.StatusCode != 303 {
		t.Fatalf("edit: %d", resp.StatusCode)
	}
	if u, _ := e.db.FindUnitByID(system, yq.ID); u.Head != "牛文博" || u.Phone != "19313867508" || u.Member {
		t.Errorf("after editing: %+v", u)
	}

	// Import the county's unit file.
	data, err := os.ReadFile(filepath.Join(samples, "units.csv"))
	if err != nil {
		t.Fatal(err)
	}
	body, ct := batchBody(t, "units.csv", data, "", "")
	req, _ := http.NewRequest("POST", e.ts.URL+"/admin/units/import", strings.NewReader(body))
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Origin", e.ts.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, page = b.do(req)
	if resp.StatusCode != 200 || !strings.Contains(page, "单位导入完成：新增31个，更新1个") {
		t.Fatalf("import: %d %s", resp.StatusCode, mainOf(page))
	}
	if units, _ := e.db.FindUnits(system); len(units) != 35 {
		t.Errorf("%d units after the import", len(units))
	}
	// A wrong file names its row and imports nothing.
	body, ct = batchBody(t, "bad.csv", []byte("名称,类型\n某单位,乡镇\n某村,村委会\n"), "", "")
	req, _ = http.NewRequest("POST", e.ts.URL+"/admin/units/import", strings.NewReader(body))
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Origin", e.ts.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, page = b.do(req)
	if resp.StatusCode != 400 || !strings.Contains(html.UnescapeString(page), "第3行") {
		t.Errorf("bad import: %d %s", resp.StatusCode, mainOf(page))
	}
	if _, err := e.db.FindUnitByName(system, "某单位"); err == nil {
		t.Error("a refused import stored a unit")
	}
}

func TestAdminCampaignsPage(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	b.login("admin")
	c, _ := e.db.CurrentCampaign(system)
	action := "/admin/campaigns/" + strconv.FormatInt(c.ID, 10)
	resp, page := b.get("/admin/campaigns")
	if resp.StatusCode != 200 || !strings.Contains(page, "第三轮中央生态环境保护督察") || !strings.Contains(page, "10天") {
		t.Fatalf("campaigns page: %d %s", resp.StatusCode, mainOf(page))
	}
	form := url.Values{"version": {versionIn(t, page, action)}, "name": {c.Name}, "team": {"中央第三生态环境保护督察组"},
		"start": {"2026-12-01"}, "end": {"2026-11-30"}, "case_days": {"7"}, "phase": {"进驻"}, "working_days": {"1"},
		"holidays": {"2027-01-01"}, "workdays": {""}}
	resp, page = b.post(action, form)
	if resp.StatusCode != 400 || !strings.Contains(page, "结束日期早于开始日期") {
		t.Errorf("end before start: %d %s", resp.StatusCode, mainOf(page))
	}
	form.Set("end", "2026-12-31")
	form.Set("case_days", "七")
	if resp, page = b.post(action, form); resp.StatusCode != 400 || !strings.Contains(page, "办理时限天数应为整数") {
		t.Errorf("case days not a number: %d %s", resp.StatusCode, mainOf(page))
	}
	form.Set("case_days", "7")
	resp, _ = b.post(action, form)
	if resp.StatusCode != 303 {
		t.Fatalf("edit: %d", resp.StatusCode)
	}
	if _, page = b.get(resp.Header.Get("Location")); !strings.Contains(page, "已保存督察轮次") || !strings.Contains(page, "7个工作日") {
		t.Errorf("after editing: %s", mainOf(page))
	}
	got, _ := e.db.CurrentCampaign(system)
	if got.CaseDays != 7 || got.Phase != ducha.PhaseOnSite || !got.WorkingDays || got.Team != "中央第三生态环境保护督察组" || got.Version != c.Version+1 {
		t.Errorf("stored: %+v", got)
	}
	// The old form again: stale.
	if resp, _ = b.post(action, form); resp.StatusCode != 409 {
		t.Errorf("stale form: %d", resp.StatusCode)
	}
}
