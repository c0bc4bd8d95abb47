package ui

import (
	"net/http"
	"strconv"
	"strings"

	"ducha"
	"ducha/http/web"
)

// The administration pages (系统管理): users, units and campaigns, for the
// administrator only (routes.go). They go through the same services as
// the API; the store checks the permission again.

func (s *handler) handleAdminRoot(w http.ResponseWriter, r *http.Request) error {
	http.Redirect(w, r, "/admin/users", http.StatusSeeOther)
	return nil
}

// adminDone is what a successful form post says after its redirect:
// ?saved=ID&done=KIND names the item and what was done to it. Only known
// kinds are shown, and only of an item the page lists, so a link cannot
// make the page say anything else.
type adminDone struct {
	ID   int64
	Kind string
}

// readAdminDone reads ?saved and ?done; kinds lists the ones the page knows.
func readAdminDone(r *http.Request, kinds ...string) adminDone {
	q := r.URL.Query()
	id, err := strconv.ParseInt(q.Get("saved"), 10, 64)
	kind := q.Get("done")
	if err != nil || id <= 0 {
		return adminDone{}
	}
	for _, k := range kinds {
		if k == kind {
			return adminDone{ID: id, Kind: kind}
		}
	}
	return adminDone{}
}

// redirectDone answers a successful post with the page at path saying
// what was done.
func redirectDone(w http.ResponseWriter, r *http.Request, path string, id int64, kind string) {
	http.Redirect(w, r, path+"?saved="+strconv.FormatInt(id, 10)+"&done="+kind, http.StatusSeeOther)
}

// formError reports whether err is one a form shows next to its fields
// (invalid input or a stale version) rather than an error page.
func formError(err error) bool {
	code := ducha.ErrorCode(err)
	return code == ducha.EINVALID || code == ducha.ECONFLICT
}

// formVersion reads the hidden version field of an edit form.
func formVersion(r *http.Request) (int, error) {
	v, err := strconv.Atoi(web.FormValue(r, "version"))
	if err != nil || v <= 0 {
		return 0, ducha.FieldError("version", "缺少版本号（version），请刷新后重试")
	}
	return v, nil
}

// formInt reads a whole number field; label names it in the message.
func formInt(r *http.Request, key, label string) (int, error) {
	v := web.FormValue(r, key)
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, ducha.FieldError(key, "%s应为整数，收到“%s”", label, v)
	}
	return n, nil
}

// formBool reads a checkbox.
func formBool(r *http.Request, key string) bool {
	switch strings.ToLower(web.FormValue(r, key)) {
	case "", "0", "false", "off":
		return false
	}
	return true
}
