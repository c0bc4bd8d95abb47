package ui

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"ducha"
	"ducha/http/web"
)

// Actions on a selection of the case list: the coordinator assigns a
// day's batch (交办) to a unit in one submit, publishes (公开) what is
// handled, or issues a 催办/督办 for each selected case. Each case is its
// own transaction through the same store call as its page's form, so the
// store checks the permission, the unit scope and the state of every one;
// what fails is listed by acceptance number with the reason, and what
// succeeded stays done.

// Bulk actions.
const (
	bulkAssign  = "assign"
	bulkPublish = "publish"
	bulkNotice  = "notice"
)

// maxBulk bounds one selection: the largest page of the list.
const maxBulk = ducha.MaxPerPage

// caseBulk is the bulk form: what may be done, what was typed, and the
// result of the last submit.
type caseBulk struct {
	CanAssign, CanPublish, CanNotice bool

	Action   string
	IDs      []int64
	Units    []string
	Deadline string
	Kind     string
	Text     string
	Due      string
	Error    string
	Errors   map[string]string

	Result *bulkResult
}

// Err is the message for one field of the bulk form.
func (b *caseBulk) Err(field string) string { return b.Errors[field] }

// Any reports whether the user may do anything to a selection.
func (b *caseBulk) Any() bool { return b.CanAssign || b.CanPublish || b.CanNotice }

// bulkResult is what one bulk submit did.
type bulkResult struct {
	Action   string
	Done     int
	Failures []bulkFailure
}

// bulkFailure is one case the action was refused for.
type bulkFailure struct {
	ID           int64
	AcceptanceNo string
	Reason       string
}

// BulkActionLabel names a bulk action.
func (p *page) BulkActionLabel(action string) string { return p.T("cases.bulk." + action) }

// handleCasesBulk runs one action on the selected cases and shows the list
// it was sent from with the result. A form error (nothing selected, no
// unit, no text) changes nothing and shows every message at once.
func (s *handler) handleCasesBulk(w http.ResponseWriter, r *http.Request) error {
	if s.Cases == nil {
		return web.ErrNoCases
	}
	if err := web.ParseForm(w, r); err != nil {
		return err
	}
	back, _ := url.ParseQuery(web.FormValue(r, "back"))
	in := caseBulk{
		Action: web.FormValue(r, "action"), Units: web.FormList(r, "units"), Deadline: web.FormValue(r, "deadline"),
		Kind: web.FormValue(r, "kind"), Text: web.FormValue(r, "text"), Due: web.FormValue(r, "due"),
		Errors: map[string]string{},
	}
	fail := func(field, msg string) {
		if _, ok := in.Errors[field]; !ok {
			in.Errors[field] = msg
		}
	}
	for _, v := range r.PostForm["id"] {
		id, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil || id <= 0 {
			fail("id", "交办件ID应为正整数，收到“"+v+"”")
			continue
		}
		if !slices.Contains(in.IDs, id) {
			in.IDs = append(in.IDs, id)
		}
	}
	u, l := web.RequestUser(r), web.RequestLang(r)
	var deadline, due ducha.Date
	switch in.Action {
	case bulkAssign:
		if len(in.Units) == 0 {
			fail("units", "请选择承办单位")
		}
		d, err := web.DateField("deadline", l.T("case.field.deadline"), in.Deadline)
		if err != nil {
			fail("deadline", ducha.ErrorMessage(err))
		}
		deadline = d
	case bulkPublish:
		if !ducha.Can(u, ducha.PermVerify) {
			return ducha.Forbidden()
		}
	case bulkNotice:
		if s.Notices == nil {
			return web.ErrNoNotices
		}
		if !slices.Contains(ducha.NoticeKinds, ducha.NoticeKind(in.Kind)) {
			fail("kind", "请选择督办类型")
		}
		if in.Text == "" {
			fail("text", "请填写督办内容")
		}
		d, err := web.DateField("due", l.T("notice.field.due"), in.Due)
		if err != nil {
			fail("due", ducha.ErrorMessage(err))
		}
		due = d
	default:
		fail("action", "请选择要执行的操作")
	}
	if b := web.FormValue(r, "batch"); b != "" && in.Action == bulkPublish && len(in.IDs) == 0 {
		// 公开本批: every handled, unpublished case of the batch.
		ids, err := s.publishableIDs(r, b)
		if ducha.ErrorCode(err) == ducha.EINVALID {
			fail("batch", ducha.ErrorMessage(err))
		} else if err != nil {
			return err
		}
		in.IDs = ids
		if len(ids) == 0 && len(in.Errors) == 0 {
			fail("id", "第"+b+"批没有待公开的已办结或阶段性办结件")
		}
	}
	switch {
	case len(in.IDs) == 0 && in.Errors["id"] == "":
		fail("id", "请至少勾选一件交办件")
	case len(in.IDs) > maxBulk:
		fail("id", "一次最多处理"+strconv.Itoa(maxBulk)+"件，已勾选"+strconv.Itoa(len(in.IDs))+"件")
	}
	if len(in.Errors) > 0 {
		in.Error = "未执行任何操作，请按提示修改"
		return s.renderCases(w, r, back, http.StatusBadRequest, &in)
	}
	res := &bulkResult{Action: in.Action}
	for _, id := range in.IDs {
		if err := s.bulkOne(r, in, id, deadline, due); err != nil {
			res.Failures = append(res.Failures, bulkFailure{ID: id, AcceptanceNo: s.acceptanceNo(r, id), Reason: ducha.ErrorMessage(err)})
			continue
		}
		res.Done++
	}
	in.Result = res
	if res.Done > 0 {
		in.IDs = nil // done: the selection is cleared; failures stay ticked
		for _, f := range res.Failures {
			in.IDs = append(in.IDs, f.ID)
		}
	}
	return s.renderCases(w, r, back, http.StatusOK, &in)
}

// bulkOne runs the action on one case, in its own transaction.
func (s *handler) bulkOne(r *http.Request, in caseBulk, id int64, deadline, due ducha.Date) error {
	ctx := r.Context()
	switch in.Action {
	case bulkAssign:
		_, err := s.Cases.ActOnCase(ctx, id, ducha.CaseAction{Action: ducha.CaseActAssign, Units: web.UnitRefs(in.Units), Deadline: deadline})
		return err
	case bulkPublish:
		_, err := s.Cases.ActOnCase(ctx, id, ducha.CaseAction{Action: ducha.CaseActPublish})
		return err
	case bulkNotice:
		return s.Notices.IssueNotice(ctx, &ducha.Notice{Kind: ducha.NoticeKind(in.Kind), CaseID: id, Text: in.Text, Due: due})
	}
	return ducha.FieldError("action", "未知的操作“%s”", in.Action)
}

// acceptanceNo names a case in a failure: its acceptance number when the
// user may see it, else its id (a case of another unit stays unnamed).
func (s *handler) acceptanceNo(r *http.Request, id int64) string {
	if c, err := s.Cases.FindCaseByID(r.Context(), id); err == nil {
		return c.AcceptanceNo
	}
	return "#" + strconv.FormatInt(id, 10)
}

// publishableIDs lists the cases of a batch that may be published: handled
// (阶段性办结 or 已办结) and not published yet, as the user may see them.
func (s *handler) publishableIDs(r *http.Request, batch string) ([]int64, error) {
	n, err := web.ParseBatchNumber("batch", batch)
	if err != nil {
		return nil, err
	}
	no := false
	var ids []int64
	for _, st := range []ducha.CaseStatus{ducha.CaseStageClosed, ducha.CaseClosed} {
		f := ducha.CaseFilter{Batch: n, Status: st, Published: &no, Limit: ducha.MaxPerPage}
		for {
			cs, total, err := s.Cases.FindCases(r.Context(), f)
			if err != nil {
				return nil, err
			}
			for _, c := range cs {
				ids = append(ids, c.ID)
			}
			f.Offset += len(cs)
			if len(cs) == 0 || f.Offset >= total {
				break
			}
		}
	}
	slices.Sort(ids)
	return ids, nil
}
