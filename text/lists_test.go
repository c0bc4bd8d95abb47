package text

import (
	"reflect"
	"strings"
	"testing"
)

func TestSplitList(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"县工业和信息化局、陇东乡", []string{"县工业和信息化局", "陇东乡"}},
		{"水,土壤,大气", []string{"水", "土壤", "大气"}},
		{"大气，固废", []string{"大气", "固废"}},
		{"大气/扬尘", []string{"大气", "扬尘"}},
		{"大气／扬尘；噪声;生态", []string{"大气", "扬尘", "噪声", "生态"}},
		{"甲\n乙\r\n丙", []string{"甲", "乙", "丙"}},
		{" 甲 、、 乙 ,", []string{"甲", "乙"}},
		{"大气（油烟、粉尘）/噪声", []string{"大气（油烟、粉尘）", "噪声"}},
		{"甲(a,b)、乙【c/d】、丙《e、f》", []string{"甲(a,b)", "乙【c/d】", "丙《e、f》"}},
		{"縣生態(tài)環(huán)境局、县水务局", []string{"县生态环境局", "县水务局"}},
		{"", nil},
		{" 、 ", nil},
	}
	for _, tt := range tests {
		if got := SplitList(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("SplitList(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseTypes(t *testing.T) {
	tests := []struct {
		in     string
		types  string // joined by spaces
		detail string
	}{
		{"大气、噪声", "大气 噪声", ""},
		{"噪声、大气", "大气 噪声", ""},
		{"水,土壤,大气", "水 大气 土壤", ""},
		{"大气/扬尘", "大气", "扬尘"},
		{"大气（油烟）", "大气", "油烟"},
		{"大气(油烟、粉尘)", "大气", "油烟、粉尘"},
		{"固废、土壤", "土壤 固废", ""},
		{"水污染、废水、污水、地下水", "水", ""},
		{"大气污染", "大气", ""},
		{"废气、扬尘、油烟、粉尘、异味、恶臭、烟尘", "大气", "废气、扬尘、油烟、粉尘、异味、恶臭、烟尘"},
		{"土壤污染", "土壤", ""},
		{"固体废物、固体废弃物、危废、危险废物、垃圾", "固废", ""},
		{"噪音", "噪声", ""},
		{"噪声污染", "噪声", ""},
		{"生态破坏", "生态", ""},
		{"生态环境", "生态", ""},
		{"电磁辐射", "辐射", ""},
		{"辐射污染", "辐射", ""},
		{"海洋污染", "海洋", ""},
		{"扬尘污染", "大气", "扬尘"},
		{"光污染", "其他", "光污染"},
		{"其他（光污染）", "其他", "光污染"},
		{"水、光污染、扬尘、光污染", "水 大气 其他", "光污染、扬尘"},
		{"（油烟）", "大气", "油烟"},
		{"其它", "其他", ""},
		{"水 大气", "水 大气", ""},
		{"大气（油烟 粉尘） 噪声", "大气 噪声", "油烟、粉尘"},
		{"大气 （油烟）", "大气", "油烟"},
		{"大氣、噪聲", "大气 噪声", ""},
		{"", "", ""},
	}
	for _, tt := range tests {
		types, detail := ParseTypes(tt.in)
		if got := strings.Join(types, " "); got != tt.types || detail != tt.detail {
			t.Errorf("ParseTypes(%q) = %q, %q; want %q, %q", tt.in, got, detail, tt.types, tt.detail)
		}
	}
}

func TestPollutionTypes(t *testing.T) {
	want := []string{"水", "大气", "土壤", "固废", "噪声", "生态", "辐射", "海洋", "其他"}
	if !reflect.DeepEqual(PollutionTypes, want) {
		t.Errorf("PollutionTypes = %q, want %q", PollutionTypes, want)
	}
	for _, s := range want {
		if !IsPollutionType(s) {
			t.Errorf("IsPollutionType(%q) = false", s)
		}
	}
	for _, s := range []string{"", "大气污染", "扬尘", "其它", " 水"} {
		if IsPollutionType(s) {
			t.Errorf("IsPollutionType(%q) = true", s)
		}
	}
}
