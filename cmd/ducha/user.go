package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"

	"ducha"
)

// runUserList lists the accounts, oldest first, optionally of one unit or
// one role.
func runUserList(ctx context.Context, env Env, args []string) error {
	f := newFlags("user list", env)
	unit := f.String("unit", "", "只列出这个单位的用户")
	role := f.String("role", "", "只列出这个角色的用户: admin coordinator unit_liaison unit_head discipline leader")
	if _, err := f.parse(args); err != nil {
		return err
	}
	var filter ducha.UserFilter
	if *role != "" {
		r, err := ducha.ParseRole(*role)
		if err != nil {
			return err
		}
		filter.Role = r
	}
	db, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx = system(ctx)
	if *unit != "" {
		u, err := db.FindUnitByName(ctx, *unit)
		if err != nil {
			return err
		}
		filter.UnitID = u.ID
	}
	users, total, err := db.FindUsers(ctx, filter)
	if err != nil {
		return err
	}
	if *f.format == "json" {
		return output(env, "json", map[string]any{"items": users, "total": total}, "")
	}
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "用户名\t姓名\t角色\t单位\t状态")
	for _, u := range users {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", u.Username, dash(u.DisplayName), u.Role.Label(), dash(u.UnitName), userState(u))
	}
	tw.Flush()
	fmt.Fprintf(&b, "共%d个用户", total)
	return output(env, "text", nil, b.String())
}

func userState(u *ducha.User) string {
	switch {
	case u.Disabled:
		return "已停用"
	case u.MustChangePassword:
		return "待修改一次性密码"
	}
	return "正常"
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// runUserSet changes an account: role, unit, name, disabled, and with
// --password-stdin its password, which the user must then change at the
// next login (it was set by someone else).
func runUserSet(ctx context.Context, env Env, args []string) error {
	f := newFlags("user set", env)
	username := f.String("username", "", "用户名")
	role := f.String("role", "", "新角色: admin coordinator unit_liaison unit_head discipline leader")
	unit := f.String("unit", "", "新的所属单位名称（--unit \"\" 表示不属于任何单位）")
	name := f.String("display-name", "", "新姓名")
	disable := f.Bool("disable", false, "停用：结束其全部登录并撤销其API令牌")
	enable := f.Bool("enable", false, "重新启用")
	stdin := f.Bool("password-stdin", false, "从标准输入读取新密码（本人下次登录时必须修改）")
	if _, err := f.parse(args); err != nil {
		return err
	}
	set := map[string]bool{}
	f.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	if *username == "" || (*disable && *enable) {
		return errUsage
	}
	var upd ducha.UserUpdate
	if set["role"] {
		r := ducha.Role(*role)
		upd.Role = &r
	}
	if set["unit"] {
		ref := ducha.UnitRef(*unit)
		upd.Unit = &ref
	}
	if set["display-name"] {
		upd.DisplayName = name
	}
	if *disable || *enable {
		upd.Disabled = disable
	}
	if upd.Empty() && !*stdin {
		return errUsage
	}
	var password string
	if *stdin {
		line, err := bufio.NewReader(env.Stdin).ReadString('\n')
		if err != nil && line == "" {
			return ducha.FieldError("password", "没有从标准输入读到密码")
		}
		password = strings.TrimRight(line, "\r\n")
	}
	db, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx = system(ctx)
	u, err := db.FindUserByUsername(ctx, *username)
	if err != nil {
		return err
	}
	if !upd.Empty() {
		upd.Version = u.Version
		if u, err = db.UpdateUser(ctx, u.ID, upd); err != nil {
			return err
		}
	}
	if *stdin {
		if err := db.SetPassword(ctx, u.ID, password); err != nil {
			return err
		}
		if u, err = db.FindUserByID(ctx, u.ID); err != nil {
			return err
		}
	}
	return output(env, *f.format, u, userSummary(u, *stdin))
}

// userSummary is the line user set prints.
func userSummary(u *ducha.User, password bool) string {
	s := fmt.Sprintf("已更新用户 %s：%s", u.Username, u.Role.Label())
	if u.UnitName != "" {
		s += "，" + u.UnitName
	}
	s += "，" + userState(u)
	if password {
		s += "（密码已重设，本人下次登录时必须修改）"
	}
	return s
}

// unitHeader is the header unit list writes: the columns unit import
// reads, so that its output imports again as it is.
var unitHeader = []string{"名称", "类型", "区划代码", "主要负责人", "联络员", "电话", "成员单位"}

// runUnitList prints the units as unit import reads them: csv with the
// import's header, or JSON.
func runUnitList(ctx context.Context, env Env, args []string) error {
	f := newFlags("unit list", env)
	if _, err := f.parse(args); err != nil {
		return err
	}
	db, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	units, err := db.FindUnits(system(ctx))
	if err != nil {
		return err
	}
	if units == nil {
		units = []*ducha.Unit{}
	}
	if *f.format == "json" {
		return output(env, "json", map[string]any{"items": units, "total": len(units)}, "")
	}
	w := csv.NewWriter(env.Stdout)
	if err := w.Write(unitHeader); err != nil {
		return err
	}
	for _, u := range units {
		member := ""
		if u.Member {
			member = "是"
		}
		if err := w.Write([]string{u.Name, string(u.Kind), u.DivisionCode, u.Head, u.Liaison, u.Phone, member}); err != nil {
			return err
		}
	}
	w.Flush()
	return w.Error()
}
