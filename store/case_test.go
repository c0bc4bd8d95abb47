package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"ducha"
	"ducha/internal/storetest"
	"ducha/store"
)

// row makes a batch row: no is the acceptance number (its letter gives the
// channel), types like "大气,噪声".
func row(n int, no, area, types string, key bool) ducha.BatchRow {
	ch := ducha.ChannelLetter
	if strings.HasPrefix(no, "D") {
		ch = ducha.ChannelPhone
	}
	return ducha.BatchRow{Row: n + 3, Case: &ducha.Case{AcceptanceNo: no, Channel: ch, Key: key, Area: area,
		Text: "群众反映" + area + "某企业污染环境" + no, Types: strings.Split(types, ",")}}
}

// act runs a case action with the case's current version.
func act(t *testing.T, db *store.DB, ctx context.Context, no string, in ducha.CaseAction) *ducha.Case {
	t.Helper()
	c, err := db.FindCaseByAcceptanceNo(ctx, no)
	if err != nil {
		t.Fatalf("%s: %v", no, err)
	}
	in.Version = c.Version
	c, err = db.ActOnCase(ctx, c.ID, in)
	if err != nil {
		t.Fatalf("%s %s: %v", no, in.Action, err)
	}
	return c
}

// work assigns a case to unit, signs it as liaison, and submits verdict with measures.
func work(t *testing.T, db *store.DB, f *storetest.Fixture, no, unit, liaison, verdict string, ms ...ducha.Measure) {
	t.Helper()
	coord := storetest.As(f.Users["coord"])
	act(t, db, coord, no, ducha.CaseAction{Action: ducha.CaseActAssign, Units: []ducha.UnitRef{ducha.UnitRef(unit)}})
	l := storetest.As(f.Users[liaison])
	act(t, db, l, no, ducha.CaseAction{Action: ducha.CaseActSign})
	act(t, db, l, no, ducha.CaseAction{Action: ducha.CaseActSubmit, Findings: "经调查核实", Verdict: verdict, Handling: "已处理", Measures: ms})
}

func TestCaseBatchesAndDailyReport(t *testing.T) {
	clock := clockAt("2026-12-09")
	storetest.Each(t, store.Options{Now: clock.Now}, func(t *testing.T, db *store.DB) {
		*clock = *clockAt("2026-12-09")
		f := storetest.Seed(t, db)
		coord := storetest.As(f.Users["coord"])

		// Batch 1, 12-09: three cases.
		b1 := []ducha.BatchRow{
			row(1, "D3SX202612090001", "永清镇", "大气", true),
			row(2, "X3SX202612090002", "永清镇", "水,土壤", false),
			row(3, "D3SX202612090003", "红堡镇", "噪声", false),
		}
		res, err := db.ImportBatch(coord, 1, "2026-12-09", "batch1.xlsx", b1)
		if err != nil || res.Created != 3 || res.Batch.Phone != 2 || res.Batch.Letter != 1 || res.Batch.Key != 1 {
			t.Fatalf("batch 1: %+v %v", res, err)
		}
		// The same file again changes nothing.
		before, _ := db.DataVersion(context.Background())
		res, err = db.ImportBatch(coord, 1, "2026-12-09", "batch1.xlsx", b1)
		if err != nil || !res.Unchanged {
			t.Fatalf("batch 1 again: %+v %v", res, err)
		}
		if after, _ := db.DataVersion(context.Background()); after != before {
			t.Fatalf("re-import wrote: %d → %d", before, after)
		}
		// A different file claiming to be batch 1 is refused.
		if _, err := db.ImportBatch(coord, 1, "2026-12-09", "x.xlsx", b1[:2]); ducha.ErrorCode(err) != ducha.EINVALID {
			t.Fatalf("other batch 1: %v", err)
		}
		work(t, db, f, "D3SX202612090001", "永清镇", "liaison_yq", ducha.VerdictTrue,
			ducha.Measure{Kind: ducha.MeasurePenaltyCase, Enterprise: "永清镇宏达砖厂", FineYuan: 5000000},
			ducha.Measure{Kind: ducha.MeasureOrderedToRectify, Enterprise: "永清镇宏达砖厂"},
			ducha.Measure{Kind: ducha.MeasureInterviewed, Persons: 2})
		act(t, db, coord, "D3SX202612090001", ducha.CaseAction{Action: ducha.CaseActAccept, Status: ducha.CaseClosed})
		work(t, db, f, "X3SX202612090002", "永清镇", "liaison_yq", ducha.VerdictFalse)
		act(t, db, coord, "X3SX202612090002", ducha.CaseAction{Action: ducha.CaseActAccept, Status: ducha.CaseStageClosed})

		// The evening of 12-09: the report as it stands.
		day1, err := db.DailyReport(coord, "")
		if err != nil {
			t.Fatal(err)
		}

		// Batch 2, 12-10: one new case and one handed over again.
		clock.Add(24 * time.Hour)
		b2 := []ducha.BatchRow{
			row(1, "X3SX202612100004", "红堡镇", "固废,大气", true),
			row(2, "D3SX202612090003", "红堡镇", "噪声", false),
		}
		res, err = db.ImportBatch(coord, 2, "2026-12-10", "batch2.csv", b2)
		if err != nil || res.Created != 1 || len(res.Duplicates) != 1 || res.Duplicates[0].FirstBatch != 1 || res.Duplicates[0].Row != 5 {
			t.Fatalf("batch 2: %+v %v", res, err)
		}
		work(t, db, f, "X3SX202612100004", "红堡镇", "liaison_hb", ducha.VerdictPartly,
			ducha.Measure{Kind: ducha.MeasurePenaltyCase, Enterprise: "红堡镇石料厂", FineYuan: 1234567},
			ducha.Measure{Kind: ducha.MeasurePenaltyCase, Enterprise: "永清镇宏达砖厂", FineYuan: 10},
			ducha.Measure{Kind: ducha.MeasureCriminalCase},
			ducha.Measure{Kind: ducha.MeasureAdministrativeDetention, Persons: 1})
		act(t, db, coord, "X3SX202612100004", ducha.CaseAction{Action: ducha.CaseActAccept, Status: ducha.CaseClosed})
		// The stage-closed case of day 1 is now closed.
		act(t, db, coord, "X3SX202612090002", ducha.CaseAction{Action: ducha.CaseActAccept, Status: ducha.CaseClosed})

		// Batch 3, 12-11: two cases, one key; the 红堡镇 case of batch 1 returned and resubmitted without its measure.
		clock.Add(24 * time.Hour)
		b3 := []ducha.BatchRow{
			row(1, "D3SX202612110005", "永清镇", "大气", true),
			row(2, "D3SX202612110006", "", "其他", false),
		}
		if _, err := db.ImportBatch(coord, 3, "2026-12-11", "batch3.xlsx", b3); err != nil {
			t.Fatal(err)
		}
		work(t, db, f, "D3SX202612090003", "红堡镇", "liaison_hb", ducha.VerdictTrue,
			ducha.Measure{Kind: ducha.MeasureInterviewed, Persons: 3})
		act(t, db, coord, "D3SX202612090003", ducha.CaseAction{Action: ducha.CaseActReturn, Reason: "约谈人数有误"})
		hb := storetest.As(f.Users["liaison_hb"])
		act(t, db, hb, "D3SX202612090003", ducha.CaseAction{Action: ducha.CaseActSubmit, Findings: "复核", Verdict: ducha.VerdictTrue,
			Handling: "已约谈", Measures: []ducha.Measure{{Kind: ducha.MeasureInterviewed, Persons: 1}}})

		r, err := db.DailyReport(coord, "")
		if err != nil {
			t.Fatal(err)
		}
		// Worked out by hand from the three batches above.
		want := ducha.DailyReport{
			AsOf: "2026-12-11",
			Cases: ducha.ReportCases{Batches: 3, Total: 6, Phone: 4, Letter: 2, Key: 3,
				Closed: 3, StageClosed: 0, Open: 3, Duplicates: 1, Substantiated: 2, PartlySubstantiated: 1, Unsubstantiated: 1},
			Measures: ducha.ReportMeasures{OrderedToRectify: 1, PenaltyCases: 2, FinesYuan: 6234577, CriminalCases: 1,
				AdministrativeDetention: 1, Interviewed: 3},
		}
		if r.AsOf != want.AsOf || r.Cases != want.Cases || r.Measures != want.Measures {
			t.Fatalf("report 12-11:\n got %+v %+v\nwant %+v %+v", r.Cases, r.Measures, want.Cases, want.Measures)
		}
		if r.Measures.FinesYuan.String() != "62345.77" {
			t.Fatalf("fines %s", r.Measures.FinesYuan)
		}
		areas := fmt.Sprint(r.ByArea)
		if areas != "[{永清镇 3 2 0 1} {红堡镇 2 1 0 1} { 1 0 0 1}]" {
			t.Fatalf("by area %s", areas)
		}
		if types := fmt.Sprint(r.ByType); types != "[{水 1} {大气 3} {土壤 1} {固废 1} {噪声 1} {其他 1}]" {
			t.Fatalf("by type %s", types)
		}
		wantText := "截至12月11日，累计收到督察组交办信访件3批6件（来电4件、来信2件，重点关注3件；重复件1件），已办结3件、阶段性办结0件、未办结3件；" +
			"经查属实2件、部分属实1件、不属实1件；责令整改1家，立案处罚2家，罚款62345.77元，立案侦查1件，行政拘留1人，刑事拘留0人，约谈3人，问责0人。"
		if r.Text != wantText {
			t.Fatalf("text:\n got %s\nwant %s", r.Text, wantText)
		}
		// The report for 12-09, computed two days later, equals the one of that evening.
		again, err := db.DailyReport(coord, "2026-12-09")
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprintf("%+v", *again) != fmt.Sprintf("%+v", *day1) {
			t.Fatalf("12-09 recomputed:\n got %+v\nwant %+v", *again, *day1)
		}
		if day1.Cases.Total != 3 || day1.Cases.StageClosed != 1 || day1.Measures.Interviewed != 2 || day1.Measures.FinesYuan != 5000000 {
			t.Fatalf("12-09: %+v %+v", day1.Cases, day1.Measures)
		}
		if _, err := db.DailyReport(coord, "2026-12-12"); ducha.ErrorCode(err) != ducha.EINVALID {
			t.Fatalf("future report: %v", err)
		}

		// A liaison sees only the cases assigned to their unit, and counts only them.
		yq := storetest.As(f.Users["liaison_yq"])
		cs, total, err := db.FindCases(yq, ducha.CaseFilter{})
		if err != nil || total != 2 || len(cs) != 2 {
			t.Fatalf("liaison's cases: %d %v", total, err)
		}
		for _, c := range cs {
			if strings.Join(c.Units, ",") != "永清镇" {
				t.Fatalf("liaison sees %s of %v", c.AcceptanceNo, c.Units)
			}
		}
		if _, err := db.FindCaseByAcceptanceNo(yq, "X3SX202612100004"); ducha.ErrorCode(err) != ducha.ENOTFOUND {
			t.Fatalf("other unit's case: %v", err)
		}
		if r, _ := db.DailyReport(yq, ""); r.Cases.Total != 2 {
			t.Fatalf("liaison's report counts %d cases", r.Cases.Total)
		}
		if _, total, _ := db.FindCases(coord, ducha.CaseFilter{Batch: 1}); total != 3 {
			t.Fatalf("batch 1 has %d", total)
		}
		if _, total, _ := db.FindCases(coord, ducha.CaseFilter{Q: "红堡"}); total != 2 {
			t.Fatalf("search 红堡: %d", total)
		}
		if _, total, _ := db.FindCases(coord, ducha.CaseFilter{Verdict: ducha.VerdictTrue}); total != 2 {
			t.Fatalf("属实: %d", total)
		}
		// Publishing needs an accepted case.
		c := act(t, db, coord, "D3SX202612090001", ducha.CaseAction{Action: ducha.CaseActPublish})
		if !c.Published {
			t.Fatal("not published")
		}
		if broken, _, err := db.VerifyChain(storetest.System()); broken != 0 || err != nil {
			t.Fatalf("chain broken at %d: %v", broken, err)
		}
	})
}

func TestCaseDeadlineInWorkingDays(t *testing.T) {
	storetest.Each(t, store.Options{}, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		camp := &ducha.Campaign{Name: "第四轮", CaseDays: 10, WorkingDays: true, Holidays: "2027-01-01", Workdays: "2027-01-03"}
		if err := db.CreateCampaign(storetest.System(), camp); err != nil {
			t.Fatal(err)
		}
		coord := storetest.As(f.Users["coord"])
		if _, err := db.ImportBatch(coord, 1, "2026-12-31", "b", []ducha.BatchRow{row(1, "D4SX202612310001", "永清镇", "大气", false)}); err != nil {
			t.Fatal(err)
		}
		c := act(t, db, coord, "D4SX202612310001", ducha.CaseAction{Action: ducha.CaseActAssign, Units: []ducha.UnitRef{"永清镇"}})
		if c.Deadline != "2027-01-14" {
			t.Fatalf("deadline %s, want 10 working days after 12-31: 2027-01-14", c.Deadline)
		}
		got, _ := db.CurrentCampaign(coord)
		if !got.WorkingDays || got.Holidays != "2027-01-01" || got.Workdays != "2027-01-03" {
			t.Fatalf("campaign %+v", got)
		}
	})
}
