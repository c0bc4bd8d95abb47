package text

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Measure kinds (处理措施), in the order of SPEC section 2 and of the daily
// report.
const (
	MeasureOrderedToRectify        = "ordered_to_rectify"       // 责令整改 (enterprises)
	MeasureSuspended               = "suspended"                // 停产整治 (enterprises)
	MeasureClosedDown              = "closed_down"              // 关停取缔 (enterprises)
	MeasureListedSupervision       = "listed_supervision"       // 挂牌督办 (enterprises)
	MeasurePenaltyCase             = "penalty_case"             // 立案处罚 (enterprises, fine in yuan)
	MeasureCriminalCase            = "criminal_case"            // 立案侦查 (cases)
	MeasureAdministrativeDetention = "administrative_detention" // 行政拘留 (persons)
	MeasureCriminalDetention       = "criminal_detention"       // 刑事拘留 (persons)
	MeasureInterviewed             = "interviewed"              // 约谈 (persons)
	MeasureHeldAccountable         = "held_accountable"         // 问责 (persons)
)

// measureKinds lists the kinds in SPEC order, each with its label.
var measureKinds = []struct{ kind, label string }{
	{MeasureOrderedToRectify, "责令整改"},
	{MeasureSuspended, "停产整治"},
	{MeasureClosedDown, "关停取缔"},
	{MeasureListedSupervision, "挂牌督办"},
	{MeasurePenaltyCase, "立案处罚"},
	{MeasureCriminalCase, "立案侦查"},
	{MeasureAdministrativeDetention, "行政拘留"},
	{MeasureCriminalDetention, "刑事拘留"},
	{MeasureInterviewed, "约谈"},
	{MeasureHeldAccountable, "问责"},
}

// MeasureKinds returns the measure kinds in SPEC order.
func MeasureKinds() []string {
	out := make([]string, len(measureKinds))
	for i, k := range measureKinds {
		out[i] = k.kind
	}
	return out
}

// MeasureLabel returns the Chinese label of a measure kind (责令整改 for
// ordered_to_rectify), or "" for an unknown kind.
func MeasureLabel(kind string) string {
	for _, k := range measureKinds {
		if k.kind == kind {
			return k.label
		}
	}
	return ""
}

// MeasureCountsPersons reports whether a kind is counted in persons:
// interviewed, the two detentions and held_accountable.
func MeasureCountsPersons(kind string) bool {
	switch kind {
	case MeasureInterviewed, MeasureAdministrativeDetention, MeasureCriminalDetention, MeasureHeldAccountable:
		return true
	}
	return false
}

// MeasureCountsEnterprises reports whether a kind is counted in distinct
// enterprises: ordered_to_rectify, suspended, closed_down,
// listed_supervision and penalty_case. criminal_case counts cases and is
// neither.
func MeasureCountsEnterprises(kind string) bool {
	switch kind {
	case MeasureOrderedToRectify, MeasureSuspended, MeasureClosedDown, MeasureListedSupervision, MeasurePenaltyCase:
		return true
	}
	return false
}

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
//     mixed: 5万3000元 (an Arabic number after a unit is added as written,
//     so 1万2 is 10002 yuan);
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
	)
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
			num, haveNum, chinese, seen = d, true, false, true
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
			if !seen || (haveNum && chinese && !zero && lastUnit >= 2) { // 三万五元 is ambiguous
				return 0, errSyntax
			}
			y, err := sumYuan(total, section, pick(haveNum, num))
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
	if haveNum && chinese && !zero && lastUnit >= 2 { // 一万二 = 12000, 三百五 = 350
		num.m *= pow10[lastUnit-1]
	}
	fen, err := sumYuan(total, section, pick(haveNum, num))
	return fen, err
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

// ---------------------------------------------------------------------------
// Proposals

// MeasureProposal is a measure that a handling text (处理和整改情况) seems
// to report, for the user to confirm.
type MeasureProposal struct {
	// Kind is one of the Measure… constants.
	Kind string
	// Persons is the number of persons for the kinds counted in persons
	// (MeasureCountsPersons), at least 1; 0 for the other kinds.
	Persons int
	// FineFen is the fine of a penalty_case in fen (1/100 yuan), 0 when the
	// text states none.
	FineFen int64
	// Evidence is the words of the cleaned text that gave the proposal;
	// several passages are joined by "；".
	Evidence string
}

// measurePatterns finds the words of each kind in a cleaned text without
// spaces. A pattern's match is a hit; see ProposeMeasures for what is
// dropped afterwards.
var measurePatterns = []struct {
	kind string
	re   *regexp.Regexp
}{
	// 停 and 关 may not stand between 责令 and 整改: 责令停产整改 is suspension.
	{MeasureOrderedToRectify, regexp.MustCompile(`责令[^，。；;！？!?停关]{0,20}?(?:整改|改正)|限期(?:整改|改正)|立即整改`)},
	{MeasureSuspended, regexp.MustCompile(`责令(?:其|该企业|该厂|该单位)?(?:停产|停业|停工|停止生产)(?:整治|整顿|整改)?|(?:停产|停业|停工)(?:整治|整顿|整改)|停止生产|暂停生产|停产停业`)},
	{MeasureClosedDown, regexp.MustCompile(`关停取缔|取缔关停|关闭取缔|取缔|关停|依法关闭|予以关闭|责令关闭|两断三清|断水断电|拆除[^，。；;！？!?]{0,4}?(?:设备|设施|生产线)`)},
	{MeasureListedSupervision, regexp.MustCompile(`挂牌督办`)},
	{MeasurePenaltyCase, regexp.MustCompile(`立案处罚|立案查处|立案调查|行政处罚|罚没款|罚款`)},
	{MeasureCriminalCase, regexp.MustCompile(`立案侦查|刑事立案|(?:移送|移交)(?:至|给)?(?:县|市)?公安|移送司法机关`)},
	{MeasureAdministrativeDetention, regexp.MustCompile(`行政拘留`)},
	{MeasureCriminalDetention, regexp.MustCompile(`刑事拘留|刑拘`)},
	{MeasureInterviewed, regexp.MustCompile(`约谈`)},
	{MeasureHeldAccountable, regexp.MustCompile(`问责|追责|责任追究|追究[^，。；;！？!?]{0,8}?责任|诫勉谈话|诫勉|(?:党纪|政务|政纪|党内)[^，。；;！？!?]{0,4}?处分`)},
}

var (
	// reCount is a number of persons: 2人, 两名, 3位, 1人次.
	reCount = regexp.MustCompile(`([0-9]+|[一二两三四五六七八九十]+)(?:个)?(?:人|名|位)`)
	// reFirmCount counts persons as the enterprises whose heads they are:
	// 约谈3家企业负责人.
	reFirmCount = regexp.MustCompile(`([0-9]+|[一二两三四五六七八九十]+)家[^，。；;！？!?]{0,6}?(?:负责人|法定代表人|法人)`)
	// reFirms is a number of enterprises: 两家, 3家.
	reFirms = regexp.MustCompile(`([0-9]+|[一二两三四五六七八九十]+)家`)
	// reName is a person named as texts do: 王某, 李某某.
	reName = regexp.MustCompile(`[王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙陶黎贺顾毛郝龚邵钱严覃武戴莫孔汤]某{1,2}`)
	// amount is an amount as ParseYuan reads it, found in running text.
	amount = `(?:[0-9]{1,3}(?:[,，][0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?|[零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟])+` +
		`(?:元(?:[0-9一二三四五六七八九]角)?(?:零?[0-9一二三四五六七八九]分)?)?`
	reFineAfter  = regexp.MustCompile(`^((?:人民币|金额|共计|合计|累计|总计|计|为|：|:|￥|¥)*)(` + amount + `)`)
	reFineBefore = regexp.MustCompile(`(` + amount + `)(?:的)?$`)
)

// negation words: a hit with one of them shortly before it in its clause is
// not proposed. 不 and 未 also describe the violation (不达标, 未批先建):
// then they are not negations; see negated.
var (
	negWords  = []string{"不", "未", "无需", "无须", "免予", "免于", "没有"}
	notNegBu  = []string{"达标", "合格", "规范", "到位", "符合", "力", "严", "正常", "按", "属实"}
	notNegWei = []string{"批", "经", "按", "取得", "办理", "落实", "验收", "配套", "安装", "建设", "达标",
		"依法", "及时", "完成", "采取", "履行", "正常", "设置", "规范", "严格", "妥善", "评", "整改"}
	// condWords mark what is threatened, not done: a hit after one of them
	// in the same sentence is not proposed.
	condWords = []string{"若", "如果", "如发现", "如再", "如仍", "如有", "如不", "如未", "假如", "否则",
		"逾期未", "逾期不", "逾期仍", "一经发现", "一经查实", "一旦", "下一步", "将依法", "将予以", "将视情",
		"将严肃", "将对", "将进一步", "将按", "将从严"}
)

// negWindow is how many characters before a hit are searched for negations.
const negWindow = 6

// measureHit is one finding of a measure in the text; offsets are bytes.
type measureHit struct {
	kind       string
	start, end int // the keyword
	evStart    int // the evidence: keyword, count or amount
	evEnd      int
	clause     int // start of the clause
	persons    int // the number stated for it, 0 if none
	names      []string
	fen        int64
	fine       bool // fen is a stated fine
	total      bool // the fine is a total (共计罚款)
	paid       bool // the fine is a payment (缴纳罚款)
}

// ProposeMeasures reads a handling text and proposes the measures it
// reports, one per kind, in SPEC order. The text goes through Clean and
// loses its spaces; Evidence quotes that form.
//
// Words and what they propose:
//
//   - 责令…整改/改正 (at most 10 characters between, none of them 停 or 关),
//     限期整改, 限期改正, 立即整改 → ordered_to_rectify;
//   - 停产/停业/停工 + 整治/整顿/整改, 责令停产, 责令停业, 停止生产 …
//     → suspended; 责令停产整治 alone does not also propose
//     ordered_to_rectify;
//   - 关停, 取缔, 依法关闭, 两断三清, 拆除(生产)设备 → closed_down;
//   - 挂牌督办 → listed_supervision;
//   - 罚款, 立案处罚, 立案查处, 立案调查, 行政处罚 → penalty_case, with the
//     amount after 罚款 (罚款人民币12,500.50元) or before it (处5万元罚款);
//   - 立案侦查, 刑事立案, 移送公安, 移送司法机关 → criminal_case, except
//     移送公安 in a sentence that speaks of 行政拘留 and not of 侦查, 刑事 or
//     犯罪 (the police hand-over for an administrative detention);
//   - 行政拘留, 刑事拘留 (刑拘), 约谈, and 问责, 追责, 追究…责任 (not
//     刑事/法律/民事责任), 诫勉, 党纪处分, 政务处分 → the person kinds.
//
// A hit is dropped when, within 6 characters before it in its clause
// (clauses end at ，。；！？), stands 不, 未, 无需, 无须, 免予 or 没有 — unless
// 不/未 plainly describe the violation (不达标, 拒不, 未批先建, 未按…) — and
// when its sentence before it holds a condition or a future (如发现, 否则,
// 逾期未, 将依法, 下一步 …): 责令限期整改，逾期未整改的，依法予以关停
// proposes ordered_to_rectify only.
//
// Persons: the count nearest to the hit in its clause (2人, 两名, 3位,
// 3家企业负责人) with no other hit between them; without one, the named
// persons (王某, 李某某) just before the hit, or else just after it; else 1.
// A kind found several times gets the largest count stated for it, or the
// number of distinct names if that is larger, so 给予王某党纪处分，给予李某诫勉谈话
// is 2 persons but 约谈负责人2人……再次约谈负责人2人 stays 2.
//
// Fines: a stated total (共计/合计/累计/总计 罚款) wins; otherwise the fines
// are summed, leaving out payments (缴纳罚款5万元) when any other fine is
// stated.
func ProposeMeasures(handling string) []MeasureProposal {
	s := strings.ReplaceAll(Clean(handling), " ", "")
	if s == "" {
		return nil
	}
	var hits []*measureHit
	for _, p := range measurePatterns {
		for _, m := range p.re.FindAllStringIndex(s, -1) {
			h := &measureHit{kind: p.kind, start: m[0], end: m[1], evStart: m[0], evEnd: m[1]}
			if keepHit(s, h) {
				hits = append(hits, h)
			}
		}
	}
	for _, h := range hits {
		h.clause, _ = clauseAt(s, h.start)
		switch {
		case MeasureCountsPersons(h.kind):
			countPersons(s, h, hits)
		case strings.HasPrefix(s[h.start:h.end], "罚"):
			findFine(s, h)
		}
	}
	var out []MeasureProposal
	for _, k := range measureKinds {
		if p, ok := mergeHits(s, k.kind, hits); ok {
			out = append(out, p)
		}
	}
	return out
}

// keepHit applies the exclusions of ProposeMeasures to a fresh hit.
func keepHit(s string, h *measureHit) bool {
	word := s[h.start:h.end]
	switch {
	case h.kind == MeasureHeldAccountable && strings.HasPrefix(word, "追究") &&
		strings.ContainsAny(word, "刑法民"):
		return false
	case h.kind == MeasureClosedDown && strings.HasPrefix(word, "拆除") &&
		hasAnySuffix(s[:h.start], []string{"擅自", "私自", "违规", "违法", "非法"}):
		return false // 擅自拆除环保设施 is the violation
	case h.kind == MeasurePenaltyCase && strings.HasPrefix(s[h.end:], "法"):
		return false // 《行政处罚法》
	case h.kind == MeasureCriminalCase && strings.Contains(word, "公安"):
		sent := s[sentenceStart(s, h.start):sentenceEnd(s, h.end)]
		if strings.Contains(sent, "行政拘留") && !strings.Contains(sent, "侦查") &&
			!strings.Contains(sent, "刑事") && !strings.Contains(sent, "犯罪") && !strings.Contains(sent, "刑拘") {
			return false
		}
	}
	return !negated(s, h.start) && !conditional(s, h.start)
}

// negated reports whether a negation stands shortly before pos in its clause.
func negated(s string, pos int) bool {
	cs, _ := clauseAt(s, pos)
	from := pos
	for n := 0; n < negWindow && from > cs; n++ {
		_, size := utf8.DecodeLastRuneInString(s[:from])
		from -= size
	}
	for i := from; i < pos; {
		for _, w := range negWords {
			if !strings.HasPrefix(s[i:], w) {
				continue
			}
			rest := s[i+len(w):]
			switch {
			case w == "不" && (hasAnyPrefix(rest, notNegBu) || strings.HasSuffix(s[:i], "拒")):
			case w == "未" && hasAnyPrefix(rest, notNegWei):
			default:
				return true
			}
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return false
}

// conditional reports whether the sentence before pos holds a condition or
// a future.
func conditional(s string, pos int) bool {
	before := s[sentenceStart(s, pos):pos]
	for _, w := range condWords {
		if strings.Contains(before, w) {
			return true
		}
	}
	return false
}

func hasAnySuffix(s string, suffixes []string) bool {
	for _, p := range suffixes {
		if strings.HasSuffix(s, p) {
			return true
		}
	}
	return false
}

func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// isBoundary reports whether the rune r at byte i of s ends a clause. A
// comma between digits followed by three digits is a thousands separator.
func isBoundary(s string, i int, r rune, sentence bool) bool {
	switch r {
	case '。', '；', ';', '！', '？', '!', '?', '\n':
		return true
	case '，', ',', '：', ':':
		if sentence {
			return false
		}
		if r == '，' || r == ',' {
			j := i + utf8.RuneLen(r)
			if i > 0 && isDigit(s[i-1]) && j+3 <= len(s) && isDigit(s[j]) && isDigit(s[j+1]) &&
				isDigit(s[j+2]) && (j+3 == len(s) || !isDigit(s[j+3])) {
				return false
			}
		}
		return true
	}
	return false
}

// clauseAt returns the bounds of the clause holding byte pos.
func clauseAt(s string, pos int) (start, end int) {
	start, end = 0, len(s)
	for i, r := range s {
		if !isBoundary(s, i, r, false) {
			continue
		}
		if i < pos {
			start = i + utf8.RuneLen(r)
		} else {
			return start, i
		}
	}
	return start, end
}

// sentenceStart and sentenceEnd bound the sentence holding pos.
func sentenceStart(s string, pos int) int {
	start := 0
	for i, r := range s[:pos] {
		if isBoundary(s, i, r, true) {
			start = i + utf8.RuneLen(r)
		}
	}
	return start
}

func sentenceEnd(s string, pos int) int {
	for i, r := range s[pos:] {
		if isBoundary(s, pos+i, r, true) {
			return pos + i
		}
	}
	return len(s)
}

// between reports whether another hit lies within s[from:to].
func between(hits []*measureHit, self *measureHit, from, to int) bool {
	for _, o := range hits {
		if o != self && o.start >= from && o.end <= to {
			return true
		}
	}
	return false
}

// countPersons sets h.persons and h.names from the clause of h.
func countPersons(s string, h *measureHit, hits []*measureHit) {
	cs, ce := clauseAt(s, h.start)
	clause := s[cs:ce]
	best, found := 0, false
	for _, re := range []*regexp.Regexp{reCount, reFirmCount} {
		for _, m := range re.FindAllStringSubmatchIndex(clause, -1) {
			ms, me := cs+m[0], cs+m[1]
			var dist int
			switch {
			case me <= h.start && !between(hits, h, me, h.start):
				dist = utf8.RuneCountInString(s[me:h.start])
			case ms >= h.end && !between(hits, h, h.end, ms):
				dist = utf8.RuneCountInString(s[h.end:ms]) - 1 // after wins a tie
			default:
				continue
			}
			n := countValue(clause[m[2]:m[3]])
			if n <= 0 || found && dist >= best {
				continue
			}
			best, found, h.persons = dist, true, n
			h.evStart, h.evEnd = min(h.start, ms), max(h.end, me)
		}
	}
	type span struct{ from, to int }
	var before, after []span
	for _, m := range reName.FindAllStringIndex(clause, -1) {
		ms, me := cs+m[0], cs+m[1]
		switch {
		case me <= h.start && !between(hits, h, me, h.start):
			before = append(before, span{ms, me})
		case ms >= h.end && !between(hits, h, h.end, ms):
			after = append(after, span{ms, me})
		}
	}
	if len(before) == 0 {
		before = after
	}
	for _, n := range before {
		h.names = append(h.names, s[n.from:n.to])
		if h.persons == 0 {
			h.evStart, h.evEnd = min(h.evStart, n.from), max(h.evEnd, n.to)
		}
	}
}

// countValue reads a count of persons, 0 when it is not one.
func countValue(v string) int {
	if n, err := strconv.Atoi(v); err == nil {
		return n
	}
	fen, err := ParseYuan(v)
	if err != nil || fen%100 != 0 {
		return 0
	}
	return int(fen / 100)
}

// findFine sets the fine of a 罚款 hit from the amount after or before it.
func findFine(s string, h *measureHit) {
	back := s[:h.start]
	for n := 0; n < 4 && back != ""; n++ {
		_, size := utf8.DecodeLastRuneInString(back)
		back = back[:len(back)-size]
	}
	window := s[len(back):h.start]
	h.total = strings.Contains(window, "计")
	h.paid = strings.Contains(window, "缴")
	defer func() {
		// 对两家企业分别罚款2万元: the fine is per enterprise.
		if !h.fine || !strings.Contains(window, "分别") {
			return
		}
		cs, _ := clauseAt(s, h.start)
		m := reFirms.FindAllStringSubmatchIndex(s[cs:h.start], -1)
		if len(m) == 0 {
			return
		}
		last := m[len(m)-1]
		n := int64(countValue(s[cs+last[2] : cs+last[3]]))
		if n > 1 && h.fen <= math.MaxInt64/n {
			h.fen *= n
			h.evStart = min(h.evStart, cs+last[0])
		}
	}()
	if m := reFineAfter.FindStringSubmatchIndex(s[h.end:]); m != nil {
		amt := s[h.end+m[4] : h.end+m[5]]
		next, _ := utf8.DecodeRuneInString(s[h.end+m[5]:])
		// A bare Arabic number is an amount only if no word follows it:
		// 罚款251542.71 but not 罚款2次.
		if hasYuanUnit(amt) || amt[0] >= '0' && amt[0] <= '9' && !unicode.Is(unicode.Han, next) {
			if fen, ok := parseFine(amt); ok {
				h.fen, h.fine, h.evEnd = fen, true, h.end+m[5]
				h.total = h.total || strings.Contains(s[h.end:h.end+m[3]], "计")
				return
			}
		}
	}
	lo := max(0, h.start-60)
	for lo < h.start && !utf8.RuneStart(s[lo]) {
		lo++
	}
	if m := reFineBefore.FindStringSubmatchIndex(s[lo:h.start]); m != nil {
		amt := s[lo+m[2] : lo+m[3]]
		if !hasYuanUnit(amt) {
			return
		}
		// The class of Chinese numerals may take in a word before the
		// amount (统一5万元): drop characters until it parses.
		for i := 0; i < len(amt); {
			if fen, ok := parseFine(amt[i:]); ok {
				h.fen, h.fine, h.evStart = fen, true, lo+m[2]+i
				return
			}
			_, size := utf8.DecodeRuneInString(amt[i:])
			i += size
		}
	}
}

func hasYuanUnit(amt string) bool { return strings.ContainsAny(amt, "元万亿") }

func parseFine(amt string) (int64, bool) {
	fen, err := ParseYuan(amt)
	return fen, err == nil && fen > 0
}

// mergeHits makes the proposal of one kind from its hits.
func mergeHits(s, kind string, hits []*measureHit) (MeasureProposal, bool) {
	p := MeasureProposal{Kind: kind}
	var evidence []string
	names := map[string]bool{}
	var totals, fines, paid []int64
	found, prevClause := false, -1
	for i, h := range hits {
		if h.kind != kind {
			continue
		}
		found = true
		p.Persons = max(p.Persons, h.persons)
		for _, n := range h.names {
			names[n] = true
		}
		if h.fine {
			switch {
			case h.total:
				totals = append(totals, h.fen)
			case h.paid:
				paid = append(paid, h.fen)
			default:
				fines = append(fines, h.fen)
			}
		}
		// One passage per clause, from its first word to its last.
		if h.clause == prevClause {
			continue
		}
		prevClause = h.clause
		from, to := h.evStart, h.evEnd
		for _, o := range hits[i+1:] {
			if o.kind == kind && o.clause == h.clause {
				from, to = min(from, o.evStart), max(to, o.evEnd)
			}
		}
		if e := s[from:to]; !contains(evidence, e) {
			evidence = append(evidence, e)
		}
	}
	if !found {
		return p, false
	}
	if MeasureCountsPersons(kind) {
		p.Persons = max(p.Persons, len(names), 1)
	}
	switch {
	case len(totals) > 0:
		p.FineFen = maxOf(totals)
	case len(fines) > 0:
		p.FineFen = sumFen(fines)
	default:
		p.FineFen = sumFen(paid)
	}
	p.Evidence = strings.Join(evidence, "；")
	return p, true
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func maxOf(v []int64) int64 {
	var m int64
	for _, x := range v {
		m = max(m, x)
	}
	return m
}

// sumFen adds fines, stopping short of an overflow.
func sumFen(v []int64) int64 {
	var t int64
	for _, x := range v {
		if x > math.MaxInt64-t {
			return math.MaxInt64
		}
		t += x
	}
	return t
}
