// Package api serves ducha's JSON API under /api/v1 over the plumbing of
// ducha/http/web (sessions and tokens, permissions, errors, the list
// cache, the readers it shares with the pages); openapi.json describes
// every route.
package api

import "ducha/http/web"

// handler serves the API of one server.
type handler struct {
	*web.Server
}

// Register mounts the JSON API on s. Call it before s.Handler.
func Register(s *web.Server) {
	h := &handler{Server: s}
	s.Mount(h.registerRoutes)
}
