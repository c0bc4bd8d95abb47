package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"ducha"
)

// TestSuperviseCommand: `ducha supervise --date D` issues what the rules
// call for as of D and prints the numbers; a second pass for the same day
// issues nothing; a later day escalates; a bad date is a usage error.
func TestSuperviseCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "ducha.db")
	mustRun(t, db, "", "unit", "import", filepath.Join(samples, "units.csv"))
	mustRun(t, db, "", "import", "ledger", filepath.Join(samples, "ledger.xlsx"))

	out := mustRun(t, db, "", "supervise", "--date", "2030-01-10")
	m := regexp.MustCompile(`下发督办单(\d+)份`).FindStringSubmatch(out)
	if m == nil || m[1] == "0" {
		t.Fatalf("first pass issued nothing:\n%s", out)
	}
	if !strings.Contains(out, "清挂牌督办〔2030〕1号") {
		t.Fatalf("years past their deadlines, the problems get a 挂牌督办 numbered in 2030:\n%s", out)
	}
	if again := mustRun(t, db, "", "supervise", "--date", "2030-01-10"); !strings.Contains(again, "下发督办单0份") {
		t.Fatalf("second pass for the same day:\n%s", again)
	}
	var res struct {
		AsOf   string          `json:"as_of"`
		Issued []*ducha.Notice `json:"issued"`
		Closed int             `json:"closed"`
	}
	if err := json.Unmarshal([]byte(mustRun(t, db, "", "supervise", "--date", "2030-01-11", "--format", "json")), &res); err != nil {
		t.Fatal(err)
	}
	if res.AsOf != "2030-01-11" || len(res.Issued) != 0 {
		t.Fatalf("a day later, nothing above 挂牌督办 to issue: %+v", res)
	}
	if code, _, errOut := runCLI(t, db, "", "supervise", "--date", "10/01/2030"); code != 1 || !strings.Contains(errOut, "--date") {
		t.Fatalf("bad date: exit %d, %s", code, errOut)
	}
}

// TestServeSupervisesByItself: the server runs the pass at start (and then
// every --supervise-every), as of its clock's day.
func TestServeSupervisesByItself(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "ducha.db")
	mustRun(t, dsn, "", "unit", "import", filepath.Join(samples, "units.csv"))
	mustRun(t, dsn, "", "import", "ledger", filepath.Join(samples, "ledger.xlsx"))
	day, _ := time.ParseInLocation("2006-01-02 15:04", "2030-01-10 09:00", ducha.Location)
	m := &Main{SuperviseEvery: time.Hour, Now: func() time.Time { return day }}
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
