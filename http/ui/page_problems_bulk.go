package ui

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"ducha"
	"ducha/http/web"
)

// problemsBulkPage is the outcome of a bulk notice from the ledger (批量催办):
// one line per problem chosen, issued or why not.
type problemsBulkPage struct {
	page
	Kind    ducha.NoticeKind
	Results []problemBulkResult
	Issued  int
	Failed  int
	BackURL string
	Error   string
}

// problemBulkResult is what became of one problem of a bulk notice.
type problemBulkResult struct {
	Ref    string // the id as posted
	ID     int64
	Code   string // "" when the problem could not be read
	Notice *ducha.Notice
	Error  string
}

// handleProblemsBulk issues one notice of the chosen kind for each problem
// selected on the ledger (id), or for every problem of the page shown
// (page_id, with all=page). Each notice is its own call of the notice
// service, and so its own transaction: one refused (already issued at that
// level, closed, not assigned, not visible) leaves the others issued, and
// the page says which and why.
func (s *handler) handleProblemsBulk(w http.ResponseWriter, r *http.Request) error {
	if s.Notices == nil {
		return web.ErrNoNotices
	}
	if err := web.ParseForm(w, r); err != nil {
		return err
	}
	p := problemsBulkPage{page: s.newPage(w, r, "ledger.bulk_title"), BackURL: "/problems"}
	if back := web.FormValue(r, "back"); (back == "/problems" || strings.HasPrefix(back, "/problems?")) && !strings.ContainsAny(back, "\\\r\n") {
		p.BackURL = back
	}
	refs := r.PostForm["id"]
	if web.FormValue(r, "all") == "page" {
		refs = append(refs, r.PostForm["page_id"]...)
	}
	var seen []string
	for _, ref := range refs {
		if ref = strings.TrimSpace(ref); ref != "" && !slices.Contains(seen, ref) {
			seen = append(seen, ref)
		}
	}
	p.Kind = ducha.NoticeKind(web.FormValue(r, "kind"))
	text := web.FormValue(r, "text")
	switch {
	case len(seen) == 0:
		p.Error = "请先勾选要督办的问题（id），或勾选“全选本页”"
	case len(seen) > ducha.MaxPerPage:
		p.Error = "一次最多督办" + strconv.Itoa(ducha.MaxPerPage) + "个问题（id），请分批操作"
	case p.Kind.Level() == 0:
		p.Error = "督办类型（kind）“" + string(p.Kind) + "”无效，应为催办、督办或挂牌督办"
	case text == "":
		p.Error = "请填写督办内容（text）"
	}
	if p.Error != "" {
		return s.render(w, http.StatusBadRequest, "problems_bulk", &p)
	}
	ctx := r.Context()
	for _, ref := range seen {
		res := problemBulkResult{Ref: ref}
		res.ID, _ = strconv.ParseInt(ref, 10, 64)
		if res.ID < 1 {
			res.Error = "“" + ref + "”不是有效的问题id"
		} else if pr, err := s.Problems.FindProblemByID(ctx, res.ID); err != nil {
			if ducha.ErrorCode(err) == ducha.EINTERNAL {
				return err
			}
			res.Error = ducha.ErrorMessage(err)
		} else {
			res.Code = pr.Code
			n := &ducha.Notice{Kind: p.Kind, ProblemID: res.ID, Text: text}
			if err := s.Notices.IssueNotice(ctx, n); ducha.ErrorCode(err) == ducha.EINTERNAL {
				return err
			} else if err != nil {
				res.Error = ducha.ErrorMessage(err)
			} else {
				res.Notice = n
			}
		}
		if res.Notice != nil {
			p.Issued++
		} else {
			p.Failed++
		}
		p.Results = append(p.Results, res)
	}
	return s.render(w, http.StatusOK, "problems_bulk", &p)
}
