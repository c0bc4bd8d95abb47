package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestImportDutiesCLI: ducha import duties prints what it imported, as
// text or JSON; the same file again changes nothing; a bad row exits 1
// naming it and stores nothing.
func TestImportDutiesCLI(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "ducha.db")
	mustRun(t, db, "", "unit", "import", filepath.Join(samples, "units.csv"))
	good := filepath.Join(dir, "责任清单.csv")
	list := "永清镇生态环境保护责任清单\n序号,责任单位,职责事项,依据\n1,永清镇,负责辖区扬尘管控,《大气污染防治法》第五条\n2,永清镇,负责秸秆禁烧,\n3,县生态环境局,负责排污许可监督管理,《排污许可管理条例》\n"
	if err := os.WriteFile(good, []byte(list), 0o600); err != nil {
		t.Fatal(err)
	}
	if out := mustRun(t, db, "", "import", "duties", good); !strings.Contains(out, "责任清单导入完成：新增3项，更新0项，未变0项（永清镇、县生态环境局）") {
		t.Fatalf("import: %q", out)
	}
	var res struct {
		Created, Unchanged int
		Units              []string
	}
	out := mustRun(t, db, "", "import", "duties", good, "--format", "json")
	if err := json.Unmarshal([]byte(out), &res); err != nil || res.Created != 0 || res.Unchanged != 3 || len(res.Units) != 2 {
		t.Fatalf("again: %v %q", err, out)
	}
	bad := filepath.Join(dir, "bad.csv")
	if err := os.WriteFile(bad, []byte("序号,责任单位,职责事项\n1,永清镇,负责饮用水源保护\n2,柳湖镇,负责秸秆禁烧\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := runCLI(t, db, "", "import", "duties", bad)
	if code != 1 || !strings.Contains(errOut, "第3行") || !strings.Contains(errOut, "柳湖镇") {
		t.Fatalf("bad row: %d %q", code, errOut)
	}
	out = mustRun(t, db, "", "import", "duties", good, "--format", "json")
	if json.Unmarshal([]byte(out), &res); res.Created != 0 || res.Unchanged != 3 {
		t.Fatalf("the refused file stored something: %q", out)
	}
	if code, _, _ := runCLI(t, db, "", "import", "duties"); code != 1 {
		t.Fatalf("usage: exit %d", code)
	}
}
