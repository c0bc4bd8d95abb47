package store_test

import (
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"ducha"
	"ducha/internal/storetest"
	"ducha/store"
)

// TestUnitEditDuringPassNoDeadlock (PostgreSQL): a unit edited while a
// pass issues notices to it. UpdateUnit locks the unit's row, then the
// audit head; the pass holds the audit head, then the notice's foreign key
// wants KEY SHARE on the unit's row. With FOR UPDATE 3 of 33 edits died
// as deadlock victims; FOR NO KEY UPDATE (dialect.forUpdate) does not
// conflict with KEY SHARE.
func TestUnitEditDuringPassNoDeadlock(t *testing.T) {
	clock := clockAt("2026-12-10")
	db := storetest.Open(t, "postgres", store.Options{Now: clock.Now})
	f := storetest.Seed(t, db)
	for i := range 450 {
		newProblem(t, db, f, "永清镇", fmt.Sprintf("问题%d", i), "2026-12-01")
	}
	for i := range 50 {
		newProblem(t, db, f, "红堡镇", fmt.Sprintf("红堡问题%d", i), "2026-12-01")
	}
	admin := storetest.As(f.Users["admin"])
	hb := f.Units["红堡镇"].ID
	var stop atomic.Bool
	var deadlocks, updates atomic.Int64
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; !stop.Load(); i++ {
			u, err := db.FindUnitByID(admin, hb)
			if err != nil {
				t.Error(err)
				return
			}
			phone := fmt.Sprintf("0931-%07d", i)
			_, err = db.UpdateUnit(admin, hb, ducha.UnitUpdate{Version: u.Version, Phone: &phone})
			updates.Add(1)
			if err != nil && strings.Contains(err.Error(), "deadlock") {
				deadlocks.Add(1)
				t.Logf("UpdateUnit: %v", err)
			}
		}
	}()
	var passErrs []error
	for _, day := range []ducha.Date{"2026-12-02", "2026-12-05", "2026-12-09"} {
		_, _, err := db.Supervise(storetest.As(f.Users["coord"]), day)
		if err != nil {
			passErrs = append(passErrs, err)
			t.Logf("pass %s: %v", day, err)
		}
	}
	time.Sleep(50 * time.Millisecond)
	stop.Store(true)
	wg.Wait()
	if deadlocks.Load() > 0 || len(passErrs) > 0 || updates.Load() == 0 {
		t.Fatalf("updates %d, deadlocks in UpdateUnit %d, pass errors %v", updates.Load(), deadlocks.Load(), passErrs)
	}
}
