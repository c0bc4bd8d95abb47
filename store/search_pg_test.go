package store_test

import (
	"context"
	"database/sql"
	"os"
	"slices"
	"strings"
	"testing"

	"ducha"
	"ducha/demo"
	"ducha/internal/pgtest"
	"ducha/internal/storetest"
	"ducha/store"
	"ducha/text"
)

// PostgreSQL searches through a table of (token, item) rows: these tests
// check what it finds, and that the rows follow every write.

// allProblems returns every problem of the store, newest first.
func allProblems(t *testing.T, db *store.DB) []*ducha.Problem {
	t.Helper()
	var all []*ducha.Problem
	for {
		ps, _, err := db.FindProblems(storetest.System(), ducha.ProblemFilter{Limit: ducha.MaxPerPage, Offset: len(all), SkipCount: true})
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, ps...)
		if len(ps) < ducha.MaxPerPage {
			return all
		}
	}
}

// matching returns the ids of ps (newest first) whose text holds every
// token of q: what a search must find, worked out without the store.
func matching(ps []*ducha.Problem, q string) []int64 {
	ids := []int64{}
	for _, p := range ps {
		have := text.Tokens(p.Code, p.Description, p.Address, p.Subject, p.Area)
		all := true
		for _, tok := range text.QueryTokens(q) {
			all = all && slices.Contains(have, tok)
		}
		if all {
			ids = append(ids, p.ID)
		}
	}
	return ids
}

func problemIDs(ps []*ducha.Problem) []int64 {
	ids := make([]int64, len(ps))
	for i, p := range ps {
		ids[i] = p.ID
	}
	return ids
}

// checkTokenRows fails unless the token table holds exactly the distinct
// tokens of each item's list: none left over from an edit, none missing.
func checkTokenRows(t *testing.T, db *store.DB) {
	t.Helper()
	raw := rawDB(t, "postgres", db.DSN())
	for _, q := range []string{
		`SELECT count(*) FROM ((SELECT token, problem_id FROM problem_tokens
			EXCEPT ALL SELECT DISTINCT unnest(tokens), problem_id FROM problem_search)
			UNION ALL (SELECT DISTINCT unnest(tokens), problem_id FROM problem_search
			EXCEPT ALL SELECT token, problem_id FROM problem_tokens)) d`,
		`SELECT count(*) FROM ((SELECT token, case_id FROM case_tokens
			EXCEPT ALL SELECT DISTINCT unnest(tokens), case_id FROM case_search)
			UNION ALL (SELECT DISTINCT unnest(tokens), case_id FROM case_search
			EXCEPT ALL SELECT token, case_id FROM case_tokens)) d`,
	} {
		var n int
		if err := raw.QueryRow(q).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Fatalf("%d token rows differ from the items' lists:\n%s", n, q)
		}
	}
}

func TestPostgresSearchProblems(t *testing.T) {
	db := storetest.Open(t, "postgres", store.Options{})
	f := storetest.Seed(t, db)
	coord := storetest.As(f.Users["coord"])
	a := &ducha.Problem{Source: "信访交办", Description: "建筑工地扬尘管控不到位", Area: "永清镇"}
	b := &ducha.Problem{Source: "自查发现", Description: "垃圾填埋场渗滤液外溢，周边扬尘", Area: "红堡镇"}
	c := &ducha.Problem{Source: "自查发现", Description: "餐饮店油烟直排", Area: "永清镇", Address: "永清镇东街"}
	for _, p := range []*ducha.Problem{a, b, c} {
		if err := db.CreateProblem(coord, p); err != nil {
			t.Fatal(err)
		}
	}
	find := func(f ducha.ProblemFilter, want ...int64) {
		t.Helper()
		ps, total, err := db.FindProblems(coord, f)
		if err != nil {
			t.Fatalf("%+v: %v", f, err)
		}
		if got := problemIDs(ps); !slices.Equal(got, append([]int64{}, want...)) || total != len(want) {
			t.Fatalf("q=%q area=%q: %v (total %d), want %v", f.Q, f.Area, got, total, want)
		}
	}
	find(ducha.ProblemFilter{Q: "扬尘"}, b.ID, a.ID)        // one token, newest first
	find(ducha.ProblemFilter{Q: "渗滤液"}, b.ID)             // two tokens, side by side
	find(ducha.ProblemFilter{Q: "扬尘 渗滤"}, b.ID)           // two tokens apart: both needed
	find(ducha.ProblemFilter{Q: "渗滤 油烟"})                 // each token is somewhere, never both
	find(ducha.ProblemFilter{Q: "扬尘，扬尘"}, b.ID, a.ID)     // a token twice
	find(ducha.ProblemFilter{Q: "秸秆"})                    // a token of nothing
	find(ducha.ProblemFilter{Q: "扬尘", Area: "永清镇"}, a.ID) // with a filter: the count's condition
	find(ducha.ProblemFilter{Q: "东街", Area: "永清镇"}, c.ID)
	find(ducha.ProblemFilter{Q: "油烟", Area: "红堡镇"})
	find(ducha.ProblemFilter{Q: c.Code}, c.ID)
	if st, err := db.CountProblems(coord, ducha.ProblemFilter{Q: "扬尘"}); err != nil || st.Total != 2 {
		t.Fatalf("count 扬尘: %+v %v", st, err)
	}

	// An edit changes what the problem is found by, and only that.
	desc := "秸秆焚烧，周边扬尘"
	b, err := db.UpdateProblem(coord, b.ID, ducha.ProblemUpdate{Version: b.Version, Description: &desc})
	if err != nil {
		t.Fatal(err)
	}
	find(ducha.ProblemFilter{Q: "渗滤液"})
	find(ducha.ProblemFilter{Q: "填埋"})
	find(ducha.ProblemFilter{Q: "秸秆"}, b.ID)
	find(ducha.ProblemFilter{Q: "扬尘"}, b.ID, a.ID)
	// An edit that adds words keeps the others.
	addr := "红堡镇西街"
	if _, err := db.UpdateProblem(coord, b.ID, ducha.ProblemUpdate{Version: b.Version, Address: &addr}); err != nil {
		t.Fatal(err)
	}
	find(ducha.ProblemFilter{Q: "西街"}, b.ID)
	find(ducha.ProblemFilter{Q: "秸秆焚烧"}, b.ID)
	checkTokenRows(t, db)
}

// A ledger import writes its new problems' tokens in batches and replaces
// those of the problems it changes, some of them changed twice.
func TestPostgresSearchLedgerImport(t *testing.T) {
	db := openLedgerStore(t, "postgres")
	ctx := storetest.System()
	if _, err := db.ImportLedger(ctx, ledgerRows(1300)); err != nil {
		t.Fatal(err)
	}
	checkTokenRows(t, db)
	all := allProblems(t, db)
	for _, q := range []string{"扬尘", "渗滤液", "油烟直排", "旧厂甲号", "旧厂庚号", "红堡 噪声", "强烈 外溢", "HX-2026-00011", "没有的词"} {
		want := matching(all, q)
		if len(want) > ducha.SearchCountCap {
			t.Fatalf("q=%q: %d matches, more than a search counts", q, len(want))
		}
		ps, total, err := db.FindProblems(ctx, ducha.ProblemFilter{Q: q, Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		if total != len(want) || !slices.Equal(problemIDs(ps), want[:min(50, len(want))]) {
			t.Fatalf("q=%q: %d found (%v…), want %d (%v…)", q, total, problemIDs(ps)[:min(5, len(ps))], len(want), want[:min(5, len(want))])
		}
	}
	// Every fourth row says 扬尘, and the import changed the old problems
	// that did.
	if n := len(matching(all, "扬尘")); n != 325 {
		t.Fatalf("扬尘 in %d problems, want 325", n)
	}
}

// Pages of a search come newest first, as many as asked, the next page
// where the last one stopped; with a filter too.
func TestPostgresSearchPages(t *testing.T) {
	db := openLedgerStore(t, "postgres")
	ctx := storetest.System()
	if _, err := db.ImportLedger(ctx, ledgerRows(800)); err != nil {
		t.Fatal(err)
	}
	all := allProblems(t, db)
	for _, f := range []ducha.ProblemFilter{{Q: "群众"}, {Q: "扬尘"}, {Q: "群众", Area: "红堡镇"}, {Q: "反映 外溢"}} {
		var want []int64
		for _, id := range matching(all, f.Q) {
			if f.Area == "" || slices.ContainsFunc(all, func(p *ducha.Problem) bool { return p.ID == id && p.Area == f.Area }) {
				want = append(want, id)
			}
		}
		if len(want) < 120 {
			t.Fatalf("q=%q area=%q: only %d matches to page through", f.Q, f.Area, len(want))
		}
		var got []int64
		for page := 0; len(got) < len(want); page++ {
			f.Limit, f.Offset = 50, len(got)
			ps, total, err := db.FindProblems(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			if total != len(want) || len(ps) != min(50, len(want)-len(got)) {
				t.Fatalf("q=%q area=%q page %d: %d problems of %d, want %d of %d", f.Q, f.Area, page, len(ps), total, min(50, len(want)-len(got)), len(want))
			}
			got = append(got, problemIDs(ps)...)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("q=%q area=%q: pages give %v…, want %v…", f.Q, f.Area, got[:5], want[:5])
		}
		if !slices.IsSortedFunc(got, func(a, b int64) int { return int(b - a) }) {
			t.Fatalf("q=%q: not newest first", f.Q)
		}
		// By key: each page starts below the last one's last id.
		got = got[:0]
		for f.Offset, f.BeforeID = 0, 0; len(got) < len(want); {
			ps, _, err := db.FindProblems(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			if len(ps) != min(50, len(want)-len(got)) {
				t.Fatalf("q=%q area=%q before %d: %d problems, want %d", f.Q, f.Area, f.BeforeID, len(ps), min(50, len(want)-len(got)))
			}
			got = append(got, problemIDs(ps)...)
			f.BeforeID = got[len(got)-1]
		}
		if !slices.Equal(got, want) {
			t.Fatalf("q=%q area=%q: pages by key give %v…, want %v…", f.Q, f.Area, got[:5], want[:5])
		}
		if ps, _, _ := db.FindProblems(ctx, f); len(ps) != 0 {
			t.Fatalf("q=%q area=%q: %d problems before the last", f.Q, f.Area, len(ps))
		}
	}
}

func TestPostgresSearchCases(t *testing.T) {
	db := storetest.Open(t, "postgres", store.Options{Now: clockAt("2026-12-09").Now})
	f := storetest.Seed(t, db)
	coord := storetest.As(f.Users["coord"])
	rows := []ducha.BatchRow{
		row(1, "D3SX202612090001", "永清镇", "大气", false),
		row(2, "X3SX202612090002", "红堡镇", "水", false),
		row(3, "D3SX202612090003", "永清镇", "噪声", false),
	}
	rows[0].Case.Text = "某砖厂扬尘污染严重"
	rows[1].Case.Text = "养殖场粪污直排河道，周边扬尘"
	rows[2].Case.Text = "夜间施工噪声扰民"
	if _, err := db.ImportBatch(coord, 1, "2026-12-09", "batch1.xlsx", rows); err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, r := range rows {
		c, err := db.FindCaseByAcceptanceNo(coord, r.Case.AcceptanceNo)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID)
	}
	find := func(f ducha.CaseFilter, want ...int64) {
		t.Helper()
		cs, total, err := db.FindCases(coord, f)
		if err != nil {
			t.Fatalf("%+v: %v", f, err)
		}
		got := make([]int64, len(cs))
		for i, c := range cs {
			got[i] = c.ID
		}
		if !slices.Equal(got, append([]int64{}, want...)) || total != len(want) {
			t.Fatalf("q=%q: %v (total %d), want %v", f.Q, got, total, want)
		}
	}
	find(ducha.CaseFilter{Q: "扬尘"}, ids[1], ids[0])
	if cs, total, err := db.FindCases(coord, ducha.CaseFilter{Q: "扬尘", Limit: 1}); err != nil || total != 2 || len(cs) != 1 || cs[0].ID != ids[1] {
		t.Fatalf("q=扬尘, one a page: %d of %d %v", len(cs), total, err)
	}
	find(ducha.CaseFilter{Q: "粪污直排"}, ids[1])
	find(ducha.CaseFilter{Q: "扬尘 永清"}, ids[0])
	find(ducha.CaseFilter{Q: "噪声 扬尘"})
	find(ducha.CaseFilter{Q: "秸秆"})
	find(ducha.CaseFilter{Q: "扬尘", Area: "红堡镇"}, ids[1])
	find(ducha.CaseFilter{Q: "d3sx202612090003"}, ids[2])
	checkTokenRows(t, db)
}

// BenchmarkPostgresSearch pages searches of the PostgreSQL store named by
// DUCHA_BENCH_DB when it is a postgres:// URL (filled beforehand with
// `ducha demo --problems 1000000`; opening it migrates it), or of 20,000
// demo problems in a throwaway cluster.
func BenchmarkPostgresSearch(b *testing.B) {
	ctx := storetest.System()
	dsn := os.Getenv("DUCHA_BENCH_DB")
	fill := !strings.HasPrefix(dsn, "postgres://") && !strings.HasPrefix(dsn, "postgresql://")
	if fill {
		url, err := pgtest.Shared(b).CreateDB(b.Name())
		if err != nil {
			b.Fatal(err)
		}
		dsn = url
	}
	db, err := store.Open(context.Background(), dsn, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if fill {
		if _, err := demo.Fill(ctx, db, demo.Options{Problems: 20000, Seed: 1, Workflow: -1}); err != nil {
			b.Fatal(err)
		}
		raw, err := sql.Open("pgx", dsn)
		if err != nil {
			b.Fatal(err)
		}
		defer raw.Close()
		if _, err := raw.Exec(`VACUUM ANALYZE`); err != nil {
			b.Fatal(err)
		}
	}
	for _, c := range []struct {
		name string
		f    ducha.ProblemFilter
	}{
		{"q=扬尘", ducha.ProblemFilter{Q: "扬尘", Limit: 50}},
		{"q=渗滤液", ducha.ProblemFilter{Q: "渗滤液", Limit: 50}},
		{"q=油烟+area", ducha.ProblemFilter{Q: "油烟", Area: "永清镇", Limit: 50}},
		{"q=扬尘,page20", ducha.ProblemFilter{Q: "扬尘", Limit: 50, Offset: 950, SkipCount: true}},
		{"q=扬尘,before", ducha.ProblemFilter{Q: "扬尘", Limit: 50, BeforeID: 5000, SkipCount: true}},
		{"q=油烟+area,before", ducha.ProblemFilter{Q: "油烟", Area: "永清镇", Limit: 50, BeforeID: 5000, SkipCount: true}},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if _, _, err := db.FindProblems(ctx, c.f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
