package ui

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"ducha"
	"ducha/http/web"
)

// The supervision notice pages (督办单): the list with the coordinator's
// form that issues one by hand, and one notice with the forms that sign
// for it, answer it and close it. The store scopes every read to the
// user's unit, so another unit's notice is as missing as a missing one.

// noticesPage is the list of notices as a table that replaces the
// spreadsheet, like the case list: filters fed by the store, sorting by
// column, a page size, a choice of columns, the export of what is
// filtered and, for the coordinator, the form that issues a notice.
type noticesPage struct {
	page
	Query    noticeQuery
	Kinds    []ducha.NoticeKind
	Statuses []ducha.NoticeStatus
	Units    []*ducha.Unit
	Items    []*ducha.Notice
	Total    int
	listPager
	Error string
	// Sort is the list's order; Columns are the shown columns in order,
	// Optional those the user may hide, Cols the chosen ones.
	Sort      listSort
	Columns   []noticeColumn
	Optional  []noticeColumn
	Cols      map[string]bool
	PerPage   int
	PerPages  []int
	ExportURL string
	// CanIssue shows the issue form; Issue is its input as typed, open
	// with its messages after a refused post.
	CanIssue bool
	Issue    issueInput
	Today    ducha.Date
}

// noticeQuery is the list's filter as the URL writes it; sort= and
// order= are the list's listSort.
type noticeQuery struct{ Status, Kind, Unit, Overdue, Q, Page, PerPage string }

// readNoticeQuery reads the filter of a notice list query.
func readNoticeQuery(v url.Values) noticeQuery {
	g := func(k string) string { return strings.TrimSpace(v.Get(k)) }
	return noticeQuery{Status: g("status"), Kind: g("kind"), Unit: g("unit"), Overdue: g("overdue"), Q: g("q"),
		Page: g("page"), PerPage: g("per_page")}
}

// issueInput is the issue form as typed.
type issueInput struct {
	Kind, Problem, Case, Text, Due string
	Open                           bool
	Error                          string
	Errors                         map[string]string
}

// Err is the message for one field of the issue form.
func (in *issueInput) Err(field string) string { return in.Errors[field] }

// noticeColumn is one column of the notice list; Header is the sort link
// of a column that sorts, nil for one that does not.
type noticeColumn struct {
	Key, Label string
	Header     *sortHeader
}

// noticeColumnKeys are the list's columns in order; the number is always
// shown, the others are the user's choice (cols=).
var noticeColumnKeys = []string{"no", "kind", "unit", "item", "text", "reason", "issued_on", "due", "status"}

// noticePerPages are the page sizes the list offers.
var noticePerPages = []int{20, 50, 100, 200}

// Show reports whether the column is shown.
func (p *noticesPage) Show(key string) bool { return key == "no" || p.Cols[key] }

// columns builds the shown and optional columns with their sort links.
func (p *noticesPage) columns() {
	for _, k := range noticeColumnKeys {
		c := noticeColumn{Key: k, Label: p.T("notice.field." + k)}
		if slices.Contains(ducha.NoticeSorts, k) {
			h := p.Sort.header(p.Lang, k, "notice.field."+k)
			c.Header = &h
		}
		if k != "no" {
			p.Optional = append(p.Optional, c)
		}
		if p.Show(k) {
			p.Columns = append(p.Columns, c)
		}
	}
}

// NoticeKindLabel names a notice kind (催办, 督办, 挂牌督办).
func (p *page) NoticeKindLabel(k ducha.NoticeKind) string {
	return p.labelOr("notice.kind."+string(k), k.Label())
}

// NoticeStatusLabel names a notice status.
func (p *page) NoticeStatusLabel(st ducha.NoticeStatus) string {
	return p.labelOr("notice.status."+string(st), st.Label())
}

// NoticeItemLink is the path of a notice's problem or case.
func (p *page) NoticeItemLink(n *ducha.Notice) string {
	kind, id := n.Item()
	return itemPath(kind, id)
}

// NoticeItemText names a notice's item: 问题 #12, 交办件 #3.
func (p *page) NoticeItemText(n *ducha.Notice) string {
	kind, id := n.Item()
	return p.T("notice.item."+kind, id)
}

// itemPath is the page of a problem or a case.
func itemPath(kind string, id int64) string {
	if kind == ducha.ItemCase {
		return "/cases/" + strconv.FormatInt(id, 10)
	}
	return "/problems/" + strconv.FormatInt(id, 10)
}

// KindSelected reports whether the filter names kind k.
func (p *noticesPage) KindSelected(k ducha.NoticeKind) bool { return p.Query.Kind == string(k) }

// StatusSelected reports whether the filter names status st.
func (p *noticesPage) StatusSelected(st ducha.NoticeStatus) bool { return p.Query.Status == string(st) }

// UnitSelected reports whether the filter names unit u, by id or name.
func (p *noticesPage) UnitSelected(u *ducha.Unit) bool {
	return refersTo(ducha.UnitRef(p.Query.Unit), u)
}

// OverdueIn reports whether column col shows that notice n is overdue:
// the status column, else the due date's, else the number's, whichever
// is the first shown, so that the mark never goes with a hidden column.
func (p *noticesPage) OverdueIn(col string, n *ducha.Notice) bool {
	if !n.Overdue(p.Today) {
		return false
	}
	for _, k := range []string{"status", "due", "no"} {
		if p.Show(k) {
			return k == col
		}
	}
	return false
}

func (s *handler) handleNoticesPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderNotices(w, r, issueInput{})
}

// renderNotices shows the list for the URL's query; in is the issue
// form's input (open after a refused post).
func (s *handler) renderNotices(w http.ResponseWriter, r *http.Request, in issueInput) error {
	if s.Notices == nil {
		return web.ErrNoNotices
	}
	ctx := r.Context()
	v := listParams(r.URL.Query(), noticeListParams, noticeColumnKeys)
	p := noticesPage{
		page:  s.newPage(w, r, "notices.title"),
		Query: readNoticeQuery(v),
		Kinds: ducha.NoticeKinds, Statuses: ducha.NoticeStatuses, Cols: shownColumns(v, noticeColumnKeys), PerPages: noticePerPages,
		Issue: in, Today: s.Today(),
	}
	p.CanIssue = ducha.Can(p.User, ducha.PermRegister)
	if p.Issue.Kind == "" {
		p.Issue.Kind = string(ducha.NoticeReminder)
	}
	status := http.StatusOK
	if in.Error != "" {
		status = http.StatusBadRequest
	}
	var err error
	if p.Units, err = s.Units.FindUnits(ctx); err != nil {
		return err
	}
	if u := p.User; u != nil && u.Role.UnitScoped() {
		// A unit's user sees its own unit's notices only: the other units
		// would filter to nothing.
		p.Units = slices.DeleteFunc(p.Units, func(x *ducha.Unit) bool { return x.ID != u.UnitID })
	}
	p.Sort, err = readListSort("/notices", v, ducha.NoticeSorts)
	p.columns()
	list := nonEmpty(v)
	list.Del("page")
	if ducha.Can(p.User, ducha.PermExport) {
		p.ExportURL = "/notices/export.xlsx?" + list.Encode()
	}
	pageNo, perPage := 1, web.DefaultPerPage
	if err == nil {
		var f ducha.NoticeFilter
		f, pageNo, perPage, err = s.noticeFilter(ctx, p.Query, p.Sort)
		if err == nil {
			p.Items, p.Total, err = s.Notices.FindNotices(ctx, f)
		}
	}
	p.PerPage = perPage
	if ducha.ErrorCode(err) == ducha.EINVALID {
		// A bad filter shows the form with the message and an empty list.
		p.Error = ducha.ErrorMessage(err)
		return s.render(w, http.StatusBadRequest, "notices", &p)
	} else if err != nil {
		return err
	}
	p.listPager = newListPager(p.Total, pageNo, perPage, func(n int) string { return listPageURL("/notices", nonEmpty(v), n) })
	return s.render(w, status, "notices", &p)
}

// noticeFilter turns the list's query and order into a store filter; the
// store checks the status and the kind and adds the user's unit scope.
func (s *handler) noticeFilter(ctx context.Context, q noticeQuery, sort listSort) (f ducha.NoticeFilter, page, perPage int, err error) {
	f = ducha.NoticeFilter{Status: ducha.NoticeStatus(q.Status), Kind: ducha.NoticeKind(q.Kind), Q: q.Q,
		Sort: sort.Key, Desc: sort.Desc}
	if err := web.CheckSearch(q.Q); err != nil {
		return f, 0, 0, err
	}
	if q.Unit != "" {
		u, err := s.ResolveUnit(ctx, "unit", q.Unit)
		if err != nil {
			return f, 0, 0, err
		}
		f.UnitID = u.ID
	}
	if q.Overdue != "" {
		b, err := web.FlagField("overdue", "是否逾期", q.Overdue)
		if err != nil {
			return f, 0, 0, err
		}
		f.Overdue = &b
	}
	if page, perPage, err = web.ReadPaging(q.Page, q.PerPage); err != nil {
		return f, 0, 0, err
	}
	f.Offset, f.Limit = (page-1)*perPage, perPage
	return f, page, perPage, nil
}

// handleNoticeIssueSubmit issues a notice by hand from the list's form.
// A refused input shows the list again with the form open.
func (s *handler) handleNoticeIssueSubmit(w http.ResponseWriter, r *http.Request) error {
	if s.Notices == nil {
		return web.ErrNoNotices
	}
	if err := web.ParseForm(w, r); err != nil {
		return err
	}
	in := issueInput{Kind: web.FormValue(r, "kind"), Problem: web.FormValue(r, "problem"), Case: web.FormValue(r, "case"),
		Text: web.FormValue(r, "text"), Due: web.FormValue(r, "due")}
	n := &ducha.Notice{Kind: ducha.NoticeKind(in.Kind), Text: in.Text}
	err := formItemID(in.Problem, "problem", "问题ID", &n.ProblemID)
	if err == nil {
		err = formItemID(in.Case, "case", "交办件ID", &n.CaseID)
	}
	if err == nil {
		// Typed as 2026年12月7日 (or 2026-12-07, 20261207...), whatever the
		// browser's locale: a text input, not a date picker.
		n.Due, err = web.DateField("due", "答复期限", in.Due)
	}
	if err == nil {
		err = s.Notices.IssueNotice(r.Context(), n)
	}
	if formError(err) {
		in.Open = true
		in.Error, in.Errors = web.FieldErrors(err)
		return s.renderNotices(w, r, in)
	} else if err != nil {
		return err
	}
	s.setFlash(w, r, flashDone, "notice_issue")
	http.Redirect(w, r, "/notices/"+strconv.FormatInt(n.ID, 10), http.StatusSeeOther)
	return nil
}

// formItemID reads an optional item id typed into a form.
func formItemID(v, field, label string, into *int64) error {
	if v == "" {
		return nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return ducha.FieldError(field, "%s应为正整数，收到“%s”", label, v)
	}
	*into = id
	return nil
}

// noticePage shows one notice: every field, the answer, the history and
// the forms the user may use on it now.
type noticePage struct {
	page
	N       *ducha.Notice
	Forms   []*noticeForm
	History []historyRow
	Error   string
	// Issuer, Signer, Answerer and Closer name the people as a reader
	// knows them (李四（永清镇）); "" for a step not taken.
	Issuer, Signer, Answerer, Closer string
	// Overdue marks a notice past its due date and not yet answered.
	Overdue bool
}

// noticeForm is one action's form on the notice page.
type noticeForm struct {
	Action string
	Open   bool
	Text   string // as typed, after a refused post
	Error  string
	Errors map[string]string
}

// Err is the message for one field.
func (f *noticeForm) Err(field string) string { return f.Errors[field] }

// NoticeActionLabel names a notice action or event (签收, 答复, 关闭, 下发).
func (p *page) NoticeActionLabel(action string) string {
	return p.labelOr("action.notice_"+action, p.ActionLabel(action))
}

// noticeForms lists the forms u may use on n now. It mirrors the rules of
// ducha.ApplyNoticeAction so that no form is offered that would surely be
// refused; the store still decides.
func noticeForms(u *ducha.User, n *ducha.Notice) []*noticeForm {
	if u == nil {
		return nil
	}
	own := ducha.Can(u, ducha.PermWork) && u.Role.UnitScoped() && u.UnitID != 0 && u.UnitID == n.UnitID
	open := n.Status == ducha.NoticeIssued || n.Status == ducha.NoticeSigned
	ok := map[string]bool{
		ducha.NoticeActSign:   own && n.Status == ducha.NoticeIssued,
		ducha.NoticeActAnswer: own && open,
		ducha.NoticeActClose:  ducha.Can(u, ducha.PermRegister) && n.Status != ducha.NoticeClosed,
	}
	var forms []*noticeForm
	for _, a := range ducha.NoticeActions {
		if ok[a] {
			forms = append(forms, &noticeForm{Action: a})
		}
	}
	return forms
}

// noticeState is what a refused action post hands back to the page.
type noticeState struct {
	action, text string
	err          error
}

func (s *handler) handleNoticePage(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "督办单")
	if err != nil {
		return err
	}
	return s.renderNotice(w, r, id, noticeState{})
}

// renderNotice reads the notice afresh and shows it; a refused post opens
// its form again with the text kept and the message.
func (s *handler) renderNotice(w http.ResponseWriter, r *http.Request, id int64, st noticeState) error {
	if s.Notices == nil {
		return web.ErrNoNotices
	}
	ctx := r.Context()
	n, err := s.Notices.FindNoticeByID(ctx, id)
	if err != nil {
		return err
	}
	events, err := s.Notices.FindNoticeEvents(ctx, id)
	if err != nil {
		return err
	}
	d := noticePage{page: s.newPage(w, r, "notice.title"), N: n, Forms: noticeForms(web.RequestUser(r), n), Overdue: n.Overdue(s.Today())}
	d.Title = n.No + " · " + d.Title
	d.History = noticeHistory(&d.page, events)
	s.nameActors(ctx, &d.page, d.History)
	d.Issuer = s.actorName(ctx, &d.page, n.IssuedBy)
	if n.SignedAt != nil {
		d.Signer = s.actorName(ctx, &d.page, n.SignedBy)
	}
	if n.AnsweredAt != nil {
		d.Answerer = s.actorName(ctx, &d.page, n.AnsweredBy)
	}
	if n.ClosedAt != nil {
		d.Closer = s.actorName(ctx, &d.page, n.ClosedBy)
	}
	status := http.StatusOK
	if st.err != nil {
		status = web.ErrorStatus(ducha.ErrorCode(st.err))
		msg, fields := web.FieldErrors(st.err)
		i := slices.IndexFunc(d.Forms, func(f *noticeForm) bool { return f.Action == st.action })
		if i < 0 {
			d.Error = msg // the notice moved on; the form is gone
		} else {
			f := d.Forms[i]
			f.Open, f.Error, f.Errors, f.Text = true, msg, fields, st.text
		}
	}
	return s.render(w, status, "notice", &d)
}

// noticeHiddenFields are event fields that mean nothing to a reader.
var noticeHiddenFields = []string{"id", "unit_id", "version", "problem", "case"}

// noticeFieldOrder is the order the history lists changed fields in.
var noticeFieldOrder = []string{"no", "kind", "unit", "text", "reason", "due", "status", "signed_at", "answer",
	"answered_at", "closed_at", "close_note"}

// noticeValueText writes one value of a notice event for people.
func noticeValueText(p *page, key string, raw []byte) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	switch key {
	case "kind":
		return p.NoticeKindLabel(ducha.NoticeKind(jsonText(raw)))
	case "status":
		return p.NoticeStatusLabel(ducha.NoticeStatus(jsonText(raw)))
	}
	return valueText(p, key, raw)
}

// handleNoticeActionSubmit runs one action from its form: back to the
// notice with a message, or the page again with the form open and the
// message next to the field.
func (s *handler) handleNoticeActionSubmit(w http.ResponseWriter, r *http.Request) error {
	if s.Notices == nil {
		return web.ErrNoNotices
	}
	id, err := web.PathID(r, "督办单")
	if err != nil {
		return err
	}
	action := r.PathValue("action")
	if !slices.Contains(ducha.NoticeActions, action) {
		return ducha.NotFound("操作“" + action + "”")
	}
	if err := web.ParseForm(w, r); err != nil {
		return err
	}
	text := web.FormValue(r, "text")
	v, err := formVersion(r)
	if err == nil {
		_, err = s.Notices.ActOnNotice(r.Context(), id, action, v, text)
	}
	if formError(err) {
		return s.renderNotice(w, r, id, noticeState{action: action, text: text, err: err})
	} else if err != nil {
		return err
	}
	s.setFlash(w, r, flashDone, "notice_"+action)
	http.Redirect(w, r, "/notices/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}

// noticeCSS lays a notice out on one A4 sheet when printed: the header,
// the forms and the links back are left off. It is served rather than
// written into the page because the pages' Content-Security-Policy
// allows no inline styles.
const noticeCSS = `/* ducha: a supervision notice (督办单) printed on one A4 sheet. */
.notice-doc h1 { text-align: center; }
.notice-doc .notice-no { text-align: center; color: #555; }
@media print {
  @page { size: A4 portrait; margin: 18mm 16mm; }
  header.top, nav, form, details.action, .noprint, .flash { display: none !important; }
  body { font-size: 11pt; }
  main { max-width: none; padding: 0; }
  .notice-doc { page-break-inside: avoid; }
  .notice-doc dl.fields { border: none; padding: 0; }
  table.history { font-size: 9pt; }
}
`

func (s *handler) handleNoticeCSS(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	_, _ = w.Write([]byte(noticeCSS))
	return nil
}
