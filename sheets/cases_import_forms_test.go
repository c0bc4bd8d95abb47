package sheets_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"ducha"
	"ducha/internal/storetest"
	"ducha/sheets"
	"ducha/store"
)

// clockAt is a clock standing at day and hour ("2017-05-26 20:00") in the county.
func clockAt(s string) *storetest.Clock { return &storetest.Clock{T: cst(s)} }

func importCSV(t *testing.T, db *store.DB, ctx context.Context, csv, name string, opts sheets.CaseFileOptions) *ducha.BatchResult {
	t.Helper()
	res, err := sheets.ImportCases(ctx, db, strings.NewReader(csv), name, opts)
	if err != nil {
		t.Fatalf("import %s: %v", name, err)
	}
	return res
}

func findCase(t *testing.T, db *store.DB, ctx context.Context, no string) *ducha.Case {
	t.Helper()
	c, err := db.FindCaseByAcceptanceNo(ctx, no)
	if err != nil {
		t.Fatalf("find %s: %v", no, err)
	}
	return c
}

func report(t *testing.T, db *store.DB, ctx context.Context, day ducha.Date) *ducha.DailyReport {
	t.Helper()
	r, err := db.DailyReport(ctx, day)
	if err != nil {
		t.Fatalf("report %s: %v", day, err)
	}
	return r
}

// The real forms of section 2 go into the store as read: numbers as
// written and found however they are typed, channels counted per batch and
// in the report's text, the window on the batch.
func TestImportRealForms(t *testing.T) {
	clock := clockAt("2017-05-26 20:00")
	storetest.Each(t, store.Options{Now: clock.Now}, func(t *testing.T, db *store.DB) {
		storetest.Seed(t, db)
		sys := storetest.System()
		res := importCSV(t, db, sys, csvOf(realTitle, realHeader, realRows), "第32批.csv", sheets.CaseFileOptions{})
		b := res.Batch
		got := []int{res.Created, b.Total, b.Phone, b.Letter, b.WeChat, b.Online, b.Visit, b.Other, b.Key, b.Duplicates}
		eq(t, "created, total, 来电 来信 微信 网络 来访 其他, key, duplicates", got, []int{11, 11, 3, 2, 1, 2, 1, 2, 3, 0})

		for _, w := range wantRealRows {
			c := findCase(t, db, sys, w.no)
			eq(t, w.no+" stored", []any{c.AcceptanceNo, c.Channel, c.Area, c.Key, c.Types, c.TypeDetail, c.Batch, c.ForwardedDate, c.Status},
				[]any{w.no, w.channel, w.area, w.key, w.types, w.detail, 32, ducha.Date("2017-05-26"), ducha.CaseReceived})
			if w.original == nil {
				w.original = map[string]string{}
			}
			if c.Original == nil {
				c.Original = map[string]string{}
			}
			eq(t, w.no+" original", c.Original, w.original)
			if c.DuplicateOf != nil || c.SupplementOf != nil || len(c.Repeats) != 0 {
				t.Errorf("%s linked: %v %v %v", w.no, c.DuplicateOf, c.SupplementOf, c.Repeats)
			}
		}
		// However the number is typed: case, full width, spaces, the key mark.
		for ref, no := range map[string]string{"x2ha202104270093*": "X2HA202104270093", "D3SX202505280019": "d3SX202505280019",
			" 访受〔2021〕 0517031号 ": "访受〔2021〕0517031号", "２１４５": "2145"} {
			if c := findCase(t, db, sys, ref); c.AcceptanceNo != no {
				t.Errorf("%q found %s", ref, c.AcceptanceNo)
			}
		}

		batches, err := db.FindBatches(sys)
		if err != nil || len(batches) != 1 {
			t.Fatalf("batches: %v %v", batches, err)
		}
		js, _ := json.Marshal(batches[0])
		for _, frag := range []string{`"window_from":"2017-05-25T12:00:00+08:00"`, `"window_to":"2017-05-26T12:00:00+08:00"`,
			`"phone":3`, `"letter":2`, `"wechat":1`, `"online":2`, `"visit":1`, `"other":2`, `"key":3`, `"as_kept":false`} {
			if !strings.Contains(string(js), frag) {
				t.Errorf("batch JSON lacks %s: %s", frag, js)
			}
		}

		r := report(t, db, sys, "2017-05-26")
		want := ducha.ReportCases{Batches: 1, Total: 11, Phone: 3, Letter: 2, WeChat: 1, Online: 2, Visit: 1, Other: 2, Key: 3, Open: 11}
		if r.Cases != want {
			t.Errorf("report cases\n got %+v\nwant %+v", r.Cases, want)
		}
		wantText := "截至5月26日，累计收到督察组交办信访件1批11件（来电3件、来信2件、微信1件、网络2件、来访1件、其他2件，重点关注3件），" +
			"已办结0件、阶段性办结0件、未办结11件；经查属实0件、部分属实0件、不属实0件；"
		if !strings.HasPrefix(r.Text, wantText) {
			t.Errorf("text\n got %s\nwant %s…", r.Text, wantText)
		}
		// The JSON names phone and letter only, and the keys SPEC writes.
		rj, _ := json.Marshal(r.Cases)
		var keys map[string]any
		json.Unmarshal(rj, &keys)
		var names []string
		for k := range keys {
			names = append(names, k)
		}
		sort.Strings(names)
		eq(t, "cases keys", names, []string{"basically_substantiated", "batches", "closed", "duplicates", "key", "letter", "open",
			"partly_substantiated", "phone", "stage_closed", "substantiated", "total", "unsubstantiated"})

		// The same batch as a workbook is the same batch: nothing changes.
		before, _ := db.DataVersion(context.Background())
		again, err := sheets.ImportCases(sys, db, bytes.NewReader(xlsxOf(t, realTitle, realHeader, realRows)), "第32批.xlsx", sheets.CaseFileOptions{})
		if err != nil || !again.Unchanged {
			t.Fatalf("xlsx of the same batch: %+v %v", again, err)
		}
		if after, _ := db.DataVersion(context.Background()); after != before {
			t.Errorf("the same batch again wrote: %d → %d", before, after)
		}
	})
}

// A case handed over again is one complaint: the same number again is
// logged, a row marked 重复件 is its own case linked to the first; a
// 补充办理件 is a case of its own linked to the one it adds to.
func TestImportDuplicatesAndSupplements(t *testing.T) {
	clock := clockAt("2026-12-09 20:00")
	storetest.Each(t, store.Options{Now: clock.Now}, func(t *testing.T, db *store.DB) {
		*clock = *clockAt("2026-12-09 20:00") // each engine from the same day
		f := storetest.Seed(t, db)
		coord := storetest.As(f.Users["coord"])
		head := "序号,受理编号,交办问题基本情况,行政区域,污染类型,是否重复件,备注\n"
		importCSV(t, db, coord, "第1批\n交办日期：2026年12月9日\n"+head+
			"1,D3SX202612090001,永清镇某砖厂烟尘扰民,永清镇,大气,,\n"+
			"2,X3SX202612090002,红堡镇某石料厂废水外排,红堡镇,水,,\n", "b1.csv", sheets.CaseFileOptions{})
		day1 := report(t, db, coord, "2026-12-09")

		clock.Add(24 * time.Hour)
		batch2 := "第2批\n交办日期：2026年12月10日\n" + head +
			"1,D3SX202612090001,永清镇某砖厂烟尘扰民,永清镇,大气,,\n" + // row 4: the same number again
			"2,X3SX202612100003,永清镇某餐馆油烟,永清镇,大气,,\n" +
			"3,x3sx202612100003,永清镇某餐馆油烟,永清镇,大气,,\n" + // row 6: twice in this file
			"4,D3SX202612100004,红堡镇石料厂废水又外排,红堡镇,水,是,与第1批X3SX202612090002重复\n" +
			"5,D3SX202612100005,砖厂整改不到位,永清镇,大气,,补充办理件：D3SX202612090001\n" +
			"6,D3SX202612100006,某处垃圾,红堡镇,固废,,与第1批第3件重复\n" +
			"7,D3SX202612100007,又一次石料厂废水,红堡镇,水,D3SX202612100004,\n" // a repeat of a repeat
		res := importCSV(t, db, coord, batch2, "b2.csv", sheets.CaseFileOptions{})
		first := findCase(t, db, coord, "D3SX202612090001")
		stone := findCase(t, db, coord, "X3SX202612090002")
		dup := findCase(t, db, coord, "D3SX202612100004")
		dup2 := findCase(t, db, coord, "D3SX202612100007")
		sup := findCase(t, db, coord, "D3SX202612100005")
		plain := findCase(t, db, coord, "D3SX202612100006")
		oil := findCase(t, db, coord, "X3SX202612100003")

		eq(t, "created", res.Created, 3) // 0003, 0005, 0006
		dups := []string{}
		for _, d := range res.Duplicates {
			dups = append(dups, fmt.Sprintf("%d %s→%s#%d batch %d own %d", d.Row, d.AcceptanceNo, d.FirstNo, d.CaseID, d.FirstBatch, d.OwnCaseID))
		}
		eq(t, "duplicates", dups, []string{
			fmt.Sprintf("4 D3SX202612090001→D3SX202612090001#%d batch 1 own 0", first.ID),
			fmt.Sprintf("6 x3sx202612100003→X3SX202612100003#%d batch 2 own 0", oil.ID),
			fmt.Sprintf("7 D3SX202612100004→X3SX202612090002#%d batch 1 own %d", stone.ID, dup.ID),
			fmt.Sprintf("10 D3SX202612100007→X3SX202612090002#%d batch 1 own %d", stone.ID, dup2.ID),
		})
		eq(t, "supplements", res.Supplements, []ducha.BatchSupplement{{AcceptanceNo: "D3SX202612100005", Row: 8, CaseID: sup.ID,
			ToCaseID: first.ID, ToNo: "D3SX202612090001"}})
		if len(res.Notes) != 1 || res.Notes[0].Row != 9 || !strings.Contains(res.Notes[0].Message, "与第1批第3件重复") {
			t.Errorf("notes %+v", res.Notes)
		}
		eq(t, "batch counts", []int{res.Batch.Total, res.Batch.Phone, res.Batch.Letter, res.Batch.Duplicates}, []int{3, 2, 1, 4})

		// The links, field by field.
		if dup.DuplicateOf == nil || *dup.DuplicateOf != stone.ID || dup.SupplementOf != nil {
			t.Errorf("重复件: duplicate_of %v supplement_of %v", dup.DuplicateOf, dup.SupplementOf)
		}
		if dup2.DuplicateOf == nil || *dup2.DuplicateOf != stone.ID {
			t.Errorf("repeat of a repeat links to the first: %v", dup2.DuplicateOf)
		}
		if sup.SupplementOf == nil || *sup.SupplementOf != first.ID || sup.DuplicateOf != nil {
			t.Errorf("补充办理件: %v %v", sup.SupplementOf, sup.DuplicateOf)
		}
		if plain.DuplicateOf != nil {
			t.Errorf("unresolved mark linked: %v", plain.DuplicateOf)
		}
		eq(t, "repeats of the first case", first.Repeats, []ducha.CaseRepeat{
			{Kind: ducha.LinkDuplicate, AcceptanceNo: "D3SX202612090001", Batch: 2, Row: 4},
			{Kind: ducha.LinkSupplement, CaseID: sup.ID, AcceptanceNo: "D3SX202612100005", Batch: 2}})
		eq(t, "repeats of the stone case", stone.Repeats, []ducha.CaseRepeat{
			{Kind: ducha.LinkDuplicate, CaseID: dup.ID, AcceptanceNo: "D3SX202612100004", Batch: 2},
			{Kind: ducha.LinkDuplicate, CaseID: dup2.ID, AcceptanceNo: "D3SX202612100007", Batch: 2}})
		eq(t, "repeats of the oil case", oil.Repeats, []ducha.CaseRepeat{{Kind: ducha.LinkDuplicate, AcceptanceNo: "x3sx202612100003", Batch: 2, Row: 6}})
		js, _ := json.Marshal(dup)
		if !strings.Contains(string(js), fmt.Sprintf(`"duplicate_of":%d`, stone.ID)) {
			t.Errorf("case JSON: %s", js)
		}
		if js, _ := json.Marshal(plain); !strings.Contains(string(js), `"duplicate_of":null`) {
			t.Errorf("case JSON: %s", js)
		}

		// Each complaint counts once; the duplicates received apart.
		r := report(t, db, coord, "2026-12-10")
		want := ducha.ReportCases{Batches: 2, Total: 5, Phone: 3, Letter: 2, Open: 5, Duplicates: 4}
		if r.Cases != want {
			t.Errorf("report\n got %+v\nwant %+v", r.Cases, want)
		}
		if !strings.HasPrefix(r.Text, "截至12月10日，累计收到督察组交办信访件2批5件（来电3件、来信2件，重点关注0件；重复件4件），已办结0件、阶段性办结0件、未办结5件；") {
			t.Errorf("text %s", r.Text)
		}
		areaTotal := 0
		for _, a := range r.ByArea {
			areaTotal += a.Total
		}
		if areaTotal != 5 {
			t.Errorf("areas count duplicates: %+v", r.ByArea)
		}
		if again := report(t, db, coord, "2026-12-09"); fmt.Sprint(*again) != fmt.Sprint(*day1) || again.Cases.Duplicates != 0 {
			t.Errorf("12-09 recomputed: %+v, that evening %+v", again.Cases, day1.Cases)
		}

		// The same file again changes nothing.
		before, _ := db.DataVersion(context.Background())
		if again := importCSV(t, db, coord, batch2, "b2.csv", sheets.CaseFileOptions{}); !again.Unchanged {
			t.Errorf("batch 2 again: %+v", again)
		}
		if after, _ := db.DataVersion(context.Background()); after != before {
			t.Errorf("batch 2 again wrote")
		}

		// A liaison sees the links of the cases it may read, not the others'.
		act := func(no, unit string) {
			c := findCase(t, db, coord, no)
			if _, err := db.ActOnCase(coord, c.ID, ducha.CaseAction{Action: ducha.CaseActAssign, Units: []ducha.UnitRef{ducha.UnitRef(unit)}}); err != nil {
				t.Fatal(err)
			}
		}
		act("X3SX202612090002", "红堡镇")
		act("D3SX202612100004", "永清镇")
		act("D3SX202612100007", "红堡镇")
		hb := findCase(t, db, storetest.As(f.Users["liaison_hb"]), "X3SX202612090002")
		eq(t, "repeats a liaison sees", hb.Repeats, []ducha.CaseRepeat{{Kind: ducha.LinkDuplicate, CaseID: dup2.ID, AcceptanceNo: "D3SX202612100007", Batch: 2}})
		if r := report(t, db, storetest.As(f.Users["liaison_hb"]), "2026-12-10"); r.Cases.Total != 1 || r.Cases.Duplicates != 1 {
			t.Errorf("liaison's report %+v", r.Cases)
		}
	})
}

// resultsTitle puts batch 2, forwarded 12-10, as it stood on 12-15.
var resultsTitle = []string{"第2批", "交办日期：2026年12月10日", "截至2026年12月15日"}

// A county that starts in the middle brings its batches in as kept: each
// case in the state its row shows, from the dates the table carries, and
// the measures its handling texts report proposed, stored once confirmed.
func TestImportResultsTable(t *testing.T) {
	clock := clockAt("2026-12-20 10:00")
	storetest.Each(t, store.Options{Now: clock.Now}, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		coord := storetest.As(f.Users["coord"])
		file := csvOf(resultsTitle, resultsHeader, resultsRows)

		// A bad verdict stops the whole table, naming its row.
		bad := append([][]string(nil), resultsRows...)
		bad[5] = append([]string(nil), bad[5]...)
		bad[5][6] = "待核实"
		before, _ := db.DataVersion(context.Background())
		_, err := sheets.ImportCases(coord, db, strings.NewReader(csvOf(resultsTitle, resultsHeader, bad)), "b2.csv", sheets.CaseFileOptions{})
		wantCaseError(t, err, 10, "verdict", "是否属实", "待核实")
		if after, _ := db.DataVersion(context.Background()); after != before {
			t.Fatalf("a refused table wrote")
		}
		// Results dated after today cannot be.
		future := append([][]string(nil), resultsRows...)
		future[0] = append([]string(nil), future[0]...)
		future[0][12] = "2026-12-21"
		_, err = sheets.ImportCases(coord, db, strings.NewReader(csvOf(resultsTitle, resultsHeader, future)), "b2.csv", sheets.CaseFileOptions{})
		if de, ok := err.(*ducha.Error); !ok || de.Row != 5 || !strings.Contains(de.Message, "2026-12-21") {
			t.Fatalf("future result date: %v", err)
		}
		// A liaison cannot bring results in.
		if _, err := sheets.ImportCases(storetest.As(f.Users["liaison_yq"]), db, strings.NewReader(file), "b2.csv", sheets.CaseFileOptions{}); ducha.ErrorCode(err) != ducha.EFORBIDDEN {
			t.Fatalf("liaison: %v", err)
		}

		res := importCSV(t, db, coord, file, "b2.csv", sheets.CaseFileOptions{})
		if !res.Batch.AsKept || res.Created != 7 || res.MeasuresStored != 0 {
			t.Fatalf("import: %+v", res)
		}
		at := func(day string) string { return cst(day + " 00:00").UTC().Format("2006-01-02T15:04Z") }
		type want struct {
			no       string
			status   ducha.CaseStatus
			verdict  string
			units    []string
			signed   string // when its units signed, "" for not
			sent     bool   // and submitted
			deadline ducha.Date
		}
		for _, w := range []want{
			{"D3SX202612100001", ducha.CaseClosed, "属实", []string{"永清镇"}, at("2026-12-12"), true, "2026-12-20"},
			{"X3SX202612100002", ducha.CaseStageClosed, "基本属实", []string{"红堡镇"}, at("2026-12-15"), true, "2026-12-20"},
			{"D3SX202612100003", ducha.CaseClosed, "不属实", []string{"县生态环境局"}, at("2026-12-15"), true, "2026-12-20"},
			{"X3SX202612100004", ducha.CaseInvestigating, "部分属实", []string{"永清镇", "县生态环境局"}, at("2026-12-15"), false, "2026-12-20"},
			{"D3SX202612100005", ducha.CaseReceived, "", []string{}, "", false, ""},
			{"X3SX202612100006", ducha.CaseSubmitted, "属实", []string{"红堡镇"}, at("2026-12-15"), true, "2026-12-20"},
			{"D3SX202612100007", ducha.CaseReceived, "属实", []string{}, "", false, ""},
		} {
			c := findCase(t, db, coord, w.no)
			eq(t, w.no+" state", []any{c.Status, c.Verdict, c.Units, c.Deadline}, []any{w.status, w.verdict, w.units, w.deadline})
			for _, p := range c.Parts {
				signed, sent := "", p.SubmittedAt != nil
				if p.SignedAt != nil {
					signed = p.SignedAt.UTC().Format("2006-01-02T15:04Z")
				}
				eq(t, w.no+" part "+p.Unit, []any{signed, sent}, []any{w.signed, w.sent})
			}
			if len(c.Measures) != 0 {
				t.Errorf("%s: measures stored unconfirmed: %+v", w.no, c.Measures)
			}
		}
		c := findCase(t, db, coord, "D3SX202612100001")
		eq(t, "texts", []string{c.Findings, c.Target, c.Handling, c.Accountability, c.Parts[0].Findings, c.Parts[0].Verdict, c.Original["verdict"]},
			[]string{"经查，该公司露天堆放砂石", "立即整改", resultsRows[0][8], "给予王某诫勉谈话", "经查，该公司露天堆放砂石", "属实", "是"})
		if two := findCase(t, db, coord, "X3SX202612100004"); two.Parts[0].Findings != "" || two.Findings != "经查部分属实" {
			t.Errorf("joint case: the answer is the case's: %+v", two.Parts)
		}
		if len(res.Notes) != 1 || res.Notes[0].Row != 11 || !strings.Contains(res.Notes[0].Message, "不存在的单位") {
			t.Errorf("notes %+v", res.Notes)
		}
		// The proposals, listed for confirmation.
		var props []string
		for _, p := range res.Proposals {
			for _, m := range p.Items {
				props = append(props, fmt.Sprintf("%s %s %s %d %s %v", p.AcceptanceNo, m.Kind, m.Enterprise, m.Persons, m.FineYuan, m.Stored))
			}
		}
		eq(t, "proposals", props, []string{
			"D3SX202612100001 ordered_to_rectify 清水县宏达建材有限公司 0 0.00 false",
			"D3SX202612100001 penalty_case 清水县宏达建材有限公司 0 50000.00 false",
			"D3SX202612100001 interviewed  2 0.00 false",
			"X3SX202612100002 ordered_to_rectify  0 0.00 false",
			"D3SX202612100007 interviewed  1 0.00 false", // 已约谈
		})

		// The reports as of the days the table speaks of.
		type day struct {
			date  ducha.Date
			cases ducha.ReportCases
		}
		days := []day{
			{"2026-12-09", ducha.ReportCases{}},
			{"2026-12-10", ducha.ReportCases{Batches: 1, Total: 7, Phone: 4, Letter: 3, Open: 7}},
			{"2026-12-12", ducha.ReportCases{Batches: 1, Total: 7, Phone: 4, Letter: 3, Closed: 1, Open: 6, Substantiated: 1}},
			{"2026-12-15", ducha.ReportCases{Batches: 1, Total: 7, Phone: 4, Letter: 3, Closed: 2, StageClosed: 1, Open: 4,
				Substantiated: 3, BasicallySubstantiated: 1, PartlySubstantiated: 1, Unsubstantiated: 1}},
			{"2026-12-20", ducha.ReportCases{Batches: 1, Total: 7, Phone: 4, Letter: 3, Closed: 2, StageClosed: 1, Open: 4,
				Substantiated: 3, BasicallySubstantiated: 1, PartlySubstantiated: 1, Unsubstantiated: 1}},
		}
		for _, d := range days {
			if r := report(t, db, coord, d.date); r.Cases != d.cases || r.Measures != (ducha.ReportMeasures{}) {
				t.Errorf("report %s\n got %+v %+v\nwant %+v", d.date, r.Cases, r.Measures, d.cases)
			}
		}
		r := report(t, db, coord, "2026-12-15")
		if !strings.Contains(r.Text, "已办结2件、阶段性办结1件、未办结4件；经查属实3件、基本属实1件、部分属实1件、不属实1件；") {
			t.Errorf("text %s", r.Text)
		}
		if r := report(t, db, storetest.As(f.Users["liaison_yq"]), "2026-12-15"); r.Cases.Total != 2 || r.Cases.Closed != 1 {
			t.Errorf("永清镇's report %+v", r.Cases)
		}

		// Confirmed: the complete proposals are stored, dated by the results.
		res = importCSV(t, db, coord, file, "b2.csv", sheets.CaseFileOptions{ConfirmMeasures: true})
		if res.Unchanged || res.Created != 0 || res.MeasuresStored != 4 {
			t.Fatalf("confirm: %+v", res)
		}
		var problems []string
		for _, p := range res.Proposals {
			for _, m := range p.Items {
				if !m.Stored {
					problems = append(problems, p.AcceptanceNo+" "+m.Problem)
				}
			}
		}
		eq(t, "not stored", problems, []string{"X3SX202612100002 “责令整改”须填写企业名称"})
		if r := report(t, db, coord, "2026-12-11"); r.Measures != (ducha.ReportMeasures{}) {
			t.Errorf("measures before their day: %+v", r.Measures)
		}
		wantM := ducha.ReportMeasures{OrderedToRectify: 1, PenaltyCases: 1, FinesYuan: 5000000, Interviewed: 2}
		if r := report(t, db, coord, "2026-12-12"); r.Measures != wantM || !strings.Contains(r.Text, "责令整改1家，立案处罚1家，罚款50000.00元") {
			t.Errorf("measures 12-12: %+v %s", r.Measures, r.Text)
		}
		ms := findCase(t, db, coord, "D3SX202612100001").Measures
		if len(ms) != 3 || ms[0].Date != "2026-12-12" || ms[0].UnitID != f.Units["永清镇"].ID {
			t.Errorf("stored measures %+v", ms)
		}
		// Confirmed twice: nothing more.
		before, _ = db.DataVersion(context.Background())
		if res = importCSV(t, db, coord, file, "b2.csv", sheets.CaseFileOptions{ConfirmMeasures: true}); !res.Unchanged || res.MeasuresStored != 0 {
			t.Errorf("confirm again: %+v", res)
		}
		if after, _ := db.DataVersion(context.Background()); after != before {
			t.Errorf("confirming again wrote")
		}
		// The coordinator takes over from the kept state: the submitted case is accepted.
		sub := findCase(t, db, coord, "X3SX202612100006")
		if c, err := db.ActOnCase(coord, sub.ID, ducha.CaseAction{Action: ducha.CaseActAccept, Status: ducha.CaseClosed}); err != nil || c.Status != ducha.CaseClosed {
			t.Fatalf("accept a kept submission: %v", err)
		}
		if r := report(t, db, coord, "2026-12-15"); r.Cases.Closed != 2 {
			t.Errorf("a later acceptance changed 12-15: %+v", r.Cases)
		}
		if r := report(t, db, coord, "2026-12-20"); r.Cases.Closed != 3 || r.Cases.Total != 7 {
			t.Errorf("today: %+v", r.Cases)
		}
		if !slices.Contains(ducha.Verdicts, ducha.VerdictBasically) {
			t.Error("基本属实 is no verdict")
		}
	})
}
