package web

// ledgerMessagesEN are the English messages of the ledger table; they must
// have the same ids as ledgerMessagesZH.
var ledgerMessagesEN = map[string]string{
	"enterprises.industry":     "Industry",
	"enterprises.fined":        "Fined",
	"ledger.clear":             "Clear filters",
	"ledger.schedule":          "Schedule",
	"ledger.per_page":          "Per page",
	"ledger.columns":           "Columns",
	"ledger.export":            "Export the ledger (xlsx)",
	"ledger.export_filtered":   "Export what is filtered (xlsx)",
	"ledger.sort_asc":          "Sort by %s, ascending",
	"ledger.sort_desc":         "Sort by %s, descending",
	"ledger.select_one":        "Select %s",
	"ledger.select_page":       "Select all on this page (%d)",
	"ledger.bulk_kind":         "Notice",
	"ledger.bulk_text":         "Text",
	"ledger.bulk_default_text": "请抓紧整改，并于答复期限前书面报告整改进展。",
	"ledger.bulk_submit":       "Issue notices for the selection",
	"ledger.bulk_hint":         "Tick problems in the table, or select all on this page; each is issued on its own, and one that fails does not stop the others.",
	"ledger.bulk_title":        "Bulk notices",
	"ledger.bulk_summary":      "%d notices issued, %d problems not.",
	"ledger.bulk_issued":       "%s (answer by %s)",
	"ledger.bulk_problem":      "Problem",
	"ledger.bulk_result":       "Result",
	"ledger.bulk_back":         "Back to the ledger",
	"ledger.bulk_failed":       "Not issued",
	"ledger.bulk_ok":           "Issued",
}
