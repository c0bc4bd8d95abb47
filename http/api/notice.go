package api

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"ducha"
	"ducha/http/web"
)

func (s *handler) handleNoticeList(w http.ResponseWriter, r *http.Request) error {
	if s.Notices == nil {
		return web.ErrNoNotices
	}
	ctx := r.Context()
	v := r.URL.Query()
	g := func(k string) string { return strings.TrimSpace(v.Get(k)) }
	// The store refuses a status or kind it does not know, naming the field.
	f := ducha.NoticeFilter{Status: ducha.NoticeStatus(g("status")), Kind: ducha.NoticeKind(g("kind"))}
	q, err := s.readItemQuery(r)
	if err != nil {
		return err
	}
	f.UnitID, f.ProblemID, f.CaseID, f.Offset, f.Limit = q.unit, q.problem, q.cse, q.offset, q.limit
	page, perPage := q.page, q.perPage
	items, total, err := s.Notices.FindNotices(ctx, f)
	if err != nil {
		return err
	}
	if items == nil {
		items = []*ducha.Notice{}
	}
	web.WriteJSON(w, http.StatusOK, web.List[*ducha.Notice]{Items: items, Total: total, Page: page, PerPage: perPage})
	return nil
}

func (s *handler) findNotice(r *http.Request) (*ducha.Notice, error) {
	if s.Notices == nil {
		return nil, web.ErrNoNotices
	}
	id, err := web.PathID(r, "督办单")
	if err != nil {
		return nil, err
	}
	return s.Notices.FindNoticeByID(r.Context(), id)
}

func (s *handler) handleNoticeGet(w http.ResponseWriter, r *http.Request) error {
	n, err := s.findNotice(r)
	if err != nil {
		return err
	}
	web.WriteVersioned(w, http.StatusOK, n.Version, n)
	return nil
}

// noticeRequest is the body of POST /api/v1/notices.
type noticeRequest struct {
	Kind    ducha.NoticeKind `json:"kind"`
	Problem int64            `json:"problem"`
	Case    int64            `json:"case"`
	Text    string           `json:"text"`
	Due     string           `json:"due"`
}

func (s *handler) handleNoticeCreate(w http.ResponseWriter, r *http.Request) error {
	if s.Notices == nil {
		return web.ErrNoNotices
	}
	var in noticeRequest
	if err := web.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	due, err := ducha.ParseDateISO(strings.TrimSpace(in.Due))
	if err != nil {
		return ducha.FieldError("due", "答复期限格式应为 YYYY-MM-DD")
	}
	n := &ducha.Notice{Kind: in.Kind, ProblemID: in.Problem, CaseID: in.Case, Text: in.Text, Due: due}
	if err := s.Notices.IssueNotice(r.Context(), n); err != nil {
		return err
	}
	web.WriteVersioned(w, http.StatusCreated, n.Version, n)
	return nil
}

// noticeActionRequest is the body of a notice action: the answer's text,
// or the closing note; the version is optional.
type noticeActionRequest struct {
	Text    string `json:"text"`
	Version int    `json:"version"`
}

func (s *handler) handleNoticeAction(w http.ResponseWriter, r *http.Request) error {
	action := r.PathValue("action")
	if !slices.Contains(ducha.NoticeActions, action) {
		return ducha.NotFound("操作“" + action + "”")
	}
	var in noticeActionRequest
	if err := web.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	v, err := web.Version(r, in.Version, false)
	if err != nil {
		return err
	}
	n, err := s.findNotice(r)
	if err != nil {
		return err
	}
	if n, err = s.Notices.ActOnNotice(r.Context(), n.ID, action, v, in.Text); err != nil {
		return err
	}
	web.WriteVersioned(w, http.StatusOK, n.Version, n)
	return nil
}

func (s *handler) handleNoticeEvents(w http.ResponseWriter, r *http.Request) error {
	n, err := s.findNotice(r)
	if err != nil {
		return err
	}
	events, err := s.Notices.FindNoticeEvents(r.Context(), n.ID)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, web.WholeList(events))
	return nil
}

// itemQuery is what the lists of notices and of accountability records
// filter by, besides their own fields: a unit (id or name), a problem, a
// case, and the page.
type itemQuery struct {
	unit, problem, cse int64
	page, perPage      int
	offset, limit      int
}

// readItemQuery reads ?unit=&problem=&case=&page=&per_page=, naming the
// field that is wrong.
func (s *handler) readItemQuery(r *http.Request) (itemQuery, error) {
	var q itemQuery
	v := r.URL.Query()
	g := func(k string) string { return strings.TrimSpace(v.Get(k)) }
	if ref := g("unit"); ref != "" {
		u, err := s.ResolveUnit(r.Context(), "unit", ref)
		if err != nil {
			return q, err
		}
		q.unit = u.ID
	}
	for _, p := range []struct {
		name string
		into *int64
	}{{"problem", &q.problem}, {"case", &q.cse}} {
		if t := g(p.name); t != "" {
			id, err := strconv.ParseInt(t, 10, 64)
			if err != nil || id <= 0 {
				return q, ducha.FieldError(p.name, "编号“%s”无效", t)
			}
			*p.into = id
		}
	}
	var err error
	if q.page, q.perPage, err = web.ReadPaging(g("page"), g("per_page")); err != nil {
		return q, err
	}
	q.offset, q.limit = (q.page-1)*q.perPage, q.perPage
	return q, nil
}
