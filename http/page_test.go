package http_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// walk logs in through the form, opens the ledger, follows the link to a
// problem, reports progress through its form and finds it in the history.
func TestPagesWalk(t *testing.T) {
	for _, c := range []struct {
		lang                                        string
		ledger, status, action, flash, history, ext string
	}{
		{"zh", "问题台账", "整改中", "报送进展", "已完成：报送进展", "办理记录", "申请延期"},
		{"en", "Problem ledger", "In progress", "Report progress", "Done: Report progress", "History", "Request extension"},
	} {
		t.Run(c.lang, func(t *testing.T) {
			e := newEnv(t)
			b := e.browser()
			if c.lang == "en" {
				resp, _ := b.get("/lang?to=en&next=/login")
				if resp.StatusCode != 303 || resp.Header.Get("Location") != "/login" {
					t.Fatalf("lang: %d %s", resp.StatusCode, resp.Header.Get("Location"))
				}
			}
			resp, page := b.get("/login")
			if resp.StatusCode != 200 || !strings.Contains(page, `<form method="post" action="/login">`) {
				t.Fatalf("login page: %d %s", resp.StatusCode, page)
			}
			b.login("liaison_yq")

			resp, _ = b.get("/")
			if resp.StatusCode != 303 || resp.Header.Get("Location") != "/workbench" {
				t.Fatalf("root: %d", resp.StatusCode)
			}
			resp, page = b.get("/problems")
			own, other := e.probs["own"], e.probs["other"]
			if resp.StatusCode != 200 || !strings.Contains(page, c.ledger) || !strings.Contains(page, own.Code) ||
				strings.Contains(page, other.Code) || !strings.Contains(page, c.status) {
				t.Fatalf("ledger: %d %s", resp.StatusCode, page)
			}
			link := regexp.MustCompile(`<a href="(/problems/\d+)">` + regexp.QuoteMeta(own.Code) + `</a>`).FindStringSubmatch(page)
			if link == nil {
				t.Fatalf("no link to %s", own.Code)
			}

			resp, page = b.get(link[1])
			if resp.StatusCode != 200 || !strings.Contains(page, own.Description) || !strings.Contains(page, "2026年12月20日") {
				t.Fatalf("detail: %d %s", resp.StatusCode, page)
			}
			// The liaison of the lead unit may report progress, apply for
			// closure and ask for more time; not verify.
			for _, a := range []string{"progress", "apply_closure", "request_extension"} {
				if !strings.Contains(page, `action="`+link[1]+`/actions/`+a+`"`) {
					t.Errorf("no %s form", a)
				}
			}
			if strings.Contains(page, "/actions/verify") || strings.Contains(page, "/actions/return") {
				t.Errorf("liaison offered a coordinator's action")
			}
			if !strings.Contains(page, c.ext) {
				t.Errorf("action label %q missing", c.ext)
			}

			action := link[1] + "/actions/progress"
			resp, _ = b.post(action, url.Values{"version": {hidden(t, page, action)}, "text": {"已拆除违建围挡"}})
			if resp.StatusCode != 303 || resp.Header.Get("Location") != link[1] {
				t.Fatalf("progress post: %d %s", resp.StatusCode, resp.Header.Get("Location"))
			}
			resp, page = b.get(link[1])
			if resp.StatusCode != 200 || !strings.Contains(page, c.flash) || !strings.Contains(page, c.history) {
				t.Fatalf("after action: %d %s", resp.StatusCode, page)
			}
			hist := page[strings.LastIndex(page, c.history):]
			if !strings.Contains(hist, `<span class="action">`+c.action) || !strings.Contains(hist, "已拆除违建围挡") || !strings.Contains(hist, "liaison_yq") {
				t.Fatalf("history lacks the action: %s", hist)
			}
			// The flash shows once.
			if _, page = b.get(link[1]); strings.Contains(page, c.flash) {
				t.Errorf("flash shown twice")
			}
			// Another unit's problem is as missing as a missing one.
			resp, page = b.get(e.expand("/problems/{other}"))
			resp2, page2 := b.get("/problems/999999")
			if resp.StatusCode != 404 || resp2.StatusCode != 404 || mainOf(page) != mainOf(page2) || !strings.Contains(page, "问题不存在") {
				t.Errorf("other unit's page: %d vs %d", resp.StatusCode, resp2.StatusCode)
			}
		})
	}
}

// A coordinator plans a registered problem; a refused form keeps the input
// and puts the message next to the field.
func TestPageActionValidation(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	b.login("coord")
	path := e.expand("/problems/{registered}")
	_, page := b.get(path)
	action := path + "/actions/plan"
	version := hidden(t, page, action)
	form := url.Values{"version": {version}, "lead_unit": {e.expand("{unit:县生态环境局}")}, "measures": {"督促餐饮店安装油烟净化器"},
		"mode": {"限时整改"}, "deadline": {"2027-01-15"}, "coop_units": {e.expand("{unit:永清镇}")}}
	resp, page := b.post(action, form)
	if resp.StatusCode != 422 {
		t.Fatalf("plan without person: %d", resp.StatusCode)
	}
	if !regexp.MustCompile(`name="person" id="f-plan-person"[^>]*aria-describedby="err-plan-person" value="">\s*<span class="field-error" id="err-plan-person">请填写责任人</span>`).MatchString(page) {
		t.Errorf("no message next to person: %s", page)
	}
	if !strings.Contains(page, ">督促餐饮店安装油烟净化器</textarea>") || !strings.Contains(page, `value="2027年1月15日"`) ||
		!strings.Contains(page, `<details class="action" open id="action-plan">`) {
		t.Errorf("input not kept: %s", page)
	}
	form.Set("person", "王五")
	form.Set("deadline", "2027/02/30")
	if resp, page = b.post(action, form); resp.StatusCode != 422 || !strings.Contains(page, "“2027/02/30”不是有效日期") {
		t.Errorf("bad date: %d", resp.StatusCode)
	}
	form.Set("deadline", "2027-01-15")
	if resp, _ = b.post(action, form); resp.StatusCode != 303 {
		t.Fatalf("plan: %d", resp.StatusCode)
	}
	p := e.current("registered")
	if p.Status != "in_progress" || p.LeadUnit != "县生态环境局" || p.Person != "王五" || p.Deadline != "2027-01-15" ||
		len(p.CoopUnits) != 1 || p.CoopUnits[0] != "永清镇" {
		t.Errorf("planned problem: %+v", p)
	}
	// Posting the old form again is a conflict: shown on the page, nothing changed.
	resp, page = b.post(action, form)
	if resp.StatusCode != 409 || !strings.Contains(page, "已被他人修改") {
		t.Errorf("stale form: %d", resp.StatusCode)
	}
	if e.current("registered").Version != p.Version {
		t.Errorf("stale form changed the problem")
	}
}

func TestPageRegisterProblem(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	b.login("liaison_yq")
	if resp, _ := b.get("/problems/new"); resp.StatusCode != 403 {
		t.Fatalf("liaison register page: %d", resp.StatusCode)
	}
	b = e.browser()
	b.login("coord")
	resp, page := b.get("/problems/new")
	if resp.StatusCode != 200 || !strings.Contains(page, `name="description"`) {
		t.Fatalf("register page: %d", resp.StatusCode)
	}
	form := url.Values{"source": {"督察反馈"}, "description": {""}, "area": {"永清镇"}, "types": {"水", "土壤"},
		"coop_units": {"林城镇、县生态环境局"}, "mode": {"限时整改"}}
	resp, page = b.post("/problems/new", form)
	if resp.StatusCode != 422 || !strings.Contains(page, "问题描述不能为空") || !strings.Contains(page, `value="水" checked`) {
		t.Fatalf("empty description: %d %s", resp.StatusCode, page)
	}
	form.Set("description", "永清镇河段<黑臭>水体")
	resp, _ = b.post("/problems/new", form)
	if resp.StatusCode != 303 || !strings.HasPrefix(resp.Header.Get("Location"), "/problems/") {
		t.Fatalf("register: %d", resp.StatusCode)
	}
	resp, page = b.get(resp.Header.Get("Location"))
	if resp.StatusCode != 200 || !strings.Contains(page, "问题已登记") || !strings.Contains(page, html.EscapeString("永清镇河段<黑臭>水体")) ||
		!strings.Contains(page, "林城镇、县生态环境局") || !strings.Contains(page, "水、土壤") {
		t.Fatalf("registered problem page: %d %s", resp.StatusCode, page)
	}
}

func TestPageListFilters(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	b.login("leader")
	_, page := b.get("/problems?status=pending_verification")
	if !strings.Contains(page, e.probs["pending"].Code) || strings.Contains(page, e.probs["own"].Code) ||
		!strings.Contains(page, `<option value="pending_verification" selected>`) {
		t.Errorf("status filter: %s", page)
	}
	_, page = b.get("/problems?per_page=2")
	if !strings.Contains(page, "第1页，共3页") || !strings.Contains(page, `href="/problems?page=2&amp;per_page=2"`) {
		t.Errorf("pagination: %s", page)
	}
	// Eight days later, the problems due on the 20th are yellow.
	e.clock.Add(8 * 24 * time.Hour)
	b = e.browser()
	b.login("leader")
	_, page = b.get("/problems?warning=yellow")
	if !strings.Contains(page, `<span class="badge warn-yellow">黄色预警</span>`) || !strings.Contains(page, e.probs["own"].Code) {
		t.Errorf("yellow: %s", page)
	}
	// Leaders read but are offered no action form.
	_, page = b.get(e.expand("/problems/{own}"))
	if strings.Contains(page, "/actions/") || strings.Contains(page, `type="file"`) {
		t.Errorf("leader offered a form")
	}
	resp, _ := b.post(e.expand("/problems/{own}/actions/progress"), url.Values{"version": {"1"}, "text": {"x"}})
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("leader action: %d", resp.StatusCode)
	}
}

// mainOf is a page's main content, without the header that echoes the URL.
func mainOf(page string) string {
	i, j := strings.Index(page, "<main"), strings.Index(page, "</main>")
	if i < 0 || j < i {
		return page
	}
	return page[i:j]
}

func TestPageLanguage(t *testing.T) {
	e := newEnv(t)
	for _, c := range []struct{ accept, cookie, want, lang string }{
		{"", "", "<h1>登录</h1>", `lang="zh-CN"`},
		{"en-US,en;q=0.9", "", "<h1>Log in</h1>", `lang="en"`},
		{"fr-FR, en;q=0.5, zh;q=0.8", "", "<h1>登录</h1>", `lang="zh-CN"`},
		{"zh-CN", "en", "<h1>Log in</h1>", `lang="en"`},
		{"en", "zh", "<h1>登录</h1>", `lang="zh-CN"`},
	} {
		req, _ := http.NewRequest("GET", e.ts.URL+"/login", nil)
		req.Header.Set("Accept-Language", c.accept)
		if c.cookie != "" {
			req.AddCookie(&http.Cookie{Name: "lang", Value: c.cookie})
		}
		resp, page := e.send(req)
		if resp.StatusCode != 200 || !strings.Contains(page, c.want) || !strings.Contains(page, c.lang) {
			t.Errorf("Accept-Language %q cookie %q: %d, want %s", c.accept, c.cookie, resp.StatusCode, c.want)
		}
	}
	// /lang only goes back to this site.
	resp, _ := e.send(mustRequest(t, "GET", e.ts.URL+"/lang?to=en&next=//evil.example/"))
	if resp.Header.Get("Location") != "/workbench" {
		t.Errorf("lang redirect to %q", resp.Header.Get("Location"))
	}
}

func mustRequest(t *testing.T, method, url string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	return req
}
