package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"ducha"
	"ducha/text"
)

// CaseQuery is a case list query as the URL writes it; the list page
// echoes it back into its filter form.
type CaseQuery struct {
	Batch, Status, Unit, Area, Type, Verdict, Published, Q string
	Channel, Key, Sort, Order                              string
	Page, PerPage                                          string
}

func ReadCaseQuery(v url.Values) CaseQuery {
	g := func(k string) string { return strings.TrimSpace(v.Get(k)) }
	return CaseQuery{
		Batch: g("batch"), Status: g("status"), Unit: g("unit"), Area: g("area"), Type: g("type"),
		Verdict: g("verdict"), Published: g("published"), Q: g("q"),
		Channel: g("channel"), Key: g("key"), Sort: g("sort"), Order: g("order"),
		Page: g("page"), PerPage: g("per_page"),
	}
}

// ParseCaseStatus accepts a status as the API writes it (investigating) or
// as people do (办理中).
func ParseCaseStatus(s string) (ducha.CaseStatus, bool) {
	for _, st := range ducha.CaseStatuses {
		if s == string(st) || s == st.Label() {
			return st, true
		}
	}
	return "", false
}

// ParseBatchNumber reads a batch number: 3, ３ or 第3批.
func ParseBatchNumber(field, s string) (int, error) {
	v := strings.TrimSuffix(strings.TrimPrefix(text.Clean(s), "第"), "批")
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n <= 0 {
		return 0, ducha.FieldError(field, "批次号应为正整数，收到“%s”", s)
	}
	return n, nil
}

// ReadPaging reads page (1-based) and per_page, bounded by MaxPerPage.
func ReadPaging(pageText, perPageText string) (page, perPage int, err error) {
	page, perPage = 1, DefaultPerPage
	if pageText != "" {
		if page, err = strconv.Atoi(pageText); err != nil || page < 1 {
			return 0, 0, ducha.FieldError("page", "页码应为正整数")
		}
	}
	if perPageText != "" {
		if perPage, err = strconv.Atoi(perPageText); err != nil || perPage < 1 {
			return 0, 0, ducha.FieldError("per_page", "每页条数应为正整数")
		}
		perPage = min(perPage, ducha.MaxPerPage)
	}
	return page, perPage, nil
}

// CaseFilter turns the query into a store filter; the store adds the
// user's unit scope.
func (s *Server) CaseFilter(ctx context.Context, q CaseQuery) (f ducha.CaseFilter, page, perPage int, err error) {
	f = ducha.CaseFilter{Area: q.Area, Q: q.Q}
	if err := CheckSearch(q.Q); err != nil {
		return f, 0, 0, err
	}
	if q.Batch != "" {
		if f.Batch, err = ParseBatchNumber("batch", q.Batch); err != nil {
			return f, 0, 0, err
		}
	}
	if q.Status != "" {
		st, ok := ParseCaseStatus(q.Status)
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
	if q.Verdict != "" {
		if !slices.Contains(ducha.Verdicts, q.Verdict) {
			return f, 0, 0, ducha.FieldError("verdict", "是否属实应为%s之一", strings.Join(ducha.Verdicts, "、"))
		}
		f.Verdict = q.Verdict
	}
	if q.Published != "" {
		b, err := FlagField("published", "是否公开", q.Published)
		if err != nil {
			return f, 0, 0, err
		}
		f.Published = &b
	}
	if q.Channel != "" {
		if !slices.Contains(ducha.Channels, q.Channel) {
			return f, 0, 0, ducha.FieldError("channel", "来源渠道应为%s之一", strings.Join(ducha.Channels, "、"))
		}
		f.Channel = q.Channel
	}
	if q.Key != "" {
		b, err := FlagField("key", "是否重点件", q.Key)
		if err != nil {
			return f, 0, 0, err
		}
		f.Key = &b
	}
	if q.Sort != "" {
		if !slices.Contains(ducha.CaseSorts, q.Sort) {
			return f, 0, 0, ducha.FieldError("sort", "不能按“%s”排序", q.Sort)
		}
		f.Sort = q.Sort
	}
	switch q.Order {
	case "", "asc":
	case "desc":
		f.Desc = true
	default:
		return f, 0, 0, ducha.FieldError("order", "排序方向应为asc或desc")
	}
	if q.Unit != "" {
		u, err := s.ResolveUnit(ctx, "unit", q.Unit)
		if err != nil {
			return f, 0, 0, err
		}
		f.UnitID = u.ID
	}
	if page, perPage, err = ReadPaging(q.Page, q.PerPage); err != nil {
		return f, 0, 0, err
	}
	f.Offset, f.Limit = (page-1)*perPage, perPage
	return f, page, perPage, nil
}

// ErrNoCases answers the case routes of a server built without cases.
var ErrNoCases = ducha.Errorf(ducha.ENOTFOUND, "本服务未启用交办件")

// FindCase reads the case a path's {id} names: digits are the internal
// id, anything else the acceptance number. Another unit's case answers
// exactly like a missing one; the store decides which the user may see.
func (s *Server) FindCase(r *http.Request) (*ducha.Case, error) {
	if s.Cases == nil {
		return nil, ErrNoCases
	}
	ref := strings.TrimSpace(r.PathValue("id"))
	if ref != "" && strings.Trim(ref, "0123456789") == "" {
		// All digits: the internal id, else an acceptance number written
		// as a plain number (2145), as some offices number their cases.
		if id, err := strconv.ParseInt(ref, 10, 64); err == nil && id > 0 {
			c, err := s.Cases.FindCaseByID(r.Context(), id)
			if ducha.ErrorCode(err) != ducha.ENOTFOUND {
				return c, err
			}
		}
	}
	if ref == "" {
		return nil, ducha.NotFound("交办件")
	}
	return s.Cases.FindCaseByAcceptanceNo(r.Context(), ref)
}

// measureProposal is a measure read from a handling text, shaped like a
// submitted measure so that a client can confirm it, add the enterprise
// and send it back.
type measureProposal struct {
	Kind       string      `json:"kind"`
	Label      string      `json:"label"`
	Enterprise string      `json:"enterprise,omitempty"`
	Persons    int         `json:"persons,omitempty"`
	FineYuan   ducha.Money `json:"fine_yuan"`
	Evidence   string      `json:"evidence"`
}

// ProposeMeasures reads the measures a handling text reports.
func ProposeMeasures(handling string) []measureProposal {
	out := []measureProposal{}
	for _, p := range text.ProposeMeasures(handling) {
		out = append(out, measureProposal{Kind: p.Kind, Label: ducha.MeasureLabel(p.Kind), Enterprise: p.Enterprise,
			Persons: p.Persons, FineYuan: ducha.Money(p.FineFen), Evidence: p.Evidence})
	}
	return out
}
