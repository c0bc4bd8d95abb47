package store

import (
	"strings"
	"testing"
)

// The status sort walks an index only while the migrations index the very
// expression statusRank writes; a status added to the workflow changes it.
func TestStatusRankIndexed(t *testing.T) {
	want := strings.TrimSuffix(strings.TrimPrefix(strings.ReplaceAll(statusRank, "p.", ""), "("), ")")
	for _, engine := range []string{"sqlite", "postgres"} {
		b, err := migrations.ReadFile("migrations/" + engine + "/023_ledger_sorts.sql")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), "(("+want+"), id)") {
			t.Errorf("%s: 023_ledger_sorts.sql does not index %s", engine, want)
		}
	}
}
