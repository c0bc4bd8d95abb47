package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"ducha"
	"ducha/excel"
	"ducha/excel/exceltest"
	"ducha/store"
)

// storeState counts what an import could change in the store at db.
func storeState(t *testing.T, db string) string {
	t.Helper()
	s, err := store.Open(context.Background(), db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := system(context.Background())
	_, problems, err := s.FindProblems(ctx, ducha.ProblemFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	_, cases, err := s.FindCases(ctx, ducha.CaseFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	units, err := s.FindUnits(ctx)
	if err != nil {
		t.Fatal(err)
	}
	v, err := s.DataVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%d problems, %d cases, %d units, version %d", problems, cases, len(units), v)
}

// TestImportBombs runs the import commands on every bomb: each exits 1
// with the limit's message on stderr and leaves the store as it was.
func TestImportBombs(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "ducha.db")
	mustRun(t, db, "", "unit", "import", filepath.Join(samples, "units.csv"))
	before := storeState(t, db)
	commands := []struct {
		args   []string
		header []string
	}{
		{[]string{"import", "ledger"}, []string{"序号", "问题描述", "责任单位"}},
		{[]string{"import", "cases", "--batch", "1", "--date", "2026-12-08"}, []string{"序号", "受理编号", "交办问题基本情况"}},
		{[]string{"unit", "import"}, []string{"名称", "类型", "电话"}},
	}
	for _, c := range commands {
		for _, b := range exceltest.Bombs(c.header...) {
			t.Run(strings.Join(c.args[:2], " ")+" "+b.Name, func(t *testing.T) {
				path := filepath.Join(dir, b.File)
				if err := os.WriteFile(path, b.Data, 0o600); err != nil {
					t.Fatal(err)
				}
				defer os.Remove(path)
				code, out, errOut := runCLI(t, db, "", append(c.args, path)...)
				if code != 1 || !strings.Contains(errOut, "错误: ") || !strings.Contains(errOut, b.Want) || out != "" {
					t.Errorf("exit %d, stdout %q, stderr %q; want 1 and %q", code, out, errOut, b.Want)
				}
			})
		}
	}
	if after := storeState(t, db); after != before {
		t.Errorf("store changed: %s → %s", before, after)
	}
}

// TestImportLimitFlags: the limit flags of the import commands and of
// serve reach the reader.
func TestImportLimitFlags(t *testing.T) {
	db := filepath.Join(t.TempDir(), "ducha.db")
	mustRun(t, db, "", "unit", "import", filepath.Join(samples, "units.csv"))
	ledger := filepath.Join(samples, "ledger.xlsx")
	code, _, errOut := runCLI(t, db, "", "import", "ledger", ledger, "--max-rows", "5")
	if code != 1 || !strings.Contains(errOut, "表格超过 5 行数据的上限，已拒绝导入（管理员可用 --max-rows 调整") {
		t.Errorf("--max-rows 5: exit %d %q", code, errOut)
	}
	code, _, errOut = runCLI(t, db, "", "import", "cases", filepath.Join(samples, "cases-batch-03.xlsx"), "--max-file-mb", "0")
	if code != 1 || !strings.Contains(errOut, "--max-file-mb 应为 1 到") {
		t.Errorf("--max-file-mb 0: exit %d %q", code, errOut)
	}
	code, _, errOut = runCLI(t, db, "", "import", "cases", filepath.Join(samples, "cases-batch-03.xlsx"), "--max-cell-chars", "20")
	if code != 1 || !strings.Contains(errOut, "的内容超过 20 个字符的上限") {
		t.Errorf("--max-cell-chars 20: exit %d %q", code, errOut)
	}
	code, _, errOut = runCLI(t, db, "", "unit", "import", filepath.Join(samples, "units.csv"), "--max-rows", "10")
	if code != 1 || !strings.Contains(errOut, "表格超过 10 行数据的上限") {
		t.Errorf("unit import --max-rows 10: exit %d %q", code, errOut)
	}
	if out := mustRun(t, db, "", "import", "ledger", ledger, "--max-rows", "100", "--max-unzipped-mb", "1"); !strings.Contains(out, "台账导入完成") {
		t.Errorf("within the limits: %q", out)
	}

	// ducha serve passes Main.Limits to the server and its ledger import.
	m := &Main{Limits: excel.Limits{MaxRows: 3}}
	if err := m.Open(context.Background(), filepath.Join(t.TempDir(), "ducha.db"), "127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if m.HTTP.ImportLimits != m.Limits {
		t.Errorf("server limits %+v, want %+v", m.HTTP.ImportLimits, m.Limits)
	}
	f, err := os.Open(ledger)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := m.HTTP.ImportLedger(system(context.Background()), f, "ledger.xlsx"); err == nil || !strings.Contains(err.Error(), "表格超过 3 行数据的上限") {
		t.Errorf("serve's ledger import with MaxRows 3: %v", err)
	}
}
