package ducha

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// Documents (文件库) and the document request list (调阅清单): the
// county's work papers — work plans, meeting notices and minutes, the
// inspection team's feedback — kept with their original files and their
// text, searchable; and the items the inspection team asks to see, which
// unit must supply each by when, the coordinator's check that the copy is
// authentic and consistent with the original (真实、统一), and its hand-over.

// DocumentKind is the kind of a document.
type DocumentKind string

// Document kinds.
const (
	DocWorkPlan DocumentKind = "work_plan" // 工作方案
	DocNotice   DocumentKind = "notice"    // 会议通知
	DocMinutes  DocumentKind = "minutes"   // 会议纪要
	DocFeedback DocumentKind = "feedback"  // 督察反馈意见
	DocOther    DocumentKind = "other"     // 其他
)

// DocumentKinds lists the kinds in the order forms offer them.
var DocumentKinds = []DocumentKind{DocWorkPlan, DocNotice, DocMinutes, DocFeedback, DocOther}

var documentKindLabels = map[DocumentKind]string{
	DocWorkPlan: "工作方案", DocNotice: "会议通知", DocMinutes: "会议纪要", DocFeedback: "督察反馈意见", DocOther: "其他",
}

// Label is the kind's Chinese name.
func (k DocumentKind) Label() string {
	if l, ok := documentKindLabels[k]; ok {
		return l
	}
	return string(k)
}

// ParseDocumentKind reads a kind by its key or its Chinese name; "" is
// DocOther.
func ParseDocumentKind(s string) (DocumentKind, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return DocOther, nil
	}
	for _, k := range DocumentKinds {
		if s == string(k) || s == k.Label() {
			return k, nil
		}
	}
	return "", FieldError("kind", "文件类型“%s”无效，应为 work_plan（工作方案）、notice（会议通知）、minutes（会议纪要）、feedback（督察反馈意见）或 other（其他）", s)
}

// MaxDocumentChars bounds the stored text of one document, in characters:
// a long work plan is some 30,000; a whole report with its annexes fits.
const MaxDocumentChars = 500_000

// MaxTitleChars is how much of a document's first line becomes its title
// when none is given.
const MaxTitleChars = 60

// FileInfo describes a stored file: its name as uploaded, its content type,
// size in bytes and SHA-256 (hex). The bytes are served by their own route.
type FileInfo struct {
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	SHA256      string `json:"sha256"`
}

// Document is one stored document: its kind, title, optional date, its
// text (simplified, pinyin notes removed) and its original file.
type Document struct {
	ID    int64        `json:"id"`
	Kind  DocumentKind `json:"kind"`
	Title string       `json:"title"`
	Date  Date         `json:"date"`
	// Text is the normalised text; lists leave it out.
	Text       string    `json:"text,omitempty"`
	Original   FileInfo  `json:"original"`
	UploadedBy string    `json:"uploaded_by"`
	UploadedAt time.Time `json:"uploaded_at"`
	Version    int       `json:"version"`
	// Data is the original's bytes, only where they are served.
	Data []byte `json:"-"`
}

// Validate checks a document before it is stored, trimming its title.
func (d *Document) Validate() error {
	d.Title = strings.TrimSpace(d.Title)
	if d.Title == "" {
		d.Title = DocumentTitle(d.Text)
	}
	if d.Title == "" {
		return FieldError("title", "请填写文件标题（文件中没有可作标题的文字）")
	}
	if err := checkLengths(shortField("title", "文件标题", d.Title), shortField("file", "文件名", d.Original.Name)); err != nil {
		return err
	}
	if _, ok := documentKindLabels[d.Kind]; !ok {
		_, err := ParseDocumentKind(string(d.Kind))
		if err == nil {
			err = FieldError("kind", "文件类型“%s”无效", d.Kind)
		}
		return err
	}
	if strings.TrimSpace(d.Text) == "" {
		return FieldError("file", "文件“%s”中没有文字", d.Original.Name)
	}
	if n := utf8.RuneCountInString(d.Text); n > MaxDocumentChars {
		return FieldError("file", "文件“%s”的文字过长：最多%d字，现有%d字", d.Original.Name, MaxDocumentChars, n)
	}
	if strings.IndexByte(d.Text, 0) >= 0 {
		return FieldError("file", "文件“%s”含有无效字符（NUL）", d.Original.Name)
	}
	if len(d.Data) == 0 {
		return FieldError("file", "文件为空")
	}
	if len(d.Data) > MaxAttachmentSize {
		return FieldError("file", "文件超过%dMB上限", MaxAttachmentSize>>20)
	}
	return nil
}

// DocumentTitle is the title a text gives itself: its first non-empty
// line, cut after its first sentence or at MaxTitleChars characters.
func DocumentTitle(text string) string {
	for line := range strings.SplitSeq(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		rs := []rune(line)
		if len(rs) <= MaxTitleChars {
			return line
		}
		for i, r := range rs[:MaxTitleChars] {
			if (r == '。' || r == '！' || r == '？') && i >= 8 {
				return string(rs[:i])
			}
		}
		return string(rs[:MaxTitleChars]) + "…"
	}
	return ""
}

// DocumentFilter selects documents for a list: words of the title or text
// (the search index's two-character words) and a kind.
type DocumentFilter struct {
	Q      string
	Kind   DocumentKind
	Offset int
	Limit  int // 0: MaxPerPage
	// Sort is one of DocumentSorts ("" the newest upload first), Desc its
	// direction; ties by id in the same direction, no date last.
	Sort string
	Desc bool
}

// DocumentSorts are the orders a document list takes besides its own.
var DocumentSorts = []string{"title", "date", "uploaded_at"}

// DocumentService keeps the documents. Every logged-in role reads them
// (they are the county's work papers, not a unit's); the coordinator and
// the administrator (PermRegister) add them.
type DocumentService interface {
	// AddDocument stores d (Kind, Title, Date, Text, Original.Name and
	// ContentType, Data); it fills in the rest.
	AddDocument(ctx context.Context, d *Document) error
	// FindDocuments lists documents newest first, without text or bytes,
	// with the count of all that match.
	FindDocuments(ctx context.Context, f DocumentFilter) ([]*Document, int, error)
	// FindDocumentByID returns one document with its text, without bytes.
	FindDocumentByID(ctx context.Context, id int64) (*Document, error)
	// FindDocumentOriginal returns one document with its original's bytes.
	FindDocumentOriginal(ctx context.Context, id int64) (*Document, error)
}

// DocRequestStatus is where a document request stands.
type DocRequestStatus string

// Document request statuses.
const (
	RequestRequested  DocRequestStatus = "requested"   // 待提供: the unit must supply it
	RequestSupplied   DocRequestStatus = "supplied"    // 待审核: supplied, to be checked
	RequestChecked    DocRequestStatus = "checked"     // 已审核: checked 真实、统一
	RequestHandedOver DocRequestStatus = "handed_over" // 已移交: handed to the inspection team
)

// DocRequestStatuses lists the statuses in workflow order.
var DocRequestStatuses = []DocRequestStatus{RequestRequested, RequestSupplied, RequestChecked, RequestHandedOver}

// Label is the status's Chinese name.
func (s DocRequestStatus) Label() string {
	switch s {
	case RequestRequested:
		return "待提供"
	case RequestSupplied:
		return "待审核"
	case RequestChecked:
		return "已审核"
	case RequestHandedOver:
		return "已移交"
	}
	return string(s)
}

// DefaultHandOverTo is whom a hand-over goes to when the coordinator names
// no one and the campaign has no inspection team on record.
const DefaultHandOverTo = "督察组"

// DocRequest is one item of the document request list (调阅清单).
type DocRequest struct {
	ID     int64            `json:"id"`
	No     int              `json:"no"` // its number in the list
	Item   string           `json:"item"`
	Unit   string           `json:"unit"`
	UnitID int64            `json:"unit_id"`
	Due    Date             `json:"due"`
	Status DocRequestStatus `json:"status"`
	// File is the copy the unit supplied last (nil until then); a return
	// keeps it on record until the unit supplies another.
	File       *FileInfo  `json:"file"`
	SupplyNote string     `json:"supply_note"`
	SuppliedBy string     `json:"supplied_by"`
	SuppliedAt *time.Time `json:"supplied_at"`
	// Authentic and Consistent are the coordinator's check: the copy is
	// genuine (真实) and the same as the original (统一).
	Authentic    bool       `json:"authentic"`
	Consistent   bool       `json:"consistent"`
	CheckNote    string     `json:"check_note"`
	CheckedBy    string     `json:"checked_by"`
	CheckedAt    *time.Time `json:"checked_at"`
	ReturnReason string     `json:"return_reason"`
	HandedTo     string     `json:"handed_to"`
	HandNote     string     `json:"hand_note"`
	HandedBy     string     `json:"handed_by"`
	HandedAt     *time.Time `json:"handed_at"`
	CreatedBy    string     `json:"created_by"`
	CreatedAt    time.Time  `json:"created_at"`
	Version      int        `json:"version"`
	// Overdue and Warning are derived (Derive): only an item still to be
	// supplied can be late.
	Overdue bool    `json:"overdue"`
	Warning Warning `json:"warning"`
	// Data is the supplied file's bytes, only where they are served, and
	// on a supply action.
	Data []byte `json:"-"`
}

// Derive sets Overdue and Warning for the given day, as Problem.Derive
// does: red past the due date, yellow within yellowDays of it, while the
// unit has not supplied the item.
func (r *DocRequest) Derive(today Date, yellowDays int) {
	r.Overdue, r.Warning = false, WarningNone
	if r.Status != RequestRequested || !r.Due.Valid() {
		return
	}
	switch {
	case r.Due < today:
		r.Overdue, r.Warning = true, WarningRed
	case today.DaysUntil(r.Due) <= yellowDays:
		r.Warning = WarningYellow
	}
}

// MaxRequestNo bounds a request's number in the list: far more than any
// list, far less than would overflow the next number.
const MaxRequestNo = 1000000

// ValidateNew checks a request the coordinator adds: the item, a unit, a
// due date no earlier than today. It trims the item in place.
func (r *DocRequest) ValidateNew(today Date) error {
	r.Item = strings.TrimSpace(r.Item)
	if r.Item == "" {
		return FieldError("item", "请填写调阅事项")
	}
	if err := checkLengths(textField("item", "调阅事项", r.Item)); err != nil {
		return err
	}
	if r.UnitID == 0 {
		return FieldError("unit", "请指定提供资料的单位")
	}
	if !r.Due.Valid() {
		return FieldError("due", "请填写提供期限（YYYY-MM-DD）")
	}
	if r.Due < today {
		return FieldError("due", "提供期限不能早于今天（%s）", today)
	}
	if r.No < 0 || r.No > MaxRequestNo {
		return FieldError("no", "序号应为1到%d之间的整数", MaxRequestNo)
	}
	return nil
}

// Document request actions (POST /api/v1/requests/{id}/actions/{action}).
const (
	RequestActSupply   = "supply"    // the unit supplies the file (提供)
	RequestActCheck    = "check"     // the coordinator checks it, or returns it (审核)
	RequestActHandOver = "hand_over" // the coordinator hands it to the team (移交)
)

// DocRequestActions lists the actions in workflow order.
var DocRequestActions = []string{RequestActSupply, RequestActCheck, RequestActHandOver}

// DocRequestAction is one action's input. Supply: FileName, Data (and
// ContentType, sniffed by the store), Note. Check: Authentic and
// Consistent, Note; or Return with Reason. Hand over: To, Note.
type DocRequestAction struct {
	Action      string
	Version     int
	FileName    string
	ContentType string
	Data        []byte
	Note        string
	Authentic   bool
	Consistent  bool
	Return      bool
	Reason      string
	To          string
}

// ApplyDocRequestAction runs one action on r for user u at time now:
// permission, state, guards; no I/O, and on error r is unchanged.
//
//   - supply: a liaison or head of the request's unit, or the coordinator
//     for any unit (PermRegister); requested → supplied, a file required.
//   - check: the coordinator (PermVerify); supplied → checked when both
//     authentic and consistent are confirmed; with return and a reason,
//     supplied → requested: the unit supplies again (the returned copy
//     stays on record until then).
//   - hand_over: the coordinator; checked → handed_over, to whom (default
//     DefaultHandOverTo) and an optional note.
func ApplyDocRequestAction(r *DocRequest, a DocRequestAction, u *User, now time.Time) error {
	if u == nil {
		return Errorf(EUNAUTHORIZED, "请先登录")
	}
	next := *r
	t := now.UTC()
	note := strings.TrimSpace(a.Note)
	if err := checkLengths(textField("note", "说明", note), textField("reason", "退回理由", a.Reason), nameField("to", "接收方", a.To)); err != nil {
		return err
	}
	switch a.Action {
	case RequestActSupply:
		own := Can(u, PermWork) && u.Role.UnitScoped() && u.UnitID == r.UnitID
		if !own && !Can(u, PermRegister) {
			return Forbidden()
		}
		if r.Status != RequestRequested {
			return requestStateError(r, a.Action)
		}
		if len(a.Data) == 0 {
			return FieldError("file", "请选择要提供的文件")
		}
		name := strings.TrimSpace(a.FileName)
		if name == "" {
			name = "资料"
		}
		if err := checkLengths(shortField("file", "文件名", name)); err != nil {
			return err
		}
		next.Status, next.SupplyNote, next.SuppliedAt, next.SuppliedBy = RequestSupplied, note, &t, u.Username
		next.File = &FileInfo{Name: name, ContentType: a.ContentType, Size: int64(len(a.Data))}
		next.Data = a.Data
	case RequestActCheck:
		if !Can(u, PermVerify) {
			return Forbidden()
		}
		if r.Status != RequestSupplied {
			return requestStateError(r, a.Action)
		}
		next.CheckNote, next.CheckedAt, next.CheckedBy = note, &t, u.Username
		if a.Return {
			reason := strings.TrimSpace(a.Reason)
			if reason == "" {
				return FieldError("reason", "退回时请说明理由")
			}
			next.Status, next.ReturnReason, next.Authentic, next.Consistent = RequestRequested, reason, false, false
			break
		}
		if !a.Authentic {
			return FieldError("authentic", "请确认资料真实（authentic），或退回单位重新提供")
		}
		if !a.Consistent {
			return FieldError("consistent", "请确认资料与原件一致（consistent），或退回单位重新提供")
		}
		next.Status, next.Authentic, next.Consistent, next.ReturnReason = RequestChecked, true, true, ""
	case RequestActHandOver:
		if !Can(u, PermVerify) {
			return Forbidden()
		}
		if r.Status != RequestChecked {
			return requestStateError(r, a.Action)
		}
		to := strings.TrimSpace(a.To)
		if to == "" {
			to = DefaultHandOverTo
		}
		next.Status, next.HandedTo, next.HandNote, next.HandedAt, next.HandedBy = RequestHandedOver, to, note, &t, u.Username
	default:
		return FieldError("action", "未知的调阅清单操作“%s”，应为 supply、check 或 hand_over", a.Action)
	}
	*r = next
	return nil
}

// RequestActionLabel is the Chinese name of a request action.
func RequestActionLabel(action string) string {
	switch action {
	case RequestActSupply:
		return "提供资料"
	case RequestActCheck:
		return "审核"
	case RequestActHandOver:
		return "移交"
	}
	return action
}

func requestStateError(r *DocRequest, action string) error {
	return Errorf(ECONFLICT, "调阅事项当前状态为“%s”，不能%s", r.Status.Label(), RequestActionLabel(action))
}

// DocRequestFilter selects requests for a list; a unit-scoped caller sees
// only its own unit's, whatever it says.
type DocRequestFilter struct {
	Status DocRequestStatus
	UnitID int64
	Offset int
	Limit  int // 0: MaxPerPage
}

// DocRequestService keeps the document request list. Requests are
// unit-scoped like problems: a unit reads its own; another unit's answers
// not found exactly like a missing one.
type DocRequestService interface {
	// AddDocRequests adds requests (the coordinator), all or none: Item,
	// UnitID, Due, optionally No (else the next number of the list).
	AddDocRequests(ctx context.Context, rs []*DocRequest) error
	// FindDocRequests lists requests by number, with the count of all
	// that match.
	FindDocRequests(ctx context.Context, f DocRequestFilter) ([]*DocRequest, int, error)
	// FindDocRequestByID returns one request, without the file's bytes.
	FindDocRequestByID(ctx context.Context, id int64) (*DocRequest, error)
	// FindDocRequestFile returns one request with its supplied file's
	// bytes; one without a file is not found.
	FindDocRequestFile(ctx context.Context, id int64) (*DocRequest, error)
	// ActOnDocRequest runs one action (ApplyDocRequestAction); version 0
	// acts on the request as it is, another stale version is a conflict.
	ActOnDocRequest(ctx context.Context, id int64, a DocRequestAction) (*DocRequest, error)
	// FindDocRequestEvents returns a request's history to whoever may read it.
	FindDocRequestEvents(ctx context.Context, id int64) ([]*Event, error)
}
