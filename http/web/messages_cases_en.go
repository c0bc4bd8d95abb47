package web

// casesMessagesEN are the messages of the case list as a table: its
// filters, columns, export and actions on a selection.
var casesMessagesEN = map[string]string{
	"cases.clear":               "Clear filters",
	"cases.q_hint":              "Acceptance number, complaint or area, in simplified or traditional characters; the area, the units and the enterprises and places the complaint names also by pinyin initials (hxhg: 红星化工)",
	"cases.per_page":            "Per page",
	"cases.per_page_n":          "%d",
	"cases.cols":                "Columns",
	"cases.cols_legend":         "Tick the columns to show, then Search",
	"cases.export":              "Export to Excel (as filtered)",
	"cases.sort_by":             "Sort by %s",
	"cases.select":              "Select",
	"cases.select_case":         "Select %s",
	"cases.select_all":          "Select all on this page",
	"cases.select_none":         "Select none",
	"cases.bulk.title":          "Bulk actions (on the ticked cases)",
	"cases.bulk.assign":         "Assign",
	"cases.bulk.assign_submit":  "Assign the ticked cases",
	"cases.bulk.choose_unit":    "Choose a unit",
	"cases.bulk.deadline_hint":  "Empty: the forwarded date plus the campaign's days",
	"cases.bulk.publish":        "Publish",
	"cases.bulk.publish_hint":   "Only stage-closed or closed cases can be published.",
	"cases.bulk.publish_submit": "Publish the ticked cases",
	"cases.bulk.notice":         "Supervision notices",
	"cases.bulk.notice_submit":  "Issue a notice for each ticked case",
	"cases.bulk.done":           "%s: %d done.",
	"cases.bulk.failed":         "%d refused:",
	"cases.bulk.reason":         "Reason",
	"batches.publish":           "Publish the batch's handled cases",
}
