package web

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net"
	"net/http"
	"net/netip"
	"runtime"
	"strconv"
	"strings"
	"time"

	"ducha"
)

// The login throttle. Every password check (a login, or the current
// password of a password change) first reserves an attempt in the store,
// from three keys at once: the (account, client address) pair, the account
// over all addresses, and the address over all accounts. Only then does it
// wait for one of a few hash slots, so concurrent guesses cannot overrun a
// limit and a flood cannot run many 19 MiB hashes at once. A right password
// gives its attempts back and clears the pair. Past the account's cap an
// address that has not failed for the account still gets one attempt per
// AccountTrickle, so that whoever hammers an account from a few addresses
// cannot keep its owner out. The choices are written up in
// docs/decisions/004-login-throttle.md.

// loginLimiter holds the throttle's settings and the server-wide hash
// slots; and, as it is built with the server, the server's attachment
// upload slots (attachmentSlot), which bound memory the same way.
type loginLimiter struct {
	limit   LoginLimit
	hashes  chan struct{}
	uploads chan struct{}
}

func newLoginLimiter(l LoginLimit) *loginLimiter {
	d := DefaultLoginLimit()
	if l.Window <= 0 {
		l.Window = d.Window
	}
	if l.MaxHashes <= 0 {
		l.MaxHashes = d.MaxHashes
	}
	if l.HashWait <= 0 {
		l.HashWait = d.HashWait
	}
	return &loginLimiter{limit: l, hashes: make(chan struct{}, l.MaxHashes), uploads: make(chan struct{}, maxAttachmentUploads)}
}

// DefaultLoginLimit is the throttle NewServer sets: 5 failures per account
// and address, 20 per address, 30 per account from everywhere and then one
// attempt every 30 seconds from each address that has not failed for the
// account, in windows of 10 minutes; hashes two per CPU (at least 2, at
// most 16), waiting up to 3 seconds for a slot.
func DefaultLoginLimit() LoginLimit {
	return LoginLimit{
		PerPair: 5, PerIP: 20, PerAccount: 30, AccountTrickle: 30 * time.Second,
		Window:    10 * time.Minute,
		MaxHashes: min(16, max(2, 2*runtime.GOMAXPROCS(0))),
		HashWait:  3 * time.Second,
	}
}

// throttle is where the counters are kept: Throttle, else the user
// service when it keeps them (the store does).
func (s *Server) throttle() ducha.LoginThrottle {
	if s.Throttle != nil {
		return s.Throttle
	}
	t, _ := s.Users.(ducha.LoginThrottle)
	return t
}

// loginKeys are the keys one password check of account from addr counts
// against. The first is the pair, which a right password clears and whose
// own slot (store.ReserveLogin) lets it past the account's spent cap while
// it has not failed; the account's Trickle is that slot's interval.
func (l *loginLimiter) loginKeys(account string, addr netip.Addr) []ducha.ThrottleKey {
	a, ip := throttleAccount(account), throttleAddr(addr)
	w := l.limit.Window
	return []ducha.ThrottleKey{
		{Name: "pair:" + a + "@" + ip, Limit: l.limit.PerPair, Window: w},
		{Name: "account:" + a, Limit: l.limit.PerAccount, Window: w, Trickle: l.limit.AccountTrickle},
		{Name: "addr:" + ip, Limit: l.limit.PerIP, Window: w},
	}
}

// throttleAccount is how an account name appears in a key: lower case, and
// hashed when long, so that a megabyte of username is not a megabyte of key.
func throttleAccount(name string) string {
	name = strings.ToLower(strings.TrimSpace(name))
	if len(name) <= 64 {
		return name
	}
	sum := sha256.Sum256([]byte(name))
	return "#" + hex.EncodeToString(sum[:16])
}

// throttleAddr is how a client address appears in a key. An IPv6 client
// usually holds a whole /64, so that is what is counted.
func throttleAddr(a netip.Addr) string {
	if a.Is6() && !a.Is4In6() {
		p, _ := a.Prefix(64)
		return p.String()
	}
	return a.Unmap().String()
}

// Throttled is the error of a refused password check: the catalogue's
// message depends on why, and the answer carries Retry-After.
type Throttled struct {
	err   *ducha.Error
	retry time.Duration
	busy  bool // no hash slot freed in time, rather than too many failures
}

func (t *Throttled) Error() string { return t.err.Error() }
func (t *Throttled) Unwrap() error { return t.err }

// minutes is the wait in whole minutes, rounded up, for the messages.
func (t *Throttled) minutes() int { return int((t.retry + time.Minute - 1) / time.Minute) }

// MessageIn is the refusal in the page's language; failuresID names the
// form's "too many failures" message.
func (t *Throttled) MessageIn(l Lang, failuresID string) string {
	if t.busy {
		return l.T("login.busy")
	}
	return l.T(failuresID, t.minutes())
}

// as is the refusal with the failures message id instead of the login's.
func (t *Throttled) as(failuresID string) *Throttled {
	if t.busy {
		return t
	}
	c := *t
	c.err = ducha.Errorf(ETOOMANY, "%s", LangZH.T(failuresID, t.minutes()))
	return &c
}

func tooManyFailures(retry time.Duration) *Throttled {
	t := &Throttled{retry: retry}
	t.err = ducha.Errorf(ETOOMANY, "%s", LangZH.T("login.too_many", t.minutes()))
	return t
}

// errHashBusy is returned, with Retry-After, when every hash slot stayed
// taken for HashWait.
var errHashBusy = &Throttled{err: ducha.Errorf(ETOOMANY, "%s", LangZH.T("login.busy")), retry: 2 * time.Second, busy: true}

// checkPassword runs check, which hashes a password, under the throttle.
// It reserves an attempt from every key, waits for a hash slot, runs check,
// and gives the attempt back when check found the password right (clearing
// the keys in forget) or failed inside. A wrong password, which check
// reports as unauthorized, keeps its attempt. A refusal sets Retry-After
// and returns a *throttled error.
func (s *Server) checkPassword(w http.ResponseWriter, r *http.Request, keys []ducha.ThrottleKey, forget []string, check func(ctx context.Context) error) error {
	ctx := r.Context()
	th := s.throttle()
	if th == nil {
		return errors.New("http: no login throttle (set Server.Throttle)")
	}
	res, err := th.ReserveLogin(ctx, s.Now(), keys)
	if err != nil {
		return err
	}
	if !res.Granted {
		return s.refuse(w, tooManyFailures(res.RetryAfter))
	}
	s.noteLimits(keys, res)
	// Gives back survive a client that hung up.
	bg := context.WithoutCancel(ctx)
	release, ok := s.limiter.acquireHash(ctx)
	if !ok {
		if err := th.ReleaseLogin(bg, res); err != nil {
			s.Logger.Error("login throttle: give back", "err", err)
		}
		return s.refuse(w, errHashBusy)
	}
	err = check(ctx)
	release()
	switch {
	case err == nil:
		if err := th.ReleaseLogin(bg, res, forget...); err != nil {
			s.Logger.Error("login throttle: give back", "err", err)
		}
	case ducha.ErrorCode(err) != ducha.EUNAUTHORIZED:
		// Not a wrong password but a failure inside: no guess was made.
		if err := th.ReleaseLogin(bg, res); err != nil {
			s.Logger.Error("login throttle: give back", "err", err)
		}
	}
	return err
}

func (s *Server) refuse(w http.ResponseWriter, t *Throttled) error {
	w.Header().Set("Retry-After", strconv.Itoa(int((t.retry+time.Second-1)/time.Second)))
	return t
}

// noteLimits logs, once per key and window, the attempt that spent a key's
// last one: a security log line rather than an audit event per failure.
func (s *Server) noteLimits(keys []ducha.ThrottleKey, res *ducha.LoginReservation) {
	for _, got := range res.Keys {
		for _, k := range keys {
			if k.Name == got.Name && got.Count == k.Limit {
				s.Logger.Warn("security: login limit reached", "key", got.Name, "attempts", got.Count, "until", got.WindowEnd)
			}
		}
	}
}

// acquireHash takes one of the server's hash slots, waiting up to HashWait;
// release gives it back.
func (l *loginLimiter) acquireHash(ctx context.Context) (release func(), ok bool) {
	release = func() { <-l.hashes }
	select {
	case l.hashes <- struct{}{}:
		return release, true
	default:
	}
	t := time.NewTimer(l.limit.HashWait)
	defer t.Stop()
	select {
	case l.hashes <- struct{}{}:
		return release, true
	case <-t.C:
	case <-ctx.Done():
	}
	return nil, false
}

// ParseTrustedProxies reads the --trusted-proxy list: addresses and CIDR
// ranges, comma-separated.
func ParseTrustedProxies(list string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, part := range strings.Split(list, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if p, err := netip.ParsePrefix(part); err == nil {
			out = append(out, p.Masked())
		} else if a, err := netip.ParseAddr(part); err == nil {
			a = a.Unmap()
			out = append(out, netip.PrefixFrom(a, a.BitLen()))
		} else {
			return nil, ducha.FieldError("trusted-proxy", "“%s”不是IP地址或网段（如 10.0.0.1 或 10.0.0.0/8）", part)
		}
	}
	return out, nil
}

// trustedProxy reports whether a is one of the TrustedProxies.
func (s *Server) trustedProxy(a netip.Addr) bool {
	a = a.Unmap()
	for _, p := range s.TrustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// remoteAddr is the address of the peer of the connection.
func remoteAddr(r *http.Request) netip.Addr {
	if ap, err := netip.ParseAddrPort(r.RemoteAddr); err == nil {
		return ap.Addr().Unmap()
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	a, _ := netip.ParseAddr(host)
	return a.Unmap()
}

// clientAddr is the address the request came from: the peer, or, when the
// peer is a trusted proxy, the rightmost address of X-Forwarded-For that is
// not a trusted proxy itself. Addresses left of it were written by the
// client and prove nothing.
func (s *Server) clientAddr(r *http.Request) netip.Addr {
	addr := remoteAddr(r)
	if !s.trustedProxy(addr) {
		return addr
	}
	var hops []string
	for _, v := range r.Header.Values("X-Forwarded-For") {
		hops = append(hops, strings.Split(v, ",")...)
	}
	for i := len(hops) - 1; i >= 0; i-- {
		hop := strings.TrimSpace(hops[i])
		a, err := netip.ParseAddr(hop)
		if err != nil {
			ap, err2 := netip.ParseAddrPort(hop)
			if err2 != nil {
				break // garbage: keep the last hop a trusted proxy vouched for
			}
			a = ap.Addr()
		}
		addr = a.Unmap()
		if !s.trustedProxy(addr) {
			break
		}
	}
	return addr
}

// SecureRequest reports whether the browser reached the server over TLS:
// directly, or through a trusted proxy that says so in X-Forwarded-Proto.
// Every cookie the server sets is Secure when it did.
func (s *Server) SecureRequest(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	if !s.trustedProxy(remoteAddr(r)) {
		return false
	}
	for _, v := range r.Header.Values("X-Forwarded-Proto") {
		for _, p := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(p), "https") {
				return true
			}
		}
	}
	return false
}
