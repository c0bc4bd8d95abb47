package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"ducha"
	"ducha/store"
)

// CaseOptions say how many complaint cases FillCases makes and over how
// many days.
type CaseOptions struct {
	// Cases is how many cases to hand over in all.
	Cases int
	// Days is how many daily batches carry them (one batch a day).
	Days int
	// Start is the first batch's date; Days days before Today when empty.
	Start ducha.Date
	// Seed makes the run repeatable.
	Seed int64
	// Chunk is how many actions go in one transaction; 2000 when 0.
	Chunk int
	// NewDay, when set, is called before each day's work with its date, so
	// a caller whose store runs on its own clock can move it: the events
	// of each day then carry that day.
	NewDay func(ducha.Date)
	// Progress, when set, is called after each day.
	Progress func(day, days int)
}

// CaseResult says what FillCases did.
type CaseResult struct {
	Batches int           `json:"batches"`
	Cases   int           `json:"cases"`
	Actions int           `json:"actions"`
	Elapsed time.Duration `json:"elapsed"`
}

// FillCases hands over opts.Cases generated complaint cases in daily
// batches and works them the way an inspection month goes: the coordinator
// assigns each day's batch to the township (now and then with a department),
// every unit signs for its cases and answers most of them within days with
// findings, a verdict and measures (fines, interviews, orders to rectify…),
// the coordinator accepts most answers as closed or stage-closed, returns a
// few, and publishes the closed ones. Units and a campaign must exist (Fill
// makes them). Everything goes through the store's own paths (ImportBatch,
// ActOnCases), so the history, states and audit chain are real.
func FillCases(ctx context.Context, db *store.DB, opts CaseOptions) (CaseResult, error) {
	start := time.Now()
	var res CaseResult
	if opts.Cases <= 0 {
		return res, nil
	}
	if opts.Days <= 0 {
		opts.Days = 20
	}
	if opts.Chunk <= 0 {
		opts.Chunk = 2000
	}
	if !opts.Start.Valid() {
		opts.Start = ducha.Today(time.Now()).AddDays(-opts.Days)
	}
	sys := ducha.NewContextWithUser(ctx, ducha.SystemUser)
	units := map[string]*ducha.Unit{}
	all, err := db.FindUnits(sys)
	if err != nil {
		return res, err
	}
	for _, u := range all {
		units[u.Name] = u
	}
	if len(units) == 0 {
		return res, fmt.Errorf("demo cases: no units; fill the units first")
	}
	coord := ducha.NewContextWithUser(ctx, &ducha.User{ID: 0, Username: "demo_coord", Role: ducha.RoleCoordinator})
	liaison := func(unitID int64) context.Context {
		return ducha.NewContextWithUser(ctx, &ducha.User{ID: 0, Username: fmt.Sprintf("demo_unit_%d", unitID), Role: ducha.RoleUnitLiaison, UnitID: unitID})
	}
	g := newGenerator(opts.Seed, opts.Start, 0, opts.Cases, 0)
	r := rand.New(rand.NewPCG(uint64(opts.Seed), 77))
	type open struct {
		id      int64
		unit    int64
		day     int
		subject string // the enterprise complained of
	}
	subjects := map[string]string{} // by acceptance number
	var assigned, answered []open
	seq := 0
	for day := 0; day < opts.Days; day++ {
		date := opts.Start.AddDays(day)
		if opts.NewDay != nil {
			opts.NewDay(date)
		}
		n := opts.Cases / opts.Days
		if day < opts.Cases%opts.Days {
			n++
		}
		rows := make([]ducha.BatchRow, n)
		compact := string(date[:4]) + string(date[5:7]) + string(date[8:])
		for i := range rows {
			seq++
			p, _ := g.next()
			ch, letter := ducha.ChannelLetter, "X"
			if r.IntN(100) < 65 {
				ch, letter = ducha.ChannelPhone, "D"
			}
			no := fmt.Sprintf("%s2SX%s%05d", letter, compact, seq)
			subjects[no] = p.Subject
			if subjects[no] == "" {
				subjects[no] = strings.TrimRight(p.Area, "镇乡") + pick(g, tradeNames) + pick(g, caseSubjectForms)
			}
			rows[i] = ducha.BatchRow{Row: i + 4, Case: &ducha.Case{
				AcceptanceNo: no,
				Channel:      ch, Key: r.IntN(100) < 6, Text: "群众反映，" + p.Description, Area: p.Area,
				Types: p.Types, TypeDetail: p.TypeDetail, ForwardedDate: date,
			}}
		}
		b, err := db.ImportBatch(coord, day+1, date, fmt.Sprintf("第%d批.xlsx", day+1), rows)
		if err != nil {
			return res, fmt.Errorf("batch %d: %w", day+1, err)
		}
		res.Batches++
		res.Cases += b.Created
		// The coordinator hands the day's cases to the township, some
		// jointly with a department.
		var items []store.CaseActionItem
		ids, err := batchCaseIDs(ctx, db, coord, day+1)
		if err != nil {
			return res, err
		}
		for _, c := range ids {
			area := c.area
			if units[area] == nil {
				area = "县生态环境局"
			}
			items = append(items, store.CaseActionItem{ID: c.id, In: ducha.CaseAction{Action: ducha.CaseActAssign, Units: []ducha.UnitRef{ducha.UnitRef(area)}}})
			assigned = append(assigned, open{c.id, units[area].ID, day, subjects[c.no]})
		}
		if err := chunked(coord, db, items, opts.Chunk, &res); err != nil {
			return res, err
		}
		// Units sign for what they got and answer what is two days old or more.
		byUnit := map[int64][]store.CaseActionItem{}
		var still []open
		for _, o := range assigned {
			if o.day == day {
				byUnit[o.unit] = append(byUnit[o.unit], store.CaseActionItem{ID: o.id, In: ducha.CaseAction{Action: ducha.CaseActSign}})
			}
			if day-o.day >= 2 && r.IntN(100) < 60 {
				byUnit[o.unit] = append(byUnit[o.unit], store.CaseActionItem{ID: o.id, In: answer(r, date, o.subject)})
				answered = append(answered, o)
			} else {
				still = append(still, o)
			}
		}
		assigned = still
		for unit, items := range byUnit {
			if err := chunked(liaison(unit), db, items, opts.Chunk, &res); err != nil {
				return res, err
			}
		}
		// The coordinator reviews yesterday's answers.
		items = items[:0]
		var pending []open
		var publish []store.CaseActionItem
		for _, o := range answered {
			if o.day == day {
				pending = append(pending, o)
				continue
			}
			switch x := r.IntN(100); {
			case x < 5:
				items = append(items, store.CaseActionItem{ID: o.id, In: ducha.CaseAction{Action: ducha.CaseActReturn, Reason: "调查核实不充分，请补充"}})
				assigned = append(assigned, open{o.id, o.unit, day - 2, o.subject})
			case x < 40:
				items = append(items, store.CaseActionItem{ID: o.id, In: ducha.CaseAction{Action: ducha.CaseActAccept, Status: ducha.CaseStageClosed}})
			default:
				items = append(items, store.CaseActionItem{ID: o.id, In: ducha.CaseAction{Action: ducha.CaseActAccept, Status: ducha.CaseClosed}})
				publish = append(publish, store.CaseActionItem{ID: o.id, In: ducha.CaseAction{Action: ducha.CaseActPublish}})
			}
		}
		answered = pending
		if err := chunked(coord, db, append(items, publish...), opts.Chunk, &res); err != nil {
			return res, err
		}
		if opts.Progress != nil {
			opts.Progress(day+1, opts.Days)
		}
	}
	res.Elapsed = time.Since(start)
	return res, nil
}

type caseRef struct {
	id   int64
	no   string
	area string
}

// batchCaseIDs lists a batch's cases (every page).
func batchCaseIDs(ctx context.Context, db *store.DB, as context.Context, batch int) ([]caseRef, error) {
	var out []caseRef
	for off := 0; ; off += ducha.MaxPerPage {
		cs, total, err := db.FindCases(as, ducha.CaseFilter{Batch: batch, Limit: ducha.MaxPerPage, Offset: off})
		if err != nil {
			return nil, err
		}
		for _, c := range cs {
			out = append(out, caseRef{c.ID, c.AcceptanceNo, c.Area})
		}
		if off+len(cs) >= total || len(cs) == 0 {
			return out, nil
		}
	}
}

func chunked(ctx context.Context, db *store.DB, items []store.CaseActionItem, chunk int, res *CaseResult) error {
	for len(items) > 0 {
		n := min(chunk, len(items))
		if err := db.ActOnCases(ctx, items[:n]); err != nil {
			return err
		}
		res.Actions += n
		items = items[n:]
	}
	return nil
}

// caseSubjectForms end the names of the enterprises complaints name when the
// generated problem names none.
var caseSubjectForms = []string{"砖瓦厂", "养殖场", "石材加工厂", "砂石料场", "洗煤厂", "建材有限公司", "餐饮店", "汽修厂"}

// answer is a unit's submission about a complaint against subject: a
// verdict and, when substantiated, the measures a county bureau typically
// takes, written into the handling text the way offices write it (so the
// measures proposed from the text are the measures submitted). Fines are
// those of county practice: mostly 5,000 to 50,000 yuan, now and then up to
// 200,000.
func answer(r *rand.Rand, date ducha.Date, subject string) ducha.CaseAction {
	in := ducha.CaseAction{Action: ducha.CaseActSubmit, Findings: "经现场调查核实，群众反映问题属实。", Verdict: ducha.VerdictTrue}
	switch x := r.IntN(100); {
	case x < 15:
		in.Verdict, in.Findings, in.Handling = ducha.VerdictFalse, "经现场调查核实，未发现群众反映的问题。", "已向举报人做好解释工作。"
		return in
	case x < 35:
		in.Verdict, in.Findings = ducha.VerdictPartly, "经现场调查核实，群众反映问题部分属实。"
	}
	in.Measures = append(in.Measures, ducha.Measure{Kind: ducha.MeasureOrderedToRectify, Enterprise: subject, Date: date})
	handling := "已责令" + subject + "立即整改"
	if r.IntN(100) < 25 {
		var yuan int
		switch x := r.IntN(100); {
		case x < 60:
			yuan = 5000 + r.IntN(31)*500 // 5,000–20,000
		case x < 90:
			yuan = 20000 + r.IntN(31)*1000 // 20,000–50,000
		default:
			yuan = 50000 + r.IntN(31)*5000 // 50,000–200,000
		}
		in.Measures = append(in.Measures, ducha.Measure{Kind: ducha.MeasurePenaltyCase, Enterprise: subject, Date: date, FineYuan: ducha.Money(yuan * 100)})
		handling += fmt.Sprintf("，并依法立案处罚，罚款%d元", yuan)
	}
	if r.IntN(100) < 4 {
		in.Measures = append(in.Measures, ducha.Measure{Kind: ducha.MeasureSuspended, Enterprise: subject, Date: date})
		handling += "，实施停产整治"
	}
	if r.IntN(100) < 10 {
		n := 1 + r.IntN(3)
		in.Measures = append(in.Measures, ducha.Measure{Kind: ducha.MeasureInterviewed, Persons: n, Date: date})
		handling += fmt.Sprintf("；约谈企业负责人%d人", n)
	}
	if r.IntN(1000) < 8 {
		in.Measures = append(in.Measures, ducha.Measure{Kind: ducha.MeasureCriminalCase, Date: date},
			ducha.Measure{Kind: ducha.MeasureCriminalDetention, Persons: 1, Date: date})
		handling += "；涉嫌环境污染犯罪，已移送公安机关立案侦查，刑事拘留1人"
	}
	if r.IntN(100) < 3 {
		n := 1 + r.IntN(2)
		in.Measures = append(in.Measures, ducha.Measure{Kind: ducha.MeasureHeldAccountable, Persons: n, Date: date})
		handling += fmt.Sprintf("；对监管不力的%d名责任人进行问责", n)
	}
	in.Handling = handling + "。"
	return in
}
