package ducha

import (
	"errors"
	"fmt"
	"slices"
	"sort"
)

// FieldErrors collects the messages of a form's fields, so that a form (or
// an API client) hears of every mistake at once rather than one per submit.
// The zero value is ready to use.
type FieldErrors struct {
	fields map[string]string
	order  []string
}

// Add records a message for field; a field keeps its first message.
func (fe *FieldErrors) Add(field, format string, args ...any) {
	fe.add(field, fmt.Sprintf(format, args...))
}

func (fe *FieldErrors) add(field, msg string) {
	if fe.fields == nil {
		fe.fields = map[string]string{}
	}
	if _, dup := fe.fields[field]; dup {
		return
	}
	fe.fields[field] = msg
	fe.order = append(fe.order, field)
}

// Merge adds the field messages of an invalid-input error and reports
// whether err was one (or nil). Any other error is the caller's to return:
// a missing unit or a conflict is no field's fault.
func (fe *FieldErrors) Merge(err error) bool {
	if err == nil {
		return true
	}
	var e *Error
	if !errors.As(err, &e) || e.Code != EINVALID {
		return false
	}
	if len(e.Fields) == 0 {
		fe.add("", e.Message)
		return true
	}
	keys := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	// The field its message names first comes first.
	if i := slices.IndexFunc(keys, func(k string) bool { return e.Fields[k] == e.Message }); i > 0 {
		keys[0], keys[i] = keys[i], keys[0]
	}
	for _, k := range keys {
		fe.add(k, e.Fields[k])
	}
	return true
}

// Has reports whether field has a message.
func (fe *FieldErrors) Has(field string) bool { _, ok := fe.fields[field]; return ok }

// Len is how many fields have a message.
func (fe *FieldErrors) Len() int { return len(fe.order) }

// Err is nil when no field has a message, else one invalid-input error
// carrying every field's message; its Message is the first one, followed by
// how many more fields are wrong.
func (fe *FieldErrors) Err() error {
	if len(fe.order) == 0 {
		return nil
	}
	msg := fe.fields[fe.order[0]]
	if n := len(fe.order) - 1; n > 0 {
		msg = fmt.Sprintf("%s（另有%d个字段有误）", msg, n)
	}
	fields := make(map[string]string, len(fe.fields))
	for k, v := range fe.fields {
		if k != "" {
			fields[k] = v
		}
	}
	return &Error{Code: EINVALID, Message: msg, Fields: fields}
}
