package ducha

import (
	"errors"
	"fmt"
)

// Error codes. Each maps to one HTTP status in package http and one exit
// status in the CLI.
const (
	EINVALID      = "invalid"
	EUNAUTHORIZED = "unauthorized"
	EFORBIDDEN    = "forbidden"
	ENOTFOUND     = "not_found"
	ECONFLICT     = "conflict"
	EUNAVAILABLE  = "unavailable" // the database cannot be reached: try again later
	EINTERNAL     = "internal"
)

// Error is the one error type of the domain. Message is written for the user
// (Chinese); Fields names the offending fields; Row is set for file imports.
type Error struct {
	Code    string
	Message string
	Fields  map[string]string
	Row     int
}

func (e *Error) Error() string {
	if e.Row > 0 {
		return fmt.Sprintf("第%d行：%s", e.Row, e.Message)
	}
	return e.Message
}

// Errorf returns an *Error with the code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// FieldError returns an invalid-input error about one field.
func FieldError(field, format string, args ...any) *Error {
	msg := fmt.Sprintf(format, args...)
	return &Error{Code: EINVALID, Message: msg, Fields: map[string]string{field: msg}}
}

// ErrorCode returns the code of the first *Error in err's chain; EINTERNAL for
// any other error and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// Fault reports whether err is the system's doing (an internal error or an
// unreachable database) rather than the user's: such errors are logged, and
// the CLI exits 2 on them.
func Fault(err error) bool {
	c := ErrorCode(err)
	return c == EINTERNAL || c == EUNAVAILABLE
}

// ErrorMessage returns the user-facing message of err; internal errors get a
// generic message so that no detail leaks.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Error()
	}
	return "系统内部错误"
}

// NotFound is the one error for a missing item and for an item the user may
// not see: both answer the same, so ids cannot be probed.
func NotFound(what string) *Error {
	return Errorf(ENOTFOUND, "%s不存在", what)
}

// Conflict is returned when a write carries a stale version.
func Conflict() *Error {
	return Errorf(ECONFLICT, "该记录已被他人修改，请刷新后重试")
}

// Forbidden is returned when the user may not do what they asked.
func Forbidden() *Error {
	return Errorf(EFORBIDDEN, "无权执行此操作")
}
