package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"ducha"
	"ducha/store"
)

func TestTokenCommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "ducha.db")
	mustRun(t, db, "script-user-pass\n", "user", "add", "--username", "zhangsan", "--role", "leader", "--password-stdin")
	mustRun(t, db, "script-user-pass\n", "user", "add", "--username", "lisi", "--role", "leader", "--password-stdin")

	var made ducha.Token
	out := mustRun(t, db, "", "token", "create", "--username", "zhangsan", "--name", "日报", "--expires", "90d", "--format", "json")
	if err := json.Unmarshal([]byte(out), &made); err != nil || made.Secret == "" || made.Name != "日报" || made.ExpiresAt == nil {
		t.Fatalf("create: %v %s", err, out)
	}
	if d := time.Until(*made.ExpiresAt); d < 89*24*time.Hour || d > 91*24*time.Hour {
		t.Errorf("expires in %v, want 90 days", d)
	}
	secret := strings.TrimSpace(mustRun(t, db, "", "token", "create", "--username", "lisi"))
	if len(secret) < 40 || strings.ContainsAny(secret, " \n") {
		t.Fatalf("text create prints the secret alone: %q", secret)
	}
	if code, _, errOut := runCLI(t, db, "", "token", "create", "--username", "zhangsan", "--expires", "下个月"); code != 1 || !strings.Contains(errOut, "到期时间应写作") {
		t.Errorf("bad --expires: %d %s", code, errOut)
	}

	out = mustRun(t, db, "", "token", "list", "--username", "zhangsan", "--format", "json")
	var list struct {
		Items []ducha.Token `json:"items"`
		Total int           `json:"total"`
	}
	if err := json.Unmarshal([]byte(out), &list); err != nil || list.Total != 1 || list.Items[0].ID != made.ID || list.Items[0].Secret != "" {
		t.Fatalf("list: %v %s", err, out)
	}
	if strings.Contains(out, made.Secret) {
		t.Error("list prints a secret")
	}
	out = mustRun(t, db, "", "token", "list")
	if !strings.Contains(out, "zhangsan") || !strings.Contains(out, "lisi") || strings.Count(out, "有效") != 2 {
		t.Errorf("list of everyone: %s", out)
	}

	if out := mustRun(t, db, "", "token", "revoke", strconv.FormatInt(made.ID, 10)); !strings.Contains(out, "已撤销令牌") {
		t.Errorf("revoke: %s", out)
	}
	if out := mustRun(t, db, "", "token", "list", "--username", "zhangsan"); !strings.Contains(out, "已撤销") {
		t.Errorf("list after revoke: %s", out)
	}
	if code, _, errOut := runCLI(t, db, "", "token", "revoke", "9999"); code != 1 || !strings.Contains(errOut, "令牌不存在") {
		t.Errorf("revoke a missing token: %d %s", code, errOut)
	}
	if code, _, _ := runCLI(t, db, "", "token", "revoke"); code != 1 {
		t.Errorf("revoke without an id: %d", code)
	}

	s, err := store.Open(context.Background(), db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.FindUserByToken(context.Background(), made.Secret); ducha.ErrorCode(err) != ducha.EUNAUTHORIZED {
		t.Errorf("revoked token: %v", err)
	}
	if u, err := s.FindUserByToken(context.Background(), secret); err != nil || u.Username != "lisi" {
		t.Errorf("lisi's token: %v", err)
	}

	var help strings.Builder
	Run(context.Background(), []string{"help"}, strings.NewReader(""), &help, &help)
	for _, w := range []string{"token create --username U [--name N] [--expires", "token list", "token revoke ID", "--trusted-proxy"} {
		if !strings.Contains(help.String(), w) {
			t.Errorf("help lacks %q", w)
		}
	}
}

func TestServeTrustedProxyFlag(t *testing.T) {
	db := filepath.Join(t.TempDir(), "ducha.db")
	code, _, errOut := runCLI(t, db, "", "serve", "--addr", "127.0.0.1:0", "--trusted-proxy", "10.0.0.1,not-an-address")
	if code != 1 || !strings.Contains(errOut, "not-an-address") {
		t.Errorf("bad --trusted-proxy: %d %s", code, errOut)
	}
}
