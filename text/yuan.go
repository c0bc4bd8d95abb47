package text

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// ---------------------------------------------------------------------------
// Amounts

// ErrEmptyAmount is returned by ParseYuan for an empty or blank value.
var ErrEmptyAmount = errors.New("金额为空")

// yuanPrefixes are words that may stand before an amount and are dropped.
var yuanPrefixes = []string{"并处", "处以", "处", "罚款", "金额", "共计", "合计", "累计", "总计",
	"计", "为", "人民币", "RMB", "CNY", "￥", "¥", ":", "："}

// pow10 holds 10^0 … 10^18.
var pow10 = func() [19]int64 {
	var p [19]int64
	p[0] = 1
	for i := 1; i < len(p); i++ {
		p[i] = p[i-1] * 10
	}
	return p
}()

// yuanDigits maps Chinese digits, ordinary and financial (大写), to values.
var yuanDigits = map[rune]int64{
	'零': 0, '〇': 0, '一': 1, '壹': 1, '二': 2, '贰': 2, '两': 2, '三': 3, '叁': 3,
	'四': 4, '肆': 4, '五': 5, '伍': 5, '六': 6, '陆': 6, '七': 7, '柒': 7,
	'八': 8, '捌': 8, '九': 9, '玖': 9,
}

// yuanUnits maps Chinese multipliers to powers of ten.
var yuanUnits = map[rune]int{'十': 1, '拾': 1, '百': 2, '佰': 2, '千': 3, '仟': 3, '万': 4, '亿': 8}

// decimal is the exact value m / 10^d, m ≥ 0.
type decimal struct {
	m int64
	d int
}

var errOverflow = errors.New("overflow")

// mulPow10 returns x·10^k, keeping written decimals as long as they last.
func (x decimal) mulPow10(k int) (decimal, error) {
	if x.d >= k {
		return decimal{x.m, x.d - k}, nil
	}
	k -= x.d
	if k >= len(pow10) || x.m > math.MaxInt64/pow10[k] {
		return decimal{}, errOverflow
	}
	return decimal{x.m * pow10[k], 0}, nil
}

// add returns x+y with the larger number of decimals.
func (x decimal) add(y decimal) (decimal, error) {
	if x.d < y.d {
		x, y = y, x
	}
	y, err := y.mulPow10(x.d - y.d) // now y.d == x.d
	if err != nil {
		return decimal{}, err
	}
	y.d = x.d
	if y.m > math.MaxInt64-x.m {
		return decimal{}, errOverflow
	}
	return decimal{x.m + y.m, x.d}, nil
}

// ParseYuan reads an amount of money and returns it in fen (1/100 yuan),
// with integer arithmetic only. The value goes through Clean first, so
// full-width digits and traditional characters are accepted. Accepted:
//
//   - Arabic numbers with an optional decimal part and optional thousands
//     separators (, or ，in groups of three): 251542.71, 12,500.50元;
//   - a multiplier 万 or 亿 after them: 5万元, 1.2万, 0.35亿元;
//   - Chinese numerals, ordinary or financial, with 两, 零 and 〇:
//     三万元, 十二万五千元, 壹万贰仟元整, 一千零五十元, and the spoken short
//     form 一万二 (12000, only without a following 元); Arabic and Chinese
//     mixed: 5万3000元, 5万零300元, 1亿5000万元 (an Arabic number after a
//     unit must fill the places below it, so 1万2 and 5万300元 are
//     rejected);
//   - 角 and 分 after 元: 12元5角3分;
//   - leading words such as 罚款, 处以, 人民币, 共计, 金额为 and ¥, and a
//     trailing 整 or 人民币: 罚款人民币三万元 is 3000000.
//
// It rejects an empty value (ErrEmptyAmount), a negative one, more decimal
// places than fen can hold (more than 2 in 元, more than 6 in 万, counted as
// written, so 12.500元 is rejected too), values beyond int64 fen, and
// anything else it cannot read. Error messages name the value.
func ParseYuan(s string) (fen int64, err error) {
	v := strings.ReplaceAll(Clean(s), " ", "")
	if v == "" {
		return 0, ErrEmptyAmount
	}
	body := trimYuanWords(v)
	switch {
	case body == "":
		return 0, fmt.Errorf("无法识别的金额“%s”", v)
	case strings.HasPrefix(body, "-") || strings.HasPrefix(body, "负") || strings.HasPrefix(body, "−"):
		return 0, fmt.Errorf("金额“%s”不能为负数", v)
	}
	fen, err = parseYuanBody(body)
	switch {
	case errors.Is(err, errOverflow):
		return 0, fmt.Errorf("金额“%s”过大", v)
	case errors.Is(err, errDecimals):
		return 0, fmt.Errorf("金额“%s”的小数位数过多：元最多两位，万元最多六位", v)
	case err != nil:
		return 0, fmt.Errorf("无法识别的金额“%s”", v)
	}
	return fen, nil
}

// trimYuanWords drops the words around an amount that ParseYuan allows.
func trimYuanWords(v string) string {
	for changed := true; changed; {
		changed = false
		for _, p := range yuanPrefixes {
			if strings.HasPrefix(v, p) {
				v, changed = v[len(p):], true
			}
		}
	}
	v = strings.TrimSuffix(v, "人民币")
	v = strings.TrimSuffix(v, "整")
	return strings.TrimSuffix(v, "块")
}

var (
	errDecimals = errors.New("too many decimals")
	errSyntax   = errors.New("syntax")
)

// parseYuanBody parses a cleaned amount without the words around it.
func parseYuanBody(s string) (int64, error) {
	rs := []rune(s)
	var (
		total, section, num decimal
		haveNum, chinese    bool // num is set; it is one Chinese digit
		seen                bool // some digit was read
		zero                bool // a 零 since the last unit
		lastUnit            = 0  // exponent of the last unit read
		prevSmall, prevBig  = 4, 9
		width               int // characters of an Arabic num
	)
	// last checks the number that ends the amount, before 元 or at the end.
	// After a unit an Arabic number must fill the places below it (5万3000,
	// 5万零300), so that 1万2 is not read as 10002; a Chinese digit there is
	// the spoken short form (一万二) without 元 and ambiguous with it.
	last := func(yuan bool) (decimal, error) {
		switch {
		case !haveNum || lastUnit == 0:
		case !chinese && (zero && width >= lastUnit || !zero && width != lastUnit):
			return decimal{}, errSyntax
		case chinese && !zero && lastUnit >= 2:
			if yuan {
				return decimal{}, errSyntax // 三万五元
			}
			return decimal{num.m * pow10[lastUnit-1], 0}, nil // 一万二 = 12000
		}
		return pick(haveNum, num), nil
	}
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case r >= '0' && r <= '9':
			if haveNum {
				return 0, errSyntax
			}
			j, d, err := scanArabic(rs, i)
			if err != nil {
				return 0, err
			}
			if lastUnit > 0 && (d.d > 0 || j-i > lastUnit) { // 5万3000: at most 4 digits after 万
				return 0, errSyntax
			}
			num, haveNum, chinese, seen, width = d, true, false, true, j-i
			i = j - 1
		case r == '零' || r == '〇':
			if haveNum {
				return 0, errSyntax
			}
			zero, seen = true, true
		case yuanDigits[r] > 0:
			if haveNum {
				return 0, errSyntax
			}
			num, haveNum, chinese, seen = decimal{yuanDigits[r], 0}, true, true, true
		case yuanUnits[r] > 0 && yuanUnits[r] < 4:
			e := yuanUnits[r]
			if e >= prevSmall {
				return 0, errSyntax
			}
			n := num
			if !haveNum {
				if e != 1 { // only 十 stands alone: 十二, 一千零十
					return 0, errSyntax
				}
				n = decimal{1, 0}
			}
			v, err := n.mulPow10(e)
			if err != nil {
				return 0, err
			}
			if section, err = section.add(v); err != nil {
				return 0, err
			}
			haveNum, seen, zero, prevSmall, lastUnit = false, true, false, e, e
		case yuanUnits[r] >= 4:
			e := yuanUnits[r]
			if e >= prevBig || !seen {
				return 0, errSyntax
			}
			g, err := section.add(pick(haveNum, num))
			if err != nil {
				return 0, err
			}
			if g, err = g.mulPow10(e); err != nil {
				return 0, err
			}
			if total, err = total.add(g); err != nil {
				return 0, err
			}
			section, haveNum, zero, prevSmall, prevBig, lastUnit = decimal{}, false, false, 4, e, e
		case r == '元' || r == '圆':
			n, err := last(true)
			if err != nil || !seen {
				return 0, errSyntax
			}
			y, err := sumYuan(total, section, n)
			if err != nil {
				return 0, err
			}
			f, err := parseJiaoFen(rs[i+1:])
			if err != nil {
				return 0, err
			}
			if y > math.MaxInt64-f {
				return 0, errOverflow
			}
			return y + f, nil
		case r == '角' || r == '分':
			if i != 1 || !haveNum { // 5角, 3分: one digit and no 元
				return 0, errSyntax
			}
			return parseJiaoFen(rs)
		default:
			return 0, errSyntax
		}
	}
	if !seen {
		return 0, errSyntax
	}
	n, err := last(false)
	if err != nil {
		return 0, err
	}
	return sumYuan(total, section, n)
}

// pick returns d if ok, else zero.
func pick(ok bool, d decimal) decimal {
	if ok {
		return d
	}
	return decimal{}
}

// sumYuan adds the parts of an amount in yuan and returns it in fen.
func sumYuan(parts ...decimal) (int64, error) {
	var t decimal
	for _, p := range parts {
		var err error
		if t, err = t.add(p); err != nil {
			return 0, err
		}
	}
	if t.d > 2 {
		return 0, errDecimals
	}
	t, err := t.mulPow10(2)
	return t.m, err
}

// scanArabic reads an Arabic number with optional thousands separators and
// decimals starting at rs[i]; it returns the index after it.
func scanArabic(rs []rune, i int) (int, decimal, error) {
	j := digitRun(rs, i)
	digits := append([]rune(nil), rs[i:j]...)
	if j < len(rs) && (rs[j] == ',' || rs[j] == '，') {
		if j-i > 3 {
			return 0, decimal{}, errSyntax
		}
		for j < len(rs) && (rs[j] == ',' || rs[j] == '，') {
			k := digitRun(rs, j+1)
			if k-j-1 != 3 {
				return 0, decimal{}, errSyntax
			}
			digits = append(digits, rs[j+1:k]...)
			j = k
		}
	}
	dec := 0
	if j < len(rs) && rs[j] == '.' {
		k := digitRun(rs, j+1)
		if k == j+1 {
			return 0, decimal{}, errSyntax
		}
		dec = k - j - 1
		digits = append(digits, rs[j+1:k]...)
		j = k
	}
	var m int64
	if str := strings.TrimLeft(string(digits), "0"); str != "" {
		var err error
		if m, err = strconv.ParseInt(str, 10, 64); err != nil {
			return 0, decimal{}, errOverflow // only digits: the one possible error
		}
	}
	return j, decimal{m, dec}, nil
}

// digitRun returns the end of the run of ASCII digits starting at rs[i].
func digitRun(rs []rune, i int) int {
	for i < len(rs) && rs[i] >= '0' && rs[i] <= '9' {
		i++
	}
	return i
}

// parseJiaoFen reads what may follow 元: [digit 角][零][digit 分].
func parseJiaoFen(rs []rune) (int64, error) {
	var fen int64
	next := '角' // the smallest unit still allowed
	for i := 0; i < len(rs); i++ {
		if rs[i] == '零' || rs[i] == '〇' {
			continue
		}
		d, ok := yuanDigits[rs[i]]
		if rs[i] >= '0' && rs[i] <= '9' {
			d, ok = int64(rs[i]-'0'), true
		}
		if !ok || i+1 >= len(rs) {
			return 0, errSyntax
		}
		switch {
		case rs[i+1] == '角' && next == '角':
			fen += d * 10
			next = '分'
		case rs[i+1] == '分' && next != 0:
			fen += d
			next = 0
		default:
			return 0, errSyntax
		}
		i++
	}
	return fen, nil
}
