package ui

import (
	_ "embed"
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"ducha"
	"ducha/http/web"
	"ducha/text"
)

// formErrors is what a refused form shows: a summary at the top linking to
// each wrong field, and each message beside its field. Fields are named by
// their form key; the input of field k has id f-k and its message err-k.
type formErrors struct {
	// Message is the top message for an error no field owns (a conflict,
	// a missing item); empty when the summary says it all.
	Message string
	Fields  map[string]string
	// Order lists the fields with a message in the order the form shows
	// them, for the summary.
	Order   []string
	Heading string
	// Prefix makes the ids unique on a page with several forms (the
	// detail pages): f-<Prefix><field>.
	Prefix string
}

// fieldNote is one field's message, for the shared templates.
type fieldNote struct {
	ID, Message string
}

// newFormErrors reads err for a form whose fields come in order; fields
// the order does not name follow, sorted.
func newFormErrors(l web.Lang, err error, order []string) formErrors {
	if err == nil {
		return formErrors{}
	}
	msg, fields := web.FieldErrors(err)
	f := formErrors{Fields: fields}
	for _, k := range order {
		if _, ok := fields[k]; ok {
			f.Order = append(f.Order, k)
		}
	}
	var rest []string
	for k := range fields {
		if !slices.Contains(f.Order, k) {
			rest = append(rest, k)
		}
	}
	slices.Sort(rest)
	f.Order = append(f.Order, rest...)
	if len(f.Order) == 0 {
		f.Message = msg
	} else {
		f.Heading = l.T("forms.summary", len(f.Order))
	}
	return f
}

// Err is the message for one field.
func (f formErrors) Err(field string) string { return f.Fields[field] }

// Msg is the message of one field for the "ferr" template.
func (f formErrors) Msg(field string) fieldNote {
	return fieldNote{ID: f.Prefix + field, Message: f.Fields[field]}
}

// Summary lists the messages in form order for the "fsummary" template.
func (f formErrors) Summary() []fieldNote {
	out := make([]fieldNote, len(f.Order))
	for i, k := range f.Order {
		out[i] = fieldNote{ID: f.Prefix + k, Message: f.Fields[k]}
	}
	return out
}

// Aria marks the control of a field: its id, and when it has a message,
// aria-invalid and the message's id.
func (f formErrors) Aria(field string) template.HTMLAttr {
	id := template.HTMLEscapeString(f.Prefix + field)
	if _, bad := f.Fields[field]; bad {
		return template.HTMLAttr(fmt.Sprintf(`id="f-%s" aria-invalid="true" aria-describedby="err-%s"`, id, id))
	}
	return template.HTMLAttr(`id="f-` + id + `"`)
}

// Date writes a day as 2026年12月7日, whatever the language or the
// browser; an empty or invalid one as is. The ledger writes it in every
// row, so it parses once and formats without fmt.
func (p *page) Date(day ducha.Date) string {
	t, err := time.Parse(ducha.DateLayout, string(day))
	if err != nil {
		return string(day)
	}
	return chineseDay(t)
}

// chineseDay writes t's calendar day as 2026年12月7日.
func chineseDay(t time.Time) string {
	y, m, d := t.Date()
	return strconv.Itoa(y) + "年" + strconv.Itoa(int(m)) + "月" + strconv.Itoa(d) + "日"
}

// DateValue is the value of a date input: a day as 2026年12月7日, what
// the user typed as typed. It takes a ducha.Date or a string.
func (p *page) DateValue(v any) string {
	var s string
	switch v := v.(type) {
	case ducha.Date:
		s = string(v)
	case string:
		s = v
	}
	if d, err := ducha.ParseDateISO(s); err == nil {
		return ducha.ChineseDate(d)
	}
	return s
}

// DateHint is the placeholder of every date input.
func (p *page) DateHint() string { return web.DateHint }

// unitPicker is the searchable multi-select of units: checkboxes in a box
// with a filter input that forms.js shows; without script it is a plain
// checkbox list.
type unitPicker struct {
	ID, Name, Label, FilterLabel, FilterHint string
	Options                                  []unitOption
	Error                                    fieldNote
}

// unitOption is one unit of a picker; Search is what the filter matches:
// the name, its traditional form and its pinyin initials.
type unitOption struct {
	Value, Name, Search string
	Checked             bool
}

// searchTexts caches each unit name's search text: converting and
// romanizing 33 names on every page would cost more than the page.
var searchTexts sync.Map

// unitSearch is the data-search of a unit name.
func unitSearch(name string) string {
	if v, ok := searchTexts.Load(name); ok {
		return v.(string)
	}
	parts := []string{strings.ToLower(name)}
	if t := text.Traditional(name); t != name {
		parts = append(parts, t)
	}
	if in := text.Initials(name); in != "" {
		parts = append(parts, in)
	}
	s := strings.Join(parts, " ")
	searchTexts.Store(name, s)
	return s
}

// UnitPicker builds the picker of field name over units, with those chosen
// checked (refs by id or name: []string or []ducha.UnitRef) and the
// field's message from errs.
func (p *page) UnitPicker(name, labelID string, units []*ducha.Unit, chosen any, errs formErrors) unitPicker {
	var refs []ducha.UnitRef
	switch c := chosen.(type) {
	case []string:
		refs = web.UnitRefs(c)
	case []ducha.UnitRef:
		refs = c
	}
	pk := unitPicker{ID: errs.Prefix + name, Name: name, Label: p.T(labelID), FilterLabel: p.T("forms.filter_units"),
		FilterHint: p.T("forms.filter_units_hint"), Error: errs.Msg(name)}
	for _, u := range units {
		pk.Options = append(pk.Options, unitOption{
			Value: strconv.FormatInt(u.ID, 10), Name: u.Name, Search: unitSearch(u.Name),
			Checked: slices.ContainsFunc(refs, func(r ducha.UnitRef) bool { return refersTo(r, u) }),
		})
	}
	return pk
}

//go:embed static/forms.js
var formsJS []byte

// handleFormsJS serves the forms' small script.
func (s *handler) handleFormsJS(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	_, _ = w.Write(formsJS)
	return nil
}
