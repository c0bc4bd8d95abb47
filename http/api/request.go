package api

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"ducha"
	"ducha/http/web"
)

func (s *handler) handleRequestList(w http.ResponseWriter, r *http.Request) error {
	if s.Requests == nil {
		return web.ErrNoRequests
	}
	q, err := s.readItemQuery(r)
	if err != nil {
		return err
	}
	f := ducha.DocRequestFilter{Status: ducha.DocRequestStatus(strings.TrimSpace(r.URL.Query().Get("status"))),
		UnitID: q.unit, Offset: q.offset, Limit: q.limit}
	items, total, err := s.Requests.FindDocRequests(r.Context(), f)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, web.List[*ducha.DocRequest]{Items: items, Total: total, Page: q.page, PerPage: q.perPage})
	return nil
}

// requestCreate is the body of POST /api/v1/requests: one item, or many
// in items (all or none).
type requestCreate struct {
	web.RequestInput
	Items []web.RequestInput `json:"items"`
}

func (s *handler) handleRequestCreate(w http.ResponseWriter, r *http.Request) error {
	if s.Requests == nil {
		return web.ErrNoRequests
	}
	var in requestCreate
	if err := web.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	many := in.Items != nil
	if many && (in.Item != "" || in.Unit != "" || in.Due != "" || in.No != 0) {
		return ducha.FieldError("items", "请只用 items 列出多项，或只填写一项的 item、unit、due")
	}
	list := in.Items
	if !many {
		list = []web.RequestInput{in.RequestInput}
	}
	var rs []*ducha.DocRequest
	for i, it := range list {
		req, err := it.Request("due")
		if err != nil {
			if many {
				return ducha.FieldError("due", "第%d项：提供期限格式应为 YYYY-MM-DD", i+1)
			}
			return err
		}
		rs = append(rs, req)
	}
	if err := s.Requests.AddDocRequests(r.Context(), rs); err != nil {
		return err
	}
	if !many {
		w.Header().Set("Location", "/api/v1/requests/"+strconv.FormatInt(rs[0].ID, 10))
		web.WriteVersioned(w, http.StatusCreated, rs[0].Version, rs[0])
		return nil
	}
	web.WriteJSON(w, http.StatusCreated, web.WholeList(rs))
	return nil
}

func (s *handler) handleRequestGet(w http.ResponseWriter, r *http.Request) error {
	req, err := s.FindRequest(r)
	if err != nil {
		return err
	}
	web.WriteVersioned(w, http.StatusOK, req.Version, req)
	return nil
}

func (s *handler) handleRequestEvents(w http.ResponseWriter, r *http.Request) error {
	req, err := s.FindRequest(r)
	if err != nil {
		return err
	}
	events, err := s.Requests.FindDocRequestEvents(r.Context(), req.ID)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, web.WholeList(events))
	return nil
}

func (s *handler) handleRequestFile(w http.ResponseWriter, r *http.Request) error {
	if s.Requests == nil {
		return web.ErrNoRequests
	}
	id, err := web.PathID(r, "调阅事项")
	if err != nil {
		return err
	}
	req, err := s.Requests.FindDocRequestFile(r.Context(), id)
	if err != nil {
		return err
	}
	serveFile(w, *req.File, req.Data)
	return nil
}

func (s *handler) handleRequestAction(w http.ResponseWriter, r *http.Request) error {
	action := r.PathValue("action")
	if !slices.Contains(ducha.DocRequestActions, action) {
		return ducha.NotFound("操作“" + action + "”")
	}
	a, err := s.ReadRequestAction(w, r, action)
	if err != nil {
		return err
	}
	req, err := s.Requests.ActOnDocRequest(r.Context(), a.ID, a.DocRequestAction)
	if a.Release != nil {
		a.Release()
	}
	if err != nil {
		return err
	}
	web.WriteVersioned(w, http.StatusOK, req.Version, req)
	return nil
}
