package web

import (
	"net/http"
	"strings"

	"ducha"
)

// PermPublic marks a route anyone may call, logged in or not.
const PermPublic ducha.Permission = ""

// Route is one registered route: its method, its ServeMux path pattern and
// the permission it needs.
type Route struct {
	Method     string           `json:"method"`
	Path       string           `json:"path"`
	Permission ducha.Permission `json:"permission"`
}

// Routes lists every registered route, in registration order.
func (s *Server) Routes() []Route {
	s.Handler()
	return append([]Route(nil), s.routes...)
}

// registerRoutes registers the server's own routes; the JSON API
// (ducha/http/api) and the pages (ducha/http/ui) add theirs with Mount.
func (s *Server) registerRoutes() {
	// The root goes to the landing page; /lang switches the language.
	s.route("GET /{$}", PermPublic, s.handleRoot)
	s.route("GET /lang", PermPublic, s.handleLang)

	// Anything else answers not found in the format of its path.
	s.route("/", PermPublic, s.handleNotFound)
}

// duringPasswordChange lists the routes a user who must change their
// password may still use: the form and the API call that change it, who
// they are, logging in and out, the language switch and the stylesheet.
// Every other route refuses them with EPASSWORDCHANGE, which pages turn
// into a redirect to the password form.
var duringPasswordChange = map[string]bool{
	"GET " + PasswordPath:           true,
	"POST " + PasswordPath:          true,
	"POST /api/v1/me/password":      true,
	"GET /api/v1/me":                true,
	"POST /api/v1/login":            true,
	"POST /api/v1/logout":           true,
	"GET /api/v1/openapi.json":      true,
	"GET /login":                    true,
	"POST /login":                   true,
	"POST /logout":                  true,
	"GET /lang":                     true,
	"GET /static/style.css":         true,
	"GET /static/case.css":          true,
	"GET /public/disclosure":        true,
	"GET /api/v1/disclosure":        true,
	"GET /public/closure":           true,
	"GET /public/closure/{id}":      true,
	"GET /public/closure/{id}/text": true,
	"GET /api/v1/public/closure":    true,
	"GET /static/publicity.css":     true,
	"GET /static/app.js":            true,
	"GET /static/forms.js":          true,
}

// HandlerFunc is a handler that returns its error to the one error handler.
type HandlerFunc func(w http.ResponseWriter, r *http.Request) error

// Handle registers h under pattern behind the permission check, as the
// server's own routes are (see route); the pages register theirs with it
// from a function given to Mount.
func (s *Server) Handle(pattern string, perm ducha.Permission, h HandlerFunc) {
	s.route(pattern, perm, h)
}

// Mount adds routes to the server: register is called once, when the
// server builds its routes (on the first Handler call), after the JSON
// API's. The pages (package ducha/http/ui) are mounted this way, so that
// this package does not import them.
func (s *Server) Mount(register func()) {
	s.mounts = append(s.mounts, register)
}

// route registers h under pattern behind the permission check, and behind
// the password guard unless duringPasswordChange names it. Workflow
// actions declare PermWork, which every role that may act holds; the
// domain then checks the action's own permission (work or verify) against
// the problem's units.
func (s *Server) route(pattern string, perm ducha.Permission, h HandlerFunc) {
	method, path, ok := strings.Cut(pattern, " ")
	if !ok {
		method, path = "", pattern
	}
	s.routes = append(s.routes, Route{Method: method, Path: path, Permission: perm})
	exempt := duringPasswordChange[pattern]
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		if u := ducha.UserFromContext(r.Context()); u != nil && u.MustChangePassword && !exempt {
			s.error(w, r, ducha.Errorf(EPASSWORDCHANGE, "请先修改一次性密码，再继续使用系统"))
			return
		}
		if perm != PermPublic {
			if _, err := ducha.Require(r.Context(), perm); err != nil {
				s.error(w, r, err)
				return
			}
		}
		if err := h(w, r); err != nil {
			s.error(w, r, err)
		}
	})
}

func (s *Server) handleNotFound(w http.ResponseWriter, r *http.Request) error {
	return ducha.Errorf(ducha.ENOTFOUND, "页面不存在")
}

func (s *Server) handleRoot(w http.ResponseWriter, r *http.Request) error {
	http.Redirect(w, r, LandingPath, http.StatusSeeOther)
	return nil
}
