package ui

import (
	"encoding/json"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"ducha"
	"ducha/http/web"
)

// detailPage shows one problem: every field, attachments, the action forms
// the user may use and the history.
type detailPage struct {
	page
	P           *ducha.Problem
	Units       []*ducha.Unit
	Modes       []string
	Actions     []*actionForm
	History     []historyRow
	CanUpload   bool
	UploadError string
	// CanArchive shows the link to the problem's 一案一档 download.
	CanArchive bool
	// Levels are the campaign's closure levels; NextLevel is the one a
	// verify signs now ("" when none is left).
	Levels    []string
	NextLevel string
	Error     string
}

// LevelLabel names a closure level: 县级 → 县级验收.
func (d *detailPage) LevelLabel(level string) string { return ducha.LevelLabel(level) }

// Int is the number p points to.
func (d *detailPage) Int(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}

// detailState is what a failed form post hands back to the detail page.
type detailState struct {
	action    string
	in        actionInput
	err       error
	uploadErr string
	// base is the version the failed form was read at, for a stale save.
	base int
}

func (s *handler) handleProblemPage(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "问题")
	if err != nil {
		return err
	}
	return s.renderDetail(w, r, id, detailState{})
}

// renderDetail reads the problem afresh and shows it; a failed post opens
// its form again with the user's input and the messages.
func (s *handler) renderDetail(w http.ResponseWriter, r *http.Request, id int64, st detailState) error {
	ctx := r.Context()
	p, err := s.Problems.FindProblemByID(ctx, id)
	if err != nil {
		return err
	}
	events, err := s.Problems.FindProblemEvents(ctx, id)
	if err != nil {
		return err
	}
	units, err := s.Units.FindUnits(ctx)
	if err != nil {
		return err
	}
	u := ducha.UserFromContext(ctx)
	d := detailPage{
		page: s.newPage(w, r, "detail.title"), P: p, Units: units, Modes: ducha.ProblemModes,
		Actions:     availableActions(u, p, s.Today()),
		CanUpload:   ducha.Can(u, ducha.PermWork) && (!u.Role.UnitScoped() || p.InUnit(u.UnitID)),
		UploadError: st.uploadErr,
		CanArchive:  ducha.Can(u, ducha.PermExport),
	}
	d.Title = p.Code + " · " + d.Title
	d.Levels = ducha.DefaultRules().ClosureLevels
	if s.Campaigns != nil && p.CampaignID != 0 {
		if c, err := s.Campaigns.FindCampaignByID(ctx, p.CampaignID); err == nil {
			d.Levels = c.Rules.ClosureLevels
		}
	}
	if n := len(p.Closure.Levels); n < len(d.Levels) {
		d.NextLevel = d.Levels[n]
	}
	d.History = history(&d.page, events)
	s.nameActors(ctx, &d.page, d.History)
	status := http.StatusOK
	if st.uploadErr != "" {
		status = http.StatusBadRequest
	}
	if st.err != nil {
		status = web.FormStatus(st.err)
		i := slices.IndexFunc(d.Actions, func(f *actionForm) bool { return f.Action == st.action })
		if i < 0 {
			d.Error = ducha.ErrorMessage(st.err) // the problem moved on; the form is gone
		} else {
			f := d.Actions[i]
			f.Open, f.F, f.In = true, newFormErrors(d.Lang, st.err, actionFields), st.in
			f.F.Prefix = f.Action + "-"
			// A save over an old version (not a conflict of state, such as a
			// level signed already) shows what the other person changed.
			if ducha.ErrorCode(st.err) == ducha.ECONFLICT && ducha.ErrorMessage(st.err) == ducha.Conflict().Message {
				f.F.Message = d.T("forms.stale")
				f.Stale = staleChanges(&d.page, p, st.base, st.in, events, d.History, units)
			}
		}
	}
	return s.render(w, status, "problem", &d)
}

// hiddenFields are event fields that mean nothing to a reader.
var hiddenFields = []string{"id", "campaign_id", "lead_unit_id", "coop_unit_ids", "created_at", "original", "problem_id", "unit_id"}

// fieldOrder is the order the history lists changed fields in.
var fieldOrder = []string{"code", "status", "source", "description", "area", "address", "subject",
	"subject_credit_code", "types", "type_detail", "industry", "mode", "lead_unit", "coop_units",
	"leader", "person", "measures", "target", "deadline", "deadline_text", "original_deadline",
	"extension", "progress", "closure_text", "closed_at", "return_reason", "reopen_count", "note"}

// redundant reports whether field k of an event only repeats another field
// of the same event: the deadline as written when it is the deadline
// itself, and the original deadline when it is the deadline just set.
func redundant(k string, before, after map[string]json.RawMessage) bool {
	same := func(a, b json.RawMessage) bool { return jsonText(a) == jsonText(b) }
	switch k {
	case "deadline_text":
		_, inBefore := before["deadline"]
		_, inAfter := after["deadline"]
		return (inBefore || inAfter) && same(before[k], before["deadline"]) && same(after[k], after["deadline"])
	case "original_deadline":
		return len(after[k]) > 0 && same(after[k], after["deadline"])
	}
	return false
}

// jsonText is a JSON string's text; other values and absent ones compare
// by their encoding.
func jsonText(raw json.RawMessage) string {
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return s
	}
	return string(raw)
}

func rawFields(b json.RawMessage) map[string]json.RawMessage {
	m := map[string]json.RawMessage{}
	if len(b) > 0 {
		_ = json.Unmarshal(b, &m)
	}
	return m
}

// FieldLabel names a problem field; unknown fields keep their key.
func (p *page) FieldLabel(key string) string {
	return p.labelOr("field."+key, key)
}

// valueText writes one JSON value of an event for people.
func valueText(p *page, key string, raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return string(raw)
	}
	return anyText(p, key, v)
}

func anyText(p *page, key string, v any) string {
	switch v := v.(type) {
	case string:
		if key == "status" {
			return p.StatusLabel(ducha.ProblemStatus(v))
		}
		if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
			return p.DateTime(t)
		}
		if len(v) == len(ducha.DateLayout) {
			return p.Date(ducha.Date(v)) // a day (整改时限), else the text as is
		}
		return v
	case bool:
		if v {
			return p.T("filter.yes")
		}
		return p.T("filter.no")
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case []any:
		parts := make([]string, 0, len(v))
		for _, e := range v {
			parts = append(parts, anyText(p, key, e))
		}
		return strings.Join(parts, "、")
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, 0, len(keys))
		for _, k := range keys {
			if t := anyText(p, k, v[k]); t != "" {
				parts = append(parts, p.FieldLabel(key+"."+k)+"："+t)
			}
		}
		return strings.Join(parts, "；")
	}
	return ""
}
