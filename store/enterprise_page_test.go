package store_test

import (
	"slices"
	"testing"

	"ducha"
	"ducha/internal/storetest"
	"ducha/store"
)

// TestEnterprisePaging walks the enterprise list a page of one at a time
// under each filter and order, for the coordinator and for a liaison: the
// pages put together are the whole list in its order, and the total counts
// it, on both engines.
func TestEnterprisePaging(t *testing.T) {
	storetest.Each(t, store.Options{}, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		coord := storetest.As(f.Users["coord"])
		importEnterpriseBatch(t, db, coord)
		brick := ducha.Measure{Kind: ducha.MeasurePenaltyCase, Enterprise: "永清镇宏达砖厂", FineYuan: 100000}
		work(t, db, f, "D3SX202612090001", "永清镇", "liaison_yq", ducha.VerdictTrue, brick,
			ducha.Measure{Kind: ducha.MeasureOrderedToRectify, Enterprise: "永清镇顺发养殖场"})
		work(t, db, f, "X3SX202612090002", "永清镇", "liaison_yq", ducha.VerdictTrue, brick,
			ducha.Measure{Kind: ducha.MeasurePenaltyCase, Enterprise: "永清镇金河石料厂", FineYuan: 50000})
		work(t, db, f, "D3SX202612090003", "红堡镇", "liaison_hb", ducha.VerdictTrue,
			ducha.Measure{Kind: ducha.MeasureSuspended, Enterprise: "红堡镇安康养殖场"},
			ducha.Measure{Kind: ducha.MeasureClosedDown, Enterprise: "红堡镇安康养殖场"})
		names := func(es []*ducha.Enterprise) []string {
			var out []string
			for _, e := range es {
				out = append(out, e.Name)
			}
			return out
		}
		for _, c := range []struct {
			who  string
			f    ducha.EnterpriseFilter
			want int
		}{
			{"coord", ducha.EnterpriseFilter{}, 4},
			{"coord", ducha.EnterpriseFilter{Sort: "name", Desc: true}, 4},
			{"coord", ducha.EnterpriseFilter{Sort: "measures"}, 4},
			{"coord", ducha.EnterpriseFilter{Fined: true, Sort: "fines"}, 2},
			{"coord", ducha.EnterpriseFilter{Repeat: true}, 1},
			{"coord", ducha.EnterpriseFilter{Q: "养殖场"}, 2},
			{"coord", ducha.EnterpriseFilter{Q: "養殖場"}, 2}, // typed in traditional characters
			{"liaison_yq", ducha.EnterpriseFilter{Sort: "name"}, 3},
			{"liaison_hb", ducha.EnterpriseFilter{}, 1},
		} {
			ctx := storetest.As(f.Users[c.who])
			all, total, err := db.FilterEnterprises(ctx, c.f)
			if err != nil || len(all) != c.want || total != c.want {
				t.Errorf("%s %+v: %v (total %d) %v, want %d", c.who, c.f, names(all), total, err, c.want)
				continue
			}
			var walked []string
			for off := 0; off < total+1; off++ {
				pf := c.f
				pf.Offset, pf.Limit = off, 1
				page, n, err := db.FilterEnterprises(ctx, pf)
				if err != nil || n != total || len(page) > 1 {
					t.Fatalf("%s %+v: %d on the page, total %d: %v", c.who, pf, len(page), n, err)
				}
				walked = append(walked, names(page)...)
			}
			if !slices.Equal(walked, names(all)) {
				t.Errorf("%s %+v: pages %v, list %v", c.who, c.f, walked, names(all))
			}
		}
		// FindEnterprises still answers its page.
		if es, err := db.FindEnterprises(coord, "", 2); err != nil || len(es) != 2 || es[0].Name != "永清镇宏达砖厂" {
			t.Errorf("FindEnterprises: %v %v", names(es), err)
		}
	})
}
