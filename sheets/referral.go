package sheets

import (
	"io"
	"strconv"
	"strings"
	"time"

	"ducha"
	"ducha/excel"
)

// Referral pack (移交材料, SPEC section 4): one unit's items as discipline
// hands them into a meeting, one sheet per kind and one for the history,
// each with the ledger's title, header, widths and frozen panes. Rows are
// written as the store reads them.

// ReferralSheets are the pack's sheet names, in order.
var ReferralSheets = []string{"问题", "交办件", "督办单", "问责", "历史记录"}

var referralColumns = [][]excel.OutColumn{
	{ // 问题
		{Header: "问题编号", Width: 16}, {Header: "问题来源", Width: 10}, {Header: "问题描述", Width: 40, Wrap: true},
		{Header: "行政区域", Width: 12}, {Header: "污染类型", Width: 12}, {Header: "牵头单位", Width: 16},
		{Header: "责任领导", Width: 10}, {Header: "责任人", Width: 10}, {Header: "整改措施", Width: 30, Wrap: true},
		{Header: "整改目标", Width: 24, Wrap: true}, {Header: "整改时限", Width: 12, Kind: excel.KindDate},
		{Header: "整改类型", Width: 10}, {Header: "状态", Width: 10}, {Header: "整改进展", Width: 30, Wrap: true},
		{Header: "登记时间", Width: 18},
	},
	{ // 交办件
		{Header: "受理编号", Width: 20}, {Header: "批次", Width: 6, Kind: excel.KindInt},
		{Header: "交办日期", Width: 12, Kind: excel.KindDate}, {Header: "来源渠道", Width: 8}, {Header: "重点关注", Width: 8},
		{Header: "交办问题基本情况", Width: 40, Wrap: true}, {Header: "行政区域", Width: 12}, {Header: "承办单位", Width: 16},
		{Header: "办理期限", Width: 12, Kind: excel.KindDate}, {Header: "办理状态", Width: 10}, {Header: "是否属实", Width: 10},
		{Header: "调查核实情况", Width: 30, Wrap: true}, {Header: "处理和整改情况", Width: 30, Wrap: true},
		{Header: "责任人被处理情况", Width: 24, Wrap: true}, {Header: "是否公开", Width: 8},
	},
	{ // 督办单
		{Header: "督办单编号", Width: 22}, {Header: "类型", Width: 10}, {Header: "督办事项", Width: 20},
		{Header: "督办内容", Width: 36, Wrap: true}, {Header: "下发时间", Width: 18}, {Header: "下发人", Width: 10},
		{Header: "答复期限", Width: 12, Kind: excel.KindDate}, {Header: "状态", Width: 8}, {Header: "签收时间", Width: 18},
		{Header: "答复内容", Width: 36, Wrap: true}, {Header: "答复时间", Width: 18}, {Header: "关闭时间", Width: 18},
		{Header: "关闭说明", Width: 20, Wrap: true},
	},
	{ // 问责
		{Header: "被问责人", Width: 10}, {Header: "职务", Width: 14}, {Header: "所在单位", Width: 16},
		{Header: "问责方式", Width: 12}, {Header: "问责事由", Width: 36, Wrap: true}, {Header: "决定机关", Width: 14},
		{Header: "决定日期", Width: 12, Kind: excel.KindDate}, {Header: "关联问题", Width: 20, Wrap: true},
		{Header: "关联交办件", Width: 22, Wrap: true}, {Header: "登记人", Width: 10},
	},
	{ // 历史记录
		{Header: "类别", Width: 8}, {Header: "编号", Width: 22}, {Header: "时间", Width: 18}, {Header: "操作人", Width: 12},
		{Header: "操作", Width: 14}, {Header: "说明", Width: 30, Wrap: true}, {Header: "变更内容", Width: 50, Wrap: true},
	},
}

// Referral writes a unit's referral pack as an .xlsx workbook; it is the
// ducha.ReferralWriter the store streams into. Call Start first and
// Finish at the end; Close releases it.
type Referral struct {
	wb    *excel.Workbook
	unit  *ducha.Unit
	asOf  time.Time
	next  int                         // the next sheet to start
	codes map[string]map[int64]string // item kind → id → code, to name notices' items
}

// NewReferral starts a pack as of now.
func NewReferral(now time.Time) (*Referral, error) {
	wb, err := excel.NewWorkbook()
	if err != nil {
		return nil, err
	}
	return &Referral{wb: wb, asOf: now, codes: map[string]map[int64]string{ducha.ItemProblem: {}, ducha.ItemCase: {}}}, nil
}

// Start names the pack's unit; the store calls it before any row.
func (r *Referral) Start(u *ducha.Unit) error {
	r.unit = u
	return nil
}

// sheet starts the sheets up to and including i, empty ones with their
// header only.
func (r *Referral) sheet(i int) error {
	for ; r.next <= i; r.next++ {
		name := ReferralSheets[r.next]
		left := "单位：" + r.unit.Name
		for _, kv := range [][2]string{{"主要负责人", r.unit.Head}, {"联络员", r.unit.Liaison}, {"电话", r.unit.Phone}} {
			if kv[1] != "" {
				left += "　" + kv[0] + "：" + kv[1]
			}
		}
		if err := r.wb.Sheet(excel.Layout{Title: r.unit.Name + "移交材料（" + name + "）", Left: left,
			Right: "导出时间：" + r.asOf.In(ducha.Location).Format("2006-01-02 15:04"), Sheet: name,
			Groups: []excel.Group{{Columns: referralColumns[r.next]}}}); err != nil {
			return err
		}
	}
	return nil
}

// Problem writes one problem.
func (r *Referral) Problem(p *ducha.Problem) error {
	if err := r.sheet(0); err != nil {
		return err
	}
	r.codes[ducha.ItemProblem][p.ID] = p.Code
	deadline := any(p.DeadlineText)
	if p.Deadline.Valid() {
		deadline = p.Deadline.Time()
	}
	return r.wb.Row([]any{p.Code, p.Source, p.Description, p.Area, strings.Join(p.Types, "、"), p.LeadUnit, p.Leader,
		p.Person, p.Measures, p.Target, deadline, p.Mode, p.Status.Label(), p.Progress, wall(p.CreatedAt)})
}

// Case writes one case.
func (r *Referral) Case(c *ducha.Case) error {
	if err := r.sheet(1); err != nil {
		return err
	}
	r.codes[ducha.ItemCase][c.ID] = c.AcceptanceNo
	return r.wb.Row([]any{c.AcceptanceNo, c.Batch, dateCell(c.ForwardedDate), c.Channel, yesNo(c.Key), c.Text, c.Area,
		strings.Join(c.Units, "、"), dateCell(c.Deadline), c.Status.Label(), c.Verdict, c.Findings, c.Handling,
		c.Accountability, yesNo(c.Published)})
}

// Notice writes one notice with its answer.
func (r *Referral) Notice(n *ducha.Notice) error {
	if err := r.sheet(2); err != nil {
		return err
	}
	kind, id := n.Item()
	item := "问题 "
	if kind == ducha.ItemCase {
		item = "交办件 "
	}
	if code := r.codes[kind][id]; code != "" {
		item += code
	} else {
		item += strconv.FormatInt(id, 10)
	}
	issuer := n.IssuedBy
	if issuer == ducha.NoticeByRules {
		issuer = "督办规则"
	}
	return r.wb.Row([]any{n.No, n.Kind.Label(), item, n.Text, wall(n.IssuedAt), issuer, dateCell(n.Due), n.Status.Label(),
		wallPtr(n.SignedAt), n.Answer, wallPtr(n.AnsweredAt), wallPtr(n.ClosedAt), n.CloseNote})
}

// Accountability writes one record.
func (r *Referral) Accountability(a *ducha.Accountability) error {
	if err := r.sheet(3); err != nil {
		return err
	}
	return r.wb.Row([]any{a.Person, a.Post, a.Unit, a.Form.Label(), a.Reason, a.DecidedBy, dateCell(a.Date),
		r.itemCodes(ducha.ItemProblem, a.Problems), r.itemCodes(ducha.ItemCase, a.Cases), a.CreatedBy})
}

// Event writes one line of an item's history.
func (r *Referral) Event(kind, label string, e *ducha.Event) error {
	if err := r.sheet(4); err != nil {
		return err
	}
	noun, action := "问题", ducha.ActionLabel(e.Action)
	switch kind {
	case ducha.ItemCase:
		noun, action = "交办件", ducha.CaseActionLabel(e.Action)
	case "notice":
		noun = "督办单"
		if e.Action == "issue" {
			action = "下发"
		} else {
			action = ducha.NoticeActionLabel(e.Action)
		}
	case "accountability":
		noun = "问责"
		if e.Action == "update" {
			action = "修改"
		} else if e.Action == "create" {
			action = "登记"
		}
	}
	return r.wb.Row([]any{noun, label, wall(e.At), e.Actor, action, e.Note, string(e.After)})
}

// Finish writes the sheets no row started and the workbook to w.
func (r *Referral) Finish(w io.Writer) error {
	if err := r.sheet(len(ReferralSheets) - 1); err != nil {
		return err
	}
	_, err := r.wb.WriteTo(w)
	return err
}

// Close releases the workbook.
func (r *Referral) Close() error { return r.wb.Close() }

func (r *Referral) itemCodes(kind string, ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		if parts[i] = r.codes[kind][id]; parts[i] == "" {
			parts[i] = strconv.FormatInt(id, 10)
		}
	}
	return strings.Join(parts, "、")
}

// wall is t as the county's clock shows it, written as a date cell with
// its time of day.
func wall(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	l := t.In(ducha.Location)
	return time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), l.Second(), 0, time.UTC)
}

func wallPtr(t *time.Time) any {
	if t == nil {
		return nil
	}
	return wall(*t)
}

func dateCell(d ducha.Date) any {
	if !d.Valid() {
		return nil
	}
	return d.Time()
}

func yesNo(b bool) string {
	if b {
		return "是"
	}
	return "否"
}
