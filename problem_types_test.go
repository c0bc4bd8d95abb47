package ducha_test

import (
	"slices"
	"testing"

	"ducha"
)

// Validate keeps each pollution type once, in canonical order, so that the
// store's one row per (problem, type) never sees a type twice.
func TestProblemTypesDeduplicated(t *testing.T) {
	for _, c := range []struct{ in, want []string }{
		{[]string{"水", "水"}, []string{"水"}},
		{[]string{"大气", "水", "大气", "其他"}, []string{"水", "大气", "其他"}},
		{nil, []string{}},
	} {
		p := &ducha.Problem{Description: "问题", Types: c.in}
		if err := p.Validate(); err != nil || !slices.Equal(p.Types, c.want) || p.Types == nil {
			t.Errorf("%q: %v %q, want %q", c.in, err, p.Types, c.want)
		}
	}
	p := &ducha.Problem{Description: "问题", Types: []string{"水", "空气"}}
	if err := p.Validate(); ducha.ErrorCode(err) != ducha.EINVALID {
		t.Errorf("an unknown type: %v", err)
	}
}
