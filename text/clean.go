package text

import (
	"strings"
	"unicode"
)

// Clean normalizes one imported cell. It
//
//   - removes zero-width characters (U+200B–U+200D, U+2060, U+FEFF, U+180E)
//     and control characters that are not whitespace;
//   - trims whitespace of every kind (ASCII, U+3000 ideographic space, NBSP
//     and the other Unicode spaces) and collapses each internal run of it,
//     newlines included, to one ASCII space;
//   - converts full-width forms U+FF01–U+FF5E to ASCII, except the
//     punctuation that is normal in Chinese prose, which stays full-width:
//     ， ： ； （ ） ！ ？ (。 and 、 lie outside that block and stay too);
//   - strips inline pinyin annotations: a pair of parentheses, ASCII or
//     full-width, that directly follows a Han character and holds only
//     pinyin syllables (lower-case, with or without tone marks, optionally
//     space separated), no more of them than the Han characters just
//     before it: 環(huán) → 環;
//   - converts traditional characters to simplified ones ([Simplified]).
//
// So Clean("縣生態(tài)環(huán)境局") == "县生态环境局", while 大气（油烟）,
// (电话19898053976), （PM2.5） and (ABC公司) are kept.
func Clean(s string) string {
	if s == "" {
		return ""
	}
	s = normalizeRunes(s)
	if strings.Contains(s, "(") || strings.Contains(s, "（") {
		s = stripPinyin(s)
	}
	return Simplified(s)
}

// keptFullWidth reports whether r is full-width punctuation that Clean
// leaves alone.
func keptFullWidth(r rune) bool {
	switch r {
	case '，', '：', '；', '（', '）', '！', '？':
		return true
	}
	return false
}

// isZeroWidth reports whether r is an invisible character that Clean drops.
func isZeroWidth(r rune) bool {
	switch r {
	case '\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF', '\u180E':
		return true
	}
	return false
}

// plainASCII reports whether s is printable ASCII with no leading, trailing
// or doubled space and no parenthesis, so that Clean can return it as is.
func plainASCII(s string) bool {
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c >= 0x7F {
			return false
		}
		if c == ' ' && s[i+1] == ' ' { // s[len-1] != ' ', so i+1 is valid
			return false
		}
	}
	return true
}

// normalizeRunes does the rune-level part of Clean: whitespace, invisible
// characters and full-width forms.
func normalizeRunes(s string) string {
	if plainASCII(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			space = true
			continue
		case isZeroWidth(r), unicode.IsControl(r):
			continue
		case r >= 0xFF01 && r <= 0xFF5E && !keptFullWidth(r):
			r -= 0xFEE0
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// stripPinyin removes the pinyin annotations described at Clean.
func stripPinyin(s string) string {
	rs := []rune(s)
	out := make([]rune, 0, len(rs))
	han := 0 // length of the run of Han characters just before position i
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		if (r == '(' || r == '（') && han > 0 {
			if j := closingParen(rs, i+1); j > 0 && isPinyinAnnotation(rs[i+1:j], han) {
				i = j // drop "(...)"; the Han run goes on after it
				continue
			}
		}
		if unicode.Is(unicode.Han, r) {
			han++
		} else {
			han = 0
		}
		out = append(out, r)
	}
	return string(out)
}

// closingParen returns the index of the first ')' or '）' at or after from,
// or -1 if another opening parenthesis comes first or there is none.
func closingParen(rs []rune, from int) int {
	for j := from; j < len(rs); j++ {
		switch rs[j] {
		case ')', '）':
			return j
		case '(', '（':
			return -1
		}
	}
	return -1
}
