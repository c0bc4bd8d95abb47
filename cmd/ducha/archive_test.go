package main

import (
	"archive/zip"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// archiveField opens an archive written by the CLI and returns its entry
// names and the value of the 基本信息 row labelled label.
func archiveField(t *testing.T, path, label string) ([]string, string) {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	defer zr.Close()
	var names []string
	value := ""
	for _, f := range zr.File {
		names = append(names, f.Name)
		if f.Name != "档案.xlsx" {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		x, err := excelize.OpenReader(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := x.GetRows("基本信息")
		for _, r := range rows {
			if len(r) > 1 && r[0] == label {
				value = r[1]
			}
		}
		x.Close()
	}
	return names, value
}

// TestExportArchive: ducha export archive writes the zip the download
// answers, for a problem by id or code and a case by acceptance number;
// a missing item or both flags at once write nothing.
func TestExportArchive(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "ducha.db")
	mustRun(t, db, "", "unit", "import", filepath.Join(samples, "units.csv"))
	mustRun(t, db, "", "import", "ledger", filepath.Join(samples, "ledger.xlsx"))
	mustRun(t, db, "", "import", "cases", filepath.Join(samples, "cases-batch-03.xlsx"))

	byID := filepath.Join(dir, "p1.zip")
	out := mustRun(t, db, "", "export", "archive", "--problem", "1", "--out", byID, "--format", "json")
	var res struct{ Out, Name string }
	if err := json.Unmarshal([]byte(out), &res); err != nil || res.Out != byID {
		t.Fatalf("export: %q", out)
	}
	names, code := archiveField(t, byID, "编号")
	if code == "" || names[0] != "档案.xlsx" || res.Name != "一案一档-"+code+".zip" {
		t.Fatalf("archive of problem 1: %v %q %q", names, code, res.Name)
	}
	byCode := filepath.Join(dir, "p-code.zip")
	mustRun(t, db, "", "export", "archive", "--problem", code, "--out", byCode)
	if _, again := archiveField(t, byCode, "编号"); again != code {
		t.Errorf("by code %s: %q", code, again)
	}

	kase := filepath.Join(dir, "case.zip")
	if out := mustRun(t, db, "", "export", "archive", "--case", "X3SX202612080010", "--out", kase); !strings.Contains(out, "已导出一案一档") {
		t.Errorf("case: %q", out)
	}
	if _, no := archiveField(t, kase, "受理编号"); no != "X3SX202612080010" {
		t.Errorf("case archive's 受理编号 %q", no)
	}

	missing := filepath.Join(dir, "missing.zip")
	if code, _, errOut := runCLI(t, db, "", "export", "archive", "--problem", "NOPE-1", "--out", missing); code != 1 || !strings.Contains(errOut, "问题不存在") {
		t.Errorf("missing problem: %d %q", code, errOut)
	}
	if code, _, _ := runCLI(t, db, "", "export", "archive", "--problem", "1", "--case", "1", "--out", missing); code != 1 {
		t.Errorf("both flags: exit %d", code)
	}
	if _, err := os.Stat(missing); !os.IsNotExist(err) {
		t.Errorf("a refused export left a file: %v", err)
	}
}
