// Package demo fills a store with realistic generated data: the county's
// units, a campaign, demo users and any number of problems composed from
// the county's real kinds of environmental problems, imported through the
// ledger import in large transactions, then a sample of them worked through
// the real workflow so that their histories hold real events. It is for
// demonstrations, manual testing and load runs; the same seed always gives
// the same problems.
package demo

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"time"

	"ducha"
	"ducha/store"
)

// Options say what Fill makes.
type Options struct {
	// Problems is how many problems to add.
	Problems int
	// Seed makes the run repeatable: one seed, one set of problems.
	Seed int64
	// Today is the day deadlines are spread around (60 days before it to 300
	// after); the real today when empty. Give the store's day when the store
	// runs on a fixed clock.
	Today ducha.Date
	// Batch is how many problems one ImportLedger call (one transaction)
	// takes; 5000 when 0.
	Batch int
	// Workflow is how many of the problems are worked through
	// db.ActOnProblem after the import; min(Problems, 2000) when 0, none
	// when negative.
	Workflow int
	// Password is the password of the demo users Fill creates; a random one
	// when empty (Result.Password tells it).
	Password string
	// CaseDays, when the store has no campaign yet, makes the campaign Fill
	// creates an on-site one whose period covers that many daily batches
	// ending yesterday, as FillCases hands them over; 0 makes a campaign in
	// rectification whose on-site month was five months ago.
	CaseDays int
	// Progress, when set, is called after each batch and every 100 sample
	// problems: done and total count imported problems plus worked sample
	// problems.
	Progress func(done, total int)
}

// DefaultBatch is the number of problems per ImportLedger call.
const DefaultBatch = 5000

// DefaultWorkflow bounds the workflow sample.
const DefaultWorkflow = 2000

func (o Options) withDefaults() Options {
	if o.Batch <= 0 {
		o.Batch = DefaultBatch
	}
	if !o.Today.Valid() {
		o.Today = ducha.Today(time.Now())
	}
	switch {
	case o.Workflow == 0:
		o.Workflow = min(o.Problems, DefaultWorkflow)
	case o.Workflow < 0:
		o.Workflow = 0
	default:
		o.Workflow = min(o.Workflow, o.Problems)
	}
	return o
}

// Result says what Fill did.
type Result struct {
	Units        int      `json:"units"`         // county units in the store (the 33 of units.csv)
	UnitsCreated int      `json:"units_created"` // of them, created by this run
	CampaignID   int64    `json:"campaign_id"`
	Problems     int      `json:"problems"` // problems imported
	Actions      int      `json:"actions"`  // workflow actions done
	Skipped      int      `json:"skipped"`  // workflow actions the rules refused
	SkipReasons  []string `json:"skip_reasons,omitempty"`
	Events       int      `json:"events"`             // audit events written
	Users        []string `json:"users,omitempty"`    // demo users created by this run
	Password     string   `json:"password,omitempty"` // their password; "" when none was created

	ImportElapsed time.Duration `json:"import_elapsed"` // the bulk import alone
	Elapsed       time.Duration `json:"elapsed"`        // all of Fill
}

// Rate is the bulk import's speed in problems per second.
func (r Result) Rate() float64 {
	if r.ImportElapsed <= 0 {
		return 0
	}
	return float64(r.Problems) / r.ImportElapsed.Seconds()
}

// Fill adds the county's units (created or brought up to date by name), a
// campaign unless there is one, the demo users (demo_coord, a coordinator,
// and demo_liaison_1 … for a few units) unless they exist, and
// opts.Problems problems, acting as ducha.SystemUser. The problems go in
// through db.ImportLedger, opts.Batch per transaction, with their statuses
// as a ledger file would give them (15% 待交办, 45% 整改中, 15% 待验收, 25%
// 已销号); a sample is then worked through db.ActOnProblem by the demo
// users. Each import call stores all of its rows or none; an error stops
// Fill with the batches before it kept.
func Fill(ctx context.Context, db *store.DB, opts Options) (Result, error) {
	start := time.Now()
	var res Result
	if opts.Problems < 0 {
		return res, ducha.FieldError("problems", "问题条数不能为负数")
	}
	opts = opts.withDefaults()
	sys := ducha.NewContextWithUser(ctx, ducha.SystemUser)

	created, updated, err := db.ImportUnits(sys, freshUnits())
	if err != nil {
		return res, fmt.Errorf("demo units: %w", err)
	}
	res.Units, res.UnitsCreated = len(countyUnits), created
	res.Events += created + updated

	c, err := campaign(sys, db, opts.Today, opts.CaseDays, &res)
	if err != nil {
		return res, err
	}
	res.CampaignID = c.ID

	a, err := users(sys, db, opts.Password, &res)
	if err != nil {
		return res, err
	}

	total := opts.Problems + opts.Workflow
	report := func(done int) {
		if opts.Progress != nil {
			opts.Progress(done, total)
		}
	}
	importStart := time.Now()
	plans, err := importProblems(sys, db, opts, c.ID, &res, report)
	res.ImportElapsed = time.Since(importStart)
	if err != nil {
		res.Elapsed = time.Since(start)
		return res, err
	}

	err = work(db, a, plans, &res, func(i int) {
		// Plans are the sample problems past 待交办; scale to the sample.
		if len(plans) > 0 {
			report(opts.Problems + i*opts.Workflow/len(plans))
		}
	})
	res.Events += res.Actions
	res.Elapsed = time.Since(start)
	if err == nil {
		report(total)
	}
	return res, err
}

// DemoCampaign and DemoTeam name the campaign Fill creates: a round of its
// own, marked as generated, so that real batches (the samples are the third
// round's) go into a campaign of theirs without meeting the demo's batch
// numbers.
const (
	DemoCampaign = "第二轮中央生态环境保护督察（演示数据）"
	DemoTeam     = "中央第二生态环境保护督察组"
)

// campaign returns the newest campaign, creating the demo round when the
// store has none: on site over the caseDays days before today (the team
// arrives the day before its first batch), or, without cases, in
// rectification after an on-site month five months ago.
func campaign(ctx context.Context, db *store.DB, today ducha.Date, caseDays int, res *Result) (*ducha.Campaign, error) {
	c, err := db.CurrentCampaign(ctx)
	if err == nil {
		return c, nil
	} else if ducha.ErrorCode(err) != ducha.ENOTFOUND {
		return nil, fmt.Errorf("demo campaign: %w", err)
	}
	c = &ducha.Campaign{Name: DemoCampaign, Team: DemoTeam, CaseDays: 10}
	if caseDays > 0 {
		c.Start, c.End, c.Phase = today.AddDays(-caseDays-1), today.AddDays(-1), ducha.PhaseFeedback
	} else {
		c.Start = today.AddDays(-150)
		c.End, c.Phase = c.Start.AddDays(30), ducha.PhaseRectification
	}
	if err := db.CreateCampaign(ctx, c); err != nil {
		return nil, fmt.Errorf("demo campaign: %w", err)
	}
	res.Events++
	return c, nil
}

// users finds or creates the demo users and returns the contexts they act in.
func users(ctx context.Context, db *store.DB, password string, res *Result) (*actors, error) {
	if password == "" {
		b := make([]byte, 12)
		rand.Read(b)
		password = base64.RawURLEncoding.EncodeToString(b)
	}
	ensure := func(u *ducha.User) (*ducha.User, error) {
		old, err := db.FindUserByUsername(ctx, u.Username)
		if err == nil {
			return old, nil
		} else if ducha.ErrorCode(err) != ducha.ENOTFOUND {
			return nil, fmt.Errorf("demo user %s: %w", u.Username, err)
		}
		if err := db.CreateUser(ctx, u, password); err != nil {
			return nil, fmt.Errorf("demo user %s: %w", u.Username, err)
		}
		res.Users = append(res.Users, u.Username)
		res.Events++
		return u, nil
	}
	coord, err := ensure(&ducha.User{Username: "demo_coord", DisplayName: "协调联络组办公室（演示）", Role: ducha.RoleCoordinator})
	if err != nil {
		return nil, err
	}
	a := &actors{coord: ducha.NewContextWithUser(ctx, coord), liaison: map[string]context.Context{}}
	for i, name := range demoLiaisonUnits {
		unit, err := db.FindUnitByName(ctx, name)
		if err != nil {
			return nil, fmt.Errorf("demo user unit %s: %w", name, err)
		}
		u, err := ensure(&ducha.User{Username: fmt.Sprintf("demo_liaison_%d", i+1), DisplayName: unit.Liaison,
			Role: ducha.RoleUnitLiaison, UnitID: unit.ID})
		if err != nil {
			return nil, err
		}
		a.liaison[unit.Name] = ducha.NewContextWithUser(ctx, u)
	}
	if len(res.Users) > 0 {
		res.Password = password
	}
	return a, nil
}

// batch is one ImportLedger call's rows and the plans of its sample problems.
type batch struct {
	rows  []ducha.LedgerRow
	plans []*plan
}

// importProblems generates the problems in one goroutine while the store
// imports the batch before, and returns the workflow plans.
func importProblems(ctx context.Context, db *store.DB, opts Options, campaignID int64, res *Result, report func(int)) ([]*plan, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan batch, 1)
	go func() {
		defer close(batches)
		g := newGenerator(opts.Seed, opts.Today, campaignID, opts.Problems, opts.Workflow)
		for done := 0; done < opts.Problems; {
			b := batch{rows: make([]ducha.LedgerRow, min(opts.Batch, opts.Problems-done))}
			for i := range b.rows {
				p, pl := g.next()
				b.rows[i] = ducha.LedgerRow{Row: done + i + 1, Problem: p}
				if pl != nil {
					b.plans = append(b.plans, pl)
				}
			}
			done += len(b.rows)
			select {
			case batches <- b:
			case <-ctx.Done():
				return
			}
		}
	}()
	var plans []*plan
	for b := range batches {
		r, err := db.ImportLedger(ctx, b.rows)
		if err != nil {
			return nil, fmt.Errorf("demo problems %d–%d: %w", b.rows[0].Row, b.rows[len(b.rows)-1].Row, err)
		}
		res.Problems += r.Created
		res.Events += r.Created + r.Updated
		plans = append(plans, b.plans...)
		report(res.Problems)
	}
	return plans, ctx.Err()
}
