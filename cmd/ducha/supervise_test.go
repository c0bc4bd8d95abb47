package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"ducha"
	"ducha/store"
)

// overdueStore makes a store with the sample units and two problems of
// 永清镇 planned with deadlines a month and a day before today.
func overdueStore(t *testing.T) string {
	t.Helper()
	dsn := filepath.Join(t.TempDir(), "ducha.db")
	mustRun(t, dsn, "", "unit", "import", filepath.Join(samples, "units.csv"))
	db, err := store.Open(context.Background(), dsn, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := system(context.Background())
	today := ducha.Today(time.Now())
	for _, d := range []ducha.Date{today.AddDays(-31), today.AddDays(-1)} {
		p := &ducha.Problem{Source: "自查发现", Description: "砖厂扬尘 " + string(d), Area: "永清镇", Types: []string{"大气"}}
		if err := db.CreateProblem(ctx, p); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ActOnProblem(ctx, p.ID, ducha.ProblemAction{Action: ducha.ActPlan, Version: p.Version,
			LeadUnit: "永清镇", Person: "张三", Measures: "围挡喷淋", Deadline: d, ConfirmPastDeadline: true}); err != nil {
			t.Fatal(err)
		}
	}
	return dsn
}

// TestSuperviseCommand: `ducha supervise` issues what the rules call for
// as of today and prints the numbers; a second pass issues nothing; a day
// to come or a bad date is a usage error.
func TestSuperviseCommand(t *testing.T) {
	db := overdueStore(t)
	year := ducha.Today(time.Now())[:4]
	out := mustRun(t, db, "", "supervise")
	if !strings.Contains(out, "下发督办单2份") || !strings.Contains(out, "清挂牌督办〔"+string(year)+"〕1号") ||
		!strings.Contains(out, "清催办〔"+string(year)+"〕1号") || !strings.Contains(out, "永清镇") {
		t.Fatalf("first pass: a month late gets a 挂牌督办, a day late a 催办:\n%s", out)
	}
	if again := mustRun(t, db, "", "supervise"); !strings.Contains(again, "下发督办单0份") {
		t.Fatalf("second pass for the same day:\n%s", again)
	}
	var res struct {
		AsOf   string          `json:"as_of"`
		Issued []*ducha.Notice `json:"issued"`
		Closed int             `json:"closed"`
	}
	yesterday := ducha.Today(time.Now()).AddDays(-1)
	if err := json.Unmarshal([]byte(mustRun(t, db, "", "supervise", "--date", string(yesterday), "--format", "json")), &res); err != nil {
		t.Fatal(err)
	}
	if res.AsOf != string(yesterday) || len(res.Issued) != 0 {
		t.Fatalf("as of yesterday, nothing new: %+v", res)
	}
	for _, bad := range []string{"10/01/2030", string(ducha.Today(time.Now()).AddDays(1))} {
		if code, _, errOut := runCLI(t, db, "", "supervise", "--date", bad); code != 1 || !strings.Contains(errOut, "--date") {
			t.Fatalf("--date %s: exit %d, %s", bad, code, errOut)
		}
	}
}

// TestServeSupervisesByItself: the server runs the pass at start (and then
// every --supervise-every), as of its clock's day.
func TestServeSupervisesByItself(t *testing.T) {
	dsn := overdueStore(t)
	m := &Main{SuperviseEvery: time.Hour}
	if err := m.Open(context.Background(), dsn, "127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	ctx := ducha.NewContextWithUser(context.Background(), ducha.SystemUser)
	deadline := time.Now().Add(20 * time.Second)
	for {
		ns, total, err := m.DB.FindNotices(ctx, ducha.NoticeFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if total > 0 {
			if ns[0].IssuedBy != ducha.NoticeByRules {
				t.Fatalf("issued by %q", ns[0].IssuedBy)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the server issued no notice by itself")
		}
		time.Sleep(50 * time.Millisecond)
	}
}
