package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"ducha"
)

// DefaultPerPage is the page size when the query names none.
const DefaultPerPage = 50

// ProblemQuery is a ledger query as the URL writes it; pages echo it back
// into their filter form. A page is named by its number (Page, by offset,
// as scripts have always asked) or by key (After: the id of the previous
// page's last problem), which costs the same however deep it lies.
type ProblemQuery struct {
	Status, Unit, Area, Type, Overdue, Warning, Q string
	Schedule                                      string // "behind": 未达到序时进度
	Sort, Order                                   string // a column of ducha.ProblemSorts, asc or desc
	Page, PerPage, After                          string
	Exact                                         string // count a search's matches past ducha.SearchCountCap
}

func ReadProblemQuery(v url.Values) ProblemQuery {
	g := func(k string) string { return strings.TrimSpace(v.Get(k)) }
	return ProblemQuery{
		Status: g("status"), Unit: g("unit"), Area: g("area"), Type: g("type"),
		Overdue: g("overdue"), Warning: g("warning"), Q: g("q"), Schedule: g("schedule"),
		Sort: g("sort"), Order: g("order"),
		Page: g("page"), PerPage: g("per_page"), After: g("after"), Exact: g("exact"),
	}
}

// filter turns the query into a store filter; page is 1-based, and 0 for a
// page named by key (after), whose number is not known.
func (s *Server) ProblemFilter(ctx context.Context, q ProblemQuery) (f ducha.ProblemFilter, page, perPage int, err error) {
	f = ducha.ProblemFilter{Area: q.Area, Q: q.Q, Today: s.Today()}
	if err := CheckSearch(q.Q); err != nil {
		return f, 0, 0, err
	}
	if q.Status != "" {
		st, ok := ducha.ParseProblemStatus(q.Status)
		if !ok {
			return f, 0, 0, ducha.FieldError("status", "状态“%s”无效", q.Status)
		}
		f.Status = st
	}
	if q.Type != "" {
		if !slices.Contains(ducha.PollutionTypes, q.Type) {
			return f, 0, 0, ducha.FieldError("type", "污染类型“%s”无效", q.Type)
		}
		f.Type = q.Type
	}
	if q.Unit != "" {
		u, err := s.ResolveUnit(ctx, "unit", q.Unit)
		if err != nil {
			return f, 0, 0, err
		}
		f.UnitID = u.ID
	}
	if q.Overdue != "" {
		b, err := FlagField("overdue", "是否逾期", q.Overdue)
		if err != nil {
			return f, 0, 0, err
		}
		f.Overdue = &b
	}
	switch w := ducha.Warning(q.Warning); w {
	case "":
	case ducha.WarningNone, ducha.WarningYellow, ducha.WarningRed:
		f.Warning = w
	default:
		return f, 0, 0, ducha.FieldError("warning", "预警应为none、yellow或red")
	}
	switch q.Schedule {
	case "":
	case "behind":
		f.Behind = true
	default:
		return f, 0, 0, ducha.FieldError("schedule", "schedule应为behind（未达到序时进度）")
	}
	if q.Sort != "" {
		if !slices.Contains(ducha.ProblemSorts, q.Sort) {
			return f, 0, 0, ducha.FieldError("sort", "排序列“%s”无效，应为%s之一", q.Sort, strings.Join(ducha.ProblemSorts, "、"))
		}
		f.Sort = q.Sort
	}
	switch q.Order {
	case "", "asc":
	case "desc":
		f.Desc = true
	default:
		return f, 0, 0, ducha.FieldError("order", "排序方向（order）应为asc或desc")
	}
	if q.Exact != "" {
		if f.ExactCount, err = strconv.ParseBool(q.Exact); err != nil {
			return f, 0, 0, ducha.FieldError("exact", "exact应为1、true、0或false")
		}
	}
	page, perPage = 1, DefaultPerPage
	if q.After != "" {
		// A page has one name: a number and a key together could disagree.
		if q.Page != "" {
			return f, 0, 0, ducha.FieldError("after", "after与page不能同时使用：按after翻页时请去掉page")
		}
		if f.Sort != "" {
			return f, 0, 0, ducha.FieldError("after", "按列排序时请用page翻页，after只用于默认排序")
		}
		if f.BeforeID, err = strconv.ParseInt(q.After, 10, 64); err != nil || f.BeforeID < 1 {
			return f, 0, 0, ducha.FieldError("after", "after应为正整数（上一页最后一个问题的id）")
		}
		page = 0
	}
	if q.Page != "" {
		if page, err = strconv.Atoi(q.Page); err != nil || page < 1 {
			return f, 0, 0, ducha.FieldError("page", "页码应为正整数")
		}
	}
	if q.PerPage != "" {
		if perPage, err = strconv.Atoi(q.PerPage); err != nil || perPage < 1 {
			return f, 0, 0, ducha.FieldError("per_page", "每页条数应为正整数")
		}
		perPage = min(perPage, ducha.MaxPerPage)
	}
	f.Limit = perPage
	if page > 0 {
		if page > ducha.MaxOffset/perPage {
			return f, 0, 0, ducha.FieldError("page", "页码过大：请用after按上一页最后一个问题翻页")
		}
		f.Offset = (page - 1) * perPage
		if f.Sort != "" && f.Offset > ducha.MaxSortOffset {
			return f, 0, 0, ducha.FieldError("page", "按列排序时最多翻到第%d条（第%d页）：请缩小筛选范围，或改用默认排序", ducha.MaxSortOffset, ducha.MaxSortOffset/perPage+1)
		}
	}
	return f, page, perPage, nil
}

// ResolveUnit finds a unit by id or exact name, as every body and query
// may name it.
func (s *Server) ResolveUnit(ctx context.Context, field, ref string) (*ducha.Unit, error) {
	ref = strings.TrimSpace(ref)
	if id, err := strconv.ParseInt(ref, 10, 64); err == nil {
		u, err := s.Units.FindUnitByID(ctx, id)
		if err == nil {
			return u, nil
		} else if ducha.ErrorCode(err) != ducha.ENOTFOUND {
			return nil, err
		}
	}
	u, err := s.Units.FindUnitByName(ctx, ref)
	if code := ducha.ErrorCode(err); code == ducha.ENOTFOUND || code == ducha.EINVALID {
		return nil, ducha.FieldError(field, "单位“%s”不存在", ref)
	}
	return u, err
}

// ProblemInput is the body of POST /api/v1/problems and the register form.
// Units may be named by id or exact name.
type ProblemInput struct {
	Code              string          `json:"code"`
	Source            string          `json:"source"`
	Description       string          `json:"description"`
	Area              string          `json:"area"`
	Address           string          `json:"address"`
	Subject           string          `json:"subject"`
	SubjectCreditCode string          `json:"subject_credit_code"`
	Types             []string        `json:"types"`
	TypeDetail        string          `json:"type_detail"`
	Industry          string          `json:"industry"`
	Mode              string          `json:"mode"`
	LeadUnit          ducha.UnitRef   `json:"lead_unit"`
	CoopUnits         []ducha.UnitRef `json:"coop_units"`
	Leader            string          `json:"leader"`
	Person            string          `json:"person"`
	Measures          string          `json:"measures"`
	Target            string          `json:"target"`
	Deadline          ducha.Date      `json:"deadline"`
	DeadlineText      string          `json:"deadline_text"`
	Note              string          `json:"note"`
	// ConfirmPastDeadline registers a deadline that has already passed.
	ConfirmPastDeadline bool `json:"confirm_past_deadline"`
}

// problem resolves the input's units and returns the problem to create;
// units that do not resolve are noted in fe, so that one answer names
// every wrong field. Only a fault is returned as an error.
func (s *Server) problem(ctx context.Context, in ProblemInput, fe *FormValidation) (*ducha.Problem, error) {
	t := strings.TrimSpace
	p := &ducha.Problem{
		Code: t(in.Code), Source: t(in.Source), Description: t(in.Description),
		Area: t(in.Area), Address: t(in.Address), Subject: t(in.Subject),
		SubjectCreditCode: t(in.SubjectCreditCode), Types: in.Types, TypeDetail: t(in.TypeDetail),
		Industry: t(in.Industry), Mode: t(in.Mode), Leader: t(in.Leader), Person: t(in.Person),
		Measures: t(in.Measures), Target: t(in.Target), Deadline: in.Deadline,
		DeadlineText: t(in.DeadlineText), Note: t(in.Note), CoopUnits: []string{},
	}
	if p.Types == nil {
		p.Types = []string{}
	}
	if p.DeadlineText == "" && p.Deadline.Valid() {
		p.DeadlineText = string(p.Deadline)
	}
	if in.LeadUnit != "" {
		u, err := s.ResolveUnit(ctx, "lead_unit", string(in.LeadUnit))
		if err := fe.MergeFields(err); err != nil {
			return nil, err
		}
		if u != nil {
			p.LeadUnitID, p.LeadUnit = u.ID, u.Name
		}
	}
	for _, ref := range in.CoopUnits {
		if ref == "" {
			continue
		}
		u, err := s.ResolveUnit(ctx, "coop_units", string(ref))
		if err := fe.MergeFields(err); err != nil {
			return nil, err
		}
		switch {
		case u == nil:
		case u.ID == p.LeadUnitID:
			fe.Add("coop_units", "配合单位不能与责任单位相同")
		case !slices.Contains(p.CoopUnitIDs, u.ID):
			p.CoopUnitIDs, p.CoopUnits = append(p.CoopUnitIDs, u.ID), append(p.CoopUnits, u.Name)
		}
	}
	return p, nil
}

// CreateProblem stores the input and reads the problem back with its
// derived fields. A refused input names every wrong field at once, those
// fe already holds (a form's unreadable date) included.
func (s *Server) CreateProblem(ctx context.Context, in ProblemInput, fe *FormValidation) (*ducha.Problem, error) {
	p, err := s.problem(ctx, in, fe)
	if err != nil {
		return nil, err
	}
	if err := fe.MergeFields(ducha.CheckTypedDeadline(p.Deadline, s.Today(), in.ConfirmPastDeadline)); err != nil {
		return nil, err
	}
	// The store validates again inside its transaction; validating here
	// first puts the domain's messages beside the others.
	if err := fe.MergeFields(p.Validate()); err != nil {
		return nil, err
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	if err := s.Problems.CreateProblem(ctx, p); err != nil {
		return nil, err
	}
	return s.Problems.FindProblemByID(ctx, p.ID)
}

// version settles the version a write is based on: If-Match or the body's
// version, which must agree when both are given. An edit (PATCH) without
// one is refused, so that nobody overwrites a change they have not seen; a
// workflow action may omit it (0), as its state rules guard it.
func Version(r *http.Request, body int, required bool) (int, error) {
	h, ok, err := ifMatchVersion(r)
	switch {
	case err != nil:
		return 0, err
	case ok && body != 0 && body != h:
		return 0, ducha.FieldError("version", "If-Match（%d）与请求体中的version（%d）不一致", h, body)
	case ok:
		return h, nil
	case body < 0:
		return 0, ducha.FieldError("version", "版本号（version）应为正整数")
	case body == 0 && required:
		return 0, ducha.FieldError("version", "请提供版本号（请求体version或If-Match请求头）")
	}
	return body, nil
}
