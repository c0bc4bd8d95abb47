package ui

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"ducha"
	"ducha/sheets"
)

// The fields of an archive's 基本信息 come from the item's JSON encoding,
// so a field the item gains later appears without a change here: keys the
// catalogue knows get their label, nested objects and arrays of objects
// become numbered rows (整改进展 1 · 时间), and a key with no label shows
// as itself.

// jsonObject is a JSON object with its keys in the order they came.
type jsonObject []jsonMember

type jsonMember struct {
	key string
	val any // string, json.Number, bool, nil, jsonObject or []any
}

// decodeOrdered decodes one JSON value, keeping the order of object keys
// (the struct's field order), which a map would lose.
func decodeOrdered(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	d, ok := tok.(json.Delim)
	if !ok {
		return tok, nil
	}
	switch d {
	case '{':
		obj := jsonObject{}
		for dec.More() {
			k, err := dec.Token()
			if err != nil {
				return nil, err
			}
			v, err := decodeOrdered(dec)
			if err != nil {
				return nil, err
			}
			obj = append(obj, jsonMember{k.(string), v})
		}
		_, err = dec.Token()
		return obj, err
	case '[':
		arr := []any{}
		for dec.More() {
			v, err := decodeOrdered(dec)
			if err != nil {
				return nil, err
			}
			arr = append(arr, v)
		}
		_, err = dec.Token()
		return arr, err
	}
	return nil, fmt.Errorf("archive: unexpected %v", d)
}

// fieldRows lists the fields of one item for 基本信息.
type fieldRows struct {
	p      *page
	isCase bool
	rows   []sheets.ArchiveField
}

// archiveFields flattens item's JSON encoding into labelled rows: the keys
// in order first (as the item's page shows them), then every other key in
// the encoding's order, without skip and with the values of replace
// written instead of the encoding's.
func archiveFields(p *page, isCase bool, item any, order, skip []string, replace map[string]string) ([]sheets.ArchiveField, error) {
	b, err := json.Marshal(item)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	v, err := decodeOrdered(dec)
	if err != nil {
		return nil, err
	}
	obj, ok := v.(jsonObject)
	if !ok {
		return nil, fmt.Errorf("archive: item is not an object")
	}
	rank := func(k string) int {
		if i := slices.Index(order, k); i >= 0 {
			return i
		}
		return len(order)
	}
	slices.SortStableFunc(obj, func(a, b jsonMember) int { return rank(a.key) - rank(b.key) })
	f := &fieldRows{p: p, isCase: isCase}
	for _, m := range obj {
		if slices.Contains(skip, m.key) {
			continue
		}
		if text, ok := replace[m.key]; ok {
			f.rows = append(f.rows, sheets.ArchiveField{Label: f.label([]string{m.key}), Value: text})
			continue
		}
		f.add(f.label([]string{m.key}), []string{m.key}, m.val)
	}
	return f.rows, nil
}

// archiveHidden are nested keys that only repeat, as an internal id, the
// name beside them.
var archiveHidden = []string{"unit_id", "enterprise_id"}

// add writes the rows of one value under label; keys is its path.
func (f *fieldRows) add(label string, keys []string, v any) {
	switch v := v.(type) {
	case jsonObject:
		if len(v) == 0 {
			f.rows = append(f.rows, sheets.ArchiveField{Label: label})
		}
		for _, m := range v {
			if slices.Contains(archiveHidden, m.key) {
				continue
			}
			sub := append(slices.Clip(keys), m.key)
			f.add(label+" · "+f.label(sub), sub, m.val)
		}
	case []any:
		if !slices.ContainsFunc(v, isComposite) {
			parts := make([]string, 0, len(v))
			for _, e := range v {
				if t := f.value(keys, e); t != "" {
					parts = append(parts, t)
				}
			}
			f.rows = append(f.rows, sheets.ArchiveField{Label: label, Value: strings.Join(parts, "、")})
			return
		}
		for i, e := range v {
			f.add(fmt.Sprintf("%s %d", label, i+1), keys, e)
		}
	default:
		f.rows = append(f.rows, sheets.ArchiveField{Label: label, Value: f.value(keys, v)})
	}
}

func isComposite(v any) bool {
	switch v.(type) {
	case jsonObject, []any:
		return true
	}
	return false
}

// label names the key at the end of keys: the catalogue's label of the
// whole path (field.extension.deadline), else of the key alone, a case's
// labels before the common ones; else the key itself.
func (f *fieldRows) label(keys []string) string {
	whole, last := strings.Join(keys, "."), keys[len(keys)-1]
	var ids []string
	if f.isCase {
		ids = append(ids, "case.field."+whole, "case.field."+last)
	}
	ids = append(ids, "field."+whole, "field."+last)
	for _, id := range ids {
		if f.p.Lang.Has(id) {
			return f.p.T(id)
		}
	}
	return last
}

// value writes one scalar for people: statuses, verdicts and channels by
// their labels, yes or no, instants in county time.
func (f *fieldRows) value(keys []string, v any) string {
	key := keys[len(keys)-1]
	switch v := v.(type) {
	case nil:
		return ""
	case bool:
		return f.p.YesNo(v)
	case json.Number:
		return v.String()
	case string:
		switch {
		case key == "status" && f.isCase:
			return f.p.CaseStatusLabel(ducha.CaseStatus(v))
		case key == "status":
			return f.p.StatusLabel(ducha.ProblemStatus(v))
		case key == "warning":
			return f.p.WarningLabel(ducha.Warning(v))
		case key == "verdict" && f.isCase:
			return f.p.VerdictLabel(v)
		case key == "channel" && f.isCase:
			return f.p.ChannelLabel(v)
		}
		if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
			return f.p.Time(t)
		}
		return v
	}
	return fmt.Sprint(v)
}

// maxArchiveName bounds an attachment's name in the zip, in characters,
// its extension included.
const maxArchiveName = 80

// archiveNames makes each attachment's name safe and unique inside the
// zip: no path separators, no "..", no control characters or characters
// Windows refuses, no name a device owns, cut to maxArchiveName with its
// extension kept; a name taken already (ignoring case) gets " (2)",
// " (3)" … before its extension.
func archiveNames(names []string) []string {
	out := make([]string, len(names))
	taken := map[string]bool{}
	for i, raw := range names {
		name := safeName(raw)
		ext := path.Ext(name)
		if utf8.RuneCountInString(ext) > 10 {
			ext = ""
		}
		stem := strings.TrimSuffix(name, ext)
		candidate := name
		for n := 2; taken[strings.ToLower(candidate)]; n++ {
			suffix := fmt.Sprintf(" (%d)", n)
			candidate = cut(stem, maxArchiveName-utf8.RuneCountInString(suffix+ext)) + suffix + ext
		}
		taken[strings.ToLower(candidate)] = true
		out[i] = candidate
	}
	return out
}

// safeName is one name made safe (see archiveNames), before duplicates.
func safeName(raw string) string {
	var b strings.Builder
	for _, r := range strings.ToValidUTF8(raw, "_") {
		switch {
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r):
			b.WriteRune('_')
		case strings.ContainsRune(`/\:*?"<>|`, r):
			b.WriteRune('_')
		default:
			b.WriteRune(r)
		}
	}
	name := b.String()
	for strings.Contains(name, "..") {
		name = strings.ReplaceAll(name, "..", ".")
	}
	name = strings.Trim(name, " .")
	if name == "" || strings.Trim(name, "_") == "" {
		name = "附件"
	}
	stem, _, _ := strings.Cut(name, ".")
	switch strings.ToUpper(strings.TrimSpace(stem)) {
	case "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
		"LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9":
		name = "_" + name
	}
	if utf8.RuneCountInString(name) > maxArchiveName {
		ext := path.Ext(name)
		if utf8.RuneCountInString(ext) > 10 {
			ext = ""
		}
		name = cut(strings.TrimSuffix(name, ext), maxArchiveName-utf8.RuneCountInString(ext)) + ext
	}
	return name
}

// cut keeps the first n characters of a name's stem, without the dots
// and spaces it may then end in (a stem "a." before ".pdf" would make
// "..").
func cut(s string, n int) string {
	n = max(n, 1)
	for i := range s {
		if n == 0 {
			s = s[:i]
			break
		}
		n--
	}
	if s = strings.TrimRight(s, " ."); s == "" {
		return "附件"
	}
	return s
}
