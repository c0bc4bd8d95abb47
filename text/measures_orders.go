package text

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"ducha"
)

// ---------------------------------------------------------------------------
// Orders (责令 + whom + what)

// reAddressee is whom a 责令 orders, where no enterprise is named there:
// 其, 该公司, 该养殖场, 项目建设单位, 施工单位, 涉事企业, 业主 …
var reAddressee = regexp.MustCompile(`^(?:该\p{Han}{0,6}?(?:企业|公司|厂|单位|场|站|店|户|工地|项目|部|合作社|作坊|方)|` +
	`(?:涉事|相关|违法|违规)?\p{Han}{0,4}?(?:企业|公司|厂家|厂方|单位|业主|施工方|建设方|开发商|经营者|经营户|商户|店主|` +
	`养殖户|养殖场|当事人|行为人|物业|项目部|施工队|合作社|工地)|其)`)

var (
	// reSuspendOrder is an order to stop production: 责令该公司停产.
	reSuspendOrder = regexp.MustCompile(`停产|停业|停工|停止生产|停止营业|停止经营|停止开采`)
	// reHaltOrder is an order to halt some work, neither a rectification
	// nor a suspension: 责令其夜间停止高噪声作业. 停止违法建设 is not one.
	reHaltOrder = regexp.MustCompile(`停止[^，。；;！？!?违非]{0,8}?(?:作业|施工|建设)`)
)

// orderEvidence is how many characters of an order after 责令 its evidence
// quotes at most.
const orderEvidence = 24

// orders adds the hits of 责令 followed by whom it orders and what, where
// the patterns found none in the clause: 责令项目建设单位全面覆盖渣土堆 and
// 责令该公司立即停止违法行为 are ordered_to_rectify, 责令该公司停产 is
// suspended; an order to pay (缴纳), to close or dismantle (the
// closed_down words) or to halt some work (停止夜间施工) is neither.
func (m *measureScan) orders() {
	s := m.s
	for off := 0; ; {
		i := strings.Index(s[off:], "责令")
		if i < 0 {
			return
		}
		i += off
		off = i + len("责令")
		_, ce := m.clause(i)
		a := off
		if n := nameStartingAt(m.names, a); n != nil && n.end <= ce {
			a = n.end
		} else if loc := reAddressee.FindStringIndex(s[a:ce]); loc != nil {
			a += loc[1]
		} else {
			continue
		}
		rest := s[a:ce]
		if rest == "" || strings.Contains(rest, "缴纳") || m.hitIn(ducha.MeasureClosedDown, i, ce) {
			continue
		}
		if loc := reSuspendOrder.FindStringIndex(rest); loc != nil {
			if !m.hitIn(ducha.MeasureSuspended, i, ce) {
				m.addHit(ducha.MeasureSuspended, i, a+loc[1])
			}
			continue
		}
		if reHaltOrder.MatchString(rest) || m.hitIn(ducha.MeasureOrderedToRectify, i, ce) {
			continue
		}
		end := a
		for n := 0; n < orderEvidence && end < ce; n++ {
			_, size := utf8.DecodeRuneInString(s[end:])
			end += size
		}
		m.addHit(ducha.MeasureOrderedToRectify, i, end)
	}
}

// hitIn reports whether a hit of kind starts within [from, to).
func (m *measureScan) hitIn(kind string, from, to int) bool {
	for _, h := range m.hits {
		if h.kind == kind && h.start >= from && h.start < to {
			return true
		}
	}
	return false
}

// addHit adds a hit over s[start:end] unless keep drops it.
func (m *measureScan) addHit(kind string, start, end int) {
	h := &measureHit{kind: kind, start: start, end: end, evStart: start, evEnd: end}
	if m.keep(h) {
		m.hits = append(m.hits, h)
	}
}
