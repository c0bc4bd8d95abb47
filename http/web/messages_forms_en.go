package web

// formsMessagesEN are the English messages forms share; they must have the
// same ids as formsMessagesZH.
var formsMessagesEN = map[string]string{
	"forms.summary":           "%d fields need attention:",
	"forms.filter_units":      "Filter units",
	"forms.filter_units_hint": "Type a name or its pinyin initials, e.g. yqz",
	"forms.picker_hint":       "Choose any; type a name or pinyin initials to filter",
	"forms.date_hint":         "e.g. 2026年12月7日, or type 20261207",
	"forms.file_again":        "The upload did not finish: browsers do not let a page keep the chosen file for you, so choose the file again.",
	"forms.photo":             "Take a photo (phone camera)",
	"forms.document_file":     "Choose a file (image, PDF, Office document)",
	"forms.preview":           "Preview of the chosen image",
	"forms.proposals":         "Measures read from the handling text",
	"forms.proposals_hint":    "Read as you type; tick one to fill it into the measures below, untick to remove it.",
	"forms.proposal_accept":   "Accept",
	"forms.missing_heading":   "Reported in the handling text but missing from the measures:",
	"forms.missing_row":       "The handling text says “%s” (%s)",
	"forms.missing_confirm":   "Confirm: do not count %s",
	"forms.missing_error":     "The handling text says “%s” but the measures have no %s: add it, or tick “Confirm: do not count %s”",
	"forms.stale":             "Someone changed this record while you were editing. What you typed is kept; check the differences below, then save again over the new version (your values win).",
	"forms.stale_field":       "Field",
	"forms.stale_theirs":      "Their value",
	"forms.stale_yours":       "Your value",
	"forms.stale_who":         "Changed by, at",
	"forms.save_again":        "Save again over the new version",
	"forms.stale_none":        "Their change touches none of the fields you filled in.",
	"forms.fine_n":            "fine ¥%s",
	"forms.persons_n":         "%d persons",
}
