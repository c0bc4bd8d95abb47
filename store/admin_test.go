package store_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"ducha"
	"ducha/internal/storetest"
	"ducha/store"
)

func usernames(users []*ducha.User) string {
	names := make([]string, len(users))
	for i, u := range users {
		names[i] = u.Username
	}
	return strings.Join(names, ",")
}

func ptr[T any](v T) *T { return &v }

// userEvents lists the actions (and notes) of a user's events, read from
// the events table itself.
func userEvents(t *testing.T, db *store.DB, id int64) []string {
	t.Helper()
	raw := rawDB(t, db.Engine(), db.DSN())
	rows, err := raw.Query(rebind(db.Engine(), `SELECT action, note, COALESCE(before, ''), COALESCE(after, '') FROM events
		WHERE entity = 'user' AND entity_id = ? ORDER BY id`), id)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var action, note, before, after string
		if err := rows.Scan(&action, &note, &before, &after); err != nil {
			t.Fatal(err)
		}
		out = append(out, strings.TrimSpace(action+" "+note+" "+before+" "+after))
	}
	return out
}

func TestFindUsersScoping(t *testing.T) {
	storetest.Each(t, store.Options{}, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		all := "admin,coord,leader,discipline,liaison_yq,head_yq,liaison_hb,head_hb,liaison_sthj"
		for _, name := range []string{"admin", "coord", "leader", "discipline"} {
			users, total, err := db.FindUsers(storetest.As(f.Users[name]), ducha.UserFilter{})
			if err != nil || usernames(users) != all || total != 9 {
				t.Errorf("%s sees %q (%d): %v", name, usernames(users), total, err)
			}
		}
		// A unit role sees its own unit's users, whatever it asks for.
		for _, name := range []string{"liaison_yq", "head_yq"} {
			ctx := storetest.As(f.Users[name])
			users, total, err := db.FindUsers(ctx, ducha.UserFilter{})
			if err != nil || usernames(users) != "liaison_yq,head_yq" || total != 2 {
				t.Errorf("%s sees %q (%d): %v", name, usernames(users), total, err)
			}
			users, total, _ = db.FindUsers(ctx, ducha.UserFilter{UnitID: f.Units["红堡镇"].ID})
			if len(users) != 0 || total != 0 {
				t.Errorf("%s asking for 红堡镇 sees %q", name, usernames(users))
			}
			users, _, _ = db.FindUsers(ctx, ducha.UserFilter{Role: ducha.RoleAdmin})
			if len(users) != 0 {
				t.Errorf("%s asking for admins sees %q", name, usernames(users))
			}
		}
		if _, _, err := db.FindUsers(context.Background(), ducha.UserFilter{}); ducha.ErrorCode(err) != ducha.EUNAUTHORIZED {
			t.Errorf("nobody: %v", err)
		}

		coord := storetest.As(f.Users["coord"])
		// A full-width letter, as a Chinese input method types it, finds
		// the name that has it: the engine lowers both sides (SQLite's
		// lower() changes ASCII only).
		d := f.Users["discipline"]
		if _, err := db.UpdateUser(storetest.As(f.Users["admin"]), d.ID, ducha.UserUpdate{Version: d.Version, DisplayName: ptr("纪委Ｗ组")}); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			f     ducha.UserFilter
			want  string
			total int
		}{
			{ducha.UserFilter{UnitID: f.Units["红堡镇"].ID}, "liaison_hb,head_hb", 2},
			{ducha.UserFilter{Role: ducha.RoleUnitHead}, "head_yq,head_hb", 2},
			{ducha.UserFilter{Q: "LIAISON"}, "liaison_yq,liaison_hb,liaison_sthj", 3},
			{ducha.UserFilter{Q: "_"}, "liaison_yq,head_yq,liaison_hb,head_hb,liaison_sthj", 5},
			{ducha.UserFilter{Q: "%"}, "", 0},
			{ducha.UserFilter{Q: "Ｗ组"}, "discipline", 1},
			{ducha.UserFilter{Disabled: ptr(true)}, "", 0},
			{ducha.UserFilter{Limit: 2, Offset: 3}, "discipline,liaison_yq", 9},
		} {
			users, total, err := db.FindUsers(coord, c.f)
			if err != nil || usernames(users) != c.want || total != c.total {
				t.Errorf("%+v: %q (%d), want %q (%d): %v", c.f, usernames(users), total, c.want, c.total, err)
			}
		}
	})
}

func TestUpdateUser(t *testing.T) {
	storetest.Each(t, store.Options{}, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		admin := storetest.As(f.Users["admin"])
		target := f.Users["liaison_yq"]

		for _, name := range []string{"coord", "leader", "discipline", "liaison_yq", "head_yq"} {
			_, err := db.UpdateUser(storetest.As(f.Users[name]), target.ID, ducha.UserUpdate{Version: 1, DisplayName: ptr("越权")})
			if ducha.ErrorCode(err) != ducha.EFORBIDDEN {
				t.Errorf("%s may update a user: %v", name, err)
			}
		}
		if _, err := db.UpdateUser(admin, 999999, ducha.UserUpdate{Version: 1, DisplayName: ptr("x")}); ducha.ErrorCode(err) != ducha.ENOTFOUND {
			t.Errorf("missing user: %v", err)
		}
		if _, err := db.UpdateUser(admin, target.ID, ducha.UserUpdate{DisplayName: ptr("x")}); ducha.ErrorCode(err) != ducha.EINVALID {
			t.Errorf("without a version: %v", err)
		}

		// A liaison moves to 红堡镇 and gets a name.
		got, err := db.UpdateUser(admin, target.ID, ducha.UserUpdate{Version: 1, Unit: ptr(ducha.UnitRef("红堡镇")), DisplayName: ptr(" 刘立军 ")})
		if err != nil || got.UnitID != f.Units["红堡镇"].ID || got.UnitName != "红堡镇" || got.DisplayName != "刘立军" || got.Version != 2 {
			t.Fatalf("move: %v %+v", err, got)
		}
		if back, _ := db.FindUserByID(admin, target.ID); back.UnitName != "红堡镇" || back.Version != 2 || back.DisplayName != "刘立军" {
			t.Errorf("stored: %+v", back)
		}
		// The unit may be named by id too.
		if got, err = db.UpdateUser(admin, target.ID, ducha.UserUpdate{Version: 2, Unit: ptr(ducha.UnitRef(strconv.FormatInt(f.Units["永清镇"].ID, 10)))}); err != nil || got.UnitName != "永清镇" {
			t.Fatalf("unit by id: %v %+v", err, got)
		}

		// A stale version changes nothing.
		if _, err := db.UpdateUser(admin, target.ID, ducha.UserUpdate{Version: 2, DisplayName: ptr("过期")}); ducha.ErrorCode(err) != ducha.ECONFLICT {
			t.Errorf("stale version: %v", err)
		}
		if back, _ := db.FindUserByID(admin, target.ID); back.DisplayName != "刘立军" || back.Version != 3 {
			t.Errorf("after a stale update: %+v", back)
		}

		// Validation: a wrong role lists the roles; a unit role needs a unit;
		// a unit must exist.
		_, err = db.UpdateUser(admin, target.ID, ducha.UserUpdate{Version: 3, Role: ptr(ducha.Role("boss"))})
		if msg := ducha.ErrorMessage(err); ducha.ErrorCode(err) != ducha.EINVALID ||
			!strings.Contains(msg, "角色“boss”无效，应为 admin（系统管理员）、coordinator（协调联络组办公室）、unit_liaison（单位联络员）") ||
			!strings.Contains(msg, "leader（县领导）") {
			t.Errorf("wrong role: %v", err)
		}
		if _, err = db.UpdateUser(admin, target.ID, ducha.UserUpdate{Version: 3, Unit: ptr(ducha.UnitRef(""))}); !hasField(err, "unit") {
			t.Errorf("liaison without a unit: %v", err)
		}
		if _, err = db.UpdateUser(admin, target.ID, ducha.UserUpdate{Version: 3, Unit: ptr(ducha.UnitRef("不存在镇"))}); !hasField(err, "unit") {
			t.Errorf("missing unit: %v", err)
		}
		// A coordinator need not belong to a unit.
		if got, err = db.UpdateUser(admin, target.ID, ducha.UserUpdate{Version: 3, Role: ptr(ducha.RoleCoordinator), Unit: ptr(ducha.UnitRef(""))}); err != nil ||
			got.Role != ducha.RoleCoordinator || got.UnitID != 0 || got.UnitName != "" {
			t.Fatalf("to coordinator: %v %+v", err, got)
		}
		// Nothing to change: no new version, no event.
		n := len(userEvents(t, db, target.ID))
		if got, err = db.UpdateUser(admin, target.ID, ducha.UserUpdate{Version: 4, Role: ptr(ducha.RoleCoordinator)}); err != nil || got.Version != 4 {
			t.Errorf("no change: %v %+v", err, got)
		}
		events := userEvents(t, db, target.ID)
		if len(events) != n || n != 4 || !strings.HasPrefix(events[1], "update") || !strings.Contains(events[1], "红堡镇") {
			t.Errorf("events: %q", events)
		}
	})
}

func hasField(err error, field string) bool {
	e, ok := err.(*ducha.Error)
	if !ok || e.Code != ducha.EINVALID {
		return false
	}
	_, ok = e.Fields[field]
	return ok
}

// Disabling a user ends their sessions and revokes their tokens in the
// same write; enabling them again brings neither back.
func TestDisableEndsLogins(t *testing.T) {
	storetest.Each(t, store.Options{}, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		admin := storetest.As(f.Users["admin"])
		u := f.Users["liaison_hb"]
		ctx := context.Background()
		session, _, err := db.CreateSession(ctx, u.ID, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		tok, err := db.CreateToken(storetest.As(u), u.ID, "脚本")
		if err != nil {
			t.Fatal(err)
		}
		other, _, _ := db.CreateSession(ctx, f.Users["head_hb"].ID, time.Hour)
		if _, _, err := db.FindSession(ctx, session); err != nil {
			t.Fatalf("session before: %v", err)
		}
		if _, _, err := db.FindToken(ctx, tok.Secret); err != nil {
			t.Fatalf("token before: %v", err)
		}

		got, err := db.UpdateUser(admin, u.ID, ducha.UserUpdate{Version: u.Version, Disabled: ptr(true)})
		if err != nil || !got.Disabled {
			t.Fatalf("disable: %v %+v", err, got)
		}
		if _, _, err := db.FindSession(ctx, session); ducha.ErrorCode(err) != ducha.EUNAUTHORIZED {
			t.Errorf("session after disabling: %v", err)
		}
		if _, _, err := db.FindToken(ctx, tok.Secret); ducha.ErrorCode(err) != ducha.EUNAUTHORIZED {
			t.Errorf("token after disabling: %v", err)
		}
		if _, err := db.Authenticate(ctx, u.Username, storetest.Password); ducha.ErrorCode(err) != ducha.EUNAUTHORIZED {
			t.Errorf("login while disabled: %v", err)
		}
		if _, _, err := db.FindSession(ctx, other); err != nil {
			t.Errorf("another user's session ended: %v", err)
		}
		tokens, _ := db.FindTokens(admin, u.ID)
		if len(tokens) != 1 || tokens[0].RevokedAt == nil {
			t.Errorf("token not revoked: %+v", tokens)
		}
		if users, total, _ := db.FindUsers(admin, ducha.UserFilter{Disabled: ptr(true)}); total != 1 || usernames(users) != "liaison_hb" {
			t.Errorf("disabled users: %q", usernames(users))
		}

		// Enabled again: the password works, the old token and session do not.
		if got, err = db.UpdateUser(admin, u.ID, ducha.UserUpdate{Version: got.Version, Disabled: ptr(false)}); err != nil || got.Disabled {
			t.Fatalf("enable: %v %+v", err, got)
		}
		if _, err := db.Authenticate(ctx, u.Username, storetest.Password); err != nil {
			t.Errorf("login after enabling: %v", err)
		}
		if _, _, err := db.FindToken(ctx, tok.Secret); ducha.ErrorCode(err) != ducha.EUNAUTHORIZED {
			t.Errorf("revoked token after enabling: %v", err)
		}
		if _, _, err := db.FindSession(ctx, session); ducha.ErrorCode(err) != ducha.EUNAUTHORIZED {
			t.Errorf("old session after enabling: %v", err)
		}
		events := userEvents(t, db, u.ID)
		if len(events) < 2 || !strings.HasPrefix(events[len(events)-2], "disable 撤销1个令牌") || !strings.HasPrefix(events[len(events)-1], "enable") {
			t.Errorf("events: %q", events)
		}
	})
}

// The last enabled admin can be neither disabled nor demoted, by
// themself or anyone; with a second admin, both are allowed.
func TestLastAdminGuard(t *testing.T) {
	storetest.Each(t, store.Options{}, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		a := f.Users["admin"]
		for _, ctx := range []context.Context{storetest.As(a), storetest.System()} {
			_, err := db.UpdateUser(ctx, a.ID, ducha.UserUpdate{Version: a.Version, Disabled: ptr(true)})
			if !hasField(err, "disabled") || !strings.Contains(ducha.ErrorMessage(err), "最后一个启用的系统管理员") {
				t.Errorf("disable the last admin: %v", err)
			}
			_, err = db.UpdateUser(ctx, a.ID, ducha.UserUpdate{Version: a.Version, Role: ptr(ducha.RoleCoordinator)})
			if !hasField(err, "role") || !strings.Contains(ducha.ErrorMessage(err), "最后一个启用的系统管理员") {
				t.Errorf("demote the last admin: %v", err)
			}
		}
		// Another admin, disabled, does not count.
		b := &ducha.User{Username: "admin2", Role: ducha.RoleAdmin, Disabled: true}
		if err := db.CreateUser(storetest.System(), b, "second-admin-1"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.UpdateUser(storetest.As(a), a.ID, ducha.UserUpdate{Version: a.Version, Disabled: ptr(true)}); !hasField(err, "disabled") {
			t.Errorf("with only a disabled second admin: %v", err)
		}
		// Enabled, it does: now the first admin may step down.
		if _, err := db.UpdateUser(storetest.As(a), b.ID, ducha.UserUpdate{Version: b.Version, Disabled: ptr(false)}); err != nil {
			t.Fatal(err)
		}
		got, err := db.UpdateUser(storetest.As(a), a.ID, ducha.UserUpdate{Version: a.Version, Role: ptr(ducha.RoleCoordinator)})
		if err != nil || got.Role != ducha.RoleCoordinator {
			t.Fatalf("demote with a second admin: %v", err)
		}
		b, _ = db.FindUserByID(storetest.System(), b.ID)
		if _, err := db.UpdateUser(storetest.As(b), b.ID, ducha.UserUpdate{Version: b.Version, Disabled: ptr(true)}); !hasField(err, "disabled") {
			t.Errorf("the second admin, now the last: %v", err)
		}
	})
}

func TestResetPassword(t *testing.T) {
	storetest.Each(t, store.Options{}, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		ctx := context.Background()
		u := f.Users["head_yq"]
		session, _, _ := db.CreateSession(ctx, u.ID, time.Hour)
		tok, err := db.CreateToken(storetest.As(u), u.ID, "脚本")
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"coord", "leader", "discipline", "liaison_yq", "head_yq"} {
			if _, err := db.ResetPassword(storetest.As(f.Users[name]), u.ID); ducha.ErrorCode(err) != ducha.EFORBIDDEN {
				t.Errorf("%s may reset a password: %v", name, err)
			}
		}
		admin := storetest.As(f.Users["admin"])
		if _, err := db.ResetPassword(admin, 999999); ducha.ErrorCode(err) != ducha.ENOTFOUND {
			t.Errorf("missing user: %v", err)
		}
		pw, err := db.ResetPassword(admin, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(pw) != ducha.OneTimePasswordLen || strings.ContainsAny(pw, "0O1lI") {
			t.Errorf("one-time password %q", pw)
		}
		if again, _ := db.ResetPassword(admin, u.ID); again == pw {
			t.Errorf("two resets gave the same password %q", pw)
		} else {
			pw = again
		}
		if _, err := db.Authenticate(ctx, u.Username, storetest.Password); ducha.ErrorCode(err) != ducha.EUNAUTHORIZED {
			t.Errorf("old password still works: %v", err)
		}
		got, err := db.Authenticate(ctx, u.Username, pw)
		if err != nil || !got.MustChangePassword {
			t.Fatalf("login with the one-time password: %v %+v", err, got)
		}
		if _, _, err := db.FindSession(ctx, session); ducha.ErrorCode(err) != ducha.EUNAUTHORIZED {
			t.Errorf("session after the reset: %v", err)
		}
		// The token still resolves, but to a user who must change the
		// password first, which the server turns into 403 for every route.
		if owner, _, err := db.FindToken(ctx, tok.Secret); err != nil || !owner.MustChangePassword {
			t.Errorf("token after the reset: %v %+v", err, owner)
		}
		// The user changes it: the obligation ends.
		if err := db.ChangePassword(storetest.As(got), u.ID, "head-own-choice-1", ducha.PasswordChange{}); err != nil {
			t.Fatal(err)
		}
		if got, _ = db.Authenticate(ctx, u.Username, "head-own-choice-1"); got == nil || got.MustChangePassword {
			t.Errorf("after changing: %+v", got)
		}
		events := userEvents(t, db, u.ID)
		n := 0
		for _, e := range events {
			if strings.HasPrefix(e, "reset_password") {
				n++
			}
			if strings.Contains(e, pw) {
				t.Errorf("an event holds the password: %q", e)
			}
		}
		if n != 2 {
			t.Errorf("events: %q", events)
		}
		if strings.Contains(dumpTables(t, db), pw) {
			t.Error("the backup holds the one-time password")
		}
	})
}

// Every way a password is set by someone else than its owner obliges the
// owner to change it; the owner's own choice does not.
func TestPasswordSetByOthersMustChange(t *testing.T) {
	storetest.Each(t, store.Options{}, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		ctx := context.Background()
		u := f.Users["leader"]
		for _, c := range []struct {
			who  context.Context
			want bool
		}{{storetest.System(), true}, {storetest.As(f.Users["admin"]), true}, {storetest.As(u), false}} {
			if err := db.SetPassword(c.who, u.ID, "another-password-1"); err != nil {
				t.Fatal(err)
			}
			got, err := db.Authenticate(ctx, u.Username, "another-password-1")
			if err != nil || got.MustChangePassword != c.want {
				t.Errorf("must change %v, want %v: %v", got.MustChangePassword, c.want, err)
			}
			u = got
		}
	})
}

func TestUnitAdministration(t *testing.T) {
	storetest.Each(t, store.Options{}, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		admin := storetest.As(f.Users["admin"])
		coord := storetest.As(f.Users["coord"])
		if err := db.CreateUnit(coord, &ducha.Unit{Name: "县林业局"}); ducha.ErrorCode(err) != ducha.EFORBIDDEN {
			t.Errorf("coordinator creates a unit: %v", err)
		}
		u := &ducha.Unit{Name: " 縣林業局 ", Kind: ducha.UnitDepartment, Head: "王五", Phone: "0931-1234567"}
		if err := db.CreateUnit(admin, u); err != nil {
			t.Fatal(err)
		}
		if u.ID == 0 || u.Name != "县林业局" || u.Version != 1 {
			t.Errorf("created %+v", u)
		}
		err := db.CreateUnit(admin, &ducha.Unit{Name: "永清镇", Kind: ducha.UnitTownship})
		if !hasField(err, "name") || !strings.Contains(ducha.ErrorMessage(err), "单位名称“永清镇”已被其他单位使用") {
			t.Errorf("duplicate name: %v", err)
		}
		if err := db.CreateUnit(admin, &ducha.Unit{Name: "x", Kind: "村委会"}); !hasField(err, "kind") {
			t.Errorf("bad kind: %v", err)
		}
		if err := db.CreateUnit(admin, &ducha.Unit{Name: strings.Repeat("长", ducha.MaxNameLen+1)}); !hasField(err, "name") {
			t.Errorf("long name: %v", err)
		}

		yq := f.Units["永清镇"]
		if _, err := db.UpdateUnit(coord, yq.ID, ducha.UnitUpdate{Version: yq.Version, Head: ptr("x")}); ducha.ErrorCode(err) != ducha.EFORBIDDEN {
			t.Errorf("coordinator updates a unit: %v", err)
		}
		if _, err := db.UpdateUnit(admin, 999999, ducha.UnitUpdate{Version: 1, Head: ptr("x")}); ducha.ErrorCode(err) != ducha.ENOTFOUND {
			t.Errorf("missing unit: %v", err)
		}
		if _, err := db.UpdateUnit(admin, yq.ID, ducha.UnitUpdate{Version: yq.Version, Name: ptr("红堡镇")}); !hasField(err, "name") {
			t.Errorf("rename onto another unit: %v", err)
		}
		got, err := db.UpdateUnit(admin, yq.ID, ducha.UnitUpdate{Version: yq.Version, Name: ptr("永清镇人民政府"), Kind: ptr("镇"),
			Liaison: ptr("刘立军"), Member: ptr(true), Phone: ptr("19313867508")})
		if err != nil || got.Name != "永清镇人民政府" || got.Kind != ducha.UnitTownship || !got.Member || got.Liaison != "刘立军" || got.Version != yq.Version+1 {
			t.Fatalf("update: %v %+v", err, got)
		}
		if _, err := db.UpdateUnit(admin, yq.ID, ducha.UnitUpdate{Version: yq.Version, Head: ptr("过期")}); ducha.ErrorCode(err) != ducha.ECONFLICT {
			t.Errorf("stale version: %v", err)
		}
		if _, err := db.UpdateUnit(admin, yq.ID, ducha.UnitUpdate{Version: got.Version, Kind: ptr("村")}); !hasField(err, "kind") {
			t.Errorf("bad kind: %v", err)
		}
		// The unit's users follow it: they belong by id.
		if liaison, _ := db.FindUserByID(admin, f.Users["liaison_yq"].ID); liaison.UnitName != "永清镇人民政府" {
			t.Errorf("liaison's unit after the rename: %q", liaison.UnitName)
		}
		if back, _ := db.FindUnitByName(admin, "永清镇人民政府"); back == nil || back.ID != yq.ID || back.Version != got.Version {
			t.Errorf("stored: %+v", back)
		}
		// Importing the same unit again by its new name changes nothing.
		if created, updated, err := db.ImportUnits(admin, []*ducha.Unit{{Name: got.Name, Kind: got.Kind, DivisionCode: got.DivisionCode,
			Member: got.Member, Head: got.Head, Liaison: got.Liaison, Phone: got.Phone}}); err != nil || created != 0 || updated != 0 {
			t.Errorf("re-import: %d %d %v", created, updated, err)
		}
	})
}

func TestCampaignAdministration(t *testing.T) {
	storetest.Each(t, store.Options{}, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		admin := storetest.As(f.Users["admin"])
		c := f.Campaign
		for _, name := range []string{"coord", "liaison_yq", "leader"} {
			got, err := db.FindCampaignByID(storetest.As(f.Users[name]), c.ID)
			if err != nil || got.Name != c.Name || got.CaseDays != 10 {
				t.Errorf("%s reads the campaign: %v %+v", name, err, got)
			}
			if _, err := db.UpdateCampaign(storetest.As(f.Users[name]), c.ID, ducha.CampaignUpdate{Version: c.Version, Team: ptr("x")}); ducha.ErrorCode(err) != ducha.EFORBIDDEN {
				t.Errorf("%s updates the campaign: %v", name, err)
			}
		}
		if _, err := db.FindCampaignByID(admin, 999999); ducha.ErrorCode(err) != ducha.ENOTFOUND {
			t.Errorf("missing campaign: %v", err)
		}
		if _, err := db.UpdateCampaign(admin, 999999, ducha.CampaignUpdate{Version: 1, Team: ptr("x")}); ducha.ErrorCode(err) != ducha.ENOTFOUND {
			t.Errorf("update a missing campaign: %v", err)
		}
		for _, c2 := range []struct {
			upd   ducha.CampaignUpdate
			field string
		}{
			{ducha.CampaignUpdate{End: ptr(ducha.Date("2026-11-30"))}, "end"},
			{ducha.CampaignUpdate{CaseDays: ptr(0)}, "case_days"},
			{ducha.CampaignUpdate{CaseDays: ptr(400)}, "case_days"},
			{ducha.CampaignUpdate{Phase: ptr(ducha.Phase("结束"))}, "phase"},
			{ducha.CampaignUpdate{Name: ptr("")}, "name"},
			{ducha.CampaignUpdate{Holidays: ptr("2026-13-01")}, "holidays"},
			{ducha.CampaignUpdate{Workdays: ptr("明天")}, "workdays"},
			{ducha.CampaignUpdate{}, "version"},
		} {
			upd := c2.upd
			if c2.field != "version" {
				upd.Version = c.Version
			}
			if _, err := db.UpdateCampaign(admin, c.ID, upd); !hasField(err, c2.field) {
				t.Errorf("%s: %v", c2.field, err)
			}
		}
		got, err := db.UpdateCampaign(admin, c.ID, ducha.CampaignUpdate{Version: c.Version, Phase: ptr(ducha.PhaseOnSite), CaseDays: ptr(7),
			WorkingDays: ptr(true), Holidays: ptr("2027-01-01"), End: ptr(ducha.Date("2027-01-05"))})
		if err != nil || got.Phase != ducha.PhaseOnSite || got.CaseDays != 7 || !got.WorkingDays || got.End != "2027-01-05" || got.Version != c.Version+1 {
			t.Fatalf("update: %v %+v", err, got)
		}
		if back, _ := db.CurrentCampaign(admin); back.CaseDays != 7 || back.Holidays != "2027-01-01" || back.Team != c.Team || back.Start != c.Start {
			t.Errorf("stored: %+v", back)
		}
		if _, err := db.UpdateCampaign(admin, c.ID, ducha.CampaignUpdate{Version: c.Version, Team: ptr("过期")}); ducha.ErrorCode(err) != ducha.ECONFLICT {
			t.Errorf("stale version: %v", err)
		}
		second := &ducha.Campaign{Name: "第二轮"}
		if err := db.CreateCampaign(admin, second); err != nil {
			t.Fatal(err)
		}
		if _, err := db.UpdateCampaign(admin, second.ID, ducha.CampaignUpdate{Version: 1, Name: ptr(c.Name)}); !hasField(err, "name") {
			t.Errorf("duplicate name: %v", err)
		}
	})
}
