package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A batch of 2017 brought in with its results: the report of those days
// counts its cases, and its measures once confirmed with --confirm-measures.
func TestImportCasesAsKept(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "ducha.db")
	mustRun(t, db, "", "unit", "import", filepath.Join(samples, "units.csv"))
	file := filepath.Join(dir, "第32批.csv")
	table := "第三十二批 2017年5月25日12时-5月26日12时\n截至2017年6月30日\n" +
		"序号,受理编号,交办问题基本情况,所属乡镇,问题类型,举报方式,调查核实情况,是否属实,处理和整改情况,是否办结,责任单位,办结时间\n" +
		"1,X2HA201705250001*,永清镇某砖厂烟尘扰民,永清镇,大气,微信,经查属实,是,已责令永清镇宏达砖瓦厂立即整改，罚款2万元。,已办结,永清镇人民政府,2017-06-05\n" +
		"2,2145,红堡镇某养殖场粪污直排,红堡镇,水,来访,经查基本属实,基本属实,正在清理,办理中,红堡镇,\n"
	if err := os.WriteFile(file, []byte(table), 0o644); err != nil {
		t.Fatal(err)
	}
	out := mustRun(t, db, "", "import", "cases", file)
	for _, frag := range []string{"第32批（2017-05-26）导入完成：新增2件（来电0件、来信0件、微信1件、来访1件，重点关注1件）",
		"第4行 X2HA201705250001 处理措施：责令整改（责令永清镇宏达砖瓦厂立即整改）待确认", "立案处罚（罚款2万元）待确认"} {
		if !strings.Contains(out, frag) {
			t.Errorf("import output lacks %q:\n%s", frag, out)
		}
	}
	daily := func(date string) map[string]map[string]any {
		var r struct{ Cases, Measures map[string]any }
		if err := json.Unmarshal([]byte(mustRun(t, db, "", "report", "daily", "--date", date, "--format", "json")), &r); err != nil {
			t.Fatal(err)
		}
		return map[string]map[string]any{"cases": r.Cases, "measures": r.Measures}
	}
	r := daily("2017-06-05")
	if c := r["cases"]; c["total"] != 2.0 || c["closed"] != 1.0 || c["key"] != 1.0 || c["substantiated"] != 1.0 || c["basically_substantiated"] != 0.0 {
		t.Errorf("06-05 cases %v", c)
	}
	if r["measures"]["ordered_to_rectify"] != 0.0 {
		t.Errorf("unconfirmed measures counted: %v", r["measures"])
	}
	if c := daily("2017-06-30")["cases"]; c["basically_substantiated"] != 1.0 || c["open"] != 1.0 {
		t.Errorf("06-30 cases %v", c)
	}
	out = mustRun(t, db, "", "import", "cases", file, "--confirm-measures")
	if !strings.Contains(out, "责令整改（责令永清镇宏达砖瓦厂立即整改）已存入") {
		t.Errorf("confirm output:\n%s", out)
	}
	if m := daily("2017-06-05")["measures"]; m["ordered_to_rectify"] != 1.0 || m["penalty_cases"] != 1.0 || m["fines_yuan"] != "20000.00" {
		t.Errorf("confirmed measures %v", m)
	}
	if m := daily("2017-06-04")["measures"]; m["ordered_to_rectify"] != 0.0 {
		t.Errorf("measures before their day %v", m)
	}
}
