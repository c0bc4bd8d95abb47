package ui

import (
	"encoding/json"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"ducha"
)

// An item's history reads as a timeline: for each event its time, who
// (by name and unit, see nameActors), what they did, what a decision
// decided, the files it added as links and each changed field by its
// label, old → new. One function, timeline, turns events into rows for
// every kind of item; an eventReading says how one kind's fields read.

// historyRow is one event, readable.
type historyRow struct {
	At      time.Time
	Actor   string // name and unit, for people
	Login   string // the username, shown on hover
	Action  string
	Note    string
	Outcome string // what a decision decided: 批准延期至2026年12月7日
	// Files are the attachments the event added; a page shows them
	// instead of the note and changes that record them.
	Files   []fileLink
	Changes []change
}

// change is one field of an event, before and after.
type change struct {
	Label, Before, After string
}

// fileLink is an attachment an event added, as its download link shows it.
type fileLink struct {
	URL, Name, Size string
}

// eventReading says how the events of one kind of item read.
type eventReading struct {
	action func(p *page, action string) string
	label  func(p *page, key string) string
	value  func(p *page, key string, raw json.RawMessage) string
	// order lists fields first, in this order; with only, no other field.
	order []string
	only  bool
	// hide reports a field that means nothing to a reader in this event.
	hide func(key string, before, after map[string]json.RawMessage) bool
}

// timelineHidden are fields no reader wants in any history: ids, versions
// and stamps the event itself carries.
var timelineHidden = []string{"id", "version", "campaign_id", "created_at", "updated_at"}

// timeline turns events into the rows of a history, oldest first.
func timeline(p *page, rd eventReading, events []*ducha.Event) []historyRow {
	rank := func(k string) int {
		if i := slices.Index(rd.order, k); i >= 0 {
			return i
		}
		return len(rd.order)
	}
	rows := make([]historyRow, 0, len(events))
	for _, e := range events {
		before, after := rawFields(e.Before), rawFields(e.After)
		row := historyRow{At: e.At, Actor: e.Actor, Action: rd.action(p, e.Action), Note: e.Note}
		if f, ok := attachmentLink(after); ok {
			// An upload's record is the file: the page shows its link
			// alone; the archive keeps its type and hash from Changes.
			row.Files = append(row.Files, f)
		} else {
			row.Outcome, row.Note = outcome(p, e, before, after)
		}
		var keys []string
		for k := range before {
			keys = append(keys, k)
		}
		for k := range after {
			if _, ok := before[k]; !ok {
				keys = append(keys, k)
			}
		}
		sort.Slice(keys, func(i, j int) bool {
			if ri, rj := rank(keys[i]), rank(keys[j]); ri != rj {
				return ri < rj
			}
			return keys[i] < keys[j]
		})
		for _, k := range keys {
			if slices.Contains(timelineHidden, k) || (rd.only && rank(k) == len(rd.order)) ||
				(rd.hide != nil && rd.hide(k, before, after)) {
				continue
			}
			b, a := rd.value(p, k, before[k]), rd.value(p, k, after[k])
			if b == a {
				continue // a change only in what the history leaves out
			}
			row.Changes = append(row.Changes, change{Label: rd.label(p, k), Before: b, After: a})
		}
		rows = append(rows, row)
	}
	return rows
}

// attachmentLink is the link to the attachment an upload's event
// recorded: an attachment's encoding is the only one with a sha256.
func attachmentLink(after map[string]json.RawMessage) (fileLink, bool) {
	if _, ok := after["sha256"]; !ok {
		return fileLink{}, false
	}
	var a ducha.Attachment
	if json.Unmarshal(mustJSON(after), &a) != nil || a.ID == 0 {
		return fileLink{}, false
	}
	return fileLink{URL: "/api/v1/attachments/" + strconv.FormatInt(a.ID, 10), Name: a.Name, Size: fileSize(a.Size)}, true
}

func mustJSON(m map[string]json.RawMessage) []byte {
	b, _ := json.Marshal(m)
	return b
}

// fileSize writes a size as people read it: 512 B, 12.5 KB, 3.2 MB.
func fileSize(n int64) string {
	switch {
	case n < 1024:
		return strconv.FormatInt(n, 10) + " B"
	case n < 1024*1024:
		return strconv.FormatFloat(float64(n)/1024, 'f', 1, 64) + " KB"
	}
	return strconv.FormatFloat(float64(n)/(1024*1024), 'f', 1, 64) + " MB"
}

// outcome is what a decision decided, and the note left beside it: an
// extension granted to its new deadline or refused with the reason, a
// return with its reason.
func outcome(p *page, e *ducha.Event, before, after map[string]json.RawMessage) (string, string) {
	switch e.Action {
	case ducha.ActDecideExtension:
		// ducha.ExtensionDecisionNote wrote the note as "decision：reason".
		_, reason, _ := strings.Cut(e.Note, "：")
		if d, ok := after["deadline"]; ok {
			return p.T("timeline.extension_granted", ducha.ChineseDate(ducha.Date(jsonText(d)))), reason
		}
		return p.T("timeline.extension_refused"), reason
	case ducha.ActRequestExtension:
		var ext ducha.Extension
		if json.Unmarshal(after["extension"], &ext) == nil && ext.Deadline.Valid() {
			return p.T("timeline.extension_requested", ducha.ChineseDate(ext.Deadline)), e.Note
		}
	case ducha.ActReturn:
		if r := jsonText(after["return_reason"]); len(after["return_reason"]) > 0 && r != "" {
			if r == e.Note {
				return p.T("timeline.returned", r), ""
			}
			return p.T("timeline.returned", r), e.Note
		}
	}
	return "", e.Note
}

// problemReading reads a problem's events (and an accountability
// record's, whose fields share the problem's labels).
var problemReading = eventReading{
	action: (*page).ActionLabel,
	label:  (*page).FieldLabel,
	value:  valueText,
	order:  fieldOrder,
	hide: func(k string, before, after map[string]json.RawMessage) bool {
		return slices.Contains(hiddenFields, k) || redundant(k, before, after)
	},
}

// caseReading reads a complaint case's events.
var caseReading = eventReading{
	action: (*page).CaseActionLabel,
	label:  (*page).CaseFieldLabel,
	value:  caseValueText,
	order:  caseFieldOrder,
	hide: func(k string, before, after map[string]json.RawMessage) bool {
		return slices.Contains(caseHiddenFields, k) || (k == "parts" && bareParts(before[k]) && bareParts(after[k]))
	},
}

// noticeReading reads a supervision notice's events: its own fields only.
var noticeReading = eventReading{
	action: (*page).NoticeActionLabel,
	label:  func(p *page, k string) string { return p.T("notice.field." + k) },
	value:  func(p *page, k string, raw json.RawMessage) string { return noticeValueText(p, k, raw) },
	order:  noticeFieldOrder,
	only:   true,
}

// history renders a problem's events as timeline rows.
func history(p *page, events []*ducha.Event) []historyRow {
	return timeline(p, problemReading, events)
}

// caseHistory renders a case's events as timeline rows.
func caseHistory(p *page, events []*ducha.Event) []historyRow {
	return timeline(p, caseReading, events)
}

// noticeHistory renders a notice's events as timeline rows.
func noticeHistory(p *page, events []*ducha.Event) []historyRow {
	return timeline(p, noticeReading, events)
}

// inspectionLabels name the fields of a self-inspection's events: the
// inspection's counts and status, and a marked duty's result.
var inspectionLabels = map[string]string{
	"status": "inspection.field.status", "marked": "inspection.field.progress", "wanting": "inspection.field.wanting",
	"started_at": "inspection.field.started", "submitted_at": "inspection.field.submitted",
	"complied": "inspection.field.complied", "finding": "inspection.field.finding", "mode": "inspection.field.mode",
	"deadline": "inspection.field.deadline", "basis": "duty.field.basis",
}

// inspectionReading reads a self-inspection's events: what a reader
// recognises of them, the rest (ids, who marked, counts of duties) left out.
var inspectionReading = eventReading{
	action: func(p *page, a string) string {
		if p.Lang.Has("action.inspection_" + a) {
			return p.T("action.inspection_" + a)
		}
		return p.ActionLabel(a)
	},
	label: func(p *page, k string) string { return p.T(inspectionLabels[k]) },
	value: func(p *page, k string, raw json.RawMessage) string {
		if len(raw) == 0 || string(raw) == "null" {
			return ""
		}
		switch k {
		case "status":
			return p.T("inspection.status." + jsonText(raw))
		case "complied":
			if string(raw) == "true" {
				return p.T("inspection.complied.yes")
			}
			return p.T("inspection.complied.no")
		}
		return valueText(p, k, raw)
	},
	order: []string{"status", "complied", "finding", "mode", "deadline", "marked", "wanting", "started_at", "submitted_at"},
	only:  true,
}

// inspectionHistory renders a self-inspection's events as timeline rows.
func inspectionHistory(p *page, events []*ducha.Event) []historyRow {
	return timeline(p, inspectionReading, events)
}

// FileSize writes a file's size as people read it: 12.5 KB.
func (p *page) FileSize(n int64) string { return fileSize(n) }
