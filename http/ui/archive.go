package ui

import (
	"archive/zip"
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"ducha"
	"ducha/http/web"
	"ducha/sheets"
)

// 一案一档 (SPEC section 4): one download per problem or case that a
// closure application or an archive takes whole — a zip of 档案.xlsx (every
// field, the whole history, for a case its measures and the problems it
// opened, and the list of attachments) and the attachments' bytes under
// 附件/. The item is read as reading it is scoped, so another unit's item
// answers 404 like a missing one. Everything but the attachments' bytes
// is read before the answer starts, so that a refusal is a proper error;
// the bytes are then read one attachment at a time and streamed into the
// zip, never the whole zip in memory.

// archiveBook is the workbook's name inside the zip; archiveDir the
// attachments' folder.
const (
	archiveBook = "档案.xlsx"
	archiveDir  = "附件/"
)

// itemArchive is one item's archive, read and ready to stream.
type itemArchive struct {
	name, fallback string // the download's file name, and its ASCII stand-in
	book           *sheets.Archive
	files          []archiveFile
}

// archiveFile is one attachment to stream: its id, where it goes in the
// zip, and its time and type.
type archiveFile struct {
	id          int64
	path        string
	at          time.Time
	contentType string
}

func (s *handler) handleProblemArchive(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "问题")
	if err != nil {
		return err
	}
	a, err := s.problemArchive(r.Context(), id)
	if err != nil {
		return err
	}
	s.streamArchive(w, r, a)
	return nil
}

func (s *handler) handleCaseArchive(w http.ResponseWriter, r *http.Request) error {
	c, err := s.FindCase(r)
	if err != nil {
		return err
	}
	a, err := s.caseArchive(r.Context(), c)
	if err != nil {
		return err
	}
	s.streamArchive(w, r, a)
	return nil
}

// streamArchive answers a as a zip download. Once the answer has started
// a failure can no longer be an error page: the connection is cut, so
// the client sees a broken download rather than a complete-looking one.
func (s *handler) streamArchive(w http.ResponseWriter, r *http.Request, a *itemArchive) {
	h := w.Header()
	h.Set("Content-Type", "application/zip")
	h.Set("Content-Disposition", contentDisposition(a.name, a.fallback))
	h.Set("Cache-Control", "private, no-store")
	w.WriteHeader(http.StatusOK)
	if err := s.writeArchive(r.Context(), a, w); err != nil {
		s.Logger.Error("http: archive cut short", "path", r.URL.Path, "err", err)
		panic(http.ErrAbortHandler)
	}
}

// ExportArchive writes the archive of one problem (kind "problem", ref its
// id or code) or case (kind "case", ref its id or acceptance number) of
// s's services, as the user of ctx may read it, to w; it returns the
// download's file name. The command line's `ducha export archive` calls it.
func ExportArchive(ctx context.Context, s *web.Server, kind, ref string, w io.Writer) (string, error) {
	return (&handler{Server: s}).exportArchive(ctx, kind, ref, w)
}

func (s *handler) exportArchive(ctx context.Context, kind, ref string, w io.Writer) (string, error) {
	ref = strings.TrimSpace(ref)
	var a *itemArchive
	switch kind {
	case ducha.ItemProblem:
		id, err := s.problemRef(ctx, ref)
		if err != nil {
			return "", err
		}
		if a, err = s.problemArchive(ctx, id); err != nil {
			return "", err
		}
	case ducha.ItemCase:
		if s.Cases == nil {
			return "", web.ErrNoCases
		}
		c, err := s.caseRef(ctx, ref)
		if err != nil {
			return "", err
		}
		if a, err = s.caseArchive(ctx, c); err != nil {
			return "", err
		}
	default:
		return "", ducha.FieldError("kind", "只能导出问题或交办件的档案")
	}
	return a.name, s.writeArchive(ctx, a, w)
}

// problemRef finds a problem by its id or, failing that, its code.
func (s *handler) problemRef(ctx context.Context, ref string) (int64, error) {
	if id, err := strconv.ParseInt(ref, 10, 64); err == nil && id > 0 {
		if _, err := s.Problems.FindProblemByID(ctx, id); ducha.ErrorCode(err) != ducha.ENOTFOUND {
			return id, err
		}
	}
	if ref != "" {
		ps, _, err := s.Problems.FindProblems(ctx, ducha.ProblemFilter{Q: ref, Limit: ducha.MaxPerPage, SkipCount: true})
		if err != nil {
			return 0, err
		}
		for _, p := range ps {
			if p.Code == ref {
				return p.ID, nil
			}
		}
	}
	return 0, ducha.NotFound("问题")
}

// caseRef finds a case as the case routes do: by internal id, else by
// acceptance number.
func (s *handler) caseRef(ctx context.Context, ref string) (*ducha.Case, error) {
	if id, err := strconv.ParseInt(ref, 10, 64); err == nil && id > 0 {
		c, err := s.Cases.FindCaseByID(ctx, id)
		if ducha.ErrorCode(err) != ducha.ENOTFOUND {
			return c, err
		}
	}
	if ref == "" {
		return nil, ducha.NotFound("交办件")
	}
	return s.Cases.FindCaseByAcceptanceNo(ctx, ref)
}

// archivePage is the catalogue an archive is written in: Chinese, the
// language of the files an office hands on.
func archivePage(ctx context.Context) *page {
	return &page{Lang: web.LangZH, User: ducha.UserFromContext(ctx)}
}

// problemArchiveOrder is the order the problem's page shows its fields in.
var problemArchiveOrder = []string{"code", "status", "warning", "overdue", "description", "source", "area", "address",
	"subject", "subject_credit_code", "types", "type_detail", "industry", "mode", "lead_unit", "coop_units", "leader",
	"person", "measures", "target", "deadline", "deadline_text", "original_deadline", "progress", "closure_text",
	"closed_at", "return_reason", "reopen_count", "note", "cases", "created_at", "updated_at", "extension"}

// problemArchiveSkip are the problem's keys 基本信息 leaves out: the
// attachments have their sheet, and the units' ids repeat their names.
var problemArchiveSkip = []string{"attachments", "lead_unit_id", "coop_unit_ids"}

func (s *handler) problemArchive(ctx context.Context, id int64) (*itemArchive, error) {
	p, err := s.Problems.FindProblemByID(ctx, id)
	if err != nil {
		return nil, err
	}
	events, err := s.Problems.FindProblemEvents(ctx, id)
	if err != nil {
		return nil, err
	}
	pg := archivePage(ctx)
	fields, err := archiveFields(pg, false, p, problemArchiveOrder, problemArchiveSkip, nil)
	if err != nil {
		return nil, err
	}
	rows := history(pg, events)
	s.nameActors(ctx, pg, rows)
	a := &itemArchive{book: &sheets.Archive{
		Title: "一案一档 问题 " + p.Code, Org: pg.T("field.lead_unit") + "：" + p.LeadUnit,
		AsOf: s.Now(), Fields: fields, Events: archiveEvents(pg, rows),
	}}
	a.name, a.fallback = archiveFileNames(p.Code, "problem", p.ID)
	a.attach("", p.Attachments)
	return a, nil
}

// caseArchiveOrder is the order the case's page shows its fields in.
var caseArchiveOrder = []string{"acceptance_no", "status", "batch", "forwarded_date", "channel", "key", "text", "area",
	"types", "type_detail", "units", "deadline", "findings", "verdict", "target", "handling", "accountability",
	"return_reason", "published", "problem_ids", "created_at", "updated_at", "parts"}

func (s *handler) caseArchive(ctx context.Context, c *ducha.Case) (*itemArchive, error) {
	events, err := s.Cases.FindCaseEvents(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	// The problems the case opened that the user may read, with their
	// attachments: another unit's problem is left out here as on the
	// case's page.
	problems, err := s.linkedProblems(ctx, c)
	if err != nil {
		return nil, err
	}
	pg := archivePage(ctx)
	codes := make([]string, len(problems))
	for i, p := range problems {
		codes[i] = p.Code
	}
	fields, err := archiveFields(pg, true, c, caseArchiveOrder, []string{"measures"},
		map[string]string{"problem_ids": strings.Join(codes, "、")})
	if err != nil {
		return nil, err
	}
	rows := caseHistory(pg, events)
	s.nameActors(ctx, pg, rows)
	a := &itemArchive{book: &sheets.Archive{
		Title: "一案一档 交办件 " + c.AcceptanceNo, Org: pg.T("case.field.units") + "：" + strings.Join(c.Units, "、"),
		AsOf: s.Now(), Case: true, Fields: fields, Events: archiveEvents(pg, rows),
	}}
	cp := &casePage{page: *pg, C: c}
	for _, m := range c.Measures {
		fine := ""
		if m.FineYuan != 0 {
			fine = m.FineYuan.String()
		}
		a.book.Measures = append(a.book.Measures, sheets.ArchiveMeasure{Kind: pg.MeasureLabel(m.Kind),
			Enterprise: m.Enterprise, Persons: m.Persons, Fine: fine, Date: m.Date.Time(), Unit: cp.UnitOf(m.UnitID)})
	}
	for _, p := range problems {
		deadline := string(p.Deadline)
		if p.DeadlineText != "" && p.DeadlineText != deadline {
			deadline = strings.TrimSpace(deadline + " " + p.DeadlineText)
		}
		a.book.Problems = append(a.book.Problems, sheets.ArchiveProblem{Code: p.Code, Status: pg.StatusLabel(p.Status),
			Description: p.Description, LeadUnit: p.LeadUnit, Deadline: deadline})
	}
	a.name, a.fallback = archiveFileNames(c.AcceptanceNo, "case", c.ID)
	var all []*ducha.Attachment
	var owners []string
	for _, p := range problems {
		all = append(all, p.Attachments...)
		for range p.Attachments {
			owners = append(owners, p.Code)
		}
	}
	a.attachOwned(all, owners)
	return a, nil
}

// archiveEvents writes the history rows for the sheet, each change as
// "label：before → after".
func archiveEvents(pg *page, rows []historyRow) []sheets.ArchiveEvent {
	out := make([]sheets.ArchiveEvent, len(rows))
	empty := pg.T("archive.empty")
	for i, r := range rows {
		e := sheets.ArchiveEvent{At: r.At, Actor: r.Actor, Action: r.Action, Note: r.Note}
		for _, c := range r.Changes {
			before, after := c.Before, c.After
			if before == "" {
				before = empty
			}
			if after == "" {
				after = empty
			}
			e.Changes = append(e.Changes, c.Label+"："+before+" → "+after)
		}
		out[i] = e
	}
	return out
}

// attach lists a problem's attachments for the sheet and the zip.
func (a *itemArchive) attach(owner string, list []*ducha.Attachment) {
	owners := make([]string, len(list))
	for i := range owners {
		owners[i] = owner
	}
	a.attachOwned(list, owners)
}

// attachOwned lists attachments, each of the problem owners names (for a
// case, whose attachments are its problems'), under safe unique names.
func (a *itemArchive) attachOwned(list []*ducha.Attachment, owners []string) {
	raw := make([]string, len(list))
	for i, at := range list {
		raw[i] = at.Name
		if owners[i] != "" {
			raw[i] = owners[i] + "-" + at.Name
		}
	}
	for i, name := range archiveNames(raw) {
		at := list[i]
		path := archiveDir + name
		a.files = append(a.files, archiveFile{id: at.ID, path: path, at: at.CreatedAt, contentType: at.ContentType})
		a.book.Attachments = append(a.book.Attachments, sheets.ArchiveAttachment{Problem: owners[i], Name: at.Name,
			Type: at.ContentType, Size: at.Size, SHA256: at.SHA256, UploadedBy: at.UploadedBy, At: at.CreatedAt, Path: path})
	}
}

// writeArchive writes the zip: the workbook first, then each attachment,
// read (within the user's scope, as any download of it) and written one
// at a time.
func (s *handler) writeArchive(ctx context.Context, a *itemArchive, w io.Writer) error {
	zw := zip.NewWriter(w)
	now := s.Now()
	book, err := zw.CreateHeader(&zip.FileHeader{Name: archiveBook, Method: zip.Store, Modified: now})
	if err != nil {
		return err
	}
	if err := sheets.WriteArchive(book, a.book); err != nil {
		return fmt.Errorf("archive workbook: %w", err)
	}
	for _, f := range a.files {
		if err := s.archiveAttachment(ctx, zw, f); err != nil {
			return err
		}
	}
	return zw.Close()
}

// archiveAttachment streams one attachment into the zip: photos and
// documents are compressed already and are stored as they are; text is
// deflated.
func (s *handler) archiveAttachment(ctx context.Context, zw *zip.Writer, f archiveFile) error {
	at, err := s.Attachments.FindAttachment(ctx, f.id)
	if err != nil {
		return fmt.Errorf("archive attachment %d: %w", f.id, err)
	}
	method := zip.Store
	if strings.HasPrefix(f.contentType, "text/") {
		method = zip.Deflate
	}
	out, err := zw.CreateHeader(&zip.FileHeader{Name: f.path, Method: method, Modified: f.at})
	if err != nil {
		return err
	}
	_, err = out.Write(at.Data)
	return err
}

// archiveFileNames are the download's name, 一案一档-<code>.zip, and its
// ASCII stand-in for clients that do not read filename*.
func archiveFileNames(code, kind string, id int64) (name, fallback string) {
	name = "一案一档-" + safeName(code) + ".zip"
	ascii := strings.Map(func(r rune) rune {
		if r < 0x80 && (r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '-' || r == '_') {
			return r
		}
		return -1
	}, code)
	if ascii == "" {
		ascii = kind + "-" + strconv.FormatInt(id, 10)
	}
	return name, "archive-" + ascii + ".zip"
}

// contentDisposition is an attachment's Content-Disposition with an ASCII
// filename and the real one in RFC 5987's filename* (UTF-8, percent
// encoded).
func contentDisposition(name, fallback string) string {
	var b strings.Builder
	for _, c := range []byte(name) {
		if c < 0x80 && (c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' ||
			strings.IndexByte("!#$&+-.^_`|~", c) >= 0) {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return `attachment; filename="` + fallback + `"; filename*=UTF-8''` + b.String()
}
