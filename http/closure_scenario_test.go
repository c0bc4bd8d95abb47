package http_test

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"ducha"
)

// TestClosureScenario walks one problem from a self-inspection to 销号
// through the API, as the county works: the finding becomes a problem,
// the unit plans it and reports quarterly, applies for closure, its head
// signs off, three levels accept it, a notice of 10 working days runs over
// a holiday, an objection sends it back, a second notice runs, and the
// escalation pass closes it when that notice ends. The public notice page
// is checked at each step: absent, present with the usual form, absent.
func TestClosureScenario(t *testing.T) {
	e := newEnv(t)
	e.srv.Duties = e.db
	must := func(status int, method, path, role, body string) string {
		t.Helper()
		resp, got := e.api(method, path, role, body)
		if resp.StatusCode != status {
			t.Fatalf("%s %s as %s: %d %s", method, path, role, resp.StatusCode, got)
		}
		return got
	}
	field := func(body, key string) any {
		t.Helper()
		var m map[string]any
		if err := json.Unmarshal([]byte(body), &m); err != nil {
			t.Fatalf("%v: %s", err, body)
		}
		return m[key]
	}
	// public is the public notice of the problem: its status and page.
	public := func(id string) (int, string) {
		resp, body := e.api("GET", "/public/closure/"+id, "", "")
		return resp.StatusCode, body
	}
	publicList := func() string {
		_, body := e.api("GET", "/public/closure", "", "")
		return body
	}

	// The rules: three levels, the head's sign-off, a notice of 10
	// working days; a holiday on Monday and Tuesday 2027-01-11/12.
	camp := must(200, "GET", "/api/v1/campaigns", "admin", "")
	var camps struct {
		Items []ducha.Campaign `json:"items"`
	}
	if err := json.Unmarshal([]byte(camp), &camps); err != nil || len(camps.Items) == 0 {
		t.Fatalf("campaigns: %v %s", err, camp)
	}
	c := camps.Items[0]
	must(200, "PATCH", fmt.Sprintf("/api/v1/campaigns/%d", c.ID), "admin", fmt.Sprintf(`{"version":%d,"holidays":"2027-01-11,2027-01-12",
		"rules":{"closure_levels":["县级","市级","省级"],"publicity_days":10,"publicity_working_days":true,"head_signoff":true,
		"publicity_office":"县督察整改工作领导小组办公室","publicity_phone":"0938-6612345"}}`, c.Version))

	// The self-inspection: one duty of two found wanting.
	body, ct := multipartFile(t, "责任清单.csv", []byte("序号,责任单位,职责事项,依据\n1,永清镇,负责辖区建筑工地扬尘管控,《大气污染防治法》\n2,永清镇,负责河道保洁,\n"))
	if resp, got := e.api("POST", "/api/v1/duties", "coordinator", body, "Content-Type", ct); resp.StatusCode != 200 {
		t.Fatalf("duties: %d %s", resp.StatusCode, got)
	}
	insp := must(201, "POST", "/api/v1/inspections", "liaison", `{}`)
	var in ducha.Inspection
	if err := json.Unmarshal([]byte(insp), &in); err != nil || len(in.Items) != 2 {
		t.Fatalf("inspection: %v %s", err, insp)
	}
	base := "/api/v1/inspections/" + strconv.FormatInt(in.ID, 10)
	must(200, "POST", fmt.Sprintf("%s/items/%d", base, in.Items[0].Duty.ID), "liaison",
		`{"complied":false,"finding":"城区三处建筑工地未落实扬尘防治六个百分之百","mode":"限时整改","deadline":"2027-06-30"}`)
	must(200, "POST", fmt.Sprintf("%s/items/%d", base, in.Items[1].Duty.ID), "liaison", `{"complied":true}`)
	sub := must(200, "POST", base+"/actions/submit", "liaison", `{}`)
	if err := json.Unmarshal([]byte(sub), &in); err != nil || len(in.Problems) != 1 {
		t.Fatalf("submit: %v %s", err, sub)
	}
	id := strconv.FormatInt(in.Problems[0].ID, 10)
	pp := "/api/v1/problems/" + id
	if got := must(200, "GET", pp, "liaison", ""); !strings.Contains(got, `"source":"自查发现"`) || !strings.Contains(got, `"status":"registered"`) {
		t.Fatalf("the finding's problem: %s", got)
	}

	// The unit plans it and reports: 30% in December, 55% in January.
	must(200, "POST", pp+"/actions/plan", "liaison", `{"person":"王建军","measures":"覆盖防尘网、设置喷淋、车辆冲洗","target":"工地扬尘防治全部达标"}`)
	must(200, "POST", pp+"/actions/progress", "liaison", `{"text":"三处工地已覆盖防尘网","percent":30}`)
	e.clock.Add(26 * 24 * time.Hour) // 2027-01-05
	got := must(200, "POST", pp+"/actions/progress", "liaison", `{"text":"喷淋设施安装完毕","percent":55}`)
	if !strings.Contains(got, `"latest_progress":"喷淋设施安装完毕"`) || !strings.Contains(got, `"behind_schedule":false`) {
		t.Fatalf("after January's entry: %s", got)
	}
	if n := len(field(got, "progress").([]any)); n != 2 {
		t.Fatalf("%d progress entries", n)
	}
	if got := must(200, "GET", "/api/v1/problems?schedule=behind", "coordinator", ""); !strings.Contains(got, `"total":0`) {
		t.Fatalf("behind schedule in January: %s", got)
	}
	e.clock.Add(2 * 24 * time.Hour) // 2027-01-07, a Thursday

	// The application waits for the head; the coordinator cannot verify yet.
	got = must(200, "POST", pp+"/actions/apply_closure", "liaison", `{"text":"三处工地已全部落实扬尘防治措施，经复查达标"}`)
	if field(got, "awaiting_signoff") != true {
		t.Fatalf("not awaiting the head: %s", got)
	}
	must(409, "POST", pp+"/actions/verify", "coordinator", `{}`)
	must(403, "POST", pp+"/actions/signoff", "liaison", `{}`)
	must(200, "POST", pp+"/actions/signoff", "head", `{}`)
	if status, _ := public(id); status != 404 {
		t.Fatalf("a public notice before acceptance: %d", status)
	}

	// Three levels; a level signed twice is refused.
	must(200, "POST", pp+"/actions/verify", "coordinator", `{"level":"县级","opinion":"经现场核查，整改到位"}`)
	must(409, "POST", pp+"/actions/verify", "coordinator", `{"level":"县级"}`)
	must(200, "POST", pp+"/actions/verify", "coordinator", `{"level":"市级","opinion":"同意"}`)
	if status, _ := public(id); status != 404 {
		t.Fatalf("a public notice before the last level: %d", status)
	}
	got = must(200, "POST", pp+"/actions/verify", "coordinator", `{"level":"省级","opinion":"同意销号"}`)
	if field(got, "status") != "publicity" {
		t.Fatalf("after three levels: %s", got)
	}
	// 01-07 … over the holiday: 7, 8, 13, 14, 15, 18, 19, 20, 21, 22.
	status, page := public(id)
	for _, want := range []string{"城区三处建筑工地未落实扬尘防治", "工地扬尘防治全部达标", "覆盖防尘网、设置喷淋、车辆冲洗",
		"三处工地已全部落实扬尘防治措施", "县级验收于2027年1月7日通过（经现场核查，整改到位）", "省级验收于2027年1月7日通过",
		"2027年1月7日至2027年1月22日（共10个工作日）", "县督察整改工作领导小组办公室", "0938-6612345", "永清镇"} {
		if status != 200 || !strings.Contains(page, want) {
			t.Fatalf("public notice: %d, lacks %q:\n%s", status, want, page)
		}
	}
	for _, internal := range []string{"王建军", "liaison_yq", "head_yq", "coord", "喷淋设施安装完毕"} {
		if strings.Contains(page, internal) {
			t.Fatalf("the public notice shows %q", internal)
		}
	}
	code := field(got, "code").(string)
	if !strings.Contains(publicList(), code) {
		t.Fatalf("the public list lacks %s", code)
	}
	if resp, text := e.api("GET", "/public/closure/"+id+"/text", "", ""); resp.StatusCode != 200 ||
		!strings.Contains(text, "公示时间：2027年1月7日至2027年1月22日（共10个工作日）") || !strings.Contains(text, "监督电话：0938-6612345") {
		t.Fatalf("notice text: %d %s", resp.StatusCode, text)
	}

	// An objection on the 13th sends it back; the notice is withdrawn.
	e.clock.Add(6 * 24 * time.Hour)
	must(403, "POST", pp+"/actions/object", "liaison", `{"text":"x"}`)
	got = must(200, "POST", pp+"/actions/object", "coordinator", `{"text":"群众来电反映工地夜间仍有扬尘"}`)
	if field(got, "status") != "in_progress" || !strings.Contains(got, "工地夜间仍有扬尘") {
		t.Fatalf("after the objection: %s", got)
	}
	if status, _ := public(id); status != 404 || strings.Contains(publicList(), code) {
		t.Fatalf("the notice stays after an objection: %d", status)
	}
	events := must(200, "GET", pp+"/events", "liaison", "")
	if !strings.Contains(events, `"action":"object"`) || !strings.Contains(events, "验收重新开始") {
		t.Fatalf("history after the objection: %s", events)
	}

	// A second round: apply, sign off, three levels; a new notice.
	must(200, "POST", pp+"/actions/apply_closure", "liaison", `{"text":"夜间停止土方作业，加装围挡喷淋"}`)
	must(200, "POST", pp+"/actions/signoff", "head", `{}`)
	for _, level := range []string{"县级", "市级", "省级"} {
		must(200, "POST", pp+"/actions/verify", "coordinator", fmt.Sprintf(`{"level":%q}`, level))
	}
	// 01-13 …: 13, 14, 15, 18, 19, 20, 21, 22, 25, 26.
	if status, page := public(id); status != 200 || !strings.Contains(page, "2027年1月13日至2027年1月26日（共10个工作日）") ||
		!strings.Contains(page, "夜间停止土方作业") || strings.Contains(page, "三处工地已全部落实") {
		t.Fatalf("second notice: %d\n%s", status, page)
	}

	// On its last day the pass leaves it; the next day it closes it.
	e.clock.Add(13 * 24 * time.Hour) // 01-26
	if _, _, err := e.db.Supervise(system, ""); err != nil {
		t.Fatal(err)
	}
	if got := must(200, "GET", pp, "coordinator", ""); field(got, "status") != "publicity" {
		t.Fatalf("closed on the notice's last day: %s", got)
	}
	e.clock.Add(24 * time.Hour) // 01-27
	if _, _, err := e.db.Supervise(system, ""); err != nil {
		t.Fatal(err)
	}
	got = must(200, "GET", pp, "coordinator", "")
	if field(got, "status") != "closed" {
		t.Fatalf("not closed after the notice: %s", got)
	}
	closure := field(got, "closure").(map[string]any)
	if len(closure["levels"].([]any)) != 3 || len(closure["earlier"].([]any)) != 1 {
		t.Fatalf("closure record: %v", closure)
	}
	if status, _ := public(id); status != 404 || strings.Contains(publicList(), code) {
		t.Fatalf("a closed problem's notice: %d", status)
	}
	if events := must(200, "GET", pp+"/events", "coordinator", ""); !strings.Contains(events, `"action":"end_publicity"`) {
		t.Fatalf("no end of the notice in the history: %s", events)
	}
}
