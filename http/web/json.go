package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"ducha"
)

// maxJSONBody bounds a JSON request body.
const maxJSONBody = 1 << 20

// decodeJSON reads the request body into v. Unknown fields are refused so
// that a misspelt field is not silently ignored, and so is anything after
// the value but white space (`{"a":1}{"a":2}`, `{…}garbage`); an empty body
// leaves v as it is. A key given twice is not refused: encoding/json keeps
// the last, and cannot tell without decoding every object twice.
func DecodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxJSONBody))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	var (
		syntax  *json.SyntaxError
		typeErr *json.UnmarshalTypeError
		tooBig  *http.MaxBytesError
	)
	errTooBig := ducha.Errorf(ducha.EINVALID, "请求体超过%dKB上限", maxJSONBody>>10)
	if err == nil {
		// One value only: what follows must be the end of the body.
		_, next := dec.Token()
		switch {
		case errors.Is(next, io.EOF):
			return nil
		case errors.As(next, &tooBig):
			return errTooBig
		}
		return ducha.Errorf(ducha.EINVALID, "请求体在JSON值之后还有多余的内容")
	}
	switch {
	case errors.Is(err, io.EOF):
		return nil
	case errors.As(err, &tooBig):
		return errTooBig
	case errors.As(err, &syntax), errors.Is(err, io.ErrUnexpectedEOF):
		return ducha.Errorf(ducha.EINVALID, "请求体不是有效的JSON")
	case errors.As(err, &typeErr) && typeErr.Field != "":
		return ducha.FieldError(typeErr.Field, "字段“%s”的类型错误", typeErr.Field)
	case strings.HasPrefix(err.Error(), "invalid date"):
		// ducha.Date reports no field; deadline is the only date any body has.
		return ducha.FieldError("deadline", "日期格式应为2026-12-31：%v", strings.TrimPrefix(err.Error(), "invalid date "))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		f := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return ducha.FieldError(f, "未知字段“%s”", f)
	}
	return ducha.Errorf(ducha.EINVALID, "请求体格式错误：%v", err)
}

// PathID reads the {id} wildcard. An id that is not a number is as
// missing as one that does not exist.
func PathID(r *http.Request, what string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, ducha.NotFound(what)
	}
	return id, nil
}

// ifMatchVersion reads the version from an If-Match header, which may be
// quoted or weak ("3", W/"3", 3); ok is false when there is none.
func ifMatchVersion(r *http.Request) (v int, ok bool, err error) {
	h := strings.TrimSpace(r.Header.Get("If-Match"))
	if h == "" {
		return 0, false, nil
	}
	h = strings.Trim(strings.TrimPrefix(h, "W/"), `"`)
	v, err = strconv.Atoi(h)
	if err != nil || v < 0 {
		return 0, false, ducha.FieldError("version", "If-Match应为版本号，收到“%s”", r.Header.Get("If-Match"))
	}
	return v, true, nil
}

// writeVersioned answers an item with its version as ETag.
func WriteVersioned(w http.ResponseWriter, status int, version int, v any) {
	w.Header().Set("ETag", fmt.Sprintf("%q", strconv.Itoa(version)))
	WriteJSON(w, status, v)
}

// List is the shape of every list answer. The problem ledger adds what
// its keyset paging and capped search counts need; the other lists leave
// those fields out.
type List[T any] struct {
	Items []T `json:"items"`
	Total int `json:"total"`
	// Page is 0, and left out, on a page named by key (after), whose
	// number is not known.
	Page    int `json:"page,omitempty"`
	PerPage int `json:"per_page"`
	// TotalExact, when set, tells whether Total is the exact count: false
	// when a search stopped counting past ducha.SearchCountCap.
	TotalExact *bool `json:"total_exact,omitempty"`
	// Next is the after of the next page (its last item's id), 0 on the
	// last page.
	Next int64 `json:"next,omitempty"`
}

// WholeList answers a list that is never paged.
func WholeList[T any](items []T) List[T] {
	if items == nil {
		items = []T{}
	}
	return List[T]{Items: items, Total: len(items), Page: 1, PerPage: len(items)}
}
