package excel

import (
	"os"
	"path/filepath"
	"testing"
)

const samplesDir = "../../shared/samples"

func cols(keys ...string) []Column {
	out := make([]Column, len(keys))
	for i, k := range keys {
		out[i] = Column{Key: k, Names: []string{k}}
	}
	return out
}

func ledgerSpec() Spec {
	c := cols("序号", "问题来源", "问题描述", "行政区域", "污染类型", "责任单位", "配合单位",
		"责任领导", "责任人", "整改措施", "整改目标", "整改时限", "整改类型", "整改进展", "状态")
	c[2].Required = true
	return Spec{Columns: c}
}

func casesSpec() Spec {
	return Spec{Columns: []Column{
		{Key: "seq", Names: []string{"序号"}},
		{Key: "no", Names: []string{"受理编号"}, Required: true},
		{Key: "content", Names: []string{"交办问题基本情况", "举报内容"}, Required: true},
		{Key: "area", Names: []string{"行政区域", "所在乡镇"}},
		{Key: "type", Names: []string{"污染类型", "问题类型"}},
		{Key: "via", Names: []string{"举报方式", "来电/来信"}},
		{Key: "key", Names: []string{"重点关注", "是否重点"}},
	}}
}

func unitsSpec() Spec {
	c := cols("名称", "类型", "区划代码", "主要负责人", "联络员", "电话")
	c[0].Required = true
	return Spec{Columns: c}
}

// sample opens a file of the shared samples; their absence fails the test.
func sample(t testing.TB, name string) *os.File {
	t.Helper()
	f, err := os.Open(filepath.Join(samplesDir, name))
	if os.IsNotExist(err) {
		t.Fatalf("sample %s not found (shared/ must sit beside the project)", name)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func readSample(t *testing.T, name string, spec Spec) *Table {
	t.Helper()
	tab, err := Read(sample(t, name), name, spec)
	if err != nil {
		t.Fatalf("Read(%s): %v", name, err)
	}
	return tab
}
