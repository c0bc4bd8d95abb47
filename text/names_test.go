package text

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// Complaint texts as case batches carry them (the 交办问题基本情况 column),
// and the names the case search is to find them by.
func TestNames(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"反映永清镇红星化工有限公司夜间偷排废水，污染下游李家村农田。",
			[]string{"红星化工有限公司", "红星化工", "永清镇", "李家村"}},
		{"反映永清鎮紅星化工有限公司夜間偷排廢水，氣味刺鼻。", // traditional
			[]string{"红星化工有限公司", "红星化工", "永清镇"}},
		{"群众反映永清镇上寨村宏达生猪养殖场粪污直排，臭味扰民。",
			[]string{"宏达生猪养殖场", "永清镇", "上寨村"}},
		{"举报人张红霞（电话19898053976）称宏达砖厂烟尘扰民，多次反映未解决。",
			[]string{"宏达砖厂"}},
		{"投诉清水县宏达建材有限公司和福润砖瓦厂粉尘污染严重。",
			[]string{"宏达建材有限公司", "宏达建材", "福润砖瓦厂"}},
		{"反映幸福家园小区楼下张记烧烤店油烟扰民，噪声影响居民休息。",
			[]string{"张记烧烤店", "幸福家园小区"}},
		{"来信反映城关街道南关社区附近有人焚烧垃圾。", []string{"城关街道", "南关社区"}},
		{"反映县人民医院医疗废水未经处理直排河道。", []string{"人民医院"}},
		{"反映中国石化销售股份有限公司甘肃天水清水加油站油气回收装置未正常运行。",
			[]string{"中国石化销售股份有限公司甘肃天水清水加油站"}},
		{"反映白驼瑞丰养殖专业合作社粪污随意堆放。", []string{"白驼瑞丰养殖专业合作社"}},
		{"宏达化工有限公司清水分公司违规堆放危险废物。", []string{"宏达化工有限公司清水分公司"}},
		// Nothing named: the words around places and enterprises are none.
		{"反映夜间有渣土车未覆盖抛洒，道路扬尘严重。", nil},
		{"来电人反映其家附近的养殖场臭味大。", nil},
		{"反映小区楼下烧烤店油烟扰民。", nil},
		{"两个村之间的河道被倾倒建筑垃圾，城乡结合部垃圾成堆。", nil},
		{"群众反映该公司生产时噪声大，要求关停该企业。", nil},
		{"", nil},
	}
	for _, tt := range tests {
		got := Names(tt.in)
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Names(%q) = %q, want %q", tt.in, got, tt.want)
		}
		// Every name stands in the text as Clean reads it.
		clean := strings.ReplaceAll(Clean(tt.in), " ", "")
		for _, n := range got {
			if !strings.Contains(clean, n) {
				t.Errorf("Names(%q): %q is not in the text", tt.in, n)
			}
		}
	}
}

// The initials the case search stores for the brief's example: the
// company's whole name and the name people say.
func TestNamesInitials(t *testing.T) {
	var got []string
	for _, n := range Names("反映永清镇红星化工有限公司夜间偷排废水") {
		got = append(got, Initials(n))
	}
	if want := []string{"hxhgyxgs", "hxhg", "yqz"}; !reflect.DeepEqual(got, want) {
		t.Errorf("initials %q, want %q", got, want)
	}
}

// A text of the longest a cell holds costs no more than its first
// maxNamesText characters, and gives at most maxNames names.
func TestNamesBounded(t *testing.T) {
	// Many distinct enterprises, one after another.
	trade := []rune("甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥")
	var b strings.Builder
	for i := 0; utf8.RuneCountInString(b.String()) < 32000; i++ {
		b.WriteString("反映")
		b.WriteRune(trade[i%len(trade)])
		b.WriteRune(trade[(i/len(trade))%len(trade)])
		b.WriteString("化工有限公司偷排废水。")
	}
	long := b.String()
	if got := Names(long); len(got) != maxNames {
		t.Errorf("%d names of a text naming hundreds, want %d", len(got), maxNames)
	}
	// A name past the characters read is not found; at the start it is.
	filler := strings.Repeat("夜间噪声扰民，", maxNamesText/7+1)
	if got := Names(filler + "反映红星化工有限公司偷排废水"); got != nil {
		t.Errorf("a name after %d characters: %q", utf8.RuneCountInString(filler), got)
	}
	if got := Names("反映红星化工有限公司偷排废水，" + filler); len(got) != 2 || got[0] != "红星化工有限公司" {
		t.Errorf("a name at the start of a long text: %q", got)
	}
}
