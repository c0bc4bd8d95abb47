package excel

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/xuri/excelize/v2"
)

const benchRows = 100_000

var (
	benchOnce sync.Once
	benchDir  string
	benchFile string
	benchErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if benchDir != "" {
		os.RemoveAll(benchDir)
	}
	os.Exit(code)
}

// ledger100k returns the path of a 100,000-row ledger shaped like
// ledger.xlsx (title rows, two-row header with merged groups, a vertically
// merged 行政区域 every tenth row pair, Excel dates and text deadlines),
// generated once with excelize's StreamWriter.
func ledger100k(b *testing.B) string {
	b.Helper()
	benchOnce.Do(func() {
		benchDir, benchErr = os.MkdirTemp("", "excel-bench-")
		if benchErr != nil {
			return
		}
		benchFile = filepath.Join(benchDir, "ledger100k.xlsx")
		benchErr = writeLedger100k(benchFile)
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchFile
}

func writeLedger100k(name string) error {
	f := excelize.NewFile()
	defer f.Close()
	dateStyle, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	if err != nil {
		return err
	}
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		return err
	}
	header3 := []any{"序号", "问题来源", "问题描述", "行政区域", "污染类型", "整改责任", nil, nil, nil,
		"整改要求", nil, nil, "整改类型", "整改进展", "状态", "备注"}
	header4 := []any{nil, nil, nil, nil, nil, "责任单位", "配合单位", "责任领导", "责任人",
		"整改措施", "整改目标", "整改时限"}
	for _, r := range []struct {
		cell string
		vals []any
	}{
		{"A1", []any{"清水县中央生态环境保护督察反馈问题整改台账"}},
		{"A2", []any{"填报单位：县保障中央环境保护督察协调联络组办公室", nil, nil, nil, nil, nil, nil, nil, "截至2026年12月20日"}},
		{"A3", header3}, {"A4", header4},
	} {
		if err := sw.SetRow(r.cell, r.vals); err != nil {
			return err
		}
	}
	areas := []string{"陇东乡", "丰望乡", "松树镇", "金集镇", "秦亭镇"}
	deadlines := []any{"2027年6月底前", "长期坚持", "２０２７年３月３１日", "2026-12-31"}
	row := make([]any, 16)
	for i := 0; i < benchRows; i++ {
		r := i + 5
		row[0] = i + 1
		row[1] = "信访交办"
		row[2] = fmt.Sprintf("第%d号问题：城区建筑工地扬尘管控不到位，渣土车未密闭运输。", i+1)
		row[3] = areas[i%len(areas)]
		if i%10 == 1 {
			row[3] = nil // merged with the row above
		}
		row[4] = "大气"
		row[5], row[6], row[7], row[8] = "县生态环境局", "县工业和信息化局、"+areas[i%len(areas)], "副县长段海燕", "黄志强"
		row[9] = "一是开展排查；二是制定方案；三是落实整改并建立长效机制。"
		row[10] = "问题整改到位，群众满意。"
		if i%2 == 0 {
			row[11] = excelize.Cell{StyleID: dateStyle, Value: 46387 + i%365}
		} else {
			row[11] = deadlines[i%len(deadlines)]
		}
		row[12], row[13], row[14] = "限时整改", "已完成排查，正在推进。", "整改中"
		row[15] = 19898053976 + i
		if err := sw.SetRow(fmt.Sprintf("A%d", r), row); err != nil {
			return err
		}
		if i%10 == 0 && i+1 < benchRows {
			if err := sw.MergeCell(fmt.Sprintf("D%d", r), fmt.Sprintf("D%d", r+1)); err != nil {
				return err
			}
		}
	}
	for _, m := range [][2]string{{"A1", "P1"}, {"A2", "H2"}, {"I2", "P2"}, {"F3", "I3"}, {"J3", "L3"},
		{"A3", "A4"}, {"B3", "B4"}, {"C3", "C4"}, {"D3", "D4"}, {"E3", "E4"},
		{"M3", "M4"}, {"N3", "N4"}, {"O3", "O4"}, {"P3", "P4"}} {
		if err := sw.MergeCell(m[0], m[1]); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.SaveAs(name)
}

func BenchmarkReadLedger100k(b *testing.B) {
	name := ledger100k(b)
	spec := ledgerSpec()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		fh, err := os.Open(name)
		if err != nil {
			b.Fatal(err)
		}
		tab, err := Read(fh, name, spec)
		fh.Close()
		if err != nil {
			b.Fatal(err)
		}
		if len(tab.Records) != benchRows {
			b.Fatalf("%d records", len(tab.Records))
		}
		if tab.Records[1].Values["行政区域"] != "陇东乡" || tab.Records[0].Values["整改时限"] != "2026-12-31" {
			b.Fatalf("unexpected values %v", tab.Records[1].Values)
		}
	}
}

func BenchmarkExcelizeRows100k(b *testing.B) {
	name := ledger100k(b)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		f, err := excelize.OpenFile(name, excelize.Options{CultureInfo: excelize.CultureNameZhCN})
		if err != nil {
			b.Fatal(err)
		}
		rows, err := f.Rows("Sheet1")
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for rows.Next() {
			cells, err := rows.Columns()
			if err != nil {
				b.Fatal(err)
			}
			n += len(cells)
		}
		if err := rows.Close(); err != nil {
			b.Fatal(err)
		}
		f.Close()
		if n < benchRows*15 {
			b.Fatalf("%d cells", n)
		}
	}
}

func BenchmarkWriteLedger100k(b *testing.B) {
	rows, _ := ledgerRows(benchRows)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		fh, err := os.CreateTemp("", "excel-write-*.xlsx")
		if err != nil {
			b.Fatal(err)
		}
		err = Write(fh, ledgerLayout(), rows)
		fh.Close()
		os.Remove(fh.Name())
		if err != nil {
			b.Fatal(err)
		}
	}
}
