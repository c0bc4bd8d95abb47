// Package ui serves ducha's pages: the server-rendered HTML of every
// workflow, their forms, the public pages and the front-end assets
// (templates, styles, the htmx and ECharts bundles), over the plumbing of
// ducha/http/web (sessions, permissions, errors, the catalogue, the list
// cache) and the readers it shares with the JSON API. Every page has one
// typed struct embedding page (render.go).
package ui

import (
	"html/template"

	"ducha/http/web"
)

// handler serves the pages of one server: the server's services and
// plumbing, and the parsed templates.
type handler struct {
	*web.Server
	pages map[string]*template.Template
}

// Register mounts the pages on s and makes its error handler answer page
// requests with the HTML error page. Call it before s.Handler.
func Register(s *web.Server) {
	h := &handler{Server: s}
	s.HTMLError = h.renderError
	s.Mount(h.registerRoutes)
}
