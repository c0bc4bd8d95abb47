package web

import (
	"context"
	"net/http"
	"strings"

	"ducha"
)

// dashboard computes the dashboard as of the query's date (YYYY-MM-DD);
// without one the store takes today.
func (s *Server) Dashboard(r *http.Request) (*ducha.Dashboard, error) {
	if s.Dashboards == nil {
		return nil, ducha.Errorf(ducha.ENOTFOUND, "本服务未启用驾驶舱")
	}
	raw := strings.TrimSpace(r.URL.Query().Get("date"))
	d, err := ducha.ParseDateISO(raw)
	if err != nil {
		return nil, ducha.FieldError("date", "日期格式应为2026-12-31，收到“%s”", raw)
	}
	return s.DashboardOn(r.Context(), d)
}

// DashboardOn computes the dashboard as of day ("" for today), which the
// pages read from their filter as typed.
func (s *Server) DashboardOn(ctx context.Context, day ducha.Date) (*ducha.Dashboard, error) {
	if s.Dashboards == nil {
		return nil, ducha.Errorf(ducha.ENOTFOUND, "本服务未启用驾驶舱")
	}
	return s.Dashboards.Dashboard(ctx, day)
}
