package http_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"ducha"
)

// TestNoticeAPIScenarios: every notice route × role × own/other unit. A
// unit role sees its own unit's notices only, and another unit's notice
// answers 404 exactly like a missing one; the unit signs for and answers,
// the coordinator issues and closes.
func TestNoticeAPIScenarios(t *testing.T) {
	e := newEnv(t)
	e.srv.Notices = e.db
	coord := ducha.NewContextWithUser(context.Background(), e.users["coordinator"])
	issue := func(p *ducha.Problem) *ducha.Notice {
		n := &ducha.Notice{Kind: ducha.NoticeReminder, ProblemID: p.ID, Text: "请尽快整改并书面答复"}
		if err := e.db.IssueNotice(coord, n); err != nil {
			t.Fatalf("issue: %v", err)
		}
		return n
	}
	own, other := issue(e.probs["own"]), issue(e.probs["other"])
	ids := map[string]string{
		"{own}": strconv.FormatInt(own.ID, 10), "{other}": strconv.FormatInt(other.ID, 10),
		"{no:own}": own.No, "{no:other}": other.No, "{missing}": "999999",
		"{problem:pending}": strconv.FormatInt(e.probs["pending"].ID, 10),
		"{unit:林城镇}":        strconv.FormatInt(e.units["林城镇"].ID, 10),
	}
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

	for _, c := range [][2]string{{"GET", "/api/v1/notices"}, {"GET", "/api/v1/notices/{own}"}, {"POST", "/api/v1/notices"},
		{"POST", "/api/v1/notices/{own}/actions/sign"}, {"GET", "/api/v1/notices/{own}/events"}} {
		add([]string{""}, c[0], c[1], `{}`, 401, []string{`"code":"unauthorized"`})
	}

	// Reading: the county sees both; a unit its own only, however it asks.
	add(unscoped, "GET", "/api/v1/notices", "", 200, []string{`"total":2`, "{no:own}", "{no:other}", `"issued_by":"coord"`})
	add(scoped, "GET", "/api/v1/notices", "", 200, []string{`"total":1`, "{no:own}", `"unit":"永清镇"`}, "{no:other}")
	add([]string{"liaison_b"}, "GET", "/api/v1/notices", "", 200, []string{`"total":1`, "{no:other}"}, "{no:own}")
	add(scoped, "GET", "/api/v1/notices?unit={unit:林城镇}", "", 200, []string{`"total":0`}, "{no:other}")
	add(unscoped, "GET", "/api/v1/notices?unit={unit:林城镇}", "", 200, []string{`"total":1`, "{no:other}"})
	add([]string{"coordinator"}, "GET", "/api/v1/notices?status=bogus", "", 400, []string{`"fields":{"status"`})
	add([]string{"coordinator"}, "GET", "/api/v1/notices?kind=bogus", "", 400, []string{`"fields":{"kind"`})
	add([]string{"coordinator"}, "GET", "/api/v1/notices?problem=x", "", 400, []string{`"fields":{"problem"`})
	add(everyRole, "GET", "/api/v1/notices/{own}", "", 200, []string{`"id":{own}`, `"kind":"reminder"`, `"status":"issued"`})
	add(scoped, "GET", "/api/v1/notices/{other}", "", 404, notFound, "林城镇")
	add(everyRole, "GET", "/api/v1/notices/{missing}", "", 404, notFound)
	add(scoped, "GET", "/api/v1/notices/{other}/events", "", 404, notFound)

	// Issuing by hand: the coordinator (and the administrator) only.
	body := `{"kind":"supervision","problem":{problem:pending},"text":"请于期限内整改到位"}`
	add([]string{"liaison", "head", "discipline", "leader"}, "POST", "/api/v1/notices", body, 403, forbidden)
	add([]string{"coordinator"}, "POST", "/api/v1/notices", body, 201, []string{`"kind":"supervision"`, `"no":"清督办〔2026〕1号"`, `"unit":"永清镇"`})
	add([]string{"coordinator"}, "POST", "/api/v1/notices", body, 400, []string{`"fields":{"kind"`, "已有督办单（清督办〔2026〕1号）"})
	add([]string{"coordinator"}, "POST", "/api/v1/notices", `{"kind":"bogus","problem":{problem:pending},"text":"x"}`, 400, []string{`"fields":{"kind"`})
	add([]string{"coordinator"}, "POST", "/api/v1/notices", `{"kind":"listed","problem":{missing},"text":"x"}`, 400, []string{`"fields":{"problem"`})
	add([]string{"coordinator"}, "POST", "/api/v1/notices", `{"kind":"listed","problem":{problem:pending},"text":"x","due":"2026-01-01"}`, 400, []string{`"fields":{"due"`})

	// The unit signs for and answers; the coordinator closes.
	add([]string{"discipline", "leader"}, "POST", "/api/v1/notices/{own}/actions/sign", `{}`, 403, forbidden)
	add([]string{"coordinator"}, "POST", "/api/v1/notices/{own}/actions/sign", `{}`, 403, forbidden)
	add([]string{"liaison_b"}, "POST", "/api/v1/notices/{own}/actions/sign", `{}`, 404, notFound)
	add([]string{"liaison"}, "POST", "/api/v1/notices/{other}/actions/sign", `{}`, 404, notFound)
	add([]string{"liaison"}, "POST", "/api/v1/notices/{own}/actions/bogus", `{}`, 404, notFound)
	add([]string{"liaison"}, "POST", "/api/v1/notices/{own}/actions/sign", `{"version":7}`, 409, []string{`"code":"conflict"`})
	add([]string{"liaison"}, "POST", "/api/v1/notices/{own}/actions/sign", `{}`, 200, []string{`"status":"signed"`, `"version":2`})
	add([]string{"head"}, "POST", "/api/v1/notices/{own}/actions/answer", `{"text":"  "}`, 400, []string{`"fields":{"text"`})
	add([]string{"head"}, "POST", "/api/v1/notices/{own}/actions/answer", `{"text":"已完成围挡和喷淋"}`, 200, []string{`"status":"answered"`, `"answer":"已完成围挡和喷淋"`})
	add(scoped, "POST", "/api/v1/notices/{own}/actions/close", `{}`, 403, forbidden)
	add([]string{"coordinator"}, "POST", "/api/v1/notices/{own}/actions/close", `{"text":"答复属实"}`, 200, []string{`"status":"closed"`, `"close_note":"答复属实"`})
	add([]string{"coordinator"}, "POST", "/api/v1/notices/{own}/actions/close", `{}`, 409, []string{`"code":"conflict"`})
	add(scoped, "GET", "/api/v1/notices/{own}/events", "", 200, []string{`"action":"issue"`, `"action":"sign"`, `"action":"answer"`, `"action":"close"`})

	runScenarios(t, e, table, expand, alwaysJSON)
}
