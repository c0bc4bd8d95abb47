package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"ducha"
	"ducha/store"
)

// openStore opens the CLI's store file directly, to check what a command did.
func openStore(t *testing.T, db string) *store.DB {
	t.Helper()
	s, err := store.Open(context.Background(), db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestUserCommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "ducha.db")
	mustRun(t, db, "", "unit", "import", filepath.Join(samples, "units.csv"))
	mustRun(t, db, "first-password-1\n", "user", "add", "--username", "yq", "--name", "刘立军", "--role", "unit_liaison", "--unit", "永清镇", "--password-stdin")
	mustRun(t, db, "first-password-1\n", "user", "add", "--username", "hb", "--role", "unit_head", "--unit", "红堡镇", "--password-stdin")
	mustRun(t, db, "first-password-1\n", "user", "add", "--username", "coord", "--role", "coordinator", "--password-stdin")

	// A password the operator chose must be changed by its user.
	s := openStore(t, db)
	ctx := context.Background()
	if u, err := s.Authenticate(ctx, "yq", "first-password-1"); err != nil || !u.MustChangePassword {
		t.Fatalf("user add: must change %v (%v)", u != nil && u.MustChangePassword, err)
	}

	out := mustRun(t, db, "", "user", "list")
	for _, w := range []string{"用户名", "yq", "刘立军", "单位联络员", "永清镇", "hb", "单位主要负责人", "红堡镇", "coord", "协调联络组办公室", "待修改一次性密码", "共3个用户"} {
		if !strings.Contains(out, w) {
			t.Errorf("user list lacks %q:\n%s", w, out)
		}
	}
	var list struct {
		Items []ducha.User `json:"items"`
		Total int          `json:"total"`
	}
	out = mustRun(t, db, "", "user", "list", "--unit", "红堡镇", "--format", "json")
	if err := json.Unmarshal([]byte(out), &list); err != nil || list.Total != 1 || len(list.Items) != 1 || list.Items[0].Username != "hb" {
		t.Errorf("user list --unit: %v %s", err, out)
	}
	out = mustRun(t, db, "", "user", "list", "--role", "coordinator", "--format", "json")
	if err := json.Unmarshal([]byte(out), &list); err != nil || list.Total != 1 || list.Items[0].Username != "coord" {
		t.Errorf("user list --role: %v %s", err, out)
	}
	if code, _, errOut := runCLI(t, db, "", "user", "list", "--role", "boss"); code != 1 || !strings.Contains(errOut, "admin（系统管理员）") {
		t.Errorf("bad role: %d %s", code, errOut)
	}
	if code, _, errOut := runCLI(t, db, "", "user", "list", "--unit", "不存在镇"); code != 1 || !strings.Contains(errOut, "不存在") {
		t.Errorf("bad unit: %d %s", code, errOut)
	}

	// Role and unit.
	out = mustRun(t, db, "", "user", "set", "--username", "yq", "--role", "unit_head", "--unit", "红堡镇", "--display-name", "刘站长")
	if !strings.Contains(out, "已更新用户 yq：单位主要负责人，红堡镇") {
		t.Errorf("user set: %s", out)
	}
	if u, _ := s.FindUserByUsername(system(context.Background()), "yq"); u.Role != ducha.RoleUnitHead || u.UnitName != "红堡镇" || u.DisplayName != "刘站长" {
		t.Errorf("after user set: %+v", u)
	}
	// A coordinator may leave its unit; a unit role may not.
	if code, _, errOut := runCLI(t, db, "", "user", "set", "--username", "yq", "--unit", ""); code != 1 || !strings.Contains(errOut, "必须属于一个单位") {
		t.Errorf("unit role without a unit: %d %s", code, errOut)
	}
	if code, _, errOut := runCLI(t, db, "", "user", "set", "--username", "yq", "--role", "boss"); code != 1 || !strings.Contains(errOut, "角色“boss”无效，应为") {
		t.Errorf("bad role: %d %s", code, errOut)
	}

	// Disable: the sessions and tokens end with it.
	token := strings.TrimSpace(mustRun(t, db, "", "token", "create", "--username", "hb"))
	hb, _ := s.FindUserByUsername(system(context.Background()), "hb")
	session, _, err := s.CreateSession(ctx, hb.ID, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if out := mustRun(t, db, "", "user", "set", "--username", "hb", "--disable"); !strings.Contains(out, "已停用") {
		t.Errorf("disable: %s", out)
	}
	if _, _, err := s.FindToken(ctx, token); ducha.ErrorCode(err) != ducha.EUNAUTHORIZED {
		t.Errorf("token after disabling: %v", err)
	}
	if _, _, err := s.FindSession(ctx, session); ducha.ErrorCode(err) != ducha.EUNAUTHORIZED {
		t.Errorf("session after disabling: %v", err)
	}
	if _, err := s.Authenticate(ctx, "hb", "first-password-1"); ducha.ErrorCode(err) != ducha.EUNAUTHORIZED {
		t.Errorf("login while disabled: %v", err)
	}
	if out := mustRun(t, db, "", "user", "list", "--format", "json"); !strings.Contains(out, `"disabled": true`) {
		t.Errorf("list after disabling: %s", out)
	}
	mustRun(t, db, "", "user", "set", "--username", "hb", "--enable")
	if _, err := s.Authenticate(ctx, "hb", "first-password-1"); err != nil {
		t.Errorf("login after enabling: %v", err)
	}

	// A password set here must be changed at the next login.
	if u, _ := s.Authenticate(ctx, "coord", "first-password-1"); u != nil {
		s.ChangePassword(ducha.NewContextWithUser(ctx, u), u.ID, "coord-own-choice-1", ducha.PasswordChange{})
	}
	if u, _ := s.Authenticate(ctx, "coord", "coord-own-choice-1"); u == nil || u.MustChangePassword {
		t.Fatalf("coord's own password: %+v", u)
	}
	out = mustRun(t, db, "set-by-operator-1\n", "user", "set", "--username", "coord", "--password-stdin")
	if !strings.Contains(out, "本人下次登录时必须修改") {
		t.Errorf("password set: %s", out)
	}
	if u, err := s.Authenticate(ctx, "coord", "set-by-operator-1"); err != nil || !u.MustChangePassword {
		t.Errorf("after user set --password-stdin: %v must change %v", err, u != nil && u.MustChangePassword)
	}
	if _, err := s.Authenticate(ctx, "coord", "coord-own-choice-1"); err == nil {
		t.Error("the old password still works")
	}

	// Usage errors change nothing.
	for _, args := range [][]string{
		{"user", "set", "--username", "coord"},
		{"user", "set", "--role", "leader"},
		{"user", "set", "--username", "coord", "--disable", "--enable"},
	} {
		if code, _, _ := runCLI(t, db, "", args...); code != 1 {
			t.Errorf("%v: exit %d", args, code)
		}
	}
	if code, _, errOut := runCLI(t, db, "", "user", "set", "--username", "nobody", "--disable"); code != 1 || !strings.Contains(errOut, "用户不存在") {
		t.Errorf("missing user: %d %s", code, errOut)
	}
	if code, _, errOut := runCLI(t, db, "short\n", "user", "set", "--username", "coord", "--password-stdin"); code != 1 || !strings.Contains(errOut, "密码至少8位") {
		t.Errorf("short password: %d %s", code, errOut)
	}

	var help strings.Builder
	Run(context.Background(), []string{"help"}, strings.NewReader(""), &help, &help)
	for _, w := range []string{"user list [--unit NAME] [--role R]", "user set --username U [--role R] [--unit NAME]", "--disable|--enable", "unit list"} {
		if !strings.Contains(help.String(), w) {
			t.Errorf("help lacks %q", w)
		}
	}
}

// unit list prints what unit import reads: its csv imports into another
// store as the same units.
func TestUnitListReimports(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "ducha.db")
	mustRun(t, db, "", "unit", "import", filepath.Join(samples, "units.csv"))
	// Members, and cells that need quoting, come back too.
	extra := filepath.Join(dir, "extra.csv")
	if err := os.WriteFile(extra, []byte("名称,类型,区划代码,主要负责人,联络员,电话,成员单位\n"+
		"县生态环境局,部门,,王五,赵六,\"0931-1234567, 0931-7654321\",是\n县住建局（城管局）,部门,,\"孙\"\"七\"\"\",,,\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	mustRun(t, db, "", "unit", "import", extra)

	out := mustRun(t, db, "", "unit", "list")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if lines[0] != "名称,类型,区划代码,主要负责人,联络员,电话,成员单位" || !strings.Contains(out, "永清镇,乡镇,620521100000,牛文博,刘立军,19313867508,\n") ||
		!strings.Contains(out, `县生态环境局,部门,,王五,赵六,"0931-1234567, 0931-7654321",是`) {
		t.Fatalf("unit list:\n%s", out)
	}
	want, _ := openStore(t, db).FindUnits(system(context.Background()))
	if len(lines) != len(want)+1 || len(want) < 30 {
		t.Fatalf("%d lines for %d units", len(lines), len(want))
	}

	listed := filepath.Join(dir, "units-list.csv")
	if err := os.WriteFile(listed, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	db2 := filepath.Join(dir, "second.db")
	if out := mustRun(t, db2, "", "unit", "import", listed); !strings.Contains(out, "新增") {
		t.Fatalf("re-import: %s", out)
	}
	got, _ := openStore(t, db2).FindUnits(system(context.Background()))
	if len(got) != len(want) {
		t.Fatalf("%d units re-imported, want %d", len(got), len(want))
	}
	for i := range want {
		w, g := *want[i], *got[i]
		w.ID, g.ID, w.Version, g.Version, w.Given, g.Given = 0, 0, 0, 0, nil, nil
		if !reflect.DeepEqual(w, g) {
			t.Errorf("unit %d: re-imported %+v, want %+v", i, g, w)
		}
	}
	if again := mustRun(t, db2, "", "unit", "list"); again != out {
		t.Errorf("the second store lists differently:\n%s", again)
	}
	// Importing the list into the first store changes nothing.
	if out := mustRun(t, db, "", "unit", "import", listed); !strings.Contains(out, "新增0个，更新0个") {
		t.Errorf("re-import into the same store: %s", out)
	}

	var list struct {
		Items []ducha.Unit `json:"items"`
		Total int          `json:"total"`
	}
	if err := json.Unmarshal([]byte(mustRun(t, db, "", "unit", "list", "--format", "json")), &list); err != nil || list.Total != len(want) || list.Items[0].Name != want[0].Name {
		t.Errorf("unit list json: %v %+v", err, list.Total)
	}
}
