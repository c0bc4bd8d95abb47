package ducha_test

import (
	"strings"
	"testing"
	"time"

	"ducha"
)

// Every action from every status, by every kind of user: what it allows,
// what it refuses, and with which code.
func TestApplyNoticeAction(t *testing.T) {
	now := time.Date(2026, 12, 10, 2, 0, 0, 0, time.UTC)
	users := map[string]*ducha.User{
		"liaison":     {ID: 5, Username: "liaison_yq", Role: ducha.RoleUnitLiaison, UnitID: 1},
		"head":        {ID: 6, Username: "head_yq", Role: ducha.RoleUnitHead, UnitID: 1},
		"other":       {ID: 7, Username: "liaison_hb", Role: ducha.RoleUnitLiaison, UnitID: 2},
		"coordinator": {ID: 2, Username: "coord", Role: ducha.RoleCoordinator},
		"admin":       {ID: 1, Username: "admin", Role: ducha.RoleAdmin},
		"leader":      {ID: 3, Username: "leader", Role: ducha.RoleLeader},
		"disabled":    {ID: 8, Username: "gone", Role: ducha.RoleUnitLiaison, UnitID: 1, Disabled: true},
	}
	// want is "" for allowed, else the error code.
	want := func(action, who string, st ducha.NoticeStatus) string {
		unit := who == "liaison" || who == "head"
		switch action {
		case ducha.NoticeActSign:
			if !unit {
				return ducha.EFORBIDDEN
			}
			if st != ducha.NoticeIssued {
				return ducha.ECONFLICT
			}
		case ducha.NoticeActAnswer:
			if !unit {
				return ducha.EFORBIDDEN
			}
			if st != ducha.NoticeIssued && st != ducha.NoticeSigned {
				return ducha.ECONFLICT
			}
		case ducha.NoticeActClose:
			if who != "coordinator" && who != "admin" {
				return ducha.EFORBIDDEN
			}
			if st == ducha.NoticeClosed {
				return ducha.ECONFLICT
			}
		}
		return ""
	}
	next := map[string]ducha.NoticeStatus{
		ducha.NoticeActSign: ducha.NoticeSigned, ducha.NoticeActAnswer: ducha.NoticeAnswered, ducha.NoticeActClose: ducha.NoticeClosed,
	}
	for _, st := range ducha.NoticeStatuses {
		for _, action := range ducha.NoticeActions {
			for who, u := range users {
				signed := now.Add(-time.Hour)
				n := ducha.Notice{ID: 1, UnitID: 1, Kind: ducha.NoticeReminder, Status: st, Version: 3}
				if st != ducha.NoticeIssued {
					n.SignedAt, n.SignedBy = &signed, "liaison_yq"
				}
				before := n
				err := ducha.ApplyNoticeAction(&n, action, " 已整改 ", u, now)
				w := want(action, who, st)
				if got := ducha.ErrorCode(err); got != w {
					t.Errorf("%s by %s on %s: %v, want %q", action, who, st, err, w)
					continue
				}
				if err != nil {
					if n != before {
						t.Errorf("%s by %s on %s: refused but changed %+v", action, who, st, n)
					}
					continue
				}
				if n.Status != next[action] || n.Version != 3 {
					t.Errorf("%s by %s on %s: %+v", action, who, st, n)
				}
				switch action {
				case ducha.NoticeActSign:
					if n.SignedAt == nil || !n.SignedAt.Equal(now) || n.SignedBy != u.Username {
						t.Errorf("sign by %s: %+v", who, n)
					}
				case ducha.NoticeActAnswer:
					if n.Answer != "已整改" || n.AnsweredBy != u.Username || n.AnsweredAt == nil || n.SignedAt == nil {
						t.Errorf("answer by %s on %s: %+v", who, st, n)
					}
					// An answer signs for a notice not yet signed; a signed
					// one keeps its signing.
					if st == ducha.NoticeSigned && (n.SignedBy != "liaison_yq" || !n.SignedAt.Equal(signed)) {
						t.Errorf("answer re-signed: %+v", n)
					}
				case ducha.NoticeActClose:
					if n.ClosedBy != u.Username || n.CloseNote != "已整改" || n.ClosedAt == nil {
						t.Errorf("close by %s: %+v", who, n)
					}
				}
			}
		}
	}
	n := ducha.Notice{UnitID: 1, Status: ducha.NoticeSigned}
	if err := ducha.ApplyNoticeAction(&n, ducha.NoticeActAnswer, "  ", users["liaison"], now); ducha.ErrorCode(err) != ducha.EINVALID || err.(*ducha.Error).Fields["text"] == "" {
		t.Errorf("an empty answer: %v", err)
	}
	if err := ducha.ApplyNoticeAction(&n, ducha.NoticeActAnswer, strings.Repeat("长", ducha.MaxTextLen+1), users["liaison"], now); ducha.ErrorCode(err) != ducha.EINVALID {
		t.Errorf("a long answer: %v", err)
	}
	if err := ducha.ApplyNoticeAction(&n, "publish", "", users["coordinator"], now); ducha.ErrorCode(err) != ducha.EINVALID {
		t.Errorf("an unknown action: %v", err)
	}
	if err := ducha.ApplyNoticeAction(&n, ducha.NoticeActSign, "", nil, now); ducha.ErrorCode(err) != ducha.EUNAUTHORIZED {
		t.Errorf("nobody: %v", err)
	}
}

func TestNoticeValidateNew(t *testing.T) {
	const today = ducha.Date("2026-12-10")
	ok := ducha.Notice{Kind: ducha.NoticeListed, ProblemID: 3, Text: " 请整改 ", Due: today}
	if err := ok.ValidateNew(today); err != nil || ok.Text != "请整改" {
		t.Fatalf("valid: %v %q", err, ok.Text)
	}
	if kind, id := ok.Item(); kind != ducha.ItemProblem || id != 3 {
		t.Errorf("item %s %d", kind, id)
	}
	if kind, id := (&ducha.Notice{CaseID: 4}).Item(); kind != ducha.ItemCase || id != 4 {
		t.Errorf("item %s %d", kind, id)
	}
	for field, n := range map[string]ducha.Notice{
		"kind":    {Kind: "", ProblemID: 3, Text: "x"},
		"problem": {Kind: ducha.NoticeReminder, Text: "x"},
		"case":    {Kind: ducha.NoticeReminder, ProblemID: 3, CaseID: 4, Text: "x"},
		"text":    {Kind: ducha.NoticeReminder, CaseID: 4, Text: "  "},
		"due":     {Kind: ducha.NoticeReminder, CaseID: 4, Text: "x", Due: "2026-12-09"},
	} {
		err := n.ValidateNew(today)
		if e, isErr := err.(*ducha.Error); !isErr || e.Fields[field] == "" {
			t.Errorf("%s: %v", field, err)
		}
	}
}

// A campaign made without rules gets the defaults; rules set wrong are
// refused naming the field; an update replaces them.
func TestCampaignRules(t *testing.T) {
	c := ducha.Campaign{Name: "第三轮"}
	if err := c.Validate(); err != nil || c.Rules.SupervisionAfterDays != 3 || len(c.Rules.ClosureLevels) != 1 {
		t.Fatalf("defaults: %v %+v", err, c.Rules)
	}
	r := ducha.DefaultRules()
	r.AnswerDays = 0
	upd := ducha.CampaignUpdate{Rules: &r}
	after := c
	upd.Apply(&after)
	if err := after.Validate(); err == nil || err.(*ducha.Error).Fields["answer_days"] == "" {
		t.Errorf("answer_days 0: %v", err)
	}
	empty := ducha.Rules{}
	upd = ducha.CampaignUpdate{Rules: &empty}
	if err := upd.Validate(); err == nil || err.(*ducha.Error).Fields["rules"] == "" {
		t.Errorf("empty rules in an update: %v", err)
	}
	after = c
	upd.Apply(&after)
	if err := after.Validate(); err == nil {
		t.Errorf("empty rules in an update were taken as the defaults: %+v", after.Rules)
	}
	r = ducha.DefaultRules()
	r.ClosureLevels = []string{" 县级 ", "市级"}
	upd = ducha.CampaignUpdate{Rules: &r}
	after = c
	upd.Apply(&after)
	if err := after.Validate(); err != nil || after.Rules.ClosureLevels[0] != "县级" || r.ClosureLevels[0] != " 县级 " {
		t.Errorf("levels: %v %q, the update's %q", err, after.Rules.ClosureLevels, r.ClosureLevels)
	}
}
