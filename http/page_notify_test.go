package http_test

import (
	"context"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"ducha"
	dhttp "ducha/http"
)

// notifyEnv is newEnv with the notices, the inbox and the outbox served.
func notifyEnv(t *testing.T) *env {
	t.Helper()
	e := newEnv(t)
	e.srv.Notices, e.srv.Outbox, e.srv.Inbox = e.db, e.db, e.db
	return e
}

// issueAs issues a reminder on a problem as the coordinator.
func (e *env) issueAs(p *ducha.Problem, text string) *ducha.Notice {
	e.t.Helper()
	coord := ducha.NewContextWithUser(context.Background(), e.users["coordinator"])
	n := &ducha.Notice{Kind: ducha.NoticeReminder, ProblemID: p.ID, Text: text}
	if err := e.db.IssueNotice(coord, n); err != nil {
		e.t.Fatalf("issue: %v", err)
	}
	return n
}

func (e *env) notice(id int64) *ducha.Notice {
	e.t.Helper()
	n, err := e.db.FindNoticeByID(system, id)
	if err != nil {
		e.t.Fatalf("notice %d: %v", id, err)
	}
	return n
}

func idPath(prefix string, id int64, suffix string) string {
	return prefix + strconv.FormatInt(id, 10) + suffix
}

// The list shows a unit its own notices only and the coordinator all,
// with the issue form for the coordinator alone; a bad filter says why.
func TestNoticeListPage(t *testing.T) {
	e := notifyEnv(t)
	own := e.issueAs(e.probs["own"], "请尽快整改砖厂扬尘并书面答复")
	other := e.issueAs(e.probs["other"], "请尽快整改养殖场污水")

	b := e.browser()
	b.login("liaison_yq")
	resp, page := b.get("/notices")
	body := mainOf(page)
	if resp.StatusCode != 200 || !strings.Contains(body, "<h1>督办单</h1>") || !strings.Contains(body, own.No) ||
		strings.Contains(body, other.No) || !strings.Contains(body, "共1张") {
		t.Fatalf("liaison's list: %d %s", resp.StatusCode, body)
	}
	row := regexp.MustCompile(`<td data-label="[^"]+"><a href="/notices/` + strconv.FormatInt(own.ID, 10) + `">` + regexp.QuoteMeta(own.No) +
		`</a></td>\s*<td data-label="[^"]+">催办</td>\s*<td data-label="[^"]+">永清镇</td>\s*<td data-label="[^"]+"><a href="/problems/` + strconv.FormatInt(e.probs["own"].ID, 10) +
		`">问题 #\d+</a></td>\s*<td class="excerpt" title="请尽快整改砖厂扬尘并书面答复" data-label="督办内容">请尽快整改砖厂扬尘并书面答复</td>` +
		`\s*<td data-label="督办原因"><span class="none">—</span></td>\s*<td data-label="下发日期">2026年12月10日</td>` +
		`\s*<td data-label="[^"]+">` + ducha.ChineseDate(own.Due) + `</td>\s*<td data-label="[^"]+"><span class="badge nst-issued">待签收</span></td>`)
	if !row.MatchString(body) {
		t.Errorf("row lacks number, kind, unit, item, text, reason, issued day, due or status: %s", body)
	}
	if strings.Contains(body, `method="post" action="/notices"`) {
		t.Errorf("a liaison is offered the issue form")
	}
	if resp, _ := b.post("/notices", url.Values{"kind": {"reminder"}, "problem": {"1"}, "text": {"x"}}); resp.StatusCode != 403 {
		t.Errorf("liaison issues: %d", resp.StatusCode)
	}

	c := e.browser()
	c.login("coord")
	_, page = c.get("/notices")
	body = mainOf(page)
	if !strings.Contains(body, own.No) || !strings.Contains(body, other.No) || !strings.Contains(body, `method="post" action="/notices"`) {
		t.Fatalf("coordinator's list: %s", body)
	}
	if _, page = c.get("/notices?kind=supervision"); !strings.Contains(mainOf(page), "没有符合条件的督办单") || strings.Contains(mainOf(page), own.No) {
		t.Errorf("kind filter: %s", mainOf(page))
	}
	if _, page = c.get("/notices?status=issued&kind=reminder"); !strings.Contains(mainOf(page), "共2张") {
		t.Errorf("status filter: %s", mainOf(page))
	}
	if resp, page = c.get("/notices?status=bogus"); resp.StatusCode != 400 || !strings.Contains(page, "督办单状态“bogus”无效") {
		t.Errorf("bad status: %d %s", resp.StatusCode, mainOf(page))
	}
	if resp, page = c.get("/notices?page=0"); resp.StatusCode != 400 || !strings.Contains(page, "页码应为正整数") {
		t.Errorf("bad page: %d", resp.StatusCode)
	}

	// Issuing by hand: a refused form keeps the input and names the field.
	pending := strconv.FormatInt(e.probs["pending"].ID, 10)
	form := url.Values{"kind": {"supervision"}, "problem": {pending}, "text": {""}, "due": {""}}
	resp, page = c.post("/notices", form)
	if resp.StatusCode != 400 || !regexp.MustCompile(`required>\s*</textarea>\s*<span class="field-error">请填写督办内容</span>`).MatchString(page) ||
		!strings.Contains(page, `<details class="action" open id="issue">`) || !strings.Contains(page, `name="problem" value="`+pending+`"`) {
		t.Errorf("issue without text: %d %s", resp.StatusCode, mainOf(page))
	}
	form.Set("text", "请于期限内整改到位")
	form.Set("problem", "abc")
	if resp, page = c.post("/notices", form); resp.StatusCode != 400 || !strings.Contains(page, "问题ID应为正整数，收到“abc”") {
		t.Errorf("issue with a bad id: %d %s", resp.StatusCode, mainOf(page))
	}
	form.Set("problem", pending)
	form.Set("due", "2026-01-01")
	if resp, page = c.post("/notices", form); resp.StatusCode != 400 || !strings.Contains(page, "答复期限不能早于今天") {
		t.Errorf("issue due in the past: %d %s", resp.StatusCode, mainOf(page))
	}
	if _, total, _ := e.db.FindNotices(system, ducha.NoticeFilter{}); total != 2 {
		t.Fatalf("a refused form issued a notice: %d", total)
	}
	form.Set("due", "2026-12-18")
	resp, _ = c.post("/notices", form)
	loc := resp.Header.Get("Location")
	if resp.StatusCode != 303 || !regexp.MustCompile(`^/notices/\d+$`).MatchString(loc) {
		t.Fatalf("issue: %d %s", resp.StatusCode, loc)
	}
	resp, page = c.get(loc)
	if resp.StatusCode != 200 || !strings.Contains(page, "已完成：下发督办单") || !strings.Contains(page, "督办通知单") ||
		!strings.Contains(page, "请于期限内整改到位") || !strings.Contains(page, "<dd>2026年12月18日</dd>") {
		t.Errorf("issued notice: %d %s", resp.StatusCode, mainOf(page))
	}

	// Nobody logged in: the login form.
	if resp, _ := e.browser().get("/notices"); resp.StatusCode != 303 || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
		t.Errorf("anonymous: %d", resp.StatusCode)
	}
}

// The unit signs for and answers its notice through the page's forms,
// another unit's liaison finds nothing, and the coordinator closes it.
func TestNoticeDetailPage(t *testing.T) {
	e := notifyEnv(t)
	n := e.issueAs(e.probs["own"], "请尽快整改砖厂扬尘并书面答复")
	path := idPath("/notices/", n.ID, "")

	// Another unit's liaison: as missing as a missing notice, and so are
	// its forms.
	lc := e.browser()
	lc.login("liaison_lc")
	resp, page := lc.get(path)
	resp2, page2 := lc.get("/notices/999999")
	if resp.StatusCode != 404 || resp2.StatusCode != 404 || mainOf(page) != mainOf(page2) || !strings.Contains(page, "督办单不存在") {
		t.Errorf("other unit's notice: %d vs %d %s", resp.StatusCode, resp2.StatusCode, mainOf(page))
	}
	if resp, _ := lc.post(path+"/actions/sign", url.Values{"version": {"1"}}); resp.StatusCode != 404 {
		t.Errorf("other unit signs: %d", resp.StatusCode)
	}

	b := e.browser()
	b.login("liaison_yq")
	resp, page = b.get(path)
	if resp.StatusCode != 200 || !strings.Contains(page, "催办通知单") || !strings.Contains(page, n.No) ||
		!strings.Contains(page, "请尽快整改砖厂扬尘并书面答复") || !strings.Contains(page, `href="/static/notice.css"`) {
		t.Fatalf("liaison's notice: %d %s", resp.StatusCode, mainOf(page))
	}
	for _, a := range []string{"sign", "answer"} {
		if !strings.Contains(page, `action="`+path+`/actions/`+a+`"`) {
			t.Errorf("no %s form", a)
		}
	}
	if strings.Contains(page, "/actions/close") {
		t.Errorf("liaison is offered close")
	}
	if !strings.Contains(page, `<span class="action">下发督办单`) {
		t.Errorf("history lacks the issue: %s", mainOf(page))
	}

	action := path + "/actions/sign"
	resp, _ = b.post(action, url.Values{"version": {hidden(t, page, action)}})
	if resp.StatusCode != 303 || resp.Header.Get("Location") != path {
		t.Fatalf("sign: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, page = b.get(path)
	if !strings.Contains(page, "已完成：签收") || !strings.Contains(page, `nst-signed noprint">已签收`) ||
		strings.Contains(page, `/actions/sign"`) || !strings.Contains(page, `/actions/answer"`) || !strings.Contains(page, `<span class="action">签收`) ||
		!strings.Contains(page, " · liaison_yq（永清镇）</dd>") {
		t.Errorf("after signing: %s", mainOf(page))
	}
	if got := e.notice(n.ID); got.Status != ducha.NoticeSigned || got.SignedBy != "liaison_yq" {
		t.Errorf("signed: %+v", got)
	}

	// An empty answer is refused next to the field, the form open.
	action = path + "/actions/answer"
	version := hidden(t, page, action)
	resp, page = b.post(action, url.Values{"version": {version}, "text": {"  "}})
	if resp.StatusCode != 400 || !strings.Contains(page, `<details class="action" open id="action-answer">`) ||
		!strings.Contains(page, `<span class="field-error">请填写答复内容</span>`) {
		t.Errorf("empty answer: %d %s", resp.StatusCode, mainOf(page))
	}
	// A stale form is a conflict and changes nothing.
	resp, page = b.post(action, url.Values{"version": {"1"}, "text": {"过期的答复"}})
	if resp.StatusCode != 409 || !strings.Contains(page, "已被他人修改") || !strings.Contains(page, ">过期的答复</textarea>") {
		t.Errorf("stale answer: %d %s", resp.StatusCode, mainOf(page))
	}
	if got := e.notice(n.ID); got.Status != ducha.NoticeSigned || got.Answer != "" {
		t.Errorf("a refused answer changed the notice: %+v", got)
	}
	resp, _ = b.post(action, url.Values{"version": {version}, "text": {"已完成围挡和喷淋降尘"}})
	if resp.StatusCode != 303 {
		t.Fatalf("answer: %d", resp.StatusCode)
	}
	_, page = b.get(path)
	if !strings.Contains(page, "已完成：答复") || !strings.Contains(page, `<dd class="pre">已完成围挡和喷淋降尘</dd>`) ||
		strings.Contains(page, "/actions/") {
		t.Errorf("after answering: %s", mainOf(page))
	}

	// The coordinator closes; the unit may not.
	if resp, _ := b.post(path+"/actions/close", url.Values{"version": {"3"}}); resp.StatusCode != 403 {
		t.Errorf("liaison closes: %d", resp.StatusCode)
	}
	c := e.browser()
	c.login("coord")
	_, page = c.get(path)
	if strings.Contains(page, "/actions/sign") || strings.Contains(page, "/actions/answer") {
		t.Errorf("coordinator is offered the unit's forms")
	}
	action = path + "/actions/close"
	resp, _ = c.post(action, url.Values{"version": {hidden(t, page, action)}, "text": {"答复属实，予以关闭"}})
	if resp.StatusCode != 303 {
		t.Fatalf("close: %d", resp.StatusCode)
	}
	_, page = c.get(path)
	if !strings.Contains(page, "已完成：关闭") || !strings.Contains(page, "答复属实，予以关闭") || strings.Contains(page, "/actions/close") {
		t.Errorf("after closing: %s", mainOf(page))
	}
	if got := e.notice(n.ID); got.Status != ducha.NoticeClosed || got.CloseNote != "答复属实，予以关闭" || got.ClosedBy != "coord" {
		t.Errorf("closed: %+v", got)
	}
	if resp, _ := c.post(path+"/actions/bogus", url.Values{"version": {"4"}}); resp.StatusCode != 404 {
		t.Errorf("unknown action: %d", resp.StatusCode)
	}
	// The print stylesheet hides the header and the forms.
	resp, css := c.get("/static/notice.css")
	if resp.StatusCode != 200 || !strings.Contains(css, "@media print") || !strings.Contains(css, "size: A4") ||
		!strings.Contains(css, "header.top, nav, form") {
		t.Errorf("print stylesheet: %d %s", resp.StatusCode, css)
	}
}

// Every page's header counts the user's to-dos, and the inbox lists them
// by kind with links.
func TestInboxPageAndHeaderCount(t *testing.T) {
	e := notifyEnv(t)
	n := e.issueAs(e.probs["own"], "请尽快整改砖厂扬尘并书面答复")
	count := func(key string) int {
		in, err := e.db.Inbox(ducha.NewContextWithUser(context.Background(), e.users[key]), true)
		if err != nil {
			t.Fatal(err)
		}
		return in.Total
	}
	for _, c := range []struct {
		user, key string
		want      []string
	}{
		{"liaison_yq", "liaison", []string{"<h2>督办单 <span class=\"badge\">1</span></h2>", idPath(`<a href="/notices/`, n.ID, `">`)}},
		{"coord", "coordinator", []string{"<h2>待验收 <span class=\"badge\">1</span></h2>", idPath(`<a href="/problems/`, e.probs["pending"].ID, `">`)}},
		{"leader", "leader", []string{"暂无待办事项"}},
	} {
		b := e.browser()
		b.login(c.user)
		total := count(c.key)
		if c.key != "leader" && total == 0 {
			t.Fatalf("%s has nothing to do", c.user)
		}
		header := `<a href="/inbox" class="inbox">待办 (` + strconv.Itoa(total) + `)</a>`
		for _, path := range []string{"/problems", "/notices", "/inbox"} {
			if resp, page := b.get(path); resp.StatusCode != 200 || !strings.Contains(page, header) {
				t.Errorf("%s %s: %d, header lacks %s", c.user, path, resp.StatusCode, header)
			}
		}
		_, page := b.get("/inbox")
		if !strings.Contains(page, "<h1>我的待办</h1>") || !strings.Contains(page, "共"+strconv.Itoa(total)+"项待办") {
			t.Errorf("%s inbox: %s", c.user, mainOf(page))
		}
		for _, w := range c.want {
			if !strings.Contains(page, w) {
				t.Errorf("%s inbox lacks %s: %s", c.user, w, mainOf(page))
			}
		}
	}
	// Answering the notice takes it off the unit's count.
	before := count("liaison")
	if _, err := e.db.ActOnNotice(ducha.NewContextWithUser(context.Background(), e.users["liaison"]), n.ID, "answer", 0, "已整改"); err != nil {
		t.Fatal(err)
	}
	b := e.browser()
	b.login("liaison_yq")
	if _, page := b.get("/problems"); !strings.Contains(page, "待办 ("+strconv.Itoa(before-1)+")") {
		t.Errorf("count after answering: %s", page[:min(len(page), 2000)])
	}
	// Non-admins see no channel link; the admin does.
	if _, page := b.get("/problems"); strings.Contains(page, "/admin/channels") || !strings.Contains(page, `<a href="/notices">督办单</a>`) {
		t.Errorf("liaison's header links")
	}
	a := e.browser()
	a.login("admin")
	if _, page := a.get("/problems"); !strings.Contains(page, `<a href="/admin/channels">通知渠道</a>`) {
		t.Errorf("admin's header has no channel link")
	}

	// A server without these services links to none of them.
	plain := newEnv(t)
	pb := plain.browser()
	pb.login("liaison_yq")
	if _, page := pb.get("/problems"); strings.Contains(page, `href="/inbox"`) || strings.Contains(page, `href="/notices"`) {
		t.Errorf("links to pages that are not served")
	}
	if resp, _ := pb.get("/inbox"); resp.StatusCode != 404 {
		t.Errorf("inbox without the service: %d", resp.StatusCode)
	}
}

// Channels are added, changed, tested and deleted through the page, which
// never shows a secret or a token of an address.
func TestChannelPages(t *testing.T) {
	e := notifyEnv(t)
	b := e.browser()
	b.login("admin")
	const (
		token     = "TOKzz9distinctive0token"
		secret    = "SECdistinctive-secret-42"
		pathToken = "fs0token0distinctive0abc"
		newSecret = "SECsecond-distinctive-77"
	)
	secrets := []string{token, secret, pathToken, newSecret, "access_token"}
	noSecrets := func(what, page string) {
		t.Helper()
		for _, s := range secrets {
			if strings.Contains(page, s) {
				t.Errorf("%s shows %q", what, s)
			}
		}
	}
	yq := strconv.FormatInt(e.units["永清镇"].ID, 10)
	form := url.Values{"kind": {"dingtalk"}, "name": {"县督察群"}, "url": {"https://oapi.dingtalk.com/robot/send?access_token=" + token},
		"secret": {secret}, "keyword": {"督察"}, "units": {yq}, "events": {"notice", "digest"}}
	resp, _ := b.post("/admin/channels", form)
	loc := resp.Header.Get("Location")
	if resp.StatusCode != 303 || !strings.HasPrefix(loc, "/admin/channels?saved=") {
		t.Fatalf("create: %d %s", resp.StatusCode, loc)
	}
	resp, page := b.get(loc)
	noSecrets("list", page)
	if resp.StatusCode != 200 || !strings.Contains(page, "已添加通知渠道 县督察群") || !strings.Contains(page, `<td data-label="类型">钉钉机器人</td>`) ||
		!strings.Contains(page, "<code>https://oapi.dingtalk.com/robot/send?****</code> <span class=\"badge\">已设置密钥</span>") ||
		!strings.Contains(page, `<td data-label="单位">永清镇</td>`) || !strings.Contains(page, `<td data-label="推送事项">督办单、每日提醒</td>`) {
		t.Fatalf("list after create: %d %s", resp.StatusCode, mainOf(page))
	}
	cs, _ := e.db.FindChannels(system)
	if len(cs) != 1 || cs[0].Keyword != "督察" || !slices.Equal(cs[0].Units, []int64{e.units["永清镇"].ID}) || !cs[0].SecretSet {
		t.Fatalf("stored: %+v", cs)
	}
	ch := cs[0]

	// Feishu keeps its token in the path.
	resp, _ = b.post("/admin/channels", url.Values{"kind": {"feishu"}, "name": {"飞书群"},
		"url": {"https://open.feishu.cn/open-apis/bot/v2/hook/" + pathToken}})
	if resp.StatusCode != 303 {
		t.Fatalf("create feishu: %d", resp.StatusCode)
	}
	_, page = b.get("/admin/channels")
	noSecrets("list with feishu", page)
	if !strings.Contains(page, "https://open.feishu.cn/open-apis/bot/v2/hook/****") {
		t.Errorf("feishu address not shown masked: %s", mainOf(page))
	}

	// A refused add names the field, keeps the input, echoes no secret.
	resp, page = b.post("/admin/channels", url.Values{"kind": {"email"}, "name": {"督察邮箱"}, "secret": {newSecret}})
	noSecrets("refused add", page)
	if resp.StatusCode != 400 || !strings.Contains(page, `<span class="field-error">电子邮件渠道至少要有一个收件地址</span>`) ||
		!strings.Contains(page, `name="name" value="督察邮箱"`) {
		t.Errorf("refused add: %d %s", resp.StatusCode, mainOf(page))
	}
	if resp, page = b.post("/admin/channels", url.Values{"kind": {"email"}, "name": {"邮箱"}, "to": {"not an address"}}); resp.StatusCode != 400 ||
		!strings.Contains(page, "第1个收件地址") {
		t.Errorf("bad address: %d", resp.StatusCode)
	}
	if cs, _ := e.db.FindChannels(system); len(cs) != 2 {
		t.Fatalf("a refused form added a channel: %d", len(cs))
	}

	// Change the name with the address and secret left empty: both kept.
	action := idPath("/admin/channels/", ch.ID, "")
	_, page = b.get("/admin/channels")
	upd := url.Values{"version": {versionIn(t, page, action)}, "name": {"县督察工作群"}, "url": {""}, "secret": {""},
		"keyword": {"督察"}, "units": {yq}, "events": {"notice"}}
	resp, _ = b.post(action, upd)
	if resp.StatusCode != 303 {
		t.Fatalf("update: %d", resp.StatusCode)
	}
	_, page = b.get(resp.Header.Get("Location"))
	noSecrets("after update", page)
	if !strings.Contains(page, "已保存通知渠道 县督察工作群 的修改") || !strings.Contains(page, `<td data-label="推送事项">督办单</td>`) {
		t.Errorf("after update: %s", mainOf(page))
	}
	// A stale form again: refused, nothing changed.
	upd.Set("name", "过期")
	if resp, page = b.post(action, upd); resp.StatusCode != 409 || !strings.Contains(page, "县督察工作群：该记录已被他人修改") {
		t.Errorf("stale update: %d %s", resp.StatusCode, mainOf(page))
	}
	// A bad address is refused next to the field.
	_, page = b.get("/admin/channels")
	upd.Set("version", versionIn(t, page, action))
	upd.Set("url", "ftp://files.example/x")
	if resp, page = b.post(action, upd); resp.StatusCode != 400 || !strings.Contains(page, `<span class="field-error">地址必须是 http 或 https 网址`) {
		t.Errorf("bad url: %d %s", resp.StatusCode, mainOf(page))
	}

	// Test: queued, and the sender gets the address and secret unchanged.
	resp, _ = b.post(action+"/test", url.Values{})
	if resp.StatusCode != 303 {
		t.Fatalf("test: %d", resp.StatusCode)
	}
	_, page = b.get(resp.Header.Get("Location"))
	if !strings.Contains(page, "测试消息已排队发送至 县督察工作群") {
		t.Errorf("after test: %s", mainOf(page))
	}
	td := testDelivery(t, e, ch.ID)
	if td.Target.Secret != secret || !strings.HasSuffix(td.Target.URL, token) || td.Target.Name != "县督察工作群" {
		t.Fatalf("test delivery's channel: %+v", td.Target)
	}

	// A new secret replaces the old one; it is not shown either.
	_, page = b.get("/admin/channels")
	upd.Set("version", versionIn(t, page, action))
	upd.Set("url", "")
	upd.Set("name", "县督察工作群")
	upd.Set("secret", newSecret)
	if resp, _ = b.post(action, upd); resp.StatusCode != 303 {
		t.Fatalf("new secret: %d", resp.StatusCode)
	}
	_, page = b.get("/admin/channels")
	noSecrets("after a new secret", page)

	// Delete.
	resp, _ = b.post(action+"/delete", url.Values{})
	if resp.StatusCode != 303 || resp.Header.Get("Location") != "/admin/channels" {
		t.Fatalf("delete: %d", resp.StatusCode)
	}
	_, page = b.get("/admin/channels")
	if !strings.Contains(page, "已完成：删除通知渠道") || strings.Contains(page, "县督察工作群") {
		t.Errorf("after delete: %s", mainOf(page))
	}
	if resp, _ = b.post(action+"/test", url.Values{}); resp.StatusCode != 404 {
		t.Errorf("test a deleted channel: %d", resp.StatusCode)
	}

	// Nobody else reaches these pages.
	for _, user := range []string{"coord", "liaison_yq", "leader"} {
		o := e.browser()
		o.login(user)
		for _, p := range []string{"/admin/channels", "/admin/outbox"} {
			if resp, _ := o.get(p); resp.StatusCode != 403 {
				t.Errorf("%s GET %s: %d", user, p, resp.StatusCode)
			}
		}
		for _, p := range []string{"/admin/channels", action, action + "/delete", action + "/test", "/admin/outbox/1/retry"} {
			if resp, _ := o.post(p, form); resp.StatusCode != 403 {
				t.Errorf("%s POST %s: %d", user, p, resp.StatusCode)
			}
		}
	}
}

// testDelivery claims the deliveries due, as the sender does, and returns
// the test message to channel id among them (the others are the seeded
// problems' hand-overs).
func testDelivery(t *testing.T, e *env, id int64) *ducha.Delivery {
	t.Helper()
	ds, err := e.db.ClaimDeliveries(system, e.clock.Now(), 100)
	if err != nil {
		t.Fatal(err)
	}
	var found *ducha.Delivery
	for _, d := range ds {
		if d.Event == ducha.OutboxTest && d.ChannelID == id {
			if found != nil {
				t.Fatalf("two test deliveries to channel %d", id)
			}
			found = d
		}
	}
	if found == nil {
		t.Fatalf("no test delivery to channel %d among %d", id, len(ds))
	}
	return found
}

// A delivery refused for good shows as failed with its error and is sent
// again from the page.
func TestOutboxPageRetry(t *testing.T) {
	e := notifyEnv(t)
	ch := &ducha.Channel{Kind: ducha.ChannelWebhook, Name: "县平台", URL: "https://hook.example/in"}
	if err := e.db.CreateChannel(system, ch); err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.TestChannel(system, ch.ID); err != nil {
		t.Fatal(err)
	}
	d := testDelivery(t, e, ch.ID)
	if err := e.db.FinishDelivery(system, d.ID, d.Attempts, e.clock.Now(), ducha.DeliveryResult{Err: "HTTP 400 distinctive-refusal"}); err != nil {
		t.Fatal(err)
	}
	b := e.browser()
	b.login("admin")
	retry := idPath("/admin/outbox/", d.ID, "/retry")
	resp, page := b.get("/admin/outbox?status=failed")
	body := mainOf(page)
	if resp.StatusCode != 200 || !strings.Contains(body, "共1条") || !strings.Contains(body, `<span class="badge dst-failed">发送失败</span>`) ||
		!strings.Contains(body, "HTTP 400 distinctive-refusal") || !strings.Contains(body, `action="`+retry+`"`) ||
		!strings.Contains(body, "<td>测试消息</td>") || !strings.Contains(body, "县平台") {
		t.Fatalf("failed deliveries: %d %s", resp.StatusCode, body)
	}
	if _, page = b.get("/admin/outbox?status=sent"); !strings.Contains(mainOf(page), "没有符合条件的投递") {
		t.Errorf("sent filter: %s", mainOf(page))
	}
	if resp, page = b.get("/admin/outbox?status=bogus"); resp.StatusCode != 400 || !strings.Contains(page, "状态应为 pending、sent 或 failed") {
		t.Errorf("bad filter: %d", resp.StatusCode)
	}
	resp, _ = b.post(retry, url.Values{})
	if resp.StatusCode != 303 {
		t.Fatalf("retry: %d", resp.StatusCode)
	}
	_, page = b.get(resp.Header.Get("Location"))
	if !strings.Contains(page, "已将投递 #"+strconv.FormatInt(d.ID, 10)+"（县平台）重新排队发送") ||
		!strings.Contains(page, `<span class="badge dst-pending">待发送</span>`) || strings.Contains(page, `action="`+retry+`"`) {
		t.Errorf("after retry: %s", mainOf(page))
	}
	if _, n, _ := e.db.FindDeliveries(system, ducha.DeliveryFilter{Status: ducha.DeliveryFailed}); n != 0 {
		t.Errorf("still failed: %d", n)
	}
	// Only a failed delivery may be retried.
	if resp, page = b.post(retry, url.Values{}); resp.StatusCode != 400 || !strings.Contains(page, "只有发送失败的投递可以重发") {
		t.Errorf("retry a pending one: %d %s", resp.StatusCode, mainOf(page))
	}
	if resp, _ = b.post("/admin/outbox/999999/retry", url.Values{}); resp.StatusCode != 404 {
		t.Errorf("retry a missing one: %d", resp.StatusCode)
	}
}

// The campaign page's rules form replaces the rules at the campaign's
// version; a bad value is refused next to its field, nothing changed.
func TestCampaignRulesForm(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	b.login("admin")
	c, _ := e.db.CurrentCampaign(system)
	action := idPath("/admin/campaigns/", c.ID, "/rules")
	_, page := b.get("/admin/campaigns")
	if !strings.Contains(page, `name="yellow_days" value="3"`) || !strings.Contains(page, `name="quiet_hours" value="22:00-07:00"`) ||
		!strings.Contains(page, `name="closure_levels" value="县级"`) {
		t.Fatalf("rules form: %s", mainOf(page))
	}
	form := url.Values{"version": {versionIn(t, page, action)}, "yellow_days": {"5"}, "reminder_on_red": {"1"},
		"supervision_after_days": {"3"}, "listed_after_days": {"10"}, "answer_days": {"2"}, "working_days": {"1"},
		"closure_levels": {"县级、市级"}, "publicity_days": {"5"}, "publicity_working_days": {"1"}, "quiet_hours": {"22:30-07:00"}}
	resp, _ := b.post(action, form)
	if resp.StatusCode != 303 {
		t.Fatalf("rules: %d", resp.StatusCode)
	}
	if _, page = b.get(resp.Header.Get("Location")); !strings.Contains(page, "已保存督察轮次 第三轮中央生态环境保护督察 的督办规则") ||
		!strings.Contains(page, `name="yellow_days" value="5"`) {
		t.Errorf("after saving: %s", mainOf(page))
	}
	got, _ := e.db.CurrentCampaign(system)
	want := ducha.Rules{YellowDays: 5, ReminderOnRed: true, SupervisionAfterDays: 3, ListedAfterDays: 10, AnswerDays: 2,
		WorkingDays: true, ClosureLevels: []string{"县级", "市级"}, PublicityDays: 5, PublicityWorkingDays: true, QuietHours: "22:30-07:00"}
	if !rulesEqual(got.Rules, want) || got.Version != c.Version+1 || got.Name != c.Name || got.CaseDays != c.CaseDays {
		t.Fatalf("stored: %+v v%d", got.Rules, got.Version)
	}

	form.Set("version", strconv.Itoa(got.Version))
	for _, bad := range []struct{ field, value, msg string }{
		{"yellow_days", "-1", "黄色预警天数应在0到30之间"},
		{"yellow_days", "五", "黄色预警天数应为整数，收到“五”"},
		{"quiet_hours", "25:00-07:00", "免打扰时段“25:00-07:00”格式应为 HH:MM-HH:MM"},
		{"listed_after_days", "2", "逾期转挂牌督办天数（2）应大于逾期转督办天数（3）"},
		{"closure_levels", "县级、县级", "验收层级“县级”重复"},
	} {
		f := url.Values{}
		for k, v := range form {
			f[k] = v
		}
		f.Set(bad.field, bad.value)
		resp, page := b.post(action, f)
		if resp.StatusCode != 400 || !strings.Contains(page, `<p class="error" role="alert">第三轮中央生态环境保护督察：督办规则：`+bad.msg) ||
			!regexp.MustCompile(`name="`+bad.field+`" value="`+regexp.QuoteMeta(bad.value)+`"[^>]*>\s*(<small>[^<]*</small>\s*)?<span class="field-error">`+regexp.QuoteMeta(bad.msg)).MatchString(page) ||
			!strings.Contains(page, `<details class="action" open id="rules-`+strconv.FormatInt(c.ID, 10)+`">`) {
			t.Errorf("%s=%s: %d %s", bad.field, bad.value, resp.StatusCode, mainOf(page))
		}
		if now, _ := e.db.CurrentCampaign(system); now.Version != got.Version || !rulesEqual(now.Rules, want) {
			t.Errorf("%s=%s changed the rules: %+v", bad.field, bad.value, now.Rules)
		}
	}
	// The old version: stale.
	form.Set("version", strconv.Itoa(c.Version))
	if resp, page = b.post(action, form); resp.StatusCode != 409 || !strings.Contains(page, "已被他人修改") {
		t.Errorf("stale rules: %d", resp.StatusCode)
	}
	// Only the administrator.
	o := e.browser()
	o.login("coord")
	if resp, _ := o.post(action, form); resp.StatusCode != 403 {
		t.Errorf("coordinator sets rules: %d", resp.StatusCode)
	}
}

func rulesEqual(a, b ducha.Rules) bool {
	return slices.Equal(a.ClosureLevels, b.ClosureLevels) && a.YellowDays == b.YellowDays && a.ReminderOnRed == b.ReminderOnRed &&
		a.SupervisionAfterDays == b.SupervisionAfterDays && a.ListedAfterDays == b.ListedAfterDays && a.AnswerDays == b.AnswerDays &&
		a.WorkingDays == b.WorkingDays && a.PublicityDays == b.PublicityDays && a.PublicityWorkingDays == b.PublicityWorkingDays &&
		a.HeadSignoff == b.HeadSignoff && a.QuietHours == b.QuietHours
}

// The new pages' routes declare their permissions; the messages the code
// names by kind are catalogued in both languages.
func TestNotifyRoutesAndMessages(t *testing.T) {
	want := map[string]ducha.Permission{
		"GET /notices":                        ducha.PermRead,
		"POST /notices":                       ducha.PermRegister,
		"GET /notices/{id}":                   ducha.PermRead,
		"POST /notices/{id}/actions/{action}": ducha.PermWork,
		"GET /inbox":                          ducha.PermRead,
		"GET /static/notice.css":              dhttp.PermPublic,
		"GET /admin/channels":                 ducha.PermManage,
		"POST /admin/channels":                ducha.PermManage,
		"POST /admin/channels/{id}":           ducha.PermManage,
		"POST /admin/channels/{id}/delete":    ducha.PermManage,
		"POST /admin/channels/{id}/test":      ducha.PermManage,
		"GET /admin/outbox":                   ducha.PermManage,
		"POST /admin/outbox/{id}/retry":       ducha.PermManage,
		"POST /admin/campaigns/{id}/rules":    ducha.PermManage,
	}
	got := map[string]ducha.Permission{}
	for _, r := range dhttp.NewServer().Routes() {
		got[r.Method+" "+r.Path] = r.Permission
	}
	for k, p := range want {
		if g, ok := got[k]; !ok || g != p {
			t.Errorf("%s: permission %q (registered %v), want %q", k, g, ok, p)
		}
	}

	// Every label the pages take from the catalogue by kind, in Chinese
	// as the domain writes it.
	e := notifyEnv(t)
	coord := ducha.NewContextWithUser(context.Background(), e.users["coordinator"])
	for _, k := range ducha.NoticeKinds {
		n := &ducha.Notice{Kind: k, ProblemID: e.probs["own"].ID, Text: "督办"}
		if err := e.db.IssueNotice(coord, n); err != nil {
			t.Fatal(err)
		}
	}
	b := e.browser()
	b.login("coord")
	_, page := b.get("/notices")
	for _, k := range ducha.NoticeKinds {
		if !strings.Contains(page, `<td data-label="督办类型">`+k.Label()+"</td>") {
			t.Errorf("kind %s not labelled %s", k, k.Label())
		}
	}
	for _, st := range ducha.NoticeStatuses {
		if !strings.Contains(page, `<option value="`+string(st)+`">`+st.Label()+`</option>`) {
			t.Errorf("status %s not labelled %s", st, st.Label())
		}
	}
	b.get("/lang?to=en&next=/notices")
	if _, page = b.get("/notices"); !strings.Contains(page, "<h1>Supervision notices</h1>") || !strings.Contains(page, ">Listed supervision</td>") ||
		!strings.Contains(page, "To-do (") {
		t.Errorf("English list: %s", mainOf(page))
	}
}
