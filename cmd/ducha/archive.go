package main

import (
	"context"
	"io"
	"time"

	"ducha"
	dhttp "ducha/http"
)

// runExportArchive writes one problem's or case's 一案一档 (the zip the
// download on its page answers) to a file.
func runExportArchive(ctx context.Context, env Env, args []string) error {
	f := newFlags("export archive", env)
	problem := f.String("problem", "", "问题的系统编号或问题编号")
	kase := f.String("case", "", "交办件的系统编号或受理编号")
	out := f.String("out", "", "输出文件 .zip")
	if _, err := f.parse(args); err != nil {
		return err
	}
	if *out == "" || (*problem == "") == (*kase == "") {
		return errUsage
	}
	kind, ref := ducha.ItemProblem, *problem
	if *kase != "" {
		kind, ref = ducha.ItemCase, *kase
	}
	db, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	// The archive is written as the server writes it: the same fields,
	// labels, history and attachment names.
	s := dhttp.NewServer()
	s.Problems, s.Users, s.Attachments, s.Cases = db, db, db, db
	s.Now = time.Now
	var name string
	err = writeFile(*out, func(w io.Writer) (err error) {
		name, err = dhttp.ExportArchive(system(ctx), s, kind, ref, w)
		return err
	})
	if err != nil {
		return err
	}
	return output(env, *f.format, map[string]string{"out": *out, "name": name}, "已导出一案一档："+*out)
}
