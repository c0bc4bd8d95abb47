package sheets_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"ducha"
	"ducha/internal/storetest"
	"ducha/sheets"
	"ducha/store"
)

func importSample(t *testing.T, db *store.DB, name string, opts sheets.CaseFileOptions) (*ducha.BatchResult, error) {
	t.Helper()
	f, err := os.Open(filepath.Join(samples, name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return sheets.ImportCases(storetest.System(), db, f, name, opts)
}

func TestSampleBatchesImport(t *testing.T) {
	storetest.Each(t, store.Options{}, func(t *testing.T, db *store.DB) {
		storetest.Seed(t, db)
		want := []struct {
			file                        string
			opts                        sheets.CaseFileOptions
			batch, total, phone, letter int
			key                         int
			date                        ducha.Date
		}{
			{"cases-batch-03.xlsx", sheets.CaseFileOptions{}, 3, 12, 5, 7, 0, "2026-12-08"},
			{"cases-batch-04-gb18030.csv", sheets.CaseFileOptions{Date: "2026-12-09"}, 4, 9, 3, 6, 3, "2026-12-09"},
			{"cases-batch-05-merged.xlsx", sheets.CaseFileOptions{}, 5, 10, 5, 5, 0, "2026-12-10"},
		}
		for _, w := range want {
			res, err := importSample(t, db, w.file, w.opts)
			if err != nil {
				t.Fatalf("%s: %v", w.file, err)
			}
			b := res.Batch
			if b.Number != w.batch || b.Date != w.date || res.Created != w.total || b.Phone != w.phone || b.Letter != w.letter || b.Key != w.key {
				t.Fatalf("%s: %+v created %d", w.file, b, res.Created)
			}
			again, err := importSample(t, db, w.file, w.opts)
			if err != nil || !again.Unchanged || again.Created != 0 {
				t.Fatalf("%s twice: %+v %v", w.file, again, err)
			}
		}
		sys := storetest.System()
		_, total, _ := db.FindCases(sys, ducha.CaseFilter{})
		if total != 31 {
			t.Fatalf("%d cases in all", total)
		}
		// Batch 05's merged area cells reached every row they cover.
		cs, _, _ := db.FindCases(sys, ducha.CaseFilter{Batch: 5, Area: "松树镇"})
		if len(cs) != 2 {
			t.Fatalf("松树镇 in batch 5: %d", len(cs))
		}
		oil, _, _ := db.FindCases(sys, ducha.CaseFilter{Batch: 5, Q: "油烟"})
		if len(oil) == 0 || oil[0].TypeDetail != "油烟" || strings.Join(oil[0].Types, ",") != "大气" {
			t.Fatalf("油烟 case: %+v", oil)
		}
		// A case handed over again in a later batch is logged, not counted.
		dup := "名称,受理编号,交办问题基本情况,行政区域,污染类型,举报方式\n1,X3SX202612090001,重复交办的问题,新城乡,生态,来信\n2,D6SX202612110001,新问题,永清镇,大气,来电\n"
		dup = strings.Replace(dup, "名称", "序号", 1)
		res, err := sheets.ImportCases(sys, db, strings.NewReader(dup), "b6.csv", sheets.CaseFileOptions{Batch: 6, Date: "2026-12-11"})
		if err != nil || res.Created != 1 || len(res.Duplicates) != 1 || res.Duplicates[0].FirstBatch != 4 || res.Duplicates[0].Row != 2 {
			t.Fatalf("batch 6: %+v %v", res, err)
		}
	})
}

func TestBrokenBatchChangesNothing(t *testing.T) {
	storetest.Each(t, store.Options{}, func(t *testing.T, db *store.DB) {
		storetest.Seed(t, db)
		before, _ := db.DataVersion(context.Background())
		bad := "序号,受理编号,交办问题基本情况,行政区域,污染类型,举报方式,重点关注\n" +
			"1,X3SX202612090001,问题一,新城乡,生态,来信,\n" +
			"2,D3SX202612090002,问题二,白沙镇,大气,来电,也许\n"
		_, err := sheets.ImportCases(storetest.System(), db, strings.NewReader(bad), "b.csv", sheets.CaseFileOptions{Batch: 7, Date: "2026-12-12"})
		e, ok := err.(*ducha.Error)
		if !ok || e.Row != 3 || !strings.Contains(e.Message, "重点关注") {
			t.Fatalf("bad key flag: %v", err)
		}
		if after, _ := db.DataVersion(context.Background()); after != before {
			t.Fatalf("a failed import wrote: %d → %d", before, after)
		}
		if _, total, _ := db.FindCases(storetest.System(), ducha.CaseFilter{}); total != 0 {
			t.Fatalf("%d cases after a failed import", total)
		}
	})
}

// Nothing that identifies a complainant survives into a published text.
func TestDisclosureMasksComplainants(t *testing.T) {
	texts := []string{
		"举报人张红霞（电话19898053976）称多次反映未解决。",
		"来电人李四反映，联系电话0938-7654321。",
		"身份证号620521199410141819的村民反映家中老人咳嗽。",
		"信访人王小明，身份证号62052119941014181X，手机+86 13912345678。",
		"投诉人赵六称噪声扰民，电话09387654321。",
	}
	secrets := []string{"19898053976", "7654321", "620521199410141819", "62052119941014181X", "13912345678", "红霞", "李四", "小明", "赵六"}
	var cases []*ducha.Case
	for i, s := range texts {
		cases = append(cases, &ducha.Case{AcceptanceNo: "D3SX20261209000" + string(rune('1'+i)), Text: s, Findings: s, Handling: s, Accountability: s})
	}
	rows := sheets.Disclosure(cases)
	var buf bytes.Buffer
	if err := sheets.WriteDisclosure(&buf, 3, "2026-12-09", rows); err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		for _, field := range []string{r.Text, r.Findings, r.Handling, r.Accountability} {
			for _, s := range secrets {
				if strings.Contains(field, s) {
					t.Errorf("%q survives in %q", s, field)
				}
			}
			if regexp.MustCompile(`1[3-9]\d{9}`).MatchString(field) {
				t.Errorf("a mobile number survives in %q", field)
			}
		}
	}
	// Ordinary numbers stay.
	keep := sheets.Disclosure([]*ducha.Case{{Text: "开挖取土破坏植被约20亩，罚款50000元，2026年12月9日复查"}})
	if keep[0].Text != "开挖取土破坏植被约20亩，罚款50000元，2026年12月9日复查" {
		t.Fatalf("ordinary text changed: %q", keep[0].Text)
	}
}
