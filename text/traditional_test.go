package text

import "testing"

func TestTraditional(t *testing.T) {
	for in, want := range map[string]string{"永清镇": "永清鎮", "县生态环境局": "縣生態環境局", "abc": "abc"} {
		if got := Traditional(in); got != want {
			t.Errorf("Traditional(%q) = %q, want %q", in, got, want)
		}
		if got := Simplified(Traditional(in)); got != in {
			t.Errorf("Simplified(Traditional(%q)) = %q", in, got)
		}
	}
}
