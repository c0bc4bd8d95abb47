// Package http assembles ducha's web server from its three parts:
// ducha/http/web, the plumbing (the Server and its options, sessions and
// tokens, permissions on every route, errors, the message catalogue, the
// list cache, the form and query readers); ducha/http/api, the JSON API
// under /api/v1; and ducha/http/ui, the pages, their templates and
// front-end assets. api and ui import web, web imports neither; NewServer
// is the one place that mounts both.
package http

import (
	"context"
	"io"
	"net/netip"

	"ducha/http/api"
	"ducha/http/ui"
	"ducha/http/web"
)

// Server is the web server (see web.Server): set its fields, then call
// Open, or use Handler with httptest.
type Server = web.Server

// LoginLimit throttles password checks (see web.LoginLimit).
type LoginLimit = web.LoginLimit

// Route is one registered route (see web.Route).
type Route = web.Route

// PermPublic marks a route anyone may call, logged in or not.
const PermPublic = web.PermPublic

// LangCookie is the cookie that keeps the language chosen with /lang.
const LangCookie = web.LangCookie

// NewServer returns a server with the defaults of web.NewServer, the JSON
// API and the pages mounted.
func NewServer() *Server {
	s := web.NewServer()
	api.Register(s)
	ui.Register(s)
	return s
}

// DefaultLoginLimit is the login throttle's default (see
// web.DefaultLoginLimit).
func DefaultLoginLimit() LoginLimit { return web.DefaultLoginLimit() }

// ParseTrustedProxies reads a comma-separated list of addresses and
// prefixes (see web.ParseTrustedProxies).
func ParseTrustedProxies(list string) ([]netip.Prefix, error) { return web.ParseTrustedProxies(list) }

// ExportArchive writes one problem's or case's archive (一案一档) as the
// server does (see ui.ExportArchive).
func ExportArchive(ctx context.Context, s *Server, kind, ref string, w io.Writer) (string, error) {
	return ui.ExportArchive(ctx, s, kind, ref, w)
}
