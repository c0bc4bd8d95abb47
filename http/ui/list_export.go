package ui

import (
	"strings"

	"ducha"
)

// exportBound is how many rows one export of a list may hold, and how the
// refusal counts them: 份 of 文件, 家 of 企业.
type exportBound struct {
	Max           int
	Noun, Measure string
}

// exportAll reads every page of a list for its export, in the list's
// order, through the list's own store call (page, from offset, at most
// ducha.MaxPerPage rows, with the filter's total), so that it holds what
// the list shows and is scoped as it is. A filter selecting more than the
// bound is refused before more is read.
func exportAll[T any](b exportBound, page func(offset, limit int) ([]T, int, error)) ([]T, error) {
	var all []T
	for offset := 0; ; {
		items, total, err := page(offset, ducha.MaxPerPage)
		if err != nil {
			return nil, err
		}
		if total > b.Max {
			return nil, ducha.Errorf(ducha.EINVALID, "符合条件的%s有%d%s，超过一次导出%d%s的上限，请缩小筛选范围",
				b.Noun, total, b.Measure, b.Max, b.Measure)
		}
		all = append(all, items...)
		offset += len(items)
		if len(items) == 0 || offset >= total {
			return all, nil
		}
	}
}

// filterLine is an export's second row: what the list was filtered by.
func filterLine(parts []string) string {
	if len(parts) == 0 {
		return "筛选：全部"
	}
	return "筛选：" + strings.Join(parts, " · ")
}
