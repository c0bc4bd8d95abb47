package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"ducha"
)

// ImportLedger stores every row of a ledger file or none: the first bad row
// stops the import with its row number and leaves the store unchanged. A
// row whose code already exists updates that problem; other rows register
// new problems.
func (db *DB) ImportLedger(ctx context.Context, rows []ducha.LedgerRow) (ducha.ImportResult, error) {
	var res ducha.ImportResult
	if _, err := ducha.Require(ctx, ducha.PermRegister); err != nil {
		return res, err
	}
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return res, err
	}
	defer tx.Rollback()
	units := map[string]*ducha.Unit{}
	resolve := func(field, name string) (*ducha.Unit, error) {
		if u, ok := units[name]; ok {
			return u, nil
		}
		u, err := tx.resolveUnit(ctx, field, ducha.UnitRef(name))
		if e, ok := err.(*ducha.Error); ok {
			// Name the column as the file does.
			e.Message = "“" + ledgerHeaders[field] + "”列：" + e.Message
			return nil, e
		} else if err != nil {
			return nil, err
		}
		units[name] = u
		return u, nil
	}
	uncoded := 0
	for _, r := range rows {
		if r.Problem.Code == "" {
			uncoded++
		}
	}
	if err := tx.reserveCodes(ctx, uncoded); err != nil {
		return res, err
	}
	for _, r := range rows {
		if err := tx.importLedgerRow(ctx, r.Problem, resolve, &res); err != nil {
			var e *ducha.Error
			if errors.As(err, &e) {
				e.Row = r.Row
				return ducha.ImportResult{}, e
			}
			return ducha.ImportResult{}, fmt.Errorf("row %d: %w", r.Row, err)
		}
	}
	return res, tx.commit(ctx)
}

var ledgerHeaders = map[string]string{"lead_unit": "责任单位", "coop_units": "配合单位"}

func (tx *Tx) importLedgerRow(ctx context.Context, p *ducha.Problem, resolve func(field, name string) (*ducha.Unit, error), res *ducha.ImportResult) error {
	if p.LeadUnit != "" {
		u, err := resolve("lead_unit", p.LeadUnit)
		if err != nil {
			return err
		}
		p.LeadUnitID, p.LeadUnit = u.ID, u.Name
	}
	p.CoopUnitIDs = nil
	for i, name := range p.CoopUnits {
		u, err := resolve("coop_units", name)
		if err != nil {
			return err
		}
		if u.ID == p.LeadUnitID {
			continue
		}
		p.CoopUnitIDs = append(p.CoopUnitIDs, u.ID)
		p.CoopUnits[i] = u.Name
	}
	if p.Code != "" {
		before, err := scanProblem(tx.queryRow(ctx, `SELECT `+problemColumns+problemFrom+` WHERE p.code = ?`, p.Code))
		if err == nil {
			if err := tx.attachCoopUnits(ctx, []*ducha.Problem{before}); err != nil {
				return err
			}
			// A status moves only through the workflow: a file that says
			// otherwise is probably an old export, and would undo work.
			if p.Status != before.Status {
				msg := fmt.Sprintf("“状态”列：问题%s在系统中为“%s”，文件中为“%s”；状态只能通过办理流程变更（文件可能是旧的导出，请重新导出后再修改）",
					p.Code, before.Status.Label(), p.Status.Label())
				return &ducha.Error{Code: ducha.ECONFLICT, Message: msg, Fields: map[string]string{"status": msg}}
			}
			// The file is the ledger as the office keeps it: its fields win,
			// the workflow's own record (closure, extension) stays.
			p.ID, p.CampaignID, p.CreatedAt = before.ID, before.CampaignID, before.CreatedAt
			p.ClosureText, p.ReturnReason, p.ReopenCount, p.Extension = before.ClosureText, before.ReturnReason, before.ReopenCount, before.Extension
			p.OriginalDeadline = before.OriginalDeadline
			if !p.OriginalDeadline.Valid() {
				p.OriginalDeadline = p.Deadline
			}
			// A file written by our own export carries normalized text: the
			// cells as first written stay on record.
			if p.Deadline == before.Deadline && p.Mode == before.Mode {
				p.DeadlineText = before.DeadlineText
			}
			if len(before.Original) > 0 {
				merged := map[string]string{}
				for k, v := range before.Original {
					merged[k] = v
				}
				for k, v := range p.Original {
					merged[k] = v
				}
				p.Original = merged
			}
			p.ClosedAt = before.ClosedAt
			if p.Status == ducha.StatusClosed && p.ClosedAt == nil {
				t := tx.now
				p.ClosedAt = &t
			} else if p.Status != ducha.StatusClosed {
				p.ClosedAt = nil
			}
			if b, a := ducha.Diff(before, p); b == nil && a == nil {
				return nil
			}
			if err := tx.saveProblem(ctx, before, p, "import", ""); err != nil {
				return err
			}
			res.Updated++
			return nil
		} else if err != sql.ErrNoRows {
			return err
		}
	}
	if err := tx.createProblem(ctx, p, "import"); err != nil {
		return err
	}
	res.Created++
	return nil
}
