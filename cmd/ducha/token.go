package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"ducha"
)

// runTokenCreate makes an API token for a user and prints its secret, the
// only time it is shown.
func runTokenCreate(ctx context.Context, env Env, args []string) error {
	f := newFlags("token create", env)
	username := f.String("username", "", "用户名")
	name := f.String("name", "script", "令牌用途")
	expires := f.String("expires", "", "到期：天数（90d）或日期（2027-01-01，当天0点起失效）；不填则不到期")
	if _, err := f.parse(args); err != nil {
		return err
	}
	if *username == "" {
		return errUsage
	}
	at, err := ducha.ParseExpiry(*expires, time.Now())
	if err != nil {
		return err
	}
	db, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	u, err := db.FindUserByUsername(system(ctx), *username)
	if err != nil {
		return err
	}
	t := &ducha.Token{UserID: u.ID, Name: *name, ExpiresAt: at}
	if err := db.IssueToken(system(ctx), t); err != nil {
		return err
	}
	return output(env, *f.format, t, t.Secret)
}

// runTokenList lists tokens, a user's or everyone's, without secrets.
func runTokenList(ctx context.Context, env Env, args []string) error {
	f := newFlags("token list", env)
	username := f.String("username", "", "只列出这个用户的令牌")
	if _, err := f.parse(args); err != nil {
		return err
	}
	db, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	var userID int64
	if *username != "" {
		u, err := db.FindUserByUsername(system(ctx), *username)
		if err != nil {
			return err
		}
		userID = u.ID
	}
	tokens, err := db.FindTokens(system(ctx), userID)
	if err != nil {
		return err
	}
	if *f.format == "json" {
		return output(env, "json", map[string]any{"items": tokens, "total": len(tokens)}, "")
	}
	now := time.Now()
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "编号\t用户\t用途\t状态\t创建\t最后使用\t到期")
	for _, t := range tokens {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.Username, t.Name, tokenStatus[t.Status(now)],
			localTime(&t.CreatedAt), localTime(t.LastUsedAt), localTime(t.ExpiresAt))
	}
	tw.Flush()
	return output(env, "text", nil, strings.TrimRight(b.String(), "\n"))
}

var tokenStatus = map[string]string{"active": "有效", "expired": "已过期", "revoked": "已撤销"}

// localTime shows an instant in county time, "-" for none.
func localTime(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return t.In(ducha.Location).Format("2006-01-02 15:04")
}

// runTokenRevoke revokes a token by its number (from token list).
func runTokenRevoke(ctx context.Context, env Env, args []string) error {
	f := newFlags("token revoke", env)
	pos, err := f.parse(args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return errUsage
	}
	id, err := strconv.ParseInt(pos[0], 10, 64)
	if err != nil || id <= 0 {
		return ducha.FieldError("id", "令牌编号应为正整数，收到“%s”", pos[0])
	}
	db, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.RevokeToken(system(ctx), id, 0); err != nil {
		return err
	}
	return output(env, *f.format, map[string]any{"id": id, "revoked": true}, fmt.Sprintf("已撤销令牌 %d", id))
}
