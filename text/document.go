package text

import "strings"

// Document normalizes the text of a whole document as Clean normalizes a
// cell, line by line, keeping the line breaks: each line is cleaned
// (whitespace, full-width forms, pinyin notes, traditional characters),
// runs of empty lines become one, and empty lines at either end go. So
// "縣生態(tài)環(huán)境局\r\n\r\n\r\n問題臺(tái)賬" becomes "县生态环境局\n\n问题台账".
func Document(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	var b strings.Builder
	b.Grow(len(s))
	blank := false
	for line := range strings.SplitSeq(s, "\n") {
		line = Clean(line)
		if line == "" {
			blank = b.Len() > 0
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('\n')
			if blank {
				b.WriteByte('\n')
			}
		}
		blank = false
		b.WriteString(line)
	}
	return b.String()
}
