package http_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"ducha"
)

// TestOutboxAPIScenarios: the inbox, the channels and the outbox × every
// role. The inbox is each caller's own, within its unit; channels and the
// outbox are the administrator's, and a channel's secret is never answered.
func TestOutboxAPIScenarios(t *testing.T) {
	e := newEnv(t)
	e.srv.Notices, e.srv.Outbox, e.srv.Inbox = e.db, e.db, e.db
	coord := ducha.NewContextWithUser(context.Background(), e.users["coordinator"])
	own := &ducha.Notice{Kind: ducha.NoticeReminder, ProblemID: e.probs["own"].ID, Text: "请尽快整改并书面答复"}
	if err := e.db.IssueNotice(coord, own); err != nil {
		t.Fatal(err)
	}
	other := &ducha.Notice{Kind: ducha.NoticeReminder, ProblemID: e.probs["other"].ID, Text: "请尽快整改"}
	if err := e.db.IssueNotice(coord, other); err != nil {
		t.Fatal(err)
	}
	ch := &ducha.Channel{Kind: ducha.ChannelDingTalk, Name: "县督察群", URL: "https://oapi.dingtalk.com/robot/send?access_token=tok123",
		Secret: "SECdistinctive-secret"}
	if err := e.db.CreateChannel(system, ch); err != nil {
		t.Fatal(err)
	}
	ids := map[string]string{
		"{own}": strconv.FormatInt(own.ID, 10), "{other}": strconv.FormatInt(other.ID, 10),
		"{ch}": strconv.FormatInt(ch.ID, 10), "{missing}": "999999",
		"{pending}": strconv.FormatInt(e.probs["pending"].ID, 10),
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
	notAdmin := []string{"coordinator", "liaison", "head", "discipline", "leader"}
	forbidden := []string{`"code":"forbidden"`}
	for _, c := range [][2]string{{"GET", "/api/v1/inbox"}, {"GET", "/api/v1/channels"}, {"POST", "/api/v1/channels"},
		{"PATCH", "/api/v1/channels/{ch}"}, {"DELETE", "/api/v1/channels/{ch}"}, {"POST", "/api/v1/channels/{ch}/test"},
		{"GET", "/api/v1/outbox"}, {"POST", "/api/v1/outbox/1/retry"}} {
		add([]string{""}, c[0], c[1], `{}`, 401, []string{`"code":"unauthorized"`})
		if c[1] != "/api/v1/inbox" {
			add(notAdmin, c[0], c[1], `{}`, 403, forbidden, "distinctive")
		}
	}

	// The inbox: a unit's notice to its own people only; the coordinator's
	// rectification to verify.
	add([]string{"liaison", "head"}, "GET", "/api/v1/inbox", "", 200,
		[]string{`"kind":"notice"`, `"notice":{own}`, `"counts":{`, `"notice":1`}, `"notice":{other}`)
	add([]string{"liaison_b"}, "GET", "/api/v1/inbox", "", 200, []string{`"notice":{other}`}, `"kind":"notice","notice":{own},`)
	add([]string{"coordinator", "admin"}, "GET", "/api/v1/inbox", "", 200, []string{`"kind":"to_verify"`, `"problem":{pending}`, `"total":1`})
	add([]string{"coordinator"}, "GET", "/api/v1/inbox?count=1", "", 200, []string{`"items":[]`, `"total":1`})
	add([]string{"leader", "discipline"}, "GET", "/api/v1/inbox", "", 200, []string{`"items":[]`, `"total":0`})

	// Channels: never the secret or the token back.
	add([]string{"admin"}, "GET", "/api/v1/channels", "", 200, []string{`"name":"县督察群"`, `"secret_set":true`}, "distinctive-secret", `"secret":`)
	add([]string{"admin"}, "POST", "/api/v1/channels", `{"kind":"sms","name":"x","url":"https://a.example"}`, 400, []string{`"fields":{"kind"`})
	add([]string{"admin"}, "POST", "/api/v1/channels", `{"kind":"email","name":"邮件"}`, 400, []string{`"fields":{"to"`})
	add([]string{"admin"}, "POST", "/api/v1/channels", `{"kind":"email","name":"邮件","to":["not an address"]}`, 400, []string{`"fields":{"to"`, "第1个收件地址"})
	add([]string{"admin"}, "POST", "/api/v1/channels", `{"kind":"wecom","name":"群","url":"ftp://x"}`, 400, []string{`"fields":{"url"`})
	add([]string{"admin"}, "POST", "/api/v1/channels", `{"kind":"webhook","name":"平台","url":"https://hook.example/in","units":["不存在的单位"]}`, 400, []string{`"fields":{"units"`})
	add([]string{"admin"}, "POST", "/api/v1/channels", `{"kind":"webhook","name":"平台","url":"https://hook.example/in","events":["bogus"]}`, 400, []string{`"fields":{"events"`})
	add([]string{"admin"}, "POST", "/api/v1/channels", `{"kind":"feishu","name":"飞书群","url":"https://open.feishu.cn/open-apis/bot/v2/hook/x","secret":"fs-distinctive","units":["永清镇"],"events":["notice","digest"]}`,
		201, []string{`"kind":"feishu"`, `"secret_set":true`, `"events":["digest","notice"]`, `"version":1`}, "fs-distinctive")
	add([]string{"admin"}, "PATCH", "/api/v1/channels/{ch}", `{"name":"新名"}`, 400, []string{`"fields":{"version"`})
	add([]string{"admin"}, "PATCH", "/api/v1/channels/{ch}", `{"name":"新名","version":9}`, 409, []string{`"code":"conflict"`})
	add([]string{"admin"}, "PATCH", "/api/v1/channels/{ch}", `{"kind":"wecom","version":1}`, 400, []string{`"fields":{"kind"`})
	add([]string{"admin"}, "PATCH", "/api/v1/channels/{ch}", `{"name":"县督察工作群","keyword":"督察","version":1}`, 200,
		[]string{`"name":"县督察工作群"`, `"keyword":"督察"`, `"version":2`, `"secret_set":true`}, "distinctive-secret")
	add([]string{"admin"}, "PATCH", "/api/v1/channels/{missing}", `{"name":"x","version":1}`, 404, []string{`"code":"not_found"`})

	// A test message, then the outbox shows it, and a pending one cannot
	// be retried.
	add([]string{"admin"}, "POST", "/api/v1/channels/{ch}/test", `{}`, 202, []string{`"event":"test"`, `"status":"pending"`, `"channel":"县督察工作群"`}, "distinctive-secret")
	add([]string{"admin"}, "GET", "/api/v1/outbox?status=pending", "", 200, []string{`"event":"test"`, `"attempts":0`}, "distinctive-secret", "tok123")
	add([]string{"admin"}, "GET", "/api/v1/outbox?status=bogus", "", 400, []string{`"fields":{"status"`})
	add([]string{"admin"}, "POST", "/api/v1/outbox/{missing}/retry", `{}`, 404, []string{`"code":"not_found"`})
	add([]string{"admin"}, "DELETE", "/api/v1/channels/{ch}", ``, 204, nil)
	add([]string{"admin"}, "DELETE", "/api/v1/channels/{ch}", ``, 404, []string{`"code":"not_found"`})
	add([]string{"admin"}, "GET", "/api/v1/outbox?status=failed", "", 200, []string{`"last_error":"渠道已删除"`})

	runScenarios(t, e, table, expand, func(t *testing.T, name, path string, resp *http.Response, body string) {
		if resp.StatusCode != http.StatusNoContent { // a channel deleted answers nothing
			alwaysJSON(t, name, path, resp, body)
		}
	})
}
