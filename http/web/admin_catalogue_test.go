package web

import "testing"

// TestAdminDoneMessages checks the messages the administration pages name
// by kind, which the template scan of TestCatalogueComplete cannot see.
func TestAdminDoneMessages(t *testing.T) {
	ids := []string{"admin.users.done.created", "admin.users.done.saved", "admin.users.done.disabled", "admin.users.done.enabled",
		"admin.units.done.created", "admin.units.done.saved", "admin.campaigns.done.saved"}
	for _, id := range ids {
		for _, l := range []Lang{LangZH, LangEN} {
			if !l.Has(id) {
				t.Errorf("%s: missing in %s", id, l)
			}
		}
	}
	if got := LangZH.T("admin.users.done.disabled", "li_lc"); got != "已停用用户 li_lc，其登录和API令牌已全部失效" {
		t.Errorf("formatting: %q", got)
	}
}
