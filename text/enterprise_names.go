package text

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ---------------------------------------------------------------------------
// Enterprise names

// entName is an enterprise named in a cleaned text; offsets are bytes.
type entName struct {
	start, end int
	name       string
}

// entForms end an enterprise's name, longer ones first. The ones in
// entFormsIndustry need an industry word before them (砖瓦厂, 石材加工厂,
// 饭店), so that 现场, 广场 and 市场 are no names.
var entForms = runeWords("股份有限公司", "有限责任公司", "有限公司", "分公司", "公司", "集团", "专业合作社", "合作社",
	"作坊", "门市部", "经营部", "商行", "农家乐", "酒店", "宾馆", "KTV", "加油站", "加气站", "搅拌站", "养殖场",
	"料场", "屠宰场", "洗车场", "厂", "场", "站", "店", "矿")

const entFormsIndustry = "厂场站店矿"

// entIndustry are the words of trade between a name and its form
// (宏达|建材|有限公司); what is left before them must be a name.
var entIndustry = runeWords("房地产开发", "房地产", "开发", "建筑工程", "建设工程", "市政工程", "工程", "建筑", "建设",
	"新型建材", "建材", "新型", "养殖专业", "养殖", "生猪", "肉牛", "蛋鸡", "奶牛", "肉羊", "畜牧", "牧业", "农牧",
	"砂石料", "砂石", "石料", "石材", "木材", "加工", "机械", "化工", "洗煤", "煤业", "煤炭", "经销", "餐饮",
	"食品", "汽车修理", "汽车", "修理", "机制砖", "砖瓦", "砖", "商砼", "混凝土", "搅拌", "铸造", "再生资源",
	"回收", "矿业", "采石", "采砂", "洗砂", "屠宰", "洗车", "污水处理", "水泥", "面粉", "造纸", "印染", "塑料",
	"化肥", "科技", "实业", "贸易", "商贸", "物流", "运输", "环保", "能源", "燃气", "置业", "烧烤", "火锅", "饭",
	"种植", "果业", "药业", "生物", "制品", "制造", "材料", "冶炼", "金属", "钢铁", "电子", "纺织", "皮革",
	"家具", "包装", "印刷", "酿造", "酒业", "乳业", "粮油", "集团", "销售", "农业", "旅游", "开采")

// entStops are words before which a name does not reach back: 对宏达公司,
// 责令宏达公司, 群众反映的宏达公司 ….
var entStops = runeWords("约谈", "督促", "要求", "组织", "会同", "联合", "依法", "涉事", "反映", "举报", "查处",
	"发现", "关于", "针对", "责成", "现场", "处罚", "取缔", "关停", "罚款", "整改", "立案", "检查", "核查", "调查",
	"交办", "群众", "对于")

// entStopChars are characters before which a name does not reach back;
// 和 only after the end of another name (鑫源砂石料场和福润砖瓦厂, but 祥和建材).
const (
	entStopChars  = "对将向在由被把的与及令给是为了该其系属即至经已等并从于"
	entFormFinals = "司团社坊部行乐店馆站场厂矿V"
)

// entNotNames start what is left of a name that is no name: 该, 其他 ….
var entNotNames = []string{"相关", "有关", "辖区", "全县", "上述", "部分", "个别", "多家", "一家", "当地", "附近",
	"周边", "属地", "其他", "其它", "一些", "各", "此", "这", "那", "某个"}

// entMaxName is how many characters a name may have before its trade words.
const entMaxName = 20

// findEnterprises returns the enterprises s names, in text order, none
// inside another: a name is a run of Han characters (at least two, not only
// a place such as 永清镇上寨村) before optional trade words and a form from
// entForms, reaching back no farther than punctuation, a word of entStops
// or a character of entStopChars.
func findEnterprises(s string) []entName {
	rs := []rune(s)
	off := make([]int, len(rs)+1)
	for i, k := 0, 0; i < len(rs); i++ {
		off[i] = k
		k += utf8.RuneLen(rs[i])
	}
	off[len(rs)] = len(s)
	var out []entName
	for q := 0; q < len(rs); q++ {
		var form []rune
		for _, f := range entForms {
			if hasRunes(rs[q:], f) {
				form = f
				break
			}
		}
		if form == nil {
			continue
		}
		end := q + len(form)
		// The form's own end (公司 of 有限公司) is not looked at again.
		t, ok := entNameStart(rs, q, form)
		q = end - 1
		if !ok {
			continue
		}
		n := entName{start: off[t], end: off[end], name: string(rs[t:end])}
		// A name that holds an earlier one replaces it.
		for len(out) > 0 && out[len(out)-1].start >= n.start {
			out = out[:len(out)-1]
		}
		out = append(out, n)
	}
	return out
}

// entNameStart returns where the name that ends with form at rs[q:]
// starts, false when none ends there.
func entNameStart(rs []rune, q int, form []rune) (int, bool) {
	k := q
	for stripped := true; stripped; {
		stripped = false
		for _, w := range entIndustry {
			if k >= len(w) && hasRunes(rs[k-len(w):], w) {
				k -= len(w)
				stripped = true
				break
			}
		}
	}
	if len(form) == 1 && strings.ContainsRune(entFormsIndustry, form[0]) && k == q {
		return 0, false
	}
	t := k
	for t > 0 && k-t < entMaxName && !entStopBefore(rs, t) {
		t--
	}
	if k-t >= entMaxName || k-t < 2 || !entNameLike(string(rs[t:k])) {
		return 0, false
	}
	return t, true
}

// entStopBefore reports whether a name cannot reach back over rs[t-1].
func entStopBefore(rs []rune, t int) bool {
	r := rs[t-1]
	switch {
	case !unicode.Is(unicode.Han, r), strings.ContainsRune(entStopChars, r):
		return true
	case r == '和':
		return t >= 2 && strings.ContainsRune(entFormFinals, rs[t-2])
	}
	for _, w := range entStops {
		if t >= len(w) && hasRunes(rs[t-len(w):], w) {
			return true
		}
	}
	return false
}

// entNameLike reports whether the part of a name before its trade words
// is a name: not a determiner (相关, 辖区 …) and not only a place.
func entNameLike(v string) bool {
	if hasAnyPrefix(v, entNotNames) {
		return false
	}
	if hasAnySuffix(v, []string{"县", "市", "区", "镇", "乡", "村", "街道", "社区", "组"}) {
		return false
	}
	return true
}

// namesBefore returns the distinct enterprises named in h's clause before
// it ends.
func (m *measureScan) namesBefore(h *measureHit) []entName {
	cs, _ := m.clause(h.start)
	var out []entName
	for _, n := range m.names {
		if n.start >= cs && n.start < h.end &&
			!slices.ContainsFunc(out, func(o entName) bool { return o.name == n.name }) {
			out = append(out, n)
		}
	}
	return out
}

// nameStartingAt returns the name that starts at byte pos, nil if none.
func nameStartingAt(names []entName, pos int) *entName {
	for i := range names {
		if names[i].start == pos {
			return &names[i]
		}
	}
	return nil
}

// enterpriseFor is the enterprise a hit is against: the last one named
// before the hit ends (对宏达公司罚款, 宏达公司……对该企业罚款), else the only
// one the text names, else none; none too when its clause names several
// before it (对甲公司和乙公司分别罚款).
func (m *measureScan) enterpriseFor(h *measureHit) string {
	if len(m.namesBefore(h)) > 1 {
		return ""
	}
	// 责令两家企业限期整改
	cs, _ := m.clause(h.start)
	for _, c := range reFirms.FindAllStringSubmatch(m.s[cs:h.end], -1) {
		if countValue(c[1]) > 1 {
			return ""
		}
	}
	for i := len(m.names) - 1; i >= 0; i-- {
		if m.names[i].start < h.end {
			return m.names[i].name
		}
	}
	distinct := map[string]bool{}
	for _, n := range m.names {
		distinct[n.name] = true
	}
	if len(distinct) == 1 {
		return m.names[0].name
	}
	return ""
}

// runeWords returns the words as rune slices.
func runeWords(words ...string) [][]rune {
	out := make([][]rune, len(words))
	for i, w := range words {
		out[i] = []rune(w)
	}
	return out
}
