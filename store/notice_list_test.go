package store_test

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"ducha"
	"ducha/internal/storetest"
	"ducha/store"
	"ducha/text"
)

// noticeSeq reads the kind's label, the year and the sequence of a
// notice number (清督办〔2026〕12号).
var noticeSeq = regexp.MustCompile(`〔(\d{4})〕(\d+)号$`)

// compareNotices orders two notices by a sort of ducha.NoticeSorts as the
// list means it, ties on id: the reference the store's SQL is held to.
func compareNotices(t *testing.T, key string, a, b *ducha.Notice) int {
	t.Helper()
	seq := func(n *ducha.Notice) (string, int) {
		m := noticeSeq.FindStringSubmatch(n.No)
		if m == nil {
			t.Fatalf("notice number %q", n.No)
		}
		s, _ := strconv.Atoi(m[2])
		return m[1], s
	}
	item := func(n *ducha.Notice) int {
		if k, _ := n.Item(); k == ducha.ItemCase {
			return 1
		}
		return 0
	}
	var c int
	switch key {
	case "no":
		ya, sa := seq(a)
		yb, sb := seq(b)
		c = cmp.Or(cmp.Compare(a.Kind.Level(), b.Kind.Level()), strings.Compare(ya, yb), cmp.Compare(sa, sb))
	case "kind":
		c = cmp.Compare(a.Kind.Level(), b.Kind.Level())
	case "unit":
		c = strings.Compare(a.Unit, b.Unit) // by bytes
	case "item":
		_, ia := a.Item()
		_, ib := b.Item()
		c = cmp.Or(cmp.Compare(item(a), item(b)), cmp.Compare(ia, ib))
	case "issued_on":
		c = strings.Compare(string(a.IssuedOn), string(b.IssuedOn))
	case "due":
		c = strings.Compare(string(a.Due), string(b.Due))
	case "status":
		c = cmp.Compare(slices.Index(ducha.NoticeStatuses, a.Status), slices.Index(ducha.NoticeStatuses, b.Status))
	default:
		t.Fatalf("no reference order for %q", key)
	}
	return cmp.Or(c, cmp.Compare(a.ID, b.ID))
}

// TestNoticeListFiltersAndSorts: the notice list's filters (status, kind,
// unit, overdue, a search in the number and the text) and every sort of
// ducha.NoticeSorts both ways give the rows a reference filter and order
// over all notices give, page after page, for the coordinator and a
// liaison, and the same rows on SQLite and PostgreSQL. A sort off the
// list and a bad status are refused naming the field.
func TestNoticeListFiltersAndSorts(t *testing.T) {
	clock := clockAt("2026-12-10")
	got := map[string]map[string][]string{} // engine → query → numbers
	storetest.Each(t, store.Options{Now: clock.Now}, func(t *testing.T, db *store.DB) {
		*clock = *clockAt("2026-12-10")
		f := storetest.Seed(t, db)
		coord := storetest.As(f.Users["coord"])
		units := []string{"永清镇", "红堡镇", "县生态环境局", "永清镇", "红堡镇"}
		issue := func(n *ducha.Notice) *ducha.Notice {
			t.Helper()
			if err := db.IssueNotice(coord, n); err != nil {
				t.Fatalf("issue %+v: %v", n, err)
			}
			return n
		}
		texts := []string{"请整改砖厂扬尘", "请整改VOCs无组织排放", "请于期限内书面答复", "请整改养殖场污水直排"}
		var ps []*ducha.Problem
		for i := range 11 {
			ps = append(ps, newProblem(t, db, f, units[i%len(units)], fmt.Sprintf("问题%d", i), "2026-12-31"))
		}
		if _, err := db.ImportBatch(coord, 1, "2026-12-09", "b1.xlsx", []ducha.BatchRow{
			row(1, "X3SX202612090001", "永清镇", "大气", false), row(2, "D3SX202612090002", "红堡镇", "水", false),
		}); err != nil {
			t.Fatal(err)
		}
		var items []*ducha.Notice
		for i, p := range ps {
			if i == 6 {
				clock.Add(24 * 3600e9) // the rest are issued a day later
			}
			due := ducha.Date("2026-12-1" + strconv.Itoa(2+i%4))
			items = append(items, issue(&ducha.Notice{Kind: ducha.NoticeReminder, ProblemID: p.ID, Text: texts[i%len(texts)], Due: due}))
			if i%3 == 0 {
				items = append(items, issue(&ducha.Notice{Kind: ducha.NoticeSupervision, ProblemID: p.ID, Text: "督办" + texts[(i+1)%len(texts)], Due: due}))
			}
			if i == 4 {
				items = append(items, issue(&ducha.Notice{Kind: ducha.NoticeListed, ProblemID: p.ID, Text: "挂牌督办", Due: "2026-12-13"}))
			}
		}
		for _, c := range []struct{ no, unit string }{{"X3SX202612090001", "永清镇"}, {"D3SX202612090002", "红堡镇"}} {
			k := act(t, db, coord, c.no, ducha.CaseAction{Action: ducha.CaseActAssign, Units: []ducha.UnitRef{ducha.UnitRef(c.unit)}})
			items = append(items, issue(&ducha.Notice{Kind: ducha.NoticeReminder, CaseID: k.ID, Text: "交办件" + c.no, Due: "2026-12-12"}))
		}
		// The unit signs for one notice and answers another; the
		// coordinator closes a third. On the 14th, notices due on the 12th
		// or 13th and still open are overdue.
		yq := storetest.As(f.Users["liaison_yq"])
		if _, err := db.ActOnNotice(yq, items[0].ID, ducha.NoticeActSign, 0, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ActOnNotice(yq, items[len(items)-2].ID, ducha.NoticeActAnswer, 0, "已整改"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ActOnNotice(coord, items[2].ID, ducha.NoticeActClose, 0, ""); err != nil {
			t.Fatal(err)
		}
		clock.Add(3 * 24 * 3600e9)
		today := ducha.Today(clock.Now())
		all, total, err := db.FindNotices(coord, ducha.NoticeFilter{})
		if err != nil || total != len(items) || total < 15 {
			t.Fatalf("all: %d of %d, %v", total, len(items), err)
		}
		overdue := 0
		for _, n := range all {
			if n.Overdue(today) {
				overdue++
			}
		}
		if overdue == 0 || overdue == len(all) {
			t.Fatalf("%d of %d overdue: the overdue filter would test nothing", overdue, len(all))
		}

		yes, no := true, false
		red := f.Units["红堡镇"].ID
		filters := map[string]ducha.NoticeFilter{
			"all": {}, "signed": {Status: ducha.NoticeSigned}, "supervision": {Kind: ducha.NoticeSupervision},
			"红堡镇": {UnitID: red}, "overdue": {Overdue: &yes}, "not overdue": {Overdue: &no},
			"vocs": {Q: "vocs"}, "扬尘": {Q: " 扬尘 "}, "揚塵 (traditional)": {Q: "揚塵"}, "number": {Q: "催办〔2026〕1号"}, "percent": {Q: "%"}, "underscore": {Q: "_"},
			"红堡镇 overdue reminders": {UnitID: red, Overdue: &yes, Kind: ducha.NoticeReminder},
		}
		match := func(fl ducha.NoticeFilter, n *ducha.Notice) bool {
			q := strings.ToLower(strings.TrimSpace(fl.Q))
			simple := strings.ToLower(text.Clean(q))
			return (fl.Status == "" || n.Status == fl.Status) && (fl.Kind == "" || n.Kind == fl.Kind) &&
				(fl.UnitID == 0 || n.UnitID == fl.UnitID) && (fl.Overdue == nil || n.Overdue(today) == *fl.Overdue) &&
				(q == "" || strings.Contains(strings.ToLower(n.No), q) || strings.Contains(strings.ToLower(n.Text), q) ||
					strings.Contains(strings.ToLower(n.Text), simple))
		}
		rows := map[string][]string{}
		got[t.Name()] = rows
		for name, fl := range filters {
			var want []*ducha.Notice
			for _, n := range all {
				if match(fl, n) {
					want = append(want, n)
				}
			}
			if name == "vocs" && len(want) == 0 || name == "number" && len(want) != 1 || name == "红堡镇 overdue reminders" && len(want) == 0 ||
				name == "揚塵 (traditional)" && len(want) == 0 {
				t.Fatalf("%s selects %d: the case tests nothing", name, len(want))
			}
			for _, sort := range append([]string{""}, ducha.NoticeSorts...) {
				for _, desc := range []bool{false, true} {
					exp := slices.Clone(want) // newest first without a sort
					if sort != "" {
						slices.SortFunc(exp, func(a, b *ducha.Notice) int { return compareNotices(t, sort, a, b) })
						if desc {
							slices.Reverse(exp)
						}
					} else if desc {
						continue
					}
					fl := fl
					fl.Sort, fl.Desc, fl.Limit = sort, desc, 7
					var page []*ducha.Notice
					for {
						ns, total, err := db.FindNotices(coord, fl)
						if err != nil || total != len(want) {
							t.Fatalf("%s by %s desc=%v: %d, want %d: %v", name, sort, desc, total, len(want), err)
						}
						page = append(page, ns...)
						if fl.Offset += fl.Limit; len(ns) < fl.Limit {
							break
						}
					}
					key := fmt.Sprintf("%s by %s desc=%v", name, sort, desc)
					rows[key] = numbers(page)
					if !slices.Equal(rows[key], numbers(exp)) {
						t.Errorf("%s:\n got %v\nwant %v", key, rows[key], numbers(exp))
					}
				}
			}
		}

		// A liaison's list is its own unit's, whatever the filter says.
		for name, fl := range map[string]ducha.NoticeFilter{"all": {}, "overdue": {Overdue: &yes}, "by unit": {Sort: "unit"}} {
			ns, total, err := db.FindNotices(yq, fl)
			if err != nil || total == 0 {
				t.Fatalf("liaison %s: %d %v", name, total, err)
			}
			for _, n := range ns {
				if n.Unit != "永清镇" {
					t.Errorf("the liaison lists %s of %s", n.No, n.Unit)
				}
			}
			rows["liaison "+name] = numbers(ns)
		}
		if _, total, _ := db.FindNotices(yq, ducha.NoticeFilter{UnitID: red}); total != 0 {
			t.Errorf("the liaison filtered to another unit: %d", total)
		}
		if _, _, err := db.FindNotices(coord, ducha.NoticeFilter{Sort: "n.id; DROP TABLE notices"}); !hasField(err, "sort") {
			t.Errorf("a sort off the list: %v", err)
		}
		if _, _, err := db.FindNotices(coord, ducha.NoticeFilter{Status: "overdue"}); !hasField(err, "status") {
			t.Errorf("a bad status: %v", err)
		}
	})
	// Both engines answered every query with the same rows.
	sqlite, pg := got[t.Name()+"/sqlite"], got[t.Name()+"/postgres"]
	if sqlite == nil || pg == nil {
		return // one engine failed or did not run, and says so itself
	}
	for key, rows := range sqlite {
		if !slices.Equal(rows, pg[key]) {
			t.Errorf("%s: SQLite %v, PostgreSQL %v", key, rows, pg[key])
		}
	}
	if len(sqlite) != len(pg) {
		t.Errorf("SQLite answered %d queries, PostgreSQL %d", len(sqlite), len(pg))
	}
}
