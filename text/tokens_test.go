package text

import (
	"reflect"
	"strings"
	"testing"
)

func TestTokens(t *testing.T) {
	tests := []struct {
		in   []string
		want string // tokens joined by spaces; "" for none
	}{
		{[]string{"扬尘治理"}, "扬尘 尘治 治理"},
		{[]string{"镇"}, "镇"},
		{[]string{"QS-2026-0001"}, "qs 2026 0001"},
		{[]string{"X3SX202612080001"}, "x3sx202612080001"},
		{[]string{"永清镇，扬尘"}, "永清 清镇 扬尘"},
		{[]string{"永清镇 扬尘"}, "永清 清镇 扬尘"},
		{[]string{"PM2.5超标"}, "pm2 5 超标"},
		{[]string{"ＰＭ２．５超标"}, "pm2 5 超标"},
		{[]string{"縣生態(tài)環(huán)境局"}, "县生 生态 态环 环境 境局"},
		{[]string{"大气（油烟）"}, "大气 油烟"},
		{[]string{"治理扬尘", "扬尘"}, "治理 理扬 扬尘 扬尘"},
		{[]string{"永清", "镇"}, "永清 镇"},
		{[]string{"", " ", "！？"}, ""},
		{[]string{"第3号站点"}, "第 3 号站 站点"},
		{nil, ""},
	}
	for _, tt := range tests {
		got := strings.Join(Tokens(tt.in...), " ")
		if got != tt.want {
			t.Errorf("Tokens(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestQueryTokens(t *testing.T) {
	tests := []struct {
		q    string
		want []string
	}{
		{"扬尘", []string{"扬尘"}},
		{"揚塵治理", []string{"扬尘", "尘治", "治理"}},
		{"qs-2026", []string{"qs", "2026"}},
		{"", nil},
	}
	for _, tt := range tests {
		if got := QueryTokens(tt.q); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("QueryTokens(%q) = %q, want %q", tt.q, got, tt.want)
		}
	}
	// A query's tokens appear as a contiguous run in the stored tokens.
	stored := " " + strings.Join(Tokens("城區建筑工地揚塵管控不到位"), " ") + " "
	query := " " + strings.Join(QueryTokens("工地扬尘"), " ") + " "
	if !strings.Contains(stored, query) {
		t.Errorf("phrase %q not found in %q", query, stored)
	}
}

func TestInitials(t *testing.T) {
	tests := []struct{ in, want string }{
		{"永清镇", "yqz"},
		{"县生态环境局", "xsthjj"},
		{"縣生態(tài)環(huán)境局", "xsthjj"},
		{"草川铺镇", "ccpz"},
		{"3号站", "3hz"},
		{"QS-2026", "qs2026"},
		{"县保障中央环境保护督察协调联络组", "xbzzyhjbhdcxtllz"},
		{"长期坚持", "cqjc"},
		{"副县长", "fxz"},
		{"重庆市", "cqs"},
		{"中国银行", "zgyh"},
		{"厦门", "xm"},
		{"畜禽养殖", "xqyz"},
		{"，。！", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Initials(tt.in); got != tt.want {
			t.Errorf("Initials(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSearchText(t *testing.T) {
	tests := []struct {
		fields, initialsOf []string
		want               string
	}{
		{
			[]string{"X3SX202612080001", "扬尘治理", "永清镇"},
			[]string{"永清镇", "县生态环境局"},
			"x3sx202612080001 扬尘 尘治 治理 永清 清镇 yqz xsthjj",
		},
		{nil, []string{"永清镇", "", "！"}, "yqz"},
		{[]string{"镇"}, nil, "镇"},
		{nil, nil, ""},
	}
	for _, tt := range tests {
		if got := SearchText(tt.fields, tt.initialsOf); got != tt.want {
			t.Errorf("SearchText(%q, %q) = %q, want %q", tt.fields, tt.initialsOf, got, tt.want)
		}
	}
}
