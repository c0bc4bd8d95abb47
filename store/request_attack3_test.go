package store_test

import (
	"math"
	"testing"

	"ducha"
	"ducha/internal/storetest"
	"ducha/store"
)

// TestAttack3RequestNumberOverflow: a request may name its own number
// (ValidateNew refuses only a negative one), and the next unnumbered one
// takes max(no)+1. A typo of 9223372036854775807 makes every later item
// number -9223372036854775808 (the int wraps), on the list and its inbox
// titles (调阅清单第-9223372036854775808项); the next one then collides.
func TestAttack3RequestNumberOverflow(t *testing.T) {
	clock := clockAt("2026-12-10")
	storetest.Each(t, store.Options{Now: clock.Now}, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		coord := storetest.As(f.Users["coord"])
		big := &ducha.DocRequest{No: math.MaxInt64, Item: "2024年以来的会议纪要", Unit: "永清镇", Due: "2026-12-20"}
		if err := db.AddDocRequests(coord, []*ducha.DocRequest{big}); err != nil {
			if ducha.ErrorCode(err) == ducha.EINVALID {
				return // refused: fine
			}
			t.Fatalf("add: %v", err)
		}
		next := &ducha.DocRequest{Item: "工作方案", Unit: "永清镇", Due: "2026-12-20"}
		err := db.AddDocRequests(coord, []*ducha.DocRequest{next})
		if err == nil && next.No <= 0 {
			t.Errorf("the next item is numbered %d", next.No)
		} else if err != nil && ducha.ErrorCode(err) == ducha.EINTERNAL {
			t.Errorf("the next item: %v", err)
		}
	})
}
