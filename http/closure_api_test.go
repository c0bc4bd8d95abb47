package http_test

import (
	"net/http"
	"testing"

	"ducha"
)

// TestClosureAPIScenarios: the sign-off, objection and schedule routes ×
// role × own/other unit, and the public notice with no login. The
// campaign asks for the head's sign-off and a notice of 5 days.
func TestClosureAPIScenarios(t *testing.T) {
	e := newEnv(t)
	e.srv.Inbox = e.db
	c, err := e.db.CurrentCampaign(system)
	if err != nil {
		t.Fatal(err)
	}
	rules := c.Rules
	rules.HeadSignoff, rules.PublicityDays, rules.PublicityWorkingDays = true, 5, false
	if _, err := e.db.UpdateCampaign(system, c.ID, ducha.CampaignUpdate{Version: c.Version, Rules: &rules}); err != nil {
		t.Fatal(err)
	}
	var table []scenario
	add := func(roles []string, method, path, body string, status int, want []string, absent ...string) {
		for _, r := range roles {
			table = append(table, scenario{r, method, path, body, status, want, absent})
		}
	}
	notFound := []string{`"code":"not_found"`, `"message":"问题不存在"`}
	forbidden := []string{`"code":"forbidden"`}
	readers := []string{"discipline", "leader"}

	// Nobody logged in acts on nothing.
	for _, a := range []string{"signoff", "object"} {
		add([]string{""}, "POST", "/api/v1/problems/{own}/actions/"+a, `{}`, 401, []string{`"code":"unauthorized"`})
	}

	// The liaison applies; the application waits for the head.
	add([]string{"liaison"}, "POST", "/api/v1/problems/{own}/actions/apply_closure", `{"text":"整改完成"}`, 200,
		[]string{`"status":"pending_verification"`, `"awaiting_signoff":true`})
	add([]string{"coordinator"}, "POST", "/api/v1/problems/{own}/actions/verify", `{}`, 409, []string{"尚待单位主要负责人签发"})
	add(append([]string{"admin", "coordinator", "liaison"}, readers...), "POST", "/api/v1/problems/{own}/actions/signoff", `{}`, 403, forbidden)
	add([]string{"liaison_b"}, "POST", "/api/v1/problems/{own}/actions/signoff", `{}`, 404, notFound)
	add([]string{"head"}, "POST", "/api/v1/problems/{other}/actions/signoff", `{}`, 404, notFound)
	add([]string{"head"}, "POST", "/api/v1/problems/{coop}/actions/signoff", `{}`, 403, forbidden) // a cooperating unit's head
	add([]string{"head"}, "POST", "/api/v1/problems/{own}/actions/signoff", `{}`, 200, []string{`"awaiting_signoff":false`, `"signoff":{"by":"head_yq"`})
	add([]string{"head"}, "POST", "/api/v1/problems/{own}/actions/signoff", `{}`, 409, []string{"没有待签发"})
	add([]string{"head"}, "POST", "/api/v1/problems/{own}/actions/return", `{"reason":"x"}`, 403, forbidden) // nothing waits for it now
	add([]string{""}, "GET", "/public/closure/{own}", "", 404, nil)

	// The one level; then the notice of 5 calendar days.
	add([]string{"coordinator"}, "POST", "/api/v1/problems/{own}/actions/verify", `{"level":"市级"}`, 400, []string{`"fields":{"level"`})
	add([]string{"coordinator"}, "POST", "/api/v1/problems/{own}/actions/verify", `{"opinion":"同意"}`, 200,
		[]string{`"status":"publicity"`, `"publicity":{"from":"2026-12-10","to":"2026-12-14","days":5`})
	add([]string{"coordinator"}, "GET", "/api/v1/problems?status=publicity", "", 200, []string{`"total":1`, "{code:own}"})
	add([]string{"liaison_b"}, "GET", "/api/v1/problems?status=publicity", "", 200, []string{`"total":0`}, "{code:own}")
	add([]string{""}, "GET", "/public/closure/{own}", "", 200, []string{"2026年12月10日至2026年12月14日（共5天）", "永清镇砖厂扬尘污染"}, "张三")
	add([]string{""}, "GET", "/public/closure/{other}", "", 404, nil)
	add([]string{""}, "GET", "/public/closure/abc", "", 404, nil)
	add([]string{""}, "GET", "/public/closure/{own}/text", "", 200, []string{"公示时间：2026年12月10日至2026年12月14日（共5天）"})
	add([]string{""}, "GET", "/api/v1/public/closure", "", 200, []string{`"total":1`, `"code":"{code:own}"`, `"period":"2026年12月10日至2026年12月14日（共5天）"`}, "张三", `"objections"`, `"by"`)

	// Objections: the coordinator's, during the notice, with its text.
	add(append([]string{"liaison", "head"}, readers...), "POST", "/api/v1/problems/{own}/actions/object", `{"text":"x"}`, 403, forbidden)
	add([]string{"liaison_b"}, "POST", "/api/v1/problems/{own}/actions/object", `{"text":"x"}`, 404, notFound)
	add([]string{"coordinator"}, "POST", "/api/v1/problems/{own}/actions/object", `{}`, 400, []string{`"fields":{"text"`})
	add([]string{"coordinator"}, "POST", "/api/v1/problems/{other}/actions/object", `{"text":"x"}`, 409, []string{`"code":"conflict"`})
	add([]string{"admin"}, "POST", "/api/v1/problems/{own}/actions/object", `{"text":"群众反映仍有扬尘"}`, 200,
		[]string{`"status":"in_progress"`, `"ended":"公示异议"`, `"return_reason":"公示期间收到异议：群众反映仍有扬尘"`})
	add([]string{""}, "GET", "/public/closure/{own}", "", 404, nil)
	add([]string{"liaison"}, "GET", "/api/v1/inbox", "", 200, []string{`"kind":"returned"`})

	// The schedule filter.
	add([]string{"coordinator", "liaison"}, "GET", "/api/v1/problems?schedule=behind", "", 200, []string{`"total":0`})
	add([]string{"coordinator"}, "GET", "/api/v1/problems?schedule=late", "", 400, []string{`"fields":{"schedule"`})
	add([]string{"liaison"}, "POST", "/api/v1/problems/{own}/actions/progress", `{"text":"x","percent":120}`, 400, []string{`"fields":{"percent"`})
	add([]string{"liaison"}, "POST", "/api/v1/problems/{own}/actions/progress", `{"text":"完成一半","percent":50}`, 200,
		[]string{`"progress":[{"id":`, `"text":"完成一半","percent":50`, `"progress_percent":50`})

	runScenarios(t, e, table, func(s string) string { return e.expand(s) }, func(t *testing.T, name, path string, resp *http.Response, body string) {})
}

// TestCaseSignoffScenarios: a case's head sign-off × role × own/other
// unit, where the campaign asks for it.
func TestCaseSignoffScenarios(t *testing.T) {
	e := newCaseEnv(t)
	c, err := e.db.CurrentCampaign(system)
	if err != nil {
		t.Fatal(err)
	}
	rules := c.Rules
	rules.HeadSignoff = true
	if _, err := e.db.UpdateCampaign(system, c.ID, ducha.CampaignUpdate{Version: c.Version, Rules: &rules}); err != nil {
		t.Fatal(err)
	}
	cases, _, err := e.db.FindCases(system, ducha.CaseFilter{Batch: 3, Limit: 2})
	if err != nil || len(cases) < 2 {
		t.Fatalf("cases: %v", err)
	}
	own, other := cases[0].AcceptanceNo, cases[1].AcceptanceNo
	var table []scenario
	add := func(roles []string, method, path, body string, status int, want []string, absent ...string) {
		for _, r := range roles {
			table = append(table, scenario{r, method, path, body, status, want, absent})
		}
	}
	forbidden := []string{`"code":"forbidden"`}
	notFound := []string{`"code":"not_found"`}
	act := func(no, a string) string { return "/api/v1/cases/" + no + "/actions/" + a }
	add([]string{""}, "POST", act(own, "signoff"), `{}`, 401, []string{`"code":"unauthorized"`})
	add([]string{"coordinator"}, "POST", act(own, "assign"), `{"units":["永清镇"]}`, 200, []string{`"status":"assigned"`})
	add([]string{"coordinator"}, "POST", act(other, "assign"), `{"units":["林城镇"]}`, 200, []string{`"status":"assigned"`})
	add([]string{"liaison"}, "POST", act(own, "sign"), `{}`, 200, []string{`"status":"investigating"`})
	submit := `{"findings":"经查属实","verdict":"属实","handling":"已责令整改"}`
	add([]string{"liaison"}, "POST", act(own, "submit"), submit, 200, []string{`"status":"investigating"`, `"awaiting_signoff":true`})
	add([]string{"coordinator"}, "POST", act(own, "accept"), `{"status":"closed"}`, 409, []string{`"code":"conflict"`})
	add([]string{"admin", "coordinator", "liaison", "discipline", "leader"}, "POST", act(own, "signoff"), `{}`, 403, forbidden)
	add([]string{"liaison_b"}, "POST", act(own, "signoff"), `{}`, 404, notFound)
	add([]string{"head"}, "POST", act(other, "signoff"), `{}`, 404, notFound)
	add([]string{"head"}, "POST", act(own, "return"), `{}`, 400, []string{`"fields":{"reason"`})
	add([]string{"head"}, "POST", act(own, "return"), `{"reason":"核查不细，请补充现场照片"}`, 200,
		[]string{`"status":"investigating"`, `"return_reason":"核查不细，请补充现场照片"`}, `"awaiting_signoff":true`)
	add([]string{"head"}, "POST", act(own, "signoff"), `{}`, 409, []string{"没有待签发"})
	add([]string{"liaison"}, "POST", act(own, "submit"), submit, 200, []string{`"awaiting_signoff":true`})
	add([]string{"head"}, "POST", act(own, "signoff"), `{}`, 200, []string{`"status":"submitted"`, `"signed_off_by":"head_yq"`})
	add([]string{"coordinator"}, "POST", act(own, "accept"), `{"status":"closed"}`, 200, []string{`"status":"closed"`})
	runScenarios(t, e, table, func(s string) string { return s }, alwaysJSON)
}
