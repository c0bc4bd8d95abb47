package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"strings"

	"ducha"
	"ducha/text"
)

// Documents (文件库). Every logged-in role reads them: they are the
// county's work papers, not one unit's. The coordinator and the
// administrator add them. The text is searched by the same two-character
// tokens as problems (text.Tokens of the title and the text), in
// document_search (SQLite FTS5; PostgreSQL document_tokens).

var documentSearch = searchIndex{"document_search", "document_id", "d.id"}

// documentColumns are a document's columns without its text and bytes.
const documentColumns = `d.id, d.kind, d.title, COALESCE(d.date, ''), d.file_name, d.content_type, d.size, d.sha256,
	COALESCE(u.username, ''), d.uploaded_at, d.version`

const documentFrom = ` FROM documents d LEFT JOIN users u ON u.id = d.uploaded_by`

func scanDocument(row interface{ Scan(...any) error }, extra ...any) (*ducha.Document, error) {
	var d ducha.Document
	var uploadedAt string
	dest := []any{&d.ID, &d.Kind, &d.Title, &d.Date, &d.Original.Name, &d.Original.ContentType, &d.Original.Size,
		&d.Original.SHA256, &d.UploadedBy, &uploadedAt, &d.Version}
	if err := row.Scan(append(dest, extra...)...); err != nil {
		return nil, err
	}
	if d.UploadedBy == "" {
		d.UploadedBy = ducha.SystemUser.Username
	}
	d.UploadedAt = ducha.ParseTime(uploadedAt)
	return &d, nil
}

// documentTokens are what a document is found by.
func documentTokens(d *ducha.Document) []string { return text.Tokens(d.Title, d.Text) }

// AddDocument stores a document with its original and its search tokens.
func (db *DB) AddDocument(ctx context.Context, d *ducha.Document) error {
	u, err := ducha.Require(ctx, ducha.PermRegister)
	if err != nil {
		return err
	}
	if d.Kind == "" {
		d.Kind = ducha.DocOther
	}
	d.Original.Name = ducha.AttachmentName(d.Original.Name) // no control characters, valid UTF-8
	if d.Original.Name == "" {
		d.Original.Name = "文件"
	}
	if err := d.Validate(); err != nil {
		return err
	}
	if d.Date != "" && !d.Date.Valid() {
		return ducha.FieldError("date", "文件日期格式应为 YYYY-MM-DD")
	}
	if d.Original.ContentType == "" {
		d.Original.ContentType = "application/octet-stream"
	}
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	sum := sha256.Sum256(d.Data)
	d.Original.Size, d.Original.SHA256 = int64(len(d.Data)), hex.EncodeToString(sum[:])
	d.UploadedBy, d.UploadedAt, d.Version = u.Username, tx.now, 1
	d.ID, err = tx.insert(ctx, `INSERT INTO documents (kind, title, date, text, file_name, content_type, size, sha256, data,
		uploaded_by, uploaded_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`,
		string(d.Kind), d.Title, nullString(string(d.Date)), d.Text, d.Original.Name, d.Original.ContentType,
		d.Original.Size, d.Original.SHA256, d.Data, userID(u), ducha.FormatTime(tx.now))
	if err != nil {
		return fmt.Errorf("add document: %w", err)
	}
	tx.queueSearch(documentSearch, d.ID, documentTokens(d), false)
	// The event records the document without its text: the text is the
	// original's, whose hash the event keeps.
	ev := *d
	ev.Text = ""
	_, after := ducha.Diff(nil, &ev)
	if err := tx.appendEvent(ctx, "document", d.ID, "upload", d.Title, nil, after); err != nil {
		return err
	}
	return tx.commit(ctx)
}

// FindDocuments returns a page of documents, newest first, without their
// text and bytes, and the count of all that match.
func (db *DB) FindDocuments(ctx context.Context, f ducha.DocumentFilter) ([]*ducha.Document, int, error) {
	if _, err := ducha.Require(ctx, ducha.PermRead); err != nil {
		return nil, 0, err
	}
	if f.Kind != "" {
		k, err := ducha.ParseDocumentKind(string(f.Kind))
		if err != nil {
			return nil, 0, err
		}
		f.Kind = k
	}
	if f.Limit <= 0 || f.Limit > ducha.MaxPerPage {
		f.Limit = ducha.MaxPerPage
	}
	f.Offset = max(f.Offset, 0)
	var w strings.Builder
	var args []any
	w.WriteString(" WHERE 1 = 1")
	if f.Kind != "" {
		w.WriteString(" AND d.kind = ?")
		args = append(args, string(f.Kind))
	}
	if toks := text.QueryTokens(f.Q); len(toks) > 0 {
		s := db.dialect.search(documentSearch, toks)
		w.WriteString(" AND " + s.countCond)
		args = append(args, s.args...)
	}
	where := w.String()
	order := ` ORDER BY d.id DESC`
	if f.Sort != "" {
		dir := " ASC"
		if f.Desc {
			dir = " DESC"
		}
		switch f.Sort {
		case "title":
			order = ` ORDER BY ` + db.dialect.bytewise("d.title") + dir + `, d.id` + dir
		case "date":
			order = ` ORDER BY d.date` + dir + ` NULLS LAST, d.id` + dir
		case "uploaded_at":
			order = ` ORDER BY d.id` + dir // ids follow upload time
		default:
			return nil, 0, ducha.FieldError("sort", "排序列“%s”无效，应为%s之一", f.Sort, strings.Join(ducha.DocumentSorts, "、"))
		}
	}
	page := `SELECT ` + documentColumns + documentFrom + where + order + ` LIMIT ? OFFSET ?`
	count := `SELECT count(*) FROM documents d` + where
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	var total int
	if err := tx.queryRow(ctx, count, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count documents: %w", err)
	}
	rows, err := tx.query(ctx, page, append(args, f.Limit, f.Offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("find documents: %w", err)
	}
	defer rows.Close()
	out := []*ducha.Document{}
	for rows.Next() {
		d, err := scanDocument(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("find documents: %w", err)
		}
		out = append(out, d)
	}
	return out, total, rows.Err()
}

// FindDocumentByID returns one document with its text.
func (db *DB) FindDocumentByID(ctx context.Context, id int64) (*ducha.Document, error) {
	return db.findDocument(ctx, id, false)
}

// FindDocumentOriginal returns one document with its original's bytes.
func (db *DB) FindDocumentOriginal(ctx context.Context, id int64) (*ducha.Document, error) {
	return db.findDocument(ctx, id, true)
}

func (db *DB) findDocument(ctx context.Context, id int64, data bool) (*ducha.Document, error) {
	if _, err := ducha.Require(ctx, ducha.PermRead); err != nil {
		return nil, err
	}
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var body string
	var raw []byte
	col, dest := `d.text`, any(&body)
	if data {
		col, dest = `d.data`, any(&raw)
	}
	d, err := scanDocument(tx.queryRow(ctx, `SELECT `+documentColumns+`, `+col+documentFrom+` WHERE d.id = ?`, id), dest)
	if err == sql.ErrNoRows {
		return nil, ducha.NotFound("文件")
	} else if err != nil {
		return nil, fmt.Errorf("find document %d: %w", id, err)
	}
	d.Text, d.Data = body, raw
	return d, nil
}

// FindDocumentEvents returns a document's history.
func (db *DB) FindDocumentEvents(ctx context.Context, id int64) ([]*ducha.Event, error) {
	if _, err := db.FindDocumentByID(ctx, id); err != nil {
		return nil, err
	}
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return tx.findEvents(ctx, "document", id)
}

// rebuildDocumentSearch recomputes every document's search tokens (a
// restore).
func (tx *Tx) rebuildDocumentSearch(ctx context.Context) error {
	rows, err := tx.query(ctx, `SELECT id, title, text FROM documents ORDER BY id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var d ducha.Document
		if err := rows.Scan(&d.ID, &d.Title, &d.Text); err != nil {
			return err
		}
		tx.queueSearch(documentSearch, d.ID, documentTokens(&d), false)
	}
	return rows.Err()
}
