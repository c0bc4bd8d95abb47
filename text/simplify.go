package text

import (
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/longbridgeapp/opencc"
)

// t2s holds the lazily built traditional-to-simplified converter.
var t2s struct {
	once sync.Once
	cc   *opencc.OpenCC
	// trad holds every rune that can take part in a t2s conversion; a run
	// of text without any of them is left alone. nil means the set could
	// not be built and every CJK run is converted.
	trad runeSet
}

// cjkStart is the lowest rune that may appear in an opencc t2s key
// (the dictionaries start at U+3400; U+2E80 leaves room for radicals).
const cjkStart = 0x2E80

// converter returns the t2s converter, building it on first use. The
// dictionaries are embedded in the opencc module, so building needs no
// file; it returns nil only if the embedded data is broken.
func converter() *opencc.OpenCC {
	t2s.once.Do(func() {
		cc, err := opencc.New("t2s")
		if err != nil {
			return
		}
		t2s.cc = cc
		t2s.trad = tradRunes(cc)
	})
	return t2s.cc
}

// tradRunes lists the runes that t2s may change: the keys of the character
// dictionaries, plus every rune of a phrase key that contains none of them
// (such as 沈默 → 沉默). It returns nil when the dictionaries cannot be
// enumerated, which makes the caller convert every CJK run.
func tradRunes(cc *opencc.OpenCC) runeSet {
	var phrases []string
	set := make(map[rune]struct{}, 4500)
	for _, g := range cc.DictChains {
		for _, d := range g.Dicts {
			if d == nil || d.Trie == nil {
				return nil
			}
			for _, id := range d.Trie.PrefixPredict(nil, 0) {
				key, err := d.Trie.Key(id)
				if err != nil {
					continue
				}
				k := string(key)
				if utf8.RuneCountInString(k) == 1 {
					r, _ := utf8.DecodeRuneInString(k)
					set[r] = struct{}{}
				} else {
					phrases = append(phrases, k)
				}
			}
		}
	}
	if len(set) < 1000 { // not the dictionary we know: be safe
		return nil
	}
	for _, p := range phrases {
		if !hasTrad(p, set) {
			for _, r := range p {
				set[r] = struct{}{}
			}
		}
	}
	var rs runeSet
	for r := range set {
		rs.add(r)
	}
	return rs
}

// hasTrad reports whether s contains a rune of set.
func hasTrad(s string, set map[rune]struct{}) bool {
	for _, r := range s {
		if _, ok := set[r]; ok {
			return true
		}
	}
	return false
}

// runeSet is a bit set of runes, faster than a map on the hot path.
type runeSet []uint64

// add puts r into the set, growing it as needed.
func (s *runeSet) add(r rune) {
	i := int(r) >> 6
	for len(*s) <= i {
		*s = append(*s, 0)
	}
	(*s)[i] |= 1 << (uint(r) & 63)
}

// has reports whether r is in the set.
func (s runeSet) has(r rune) bool {
	i := int(r) >> 6
	return i < len(s) && s[i]&(1<<(uint(r)&63)) != 0
}

// hasCJK reports whether s contains a rune at or above cjkStart.
func hasCJK(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0xE2 { // first byte of U+2000 and above
			for _, r := range s[i:] {
				if r >= cjkStart {
					return true
				}
			}
			return false
		}
	}
	return false
}

// Simplified converts traditional Chinese characters in s to simplified
// ones (OpenCC t2s, with its phrase table) and changes nothing else. It is
// meant for search queries; imported cells go through [Clean], which calls
// it. Strings without a convertible character are returned unchanged
// without calling OpenCC.
func Simplified(s string) string {
	if !hasCJK(s) {
		return s
	}
	cc := converter()
	if cc == nil {
		return s
	}
	set := t2s.trad
	var b strings.Builder
	start := 0 // start of the part of s not yet copied to b
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r < cjkStart {
			i += n
			continue
		}
		// A run of CJK runes: every t2s key lies inside such a run.
		j := i
		convert := set == nil
		for j < len(s) {
			r, n := utf8.DecodeRuneInString(s[j:])
			if r < cjkStart {
				break
			}
			if !convert {
				convert = set.has(r)
			}
			j += n
		}
		if convert {
			out, err := cc.Convert(s[i:j])
			if err == nil && out != s[i:j] {
				if b.Len() == 0 {
					b.Grow(len(s))
				}
				b.WriteString(s[start:i])
				b.WriteString(out)
				start = j
			}
		}
		i = j
	}
	if start == 0 {
		return s
	}
	b.WriteString(s[start:])
	return b.String()
}
