package store_test

import (
	"bytes"
	"strings"
	"testing"

	"ducha"
	"ducha/internal/storetest"
	"ducha/store"
)

// The document request list: the coordinator lists what the team asks
// for; the unit supplies it (another unit cannot see it); the coordinator
// returns a copy, checks the next one 真实、统一 and hands it over; every
// step is an event, and the inbox follows.
func TestDocRequestFlow(t *testing.T) {
	clock := clockAt("2026-12-10")
	storetest.Each(t, store.Options{Now: clock.Now}, func(t *testing.T, db *store.DB) {
		*clock = *clockAt("2026-12-10")
		f := storetest.Seed(t, db)
		coord := storetest.As(f.Users["coord"])
		yq, hb := storetest.As(f.Users["liaison_yq"]), storetest.As(f.Users["liaison_hb"])
		rs := []*ducha.DocRequest{
			{Item: "2024年以来砖厂扬尘整治台账", Unit: "永清镇", Due: "2026-12-12"},
			{Item: "养殖场粪污处理设施验收材料", Unit: "红堡镇", Due: "2026-12-20"},
			{Item: "河道垃圾清理记录", Unit: "永清镇", Due: "2026-12-09", No: 7},
		}
		// A past due date refuses the whole list, naming the item.
		if err := db.AddDocRequests(coord, rs); ducha.ErrorCode(err) != ducha.EINVALID || !strings.Contains(ducha.ErrorMessage(err), "第3项") {
			t.Fatalf("past due: %v", err)
		}
		if _, n, _ := db.FindDocRequests(coord, ducha.DocRequestFilter{}); n != 0 {
			t.Fatalf("a refused list stored %d", n)
		}
		rs[2] = &ducha.DocRequest{Item: "河道垃圾清理记录", Unit: "永清镇", Due: "2026-12-10", No: 7}
		if err := db.AddDocRequests(storetest.As(f.Users["liaison_yq"]), rs); ducha.ErrorCode(err) != ducha.EFORBIDDEN {
			t.Fatalf("a liaison adds requests: %v", err)
		}
		if err := db.AddDocRequests(coord, rs); err != nil {
			t.Fatal(err)
		}
		if rs[0].No != 1 || rs[1].No != 2 || rs[2].No != 7 {
			t.Errorf("numbers %d %d %d", rs[0].No, rs[1].No, rs[2].No)
		}
		if err := db.AddDocRequests(coord, []*ducha.DocRequest{{Item: "x", Unit: "永清镇", Due: "2026-12-30", No: 7}}); ducha.ErrorCode(err) != ducha.EINVALID {
			t.Errorf("number 7 twice: %v", err)
		}
		late := &ducha.DocRequest{Item: "x", Unit: "永清镇", Due: "2026-12-30"}
		if err := db.AddDocRequests(coord, []*ducha.DocRequest{late}); err != nil || late.No != 8 {
			t.Errorf("next number %d: %v", late.No, err)
		}

		// Scoping: each unit its own; the other's is not found.
		if got, n, _ := db.FindDocRequests(yq, ducha.DocRequestFilter{}); n != 3 || got[0].No != 1 || got[0].Warning != ducha.WarningYellow {
			t.Errorf("永清镇 lists %d: %+v", n, got)
		}
		if _, n, _ := db.FindDocRequests(hb, ducha.DocRequestFilter{UnitID: f.Units["永清镇"].ID}); n != 0 {
			t.Errorf("红堡镇 lists 永清镇's: %d", n)
		}
		if _, err := db.FindDocRequestByID(hb, rs[0].ID); ducha.ErrorCode(err) != ducha.ENOTFOUND {
			t.Errorf("红堡镇 reads 永清镇's: %v", err)
		}
		if _, err := db.ActOnDocRequest(hb, rs[0].ID, ducha.DocRequestAction{Action: ducha.RequestActSupply, FileName: "a.txt", Data: []byte("x")}); ducha.ErrorCode(err) != ducha.ENOTFOUND {
			t.Errorf("红堡镇 supplies 永清镇's: %v", err)
		}
		if _, _, err := db.FindDocRequests(coord, ducha.DocRequestFilter{Status: "bogus"}); ducha.ErrorCode(err) != ducha.EINVALID {
			t.Errorf("bad status: %v", err)
		}

		// Inbox: 永清镇 has three to supply, one due soon (12-12), one due
		// today (yellow too); the coordinator nothing yet.
		in := inboxOf(t, db, f, "liaison_yq")
		if in.Counts[ducha.InboxToSupply] != 3 || in.Counts[ducha.InboxDueSoon] != 2 || in.Counts[ducha.InboxOverdue] != 0 {
			t.Errorf("liaison_yq inbox %v", in.Counts)
		}
		var found bool
		for _, it := range in.Items {
			found = found || (it.Kind == ducha.InboxToSupply && it.RequestID == rs[0].ID && strings.Contains(it.Title, "调阅清单第1项"))
		}
		if !found {
			t.Errorf("no to_supply item for request 1: %+v", in.Items)
		}
		clock.Add(24 * 3600e9) // 12-11: request 7 is overdue
		if in := inboxOf(t, db, f, "liaison_yq"); in.Counts[ducha.InboxOverdue] != 1 {
			t.Errorf("overdue %v", in.Counts)
		}
		if r, _ := db.FindDocRequestByID(yq, rs[2].ID); !r.Overdue || r.Warning != ducha.WarningRed {
			t.Errorf("request 7 derived %v %v", r.Overdue, r.Warning)
		}

		// Supply: the unit's liaison; not the leader; the file is sniffed.
		file := []byte("扬尘整治台账\n1. 砖厂围挡")
		sup := ducha.DocRequestAction{Action: ducha.RequestActSupply, FileName: "台账.txt", Data: file, Note: "原件存镇政府"}
		if _, err := db.ActOnDocRequest(storetest.As(f.Users["leader"]), rs[0].ID, sup); ducha.ErrorCode(err) != ducha.EFORBIDDEN {
			t.Errorf("leader supplies: %v", err)
		}
		if _, err := db.ActOnDocRequest(yq, rs[0].ID, ducha.DocRequestAction{Action: ducha.RequestActSupply, FileName: "a.exe", Data: []byte("MZ\x90\x00\x03")}); ducha.ErrorCode(err) != ducha.EINVALID {
			t.Errorf("an executable: %v", err)
		}
		if _, err := db.ActOnDocRequest(yq, rs[0].ID, ducha.DocRequestAction{Action: ducha.RequestActCheck, Authentic: true, Consistent: true}); ducha.ErrorCode(err) != ducha.EFORBIDDEN {
			t.Errorf("the unit checks: %v", err)
		}
		r, err := db.ActOnDocRequest(yq, rs[0].ID, sup)
		if err != nil || r.Status != ducha.RequestSupplied || r.File == nil || r.File.Size != int64(len(file)) || r.SuppliedBy != "liaison_yq" || r.Version != 2 {
			t.Fatalf("supply: %+v %v", r, err)
		}
		if _, err := db.ActOnDocRequest(yq, rs[0].ID, sup); ducha.ErrorCode(err) != ducha.ECONFLICT {
			t.Errorf("supply twice: %v", err)
		}
		if got, err := db.FindDocRequestFile(storetest.As(f.Users["head_yq"]), rs[0].ID); err != nil || !bytes.Equal(got.Data, file) {
			t.Errorf("file: %v", err)
		}
		if _, err := db.FindDocRequestFile(coord, rs[1].ID); ducha.ErrorCode(err) != ducha.ENOTFOUND {
			t.Errorf("file of an unsupplied request: %v", err)
		}
		if c := inboxOf(t, db, f, "coord"); c.Counts[ducha.InboxToCheck] != 1 {
			t.Errorf("coord inbox %v", c.Counts)
		}

		// Check: both confirmations needed; a return goes back to the unit.
		for _, c := range []struct {
			a     ducha.DocRequestAction
			field string
		}{
			{ducha.DocRequestAction{Action: ducha.RequestActCheck, Consistent: true}, "authentic"},
			{ducha.DocRequestAction{Action: ducha.RequestActCheck, Authentic: true}, "consistent"},
			{ducha.DocRequestAction{Action: ducha.RequestActCheck, Return: true}, "reason"},
		} {
			_, err := db.ActOnDocRequest(coord, rs[0].ID, c.a)
			if e, ok := err.(*ducha.Error); !ok || e.Fields[c.field] == "" {
				t.Errorf("check %+v: %v, want %s", c.a, err, c.field)
			}
		}
		if _, err := db.ActOnDocRequest(coord, rs[0].ID, ducha.DocRequestAction{Action: ducha.RequestActHandOver}); ducha.ErrorCode(err) != ducha.ECONFLICT {
			t.Errorf("hand over unchecked: %v", err)
		}
		r, err = db.ActOnDocRequest(coord, rs[0].ID, ducha.DocRequestAction{Action: ducha.RequestActCheck, Return: true, Reason: "缺少盖章页"})
		if err != nil || r.Status != ducha.RequestRequested || r.ReturnReason != "缺少盖章页" || r.File == nil {
			t.Fatalf("return: %+v %v", r, err)
		}
		if _, err := db.ActOnDocRequest(yq, rs[0].ID, ducha.DocRequestAction{Action: ducha.RequestActSupply, FileName: "台账（盖章）.txt",
			Data: []byte("盖章版")}); err != nil {
			t.Fatal(err)
		}
		r, err = db.ActOnDocRequest(coord, rs[0].ID, ducha.DocRequestAction{Action: ducha.RequestActCheck, Authentic: true, Consistent: true, Note: "与原件核对一致"})
		if err != nil || r.Status != ducha.RequestChecked || !r.Authentic || !r.Consistent || r.CheckedBy != "coord" || r.ReturnReason != "" {
			t.Fatalf("check: %+v %v", r, err)
		}
		if _, err := db.ActOnDocRequest(coord, rs[0].ID, ducha.DocRequestAction{Action: ducha.RequestActHandOver, Version: 3}); ducha.ErrorCode(err) != ducha.ECONFLICT {
			t.Errorf("stale version: %v", err)
		}
		r, err = db.ActOnDocRequest(coord, rs[0].ID, ducha.DocRequestAction{Action: ducha.RequestActHandOver})
		if err != nil || r.Status != ducha.RequestHandedOver || r.HandedTo != "中央第三生态环境保护督察组" || r.HandedAt == nil {
			t.Fatalf("hand over: %+v %v", r, err)
		}
		// The coordinator supplies for a unit that cannot.
		if r, err := db.ActOnDocRequest(coord, rs[1].ID, ducha.DocRequestAction{Action: ducha.RequestActSupply, FileName: "验收.txt", Data: []byte("验收")}); err != nil || r.SuppliedBy != "coord" {
			t.Errorf("coordinator supplies: %v", err)
		}
		evs, err := db.FindDocRequestEvents(yq, rs[0].ID)
		var actions []string
		for _, e := range evs {
			actions = append(actions, e.Action)
		}
		if err != nil || strings.Join(actions, " ") != "request supply return supply check hand_over" {
			t.Errorf("events %v %v", actions, err)
		}
		if _, err := db.FindDocRequestEvents(hb, rs[0].ID); ducha.ErrorCode(err) != ducha.ENOTFOUND {
			t.Errorf("红堡镇 reads the history: %v", err)
		}
		if bad, _, err := db.VerifyChain(storetest.System()); bad != 0 || err != nil {
			t.Errorf("chain broken at %d: %v", bad, err)
		}
	})
}

// A backup carries documents and requests with their bytes; the restored
// store finds the document by its words and numbers on after them.
func TestBackupCarriesDocuments(t *testing.T) {
	for _, from := range storetest.Engines {
		for _, to := range storetest.Engines {
			t.Run(from+"_to_"+to, func(t *testing.T) {
				src := storetest.Open(t, from, store.Options{})
				f := storetest.Seed(t, src)
				coord := storetest.As(f.Users["coord"])
				seed := seedFile(t)
				d := addDocument(t, src, coord, "seed.txt", seed, ducha.DocMinutes, "")
				req := &ducha.DocRequest{Item: "砖厂台账", Unit: "永清镇", Due: "2099-12-12"}
				if err := src.AddDocRequests(coord, []*ducha.DocRequest{req}); err != nil {
					t.Fatal(err)
				}
				pdf := []byte("%PDF-1.4\n\x00\x01\x02binary")
				if _, err := src.ActOnDocRequest(storetest.As(f.Users["liaison_yq"]), req.ID,
					ducha.DocRequestAction{Action: ducha.RequestActSupply, FileName: "台账.pdf", Data: pdf}); err != nil {
					t.Fatal(err)
				}
				var buf bytes.Buffer
				if err := src.Backup(storetest.System(), &buf); err != nil {
					t.Fatal(err)
				}
				dst := storetest.Open(t, to, store.Options{})
				if err := dst.Restore(storetest.System(), bytes.NewReader(buf.Bytes())); err != nil {
					t.Fatalf("restore: %v", err)
				}
				got, err := dst.FindDocumentOriginal(coord, d.ID)
				if err != nil || !bytes.Equal(got.Data, seed) || got.Title != d.Title {
					t.Fatalf("restored document: %v", err)
				}
				if ds, n, err := dst.FindDocuments(coord, ducha.DocumentFilter{Q: "问题台账"}); err != nil || n != 1 || ds[0].ID != d.ID {
					t.Errorf("restored search: %d %v", n, err)
				}
				r, err := dst.FindDocRequestFile(storetest.As(f.Users["head_yq"]), req.ID)
				if err != nil || !bytes.Equal(r.Data, pdf) || r.Status != ducha.RequestSupplied || r.File.ContentType != "application/pdf" {
					t.Fatalf("restored request: %+v %v", r, err)
				}
				d2 := addDocument(t, dst, coord, "b.txt", []byte("第二份文件"), ducha.DocOther, "")
				next := &ducha.DocRequest{Item: "y", Unit: "永清镇", Due: "2099-12-12"}
				if err := dst.AddDocRequests(coord, []*ducha.DocRequest{next}); err != nil || d2.ID <= d.ID || next.ID <= req.ID || next.No != 2 {
					t.Errorf("numbering after restore: %d %d %d: %v", d2.ID, next.ID, next.No, err)
				}
				if bad, _, err := dst.VerifyChain(storetest.System()); bad != 0 || err != nil {
					t.Errorf("restored chain broken at %d: %v", bad, err)
				}
			})
		}
	}
}
