package http_test

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// besideField checks that the page marks field's control invalid, points
// it at its message and shows the message right after the control.
func besideField(t *testing.T, page, id, msg string) {
	t.Helper()
	re := regexp.MustCompile(`id="f-` + regexp.QuoteMeta(id) + `" aria-invalid="true" aria-describedby="err-` + regexp.QuoteMeta(id) +
		`"[^>]*>(?:</textarea>|[^<]*</textarea>)?\s*(?:<small>[^<]*</small>)?\s*<span class="field-error" id="err-` + regexp.QuoteMeta(id) + `">[^<]*` +
		regexp.QuoteMeta(msg))
	if !re.MatchString(page) {
		t.Errorf("no %q beside field %s", msg, id)
	}
}

// TestFormProblemNewThreeErrors posts the register form with three wrong
// fields: one answer names all three, each beside its field and in the
// summary at the top, and keeps everything typed.
func TestFormProblemNewThreeErrors(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	b.login("coord")
	form := url.Values{"source": {"督察反馈"}, "description": {""}, "area": {"永清镇"}, "subject": {"宏达砖厂"},
		"subject_credit_code": {"91330100MA2B3C4D5X"}, "types": {"大气"}, "mode": {"限时整改"}, "person": {"张三"},
		"deadline": {"2026年2月30日"}, "coop_units": {e.expand("{unit:林城镇}")}, "note": {"群众多次反映"}}
	resp, page := b.post("/problems/new", form)
	if resp.StatusCode != 422 {
		t.Fatalf("three errors: %d", resp.StatusCode)
	}
	besideField(t, page, "description", "问题描述不能为空")
	besideField(t, page, "subject_credit_code", "")
	besideField(t, page, "deadline", "“2026年2月30日”不是有效日期")
	if n := strings.Count(page, `class="field-error"`); n != 3 {
		t.Errorf("%d field messages, want 3", n)
	}
	summary := regexp.MustCompile(`(?s)<div class="error-summary"[^>]*>.*?</div>`).FindString(page)
	mustHave(t, "summary", summary, "有3处需要修改", `href="#f-description"`, `href="#f-subject_credit_code"`, `href="#f-deadline"`)
	mustHave(t, "kept input", page, `value="永清镇"`, `value="宏达砖厂"`, `value="91330100MA2B3C4D5X"`, `value="张三"`,
		`value="2026年2月30日"`, `value="大气" checked`, `<option selected>督察反馈</option>`, ">群众多次反映</textarea>",
		`value="`+e.expand("{unit:林城镇}")+`" checked>林城镇`)
	// Nothing was stored.
	if _, list := b.get("/problems?q=" + url.QueryEscape("宏达砖厂")); strings.Contains(list, "宏达砖厂</a>") {
		t.Errorf("a refused form registered a problem")
	}
	// Fixed, in another of the accepted forms: registered, the date as typed in any form.
	form.Set("description", "宏达砖厂无组织排放")
	form.Set("subject_credit_code", "")
	form.Set("deadline", "20271207")
	resp, _ = b.post("/problems/new", form)
	if resp.StatusCode != 303 {
		t.Fatalf("fixed: %d", resp.StatusCode)
	}
	_, page = b.get(resp.Header.Get("Location"))
	mustHave(t, "registered", page, "宏达砖厂无组织排放")
}

// TestFormStaleSave saves a plan over a version someone else has changed:
// the page keeps what was typed, shows the other person's change beside
// it, and a second save over the new version goes through.
func TestFormStaleSave(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	b.login("coord")
	path := e.expand("/problems/{own}")
	_, page := b.get(path)
	action := path + "/actions/plan"
	version := hidden(t, page, action)
	// Meanwhile the liaison changes the person in charge.
	if resp, body := e.api("POST", e.expand("/api/v1/problems/{own}/actions/plan"), "liaison",
		e.expand(`{"person":"李四","version":{v:own}}`)); resp.StatusCode != 200 {
		t.Fatalf("their change: %d %s", resp.StatusCode, body)
	}
	form := url.Values{"version": {version}, "lead_unit": {e.expand("{unit:永清镇}")}, "person": {"王五"},
		"measures": {"加装喷淋设施，硬化道路"}, "mode": {"限时整改"}, "deadline": {"2026年12月20日"}}
	resp, page := b.post(action, form)
	if resp.StatusCode != 409 {
		t.Fatalf("stale save: %d", resp.StatusCode)
	}
	stale := regexp.MustCompile(`(?s)<table class="stale">.*?</table>`).FindString(page)
	mustHave(t, "stale table", stale, "<td>责任人</td><td>李四</td><td>王五</td><td>liaison_yq")
	mustLack(t, "stale table", stale, "<td>整改措施</td>") // they did not change it
	mustHave(t, "kept input", page, `value="王五"`, ">加装喷淋设施，硬化道路</textarea>", "以新版本再次保存")
	if p := e.current("own"); p.Person != "李四" {
		t.Errorf("the stale save changed the problem: %q", p.Person)
	}
	// The page carries the new version: saving again sets the user's values.
	form.Set("version", hidden(t, page, action))
	if resp, _ = b.post(action, form); resp.StatusCode != 303 {
		t.Fatalf("save again: %d", resp.StatusCode)
	}
	if p := e.current("own"); p.Person != "王五" || p.Measures != "加装喷淋设施，硬化道路" {
		t.Errorf("after saving again: %q %q", p.Person, p.Measures)
	}
}

// TestFormSubmitMissingFine submits a case answer whose handling text
// reports a fine the measures leave out: refused, naming the measure;
// accepted once the proposal is confirmed as a measure.
func TestFormSubmitMissingFine(t *testing.T) {
	e := newCaseEnv(t)
	e.act("coordinator", caseE, "assign", `{"units":["永清镇"]}`)
	e.act("liaison", caseE, "sign", `{}`)
	b := e.browser()
	b.login("liaison_yq")
	path := "/cases/" + strconv.FormatInt(e.kase(caseE).ID, 10)
	_, page := b.get(path)
	action := path + "/actions/submit"
	mustHave(t, "submit form", page, `data-proposals="/api/v1/cases/`+strconv.FormatInt(e.kase(caseE).ID, 10)+`/proposals"`, `src="/static/forms.js"`)
	form := url.Values{"version": {hidden(t, page, action)}, "findings": {"经现场核查，反映情况属实。"}, "verdict": {"属实"},
		"handling": {"已对该汽修厂立案处罚，罚款5万元。"}, "m_kind": {""}, "m_enterprise": {""}, "m_persons": {""}, "m_fine": {""}}
	resp, page := b.post(action, form)
	if resp.StatusCode != 422 {
		t.Fatalf("submit without the fine: %d", resp.StatusCode)
	}
	mustHave(t, "refused", page, "报送的处理措施中没有立案处罚", "罚款5万元", `name="uncounted" value="penalty_case"`, "确认不计入立案处罚",
		">已对该汽修厂立案处罚，罚款5万元。</textarea>")
	if c := e.kase(caseE); c.Status != "investigating" || len(c.Measures) != 0 {
		t.Fatalf("a refused submit changed the case: %s %d", c.Status, len(c.Measures))
	}
	// The proposal confirmed as a measure, with its enterprise and fine.
	form["m_kind"] = []string{"penalty_case"}
	form["m_enterprise"] = []string{"永清镇东关村汽修厂"}
	form["m_persons"] = []string{""}
	form["m_fine"] = []string{"50000.00"}
	if resp, page = b.post(action, form); resp.StatusCode != 303 {
		t.Fatalf("submit with the fine: %d %s", resp.StatusCode, page)
	}
	if c := e.kase(caseE); c.Status != "submitted" || len(c.Measures) != 1 || c.Measures[0].FineYuan != 5000000 {
		t.Errorf("submitted: %+v", c.Measures)
	}
}

// TestFormSubmitUncounted accepts a submit whose reported measure the user
// confirms not to count.
func TestFormSubmitUncounted(t *testing.T) {
	e := newCaseEnv(t)
	e.act("coordinator", caseE, "assign", `{"units":["永清镇"]}`)
	e.act("liaison", caseE, "sign", `{}`)
	b := e.browser()
	b.login("liaison_yq")
	path := "/cases/" + strconv.FormatInt(e.kase(caseE).ID, 10)
	_, page := b.get(path)
	action := path + "/actions/submit"
	form := url.Values{"version": {hidden(t, page, action)}, "findings": {""}, "verdict": {"属实"},
		"handling": {"约谈该厂负责人1人（已由市局约谈，本次不计）。"}}
	resp, page := b.post(action, form)
	if resp.StatusCode != 422 {
		t.Fatalf("two errors: %d", resp.StatusCode)
	}
	// Both the missing findings and the missing 约谈 in one answer.
	mustHave(t, "refused", page, "请填写调查核实情况", "报送的处理措施中没有约谈", "有2处需要修改")
	form.Set("findings", "属实")
	form.Set("uncounted", "interviewed")
	if resp, _ = b.post(action, form); resp.StatusCode != 303 {
		t.Fatalf("confirmed not counted: %d", resp.StatusCode)
	}
	if c := e.kase(caseE); c.Status != "submitted" || len(c.Measures) != 0 {
		t.Errorf("submitted: %s %+v", c.Status, c.Measures)
	}
}

// TestFormsScript serves the forms' script to anyone.
func TestFormsScript(t *testing.T) {
	e := newEnv(t)
	resp, body := e.browser().get("/static/forms.js")
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/javascript") ||
		!strings.Contains(body, "data-picker") || !strings.Contains(body, "data-proposals") {
		t.Errorf("forms.js: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}
