package store_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"ducha"
	"ducha/internal/storetest"
	"ducha/store"
)

// marked is a row marked as the 重复件 (or 补充办理件) of refs.
func marked(r ducha.BatchRow, kind string, refs ...string) ducha.BatchRow {
	r.LinkKind, r.LinkRefs, r.LinkNote = kind, refs, strings.Join(refs, "；")
	return r
}

func TestImportCaseBatchLinks(t *testing.T) {
	clock := clockAt("2026-12-09")
	storetest.Each(t, store.Options{Now: clock.Now}, func(t *testing.T, db *store.DB) {
		*clock = *clockAt("2026-12-09")
		f := storetest.Seed(t, db)
		coord := storetest.As(f.Users["coord"])
		from, to := time.Date(2026, 12, 8, 12, 0, 0, 0, ducha.Location), time.Date(2026, 12, 9, 12, 0, 0, 0, ducha.Location)
		rows := []ducha.BatchRow{
			// Row 4 names row 5, written after it.
			marked(row(1, "D3SX202612090001", "永清镇", "大气", false), ducha.LinkDuplicate, "X3SX202612090002"),
			row(2, "X3SX202612090002", "永清镇", "大气", false),
			// The same number three times: one case, two logged repeats.
			row(3, "D3SX202612090003", "红堡镇", "水", false),
			row(4, "d3sx202612090003", "红堡镇", "水", false),
			row(5, "D3SX202612090003", "红堡镇", "水", false),
			// Two rows naming each other: the first is written as it is.
			marked(row(6, "X3SX202612090006", "红堡镇", "水", false), ducha.LinkSupplement, "X3SX202612090007"),
			marked(row(7, "X3SX202612090007", "红堡镇", "水", false), ducha.LinkSupplement, "X3SX202612090006"),
		}
		rows[5].Case.Channel = ducha.ChannelWeChat
		rows[6].Case.Channel = ducha.ChannelVisit
		res, err := db.ImportCaseBatch(coord, &ducha.BatchImport{Number: 1, Date: "2026-12-09", FileName: "b1", WindowFrom: &from, WindowTo: &to, Rows: rows})
		if err != nil {
			t.Fatal(err)
		}
		b := res.Batch
		if got := []int{res.Created, b.Total, b.Phone, b.Letter, b.WeChat, b.Visit, b.Duplicates}; !equalInts(got, []int{4, 4, 1, 1, 1, 1, 3}) {
			t.Errorf("created, total, phone, letter, wechat, visit, duplicates: %v", got)
		}
		first, _ := db.FindCaseByAcceptanceNo(coord, "X3SX202612090002")
		dup, _ := db.FindCaseByAcceptanceNo(coord, "D3SX202612090001")
		six, _ := db.FindCaseByAcceptanceNo(coord, "X3SX202612090006")
		seven, _ := db.FindCaseByAcceptanceNo(coord, "X3SX202612090007")
		if dup.DuplicateOf == nil || *dup.DuplicateOf != first.ID || dup.ID < first.ID {
			t.Errorf("forward reference: %v (ids %d, %d)", dup.DuplicateOf, dup.ID, first.ID)
		}
		if six.SupplementOf != nil || seven.SupplementOf == nil || *seven.SupplementOf != six.ID {
			t.Errorf("rows naming each other: %v %v", six.SupplementOf, seven.SupplementOf)
		}
		three, _ := db.FindCaseByAcceptanceNo(coord, "ｄ３ｓｘ２０２６１２０９０００３")
		if three == nil || len(three.Repeats) != 2 || three.Repeats[0].Row != 7 || three.Repeats[1].Row != 8 || three.Repeats[0].AcceptanceNo != "d3sx202612090003" {
			t.Errorf("repeats of a number three times: %+v", three)
		}
		batches, _ := db.FindBatches(coord)
		if len(batches) != 1 || batches[0].WindowFrom == nil || !batches[0].WindowFrom.Equal(from) || !batches[0].WindowTo.Equal(to) ||
			batches[0].WeChat != 1 || batches[0].Visit != 1 || batches[0].Duplicates != 3 {
			t.Errorf("batch list %+v", batches)
		}
		// The same rows again: unchanged, however the numbers are written.
		again := append([]ducha.BatchRow(nil), rows...)
		again[1] = row(2, "x3sx202612090002", "永清镇", "大气", false)
		if res, err := db.ImportCaseBatch(coord, &ducha.BatchImport{Number: 1, Date: "2026-12-09", FileName: "b1", Rows: again}); err != nil || !res.Unchanged {
			t.Errorf("again: %+v %v", res, err)
		}

		// A unit's batch list counts its own cases, channels and duplicates.
		for _, no := range []string{"X3SX202612090006", "X3SX202612090007", "D3SX202612090001"} {
			c, _ := db.FindCaseByAcceptanceNo(coord, no)
			if _, err := db.ActOnCase(coord, c.ID, ducha.CaseAction{Action: ducha.CaseActAssign, Units: []ducha.UnitRef{"红堡镇"}}); err != nil {
				t.Fatal(err)
			}
		}
		hb, _ := db.FindBatches(storetest.As(f.Users["liaison_hb"]))
		if len(hb) != 1 || hb[0].Total != 2 || hb[0].WeChat != 1 || hb[0].Visit != 1 || hb[0].Phone != 0 || hb[0].Duplicates != 1 {
			t.Errorf("红堡镇's batches %+v", hb)
		}
		if js, _ := json.Marshal(hb[0]); !strings.Contains(string(js), `"window_from":"2026-12-08T12:00:00+08:00"`) {
			t.Errorf("batch JSON %s", js)
		}

		// Refused: a window that ends before it starts, a channel no one uses, an empty number.
		before, _ := db.DataVersion(context.Background())
		if _, err := db.ImportCaseBatch(coord, &ducha.BatchImport{Number: 2, Date: "2026-12-10", WindowFrom: &to, WindowTo: &from,
			Rows: []ducha.BatchRow{row(1, "D3SX202612100001", "永清镇", "大气", false)}}); ducha.ErrorCode(err) != ducha.EINVALID {
			t.Errorf("reversed window: %v", err)
		}
		bad := row(1, "D3SX202612100001", "永清镇", "大气", false)
		bad.Case.Channel = "短信"
		if _, err := db.ImportBatch(coord, 2, "2026-12-10", "b2", []ducha.BatchRow{bad}); ducha.ErrorCode(err) != ducha.EINVALID || !strings.Contains(err.Error(), "微信") {
			t.Errorf("unknown channel: %v", err)
		}
		empty := row(1, "", "永清镇", "大气", false)
		if _, err := db.ImportBatch(coord, 2, "2026-12-10", "b2", []ducha.BatchRow{row(2, "D3SX202612100002", "永清镇", "大气", false), empty}); ducha.ErrorCode(err) != ducha.EINVALID {
			t.Errorf("empty number: %v", err)
		}
		if after, _ := db.DataVersion(context.Background()); after != before {
			t.Errorf("refused imports wrote")
		}
	})
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
