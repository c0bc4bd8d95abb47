package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"ducha"
)

const campaignColumns = `id, name, team, start_date, end_date, case_days, phase, version, working_days, holidays, workdays, rules`

func scanCampaign(row interface{ Scan(...any) error }) (*ducha.Campaign, error) {
	var c ducha.Campaign
	var working int
	var rules string
	if err := row.Scan(&c.ID, &c.Name, &c.Team, &c.Start, &c.End, &c.CaseDays, &c.Phase, &c.Version, &working, &c.Holidays, &c.Workdays, &rules); err != nil {
		return nil, err
	}
	c.WorkingDays = working != 0
	r, err := parseRules(rules)
	if err != nil {
		return nil, fmt.Errorf("campaign %d rules: %w", c.ID, err)
	}
	c.Rules = r
	return &c, nil
}

// parseRules reads rules as the campaigns table keeps them, into the
// defaults: ” (a campaign from before the rules) is the defaults, and a
// key an older campaign lacks keeps its default.
func parseRules(s string) (ducha.Rules, error) {
	r := ducha.DefaultRules()
	if s != "" {
		if err := json.Unmarshal([]byte(s), &r); err != nil {
			return r, err
		}
	}
	return r, nil
}

// rulesJSON is the rules as the campaigns table keeps them.
func rulesJSON(r ducha.Rules) string {
	b, _ := json.Marshal(r)
	return string(b)
}

// CreateCampaign adds an inspection round. Admins only.
func (db *DB) CreateCampaign(ctx context.Context, c *ducha.Campaign) error {
	if _, err := ducha.Require(ctx, ducha.PermManage); err != nil {
		return err
	}
	if err := c.Validate(); err != nil {
		return err
	}
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	c.Version = 1
	c.ID, err = tx.insert(ctx, `INSERT INTO campaigns (name, team, start_date, end_date, case_days, phase, version, working_days, holidays, workdays, rules)
		VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?)`, c.Name, c.Team, string(c.Start), string(c.End), c.CaseDays, string(c.Phase),
		boolInt(c.WorkingDays), c.Holidays, c.Workdays, rulesJSON(c.Rules))
	if isUniqueViolation(err) {
		return ducha.FieldError("name", "督察轮次“%s”已存在", c.Name)
	} else if err != nil {
		return fmt.Errorf("create campaign: %w", err)
	}
	_, after := ducha.Diff(nil, c)
	if err := tx.appendEvent(ctx, "campaign", c.ID, "create", "", nil, after); err != nil {
		return err
	}
	if err := tx.commit(ctx); err != nil {
		return err
	}
	return db.RefreshRules(ctx)
}

// FindCampaigns lists campaigns, newest first.
func (db *DB) FindCampaigns(ctx context.Context) ([]*ducha.Campaign, error) {
	if _, err := ducha.Require(ctx, ducha.PermRead); err != nil {
		return nil, err
	}
	rows, err := db.reader.QueryContext(ctx, `SELECT `+campaignColumns+` FROM campaigns ORDER BY id DESC`)
	if err != nil {
		return nil, fmt.Errorf("find campaigns: %w", err)
	}
	defer rows.Close()
	var out []*ducha.Campaign
	for rows.Next() {
		c, err := scanCampaign(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// CurrentCampaign is the newest campaign.
func (db *DB) CurrentCampaign(ctx context.Context) (*ducha.Campaign, error) {
	if _, err := ducha.Require(ctx, ducha.PermRead); err != nil {
		return nil, err
	}
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return tx.currentCampaign(ctx)
}

func (tx *Tx) currentCampaign(ctx context.Context) (*ducha.Campaign, error) {
	c, err := scanCampaign(tx.queryRow(ctx, `SELECT `+campaignColumns+` FROM campaigns ORDER BY id DESC LIMIT 1`))
	if err == sql.ErrNoRows {
		return nil, ducha.NotFound("督察轮次")
	} else if err != nil {
		return nil, fmt.Errorf("current campaign: %w", err)
	}
	return c, nil
}

// FindCampaignByID returns one campaign; anyone logged in may read it.
func (db *DB) FindCampaignByID(ctx context.Context, id int64) (*ducha.Campaign, error) {
	if _, err := ducha.Require(ctx, ducha.PermRead); err != nil {
		return nil, err
	}
	c, err := scanCampaign(db.queryRow(ctx, `SELECT `+campaignColumns+` FROM campaigns WHERE id = ?`, id))
	if err == sql.ErrNoRows {
		return nil, ducha.NotFound("督察轮次")
	} else if err != nil {
		return nil, fmt.Errorf("find campaign: %w", err)
	}
	return c, nil
}

// UpdateCampaign changes a campaign. Admins only; the version must be the
// one the admin saw. A new time limit or calendar applies to cases handed
// over from now on: the deadlines already set stay as they were.
func (db *DB) UpdateCampaign(ctx context.Context, id int64, upd ducha.CampaignUpdate) (*ducha.Campaign, error) {
	if _, err := ducha.Require(ctx, ducha.PermManage); err != nil {
		return nil, err
	}
	if upd.Version <= 0 {
		return nil, ducha.FieldError("version", "缺少版本号（version），请刷新后重试")
	}
	if err := upd.Validate(); err != nil {
		return nil, err
	}
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	before, err := scanCampaign(tx.queryRow(ctx, `SELECT `+campaignColumns+` FROM campaigns WHERE id = ?`+tx.db.dialect.forUpdate(), id))
	if err == sql.ErrNoRows {
		return nil, ducha.NotFound("督察轮次")
	} else if err != nil {
		return nil, fmt.Errorf("update campaign: %w", err)
	}
	if before.Version != upd.Version {
		return nil, ducha.Conflict()
	}
	after := *before
	upd.Apply(&after)
	if err := after.Validate(); err != nil {
		return nil, err
	}
	old, changed := ducha.Diff(before, &after)
	if old == nil && changed == nil {
		return before, nil
	}
	// New rules apply from the next escalation pass on: notices already
	// issued keep their due dates.
	res, err := tx.exec(ctx, `UPDATE campaigns SET name = ?, team = ?, start_date = ?, end_date = ?, case_days = ?, phase = ?,
		working_days = ?, holidays = ?, workdays = ?, rules = ?, version = version + 1 WHERE id = ? AND version = ?`,
		after.Name, after.Team, string(after.Start), string(after.End), after.CaseDays, string(after.Phase),
		boolInt(after.WorkingDays), after.Holidays, after.Workdays, rulesJSON(after.Rules), id, before.Version)
	if isUniqueViolation(err) {
		return nil, ducha.FieldError("name", "督察轮次“%s”已存在", after.Name)
	} else if err != nil {
		return nil, fmt.Errorf("update campaign: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return nil, ducha.Conflict()
	}
	after.Version = before.Version + 1
	if err := tx.appendEvent(ctx, "campaign", id, "update", "", old, changed); err != nil {
		return nil, err
	}
	if after.Rules.ProgressPeriodMonths != before.Rules.ProgressPeriodMonths {
		// Another reporting period moves every schedule of the campaign.
		if _, err := tx.recomputeSchedules(ctx, id, after.Rules.ProgressPeriodMonths); err != nil {
			return nil, err
		}
		tx.touch("*")
	}
	if err := tx.commit(ctx); err != nil {
		return nil, err
	}
	return &after, db.RefreshRules(ctx)
}

// YellowDays is how many days before its deadline an item turns yellow:
// the current campaign's rules say, else Options.YellowDays. Warnings
// everywhere (lists, counters, pages, the inbox) follow the current
// campaign: the counters hold one threshold, and a county works one
// campaign at a time (docs/decisions/007).
func (db *DB) YellowDays() int {
	if n := db.yellow.Load(); n > 0 {
		return int(n)
	}
	return db.opts.YellowDays
}

// progressPeriod is the current campaign's reporting period in months
// (序时进度), 3 when there is none.
func (db *DB) progressPeriod() int {
	if n := db.period.Load(); n > 0 {
		return int(n)
	}
	return 3
}

// RefreshRules reads the current campaign's rules again: UpdateCampaign
// and CreateCampaign do it on their instance, and the server's scheduler
// on every pass, for changes made on another instance.
func (db *DB) RefreshRules(ctx context.Context) error {
	var rules string
	err := db.queryRow(ctx, `SELECT rules FROM campaigns ORDER BY id DESC LIMIT 1`).Scan(&rules)
	if err == sql.ErrNoRows {
		db.yellow.Store(0)
		db.period.Store(0)
		return nil
	} else if err != nil {
		return fmt.Errorf("refresh rules: %w", err)
	}
	r, err := parseRules(rules)
	if err != nil {
		return fmt.Errorf("refresh rules: %w", err)
	}
	db.yellow.Store(int64(r.YellowDays))
	db.period.Store(int64(r.ProgressPeriodMonths))
	return nil
}

// recomputeSchedules sets behind_from afresh for the problems in progress
// of campaign id (every campaign when 0) under a reporting period of
// period months, on their rows and their current states; it answers how
// many moved. A new period (UpdateCampaign) and the migration that
// brought schedules in (RecomputeSchedules) call it; the schedule's
// history before it is not rewritten.
func (tx *Tx) recomputeSchedules(ctx context.Context, id int64, period int) (int, error) {
	cond, args := ``, []any{}
	if id != 0 {
		cond, args = ` AND campaign_id = ?`, []any{id}
	}
	rows, err := tx.query(ctx, `SELECT id, mode, COALESCE(deadline, ''), planned_at, progress_at, progress_percent, COALESCE(behind_from, '')
		FROM problems WHERE status = 'in_progress'`+cond, args...)
	if err != nil {
		return 0, fmt.Errorf("schedules: %w", err)
	}
	type move struct {
		id   int64
		from ducha.Date
	}
	var moves []move
	for rows.Next() {
		p := ducha.Problem{Status: ducha.StatusInProgress}
		var planned, progressAt sql.NullString
		var percent sql.NullInt64
		var deadline, behind string
		if err := rows.Scan(&p.ID, &p.Mode, &deadline, &planned, &progressAt, &percent, &behind); err != nil {
			rows.Close()
			return 0, fmt.Errorf("schedules: %w", err)
		}
		p.Deadline, p.PlannedAt, p.ProgressAt = ducha.Date(deadline), parseTimePtr(planned), parseTimePtr(progressAt)
		if percent.Valid {
			v := int(percent.Int64)
			p.ProgressPercent = &v
		}
		if from := p.ScheduleFrom(period); string(from) != behind {
			moves = append(moves, move{p.ID, from})
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	for _, m := range moves {
		if _, err := tx.exec(ctx, `UPDATE problems SET behind_from = ? WHERE id = ?`, nullString(string(m.from)), m.id); err != nil {
			return 0, fmt.Errorf("schedules: %w", err)
		}
		if _, err := tx.exec(ctx, `UPDATE problem_states SET behind_from = ? WHERE problem_id = ? AND valid_to IS NULL`, nullString(string(m.from)), m.id); err != nil {
			return 0, fmt.Errorf("schedules: %w", err)
		}
	}
	return len(moves), nil
}

// recomputeAllSchedules computes the schedules (序时进度) of every problem
// in progress, after the migration that brought them in: until then they
// have none.
func (db *DB) recomputeAllSchedules(ctx context.Context) error {
	sys := ducha.NewContextWithUser(ctx, ducha.SystemUser)
	if err := db.RefreshRules(ctx); err != nil {
		return err
	}
	tx, err := db.beginWrite(sys)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	n, err := tx.recomputeSchedules(ctx, 0, db.progressPeriod())
	if err != nil || n == 0 {
		return err
	}
	tx.touch("*")
	return tx.commit(ctx)
}
