package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	"ducha"
)

// ImportBatch stores a numbered batch of cases, all or nothing. A case
// whose acceptance number is already known from an earlier batch is logged
// as a duplicate of it and not counted again. The same batch imported
// again with the same cases changes nothing (Unchanged); with other cases
// it is refused.
func (db *DB) ImportBatch(ctx context.Context, number int, date ducha.Date, fileName string, rows []ducha.BatchRow) (*ducha.BatchResult, error) {
	u, err := ducha.Require(ctx, ducha.PermRegister)
	if err != nil {
		return nil, err
	}
	if number <= 0 {
		return nil, ducha.FieldError("batch", "批次号必须是正整数")
	}
	if !date.Valid() {
		return nil, ducha.FieldError("date", "缺少交办日期")
	}
	if len(rows) == 0 {
		return nil, ducha.Errorf(ducha.EINVALID, "文件中没有交办件")
	}
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var campaignID sql.NullInt64
	if c, err := tx.currentCampaign(ctx); err == nil {
		campaignID = sql.NullInt64{Int64: c.ID, Valid: true}
	} else if ducha.ErrorCode(err) != ducha.ENOTFOUND {
		return nil, err
	}
	res := &ducha.BatchResult{Duplicates: []ducha.BatchDuplicate{}}
	if same, err := tx.sameBatch(ctx, campaignID, number, rows); err != nil {
		return nil, err
	} else if same != nil {
		return &ducha.BatchResult{Batch: same, Duplicates: []ducha.BatchDuplicate{}, Unchanged: true}, nil
	}
	b := &ducha.Batch{Number: number, Date: date, FileName: fileName, ImportedBy: u.Username, ImportedAt: tx.now, CampaignID: campaignID.Int64}
	b.ID, err = tx.insert(ctx, `INSERT INTO batches (campaign_id, number, date, file_name, imported_by, imported_at) VALUES (?, ?, ?, ?, ?, ?)`,
		campaignID, number, string(date), fileName, u.Username, ducha.FormatTime(tx.now))
	if isUniqueViolation(err) {
		return nil, ducha.FieldError("batch", "第%d批已经导入过，且内容与本文件不同；如需更正请联系管理员", number)
	} else if err != nil {
		return nil, fmt.Errorf("insert batch: %w", err)
	}
	for _, r := range rows {
		c := r.Case
		var firstID int64
		var firstBatch int
		err := tx.queryRow(ctx, `SELECT id, batch FROM cases WHERE acceptance_no = ?`, c.AcceptanceNo).Scan(&firstID, &firstBatch)
		if err == nil {
			d := ducha.BatchDuplicate{AcceptanceNo: c.AcceptanceNo, Row: r.Row, CaseID: firstID, FirstBatch: firstBatch}
			if _, err := tx.exec(ctx, `INSERT INTO batch_duplicates (batch_id, acceptance_no, case_id, row_number) VALUES (?, ?, ?, ?)`,
				b.ID, c.AcceptanceNo, firstID, r.Row); err != nil {
				return nil, fmt.Errorf("row %d: %w", r.Row, err)
			}
			res.Duplicates = append(res.Duplicates, d)
			continue
		} else if !errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
		c.Batch, c.CampaignID = number, campaignID.Int64
		if !c.ForwardedDate.Valid() {
			c.ForwardedDate = date
		}
		if err := tx.createCase(ctx, c, b.ID); err != nil {
			var e *ducha.Error
			if errors.As(err, &e) {
				e.Row = r.Row
			}
			return nil, err
		}
		b.Total++
		switch c.Channel {
		case ducha.ChannelPhone:
			b.Phone++
		case ducha.ChannelLetter:
			b.Letter++
		}
		if c.Key {
			b.Key++
		}
		res.Created++
	}
	b.Duplicates = len(res.Duplicates)
	if _, err := tx.exec(ctx, `UPDATE batches SET total = ?, phone = ?, letter = ?, key_count = ?, duplicates = ? WHERE id = ?`,
		b.Total, b.Phone, b.Letter, b.Key, b.Duplicates, b.ID); err != nil {
		return nil, err
	}
	_, after := ducha.Diff(nil, b)
	if err := tx.appendEvent(ctx, "batch", b.ID, "import", fileName, nil, after); err != nil {
		return nil, err
	}
	res.Batch = b
	return res, tx.commit(ctx)
}

// sameBatch returns the stored batch when it holds exactly these
// acceptance numbers (as new cases or logged duplicates); nil when the
// batch is not there yet.
func (tx *Tx) sameBatch(ctx context.Context, campaignID sql.NullInt64, number int, rows []ducha.BatchRow) (*ducha.Batch, error) {
	b, err := tx.findBatch(ctx, campaignID, number)
	if err != nil || b == nil {
		return nil, err
	}
	var have []string
	qs := []string{`SELECT acceptance_no FROM cases WHERE batch_id = ?`, `SELECT acceptance_no FROM batch_duplicates WHERE batch_id = ?`}
	for _, q := range qs {
		r, err := tx.query(ctx, q, b.ID)
		if err != nil {
			return nil, err
		}
		for r.Next() {
			var no string
			if err := r.Scan(&no); err != nil {
				r.Close()
				return nil, err
			}
			have = append(have, no)
		}
		r.Close()
	}
	want := make([]string, len(rows))
	for i, r := range rows {
		want[i] = r.Case.AcceptanceNo
	}
	sort.Strings(have)
	sort.Strings(want)
	if strings.Join(have, ",") != strings.Join(want, ",") {
		return nil, ducha.FieldError("batch", "第%d批已经导入过（%d件），本文件的交办件与之不同；如需更正请联系管理员", number, len(have))
	}
	return b, nil
}

func (tx *Tx) findBatch(ctx context.Context, campaignID sql.NullInt64, number int) (*ducha.Batch, error) {
	var b ducha.Batch
	var camp sql.NullInt64
	var at string
	cond, args := ` AND campaign_id IS NULL`, []any{number}
	if campaignID.Valid {
		cond, args = ` AND campaign_id = ?`, append(args, campaignID.Int64)
	}
	err := tx.queryRow(ctx, `SELECT id, campaign_id, number, date, file_name, total, phone, letter, key_count, duplicates, imported_by, imported_at
		FROM batches WHERE number = ?`+cond, args...).
		Scan(&b.ID, &camp, &b.Number, &b.Date, &b.FileName, &b.Total, &b.Phone, &b.Letter, &b.Key, &b.Duplicates, &b.ImportedBy, &at)
	if err == sql.ErrNoRows {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("find batch: %w", err)
	}
	b.CampaignID, b.ImportedAt = camp.Int64, ducha.ParseTime(at)
	return &b, nil
}

// createCase inserts a received case, its types, its first state, its
// search tokens and its event.
func (tx *Tx) createCase(ctx context.Context, c *ducha.Case, batchID int64) error {
	if c.AcceptanceNo == "" {
		return ducha.FieldError("acceptance_no", "受理编号不能为空")
	}
	if err := c.ValidateLengths(); err != nil {
		return err
	}
	if c.Channel != ducha.ChannelPhone && c.Channel != ducha.ChannelLetter {
		return ducha.FieldError("channel", "举报方式“%s”无效，应为来电或来信", c.Channel)
	}
	if strings.TrimSpace(c.Text) == "" {
		return ducha.FieldError("text", "交办问题基本情况不能为空")
	}
	c.Status, c.Version, c.CreatedAt, c.UpdatedAt = ducha.CaseReceived, 1, tx.now, tx.now
	if c.Types == nil {
		c.Types = []string{}
	}
	var orig sql.NullString
	if len(c.Original) > 0 {
		b, _ := json.Marshal(c.Original)
		orig = sql.NullString{String: string(b), Valid: true}
	}
	id, err := tx.insert(ctx, `INSERT INTO cases (acceptance_no, campaign_id, batch, batch_id, forwarded_date, channel, key_flag, text,
		area, types, type_detail, status, original, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
		c.AcceptanceNo, sql.NullInt64{Int64: c.CampaignID, Valid: c.CampaignID != 0}, c.Batch, batchID, string(c.ForwardedDate),
		c.Channel, boolInt(c.Key), c.Text, c.Area, strings.Join(c.Types, ","), c.TypeDetail, string(c.Status), orig,
		ducha.FormatTime(tx.now), ducha.FormatTime(tx.now))
	if isUniqueViolation(err) {
		return ducha.FieldError("acceptance_no", "受理编号“%s”重复", c.AcceptanceNo)
	} else if err != nil {
		return fmt.Errorf("insert case: %w", err)
	}
	c.ID = id
	for _, t := range c.Types {
		if _, err := tx.exec(ctx, `INSERT INTO case_types (case_id, type) VALUES (?, ?)`, id, t); err != nil {
			return fmt.Errorf("case types: %w", err)
		}
	}
	if err := tx.addCaseState(ctx, c); err != nil {
		return err
	}
	tx.queueSearch(caseSearch, id, caseTokens(c), false)
	_, after := ducha.Diff(nil, c)
	return tx.appendEvent(ctx, "case", id, "import", "", nil, after)
}

// FindBatches lists the batches of every campaign, newest first. A
// unit-scoped user sees the batches that brought its unit cases, counted
// over those cases only.
func (db *DB) FindBatches(ctx context.Context) ([]*ducha.Batch, error) {
	u, err := ducha.Require(ctx, ducha.PermRead)
	if err != nil {
		return nil, err
	}
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	query := `SELECT id, campaign_id, number, date, file_name, total, phone, letter, key_count, duplicates, imported_by, imported_at
		FROM batches ORDER BY number DESC, id DESC`
	var args []any
	if u.Role.UnitScoped() {
		scope, sargs := caseScopeOf(u)
		query = `SELECT b.id, b.campaign_id, b.number, b.date, b.file_name, count(*),
			COALESCE(sum(CASE WHEN c.channel = '来电' THEN 1 ELSE 0 END), 0), COALESCE(sum(CASE WHEN c.channel = '来信' THEN 1 ELSE 0 END), 0),
			COALESCE(sum(c.key_flag), 0), 0, b.imported_by, b.imported_at
			FROM batches b JOIN cases c ON c.batch_id = b.id WHERE 1 = 1` + scope + `
			GROUP BY b.id, b.campaign_id, b.number, b.date, b.file_name, b.imported_by, b.imported_at
			ORDER BY b.number DESC, b.id DESC`
		args = sargs
	}
	rows, err := tx.query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("find batches: %w", err)
	}
	defer rows.Close()
	out := []*ducha.Batch{}
	for rows.Next() {
		var b ducha.Batch
		var camp sql.NullInt64
		var at string
		if err := rows.Scan(&b.ID, &camp, &b.Number, &b.Date, &b.FileName, &b.Total, &b.Phone, &b.Letter, &b.Key, &b.Duplicates, &b.ImportedBy, &at); err != nil {
			return nil, err
		}
		b.CampaignID, b.ImportedAt = camp.Int64, ducha.ParseTime(at)
		out = append(out, &b)
	}
	return out, rows.Err()
}
