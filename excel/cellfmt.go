package excel

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// isBuiltinDateFormat reports whether a built-in number format id is a date
// or time format (ids 27–36 and 50–58 are the East Asian date formats, e.g.
// 31 is yyyy"年"m"月"d"日" in zh-CN).
func isBuiltinDateFormat(id int) bool {
	return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) ||
		(id >= 45 && id <= 47) || (id >= 50 && id <= 58)
}

// isDateFormatCode reports whether a custom number format code displays a
// date or time: after dropping quoted literals, escaped characters, padding
// and fill characters and bracketed parts ([Red], [$-804], [DBNum1]), it
// still contains y, m, d, h or s (elapsed times such as [h] count too).
func isDateFormatCode(code string) bool {
	// Only the first section (positive numbers) decides.
	inQuote := false
	for i := 0; i < len(code); i++ {
		ch := code[i]
		switch {
		case inQuote:
			if ch == '"' {
				inQuote = false
			}
		case ch == '"':
			inQuote = true
		case ch == '\\' || ch == '_' || ch == '*':
			i++ // the next character is a literal, a padding or fill character
		case ch == '[':
			end := strings.IndexByte(code[i:], ']')
			if end < 0 {
				return false
			}
			inner := strings.ToLower(code[i+1 : i+end])
			if inner != "" && strings.Trim(inner, "hms") == "" {
				return true
			}
			i += end
		case ch == ';':
			return false
		default:
			switch ch | 0x20 { // ASCII lower case
			case 'y', 'm', 'd', 'h', 's':
				return true
			}
		}
	}
	return false
}

// plainNumber renders a number stored in a cell without exponent and without
// binary noise: integers as written ("19898053976"), others rounded to the 15
// significant digits Excel shows ("12.50" → "12.5", "0.30000000000000004" →
// "0.3").
func plainNumber(raw string) string {
	if isPlainInt(raw) {
		return raw
	}
	v, err := strconv.ParseFloat(raw, 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return raw
	}
	v, _ = strconv.ParseFloat(strconv.FormatFloat(v, 'g', 15, 64), 64)
	if a := math.Abs(v); a == 0 {
		return "0"
	} else if a < 1e-9 || a >= 1e21 {
		return strconv.FormatFloat(v, 'G', -1, 64)
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

func isPlainInt(s string) bool {
	if strings.HasPrefix(s, "-") {
		s = s[1:]
	}
	if s == "" || len(s) > 1 && s[0] == '0' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

var (
	epoch1900 = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	epoch1904 = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
)

// serialText renders an Excel date serial as "2006-01-02", or
// "2006-01-02 15:04:05" when it has a time part, or "15:04:05" for a pure
// time (serial below 1). ok is false for serials outside Excel's date range.
func serialText(v float64, date1904 bool) (s string, ok bool) {
	if math.IsNaN(v) || v < 0 || v >= 2958466 {
		return "", false
	}
	secs := int64(math.Round(v * 86400))
	days, rem := secs/86400, secs%86400
	clock := time.Unix(rem, 0).UTC().Format("15:04:05")
	if days == 0 {
		return clock, true
	}
	var t time.Time
	switch {
	case date1904:
		t = epoch1904.AddDate(0, 0, int(days))
	case days >= 61:
		t = epoch1900.AddDate(0, 0, int(days))
	case days == 60: // Excel's phantom 1900-02-29
		t = time.Date(1900, 2, 28, 0, 0, 0, 0, time.UTC)
	default:
		t = epoch1900.AddDate(0, 0, int(days)+1)
	}
	if rem == 0 {
		return t.Format(time.DateOnly), true
	}
	return t.Format(time.DateOnly) + " " + clock, true
}

// isoDateText renders the value of a t="d" cell (ISO 8601 text) like a date
// serial would be rendered.
func isoDateText(raw string) string {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02T15:04", time.DateOnly} {
		if t, err := time.Parse(layout, raw); err == nil {
			if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 {
				return t.Format(time.DateOnly)
			}
			return t.Format(time.DateTime)
		}
	}
	if t, err := time.Parse("15:04:05", raw); err == nil {
		return t.Format("15:04:05")
	}
	return raw
}

// unescapeOOXML decodes the _xHHHH_ escapes OOXML uses for characters that
// XML cannot hold (e.g. _x000D_ for a carriage return, _x005F_ for "_").
func unescapeOOXML(s string) string {
	if !strings.Contains(s, "_x") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		if i+7 <= len(s) && s[i] == '_' && s[i+1] == 'x' && s[i+6] == '_' {
			if n, err := strconv.ParseUint(s[i+2:i+6], 16, 16); err == nil {
				b.WriteRune(rune(n))
				i += 7
				continue
			}
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String()
}
