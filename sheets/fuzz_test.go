package sheets_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"ducha"
	"ducha/excel"
	"ducha/excel/exceltest"
	"ducha/sheets"
)

// The fuzz targets feed each input to a reader twice: as the file itself
// (csv, or a zip when it is one) and as the sheet data of a small valid
// workbook, so that mutations reach the sheet XML reader too. Whatever the
// input, a reader must return rows or an error of the file's own (never
// panic, never an internal error). Seeds are the samples and small
// generated files; make fuzz runs each target for a few seconds:
//
//	go test -run '^$' -fuzz '^FuzzReadLedger$' -fuzztime 5s ./sheets

// fuzzLimits keep each run short; the checks are those of the defaults.
var fuzzLimits = excel.Limits{MaxUnzippedBytes: 4 << 20, MaxRows: 2000, MaxMergedCells: 20000, MaxMergeRanges: 2000}

func fuzzInputs(data []byte) [][]byte {
	return [][]byte{data, exceltest.Workbook(data)}
}

// checkFileError fails unless err is nil or an error about the file.
func checkFileError(t *testing.T, err error) {
	t.Helper()
	var de *ducha.Error
	var xe *excel.Error
	if err != nil && !errors.As(err, &de) && !errors.As(err, &xe) {
		t.Fatalf("error of type %T: %v", err, err)
	}
	if de != nil && de.Code != ducha.EINVALID {
		t.Fatalf("error with code %s: %v", de.Code, err)
	}
}

// seed adds the samples, each file's csv and sheet-data shapes, and the
// quoting cases that once merged rows.
func seed(f *testing.F, header string, rows []string, files ...string) {
	for _, name := range files {
		data, err := os.ReadFile(filepath.Join(samples, name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	csv := header + "\n" + strings.Join(rows, "\n") + "\n"
	f.Add([]byte(csv))
	f.Add([]byte("标题\n" + csv + "合计,,\n"))
	f.Add([]byte(strings.Replace(csv, "\n", "\n\"", 1)))            // an unclosed quote
	f.Add([]byte(strings.Replace(csv, ",", ",\"x\n\"", 2)))         // a quoted line break
	f.Add([]byte(strings.ReplaceAll(csv, ",", "\t")))               // tab separated
	f.Add([]byte("\ufeff" + strings.ReplaceAll(csv, "\n", "\r\n"))) // BOM and CRLF
	var sd strings.Builder
	for r, line := range append([]string{header}, rows...) {
		sd.WriteString(`<row r="` + string(rune('1'+r)) + `">`)
		for c, cell := range strings.Split(line, ",") {
			ref := string(rune('A'+c)) + string(rune('1'+r))
			sd.WriteString(`<c r="` + ref + `" t="inlineStr"><is><t>` + cell + `</t></is></c>`)
		}
		sd.WriteString(`</row>`)
	}
	f.Add([]byte(sd.String()))
	f.Add([]byte(sd.String() + `</sheetData><mergeCells><mergeCell ref="A2:A3"/><mergeCell ref="B1:C1"/></mergeCells><sheetData>`))
}

var (
	ledgerHeader = "序号,问题来源,问题描述,责任单位,整改时限,状态"
	ledgerRows   = []string{"1,自查发现,砖厂扬尘,永清镇,2027年6月底前,整改中", "2,群众举报,河道垃圾,林城镇,2026-12-31,未启动"}
	caseHeader   = "序号,受理编号,交办问题基本情况,行政区域,污染类型,举报方式,重点关注"
	caseRows     = []string{"1,D3SX202612080001,夜间噪声扰民,永清镇,噪声,来电,*", "2,X3SX202612080002,废水直排,林城镇,水,来信,"}
	unitHeader   = "名称,类型,区划代码,电话"
	unitRows     = []string{"永清镇,乡镇,620521100000,13800000000", "县生态环境局,部门,,"}
)

func FuzzReadLedger(f *testing.F) {
	seed(f, ledgerHeader, ledgerRows, "ledger.xlsx")
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, in := range fuzzInputs(data) {
			rows, err := sheets.ReadLedger(bytes.NewReader(in), "f.xlsx", fuzzLimits)
			checkFileError(t, err)
			if err == nil && len(rows) == 0 {
				t.Fatal("no rows and no error")
			}
		}
	})
}

func FuzzReadCases(f *testing.F) {
	seed(f, caseHeader, caseRows, "cases-batch-03.xlsx", "cases-batch-04-gb18030.csv", "cases-batch-05-merged.xlsx")
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, in := range fuzzInputs(data) {
			for _, opts := range []sheets.CaseFileOptions{{Limits: fuzzLimits}, {Batch: 3, Date: "2026-12-08", Limits: fuzzLimits}} {
				cf, err := sheets.ReadCases(bytes.NewReader(in), "第3批.csv", opts)
				checkFileError(t, err)
				if err == nil && (len(cf.Rows) == 0 || cf.Batch <= 0 || cf.Date == "") {
					t.Fatalf("read without rows, batch or date: %+v", cf)
				}
			}
		}
	})
}

func FuzzReadUnits(f *testing.F) {
	seed(f, unitHeader, unitRows, "units.csv")
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, in := range fuzzInputs(data) {
			_, err := sheets.ReadUnits(bytes.NewReader(in), "units.csv", fuzzLimits)
			checkFileError(t, err)
		}
	})
}
