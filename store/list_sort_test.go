package store_test

import (
	"context"
	"slices"
	"testing"

	"ducha"
	"ducha/internal/storetest"
	"ducha/store"
)

// TestEnterpriseAndDocumentSorts orders enterprises and documents by each
// of their sort keys both ways, filters enterprises by repeat offence,
// fines and industry, and refuses keys not in the lists, on both engines.
func TestEnterpriseAndDocumentSorts(t *testing.T) {
	storetest.Each(t, store.Options{}, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		coord := storetest.As(f.Users["coord"])
		importEnterpriseBatch(t, db, coord)
		brick := ducha.Measure{Kind: ducha.MeasurePenaltyCase, Enterprise: "永清镇宏达砖厂", FineYuan: 100000}
		work(t, db, f, "D3SX202612090001", "永清镇", "liaison_yq", ducha.VerdictTrue, brick)
		work(t, db, f, "X3SX202612090002", "永清镇", "liaison_yq", ducha.VerdictTrue, brick)
		work(t, db, f, "D3SX202612090003", "红堡镇", "liaison_hb", ducha.VerdictTrue,
			ducha.Measure{Kind: ducha.MeasureSuspended, Enterprise: "红堡镇安康养殖场"},
			ducha.Measure{Kind: ducha.MeasureClosedDown, Enterprise: "红堡镇安康养殖场"},
			ducha.Measure{Kind: ducha.MeasureClosedDown, Enterprise: "红堡镇安康养殖场"})
		names := func(ef ducha.EnterpriseFilter) []string {
			t.Helper()
			es, _, err := db.FilterEnterprises(coord, ef)
			if err != nil {
				t.Fatalf("%+v: %v", ef, err)
			}
			var out []string
			for _, e := range es {
				out = append(out, e.Name)
			}
			return out
		}
		b, a := "永清镇宏达砖厂", "红堡镇安康养殖场"
		byName := []string{b, a}
		slices.Sort(byName)
		for _, c := range []struct {
			f    ducha.EnterpriseFilter
			want []string
		}{
			{ducha.EnterpriseFilter{}, []string{b, a}},
			{ducha.EnterpriseFilter{Sort: "cases"}, []string{a, b}},
			{ducha.EnterpriseFilter{Sort: "measures", Desc: true}, []string{a, b}},
			{ducha.EnterpriseFilter{Sort: "measures"}, []string{b, a}},
			{ducha.EnterpriseFilter{Sort: "fines", Desc: true}, []string{b, a}},
			{ducha.EnterpriseFilter{Sort: "problems"}, []string{b, a}}, // a tie: by id
			{ducha.EnterpriseFilter{Sort: "problems", Desc: true}, []string{a, b}},
			{ducha.EnterpriseFilter{Sort: "name"}, byName},
			{ducha.EnterpriseFilter{Sort: "name", Desc: true}, []string{byName[1], byName[0]}},
			{ducha.EnterpriseFilter{Repeat: true}, []string{b}},
			{ducha.EnterpriseFilter{Fined: true, Sort: "name"}, []string{b}},
			{ducha.EnterpriseFilter{Industry: "矿山"}, nil},
		} {
			if got := names(c.f); !slices.Equal(got, c.want) {
				t.Errorf("%+v: %v, want %v", c.f, got, c.want)
			}
		}
		if es, _, err := db.FilterEnterprises(storetest.As(f.Users["liaison_hb"]), ducha.EnterpriseFilter{Sort: "fines"}); err != nil || len(es) != 1 || es[0].Name != a {
			t.Errorf("红堡镇's sorted enterprises: %v %v", es, err)
		}
		for _, bad := range []ducha.EnterpriseFilter{{Sort: "t.cases; DROP TABLE enterprises"}, {Sort: "e.id"}, {Industry: "化工"}} {
			if _, _, err := db.FilterEnterprises(coord, bad); ducha.ErrorCode(err) != ducha.EINVALID {
				t.Errorf("%+v: %v", bad, err)
			}
		}

		for _, d := range []*ducha.Document{
			{Kind: ducha.DocWorkPlan, Title: "乙·方案", Date: "2026-12-05"},
			{Kind: ducha.DocNotice, Title: "甲·通知"},
			{Kind: ducha.DocWorkPlan, Title: "丙·方案", Date: "2026-11-30"},
		} {
			d.Text, d.Original, d.Data = d.Title+"正文", ducha.FileInfo{Name: "d.txt", ContentType: "text/plain"}, []byte(d.Title)
			if err := db.AddDocument(coord, d); err != nil {
				t.Fatal(err)
			}
		}
		titles := func(df ducha.DocumentFilter) []string {
			t.Helper()
			ds, _, err := db.FindDocuments(coord, df)
			if err != nil {
				t.Fatalf("%+v: %v", df, err)
			}
			var out []string
			for _, d := range ds {
				out = append(out, d.Title)
			}
			return out
		}
		byTitle := []string{"乙·方案", "甲·通知", "丙·方案"}
		slices.Sort(byTitle)
		for _, c := range []struct {
			f    ducha.DocumentFilter
			want []string
		}{
			{ducha.DocumentFilter{}, []string{"丙·方案", "甲·通知", "乙·方案"}},
			{ducha.DocumentFilter{Sort: "uploaded_at"}, []string{"乙·方案", "甲·通知", "丙·方案"}},
			{ducha.DocumentFilter{Sort: "date"}, []string{"丙·方案", "乙·方案", "甲·通知"}},
			{ducha.DocumentFilter{Sort: "date", Desc: true}, []string{"乙·方案", "丙·方案", "甲·通知"}},
			{ducha.DocumentFilter{Sort: "title"}, byTitle},
			{ducha.DocumentFilter{Sort: "title", Desc: true}, []string{byTitle[2], byTitle[1], byTitle[0]}},
			{ducha.DocumentFilter{Sort: "date", Limit: 1, Offset: 1}, []string{"乙·方案"}},
		} {
			if got := titles(c.f); !slices.Equal(got, c.want) {
				t.Errorf("%+v: %v, want %v", c.f, got, c.want)
			}
		}
		if _, _, err := db.FindDocuments(coord, ducha.DocumentFilter{Sort: "d.id"}); ducha.ErrorCode(err) != ducha.EINVALID {
			t.Errorf("unknown document sort: %v", err)
		}
	})
}

// importEnterpriseBatch brings in the three cases the enterprise lists'
// tests put their measures on: two of 永清镇, one of 红堡镇.
func importEnterpriseBatch(t *testing.T, db *store.DB, coord context.Context) {
	t.Helper()
	if _, err := db.ImportBatch(coord, 1, "2026-12-09", "b1", []ducha.BatchRow{
		row(1, "D3SX202612090001", "永清镇", "大气", false), row(2, "X3SX202612090002", "永清镇", "水", false),
		row(3, "D3SX202612090003", "红堡镇", "水", false)}); err != nil {
		t.Fatal(err)
	}
}
