package web

import (
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"ducha"
	"ducha/text"
)

// listSeparators split list fields typed as text: 永清镇、林业局 or 永清镇,林业局.
const listSeparators = "、,，;；\n"

// FormList returns the values of a multi-valued field, each value also
// split at list separators, trimmed, without empties.
func FormList(r *http.Request, key string) []string {
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

// FormValue is a trimmed single form value.
func FormValue(r *http.Request, key string) string { return strings.TrimSpace(r.PostForm.Get(key)) }

// maxFormBody bounds the url-encoded form of a page a signed-in user posts.
// It is not smaller because one form may carry several text fields of
// ducha.MaxTextLen characters, which percent-encoding makes 9 bytes each
// (a problem's description alone may be 295 KB encoded).
const maxFormBody = 1 << 20

// MaxLoginForm bounds the login form, which anyone may post and which is
// read before the throttle: a username, a password and where to go next.
const MaxLoginForm = 64 << 10

// ParseForm reads a url-encoded form body of at most maxFormBody.
func ParseForm(w http.ResponseWriter, r *http.Request) error {
	return ParseFormMax(w, r, maxFormBody)
}

// ParseFormMax reads a url-encoded form body of at most limit bytes; a
// longer one is refused, having read no more than limit. Without the bound
// ParseForm reads up to 10 MB.
func ParseFormMax(w http.ResponseWriter, r *http.Request, limit int64) error {
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	if err := r.ParseForm(); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return ducha.Errorf(ducha.EINVALID, "表单超过%dKB上限", limit>>10)
		}
		return ducha.Errorf(ducha.EINVALID, "表单格式错误")
	}
	return nil
}

// FormDate reads a date field as offices type it (see ParseFormDate): a
// text input's 2026年12月7日 as well as a date input's 2026-12-07.
func FormDate(r *http.Request, key string) (ducha.Date, error) {
	return DateField(key, "", FormValue(r, key))
}

// QueryDate reads a date of the query, such as a report's date=: links
// carry 2026-12-07, a filter form sends what was typed (2026年12月7日).
func QueryDate(r *http.Request, key, label string) (ducha.Date, error) {
	return DateField(key, label, r.URL.Query().Get(key))
}

// DateField reads raw, typed into the date field key that label names:
// the day, or an error of that field whose message names it and what was
// typed (截止日期“2026年13月40日”不是有效日期：…).
func DateField(key, label, raw string) (ducha.Date, error) {
	d, err := ParseFormDate(raw)
	if err != nil {
		return "", ducha.FieldError(key, "%s%s", label, err)
	}
	return d, nil
}

// FlagField reads raw, the yes-or-no filter key that label names (true,
// false, 1, 0, as strconv.ParseBool): the flag, or an error of that field
// that names it and what was sent (是否逾期（overdue）应为true或false，收到“maybe”).
func FlagField(key, label, raw string) (bool, error) {
	b, err := strconv.ParseBool(raw)
	if err != nil {
		return false, ducha.FieldError(key, "%s（%s）应为true或false，收到“%s”", label, key, raw)
	}
	return b, nil
}

// FieldErrors splits a validation error into the message shown at the top
// of a form and the messages shown next to its fields.
func FieldErrors(err error) (msg string, fields map[string]string) {
	var e *ducha.Error
	if errors.As(err, &e) {
		fields = e.Fields
	}
	return ducha.ErrorMessage(err), fields
}

// UnitRefs turns form values into unit references.
func UnitRefs(values []string) []ducha.UnitRef {
	refs := make([]ducha.UnitRef, 0, len(values))
	for _, v := range values {
		refs = append(refs, ducha.UnitRef(v))
	}
	return refs
}

// ParseFormDate reads a date as offices type it: 2026年12月7日, 2026-12-07,
// 2026/12/7, 2026.12.7 or 20261207, full-width digits included. An empty
// value is the empty date. An impossible date (2026年2月30日) or anything
// else is refused with a message naming the value.
func ParseFormDate(raw string) (ducha.Date, error) {
	v := strings.TrimSpace(raw)
	if v == "" {
		return "", nil
	}
	bad := fmt.Errorf("“%s”不是有效日期：日期格式应为%s（也可写2026-12-07、2026/12/7或20261207）", v, DateHint)
	s := text.Clean(v)
	if reDigits8.MatchString(s) {
		s = s[:4] + "-" + s[4:6] + "-" + s[6:]
	} else if _, err := strconv.Atoi(s); err == nil {
		return "", bad // a bare number is no date here, whatever Excel says
	}
	t, err := text.ParseDate(s)
	if err != nil || t.Year() < 1990 {
		return "", bad
	}
	if strings.ContainsAny(s, "底末前") { // 2026年底 is a deadline cell's word, not a day
		return "", bad
	}
	return ducha.Date(t.Format("2006-01-02")), nil
}

// FormValidation gathers the field errors of a form read by hand and the
// domain's, so the form shows them all; see ducha.FieldErrors.
type FormValidation struct{ ducha.FieldErrors }

// date reads a date field into *d, noting a bad one.
func (v *FormValidation) Date(raw, field, label string, d *ducha.Date) {
	got, err := ParseFormDate(raw)
	if err != nil {
		v.Add(field, "%s%s", label, err.Error())
		return
	}
	*d = got
}

// MergeFields adds err's field messages; any other error is returned.
func (v *FormValidation) MergeFields(err error) error {
	if v.Merge(err) {
		return nil
	}
	return err
}

// IsInvalid reports whether err is a refused input (as opposed to a
// conflict or a fault).
func IsInvalid(err error) bool {
	var e *ducha.Error
	return errors.As(err, &e) && e.Code == ducha.EINVALID
}

// FormStatus is the status of a form shown again after a refused post:
// 422 for input the server understood but will not take, else the error
// code's own status (409 for a stale save).
func FormStatus(err error) int {
	if IsInvalid(err) {
		return http.StatusUnprocessableEntity
	}
	return ErrorStatus(ducha.ErrorCode(err))
}

// reDigits8 is a date typed without separators: 20261207.
var reDigits8 = regexp.MustCompile(`^\d{8}$`)

// DateHint is how a date field asks to be filled.
const DateHint = "2026年12月7日"
