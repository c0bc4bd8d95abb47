package http_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"ducha"
)

// TestClosurePages: the closure works from the pages alone, with no
// JavaScript: a liaison reports progress with a percentage and applies,
// the head signs off, the coordinator signs the levels with an opinion and
// a level's document, and records an objection during the notice; each
// page offers only the forms its reader may use, and shows the entries
// and the closure record.
func TestClosurePages(t *testing.T) {
	e := newEnv(t)
	c, err := e.db.CurrentCampaign(system)
	if err != nil {
		t.Fatal(err)
	}
	rules := c.Rules
	rules.ClosureLevels, rules.PublicityDays, rules.HeadSignoff = []string{"县级", "市级"}, 7, true
	rules.PublicityWorkingDays = false
	if _, err := e.db.UpdateCampaign(system, c.ID, ducha.CampaignUpdate{Version: c.Version, Rules: &rules}); err != nil {
		t.Fatal(err)
	}
	p := e.probs["own"]
	path := "/problems/" + strconv.FormatInt(p.ID, 10)
	version := func() string { return strconv.Itoa(e.current("own").Version) }
	post := func(b *browser, action string, form url.Values) {
		t.Helper()
		form.Set("version", version())
		resp, body := b.post(path+"/actions/"+action, form)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s: %d %s", action, resp.StatusCode, mainOf(body))
		}
	}

	liaison := e.browser()
	liaison.login("liaison_yq")
	resp, body := liaison.post(path+"/actions/progress", url.Values{"version": {version()}, "text": {"完成一半"}, "percent": {"一半"}})
	if resp.StatusCode != 422 || !strings.Contains(body, "整治进度应为0到100之间的整数") || !strings.Contains(body, "完成一半") {
		t.Fatalf("a bad percentage: %d %s", resp.StatusCode, mainOf(body))
	}
	post(liaison, "progress", url.Values{"text": {"已完成围挡"}, "percent": {"40"}})
	_, page := liaison.get(path)
	if !strings.Contains(page, "整治进度40%") || !strings.Contains(mainOf(page), "进展记录") || strings.Contains(page, `action="`+path+`/actions/signoff"`) {
		t.Fatalf("the liaison's page after progress:\n%s", mainOf(page))
	}
	post(liaison, "apply_closure", url.Values{"text": {"整改完成"}})
	if _, page = liaison.get(path); !strings.Contains(page, "待单位主要负责人签发") {
		t.Fatalf("no awaiting badge:\n%s", mainOf(page))
	}

	head := e.browser()
	head.login("head_yq")
	if _, page = head.get(path); !strings.Contains(page, `action="`+path+`/actions/signoff"`) || !strings.Contains(page, `action="`+path+`/actions/return"`) {
		t.Fatalf("the head is not offered sign-off and return:\n%s", mainOf(page))
	}
	post(head, "signoff", url.Values{})

	coord := e.browser()
	coord.login("coord")
	if err := e.db.AddAttachment(system, &ducha.Attachment{ProblemID: p.ID, Name: "县级验收意见.pdf", Data: []byte("%PDF-1.4 验收")}); err != nil {
		t.Fatal(err)
	}
	_, page = coord.get(path)
	if !strings.Contains(page, "本次签署：县级验收") || !strings.Contains(page, `name="document"`) {
		t.Fatalf("the verify form:\n%s", mainOf(page))
	}
	atts := e.current("own")
	full, err := e.db.FindProblemByID(system, atts.ID)
	if err != nil || len(full.Attachments) == 0 {
		t.Fatalf("attachments: %v", err)
	}
	doc := strconv.FormatInt(full.Attachments[len(full.Attachments)-1].ID, 10)
	post(coord, "verify", url.Values{"level": {"县级"}, "opinion": {"整改到位"}, "document": {doc}})
	resp, body = coord.post(path+"/actions/verify", url.Values{"version": {version()}, "level": {"县级"}})
	if resp.StatusCode != 409 || !strings.Contains(body, "县级验收已于") {
		t.Fatalf("县级 signed twice from a stale form: %d %s", resp.StatusCode, mainOf(body))
	}
	post(coord, "verify", url.Values{"level": {"市级"}, "opinion": {"同意"}})
	_, page = coord.get(path)
	for _, want := range []string{"公示中", "县级验收：coord于", "（整改到位）", "/api/v1/attachments/" + doc, "市级验收：coord于",
		"/public/closure/" + strconv.FormatInt(p.ID, 10), `action="` + path + `/actions/object"`} {
		if !strings.Contains(page, want) {
			t.Fatalf("the coordinator's page in notice lacks %q:\n%s", want, mainOf(page))
		}
	}
	if strings.Contains(page, `action="`+path+`/actions/verify"`) {
		t.Fatal("verify offered during the notice")
	}
	post(coord, "object", url.Values{"text": {"群众反映仍有扬尘"}})
	_, page = coord.get(path)
	if !strings.Contains(page, "整改中") || !strings.Contains(page, "此前一轮验收因“公示异议”结束") {
		t.Fatalf("after the objection:\n%s", mainOf(page))
	}
	// Readers are offered none of it.
	leader := e.browser()
	leader.login("leader")
	if _, page = leader.get(path); strings.Contains(page, "/actions/") {
		t.Fatal("the leader is offered a form")
	}
}
