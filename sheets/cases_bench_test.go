package sheets_test

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"ducha"
	"ducha/excel"
	"ducha/sheets"
	"ducha/store"
)

// batch20k is a 20,000-case batch file in the inspection team's layout.
func batch20k(b *testing.B) []byte {
	areas := []string{"永清镇", "红堡镇", "白驼镇", "金集镇", "秦亭镇", "山门镇", "白沙镇", "王河镇"}
	types := []string{"大气", "水、土壤", "噪声", "固废", "大气（油烟）", "生态"}
	rows := make([][]any, 20000)
	for i := range rows {
		ch, letter := "来信", "X"
		if i%3 != 0 {
			ch, letter = "来电", "D"
		}
		key := ""
		if i%17 == 0 {
			key = "*"
		}
		rows[i] = []any{i + 1, fmt.Sprintf("%s3SX20261209%05d", letter, i+1),
			fmt.Sprintf("群众反映%s某村砖瓦厂夜间生产，粉尘和噪声扰民，第%d件。", areas[i%len(areas)], i+1),
			areas[i%len(areas)], types[i%len(types)], ch, key}
	}
	col := func(h string) excel.OutColumn { return excel.OutColumn{Header: h, Width: 12} }
	layout := excel.Layout{Title: "中央第三生态环境保护督察组第九批交办信访件", Left: "交办日期：2026年12月9日", Right: "共20000件",
		Groups: []excel.Group{{Columns: []excel.OutColumn{col("序号"), col("受理编号"), col("交办问题基本情况"), col("行政区域"),
			col("污染类型"), col("举报方式"), col("重点关注")}}}}
	var buf bytes.Buffer
	if err := excel.Write(&buf, layout, rows); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

// BenchmarkImportCases20k reads a 20,000-case batch file and imports it
// into a fresh SQLite store.
func BenchmarkImportCases20k(b *testing.B) {
	data := batch20k(b)
	ctx := ducha.NewContextWithUser(context.Background(), ducha.SystemUser)
	for b.Loop() {
		b.StopTimer()
		db, err := store.Open(context.Background(), filepath.Join(b.TempDir(), "cases.db"), store.Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		res, err := sheets.ImportCases(ctx, db, bytes.NewReader(data), "第9批.xlsx", sheets.CaseFileOptions{})
		if err != nil || res.Created != 20000 || res.Batch.Number != 9 {
			b.Fatalf("import: %+v %v", res, err)
		}
		b.StopTimer()
		db.Close()
		b.StartTimer()
	}
}
