package http_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"ducha"
	dhttp "ducha/http"
	"ducha/internal/pgtest"
	"ducha/internal/storetest"
	"ducha/store"
)

// countingUsers is the store with its password check watched: how many
// checks ran (each is one hash; the store hashes unknown usernames too)
// and how many ran at once.
type countingUsers struct {
	*store.DB
	fake  bool          // answer "wrong" after a millisecond instead of hashing
	hold  chan struct{} // when set, each check waits for it to close
	calls atomic.Int64
	cur   atomic.Int64
	peak  atomic.Int64
}

func (c *countingUsers) Authenticate(ctx context.Context, username, password string) (*ducha.User, error) {
	c.calls.Add(1)
	n := c.cur.Add(1)
	defer c.cur.Add(-1)
	for p := c.peak.Load(); n > p && !c.peak.CompareAndSwap(p, n); p = c.peak.Load() {
	}
	if c.hold != nil {
		<-c.hold
	}
	if c.fake {
		time.Sleep(time.Millisecond)
		return nil, ducha.Errorf(ducha.EUNAUTHORIZED, "用户名或密码错误")
	}
	return c.DB.Authenticate(ctx, username, password)
}

// rig is a server over a seeded store (storetest's users and password),
// called through its handler so that each request may come from its own
// address.
type rig struct {
	t     *testing.T
	db    *store.DB
	users *countingUsers
	srv   *dhttp.Server
	h     http.Handler
	clock *clock
}

func testLimit() dhttp.LoginLimit {
	l := dhttp.DefaultLoginLimit()
	l.MaxHashes, l.HashWait = 4, time.Minute
	return l
}

func newRig(t *testing.T, db *store.DB, c *clock, limit dhttp.LoginLimit, trusted ...string) *rig {
	t.Helper()
	users := &countingUsers{DB: db}
	s := dhttp.NewServer()
	s.Problems, s.Users, s.Units, s.Campaigns, s.Audit, s.Attachments = db, users, db, db, db, db
	s.Now, s.LoginLimit = c.Now, limit
	s.Logger = slog.New(slog.NewTextHandler(testLog{t}, &slog.HandlerOptions{Level: slog.LevelError}))
	for _, p := range trusted {
		s.TrustedProxies = append(s.TrustedProxies, netip.MustParsePrefix(p))
	}
	return &rig{t: t, db: db, users: users, srv: s, h: s.Handler(), clock: c}
}

// seededRig opens a store of the engine, seeds it and puts a server on it.
func seededRig(t *testing.T, engine string, limit dhttp.LoginLimit, trusted ...string) *rig {
	t.Helper()
	start, _ := time.ParseInLocation("2006-01-02 15:04", "2026-12-10 10:00", ducha.Location)
	c := &clock{t: start}
	db := storetest.Open(t, engine, store.Options{Now: c.Now})
	storetest.Seed(t, db)
	return newRig(t, db, c, limit, trusted...)
}

// login posts the login API from addr ("10.0.0.1"), headers in pairs.
func (g *rig) login(addr, username, pass string, header ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest("POST", "/api/v1/login", strings.NewReader(fmt.Sprintf(`{"username":%q,"password":%q}`, username, pass)))
	req.Header.Set("Content-Type", "application/json")
	req.RemoteAddr = addr + ":40000"
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	g.h.ServeHTTP(rec, req)
	return rec
}

// concurrently runs n logins at once and counts the answers by status.
func (g *rig) concurrently(n int, login func(i int) *httptest.ResponseRecorder) map[int]int {
	var mu sync.Mutex
	var wg sync.WaitGroup
	got := map[int]int{}
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rec := login(i)
			mu.Lock()
			got[rec.Code]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	return got
}

// Sixty wrong passwords at once for one account from one address compute
// five hashes; the right password from another address still works; the
// locked pair may try again when the window has passed.
func TestLoginThrottleConcurrentGuesses(t *testing.T) {
	for _, engine := range storetest.Engines {
		t.Run(engine, func(t *testing.T) {
			g := seededRig(t, engine, testLimit())
			got := g.concurrently(60, func(int) *httptest.ResponseRecorder { return g.login("10.0.0.1", "coord", "guess") })
			if n := g.users.calls.Load(); n != 5 || got[401] != 5 || got[429] != 55 {
				t.Fatalf("%d hashes, answers %v; want 5 hashes, 5×401 and 55×429", n, got)
			}
			rec := g.login("10.0.0.1", "coord", storetest.Password)
			if rec.Code != 429 || rec.Header().Get("Retry-After") != "600" || !strings.Contains(rec.Body.String(), "登录失败次数过多，请10分钟后再试") {
				t.Errorf("right password from the locked address: %d %s %s", rec.Code, rec.Header().Get("Retry-After"), rec.Body)
			}
			if rec := g.login("10.0.0.2", "coord", storetest.Password); rec.Code != 200 {
				t.Errorf("right password from a fresh address during the lockout: %d %s", rec.Code, rec.Body)
			}
			g.clock.Add(9 * time.Minute)
			if rec := g.login("10.0.0.1", "coord", storetest.Password); rec.Code != 429 || rec.Header().Get("Retry-After") != "60" {
				t.Errorf("a minute before the window ends: %d %s", rec.Code, rec.Header().Get("Retry-After"))
			}
			g.clock.Add(time.Minute)
			if rec := g.login("10.0.0.1", "coord", storetest.Password); rec.Code != 200 {
				t.Errorf("after the window: %d %s", rec.Code, rec.Body)
			}
		})
	}
}

// Three hundred logins at once, each from its own address, never run more
// password checks at once than the bound.
func TestLoginHashBound(t *testing.T) {
	for _, engine := range storetest.Engines {
		t.Run(engine, func(t *testing.T) {
			g := seededRig(t, engine, testLimit())
			g.users.fake = true
			got := g.concurrently(300, func(i int) *httptest.ResponseRecorder {
				return g.login(fmt.Sprintf("10.1.%d.%d", i/256, i%256), fmt.Sprintf("user%d", i), "guess")
			})
			if got[401] != 300 || g.users.calls.Load() != 300 {
				t.Fatalf("answers %v, %d checks; want 300×401", got, g.users.calls.Load())
			}
			if p := g.users.peak.Load(); p > 4 || p < 2 {
				t.Fatalf("%d checks ran at once; want 2 to 4", p)
			}
		})
	}
}

// When every hash slot stays taken, a login waits HashWait and answers 429
// without spending an attempt.
func TestLoginBusy(t *testing.T) {
	limit := testLimit()
	limit.MaxHashes, limit.HashWait = 1, 20*time.Millisecond
	g := seededRig(t, "sqlite", limit)
	g.users.hold = make(chan struct{})
	first := make(chan int)
	go func() { first <- g.login("10.0.0.1", "coord", storetest.Password).Code }()
	for g.users.cur.Load() == 0 {
		time.Sleep(time.Millisecond) // until the first check holds the slot
	}
	rec := g.login("10.0.0.2", "leader", "guess")
	if rec.Code != 429 || rec.Header().Get("Retry-After") != "2" || !strings.Contains(rec.Body.String(), "登录的人太多，请稍后再试") {
		t.Errorf("busy: %d %q %s", rec.Code, rec.Header().Get("Retry-After"), rec.Body)
	}
	close(g.users.hold)
	if code := <-first; code != 200 {
		t.Errorf("the login holding the slot: %d", code)
	}
	// The refused login spent nothing: five wrong passwords still answer 401.
	for i := range 5 {
		if rec := g.login("10.0.0.2", "leader", "guess"); rec.Code != 401 {
			t.Fatalf("failure %d after the busy answer: %d", i+1, rec.Code)
		}
	}
	if rec := g.login("10.0.0.2", "leader", "guess"); rec.Code != 429 {
		t.Errorf("sixth failure: %d", rec.Code)
	}
}

// Guesses at one account from many addresses: past the account's cap each
// address gets one attempt of its own while it has not failed for the
// account (then one per AccountTrickle), and none once it has; the right
// password from a fresh address gets in at once; other accounts are not
// slowed.
func TestLoginAccountCap(t *testing.T) {
	for _, engine := range storetest.Engines {
		t.Run(engine, func(t *testing.T) {
			limit := testLimit()
			limit.PerAccount, limit.AccountTrickle = 8, time.Minute
			g := seededRig(t, engine, limit)
			got := g.concurrently(40, func(i int) *httptest.ResponseRecorder {
				return g.login(fmt.Sprintf("10.2.0.%d", i), "coord", "guess")
			})
			// 8 within the cap and then one for each fresh address: each
			// guess past the cap cost the guesser an address.
			if n := g.users.calls.Load(); n != 40 || got[401] != 40 {
				t.Fatalf("%d hashes, answers %v; want 40×401", n, got)
			}
			// Every one of those addresses has failed for the account: it
			// waits for the window, right password or not.
			rec := g.login("10.2.0.1", "coord", storetest.Password)
			if rec.Code != 429 || rec.Header().Get("Retry-After") != "600" {
				t.Errorf("an address that failed, at the cap: %d %s", rec.Code, rec.Header().Get("Retry-After"))
			}
			if rec := g.login("10.3.0.1", "coord", storetest.Password); rec.Code != 200 {
				t.Errorf("right password from a fresh address at the cap: %d %s", rec.Code, rec.Body)
			}
			// Its slot is one attempt per AccountTrickle, right or wrong.
			if rec := g.login("10.3.0.1", "coord", storetest.Password); rec.Code != 429 || rec.Header().Get("Retry-After") != "60" {
				t.Errorf("the same address again at once: %d %s", rec.Code, rec.Header().Get("Retry-After"))
			}
			g.clock.Add(time.Minute)
			if rec := g.login("10.3.0.1", "coord", storetest.Password); rec.Code != 200 {
				t.Errorf("the same address a minute later: %d %s", rec.Code, rec.Body)
			}
			// A wrong password from a fresh address spends it until the
			// account's window ends (9 minutes on, before the pair's).
			if rec := g.login("10.3.0.2", "coord", "guess"); rec.Code != 401 {
				t.Errorf("a guess from a fresh address: %d", rec.Code)
			}
			g.clock.Add(time.Minute)
			if rec := g.login("10.3.0.2", "coord", storetest.Password); rec.Code != 429 || rec.Header().Get("Retry-After") != "480" {
				t.Errorf("the address that guessed: %d %s", rec.Code, rec.Header().Get("Retry-After"))
			}
			if n := g.users.calls.Load(); n != 43 {
				t.Errorf("%d hashes, want 43", n)
			}
			// Other accounts are not slowed.
			if rec := g.login("10.2.0.1", "leader", storetest.Password); rec.Code != 200 {
				t.Errorf("another account: %d", rec.Code)
			}
			// When the account's window ends, the addresses that failed
			// may try again.
			g.clock.Add(8 * time.Minute)
			if rec := g.login("10.2.0.1", "coord", storetest.Password); rec.Code != 200 {
				t.Errorf("after the window: %d %s", rec.Code, rec.Body)
			}
		})
	}
}

// One address polls an account ten times a second past its cap for 150
// seconds while the owner, from a fresh address every 1.9 seconds, types the
// right password: the owner gets in every time, and the poller gets no hash
// past its first. (With one trickle slot shared by every address the poller
// took each slot as it freed and the owner got in 0 times of 79.)
func TestLoginOwnerPastAccountCap(t *testing.T) {
	for _, engine := range storetest.Engines {
		t.Run(engine, func(t *testing.T) {
			limit := testLimit()
			limit.PerAccount = 8 // AccountTrickle stays 30 s
			g := seededRig(t, engine, limit)
			for i := range 8 {
				if rec := g.login(fmt.Sprintf("10.6.0.%d", i), "coord", "guess"); rec.Code != 401 {
					t.Fatalf("guess %d within the cap: %d", i+1, rec.Code)
				}
			}
			in, tries, pollerHashes := 0, 0, 0
			for tick := range 1500 {
				if tick > 0 {
					g.clock.Add(100 * time.Millisecond)
				}
				switch rec := g.login("10.7.0.1", "coord", "guess"); rec.Code {
				case 401:
					pollerHashes++
				case 429:
				default:
					t.Fatalf("tick %d: the poller got %d %s", tick, rec.Code, rec.Body)
				}
				if tick%19 == 0 {
					tries++
					if rec := g.login(fmt.Sprintf("10.8.%d.%d", tries/256, tries%256), "coord", storetest.Password); rec.Code == 200 {
						in++
					}
				}
			}
			if in != tries || pollerHashes != 1 {
				t.Fatalf("the owner got in %d times of %d; the poller got %d hashes past the cap (want 1, its first)", in, tries, pollerHashes)
			}
		})
	}
}

// Two servers on one PostgreSQL database share the counters: failures on
// one count on the other.
func TestLoginThrottleTwoInstances(t *testing.T) {
	dsn, err := pgtest.Shared(t).CreateDB(t.Name())
	if err != nil {
		t.Fatal(err)
	}
	start, _ := time.ParseInLocation("2006-01-02 15:04", "2026-12-10 10:00", ducha.Location)
	c := &clock{t: start}
	var rigs [2]*rig
	for i := range rigs {
		db, err := store.Open(context.Background(), dsn, store.Options{Now: c.Now})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		if i == 0 {
			storetest.Seed(t, db)
		}
		rigs[i] = newRig(t, db, c, testLimit())
	}
	for i := range 5 {
		if rec := rigs[i%2].login("10.0.0.1", "coord", "guess"); rec.Code != 401 {
			t.Fatalf("failure %d on instance %d: %d", i+1, i%2, rec.Code)
		}
	}
	for i, g := range rigs {
		if rec := g.login("10.0.0.1", "coord", storetest.Password); rec.Code != 429 {
			t.Errorf("instance %d after five failures over both: %d", i, rec.Code)
		}
	}
	if n := rigs[0].users.calls.Load() + rigs[1].users.calls.Load(); n != 5 {
		t.Errorf("%d hashes over both instances, want 5", n)
	}
}

// Forwarding headers count only from a trusted proxy: the address
// Throttled is the rightmost one it did not add itself, and cookies are
// Secure when it says the browser came over https.
func TestTrustedProxy(t *testing.T) {
	g := seededRig(t, "sqlite", testLimit(), "10.9.0.0/16")
	const proxy = "10.9.0.5"
	secure := func(rec *httptest.ResponseRecorder, name string) (bool, bool) {
		for _, c := range (&http.Response{Header: rec.Header()}).Cookies() {
			if c.Name == name {
				return c.Secure, true
			}
		}
		return false, false
	}
	if rec := g.login(proxy, "leader", storetest.Password, "X-Forwarded-Proto", "https", "X-Forwarded-For", "203.0.113.1"); rec.Code != 200 {
		t.Fatalf("login through the proxy: %d", rec.Code)
	} else if s, ok := secure(rec, "ducha_session"); !ok || !s {
		t.Errorf("session cookie through a TLS proxy: Secure %v (set %v)", s, ok)
	}
	if rec := g.login(proxy, "leader", storetest.Password, "X-Forwarded-Proto", "http"); rec.Code != 200 {
		t.Fatalf("plain login through the proxy: %d", rec.Code)
	} else if s, _ := secure(rec, "ducha_session"); s {
		t.Error("Secure cookie for a plain http request")
	}
	if rec := g.login("192.0.2.7", "leader", storetest.Password, "X-Forwarded-Proto", "https"); rec.Code != 200 {
		t.Fatalf("direct login: %d", rec.Code)
	} else if s, _ := secure(rec, "ducha_session"); s {
		t.Error("an untrusted peer's X-Forwarded-Proto made the cookie Secure")
	}
	req := httptest.NewRequest("GET", "/lang?to=en&next=/login", nil)
	req.RemoteAddr, req.Header["X-Forwarded-Proto"] = proxy+":1", []string{"https"}
	rec := httptest.NewRecorder()
	g.h.ServeHTTP(rec, req)
	if s, ok := secure(rec, "lang"); !ok || !s {
		t.Errorf("language cookie through a TLS proxy: Secure %v (set %v)", s, ok)
	}

	// Through the proxy each client is its own pair; what a client writes
	// left of the proxy's entry is ignored.
	for i := range 5 {
		xff := fmt.Sprintf("198.51.100.%d, 203.0.113.7", i) // the client's own (forged) entry, then the proxy's
		if rec := g.login(proxy, "coord", "guess", "X-Forwarded-For", xff); rec.Code != 401 {
			t.Fatalf("failure %d: %d", i+1, rec.Code)
		}
	}
	if rec := g.login(proxy, "coord", storetest.Password, "X-Forwarded-For", "198.51.100.99, 203.0.113.7"); rec.Code != 429 {
		t.Errorf("the locked client with a new forged entry: %d", rec.Code)
	}
	if rec := g.login(proxy, "coord", storetest.Password, "X-Forwarded-For", "203.0.113.8"); rec.Code != 200 {
		t.Errorf("another client behind the proxy: %d", rec.Code)
	}
	// From an untrusted peer X-Forwarded-For changes nothing: the peer is
	// the client.
	for i := range 5 {
		if rec := g.login("192.0.2.50", "head_yq", "guess", "X-Forwarded-For", fmt.Sprintf("203.0.113.%d", 100+i)); rec.Code != 401 {
			t.Fatalf("untrusted failure %d: %d", i+1, rec.Code)
		}
	}
	if rec := g.login("192.0.2.50", "head_yq", storetest.Password, "X-Forwarded-For", "203.0.113.200"); rec.Code != 429 {
		t.Errorf("an untrusted peer dodged the throttle with X-Forwarded-For: %d", rec.Code)
	}
}

func TestParseTrustedProxies(t *testing.T) {
	got, err := dhttp.ParseTrustedProxies(" 127.0.0.1, 10.0.0.0/8 ,::1,fd00::/8,")
	if err != nil || len(got) != 4 || got[0].String() != "127.0.0.1/32" || got[2].String() != "::1/128" {
		t.Fatalf("%v %v", got, err)
	}
	if _, err := dhttp.ParseTrustedProxies("10.0.0.1,proxy.local"); ducha.ErrorCode(err) != ducha.EINVALID || !strings.Contains(err.Error(), "proxy.local") {
		t.Errorf("a name: %v", err)
	}
}

// Over TLS directly every cookie is Secure.
func TestSecureCookieOverTLS(t *testing.T) {
	e := newEnv(t)
	ts := httptest.NewTLSServer(e.srv.Handler())
	defer ts.Close()
	resp, err := ts.Client().Post(ts.URL+"/api/v1/login", "application/json", strings.NewReader(`{"username":"coord","password":"`+password+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var found bool
	for _, c := range resp.Cookies() {
		if c.Name == "ducha_session" {
			found = true
			if !c.Secure || !c.HttpOnly {
				t.Errorf("session cookie over TLS: %+v", c)
			}
		}
	}
	if resp.StatusCode != 200 || !found {
		t.Fatalf("login over TLS: %d, cookie %v", resp.StatusCode, found)
	}
}

// Right and wrong passwords for one account at once, from one address and
// from several: reservations and give-backs lock rows in one order, so no
// login fails inside (a deadlock on PostgreSQL would answer 500).
func TestLoginMixedConcurrent(t *testing.T) {
	for _, engine := range storetest.Engines {
		t.Run(engine, func(t *testing.T) {
			g := seededRig(t, engine, testLimit())
			got := g.concurrently(30, func(i int) *httptest.ResponseRecorder {
				pass := "guess"
				if i%2 == 0 {
					pass = storetest.Password
				}
				return g.login(fmt.Sprintf("10.4.0.%d", i%3), "coord", pass)
			})
			if got[200] == 0 || got[200]+got[401]+got[429] != 30 {
				t.Fatalf("answers %v", got)
			}
		})
	}
}
