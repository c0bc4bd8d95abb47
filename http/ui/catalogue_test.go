package ui

import (
	"io/fs"
	"regexp"
	"testing"

	"ducha/http/web"
)

// TestTemplateMessages checks that every message id the templates name
// exists in the catalogue.
func TestTemplateMessages(t *testing.T) {
	var ids []string
	re := regexp.MustCompile(`\.T "([a-z_.]+)"`)
	files, _ := fs.Glob(templateFS, "templates/*.html")
	for _, f := range files {
		b, _ := fs.ReadFile(templateFS, f)
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			ids = append(ids, m[1])
		}
	}
	if len(ids) < 50 {
		t.Errorf("found only %d ids in templates", len(ids))
	}
	for _, id := range ids {
		if !web.LangZH.Has(id) {
			t.Errorf("%s: used but not in the catalogue", id)
		}
	}
}
