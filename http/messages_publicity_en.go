package http

// publicityMessagesEN are the messages of the public 销号公示 pages.
var publicityMessagesEN = map[string]string{
	"publicity.title":          "Public notice before closure",
	"publicity.intro":          "These problems have been rectified and accepted; they are published for public scrutiny. Objections go to the office named on each notice.",
	"publicity.empty":          "No problem is in public notice now.",
	"publicity.heading":        "Public notice of the closure of problem %s",
	"publicity.problem":        "Problem",
	"publicity.acceptance":     "Acceptance",
	"publicity.period":         "Notice period",
	"publicity.office":         "Objections to",
	"publicity.phone":          "Supervision phone",
	"publicity.objection_hint": "During the notice, objections may be made in writing or by phone to the office named.",
	"publicity.back":           "All notices",
	"publicity.text":           "Text for the website",
	"publicity.print_hint":     "Print this page for the A4 notice",
}
