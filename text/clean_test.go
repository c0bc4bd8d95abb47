package text

import (
	"os"
	"strings"
	"sync"
	"testing"
)

func TestClean(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"   ", ""},
		{"县生态环境局", "县生态环境局"},
		{"plain ascii", "plain ascii"},
		// traditional with inline pinyin
		{"縣生態(tài)環(huán)境局", "县生态环境局"},
		{"環(huán)境", "环境"},
		{"動(dòng)員全縣各級(jí)", "动员全县各级"},
		{"城區(qū)建筑工地揚塵管控不到位，渣土車未密閉運輸。", "城区建筑工地扬尘管控不到位，渣土车未密闭运输。"},
		{"环境（huán jìng）保护", "环境保护"},
		{"环境(huan jing)", "环境"},
		{"环(huan)境", "环境"},
		{"绿(lǜ)化", "绿化"},
		{"水(shuǐ)污染（wū rǎn）", "水污染"},
		// not annotations
		{"大气（油烟）", "大气（油烟）"},
		{"举报人张红霞(电话19898053976)", "举报人张红霞(电话19898053976)"},
		{"(电话19898053976)", "(电话19898053976)"},
		{"浓度（ＰＭ２．５）超标", "浓度（PM2.5）超标"},
		{"（PM2.5）", "（PM2.5）"},
		{"(ABC公司)", "(ABC公司)"},
		{"委托(ABC公司)", "委托(ABC公司)"},
		{"(huán)开头", "(huán)开头"},
		{"公司(ltd)", "公司(ltd)"},
		{"公司 (huán)", "公司 (huán)"},
		{"环(huán jìng jú)", "环(huán jìng jú)"},
		{"环(Huán)", "环(Huán)"},
		{"环(huán", "环(huán"},
		// whitespace
		{"\u3000 县生态环境局\u00a0\t", "县生态环境局"},
		{"县\u200b生\ufeff态", "县生态"},
		{"a \t\r\n b\u3000\u3000c", "a b c"},
		{"第一行\n第二行", "第一行 第二行"},
		{"x\u0007y", "xy"},
		// full-width forms
		{"２０２７年３月３１日", "2027年3月31日"},
		{"ＱＳ－２０２６／０００１．ｐｄｆ", "QS-2026/0001.pdf"},
		{"超标３０％，ｐＨ＝９", "超标30%，pH=9"},
		{"你好，世界！真的？是：是；（注）。", "你好，世界！真的？是：是；（注）。"},
		{"県", "県"},
	}
	for _, tt := range tests {
		if got := Clean(tt.in); got != tt.want {
			t.Errorf("Clean(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCleanSeed(t *testing.T) {
	b, err := os.ReadFile("../../shared/seed/000_8b6ba32736468a24.txt")
	if err != nil {
		b, err = os.ReadFile("/work/shared/seed/000_8b6ba32736468a24.txt")
	}
	if err != nil {
		t.Skip("seed text not available:", err)
	}
	got := Clean(string(b))
	for _, want := range []string{
		"12月7日,清水县召开保障中央环保督察工作动员会议,动员全县各级各相关部门",
		"推动全县环境保护工作再上新台阶。 市人大常委副主任",
		"县保障中央环境保护督察协调联络组成员单位",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("Clean(seed) lacks %q", want)
		}
	}
	if strings.ContainsAny(got, "()縣環態") {
		t.Errorf("Clean(seed) still has annotations or traditional characters: %.200q", got)
	}
}

func TestSimplified(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"abc 123", "abc 123"},
		{"县生态环境局", "县生态环境局"},
		{"縣生態環境局", "县生态环境局"},
		{"長期堅持", "长期坚持"},
		{"沈默", "沉默"},
		{"ＡＢＣ縣 abc 態(tài)", "ＡＢＣ县 abc 态(tài)"},
		{"  縣 ", "  县 "},
	}
	for _, tt := range tests {
		if got := Simplified(tt.in); got != tt.want {
			t.Errorf("Simplified(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestTradRunes checks that the fast path's character set was built from
// the dictionaries (and not left nil, which would send every CJK string to
// OpenCC).
func TestTradRunes(t *testing.T) {
	if converter() == nil {
		t.Fatal("opencc t2s converter could not be built")
	}
	set := t2s.trad
	if set == nil {
		t.Fatal("traditional rune set is nil")
	}
	for _, r := range "縣態環區沈" {
		if !set.has(r) {
			t.Errorf("%c missing from traditional rune set", r)
		}
	}
	for _, r := range "县生态环境局永清镇" {
		if set.has(r) {
			t.Errorf("%c is simplified but in the traditional rune set", r)
		}
	}
}

func TestIsPinyinAnnotation(t *testing.T) {
	tests := []struct {
		in   string
		han  int
		want bool
	}{
		{"huán", 1, true},
		{"xiàn shēng tài", 3, true},
		{"xianshengtai", 3, true},
		{"xian", 1, true}, // xian, not xi'an: fewest syllables
		{"zhuàng", 1, true},
		{"nǚ", 1, true},
		{"lüe", 1, true},
		{"abc", 5, false},
		{"pm", 5, false},
		{"", 1, false},
		{" ", 1, false},
		{"huan jing", 1, false},
		{"HUAN", 1, false},
		{"huan2", 1, false},
	}
	for _, tt := range tests {
		if got := isPinyinAnnotation([]rune(tt.in), tt.han); got != tt.want {
			t.Errorf("isPinyinAnnotation(%q, %d) = %v, want %v", tt.in, tt.han, got, tt.want)
		}
	}
}

// Typical cells of about 40 characters (42, 40 and 50).
var benchCells = map[string]string{
	"traditional": "縣生態(tài)環(huán)境局：城區(qū)建筑工地揚塵管控不到位，2026年12月31日前完成",
	"simplified":  "县生态环境局：城区建筑工地扬尘管控不到位，渣土车未密闭运输，２０２６年底前",
	"ascii":       "X3SX202612080001 QS-2026-0001 2026-12-31 00:00:00",
}

func BenchmarkClean(b *testing.B) {
	converter() // one-off dictionary build, measured in BenchmarkConverterInit
	for _, name := range []string{"traditional", "simplified", "ascii"} {
		s := benchCells[name]
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(s)))
			for b.Loop() {
				Clean(s)
			}
		})
	}
}

func BenchmarkConverterInit(b *testing.B) {
	for b.Loop() {
		t2s.once = sync.Once{}
		converter()
	}
}

func TestCleanIdempotent(t *testing.T) {
	for _, in := range []string{
		"縣生態(tài)環(huán)境局", " ＱＳ－２０２６ ", "大气（油烟）", "环境(huán jìng) 保护", "a\u3000\u3000b",
	} {
		once := Clean(in)
		if twice := Clean(once); twice != once {
			t.Errorf("Clean(Clean(%q)) = %q, want %q", in, twice, once)
		}
	}
}

// TestCleanConcurrent exercises the lazy converter from several goroutines
// (meaningful under go test -race).
func TestCleanConcurrent(t *testing.T) {
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if got := Clean("縣生態(tài)環(huán)境局"); got != "县生态环境局" {
				t.Errorf("Clean = %q", got)
			}
		}()
	}
	wg.Wait()
}
