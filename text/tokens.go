package text

import (
	"strings"
	"unicode"

	"github.com/mozillazg/go-pinyin"
)

// Tokens returns the search tokens of fields, in order, duplicates kept.
// Each field is normalized with Clean and lower-cased, then split into
// runs: a run of Han characters gives its overlapping bigrams (扬尘治理 →
// 扬尘 尘治 治理; a one-character run gives that character), a run of ASCII
// letters and digits gives itself (QS-2026-0001 → qs 2026 0001). Anything
// else, spaces and punctuation included, ends a run, so bigrams never
// cross it, and no token is formed across two fields.
func Tokens(fields ...string) []string {
	var out []string
	for _, f := range fields {
		out = appendTokens(out, f)
	}
	return out
}

// QueryTokens tokenizes a user's search query exactly as Tokens tokenizes
// stored text, so that a phrase query of the result matches the stored
// token sequence. A one-character Han query yields that character, which
// only matches stored one-character runs: callers wanting substring
// behaviour for a single character should use a prefix query on it.
func QueryTokens(q string) []string {
	return appendTokens(nil, q)
}

// tokenKind tells what kind of run a rune belongs to.
type tokenKind int

const (
	kindOther tokenKind = iota
	kindHan
	kindAlnum
)

// kindOf classifies r for tokenizing.
func kindOf(r rune) tokenKind {
	switch {
	case r < 0x80 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'):
		return kindAlnum
	case r >= 0x2E80 && unicode.Is(unicode.Han, r):
		return kindHan
	}
	return kindOther
}

// appendTokens appends the tokens of one field to out.
func appendTokens(out []string, field string) []string {
	s := strings.ToLower(Clean(field))
	runStart, runKind := 0, kindOther
	var han []int // byte offsets of the Han runes of the current run
	flush := func(end int) {
		switch runKind {
		case kindAlnum:
			out = append(out, s[runStart:end])
		case kindHan:
			if len(han) == 1 {
				out = append(out, s[runStart:end])
				break
			}
			han = append(han, end)
			for i := 0; i+2 < len(han); i++ {
				out = append(out, s[han[i]:han[i+2]])
			}
		}
		han = han[:0]
	}
	for i, r := range s {
		k := kindOf(r)
		if k != runKind {
			flush(i)
			runStart, runKind = i, k
		}
		if k == kindHan {
			han = append(han, i)
		}
	}
	flush(len(s))
	return out
}

// initialWords gives the initials of two-character words whose reading
// differs from the first reading go-pinyin has for one of the characters.
var initialWords = map[string]string{
	// 长 is zhǎng for go-pinyin; cháng in these words and place names.
	"长期": "cq", "长江": "cj", "长城": "cc", "长安": "ca", "长沙": "cs",
	"长春": "cc", "长治": "cz", "长效": "cx", "长度": "cd", "长寿": "cs",
	"长白": "cb", "长兴": "cx", "长宁": "cn", "长清": "cq", "长武": "cw",
	"长丰": "cf", "长葛": "cg", "长汀": "ct", "长垣": "cy", "长岭": "cl",
	"长阳": "cy", "长泰": "ct", "长海": "ch", "长顺": "cs", "长乐": "cl",
	"长途": "ct", "长远": "cy", "长久": "cj",
	// 重 is zhòng; chóng here.
	"重庆": "cq", "重复": "cf", "重建": "cj", "重新": "cx", "重阳": "cy",
	// 行 is xíng; háng here.
	"银行": "yh", "行业": "hy", "农行": "nh", "工行": "gh", "建行": "jh",
	// 调 is diào; tiáo here.
	"协调": "xt", "调整": "tz", "调解": "tj", "调节": "tj", "空调": "kt",
	"调控": "tk", "调和": "th",
	// 给 is gěi; jǐ here.
	"给水": "js", "供给": "gj", "补给": "bj",
	// 畜 is chù; xù here.
	"畜牧": "xm", "畜禽": "xq",
	// Other place names.
	"厦门": "xm", "西藏": "xz", "单县": "sx", "番禺": "py", "乐清": "yq",
	"会计": "kj",
}

// Initials returns the pinyin first letters of the Han characters of s
// (after Clean, so traditional characters work too), lower-case ASCII
// letters and digits kept in place and everything else dropped:
// 永清镇 → yqz, 县生态环境局 → xsthjj, 3号站 → 3hz.
//
// Polyphonic characters take go-pinyin's first (most common) reading,
// except in a short table of words such as 长期 (cq), 重庆 (cq), 银行 (yh),
// 协调 (xt) and 厦门 (xm). Other readings can come out wrong, for instance
// 长 alone or in an unlisted place name is read zhǎng, and 堡 is read bǎo
// even where a local name says bǔ or pù. Characters go-pinyin does not know
// are dropped.
func Initials(s string) string {
	rs := []rune(strings.ToLower(Clean(s)))
	var b strings.Builder
	args := pinyin.NewArgs()
	args.Style = pinyin.FirstLetter
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch kindOf(r) {
		case kindAlnum:
			b.WriteRune(r)
		case kindHan:
			if i+1 < len(rs) {
				if w, ok := initialWords[string(rs[i:i+2])]; ok {
					b.WriteString(w)
					i++
					continue
				}
			}
			if p := pinyin.SinglePinyin(r, args); len(p) > 0 && p[0] != "" {
				b.WriteString(p[0])
			}
		}
	}
	return b.String()
}

// SearchText returns what the database stores in its full-text column: the
// Tokens of fields followed by the Initials of each initialsOf string as
// one token each (empty initials are left out), joined by single spaces.
func SearchText(fields []string, initialsOf []string) string {
	toks := Tokens(fields...)
	for _, s := range initialsOf {
		if in := Initials(s); in != "" {
			toks = append(toks, in)
		}
	}
	return strings.Join(toks, " ")
}
