package web

import (
	"testing"

	"ducha"
)

// TestCatalogueComplete checks that both languages have the same message
// ids and that every id the code names by kind exists; ducha/http/ui's
// TestTemplateMessages checks the ids its templates name.
func TestCatalogueComplete(t *testing.T) {
	for id := range messagesZH {
		if _, ok := messagesEN[id]; !ok {
			t.Errorf("%s: missing in English", id)
		}
	}
	for id := range messagesEN {
		if _, ok := messagesZH[id]; !ok {
			t.Errorf("%s: missing in Chinese", id)
		}
	}
	var ids []string
	for _, st := range ducha.ProblemStatuses {
		ids = append(ids, "status."+string(st))
	}
	for _, r := range ducha.Roles {
		ids = append(ids, "role."+string(r))
	}
	for _, a := range ducha.ProblemActions {
		ids = append(ids, "action."+a)
	}
	for code := range codeStatus {
		ids = append(ids, "error."+code)
	}
	ids = append(ids, "warning.none", "warning.yellow", "warning.red", "form.text.progress", "form.text.apply_closure",
		"flash.done", "flash.created", "flash.uploaded", "flash.planned", "flash.unplanned", "flash.password",
		"password.current_missing", "password.too_short", "password.same", "password.mismatch", "password.wrong",
		"password.too_many", "login.failed", "login.missing", "login.too_many", "error.internal.text")
	for _, id := range ids {
		if !LangZH.Has(id) {
			t.Errorf("%s: used but not in the catalogue", id)
		}
	}
	if got := LangEN.T("problems.total", 3); got != "3 problems" {
		t.Errorf("formatting: %q", got)
	}
}
