package text

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Mask hides personal data in a text that is to be published and changes
// nothing else: every character that is not part of a phone number, an ID
// number or a complainant's name comes out as it went in (full-width digits
// and traditional characters included). What it hides:
//
//   - mainland mobile numbers 1[3-9]xxxxxxxxx (also after 86 or +86),
//     landline numbers 0xx(x)-xxxxxxx(x) with or without the hyphen, and
//     18-character ID numbers (17 digits and a digit or X) keep their first
//     3 and last 2 characters, every other digit becomes *: 19898053976 →
//     198******76, 0938-8212345 → 093*-*****45. A number counts only as a
//     whole run of digits, so longer numbers, dates, amounts (罚款50000元)
//     and codes (D3SX202612090003) are left alone. A mobile number written
//     in groups (138 1234 5678, 138-1234-5678, +86 138…), a landline with
//     its area code in brackets ((0938)8212345) and an old 15-digit ID
//     number are masked too; full-width digits count as digits;
//   - a complainant's name keeps its surname, the rest becomes one * a
//     character: 举报人张红霞 → 举报人张**, 投诉人李四反映 → 投诉人李*反映,
//     来电人：欧阳娜娜 → 来电人：欧阳**, 举报人刘女士 → 举报人刘**.
//
// A name is taken only where a complainant is named: right after 举报人,
// 投诉人, 来电人, 来信人, 来访人, 信访人 or 反映人 (traditional forms too),
// optionally followed by 姓名, 为, a colon or a space, or after a name so
// found and 、, 和, 及 or 与 (举报人王五、李六). What stands there must look
// like a name (see maskNames): a common surname (nameSurnames, compound
// ones included) followed by 某 or 某某, by 先生, 女士 or a like form of
// address (a name form too: masked, so that whether a complainant is a man
// or a woman is not published either), or by one or two given-name
// characters that are followed by what follows a name (a verb such as 反映,
// 称, 投诉, 表示, punctuation, 等, 的, the end of the text …). So 向举报人做好
// 解释工作, 举报人反映, 举报人所反映的问题, 与举报人沟通, 举报人对处理结果
// 表示满意 and 举报人于近日来电 are published as they are.
//
// Known limits: a complainant named without one of these words before the
// name (群众张三反映) or with an uncommon surname is not masked; a name
// whose surname is also a preposition or adverb right after the keyword
// (于, 向, 曾) is masked only in the 某 and 先生/女士 forms or when
// punctuation follows it, since 举报人向城管反映 is far more common than a
// complainant named 向城管.
func Mask(s string) string {
	if s == "" {
		return s
	}
	// det is the text as the rules read it: full-width digits and signs
	// folded to ASCII, one rune for one rune, so that rune i of det is
	// rune i of s.
	det := foldDigits(s)
	masked := maskNumbers(maskGrouped(det))
	var hide []bool // by rune index: the rune becomes *
	if masked != det {
		// Numbers are masked digit by digit in ASCII, so det and masked
		// have the same runes but for the *.
		hide = make([]bool, utf8.RuneCountInString(det))
		i := 0
		for k := 0; k < len(det); i++ {
			r, n := utf8.DecodeRuneInString(det[k:])
			if masked[k] == '*' && r != '*' {
				hide[i] = true
			}
			k += n
		}
	}
	hide = maskNames(det, hide)
	if hide == nil {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	i := 0
	for _, r := range s {
		if hide[i] {
			b.WriteByte('*')
		} else {
			b.WriteRune(r)
		}
		i++
	}
	return b.String()
}

// foldDigits turns full-width digits, letters X and the signs +- into
// ASCII, one rune for one rune.
func foldDigits(s string) string {
	if !strings.ContainsAny(s, "０１２３４５６７８９＋－Ｘｘ") {
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

// complainantWords are the words after which a complainant may be named,
// simplified (maskNames reads a simplified copy of the text).
var complainantWords = [][]rune{
	[]rune("举报人"), []rune("投诉人"), []rune("来电人"), []rune("来信人"),
	[]rune("来访人"), []rune("信访人"), []rune("反映人"),
}

// nameSurnames are the single-character surnames maskNames recognises: the
// hundred most common ones and the next sixty or so, among them the ones
// common in Gansu, where the demo county lies (牛, 蒲, 巩, 裴, 苟).
const nameSurnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付傅方邹熊白孟秦邱侯江尹薛闫阎段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严莫孔向常汤康易乔赖文施洪辛柯庄樊殷" +
	"葛安牛齐申欧倪童庞颜聂章翟盛耿管焦祁尚蒲苟裴巩岳鲁俞柴左涂祝包靳甘邢纪马米兰景路温房车艾关谷单占党凌席吉阮尤鲍蓝蒙麻卜芦强"

// compoundSurnames are two-character surnames.
var compoundSurnames = []string{"欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容",
	"令狐", "宇文", "长孙", "夏侯", "轩辕", "端木", "司徒", "西门", "南宫", "独孤", "呼延", "申屠", "闻人", "澹台", "万俟"}

// prepSurnames are surnames that right after a complainant word are far
// more often a preposition or an adverb (举报人于近日, 向城管, 曾多次): their
// given-name forms need punctuation after them.
const prepSurnames = "于向曾"

// nameForms are forms of address after a surname: 刘女士, 王先生.
var nameForms = [][]rune{[]rune("先生"), []rune("女士"), []rune("小姐"), []rune("师傅"), []rune("阿姨"),
	[]rune("大爷"), []rune("大妈"), []rune("大姐"), []rune("大哥")}

// notGiven holds characters that do not stand in a given name: function
// words and the words around a complainant (称, 反映, 县, 局 …).
const notGiven = "的了在于对与及等称说是为我你他她它们这那其该此已曾将被把从到也都又还就不没未无多次今昨近当" +
	"县市乡镇村局区省所反映表示要求投诉举报电话手机联系身份证住居现男女某先人情况问题处认提介指通请希担因个些每各并而但或即便"

// notNames are words that start with a surname but, after a complainant
// word, are no name: 举报人常年居住, 举报人高度关注 ….
var notNames = []string{"常年", "常常", "常住", "时常", "时间", "高度", "全家", "全部", "全体", "关于", "关心", "关注",
	"马上", "周边", "周围", "万分", "方便", "方面", "车辆", "申请", "申诉", "安全", "安排", "文化", "任何", "白天",
	"程序", "陆续", "包括", "严重", "连续", "成为", "成功", "强烈", "单位", "管理", "管辖", "路过", "路边", "景区",
	"房屋", "米左右", "甘肃", "温度", "党员", "齐全", "尚未", "左右", "艾滋", "谷物", "石头", "金额", "江边", "林地", "田地", "龙头"}

// strongAfter are words that follow a name and make it one: a verb of
// complaining or the like (level 3 in nameFollow).
var strongAfter = [][]rune{[]rune("反映"), []rune("反应"), []rune("称"), []rune("说"), []rune("讲"), []rune("表示"),
	[]rune("投诉"), []rune("举报"), []rune("来电"), []rune("来信"), []rune("来访"), []rune("致电"), []rune("拨打"),
	[]rune("诉称"), []rune("介绍"), []rune("提出"), []rune("要求"), []rune("认为"), []rune("指出"), []rune("多次"),
	[]rune("再次"), []rune("反复"), []rune("一直"), []rune("同志"), []rune("等")}

// wordsAfter are longer words that may follow a name (level 2, as
// punctuation): 王五家住, 张三电话.
var wordsAfter = [][]rune{[]rune("家住"), []rune("电话"), []rune("手机"), []rune("联系"), []rune("身份"), []rune("居住"),
	[]rune("本人"), []rune("夫妇"), []rune("一家"), []rune("通过"), []rune("希望"), []rune("担心"), []rune("提供"),
	[]rune("及其"), []rune("现住"), []rune("住址")}

// charsAfter are single characters that may follow a name (level 1).
const charsAfter = "的在于对向和与及从到家住所系是为现男女年今曾也都还就已未不没因请之"

// nameJoins are the characters that join a second name to a first one.
const nameJoins = "、和及与"

// maskNames marks in hide (by rune index, allocated when nil) the given
// names of the complainants named in s and returns it; see Mask.
func maskNames(s string, hide []bool) []bool {
	if !strings.Contains(s, "人") {
		return hide
	}
	rs := []rune(s)
	// Read traditional text as simplified when that keeps every rune in
	// place (t2s maps characters one for one nearly always).
	if v := []rune(Simplified(s)); len(v) == len(rs) {
		rs = v
	}
	for i := 0; i < len(rs); i++ {
		kw := 0
		for _, w := range complainantWords {
			if hasRunes(rs[i:], w) {
				kw = len(w)
				break
			}
		}
		if kw == 0 {
			continue
		}
		j := i + kw
		if hasRunes(rs[j:], []rune("姓名")) {
			j += 2
		} else if j < len(rs) && rs[j] == '为' {
			j++
		}
		j = skipSpace(rs, j)
		if j < len(rs) && (rs[j] == '：' || rs[j] == ':') {
			j = skipSpace(rs, j+1)
		}
		for {
			sur, n := nameAt(rs, j)
			if n == 0 {
				break
			}
			if hide == nil {
				hide = make([]bool, len(rs))
			}
			for k := j + sur; k < j+n; k++ {
				hide[k] = true
			}
			j += n
			if j+1 < len(rs) && strings.ContainsRune(nameJoins, rs[j]) {
				if _, m := nameAt(rs, j+1); m > 0 {
					j++
					continue
				}
			}
			break
		}
		i = j - 1
	}
	return hide
}

// nameAt reads a name at rs[p:] and returns the length of its surname and
// of the whole name, 0, 0 when no name stands there.
func nameAt(rs []rune, p int) (surname, n int) {
	if p >= len(rs) {
		return 0, 0
	}
	for _, c := range compoundSurnames {
		if hasRunes(rs[p:], []rune(c)) {
			surname = 2
			break
		}
	}
	if surname == 0 && strings.ContainsRune(nameSurnames, rs[p]) {
		surname = 1
	}
	if surname == 0 {
		return 0, 0
	}
	q := p + surname
	switch {
	case hasRunes(rs[q:], []rune("某某")):
		return surname, surname + 2
	case hasRunes(rs[q:], []rune("某")):
		return surname, surname + 1
	}
	for _, f := range nameForms {
		if hasRunes(rs[q:], f) {
			return surname, surname + len(f)
		}
	}
	for _, w := range notNames {
		if hasRunes(rs[p:], []rune(w)) {
			return 0, 0
		}
	}
	prep := surname == 1 && strings.ContainsRune(prepSurnames, rs[p])
	// One or two given-name characters: the form whose following words
	// look more like what follows a name wins, two characters in a tie.
	best, bestLevel := 0, 0
	for g := 2; g >= 1; g-- {
		if q+g > len(rs) || !givenName(rs[q:q+g]) {
			continue
		}
		level := nameFollow(rs, q+g)
		if prep && level != 2 {
			continue
		}
		if level > bestLevel {
			best, bestLevel = g, level
		}
	}
	if best == 0 {
		return 0, 0
	}
	return surname, surname + best
}

// givenName reports whether rs may be a given name.
func givenName(rs []rune) bool {
	for _, r := range rs {
		if !unicode.Is(unicode.Han, r) || strings.ContainsRune(notGiven, r) {
			return false
		}
	}
	return true
}

// nameFollow says how well rs[q:] reads as what follows a name: 3 for a
// verb of complaining (反映, 称 …), 2 for punctuation, a digit, a space,
// the end of the text or words such as 家住 and 电话, 1 for a function
// character (的, 在, 和 …), 0 for anything else.
func nameFollow(rs []rune, q int) int {
	if q >= len(rs) {
		return 2
	}
	for _, w := range strongAfter {
		if hasRunes(rs[q:], w) {
			return 3
		}
	}
	r := rs[q]
	switch {
	case r < utf8.RuneSelf, unicode.IsPunct(r), unicode.IsSpace(r), unicode.IsSymbol(r):
		return 2
	case r >= '０' && r <= '９':
		return 2
	}
	for _, w := range wordsAfter {
		if hasRunes(rs[q:], w) {
			return 2
		}
	}
	if strings.ContainsRune(charsAfter, r) {
		return 1
	}
	return 0
}

// hasRunes reports whether rs starts with w.
func hasRunes(rs, w []rune) bool {
	if len(rs) < len(w) {
		return false
	}
	for i, r := range w {
		if rs[i] != r {
			return false
		}
	}
	return true
}

// skipSpace returns the index of the first rune at or after i that is not
// a space.
func skipSpace(rs []rune, i int) int {
	for i < len(rs) && (rs[i] == ' ' || rs[i] == '\u3000') {
		i++
	}
	return i
}
