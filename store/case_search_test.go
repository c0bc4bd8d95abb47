package store_test

import (
	"context"
	"slices"
	"testing"

	"ducha"
	"ducha/internal/storetest"
	"ducha/store"
)

// caseNos returns the acceptance numbers of the cases q finds for ctx's
// user, sorted.
func caseNos(t *testing.T, db *store.DB, ctx context.Context, q string) []string {
	t.Helper()
	cs, total, err := db.FindCases(ctx, ducha.CaseFilter{Q: q, Limit: 50})
	if err != nil {
		t.Fatalf("search %q: %v", q, err)
	}
	nos := []string{}
	for _, c := range cs {
		nos = append(nos, c.AcceptanceNo)
	}
	slices.Sort(nos)
	if total != len(nos) {
		t.Errorf("search %q: total %d, %d cases", q, total, len(nos))
	}
	return nos
}

// A case is found by the initials of the enterprises and places its
// complaint names and of its units, as it is by its words; a renamed unit
// is found by its new initials; and a store whose case tokens were made
// before (format 0, no format recorded) makes them again when it opens.
func TestCaseSearchByInitials(t *testing.T) {
	clock := clockAt("2026-12-09")
	storetest.Each(t, store.Options{Now: clock.Now}, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		coord := storetest.As(f.Users["coord"])
		const (
			hongxing = "D3SX202612090001"
			hongda   = "X3SX202612090002"
			kept     = "D3SX202612090003"
		)
		rows := []ducha.BatchRow{
			{Row: 4, Case: &ducha.Case{AcceptanceNo: hongxing, Channel: ducha.ChannelPhone, Area: "永清镇", Types: []string{"水"},
				Text: "反映永清镇红星化工有限公司夜间偷排废水，污染下游李家村农田。"}},
			{Row: 5, Case: &ducha.Case{AcceptanceNo: hongda, Channel: ducha.ChannelLetter, Area: "红堡镇", Types: []string{"大气"},
				Text: "反映紅堡鎮宏達磚廠粉塵擾民。"}}, // traditional characters
			// A table brought in with results names the unit that handled it.
			{Row: 6, Case: &ducha.Case{AcceptanceNo: kept, Channel: ducha.ChannelPhone, Area: "红堡镇", Types: []string{"噪声"},
				Text: "反映夜间施工噪声扰民。", Findings: "经查属实", Verdict: ducha.VerdictTrue, Handling: "已责令停止夜间施工"},
				Results: &ducha.CaseResults{Status: ducha.CaseClosed, Units: []string{"县生态环境局"}}},
		}
		if _, err := db.ImportBatch(coord, 1, "2026-12-09", "b1.xlsx", rows); err != nil {
			t.Fatal(err)
		}
		search := map[string][]string{
			"hxhg":     {hongxing}, // 红星化工, as people say it
			"hxhgyxgs": {hongxing}, // 红星化工有限公司
			"HXHG":     {hongxing},
			"ljc":      {hongxing}, // 李家村, a place the text names
			"hdzc":     {hongda},   // 宏达砖厂, written in traditional characters
			"偷排":       {hongxing}, // words, as before
			"紅星化工":     {hongxing},
			"粉尘":       {hongda},
			"yqz":      {hongxing},     // the area
			"hbz":      {kept, hongda}, // the area
			"xsthjj":   {kept},         // the unit that handled the kept case
			"hxhgyx":   {},             // initials match whole, not in part
			"hx":       {},             // nor the trade name alone
			"zc":       {},             // nor 噪声's initials: the text's words are no names
			"施工":       {kept},
		}
		for q, want := range search {
			if got := caseNos(t, db, coord, q); !slices.Equal(got, want) {
				t.Errorf("search %q: %q, want %q", q, got, want)
			}
		}

		// Assigned to a unit, the case is found by the unit's initials;
		// the unit's liaison finds it so within the unit's cases.
		c, err := db.FindCaseByAcceptanceNo(coord, hongda)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.ActOnCase(coord, c.ID, ducha.CaseAction{Action: ducha.CaseActAssign, Version: c.Version,
			Units: []ducha.UnitRef{"县生态环境局"}}); err != nil {
			t.Fatal(err)
		}
		if got := caseNos(t, db, coord, "xsthjj"); !slices.Equal(got, []string{kept, hongda}) {
			t.Errorf("by the unit's initials after assignment: %q", got)
		}
		if got := caseNos(t, db, storetest.As(f.Users["liaison_sthj"]), "hdzc"); !slices.Equal(got, []string{hongda}) {
			t.Errorf("the unit's liaison: %q", got)
		}
		if got := caseNos(t, db, storetest.As(f.Users["liaison_yq"]), "hxhg"); !slices.Equal(got, []string{}) {
			t.Errorf("another unit's liaison: %q", got)
		}

		// A renamed unit: its cases are found by its new initials only.
		u := f.Units["县生态环境局"]
		name := "县环保局"
		if _, err := db.UpdateUnit(storetest.System(), u.ID, ducha.UnitUpdate{Version: u.Version, Name: &name}); err != nil {
			t.Fatal(err)
		}
		if got := caseNos(t, db, coord, "xhbj"); !slices.Equal(got, []string{kept, hongda}) {
			t.Errorf("by the renamed unit's initials: %q", got)
		}
		if got := caseNos(t, db, coord, "xsthjj"); !slices.Equal(got, []string{}) {
			t.Errorf("by the unit's old initials: %q", got)
		}

		// A store brought forward from before: its case tokens hold no
		// names' or units' initials, and no format is recorded.
		ctx := context.Background()
		if err := store.AgeCaseSearch(ctx, db); err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{"hxhg", "xhbj", "hdzc"} {
			if got := caseNos(t, db, coord, q); len(got) != 0 {
				t.Fatalf("aged store: %q still finds %q", q, got)
			}
		}
		if got := caseNos(t, db, coord, "偷排"); !slices.Equal(got, []string{hongxing}) {
			t.Fatalf("aged store: words find %q", got)
		}
		reopened, err := store.Open(ctx, db.DSN(), store.Options{Now: clock.Now})
		if err != nil {
			t.Fatal(err)
		}
		defer reopened.Close()
		if rec, cur, err := store.CaseSearchFormat(ctx, reopened); err != nil || rec != cur {
			t.Errorf("format recorded %d, code's %d (%v)", rec, cur, err)
		}
		for q, want := range map[string][]string{"hxhg": {hongxing}, "xhbj": {kept, hongda}, "hdzc": {hongda}, "hbz": {kept, hongda},
			"偷排": {hongxing}, "xsthjj": {}} {
			if got := caseNos(t, reopened, coord, q); !slices.Equal(got, want) {
				t.Errorf("re-indexed store: %q finds %q, want %q", q, got, want)
			}
		}
		// Opening it again changes nothing.
		again, err := store.Open(ctx, db.DSN(), store.Options{Now: clock.Now})
		if err != nil {
			t.Fatal(err)
		}
		defer again.Close()
		if got := caseNos(t, again, coord, "hxhg"); !slices.Equal(got, []string{hongxing}) {
			t.Errorf("opened again: %q", got)
		}
		if orphans, err := store.Orphans(again); err != nil || len(orphans) != 0 {
			t.Errorf("orphans %v %v", orphans, err)
		}
		// A newer binary's format is left alone by this one (a rolling
		// upgrade): no rebuild, the format kept.
		_, cur, _ := store.CaseSearchFormat(ctx, again)
		if err := store.SetCaseSearchFormat(ctx, again, cur+1); err != nil {
			t.Fatal(err)
		}
		older, err := store.Open(ctx, db.DSN(), store.Options{Now: clock.Now})
		if err != nil {
			t.Fatal(err)
		}
		defer older.Close()
		if rec, _, err := store.CaseSearchFormat(ctx, older); err != nil || rec != cur+1 {
			t.Errorf("a newer format %d became %d on open (%v)", cur+1, rec, err)
		}
	})
}
