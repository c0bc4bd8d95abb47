package ui

import (
	"strconv"
	"time"

	"ducha"
	"ducha/http/web"
)

// staleSave is what a save over an old version shows: for each field the
// user filled that someone else changed meanwhile, the other person's
// value, the user's own, and who changed it when. The form keeps the
// user's input and carries the new version, so that saving again is one
// click that sets the user's values over the other person's.
type staleSave struct {
	Rows []staleRow
}

// staleRow is one field changed under the user's feet.
type staleRow struct {
	Label, Theirs, Yours, Who string
	At                        time.Time
}

// staleField maps a form field to the problem field its events record.
type staleField struct {
	form, event string
	typed       func(actionInput) string
}

// staleFields are the action forms' fields a stale save compares.
var staleFields = []staleField{
	{"lead_unit", "lead_unit", func(in actionInput) string { return in.LeadUnit }},
	{"leader", "leader", func(in actionInput) string { return in.Leader }},
	{"person", "person", func(in actionInput) string { return in.Person }},
	{"measures", "measures", func(in actionInput) string { return in.Measures }},
	{"target", "target", func(in actionInput) string { return in.Target }},
	{"mode", "mode", func(in actionInput) string { return in.Mode }},
	{"deadline", "deadline", func(in actionInput) string { return in.Deadline }},
}

// staleChanges compares what the user typed on a form of version base with
// the events written since: each problem write is one event and one more
// version, so the last p.Version-base events are the other person's.
// rows are the events' history rows, actors named, in the same order.
func staleChanges(p *page, prob *ducha.Problem, base int, in actionInput, events []*ducha.Event, rows []historyRow, units []*ducha.Unit) *staleSave {
	n := prob.Version - base
	if base <= 0 || n <= 0 {
		return &staleSave{}
	}
	from := max(0, len(events)-n)
	st := &staleSave{}
	for _, f := range staleFields {
		yours := f.typed(in)
		if f.form == "lead_unit" {
			for _, u := range units {
				if yours == strconv.FormatInt(u.ID, 10) {
					yours = u.Name
				}
			}
		}
		if f.form == "deadline" {
			if d, err := web.ParseFormDate(yours); err == nil && d.Valid() {
				yours = string(d)
			}
		}
		// The last change of the field among the other person's events.
		for i := len(events) - 1; i >= from; i-- {
			after := rawFields(events[i].After)
			raw, ok := after[f.event]
			if !ok {
				continue
			}
			theirs := valueText(p, f.event, raw)
			if jsonText(raw) != yours {
				row := staleRow{Label: p.FieldLabel(f.event), Theirs: theirs, Yours: yours, At: events[i].At}
				if f.form == "deadline" {
					row.Yours = p.Date(ducha.Date(yours))
				}
				if i < len(rows) {
					row.Who = rows[i].Actor
				}
				st.Rows = append(st.Rows, row)
			}
			break
		}
	}
	return st
}
