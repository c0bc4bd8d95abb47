package ducha

import (
	"fmt"
	"strings"
)

// creditCodeChars are the characters of a 统一社会信用代码 (GB 32100-2015), in
// the order of their values: digits and capital letters without I, O, Z, S, V.
const creditCodeChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// creditCodeWeights are the weights of the first 17 characters: 3^i mod 31.
var creditCodeWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// NormalizeCreditCode trims a credit code and writes its letters in capitals,
// as codes are printed on licences.
func NormalizeCreditCode(s string) string {
	return strings.ToUpper(strings.TrimSpace(s))
}

// CheckCreditCode checks a 统一社会信用代码: 18 characters of the code's
// alphabet whose last one is the GB 32100 check character of the first 17.
// The message says what is wrong, so a typing error can be found.
func CheckCreditCode(code string) error {
	n := 0
	sum := 0
	for _, r := range code {
		n++
		v := strings.IndexRune(creditCodeChars, r)
		if v < 0 {
			return fmt.Errorf("统一社会信用代码“%s”第%d位“%c”无效：只能是数字和大写字母（不含I、O、Z、S、V）", code, n, r)
		}
		if n <= 17 {
			sum += v * creditCodeWeights[n-1]
		}
	}
	if n != 18 {
		return fmt.Errorf("统一社会信用代码“%s”应为18位，现有%d位", code, n)
	}
	want := creditCodeChars[(31-sum%31)%31]
	if code[17] != want {
		return fmt.Errorf("统一社会信用代码“%s”的校验位不符，请核对是否抄错", code)
	}
	return nil
}
