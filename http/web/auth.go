package web

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"ducha"
)

// SessionCookie is the name of the browser session cookie.
const SessionCookie = "ducha_session"

// tokenContextKey carries the id of the Bearer token a request came with.
type tokenContextKey struct{}

// requestToken is the id of the token the request came with; 0 for none.
func RequestToken(ctx context.Context) int64 {
	id, _ := ctx.Value(tokenContextKey{}).(int64)
	return id
}

// authenticate puts the acting user, if any, into the request's context.
// A Bearer token must be valid (not expired, not revoked); a stale or
// unknown session cookie just leaves the visitor anonymous. Neither lookup
// writes to the database: a token's last use is stamped in the background.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		var u *ducha.User
		if secret := bearerToken(r); secret != "" {
			found, tok, err := s.Users.FindToken(ctx, secret)
			switch code := ducha.ErrorCode(err); {
			case err != nil && code != ducha.EUNAUTHORIZED:
				s.error(w, r, err)
				return
			case err != nil || found == nil || found.Disabled:
				s.error(w, r, ducha.Errorf(ducha.EUNAUTHORIZED, "令牌无效或已被撤销"))
				return
			}
			s.stamps.note(tok, s.Now())
			u, ctx = found, context.WithValue(ctx, tokenContextKey{}, tok.ID)
		} else if c, err := r.Cookie(SessionCookie); err == nil && c.Value != "" {
			found, sess, err := s.Users.FindSession(ctx, c.Value)
			switch code := ducha.ErrorCode(err); {
			case err != nil && code != ducha.EUNAUTHORIZED:
				s.error(w, r, err)
				return
			case err != nil || found == nil || found.Disabled || (sess != nil && !sess.ExpiresAt.IsZero() && !sess.ExpiresAt.After(s.Now())):
				s.clearSessionCookie(w, r)
			default:
				u = found
			}
		}
		if u != nil {
			noteUser(ctx, u.ID)
			r = r.WithContext(ducha.NewContextWithUser(ctx, u))
		}
		next.ServeHTTP(w, r)
	})
}

// bearerToken returns the token of an "Authorization: Bearer" header.
func bearerToken(r *http.Request) string {
	scheme, tok, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(tok)
}

// errWrongLogin is the one answer to a wrong username, a wrong password and
// a disabled account.
var errWrongLogin = ducha.Errorf(ducha.EUNAUTHORIZED, "用户名或密码错误")

// login checks a password under the throttle and opens a session. The
// caller answers the user or the error.
func (s *Server) Login(w http.ResponseWriter, r *http.Request, username, password string) (*ducha.User, error) {
	username = strings.TrimSpace(username)
	if username == "" || password == "" {
		return nil, &ducha.Error{Code: ducha.EINVALID, Message: "请输入用户名和密码",
			Fields: map[string]string{"username": "请输入用户名和密码"}}
	}
	addr := s.clientAddr(r)
	keys := s.limiter.loginKeys(username, addr)
	var u *ducha.User
	err := s.checkPassword(w, r, keys, []string{keys[0].Name}, func(ctx context.Context) error {
		var err error
		u, err = s.Users.Authenticate(ctx, username, password)
		if err == nil && u.Disabled {
			return errWrongLogin
		}
		return err
	})
	switch code := ducha.ErrorCode(err); {
	case code == ducha.EUNAUTHORIZED:
		s.Logger.Warn("security: login failed", "username", truncate(username, 64), "addr", addr.String())
		return nil, errWrongLogin
	case err != nil:
		return nil, err
	}
	if err := s.startSession(w, r, u); err != nil {
		return nil, err
	}
	return u, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// startSession opens a session for u and hands the browser its cookie.
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, u *ducha.User) error {
	ctx := ducha.NewContextWithUser(r.Context(), u)
	token, _, err := s.Users.CreateSession(ctx, u.ID, s.SessionTTL)
	if err != nil {
		return err
	}
	// No Expires: the cookie ends with the browser, which suits shared
	// office computers; the store ends the session after SessionTTL anyway.
	http.SetCookie(w, &http.Cookie{
		Name: SessionCookie, Value: token, Path: "/",
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.SecureRequest(r),
	})
	return nil
}

// logout ends the browser's session, if it has one.
func (s *Server) Logout(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(SessionCookie); err == nil && c.Value != "" {
		if err := s.Users.DeleteSession(r.Context(), c.Value); ducha.Fault(err) {
			return err
		}
	}
	s.clearSessionCookie(w, r)
	return nil
}

func (s *Server) clearSessionCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{
		Name: SessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.SecureRequest(r),
	})
}

// loginRequest is the body of POST /api/v1/login.
type LoginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

// tokenRequest is the body of POST /api/v1/me/tokens.
type TokenRequest struct {
	Name    string `json:"name"`
	Expires string `json:"expires"`
}

// tokenStamps writes tokens' last use beside the requests: at most once per
// store.TokenStampEvery per token, by one goroutine at a time, so that a
// request never waits for (or holds) a write to say it was made.
type tokenStamps struct {
	users  ducha.UserService
	logger *slog.Logger

	mu      sync.Mutex
	queued  map[int64]time.Time // token id → last stamp queued by this process
	pending map[int64]time.Time // stamps not yet written
	running bool
	done    *sync.Cond // broadcast when the writer stops
}

// tokenStampEvery matches the store's: a token used within the hour before
// is not stamped again.
const tokenStampEvery = time.Hour

// maxQueuedStamps bounds the memory of stamps; past it, stamps older than
// the hour are forgotten.
const maxQueuedStamps = 10000

func newTokenStamps(users ducha.UserService, logger *slog.Logger) *tokenStamps {
	ts := &tokenStamps{users: users, logger: logger, queued: map[int64]time.Time{}, pending: map[int64]time.Time{}}
	ts.done = sync.NewCond(&ts.mu)
	return ts
}

// note queues a stamp of t's use at now, unless one was written or queued
// within the hour, and starts the writer when it is not running.
func (ts *tokenStamps) note(t *ducha.Token, now time.Time) {
	if t == nil || (t.LastUsedAt != nil && now.Sub(*t.LastUsedAt) < tokenStampEvery) {
		return
	}
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if at, ok := ts.queued[t.ID]; ok && now.Sub(at) < tokenStampEvery {
		return
	}
	if len(ts.queued) >= maxQueuedStamps {
		for id, at := range ts.queued {
			if now.Sub(at) >= tokenStampEvery {
				delete(ts.queued, id)
			}
		}
	}
	ts.queued[t.ID], ts.pending[t.ID] = now, now
	if !ts.running {
		ts.running = true
		go ts.write()
	}
}

// write stamps what is pending until nothing is.
func (ts *tokenStamps) write() {
	for {
		ts.mu.Lock()
		batch := ts.pending
		if len(batch) == 0 {
			ts.running = false
			ts.done.Broadcast()
			ts.mu.Unlock()
			return
		}
		ts.pending = map[int64]time.Time{}
		ts.mu.Unlock()
		for id, at := range batch {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			if err := ts.users.TouchToken(ctx, id, at); err != nil {
				ts.logger.Warn("token last use not stamped", "token", id, "err", err)
			}
			cancel()
		}
	}
}

// wait returns once the stamps queued so far are written.
func (ts *tokenStamps) wait() {
	if ts == nil {
		return
	}
	ts.mu.Lock()
	for ts.running {
		ts.done.Wait()
	}
	ts.mu.Unlock()
}

// WaitTokenStamps waits until the last-use stamps of tokens queued so far
// are written; Close waits for them too.
func (s *Server) WaitTokenStamps() {
	s.Handler()
	s.stamps.wait()
}
