package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"ducha"
)

// ETOOMANY is the code of a login refused after too many failures. Only
// the login throttle, which lives in this package, produces it.
const ETOOMANY = "too_many_requests"

// EPASSWORDCHANGE is the code of a request refused because the user still
// holds a password someone else chose; only this package's guard produces
// it. Pages redirect to the password form instead of showing it.
const EPASSWORDCHANGE = "password_change_required"

// codeStatus is the one table from error codes to HTTP status.
var codeStatus = map[string]int{
	ducha.EINVALID:      http.StatusBadRequest,
	ducha.EUNAUTHORIZED: http.StatusUnauthorized,
	ducha.EFORBIDDEN:    http.StatusForbidden,
	ducha.ENOTFOUND:     http.StatusNotFound,
	ducha.ECONFLICT:     http.StatusConflict,
	ETOOMANY:            http.StatusTooManyRequests,
	EPASSWORDCHANGE:     http.StatusForbidden,
	ducha.EUNAVAILABLE:  http.StatusServiceUnavailable,
	ducha.EINTERNAL:     http.StatusInternalServerError,
}

// msgInternal is all an internal error tells the client; the cause is logged.
const msgInternal = "系统内部错误"

// ErrorStatus returns the HTTP status of an error code; 500 for unknown codes.
func ErrorStatus(code string) int {
	if st, ok := codeStatus[code]; ok {
		return st
	}
	return http.StatusInternalServerError
}

// ErrorResponse is the JSON body of every API error.
type ErrorResponse struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail says what went wrong: a code, a message for people and the
// offending fields; Row is set when a file import names a row.
type ErrorDetail struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields"`
	Row     int               `json:"row,omitempty"`
}

// errorDetail builds the answer for err; internal errors say nothing of
// their cause.
func errorDetail(err error) ErrorDetail {
	d := ErrorDetail{Code: ducha.ErrorCode(err), Message: ducha.ErrorMessage(err), Fields: map[string]string{}}
	if _, known := codeStatus[d.Code]; !known {
		d.Code = ducha.EINTERNAL
	}
	var e *ducha.Error
	if d.Code != ducha.EINTERNAL && errors.As(err, &e) {
		for k, v := range e.Fields {
			d.Fields[k] = v
		}
		d.Row = e.Row
	}
	if d.Code == ducha.EINTERNAL {
		d.Message = msgInternal
	}
	return d
}

// error is the one error handler: it logs internal errors and answers JSON
// under /api/ and an HTML page elsewhere. An anonymous visitor of a page is
// sent to the login form instead.
func (s *Server) error(w http.ResponseWriter, r *http.Request, err error) {
	d := errorDetail(err)
	switch d.Code {
	case ducha.EINTERNAL:
		s.Logger.Error("http: internal error", "method", r.Method, "path", r.URL.Path, "err", err)
	case ducha.EUNAVAILABLE:
		s.Logger.Warn("http: database unavailable", "method", r.Method, "path", r.URL.Path, "err", err)
		w.Header().Set("Retry-After", "5")
	}
	status := ErrorStatus(d.Code)
	if isAPI(r) {
		WriteJSON(w, status, ErrorResponse{Error: d})
		return
	}
	if d.Code == EPASSWORDCHANGE {
		http.Redirect(w, r, PasswordPath, http.StatusSeeOther)
		return
	}
	if d.Code == ducha.EUNAUTHORIZED {
		next := LandingPath
		if r.Method == http.MethodGet {
			next = r.URL.RequestURI()
		}
		http.Redirect(w, r, "/login?next="+url.QueryEscape(next), http.StatusSeeOther)
		return
	}
	if s.HTMLError != nil {
		s.HTMLError(w, r, status, d)
		return
	}
	http.Error(w, d.Message, status)
}

func isAPI(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/api/") }

// WriteJSON writes v with the status.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}
