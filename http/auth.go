package http

import (
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"ducha"
)

// SessionCookie is the name of the browser session cookie.
const SessionCookie = "ducha_session"

// authenticate puts the acting user, if any, into the request's context.
// A Bearer token must be valid; a stale or unknown session cookie just
// leaves the visitor anonymous. Neither lookup writes to the database.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		var u *ducha.User
		if tok := bearerToken(r); tok != "" {
			found, err := s.Users.FindUserByToken(ctx, tok)
			switch {
			case ducha.ErrorCode(err) == ducha.EINTERNAL:
				s.error(w, r, err)
				return
			case err != nil || found == nil || found.Disabled:
				s.error(w, r, ducha.Errorf(ducha.EUNAUTHORIZED, "令牌无效或已被撤销"))
				return
			}
			u = found
		} else if c, err := r.Cookie(SessionCookie); err == nil && c.Value != "" {
			found, sess, err := s.Users.FindSession(ctx, c.Value)
			switch {
			case ducha.ErrorCode(err) == ducha.EINTERNAL:
				s.error(w, r, err)
				return
			case err != nil || found == nil || found.Disabled || (sess != nil && !sess.ExpiresAt.IsZero() && !sess.ExpiresAt.After(s.Now())):
				clearSessionCookie(w, r)
			default:
				u = found
			}
		}
		if u != nil {
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

// login checks a password under the throttle and opens a session. The
// caller answers the user or the error.
func (s *Server) login(w http.ResponseWriter, r *http.Request, username, password string) (*ducha.User, error) {
	username = strings.TrimSpace(username)
	if username == "" || password == "" {
		return nil, &ducha.Error{Code: ducha.EINVALID, Message: "请输入用户名和密码",
			Fields: map[string]string{"username": "请输入用户名和密码"}}
	}
	keys := []limitKey{{"user:" + strings.ToLower(username), s.limiter.limit.PerUser}, {"ip:" + clientIP(r), s.limiter.limit.PerIP}}
	if s.limiter.blocked(keys...) {
		w.Header().Set("Retry-After", strconv.Itoa(int(s.limiter.limit.Window/time.Second)))
		return nil, ducha.Errorf(ETOOMANY, "登录失败次数过多，请%d分钟后再试", int(s.limiter.limit.Window/time.Minute))
	}
	u, err := s.Users.Authenticate(r.Context(), username, password)
	if err != nil {
		if ducha.ErrorCode(err) == ducha.EINTERNAL {
			return nil, err
		}
		s.limiter.fail(keys...)
		return nil, ducha.Errorf(ducha.EUNAUTHORIZED, "用户名或密码错误")
	}
	if u.Disabled {
		s.limiter.fail(keys...)
		return nil, ducha.Errorf(ducha.EUNAUTHORIZED, "用户名或密码错误")
	}
	// Knowing the password clears the username's failures; the address
	// keeps its count.
	s.limiter.reset(keys[0].key)
	if err := s.startSession(w, r, u); err != nil {
		return nil, err
	}
	return u, nil
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
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil,
	})
	return nil
}

// logout ends the browser's session, if it has one.
func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(SessionCookie); err == nil && c.Value != "" {
		if err := s.Users.DeleteSession(r.Context(), c.Value); err != nil && ducha.ErrorCode(err) == ducha.EINTERNAL {
			return err
		}
	}
	clearSessionCookie(w, r)
	return nil
}

func clearSessionCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{
		Name: SessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil,
	})
}

// clientIP is the address the request came from. Forwarding headers are
// not trusted: anyone could set them to dodge the throttle.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// loginRequest is the body of POST /api/v1/login.
type loginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

func (s *Server) handleAPILogin(w http.ResponseWriter, r *http.Request) error {
	var req loginRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	u, err := s.login(w, r, req.Username, req.Password)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, u)
	return nil
}

func (s *Server) handleAPILogout(w http.ResponseWriter, r *http.Request) error {
	if err := s.logout(w, r); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) handleAPIMe(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, ducha.UserFromContext(r.Context()))
	return nil
}
