package store

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	msqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"ducha"
)

// errUnavailable is what a caller learns when the database cannot be
// reached or is busy past its timeout: try again later (HTTP 503), not a bug.
var errUnavailable = &ducha.Error{Code: ducha.EUNAVAILABLE, Message: "数据库暂时无法连接，请稍后再试"}

// Unavailable reports whether err means the database could not be reached or
// was too busy: a refused or broken connection, a server shutting down or
// starting up, a PostgreSQL connection exception (SQLSTATE class 08), or
// SQLite still locked after its busy timeout. Both engines' errors are
// recognised here so that callers need not know which one runs.
func Unavailable(err error) bool {
	if err == nil {
		return false
	}
	if ducha.ErrorCode(err) == ducha.EUNAVAILABLE {
		return true
	}
	var (
		ce *pgconn.ConnectError
		pe *pgconn.PgError
		ne net.Error
		se *msqlite.Error
	)
	switch {
	case errors.As(err, &ce), errors.As(err, &ne), errors.Is(err, driver.ErrBadConn),
		errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, net.ErrClosed):
		return true
	case errors.As(err, &pe):
		return strings.HasPrefix(pe.Code, "08") || pe.Code == "57P01" || pe.Code == "57P02" || pe.Code == "57P03"
	case errors.As(err, &se):
		c := se.Code() & 0xff // primary result code
		return c == sqlite3.SQLITE_BUSY || c == sqlite3.SQLITE_LOCKED
	case errors.Is(err, context.DeadlineExceeded):
		return false // the caller's own deadline, not the database's fault
	}
	return pgconn.SafeToRetry(err)
}

// wrapUnavailable turns an error of an unreachable database into
// errUnavailable (keeping the cause for the log) and wraps others with op.
func wrapUnavailable(op string, err error) error {
	if Unavailable(err) {
		return fmt.Errorf("%s: %w (%v)", op, errUnavailable, err)
	}
	return fmt.Errorf("%s: %w", op, err)
}
