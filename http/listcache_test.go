package http_test

import (
	"encoding/json"
	"testing"
	"time"
)

func listTotal(t *testing.T, e *env, role, query string) int {
	t.Helper()
	resp, body := e.api("GET", "/api/v1/problems"+query, role, "")
	if resp.StatusCode != 200 {
		t.Fatalf("list as %s: %d %s", role, resp.StatusCode, body)
	}
	var l struct{ Total int }
	if err := json.Unmarshal([]byte(body), &l); err != nil {
		t.Fatal(err)
	}
	return l.Total
}

// The list cache never serves a stale or another scope's answer: a write
// anywhere moves the data version, and the unit scope is part of the key.
func TestListCacheFollowsWritesAndScope(t *testing.T) {
	e := newEnv(t)
	all := listTotal(t, e, "coordinator", "")
	own := listTotal(t, e, "liaison", "")
	other := listTotal(t, e, "liaison_b", "")
	if own == all || other == all || own == other {
		t.Fatalf("totals all %d, unit A %d, unit B %d: scopes should differ", all, own, other)
	}
	// The same query again, from another user of the same scope.
	if n := listTotal(t, e, "head", ""); n != own {
		t.Fatalf("head of unit A sees %d, liaison %d", n, own)
	}
	e.problem("新登记的永清镇问题", "永清镇", nil, "plan")
	if n := listTotal(t, e, "coordinator", ""); n != all+1 {
		t.Fatalf("after a write the coordinator sees %d, want %d", n, all+1)
	}
	if n := listTotal(t, e, "liaison", ""); n != own+1 {
		t.Fatalf("after a write the liaison sees %d, want %d", n, own+1)
	}
	if n := listTotal(t, e, "liaison_b", ""); n != other {
		t.Fatalf("unit B sees %d, want %d", n, other)
	}
	// Overdue is judged on the day: tomorrow's answer is not today's.
	before := listTotal(t, e, "coordinator", "?overdue=true")
	e.clock.Add(30 * 24 * time.Hour)
	if after := listTotal(t, e, "coordinator", "?overdue=true"); after <= before {
		t.Fatalf("overdue today %d, a month later %d", before, after)
	}
}
