package text

import "strings"

// Names returns the names of the enterprises, places and institutions a
// complaint text names, in text order, each once: what the case search
// matches by pinyin initials (store/case.go), so that hxhg finds
// 反映永清镇红星化工有限公司夜间偷排废水. The text is read as Clean reads it
// (traditional characters, full-width forms, spaces dropped). Two kinds of
// name are found:
//
//   - an enterprise, as the measures find it (findEnterprises: a trade name
//     before trade words and a form such as 有限公司, 合作社, 砖瓦厂,
//     养殖场, 酒店, KTV), without the places it starts with and the words
//     that lead into it (永清镇红星化工有限公司 → 红星化工有限公司,
//     举报人称宏达砖厂 → 宏达砖厂); a company comes a second time without
//     its legal form (红星化工有限公司, then 红星化工), as people say it;
//   - a place or an institution: two to six Han characters before 村, 镇,
//     乡, 街道, 社区, 小区, 厂区, 园区, 市场, 医院, 卫生院, 学校, 中学,
//     小学 or 幼儿园 (上寨村, 幸福家园小区, 第一中学), reaching back no
//     farther than punctuation, another place (永清镇上寨村 is 永清镇 and
//     上寨村), the words that lead into a complaint's subject (反映, 投诉,
//     位于, 污染, 附近 …) or what stops an enterprise's name.
//
// Work is bounded whatever the text: only its first maxNamesText
// characters are read, where a complaint says what it is about, and at
// most maxNames names are returned.
//
// Known limits: a name without one of these endings (宏达采石点, 王家庄)
// is not found; a place written with its people (上寨村民) is not, nor one
// that runs on from a verb not listed (偷倒李家村 is found, 祸害李家村 is
// not); a trade name holding a place's last character (新村建材厂) loses
// what stands before it only when what is left is no name, and 两个村 or
// 城乡 are never places, but a few phrases are taken for one (居民小区).
func Names(s string) []string {
	rs := []rune(strings.ReplaceAll(Clean(s), " ", ""))
	if len(rs) > maxNamesText {
		rs = rs[:maxNamesText]
	}
	type found struct {
		start int
		names []string
	}
	var all []found
	t := string(rs)
	// Byte offsets of findEnterprises back to rune offsets, for the order.
	runeAt := map[int]int{}
	for i, b := 0, 0; i < len(rs); i++ {
		runeAt[b] = i
		b += len(string(rs[i]))
	}
	for _, n := range findEnterprises(t) {
		name, ok := trimLeadIn([]rune(n.name))
		if !ok {
			continue
		}
		f := found{start: runeAt[n.start], names: []string{name}}
		if short, ok := withoutLegalForm(name); ok {
			f.names = append(f.names, short)
		}
		all = append(all, f)
	}
	for _, p := range findPlaces(rs) {
		all = append(all, found{start: p.start, names: []string{string(rs[p.start:p.end])}})
	}
	// In text order; an enterprise and a place it starts with stand at the
	// same offset, the enterprise first.
	for i := 1; i < len(all); i++ {
		for j := i; j > 0 && all[j].start < all[j-1].start; j-- {
			all[j], all[j-1] = all[j-1], all[j]
		}
	}
	var out []string
	seen := map[string]bool{}
	for _, f := range all {
		for _, n := range f.names {
			if seen[n] {
				continue
			}
			if len(out) == maxNames {
				return out
			}
			seen[n] = true
			out = append(out, n)
		}
	}
	return out
}

const (
	// maxNamesText is how many characters of a text Names reads: a
	// complaint says what it is about first, and a text of the 32,767
	// characters a cell holds is a letter pasted whole.
	maxNamesText = 4000
	// maxNames is how many names Names returns: each becomes a search
	// token of the case, and no complaint is about more.
	maxNames = 12
	// maxPlace is how many characters a place may have before its ending.
	maxPlace = 6
)

// leadIns are the words after which a complaint names what it is about:
// its complainant (举报人 …, and 人称 of 举报人称), its verbs (反映, 投诉,
// 位于 …) and the words of where (附近, 下游, 楼下 …). findEnterprises
// stops at some of them already; Names cuts a name after any, and drops an
// enterprise that holds one it cannot be cut after (小区楼下烧烤店 is no
// name: 楼下 is not one).
var leadIns = runeWords("举报人", "投诉人", "来电人", "来信人", "来访人", "信访人", "反映人", "人称", "群众",
	"反映", "反应", "举报", "投诉", "来电", "来信", "来访", "称", "位于", "地处", "坐落", "紧邻", "靠近", "临近",
	"邻近", "毗邻", "附近", "周边", "周围", "下游", "上游", "污染", "影响", "流经", "途经", "排入", "流入", "偷倒",
	"倾倒", "堆放", "焚烧", "经营", "开办", "私设", "楼下", "楼上", "门口", "门前", "旁边", "对面", "隔壁", "后面",
	"背后", "院内", "东侧", "西侧", "南侧", "北侧", "一带")

// placeEnds are the characters and words a place's name ends with, after
// which an enterprise's or another place's name starts (永清镇|红星化工有限公司,
// 永清镇|上寨村).
var placeEnds = runeWords("街道", "社区", "县", "市", "区", "镇", "乡", "村")

// placeForms end a place's or an institution's name, longer ones first.
var placeForms = runeWords("卫生院", "幼儿园", "街道", "社区", "小区", "厂区", "园区", "市场", "医院", "学校",
	"中学", "小学", "村", "镇", "乡")

// notPlaces are words that start with a place's ending but are no place's
// end: 村庄, 乡镇 ….
var notPlaces = runeWords("村庄", "村落", "村民", "乡镇", "乡村", "镇村")

// legalForms are the forms a company is also called without (红星化工有限公司
// is 红星化工); 分公司 is not one (宏达化工有限公司清水分公司).
var legalForms = []string{"股份有限公司", "有限责任公司", "有限公司", "集团公司", "公司", "集团"}

// trimLeadIn cuts name after the last place or lead-in word in it whose
// rest is still an enterprise's whole name, or keeps it whole when none
// is; false when what it keeps holds a lead-in word of two characters or
// more (称 alone stands in names: 称心酒店).
func trimLeadIn(name []rune) (string, bool) {
	kept := string(name)
	for cut := len(name) - 1; cut > 0; cut-- {
		if !endsLeadIn(name[:cut]) {
			continue
		}
		rest := string(name[cut:])
		if ns := findEnterprises(rest); len(ns) == 1 && ns[0].start == 0 && ns[0].end == len(rest) {
			kept = rest
			break
		}
	}
	for _, w := range leadIns {
		if len(w) >= 2 && strings.Contains(kept, string(w)) {
			return "", false
		}
	}
	return kept, true
}

// endsLeadIn reports whether rs ends with a lead-in word or a place of at
// least two characters.
func endsLeadIn(rs []rune) bool {
	for _, w := range leadIns {
		if hasSuffixRunes(rs, w) {
			return true
		}
	}
	for _, w := range placeEnds {
		if hasSuffixRunes(rs, w) && len(rs) >= 2 {
			return true
		}
	}
	return false
}

// withoutLegalForm returns a company's name without its legal form, when
// at least two characters remain.
func withoutLegalForm(name string) (string, bool) {
	if strings.HasSuffix(name, "分公司") {
		return "", false
	}
	for _, f := range legalForms {
		if short, ok := strings.CutSuffix(name, f); ok {
			return short, len([]rune(short)) >= 2
		}
	}
	return "", false
}

// placeSpan is a place found in a text; offsets are runes.
type placeSpan struct{ start, end int }

// findPlaces returns the places and institutions rs names; see Names.
func findPlaces(rs []rune) []placeSpan {
	var out []placeSpan
	for q := 0; q < len(rs); q++ {
		var form []rune
		for _, f := range placeForms {
			if hasRunes(rs[q:], f) {
				form = f
				break
			}
		}
		if form == nil || startsAny(rs[q:], notPlaces) {
			continue
		}
		t := q
		for t > 0 && q-t <= maxPlace && !placeStopBefore(rs, t) {
			t--
		}
		end := q + len(form)
		q = end - 1
		core := string(rs[t : end-len(form)])
		if n := end - len(form) - t; n < 2 || n > maxPlace || !entNameLike(core) ||
			strings.HasSuffix(core, "个") || strings.HasSuffix(core, "些") {
			continue
		}
		out = append(out, placeSpan{t, end})
	}
	return out
}

// placeStopBefore reports whether a place's name cannot reach back over
// rs[t-1]: what stops an enterprise's, a lead-in word or another place.
func placeStopBefore(rs []rune, t int) bool {
	if entStopBefore(rs, t) {
		return true
	}
	for _, w := range leadIns {
		if hasSuffixRunes(rs[:t], w) {
			return true
		}
	}
	for _, w := range placeEnds {
		if hasSuffixRunes(rs[:t], w) {
			return true
		}
	}
	return false
}

// hasSuffixRunes reports whether rs ends with w.
func hasSuffixRunes(rs, w []rune) bool {
	return len(rs) >= len(w) && hasRunes(rs[len(rs)-len(w):], w)
}

// startsAny reports whether rs starts with one of words.
func startsAny(rs []rune, words [][]rune) bool {
	for _, w := range words {
		if hasRunes(rs, w) {
			return true
		}
	}
	return false
}
