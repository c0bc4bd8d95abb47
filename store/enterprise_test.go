package store_test

import (
	"strings"
	"testing"

	"ducha"
	"ducha/internal/storetest"
	"ducha/store"
)

func TestRepeatOffenderAndProblemFromCase(t *testing.T) {
	storetest.Each(t, store.Options{}, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		coord := storetest.As(f.Users["coord"])
		if _, err := db.ImportBatch(coord, 1, "2026-12-09", "b1", []ducha.BatchRow{row(1, "D3SX202612090001", "永清镇", "大气", false)}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ImportBatch(coord, 2, "2026-12-10", "b2", []ducha.BatchRow{row(1, "X3SX202612100002", "永清镇", "水", false), row(2, "D3SX202612100003", "红堡镇", "水", false)}); err != nil {
			t.Fatal(err)
		}
		brick := ducha.Measure{Kind: ducha.MeasurePenaltyCase, Enterprise: "永清镇宏达砖厂", FineYuan: 100000}
		work(t, db, f, "D3SX202612090001", "永清镇", "liaison_yq", ducha.VerdictTrue, brick)
		work(t, db, f, "X3SX202612100002", "永清镇", "liaison_yq", ducha.VerdictTrue, brick, ducha.Measure{Kind: ducha.MeasureSuspended, Enterprise: "永清镇宏達磚廠"})
		work(t, db, f, "D3SX202612100003", "红堡镇", "liaison_hb", ducha.VerdictFalse)

		es, err := db.FindEnterprises(coord, "宏达", 10)
		if err != nil || len(es) != 1 || es[0].Cases != 2 || es[0].Measures != 3 || es[0].Fines != 200000 || es[0].Problems != 0 {
			t.Fatalf("repeat offender: %+v %v", es, err)
		}
		// The problem opened for the case names the enterprise; both sides link.
		c, _ := db.FindCaseByAcceptanceNo(coord, "X3SX202612100002")
		p, err := db.OpenProblemFromCase(coord, c.ID, &ducha.Problem{Subject: "永清镇宏达砖厂", Description: "砖厂反复超标排放"})
		if err != nil || p.Source != "信访交办" || p.LeadUnit != "永清镇" || p.Area != "永清镇" {
			t.Fatalf("open problem: %+v %v", p, err)
		}
		got, _ := db.FindProblemByID(coord, p.ID)
		if len(got.Cases) != 1 || got.Cases[0] != "X3SX202612100002" {
			t.Fatalf("problem's cases %v", got.Cases)
		}
		c, _ = db.FindCaseByID(coord, c.ID)
		if len(c.ProblemIDs) != 1 || c.ProblemIDs[0] != p.ID {
			t.Fatalf("case's problems %v", c.ProblemIDs)
		}
		rec, err := db.FindEnterpriseRecord(coord, es[0].ID)
		if err != nil || len(rec.Cases) != 2 || len(rec.Measures) != 3 || len(rec.Problems) != 1 || rec.Enterprise.Fines != 200000 {
			t.Fatalf("record: %+v %v", rec, err)
		}
		if es, _ := db.FindEnterprises(coord, "", 10); len(es) != 1 || es[0].Problems != 1 {
			t.Fatalf("after the problem: %+v", es[0])
		}
		// A liaison of another unit sees none of it; an unsubstantiated case opens nothing.
		if _, err := db.FindEnterpriseRecord(storetest.As(f.Users["liaison_hb"]), es[0].ID); ducha.ErrorCode(err) != ducha.ENOTFOUND {
			t.Fatalf("红堡镇 reading the record: %v", err)
		}
		if es, _ := db.FindEnterprises(storetest.As(f.Users["liaison_hb"]), "", 10); len(es) != 0 {
			t.Fatalf("红堡镇 lists %d enterprises", len(es))
		}
		if es, _ := db.FindEnterprises(storetest.As(f.Users["liaison_yq"]), "", 10); len(es) != 1 || es[0].Cases != 2 {
			t.Fatalf("永清镇 lists %+v", es)
		}
		// Nor can it name that enterprise by id in its own answer.
		if _, err := db.ImportBatch(coord, 3, "2026-12-11", "b3", []ducha.BatchRow{row(1, "D3SX202612110004", "红堡镇", "水", false)}); err != nil {
			t.Fatal(err)
		}
		act(t, db, coord, "D3SX202612110004", ducha.CaseAction{Action: ducha.CaseActAssign, Units: []ducha.UnitRef{"红堡镇"}})
		hb := storetest.As(f.Users["liaison_hb"])
		act(t, db, hb, "D3SX202612110004", ducha.CaseAction{Action: ducha.CaseActSign})
		probe, _ := db.FindCaseByAcceptanceNo(hb, "D3SX202612110004")
		_, err = db.ActOnCase(hb, probe.ID, ducha.CaseAction{Action: ducha.CaseActSubmit, Version: probe.Version, Findings: "x", Verdict: ducha.VerdictTrue,
			Handling: "x", Measures: []ducha.Measure{{Kind: ducha.MeasureOrderedToRectify, EnterpriseID: es[0].ID}}})
		if ducha.ErrorCode(err) != ducha.EINVALID || !strings.Contains(err.Error(), "不存在") {
			t.Fatalf("another unit's enterprise by id: %v", err)
		}
		// A unit's batch list counts only its own cases.
		bs, _ := db.FindBatches(hb)
		if len(bs) != 2 || bs[0].Number != 3 || bs[0].Total != 1 || bs[1].Number != 2 || bs[1].Total != 1 {
			t.Fatalf("红堡镇 batches: %+v %+v", bs[0], bs[len(bs)-1])
		}
		false3, _ := db.FindCaseByAcceptanceNo(coord, "D3SX202612100003")
		if _, err := db.OpenProblemFromCase(coord, false3.ID, &ducha.Problem{}); ducha.ErrorCode(err) != ducha.ECONFLICT {
			t.Fatalf("unsubstantiated case: %v", err)
		}
		if _, err := db.OpenProblemFromCase(storetest.As(f.Users["liaison_yq"]), c.ID, &ducha.Problem{}); ducha.ErrorCode(err) != ducha.EFORBIDDEN {
			t.Fatalf("liaison opening a problem: %v", err)
		}
	})
}
