package text

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// Mask hides personal data in a text that is to be published:
//
//   - mainland mobile numbers 1[3-9]xxxxxxxxx (also after 86 or +86),
//     landline numbers 0xx(x)-xxxxxxx(x) with or without the hyphen, and
//     18-character ID numbers (17 digits and a digit or X) keep their first
//     3 and last 2 characters, every other digit becomes *: 19898053976 →
//     198******76, 0938-8212345 → 093*-*****45. A number counts only as a
//     whole run of digits, so longer numbers, dates, amounts (罚款50000元)
//     and codes (D3SX202612090003) are left alone;
//   - a complainant's name after 举报人, 投诉人, 来电人, 信访人 or 反映人
//     (optionally followed by 姓名 and a colon) keeps its first character:
//     举报人张红霞 → 举报人张**, 投诉人李四反映 → 投诉人李*反映.
//
// A name is two or three Han characters; the third one is left out when it
// is a word that commonly follows a name (称, 反映, 多次, 的 …), and text
// such as 举报人身份证号 or 举报人匿名 is not taken for a name. This is a
// heuristic: a two-character name followed by an unlisted word loses that
// word's first character to the mask.
//
// Full-width digits count as digits (they are folded to ASCII first), and a
// mobile number written in groups (138 1234 5678, 138-1234-5678, +86 138…),
// a landline with its area code in brackets ((0938)8212345) and an old
// 15-digit ID number are masked too; so is a second name listed after the
// first (举报人王五、李六).
func Mask(s string) string {
	s = foldDigits(s)
	return maskNames(maskNumbers(maskGrouped(s)))
}

// foldDigits turns full-width digits, letters X and the signs +-() into ASCII.
func foldDigits(s string) string {
	if !strings.ContainsAny(s, "０１２３４５６７８９＋－（）Ｘｘ") {
		return s
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r >= '０' && r <= '９':
			return r - '０' + '0'
		case r == '＋':
			return '+'
		case r == '－':
			return '-'
		case r == 'Ｘ' || r == 'ｘ':
			return 'X'
		}
		return r
	}, s)
}

// reGrouped finds phone numbers written in groups or with the area code in
// brackets; maskGrouped masks those not inside a longer run of digits.
var reGrouped = regexp.MustCompile(`(?:\+?86[ -]?)?1[3-9]\d[ -]\d{4}[ -]\d{4}|[(（]0\d{2,3}[)）] ?\d{7,8}`)

func maskGrouped(s string) string {
	idx := reGrouped.FindAllStringIndex(s, -1)
	if idx == nil {
		return s
	}
	var b strings.Builder
	last := 0
	for _, m := range idx {
		if (m[0] > 0 && isDigit(s[m[0]-1])) || (m[1] < len(s) && isDigit(s[m[1]])) {
			continue
		}
		b.WriteString(s[last:m[0]])
		maskKeep(&b, s[m[0]:m[1]])
		last = m[1]
	}
	b.WriteString(s[last:])
	return b.String()
}

// isDigit reports whether c is an ASCII digit.
func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// digitsEnd returns the end of the run of ASCII digits that starts at i.
func digitsEnd(s string, i int) int {
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	return i
}

// maskKeep writes number to b with every digit but the first 3 and the last
// 2 replaced by *; other characters (a hyphen) are kept.
func maskKeep(b *strings.Builder, number string) {
	digits := 0
	for i := 0; i < len(number); i++ {
		if isDigit(number[i]) || number[i] == 'X' || number[i] == 'x' {
			digits++
		}
	}
	seen := 0
	for i := 0; i < len(number); i++ {
		c := number[i]
		if isDigit(c) || c == 'X' || c == 'x' {
			seen++
			if seen > 3 && seen <= digits-2 {
				c = '*'
			}
		}
		b.WriteByte(c)
	}
}

// isMobile reports whether d is an 11-digit mainland mobile number.
func isMobile(d string) bool {
	return len(d) == 11 && d[0] == '1' && d[1] >= '3' && d[1] <= '9'
}

// maskNumbers masks phone and ID numbers; see Mask.
func maskNumbers(s string) string {
	var b strings.Builder
	last := 0 // s[last:i] is not yet written
	for i := 0; i < len(s); {
		if !isDigit(s[i]) {
			i++
			continue
		}
		j := digitsEnd(s, i)
		run := s[i:j]
		end := -1 // end of the number to mask, -1 for none
		from := i // start of the number to mask
		switch {
		case len(run) >= 3 && len(run) <= 4 && run[0] == '0' &&
			j+1 < len(s) && s[j] == '-' && isDigit(s[j+1]):
			if k := digitsEnd(s, j+1); k-j-1 >= 7 && k-j-1 <= 8 {
				end = k
			}
		case len(run) == 17 && j < len(s) && (s[j] == 'X' || s[j] == 'x'):
			end = j + 1
		case len(run) == 18, len(run) == 15: // ID numbers, the old ones had 15 digits
			end = j
		case isMobile(run):
			end = j
		case len(run) >= 10 && len(run) <= 12 && run[0] == '0':
			end = j
		case len(run) == 13 && strings.HasPrefix(run, "86") && isMobile(run[2:]):
			from, end = i+2, j
		}
		if end < 0 {
			i = j
			continue
		}
		if b.Len() == 0 {
			b.Grow(len(s))
		}
		b.WriteString(s[last:from])
		maskKeep(&b, s[from:end])
		last, i = end, end
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// reComplainant finds a complainant keyword and up to three Han characters
// after it.
var reComplainant = regexp.MustCompile(`(?:举报人|投诉人|来电人|信访人|反映人)(?:姓名)? ?(?:[:：] ?)?(\p{Han}{2,3})(?:、(\p{Han}{2,3}))?`)

// notNameStart holds characters that do not start a name after a
// complainant keyword (举报人身份证号, 举报人称, 举报人匿名, 来电人电话 …).
const notNameStart = "反称表要在对通的说诉认未不姓等匿及与系是已多电信身手联现均们一本无情并"

// notNameThird holds characters that, as the third character after the
// keyword, rather start the next word (李四称, 李四反映, 李四多次 …) than end
// a three-character name. Characters common in given names are left out.
const notNameThird = "反称投举表诉要认说的于在对通电联手身等及与住了已是现未女男从到因被将也都又还就所系请问后时再并但却而拨打致去多今曾先"

// maskNames masks complainants' names; see Mask.
func maskNames(s string) string {
	if !strings.Contains(s, "人") {
		return s
	}
	idx := reComplainant.FindAllStringSubmatchIndex(s, -1)
	if idx == nil {
		return s
	}
	var b strings.Builder
	last := 0
	for _, m := range idx {
		for g := 2; g+1 < len(m); g += 2 {
			if m[g] < 0 || m[g] < last {
				continue
			}
			name := s[m[g]:m[g+1]]
			first, size := utf8.DecodeRuneInString(name)
			if strings.ContainsRune(notNameStart, first) {
				break
			}
			runes := []rune(name)
			if len(runes) == 3 && strings.ContainsRune(notNameThird, runes[2]) {
				runes = runes[:2]
			}
			b.WriteString(s[last:m[g]])
			b.WriteString(name[:size])
			b.WriteString(strings.Repeat("*", len(runes)-1))
			last = m[g] + len(string(runes))
		}
	}
	b.WriteString(s[last:])
	return b.String()
}
