package sheets_test

import (
	"bytes"
	"testing"

	"ducha/sheets"
)

var (
	dutyHeader = "序号,责任单位,职责事项,依据"
	dutyRows   = []string{"1,永清镇,负责辖区扬尘管控,《大气污染防治法》", "2,县生态环境局,负责排污许可监督管理,"}
)

// FuzzReadDuties: whatever the input, the responsibility list reader
// returns duties (each with its unit and text) or an error of the file's own.
func FuzzReadDuties(f *testing.F) {
	seed(f, dutyHeader, dutyRows)
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, in := range fuzzInputs(data) {
			rows, err := sheets.ReadDuties(bytes.NewReader(in), "duties.csv", fuzzLimits)
			checkFileError(t, err)
			for _, r := range rows {
				if r.Unit == "" || r.Duty.Title == "" || r.Row <= 0 {
					t.Fatalf("a row without its unit, text or number: %+v %+v", r, r.Duty)
				}
			}
		}
	})
}
