package text

import (
	"ducha"
	"math"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ---------------------------------------------------------------------------
// Proposals

// MeasureProposal is a measure that a handling text (处理和整改情况) seems
// to report, for the user to confirm.
type MeasureProposal struct {
	// Kind is one of the Measure… constants.
	Kind string
	// Persons is the number of persons for the kinds counted in persons
	// (ducha.MeasureCountsPersons), at least 1; 0 for the other kinds.
	Persons int
	// FineFen is the fine of a penalty_case in fen (1/100 yuan), 0 when the
	// text states none.
	FineFen int64
	// Enterprise is the name of the enterprise the measure was taken
	// against, for the kinds counted in enterprises
	// (ducha.MeasureCountsEnterprises), when the text names one (清水县宏达
	// 建材有限公司); empty when it names none or, for the hits of one kind,
	// different ones.
	Enterprise string
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
	{ducha.MeasureOrderedToRectify, regexp.MustCompile(`责令[^，。；;！？!?停关]{0,20}?(?:整改|改正)|限期(?:整改|改正)|立即整改`)},
	{ducha.MeasureSuspended, regexp.MustCompile(`责令(?:其|该企业|该厂|该单位)?(?:停产|停业|停工|停止生产)(?:整治|整顿|整改)?|(?:停产|停业|停工)(?:整治|整顿|整改)|停止生产|暂停生产|停产停业`)},
	{ducha.MeasureClosedDown, regexp.MustCompile(`关停取缔|取缔关停|关闭取缔|取缔|关停|依法关闭|予以关闭|责令关闭|两断三清|断水断电|拆除[^，。；;！？!?]{0,4}?(?:设备|设施|生产线)`)},
	{ducha.MeasureListedSupervision, regexp.MustCompile(`挂牌督办`)},
	{ducha.MeasurePenaltyCase, regexp.MustCompile(`立案处罚|立案查处|立案调查|行政处罚|罚没款|罚款`)},
	{ducha.MeasureCriminalCase, regexp.MustCompile(`立案侦查|刑事立案|(?:移送|移交)(?:至|给)?(?:县|市)?公安|移送司法机关`)},
	{ducha.MeasureAdministrativeDetention, regexp.MustCompile(`行政拘留`)},
	{ducha.MeasureCriminalDetention, regexp.MustCompile(`刑事拘留|刑拘`)},
	{ducha.MeasureInterviewed, regexp.MustCompile(`约谈`)},
	{ducha.MeasureHeldAccountable, regexp.MustCompile(`问责|追责|责任追究|追究[^，。；;！？!?]{0,8}?责任|诫勉谈话|诫勉|(?:党纪|政务|政纪|党内)[^，。；;！？!?]{0,4}?处分`)},
}

var (
	// reCount is a number of persons: 2人, 两名, 3位, 1人次.
	reCount = regexp.MustCompile(`([0-9]+|[一二两三四五六七八九十]+)(?:个)?(?:人|名|位)`)
	// reFirmCount counts persons as the enterprises whose heads they are:
	// 约谈3家企业负责人.
	reFirmCount = regexp.MustCompile(`([0-9]+|[一二两三四五六七八九十]+)家[^，。；;！？!?]{0,6}?(?:负责人|法定代表人|法人)`)
	// reUnitCount is a number of units or enterprises, for 约谈: 5个单位,
	// 3家企业, 两个乡镇.
	reUnitCount = regexp.MustCompile(`([0-9]+|[一二两三四五六七八九十]+)(?:个|家)[^，。；;！？!?0-9]{0,6}?(?:单位|企业|部门|乡镇|街道|公司|村|社区|厂|场|站|店|户|合作社)`)
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
	negWords  = []string{"不", "未", "无需", "无须", "免予", "免于", "没有", "暂缓"}
	notNegBu  = []string{"达标", "合格", "规范", "到位", "符合", "力", "严", "正常", "按", "属实", "断", "定期"}
	notNegWei = []string{"批", "经", "按", "取得", "办理", "落实", "验收", "配套", "安装", "建设", "达标",
		"依法", "及时", "完成", "采取", "履行", "正常", "设置", "规范", "严格", "妥善", "评", "整改"}
	// reCond finds words that mark what is threatened, not done: a hit
	// after one of them in the same sentence is not proposed.
	reCond = regexp.MustCompile(`若|如果|如发现|如再|如仍|如有|如不|如未|假如|否则|逾期未|逾期不|逾期仍|` +
		`一经发现|一经查实|一旦|下一步|将依法|将予以|将视情|将严肃|将对|将进一步|将按|将从严|将继续|` +
		`将责令|将约谈|将立案|将移送|将挂牌|将关停|将取缔|拟对|拟予|拟作出|拟给予|拟处|拟责令|建议`)
)

// negWindow is how many characters before a hit are searched for negations.
const negWindow = 10

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
	enterprise string
}

// ProposeMeasures reads a handling text (处理和整改情况) and proposes the
// measures it reports, at most one per kind, in SPEC order, for the user to
// confirm. The text goes through Clean (traditional characters, full-width
// digits, pinyin notes: 責令整改, 罰款5萬元 and 約談 read as their simplified
// forms) and loses its spaces; Evidence quotes that form. It is a heuristic
// over words, not a parser: see the limits at the end.
//
// Words and what they propose:
//
//   - 责令…整改/改正 (at most 20 characters between, in one clause and
//     none of them 停 or 关), 限期整改, 限期改正, 立即整改 →
//     ordered_to_rectify; so is 责令 followed by whom it orders (an
//     enterprise's name, 其, 该公司, 该养殖场, 涉事企业, 项目建设单位,
//     施工单位, 业主, 养殖户 …) and what, where the clause has none of the
//     words before: 责令项目建设单位全面覆盖渣土堆, 责令该公司立即停止违法
//     行为. Such an order to pay (缴纳), to close or dismantle (the
//     closed_down words) or to halt some work (停止夜间施工, 停止高噪声作业;
//     not 停止违法建设) proposes nothing; one to stop producing (责令该公司
//     停产, 停止生产, 停止经营, 停止开采) is suspended;
//   - 停产/停业/停工 + 整治/整顿/整改 (实施停产整治, 已停产整治),
//     责令(其)停产/停业/停工/停止生产, 停止生产, 暂停生产 → suspended;
//     责令停产整治 alone does not also propose ordered_to_rectify,
//     责令停产整治并限期整改 proposes both;
//   - 关停, 取缔, 依法关闭, 予以关闭, 两断三清, 断水断电, 拆除…设备/设施/
//     生产线 (not after 擅自, 私自, 违规, 违法, 非法) → closed_down;
//   - 挂牌督办 → listed_supervision;
//   - 罚款, 罚没款, 立案处罚, 立案查处, 立案调查, 行政处罚 (not 行政处罚法)
//     → penalty_case, with the amount after 罚款 (罚款人民币12,500.50元,
//     罚款金额为三万元) or before it (处以5万元罚款), read by ParseYuan;
//   - 立案侦查, 刑事立案, 移送/移交(县/市)公安, 移送司法机关 →
//     criminal_case, except 移送公安 in a sentence that speaks of 行政拘留
//     and not of 侦查, 刑事, 刑拘 or 犯罪 (the hand-over for an
//     administrative detention);
//   - 行政拘留; 刑事拘留, 刑拘; 约谈; 问责, 追责, 责任追究, 追究…责任 (not
//     刑事/法律/民事责任), 诫勉(谈话), 党纪/政务/政纪/党内…处分 → the kinds
//     counted in persons.
//
// A hit is dropped when, within 10 characters before it in its clause
// (clauses end at ，。；：！？ and line breaks, but not at a thousands
// separator), stands 不, 未, 无需, 无须, 免予, 免于, 没有 or 暂缓 (未责令,
// 不予处罚, 没有罚款, 暂未立案, 未对该企业进行罚款) — unless 不/未 plainly
// describe the violation (不达标, 不合格, 拒不, 未批先建, 未按, 未验收 …)
// or whom the measure is against, with 的 or 被 after the word they negate
// (对未密闭运输的车辆罚款, 未按时清运被罚款; 未被罚款 stays a negation) —
// and when its sentence before it holds a condition, a plan or a future
// (若, 如发现, 如再, 否则, 逾期未, 一旦, 下一步, 将依法, 将对, 将继续,
// 将责令, 将约谈, 拟对, 建议 …): 责令限期整改，逾期未整改的，依法予以关停
// proposes ordered_to_rectify only. Texts that report no measure (无需整改,
// 未发现违法行为, 不存在…问题, 下一步将加强监管) hold none of the words.
//
// Persons: the count of persons nearest to the hit in its clause (2人, 两名,
// 3位, 2人次, also in brackets: 约谈相关负责人（约谈2人）) with no other hit
// between them, a count after the hit winning a tie. SPEC counts 约谈 in
// persons, and a count of units is not one; but an interview of a unit is
// one of at least its head, so where no person is counted a count of units
// gives the persons, as the least the text states: 3家企业负责人 for every
// person kind, and for 约谈 also 5个单位, 5家企业, 两个乡镇 (约谈5家企业
// 负责人 is 5 persons, 约谈5家企业负责人3人 is 3). Without any count, the
// named persons (王某, 李某某 after a common surname) just before the hit,
// or else just after it; else 1. Counts and names are looked for within
// about 40 characters before and 24 after. A kind found several times gets
// the largest count stated for it or the number of distinct names,
// whichever is larger: 给予王某党纪处分，给予李某诫勉谈话 is 2 persons, but
// 约谈负责人2人；约谈村干部3人 is 3, not 5.
//
// Fines: a stated total (共计/合计/累计/总计 罚款) wins; otherwise the fines
// are summed, leaving out payments (缴纳罚款5万元) when another fine is
// stated; 对两家企业分别罚款2万元 and 对甲砖厂和乙砖厂分别罚款2万元 are 4万元.
//
// Enterprise, for the kinds counted in enterprises: the last enterprise
// named before the hit ends, in any sentence (宏达公司……对该企业罚款), else
// the only one the text names; none when the hit's clause names several
// before it or counts 两家/3家, and none for the proposal when its hits are
// against different enterprises. A name is what findEnterprises finds: Han
// characters before trade words and a form (有限公司, 合作社, 砖瓦厂,
// 养殖场 …), such as 清水县宏达建材有限公司; 该公司, 项目建设单位 and 施工
// 单位 are no names.
//
// Known limits: words outside these lists are not seen (依法查处, 予以警告,
// 整改期间停产); a negation or condition farther away, or in an earlier
// sentence, is not seen; 逾期未整改的企业已被关停 is taken for a condition;
// the same fine written twice (罚款5万元……罚款5万元已到账) is counted twice;
// persons counted in 、-lists without a number or 某-names are 1; one
// proposal per kind cannot say that two enterprises were each ordered to
// rectify; a name without one of the forms (宏达采石点) or with a place but
// no trade name (清水县建材有限公司) is not found.
func ProposeMeasures(handling string) []MeasureProposal {
	s := strings.ReplaceAll(Clean(handling), " ", "")
	if s == "" {
		return nil
	}
	m := newMeasureScan(s)
	for _, p := range measurePatterns {
		for _, loc := range p.re.FindAllStringIndex(s, -1) {
			h := &measureHit{kind: p.kind, start: loc[0], end: loc[1], evStart: loc[0], evEnd: loc[1]}
			if m.keep(h) {
				m.hits = append(m.hits, h)
			}
		}
	}
	m.names = findEnterprises(s)
	m.orders()
	sort.SliceStable(m.hits, func(i, j int) bool { return m.hits[i].start < m.hits[j].start })
	byKind := map[string][]*measureHit{}
	for _, h := range m.hits {
		h.clause, _ = m.clause(h.start)
		if ducha.MeasureCountsEnterprises(h.kind) {
			h.enterprise = m.enterpriseFor(h)
		}
		switch {
		case ducha.MeasureCountsPersons(h.kind):
			m.countPersons(h)
		case strings.HasPrefix(s[h.start:h.end], "罚"):
			m.findFine(h)
		}
		byKind[h.kind] = append(byKind[h.kind], h)
	}
	var out []MeasureProposal
	for _, k := range ducha.MeasureKinds {
		if hits := byKind[k]; len(hits) > 0 {
			out = append(out, mergeHits(s, k, hits))
		}
	}
	return out
}

// measureScan is a cleaned handling text with the bounds of its clauses and
// sentences and its hits, all as byte offsets.
type measureScan struct {
	s         string
	clauses   []int         // starts of the clauses, ascending, from 0
	sentences []int         // starts of the sentences, ascending, from 0
	conds     [][]int       // matches of reCond
	hits      []*measureHit // kept hits, by start once all are found
	names     []entName     // the enterprises named, in text order
}

func newMeasureScan(s string) *measureScan {
	m := &measureScan{s: s, clauses: []int{0}, sentences: []int{0}}
	for i, r := range s {
		if isBoundary(s, i, r, false) {
			m.clauses = append(m.clauses, i+utf8.RuneLen(r))
		}
		if isBoundary(s, i, r, true) {
			m.sentences = append(m.sentences, i+utf8.RuneLen(r))
		}
	}
	m.conds = reCond.FindAllStringIndex(s, -1)
	return m
}

// part returns the bounds of the clause or sentence (as starts lists them)
// that holds pos, without the punctuation that ends it.
func (m *measureScan) part(starts []int, pos int) (start, end int) {
	i := sort.SearchInts(starts, pos+1) - 1
	start, end = starts[i], len(m.s)
	if i+1 < len(starts) {
		_, size := utf8.DecodeLastRuneInString(m.s[:starts[i+1]])
		end = starts[i+1] - size
	}
	return start, end
}

func (m *measureScan) clause(pos int) (start, end int)   { return m.part(m.clauses, pos) }
func (m *measureScan) sentence(pos int) (start, end int) { return m.part(m.sentences, pos) }

// keep applies the exclusions of ProposeMeasures to a fresh hit.
func (m *measureScan) keep(h *measureHit) bool {
	s, word := m.s, m.s[h.start:h.end]
	switch {
	case h.kind == ducha.MeasureHeldAccountable && strings.HasPrefix(word, "追究") &&
		strings.ContainsAny(word, "刑法民"):
		return false
	case h.kind == ducha.MeasureClosedDown && strings.HasPrefix(word, "拆除") &&
		hasAnySuffix(s[:h.start], []string{"擅自", "私自", "违规", "违法", "非法"}):
		return false // 擅自拆除环保设施 is the violation
	case h.kind == ducha.MeasurePenaltyCase && strings.HasPrefix(s[h.end:], "法"):
		return false // 《行政处罚法》
	case h.kind == ducha.MeasureCriminalCase && strings.Contains(word, "公安"):
		ss, se := m.sentence(h.start)
		sent := s[runeFloor(s, max(ss, h.start-300)):runeFloor(s, min(se, h.end+300))]
		if strings.Contains(sent, "行政拘留") && !strings.Contains(sent, "侦查") &&
			!strings.Contains(sent, "刑事") && !strings.Contains(sent, "犯罪") && !strings.Contains(sent, "刑拘") {
			return false
		}
	}
	return !m.negated(h.start) && !m.conditional(h.start)
}

// runeFloor moves i back to the start of the rune that holds it.
func runeFloor(s string, i int) int {
	for i > 0 && i < len(s) && !utf8.RuneStart(s[i]) {
		i--
	}
	return i
}

// negated reports whether a negation stands shortly before pos in its clause.
func (m *measureScan) negated(pos int) bool {
	s := m.s
	cs, _ := m.clause(pos)
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
			_, size := utf8.DecodeRuneInString(rest)
			switch {
			case w == "不" && (hasAnyPrefix(rest, notNegBu) || strings.HasSuffix(s[:i], "拒")):
			case w == "未" && hasAnyPrefix(rest, notNegWei):
			// 对未密闭运输的车辆罚款, 未按时清运被罚款: the negation
			// describes who is punished, not the punishment; 未被罚款
			// and 未对该企业的违法行为立案 are still ones.
			case size < len(rest) && i+len(w)+size < pos && attributive(s[:i], s[i+len(w)+size:pos]):
			default:
				return true
			}
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return false
}

// attributive reports whether a negation with before in front of it and
// between it (less its first character) and a hit describes whom the hit
// is against: 对未密闭运输的车辆, 未按时清运被.
func attributive(before, between string) bool {
	return strings.Contains(between, "被") ||
		strings.Contains(between, "的") && hasAnySuffix(before, []string{"对", "向", "给"})
}

// conditional reports whether the sentence before pos holds a condition or
// a future.
func (m *measureScan) conditional(pos int) bool {
	ss, _ := m.sentence(pos)
	// A condition that starts before the hit counts even when it takes the
	// hit's first words in (将依法关闭, 将责令).
	i := sort.Search(len(m.conds), func(i int) bool { return m.conds[i][0] >= ss })
	return i < len(m.conds) && m.conds[i][0] < pos
}

// between reports whether a hit other than self lies within [from, to).
func (m *measureScan) between(self *measureHit, from, to int) bool {
	for i := sort.Search(len(m.hits), func(i int) bool { return m.hits[i].start >= from }); i < len(m.hits) && m.hits[i].start < to; i++ {
		if o := m.hits[i]; o != self && o.end <= to {
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

// isBoundary reports whether the rune r at byte i of s ends a clause (or,
// with sentence, a sentence). A comma between a digit and three digits is
// a thousands separator.
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

// Counts and names are looked for this many bytes (about 40 and 24
// characters) before and after a hit, within its clause.
const countBefore, countAfter = 120, 72

// countPersons sets h.persons and h.names.
func (m *measureScan) countPersons(h *measureHit) {
	s := m.s
	cs, ce := m.clause(h.start)
	lo, hi := runeFloor(s, max(cs, h.start-countBefore)), runeFloor(s, min(ce, h.end+countAfter))
	window := s[lo:hi]
	// Counts of persons first; counts of units (3家企业负责人, for 约谈
	// also 5个单位) only when no person is counted.
	units := []*regexp.Regexp{reFirmCount}
	if h.kind == ducha.MeasureInterviewed {
		units = append(units, reUnitCount)
	}
	best, found := 0, false
	for _, res := range [][]*regexp.Regexp{{reCount}, units} {
		if found {
			break
		}
		for _, re := range res {
			m.nearestCount(h, re, lo, window, &best, &found)
		}
	}
	type span struct{ from, to int }
	var before, after []span
	for _, c := range reName.FindAllStringIndex(window, -1) {
		ms, me := lo+c[0], lo+c[1]
		switch {
		case me <= h.start && !m.between(h, me, h.start):
			before = append(before, span{ms, me})
		case ms >= h.end && !m.between(h, h.end, ms):
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

// nearestCount looks in window (which starts at lo) for the counts re
// finds and takes the one nearest to h, if nearer than *best.
func (m *measureScan) nearestCount(h *measureHit, re *regexp.Regexp, lo int, window string, best *int, found *bool) {
	s := m.s
	for _, c := range re.FindAllStringSubmatchIndex(window, -1) {
		ms, me := lo+c[0], lo+c[1]
		var dist int
		switch {
		case me <= h.start && !m.between(h, me, h.start):
			dist = utf8.RuneCountInString(s[me:h.start])
		case ms >= h.end && !m.between(h, h.end, ms):
			dist = utf8.RuneCountInString(s[h.end:ms]) - 1 // after wins a tie
		default:
			continue
		}
		n := countValue(window[c[2]:c[3]])
		if n <= 0 || *found && dist >= *best {
			continue
		}
		*best, *found, h.persons = dist, true, n
		h.evStart, h.evEnd = min(h.start, ms), max(h.end, me)
	}
}

// countValue reads a count of persons, 0 when it is not one.
func countValue(v string) int {
	if n, err := strconv.Atoi(v); err == nil {
		return n
	}
	fen, err := ParseYuan(v)
	if err != nil || fen%100 != 0 || fen/100 > math.MaxInt32 {
		return 0
	}
	return int(fen / 100)
}

// findFine sets the fine of a 罚款 hit from the amount after or before it.
func (m *measureScan) findFine(h *measureHit) {
	s := m.s
	cs, _ := m.clause(h.start)
	back := h.start
	for n := 0; n < 4 && back > cs; n++ {
		_, size := utf8.DecodeLastRuneInString(s[:back])
		back -= size
	}
	window := s[back:h.start]
	h.total = strings.Contains(window, "计")
	h.paid = strings.Contains(window, "缴")
	if !m.fineAfter(h) && !m.fineBefore(h, cs) {
		return
	}
	// 对两家企业分别罚款2万元: the fine is per enterprise.
	if strings.Contains(window, "分别") {
		lo := runeFloor(s, max(cs, h.start-60))
		c := reFirms.FindAllStringSubmatchIndex(s[lo:h.start], -1)
		if len(c) == 0 {
			// 对宏达公司和鑫源砂石料场分别罚款2万元
			if names := m.namesBefore(h); len(names) > 1 && h.fen <= math.MaxInt64/int64(len(names)) {
				h.fen *= int64(len(names))
				h.evStart = min(h.evStart, names[0].start)
			}
			return
		}
		last := c[len(c)-1]
		n := int64(countValue(s[lo+last[2] : lo+last[3]]))
		if n > 1 && h.fen <= math.MaxInt64/n {
			h.fen *= n
			h.evStart = min(h.evStart, lo+last[0])
		}
	}
}

// fineAfter reads the amount after 罚款: 罚款人民币5万元.
func (m *measureScan) fineAfter(h *measureHit) bool {
	s := m.s
	c := reFineAfter.FindStringSubmatchIndex(s[h.end:])
	if c == nil {
		return false
	}
	amt := s[h.end+c[4] : h.end+c[5]]
	next, _ := utf8.DecodeRuneInString(s[h.end+c[5]:])
	// A bare Arabic number is an amount only if no word follows it:
	// 罚款251542.71 but not 罚款2次.
	if !hasYuanUnit(amt) && (amt[0] < '0' || amt[0] > '9' || unicode.Is(unicode.Han, next)) {
		return false
	}
	fen, ok := parseFine(amt)
	if !ok {
		return false
	}
	h.fen, h.fine, h.evEnd = fen, true, h.end+c[5]
	h.total = h.total || strings.Contains(s[h.end:h.end+c[3]], "计")
	return true
}

// fineBefore reads the amount before 罚款: 处以5万元罚款.
func (m *measureScan) fineBefore(h *measureHit, cs int) bool {
	s := m.s
	lo := runeFloor(s, max(cs, h.start-60))
	c := reFineBefore.FindStringSubmatchIndex(s[lo:h.start])
	if c == nil {
		return false
	}
	amt := s[lo+c[2] : lo+c[3]]
	if !hasYuanUnit(amt) {
		return false
	}
	// The class of Chinese numerals may take in a word before the amount
	// (统一5万元): drop characters until it parses.
	for i := 0; i < len(amt); {
		if fen, ok := parseFine(amt[i:]); ok {
			h.fen, h.fine, h.evStart = fen, true, lo+c[2]+i
			return true
		}
		_, size := utf8.DecodeRuneInString(amt[i:])
		i += size
	}
	return false
}

func hasYuanUnit(amt string) bool { return strings.ContainsAny(amt, "元万亿") }

func parseFine(amt string) (int64, bool) {
	fen, err := ParseYuan(amt)
	return fen, err == nil && fen > 0
}

// mergeHits makes the proposal of one kind from its hits, in text order.
func mergeHits(s, kind string, hits []*measureHit) MeasureProposal {
	p := MeasureProposal{Kind: kind}
	var evidence []string
	seen := map[string]bool{}
	names := map[string]bool{}
	var totals, fines, paid []int64
	for i := 0; i < len(hits); {
		// One passage per clause, from its first word to its last.
		from, to, j := hits[i].evStart, hits[i].evEnd, i
		for ; j < len(hits) && hits[j].clause == hits[i].clause; j++ {
			h := hits[j]
			from, to = min(from, h.evStart), max(to, h.evEnd)
			p.Persons = max(p.Persons, h.persons)
			for _, n := range h.names {
				names[n] = true
			}
			switch {
			case !h.fine:
			case h.total:
				totals = append(totals, h.fen)
			case h.paid:
				paid = append(paid, h.fen)
			default:
				fines = append(fines, h.fen)
			}
		}
		// 约谈相关负责人（约谈2人）: close the bracket the evidence opens.
		if e := s[from:to]; strings.Count(e, "（")+strings.Count(e, "(") > strings.Count(e, "）")+strings.Count(e, ")") {
			if r, size := utf8.DecodeRuneInString(s[to:]); r == '）' || r == ')' {
				to += size
			}
		}
		if e := s[from:to]; !seen[e] {
			seen[e] = true
			evidence = append(evidence, e)
		}
		i = j
	}
	if ducha.MeasureCountsPersons(kind) {
		p.Persons = max(p.Persons, len(names), 1)
	}
	switch {
	case len(totals) > 0:
		p.FineFen = slices.Max(totals)
	case len(fines) > 0:
		p.FineFen = sumFen(fines)
	default:
		p.FineFen = sumFen(paid)
	}
	p.Evidence = strings.Join(evidence, "；")
	for _, h := range hits {
		if h.enterprise == "" || h.enterprise == p.Enterprise {
			continue
		}
		if p.Enterprise != "" {
			p.Enterprise = "" // hits against different enterprises
			break
		}
		p.Enterprise = h.enterprise
	}
	return p
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
