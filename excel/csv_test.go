package excel

import (
	"errors"
	"strings"
	"testing"
)

// TestCSVQuoting: a quote out of place is an error naming the line where
// its field began; nothing folds one row into another. Quoted fields with
// commas, quotes and line breaks, and quotes inside unquoted text, read as
// written.
func TestCSVQuoting(t *testing.T) {
	spec := Spec{Columns: simpleSpec().Columns, MinMatch: 2}
	bad := []struct {
		name, csv string
		row       int
		want      string
	}{
		{"unclosed quote", "名称,电话\n\"县水务局,1\n县公安局,2\n", 2, "第2行：CSV 格式错误，引号没有闭合（字段中的引号须成对，或整个字段用引号括起）"},
		{"text after the closing quote", "名称,电话\n县水务局,1\n\"县公安局\"局,2\n", 3, "第3行：CSV 格式错误，引号位置不对（字段中的引号须成对，或整个字段用引号括起）"},
		{"quote closing on a later line, text after it", "名称,电话\n\"县水务局,1\n县公安局\"x,2\n", 2, "第2行：CSV 格式错误，引号位置不对（第2行开始的带引号字段到第3行出现了多余的引号"},
		// The shape that imported one case where the file had two: the
		// missing quote of row 2 closed by a stray one at the end of row 3.
		{"two rows in one field", "名称,电话,日期\n1,\"县水务局,1\n2,县公安局\",3\n", 2, "第2行：CSV 格式错误，引号位置不对：第2行开始的带引号字段一直延续到第3行"},
		{"two rows, the quote closing before a separator", "名称,电话,日期\n县水务局,1,\"备注\n2\",县公安局,3\n", 2, "第2行开始的带引号字段一直延续到第3行"},
		{"an empty quoted field keeps it open", "名称,电话\n\"县水务局,1\n县公安局,\"\"\n", 2, "第2行：CSV 格式错误，引号没有闭合"},
		{"tab separated", "名称\t电话\n\"县水务局\t1\n县公安局\t2\"\n", 2, "第2行开始的带引号字段一直延续到第3行"},
		{"quote then a lone carriage return", "名称,电话\n\"县水务局\"\r1,2\n", 2, "引号位置不对"},
		{"after a multi-line field", "名称,电话\n\"县\n水务局\",1\n\"县公安局\"\"x,2\n", 4, "第4行：CSV 格式错误，引号没有闭合"},
	}
	for _, c := range bad {
		t.Run(c.name, func(t *testing.T) {
			tab, err := Read(strings.NewReader(c.csv), "x.csv", spec)
			var xe *Error
			if !errors.As(err, &xe) {
				t.Fatalf("want *Error, got %v (records %+v)", err, tab)
			}
			if xe.Row != c.row || !strings.Contains(err.Error(), c.want) || errors.Is(err, ErrLimit) {
				t.Errorf("error %q (row %d), want row %d saying %q", err, xe.Row, c.row, c.want)
			}
		})
	}

	good := []struct {
		name, csv string
		want      []Record
	}{
		{"quoted commas and quotes", "名称,电话,标记\n\"县,水务局\",1,\"他说\"\"好\"\"\"\n",
			[]Record{{Row: 2, Values: map[string]string{"name": "县,水务局", "phone": "1", "flag": `他说"好"`}}}},
		{"quotes inside unquoted text", "名称,电话\n他说\"不行\"的单位,1\n县\"公安局,2\n",
			[]Record{{Row: 2, Values: map[string]string{"name": `他说"不行"的单位`, "phone": "1"}}, {Row: 3, Values: map[string]string{"name": `县"公安局`, "phone": "2"}}}},
		{"a line break in a cell", "名称,电话\n\"县\n水务局\",1\n县公安局,2\n",
			[]Record{{Row: 2, Values: map[string]string{"name": "县\n水务局", "phone": "1"}}, {Row: 4, Values: map[string]string{"name": "县公安局", "phone": "2"}}}},
		{"two cells with line breaks", "名称,电话\n\"县\n水务局\",\"138\n0000\"\n",
			[]Record{{Row: 2, Values: map[string]string{"name": "县\n水务局", "phone": "138\n0000"}}}},
		{"CRLF lines", "名称,电话\r\n\"县\r\n水务局\",1\r\n县公安局,\"2\"\r\n",
			[]Record{{Row: 2, Values: map[string]string{"name": "县\n水务局", "phone": "1"}}, {Row: 4, Values: map[string]string{"name": "县公安局", "phone": "2"}}}},
		{"empty quoted field, no final newline", "名称,电话\n县水务局,\"\"\n\"县公安局\",2",
			[]Record{{Row: 2, Values: map[string]string{"name": "县水务局", "phone": ""}}, {Row: 3, Values: map[string]string{"name": "县公安局", "phone": "2"}}}},
		{"a line break in a cell, fewer fields than the header", "名称,电话,日期\n\"县\n水务局\",1\n",
			[]Record{{Row: 2, Values: map[string]string{"name": "县\n水务局", "phone": "1", "date": ""}}}},
		{"a multi-line header cell", "\"名\n称\",电话\n县水务局,1\n",
			[]Record{{Row: 3, Values: map[string]string{"name": "县水务局", "phone": "1"}}}},
	}
	for _, c := range good {
		t.Run(c.name, func(t *testing.T) {
			tab, err := Read(strings.NewReader(c.csv), "x.csv", spec)
			if err != nil {
				t.Fatal(err)
			}
			assertEqual(t, "records", tab.Records, c.want)
		})
	}
}
