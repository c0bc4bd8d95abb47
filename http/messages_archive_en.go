package http

// archiveMessagesEN are the English messages of the archive download.
var archiveMessagesEN = map[string]string{
	"archive.download": "Download the case file",
	"archive.hint":     "A zip: 档案.xlsx (every field, the history, the list of attachments) and every attachment",
	"archive.empty":    "(empty)",

	"field.id":          "System id",
	"field.campaign_id": "Campaign id",
	"field.overdue":     "Overdue",
	"field.original":    "As imported",

	"case.field.target":             "Closure target",
	"case.field.duplicate_of":       "Duplicate of (system id)",
	"case.field.supplement_of":      "Supplement to (system id)",
	"case.field.repeats":            "Repeated hand-overs",
	"case.field.repeats.kind":       "Kind",
	"case.field.repeats.case_id":    "Case system id",
	"case.field.repeats.row":        "Row",
	"case.field.parts.unit":         "Unit",
	"case.field.parts.signed_at":    "Signed at",
	"case.field.parts.signed_by":    "Signed by",
	"case.field.parts.submitted_at": "Submitted at",
}
