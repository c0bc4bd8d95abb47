package text

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// SplitList splits a list cell on 、 ， , ; ； / ／ and line breaks, but
// not inside brackets of any kind (ASCII or full-width round, square and
// curly brackets, 【】, 〔〕, 《》 and 〈〉). Each item is normalized with
// Clean; empty items are dropped. 大气（油烟、粉尘）/噪声 → [大气（油烟、粉尘） 噪声].
func SplitList(s string) []string {
	return splitList(s, false)
}

// splitList is SplitList; with onSpace it splits on whitespace too.
func splitList(s string, onSpace bool) []string {
	var out []string
	depth := 0
	start := 0
	add := func(end int) {
		if item := Clean(s[start:end]); item != "" {
			out = append(out, item)
		}
	}
	for i, r := range s {
		switch {
		case strings.ContainsRune("(（[［{｛【〔《〈", r):
			depth++
		case strings.ContainsRune(")）]］}｝】〕》〉", r):
			if depth > 0 {
				depth--
			}
		case depth == 0 && (strings.ContainsRune("、，,;；/／\n\r\u2028\u2029\u0085", r) ||
			onSpace && unicode.IsSpace(r)):
			add(i)
			start = i + utf8.RuneLen(r)
		}
	}
	add(len(s))
	return out
}

// PollutionTypes lists the canonical pollution types in canonical order.
var PollutionTypes = []string{"水", "大气", "土壤", "固废", "噪声", "生态", "辐射", "海洋", "其他"}

// IsPollutionType reports whether s is exactly one of PollutionTypes.
func IsPollutionType(s string) bool {
	for _, t := range PollutionTypes {
		if s == t {
			return true
		}
	}
	return false
}

// typeOther is the type of words that match no other type.
const typeOther = "其他"

// typeWord is what a pollution-type word maps to.
type typeWord struct {
	typ string
	// detail: the word itself is kept in the detail list.
	detail bool
}

// typeWords maps the words found in 污染类型 cells to canonical types.
// Canonical types map to themselves; "X污染" is looked up as X as well.
var typeWords = map[string]typeWord{
	"水污染": {"水", false}, "废水": {"水", false}, "污水": {"水", false},
	"地下水": {"水", false},
	"气":   {"大气", false}, "大气污染": {"大气", false}, "空气": {"大气", false},
	"废气": {"大气", true}, "扬尘": {"大气", true}, "油烟": {"大气", true},
	"粉尘": {"大气", true}, "异味": {"大气", true}, "恶臭": {"大气", true},
	"烟尘": {"大气", true}, "臭气": {"大气", true},
	"土壤污染": {"土壤", false},
	"固体废物": {"固废", false}, "固体废弃物": {"固废", false}, "危废": {"固废", false},
	"危险废物": {"固废", false}, "垃圾": {"固废", false},
	"噪音": {"噪声", false}, "噪声污染": {"噪声", false},
	"生态破坏": {"生态", false}, "生态环境": {"生态", false},
	"电磁辐射": {"辐射", false},
	"其它":   {typeOther, false},
}

// lookupType maps one word to its type and the detail word to keep ("" for
// none); ok is false for unknown words.
func lookupType(w string) (typ, detail string, ok bool) {
	if IsPollutionType(w) {
		return w, "", true
	}
	if tw, ok := typeWords[w]; ok {
		if tw.detail {
			return tw.typ, w, true
		}
		return tw.typ, "", true
	}
	if stem, found := strings.CutSuffix(w, "污染"); found && stem != "" {
		if _, ok := typeWords[stem]; ok || IsPollutionType(stem) {
			return lookupType(stem)
		}
	}
	return "", "", false
}

// ParseTypes reads a pollution-type cell (污染类型, 问题类型) into canonical
// types, deduplicated and in the order of PollutionTypes, and a detail
// string of the specific words, joined by 、 in order of appearance.
//
// Items are split as by SplitList and also on spaces outside brackets. Synonyms map to
// their type: 水污染/废水/污水/地下水 → 水; 气/空气/大气污染 → 大气, and
// 废气/扬尘/油烟/粉尘/异味/恶臭/烟尘/臭气 → 大气 with the word kept as
// detail; 土壤污染 → 土壤; 固体废物/固体废弃物/危废/危险废物/垃圾 → 固废;
// 噪音/噪声污染 → 噪声; 生态破坏/生态环境 → 生态; 电磁辐射 → 辐射; any
// other "X污染" whose X is known maps like X. Words in brackets are detail
// for the type before them: 大气（油烟） → 大气 with detail 油烟. Unknown
// words give 其他 and are added to the detail, so nothing is dropped:
// 光污染 → 其他 with detail 光污染.
func ParseTypes(s string) (types []string, detail string) {
	found := map[string]bool{}
	var details []string
	seen := map[string]bool{}
	addDetail := func(w string) {
		if w != "" && !seen[w] {
			seen[w] = true
			details = append(details, w)
		}
	}
	for _, word := range splitList(s, true) {
		head, inner := splitBracket(word)
		if head != "" {
			typ, d, ok := lookupType(head)
			if !ok {
				typ, d = typeOther, head
			}
			found[typ] = true
			addDetail(d)
		}
		for _, w := range splitList(inner, true) {
			if head == "" { // a bare "(油烟)": classify the word itself
				typ, _, ok := lookupType(w)
				if !ok {
					typ = typeOther
				}
				found[typ] = true
			}
			addDetail(w)
		}
	}
	for _, t := range PollutionTypes {
		if found[t] {
			types = append(types, t)
		}
	}
	return types, strings.Join(details, "、")
}

// splitBracket splits 大气（油烟） into 大气 and 油烟. Text after the closing
// bracket is kept with the inner part; an unclosed bracket runs to the end.
func splitBracket(w string) (head, inner string) {
	i := strings.IndexAny(w, "(（")
	if i < 0 {
		return w, ""
	}
	_, size := utf8.DecodeRuneInString(w[i:])
	head, inner = w[:i], w[i+size:]
	if j := strings.LastIndexAny(inner, ")）"); j >= 0 {
		_, size := utf8.DecodeRuneInString(inner[j:])
		inner = inner[:j] + "、" + inner[j+size:]
	}
	return head, inner
}
