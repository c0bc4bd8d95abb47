package text

import (
	"sync"

	"github.com/longbridgeapp/opencc"
)

// s2t holds the lazily built simplified-to-traditional converter.
var s2t struct {
	once sync.Once
	cc   *opencc.OpenCC
}

// Traditional converts simplified characters in s to traditional ones
// (OpenCC s2t), so that a list filtered in the browser also finds 永清鎮
// typed for 永清镇. It returns s unchanged when it has no CJK character or
// the embedded dictionaries cannot be read.
func Traditional(s string) string {
	if !hasCJK(s) {
		return s
	}
	s2t.once.Do(func() {
		if cc, err := opencc.New("s2t"); err == nil {
			s2t.cc = cc
		}
	})
	if s2t.cc == nil {
		return s
	}
	out, err := s2t.cc.Convert(s)
	if err != nil {
		return s
	}
	return out
}
