package sheets_test

import (
	"strings"
	"testing"

	"ducha/excel"
	"ducha/internal/storetest"
	"ducha/sheets"
	"ducha/store"
)

// TestUnitImportKeepsWhatTheFileLacks: a unit list without a 成员单位 or 电话
// column leaves those fields of existing units as they are; a column that is
// there, even empty, sets them.
func TestUnitImportKeepsWhatTheFileLacks(t *testing.T) {
	storetest.Each(t, store.Options{}, func(t *testing.T, db *store.DB) {
		sys := storetest.System()
		imp := func(csv string) {
			t.Helper()
			units, err := sheets.ReadUnits(strings.NewReader(csv), "units.csv", excel.Limits{})
			if err != nil {
				t.Fatal(err)
			}
			if _, _, err := db.ImportUnits(sys, units); err != nil {
				t.Fatal(err)
			}
		}
		imp("名称,类型,电话,成员单位\n县生态环境局,部门,0938-1234567,是\n永清镇,乡镇,0938-7654321,\n")
		imp("名称,类型,主要负责人\n县生态环境局,部门,王局长\n永清镇,乡镇,李镇长\n")
		units, err := db.FindUnits(sys)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, u := range units {
			got[u.Name] = u.Phone + "|" + u.Head + "|" + map[bool]string{true: "member", false: ""}[u.Member]
		}
		if got["县生态环境局"] != "0938-1234567|王局长|member" || got["永清镇"] != "0938-7654321|李镇长|" {
			t.Fatalf("after a list without 电话 and 成员单位: %v", got)
		}
		imp("名称,类型,电话\n县生态环境局,部门,\n")
		units, _ = db.FindUnits(sys)
		for _, u := range units {
			if u.Name == "县生态环境局" && (u.Phone != "" || !u.Member || u.Head != "王局长") {
				t.Fatalf("an empty 电话 cell clears the phone and keeps the rest: %+v", u)
			}
		}
	})
}
