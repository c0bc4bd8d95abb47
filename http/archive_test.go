package http_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"ducha"
	dhttp "ducha/http"
	"ducha/internal/pgtest"
	"ducha/store"
)

// readZip reads a zip answer: each entry's bytes by name, and the names in
// their order.
func readZip(t *testing.T, body string) (map[string][]byte, []string) {
	t.Helper()
	zr, err := zip.NewReader(strings.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	files := map[string][]byte{}
	var names []string
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		files[f.Name] = b
		names = append(names, f.Name)
	}
	return files, names
}

// archiveSheets reads 档案.xlsx back with excelize: each sheet's header
// and data rows (below the title and row 2), and the sheet names in order.
func archiveSheets(t *testing.T, book []byte) (map[string][][]string, []string) {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(book))
	if err != nil {
		t.Fatalf("档案.xlsx: %v", err)
	}
	defer f.Close()
	out := map[string][][]string{}
	for _, name := range f.GetSheetList() {
		rows, err := f.GetRows(name)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) < 4 {
			t.Fatalf("sheet %s has %d rows", name, len(rows))
		}
		// Row 3 is the header (merged over row 4); the data starts on row 5.
		out[name] = append([][]string{rows[2]}, rows[4:]...)
	}
	return out, f.GetSheetList()
}

// fieldValue finds the value of a 基本信息 row by its label.
func fieldValue(rows [][]string, label string) (string, bool) {
	for _, r := range rows[1:] {
		if len(r) > 0 && r[0] == label {
			if len(r) > 1 {
				return r[1], true
			}
			return "", true
		}
	}
	return "", false
}

// pngBytes is a small PNG-looking file: the sniffer's signature, then
// bytes of its own.
func pngBytes(n int, seed byte) []byte {
	b := make([]byte, n)
	copy(b, "\x89PNG\x0D\x0A\x1A\x0A")
	for i := 8; i < n; i++ {
		b[i] = byte(i*31) ^ seed
	}
	return b
}

func sum(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// hostileNames are attachment names a careless zip would turn into paths
// outside its folder or into names no file system takes.
var hostileNames = []string{"../../etc/passwd", `a/b\c.txt`, strings.Repeat("长", 500) + ".txt",
	"x\x00y\nz.txt", "报告.txt", "报告.txt", "CON.txt", `..\..\boot.ini.txt`, "现场照片.png"}

// problemLabels are the labels 基本信息 writes for the problem's keys, as
// the problem's page names them.
var problemLabels = map[string]string{
	"id": "系统编号", "code": "编号", "campaign_id": "督察轮次编号", "status": "状态", "version": "版本",
	"source": "问题来源", "description": "问题描述", "area": "行政区域", "address": "地址", "subject": "涉及主体",
	"subject_credit_code": "统一社会信用代码", "types": "污染类型", "type_detail": "污染类型说明", "industry": "行业",
	"mode": "整改类型", "lead_unit": "责任单位", "coop_units": "配合单位", "leader": "责任领导", "person": "责任人",
	"measures": "整改措施", "target": "整改目标", "deadline": "整改时限", "deadline_text": "整改时限（原文）",
	"original_deadline": "原定整改时限", "latest_progress": "整改进展", "closure_text": "整改完成情况", "closed_at": "销号时间",
	"return_reason": "退回或重新打开理由", "reopen_count": "反弹次数", "note": "备注", "created_at": "登记时间",
	"updated_at": "更新时间", "overdue": "是否逾期", "warning": "预警", "cases": "关联交办件", "original": "导入原文",
	"progress_at": "最近报送进展时间", "planned_at": "整改方案制定时间", "awaiting_signoff": "待单位主要负责人签发",
	"behind_schedule": "未达到序时进度",
}

// rawKey is what a JSON key looks like; no label of the archive should.
var rawKey = regexp.MustCompile(`^[a-z0-9_]+$`)

// archiveProblem gives the own problem a history (progress, an
// extension request) and the hostile attachments, as its unit's liaison;
// it returns the attachments' bytes by their stored names' order.
func archiveProblem(t *testing.T, e *env) [][]byte {
	t.Helper()
	liaison := ducha.NewContextWithUser(context.Background(), e.users["liaison"])
	p := e.current("own")
	p, err := e.db.ActOnProblem(liaison, p.ID, ducha.ProblemAction{Action: ducha.ActProgress, Version: p.Version, Text: "已完成围挡和洒水降尘"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err = e.db.ActOnProblem(liaison, p.ID, ducha.ProblemAction{Action: ducha.ActRequestExtension, Version: p.Version,
		Deadline: "2027-01-31", Reason: "冬季停工，设备无法进场"}); err != nil {
		t.Fatal(err)
	}
	var data [][]byte
	for i, name := range hostileNames {
		b := []byte("现场核查记录 " + strconv.Itoa(i) + "\n")
		if strings.HasSuffix(name, ".png") {
			b = pngBytes(4096, byte(i))
		}
		if err := e.db.AddAttachment(liaison, &ducha.Attachment{ProblemID: p.ID, Name: name, Data: b}); err != nil {
			t.Fatalf("attach %q: %v", name, err)
		}
		data = append(data, b)
	}
	return data
}

// checkProblemArchive downloads the own problem's archive as its liaison
// and checks every part of it.
func checkProblemArchive(t *testing.T, e *env, data [][]byte) {
	t.Helper()
	id := strconv.FormatInt(e.probs["own"].ID, 10)
	resp, body := e.api("GET", "/api/v1/problems/"+id+"/archive.zip", "liaison", "")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/zip" {
		t.Fatalf("archive: %d %s %.200s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	p := e.current("own")
	cd := resp.Header.Get("Content-Disposition")
	wantName := "一案一档-" + p.Code + ".zip"
	if !strings.Contains(cd, `filename="archive-`+p.Code+`.zip"`) || !strings.Contains(cd, "filename*=UTF-8''%E4%B8%80%E6%A1%88%E4%B8%80%E6%A1%A3-"+p.Code+".zip") {
		t.Errorf("Content-Disposition %q (want %s)", cd, wantName)
	}
	files, names := readZip(t, body)
	if names[0] != "档案.xlsx" {
		t.Errorf("first entry %q", names[0])
	}
	book, order := archiveSheets(t, files["档案.xlsx"])
	if !slices.Equal(order, []string{"基本信息", "历史记录", "附件"}) {
		t.Errorf("sheets %v", order)
	}

	// 基本信息: every key of the problem's JSON with its label, in the
	// page's order; the extension's fields as rows of their own.
	_, raw := e.api("GET", "/api/v1/problems/"+id, "liaison", "")
	var keys map[string]json.RawMessage
	if err := json.Unmarshal([]byte(raw), &keys); err != nil {
		t.Fatal(err)
	}
	fields := book["基本信息"]
	for k := range keys {
		switch k {
		case "attachments", "lead_unit_id", "coop_unit_ids":
			continue
		case "extension":
			if v, ok := fieldValue(fields, "延期申请 · 理由"); !ok || v != "冬季停工，设备无法进场" {
				t.Errorf("extension reason: %q %v", v, ok)
			}
			if v, _ := fieldValue(fields, "延期申请 · 申请时限"); v != "2027-01-31" {
				t.Errorf("extension deadline: %q", v)
			}
			continue
		case "progress":
			if v, _ := fieldValue(fields, "进展记录 1 · 内容"); v != "已完成围挡和洒水降尘" {
				t.Errorf("the latest progress entry: %q", v)
			}
			continue
		case "closure":
			continue // no level signed yet: an empty record
		}
		label, ok := problemLabels[k]
		if !ok {
			label = k // a field added since: it shows as its key
		}
		if _, found := fieldValue(fields, label); !found {
			t.Errorf("基本信息 lacks %s (%s)", label, k)
		}
	}
	for _, r := range fields[1:] {
		if rawKey.MatchString(r[0]) {
			t.Errorf("基本信息 row labelled by a raw key: %v", r)
		}
	}
	for label, want := range map[string]string{"编号": p.Code, "状态": "整改中", "问题描述": p.Description,
		"责任单位": "永清镇", "整改时限": "2026-12-20", "整改进展": "已完成围挡和洒水降尘", "污染类型": "大气",
		"登记时间": p.CreatedAt.In(ducha.Location).Format("2006-01-02 15:04")} {
		if got, _ := fieldValue(fields, label); got != want {
			t.Errorf("基本信息 %s = %q, want %q", label, got, want)
		}
	}
	if fields[1][0] != "编号" || fields[2][0] != "状态" {
		t.Errorf("基本信息 does not start as the page does: %v %v", fields[1], fields[2])
	}

	// 历史记录: every event oldest first, with Chinese labels.
	_, raw = e.api("GET", "/api/v1/problems/"+id+"/events", "liaison", "")
	var events struct {
		Items []ducha.Event `json:"items"`
	}
	if err := json.Unmarshal([]byte(raw), &events); err != nil || len(events.Items) == 0 {
		if err := json.Unmarshal([]byte(raw), &events.Items); err != nil {
			t.Fatalf("events: %v %s", err, raw)
		}
	}
	hist := book["历史记录"]
	if got := len(hist) - 1; got != len(events.Items) {
		t.Fatalf("历史记录 has %d rows for %d events", got, len(events.Items))
	}
	if !slices.Equal(hist[0], []string{"序号", "时间", "操作人", "操作", "说明", "变更内容"}) {
		t.Errorf("历史记录 header %v", hist[0])
	}
	var times []string
	attaches := 0
	for i, r := range hist[1:] {
		times = append(times, r[1])
		if r[0] != strconv.Itoa(i+1) || rawKey.MatchString(r[3]) || r[3] == "" {
			t.Errorf("历史记录 row %d: %v", i+1, r)
		}
		if r[3] == "上传附件" {
			attaches++
		}
		if len(r) > 5 && (strings.Contains(r[5], "content_type") || strings.Contains(r[5], "sha256")) {
			t.Errorf("历史记录 row %d names raw keys: %s", i+1, r[5])
		}
	}
	if !slices.IsSorted(times) {
		t.Errorf("历史记录 not oldest first: %v", times)
	}
	if attaches != len(hostileNames) {
		t.Errorf("%d attach events, want %d", attaches, len(hostileNames))
	}
	last := hist[len(hist)-1]
	if len(last) < 6 || !strings.Contains(last[5], "文件类型：（空） → image/png") || !strings.Contains(last[5], "SHA-256 校验值：") {
		t.Errorf("the last upload's changes: %v", last)
	}
	if !strings.Contains(last[2], "liaison_yq（永清镇）") {
		t.Errorf("actor: %q", last[2])
	}

	// 附件 and the files: each attachment once, under a safe unique name,
	// with the bytes uploaded.
	list := book["附件"]
	if len(list)-1 != len(hostileNames) {
		t.Fatalf("附件 has %d rows", len(list)-1)
	}
	seen := map[string]bool{}
	for i, r := range list[1:] {
		name, size, digest, path := r[1], r[3], r[4], r[7]
		// The name as it was stored: its NUL and newline kept as "_".
		if name != p.Attachments[i].Name || strings.IndexFunc(name, unicode.IsControl) >= 0 || size != strconv.Itoa(len(data[i])) || digest != sum(data[i]) {
			t.Errorf("附件 row %d: %v", i+1, r)
		}
		got, ok := files[path]
		if !ok {
			t.Errorf("附件 row %d: %s not in the zip", i+1, path)
			continue
		}
		if sum(got) != sum(data[i]) {
			t.Errorf("%s: bytes differ from the upload", path)
		}
		base, ok := strings.CutPrefix(path, "附件/")
		if !ok || base == "" || strings.ContainsAny(base, `/\`) || strings.Contains(base, "..") ||
			strings.IndexFunc(base, unicode.IsControl) >= 0 || utf8.RuneCountInString(base) > 80 || seen[strings.ToLower(base)] {
			t.Errorf("unsafe or repeated name %q for %q", path, hostileNames[i])
		}
		seen[strings.ToLower(base)] = true
	}
	if len(files) != 1+len(hostileNames) {
		t.Errorf("zip has %d entries: %v", len(files), names)
	}
	for want, from := range map[string]string{"附件/报告.txt": "报告.txt", "附件/报告 (2).txt": "报告.txt", "附件/_CON.txt": "CON.txt"} {
		if _, ok := files[want]; !ok {
			t.Errorf("%s: no %s in %v", from, want, names)
		}
	}
}

// TestProblemArchive: the problem's 一案一档 on SQLite — every field with
// its label, the whole history, the attachments' bytes under safe names —
// and another unit's problem answers exactly as a missing one.
func TestProblemArchive(t *testing.T) {
	e := newEnv(t)
	data := archiveProblem(t, e)
	checkProblemArchive(t, e, data)

	other := "/api/v1/problems/" + strconv.FormatInt(e.probs["own"].ID, 10) + "/archive.zip"
	resp, body := e.api("GET", other, "liaison_b", "")
	respMissing, bodyMissing := e.api("GET", "/api/v1/problems/999999/archive.zip", "liaison_b", "")
	if resp.StatusCode != 404 || body != bodyMissing || respMissing.StatusCode != 404 ||
		strings.Contains(body, "永清镇") || strings.Contains(body, "PK") {
		t.Errorf("another unit's problem: %d %s / missing: %s", resp.StatusCode, body, bodyMissing)
	}
}

// TestArchivePage: the problem and case pages link their archive.
func TestArchivePage(t *testing.T) {
	e := newCaseEnv(t)
	b := e.browser()
	b.login("liaison_yq")
	id := strconv.FormatInt(e.probs["own"].ID, 10)
	_, page := b.get("/problems/" + id)
	mustHave(t, "problem page", page, `href="/api/v1/problems/`+id+`/archive.zip"`, "下载一案一档")
	e.act("coordinator", scenarioCases["own"], "assign", `{"units":["永清镇"]}`)
	c := e.kase(scenarioCases["own"])
	_, page = b.get("/cases/" + c.AcceptanceNo)
	mustHave(t, "case page", page, `href="/api/v1/cases/`+strconv.FormatInt(c.ID, 10)+`/archive.zip"`, "下载一案一档")
	// The link is the archive.
	resp, body := b.get("/api/v1/problems/" + id + "/archive.zip")
	if resp.StatusCode != 200 || !strings.HasPrefix(body, "PK") {
		t.Errorf("the page's link: %d", resp.StatusCode)
	}
}

// zipOrJSON: a successful archive is a zip; every other answer JSON.
func zipOrJSON(t *testing.T, name, path string, resp *http.Response, body string) {
	t.Helper()
	ct := resp.Header.Get("Content-Type")
	if resp.StatusCode == 200 {
		if ct != "application/zip" || !strings.HasPrefix(body, "PK") {
			t.Errorf("%s: not a zip: %q", name, ct)
		}
	} else if ct != jsonType {
		t.Errorf("%s: content type %q", name, ct)
	}
}

// TestArchiveScenarios: both archive routes × every role × own and other
// unit: a login is needed; a unit's users get their unit's items (a
// problem it cooperates on included) and 404 for another unit's, exactly
// as for a missing one; the county's roles get every item.
func TestArchiveScenarios(t *testing.T) {
	e := newCaseEnv(t)
	e.act("coordinator", scenarioCases["own"], "assign", `{"units":["永清镇"]}`)
	e.act("coordinator", scenarioCases["other"], "assign", `{"units":["林城镇"]}`)
	var table []scenario
	add := func(roles []string, path string, status int, want []string, absent ...string) {
		for _, r := range roles {
			table = append(table, scenario{r, "GET", path, "", status, want, absent})
		}
	}
	unscoped := []string{"admin", "coordinator", "discipline", "leader"}
	scoped := []string{"liaison", "head"}
	for _, path := range []string{"/api/v1/problems/{own}/archive.zip", "/api/v1/cases/{c:own}/archive.zip"} {
		add([]string{""}, path, 401, []string{`"code":"unauthorized"`})
	}
	notFound := []string{`"code":"not_found"`}
	add(everyRole, "/api/v1/problems/{own}/archive.zip", 200, nil)
	add(everyRole, "/api/v1/problems/{coop}/archive.zip", 200, nil)
	add(unscoped, "/api/v1/problems/{other}/archive.zip", 200, nil)
	add(scoped, "/api/v1/problems/{other}/archive.zip", 404, append(notFound, `"message":"问题不存在"`), "林城镇")
	add([]string{"liaison_b"}, "/api/v1/problems/{own}/archive.zip", 404, notFound, "永清镇")
	add([]string{"liaison_b"}, "/api/v1/problems/{other}/archive.zip", 200, nil)
	add(everyRole, "/api/v1/problems/999999/archive.zip", 404, append(notFound, `"message":"问题不存在"`))
	add(everyRole, "/api/v1/problems/x/archive.zip", 404, notFound)

	add(everyRole, "/api/v1/cases/{c:own}/archive.zip", 200, nil)
	add(everyRole, "/api/v1/cases/{no:own}/archive.zip", 200, nil)
	add(unscoped, "/api/v1/cases/{no:other}/archive.zip", 200, nil)
	add(scoped, "/api/v1/cases/{c:other}/archive.zip", 404, append(notFound, `"message":"交办件不存在"`), "林城镇")
	add(scoped, "/api/v1/cases/{no:other}/archive.zip", 404, append(notFound, `"message":"交办件不存在"`))
	add([]string{"liaison_b"}, "/api/v1/cases/{no:own}/archive.zip", 404, notFound)
	add([]string{"liaison_b"}, "/api/v1/cases/{no:other}/archive.zip", 200, nil)
	add(everyRole, "/api/v1/cases/NOSUCHCASE/archive.zip", 404, append(notFound, `"message":"交办件不存在"`))

	ids := map[string]string{}
	for _, k := range []string{"own", "other", "coop"} {
		ids["{"+k+"}"] = strconv.FormatInt(e.probs[k].ID, 10)
	}
	expand := func(s string) string {
		for k, v := range ids {
			s = strings.ReplaceAll(s, k, v)
		}
		return e.expandCase(s)
	}
	runScenarios(t, e, table, expand, zipOrJSON)
}

// TestCaseArchive: a case's 一案一档 holds its fields, history and
// measures, and of the problems it opened only those the caller may read,
// with their attachments; the county sees them all.
func TestCaseArchive(t *testing.T) {
	e := newCaseEnv(t)
	no := scenarioCases["own"]
	e.walkCase(no, `{"findings":"经现场核查，该厂危险废物贮存不规范","verdict":"属实","handling":"责令该厂立即整改，立案处罚，罚款12500.50元，约谈负责人2人。","accountability":"无",`+
		`"measures":[{"kind":"ordered_to_rectify","enterprise":"永清镇河湾村石材加工厂"},{"kind":"penalty_case","enterprise":"永清镇河湾村石材加工厂","fine_yuan":"12500.50"},{"kind":"interviewed","persons":2}]}`,
		ducha.CaseClosed, false)
	c := e.kase(no)
	coord := ducha.NewContextWithUser(context.Background(), e.users["coordinator"])
	own, err := e.db.OpenProblemFromCase(coord, c.ID, &ducha.Problem{Description: "石材加工厂危废贮存整改", LeadUnit: "永清镇"})
	if err != nil {
		t.Fatal(err)
	}
	other, err := e.db.OpenProblemFromCase(coord, c.ID, &ducha.Problem{Description: "下游林城镇河段清淤", LeadUnit: "林城镇"})
	if err != nil {
		t.Fatal(err)
	}
	ownPhoto, otherPhoto := pngBytes(2048, 1), pngBytes(2048, 2)
	for _, a := range []*ducha.Attachment{{ProblemID: own.ID, Name: "整改前.png", Data: ownPhoto}, {ProblemID: other.ID, Name: "清淤.png", Data: otherPhoto}} {
		if err := e.db.AddAttachment(coord, a); err != nil {
			t.Fatal(err)
		}
	}

	resp, body := e.api("GET", "/api/v1/cases/"+no+"/archive.zip", "liaison", "")
	if resp.StatusCode != 200 {
		t.Fatalf("liaison: %d %s", resp.StatusCode, body)
	}
	if cd := resp.Header.Get("Content-Disposition"); !strings.Contains(cd, `filename="archive-`+no+`.zip"`) {
		t.Errorf("Content-Disposition %q", cd)
	}
	files, names := readZip(t, body)
	book, order := archiveSheets(t, files["档案.xlsx"])
	if !slices.Equal(order, []string{"基本信息", "历史记录", "处理措施", "关联问题", "附件"}) {
		t.Errorf("sheets %v", order)
	}
	fields := book["基本信息"]
	for label, want := range map[string]string{"受理编号": no, "状态": "已办结", "承办单位": "永清镇", "是否属实": "属实",
		"调查核实情况": "经现场核查，该厂危险废物贮存不规范", "关联问题": own.Code, "各承办单位办理情况 1 · 承办单位": "永清镇",
		"各承办单位办理情况 1 · 签收人": "liaison_yq", "重点关注": "否"} {
		if got, _ := fieldValue(fields, label); got != want {
			t.Errorf("基本信息 %s = %q, want %q", label, got, want)
		}
	}
	for _, r := range fields[1:] {
		if rawKey.MatchString(r[0]) || strings.Contains(r[0], "· unit_id") {
			t.Errorf("基本信息 row labelled by a raw key: %v", r)
		}
	}
	if fields[1][0] != "受理编号" {
		t.Errorf("基本信息 starts with %v", fields[1])
	}
	hist := book["历史记录"]
	var actions []string
	for _, r := range hist[1:] {
		actions = append(actions, r[3])
	}
	if want := []string{"导入", "交办", "签收", "报送办理结果", "审核办结", "转入问题台账", "转入问题台账"}; !slices.Equal(actions, want) {
		t.Errorf("历史记录 actions %q, want %q", actions, want)
	}
	measures := book["处理措施"]
	if len(measures) != 4 || measures[2][1] != "立案处罚" || measures[2][4] != "12500.50" || measures[3][3] != "2" || measures[1][6] != "永清镇" {
		t.Errorf("处理措施 %q", measures)
	}
	problems := book["关联问题"]
	if len(problems) != 2 || problems[1][1] != own.Code || problems[1][3] != "石材加工厂危废贮存整改" {
		t.Errorf("关联问题 %q", problems)
	}
	list := book["附件"]
	if len(list) != 2 || list[1][1] != own.Code || list[1][2] != "整改前.png" || list[1][5] != sum(ownPhoto) {
		t.Errorf("附件 %q", list)
	}
	if got := files[list[1][8]]; sum(got) != sum(ownPhoto) {
		t.Errorf("%s: bytes differ", list[1][8])
	}
	if len(files) != 2 {
		t.Errorf("entries %v", names)
	}
	// The case's own history names the problems it opened, as its page
	// does; nothing else of the other unit's problem is there.
	for name, sheet := range book {
		for _, r := range sheet {
			j := strings.Join(r, "|")
			if strings.Contains(j, other.Code) && name != "历史记录" || strings.Contains(j, "下游林城镇河段清淤") || strings.Contains(j, "清淤.png") {
				t.Errorf("another unit's problem shows: %s", j)
			}
		}
	}

	// The county reads both problems and both photos.
	_, body = e.api("GET", "/api/v1/cases/"+strconv.FormatInt(c.ID, 10)+"/archive.zip", "coordinator", "")
	files, _ = readZip(t, body)
	book, _ = archiveSheets(t, files["档案.xlsx"])
	if len(book["关联问题"]) != 3 || len(book["附件"]) != 3 || len(files) != 3 {
		t.Errorf("coordinator: %d problems, %d attachments, %d entries", len(book["关联问题"])-1, len(book["附件"])-1, len(files))
	}
	if got, _ := fieldValue(book["基本信息"], "关联问题"); got != own.Code+"、"+other.Code {
		t.Errorf("coordinator's 关联问题 %q", got)
	}
	for _, r := range book["附件"][1:] {
		if want := map[string][]byte{own.Code: ownPhoto, other.Code: otherPhoto}[r[1]]; sum(files[r[8]]) != sum(want) {
			t.Errorf("coordinator: %s bytes differ", r[8])
		}
	}
}

// newEnvOn is newEnv on the store at dsn (a PostgreSQL database here).
func newEnvOn(t *testing.T, dsn string) *env {
	t.Helper()
	start, _ := time.ParseInLocation("2006-01-02 15:04", "2026-12-10 10:00", ducha.Location)
	c := &clock{t: start}
	db, err := store.Open(context.Background(), dsn, store.Options{Now: c.Now})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	e := &env{t: t, db: db, clock: c, units: map[string]*ducha.Unit{}, users: map[string]*ducha.User{},
		tokens: map[string]string{}, probs: map[string]*ducha.Problem{}}
	e.seed()
	s := dhttp.NewServer()
	s.Problems, s.Users, s.Units, s.Campaigns, s.Audit, s.Attachments, s.Cases = db, db, db, db, db, db, db
	s.Now = c.Now
	s.Logger = slog.New(slog.NewTextHandler(testLog{t}, nil))
	e.srv = s
	e.ts = httptest.NewServer(s.Handler())
	t.Cleanup(e.ts.Close)
	return e
}

// TestProblemArchivePostgres: the same archive from PostgreSQL.
func TestProblemArchivePostgres(t *testing.T) {
	dsn, err := pgtest.Shared(t).CreateDB(t.Name())
	if err != nil {
		t.Fatal(err)
	}
	e := newEnvOn(t, dsn)
	data := archiveProblem(t, e)
	checkProblemArchive(t, e, data)
	resp, body := e.api("GET", "/api/v1/problems/"+strconv.FormatInt(e.probs["own"].ID, 10)+"/archive.zip", "liaison_b", "")
	if resp.StatusCode != 404 || strings.Contains(body, "永清镇") {
		t.Errorf("another unit's problem: %d %s", resp.StatusCode, body)
	}
}

// meter is a response writer that keeps nothing of the body: it counts
// the bytes, hashes them, and every sampleEvery bytes collects garbage
// and notes the live heap, so that the most the handler held while it
// streamed is known.
type meter struct {
	header  http.Header
	status  int
	n       int64
	next    int64
	maxLive uint64
}

const sampleEvery = 1 << 20

func (m *meter) Header() http.Header  { return m.header }
func (m *meter) WriteHeader(code int) { m.status = code }
func (m *meter) Write(b []byte) (int, error) {
	if m.status == 0 {
		m.status = 200
	}
	m.n += int64(len(b))
	if m.n >= m.next {
		m.next = m.n + sampleEvery
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		m.maxLive = max(m.maxLive, ms.HeapAlloc)
	}
	return len(b), nil
}

// TestArchiveStreams: a problem with six attachments of 8 MB (48 MB) is
// answered while the live heap grows by well under their total: the
// handler holds about one attachment at a time, never the zip. The heap
// is measured after a collection at every megabyte written, so the
// figure is what is live, not garbage waiting; a handler that built the
// zip in memory would hold all 48 MB by the end.
func TestArchiveStreams(t *testing.T) {
	e := newEnv(t)
	liaison := ducha.NewContextWithUser(context.Background(), e.users["liaison"])
	const size, count = 8 << 20, 6
	buf := pngBytes(size, 0)
	for i := range count {
		buf[100] = byte(i) // each one its own bytes
		if err := e.db.AddAttachment(liaison, &ducha.Attachment{ProblemID: e.probs["own"].ID, Name: "航拍.png", Data: buf}); err != nil {
			t.Fatal(err)
		}
	}
	req := httptest.NewRequest("GET", "/api/v1/problems/"+strconv.FormatInt(e.probs["own"].ID, 10)+"/archive.zip", nil)
	req.Header.Set("Authorization", "Bearer "+e.tokens["liaison"])
	h := e.srv.Handler()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapAlloc
	m := &meter{header: http.Header{}}
	h.ServeHTTP(m, req)
	if m.status != 200 || m.n < size*count {
		t.Fatalf("status %d, %d bytes written for %d", m.status, m.n, size*count)
	}
	grew := int64(m.maxLive) - int64(base)
	t.Logf("wrote %d MB; live heap grew by at most %.1f MB", m.n>>20, float64(grew)/(1<<20))
	if grew > size*count/2 {
		t.Errorf("live heap grew by %d MB while streaming %d MB: the archive is not streamed", grew>>20, (size*count)>>20)
	}
}
