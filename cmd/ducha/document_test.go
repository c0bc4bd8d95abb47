package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// ducha import document stores the seed: it prints the id and the title
// (the first line, cut), or the document as JSON; a bad file or flag exits
// 1 naming the problem and stores nothing.
func TestImportDocument(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "ducha.db")
	seed := "../../doctext/testdata/seed.txt"
	out := mustRun(t, db, "", "import", "document", seed, "--kind", "会议纪要", "--date", "2026-12-07")
	if !strings.HasPrefix(out, "已导入文件 1：12月7日,清水县召开保障中央环保督察工作动员会议") || !strings.Contains(out, "…") {
		t.Errorf("text output %q", out)
	}
	out = mustRun(t, db, "", "import", "document", seed, "--title", "动员会议报道", "--format", "json")
	var d struct {
		ID       int64  `json:"id"`
		Title    string `json:"title"`
		Kind     string `json:"kind"`
		Text     string `json:"text"`
		Original struct {
			Name string `json:"name"`
			Size int64  `json:"size"`
		} `json:"original"`
	}
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatalf("json %q: %v", out, err)
	}
	info, _ := os.Stat(seed)
	if d.ID != 2 || d.Title != "动员会议报道" || d.Kind != "other" || d.Text != "" || d.Original.Name != "seed.txt" || d.Original.Size != info.Size() {
		t.Errorf("json %+v", d)
	}
	pdf := filepath.Join(dir, "报告.pdf")
	os.WriteFile(pdf, []byte("%PDF-1.4"), 0o644)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{pdf}, "不支持文件“报告.pdf”的格式"},
		{[]string{seed, "--kind", "bogus"}, "文件类型“bogus”无效"},
		{[]string{seed, "--date", "12月7日"}, "--date"},
		{[]string{filepath.Join(dir, "missing.txt")}, "无法打开文件"},
		{nil, "用法: ducha import document"},
	} {
		code, _, errOut := runCLI(t, db, "", append([]string{"import", "document"}, c.args...)...)
		if code != 1 || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d %q, want %s", c.args, code, errOut, c.want)
		}
	}
	if out := mustRun(t, db, "", "import", "document", seed, "--format", "json"); !strings.Contains(out, `"id": 3`) {
		t.Errorf("a refused import took a number: %s", out)
	}
}
