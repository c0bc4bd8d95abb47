package http

import (
	"errors"
	"net/http"
	"strings"

	"ducha"
)

// listSeparators split list fields typed as text: 永清镇、林业局 or 永清镇,林业局.
const listSeparators = "、,，;；\n"

// formList returns the values of a multi-valued field, each value also
// split at list separators, trimmed, without empties.
func formList(r *http.Request, key string) []string {
	var out []string
	for _, v := range r.PostForm[key] {
		for _, part := range strings.FieldsFunc(v, func(c rune) bool { return strings.ContainsRune(listSeparators, c) }) {
			if part = strings.TrimSpace(part); part != "" {
				out = append(out, part)
			}
		}
	}
	return out
}

// formValue is a trimmed single form value.
func formValue(r *http.Request, key string) string { return strings.TrimSpace(r.PostForm.Get(key)) }

// parseForm reads a url-encoded form body of at most 1 MB.
func parseForm(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxJSONBody)
	if err := r.ParseForm(); err != nil {
		return ducha.Errorf(ducha.EINVALID, "表单格式错误")
	}
	return nil
}

// formDate reads a date field: the date input sends 2006-01-02.
func formDate(r *http.Request, key string) (ducha.Date, error) {
	d, err := ducha.ParseDateISO(formValue(r, key))
	if err != nil {
		return "", ducha.FieldError(key, "日期格式应为2026-12-31")
	}
	return d, nil
}

// fieldErrors splits a validation error into the message shown at the top
// of a form and the messages shown next to its fields.
func fieldErrors(err error) (msg string, fields map[string]string) {
	var e *ducha.Error
	if errors.As(err, &e) {
		fields = e.Fields
	}
	return ducha.ErrorMessage(err), fields
}

// unitRefs turns form values into unit references.
func unitRefs(values []string) []ducha.UnitRef {
	refs := make([]ducha.UnitRef, 0, len(values))
	for _, v := range values {
		refs = append(refs, ducha.UnitRef(v))
	}
	return refs
}
