package web

import (
	"net/http"

	"ducha"
)

// Accountability records (问责), the discipline ranking and the referral
// pack. Discipline writes the records; the store scopes every read to the
// caller's unit, and another unit's record answers 404 exactly like a
// missing one.

// ErrNoAccountability answers these routes on a server built without them.
var ErrNoAccountability = ducha.Errorf(ducha.ENOTFOUND, "本服务未启用问责")

// DisciplinePeriod reads from= and to= (YYYY-MM-DD, either may be left
// out: the store fills in the defaults).
func DisciplinePeriod(r *http.Request) (ducha.Date, ducha.Date, error) {
	v := r.URL.Query()
	from, err := ducha.ParseReportDate("from", "起始日期", v.Get("from"))
	if err != nil {
		return "", "", err
	}
	to, err := ducha.ParseReportDate("to", "截止日期", v.Get("to"))
	return from, to, err
}
