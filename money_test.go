package ducha_test

import (
	"encoding/json"
	"testing"

	"ducha"
)

// TestParseMoneyStrings: one sign at the front or an error; never a value
// other than the one written.
func TestParseMoneyStrings(t *testing.T) {
	good := map[string]ducha.Money{
		"0": 0, "0.01": 1, "0.1": 10, "1.5": 150, "12": 1200, "+12.30": 1230, " 7 ": 700,
		"251542.71": 25154271, "12,500.5": 1250050, "1,234,567.89": 123456789, "9999999999999.99": 999999999999999,
	}
	for s, want := range good {
		if got, err := ducha.ParseMoney(s); err != nil || got != want {
			t.Errorf("%q: %d %v, want %d", s, got, err, want)
		}
	}
	bad := []string{"-0.01", "-5", "-0", "--1", "+-1", "++1", "1.-5", "1.+5", "1.5-", "1-5", "1..5", ".5", "1.", "1.234",
		"1,23", "12345,678", ",123", "1,,234", "1e5", "1E2", "0x10", "abc", "１２", "1 000", "NaN", "Inf", "10000000000000", "1.5.5", "-", "+"}
	for _, s := range bad {
		if got, err := ducha.ParseMoney(s); err == nil {
			t.Errorf("%q accepted as %d", s, got)
		}
	}
	// Through JSON, as an API body writes it.
	var m ducha.Measure
	for _, body := range []string{`{"fine_yuan":"-0.01"}`, `{"fine_yuan":-0.01}`, `{"fine_yuan":"1.-5"}`} {
		if err := json.Unmarshal([]byte(body), &m); err == nil {
			t.Errorf("%s accepted as %d", body, m.FineYuan)
		}
	}
}
