package text

import "testing"

func TestDocument(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"縣生態(tài)環(huán)境局\r\n\r\n\r\n問題臺(tái)賬", "县生态环境局\n\n问题台账"},
		{"\n\n  第一段  \n第二段\t 有空格\n\n", "第一段\n第二段 有空格"},
		{"立行立改（lì xíng lì gǎi）\r自查自糾", "立行立改\n自查自纠"},
		{"大气（油烟）\n(电话19898053976)", "大气（油烟）\n(电话19898053976)"},
		{"", ""},
	} {
		if got := Document(c.in); got != c.want {
			t.Errorf("Document(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
