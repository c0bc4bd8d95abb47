package store_test

import (
	"sync"
	"testing"
	"time"

	"ducha"
	"ducha/internal/storetest"
	"ducha/store"
)

// A user holds at most MaxLiveTokens live tokens, even when asking for them
// all at once; revoked and expired ones do not count.
func TestTokenCap(t *testing.T) {
	clock := &storetest.Clock{T: time.Date(2026, 12, 10, 2, 0, 0, 0, time.UTC)}
	storetest.Each(t, store.Options{Now: clock.Now}, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		coord := f.Users["coord"]
		as := storetest.As(coord)
		// One that expires in an hour, then 70 asked for at once.
		soon := clock.T.Add(time.Hour)
		first := &ducha.Token{UserID: coord.ID, Name: "一小时", ExpiresAt: &soon}
		if err := db.IssueToken(as, first); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		var mu sync.Mutex
		made, refused := 0, 0
		for range 70 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := db.CreateToken(as, coord.ID, "脚本")
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					made++
				case ducha.ErrorCode(err) == ducha.ECONFLICT && ducha.ErrorMessage(err) == "每个用户最多有50个有效令牌，已达上限；请先撤销不再使用的令牌":
					refused++
				default:
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		if made != store.MaxLiveTokens-1 || refused != 71-store.MaxLiveTokens {
			t.Fatalf("%d made and %d refused; want %d and %d", made, refused, store.MaxLiveTokens-1, 71-store.MaxLiveTokens)
		}
		// The expired one makes room; so does a revoked one.
		clock.Add(time.Hour)
		if _, err := db.CreateToken(as, coord.ID, "脚本"); err != nil {
			t.Fatalf("after one expired: %v", err)
		}
		if _, err := db.CreateToken(as, coord.ID, "脚本"); ducha.ErrorCode(err) != ducha.ECONFLICT {
			t.Fatalf("past the cap again: %v", err)
		}
		list, err := db.FindTokens(as, coord.ID)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.RevokeToken(as, list[len(list)-1].ID, coord.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateToken(as, coord.ID, "脚本"); err != nil {
			t.Fatalf("after a revocation: %v", err)
		}
		// Other users are not affected.
		if _, err := db.CreateToken(storetest.System(), f.Users["leader"].ID, "脚本"); err != nil {
			t.Errorf("another user: %v", err)
		}
	})
}
