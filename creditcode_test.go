package ducha_test

import (
	"strings"
	"testing"

	"ducha"
)

func TestCheckCreditCode(t *testing.T) {
	good := []string{
		"91350100M000100Y43", // published example codes with a valid check character
		"91110000600037341L",
		"9162052100000001X6",
	}
	for _, c := range good {
		if err := ducha.CheckCreditCode(c); err != nil {
			t.Errorf("%s: %v", c, err)
		}
	}
	bad := map[string]string{
		"91350100M000100Y44":   "校验位",
		"91350100M000100Y4":    "18位",
		"91350100M000100Y433":  "18位",
		"91350100M0001O0Y43":   "无效",
		"91350100m000100Y43":   "无效",
		"":                     "18位",
		"913501００M000100Y43":   "无效",
		"110101199003077777XX": "18位",
	}
	for c, want := range bad {
		if err := ducha.CheckCreditCode(c); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want an error saying %s", c, err, want)
		}
	}
	// Through a problem: normalised, then checked, naming the field.
	p := ducha.Problem{Description: "扬尘", SubjectCreditCode: " 91350100m000100y43 "}
	if err := p.Validate(); err != nil || p.SubjectCreditCode != "91350100M000100Y43" {
		t.Fatalf("lower case code: %v %q", err, p.SubjectCreditCode)
	}
	p.SubjectCreditCode = "91350100M000100Y44"
	if de, ok := p.Validate().(*ducha.Error); !ok || de.Fields["subject_credit_code"] == "" {
		t.Fatalf("wrong check digit accepted")
	}
}
