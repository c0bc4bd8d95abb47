package store_test

import (
	"fmt"
	"sync"
	"testing"

	"ducha"
	"ducha/internal/storetest"
	"ducha/store"
)

// Thirty-two clients write at once, as a county office does: edits with
// the version they read (some of them stale, which must fail and leave no
// trace) and new problems. On SQLite the writes are committed in groups
// (store/group.go); on both engines every write reported done is in the
// store, every refused one is not, the audit chain verifies with one event
// per change, and the counters equal the rows.
func TestConcurrentWritesAllLand(t *testing.T) {
	storetest.Each(t, store.Options{}, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		coord := storetest.As(f.Users["coord"])
		const clients, rounds = 32, 12
		ids := make([]int64, clients)
		for i := range ids {
			p := &ducha.Problem{Source: "自查发现", Description: fmt.Sprintf("并发写入%d", i), Area: "永清镇"}
			if err := db.CreateProblem(coord, p); err != nil {
				t.Fatal(err)
			}
			ids[i] = p.ID
		}
		_, eventsBefore, err := db.VerifyChain(storetest.System())
		if err != nil {
			t.Fatal(err)
		}
		commitsBefore := store.GroupCommits(db)

		type outcome struct {
			notes   []string // written, in order
			refused []string // stale edits, refused
			created []int64
			err     error
		}
		out := make([]outcome, clients)
		var wg sync.WaitGroup
		for c := range clients {
			wg.Add(1)
			go func() {
				defer wg.Done()
				o := &out[c]
				version := 1
				for r := range rounds {
					note := fmt.Sprintf("客户%d第%d次", c, r)
					p, err := db.UpdateProblem(coord, ids[c], ducha.ProblemUpdate{Version: version, Note: &note})
					if err != nil {
						o.err = fmt.Errorf("edit %s: %w", note, err)
						return
					}
					o.notes, version = append(o.notes, note), p.Version
					stale := note + "（过期版本）"
					if _, err := db.UpdateProblem(coord, ids[c], ducha.ProblemUpdate{Version: version - 1, Note: &stale}); ducha.ErrorCode(err) != ducha.ECONFLICT {
						o.err = fmt.Errorf("stale edit %s: %v, want a conflict", stale, err)
						return
					}
					o.refused = append(o.refused, stale)
					if r%4 == 0 {
						n := &ducha.Problem{Source: "自查发现", Description: note + "新问题", Area: "红堡镇"}
						if err := db.CreateProblem(coord, n); err != nil {
							o.err = fmt.Errorf("create: %w", err)
							return
						}
						o.created = append(o.created, n.ID)
					}
				}
			}()
		}
		wg.Wait()

		events := 0
		for c, o := range out {
			if o.err != nil {
				t.Fatalf("client %d: %v", c, o.err)
			}
			p, err := db.FindProblemByID(coord, ids[c])
			if err != nil {
				t.Fatal(err)
			}
			if want := o.notes[len(o.notes)-1]; p.Note != want || p.Version != 1+len(o.notes) {
				t.Errorf("problem of client %d: note %q version %d, want %q version %d", c, p.Note, p.Version, want, 1+len(o.notes))
			}
			for _, id := range o.created {
				if _, err := db.FindProblemByID(coord, id); err != nil {
					t.Errorf("problem %d, reported created: %v", id, err)
				}
			}
			events += len(o.notes) + len(o.created)
		}
		broken, n, err := db.VerifyChain(storetest.System())
		if err != nil || broken != 0 {
			t.Fatalf("audit chain: broken at %d, %v", broken, err)
		}
		if n-eventsBefore != events {
			t.Errorf("%d events written, want one per write reported done (%d)", n-eventsBefore, events)
		}
		if err := db.CheckTally(coord); err != nil {
			t.Error(err)
		}
		if db.Engine() == "sqlite" {
			commits := store.GroupCommits(db) - commitsBefore
			t.Logf("%d writes in %d group commits", events, commits)
			if commits <= 0 || commits >= int64(events) {
				t.Errorf("%d group commits for %d writes from %d clients at once: the writes were not grouped", commits, events, clients)
			}
		}
	})
}
