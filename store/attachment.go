package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"

	"ducha"
)

// AddAttachment stores evidence with a problem the user may work on. The
// content type is sniffed from the bytes; the size is bounded.
func (db *DB) AddAttachment(ctx context.Context, a *ducha.Attachment) error {
	u, err := ducha.Require(ctx, ducha.PermWork)
	if err != nil {
		return err
	}
	ct, err := ducha.SniffAttachment(a.Name, a.Data)
	if err != nil {
		return err
	}
	name := ducha.AttachmentName(a.Name)
	tx, err := db.beginSizedWrite(ctx, len(a.Data))
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.findProblem(ctx, a.ProblemID); err != nil {
		return err
	}
	sum := sha256.Sum256(a.Data)
	a.Name, a.ContentType, a.Size, a.SHA256 = name, ct, int64(len(a.Data)), hex.EncodeToString(sum[:])
	a.UploadedBy, a.CreatedAt = u.Username, tx.now
	a.ID, err = tx.insert(ctx, `INSERT INTO attachments (problem_id, name, content_type, size, sha256, data, uploaded_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, a.ProblemID, a.Name, a.ContentType, a.Size, a.SHA256, a.Data, a.UploadedBy, ducha.FormatTime(tx.now))
	if err != nil {
		return fmt.Errorf("add attachment: %w", err)
	}
	_, after := ducha.Diff(nil, a)
	if err := tx.appendEvent(ctx, "problem", a.ProblemID, "attach", a.Name, nil, after); err != nil {
		return err
	}
	return tx.commit(ctx)
}

// FindAttachment returns an attachment and its bytes, if the user may read
// its problem. One query finds it through the problem's unit scope, so
// another unit's attachment is found (and its bytes read) no more than a
// missing one: both cost the same statement and answer the same 404.
func (db *DB) FindAttachment(ctx context.Context, id int64) (*ducha.Attachment, error) {
	if _, err := ducha.Require(ctx, ducha.PermRead); err != nil {
		return nil, err
	}
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	cond, args := tx.scope()
	var a ducha.Attachment
	var created string
	err = tx.queryRow(ctx, `SELECT a.id, a.problem_id, a.name, a.content_type, a.size, a.sha256, a.uploaded_by, a.created_at, a.data
		FROM attachments a JOIN problems p ON p.id = a.problem_id WHERE a.id = ?`+cond, append([]any{id}, args...)...).
		Scan(&a.ID, &a.ProblemID, &a.Name, &a.ContentType, &a.Size, &a.SHA256, &a.UploadedBy, &created, &a.Data)
	if err == sql.ErrNoRows {
		return nil, ducha.NotFound("附件")
	} else if err != nil {
		return nil, fmt.Errorf("find attachment: %w", err)
	}
	a.CreatedAt = ducha.ParseTime(created)
	return &a, nil
}

// findAttachments lists a problem's attachments without their bytes.
func (tx *Tx) findAttachments(ctx context.Context, problemID int64) ([]*ducha.Attachment, error) {
	rows, err := tx.query(ctx, `SELECT id, problem_id, name, content_type, size, sha256, uploaded_by, created_at
		FROM attachments WHERE problem_id = ? ORDER BY id`, problemID)
	if err != nil {
		return nil, fmt.Errorf("find attachments: %w", err)
	}
	defer rows.Close()
	var out []*ducha.Attachment
	for rows.Next() {
		var a ducha.Attachment
		var created string
		if err := rows.Scan(&a.ID, &a.ProblemID, &a.Name, &a.ContentType, &a.Size, &a.SHA256, &a.UploadedBy, &created); err != nil {
			return nil, err
		}
		a.CreatedAt = ducha.ParseTime(created)
		out = append(out, &a)
	}
	return out, rows.Err()
}

// checkAttachments makes sure every id is an attachment of the problem.
func (tx *Tx) checkAttachments(ctx context.Context, problemID int64, ids []int64) error {
	for _, id := range ids {
		var n int
		if err := tx.queryRow(ctx, `SELECT count(*) FROM attachments WHERE id = ? AND problem_id = ?`, id, problemID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return ducha.FieldError("attachment_ids", "附件%d不属于该问题", id)
		}
	}
	return nil
}
