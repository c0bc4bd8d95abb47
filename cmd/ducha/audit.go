package main

import (
	"context"
	"fmt"
	"io"

	"ducha"
)

func runAuditVerify(ctx context.Context, env Env, args []string) error {
	f := newFlags("audit verify", env)
	if _, err := f.parse(args); err != nil {
		return err
	}
	db, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	broken, n, err := db.VerifyChain(system(ctx))
	if err != nil {
		return err
	}
	if broken != 0 {
		if *f.format == "json" {
			output(env, "json", map[string]any{"ok": false, "broken_event": broken, "checked": n}, "")
		}
		return ducha.Errorf(ducha.ECONFLICT, "审计链在事件%d处断开：该事件或其前一事件被改动或删除（已检查%d个事件）", broken, n)
	}
	return output(env, *f.format, map[string]any{"ok": true, "checked": n}, fmt.Sprintf("审计链完整：已检查%d个事件", n))
}

func runBackup(ctx context.Context, env Env, args []string) error {
	f := newFlags("backup", env)
	out := f.String("out", "", "备份文件")
	if _, err := f.parse(args); err != nil {
		return err
	}
	if *out == "" {
		return errUsage
	}
	db, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := writeFile(*out, func(w io.Writer) error { return db.Backup(system(ctx), w) }); err != nil {
		return err
	}
	return output(env, *f.format, map[string]string{"out": *out}, "已备份到 "+*out)
}

func runRestore(ctx context.Context, env Env, args []string) error {
	f := newFlags("restore", env)
	pos, err := f.parse(args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return errUsage
	}
	file, err := openFile(pos[0])
	if err != nil {
		return err
	}
	defer file.Close()
	db, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Restore(system(ctx), file); err != nil {
		return err
	}
	return output(env, *f.format, map[string]string{"restored": pos[0]}, "已从 "+pos[0]+" 恢复")
}
