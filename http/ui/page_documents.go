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

// The document pages: the library (文件库) with its search box, kind
// filter and the coordinator's upload form; one document with its text
// and a link to its original; and the document request list (调阅清单)
// with its due-date warnings and the forms each role may use on an item.

// documentsPage lists documents: a search, a kind filter, sorting by
// column, a page size, a choice of columns and the export of what is
// filtered.
type documentsPage struct {
	page
	Q, Kind string
	Kinds   []ducha.DocumentKind
	Sort    listSort
	PerPage int
	Items   []*ducha.Document
	Total   int
	listPager
	Error     string
	CanUpload bool
	// Cols are the chosen columns; Optional the columns one may choose.
	Cols      map[string]bool
	Optional  []listColumn
	ExportURL string
	// Upload is the upload form as typed, open with its message after a
	// refused post.
	Upload       web.DocumentInput
	UploadOpen   bool
	UploadError  string
	UploadErrors map[string]string
}

// UploadErr is the upload form's message for one field.
func (p *documentsPage) UploadErr(field string) string { return p.UploadErrors[field] }

// documentColumnKeys are the list's columns in order; the title is always
// shown, the others are the user's choice (cols=).
var documentColumnKeys = []string{"title", "kind", "date", "original", "uploaded"}

// Show reports whether the column is shown.
func (p *documentsPage) Show(key string) bool { return key == "title" || p.Cols[key] }

// ColSpan is how many columns a row of the table has.
func (p *documentsPage) ColSpan() int {
	n := 0
	for _, k := range documentColumnKeys {
		if p.Show(k) {
			n++
		}
	}
	return n
}

// DocumentKindLabel names a document kind.
func (p *page) DocumentKindLabel(k ducha.DocumentKind) string {
	return p.labelOr("document.kind."+string(k), k.Label())
}

// Size writes a file's size for people: 12 KB, 3.4 MB.
func (p *page) Size(n int64) string {
	switch {
	case n >= 1<<20:
		return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MB"
	case n >= 1<<10:
		return strconv.FormatInt((n+512)>>10, 10) + " KB"
	}
	return strconv.FormatInt(n, 10) + " B"
}

func (s *handler) handleDocumentsPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderDocuments(w, r, documentsPage{})
}

// renderDocuments shows the list for the URL's query; p carries the upload
// form's state after a refused post.
func (s *handler) renderDocuments(w http.ResponseWriter, r *http.Request, p documentsPage) error {
	if s.Documents == nil {
		return web.ErrNoDocuments
	}
	v := listParams(r.URL.Query(), documentListParams, documentColumnKeys)
	g := func(k string) string { return strings.TrimSpace(v.Get(k)) }
	p.page = s.newPage(w, r, "documents.title")
	p.Q, p.Kind, p.Kinds = g("q"), g("kind"), ducha.DocumentKinds
	p.CanUpload = ducha.Can(web.RequestUser(r), ducha.PermRegister)
	p.Cols, p.PageNo, p.Pages = shownColumns(v, documentColumnKeys), 1, 1
	for _, k := range documentColumnKeys[1:] {
		p.Optional = append(p.Optional, listColumn{Key: k, Label: p.T("documents." + k)})
	}
	status := http.StatusOK
	if p.UploadError != "" {
		status = http.StatusBadRequest
	}
	p.Sort, _ = readListSort("/documents", v, ducha.DocumentSorts)
	f, pageNo, err := documentFilter(v)
	p.PerPage = web.DefaultPerPage
	if err == nil {
		p.PerPage = f.Limit
		p.Items, p.Total, err = s.Documents.FindDocuments(r.Context(), f)
	}
	if ducha.ErrorCode(err) == ducha.EINVALID {
		p.Error = ducha.ErrorMessage(err)
		return s.render(w, http.StatusBadRequest, "documents", &p)
	} else if err != nil {
		return err
	}
	list := cloneQuery(v)
	list.Del("page")
	if ducha.Can(p.User, ducha.PermExport) {
		p.ExportURL = "/documents/export.xlsx?" + list.Encode()
	}
	perPage := p.PerPage
	p.listPager = newListPager(p.Total, pageNo, perPage, func(n int) string { return listPageURL("/documents", v, n) })
	return s.render(w, status, "documents", &p)
}

// documentFilter reads the list's query (kept to its known parameters)
// into a store filter for one page, and the page's number.
func documentFilter(v url.Values) (ducha.DocumentFilter, int, error) {
	g := func(k string) string { return strings.TrimSpace(v.Get(k)) }
	sort, err := readListSort("/documents", v, ducha.DocumentSorts)
	if err != nil {
		return ducha.DocumentFilter{}, 0, err
	}
	pageNo, perPage, err := web.ReadPaging(g("page"), g("per_page"))
	if err != nil {
		return ducha.DocumentFilter{}, 0, err
	}
	if err := web.CheckSearch(g("q")); err != nil {
		return ducha.DocumentFilter{}, 0, err
	}
	return ducha.DocumentFilter{Q: g("q"), Kind: ducha.DocumentKind(g("kind")), Offset: (pageNo - 1) * perPage, Limit: perPage,
		Sort: sort.Key, Desc: sort.Desc}, pageNo, nil
}

// listPageURL is a list's path with the same query on page n.
func listPageURL(path string, q url.Values, n int) string {
	q = cloneQuery(q)
	q.Set("page", strconv.Itoa(n))
	return path + "?" + q.Encode()
}

// cloneQuery copies a query.
func cloneQuery(q url.Values) url.Values {
	out := url.Values{}
	for k, v := range q {
		out[k] = slices.Clone(v)
	}
	return out
}

// handleDocumentUploadPage stores an uploaded document from the list's
// form; a refused file shows the list again with the form open.
func (s *handler) handleDocumentUploadPage(w http.ResponseWriter, r *http.Request) error {
	d, err := s.UploadDocumentForm(w, r)
	if ducha.ErrorCode(err) == ducha.EINVALID {
		p := documentsPage{UploadOpen: true}
		p.Upload = web.DocumentInput{Kind: r.FormValue("kind"), Title: r.FormValue("title"), Date: r.FormValue("date")}
		p.UploadError, p.UploadErrors = web.FieldErrors(err)
		return s.renderDocuments(w, r, p)
	} else if err != nil {
		return err
	}
	s.setFlash(w, r, flashDone, "document_upload")
	http.Redirect(w, r, "/documents/"+strconv.FormatInt(d.ID, 10), http.StatusSeeOther)
	return nil
}

// documentPage shows one document.
type documentPage struct {
	page
	D *ducha.Document
	// Paragraphs are the text's lines, each a paragraph.
	Paragraphs []string
}

func (s *handler) handleDocumentPage(w http.ResponseWriter, r *http.Request) error {
	d, err := s.FindDocument(r)
	if err != nil {
		return err
	}
	p := documentPage{page: s.newPage(w, r, "document.title"), D: d}
	p.Title = d.Title
	for line := range strings.SplitSeq(d.Text, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			p.Paragraphs = append(p.Paragraphs, line)
		}
	}
	return s.render(w, http.StatusOK, "document", &p)
}

// requestsPage is the document request list with the forms of each item.
type requestsPage struct {
	page
	Status   string
	Statuses []ducha.DocRequestStatus
	Items    []*requestRow
	Total    int
	listPager
	Error  string
	CanAdd bool
	Units  []*ducha.Unit
	Today  ducha.Date
	// Add is the add form as typed, open after a refused post.
	Add       web.RequestInput
	AddUnit   string
	AddOpen   bool
	AddError  string
	AddErrors map[string]string
}

// AddErr is the add form's message for one field.
func (p *requestsPage) AddErr(field string) string { return p.AddErrors[field] }

// requestRow is one item of the list with the forms the user may use on it.
type requestRow struct {
	*ducha.DocRequest
	CanSupply, CanCheck, CanHandOver bool
}

// RequestStatusLabel names a request status.
func (p *page) RequestStatusLabel(st ducha.DocRequestStatus) string {
	return p.labelOr("request.status."+string(st), st.Label())
}

func (s *handler) handleRequestsPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderRequests(w, r, requestsPage{})
}

// renderRequests shows the list for the URL's filter; p carries a refused
// post's message.
func (s *handler) renderRequests(w http.ResponseWriter, r *http.Request, p requestsPage) error {
	if s.Requests == nil {
		return web.ErrNoRequests
	}
	v := r.URL.Query()
	u := web.RequestUser(r)
	p.page = s.newPage(w, r, "requests.title")
	p.Status, p.Statuses, p.Today = strings.TrimSpace(v.Get("status")), ducha.DocRequestStatuses, s.Today()
	p.CanAdd = ducha.Can(u, ducha.PermRegister)
	status := http.StatusOK
	if p.AddError != "" || p.Error != "" {
		status = http.StatusBadRequest
	}
	if p.CanAdd && s.Units != nil {
		units, err := s.Units.FindUnits(r.Context())
		if err != nil {
			return err
		}
		p.Units = units
	}
	pageNo, perPage, err := web.ReadPaging(strings.TrimSpace(v.Get("page")), "")
	var items []*ducha.DocRequest
	if err == nil {
		f := ducha.DocRequestFilter{Status: ducha.DocRequestStatus(p.Status), Offset: (pageNo - 1) * perPage, Limit: perPage}
		items, p.Total, err = s.Requests.FindDocRequests(r.Context(), f)
	}
	if ducha.ErrorCode(err) == ducha.EINVALID {
		p.Error = ducha.ErrorMessage(err)
		return s.render(w, http.StatusBadRequest, "requests", &p)
	} else if err != nil {
		return err
	}
	for _, it := range items {
		own := ducha.Can(u, ducha.PermWork) && u.Role.UnitScoped() && u.UnitID == it.UnitID
		p.Items = append(p.Items, &requestRow{DocRequest: it,
			CanSupply:   it.Status == ducha.RequestRequested && (own || ducha.Can(u, ducha.PermRegister)),
			CanCheck:    it.Status == ducha.RequestSupplied && ducha.Can(u, ducha.PermVerify),
			CanHandOver: it.Status == ducha.RequestChecked && ducha.Can(u, ducha.PermVerify)})
	}
	p.listPager = newListPager(p.Total, pageNo, perPage, func(n int) string { return listPageURL("/requests", v, n) })
	return s.render(w, status, "requests", &p)
}

// handleRequestAddPage adds one item from the list's form.
func (s *handler) handleRequestAddPage(w http.ResponseWriter, r *http.Request) error {
	if s.Requests == nil {
		return web.ErrNoRequests
	}
	if err := web.ParseForm(w, r); err != nil {
		return err
	}
	in := web.RequestInput{Item: web.FormValue(r, "item"), Unit: ducha.UnitRef(web.FormValue(r, "unit")), Due: web.FormValue(r, "due")}
	var err error
	if no := web.FormValue(r, "no"); no != "" {
		if in.No, err = strconv.Atoi(no); err != nil || in.No <= 0 {
			err = ducha.FieldError("no", "序号应为正整数")
		}
	}
	// The day is typed as offices write it (2026年12月7日); the request
	// takes it as the API sends it.
	var req *ducha.DocRequest
	if err == nil {
		var due ducha.Date
		if due, err = web.DateField("due", "提供期限", in.Due); err == nil && due != "" {
			in.Due = string(due)
		}
	}
	if err == nil {
		req, err = in.Request("due")
	}
	if err == nil {
		err = s.Requests.AddDocRequests(r.Context(), []*ducha.DocRequest{req})
	}
	if formError(err) {
		p := requestsPage{Add: in, AddUnit: string(in.Unit), AddOpen: true}
		p.AddError, p.AddErrors = web.FieldErrors(err)
		return s.renderRequests(w, r, p)
	} else if err != nil {
		return err
	}
	s.setFlash(w, r, flashDone, "request_add")
	http.Redirect(w, r, "/requests", http.StatusSeeOther)
	return nil
}

// handleRequestActionPage runs an action from a row's form: supply is a
// multipart form (file, note), check and hand-over are plain forms. A
// refused action shows the list with its message.
func (s *handler) handleRequestActionPage(w http.ResponseWriter, r *http.Request) error {
	action := r.PathValue("action")
	if !slices.Contains(ducha.DocRequestActions, action) {
		return ducha.NotFound("操作“" + action + "”")
	}
	var a web.RequestAction
	var err error
	if action == ducha.RequestActSupply {
		a, err = s.ReadRequestAction(w, r, action)
	} else if err = web.ParseForm(w, r); err == nil {
		var req *ducha.DocRequest
		if req, err = s.FindRequest(r); err == nil {
			a.ID, a.Action = req.ID, action
			a.Authentic, a.Consistent = web.FormValue(r, "authentic") != "", web.FormValue(r, "consistent") != ""
			a.Return, a.Reason = web.FormValue(r, "return") != "", web.FormValue(r, "reason")
			a.To, a.Note = web.FormValue(r, "to"), web.FormValue(r, "note")
		}
	}
	if err == nil {
		_, err = s.Requests.ActOnDocRequest(r.Context(), a.ID, a.DocRequestAction)
	}
	if a.Release != nil {
		a.Release()
	}
	if formError(err) {
		return s.renderRequests(w, r, requestsPage{Error: ducha.ErrorMessage(err)})
	} else if err != nil {
		return err
	}
	done := "request_" + action
	if a.Return {
		done = "request_return"
	}
	s.setFlash(w, r, flashDone, done)
	http.Redirect(w, r, "/requests", http.StatusSeeOther)
	return nil
}

// PerPageChoices are the page sizes the document list offers.
func (p *documentsPage) PerPageChoices() []int { return perPageChoices }
